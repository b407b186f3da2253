from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import DateInput
from khuyencong.core.money import parse_vnd

from . import selectors
from .models import FundSource


class BrowseForm(forms.Form):
    """Which rules to show: those in force on a date ("áp dụng ngày"), optionally for one content."""

    on = forms.DateField(label=_("In force on"), required=False, widget=DateInput(attrs={"class": "form-control"}))
    content = forms.ChoiceField(label=_("Content"), required=False, widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].choices = [("", _("All contents")), *(
            (c.code, c.name) for c in selectors.content_list()
        )]

    def on_date(self):
        value = self.cleaned_data.get("on") if self.is_valid() else None
        return value or timezone.localdate()


class QuoteForm(forms.Form):
    """The support calculator: a content, a fund, an eligible cost ("800.000.000" is fine) and a date."""

    content = forms.ChoiceField(label=_("Content"), widget=forms.Select(attrs={"class": "form-select"}))
    variant = forms.ChoiceField(label=_("Special case"), required=False,
                                widget=forms.Select(attrs={"class": "form-select"}))
    fund = forms.ChoiceField(label=_("Fund"), choices=FundSource.choices, initial=FundSource.NATIONAL,
                             widget=forms.Select(attrs={"class": "form-select"}))
    province = forms.TypedChoiceField(label=_("Province (local fund)"), required=False, coerce=int, empty_value=None,
                                      widget=forms.Select(attrs={"class": "form-select"}))
    cost = forms.CharField(
        label=_("Eligible cost (đồng)"),
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric", "autocomplete": "off",
                                      "placeholder": "800.000.000"}),
    )
    on_date = forms.DateField(label=_("Date (approval of the project)"), required=False,
                              widget=DateInput(attrs={"class": "form-control"}))
    priority = forms.BooleanField(label=_("Priority project (area or sector)"), required=False,
                                  widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].choices = [(c.code, c.name) for c in selectors.content_list()]
        self.fields["variant"].choices = [("", _("Standard case")), *selectors.variant_choices()]
        self.fields["province"].choices = [("", _("— none —")), *(
            (p.code, p.name) for p in selectors.province_choices()
        )]

    def clean_cost(self):
        try:
            amount = parse_vnd(self.cleaned_data["cost"])
        except ValueError:
            raise forms.ValidationError(_("Write the amount in đồng, e.g. 800.000.000."))
        if amount < 0:
            raise forms.ValidationError(_("The eligible cost cannot be negative."))
        return amount

    def clean_on_date(self):
        return self.cleaned_data.get("on_date") or timezone.localdate()
