"""Who may change events, lessons and model practices. Each check returns a Decision with a Vietnamese reason.

Events belong to their organiser's province. Lessons are read by every province but changed only within the author's
province; a model practice is marked only by its own province.
"""

from django.utils.translation import gettext as _

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import user_scope
from khuyencong.core.permissions import ALLOW, Decision, deny

from .models import Event, EventStatus, Lesson, ModelPractice

EVENT_EDITORS = (Role.SYSTEM_ADMIN, Role.MINISTRY_OFFICER, Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.DOIT_MANAGER)
FINANCE = (Role.SYSTEM_ADMIN, Role.FINANCE_OFFICER)
LESSON_AUTHORS = EVENT_EDITORS


def _role_map(user) -> dict[str, tuple[bool, frozenset[int]]]:
    """role → (held nationally, provinces where it is held for the whole province), from the user's scope."""
    return user_scope(user).role_places


def acting_roles(user, province_id: int | None) -> set[str]:
    """Roles the user holds nationally or for the whole of this province (not for some of its communes only)."""
    return {role for role, (national, provinces) in _role_map(user).items()
            if national or (province_id is not None and province_id in provinces)}


def home_provinces(user) -> set[int]:
    """Provinces where the user holds a role for the whole province."""
    return {p for _national, provinces in _role_map(user).values() for p in provinces}


def acts_in(user, province_id: int | None, roles, *, refusal: str) -> Decision:
    if acting_roles(user, province_id) & set(roles):
        return ALLOW
    if set(_role_map(user)) & set(roles):
        return deny(_("You hold the role needed, but not for this province."))
    return deny(refusal)


# --- events


def can_create_event(user, province_id: int | None) -> Decision:
    return acts_in(user, province_id, EVENT_EDITORS,
                   refusal=_("Only centre staff and DoIT officers can organise events."))


def can_act_for(user, event: Event) -> Decision:
    """Centre staff or DoIT officers of the organising province, whatever the event's state."""
    return acts_in(user, event.province_id, EVENT_EDITORS,
                   refusal=_("Only centre staff and DoIT officers of the organising province can change it."))


def can_edit_event(user, event: Event) -> Decision:
    """The event's description, places, itinerary, participants and results (not its money once approved). Once
    reported, the record is what was reported: only spending, signed lists, exhibitors' certification and later
    employment are still recorded (each by its own check)."""
    decision = can_act_for(user, event)
    if not decision:
        return decision
    if event.status in (EventStatus.REPORTED, EventStatus.SETTLED, EventStatus.CANCELLED):
        return deny(_("The event is %(status)s: it can no longer be changed.") % {
            "status": event.get_status_display().lower()})
    return ALLOW


def can_record_attendance(user, event: Event) -> Decision:
    """Signed lists are stored from approval until settlement (a missing day can still be added for it)."""
    decision = can_act_for(user, event)
    if not decision:
        return decision
    if event.status not in (EventStatus.APPROVED, EventStatus.DONE, EventStatus.REPORTED):
        return deny(_("Attendance is recorded once the event is approved."))
    return ALLOW


def can_edit_budget(user, event: Event) -> Decision:
    decision = can_edit_event(user, event)
    if not decision:
        return decision
    if event.status != EventStatus.PLANNED:
        return deny(_("The budget was approved: it can no longer be changed (record what was spent instead)."))
    return ALLOW


def can_record_spending(user, event: Event) -> Decision:
    decision = acts_in(user, event.province_id, FINANCE + EVENT_EDITORS,
                       refusal=_("Only the finance officer or centre staff of the organising province can record "
                                 "spending."))
    if not decision:
        return decision
    if event.status not in (EventStatus.DONE, EventStatus.REPORTED):
        return deny(_("Spending is recorded once the event has been held and until it is settled."))
    return ALLOW


def can_edit_report(user, event: Event) -> Decision:
    decision = can_edit_event(user, event)
    if not decision:
        return decision
    report = getattr(event, "mission_report", None)
    if report is not None and report.signed:
        return deny(_("The mission report is signed: its text can no longer be changed."))
    if event.status not in (EventStatus.DONE, EventStatus.APPROVED):
        return deny(_("The mission report is written once the tour has been held."))
    return ALLOW


# --- lessons and model practices


def can_write_lesson(user, province_id: int | None) -> Decision:
    return acts_in(user, province_id, LESSON_AUTHORS,
                   refusal=_("Only centre staff and DoIT officers can record lessons learned."))


def can_edit_lesson(user, lesson: Lesson) -> Decision:
    if acting_roles(user, lesson.author_province_id) & set(LESSON_AUTHORS):
        return ALLOW
    return deny(_("Every province reads this lesson, but only %(province)s, which recorded it, can change it.") % {
        "province": lesson.author_province.name})


def can_mark_practice(user, province_id: int | None) -> Decision:
    return acts_in(user, province_id, LESSON_AUTHORS,
                   refusal=_("Only a province's own centre staff and DoIT officers can mark its model practices."))


def can_edit_practice(user, practice: ModelPractice) -> Decision:
    if acting_roles(user, practice.province_id) & set(LESSON_AUTHORS):
        return ALLOW
    return deny(_("Only %(province)s can change its own model practices.") % {"province": practice.province.name})
