"""The services that correct or remove a part of an event (a budget line, a participant, a module, a site visited,
a booth) or rebuild the mission report's draft: each does its work and records it, and each is refused once the
event's state has fixed that part."""

import pytest
from django.utils.translation import gettext as tr

from khuyencong.accounts.tests.factories import province
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import Conflict, InvalidInput
from khuyencong.core.locks import RecordLocked
from khuyencong.core.text import fold
from khuyencong.events import services
from khuyencong.events.models import (
    Booth,
    BudgetLine,
    CurriculumItem,
    EventStatus,
    MissionReport,
    Participant,
    SiteVisit,
)

from .helpers import D, establishment, make_event, make_training, person
from .test_services import approve, held_tour

pytestmark = pytest.mark.django_db


def last_audit(event):
    return audit_events_for(event).first()


def cancel(event, actor):
    services.event_transition(actor=actor, event=event, action="cancel", inputs={"reason": "Không bố trí kinh phí"})


def closed(status) -> str:
    return tr("The event is %(status)s: it can no longer be changed.") % {"status": status.label.lower()}


# --- budget_line_remove


def test_budget_line_remove_takes_the_line_off_a_planned_event(staff):
    event = make_event(staff)
    line = services.budget_line_add(actor=staff, event=event, kind="transport", unit_cost=2_000_000, support=0)
    services.budget_line_remove(actor=staff, line=line)
    assert not BudgetLine.objects.filter(pk=line.pk).exists()
    audit = last_audit(event)
    assert audit.action == "event.budget_remove"
    assert audit.changes == {"line": [f"{line.get_kind_display()}: 2000000 / 0", None]}


def test_budget_line_remove_is_refused_once_approved(staff, manager):
    event = make_event(staff)
    line = services.budget_line_add(actor=staff, event=event, kind="transport", unit_cost=1_000, support=1_000)
    services.event_place_add(actor=staff, event=event, unit=province(80))
    approve(event, manager)
    with pytest.raises(RecordLocked) as exc:
        services.budget_line_remove(actor=staff, line=line)
    assert exc.value.message == tr(
        "The budget was approved: it can no longer be changed (record what was spent instead).")
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_budget_line_remove_is_refused_once_cancelled(staff):
    event = make_event(staff)
    line = services.budget_line_add(actor=staff, event=event, kind="transport", unit_cost=1_000, support=1_000)
    cancel(event, staff)
    with pytest.raises(RecordLocked) as exc:
        services.budget_line_remove(actor=staff, line=line)
    assert exc.value.message == closed(EventStatus.CANCELLED)


# --- participant_update


def test_participant_update_corrects_the_record_and_its_search_name(staff):
    event = make_event(staff)
    participant = person(staff, event, "Nguyen Van A")
    services.participant_update(actor=staff, participant=participant, version=participant.version,
                                data={"full_name": "Nguyễn Văn Ánh", "position": "Chuyên viên"})
    participant.refresh_from_db()
    assert participant.full_name == "Nguyễn Văn Ánh" and participant.position == "Chuyên viên"
    assert participant.name_folded == fold("Nguyễn Văn Ánh")
    audit = last_audit(event)
    assert audit.action == "event.participant_update"
    assert audit.changes["Nguyễn Văn Ánh.full_name"] == ["Nguyen Van A", "Nguyễn Văn Ánh"]


def test_participant_update_refuses_bad_input_and_a_stale_version(staff):
    event = make_event(staff)
    participant = person(staff, event, "Nguyễn Văn A")
    with pytest.raises(InvalidInput) as exc:
        services.participant_update(actor=staff, participant=participant, data={"role": "trainee"},
                                    version=participant.version)
    assert exc.value.message == tr("Trainees take part in training courses only.") and exc.value.field == "role"
    with pytest.raises(InvalidInput) as exc:
        services.participant_update(actor=staff, participant=participant, data={"full_name": "  "},
                                    version=participant.version)
    assert exc.value.message == tr("Give the participant's full name.")
    with pytest.raises(Conflict) as exc:
        services.participant_update(actor=staff, participant=participant, data={"position": "Kế toán"},
                                    version=participant.version - 1)
    assert exc.value.message == tr("Someone else changed this participant after you opened it. Reload and try "
                                   "again.")


