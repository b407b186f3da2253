"""Every write of the events module: events and their places, budget, participants, attendance, results,
itinerary, booths, mission report and lifecycle; lessons learned, their follow-ups and model practices; and the
one-step draft of a study tour from the planner.

Each service checks permission and input, raises a domain error with a Vietnamese message, writes atomically and
records one audit event.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation, OrganisationKind
from khuyencong.accounts.scope import user_scope
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.core.money import format_vnd
from khuyencong.core.text import fold, normalize_text
from khuyencong.geo.models import REFORM_DATE, AdminUnit, Level, Scheme
from khuyencong.registry.models import CraftVillage, Establishment
from khuyencong.rules import engine
from khuyencong.rules.models import ContentItem, FundSource

from . import flows
from .models import (
    STATE_PAID_ORIGINS,
    Attendance,
    AttendanceSheet,
    Booth,
    BudgetLine,
    CurriculumItem,
    Event,
    EventPlace,
    EventStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    ItineraryDay,
    Lesson,
    MissionReport,
    ModelPractice,
    Origin,
    Participant,
    ParticipantRole,
    SiteKind,
    SiteVisit,
    TrainingResult,
)
from .permissions import (
    acting_roles,
    can_act_for,
    can_create_event,
    can_edit_budget,
    can_edit_event,
    can_edit_lesson,
    can_edit_practice,
    can_edit_report,
    can_mark_practice,
    can_record_attendance,
    can_record_spending,
    can_write_lesson,
)
from .vocab import (
    STUDY_TOURS,
    TOPIC_NAMES_VI,
    Audience,
    EventKind,
    LineKind,
    Topic,
    allowed_contents,
    line_variant,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Signed lists are scans or phone photos: the first bytes tell the real type whatever the file is called.
UPLOAD_SIGNATURES = {".pdf": (b"%PDF",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
                     ".png": (b"\x89PNG\r\n\x1a\n",)}


def _require(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _today() -> datetime.date:
    return timezone.localdate()


def _dmy(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _amount(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(_("Amounts are whole numbers of đồng."), field=field)
    if value < 0:
        raise InvalidInput(_("Amounts cannot be negative."), field=field)
    return value


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _versioned_update(obj, data: dict, version: int, *, conflict: str) -> bool:
    """Writes `data` only if nobody saved the record since `version` was read; False when nothing changed."""
    if not data:
        return False
    updated = type(obj).objects.filter(pk=obj.pk, version=version).update(
        **data, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise Conflict(conflict)
    for key, value in data.items():
        setattr(obj, key, value)
    obj.version = version + 1
    return True


def unit_for_date(unit: AdminUnit, on_date: datetime.date, *, field: str = "place") -> AdminUnit:
    """A place as it was on the date: a legacy unit before 1/7/2025, a current unit from then on."""
    expected = Scheme.LEGACY if on_date < REFORM_DATE else Scheme.CURRENT
    if unit.scheme != expected:
        if expected == Scheme.LEGACY:
            message = _("On %(date)s the units before the 1/7/2025 reform were in force: choose “%(name)s” as it was "
                        "then (a former province, district or commune).")
        else:
            message = _("“%(name)s” no longer exists on %(date)s: choose one of today's units.")
        raise InvalidInput(message % {"date": _dmy(on_date), "name": unit.name}, field=field)
    return unit


def current_province_of(unit: AdminUnit) -> AdminUnit | None:
    """Today's province for a unit of either scheme (a legacy province through its succession)."""
    province = unit if unit.level == Level.PROVINCE else unit.province
    if province is None:
        return None
    if province.scheme == Scheme.CURRENT:
        return province
    succession = province.successors.select_related("current").order_by("partial", "id").first()
    return succession.current if succession else None


# --- events

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


def _refresh_search(event: Event) -> None:
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
    _require(can_create_event(actor, organiser.province_id if organiser else None))
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
    _require(can_edit_event(actor, event))
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
        _require(can_create_event(actor, changed["organiser"].province_id))
    with transaction.atomic():
        changes = field_changes(event, changed)
        if "organiser" in changed:
            changed["province_id"] = changed["organiser"].province_id
        for key, value in changed.items():
            setattr(event, key, value)
        changed["search_text"] = event_search_text(event)
        if not _versioned_update(event, changed, version, conflict=_(
                "Someone else changed this event after you opened it. Reload to see their changes; your input is "
                "kept below.")):
            return event
        if {"content", "fund", "start_date"} & set(changes):
            _requote_lines(event)
            _requote_booths(event)
        audit_record(actor=actor, action="event.update", obj=event, changes=changes)
    return event


def event_transition(*, actor, event: Event, action: str, on_date: datetime.date | None = None,
                     inputs: dict | None = None) -> Event:
    """Moves the event along its lifecycle (approve, hold, report, settle, cancel) when the flow allows it."""
    on_date = on_date or _today()
    inputs = {k: normalize_text(v) for k, v in (inputs or {}).items()}
    transition = flows.check(event, action, actor, on_date, inputs)
    previous = event.status
    data = {"status": transition.target}
    if action == "approve":
        data.update(approval_reference=inputs["reference"][:120], approved_on=on_date)
    elif action == "settle":
        data.update(settlement_reference=inputs["reference"][:120], settled_on=on_date)
    elif action == "cancel":
        data.update(status_note=inputs["reason"][:300])
    with transaction.atomic():
        _versioned_update(event, data, event.version, conflict=_(
            "Someone else changed this event after you opened it. Reload and try again."))
        audit_record(actor=actor, action=f"event.{action}", obj=event,
                     changes={"status": [previous, transition.target], **{k: [None, v] for k, v in inputs.items()}})
    return event


def _places_open(event: Event) -> None:
    if event.status not in (EventStatus.PLANNED, EventStatus.APPROVED):
        raise InvalidInput(_("The event has been held: its places stay on record."), field="unit")


def event_place_add(*, actor, event: Event, unit: AdminUnit) -> EventPlace:
    """Adds a place of the event, as it was on its first day (a former unit for a past event)."""
    _require(can_edit_event(actor, event))
    _places_open(event)
    unit_for_date(unit, event.start_date)
    with transaction.atomic():
        if event.places.filter(unit=unit).exists():
            raise InvalidInput(_("This place is already listed."), field="unit")
        place = EventPlace.objects.create(event=event, unit=unit, order=event.places.count())
        _refresh_search(event)
        audit_record(actor=actor, action="event.place_add", obj=event, changes={"place": [None, unit.name]})
    return place


