"""Reads of the events module shared by pages, exports and the API.

Events are scoped by their organiser's province. Lessons learned and model practices are read by every province
(that is their point): their lists take the user only to say what each user may change.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from khuyencong.accounts.scope import user_scope
from khuyencong.core.audit import audit_events_for
from khuyencong.core.text import fold

from .flows import event_flow
from .models import (
    Attendance,
    AttendanceSheet,
    Booth,
    BudgetLine,
    CurriculumItem,
    Event,
    EventPlace,
    EventStatus,
    FollowUp,
    FollowUpStatus,
    ItineraryDay,
    Lesson,
    MissionReport,
    ModelPractice,
    Participant,
    ParticipantRole,
    SiteVisit,
)
from .permissions import HELD, budget_open, event_abilities
from .vocab import EventKind


def _words(q: str, column: str = "search_text") -> Q:
    """Every syllable of the query appears in the folded text ("cong tac vien" without diacritics)."""
    condition = Q()
    for word in fold(q).split():
        condition &= Q(**{f"{column}__contains": word})
    return condition


def _phrase_first(q: str, column: str = "search_text"):
    """0 where the whole query appears as typed (Vietnamese words are several syllables: "công tác viên"), 1 where
    only its syllables do, so the exact phrase comes first."""
    phrase = " ".join(fold(q).split())
    return Case(When(**{f"{column}__contains": phrase}, then=Value(0)), default=Value(1),
                output_field=IntegerField())


# --- events


@dataclass
class EventFilters:
    q: str = ""
    kind: str = ""
    status: str = ""
    year: int | None = None
    province: int | None = None  # current province code of the organiser
    topic: str = ""
    month: datetime.date | None = None  # first day of a month: events overlapping it


def _count(model, *, link: str, **filters) -> Subquery:
    rows = model.objects.filter(**{link: OuterRef("pk")}, **filters).order_by().values(link).annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")[:1], output_field=IntegerField()), 0)


# Places with today's units of the former ones (pages show "Yên Bái — today Lào Cai").
PLACES = Prefetch("places", queryset=EventPlace.objects.select_related("unit").prefetch_related(
    "unit__successors__current"))


def event_list(*, user, filters: EventFilters | None = None) -> QuerySet[Event]:
    f = filters or EventFilters()
    qs = user_scope(user).filter(Event.objects.all(), province="province_id")
    relevance = Value(0, output_field=IntegerField())
    if f.q.strip():
        qs = qs.filter(_words(f.q))
        relevance = _phrase_first(f.q)
    if f.kind == "study_tour":
        qs = qs.filter(kind__in=(EventKind.STUDY_TOUR_DOMESTIC, EventKind.STUDY_TOUR_OVERSEAS))
    elif f.kind == "fair":
        qs = qs.filter(kind__in=(EventKind.FAIR_ORGANISED, EventKind.FAIR_ATTENDED))
    elif f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.year:
        qs = qs.filter(start_date__year__lte=f.year, end_date__year__gte=f.year)
    if f.province is not None:
        qs = qs.filter(province__code=f.province)
    if f.topic:
        qs = qs.filter(Exists(ItineraryDay.objects.filter(event=OuterRef("pk"), topics__icontains=f'"{f.topic}"')))
    if f.month is not None:
        first = f.month.replace(day=1)
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        qs = qs.filter(start_date__lte=last, end_date__gte=first)
    return (
        qs.select_related("organiser", "province", "content", "organiser_unit_then")
        .prefetch_related(PLACES, "organiser_unit_then__successors__current")
        .annotate(n_participants=_count(Participant, link="event"), n_lessons=_count(Lesson, link="event"),
                  relevance=relevance)
        .order_by("relevance", "-start_date", "-id")
    )


VISITS = Prefetch("visits", queryset=SiteVisit.objects.select_related("establishment", "craft_village", "project"))


def event_get(*, user, pk: int) -> Event | None:
    qs = user_scope(user).filter(Event.objects.all(), province="province_id")
    return (
        qs.select_related("organiser__parent", "province", "content", "organiser_unit_then", "plan", "project",
                          "mission_report")
        .prefetch_related(
            PLACES, "organiser_unit_then__successors__current",
            Prefetch("itinerary", queryset=ItineraryDay.objects.select_related("host_province", "host_organisation")
                     .prefetch_related("host_province__successors__current", VISITS)),
            Prefetch("participants", queryset=Participant.objects.select_related(
                "establishment", "organisation", "collaborator", "employer").order_by("role", "id")),
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("id")),
            Prefetch("booths", queryset=Booth.objects.select_related("establishment__commune")),
            Prefetch("attendance_sheets", queryset=AttendanceSheet.objects.annotate(
                n_present=Count("entries")).select_related("uploaded_by")),
            Prefetch("curriculum", queryset=CurriculumItem.objects.select_related("teacher")),
            Prefetch("lessons", queryset=Lesson.objects.select_related("province").prefetch_related("followups")),
        )
        .filter(pk=pk)
        .first()
    )


@dataclass
class BudgetSummary:
    cost: int = 0
    support: int = 0
    quoted_max: int = 0  # sum of the rule's maxima where a rate exists
    lines_without_rate: int = 0
    spent: int | None = None
    settled_support: int | None = None


def budget_summary(event: Event) -> BudgetSummary:
    lines = list(event.budget_lines.all())
    summary = BudgetSummary(
        cost=sum(x.amount_vnd for x in lines), support=sum(x.support_vnd for x in lines),
        quoted_max=sum(x.quote_support_vnd for x in lines if x.quote_support_vnd is not None),
        lines_without_rate=sum(1 for x in lines if x.quote_support_vnd is None))
    if lines and all(x.spent_vnd is not None for x in lines):
        summary.spent = sum(x.spent_vnd for x in lines)
        summary.settled_support = sum(x.settled_support_vnd for x in lines)
    return summary


def attendance_matrix(event: Event) -> dict:
    """Days of the event × participants: who signed which day's list (one query for the entries)."""
    sheets = {s.day: s for s in event.attendance_sheets.all()}
    present = set(Attendance.objects.filter(sheet__event=event).values_list("sheet__day", "participant_id"))
    days = [event.start_date + datetime.timedelta(days=i) for i in range(event.days)]
    return {"days": days, "sheets": sheets, "present": present}


