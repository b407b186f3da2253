"""Personal data the network keeps carefully: ID numbers (never stored in clear), phones, e-mails, birth years."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from khuyencong.core.errors import InvalidInput
from khuyencong.core.text import normalize_text
from khuyencong.registry.parsing import parse_phone

# Citizen ID (CCCD) has 12 digits; the old ID card (CMND) 9.
ID_LENGTHS = (9, 12)
MIN_AGE, MAX_AGE = 16, 90  # what a birth year can plausibly be, before any regulation's own age range


def clean_id_number(value) -> str:
    digits = re.sub(r"[\s.\-]", "", normalize_text(value))
    if not digits.isdigit() or len(digits) not in ID_LENGTHS:
        raise InvalidInput(_("The ID number has 12 digits (citizen ID) or 9 digits (old ID card)."),
                           field="id_number")
    return digits


def id_number_hash(digits: str) -> str:
    """A keyed hash (HMAC-SHA256 with the site's secret): finds the same person twice without keeping the number.
    Changing SECRET_KEY makes old hashes unmatchable, but never reveals them."""
    return salted_hmac("khuyencong.network.id_number", digits, algorithm="sha256").hexdigest()


def protected_id(value) -> dict:
    digits = clean_id_number(value)
    return {"id_number_hash": id_number_hash(digits), "id_number_last3": digits[-3:], "id_number_length": len(digits)}


def clean_phone(value) -> str:
    try:
        return parse_phone(value)
    except ValueError:
        raise InvalidInput(_("Enter a phone number of 10 digits, e.g. 0912345678."), field="phone") from None


def clean_email(value) -> str:
    email = normalize_text(value).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(_("Enter a valid email address."), field="email") from None
    return email


def clean_birth_year(value, today: datetime.date) -> int:
    low, high = today.year - MAX_AGE, today.year - MIN_AGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(_("Enter a year of birth between %(low)s and %(high)s.")
                           % {"low": low, "high": high}, field="birth_year")
    return value