def event_place_remove(*, actor, place: EventPlace) -> None:
    event = place.event
    _require(can_edit_event(actor, event))
    _places_open(event)
    with transaction.atomic():
        name = place.unit.name
        place.delete()
        _refresh_search(event)
        audit_record(actor=actor, action="event.place_remove", obj=event, changes={"place": [name, None]})


# --- budget


def quote_line(event: Event, *, kind: str, amount: int):
    """The rule's quote for a cost of the event, or (None, why there is no verified rate)."""
    variant = line_variant(event.content.code, kind, event.is_overseas)
    province = event.province.code if event.province_id else None
    try:
        quote = engine.support_quote(event.content, event.fund, province, amount, event.start_date, variant=variant)
    except InvalidInput as exc:
        return None, exc.message
    return quote, ""


def _quote_fields(quote, message: str) -> dict:
    if quote is None:
        return {"quote_support_vnd": None, "quote": {}, "quote_message": message[:500]}
    return {"quote_support_vnd": quote.support_vnd, "quote": _jsonable(quote.as_dict()), "quote_message": ""}


def _above_quote(label: str, support: int, quote) -> InvalidInput:
    return InvalidInput(
        _("The KC support asked for %(item)s (%(support)s) is more than the rule allows: %(limit)s (%(basis)s).") % {
            "item": label, "support": format_vnd(support), "limit": format_vnd(quote.support_vnd),
            "basis": quote.rule.basis},
        code="above_quote", field="support")


def budget_line_add(*, actor, event: Event, kind: str, unit_cost: int, quantity: int = 1,
                    support: int | None = None, description: str = "") -> BudgetLine:
    """Adds a cost to a planned event. The KC support asked is checked against the rule in force on the event's
    first day; without a support figure, it is the rule's maximum. Where the rules hold no verified rate the line
    says so and the support asked is not checked (nor assumed)."""
    _require(can_edit_budget(actor, event))
    if kind not in LineKind.values:
        raise InvalidInput(_("Choose the kind of cost."), field="kind")
    unit_cost = _amount(unit_cost, "unit_cost")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise InvalidInput(_("The quantity is a whole number of at least 1."), field="quantity")
    amount = unit_cost * quantity
    quote, message = quote_line(event, kind=kind, amount=amount)
    if support is None:
        support = min(quote.support_vnd, amount) if quote else 0
    support = _amount(support, "support")
    if support > amount:
        raise InvalidInput(_("The KC support asked cannot be more than the cost (%(cost)s).") % {
            "cost": format_vnd(amount)}, field="support")
    if quote is not None and support > quote.support_vnd:
        raise _above_quote(LineKind(kind).label.lower(), support, quote)
    with transaction.atomic():
        line = BudgetLine.objects.create(
            event=event, kind=kind, description=normalize_text(description)[:300], quantity=quantity,
            unit_cost_vnd=unit_cost, amount_vnd=amount, support_vnd=support, quoted_on=event.start_date,
            **_quote_fields(quote, message))
        audit_record(actor=actor, action="event.budget_add", obj=event, changes={
            "line": [None, f"{line.get_kind_display()}: {amount} / {support}"]})
    return line


def budget_line_remove(*, actor, line: BudgetLine) -> None:
    event = line.event
    _require(can_edit_budget(actor, event))
    with transaction.atomic():
        label = f"{line.get_kind_display()}: {line.amount_vnd} / {line.support_vnd}"
        line.delete()
        audit_record(actor=actor, action="event.budget_remove", obj=event, changes={"line": [label, None]})


def budget_line_spent(*, actor, line: BudgetLine, spent: int) -> BudgetLine:
    """Records what a line actually cost, for the settlement (the support paid never exceeds it)."""
    _require(can_record_spending(actor, line.event))
    spent = _amount(spent, "spent")
    with transaction.atomic():
        changes = field_changes(line, {"spent_vnd": spent})
        _versioned_update(line, {"spent_vnd": spent}, line.version, conflict=_(
            "Someone else changed this line after you opened it. Reload and try again."))
        audit_record(actor=actor, action="event.budget_spent", obj=line.event, changes=changes)
    return line


def _requote_lines(event: Event) -> None:
    for line in event.budget_lines.all():
        quote, message = quote_line(event, kind=line.kind, amount=line.amount_vnd)
        if quote is not None and line.support_vnd > quote.support_vnd:
            raise _above_quote(line.get_kind_display().lower(), line.support_vnd, quote)
        fields = _quote_fields(quote, message)
        BudgetLine.objects.filter(pk=line.pk).update(**fields, quoted_on=event.start_date)


def _requote_booths(event: Event) -> None:
    for booth in event.booths.all():
        quote, message = _quote_booth(event, booth.price_vnd)
        if quote is not None and booth.support_vnd > quote.support_vnd:
            raise _above_quote(_("booth %(number)s") % {"number": booth.number}, booth.support_vnd, quote)
        Booth.objects.filter(pk=booth.pk).update(**_quote_fields(quote, message))


# --- participants, attendance and results

PARTICIPANT_FIELDS = ("full_name", "gender", "birth_year", "position", "phone", "role", "origin", "state_paid",
                      "organisation", "organisation_name", "establishment", "collaborator")


