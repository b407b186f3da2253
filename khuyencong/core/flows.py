"""The one lifecycle engine: a transition table of (from, action, to, who, guards, effects) per lifecycle.

Every lifecycle of the product (a project, an event, a periodic report, a collaborator's application, a task…) is a
`Flow` over a table of `Transition` rows. A guard reads a `FlowContext` (the object, the date of the act and what the
app loads once for all guards) and answers with a `Decision(allowed, reason)`; an effect receives the `Act` being
applied and returns the changes it made, for the audit trail.

- `flow.options(obj, user)` lists the actions of the object's current state for one user, each allowed or with the
  Vietnamese reasons it is not (yet): pages and the API show the buttons and the reasons from it, never from a status
  test of their own.
- `flow.check(obj, user, action, inputs=…)` gives the transition to apply or raises the refusal (the wrong state,
  the role, a guard, a missing input), each with its Vietnamese message.
- `flow.apply(obj, row, actor=…, inputs=…)` runs the effects and moves the state; the service around it locks the
  row, checks the version, saves and records one audit event.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError, InvalidInput, PermissionDenied
from .permissions import Decision
from .versions import versioned_update

PREVIOUS = "previous"  # a target meaning "the state the object was in before" (resume after a suspension)


class FlowContext:
    """What the guards of one object read on one date. Apps subclass it with cached properties so that a page asking
    the guards of every action reads each fact once."""

    def __init__(self, obj, on_date: datetime.date):
        self.obj = obj
        self.on_date = on_date


Guard = Callable[[FlowContext], Decision]


@dataclass
class Act:
    """One transition being applied: the context (the locked object), the row, the actor, the cleaned inputs and the
    date. Effects read it and return the changes they made."""

    ctx: FlowContext
    transition: "Transition"
    actor: Any
    inputs: dict
    on_date: datetime.date

    @property
    def obj(self):
        return self.ctx.obj

    written: set = field(default_factory=set)

    def input(self, name: str, default=""):
        value = self.inputs.get(name)
        return default if value is None else value

    def set(self, **fields) -> dict:
        """Sets fields of the object (saved with the new state by `Flow.commit`) and returns them as changes."""
        changes = {}
        for name, value in fields.items():
            changes[name] = [getattr(self.obj, name), value]
            setattr(self.obj, name, value)
            self.written.add(name)
        return changes


Effect = Callable[[Act], dict | None]


@dataclass(frozen=True)
class Transition:
    """One row of a lifecycle: from one of `sources`, `action` leads to `target`; taken by a holder of `roles` for
    the object's province, when every guard allows it; `effects` run as it is applied.

    `roles` may be a function of the object (a report type names its approver). `who` names the roles in a refusal
    ("a DoIT manager of the organising province"); by default their labels. `needs` are the inputs the actor must
    give, `optional` those accepted. `variant` selects rows by a property of the object (a project's fund)."""

    action: str
    label: Any
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...] | Callable[[Any], tuple[str, ...]]
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    needs: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    style: str = "primary"
    who: Any = None
    variant: str = ""

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.needs + self.optional

    def roles_for(self, obj) -> tuple[str, ...]:
        return self.roles(obj) if callable(self.roles) else self.roles

    def who_for(self, obj) -> str:
        """How a refusal names who may act ("" when the row does not say: the roles' labels are used)."""
        if callable(self.who):
            return str(self.who(obj))
        return str(self.who) if self.who else ""


@dataclass(frozen=True)
class ActionDecision(Decision):
    """A Decision on one action for one user: every reason it is refused (the role first, then each guard) and which
    check failed first ("state", "permission" or "guard"; empty when allowed)."""

    reasons: tuple[str, ...] = ()
    failure: str = ""


@dataclass
class ActionOption:
    """One action of the object's current state as a page or the API offers it to one user."""

    action: str
    label: str
    allowed: bool
    reasons: list[str] = field(default_factory=list)
    inputs: tuple[str, ...] = ()  # what the user may give with it: "reason", "reference", "note", "amount"…
    needs: tuple[str, ...] = ()  # of which required
    style: str = "primary"

    @property
    def reason(self) -> str:
        return self.reasons[0] if self.reasons else ""


