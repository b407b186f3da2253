"""Forms of the network's pages: they parse what people type; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import DateInput, StyledFormMixin
from khuyencong.core.money import parse_vnd
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import EstablishmentStatus, Gender, Sector
from khuyencong.rules.models import EntityType, SmeSize

from .models import (
    AffiliationKind,
    CollaboratorStatus,
    EducationLevel,
    Metric,
    StandardKind,
)

BLANK = [("", "—")]


class UnitChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "—")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AmountField(forms.CharField):
    """Integer đồng typed the Vietnamese way: "1.500.000", "1 500 000 ₫" or 1500000."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            amount = parse_vnd(value)
        except ValueError:
            raise forms.ValidationError(_("Write the amount in đồng, e.g. 1.500.000.")) from None
        if amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        return amount

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value


# --- regulation -------------------------------------------------------------------------------------------------------


class RegulationForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=80)
    title = forms.CharField(label=_("Name of the regulation"), max_length=300)
    issued_on = forms.DateField(label=_("Regulation issued on"), widget=DateInput())
    issuing_body = forms.CharField(label=_("Issued by"), max_length=200)
    signer = forms.CharField(label=_("Signed by"), max_length=150)
    effective_from = forms.DateField(label=_("In force from"), widget=DateInput())
    effective_to = forms.DateField(label=_("In force until"), widget=DateInput(), required=False)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=120)
    max_communes = forms.IntegerField(label=_("Communes per collaborator at most"), min_value=1, required=False)
    duties = forms.CharField(label=_("Duties of a collaborator"), widget=forms.Textarea(attrs={"rows": 5}),
                             required=False)
    appointing_authority = forms.CharField(label=_("Appointing authority"), max_length=250)
    appointing_body = forms.CharField(label=_("Body issuing appointment decisions"), max_length=250)
    parent_body = forms.CharField(label=_("Its governing body"), max_length=250, required=False)
    decision_symbol = forms.CharField(label=_("Symbol of appointment decisions"), max_length=30)
    monthly_base_vnd = AmountField(label=_("Monthly base fee (đồng)"))
    per_survey_vnd = AmountField(label=_("Per accepted survey (đồng)"))
    per_conversion_vnd = AmountField(label=_("Per registration turned into a project (đồng)"))
    per_report_vnd = AmountField(label=_("Per accepted report (đồng)"))
    monthly_cap_vnd = AmountField(label=_("Monthly cap (đồng)"), required=False)
    accepts_applications = forms.BooleanField(label=_("Accepts applications online"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for key in ("monthly_base_vnd", "per_survey_vnd", "per_conversion_vnd", "per_report_vnd"):
            data[key] = data[key] or 0
        return data


class StandardForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + StandardKind.choices, required=False)
    label = forms.CharField(label=_("Standard as written"), max_length=300, required=False)
    min_value = forms.IntegerField(label=_("Minimum"), min_value=0, required=False)
    max_value = forms.IntegerField(label=_("Maximum"), min_value=0, required=False)
    education_level = forms.ChoiceField(label=_("Education at least"), choices=BLANK + EducationLevel.choices,
                                        required=False)


class CriterionForm(StyledFormMixin, forms.Form):
    metric = forms.ChoiceField(label=_("Measure"), choices=BLANK + Metric.choices, required=False)
    label = forms.CharField(label=_("Criterion as written"), max_length=300, required=False)
    weight = forms.IntegerField(label=_("Weight (points)"), min_value=0, required=False)
    monthly_target = forms.IntegerField(label=_("Monthly target"), min_value=0, required=False)


StandardFormSet = forms.formset_factory(StandardForm, extra=2)
CriterionFormSet = forms.formset_factory(CriterionForm, extra=1)


def filled_rows(formset, key: str) -> list[dict]:
    """The rows of a valid formset that the user filled in (blank extra rows dropped)."""
    return [form.cleaned_data for form in formset.forms
            if form.cleaned_data and form.cleaned_data.get(key) and not form.cleaned_data.get("DELETE")]


# --- people -----------------------------------------------------------------------------------------------------------


class PersonForm(StyledFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    gender = forms.ChoiceField(label=_("Gender"), choices=BLANK + Gender.choices)
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1900, max_value=2100)
    phone = forms.CharField(label=_("Phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = forms.EmailField(label=_("Email"), required=False)
    id_number = forms.CharField(label=_("ID number (citizen ID)"), max_length=20,
                                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                                help_text=_("Kept only as a protected code and its last 3 digits."))
    residence_commune = UnitChoiceField(label=_("Commune of residence"), queryset=AdminUnit.objects.none(),
                                        required=False)
    address = forms.CharField(label=_("Address (village, street)"), max_length=300, required=False)
    education_level = forms.ChoiceField(label=_("Education"), choices=BLANK + EducationLevel.choices,
                                        required=False)
    experience_years = forms.IntegerField(label=_("Years of relevant experience"), min_value=0, max_value=70,
                                          required=False)
    affiliation_kind = forms.ChoiceField(label=_("Works for"), choices=BLANK + AffiliationKind.choices,
                                         required=False)
    affiliation = forms.CharField(label=_("Employer or organisation"), max_length=250, required=False)

    PERSON = ("full_name", "gender", "birth_year", "phone", "email", "residence_commune", "address",
              "education_level", "experience_years", "affiliation_kind", "affiliation")

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communes is not None:
            self.fields["residence_commune"].queryset = communes

    def person_data(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in self.PERSON if k in self.fields}


class CollaboratorForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Leave empty to keep the number on file.")


class ApplicationForm(PersonForm):
    """The public application. `website` is a honeypot: hidden from people, filled in by bots."""

    communes = UnitMultipleChoiceField(label=_("Communes you apply to cover"), queryset=AdminUnit.objects.none(),
                                       widget=forms.CheckboxSelectMultiple)
    health_declared = forms.BooleanField(label=_("I am in good health to do field work"), required=False)
    has_endorsement = forms.BooleanField(label=_("The commune People's Committee endorses my application"),
                                         required=False)
    motivation = forms.CharField(label=_("Why you want to join"), widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False, max_length=2000)
    consent = forms.BooleanField(label=_("I agree that the KC centre keeps these data to review my application"))
    website = forms.CharField(required=False, label=_("Leave this field empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, communes=communes, **kwargs)
        if communes is not None:
            self.fields["communes"].queryset = communes
        self.fields["communes"].widget.attrs["class"] = "form-check-input"


class AppointForm(StyledFormMixin, forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=80)
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput())
    term_start = forms.DateField(label=_("Term from"), widget=DateInput(), required=False,
                                 help_text=_("Empty: from the decision date."))
    authority = forms.CharField(label=_("Appointing authority"), max_length=250, required=False)
    signer = forms.CharField(label=_("Signed by"), max_length=150, required=False)
    communes = UnitMultipleChoiceField(label=_("Communes covered"), queryset=AdminUnit.objects.none(),
                                       widget=forms.SelectMultiple(attrs={"size": 8}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, communes=None, symbol: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if communes is not None:
            self.fields["communes"].queryset = communes
        if symbol:
            self.fields["decision_number"].widget.attrs["placeholder"] = f"…/{symbol}"


class StatusLookupForm(StyledFormMixin, forms.Form):
    """The public status check: both the reference given when applying and the phone number written on it."""

    reference = forms.CharField(label=_("Application number"), max_length=20,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                              "placeholder": "12-A1B2C3"}))
    phone = forms.CharField(label=_("Phone number given in the application"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


class RefuseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for refusal"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class StatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CollaboratorStatus.choices)
    on_date = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CoverageAddForm(StyledFormMixin, forms.Form):
    commune = UnitChoiceField(label=_("Commune"), queryset=AdminUnit.objects.none())
    start_date = forms.DateField(label=_("From"), widget=DateInput(), required=False)

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communes is not None:
            self.fields["commune"].queryset = communes


class CoverageEndForm(StyledFormMixin, forms.Form):
    end_date = forms.DateField(label=_("Last day"), widget=DateInput(), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)


# --- field work -------------------------------------------------------------------------------------------------------


class FieldBaseForm(StyledFormMixin, forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    latitude = forms.DecimalField(widget=forms.HiddenInput, required=False, max_digits=12, decimal_places=8)
    longitude = forms.DecimalField(widget=forms.HiddenInput, required=False, max_digits=12, decimal_places=8)
    photo = forms.FileField(label=_("Photo (optional)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp",
                                                                   "capture": "environment"}))

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "photo"}


class EstablishmentChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "—")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.commune.short_name}"


class SurveyForm(FieldBaseForm):
    representative = forms.CharField(label=_("Representative"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = forms.EmailField(label=_("Email"), required=False)
    employees = forms.IntegerField(label=_("Employees"), min_value=0, required=False)
    main_products = forms.CharField(label=_("Main products"), max_length=300, required=False)
    address = forms.CharField(label=_("Address (village, street)"), max_length=300, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=EstablishmentStatus.choices)
    woman_owned = forms.BooleanField(label=_("Owned by a woman"), required=False)
    ethnic_minority = forms.BooleanField(label=_("Owned by or employing ethnic minorities"), required=False)

    CHANGE_FIELDS = ("representative", "phone", "email", "employees", "main_products", "address", "status",
                     "woman_owned", "ethnic_minority")

    def service_data(self) -> dict:
        data = super().service_data()
        data["changes"] = {k: data.pop(k) for k in self.CHANGE_FIELDS}
        return data


class NeedForm(FieldBaseForm):
    establishment = EstablishmentChoiceField(label=_("Establishment"), queryset=None)
    content_code = forms.ChoiceField(label=_("KC content needed"), choices=())
    expected_cost_vnd = AmountField(label=_("Expected cost (đồng)"))

    def __init__(self, *args, establishments=None, contents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = establishments
        self.fields["content_code"].choices = BLANK + [(c.code, c.name) for c in contents]
        self.order_fields(["establishment", "content_code", "expected_cost_vnd", "occurred_on", "notes"])


class CommunicationForm(FieldBaseForm):
    commune = UnitChoiceField(label=_("Commune"), queryset=AdminUnit.objects.none())
    topic = forms.CharField(label=_("Topic"), max_length=300)
    participants = forms.IntegerField(label=_("Number of participants"), min_value=1)

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.order_fields(["commune", "topic", "participants", "occurred_on", "notes"])


class FollowupForm(FieldBaseForm):
    establishment = EstablishmentChoiceField(label=_("Establishment"), queryset=None)

    def __init__(self, *args, establishments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = establishments
        self.order_fields(["establishment", "occurred_on", "notes"])


class ProposalForm(StyledFormMixin, forms.Form):
    """A new establishment found in the field, proposed to the centre."""

    name = forms.CharField(label=_("Name of the establishment"), max_length=250)
    entity_type = forms.ChoiceField(label=_("Kind of establishment"), choices=BLANK + EntityType.choices)
    sme_size = forms.ChoiceField(label=_("Enterprise size (if an enterprise)"), choices=BLANK + SmeSize.choices,
                                 required=False)
    sectors = forms.ModelMultipleChoiceField(label=_("Sectors"), queryset=Sector.objects.order_by("order", "code"),
                                             required=False, widget=forms.CheckboxSelectMultiple)
    main_products = forms.CharField(label=_("Main products"), max_length=300, required=False)
    representative = forms.CharField(label=_("Owner or representative"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    commune = UnitChoiceField(label=_("Commune"), queryset=AdminUnit.objects.none())
    address = forms.CharField(label=_("Address (village, street)"), max_length=300, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    latitude = forms.DecimalField(widget=forms.HiddenInput, required=False, max_digits=12, decimal_places=8)
    longitude = forms.DecimalField(widget=forms.HiddenInput, required=False, max_digits=12, decimal_places=8)
    photo = forms.FileField(label=_("Photo (optional)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp",
                                                                   "capture": "environment"}))

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].widget.attrs["class"] = "form-check-input"  # a list of boxes, not a text field
        if communes is not None:
            self.fields["commune"].queryset = communes

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("photo", "sectors")}


class ProposalReviewForm(StyledFormMixin, forms.Form):
    """The decision comes from the button pressed ("accept" or "reject")."""

    note = forms.CharField(label=_("Note to the collaborator"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(StyledFormMixin, forms.Form):
    """The decision comes from the button pressed ("accept" or "reject")."""

    note = forms.CharField(label=_("Note to the collaborator"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
    establishment_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ConvertForm(StyledFormMixin, forms.Form):
    plan = forms.ModelChoiceField(label=_("Annual plan"), queryset=None, empty_label="—")
    title = forms.CharField(label=_("Project title"), max_length=400, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans


# --- tasks, announcements, fees ---------------------------------------------------------------------------------------


class CollaboratorChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "—")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.code})"


class TaskForm(StyledFormMixin, forms.Form):
    collaborator = CollaboratorChoiceField(label=_("Collaborator"), queryset=None)
    title = forms.CharField(label=_("Task"), max_length=250)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    commune = UnitChoiceField(label=_("Commune"), queryset=AdminUnit.objects.none(), required=False)
    establishment = forms.IntegerField(label=_("Establishment number (optional)"), required=False, min_value=1)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, collaborators=None, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collaborator"].queryset = collaborators
        self.fields["commune"].queryset = communes


class TaskDoneForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("Report"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TaskCancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


class AnnouncementForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Headline"), max_length=250)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))


class FeeActionForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    reference = forms.CharField(label=_("Payment reference (voucher number)"), max_length=120, required=False)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput(), required=False)
