from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """The answer of a permission check; the reason is shown to the user when an action is unavailable."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason: str) -> Decision:
    return Decision(False, str(reason))


def first_refusal(*decisions: Decision) -> Decision:
    """The first refusal among checks given in order (the role's, then the state's…), or ALLOW."""
    return next((decision for decision in decisions if not decision), ALLOW)
