"""Filters of the network's templates."""

from django import template

from khuyencong.core.text import fold as fold_text

register = template.Library()


@register.filter
def fold(value) -> str:
    """The accent-free lowercase form the commune filter on the application page compares with."""
    return fold_text(str(value))


@register.filter
def lower_first(value) -> str:
    """"Tỉnh Lai Châu" → "tỉnh Lai Châu": a unit's name inside a sentence (NĐ 30/2020 writes it so)."""
    text = str(value)
    return text[:1].lower() + text[1:]


@register.filter
def percent(value) -> str:
    """0.4567 → "45,7 %"."""
    return f"{value * 100:.1f}".replace(".", ",") + " %"
