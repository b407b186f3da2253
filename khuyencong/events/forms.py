"""Input forms of the events module. They parse what people type; the services make the domain checks and the views
show their refusals on the fields, keeping what was typed."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts.models import Organisation
from khuyencong.core.forms import DateInput, StyledFormMixin, VndField
from khuyencong.geo.models import REFORM_DATE, AdminUnit
from khuyencong.rules.models import ContentItem, FundSource

from .models import (
    FollowUpKind,
    FollowUpStatus,
    Origin,
    ParticipantRole,
    SiteKind,
    TrainingResult,
)
from .vocab import KIND_CONTENTS, Audience, EventKind, LineKind, Topic


class Styled(StyledFormMixin):
    """Bootstrap classes, and "—" as the empty choice of every select (Django's own has no Vietnamese)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
                field.empty_label = "—"


class CheckboxList(forms.CheckboxSelectMultiple):
    """One Bootstrap checkbox per choice (not the shared template's lone yes/no box, which would post "on")."""

    input_type = "checkbox-list"
    template_name = "events/widgets/checkbox_list.html"


def _provinces(scheme: str):
    return AdminUnit.objects.filter(scheme=scheme, level="province").order_by("name")


ALL_EVENT_CONTENTS = sorted({code for codes in KIND_CONTENTS.values() for code in codes})


class EventForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    audience = forms.ChoiceField(label=_("For whom (study tours)"), choices=[("", "—"), *Audience.choices],
                                 required=False)
    title = forms.CharField(label=_("Name of the event"), max_length=300)
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Organisation.objects.none())
    content = forms.ModelChoiceField(label=_("KC content of the event"), queryset=ContentItem.objects.none(),
                                     help_text=_("Study tours of KC officials: capacity of the KC system (Art 4.9); "
                                                 "of establishments: study tours for establishments (Art 4.2)."))
    fund = forms.ChoiceField(label=_("Fund"), choices=FundSource.choices)
    start_date = forms.DateField(label=_("From"), widget=DateInput())
    end_date = forms.DateField(label=_("Until"), widget=DateInput())
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    plan = forms.ModelChoiceField(label=_("Annual plan"), queryset=None, required=False)
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, required=False)
    occupation = forms.CharField(label=_("Occupation taught (training)"), max_length=200, required=False)
    planned_trainees = forms.IntegerField(label=_("Planned trainees (training)"), min_value=0, required=False)
    fair_name = forms.CharField(label=_("Fair or exhibition (fairs)"), max_length=300, required=False)
    planned_state_paid = forms.IntegerField(label=_("Planned state-paid participants"), min_value=0, required=False)
    planned_non_state = forms.IntegerField(label=_("Planned other participants"), min_value=0, required=False)
    organiser_name_then = forms.CharField(label=_("Organiser's name at the time"), max_length=250, required=False,
                                          help_text=_("For a past event of a centre that has since merged."))
    organiser_unit_then = forms.ModelChoiceField(label=_("Organiser's province at the time"), required=False,
                                                 queryset=_provinces("legacy"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisations, plans, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisations
        self.fields["content"].queryset = ContentItem.objects.filter(code__in=ALL_EVENT_CONTENTS)
        self.fields["plan"].queryset = plans
        self.fields["project"].queryset = projects

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class PlaceForm(Styled, forms.Form):
    unit = forms.ModelChoiceField(label=_("Province"), queryset=AdminUnit.objects.none())

    def __init__(self, *args, on_date: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _provinces("legacy" if on_date < REFORM_DATE else "current")


class BudgetLineForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=_("Cost"), choices=LineKind.choices)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    unit_cost = VndField(label=_("Unit cost (đồng)"))
    support = VndField(label=_("KC support asked (đồng)"), required=False,
                       help_text=_("Empty: the most the rule allows (nothing where no rate is verified)."))


class SpentForm(Styled, forms.Form):
    spent = VndField(label=_("Spent (đồng)"))


class ParticipantForm(Styled, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False,
                                help_text=_("Empty for a collaborator: the network's record gives it."))
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices)
    origin = forms.ChoiceField(label=_("Origin"), choices=Origin.choices)
    state_paid = forms.ChoiceField(label=_("State-paid"), required=False, choices=[
        ("", _("As usual for the origin")), ("yes", _("Yes")), ("no", _("No"))])
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=[("", "—"), ("male", _("Male")), ("female", _("Female"))])
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=15, required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          required=False)
    organisation_name = forms.CharField(label=_("Organisation as named at the time"), max_length=250, required=False)
    establishment = forms.ModelChoiceField(label=_("Establishment"), queryset=None, required=False)
    collaborator = forms.ModelChoiceField(label=_("Collaborator"), queryset=None, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisations, establishments, collaborators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["establishment"].queryset = establishments
        self.fields["collaborator"].queryset = collaborators

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["state_paid"] = {"yes": True, "no": False}.get(data.get("state_paid") or "")
        return data


class ResultForm(Styled, forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=TrainingResult.choices)
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=60, required=False)
    certificate_issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput())


