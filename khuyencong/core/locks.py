"""Locks: the states that promise "no more changes", said once per record and refused the same way by every write.

A reported or settled event, a locked periodic report, a settled project, a signed mission report, a paid fee
sheet… each is a `Lock`: a test on the record and the Vietnamese sentence that says why it no longer changes. An app
declares its locks next to its flow (`flows.py`) and calls them from the permission checks its services and pages
share, so the page hides the action and shows the same reason the service refuses with:

    def can_edit_budget(user, event):
        return first_refusal(can_act_for(user, event), event_lock(event), budget_open(event))

A lock's refusal is a `Locked` decision; `refuse(decision)` raises it as `RecordLocked` (HTTP 409, code "locked"),
any other refusal as PermissionDenied. A service that does not go through a permission check calls
`lock.check(obj)`. The lifecycle's own steps out of a locked state (settling a reported event, unlocking a report,
archiving a settled project) stay with the flow, which alone decides them.

`LOCKS` lists every declared lock by name, for the test that walks every write against every lock.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import Conflict, DomainError, PermissionDenied
from .permissions import ALLOW, Decision


class RecordLocked(Conflict):
    """The record is in a state that promises no more changes."""

    code = "locked"


@dataclass(frozen=True)
class Locked(Decision):
    """A refusal because of a lock (not the actor's role nor a missing input)."""

    lock: str = ""


def refuse(decision: Decision, *, default: type[DomainError] = PermissionDenied, field: str | None = None) -> None:
    """Raises a refusal: RecordLocked for a lock, `default` (PermissionDenied) for anything else."""
    if decision:
        return
    if isinstance(decision, Locked):
        raise RecordLocked(decision.reason, field=field)
    raise default(decision.reason, field=field)


class Lock:
    """A state of a record that promises no more changes: `test(obj)` says whether the record is in it, `reason(obj)`
    words why it no longer changes (shown on the page and returned by the API)."""

    def __init__(self, name: str, *, test: Callable[[Any], bool], reason: Callable[[Any], str], states=()):
        self.name = name
        self.test = test
        self.reason = reason
        self.states = tuple(states)  # the lifecycle states it holds in, when it is a state's (for the tests)
        assert name not in LOCKS, f"two locks named {name}"
        LOCKS[name] = self

    def __call__(self, obj) -> Decision:
        if obj is not None and self.test(obj):
            return Locked(False, str(self.reason(obj)), self.name)
        return ALLOW

    def holds(self, obj) -> bool:
        return obj is not None and bool(self.test(obj))

    def check(self, obj, *, field: str | None = None) -> None:
        """Raises RecordLocked with the reason when the record is locked."""
        refuse(self(obj), field=field)

    def __repr__(self) -> str:
        return f"Lock({self.name})"


LOCKS: dict[str, Lock] = {}
