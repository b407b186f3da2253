"""Input forms for plans and projects. They parse what people type (amounts as "1.234.567"); the services do the
domain checks and the views show their refusals on the fields."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts.models import Organisation
from khuyencong.core.forms import StyledFormMixin, VndField
from khuyencong.geo.models import AdminUnit
from khuyencong.rules.engine import in_force
from khuyencong.rules.models import ContentItem, FundSource

from .models import LedgerKind, ProjectKind
from .permissions import MANUAL_LEDGER_KINDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date_field(label, required=False, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


class ProjectForm(StyledFormMixin, forms.Form):
    """Input for project_create / project_update. Plan and province are chosen only when creating."""

    plan = forms.ModelChoiceField(label=_("Annual plan"), queryset=None)
    province = forms.ModelChoiceField(label=_("Province"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    title = forms.CharField(label=_("Title"), max_length=400)
    implementing_org = forms.ModelChoiceField(label=_("Implementing organisation"), queryset=None)
    commune = forms.ModelChoiceField(label=_("Commune (place of implementation)"), queryset=None, required=False)
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    expected_results = forms.CharField(label=_("Expected results"), widget=forms.Textarea(attrs={"rows": 3}),
                                       required=False)
    start_date = _date_field(_("Planned start"))
    end_date = _date_field(_("Planned end"))
    priority = forms.BooleanField(label=_("Priority support asked (priority area or sector)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plans=None, provinces=None, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = provinces if provinces is not None else AdminUnit.objects.none()
        province_ids = [p.pk for p in provinces]
        if creating:
            self.fields["plan"].queryset = plans
            self.fields["province"].queryset = AdminUnit.objects.filter(pk__in=province_ids).order_by("name")
            if len(province_ids) == 1:
                self.fields["province"].initial = province_ids[0]
                self.fields["province"].widget = forms.HiddenInput()
        else:
            del self.fields["plan"]
            del self.fields["province"]
        self.fields["implementing_org"].queryset = Organisation.objects.filter(
            Q(province_id__in=province_ids) | Q(province__isnull=True), is_active=True
        ).order_by("province__code", "name")
        self.fields["commune"].queryset = AdminUnit.objects.filter(
            scheme="current", level="commune", province_id__in=province_ids).order_by("name")
        self.fields["commune"].empty_label = _("— Several or not yet known —")


class ContentForm(StyledFormMixin, forms.Form):
    content = forms.ModelChoiceField(label=_("Content"), queryset=None)
    variant = forms.CharField(
        label=_("Variant"), max_length=40, required=False,
        help_text=_("Leave empty for the standard case; “technology_line” for a full technology line."),
    )
    establishment = forms.ModelChoiceField(label=_("For the beneficiary"), queryset=None, required=False,
                                           help_text=_("Needed when the cap counts per establishment."))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    eligible_cost = VndField(label=_("Eligible cost (đồng)"))
    requested_support = VndField(label=_("Requested KC support (đồng)"))
    counterpart = VndField(label=_("Counterpart funds (đồng)"), required=False)
    other_sources = VndField(label=_("Other sources (đồng)"), required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["content"].queryset = in_force(ContentItem.objects.select_related("group"), today)
        self.fields["establishment"].queryset = project.beneficiaries.all().order_by("name_folded")
        self.fields["establishment"].empty_label = _("— The whole project —")

    def clean(self):
        data = super().clean()
        data["counterpart"] = data.get("counterpart") or 0
        data["other_sources"] = data.get("other_sources") or 0
        return data


class DocumentForm(StyledFormMixin, forms.Form):
    reference = forms.CharField(label=_("Number / reference"), max_length=120, required=False)
    file = forms.FileField(label=_("Scanned file"), required=False)


class ActionForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Note / reasons"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reference = forms.CharField(label=_("Decision or contract number"), max_length=120, required=False)
    amount = VndField(label=_("Amount (đồng)"), required=False)
    on_date = _date_field(_("Date of the act"), help_text=_("Empty: today."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LedgerForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, LedgerKind(k).label) for k in MANUAL_LEDGER_KINDS])
    amount = VndField(label=_("Amount (đồng)"))
    on_date = _date_field(_("Date"), help_text=_("Empty: today."))
    reference = forms.CharField(label=_("Voucher number"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ReverseForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Why is it reversed?"), max_length=500)


class PlanForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2012, max_value=2100)
    fund = forms.ChoiceField(label=_("Fund"), choices=FundSource.choices)
    province = forms.ModelChoiceField(label=_("Province (local plan)"), queryset=None, required=False,
                                      empty_label=_("— National plan —"))
    envelope = VndField(label=_("Budget envelope (đồng)"))
    name = forms.CharField(label=_("Name"), max_length=300, required=False,
                           help_text=_("Empty: named after the year and fund."))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces if provinces is not None else AdminUnit.objects.none()


class PlanApproveForm(StyledFormMixin, forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=80)
    decision_date = _date_field(_("Decision date"), required=True)
    signer = forms.CharField(label=_("Signed by"), max_length=150, required=False)
    envelope = VndField(label=_("Approved envelope (đồng)"), required=False,
                        help_text=_("Empty: keep the current envelope."))
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanAdjustForm(StyledFormMixin, forms.Form):
    envelope = VndField(label=_("New envelope (đồng)"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=80)
    decision_date = _date_field(_("Decision date"), required=True)
    signer = forms.CharField(label=_("Signed by"), max_length=150, required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
