"""Scope cases of the events module: events are scoped by their organiser's province; lessons learned and model
practices are read nationally on purpose (their changes are refused outside the author's province: test_views)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.models import Role, User
from khuyencong.accounts.tests.factories import make_user
from khuyencong.events import services
from khuyencong.events.tests.helpers import centre
from khuyencong.testing.scope import ScopedCase, register, unscoped

PDF = b"%PDF-1.4\n%scope\n%%EOF\n"
D = datetime.date


def _admin() -> User:
    user = User.objects.filter(username="quantri.sukien").first()
    return user or make_user(role=Role.SYSTEM_ADMIN, province_code=None, username="quantri.sukien")


def make_tour(province_code: int):
    """A study tour of the province's centre, held, with a participant, a signed list, a budget line, a trainee-free
    itinerary and a drafted mission report: every page of an event has something to show."""
    admin = _admin()
    event = services.event_create(actor=admin, data={
        "kind": "study_tour_domestic", "audience": "mixed", "title": f"Sự kiện thử phạm vi {province_code}",
        "organiser": centre(province_code), "content": "kc_capacity", "fund": "local",
        "start_date": D(2026, 3, 2), "end_date": D(2026, 3, 2)})
    services.budget_line_add(actor=admin, event=event, kind="transport", unit_cost=5_000_000, support=5_000_000)
    services.event_place_add(actor=admin, event=event, unit=centre(province_code).province)
    services.event_transition(actor=admin, event=event, action="approve", on_date=D(2026, 2, 20),
                              inputs={"reference": "1/QĐ"})
    member = services.participant_add(actor=admin, event=event, data={
        "full_name": "Đỗ Văn Phạm Vi", "role": "member", "origin": "centre"})
    services.attendance_record(actor=admin, event=event, day=D(2026, 3, 2),
                               upload=SimpleUploadedFile("ky.pdf", PDF), present=[member])
    services.event_transition(actor=admin, event=event, action="hold", on_date=D(2026, 3, 3))
    services.mission_report_prepare(actor=admin, event=event)
    event.member = member
    return event


def _posts(e):
    p = e.member.pk
    day = "2026-03-02"
    return [
        ("POST", f"/events/{e.pk}/edit/", {"title": "Bị sửa", "version": e.version}),
        ("POST", f"/events/{e.pk}/act/report/", {}),
        ("POST", f"/events/{e.pk}/act/cancel/", {"reason": "x"}),
        ("POST", f"/events/{e.pk}/places/", {"unit": e.province_id}),
        ("POST", f"/events/{e.pk}/places/1/remove/", {}),
        ("POST", f"/events/{e.pk}/budget/", {"kind": "transport", "quantity": 1, "unit_cost": "1000"}),
        ("POST", f"/events/{e.pk}/budget/1/remove/", {}),
        ("POST", f"/events/{e.pk}/budget/1/spent/", {"spent": "1000"}),
        ("POST", f"/events/{e.pk}/participants/", {"full_name": "Lạ", "role": "member", "origin": "centre"}),
        ("POST", f"/events/{e.pk}/participants/{p}/", {"full_name": "Bị sửa", "role": "member", "origin": "centre"}),
        ("POST", f"/events/{e.pk}/participants/{p}/remove/", {}),
        ("POST", f"/events/{e.pk}/participants/{p}/result/", {"result": "passed"}),
        ("POST", f"/events/{e.pk}/participants/{p}/employment/", {"employed": "on", "employer_name": "x"}),
        ("POST", f"/events/{e.pk}/attendance/", {"day": day}),
        ("POST", f"/events/{e.pk}/curriculum/", {"subject": "x", "theory_hours": 1, "practice_hours": 0}),
        ("POST", f"/events/{e.pk}/curriculum/1/remove/", {}),
        ("POST", f"/events/{e.pk}/itinerary/", {"day": day, "host_province": e.province_id}),
        ("POST", f"/events/{e.pk}/itinerary/1/remove/", {}),
        ("POST", f"/events/{e.pk}/itinerary/1/visits/", {"visit1-kind": "other", "visit1-name": "x"}),
        ("POST", f"/events/{e.pk}/visits/1/remove/", {}),
        ("POST", f"/events/{e.pk}/booths/", {"number": "A1", "price": "1000"}),
        ("POST", f"/events/{e.pk}/booths/1/remove/", {}),
        ("POST", f"/events/{e.pk}/booths/1/certify/", {"certified": "1"}),
        ("POST", f"/events/{e.pk}/report/", {"body": "Bị sửa", "version": 1}),
        ("POST", f"/events/{e.pk}/report/sign/", {}),
        ("POST", f"/events/{e.pk}/report/regenerate/", {}),
    ]


register(
    ScopedCase(
        name="event",
        make=make_tour,
        marker=lambda e: e.title,
        list_urls=["/events/", "/events/?q=su+kien+thu+pham+vi", "/events/?kind=study_tour&year=2026",
                   "/events/calendar/?month=2026-03", "/api/v1/events?limit=200", "/api/v1/events?q=thu+pham+vi"],
        detail_urls=lambda e: [f"/events/{e.pk}/", f"/events/{e.pk}/edit/", f"/events/{e.pk}/report/",
                               f"/events/{e.pk}/participants/{e.member.pk}/",
                               f"/events/{e.pk}/attendance/2026-03-02/", f"/events/{e.pk}/participants.xlsx",
                               f"/events/{e.pk}/sign-list/", f"/events/{e.pk}/sign-list/?format=docx",
                               f"/events/{e.pk}/booths.xlsx", f"/events/{e.pk}/settlement.xlsx",
                               f"/events/{e.pk}/documents/booths/", f"/events/{e.pk}/documents/settlement/?format=docx",
                               f"/api/v1/events/{e.pk}"],
        change_requests=_posts,
        covers=["event_list", "event_calendar", "event_detail", "event_edit", "event_act", "event_place_add",
                "event_place_remove", "event_budget_add", "event_budget_remove", "event_budget_spent",
                "event_participant_add", "event_participant_edit", "event_participant_remove",
                "event_trainee_result", "event_trainee_employment", "event_attendance", "event_attendance_file",
                "event_curriculum_add", "event_curriculum_remove", "event_day_add", "event_day_remove",
                "event_visit_add", "event_visit_remove", "event_booth_add", "event_booth_remove",
                "event_booth_certify", "event_report", "event_report_sign", "event_report_regenerate",
                "event_participants_export", "event_participants_document", "event_booths_export",
                "event_settlement_export", "event_table_document",
                "api:event_list", "api:event_detail"],
    )
)


def make_course(province_code: int):
    """A training course held in the province, with one trainee on the signed list."""
    admin = _admin()
    event = services.event_create(actor=admin, data={
        "kind": "training", "title": f"Lớp thử phạm vi {province_code}", "organiser": centre(province_code),
        "content": "training", "fund": "local", "start_date": D(2026, 3, 2), "end_date": D(2026, 3, 2),
        "venue": "Nhà văn hóa"})
    services.budget_line_add(actor=admin, event=event, kind="teachers", unit_cost=1_000_000, support=1_000_000)
    services.event_transition(actor=admin, event=event, action="approve", on_date=D(2026, 2, 20),
                              inputs={"reference": "2/QĐ"})
    trainee = services.participant_add(actor=admin, event=event, data={
        "full_name": "Lò Thị Học", "role": "trainee", "origin": "other"})
    services.attendance_record(actor=admin, event=event, day=D(2026, 3, 2), upload=SimpleUploadedFile("k.pdf", PDF),
                               present=[trainee])
    services.event_transition(actor=admin, event=event, action="hold", on_date=D(2026, 3, 3))
    return event


register(
    ScopedCase(
        name="training_results",
        make=make_course,
        marker=lambda e: e.title,
        list_urls=["/events/training-results/", "/events/training-results/?year=2026"],
        detail_urls=lambda e: [],
        covers=["event_training_results"],
    )
)

unscoped("event_create", "plans events only for organisers in the user's own provinces (test_views, test_services)")
unscoped("event_planner", "ranks provinces on counts and on lessons and model practices that are national reading; "
                          "no record of another province is shown (test_planner)")
unscoped("event_draft", "drafts a tour organised by the user's own centre only (test_planner: refused elsewhere)")
unscoped("lesson_list", "lessons learned are read by every province by design")
unscoped("lesson_detail", "lessons learned are read by every province by design")
unscoped("api:lesson_list", "lessons learned are read by every province by design (see test_api)")
unscoped("api:lesson_detail", "lessons learned are read by every province by design (see test_api)")
unscoped("lesson_create", "records a lesson for the user's own province only (test_services)")
unscoped("lesson_edit", "read nationally; changes are refused outside the author's province (test_views)")
unscoped("lesson_followup_add", "changes are refused outside the author's province (test_views)")
unscoped("lesson_followup_edit", "changes are refused outside the author's province (test_views)")
unscoped("practice_list", "model practices are published by each province for every province")
unscoped("practice_create", "a province marks only its own model practices (test_services)")
unscoped("practice_edit", "changed only by the province itself (test_views)")

