"""Who may change events, lessons and model practices. Each check returns a Decision with a Vietnamese reason.

Events belong to their organiser's province. What each state of an event still allows (places, booths, results,
spending…) is said once, by the `*_open` rules: the services refuse with them and `event_abilities` gives the event
page the same answers with their reasons. Lessons are read by every province but changed only within the author's
province; a model practice is marked only by its own province.
"""

from django.utils.translation import gettext as _

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import acting_decision, acting_province_ids, roles_in, user_scope
from khuyencong.core.permissions import ALLOW, Decision, deny, first_refusal

from .flows import budget_lock, event_lock, mission_report_lock
from .models import Event, EventStatus, Lesson, ModelPractice

EVENT_EDITORS = (Role.SYSTEM_ADMIN, Role.MINISTRY_OFFICER, Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.DOIT_MANAGER)
FINANCE = (Role.SYSTEM_ADMIN, Role.FINANCE_OFFICER)
LESSON_AUTHORS = EVENT_EDITORS


# --- what each state of an event still allows (the services refuse with these, the pages show their reasons)

HELD = (EventStatus.DONE, EventStatus.REPORTED, EventStatus.SETTLED)


def event_open(event: Event) -> Decision:
    """Everything recorded about the event (description, places, itinerary, participants, curriculum, budget and
    spending, signed lists, exhibitors, report) is fixed once reported, settled or cancelled (`flows.event_lock`)."""
    return event_lock(event)


def budget_open(event: Event) -> Decision:
    """The budget is the approval decision's once the event is approved (`flows.budget_lock`)."""
    return budget_lock(event)


def places_open(event: Event) -> Decision:
    if event.status not in (EventStatus.PLANNED, EventStatus.APPROVED):
        return deny(_("The event has been held: its places stay on record."))
    return ALLOW


def booths_open(event: Event, *, refusal: str = "") -> Decision:
    """Booths are booked (and cancelled) until the fair is held."""
    if event.status not in (EventStatus.PLANNED, EventStatus.APPROVED):
        return deny(refusal or _("Booths are booked before the fair is held."))
    return ALLOW


def participants_removable(event: Event) -> Decision:
    if event.status in (EventStatus.DONE, EventStatus.REPORTED):
        return deny(_("The event has been held: its participants stay on record (correct them instead)."))
    return ALLOW


def attendance_open(event: Event) -> Decision:
    """Signed lists are stored from approval until the event is reported (reporting needs every day's list)."""
    if not event_lock(event):
        return event_lock(event)
    if event.status not in (EventStatus.APPROVED, EventStatus.DONE):
        return deny(_("Attendance is recorded once the event is approved."))
    return ALLOW


def spending_open(event: Event) -> Decision:
    """What each line cost is recorded once the event is held and before it is reported (reporting needs it)."""
    if not event_lock(event):
        return event_lock(event)
    if event.status != EventStatus.DONE:
        return deny(_("Spending is recorded once the event has been held and until it is reported."))
    return ALLOW


def results_open(event: Event) -> Decision:
    if event.status != EventStatus.DONE:
        return deny(_("Results are recorded once the course has been held."))
    return ALLOW


def employment_open(event: Event) -> Decision:
    """Employment is often confirmed months later: it is recorded after the event is settled too."""
    if event.status not in HELD:
        return deny(_("Employment is recorded once the course has been held."))
    return ALLOW


def certification_open(event: Event) -> Decision:
    if not event_lock(event):
        return event_lock(event)
    if event.status != EventStatus.DONE:
        return deny(_("Exhibitors are certified once the fair has been held."))
    return ALLOW


def report_open(event: Event) -> Decision:
    """The mission report is drafted and edited while the tour is approved or held (not yet reported)."""
    if event.status not in (EventStatus.DONE, EventStatus.APPROVED):
        return deny(_("The mission report is written once the tour has been held."))
    return ALLOW


def report_signable(event: Event) -> Decision:
    if event.status != EventStatus.DONE:
        return deny(_("The report is signed after the tour has been held."))
    return ALLOW


def lessons_open(event: Event) -> Decision:
    """A tour's lessons are recorded once it is under way (the page offers it from approval)."""
    if event.status == EventStatus.PLANNED:
        return deny(_("Lessons are recorded once the tour is approved."))
    return ALLOW


# --- events


