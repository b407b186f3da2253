"""Forms that clean the input of the awards' pages for the services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.accounts.models import User
from khuyencong.core.forms import StyledFormMixin, VndField
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment

from .models import Body, DocumentKind, Level, MemberRole, ProductGroup


class RoundForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the round"), max_length=250)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    province = forms.ModelChoiceField(label=_("Province"), queryset=AdminUnit.objects.none(), required=False)
    region = forms.CharField(label=_("Region (for a regional round)"), max_length=120, required=False)
    unit_name = forms.CharField(label=_("Organising unit"), max_length=250)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    plan_reference = forms.CharField(label=_("Plan reference"), max_length=120, required=False)
    budget_vnd = VndField(label=_("Budget (đồng)"), required=False)
    intake_start = forms.DateField(label=_("Entries from"))
    intake_end = forms.DateField(label=_("Entries until"))

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces if provinces is not None else AdminUnit.objects.none()


class MemberForm(StyledFormMixin, forms.Form):
    body = forms.ChoiceField(label=pgettext_lazy("awards", "Body"), choices=Body.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    user = forms.ModelChoiceField(label=_("User account (a juror scores with it)"), queryset=User.objects.none(),
                                  required=False)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users if users is not None else User.objects.none()
        self.fields["user"].label_from_instance = str


class EntryForm(StyledFormMixin, forms.Form):
    establishment = forms.ModelChoiceField(label=_("Producer (from the registry)"),
                                           queryset=Establishment.objects.none())
    product_name = forms.CharField(label=_("Product"), max_length=250)
    group = forms.ChoiceField(label=_("Product group"), choices=ProductGroup.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_set = forms.BooleanField(label=_("A set of products"), required=False)
    publish_consent = forms.BooleanField(label=_("The producer agrees to publish the product"), required=False)
    display_consent = forms.BooleanField(label=_("The producer agrees to leave it on display"), required=False)
    judged_on_site = forms.BooleanField(label=_("Judged on site (bulky product)"), required=False)

    def __init__(self, *args, establishments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = establishments if establishments is not None else \
            Establishment.objects.none()


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File (PDF or photo)"))


class ComplaintForm(StyledFormMixin, forms.Form):
    complainant = forms.CharField(label=_("Complainant"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    received_on = forms.DateField(label=_("Received on"))


class HolderReportForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    output = forms.CharField(label=_("Output"), max_length=200, required=False)
    revenue_vnd = VndField(label=_("Revenue (đồng)"), required=False)
    employees = forms.IntegerField(label=_("Employees"), min_value=0, max_value=1_000_000, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)
