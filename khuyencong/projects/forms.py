"""Input forms for plans and projects. They parse what people type (amounts as "1.234.567"); the services do the
domain checks and the views show their refusals on the fields."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts.models import Organisation
from khuyencong.core.forms import DateInput, StyledFormMixin, VndField
from khuyencong.geo.models import AdminUnit
from khuyencong.rules.engine import in_force
from khuyencong.rules.models import ContentItem, FundSource
from khuyencong.rules.selectors import variant_choices

from .ledger import NOTE_MAX_LENGTH, REFERENCE_MAX_LENGTH
from .models import AcceptanceConclusion, AdjustmentKind, CouncilConclusion, LedgerKind, ProjectKind, VisitFollowUp
from .permissions import MANUAL_LEDGER_KINDS
from .selectors import establishments_for


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
    # The special cases the rates define, by their labels (a code typed by hand was shown to the user before).
    variant = forms.ChoiceField(label=_("Variant"), required=False,
                                choices=lambda: [("", _("Standard case")), *variant_choices()])
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
    reference = forms.CharField(label=_("Voucher number"), max_length=REFERENCE_MAX_LENGTH, required=False)
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX_LENGTH, required=False)


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


# --- monitoring -----------------------------------------------------------------------------------------------------


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or documents at once."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ProgressReportForm(StyledFormMixin, forms.Form):
    """The monthly report (Mẫu 3a/3b style): the month, then per content the work done, the cumulative % and the
    money used in the month; problems and proposals."""

    period = forms.DateField(label=_("Month reported"), widget=MonthInput(), input_formats=["%Y-%m", "%Y-%m-%d"])
    submitted_on = _date_field(_("Sent on"), help_text=_("Empty: today."))
    problems = forms.CharField(label=_("Problems met"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    proposals = forms.CharField(label=_("Proposals"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    file = forms.FileField(label=_("Signed report (PDF or photo)"), required=False)

    def __init__(self, *args, contents, **kwargs):
        super().__init__(*args, **kwargs)
        self.contents = list(contents)
        for row in self.contents:
            self.fields[f"done_{row.pk}"] = forms.CharField(
                label=_("Work done"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
            self.fields[f"percent_{row.pk}"] = forms.IntegerField(
                label=_("Cumulative % done"), min_value=0, max_value=100, required=False,
                widget=forms.NumberInput(attrs={"class": "form-control"}))
            self.fields[f"used_{row.pk}"] = VndField(label=_("Money used this month (đồng)"), required=False)
            self.fields[f"used_{row.pk}"].widget.attrs["class"] = "form-control"

    def content_rows(self):
        return [{"content": row, "done": self[f"done_{row.pk}"], "percent": self[f"percent_{row.pk}"],
                 "used": self[f"used_{row.pk}"]} for row in self.contents]

    def lines(self) -> dict:
        data = self.cleaned_data
        return {row.pk: {"work_done": data.get(f"done_{row.pk}") or "",
                         "percent_done": data.get(f"percent_{row.pk}") or 0,
                         "money_used": data.get(f"used_{row.pk}") or 0} for row in self.contents}


class VisitForm(StyledFormMixin, forms.Form):
    visit_date = _date_field(_("Date of the visit"), required=True)
    team = forms.CharField(label=_("Inspection team (who went)"), widget=forms.Textarea(attrs={"rows": 2}))
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    recommendations = forms.CharField(label=_("Recommendations"), widget=forms.Textarea(attrs={"rows": 2}),
                                      required=False, help_text=_("Recommendations open a follow-up."))
    files = MultipleFileField(label=_("Photos and documents"), required=False)


class FollowUpForm(StyledFormMixin, forms.Form):
    follow_up = forms.ChoiceField(label=_("Follow-up"), choices=VisitFollowUp.choices)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    files = MultipleFileField(label=_("More photos or documents"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


EXTRA_INDICATORS = 3


class AcceptanceForm(StyledFormMixin, forms.Form):
    """Acceptance minutes: date, number, site, members, the result per content and per indicator, conclusion."""

    minutes_date = _date_field(_("Date of the minutes"), required=True)
    reference = forms.CharField(label=_("Minutes number"), max_length=120, required=False)
    site = forms.CharField(label=_("Site"), max_length=300, required=False,
                           help_text=_("For a project at several sites, one minutes per site."))
    members = forms.CharField(label=_("Members who signed (one a line: name — position, organisation)"),
                              widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=AcceptanceConclusion.choices)
    conclusion_text = forms.CharField(label=_("Conditions or reasons"), widget=forms.Textarea(attrs={"rows": 2}),
                                      required=False)
    file = forms.FileField(label=_("Signed minutes (PDF or photo)"), required=False)

    def __init__(self, *args, contents, **kwargs):
        super().__init__(*args, **kwargs)
        self.contents = list(contents)
        keys = [str(row.pk) for row in self.contents] + [f"x{i}" for i in range(1, EXTRA_INDICATORS + 1)]
        for key in keys:
            self.fields[f"ind_{key}"] = forms.CharField(label=_("Indicator"), max_length=200, required=False)
            self.fields[f"plan_{key}"] = forms.CharField(label=_("Planned"), max_length=100, required=False)
            self.fields[f"got_{key}"] = forms.CharField(label=_("Achieved"), max_length=100, required=False)
            self.fields[f"met_{key}"] = forms.BooleanField(label=_("Met"), required=False,
                                                           initial=not key.startswith("x"))
            for name in ("ind", "plan", "got"):
                self.fields[f"{name}_{key}"].widget.attrs["class"] = "form-control form-control-sm"
        self.keys = keys

    def result_rows(self):
        by_pk = {str(row.pk): row for row in self.contents}
        return [{"content": by_pk.get(key), "indicator": self[f"ind_{key}"], "planned": self[f"plan_{key}"],
                 "achieved": self[f"got_{key}"], "met": self[f"met_{key}"]} for key in self.keys]

    def results(self) -> list[dict]:
        data = self.cleaned_data
        rows = []
        for key in self.keys:
            content_id = None if key.startswith("x") else int(key)
            indicator = data.get(f"ind_{key}") or ""
            if content_id is None and not indicator:
                continue
            rows.append({"content_id": content_id, "indicator": indicator, "planned": data.get(f"plan_{key}"),
                         "achieved": data.get(f"got_{key}"), "met": data.get(f"met_{key}", False)})
        return rows

    def member_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["members"].splitlines() if line.strip()]


class AdjustmentForm(StyledFormMixin, forms.Form):
    """A request to change an approved project: fill the fields of the chosen kind of change."""

    kind = forms.ChoiceField(label=_("Kind of change"), choices=AdjustmentKind.choices)
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))
    content_row = forms.ModelChoiceField(label=_("Content to change (budget, content)"), queryset=None,
                                         required=False)
    new_content = forms.ModelChoiceField(label=_("New KC content (change of content)"), queryset=None,
                                         required=False)
    new_eligible_cost = VndField(label=_("New eligible cost (đồng)"), required=False,
                                 help_text=_("Empty: unchanged."))
    new_support = VndField(label=_("New KC support (đồng)"), required=False, help_text=_("Empty: unchanged."))
    new_end_date = _date_field(_("New planned end (schedule)"))
    old_establishment = forms.ModelChoiceField(label=_("Beneficiary to replace"), queryset=None, required=False)
    new_establishment = forms.CharField(label=_("New beneficiary: tax code or name"), max_length=200,
                                        required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["content_row"].queryset = project.contents.select_related("content")
        self.fields["content_row"].label_from_instance = lambda row: row.content.name
        self.fields["new_content"].queryset = in_force(ContentItem.objects.all(), timezone.localdate())
        self.fields["old_establishment"].queryset = project.beneficiaries.all().order_by("name_folded")

    def clean_new_establishment(self):
        text = (self.cleaned_data.get("new_establishment") or "").strip()
        if not text:
            return None
        matches = list(establishments_for(self.project, text)[:2])
        if len(matches) != 1:
            raise forms.ValidationError(_("No establishment of the province matches.") if not matches else
                                        _("Several establishments match: type the tax code."))
        return matches[0]


class AdjustmentDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    reference = forms.CharField(label=_("Decision number"), max_length=120, required=False)
    decided_on = _date_field(_("Decision date"), help_text=_("Empty: today."))
    note = forms.CharField(label=_("Note / reasons"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- appraisal councils ---------------------------------------------------------------------------------------------


class CouncilForm(StyledFormMixin, forms.Form):
    """The decision setting up an appraisal council and its members."""

    decision_number = forms.CharField(label=_("Decision setting up the council (number)"), max_length=120)
    decision_date = _date_field(_("Decision date"), required=True)
    signer = forms.CharField(label=_("Signed by"), max_length=150, required=False)
    chair_name = forms.CharField(label=_("Chair"), max_length=150)
    chair_position = forms.CharField(label=_("Chair's position and unit"), max_length=300, required=False)
    secretary_name = forms.CharField(label=_("Secretary"), max_length=150)
    secretary_position = forms.CharField(label=_("Secretary's position and unit"), max_length=300, required=False)
    members = forms.CharField(label=_("Other members (one a line: name — position, unit)"),
                              widget=forms.Textarea(attrs={"rows": 4}))

    def member_rows(self) -> list[dict]:
        data = self.cleaned_data
        rows = [{"name": data["chair_name"], "position": data["chair_position"], "role": "chair"},
                {"name": data["secretary_name"], "position": data["secretary_position"], "role": "secretary"}]
        for line in data["members"].splitlines():
            name, _sep, position = line.partition("—")
            if not _sep:
                name, _sep, position = line.partition(" - ")
            if name.strip():
                rows.append({"name": name.strip(), "position": position.strip(), "role": "member"})
        return rows


class ScoreForm(StyledFormMixin, forms.Form):
    """One member's scoring sheet: a field per criterion of the council's sheet (and “not applicable” where the sheet
    allows it). The points are checked by the service against the sheet."""

    comment = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, sheet: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for criterion in sheet["criteria"]:
            code = criterion["code"]
            self.fields[f"c_{code}"] = forms.CharField(
                label=criterion["label"], required=False, max_length=8,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control kc-score",
                                              "data-max": criterion["max_points"],
                                              "data-weight": criterion["weight"], "data-code": code}))
            if criterion.get("allow_na"):
                self.fields[f"na_{code}"] = forms.BooleanField(
                    label=_("not applicable"), required=False,
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input kc-na", "data-code": code}))

    def rows(self):
        return [{"criterion": c, "field": self[f"c_{c['code']}"],
                 "na": self[f"na_{c['code']}"] if c.get("allow_na") else None} for c in self.sheet["criteria"]]

    def scores(self) -> dict:
        data = self.cleaned_data
        return {c["code"]: None if data.get(f"na_{c['code']}") else data.get(f"c_{c['code']}", "").strip()
                for c in self.sheet["criteria"]}


class ConcludeForm(StyledFormMixin, forms.Form):
    conclusion = forms.ChoiceField(label=_("Council's conclusion"), choices=CouncilConclusion.choices)
    minutes = forms.CharField(label=_("Minutes and conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    on_date = _date_field(_("Date of the council meeting"), required=True)
    version = forms.IntegerField(widget=forms.HiddenInput)
