from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import StyledFormMixin
from khuyencong.geo.models import AdminUnit

from .models import Organisation, OrganisationKind


class OrganisationForm(StyledFormMixin, forms.Form):
    """Input for organisation_create / organisation_update; the service does the domain checks."""

    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    name = forms.CharField(label=_("Official name"), max_length=250)
    short_name = forms.CharField(label=_("Short name"), max_length=80, required=False)
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=AdminUnit.objects.current().provinces().order_by("name"), required=False,
        empty_label=_("— National —"),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_instance(cls, organisation: Organisation, data=None):
        initial = {f: getattr(organisation, f) for f in ("kind", "name", "short_name", "province", "address",
                                                         "phone", "email", "is_active", "version")}
        return cls(data=data, initial=initial)


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("What is the token for?"), max_length=100, required=False)


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass
