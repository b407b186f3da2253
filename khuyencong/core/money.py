"""Money is integer đồng (VND) everywhere; these format it the Vietnamese way.

format_vnd(1234567) == "1.234.567 ₫"; for reports, format_vnd_short gives "1,23 triệu" / "12,5 tỷ".
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .errors import InvalidInput

MILLION = 1_000_000
BILLION = 1_000_000_000
# Plain digits, or thousands grouped by one separator used throughout ("1.234.567", "1,234,567").
_AMOUNT = re.compile(r"[0-9]+|[0-9]{1,3}([.,])[0-9]{3}(?:\1[0-9]{3})*")


def _group(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def format_vnd(amount: int | None) -> str:
    if amount is None:
        return "—"
    amount = int(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}{_group(abs(amount))} ₫"


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _decimal_vi(value: Decimal, places: int) -> str:
    quantised = _round(value, places)
    whole, _, frac = f"{quantised:f}".partition(".")
    frac = frac.rstrip("0")
    whole = _group(int(whole))
    return f"{whole},{frac}" if frac else whole


def format_vnd_short(amount: int | None, places: int = 2) -> str:
    """Amounts in triệu or tỷ, as reports write them: 12.500.000.000 → "12,5 tỷ"."""
    if amount is None:
        return "—"
    amount = int(amount)
    sign = "-" if amount < 0 else ""
    magnitude = abs(amount)
    # 999.999.999 rounds to 1.000 triệu: say "1 tỷ" instead.
    if magnitude >= BILLION or _round(Decimal(magnitude) / MILLION, places) >= 1000:
        return f"{sign}{_decimal_vi(Decimal(magnitude) / BILLION, places)} tỷ"
    if magnitude >= MILLION:
        return f"{sign}{_decimal_vi(Decimal(magnitude) / MILLION, places)} triệu"
    return format_vnd(amount)


def parse_vnd(text: str | int | None) -> int:
    """Reads "1.234.567", "1 234 567 ₫", "1,234,567 đ" or 1234567 as integer đồng; raises ValueError otherwise."""
    if isinstance(text, int):
        return text
    if text is None:
        raise ValueError("empty amount")
    cleaned = str(text).strip().lower()
    for token in ("₫", "vnđ", "vnd", "đồng", "đ", " ", "\u00a0"):
        cleaned = cleaned.replace(token, "")
    negative = cleaned.startswith("-")
    number = cleaned[1:] if negative else cleaned
    # Separators must group thousands: "1.5" or a spreadsheet's "1234567.00" is refused, not misread 10-100× too big.
    if not _AMOUNT.fullmatch(number):
        raise ValueError(f"not an amount: {text!r}")
    value = int(number.replace(".", "").replace(",", ""))
    return -value if negative else value


def check_amount(value, *, field: str = "amount", positive: bool = False, nullable: bool = False) -> int | None:
    """An amount given to a service: a whole number of đồng, zero or more (above zero when `positive`); None passes
    when `nullable`. Every module refuses a bad amount with the same message."""
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (positive and value == 0):
        if positive:
            raise InvalidInput(_("The amount must be a whole number of đồng above zero."), field=field)
        raise InvalidInput(_("Amounts are whole numbers of đồng, zero or more."), field=field)
    return value
