"""The colour of a status badge, one way for every lifecycle.

Each app registers the tone of each state of its lifecycles (`register("event", {...})`, next to its flow); every
template draws a badge with `{% status_badge "event" event.status event.get_status_display %}` (core/templatetags).
A tone is a Bootstrap badge class; a state the app does not name is drawn neutral.
"""

TONES: dict[str, dict[str, str]] = {}
NEUTRAL = "text-bg-secondary"
ICONS: dict[tuple[str, str], str] = {}


def register(kind: str, tones: dict[str, str], *, icons: dict[str, str] | None = None, default: str = NEUTRAL) -> None:
    """Declares the badge tone of each state of a lifecycle (`kind`), and optionally a Bootstrap icon for some."""
    TONES[kind] = {"": default, **{str(state): tone for state, tone in tones.items()}}
    for state, icon in (icons or {}).items():
        ICONS[(kind, str(state))] = icon


def badge_class(kind: str, status: str) -> str:
    tones = TONES.get(kind, {})
    return tones.get(str(status), tones.get("", NEUTRAL))


def badge_icon(kind: str, status: str) -> str:
    return ICONS.get((kind, str(status)), "")
