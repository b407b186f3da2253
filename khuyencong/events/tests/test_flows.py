"""The lifecycle planned → approved → held → reported → settled: who may act, each guard's refusal, the reasons the
page shows."""

import pytest
from django.utils.translation import gettext as tr

from khuyencong.accounts.tests.factories import province
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.locks import RecordLocked
from khuyencong.events import flows, services
from khuyencong.events.models import EventStatus

from .helpers import D, establishment, legacy_province, make_event, make_training, pdf, person

pytestmark = pytest.mark.django_db


MARCH_10 = D(2026, 3, 10)


def act(actor, event, action, on=MARCH_10, **inputs):
    return services.event_transition(actor=actor, event=event, action=action, on_date=on, inputs=inputs)


def test_approve_needs_a_manager_a_budget_a_place_and_a_decision(staff, manager):
    event = make_event(staff)
    with pytest.raises(PermissionDenied) as exc:
        act(staff, event, "approve", reference="1/QĐ")
    assert exc.value.message == tr("Only %(who)s can do this.") % {
        "who": tr("a DoIT manager of the organising province")}
    with pytest.raises(InvalidInput) as exc:
        act(manager, event, "approve", reference="1/QĐ")
    assert exc.value.message == tr("Add the budget lines before asking for approval.")
    services.budget_line_add(actor=staff, event=event, kind="transport", unit_cost=1_000, support=1_000)
    with pytest.raises(InvalidInput) as exc:
        act(manager, event, "approve", reference="1/QĐ")
    assert exc.value.message == tr("Name the host provinces (places or itinerary) before asking for approval.")
    services.event_place_add(actor=staff, event=event, unit=province(80))
    with pytest.raises(InvalidInput) as exc:
        act(manager, event, "approve", reference=" ")
    assert exc.value.message == tr("Give the number of the decision or voucher.")
    act(manager, event, "approve", on=D(2026, 2, 1), reference="12/QĐ-SCT")
    event.refresh_from_db()
    assert event.status == EventStatus.APPROVED and event.approval_reference == "12/QĐ-SCT"
    assert event.approved_on == D(2026, 2, 1)
    assert audit_events_for(event).first().action == "event.approve"


def test_non_tours_need_a_place_or_venue(staff, manager):
    course = make_training(staff)
    services.budget_line_add(actor=staff, event=course, kind="teachers", unit_cost=1_000, support=1_000)
    with pytest.raises(InvalidInput) as exc:
        act(manager, course, "approve", reference="1")
    assert exc.value.message == tr("Give the place or venue before asking for approval.")


def approved(staff, manager, **fields):
    event = make_event(staff, **fields)
    services.budget_line_add(actor=staff, event=event, kind="transport", unit_cost=1_000, support=1_000)
    services.event_place_add(actor=staff, event=event, unit=province(80) if event.start_date.year > 2025
                             else legacy_province(80))
    act(manager, event, "approve", on=event.start_date, reference="1/QĐ")
    return event


def test_hold_after_the_last_day_with_participants(staff, manager):
    event = approved(staff, manager)
    with pytest.raises(InvalidInput) as exc:
        act(staff, event, "hold", on=D(2026, 3, 3))
    assert exc.value.message == tr("The event ends on %(date)s: it can be marked as held from that day.") % {
        "date": "04/03/2026"}
    with pytest.raises(InvalidInput) as exc:
        act(staff, event, "hold", on=D(2026, 3, 4))
    assert exc.value.message == tr("Add the participants before marking the event as held.")
    person(staff, event, "Nguyễn Văn A")
    act(staff, event, "hold", on=D(2026, 3, 4))
    assert event.status == EventStatus.DONE