def _clean_participant(actor, event: Event, data: dict, current: Participant | None = None) -> dict:
    merged = {name: getattr(current, name) for name in PARTICIPANT_FIELDS} if current else {}
    merged.update({k: v for k, v in data.items() if k in PARTICIPANT_FIELDS})
    role, origin = merged.get("role"), merged.get("origin")
    if role not in ParticipantRole.values:
        raise InvalidInput(_("Choose the participant's role."), field="role")
    if origin not in Origin.values:
        raise InvalidInput(_("Choose where the participant comes from."), field="origin")
    if role == ParticipantRole.TRAINEE and not event.is_training:
        raise InvalidInput(_("Trainees take part in training courses only."), field="role")
    if role == ParticipantRole.EXHIBITOR and not event.is_fair:
        raise InvalidInput(_("Exhibitors take part in fairs only."), field="role")
    establishment, collaborator = merged.get("establishment"), merged.get("collaborator")
    scope = user_scope(actor)
    if origin == Origin.ESTABLISHMENT and establishment is None:
        raise InvalidInput(_("Choose the establishment from the registry: participants from establishments are "
                             "linked records, not typed names."), field="establishment")
    if origin == Origin.COLLABORATOR and collaborator is None:
        raise InvalidInput(_("Choose the collaborator from the network: collaborators are linked records, not typed "
                             "names."), field="collaborator")
    if origin != Origin.ESTABLISHMENT:
        merged["establishment"] = establishment = None
    if origin != Origin.COLLABORATOR:
        merged["collaborator"] = collaborator = None
    if establishment is not None and not scope.covers(province_id=establishment.province_id,
                                                      commune_id=establishment.commune_id) \
            and not (current and current.establishment_id == establishment.pk):
        raise PermissionDenied(_("This establishment is outside your area."))
    if collaborator is not None and not scope.covers_province(collaborator.province_id) \
            and not (current and current.collaborator_id == collaborator.pk):
        raise PermissionDenied(_("This collaborator is outside your area."))
    if merged.get("state_paid") is None:
        merged["state_paid"] = origin in STATE_PAID_ORIGINS
    if merged["state_paid"] and origin in (Origin.ESTABLISHMENT, Origin.COLLABORATOR, Origin.HOST):
        raise InvalidInput(_("Representatives of establishments, collaborators and hosts are not state-paid: the "
                             "event pays their meals, lodging and travel."), field="state_paid")
    name = normalize_text(merged.get("full_name"))
    if not name and collaborator is not None:
        name = collaborator.full_name
    if not name:
        raise InvalidInput(_("Give the participant's full name."), field="full_name")
    merged["full_name"] = name[:150]
    for key in ("position", "phone", "organisation_name"):
        merged[key] = normalize_text(merged.get(key))
    birth_year = merged.get("birth_year")
    if birth_year is not None and not (1930 <= birth_year <= _today().year):
        raise InvalidInput(_("Check the year of birth."), field="birth_year")
    return merged


def participant_add(*, actor, event: Event, data: dict) -> Participant:
    """Adds a participant with their role and origin; establishments and collaborators are linked records."""
    _require(can_edit_event(actor, event))
    clean = _clean_participant(actor, event, data)
    with transaction.atomic():
        participant = Participant.objects.create(event=event, name_folded=fold(clean["full_name"]), **clean)
        audit_record(actor=actor, action="event.participant_add", obj=event,
                     changes={"participant": [None, f"{participant.full_name} ({participant.get_role_display()})"]})
    return participant


def participant_update(*, actor, participant: Participant, data: dict, version: int) -> Participant:
    event = participant.event
    _require(can_edit_event(actor, event))
    clean = _clean_participant(actor, event, data, current=participant)
    changed = {k: v for k, v in clean.items() if getattr(participant, k) != v}
    with transaction.atomic():
        changes = field_changes(participant, changed)
        if "full_name" in changed:
            changed["name_folded"] = fold(changed["full_name"])
        if _versioned_update(participant, changed, version, conflict=_(
                "Someone else changed this participant after you opened it. Reload and try again.")):
            audit_record(actor=actor, action="event.participant_update", obj=event,
                         changes={f"{participant.full_name}.{k}": v for k, v in changes.items()})
    return participant


def participant_remove(*, actor, participant: Participant) -> None:
    event = participant.event
    _require(can_edit_event(actor, event))
    if event.status in (EventStatus.DONE, EventStatus.REPORTED):
        raise InvalidInput(_("The event has been held: its participants stay on record (correct them instead)."))
    with transaction.atomic():
        name = participant.full_name
        participant.delete()
        audit_record(actor=actor, action="event.participant_remove", obj=event, changes={"participant": [name, None]})


