from django import forms
from django.utils.translation import gettext_lazy as _


class ResolveForm(forms.Form):
    """An address as typed in an old spreadsheet; only the province is required."""

    province = forms.CharField(
        label=_("Province or city"),
        max_length=120,
        help_text=_("e.g. Long An, TP HCM, binh duong"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off", "autocapitalize": "words"}),
    )
    district = forms.CharField(
        label=_("District, town or provincial city"),
        max_length=120,
        required=False,
        help_text=_("e.g. TP Tân An, H. Sìn Hồ, Q.1 (may be left empty)"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off", "autocapitalize": "words"}),
    )
    commune = forms.CharField(
        label=_("Commune, ward or township"),
        max_length=120,
        required=False,
        help_text=_("e.g. Phường 1, P.1, Xã Hướng Thọ Phú (may be left empty)"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off", "autocapitalize": "words"}),
    )