def test_participant_update_is_refused_once_the_event_is_cancelled(staff):
    event = make_event(staff)
    participant = person(staff, event, "Nguyễn Văn A")
    cancel(event, staff)
    with pytest.raises(RecordLocked) as exc:
        services.participant_update(actor=staff, participant=participant, data={"position": "Kế toán"},
                                    version=participant.version)
    assert exc.value.message == closed(EventStatus.CANCELLED)


# --- participant_remove


def test_participant_remove_takes_a_name_off_before_the_event_is_held(staff):
    event = make_event(staff)
    participant = person(staff, event, "Nguyễn Văn A")
    services.participant_remove(actor=staff, participant=participant)
    assert not Participant.objects.filter(pk=participant.pk).exists()
    audit = last_audit(event)
    assert audit.action == "event.participant_remove"
    assert audit.changes == {"participant": ["Nguyễn Văn A", None]}


def test_participant_remove_is_refused_once_held(staff, manager):
    event = make_event(staff)
    services.budget_line_add(actor=staff, event=event, kind="transport", unit_cost=1_000, support=1_000)
    services.event_place_add(actor=staff, event=event, unit=province(80))
    approve(event, manager)
    participant = person(staff, event, "Nguyễn Văn A")
    services.event_transition(actor=staff, event=event, action="hold", on_date=D(2026, 3, 4))
    with pytest.raises(InvalidInput) as exc:
        services.participant_remove(actor=staff, participant=participant)
    assert exc.value.message == tr(
        "The event has been held: its participants stay on record (correct them instead).")
    assert Participant.objects.filter(pk=participant.pk).exists()


def test_participant_remove_is_refused_once_cancelled(staff):
    event = make_event(staff)
    participant = person(staff, event, "Nguyễn Văn A")
    cancel(event, staff)
    with pytest.raises(RecordLocked) as exc:
        services.participant_remove(actor=staff, participant=participant)
    assert exc.value.message == closed(EventStatus.CANCELLED)


# --- curriculum_item_remove


def test_curriculum_item_remove_takes_the_module_off(staff):
    course = make_training(staff)
    item = services.curriculum_item_add(actor=staff, event=course, subject="Kỹ thuật dệt", theory_hours=4)
    services.curriculum_item_remove(actor=staff, item=item)
    assert not CurriculumItem.objects.filter(pk=item.pk).exists()
    audit = last_audit(course)
    assert audit.action == "event.curriculum_remove" and audit.changes == {"module": ["Kỹ thuật dệt", None]}


def test_curriculum_item_remove_is_refused_once_cancelled(staff):
    course = make_training(staff)
    item = services.curriculum_item_add(actor=staff, event=course, subject="Kỹ thuật dệt", theory_hours=4)
    cancel(course, staff)
    with pytest.raises(RecordLocked) as exc:
        services.curriculum_item_remove(actor=staff, item=item)
    assert exc.value.message == closed(EventStatus.CANCELLED)
    assert CurriculumItem.objects.filter(pk=item.pk).exists()


# --- site_visit_remove


def visited(staff):
    tour = make_event(staff)
    day = services.itinerary_day_add(actor=staff, event=tour, day=D(2026, 3, 2), host_province=province(80),
                                     host_name="Sở Công Thương Tây Ninh")
    return tour, services.site_visit_add(actor=staff, day=day, kind="other", name="Làng nghề bánh tráng")


def test_site_visit_remove_takes_the_site_off_the_day(staff):
    tour, visit = visited(staff)
    services.site_visit_remove(actor=staff, visit=visit)
    assert not SiteVisit.objects.filter(pk=visit.pk).exists()
    audit = last_audit(tour)
    assert audit.action == "event.visit_remove" and audit.changes == {"visit": ["Làng nghề bánh tráng", None]}