def check_upload(upload, *, field: str = "file") -> None:
    """A signed list or confirmation: PDF, JPEG or PNG (by content, not only by name), at most 10 MB."""
    if upload is None:
        raise InvalidInput(_("Attach the scan or photo of the signed list."), field=field)
    name = (getattr(upload, "name", "") or "").lower()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in UPLOAD_SIGNATURES:
        raise InvalidInput(_("Send a PDF, JPEG or PNG file (this one is “%(name)s”).") % {"name": upload.name},
                           field=field)
    if upload.size > MAX_UPLOAD_BYTES:
        raise InvalidInput(_("The file is too large (%(size)s MB): the limit is %(limit)s MB.") % {
            "size": round(upload.size / 1024 / 1024, 1), "limit": MAX_UPLOAD_BYTES // 1024 // 1024}, field=field)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in UPLOAD_SIGNATURES[extension]):
        raise InvalidInput(_("The file's content is not a %(type)s, whatever its name says.") % {
            "type": extension[1:].upper()}, field=field)


def attendance_record(*, actor, event: Event, day: datetime.date, upload,
                      present: list[Participant]) -> AttendanceSheet:
    """Stores the signed attendance list of one day and who signed it; a new upload for the day replaces the old."""
    decision = can_record_attendance(actor, event)
    if not decision and decision.reason == _("Attendance is recorded once the event is approved."):
        raise InvalidInput(decision.reason)
    _require(decision)
    if not (event.start_date <= day <= event.end_date):
        raise InvalidInput(_("%(day)s is not a day of the event (%(start)s–%(end)s).") % {
            "day": _dmy(day), "start": _dmy(event.start_date), "end": _dmy(event.end_date)}, field="day")
    check_upload(upload)
    if any(p.event_id != event.pk for p in present):
        raise InvalidInput(_("Only participants of this event can sign its list."), field="present")
    if not present:
        raise InvalidInput(_("Tick the participants who signed the list."), field="present")
    with transaction.atomic():
        sheet = AttendanceSheet.objects.filter(event=event, day=day).first()
        replaced = sheet is not None
        if sheet is None:
            sheet = AttendanceSheet(event=event, day=day)
        else:
            sheet.entries.all().delete()
        sheet.original_name = upload.name[:250]
        sheet.size = upload.size
        sheet.uploaded_by = actor
        sheet.file.save(f"diem-danh-{event.pk}-{day:%Y%m%d}.{upload.name.rsplit('.', 1)[-1].lower()}", upload,
                        save=False)
        sheet.save()
        Attendance.objects.bulk_create([Attendance(sheet=sheet, participant=p) for p in present])
        audit_record(actor=actor, action="event.attendance", obj=event, changes={
            "day": [None, _dmy(day)], "present": [None, len(present)], "replaced": [None, replaced]})
    return sheet


def _attended(participant: Participant) -> bool:
    return Attendance.objects.filter(participant=participant).exists()


def trainee_result_set(*, actor, participant: Participant, result: str, certificate_number: str = "",
                       certificate_issued_on: datetime.date | None = None) -> Participant:
    """Records a trainee's result and certificate. A certificate needs a pass and the trainee's signature on at
    least one signed attendance list."""
    event = participant.event
    _require(can_edit_event(actor, event))
    if participant.role != ParticipantRole.TRAINEE:
        raise InvalidInput(_("Results are recorded for trainees."), field="result")
    if event.status != EventStatus.DONE:
        raise InvalidInput(_("Results are recorded once the course has been held."), field="result")
    if result not in TrainingResult.values:
        raise InvalidInput(_("Choose the result."), field="result")
    certificate_number = normalize_text(certificate_number)
    if certificate_number:
        if result != TrainingResult.PASSED:
            raise InvalidInput(_("A certificate is issued only to a trainee who passed."), field="certificate_number")
        if not _attended(participant):
            raise InvalidInput(_("%(name)s is on no signed attendance list: upload the signed lists first.") % {
                "name": participant.full_name}, field="certificate_number")
        if certificate_issued_on is None:
            raise InvalidInput(_("Give the date the certificate was issued."), field="certificate_issued_on")
        if certificate_issued_on < event.end_date:
            raise InvalidInput(_("A certificate is issued after the course ends (%(end)s).") % {
                "end": _dmy(event.end_date)}, field="certificate_issued_on")
        taken = Participant.objects.filter(event=event, certificate_number=certificate_number).exclude(
            pk=participant.pk)
        if taken.exists():
            raise InvalidInput(_("Certificate number %(number)s is already given to another trainee.") % {
                "number": certificate_number}, field="certificate_number")
    else:
        certificate_issued_on = None
    data = {"result": result, "certificate_number": certificate_number,
            "certificate_issued_on": certificate_issued_on}
    with transaction.atomic():
        changes = field_changes(participant, data)
        if _versioned_update(participant, {k: data[k] for k in changes}, participant.version, conflict=_(
                "Someone else changed this trainee after you opened it. Reload and try again.")):
            audit_record(actor=actor, action="event.trainee_result", obj=event,
                         changes={f"{participant.full_name}.{k}": v for k, v in changes.items()})
    return participant


def trainee_employment_set(*, actor, participant: Participant, employed: bool, employer: Establishment | None = None,
                           employer_name: str = "", confirmation: str = "",
                           employed_from: datetime.date | None = None, upload=None) -> Participant:
    """Records that a trainee found work after the course, with the employer's confirmation (a KC indicator).
    Employment is often confirmed months later, so it may be recorded after the event is settled too."""
    event = participant.event
    _require(can_act_for(actor, event))
    if participant.role != ParticipantRole.TRAINEE:
        raise InvalidInput(_("Employment is recorded for trainees."), field="employed")
    if event.status not in (EventStatus.DONE, EventStatus.REPORTED, EventStatus.SETTLED):
        raise InvalidInput(_("Employment is recorded once the course has been held."), field="employed")
    confirmation = normalize_text(confirmation)
    employer_name = normalize_text(employer_name)
    if employed:
        if employer is None and not employer_name:
            raise InvalidInput(_("Name the employer."), field="employer")
        if not confirmation:
            raise InvalidInput(_("Give the employer's confirmation (letter or contract number and date): employment "
                                 "counts only when confirmed."), field="employment_confirmation")
        if employed_from is not None and employed_from < event.start_date:
            raise InvalidInput(_("Employment after the course starts on or after its first day."),
                               field="employed_from")
        if employer is not None and not user_scope(actor).covers(province_id=employer.province_id,
                                                                 commune_id=employer.commune_id):
            raise PermissionDenied(_("This establishment is outside your area."))
    else:
        employer, employer_name, confirmation, employed_from = None, "", "", None
    if upload is not None:
        check_upload(upload, field="employment_confirmation_file")
    data = {"employed": employed, "employer": employer, "employer_name": employer_name,
            "employment_confirmation": confirmation, "employed_from": employed_from}
    with transaction.atomic():
        changes = field_changes(participant, data)
        if upload is not None:
            participant.employment_confirmation_file.save(
                f"xac-nhan-{participant.pk}.{upload.name.rsplit('.', 1)[-1].lower()}", upload, save=False)
            data["employment_confirmation_file"] = participant.employment_confirmation_file.name
            changes["employment_confirmation_file"] = [None, upload.name]
        if changes:
            _versioned_update(participant, {k: data[k] for k in data if k in changes}, participant.version,
                              conflict=_("Someone else changed this trainee after you opened it. Reload and try "
                                         "again."))
            audit_record(actor=actor, action="event.trainee_employment", obj=event,
                         changes={f"{participant.full_name}.{k}": v for k, v in changes.items()})
    return participant


def curriculum_item_add(*, actor, event: Event, subject: str, theory_hours: int = 0, practice_hours: int = 0,
                        teacher: Participant | None = None) -> CurriculumItem:
    """Adds a module to a training course's programme."""
    _require(can_edit_event(actor, event))
    if not event.is_training:
        raise InvalidInput(_("A curriculum belongs to a training course."), field="subject")
    subject = normalize_text(subject)
    if not subject:
        raise InvalidInput(_("Name the module."), field="subject")
    if theory_hours + practice_hours <= 0:
        raise InvalidInput(_("Give the module's hours of theory or practice."), field="theory_hours")
    if teacher is not None and (teacher.event_id != event.pk or teacher.role != ParticipantRole.TEACHER):
        raise InvalidInput(_("The teacher must be a participant of the course with the role “teacher”."),
                           field="teacher")
    with transaction.atomic():
        item = CurriculumItem.objects.create(event=event, order=event.curriculum.count() + 1, subject=subject[:300],
                                             theory_hours=theory_hours, practice_hours=practice_hours,
                                             teacher=teacher)
        audit_record(actor=actor, action="event.curriculum_add", obj=event, changes={"module": [None, subject]})
    return item


def curriculum_item_remove(*, actor, item: CurriculumItem) -> None:
    event = item.event
    _require(can_edit_event(actor, event))
    with transaction.atomic():
        subject = item.subject
        item.delete()
        audit_record(actor=actor, action="event.curriculum_remove", obj=event, changes={"module": [subject, None]})


# --- itinerary of a study tour


def _topics(values) -> list[str]:
    topics = list(dict.fromkeys(values or []))
    unknown = [t for t in topics if t not in Topic.values]
    if unknown:
        raise InvalidInput(_("Unknown topic: %(topics)s.") % {"topics": ", ".join(unknown)}, field="topics")
    return topics


def itinerary_day_add(*, actor, event: Event, day: datetime.date, host_province: AdminUnit,
                      host_organisation: Organisation | None = None, host_name: str = "", activities: str = "",
                      topics=()) -> ItineraryDay:
    """Adds a day of a study tour: the host province as it was that day, the host, what was done, the topics."""
    _require(can_edit_event(actor, event))
    if not event.is_study_tour:
        raise InvalidInput(_("An itinerary belongs to a study tour."), field="day")
    if not (event.start_date <= day <= event.end_date):
        raise InvalidInput(_("%(day)s is not a day of the tour (%(start)s–%(end)s).") % {
            "day": _dmy(day), "start": _dmy(event.start_date), "end": _dmy(event.end_date)}, field="day")
    if host_province.level != Level.PROVINCE:
        raise InvalidInput(_("The host is a province."), field="host_province")
    if not event.is_overseas:
        unit_for_date(host_province, day, field="host_province")
    if host_organisation is not None and host_organisation.province_id not in (
            None, getattr(current_province_of(host_province), "pk", None)):
        raise InvalidInput(_("The host organisation is not in the host province."), field="host_organisation")
    host_name = normalize_text(host_name) or (host_organisation.name if host_organisation else "")
    with transaction.atomic():
        item = ItineraryDay.objects.create(event=event, day=day, host_province=host_province,
                                           host_organisation=host_organisation, host_name=host_name[:250],
                                           activities=(activities or "").strip(), topics=_topics(topics))
        _refresh_search(event)
        audit_record(actor=actor, action="event.day_add", obj=event,
                     changes={"day": [None, f"{_dmy(day)} {host_province.name}"]})
    return item


def itinerary_day_remove(*, actor, day: ItineraryDay) -> None:
    event = day.event
    _require(can_edit_event(actor, event))
    if day.visits.exists():
        raise InvalidInput(_("Remove the sites visited that day first."))
    with transaction.atomic():
        label = f"{_dmy(day.day)} {day.host_province.name}"
        day.delete()
        _refresh_search(event)
        audit_record(actor=actor, action="event.day_remove", obj=event, changes={"day": [label, None]})


def site_visit_add(*, actor, day: ItineraryDay, kind: str, name: str = "", establishment: Establishment | None = None,
                   craft_village: CraftVillage | None = None, project=None, note: str = "") -> SiteVisit:
    """Adds a site visited that day, linked to the host province's record when the system has it."""
    event = day.event
    _require(can_edit_event(actor, event))
    if kind not in SiteKind.values:
        raise InvalidInput(_("Choose the kind of site."), field="kind")
    host_today = current_province_of(day.host_province)
    host_id = host_today.pk if host_today else None
    for record, label in ((establishment, _("establishment")), (craft_village, _("craft village")),
                          (project, _("project"))):
        if record is not None and record.province_id != host_id:
            raise InvalidInput(_("This %(record)s is not in the host province %(province)s.") % {
                "record": label, "province": day.host_province.name}, field="name")
    name = normalize_text(name) or next((str(r) for r in (establishment, craft_village, project) if r), "")
    if not name:
        raise InvalidInput(_("Name the site visited."), field="name")
    with transaction.atomic():
        visit = SiteVisit.objects.create(day=day, kind=kind, name=name[:300], establishment=establishment,
                                         craft_village=craft_village, project=project, note=(note or "").strip())
        audit_record(actor=actor, action="event.visit_add", obj=event, changes={"visit": [None, visit.name]})
    return visit


def site_visit_remove(*, actor, visit: SiteVisit) -> None:
    event = visit.day.event
    _require(can_edit_event(actor, event))
    with transaction.atomic():
        name = visit.name
        visit.delete()
        audit_record(actor=actor, action="event.visit_remove", obj=event, changes={"visit": [name, None]})


# --- fairs


def _quote_booth(event: Event, price: int):
    province = event.province.code if event.province_id else None
    try:
        return engine.support_quote(event.content, event.fund, province, price, event.start_date), ""
    except InvalidInput as exc:
        return None, exc.message


def booth_add(*, actor, event: Event, establishment: Establishment, number: str, price: int,
              support: int | None = None, products: str = "") -> Booth:
    """Books a booth for an establishment. Its KC support is checked against the rule for the fair's content on
    the first day (e.g. a share of the booth rent for participation); without a figure, the rule's maximum."""
    _require(can_edit_event(actor, event))
    if not event.is_fair:
        raise InvalidInput(_("Booths belong to fairs and exhibitions."), field="number")
    if event.status not in (EventStatus.PLANNED, EventStatus.APPROVED):
        raise InvalidInput(_("Booths are booked before the fair is held."), field="number")
    scope = user_scope(actor)
    if not scope.covers(province_id=establishment.province_id, commune_id=establishment.commune_id):
        raise PermissionDenied(_("This establishment is outside your area."))
    number = normalize_text(number)
    if not number:
        raise InvalidInput(_("Give the booth number."), field="number")
    price = _amount(price, "price")
    quote, message = _quote_booth(event, price)
    if support is None:
        support = min(quote.support_vnd, price) if quote else 0
    support = _amount(support, "support")
    if support > price:
        raise InvalidInput(_("The KC support cannot be more than the booth price."), field="support")
    if quote is not None and support > quote.support_vnd:
        raise _above_quote(_("booth %(number)s") % {"number": number}, support, quote)
    with transaction.atomic():
        if event.booths.filter(number=number).exists():
            raise InvalidInput(_("Booth %(number)s is already booked.") % {"number": number}, field="number")
        booth = Booth.objects.create(event=event, establishment=establishment, number=number[:20],
                                     products=normalize_text(products)[:300], price_vnd=price, support_vnd=support,
                                     **_quote_fields(quote, message))
        audit_record(actor=actor, action="event.booth_add", obj=event,
                     changes={"booth": [None, f"{number} {establishment.name}: {price} / {support}"]})
    return booth


def booth_remove(*, actor, booth: Booth) -> None:
    event = booth.event
    _require(can_edit_event(actor, event))
    if event.status not in (EventStatus.PLANNED, EventStatus.APPROVED):
        raise InvalidInput(_("The fair has been held: its booths stay on record."))
    with transaction.atomic():
        label = f"{booth.number} {booth.establishment.name}"
        booth.delete()
        audit_record(actor=actor, action="event.booth_remove", obj=event, changes={"booth": [label, None]})


def booth_certify(*, actor, booth: Booth, certified: bool, on_date: datetime.date | None = None) -> Booth:
    """Certifies that the exhibitor took part (or withdraws it): the list of certified exhibitors goes to the
    settlement."""
    event = booth.event
    _require(can_act_for(actor, event))
    if event.status not in (EventStatus.DONE, EventStatus.REPORTED):
        raise InvalidInput(_("Exhibitors are certified once the fair has been held."))
    data = {"certified": certified, "certified_on": (on_date or _today()) if certified else None}
    with transaction.atomic():
        changes = field_changes(booth, data)
        if _versioned_update(booth, {k: data[k] for k in changes}, booth.version, conflict=_(
                "Someone else changed this booth after you opened it. Reload and try again.")):
            audit_record(actor=actor, action="event.booth_certify", obj=event,
                         changes={f"{booth.number}.{k}": v for k, v in changes.items()})
    return booth


# --- mission report


REPORT_FIELDS = ("issuing_body", "governing_body", "number", "place", "report_date", "recipients", "body",
                 "signer_title", "signer_name")


def mission_report_prepare(*, actor, event: Event, on_date: datetime.date | None = None) -> MissionReport:
    """Drafts the mission report from the tour's data (participants, itinerary, lessons, follow-ups, budget).
    An existing unsigned draft is returned unchanged: regenerate it with `mission_report_regenerate`."""
    from . import report

    _require(can_edit_report(actor, event))
    if not event.is_study_tour:
        raise InvalidInput(_("A mission report belongs to a study tour."))
    existing = MissionReport.objects.filter(event=event).first()
    if existing is not None:
        return existing
    header = report.header_defaults(event, on_date or _today())
    with transaction.atomic():
        draft = MissionReport.objects.create(event=event, body=report.build_body(event), **header)
        audit_record(actor=actor, action="event.report_prepare", obj=event, changes={"report": [None, "draft"]})
    return draft


def mission_report_regenerate(*, actor, report_obj: MissionReport) -> MissionReport:
    """Replaces the unsigned draft's text with a fresh one built from today's data."""
    from . import report

    _require(can_edit_report(actor, report_obj.event))
    body = report.build_body(report_obj.event)
    with transaction.atomic():
        _versioned_update(report_obj, {"body": body}, report_obj.version, conflict=_(
            "Someone else changed this report after you opened it. Reload and try again."))
        audit_record(actor=actor, action="event.report_regenerate", obj=report_obj.event)
    return report_obj


def mission_report_update(*, actor, report_obj: MissionReport, data: dict, version: int) -> MissionReport:
    """Edits the draft before it is signed."""
    _require(can_edit_report(actor, report_obj.event))
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in REPORT_FIELDS}
    if "body" in data and not data["body"]:
        raise InvalidInput(_("The report has no text."), field="body")
    if "report_date" in data and data["report_date"] is None:
        raise InvalidInput(_("Give the date of the report."), field="report_date")
    with transaction.atomic():
        changes = field_changes(report_obj, data)
        changed = {k: data[k] for k in changes}
        if _versioned_update(report_obj, changed, version, conflict=_(
                "Someone else changed this report after you opened it. Reload to see their changes; your text is "
                "kept below.")):
            audit_record(actor=actor, action="event.report_update", obj=report_obj.event,
                         changes={k: v for k, v in changes.items() if k != "body"} | (
                             {"body": ["…", "…"]} if "body" in changes else {}))
    return report_obj


def mission_report_sign(*, actor, report_obj: MissionReport) -> MissionReport:
    """Marks the report as signed by the person named: its text is then fixed."""
    event = report_obj.event
    _require(can_edit_report(actor, event))
    if event.status != EventStatus.DONE:
        raise InvalidInput(_("The report is signed after the tour has been held."))
    missing = [label for key, label in (("number", _("number")), ("signer_name", _("signer")),
                                        ("signer_title", _("signer's title")), ("body", _("text")))
               if not getattr(report_obj, key)]
    if missing:
        raise InvalidInput(_("Complete the report before signing: %(fields)s.") % {"fields": ", ".join(missing)})
    with transaction.atomic():
        _versioned_update(report_obj, {"signed": True, "signed_at": timezone.now(), "signed_by": actor},
                          report_obj.version, conflict=_("Someone else changed this report. Reload and try again."))
        audit_record(actor=actor, action="event.report_sign", obj=event,
                     changes={"signed": [False, True], "number": [None, report_obj.number]})
    return report_obj


# --- lessons learned, follow-ups and model practices

LESSON_FIELDS = ("topic", "title", "practice", "province", "place_then", "organisation", "organisation_name", "site",
                 "establishment", "why_it_works", "how_to_apply", "event", "observed_on")


def lesson_search_text(lesson: Lesson, followups=()) -> str:
    parts = [lesson.title, lesson.practice, lesson.why_it_works, lesson.how_to_apply, lesson.site,
             lesson.organisation_name, lesson.organisation.name if lesson.organisation_id else "",
             lesson.province.name, lesson.place_then.name if lesson.place_then_id else "",
             TOPIC_NAMES_VI.get(lesson.topic, ""), str(Topic(lesson.topic).label) if lesson.topic else ""]
    parts += [f.proposal for f in followups]
    return fold(" | ".join(p for p in parts if p))


def _refresh_lesson_search(lesson: Lesson) -> None:
    lesson.search_text = lesson_search_text(lesson, lesson.followups.all())
    Lesson.objects.filter(pk=lesson.pk).update(search_text=lesson.search_text)


def _clean_lesson(actor, data: dict, current: Lesson | None = None) -> dict:
    merged = {name: getattr(current, name) for name in LESSON_FIELDS} if current else {}
    merged.update({k: v for k, v in data.items() if k in LESSON_FIELDS})
    if merged.get("topic") not in Topic.values:
        raise InvalidInput(_("Choose the lesson's topic."), field="topic")
    for key in ("title", "organisation_name", "site"):
        merged[key] = normalize_text(merged.get(key))
    for key in ("practice", "why_it_works", "how_to_apply"):
        merged[key] = (merged.get(key) or "").strip()
    if not merged["title"]:
        raise InvalidInput(_("Sum the lesson up in a title."), field="title")
    if not merged["practice"]:
        raise InvalidInput(_("Describe the practice observed."), field="practice")
    province = merged.get("province")
    if province is None or province.scheme != Scheme.CURRENT or province.level != Level.PROVINCE:
        raise InvalidInput(_("Choose where the practice was observed (one of today's provinces)."), field="province")
    place_then = merged.get("place_then")
    if place_then is not None:
        if place_then.scheme != Scheme.LEGACY:
            raise InvalidInput(_("The province at the time is a former province."), field="place_then")
        if current_province_of(place_then) != province:
            raise InvalidInput(_("%(then)s is today part of %(today)s, not %(province)s.") % {
                "then": place_then.name, "today": getattr(current_province_of(place_then), "name", "?"),
                "province": province.name}, field="place_then")
    event = merged.get("event")
    if event is not None:
        if not event.is_study_tour:
            raise InvalidInput(_("Lessons come from study tours."), field="event")
        if not (acting_roles(actor, event.province_id) or (current and current.event_id == event.pk)):
            raise PermissionDenied(_("This study tour is outside your area."))
    if merged.get("establishment") is not None and merged["establishment"].province_id != province.pk:
        raise InvalidInput(_("The establishment is not in that province."), field="establishment")
    return merged


def _author_province_of(actor, event: Event | None, requested: AdminUnit | None) -> AdminUnit:
    if event is not None and event.province_id:
        return event.province
    if requested is not None:
        return requested
    from .permissions import home_provinces

    homes = home_provinces(actor)
    if len(homes) == 1:
        return AdminUnit.objects.get(pk=next(iter(homes)))
    raise InvalidInput(_("Say which province records the lesson."), field="author_province")


def lesson_create(*, actor, data: dict, author_province: AdminUnit | None = None,
                  followups: list[dict] = ()) -> Lesson:
    """Records a lesson learned, readable by every province; the author's province keeps the right to change it."""
    clean = _clean_lesson(actor, data)
    author_province = _author_province_of(actor, clean.get("event"), author_province)
    _require(can_write_lesson(actor, author_province.pk))
    event = clean.get("event")
    if event is not None and clean.get("observed_on") is None:
        clean["observed_on"] = event.start_date
    organisation = next((a.organisation for a in actor.assignments.select_related("organisation")
                         if a.is_active and a.organisation.province_id == author_province.pk), None)
    with transaction.atomic():
        lesson = Lesson.objects.create(**clean, author_province=author_province, author=actor,
                                       author_organisation=organisation)
        for item in followups:
            _followup_create(lesson, item)
        _refresh_lesson_search(lesson)
        audit_record(actor=actor, action="lesson.create", obj=lesson, changes={"title": [None, lesson.title]})
    return lesson


def lesson_update(*, actor, lesson: Lesson, data: dict, version: int) -> Lesson:
    _require(can_edit_lesson(actor, lesson))
    clean = _clean_lesson(actor, data, current=lesson)
    changed = {k: v for k, v in clean.items() if getattr(lesson, k) != v}
    with transaction.atomic():
        changes = field_changes(lesson, changed)
        for key, value in changed.items():
            setattr(lesson, key, value)
        if changed:
            changed["search_text"] = lesson_search_text(lesson, lesson.followups.all())
        if _versioned_update(lesson, changed, version, conflict=_(
                "Someone else changed this lesson after you opened it. Reload to see their changes; your input is "
                "kept below.")):
            audit_record(actor=actor, action="lesson.update", obj=lesson, changes=changes)
    return lesson


def _clean_followup(data: dict) -> dict:
    clean = {"kind": data.get("kind"), "proposal": (data.get("proposal") or "").strip(),
             "owner": normalize_text(data.get("owner")), "due_date": data.get("due_date"),
             "status": data.get("status") or FollowUpStatus.PROPOSED, "outcome": (data.get("outcome") or "").strip(),
             "project": data.get("project")}
    if clean["kind"] not in FollowUpKind.values:
        raise InvalidInput(_("Choose the kind of follow-up."), field="kind")
    if not clean["proposal"]:
        raise InvalidInput(_("Describe the proposal."), field="proposal")
    if not clean["owner"]:
        raise InvalidInput(_("Name who carries the follow-up."), field="owner")
    if clean["status"] not in FollowUpStatus.values:
        raise InvalidInput(_("Choose the status."), field="status")
    if clean["status"] == FollowUpStatus.ADOPTED and not clean["outcome"]:
        raise InvalidInput(_("Say what changed: an adopted follow-up shows its outcome."), field="outcome")
    return clean


def _followup_create(lesson: Lesson, data: dict) -> FollowUp:
    return FollowUp.objects.create(lesson=lesson, **_clean_followup(data))


def followup_add(*, actor, lesson: Lesson, data: dict) -> FollowUp:
    """Adds a proposed follow-up (policy proposal, network-rule change, project idea) with its owner."""
    _require(can_edit_lesson(actor, lesson))
    with transaction.atomic():
        followup = _followup_create(lesson, data)
        _refresh_lesson_search(lesson)
        audit_record(actor=actor, action="lesson.followup_add", obj=lesson,
                     changes={"followup": [None, followup.proposal[:120]]})
    return followup


def followup_update(*, actor, followup: FollowUp, data: dict, version: int) -> FollowUp:
    lesson = followup.lesson
    _require(can_edit_lesson(actor, lesson))
    current = {k: getattr(followup, k) for k in ("kind", "proposal", "owner", "due_date", "status", "outcome",
                                                 "project")}
    clean = _clean_followup({**current, **data})
    with transaction.atomic():
        changes = field_changes(followup, clean)
        if _versioned_update(followup, {k: clean[k] for k in changes}, version, conflict=_(
                "Someone else changed this follow-up after you opened it. Reload and try again.")):
            _refresh_lesson_search(lesson)
            audit_record(actor=actor, action="lesson.followup_update", obj=lesson, changes=changes)
    return followup


PRACTICE_FIELDS = ("province", "topic", "title", "description", "evidence", "organisation", "establishment",
                   "project", "since")


def practice_search_text(practice: ModelPractice) -> str:
    parts = [practice.title, practice.description, practice.evidence, practice.province.name,
             practice.organisation.name if practice.organisation_id else "", TOPIC_NAMES_VI.get(practice.topic, "")]
    return fold(" | ".join(p for p in parts if p))


def _clean_practice(data: dict, current: ModelPractice | None = None) -> dict:
    merged = {name: getattr(current, name) for name in PRACTICE_FIELDS} if current else {}
    merged.update({k: v for k, v in data.items() if k in PRACTICE_FIELDS})
    if merged.get("topic") not in Topic.values:
        raise InvalidInput(_("Choose the topic."), field="topic")
    merged["title"] = normalize_text(merged.get("title"))
    merged["description"] = (merged.get("description") or "").strip()
    merged["evidence"] = (merged.get("evidence") or "").strip()
    if not merged["title"]:
        raise InvalidInput(_("Name the model practice."), field="title")
    if not merged["description"]:
        raise InvalidInput(_("Describe the practice."), field="description")
    if not merged["evidence"]:
        raise InvalidInput(_("Give the evidence that it works: a model practice is marked with its evidence."),
                           field="evidence")
    province = merged.get("province")
    if province is None or province.scheme != Scheme.CURRENT or province.level != Level.PROVINCE:
        raise InvalidInput(_("Choose the province."), field="province")
    for key in ("organisation", "establishment", "project"):
        record = merged.get(key)
        if record is not None and record.province_id != province.pk:
            raise InvalidInput(_("The linked record is not in %(province)s.") % {"province": province.name},
                               field=key)
    return merged


def practice_create(*, actor, data: dict) -> ModelPractice:
    """A province marks one of its own practices as a model (mô hình tiêu biểu), with its evidence."""
    clean = _clean_practice(data)
    _require(can_mark_practice(actor, clean["province"].pk))
    with transaction.atomic():
        practice = ModelPractice(**clean, marked_by=actor)
        practice.search_text = practice_search_text(practice)
        practice.save()
        audit_record(actor=actor, action="practice.create", obj=practice, changes={"title": [None, practice.title]})
    return practice


def practice_update(*, actor, practice: ModelPractice, data: dict, version: int) -> ModelPractice:
    _require(can_edit_practice(actor, practice))
    clean = _clean_practice(data, current=practice)
    if clean["province"] != practice.province:
        raise InvalidInput(_("A model practice stays with its province."), field="province")
    changed = {k: v for k, v in clean.items() if getattr(practice, k) != v}
    with transaction.atomic():
        changes = field_changes(practice, changed)
        for key, value in changed.items():
            setattr(practice, key, value)
        if changed:
            changed["search_text"] = practice_search_text(practice)
        if _versioned_update(practice, changed, version, conflict=_(
                "Someone else changed this practice after you opened it. Reload and try again.")):
            audit_record(actor=actor, action="practice.update", obj=practice, changes=changes)
    return practice


# --- the planner's draft


def _actor_centre(actor, province_id: int) -> Organisation:
    assignments = [a for a in actor.assignments.select_related("organisation") if a.is_active]
    for kind in (OrganisationKind.KC_CENTRE, OrganisationKind.DOIT):
        for assignment in assignments:
            if assignment.organisation.kind == kind and assignment.organisation.province_id == province_id:
                return assignment.organisation
    centre = Organisation.objects.filter(province_id=province_id, kind=OrganisationKind.KC_CENTRE).first()
    if centre is None:
        raise InvalidInput(_("Your province has no KC centre on record to organise the tour."))
    return centre


def study_tour_draft(*, actor, home_province: AdminUnit, hosts: list[AdminUnit], topics, start_date: datetime.date,
                     days_per_host: int, audience: str, fund: str, state_paid: int, non_state: int,
                     transport_cost: int, per_diem: int, lodging: int, title: str = "") -> Event:
    """Drafts a study tour in one step from the planner's answer: the hosts in order, one or more days each, the
    topics to discuss, the delegation's size, and budget lines quoted by the rules in force on the first day.

    Per-diem and lodging are counted for the participants who are not state-paid: the event pays their meals,
    lodging and travel (TT 36/2013 Art 13–14), while state-paid members claim per-diem from their own agency.
    The unit costs are the user's estimates: the norms of the Ministry of Finance are not in the rules."""
    if not hosts:
        raise InvalidInput(_("Choose at least one host province."), field="hosts")
    if any(h.pk == home_province.pk for h in hosts):
        raise InvalidInput(_("The home province cannot host its own study tour."), field="hosts")
    if not 1 <= days_per_host <= 5:
        raise InvalidInput(_("Plan between 1 and 5 days per host."), field="days_per_host")
    topics = _topics(topics)
    if not topics:
        raise InvalidInput(_("Choose at least one topic."), field="topics")
    for value, field in ((state_paid, "state_paid"), (non_state, "non_state")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(_("Give the number of participants."), field=field)
    if state_paid + non_state == 0:
        raise InvalidInput(_("The delegation needs at least one participant."), field="state_paid")
    for value, field in ((transport_cost, "transport_cost"), (per_diem, "per_diem"), (lodging, "lodging")):
        _amount(value, field)
    if start_date < REFORM_DATE:
        raise InvalidInput(_("A draft plans a future tour: choose a first day from 1/7/2025."), field="start_date")
    content = allowed_contents(EventKind.STUDY_TOUR_DOMESTIC, audience)[:1]
    if not content:
        raise InvalidInput(_("Say whom the study tour is for: KC officials, establishments or both."),
                           field="audience")
    organiser = _actor_centre(actor, home_province.pk)
    total_days = days_per_host * len(hosts) + 1  # and a day to travel home
    end_date = start_date + datetime.timedelta(days=total_days - 1)
    topic_words = ", ".join(str(Topic(t).label).lower() for t in topics)
    title = normalize_text(title) or _("Study tour to %(hosts)s on %(topics)s") % {
        "hosts": ", ".join(h.short_name for h in hosts), "topics": topic_words}
    with transaction.atomic():
        event = event_create(actor=actor, data={
            "kind": EventKind.STUDY_TOUR_DOMESTIC, "audience": audience, "title": title[:300], "organiser": organiser,
            "purpose": _("Learn from %(hosts)s about: %(topics)s.") % {
                "hosts": ", ".join(h.name for h in hosts), "topics": topic_words},
            "content": content[0], "fund": fund, "start_date": start_date, "end_date": end_date,
            "planned_state_paid": state_paid, "planned_non_state": non_state})
        day = start_date
        for host in hosts:
            event_place_add(actor=actor, event=event, unit=host)
            centre = Organisation.objects.filter(province=host, kind=OrganisationKind.KC_CENTRE).first()
            for _i in range(days_per_host):
                itinerary_day_add(actor=actor, event=event, day=day, host_province=host, host_organisation=centre,
                                  topics=topics)
                day += datetime.timedelta(days=1)
        people = state_paid + non_state
        nights = total_days - 1
        if transport_cost:
            budget_line_add(actor=actor, event=event, kind=LineKind.TRANSPORT, unit_cost=transport_cost,
                            description=_("Transport of the delegation (%(n)s people)") % {"n": people})
        if per_diem and non_state:
            budget_line_add(actor=actor, event=event, kind=LineKind.PER_DIEM, unit_cost=per_diem,
                            quantity=non_state * total_days,
                            description=_("%(n)s participants not state-paid × %(d)s days") % {
                                "n": non_state, "d": total_days})
        if lodging and non_state and nights:
            budget_line_add(actor=actor, event=event, kind=LineKind.LODGING, unit_cost=lodging,
                            quantity=non_state * nights,
                            description=_("%(n)s participants not state-paid × %(d)s nights") % {
                                "n": non_state, "d": nights})
        audit_record(actor=actor, action="event.draft_from_planner", obj=event,
                     changes={"hosts": [None, [h.name for h in hosts]], "topics": [None, topics]})
    return event