def mission_report_of(event: Event) -> MissionReport | None:
    """The tour's mission report, or None before one is drafted."""
    return event.mission_report if hasattr(event, "mission_report") else None


def event_page(*, user, event: Event, on_date: datetime.date) -> dict:
    """What the event's page shows (and the API can give): the actions of its state with their reasons, what the
    user may still change (`can`, each with its reason), the budget's totals, the participants and the signed
    attendance. `event` comes from `event_get` (its relations prefetched)."""
    participants = list(event.participants.all())
    members = [p for p in participants if p.role != ParticipantRole.HOST]
    can = event_abilities(user, event)
    return {
        "event": event,
        "actions": event_flow.options(event, user, on_date=on_date),
        "can": can,
        # The budget's refusal is worth showing while it can still change (a role missing, not the approval).
        "budget_note": "" if can["budget"] or not budget_open(event) else can["budget"].reason,
        "budget": budget_summary(event),
        "participants": participants,
        "members": members,
        "trainees": [p for p in participants if p.role == ParticipantRole.TRAINEE],
        "state_paid_count": sum(1 for p in members if p.state_paid),
        "matrix": attendance_matrix(event),
        "itinerary": list(event.itinerary.all()),
        "report": mission_report_of(event),
        "history": audit_events_for(event)[:50],
        "today": on_date,
    }


# --- training results (a reporting indicator)


@dataclass
class TrainingResults:
    courses: int = 0
    trainees: int = 0
    trainees_attended: int = 0  # on at least one signed attendance list
    trainees_certified: int = 0
    trainees_employed: int = 0  # with the employer's confirmation
    by_course: list[dict] = field(default_factory=list)

    @property
    def employment_rate(self) -> float | None:
        return self.trainees_employed / self.trainees if self.trainees else None


def training_courses(*, user, year: int | None = None) -> QuerySet[Event]:
    qs = user_scope(user).filter(Event.objects.filter(kind=EventKind.TRAINING, status__in=HELD),
                                 province="province_id")
    if year:
        qs = qs.filter(end_date__year=year)
    trainee = Q(participants__role=ParticipantRole.TRAINEE)
    return (
        qs.select_related("organiser", "province")
        .annotate(
            n_trainees=Count("participants", filter=trainee, distinct=True),
            n_attended=Count("participants", filter=trainee & Q(participants__attendances__isnull=False),
                             distinct=True),
            n_certified=Count("participants", filter=trainee & ~Q(participants__certificate_number=""),
                              distinct=True),
            n_employed=Count("participants", filter=trainee & Q(participants__employed=True), distinct=True),
        )
        .order_by("-end_date", "-id")
    )


def training_results(*, user, year: int | None = None) -> TrainingResults:
    """The training indicator for reports: courses held (in the year they ended), trainees, trainees on a signed
    attendance list, certified, and employed with the employer's confirmation — within the user's scope."""
    result = TrainingResults()
    for course in training_courses(user=user, year=year):
        result.courses += 1
        result.trainees += course.n_trainees
        result.trainees_attended += course.n_attended
        result.trainees_certified += course.n_certified
        result.trainees_employed += course.n_employed
        result.by_course.append({"event": course, "trainees": course.n_trainees, "attended": course.n_attended,
                                 "certified": course.n_certified, "employed": course.n_employed})
    return result


