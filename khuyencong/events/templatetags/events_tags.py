"""Template helpers of the events pages."""

from django import template

register = template.Library()


@register.filter
def today_names(unit) -> list[str]:
    """Today's units a former unit went to (prefetched `successors__current`), leaving out a successor with the same
    name (Hải Phòng stayed Hải Phòng)."""
    if unit is None:
        return []
    return [s.current.name for s in unit.successors.all() if s.current.name != unit.name]