class EmploymentForm(Styled, forms.Form):
    employed = forms.BooleanField(label=_("Employed after the course"), required=False)
    employer = forms.ModelChoiceField(label=_("Employer (registry)"), queryset=None, required=False)
    employer_name = forms.CharField(label=_("Employer (when not in the registry)"), max_length=250, required=False)
    confirmation = forms.CharField(label=_("Employer's confirmation (number, date)"), max_length=150, required=False)
    employed_from = forms.DateField(label=_("Employed from"), required=False, widget=DateInput())
    file = forms.FileField(label=_("Confirmation (scan)"), required=False)

    def __init__(self, *args, establishments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = establishments


class AttendanceForm(Styled, forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), coerce=datetime.date.fromisoformat)
    file = forms.FileField(label=_("Signed list (PDF, JPEG or PNG, at most 10 MB)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
    present = forms.MultipleChoiceField(label=_("Who signed"), widget=CheckboxList, required=False)

    def __init__(self, *args, days, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(d.isoformat(), d.strftime("%d/%m/%Y")) for d in days]
        self.fields["present"].choices = [(str(p.pk), p.full_name) for p in participants]


class CurriculumForm(Styled, forms.Form):
    subject = forms.CharField(label=_("Module"), max_length=300)
    theory_hours = forms.IntegerField(label=_("Theory (hours)"), min_value=0, initial=0)
    practice_hours = forms.IntegerField(label=_("Practice (hours)"), min_value=0, initial=0)
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=None, required=False)

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers


class DayForm(Styled, forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), coerce=datetime.date.fromisoformat)
    host_province = forms.ModelChoiceField(label=_("Host province"), queryset=AdminUnit.objects.none())
    host_organisation = forms.ModelChoiceField(label=_("Host organisation (today's record)"), required=False,
                                               queryset=Organisation.objects.none())
    host_name = forms.CharField(label=_("Host as named at the time"), max_length=250, required=False)
    activities = forms.CharField(label=_("Activities"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    topics = forms.MultipleChoiceField(label=_("Topics discussed"), choices=Topic.choices, widget=CheckboxList,
                                       required=False)

    def __init__(self, *args, days, provinces, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(d.isoformat(), d.strftime("%d/%m/%Y")) for d in days]
        self.fields["host_province"].queryset = provinces
        self.fields["host_organisation"].queryset = organisations


class VisitForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of site"), choices=SiteKind.choices)
    name = forms.CharField(label=_("Site"), max_length=300, required=False,
                           help_text=_("Empty when a linked record names it."))
    establishment = forms.ModelChoiceField(label=_("Establishment of the host province"), queryset=None,
                                           required=False)
    craft_village = forms.ModelChoiceField(label=_("Craft village"), queryset=None, required=False)
    note = forms.CharField(label=_("What was seen"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, establishments, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = establishments
        self.fields["craft_village"].queryset = villages


class BoothForm(Styled, forms.Form):
    establishment = forms.ModelChoiceField(label=_("Establishment"), queryset=None)
    number = forms.CharField(label=_("Booth number"), max_length=20)
    products = forms.CharField(label=_("Products shown"), max_length=300, required=False)
    price = VndField(label=_("Booth price (đồng)"))
    support = VndField(label=_("KC support (đồng)"), required=False,
                       help_text=_("Empty: the most the rule allows (nothing where no rate is verified)."))

    def __init__(self, *args, establishments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = establishments


class ReportForm(Styled, forms.Form):
    governing_body = forms.CharField(label=_("Governing body"), max_length=250, required=False)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=250)
    number = forms.CharField(label=_("Number"), max_length=60, required=False, help_text=_("e.g. 25/BC-TTKC"))
    place = forms.CharField(label=_("Place of issue"), max_length=100)
    report_date = forms.DateField(label=_("Date"), widget=DateInput())
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 24, "class": "font-monospace"}))
    recipients = forms.CharField(label=_("Recipients"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=150, required=False,
                                   help_text=_("A deputy signing for the head: “KT. Giám đốc / Phó Giám đốc”."))
    signer_name = forms.CharField(label=_("Signer"), max_length=150, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class LessonForm(Styled, forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    title = forms.CharField(label=_("Lesson"), max_length=300)
    practice = forms.CharField(label=_("Practice observed"), widget=forms.Textarea(attrs={"rows": 4}))
    province = forms.ModelChoiceField(label=_("Where (today's province)"), queryset=_provinces("current"))
    place_then = forms.ModelChoiceField(label=_("Province at the time (before 1/7/2025)"), required=False,
                                        queryset=_provinces("legacy"))
    organisation_name = forms.CharField(label=_("Organisation"), max_length=250, required=False)
    site = forms.CharField(label=_("Site"), max_length=300, required=False)
    why_it_works = forms.CharField(label=_("Why it works"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    how_to_apply = forms.CharField(label=_("How to apply it at home"), widget=forms.Textarea(attrs={"rows": 3}),
                                   required=False)
    observed_on = forms.DateField(label=_("Observed on"), required=False, widget=DateInput())
    event = forms.ModelChoiceField(label=_("Study tour"), queryset=None, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, tours, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = tours

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class FollowUpForm(Styled, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FollowUpKind.choices)
    proposal = forms.CharField(label=_("Proposal"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Owner"), max_length=200)
    due_date = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PracticeForm(Styled, forms.Form):
    province = forms.ModelChoiceField(label=_("Province"), queryset=AdminUnit.objects.none())
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    title = forms.CharField(label=_("Model practice"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Figures, decisions, results that show it works."))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          required=False)
    since = forms.DateField(label=_("In place since"), required=False, widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, provinces, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        self.fields["organisation"].queryset = organisations

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class PlannerForm(Styled, forms.Form):
    home = forms.ModelChoiceField(label=_("Home province"), queryset=AdminUnit.objects.none())
    topics = forms.MultipleChoiceField(label=_("What do you want to learn?"), choices=Topic.choices,
                                       widget=CheckboxList)

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home"].queryset = provinces


class DraftForm(Styled, forms.Form):
    """The tour drafted from the planner. Each ranked province has a visiting-order box: the provinces given a number
    are the hosts, visited in that order (cleaned_data["hosts"]); the itinerary and budget follow it."""

    home = forms.ModelChoiceField(label=_("Home province"), queryset=AdminUnit.objects.none(),
                                  widget=forms.HiddenInput)
    topics = forms.MultipleChoiceField(choices=Topic.choices, widget=forms.MultipleHiddenInput)
    title = forms.CharField(label=_("Name of the tour"), max_length=300, required=False,
                            help_text=_("Empty: named after the hosts and topics."))
    start_date = forms.DateField(label=_("First day"), widget=DateInput())
    days_per_host = forms.IntegerField(label=_("Days per host"), min_value=1, max_value=5, initial=1)
    audience = forms.ChoiceField(label=_("For whom"), choices=Audience.choices)
    fund = forms.ChoiceField(label=_("Fund"), choices=FundSource.choices, initial=FundSource.LOCAL)
    state_paid = forms.IntegerField(label=_("State-paid participants"), min_value=0, initial=0)
    non_state = forms.IntegerField(label=_("Other participants (collaborators, establishments)"), min_value=0,
                                   initial=0)
    transport_cost = VndField(label=_("Transport, whole tour (đồng)"), required=False,
                              help_text=_("Empty: the rate of the rules, when there is one."))
    per_diem = VndField(label=_("Per-diem per person and day (đồng)"), required=False,
                        help_text=_("Empty: the rate of the rules, when there is one."))
    lodging = VndField(label=_("Lodging per person and night (đồng)"), required=False,
                       help_text=_("Empty: the rate of the rules for each destination, when there is one."))
    materials = VndField(label=_("Documents per person (đồng)"), required=False,
                         help_text=_("Empty: the rate of the rules, when there is one."))

    def __init__(self, *args, provinces, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home"].queryset = provinces
        self.host_choices = list(hosts)
        for host in self.host_choices:
            self.fields[self.order_name(host)] = forms.IntegerField(
                label=host.name, required=False, min_value=1, max_value=len(self.host_choices),
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "inputmode": "numeric"}))

    @staticmethod
    def order_name(host) -> str:
        return f"order_{host.pk}"

    def host_orders(self):
        """The visiting-order boxes, in the planner's ranking, each with its province."""
        return [(host, self[self.order_name(host)]) for host in self.host_choices]

    def clean(self):
        data = super().clean()
        chosen = [(data.get(self.order_name(h)), rank, h) for rank, h in enumerate(self.host_choices)
                  if data.get(self.order_name(h)) is not None]
        numbers = [n for n, _rank, _h in chosen]
        if len(set(numbers)) < len(numbers):
            raise forms.ValidationError(_("Give each host its own visiting order: two hosts have the same number."),
                                        code="order")
        if not chosen and not any(self.order_name(h) in self.errors for h in self.host_choices):
            raise forms.ValidationError(_("Give at least one province a visiting order (1, 2…)."), code="order")
        data["hosts"] = [h for _n, _rank, h in sorted(chosen)]
        return data
