"""Events of KC work — study tours, training courses, workshops and review conferences, fairs — with their
participants, budget, signed attendance, itinerary and booths; and the lessons learned and model practices that every
province can read.

An event belongs to its organiser's current province (that is its scope). Places and hosts keep the unit of the time
(a 2016 tour went to Yên Bái, a legacy unit), and pages show what the unit is today through `geo.Succession`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.accounts.models import Organisation
from khuyencong.core.models import TrackedModel
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import CraftVillage, Establishment, Gender
from khuyencong.rules.models import ContentItem, FundSource

from .vocab import FAIRS, STUDY_TOURS, Audience, EventKind, LineKind, Topic

CURRENT_PROVINCE = {"scheme": "current", "level": "province"}


class EventStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("event status", "Planned")
    APPROVED = "approved", pgettext_lazy("event status", "Approved")
    DONE = "done", _("Held")
    REPORTED = "reported", _("Reported")
    SETTLED = "settled", _("Settled")
    CANCELLED = "cancelled", _("Cancelled")


class Event(TrackedModel):
    """A KC event: who organises it, why, under which content and fund, when and where, and its state."""

    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices, db_index=True)
    audience = models.CharField(_("for whom"), max_length=16, choices=Audience.choices, blank=True)
    title = models.CharField(_("name of the event"), max_length=300)
    organiser = models.ForeignKey(Organisation, verbose_name=_("organiser"), on_delete=models.PROTECT,
                                  related_name="kc_events")
    # The scope: the organiser's current province (national organisers: none, seen by national users only).
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", limit_choices_to=CURRENT_PROVINCE)
    organiser_name_then = models.CharField(
        _("organiser's name at the time"), max_length=250, blank=True,
        help_text=_("When the organiser has since merged or been renamed (e.g. a centre of a former province)."))
    organiser_unit_then = models.ForeignKey(
        AdminUnit, verbose_name=_("organiser's province at the time"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")
    purpose = models.TextField(_("purpose"), blank=True)
    content = models.ForeignKey(ContentItem, verbose_name=_("KC content"), on_delete=models.PROTECT, related_name="+")
    fund = models.CharField(_("fund"), max_length=10, choices=FundSource.choices)
    plan = models.ForeignKey("projects.AnnualPlan", verbose_name=_("annual plan"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="kc_events")
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="kc_events")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.PLANNED,
                              db_index=True)
    status_note = models.CharField(_("note on the status"), max_length=300, blank=True)
    approval_reference = models.CharField(_("approval decision"), max_length=120, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    settlement_reference = models.CharField(_("settlement reference"), max_length=120, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    # Planned size of the delegation before its members are named (the planner's draft).
    planned_state_paid = models.PositiveSmallIntegerField(_("planned state-paid participants"), default=0)
    planned_non_state = models.PositiveSmallIntegerField(_("planned other participants"), default=0)
    # Training courses
    occupation = models.CharField(_("occupation taught"), max_length=200, blank=True)
    planned_trainees = models.PositiveSmallIntegerField(_("planned trainees"), null=True, blank=True)
    # Fairs
    fair_name = models.CharField(_("fair or exhibition"), max_length=300, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "-id"]
        indexes = [
            # the lists, newest first: a page is read from the index instead of sorting every event
            models.Index(fields=["province", "-start_date", "-id"], name="events_prov_date"),
            models.Index(fields=["-start_date", "-id"], name="events_date"),
            models.Index(fields=["kind", "start_date"], name="events_kind_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="events_event_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_study_tour(self) -> bool:
        return self.kind in STUDY_TOURS

    @property
    def is_training(self) -> bool:
        return self.kind == EventKind.TRAINING

    @property
    def is_fair(self) -> bool:
        return self.kind in FAIRS

    @property
    def is_overseas(self) -> bool:
        return self.kind == EventKind.STUDY_TOUR_OVERSEAS

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class EventPlace(models.Model):
    """Where the event took place: a unit of the time (legacy before 1/7/2025, current after)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="places")
    unit = models.ForeignKey(AdminUnit, verbose_name=_("place"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "unit"], name="events_place_once")]

    def __str__(self) -> str:
        return self.unit.name


