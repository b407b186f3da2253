"""Services of the events module: each happy path and each refusal with its message."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as tr

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user, province
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.core.locks import RecordLocked
from khuyencong.core.money import format_vnd
from khuyencong.core.uploads import MAX_DOCUMENT_BYTES
from khuyencong.events import services
from khuyencong.events.models import Attendance, EventStatus, FollowUpStatus
from khuyencong.events.vocab import LineKind
from khuyencong.geo.models import AdminUnit
from khuyencong.rules.models import ContentItem, SupportRate

from .helpers import (
    LAI_CHAU,
    PDF,
    PNG,
    TAY_NINH,
    D,
    centre,
    establishment,
    legacy_province,
    make_event,
    make_training,
    pdf,
    person,
)

pytestmark = pytest.mark.django_db


FEB_20 = D(2026, 2, 20)


def approve(event, manager, on=FEB_20):
    return services.event_transition(actor=manager, event=event, action="approve", on_date=on,
                                     inputs={"reference": "12/QĐ-SCT"})


# --- events ---------------------------------------------------------------------------------------------------------


def test_create_records_scope_search_and_audit(staff):
    event = make_event(staff, title="Đoàn học tập kinh nghiệm mạng lưới cộng tác viên")
    assert event.province.code == LAI_CHAU and event.status == EventStatus.PLANNED
    assert "mang luoi cong tac vien" in event.search_text
    assert audit_events_for(event).first().action == "event.create"


def test_create_refuses_another_provinces_organiser(staff):
    with pytest.raises(PermissionDenied) as exc:
        make_event(staff, organiser=centre(TAY_NINH))
    assert exc.value.message == tr("You hold the role needed, but not for this province.")


def test_viewer_cannot_organise(viewer):
    with pytest.raises(PermissionDenied) as exc:
        make_event(viewer)
    assert exc.value.message == tr("Only centre staff and DoIT officers can organise events.")


def test_officials_tour_must_be_under_kc_capacity(staff):
    with pytest.raises(InvalidInput) as exc:
        make_event(staff, content="study_tour_establishment")
    assert exc.value.field == "content"
    assert "Nâng cao năng lực quản lý và tổ chức thực hiện hoạt động khuyến công" in exc.value.message


def test_establishments_tour_is_under_study_tour_establishment(staff):
    event = make_event(staff, audience="establishments", content="study_tour_establishment")
    assert event.content.code == "study_tour_establishment"
    with pytest.raises(InvalidInput):
        make_event(staff, audience="establishments", content="kc_capacity")


def test_study_tour_needs_its_audience_and_dates_in_order(staff):
    with pytest.raises(InvalidInput) as exc:
        make_event(staff, audience="")
    assert exc.value.message == tr("Say whom the study tour is for: KC officials, establishments or both.")
    with pytest.raises(InvalidInput) as exc:
        make_event(staff, start_date=D(2026, 3, 5), end_date=D(2026, 3, 4))
    assert exc.value.message == tr("The last day cannot be before the first day.")


def test_content_not_yet_in_the_law_is_refused(staff):
    with pytest.raises(InvalidInput) as exc:
        make_event(staff, kind="workshop", audience="", content="kc_capacity", start_date=D(2011, 3, 1),
                   end_date=D(2011, 3, 1))
    assert exc.value.code == "no_rule"


def test_update_is_versioned_and_locked_after_approval(staff, manager):
    event = make_event(staff)
    services.event_update(actor=staff, event=event, data={"title": "Đoàn mới"}, version=1)
    with pytest.raises(Conflict):
        services.event_update(actor=staff, event=event, data={"title": "Cũ"}, version=1)
    services.budget_line_add(actor=staff, event=event, kind="transport", unit_cost=1_000_000, support=1_000_000)
    services.event_place_add(actor=staff, event=event, unit=province(12))
    approve(event, manager)
    with pytest.raises(InvalidInput) as exc:
        services.event_update(actor=staff, event=event, data={"start_date": D(2026, 3, 1)}, version=event.version)
    assert exc.value.message == tr(
        "The event is approved: its kind, content, fund, dates and plan can no longer change.")
    services.event_update(actor=staff, event=event, data={"purpose": "Mục đích"}, version=event.version)


def test_past_event_takes_units_of_its_time(staff):
    event = make_event(staff, start_date=D(2016, 11, 28), end_date=D(2016, 12, 6))
    with pytest.raises(InvalidInput) as exc:
        services.event_place_add(actor=staff, event=event, unit=province(15))
    assert exc.value.message == tr(
        "On %(date)s the units before the 1/7/2025 reform were in force: choose “%(name)s” as it was then (a former "
        "province, district or commune).") % {"date": "28/11/2016", "name": "Tỉnh Lào Cai"}
    services.event_place_add(actor=staff, event=event, unit=legacy_province(15))
    assert event.places.get().unit.name == "Tỉnh Yên Bái"
    assert "lao cai" in event.__class__.objects.get(pk=event.pk).search_text  # found under today's province too
    future = make_event(staff)
    with pytest.raises(InvalidInput) as exc:
        services.event_place_add(actor=staff, event=future, unit=legacy_province(15))
    assert exc.value.message == tr("“%(name)s” no longer exists on %(date)s: choose one of today's units.") % {
        "name": "Tỉnh Yên Bái", "date": "02/03/2026"}


# --- budget -----------------------------------------------------------------------------------------------------------


def test_budget_line_without_a_verified_rate_says_so(staff):
    event = make_event(staff)
    line = services.budget_line_add(actor=staff, event=event, kind="transport", unit_cost=20_000_000,
                                    support=20_000_000)
    assert line.quote_support_vnd is None and line.support_vnd == 20_000_000
    assert line.quote_message.startswith(tr("No verified support rate for “%(content)s”%(variant)s (%(fund)s) is in "
                                            "force on %(date)s.").split("“")[0])
    default = services.budget_line_add(actor=staff, event=event, kind="lodging", unit_cost=300_000, quantity=4)
    assert default.amount_vnd == 1_200_000 and default.support_vnd == 0  # no rate: nothing is assumed


def test_overseas_airfare_of_establishments_is_quoted(admin_user):
    event = make_event(admin_user, kind="study_tour_overseas", audience="establishments",
                       content="study_tour_establishment", fund="national", start_date=D(2016, 6, 6),
                       end_date=D(2016, 6, 12))
    line = services.budget_line_add(actor=admin_user, event=event, kind="airfare", unit_cost=18_000_000,
                                    quantity=5)
    assert line.quote_support_vnd == 90_000_000 and line.support_vnd == 90_000_000
    assert line.quote["variant"] == "overseas_airfare"
    assert line.quote["rule"]["basis"].startswith("TTLT 26/2014")
    per_diem = services.budget_line_add(actor=admin_user, event=event, kind="per_diem", unit_cost=1_000_000)
    assert per_diem.quote_support_vnd is None and "overseas_airfare" in per_diem.quote_message


def test_support_above_the_quote_is_refused(admin_user):
    fair = make_event(admin_user, kind="fair_attended", audience="", content="fair_domestic_participate",
                      fund="national", start_date=D(2017, 10, 18), end_date=D(2017, 10, 22))
    line = services.budget_line_add(actor=admin_user, event=fair, kind="booth_rent", unit_cost=10_000_000)
    assert line.support_vnd == 8_000_000  # TTLT 26/2014: 80 % of the booth rent
    with pytest.raises(InvalidInput) as exc:
        services.budget_line_add(actor=admin_user, event=fair, kind="booth_rent", unit_cost=10_000_000,
                                 support=9_000_000)
    assert exc.value.code == "above_quote"
    assert exc.value.message == tr(
        "The KC support asked for %(item)s (%(support)s) is more than the rule allows: %(limit)s (%(basis)s).") % {
        "item": str(LineKind.BOOTH_RENT.label).lower(), "support": format_vnd(9_000_000),
        "limit": format_vnd(8_000_000), "basis": line.quote["rule"]["basis"]}


def test_support_cannot_exceed_cost_and_budget_freezes_at_approval(staff, manager):
    event = make_event(staff)
    with pytest.raises(InvalidInput) as exc:
        services.budget_line_add(actor=staff, event=event, kind="transport", unit_cost=1_000, support=2_000)
    assert exc.value.message == tr("The KC support asked cannot be more than the cost (%(cost)s).") % {
        "cost": format_vnd(1_000)}
    services.budget_line_add(actor=staff, event=event, kind="transport", unit_cost=1_000, support=1_000)
    services.event_place_add(actor=staff, event=event, unit=province(12))
    approve(event, manager)
    with pytest.raises(RecordLocked) as exc:
        services.budget_line_add(actor=staff, event=event, kind="venue", unit_cost=1_000)
    assert exc.value.message == tr(
        "The budget was approved: it can no longer be changed (record what was spent instead).")


def test_moving_the_dates_requotes_and_refuses_support_above_the_new_quote(admin_user):
    fair = make_event(admin_user, kind="fair_attended", audience="", content="fair_domestic_participate",
                      fund="local", start_date=D(2025, 11, 12), end_date=D(2025, 11, 16))
    line = services.budget_line_add(actor=admin_user, event=fair, kind="booth_rent", unit_cost=10_000_000)
    assert line.support_vnd == 10_000_000 and line.quote["rule"]["basis"].startswith("NQ 18/2025")
    # Before Lai Châu's resolution (5/5/2025) there is no local rate: the line says so.
    services.event_update(actor=admin_user, event=fair, data={"start_date": D(2025, 3, 3),
                                                              "end_date": D(2025, 3, 5)}, version=fair.version)
    line.refresh_from_db()
    assert line.quote_support_vnd is None and "NQ" not in line.quote_message and line.quote_message
    # A later resolution with a lower share: the support asked no longer fits, so the move is refused.
    content = ContentItem.objects.get(code="fair_domestic_participate")
    SupportRate.objects.filter(content=content, fund="local", province_code=12).update(effective_to=D(2026, 12, 31))
    SupportRate.objects.create(key="rate:test:12:fair", content=content, fund="local", province_code=12,
                               max_percent=50, basis="NQ thử nghiệm", effective_from=D(2027, 1, 1), mark="unverified")
    fair.refresh_from_db()
    with pytest.raises(InvalidInput) as exc:
        services.event_update(actor=admin_user, event=fair, data={"start_date": D(2027, 3, 3),
                                                                  "end_date": D(2027, 3, 5)}, version=fair.version)
    assert exc.value.code == "above_quote" and "NQ thử nghiệm" in exc.value.message
    fair.refresh_from_db()
    assert fair.start_date == D(2025, 3, 3)  # nothing saved


# --- participants, attendance, results ------------------------------------------------------------------------------


def test_participants_from_establishments_are_linked_records(staff):
    event = make_event(staff)
    with pytest.raises(InvalidInput) as exc:
        person(staff, event, "Chủ cơ sở", origin="establishment")
    assert exc.value.message == tr("Choose the establishment from the registry: participants from establishments are "
                                   "linked records, not typed names.")
    with pytest.raises(InvalidInput) as exc:
        person(staff, event, "Cộng tác viên", origin="collaborator")
    assert exc.value.field == "collaborator"
    owner = person(staff, event, "Lò Thị Mai", origin="establishment", establishment=establishment())
    assert owner.establishment_id and owner.state_paid is False
    officer = person(staff, event, "Tẩn Văn Minh", origin="doit")
    assert officer.state_paid is True


def test_state_paid_is_refused_for_establishments(staff):
    event = make_event(staff)
    with pytest.raises(InvalidInput) as exc:
        person(staff, event, "Chủ cơ sở", origin="establishment", establishment=establishment(), state_paid=True)
    assert exc.value.message == tr("Representatives of establishments, collaborators and hosts are not state-paid: the "
                                   "event pays their meals, lodging and travel.")


def test_other_provinces_establishment_is_refused(staff):
    event = make_event(staff)
    with pytest.raises(PermissionDenied) as exc:
        person(staff, event, "Chủ cơ sở", origin="establishment", establishment=establishment(TAY_NINH))
    assert exc.value.message == tr("This establishment is outside your area.")


def test_trainees_only_in_training(staff):
    with pytest.raises(InvalidInput) as exc:
        person(staff, make_event(staff), "Học viên", role="trainee", origin="other")
    assert exc.value.message == tr("Trainees take part in training courses only.")


def held_training(staff, manager, n=2):
    course = make_training(staff, venue="Nhà văn hóa bản Lướt")
    services.budget_line_add(actor=staff, event=course, kind="teachers", unit_cost=1_000_000, support=1_000_000)
    approve(course, manager)
    trainees = [person(staff, course, f"Học viên {i}", role="trainee", origin="other") for i in range(n)]
    return course, trainees


def test_attendance_upload_is_checked(staff, manager):
    course, trainees = held_training(staff, manager)
    with pytest.raises(InvalidInput) as exc:
        services.attendance_record(actor=staff, event=course, day=D(2026, 3, 2),
                                   upload=SimpleUploadedFile("ky.exe", b"MZ"), present=trainees)
    assert exc.value.message == tr("Attach a PDF, JPEG, PNG or WebP file (this one is “%(name)s”).") % {
        "name": "ky.exe"}
    with pytest.raises(InvalidInput) as exc:
        services.attendance_record(actor=staff, event=course, day=D(2026, 3, 2), upload=pdf(content=PNG),
                                   present=trainees)
    assert exc.value.message == tr("The content of “%(name)s” is not a %(type)s file, whatever its name says.") % {
        "name": "ky.pdf", "type": "PDF"}
    big = SimpleUploadedFile("ky.pdf", PDF + b"0" * (MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(InvalidInput) as exc:
        services.attendance_record(actor=staff, event=course, day=D(2026, 3, 2), upload=big, present=trainees)
    assert exc.value.field == "file" and "10 MB" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        services.attendance_record(actor=staff, event=course, day=D(2026, 3, 9), upload=pdf(), present=trainees)
    assert exc.value.field == "day"
    sheet = services.attendance_record(actor=staff, event=course, day=D(2026, 3, 2), upload=pdf(),
                                       present=trainees)
    assert sheet.entries.count() == 2
    again = services.attendance_record(actor=staff, event=course, day=D(2026, 3, 2),
                                       upload=SimpleUploadedFile("ky.png", PNG), present=trainees[:1])
    assert again.pk == sheet.pk and Attendance.objects.filter(sheet=sheet).count() == 1


def test_attendance_before_approval_is_refused(staff):
    course = make_training(staff)
    trainee = person(staff, course, "Học viên", role="trainee", origin="other")
    with pytest.raises(InvalidInput) as exc:
        services.attendance_record(actor=staff, event=course, day=D(2026, 3, 2), upload=pdf(), present=[trainee])
    assert exc.value.message == tr("Attendance is recorded once the event is approved.")


def test_certificate_needs_pass_and_signed_attendance(staff, manager):
    course, (present, absent) = held_training(staff, manager)
    services.attendance_record(actor=staff, event=course, day=D(2026, 3, 2), upload=pdf(), present=[present])
    with pytest.raises(InvalidInput) as exc:
        services.trainee_result_set(actor=staff, participant=present, result="passed", certificate_number="01")
    assert exc.value.message == tr("Results are recorded once the course has been held.")
    services.event_transition(actor=staff, event=course, action="hold", on_date=D(2026, 3, 4))
    with pytest.raises(InvalidInput) as exc:
        services.trainee_result_set(actor=staff, participant=absent, result="passed", certificate_number="02",
                                    certificate_issued_on=D(2026, 3, 10))
    assert exc.value.message == tr("%(name)s is on no signed attendance list: upload the signed lists first.") % {
        "name": "Học viên 1"}
    with pytest.raises(InvalidInput) as exc:
        services.trainee_result_set(actor=staff, participant=present, result="failed", certificate_number="01")
    assert exc.value.message == tr("A certificate is issued only to a trainee who passed.")
    with pytest.raises(InvalidInput) as exc:
        services.trainee_result_set(actor=staff, participant=present, result="passed", certificate_number="01",
                                    certificate_issued_on=D(2026, 3, 1))
    assert exc.value.field == "certificate_issued_on"
    services.trainee_result_set(actor=staff, participant=present, result="passed", certificate_number="01",
                                certificate_issued_on=D(2026, 3, 10))
    with pytest.raises(InvalidInput) as exc:
        services.trainee_result_set(actor=staff, participant=absent, result="passed", certificate_number="01",
                                    certificate_issued_on=D(2026, 3, 10))
    assert exc.value.field == "certificate_number"


def test_employment_needs_the_employers_confirmation(staff, manager):
    course, (trainee, _other) = held_training(staff, manager)
    services.event_transition(actor=staff, event=course, action="hold", on_date=D(2026, 3, 4))
    with pytest.raises(InvalidInput) as exc:
        services.trainee_employment_set(actor=staff, participant=trainee, employed=True, employer_name="HTX Dệt")
    assert exc.value.message == tr("Give the employer's confirmation (letter or contract number and date): employment "
                                   "counts only when confirmed.")
    with pytest.raises(InvalidInput) as exc:
        services.trainee_employment_set(actor=staff, participant=trainee, employed=True, confirmation="01/XN")
    assert exc.value.message == tr("Name the employer.")
    employer = establishment()
    services.trainee_employment_set(actor=staff, participant=trainee, employed=True, employer=employer,
                                    confirmation="01/XN ngày 10/5/2026", employed_from=D(2026, 4, 1),
                                    upload=pdf("xn.pdf"))
    trainee.refresh_from_db()
    assert trainee.employed and trainee.employer == employer and trainee.employment_confirmation_file.name
    with pytest.raises(PermissionDenied):
        services.trainee_employment_set(actor=staff, participant=trainee, employed=True,
                                        employer=establishment(TAY_NINH), confirmation="x")


def test_curriculum_belongs_to_trainings_and_names_a_teacher(staff):
    with pytest.raises(InvalidInput) as exc:
        services.curriculum_item_add(actor=staff, event=make_event(staff), subject="Kỹ thuật dệt", theory_hours=4)
    assert exc.value.message == tr("A curriculum belongs to a training course.")
    course = make_training(staff)
    teacher = person(staff, course, "Nghệ nhân Lò Thị Xuân", role="teacher", origin="other")
    member = person(staff, course, "Học viên", role="trainee", origin="other")
    with pytest.raises(InvalidInput) as exc:
        services.curriculum_item_add(actor=staff, event=course, subject="Kỹ thuật dệt", theory_hours=4,
                                     teacher=member)
    assert exc.value.field == "teacher"
    with pytest.raises(InvalidInput) as exc:
        services.curriculum_item_add(actor=staff, event=course, subject="Kỹ thuật dệt")
    assert exc.value.message == tr("Give the module's hours of theory or practice.")
    item = services.curriculum_item_add(actor=staff, event=course, subject="Kỹ thuật dệt", theory_hours=4,
                                        practice_hours=12, teacher=teacher)
    assert item.order == 1


# --- itinerary, visits, booths --------------------------------------------------------------------------------------


def test_itinerary_day_within_the_tour_with_units_of_the_day(staff):
    tour = make_event(staff, start_date=D(2018, 5, 17), end_date=D(2018, 5, 18))
    long_an = legacy_province(80)
    with pytest.raises(InvalidInput) as exc:
        services.itinerary_day_add(actor=staff, event=tour, day=D(2018, 5, 19), host_province=long_an)
    assert exc.value.field == "day"
    with pytest.raises(InvalidInput):
        services.itinerary_day_add(actor=staff, event=tour, day=D(2018, 5, 17), host_province=province(80))
    with pytest.raises(InvalidInput) as exc:
        services.itinerary_day_add(actor=staff, event=tour, day=D(2018, 5, 17), host_province=long_an,
                                   topics=["gossip"])
    assert exc.value.message == tr("Unknown topic: %(topics)s.") % {"topics": "gossip"}
    day = services.itinerary_day_add(actor=staff, event=tour, day=D(2018, 5, 17), host_province=long_an,
                                     host_name="Trung tâm Khuyến công Long An", topics=["collaborator_network"])
    assert "cong tac vien" in type(tour).objects.get(pk=tour.pk).search_text
    with pytest.raises(InvalidInput) as exc:
        services.site_visit_add(actor=staff, day=day, kind="establishment", establishment=establishment(LAI_CHAU))
    assert exc.value.message == tr("This %(record)s is not in the host province %(province)s.") % {
        "record": tr("establishment"), "province": "Tỉnh Long An"}
    host_establishment = establishment(TAY_NINH)  # Long An is today part of Tây Ninh
    visit = services.site_visit_add(actor=staff, day=day, kind="establishment", establishment=host_establishment)
    assert visit.name == host_establishment.name
    with pytest.raises(InvalidInput) as exc:
        services.itinerary_day_remove(actor=staff, day=day)
    assert exc.value.message == tr("Remove the sites visited that day first.")


def test_itinerary_only_for_study_tours(staff):
    with pytest.raises(InvalidInput) as exc:
        services.itinerary_day_add(actor=staff, event=make_training(staff), day=D(2026, 3, 2),
                                   host_province=province(80))
    assert exc.value.message == tr("An itinerary belongs to a study tour.")


def test_booth_support_is_quoted_by_the_rules(admin_user):
    fair = make_event(admin_user, kind="fair_attended", audience="", content="fair_domestic_participate",
                      fund="local", start_date=D(2025, 11, 12), end_date=D(2025, 11, 16))
    booth = services.booth_add(actor=admin_user, event=fair, establishment=establishment(), number="A01",
                               price=12_000_000)
    assert booth.support_vnd == 12_000_000 and booth.quote["rule"]["basis"].startswith("NQ 18/2025")
    with pytest.raises(InvalidInput) as exc:
        services.booth_add(actor=admin_user, event=fair, establishment=establishment(), number="A01", price=1)
    assert exc.value.message == tr("Booth %(number)s is already booked.") % {"number": "A01"}
    old = make_event(admin_user, kind="fair_attended", audience="", content="fair_domestic_participate",
                     fund="national", start_date=D(2017, 10, 18), end_date=D(2017, 10, 22))
    booth = services.booth_add(actor=admin_user, event=old, establishment=establishment(), number="B1",
                               price=12_000_000)
    assert booth.support_vnd == 9_600_000  # TTLT 26/2014: 80 % of booth rent
    organised = make_event(admin_user, kind="fair_organised", audience="", content="fair_domestic_organise",
                           fund="local", start_date=D(2026, 11, 20), end_date=D(2026, 11, 23))
    booth = services.booth_add(actor=admin_user, event=organised, establishment=establishment(), number="C1",
                               price=12_000_000)
    assert booth.quote_support_vnd is None and booth.support_vnd == 0 and booth.quote_message


def test_booths_only_at_fairs_and_certified_after(staff, manager):
    with pytest.raises(InvalidInput) as exc:
        services.booth_add(actor=staff, event=make_event(staff), establishment=establishment(), number="A",
                           price=1)
    assert exc.value.message == tr("Booths belong to fairs and exhibitions.")
    fair = make_event(staff, kind="fair_attended", audience="", content="fair_domestic_participate")
    booth = services.booth_add(actor=staff, event=fair, establishment=establishment(), number="A", price=1_000_000)
    with pytest.raises(InvalidInput) as exc:
        services.booth_certify(actor=staff, booth=booth, certified=True)
    assert exc.value.message == tr("Exhibitors are certified once the fair has been held.")


# --- mission report ---------------------------------------------------------------------------------------------------


def held_tour(staff, manager):
    tour = make_event(staff, start_date=D(2016, 11, 28), end_date=D(2016, 11, 29))
    services.event_place_add(actor=staff, event=tour, unit=legacy_province(31))
    services.itinerary_day_add(actor=staff, event=tour, day=D(2016, 11, 28), host_province=legacy_province(31),
                               host_name="Sở Công Thương Hải Phòng", activities="Làm việc về quyết toán.",
                               topics=["settlement"])
    services.budget_line_add(actor=staff, event=tour, kind="transport", unit_cost=10_000_000, support=10_000_000)
    approve(tour, manager, on=D(2016, 11, 20))
    head = person(staff, tour, "Nguyễn Văn Trưởng", role="head", position="Phó Giám đốc")
    services.event_transition(actor=staff, event=tour, action="hold", on_date=D(2016, 11, 30))
    return tour, head


def test_mission_report_is_drafted_from_data_edited_then_fixed(staff, manager):
    tour, head = held_tour(staff, manager)
    services.lesson_create(actor=staff, data={"topic": "settlement", "title": "Hồ sơ quyết toán từ đầu",
                                              "practice": "Rà soát hồ sơ khi ký hợp đồng.", "province": province(31),
                                              "event": tour})
    report = services.mission_report_prepare(actor=staff, event=tour, on_date=D(2016, 12, 5))
    assert report.signer_name == head.full_name and report.signer_title == "TRƯỞNG ĐOÀN"
    assert "thành phố Hải Phòng" in report.body and "Hồ sơ quyết toán từ đầu" in report.body
    assert report.body.startswith("I. MỤC ĐÍCH, THÀNH PHẦN ĐOÀN")
    with pytest.raises(InvalidInput) as exc:
        services.mission_report_sign(actor=staff, report_obj=report)
    assert exc.value.message == tr("Complete the report before signing: %(fields)s.") % {"fields": tr("number")}
    services.mission_report_update(actor=staff, report_obj=report, data={"number": "45/BC-TTKC",
                                                                         "body": report.body + "\nThêm."},
                                   version=report.version)
    services.mission_report_sign(actor=staff, report_obj=report)
    with pytest.raises(RecordLocked) as exc:
        services.mission_report_update(actor=staff, report_obj=report, data={"body": "Sửa"}, version=report.version)
    assert exc.value.message == tr("The mission report is signed: its text can no longer be changed.")


def test_mission_report_only_for_tours_held(staff):
    with pytest.raises(PermissionDenied) as exc:
        services.mission_report_prepare(actor=staff, event=make_event(staff))
    assert exc.value.message == tr("The mission report is written once the tour has been held.")


# --- lessons, follow-ups, model practices ---------------------------------------------------------------------------


def lesson_data(**fields):
    return {"topic": "collaborator_network", "title": "Mạng lưới cộng tác viên phủ khắp các xã",
            "practice": "Mỗi cộng tác viên phụ trách vài xã.", "province": province(80), **fields}


def test_lesson_is_folded_for_search_and_authored_by_the_province(staff):
    lesson = services.lesson_create(actor=staff, data=lesson_data(place_then=legacy_province(80)))
    assert lesson.author_province.code == LAI_CHAU
    assert "cong tac vien" in lesson.search_text and "long an" in lesson.search_text
    assert "mang luoi cong tac vien khuyen cong" in lesson.search_text  # the topic's own words


def test_lesson_place_at_the_time_must_lead_to_today(staff):
    with pytest.raises(InvalidInput) as exc:
        services.lesson_create(actor=staff, data=lesson_data(place_then=legacy_province(93)))
    assert exc.value.message == tr("%(then)s is today part of %(today)s, not %(province)s.") % {
        "then": "Tỉnh Hậu Giang", "today": "Thành phố Cần Thơ", "province": "Tỉnh Tây Ninh"}


def test_lesson_edit_refused_outside_the_authors_province(staff, tn_staff):
    lesson = services.lesson_create(actor=staff, data=lesson_data())
    with pytest.raises(PermissionDenied) as exc:
        services.lesson_update(actor=tn_staff, lesson=lesson, data={"title": "Sửa"}, version=lesson.version)
    assert exc.value.message == tr("Every province reads this lesson, but only %(province)s, which recorded it, can "
                                   "change it.") % {"province": "Tỉnh Lai Châu"}
    with pytest.raises(PermissionDenied):
        services.followup_add(actor=tn_staff, lesson=lesson, data={"kind": "policy", "proposal": "x", "owner": "y"})
    services.lesson_update(actor=staff, lesson=lesson, data={"title": "Sửa"}, version=lesson.version)


def test_viewer_cannot_write_lessons(viewer):
    with pytest.raises(PermissionDenied) as exc:
        services.lesson_create(actor=viewer, data=lesson_data())
    assert exc.value.message == tr("Only centre staff and DoIT officers can record lessons learned.")


def test_followup_adopted_shows_its_outcome(staff):
    lesson = services.lesson_create(actor=staff, data=lesson_data())
    with pytest.raises(InvalidInput) as exc:
        services.followup_add(actor=staff, lesson=lesson, data={"kind": "network_rule", "proposal": "Sửa quy chế",
                                                                "owner": "Trung tâm", "status": "adopted"})
    assert exc.value.message == tr("Say what changed: an adopted follow-up shows its outcome.")
    followup = services.followup_add(actor=staff, lesson=lesson, data={
        "kind": "network_rule", "proposal": "Sửa quy chế", "owner": "Trung tâm"})
    services.followup_update(actor=staff, followup=followup, data={"status": "adopted",
                                                                   "outcome": "Quy chế mới 2025"},
                             version=followup.version)
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.ADOPTED


def test_model_practice_is_marked_by_its_own_province_with_evidence(staff, tn_staff):
    data = {"province": province(80), "topic": "collaborator_network", "title": "Mạng lưới sau hợp nhất",
            "description": "Một quy chế chung.", "evidence": "Quy chế 2025."}
    with pytest.raises(PermissionDenied) as exc:
        services.practice_create(actor=staff, data=data)
    assert exc.value.message == tr("You hold the role needed, but not for this province.")
    with pytest.raises(InvalidInput) as exc:
        services.practice_create(actor=tn_staff, data={**data, "evidence": ""})
    assert exc.value.message == tr("Give the evidence that it works: a model practice is marked with its evidence.")
    practice = services.practice_create(actor=tn_staff, data=data)
    with pytest.raises(PermissionDenied):
        services.practice_update(actor=staff, practice=practice, data={"title": "x"}, version=practice.version)


@pytest.fixture
def admin_user(db):
    return make_user(role=Role.SYSTEM_ADMIN, province_code=None, username="quantri.test")


def test_national_user_needs_to_say_which_province_records_a_lesson(admin_user):
    with pytest.raises(InvalidInput) as exc:
        services.lesson_create(actor=admin_user, data=lesson_data())
    assert exc.value.message == tr("Say which province records the lesson.")
    lesson = services.lesson_create(actor=admin_user, data=lesson_data(),
                                    author_province=AdminUnit.objects.get(scheme="current", level="province",
                                                                          code=12))
    assert lesson.author_province.code == 12


def test_draft_timing_guard(staff):
    with pytest.raises(InvalidInput) as exc:
        services.study_tour_draft(actor=staff, home_province=province(12), hosts=[province(80)],
                                  topics=["collaborator_network"], start_date=D(2024, 1, 1), days_per_host=1,
                                  audience="officials", fund="local", state_paid=2, non_state=1,
                                  transport_cost=1, per_diem=1, lodging=1)
    assert exc.value.message == tr("A draft plans a future tour: choose a first day from 1/7/2025.")
    assert datetime.date.today().year >= 2025