def test_training_needs_trainees_and_their_results_before_reporting(staff, manager):
    course = make_training(staff, venue="Bản Lướt")
    services.budget_line_add(actor=staff, event=course, kind="teachers", unit_cost=1_000, support=1_000)
    act(manager, course, "approve", on=D(2026, 2, 1), reference="1")
    person(staff, course, "Giảng viên", role="teacher", origin="other")
    with pytest.raises(InvalidInput) as exc:
        act(staff, course, "hold")
    assert exc.value.message == tr("Add the trainees before marking the course as held.")
    trainee = person(staff, course, "Học viên", role="trainee", origin="other")
    act(staff, course, "hold")
    with pytest.raises(InvalidInput) as exc:
        act(staff, course, "report")
    assert exc.value.message == tr("Record the result of every trainee (%(n)s without a result).") % {"n": 1}
    services.trainee_result_set(actor=staff, participant=trainee, result="failed")
    # Reporting closes the record: the signed lists of every day and what was spent come first.
    with pytest.raises(InvalidInput) as exc:
        act(staff, course, "report")
    assert exc.value.message == tr("Upload the signed attendance list of every day (missing: %(days)s).") % {
        "days": "02/03/2026, 03/03/2026"}
    for day in (D(2026, 3, 2), D(2026, 3, 3)):
        services.attendance_record(actor=staff, event=course, day=day, upload=pdf(), present=[trainee])
    with pytest.raises(InvalidInput) as exc:
        act(staff, course, "report")
    assert exc.value.message == tr("Record what was spent on every budget line (%(n)s missing).") % {"n": 1}
    services.budget_line_spent(actor=staff, line=course.budget_lines.get(), spent=1_000)
    act(staff, course, "report")
    assert course.status == EventStatus.REPORTED
    # What was reported stays as reported; employment confirmed months later is still recorded.
    with pytest.raises(RecordLocked) as exc:
        person(staff, course, "Học viên muộn", role="trainee", origin="other")
    assert exc.value.message == tr("The event is %(status)s: it can no longer be changed.") % {
        "status": EventStatus.REPORTED.label.lower()}
    services.trainee_employment_set(actor=staff, participant=trainee, employed=True, employer_name="HTX Dệt",
                                    confirmation="05/XN ngày 1/9/2026")
    trainee.refresh_from_db()
    assert trainee.employed


def test_tour_reports_with_a_signed_report_and_a_lesson(staff, manager):
    tour = approved(staff, manager, start_date=D(2018, 5, 17), end_date=D(2018, 5, 18))
    head = person(staff, tour, "Phan Thị Khánh Duyên", role="head")
    act(staff, tour, "hold", on=D(2018, 5, 18))
    with pytest.raises(InvalidInput) as exc:
        act(staff, tour, "report", on=D(2018, 5, 25))
    assert exc.value.message == tr("Sign the mission report first.")
    report = services.mission_report_prepare(actor=staff, event=tour)
    services.mission_report_update(actor=staff, report_obj=report, data={"number": "52/BC-TTKC"},
                                   version=report.version)
    services.mission_report_sign(actor=staff, report_obj=report)
    with pytest.raises(InvalidInput) as exc:
        act(staff, tour, "report", on=D(2018, 5, 25))
    assert exc.value.message == tr("Record at least one lesson learned from the tour: that is what the tour was for.")
    services.lesson_create(actor=staff, data={"topic": "collaborator_network", "title": "Cộng tác viên",
                                              "practice": "Cơ cấu mạng lưới.", "province": province(80),
                                              "event": tour})
    for day in (D(2018, 5, 17), D(2018, 5, 18)):
        services.attendance_record(actor=staff, event=tour, day=day, upload=pdf(), present=[head])
    services.budget_line_spent(actor=staff, line=tour.budget_lines.get(), spent=1_000)
    act(staff, tour, "report", on=D(2018, 5, 25))
    assert tour.status == EventStatus.REPORTED