class BudgetLine(TrackedModel):
    """One cost of the event, the KC support asked for it, the rule's quote (or why there is none), and at settlement
    what was actually spent. Integer đồng."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="budget_lines")
    kind = models.CharField(_("cost"), max_length=12, choices=LineKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_cost_vnd = models.BigIntegerField(_("unit cost (đồng)"))
    amount_vnd = models.BigIntegerField(_("cost (đồng)"))
    support_vnd = models.BigIntegerField(_("KC support asked (đồng)"))
    quote_support_vnd = models.BigIntegerField(_("maximum support by the rule (đồng)"), null=True, blank=True)
    quote = models.JSONField(_("quote"), default=dict, blank=True)
    quote_message = models.CharField(_("why no rate"), max_length=500, blank=True)
    quoted_on = models.DateField(_("quoted on"))
    spent_vnd = models.BigIntegerField(_("spent (đồng)"), null=True, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_cost_vnd__gte=0, amount_vnd__gte=0, support_vnd__gte=0)
                & (Q(spent_vnd__isnull=True) | Q(spent_vnd__gte=0)),
                name="events_line_amounts_positive"),
            models.CheckConstraint(condition=Q(support_vnd__lte=models.F("amount_vnd")),
                                   name="events_line_support_within_cost"),
            models.CheckConstraint(
                condition=Q(quote_support_vnd__isnull=True) | Q(support_vnd__lte=models.F("quote_support_vnd")),
                name="events_line_support_within_quote"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount_vnd}"

    @property
    def has_rate(self) -> bool:
        return self.quote_support_vnd is not None

    @property
    def settled_support_vnd(self) -> int | None:
        """The support paid at settlement: what was asked, but never more than what was spent."""
        if self.spent_vnd is None:
            return None
        return min(self.spent_vnd, self.support_vnd)


class ParticipantRole(models.TextChoices):
    HEAD = "head", _("Head of delegation")
    MEMBER = "member", _("Member")
    TRAINEE = "trainee", _("Trainee")
    TEACHER = "teacher", _("Teacher")
    SPEAKER = "speaker", _("Speaker")
    EXHIBITOR = "exhibitor", _("Exhibitor")
    ORGANISER = "organiser", _("Organising staff")
    HOST = "host", _("Host")


class Origin(models.TextChoices):
    DOIT = "doit", _("Department of Industry and Trade")
    CENTRE = "centre", _("KC centre")
    COMMUNE_OFFICE = "commune_office", _("Commune or district office")
    COLLABORATOR = "collaborator", _("KC collaborator")
    ESTABLISHMENT = "establishment", _("Establishment")
    HOST = "host", _("Host province")
    OTHER = "other", _("Other")


# State-paid by default: public servants draw their salary and per-diem from their own agency.
STATE_PAID_ORIGINS = (Origin.DOIT, Origin.CENTRE, Origin.COMMUNE_OFFICE)


class TrainingResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", pgettext_lazy("training result", "Failed")
    DROPPED = "dropped", _("Dropped out")


class Participant(TrackedModel):
    """A person taking part, with their role and origin; establishments, collaborators and organisations are linked
    records. Trainees carry their result, certificate and employment after the course."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    full_name = models.CharField(_("full name"), max_length=150)
    name_folded = models.CharField(max_length=150, editable=False, default="")
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=ParticipantRole.choices)
    origin = models.CharField(pgettext_lazy("participant", "origin"), max_length=16, choices=Origin.choices)
    state_paid = models.BooleanField(
        _("state-paid"), default=False,
        help_text=_("Paid from the state budget (civil servants): their per-diem is not paid from the event."))
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    organisation_name = models.CharField(_("organisation as named at the time"), max_length=250, blank=True)
    establishment = models.ForeignKey(Establishment, verbose_name=_("establishment"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="event_participations")
    collaborator = models.ForeignKey("network.Collaborator", verbose_name=_("collaborator"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="event_participations")
    result = models.CharField(_("result"), max_length=8, choices=TrainingResult.choices, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True)
    employed = models.BooleanField(_("employed after the course"), default=False)
    employer = models.ForeignKey(Establishment, verbose_name=_("employer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="trainees_employed")
    employer_name = models.CharField(_("employer (when not in the registry)"), max_length=250, blank=True)
    employment_confirmation = models.CharField(
        _("employer's confirmation"), max_length=150, blank=True,
        help_text=_("Number and date of the employer's confirmation letter or labour contract."))
    employment_confirmation_file = models.FileField(_("confirmation (scan)"), upload_to="events/employment/%Y/%m/",
                                                    blank=True)
    employed_from = models.DateField(_("employed from"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["event", "id"]
        indexes = [models.Index(fields=["event", "role"], name="events_part_event_role")]
        constraints = [
            models.CheckConstraint(condition=~Q(origin="establishment") | Q(establishment__isnull=False),
                                   name="events_part_establishment_linked"),
            models.CheckConstraint(condition=Q(employed=False) | ~Q(employment_confirmation=""),
                                   name="events_part_employment_confirmed"),
        ]

    def __str__(self) -> str:
        return self.full_name


class AttendanceSheet(models.Model):
    """The signed attendance list of one day (a scan or photo), the document settlement needs."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance_sheets")
    day = models.DateField(_("day"))
    file = models.FileField(_("signed list"), upload_to="events/attendance/%Y/%m/")
    original_name = models.CharField(max_length=250)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signed attendance list")
        verbose_name_plural = _("signed attendance lists")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["event", "day"], name="events_sheet_day_once")]

    def __str__(self) -> str:
        return f"{self.event} {self.day:%d/%m/%Y}"


class Attendance(models.Model):
    """A participant present on a day, as the signed list of that day shows."""

    sheet = models.ForeignKey(AttendanceSheet, on_delete=models.CASCADE, related_name="entries")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendances")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "participant"], name="events_attendance_once")]

    def __str__(self) -> str:
        return f"{self.participant_id}@{self.sheet_id}"


class CurriculumItem(models.Model):
    """One module of a training course's programme (the Mẫu 12 table): what is taught, hours, by whom."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="curriculum")
    order = models.PositiveSmallIntegerField(default=0)
    subject = models.CharField(_("module"), max_length=300)
    theory_hours = models.PositiveSmallIntegerField(_("theory (hours)"), default=0)
    practice_hours = models.PositiveSmallIntegerField(_("practice (hours)"), default=0)
    teacher = models.ForeignKey(Participant, verbose_name=_("teacher"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="modules")

    class Meta:
        verbose_name = _("curriculum module")
        verbose_name_plural = _("curriculum")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.subject


class ItineraryDay(models.Model):
    """A day of a study tour: the host province and organisation, what was done, the topics discussed."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="itinerary")
    day = models.DateField(_("day"))
    host_province = models.ForeignKey(AdminUnit, verbose_name=_("host province"), on_delete=models.PROTECT,
                                      related_name="+")
    host_organisation = models.ForeignKey(Organisation, verbose_name=_("host organisation"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    host_name = models.CharField(_("host as named at the time"), max_length=250, blank=True)
    activities = models.TextField(_("activities"), blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)

    class Meta:
        verbose_name = _("itinerary day")
        verbose_name_plural = _("itinerary")
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.host_province}"

    @property
    def topic_labels(self) -> list[str]:
        return [str(Topic(t).label) for t in self.topics if t in Topic.values]


class SiteKind(models.TextChoices):
    ESTABLISHMENT = "establishment", _("Establishment")
    DEMO_MODEL = "demo_model", _("Demonstration model")
    PROJECT = "project", _("KC project")
    CRAFT_VILLAGE = "craft_village", _("Craft village")
    CLUSTER = "cluster", _("Industrial cluster")
    OFFICE = "office", _("Office meeting")
    OTHER = "other", _("Other")


class SiteVisit(models.Model):
    """A site visited on a day, linked to the host province's record when the system has it."""

    day = models.ForeignKey(ItineraryDay, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(_("kind of site"), max_length=16, choices=SiteKind.choices)
    name = models.CharField(_("site"), max_length=300)
    establishment = models.ForeignKey(Establishment, verbose_name=_("establishment"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="study_visits")
    craft_village = models.ForeignKey(CraftVillage, verbose_name=_("craft village"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="study_visits")
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="study_visits")
    note = models.TextField(_("what was seen"), blank=True)

    class Meta:
        verbose_name = _("site visited")
        verbose_name_plural = _("sites visited")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Booth(TrackedModel):
    """An establishment's booth at a fair, its price and the KC support the rules allow for it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="booths")
    establishment = models.ForeignKey(Establishment, verbose_name=_("establishment"), on_delete=models.PROTECT,
                                      related_name="fair_booths")
    number = models.CharField(_("booth number"), max_length=20)
    products = models.CharField(_("products shown"), max_length=300, blank=True)
    price_vnd = models.BigIntegerField(_("booth price (đồng)"))
    support_vnd = models.BigIntegerField(_("KC support (đồng)"))
    quote_support_vnd = models.BigIntegerField(_("maximum support by the rule (đồng)"), null=True, blank=True)
    quote = models.JSONField(_("quote"), default=dict, blank=True)
    quote_message = models.CharField(_("why no rate"), max_length=500, blank=True)
    certified = models.BooleanField(_("exhibited (certified for settlement)"), default=False)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)

    class Meta:
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        ordering = ["event", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="events_booth_number_once"),
            models.CheckConstraint(condition=Q(price_vnd__gte=0, support_vnd__gte=0), name="events_booth_positive"),
            models.CheckConstraint(condition=Q(support_vnd__lte=models.F("price_vnd")),
                                   name="events_booth_support_within_price"),
            models.CheckConstraint(
                condition=Q(quote_support_vnd__isnull=True) | Q(support_vnd__lte=models.F("quote_support_vnd")),
                name="events_booth_support_within_quote"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.establishment}"


class MissionReport(TrackedModel):
    """The mission report (báo cáo kết quả chuyến công tác): pre-filled from the data, edited, then signed; once
    signed its text no longer changes."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="mission_report")
    issuing_body = models.CharField(_("issuing body"), max_length=250)
    governing_body = models.CharField(_("governing body"), max_length=250, blank=True)
    number = models.CharField(_("number"), max_length=60, blank=True)
    place = models.CharField(_("place of issue"), max_length=100)
    report_date = models.DateField(_("date"))
    recipients = models.TextField(_("recipients"), blank=True)
    body = models.TextField(_("text"))
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    signer_name = models.CharField(_("signer"), max_length=150, blank=True)
    signed = models.BooleanField(_("signed"), default=False)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        verbose_name = _("mission report")
        verbose_name_plural = _("mission reports")

    def __str__(self) -> str:
        return f"{self.number or '—'} {self.event}"


# --- lessons learned and model practices


class Lesson(TrackedModel):
    """A lesson learned: the practice observed where (province, organisation, site), why it works and how to apply it
    at home. Every province reads it; only the author's province edits it."""

    topic = models.CharField(_("topic"), max_length=24, choices=Topic.choices, db_index=True)
    title = models.CharField(_("lesson"), max_length=300)
    practice = models.TextField(_("practice observed"))
    province = models.ForeignKey(AdminUnit, verbose_name=_("province (today)"), on_delete=models.PROTECT,
                                 related_name="+", limit_choices_to=CURRENT_PROVINCE)
    place_then = models.ForeignKey(AdminUnit, verbose_name=_("province at the time"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    organisation_name = models.CharField(_("organisation as named at the time"), max_length=250, blank=True)
    site = models.CharField(_("site"), max_length=300, blank=True)
    establishment = models.ForeignKey(Establishment, verbose_name=_("establishment"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    why_it_works = models.TextField(_("why it works"), blank=True)
    how_to_apply = models.TextField(_("how to apply it at home"), blank=True)
    event = models.ForeignKey(Event, verbose_name=_("study tour"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="lessons")
    observed_on = models.DateField(_("observed on"), null=True, blank=True)
    author_province = models.ForeignKey(AdminUnit, verbose_name=_("author's province"), on_delete=models.PROTECT,
                                        related_name="+", limit_choices_to=CURRENT_PROVINCE)
    author_organisation = models.ForeignKey(Organisation, verbose_name=_("author's organisation"), null=True,
                                            blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")
        ordering = ["-observed_on", "-id"]
        indexes = [models.Index(fields=["province", "topic"], name="events_lesson_prov_topic")]

    def __str__(self) -> str:
        return self.title


class FollowUpKind(models.TextChoices):
    POLICY = "policy", _("Policy proposal")
    NETWORK_RULE = "network_rule", _("Change to the collaborator network rules")
    PROJECT_IDEA = "project_idea", _("New project idea")
    OTHER = "other", _("Other")


class FollowUpStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    IN_PROGRESS = "in_progress", _("In progress")
    ADOPTED = "adopted", _("Adopted")
    DROPPED = "dropped", _("Dropped")


class FollowUp(TrackedModel):
    """What the lesson should lead to at home, who owns it and where it stands — so a lesson that led to change
    shows it."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="followups")
    kind = models.CharField(_("kind"), max_length=14, choices=FollowUpKind.choices)
    proposal = models.TextField(_("proposal"))
    owner = models.CharField(_("owner"), max_length=200)
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.PROPOSED)
    outcome = models.TextField(_("outcome"), blank=True)
    project = models.ForeignKey("projects.Project", verbose_name=_("resulting project"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.proposal[:80]


class ModelPractice(TrackedModel):
    """A practice a province marks as its own model (mô hình tiêu biểu), with the evidence, for others to visit."""

    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    topic = models.CharField(_("topic"), max_length=24, choices=Topic.choices, db_index=True)
    title = models.CharField(_("model practice"), max_length=300)
    description = models.TextField(_("description"))
    evidence = models.TextField(_("evidence"), help_text=_("Figures, decisions, results that show it works."))
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    establishment = models.ForeignKey(Establishment, verbose_name=_("establishment"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    since = models.DateField(_("in place since"), null=True, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("model practice")
        verbose_name_plural = _("model practices")
        ordering = ["province__code", "topic", "id"]
        indexes = [models.Index(fields=["province", "topic"], name="events_practice_prov_topic")]

    def __str__(self) -> str:
        return self.title
