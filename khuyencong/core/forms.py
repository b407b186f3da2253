from django import forms


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
