"""Study tours: the places, the itinerary day by day with the sites visited, the mission report, and the one-step
draft of a tour from the planner."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation, OrganisationKind
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput
from khuyencong.core.money import check_amount
from khuyencong.core.text import normalize_text
from khuyencong.core.versions import versioned_update
from khuyencong.geo.models import REFORM_DATE, AdminUnit, Level
from khuyencong.registry.models import CraftVillage, Establishment

from .. import planner, report
from ..models import Event, EventPlace, ItineraryDay, MissionReport, SiteKind, SiteVisit
from ..permissions import can_edit_event, can_edit_report, places_open, report_signable
from ..vocab import EventKind, LineKind, Topic, allowed_contents
from .budget import budget_line_add
from .common import current_province_of, dmy, require, require_state, today, unit_for_date
from .events import event_create, refresh_search


def event_place_add(*, actor, event: Event, unit: AdminUnit) -> EventPlace:
    """Adds a place of the event, as it was on its first day (a former unit for a past event)."""
    require(can_edit_event(actor, event))
    require_state(places_open(event), field="unit")
    unit_for_date(unit, event.start_date)
    with transaction.atomic():
        if event.places.filter(unit=unit).exists():
            raise InvalidInput(_("This place is already listed."), field="unit")
        place = EventPlace.objects.create(event=event, unit=unit, order=event.places.count())
        refresh_search(event)
        audit_record(actor=actor, action="event.place_add", obj=event, changes={"place": [None, unit.name]})
    return place


def event_place_remove(*, actor, place: EventPlace) -> None:
    event = place.event
    require(can_edit_event(actor, event))
    require_state(places_open(event), field="unit")
    with transaction.atomic():
        name = place.unit.name
        place.delete()
        refresh_search(event)
        audit_record(actor=actor, action="event.place_remove", obj=event, changes={"place": [name, None]})


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
    require(can_edit_event(actor, event))
    if not event.is_study_tour:
        raise InvalidInput(_("An itinerary belongs to a study tour."), field="day")
    if not (event.start_date <= day <= event.end_date):
        raise InvalidInput(_("%(day)s is not a day of the tour (%(start)s–%(end)s).") % {
            "day": dmy(day), "start": dmy(event.start_date), "end": dmy(event.end_date)}, field="day")
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
        refresh_search(event)
        audit_record(actor=actor, action="event.day_add", obj=event,
                     changes={"day": [None, f"{dmy(day)} {host_province.name}"]})
    return item


def itinerary_day_remove(*, actor, day: ItineraryDay) -> None:
    event = day.event
    require(can_edit_event(actor, event))
    if day.visits.exists():
        raise InvalidInput(_("Remove the sites visited that day first."))
    with transaction.atomic():
        label = f"{dmy(day.day)} {day.host_province.name}"
        day.delete()
        refresh_search(event)
        audit_record(actor=actor, action="event.day_remove", obj=event, changes={"day": [label, None]})


def site_visit_add(*, actor, day: ItineraryDay, kind: str, name: str = "", establishment: Establishment | None = None,
                   craft_village: CraftVillage | None = None, project=None, note: str = "") -> SiteVisit:
    """Adds a site visited that day, linked to the host province's record when the system has it."""
    event = day.event
    require(can_edit_event(actor, event))
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
    require(can_edit_event(actor, event))
    with transaction.atomic():
        name = visit.name
        visit.delete()
        audit_record(actor=actor, action="event.visit_remove", obj=event, changes={"visit": [name, None]})


REPORT_FIELDS = ("issuing_body", "governing_body", "number", "place", "report_date", "recipients", "body",
                 "signer_title", "signer_name")


def mission_report_prepare(*, actor, event: Event, on_date: datetime.date | None = None) -> MissionReport:
    """Drafts the mission report from the tour's data (participants, itinerary, lessons, follow-ups, budget).
    An existing unsigned draft is returned unchanged: regenerate it with `mission_report_regenerate`."""
    require(can_edit_report(actor, event))
    if not event.is_study_tour:
        raise InvalidInput(_("A mission report belongs to a study tour."))
    existing = MissionReport.objects.filter(event=event).first()
    if existing is not None:
        return existing
    header = report.header_defaults(event, on_date or today())
    with transaction.atomic():
        draft = MissionReport.objects.create(event=event, body=report.build_body(event), **header)
        audit_record(actor=actor, action="event.report_prepare", obj=event, changes={"report": [None, "draft"]})
    return draft


def mission_report_regenerate(*, actor, report_obj: MissionReport) -> MissionReport:
    """Replaces the unsigned draft's text with a fresh one built from today's data."""
    require(can_edit_report(actor, report_obj.event))
    body = report.build_body(report_obj.event)
    with transaction.atomic():
        versioned_update(report_obj, {"body": body}, report_obj.version, conflict=_(
            "Someone else changed this report after you opened it. Reload and try again."))
        audit_record(actor=actor, action="event.report_regenerate", obj=report_obj.event)
    return report_obj


