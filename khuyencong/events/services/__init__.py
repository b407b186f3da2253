"""Every write of the events module, one module per aggregate: events and their lifecycle (`events`), budget
(`budget`), participants (`participants`), signed attendance (`attendance`), training courses (`training`), study
tours' places, itinerary, mission report and planner draft (`tours`), fairs' booths (`fairs`), and lessons learned,
follow-ups and model practices (`lessons`).

Each service checks permission and input, raises a domain error with a Vietnamese message, writes atomically and
records one audit event. Callers import them from here.
"""

from .attendance import attendance_record
from .budget import budget_line_add, budget_line_remove, budget_line_spent, quote_line
from .common import current_province_of, unit_for_date
from .events import EVENT_FIELDS, LOCKED_AFTER_APPROVAL, event_create, event_search_text, event_transition, event_update
from .fairs import booth_add, booth_certify, booth_remove
from .lessons import (
    LESSON_FIELDS,
    PRACTICE_FIELDS,
    followup_add,
    followup_update,
    lesson_create,
    lesson_search_text,
    lesson_update,
    practice_create,
    practice_search_text,
    practice_update,
)
from .participants import PARTICIPANT_FIELDS, participant_add, participant_remove, participant_update
from .tours import (
    REPORT_FIELDS,
    event_place_add,
    event_place_remove,
    itinerary_day_add,
    itinerary_day_remove,
    mission_report_prepare,
    mission_report_regenerate,
    mission_report_sign,
    mission_report_update,
    site_visit_add,
    site_visit_remove,
    study_tour_draft,
)
from .training import curriculum_item_add, curriculum_item_remove, trainee_employment_set, trainee_result_set

__all__ = [
    "EVENT_FIELDS",
    "LESSON_FIELDS",
    "LOCKED_AFTER_APPROVAL",
    "PARTICIPANT_FIELDS",
    "PRACTICE_FIELDS",
    "REPORT_FIELDS",
    "attendance_record",
    "booth_add",
    "booth_certify",
    "booth_remove",
    "budget_line_add",
    "budget_line_remove",
    "budget_line_spent",
    "current_province_of",
    "curriculum_item_add",
    "curriculum_item_remove",
    "event_create",
    "event_place_add",
    "event_place_remove",
    "event_search_text",
    "event_transition",
    "event_update",
    "followup_add",
    "followup_update",
    "itinerary_day_add",
    "itinerary_day_remove",
    "lesson_create",
    "lesson_search_text",
    "lesson_update",
    "mission_report_prepare",
    "mission_report_regenerate",
    "mission_report_sign",
    "mission_report_update",
    "participant_add",
    "participant_remove",
    "participant_update",
    "practice_create",
    "practice_search_text",
    "practice_update",
    "quote_line",
    "site_visit_add",
    "site_visit_remove",
    "study_tour_draft",
    "trainee_employment_set",
    "trainee_result_set",
    "unit_for_date",
]
