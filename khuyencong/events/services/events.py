"""Events: planning, editing and moving one along its lifecycle (`flows.event_flow`)."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput
from khuyencong.core.text import fold, normalize_text
from khuyencong.core.versions import versioned_update
from khuyencong.geo.models import Scheme
from khuyencong.rules import engine
from khuyencong.rules.models import ContentItem, FundSource

from ..flows import event_flow
from ..models import Event, EventStatus
from ..permissions import can_create_event, can_edit_event
from ..vocab import STUDY_TOURS, TOPIC_NAMES_VI, Audience, EventKind, allowed_contents
from .budget import requote_lines
from .common import current_province_of, require, today
from .fairs import requote_booths

EVENT_FIELDS = ("kind", "audience", "title", "organiser", "organiser_name_then", "organiser_unit_then", "purpose",
                "content", "fund", "plan", "project", "start_date", "end_date", "venue", "occupation",
                "planned_trainees", "fair_name", "planned_state_paid", "planned_non_state")
# Once approved, the event's money frame (what, under which content and fund, when) is the decision's.


LOCKED_AFTER_APPROVAL = ("kind", "audience", "organiser", "content", "fund", "plan", "project", "start_date",
                         "end_date", "planned_state_paid", "planned_non_state")


def event_search_text(event: Event) -> str:
    parts = [event.title, event.purpose, event.organiser.name, event.organiser_name_then, event.fair_name,
             event.occupation, event.venue]
    if event.organiser_unit_then_id:
        parts.append(event.organiser_unit_then.name)
    if event.pk:
        for place in event.places.select_related("unit"):
            parts.append(place.unit.name)
            current = current_province_of(place.unit)
            if current is not None:
                parts.append(current.name)
        for day in event.itinerary.select_related("host_province"):
            parts += [day.host_province.name, day.host_name]
            parts += [TOPIC_NAMES_VI.get(t, "") for t in day.topics]
    return fold(" | ".join(p for p in parts if p))


def refresh_search(event: Event) -> None:
    event.search_text = event_search_text(event)
    Event.objects.filter(pk=event.pk).update(search_text=event.search_text)


def _clean_event(data: dict, current: Event | None = None) -> dict:
    merged = {name: getattr(current, name) for name in EVENT_FIELDS} if current else {}
    merged.update({k: v for k, v in data.items() if k in EVENT_FIELDS})
    for key in ("title", "purpose", "organiser_name_then", "venue", "occupation", "fair_name"):
        if key in merged:
            merged[key] = normalize_text(merged[key]) if key != "purpose" else (merged[key] or "").strip()
    kind = merged.get("kind")
    if kind not in EventKind.values:
        raise InvalidInput(_("Choose the kind of event."), field="kind")
    if not merged.get("title"):
        raise InvalidInput(_("Give the event a title."), field="title")
    if merged.get("organiser") is None:
        raise InvalidInput(_("Choose the organiser."), field="organiser")
    start, end = merged.get("start_date"), merged.get("end_date")
    if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
        raise InvalidInput(_("Give the first and last day."), field="start_date")
    if end < start:
        raise InvalidInput(_("The last day cannot be before the first day."), field="end_date")
    audience = merged.get("audience") or ""
    if kind in STUDY_TOURS:
        if audience not in Audience.values:
            raise InvalidInput(_("Say whom the study tour is for: KC officials, establishments or both."),
                               field="audience")
    else:
        audience = ""
    merged["audience"] = audience
    fund = merged.get("fund")
    if fund not in FundSource.values:
        raise InvalidInput(_("The fund must be “national” or “local”."), field="fund")
    content = merged.get("content")
    if isinstance(content, str):
        content = ContentItem.objects.filter(code=content).first()
    if content is None:
        raise InvalidInput(_("Choose the KC content the event is financed under."), field="content")
    allowed = allowed_contents(kind, audience)
    if content.code not in allowed:
        names = ", ".join(ContentItem.objects.filter(code__in=allowed).values_list("name", flat=True))
        raise InvalidInput(
            _("A %(kind)s%(audience)s is financed under: %(allowed)s — not “%(content)s”.") % {
                "kind": EventKind(kind).label.lower(),
                "audience": f" ({Audience(audience).label.lower()})" if audience else "",
                "allowed": names, "content": content.name},
            field="content")
    engine.content_get(content, start)  # refused when the law did not list the content on the first day
    merged["content"] = content
    organiser: Organisation = merged["organiser"]
    plan, project = merged.get("plan"), merged.get("project")
    if plan is not None:
        if plan.fund != fund:
            raise InvalidInput(_("The plan is of the %(plan_fund)s, the event of the %(fund)s.") % {
                "plan_fund": FundSource(plan.fund).label.lower(), "fund": FundSource(fund).label.lower()},
                field="plan")
        if plan.year != start.year:
            raise InvalidInput(_("The plan is for %(year)s; the event starts in %(start)s.") % {
                "year": plan.year, "start": start.year}, field="plan")
        if plan.province_id is not None and plan.province_id != organiser.province_id:
            raise InvalidInput(_("The plan belongs to another province."), field="plan")
    if project is not None and project.province_id != organiser.province_id:
        raise InvalidInput(_("The project belongs to another province."), field="project")
    unit_then = merged.get("organiser_unit_then")
    if unit_then is not None and unit_then.scheme != Scheme.LEGACY:
        raise InvalidInput(_("The organiser's province at the time is a former province (before 1/7/2025)."),
                           field="organiser_unit_then")
    for key in ("planned_state_paid", "planned_non_state"):
        merged[key] = merged.get(key) or 0
    return merged


def event_create(*, actor, data: dict) -> Event:
    """Plans an event of the actor's organisation (or another organisation in the actor's province)."""
    organiser = data.get("organiser")
    require(can_create_event(actor, organiser.province_id if organiser else None))
    clean = _clean_event(data)
    with transaction.atomic():
        event = Event(**clean, province_id=clean["organiser"].province_id, created_by=actor)
        event.search_text = event_search_text(event)
        event.save()
        audit_record(actor=actor, action="event.create", obj=event,
                     changes={"kind": [None, event.kind], "title": [None, event.title]})
    return event


def event_update(*, actor, event: Event, data: dict, version: int) -> Event:
    """Edits the event; its money frame (kind, content, fund, dates, plan) is fixed once approved. Changing the
    content, fund or first day re-quotes the budget lines and refuses when one would exceed the new quote."""
    require(can_edit_event(actor, event))
    data = {k: v for k, v in data.items() if k in EVENT_FIELDS}
    clean = _clean_event(data, current=event)
    changed = {k: v for k, v in clean.items() if getattr(event, k) != v}
    if event.status != EventStatus.PLANNED:
        locked = [k for k in changed if k in LOCKED_AFTER_APPROVAL]
        if locked:
            raise InvalidInput(
                _("The event is approved: its kind, content, fund, dates and plan can no longer change."),
                field=locked[0])
    if "organiser" in changed:
        require(can_create_event(actor, changed["organiser"].province_id))
    with transaction.atomic():
        changes = field_changes(event, changed)
        if "organiser" in changed:
            changed["province_id"] = changed["organiser"].province_id
        for key, value in changed.items():
            setattr(event, key, value)
        changed["search_text"] = event_search_text(event)
        if not versioned_update(event, changed, version, conflict=_(
                "Someone else changed this event after you opened it. Reload to see their changes; your input is "
                "kept below.")):
            return event
        if {"content", "fund", "start_date"} & set(changes):
            requote_lines(event)
            requote_booths(event)
        audit_record(actor=actor, action="event.update", obj=event, changes=changes)
    return event


def event_transition(*, actor, event: Event, action: str, on_date: datetime.date | None = None,
                     inputs: dict | None = None) -> Event:
    """Moves the event along its lifecycle (approve, hold, report, settle, cancel) when the flow allows it: the
    approval and settlement record their decision's number and date, a cancellation its reason."""
    inputs = {k: normalize_text(v) for k, v in (inputs or {}).items()}
    ctx = event_flow.context(event, on_date or today())
    row = event_flow.check(event, actor, action, inputs=inputs, ctx=ctx)
    with transaction.atomic():
        changes = event_flow.commit(event, row, actor=actor, version=event.version, inputs=inputs, ctx=ctx,
                                    conflict=_("Someone else changed this event after you opened it. Reload and try "
                                               "again."))
        audit_record(actor=actor, action=f"event.{action}", obj=event,
                     changes={**changes, **{k: [None, v] for k, v in inputs.items()}})
    return event