def mission_report_update(*, actor, report_obj: MissionReport, data: dict, version: int) -> MissionReport:
    """Edits the draft before it is signed."""
    require(can_edit_report(actor, report_obj.event))
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in REPORT_FIELDS}
    if "body" in data and not data["body"]:
        raise InvalidInput(_("The report has no text."), field="body")
    if "report_date" in data and data["report_date"] is None:
        raise InvalidInput(_("Give the date of the report."), field="report_date")
    with transaction.atomic():
        changes = field_changes(report_obj, data)
        changed = {k: data[k] for k in changes}
        if versioned_update(report_obj, changed, version, conflict=_(
                "Someone else changed this report after you opened it. Reload to see their changes; your text is "
                "kept below.")):
            audit_record(actor=actor, action="event.report_update", obj=report_obj.event,
                         changes={k: v for k, v in changes.items() if k != "body"} | (
                             {"body": ["…", "…"]} if "body" in changes else {}))
    return report_obj


def mission_report_sign(*, actor, report_obj: MissionReport) -> MissionReport:
    """Marks the report as signed by the person named: its text is then fixed."""
    event = report_obj.event
    require(can_edit_report(actor, event))
    require_state(report_signable(event))
    missing = [label for key, label in (("number", _("number")), ("signer_name", _("signer")),
                                        ("signer_title", _("signer's title")), ("body", _("text")))
               if not getattr(report_obj, key)]
    if missing:
        raise InvalidInput(_("Complete the report before signing: %(fields)s.") % {"fields": ", ".join(missing)})
    with transaction.atomic():
        versioned_update(report_obj, {"signed": True, "signed_at": timezone.now(), "signed_by": actor},
                          report_obj.version, conflict=_("Someone else changed this report. Reload and try again."))
        audit_record(actor=actor, action="event.report_sign", obj=event,
                     changes={"signed": [False, True], "number": [None, report_obj.number]})
    return report_obj


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
                     transport_cost: int | None = None, per_diem: int | None = None, lodging: int | None = None,
                     materials: int | None = None, title: str = "") -> Event:
    """Drafts a study tour in one step from the planner's answer: the hosts in order, one or more days each, the
    topics to discuss, the delegation's size, and budget lines quoted by the rules in force on the first day.

    The lines are those of `planner.budget_estimate`, in the visiting order: each unit cost is the figure the user
    typed, else the verified cost norm of the rules. A line whose rate is unknown or unverified is not written at
    0 ₫: it is left out, and the planner names it among the lines still to price."""
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
    rates = {LineKind.TRANSPORT: transport_cost, LineKind.PER_DIEM: per_diem, LineKind.LODGING: lodging,
             LineKind.MATERIALS: materials}
    for kind, field in ((LineKind.TRANSPORT, "transport_cost"), (LineKind.PER_DIEM, "per_diem"),
                        (LineKind.LODGING, "lodging"), (LineKind.MATERIALS, "materials")):
        if rates[kind] is not None:
            rates[kind] = check_amount(rates[kind], field=field)
    if start_date < REFORM_DATE:
        raise InvalidInput(_("A draft plans a future tour: choose a first day from 1/7/2025."), field="start_date")
    content = allowed_contents(EventKind.STUDY_TOUR_DOMESTIC, audience)[:1]
    if not content:
        raise InvalidInput(_("Say whom the study tour is for: KC officials, establishments or both."),
                           field="audience")
    organiser = _actor_centre(actor, home_province.pk)
    estimate = planner.budget_estimate(home_province=home_province, hosts=hosts, start_date=start_date,
                                       days_per_host=days_per_host, state_paid=state_paid, non_state=non_state,
                                       rates=rates)
    topic_words = ", ".join(str(Topic(t).label).lower() for t in topics)
    title = normalize_text(title) or _("Study tour to %(hosts)s on %(topics)s") % {
        "hosts": ", ".join(h.short_name for h in hosts), "topics": topic_words}
    with transaction.atomic():
        event = event_create(actor=actor, data={
            "kind": EventKind.STUDY_TOUR_DOMESTIC, "audience": audience, "title": title[:300], "organiser": organiser,
            "purpose": _("Learn from %(hosts)s about: %(topics)s.") % {
                "hosts": ", ".join(h.name for h in hosts), "topics": topic_words},
            "content": content[0], "fund": fund, "start_date": start_date, "end_date": estimate.end_date,
            "planned_state_paid": state_paid, "planned_non_state": non_state})
        for host in hosts:
            event_place_add(actor=actor, event=event, unit=host)
        centres = {o.province_id: o for o in Organisation.objects.filter(
            province__in=hosts, kind=OrganisationKind.KC_CENTRE).order_by("-pk")}
        for day, host in estimate.itinerary:
            if host is not None:
                itinerary_day_add(actor=actor, event=event, day=day, host_province=host,
                                  host_organisation=centres.get(host.pk), topics=topics)
        for line in estimate.lines:
            if line.unit_cost is not None:
                budget_line_add(actor=actor, event=event, kind=line.kind, unit_cost=line.unit_cost,
                                quantity=line.quantity, description=line.description)
        audit_record(actor=actor, action="event.draft_from_planner", obj=event,
                     changes={"hosts": [None, [h.name for h in hosts]], "topics": [None, topics]})
    return event
