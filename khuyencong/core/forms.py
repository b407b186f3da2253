import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .money import parse_vnd


class StyledFormMixin:
    """Gives every widget its Bootstrap class and marks invalid fields, so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.HiddenInput)):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            # Not self.errors here: it would validate before a subclass's __init__ narrows its fields.
            # full_clean() marks the invalid fields.
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def _mark_invalid(self):
        for name in self._errors or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        # Views add the services' refusals after validation: those fields must be marked too.
        super().add_error(field, error)
        self._mark_invalid()


class VndField(forms.CharField):
    """An amount in đồng typed the Vietnamese way ("1.234.567", "1 234 567 ₫") or as plain digits."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("maxlength", "30")
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 30:
            raise forms.ValidationError(_("Type an amount in đồng, e.g. 1.250.000.000."), code="invalid")
        try:
            amount = parse_vnd(value)
        except ValueError:
            raise forms.ValidationError(_("Type an amount in đồng, e.g. 1.250.000.000."), code="invalid") from None
        if amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."), code="negative")
        return amount


DATE_FORMAT = "%d/%m/%Y"
# What the browser checks before sending (the server reads the same shapes, DATE_INPUT_FORMATS). Written for the
# `v` flag Chromium compiles a pattern with: "/" and "-" escaped inside a class.
DATE_PATTERN = r"\s*(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*"
DATE_HINT = _("A date as dd/mm/yyyy, e.g. 07/12/2026")
DATE_INVALID = _("Type the date as dd/mm/yyyy, e.g. 07/12/2026.")


class DateInput(forms.DateInput):
    """The one date input of the app: dd/mm/yyyy as Vietnamese users read and type it, whatever the browser's language
    (a native type="date" shows mm/dd/yyyy on an English Windows). A plain text input, so typing works without
    JavaScript, with a numeric keypad on phones; web/dates.js puts a calendar on every input marked data-kc-date (on
    phones too: their native picker would show the browser's language again). The DateField parses it with
    DATE_INPUT_FORMATS (config/formats): dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, and yyyy-mm-dd for links and the API.
    It is the default widget of every DateField (install_date_input)."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {"inputmode": "numeric", "placeholder": "dd/mm/yyyy", "autocomplete": "off", "data-kc-date": True,
                "pattern": DATE_PATTERN, "title": DATE_HINT}
        super().__init__(attrs={**base, **(attrs or {})}, format=DATE_FORMAT)


def install_date_input() -> None:
    """Makes core's DateInput and its Vietnamese error the default of every forms.DateField of the project (and of
    every model DateField's form field), in this one place: a form that declares a DateField without a widget gets
    dd/mm/yyyy whatever the browser's language. Called once from CoreConfig.ready(). The admin keeps its own widget,
    which it passes explicitly."""
    forms.DateField.widget = DateInput
    forms.DateField.default_error_messages = {**forms.DateField.default_error_messages, "invalid": DATE_INVALID}


def date_from_text(value: str | None) -> datetime.date | None:
    """A date typed in a hand-written input or a query string, read as a DateField reads it; None when empty or
    not a date."""
    try:
        return forms.DateField(required=False).clean(value)
    except forms.ValidationError:
        return None
