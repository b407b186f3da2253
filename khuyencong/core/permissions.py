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
