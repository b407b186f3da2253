"""Template filters every page uses: money, dates, yes/no, coordinates, histories."""

from django import template
from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.html import format_html, json_script
from django.utils.translation import gettext, gettext_noop, pgettext

from khuyencong.core.audit import history_rows
from khuyencong.core.badges import badge_class, badge_icon
from khuyencong.core.forms import DateInput
from khuyencong.core.money import format_vnd, format_vnd_short

register = template.Library()

# Django 6.1 labels an empty choice "- Select an option -" (django.db.models.fields.BLANK_CHOICE_LABEL), which its
# Vietnamese catalogue does not translate: ours does, so no form shows it in English.
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")


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


@register.filter
def yesno_vi(value):
    """Có / Không (— when unknown) for a yes/no value, whatever Django's yesno would print."""
    if value is None or value == "":
        return "—"
    return gettext("Yes") if value else gettext("No")


@register.filter
def gps(point):
    """A position without the ambiguity of decimal commas: "22.349040° B, 103.363069° Đ". Takes (lat, lng), a
    "lat,lng" text or an object with latitude/longitude."""
    if not point:
        return "—"
    if isinstance(point, str):
        parts = [p.strip() for p in point.split(",")]
        if len(parts) != 2:
            return point
        lat, lng = parts
    elif isinstance(point, (tuple, list)):
        lat, lng = point
    else:
        lat, lng = getattr(point, "latitude", None), getattr(point, "longitude", None)
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        return "—"
    north = pgettext("compass", "N") if lat >= 0 else pgettext("compass", "S")
    east = pgettext("compass", "E") if lng >= 0 else pgettext("compass", "W")
    return f"{abs(lat):.6f}° {north}, {abs(lng):.6f}° {east}"


@register.filter
def history(events):
    """An object's history in words (core.audit.history_rows), the same as the audit search describes it."""
    return history_rows(events)


@register.simple_tag
def date_input(name, value=None, id_suffix=None, **attrs):
    """The app's date input (core.forms.DateInput) in a hand-written form, e.g. one form per row:
    {% date_input "end_date" today id="end-date-" id_suffix=cov.pk class="form-control form-control-sm" %}."""
    attrs.setdefault("class", "form-control")
    if id_suffix is not None:
        attrs["id"] = f"{attrs.get('id', '')}{id_suffix}"
    return DateInput(attrs).render(name, value)


@register.simple_tag
def date_picker_labels():
    """The calendar's words for web/dates.js that flatpickr's Vietnamese locale leaves in English, and the month names
    as the rest of the app writes them ("Tháng 11": flatpickr's "Tháng mười một" leaves no room for the year)."""
    return json_script({
        "months": [str(MONTHS[number]) for number in range(1, 13)],
        "yearAriaLabel": gettext("Year"),
        "monthAriaLabel": gettext("Month"),
        "scrollTitle": gettext("Scroll to change"),
        "previousMonth": gettext("Previous month"),
        "nextMonth": gettext("Next month"),
    }, "kc-date-labels")


@register.simple_tag
def status_badge(kind: str, status: str, label, test_id: str = ""):
    """A status badge in the tone its lifecycle registered (core/badges.py)."""
    icon = badge_icon(kind, status)
    return format_html('<span class="badge {}"{}>{}{}</span>', badge_class(kind, status),
                       format_html(' data-testid="{}"', test_id) if test_id else "",
                       format_html('<i class="bi {}" aria-hidden="true"></i> ', icon) if icon else "", label)


@register.filter
def badge_tone(status: str, kind: str) -> str:
    """The badge class alone, for a row or a button that carries the status's tone: `{{ s|badge_tone:"event" }}`."""
    return badge_class(kind, status)
