"""Template helpers of the events pages."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def today_names(unit) -> list[str]:
    """Today's units a former unit went to (prefetched `successors__current`), leaving out a successor with the same
    name (Hải Phòng stayed Hải Phòng)."""
    if unit is None:
        return []
    return [s.current.name for s in unit.successors.all() if s.current.name != unit.name]


@register.filter
def unit_and_today(unit) -> str:
    """A unit's name, with today's units it went to when it is a former one (events/_unit.html)."""
    if unit is None:
        return ""
    names = today_names(unit)
    if not names:
        return conditional_escape(unit.name)
    return format_html('{} <span class="small text-body-secondary">({}: {})</span>', unit.name,
                       pgettext("what a former unit or body is now", "today"), ", ".join(names))
