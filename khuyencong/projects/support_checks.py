"""Checks that modules above `projects` add to a project's money steps, so projects never imports them.

A module registers a check in its `AppConfig.ready()` (`support_checks.register(check)`). A check is a function
`check(ctx, stage) -> Decision` where `ctx` is the project's `ProjectContext` (the project, the date of the act and
its contents) and `stage` one of `STAGES`: the flow's action being taken. A refusal blocks the step with the check's
Vietnamese reason, which names its rule and legal basis; an allowed answer lets the step go on. The cap on state
support for a cluster's infrastructure (clusters) and the double-support checks (settlement) are checks of this kind.

Checks that only ask for a review (a finding for the appraiser, not a refusal) record their finding themselves and
answer ALLOW: a guard is asked every time a page draws its buttons, so a check must not write when it is only asked;
it writes from a service, never from here.
"""

from collections.abc import Callable

from khuyencong.core.permissions import ALLOW, Decision

STAGES = ("submit", "approve", "contract", "settle")

Check = Callable[[object, str], Decision]
_CHECKS: list[Check] = []


def register(check: Check) -> Check:
    """Adds a check (idempotent: a module's ready() may run twice in tests). Usable as a decorator."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def registered() -> tuple[Check, ...]:
    return tuple(_CHECKS)


def first_refusal(ctx, stage: str) -> Decision:
    """The first registered check that refuses the step, or ALLOW."""
    for check in _CHECKS:
        decision = check(ctx, stage)
        if not decision.allowed:
            return decision
    return ALLOW
