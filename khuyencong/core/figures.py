"""Rates shown as figures: one rounding and one way of writing them, so a rate on a module's page, on a dashboard
and in the API reads the same ("92,1 %", never "92 %" on one screen and "92,1 %" on another)."""

from decimal import ROUND_HALF_UP, Decimal


def rate_percent(numerator, denominator) -> Decimal | None:
    """100 × numerator ÷ denominator, to one decimal, halves rounded up; None without a denominator."""
    if not denominator:
        return None
    return (Decimal(numerator or 0) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_percent(value) -> str:
    """Decimal("92.1") → "92,1 %"; None → "—"."""
    if value is None:
        return "—"
    return f"{Decimal(value):.1f}".replace(".", ",") + " %"