def _default_input_message(name: str) -> str:
    return {
        "reason": _("Give the reason."),
        "reference": _("Give the number of the decision or voucher."),
        "note": _("Write the reasons in the note."),
        "amount": _("Give the amount."),
    }.get(name, _("Give the reason."))


class Flow:
    """A lifecycle: its transition table and how it reads an object (its state, province and variant).

    `permission(flow, obj, user, row)` decides who may act (`accounts.scope.role_permission`: a role of the row
    held for the object's province, or the app's own wording). `wrong_state(obj, row_label)` words the refusal of
    an action the state does not offer.
    `explain_to_others`: whether a user refused for their role is also told the guards that fail (off where the
    guards are costly to read for every visitor). `state_error` / `unknown_error` are the errors raised for a
    wrong state and for an action the table does not know."""

    def __init__(self, transitions: Iterable[Transition], *, wrong_state: Callable[[Any, str], str],
                 permission: Callable[["Flow", Any, Any, Transition], Decision],
                 state_attr: str = "status", province_of: Callable[[Any], int | None] | None = None,
                 variant_of: Callable[[Any], str] | None = None, context: type[FlowContext] = FlowContext,
                 input_messages: dict | None = None, explain_to_others: bool = True,
                 state_error: type[DomainError] = InvalidInput, unknown_error: type[DomainError] = InvalidInput,
                 labels: dict | None = None):
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        self.state_attr = state_attr
        self.wrong_state = wrong_state
        self.province_of = province_of or (lambda obj: obj.province_id)
        self.variant_of = variant_of or (lambda obj: "")
        self.context = context
        self.permission = permission
        self.input_messages = input_messages or {}
        self.explain_to_others = explain_to_others
        self.state_error = state_error
        self.unknown_error = unknown_error
        self.labels = {row.action: row.label for row in self.transitions}
        self.labels.update(labels or {})
        seen = set()
        for row in self.transitions:
            for source in row.sources:
                key = (row.variant, source, row.action)
                assert key not in seen, f"two transitions for {key}"
                seen.add(key)

    # --- reading the table

    def state(self, obj) -> str:
        return getattr(obj, self.state_attr)

    def actions(self) -> set[str]:
        return set(self.labels)

    def label(self, action: str) -> str:
        return str(self.labels.get(action, action))

    def _rows(self, obj) -> list[Transition]:
        variant = self.variant_of(obj)
        return [row for row in self.transitions if not row.variant or row.variant == variant]

    def transitions_from(self, obj) -> list[Transition]:
        state = self.state(obj)
        return [row for row in self._rows(obj) if state in row.sources]

    def transition_for(self, obj, action: str) -> Transition | None:
        return next((row for row in self.transitions_from(obj) if row.action == action), None)

    def target_of(self, obj, row: Transition, previous: str = "") -> str:
        return previous if row.target == PREVIOUS else row.target

    # --- deciding

    def decide(self, obj, user, action: str, *, on_date: datetime.date | None = None,
               ctx: FlowContext | None = None) -> ActionDecision:
        """Whether `user` may take `action` on the object now; when not, every reason and which check failed."""
        row = self.transition_for(obj, action)
        if row is None:
            return ActionDecision(False, str(self.wrong_state(obj, self.label(action))),
                                  (str(self.wrong_state(obj, self.label(action))),), "state")
        reasons, failure = [], ""
        who = self.permission(self, obj, user, row)
        if not who:
            reasons.append(who.reason)
            failure = "permission"
            if not self.explain_to_others:
                return ActionDecision(False, who.reason, tuple(reasons), failure)
        ctx = ctx or self.context(obj, on_date or timezone.localdate())
        for guard in row.guards:
            result = guard(ctx)
            if not result:
                reasons.append(result.reason)
                failure = failure or "guard"
        if reasons:
            return ActionDecision(False, reasons[0], tuple(reasons), failure)
        return ActionDecision(True)

    def options(self, obj, user, *, on_date: datetime.date | None = None) -> list[ActionOption]:
        """The actions of the object's current state for `user`, each allowed or with its reasons."""
        rows = self.transitions_from(obj)
        if not rows:
            return []
        ctx = self.context(obj, on_date or timezone.localdate())
        options = []
        for row in rows:
            decision = self.decide(obj, user, row.action, ctx=ctx)
            options.append(ActionOption(row.action, str(row.label), decision.allowed, list(decision.reasons),
                                        row.inputs, row.needs, row.style))
        return options

    def refuse(self, decision: ActionDecision, *, guard_error: type[DomainError] = InvalidInput) -> None:
        """Raises the refusal a decision carries: the state's error, PermissionDenied, or the guard's error."""
        if decision.allowed:
            return
        if decision.failure == "state":
            raise self.state_error(decision.reason, code="wrong_state")
        if decision.failure == "permission":
            raise PermissionDenied(decision.reason)
        raise guard_error(decision.reason, code="guard")

    def check(self, obj, user, action: str, *, inputs: dict | None = None, on_date: datetime.date | None = None,
              ctx: FlowContext | None = None) -> Transition:
        """The transition to apply, or the refusal: an unknown action, the wrong state, the role, a guard, a
        required input left empty."""
        if action not in self.labels:
            raise self.unknown_error(_("Unknown action “%(action)s”.") % {"action": action}, field="action")
        decision = self.decide(obj, user, action, on_date=on_date, ctx=ctx)
        self.refuse(decision)
        row = self.transition_for(obj, action)
        for name in row.needs:
            if not str((inputs or {}).get(name) or "").strip():
                message = self.input_messages.get(name) or _default_input_message(name)
                raise InvalidInput(str(message), field=name)
        return row

    # --- applying

    def _run(self, obj, row: Transition, *, actor, inputs, on_date, ctx, previous: str) -> tuple[dict, Act]:
        ctx = ctx or self.context(obj, on_date or timezone.localdate())
        act = Act(ctx=ctx, transition=row, actor=actor, inputs=dict(inputs or {}), on_date=ctx.on_date)
        source, target = self.state(obj), self.target_of(obj, row, previous)
        changes: dict = {self.state_attr: [source, target]}
        for effect in row.effects:
            changes.update(effect(act) or {})
        setattr(obj, self.state_attr, target)
        return changes, act

    def apply(self, obj, row: Transition, *, actor, inputs: dict | None = None,
              on_date: datetime.date | None = None, ctx: FlowContext | None = None, previous: str = "") -> dict:
        """Runs the row's effects on the (locked) object and sets its new state; returns the changes for the audit
        trail, starting with the state's. Saving is the caller's (a lifecycle whose effects write other rows locks
        the object and saves it once)."""
        return self._run(obj, row, actor=actor, inputs=inputs, on_date=on_date, ctx=ctx, previous=previous)[0]

    def commit(self, obj, row: Transition, *, actor, version: int | None, inputs: dict | None = None,
               on_date: datetime.date | None = None, ctx: FlowContext | None = None, fields: dict | None = None,
               what: str = "", conflict: str = "") -> dict:
        """Applies the row and saves, in one conditional write, the new state, the fields its effects set
        (`Act.set`) and the service's `fields`, only while the stored row is still at `version` and in the state the
        check saw. On a conflict nothing is saved (the caller's transaction rolls back what effects wrote
        elsewhere), the object in memory is as it was, and Conflict is raised. Returns the changes for the audit
        trail."""
        before = dict(obj.__dict__)
        source = self.state(obj)
        try:
            changes, act = self._run(obj, row, actor=actor, inputs=inputs, on_date=on_date, ctx=ctx, previous="")
            data = {**(fields or {}), **{name: getattr(obj, name) for name in act.written},
                    self.state_attr: self.state(obj)}
            versioned_update(obj, data, version, what=what, conflict=conflict, **{self.state_attr: source})
        except Exception:
            obj.__dict__.update(before)
            raise
        return changes
