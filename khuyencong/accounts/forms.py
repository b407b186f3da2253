from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from khuyencong.core.forms import StyledFormMixin
from khuyencong.geo.models import AdminUnit

from .models import Organisation, OrganisationKind
from .tokens import default_lifetime, lifetime_choices


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
    days = forms.TypedChoiceField(label=_("Valid for"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [
            (days, ngettext("%(days)s day", "%(days)s days", days) % {"days": days}) for days in lifetime_choices()
        ]
        self.fields["days"].initial = default_lifetime()


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


# The password policy is Django's validators (AUTH_PASSWORD_VALIDATORS). Django 6.1 words the "too short" refusal with
# "%d", a wording its own Vietnamese catalogue does not have yet: named here, makemessages keeps it in this app's
# catalogue, which comes before django.contrib.auth's.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)


class StyledPasswordResetForm(StyledFormMixin, PasswordResetForm):
    pass


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    pass


class SecondFactorCodeForm(StyledFormMixin, forms.Form):
    """A code of the authenticator app (6 digits) or, where allowed, a recovery code."""

    code = forms.CharField(label=_("Code"), max_length=20, strip=True, widget=forms.TextInput(attrs={
        "autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false",
        "autofocus": True,
    }))
