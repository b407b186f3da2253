"""Events API: events scoped like the pages; lessons learned readable by every province. ?q= ignores diacritics."""

import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from khuyencong.core.api_params import BoundedLimitOffsetPagination, RecordId, UnitCode, Year
from khuyencong.core.errors import NotFound

from . import selectors
from .flows import event_flow
from .models import FollowUpStatus
from .vocab import Topic

router = Router(tags=["events"])


class UnitOut(Schema):
    code: int
    name: str
    scheme: str


class EventPlaceOut(Schema):
    unit: UnitOut
    today: list[UnitOut]


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    audience: str
    title: str
    organiser: str
    organiser_name_then: str
    province: UnitOut | None
    content: str
    fund: str
    start_date: datetime.date
    end_date: datetime.date
    status: str
    places: list[EventPlaceOut]
    participants: int
    lessons: int

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_organiser(obj):
        return obj.organiser.name

    @staticmethod
    def resolve_province(obj):
        p = obj.province
        return {"code": p.code, "name": p.name, "scheme": p.scheme} if p else None

    @staticmethod
    def resolve_content(obj):
        return obj.content.code

    @staticmethod
    def resolve_places(obj):
        return [{"unit": {"code": p.unit.code, "name": p.unit.name, "scheme": p.unit.scheme},
                 "today": [{"code": s.current.code, "name": s.current.name, "scheme": s.current.scheme}
                           for s in p.unit.successors.all()]}
                for p in obj.places.all()]

    @staticmethod
    def resolve_participants(obj):
        n = getattr(obj, "n_participants", None)
        return obj.participants.count() if n is None else n

    @staticmethod
    def resolve_lessons(obj):
        n = getattr(obj, "n_lessons", None)
        return obj.lessons.count() if n is None else n


class BudgetOut(Schema):
    cost: int
    support: int
    quoted_max: int
    lines_without_rate: int
    spent: int | None
    settled_support: int | None


class EventActionOut(Schema):
    action: str
    label: str
    allowed: bool
    reasons: list[str]


class EventDetailOut(EventOut):
    """One event with the figures and the next steps its page shows (the same selector and flow)."""

    budget: BudgetOut
    actions: list[EventActionOut]

    @staticmethod
    def resolve_budget(obj):
        return selectors.budget_summary(obj)

    @staticmethod
    def resolve_actions(obj, context):
        return event_flow.options(obj, context["request"].user)


class FollowUpOut(Schema):
    kind: str
    proposal: str
    owner: str
    status: str
    outcome: str


class LessonOut(Schema):
    id: int
    topic: str
    topic_label: str
    title: str
    practice: str
    province: UnitOut
    place_then: UnitOut | None
    organisation: str
    site: str
    why_it_works: str
    how_to_apply: str
    observed_on: datetime.date | None
    author_province: UnitOut
    event_id: int | None
    followups: int
    adopted_followups: int

    @staticmethod
    def resolve_topic_label(obj):
        return str(Topic(obj.topic).label)

    @staticmethod
    def resolve_province(obj):
        return {"code": obj.province.code, "name": obj.province.name, "scheme": obj.province.scheme}

    @staticmethod
    def resolve_place_then(obj):
        p = obj.place_then
        return {"code": p.code, "name": p.name, "scheme": p.scheme} if p else None

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation_name or (obj.organisation.name if obj.organisation_id else "")

    @staticmethod
    def resolve_author_province(obj):
        p = obj.author_province
        return {"code": p.code, "name": p.name, "scheme": p.scheme}

    @staticmethod
    def resolve_followups(obj):
        return getattr(obj, "n_followups", 0)

    @staticmethod
    def resolve_adopted_followups(obj):
        return getattr(obj, "n_adopted", 0)


class LessonDetailOut(LessonOut):
    followup_items: list[FollowUpOut]

    @staticmethod
    def resolve_followup_items(obj):
        return list(obj.followups.all())

    @staticmethod
    def resolve_followups(obj):
        return len(obj.followups.all())

    @staticmethod
    def resolve_adopted_followups(obj):
        return sum(1 for f in obj.followups.all() if f.status == FollowUpStatus.ADOPTED)


@router.get("/events", response=list[EventOut], summary="Events in your scope", operation_id="event_list",
            url_name="event_list")
@paginate(BoundedLimitOffsetPagination)
def event_list(request, q: str = "", kind: str = "", status: str = "", year: Year | None = None,
               province: UnitCode | None = None, topic: str = ""):
    filters = selectors.EventFilters(q=q, kind=kind, status=status, year=year, province=province,
                                     topic=topic if topic in Topic.values else "")
    return selectors.event_list(user=request.user, filters=filters)


@router.get("/events/{event_id}", response=EventDetailOut, summary="One event", operation_id="event_detail",
            url_name="event_detail")
def event_detail(request, event_id: RecordId):
    event = selectors.event_get(user=request.user, pk=event_id)
    if event is None:
        raise NotFound(_("Event not found."))
    return event


@router.get("/lessons", response=list[LessonOut], summary="Lessons learned, from every province",
            operation_id="lesson_list", url_name="lesson_list")
@paginate(BoundedLimitOffsetPagination)
def lesson_list(request, q: str = "", topic: str = "", province: UnitCode | None = None):
    filters = selectors.LessonFilters(q=q, topic=topic if topic in Topic.values else "", province=province)
    return selectors.lesson_list(user=request.user, filters=filters)


@router.get("/lessons/{lesson_id}", response=LessonDetailOut, summary="One lesson learned",
            operation_id="lesson_detail", url_name="lesson_detail")
def lesson_detail(request, lesson_id: RecordId):
    lesson = selectors.lesson_get(user=request.user, pk=lesson_id)
    if lesson is None:
        raise NotFound(_("Lesson not found."))
    return lesson