# --- lessons and model practices


@dataclass
class LessonFilters:
    q: str = ""
    topic: str = ""
    province: int | None = None  # current province code where the practice was observed
    changed: bool = False  # only lessons with an adopted follow-up


def lesson_list(*, user=None, filters: LessonFilters | None = None) -> QuerySet[Lesson]:
    """Every province's lessons: national reading, on purpose."""
    f = filters or LessonFilters()
    qs = Lesson.objects.all()
    relevance = Value(0, output_field=IntegerField())
    if f.q.strip():
        qs = qs.filter(_words(f.q))
        relevance = _phrase_first(f.q)
    if f.topic:
        qs = qs.filter(topic=f.topic)
    if f.province is not None:
        qs = qs.filter(province__code=f.province)
    if f.changed:
        qs = qs.filter(Exists(FollowUp.objects.filter(lesson=OuterRef("pk"), status=FollowUpStatus.ADOPTED)))
    return (
        qs.select_related("province", "place_then", "author_province", "organisation", "event")
        .prefetch_related("place_then__successors__current")
        .annotate(n_followups=_count(FollowUp, link="lesson"),
                  n_adopted=_count(FollowUp, link="lesson", status=FollowUpStatus.ADOPTED), relevance=relevance)
        .order_by("relevance", "-observed_on", "-id")
    )


def lesson_get(*, user=None, pk: int) -> Lesson | None:
    return (
        Lesson.objects.select_related("province", "place_then", "author_province", "organisation", "event__province",
                                      "establishment", "author", "author_organisation")
        .prefetch_related(Prefetch("followups", queryset=FollowUp.objects.select_related("project")),
                          "place_then__successors__current")
        .filter(pk=pk).first()
    )


def practice_list(*, q: str = "", topic: str = "", province: int | None = None) -> QuerySet[ModelPractice]:
    qs = ModelPractice.objects.all()
    if q.strip():
        qs = qs.filter(_words(q)).annotate(relevance=_phrase_first(q)).order_by("relevance")
    if topic:
        qs = qs.filter(topic=topic)
    if province is not None:
        qs = qs.filter(province__code=province)
    ordering = ["relevance"] if q.strip() else []
    return qs.select_related("province", "organisation", "establishment", "project").order_by(
        *ordering, "province__code", "id")


# --- what an establishment's page could show (for the registry's timeline)


def establishment_event_items(*, establishment) -> list[dict]:
    """Trainings, study tours and fairs an establishment took part in, and study tours that visited it, in the
    shape of registry.selectors.establishment_timeline items (one query: the three sources as a UNION ALL)."""
    amount = Value(None, output_field=BigIntegerField())
    columns = ("on", "kind", "title", "fund", "amount", "content")
    took_part = (Participant.objects.filter(establishment=establishment)
                 .exclude(event__status=EventStatus.CANCELLED).order_by()
                 .values_list("event__start_date", "event__kind", "event__title", "event__fund", amount,
                              "event__content__code"))
    booths = (Booth.objects.filter(establishment=establishment).order_by()
              .values_list("event__start_date", "event__kind", "event__title", "event__fund", "support_vnd",
                           "event__content__code"))
    visited = (SiteVisit.objects.filter(establishment=establishment).order_by()
               .values_list("day__day", Value("study_visit", output_field=CharField()), "day__event__title",
                            "day__event__fund", amount, "day__event__content__code"))
    funds = dict(Event._meta.get_field("fund").choices)
    items = []
    for row in took_part.union(booths, visited, all=True).order_by():
        item = dict(zip(columns, row, strict=True))
        on = item.pop("on")
        items.append({**item, "year": on.year, "fund": str(funds.get(item["fund"], item["fund"]))})
    return sorted(items, key=lambda item: item["year"], reverse=True)


def event_totals_by_province(*, kinds, year_from: int | None = None) -> dict[int, dict]:
    """Per organiser province: events held of these kinds, and (for trainings) trainees and trainees employed.
    Read nationally for the planner's indicators (counts only, no record is shown)."""
    qs = Event.objects.filter(kind__in=kinds, status__in=HELD, province__isnull=False)
    if year_from:
        qs = qs.filter(start_date__year__gte=year_from)
    trainee = Q(participants__role=ParticipantRole.TRAINEE)
    rows = qs.values("province_id").annotate(
        events=Count("id", distinct=True),
        trainees=Count("participants", filter=trainee, distinct=True),
        employed=Count("participants", filter=trainee & Q(participants__employed=True), distinct=True),
    )
    booths = dict(Booth.objects.filter(event__in=qs).values("event__province_id").annotate(n=Count("id"))
                  .values_list("event__province_id", "n"))
    return {r["province_id"]: {**r, "booths": booths.get(r["province_id"], 0)} for r in rows}
