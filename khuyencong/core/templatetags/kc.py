"""Template filters every page uses: money, dates, folded text."""

from django import template
from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.html import format_html, json_script
from django.utils.translation import gettext

from khuyencong.core.badges import badge_class, badge_icon
from khuyencong.core.forms import DateInput
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