def test_site_visit_remove_is_refused_once_cancelled(staff):
    tour, visit = visited(staff)
    cancel(tour, staff)
    with pytest.raises(RecordLocked) as exc:
        services.site_visit_remove(actor=staff, visit=visit)
    assert exc.value.message == closed(EventStatus.CANCELLED)
    assert SiteVisit.objects.filter(pk=visit.pk).exists()


# --- booth_remove


def booked_fair(staff):
    fair = make_event(staff, kind="fair_attended", audience="", content="fair_domestic_participate", venue="Hà Nội")
    booth = services.booth_add(actor=staff, event=fair, establishment=establishment(), number="A1",
                               price=1_000_000)
    return fair, booth


def test_booth_remove_cancels_the_booking_before_the_fair(staff):
    fair, booth = booked_fair(staff)
    services.booth_remove(actor=staff, booth=booth)
    assert not Booth.objects.filter(pk=booth.pk).exists()
    audit = last_audit(fair)
    assert audit.action == "event.booth_remove"
    assert audit.changes == {"booth": [f"A1 {booth.establishment.name}", None]}


def test_booth_remove_is_refused_once_the_fair_is_held(staff, manager):
    fair, booth = booked_fair(staff)
    services.budget_line_add(actor=staff, event=fair, kind="booth_rent", unit_cost=1_000_000)
    approve(fair, manager)
    person(staff, fair, "Nguyễn Văn A")
    services.event_transition(actor=staff, event=fair, action="hold", on_date=D(2026, 3, 4))
    with pytest.raises(InvalidInput) as exc:
        services.booth_remove(actor=staff, booth=booth)
    assert exc.value.message == tr("The fair has been held: its booths stay on record.")
    assert Booth.objects.filter(pk=booth.pk).exists()


def test_booth_remove_is_refused_once_cancelled(staff):
    fair, booth = booked_fair(staff)
    cancel(fair, staff)
    with pytest.raises(RecordLocked) as exc:
        services.booth_remove(actor=staff, booth=booth)
    assert exc.value.message == closed(EventStatus.CANCELLED)


# --- mission_report_regenerate


def test_mission_report_regenerate_rebuilds_the_draft_from_the_data(staff, manager):
    tour, _head = held_tour(staff, manager)
    report = services.mission_report_prepare(actor=staff, event=tour, on_date=D(2016, 12, 5))
    services.mission_report_update(actor=staff, report_obj=report, data={"body": "Văn bản sửa tay."},
                                   version=report.version)
    version = report.version
    services.mission_report_regenerate(actor=staff, report_obj=report)
    report.refresh_from_db()
    assert report.body.startswith("I. MỤC ĐÍCH, THÀNH PHẦN ĐOÀN") and "Văn bản sửa tay." not in report.body
    assert report.version == version + 1
    assert last_audit(tour).action == "event.report_regenerate"


def test_mission_report_regenerate_refuses_a_stale_draft_and_a_signed_report(staff, manager):
    tour, _head = held_tour(staff, manager)
    report = services.mission_report_prepare(actor=staff, event=tour, on_date=D(2016, 12, 5))
    stale = MissionReport.objects.get(pk=report.pk)
    services.mission_report_update(actor=staff, report_obj=report, data={"number": "45/BC-TTKC"},
                                   version=report.version)
    with pytest.raises(Conflict) as exc:
        services.mission_report_regenerate(actor=staff, report_obj=stale)
    assert exc.value.message == tr("Someone else changed this report after you opened it. Reload and try again.")
    services.mission_report_sign(actor=staff, report_obj=report)
    tour.refresh_from_db()
    with pytest.raises(RecordLocked) as exc:
        services.mission_report_regenerate(actor=staff, report_obj=MissionReport.objects.get(pk=report.pk))
    assert exc.value.message == tr("The mission report is signed: its text can no longer be changed.")