def test_fair_reports_with_certified_exhibitors_and_settles_with_signed_lists(staff, manager, finance):
    fair = make_event(staff, kind="fair_attended", audience="", content="fair_domestic_participate",
                      start_date=D(2025, 11, 12), end_date=D(2025, 11, 13), venue="Hà Nội")
    booth = services.booth_add(actor=staff, event=fair, establishment=establishment(), number="A1",
                               price=10_000_000)
    services.budget_line_add(actor=staff, event=fair, kind="booth_rent", unit_cost=10_000_000)
    act(manager, fair, "approve", on=D(2025, 10, 1), reference="5/QĐ")
    exhibitor = person(staff, fair, "Chủ cơ sở", role="exhibitor", origin="establishment",
                       establishment=booth.establishment)
    act(staff, fair, "hold", on=D(2025, 11, 13))
    with pytest.raises(InvalidInput) as exc:
        act(staff, fair, "report", on=D(2025, 11, 20))
    assert exc.value.message == tr("Certify which exhibitors took part before reporting.")
    services.booth_certify(actor=staff, booth=booth, certified=True, on_date=D(2025, 11, 14))
    with pytest.raises(InvalidInput) as exc:
        act(staff, fair, "report", on=D(2025, 11, 20))
    assert exc.value.message == tr("Upload the signed attendance list of every day (missing: %(days)s).") % {
        "days": "12/11/2025, 13/11/2025"}
    for day in (D(2025, 11, 12), D(2025, 11, 13)):
        services.attendance_record(actor=staff, event=fair, day=day, upload=pdf(), present=[exhibitor])
    with pytest.raises(InvalidInput) as exc:
        act(staff, fair, "report", on=D(2025, 11, 20))
    assert exc.value.message == tr("Record what was spent on every budget line (%(n)s missing).") % {"n": 1}
    services.budget_line_spent(actor=finance, line=fair.budget_lines.get(), spent=9_500_000)
    act(staff, fair, "report", on=D(2025, 11, 20))
    # Reported: what was spent is the reported figure (the known bug: it could still be saved).
    line = fair.budget_lines.get()
    with pytest.raises(RecordLocked) as exc:
        services.budget_line_spent(actor=finance, line=line, spent=1_000)
    assert exc.value.message == tr("The event is %(status)s: it can no longer be changed.") % {
        "status": EventStatus.REPORTED.label.lower()}
    assert fair.budget_lines.get().spent_vnd == 9_500_000
    with pytest.raises(PermissionDenied) as exc:
        act(staff, fair, "settle", reference="QT-1")
    assert exc.value.message == tr("Only %(who)s can do this.") % {
        "who": tr("the finance officer of the organising province")}
    act(finance, fair, "settle", on=D(2025, 12, 20), reference="QT-1")
    fair.refresh_from_db()
    assert fair.status == EventStatus.SETTLED and fair.settlement_reference == "QT-1"
    line = fair.budget_lines.get()
    assert line.settled_support_vnd == 9_500_000  # never more than was spent
    with pytest.raises(RecordLocked) as exc:
        person(staff, fair, "Muộn")
    assert exc.value.message == tr("The event is %(status)s: it can no longer be changed.") % {
        "status": EventStatus.SETTLED.label.lower()}


def test_cancel_needs_a_reason_and_only_before_it_is_held(staff, manager):
    event = make_event(staff)
    with pytest.raises(InvalidInput) as exc:
        act(staff, event, "cancel")
    assert exc.value.message == tr("Give the reason.")
    act(staff, event, "cancel", reason="Không bố trí được kinh phí")
    assert event.status == EventStatus.CANCELLED and event.status_note == "Không bố trí được kinh phí"
    with pytest.raises(InvalidInput) as exc:
        act(staff, event, "approve", reference="1")
    assert exc.value.message == tr("Not possible while the event is %(status)s.") % {
        "status": EventStatus.CANCELLED.label}


def test_unknown_action_is_refused(staff):
    with pytest.raises(InvalidInput) as exc:
        act(staff, make_event(staff), "teleport")
    assert exc.value.message == tr("Unknown action “%(action)s”.") % {"action": "teleport"}


def test_available_actions_give_reasons(staff, manager, viewer):
    event = make_event(staff)
    options = {o.action: o for o in flows.event_flow.options(event, staff, on_date=D(2026, 3, 1))}
    assert set(options) == {"approve", "cancel"}
    assert not options["approve"].allowed
    assert options["approve"].reasons == [tr("Only %(who)s can do this.") % {
        "who": tr("a DoIT manager of the organising province")},
        tr("Add the budget lines before asking for approval."),
        tr("Name the host provinces (places or itinerary) before asking for approval.")]
    assert options["cancel"].allowed and options["cancel"].inputs == ("reason",)
    for_viewer = {o.action: o for o in flows.event_flow.options(event, viewer, on_date=D(2026, 3, 1))}
    assert not for_viewer["cancel"].allowed
    event.status = EventStatus.SETTLED
    assert flows.event_flow.options(event, staff, on_date=D(2026, 3, 1)) == []


def test_transition_table_is_consistent():
    targets = {t.target for t in flows.TRANSITIONS}
    assert targets == {EventStatus.APPROVED, EventStatus.DONE, EventStatus.REPORTED, EventStatus.SETTLED,
                       EventStatus.CANCELLED}
    for t in flows.TRANSITIONS:
        assert t.roles in flows.ROLE_NAMES
        assert t.target not in t.sources
