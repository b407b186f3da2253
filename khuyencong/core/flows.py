"""What the flow tables of the apps share: an action as a page or the API offers it to one user."""

from dataclasses import dataclass, field


@dataclass
class ActionOption:
    """One transition of a flow, seen by one user now: allowed or not, and the Vietnamese reasons when not."""

    action: str
    label: str
    allowed: bool
    reasons: list[str] = field(default_factory=list)
    inputs: tuple[str, ...] = ()  # what the user must give with it: "reason", "reference"…
    style: str = "primary"
