"""Template filters every page uses: money, dates, folded text."""

from django import template
from django.utils import formats

from khuyencong.core.money import format_vnd, format_vnd_short

register = template.Library()


@register.filter
def vnd(amount):
    return format_vnd(amount)


@register.filter
def vnd_short(amount):
    return format_vnd_short(amount)


@register.filter
def dmy(value):
    """dd/mm/yyyy whatever the active language."""
    if not value:
        return "—"
    return formats.date_format(value, "d/m/Y")


@register.filter
def number(value):
    """1234567 → 1.234.567."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}".replace(",", ".")