def can_create_event(user, province_id: int | None) -> Decision:
    return acting_decision(user, province_id, EVENT_EDITORS,
                           refusal=_("Only centre staff and DoIT officers can organise events."))


def can_act_for(user, event: Event) -> Decision:
    """Centre staff or DoIT officers of the organising province, whatever the event's state."""
    return acting_decision(user, event.province_id, EVENT_EDITORS,
                           refusal=_("Only centre staff and DoIT officers of the organising province can change it."))


def can_edit_event(user, event: Event) -> Decision:
    """The event's description, places, itinerary, participants and results (not its money once approved). Once
    reported, the record is what was reported: only spending, signed lists, exhibitors' certification and later
    employment are still recorded (each by its own check)."""
    return first_refusal(can_act_for(user, event), event_open(event))


def can_record_attendance(user, event: Event) -> Decision:
    return first_refusal(can_act_for(user, event), attendance_open(event))


def can_edit_budget(user, event: Event) -> Decision:
    return first_refusal(can_edit_event(user, event), budget_open(event))


def can_record_spending(user, event: Event) -> Decision:
    decision = acting_decision(user, event.province_id, FINANCE + EVENT_EDITORS,
                               refusal=_("Only the finance officer or centre staff of the organising province can "
                                         "record spending."))
    return first_refusal(decision, spending_open(event))


def can_edit_report(user, event: Event) -> Decision:
    decision = can_edit_event(user, event)
    if not decision:
        return decision
    report = getattr(event, "mission_report", None)
    return first_refusal(mission_report_lock(report), report_open(event))


# --- lessons and model practices


def can_write_lesson(user, province_id: int | None) -> Decision:
    return acting_decision(user, province_id, LESSON_AUTHORS,
                           refusal=_("Only centre staff and DoIT officers can record lessons learned."))


def can_edit_lesson(user, lesson: Lesson) -> Decision:
    if roles_in(user, lesson.author_province_id) & set(LESSON_AUTHORS):
        return ALLOW
    return deny(_("Every province reads this lesson, but only %(province)s, which recorded it, can change it.") % {
        "province": lesson.author_province.name})


def can_mark_practice(user, province_id: int | None) -> Decision:
    return acting_decision(user, province_id, LESSON_AUTHORS,
                           refusal=_("Only a province's own centre staff and DoIT officers can mark its model "
                                     "practices."))


def can_edit_practice(user, practice: ModelPractice) -> Decision:
    if roles_in(user, practice.province_id) & set(LESSON_AUTHORS):
        return ALLOW
    return deny(_("Only %(province)s can change its own model practices.") % {"province": practice.province.name})


def can_organise_somewhere(user) -> bool:
    """Whether the user may plan an event in some province (the list pages offer "New event")."""
    provinces = acting_province_ids(user, EVENT_EDITORS)
    return provinces is None or bool(provinces) or user_scope(user).national


# --- the event page


def event_abilities(user, event: Event) -> dict[str, Decision]:
    """What the user may do on the event's page now, each allowed or with its reason: the role first, then what the
    event's state still allows (the same rules the services refuse with)."""
    edit = can_edit_event(user, event)
    act_for = can_act_for(user, event)
    report = can_edit_report(user, event)
    return {
        "edit": edit,
        "places": first_refusal(edit, places_open(event)),
        "budget": can_edit_budget(user, event),
        "spending": can_record_spending(user, event),
        "remove_participants": first_refusal(edit, participants_removable(event)),
        "attendance": first_refusal(act_for, attendance_open(event)),
        "results": first_refusal(edit, results_open(event)),
        "employment": first_refusal(act_for, employment_open(event)),
        "booths": first_refusal(edit, booths_open(event)),
        "certify": first_refusal(act_for, certification_open(event)),
        "report": report,
        "sign_report": first_refusal(report, report_signable(event)),
        "lesson": first_refusal(can_write_lesson(user, event.province_id), lessons_open(event)),
    }


def report_abilities(user, event: Event) -> dict:
    """What the mission report's page offers: editing the draft, marking it signed, or why not (nothing to say once
    it is signed: the page shows the signature)."""
    edit = can_edit_report(user, event)
    sign = first_refusal(edit, report_signable(event))
    report = getattr(event, "mission_report", None)
    signed = report is not None and report.signed
    return {"editable": edit, "can_sign": sign, "report_note": "" if sign or signed else sign.reason}
