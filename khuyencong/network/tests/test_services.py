"""The network's services: each happy path and each refusal with the message a person reads."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from khuyencong.accounts.models import Role, RoleAssignment
from khuyencong.accounts.tests.factories import commune_of, make_user, province
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.core.models import AuditEvent
from khuyencong.projects.tests.factories import make_establishment, make_plan
from khuyencong.registry.services import refresh_derived

from .. import services
from ..identity import id_number_hash
from ..models import (
    ApplicationStatus,
    Collaborator,
    CollaboratorStatus,
    Coverage,
    FieldKind,
    FieldRecord,
    RecordStatus,
    TaskStatus,
)
from .conftest import LAI_CHAU, TAY_NINH
from .factories import (
    CRITERIA,
    PNG,
    STANDARDS,
    make_announcement,
    make_application,
    make_collaborator,
    make_field_collaborator,
    make_task,
    regulation_data,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def person(**overrides) -> dict:
    return {"full_name": "Lò Thị Mai", "gender": "female", "birth_year": TODAY.year - 30, "phone": "0912 345 678",
            "email": "mai@example.vn", "residence_commune": commune_of(LAI_CHAU, 0), "education_level": "college",
            "experience_years": 3, **overrides}


def registry_establishment(commune, **fields):
    establishment = make_establishment(LAI_CHAU, commune=commune, **fields)
    refresh_derived(establishment)
    establishment.save()
    return establishment


# --- regulation -------------------------------------------------------------------------------------------------------


def test_regulation_create_keeps_standards_criteria_and_fees(staff):
    regulation = services.regulation_create(actor=staff, province=province(LAI_CHAU), data=regulation_data(),
                                            standards=STANDARDS, criteria=CRITERIA)
    assert regulation.standards.count() == 6 and regulation.criteria.count() == 5
    assert regulation.monthly_base_vnd == 500_000
    event = AuditEvent.objects.get(action="network.regulation_create")
    assert event.changes["criteria"][1][0] == "surveys: Khảo sát (40)"


def test_regulation_refused_to_a_viewer(viewer):
    with pytest.raises(PermissionDenied, match="Chỉ cán bộ Trung tâm Khuyến công và công chức Sở Công Thương"):
        services.regulation_create(actor=viewer, province=province(LAI_CHAU), data=regulation_data())


def test_regulation_weights_must_add_up_to_100(staff):
    criteria = [dict(row) for row in CRITERIA]
    criteria[0]["weight"] = 30
    with pytest.raises(InvalidInput, match="phải bằng 100 điểm \\(hiện là 90\\)"):
        services.regulation_create(actor=staff, province=province(LAI_CHAU), data=regulation_data(),
                                   criteria=criteria)


def test_regulation_age_standard_needs_its_range(staff):
    with pytest.raises(InvalidInput, match="Tiêu chuẩn về tuổi cần có khoảng tuổi"):
        services.regulation_create(actor=staff, province=province(LAI_CHAU), data=regulation_data(),
                                   standards=[{"kind": "age", "label": "Đủ tuổi"}])


def test_regulations_of_a_province_cannot_overlap(staff, regulation):
    with pytest.raises(InvalidInput, match=f"Quy chế {regulation.number} đang có hiệu lực"):
        services.regulation_create(actor=staff, province=province(LAI_CHAU),
                                   data=regulation_data(effective_from=datetime.date(2026, 1, 1)))


def test_regulation_update_refuses_a_stale_version_and_replaces_lists(staff, regulation):
    criteria = [*CRITERIA[:4], {"metric": "tasks_on_time", "label": "Đúng hạn", "weight": 20}]
    services.regulation_update(actor=staff, regulation=regulation, data={"monthly_base_vnd": 600_000},
                               version=regulation.version, criteria=criteria)
    regulation.refresh_from_db()
    assert regulation.monthly_base_vnd == 600_000 and regulation.version == 2
    assert regulation.criteria.get(metric="tasks_on_time").label == "Đúng hạn"
    with pytest.raises(Conflict, match="Người khác đã sửa"):
        services.regulation_update(actor=staff, regulation=regulation, data={"monthly_base_vnd": 700_000}, version=1)


# --- applications -----------------------------------------------------------------------------------------------------


def submit(**overrides):
    values = {"province": province(LAI_CHAU), "data": person(), "communes": [commune_of(LAI_CHAU, 0)],
              "id_number": "012 190 123 456", "health_declared": True, "has_endorsement": False}
    values.update(overrides)
    return services.application_submit(**values)


def test_application_is_checked_against_each_standard(regulation):
    application = submit()
    assert application.status == ApplicationStatus.SUBMITTED
    outcomes = {row["kind"]: row["outcome"] for row in application.checks}
    assert outcomes == {"age": "met", "education": "met", "residence": "met", "experience": "met",
                        "health": "to_verify", "endorsement": "not_met"}
    assert application.id_number_last3 == "456" and application.id_number_masked == "•••••••••456"
    assert application.id_number_hash == id_number_hash("012190123456")
    assert "012190123456" not in str(AuditEvent.objects.get(action="network.application_submit").changes)


def test_application_outside_the_age_range_and_residence_is_not_met(regulation):
    application = submit(data=person(birth_year=TODAY.year - 65, residence_commune=commune_of(LAI_CHAU, 5)))
    outcomes = {row["kind"]: row["outcome"] for row in application.checks}
    assert outcomes["age"] == "not_met" and outcomes["residence"] == "not_met"


def test_application_refused_when_the_province_takes_none(db):
    with pytest.raises(InvalidInput, match="hiện không nhận hồ sơ trực tuyến"):
        submit()


def test_application_refused_twice_for_the_same_id_number(regulation):
    submit()
    with pytest.raises(InvalidInput, match="đang chờ xét"):
        submit(data=person(full_name="Lò Thị Mai B"))


@pytest.mark.parametrize(("overrides", "message"), [
    (lambda: {"id_number": "12345"}, "12 chữ số"),
    (lambda: {"data": person(phone="12ab")}, "số điện thoại gồm 10 chữ số"),
    (lambda: {"data": person(birth_year=1800)}, "năm sinh từ"),
    (lambda: {"communes": []}, "Chọn ít nhất một xã"),
    (lambda: {"communes": [commune_of(TAY_NINH, 0)]}, "không phải là xã, phường hiện nay của"),
    (lambda: {"communes": [commune_of(LAI_CHAU, i) for i in range(4)]}, "tối đa 3 xã"),
    (lambda: {"data": person(full_name=" ")}, "Nhập họ và tên"),
])
def test_application_refuses_bad_input(regulation, overrides, message):
    with pytest.raises(InvalidInput, match=message):
        submit(**overrides())


def test_accepting_creates_the_collaborator_account_role_and_coverage(staff, regulation):
    application = submit(communes=[commune_of(LAI_CHAU, 0), commune_of(LAI_CHAU, 1)])
    collaborator, password = services.application_accept(
        actor=staff, application=application, decision_number="12/QĐ-TTKC", decision_date=TODAY,
        version=application.version)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED and application.collaborator == collaborator
    assert collaborator.status == CollaboratorStatus.ACTIVE and collaborator.regulation == regulation
    assert collaborator.term_end == services.add_months(TODAY, 36) - datetime.timedelta(days=1)
    assert collaborator.user.check_password(password) and len(password) == 12
    assignment = RoleAssignment.objects.get(user=collaborator.user, role=Role.COLLABORATOR)
    assert assignment.scope_level == "communes" and assignment.is_active
    assert set(assignment.communes.values_list("pk", flat=True)) == {commune_of(LAI_CHAU, 0).pk,
                                                                     commune_of(LAI_CHAU, 1).pk}
    assert Coverage.objects.filter(collaborator=collaborator, end_date__isnull=True).count() == 2
    assert list(collaborator.status_changes.values_list("status", flat=True)) == ["applicant", "active"]
    assert collaborator.id_number_last3 == "456"


def test_accepting_refused_to_another_province_and_twice(staff, other_staff, regulation):
    application = submit()
    with pytest.raises(PermissionDenied, match=r"không phải cho tỉnh này|Chỉ cán bộ Trung tâm"):
        services.application_accept(actor=other_staff, application=application, decision_number="1",
                                    decision_date=TODAY, version=application.version)
    services.application_refuse(actor=staff, application=application, reason="Chưa đủ tuổi", version=1)
    with pytest.raises(InvalidInput, match="đã được xét"):
        services.application_accept(actor=staff, application=application, decision_number="1",
                                    decision_date=TODAY, version=application.version)


def test_refusal_needs_a_reason(staff, regulation):
    application = submit()
    with pytest.raises(InvalidInput, match="Nêu lý do từ chối"):
        services.application_refuse(actor=staff, application=application, reason=" ", version=1)


def test_accept_needs_a_regulation_in_force_on_the_decision_date(staff, regulation):
    application = make_application(LAI_CHAU)
    with pytest.raises(InvalidInput, match="Chưa có quy chế mạng lưới của tỉnh có hiệu lực ngày 01/01/2020"):
        services.application_accept(actor=staff, application=application, decision_number="1",
                                    decision_date=datetime.date(2020, 1, 1), version=application.version)


# --- collaborators, status and coverage -------------------------------------------------------------------------------


def test_collaborator_create_then_appoint(staff, regulation):
    collaborator = services.collaborator_create(actor=staff, province=province(LAI_CHAU), data=person(),
                                                id_number="012190999888")
    assert collaborator.status == CollaboratorStatus.APPLICANT and collaborator.code.startswith("CTV-12-")
    with pytest.raises(InvalidInput, match="đã có trong mạng lưới"):
        services.collaborator_create(actor=staff, province=province(LAI_CHAU), data=person(),
                                     id_number="012190999888")
    collaborator, password = services.collaborator_appoint(
        actor=staff, collaborator=collaborator, decision_number="5/QĐ-TTKC", decision_date=TODAY,
        communes=[commune_of(LAI_CHAU, 2)], version=collaborator.version)
    assert password and collaborator.user.username.startswith("ctv.mailt.12")
    with pytest.raises(InvalidInput, match="Chỉ người đăng ký hoặc cộng tác viên đã thôi"):
        services.collaborator_appoint(actor=staff, collaborator=collaborator, decision_number="6",
                                      decision_date=TODAY, communes=[commune_of(LAI_CHAU, 2)],
                                      version=collaborator.version)


def test_suspend_end_and_reactivate_switch_the_account(staff, regulation):
    collaborator, user = make_field_collaborator(LAI_CHAU)
    with pytest.raises(InvalidInput, match="Nêu lý do"):
        services.collaborator_set_status(actor=staff, collaborator=collaborator, status="suspended", reason="",
                                         version=collaborator.version)
    services.collaborator_set_status(actor=staff, collaborator=collaborator, status="suspended",
                                     reason="Ốm dài ngày", version=collaborator.version)
    assignment = RoleAssignment.objects.get(user=user, role=Role.COLLABORATOR)
    assert not assignment.is_active
    services.collaborator_set_status(actor=staff, collaborator=collaborator, status="active", reason="",
                                     version=collaborator.version)
    assignment.refresh_from_db()
    assert assignment.is_active
    services.collaborator_set_status(actor=staff, collaborator=collaborator, status="ended", reason="Xin thôi",
                                     version=collaborator.version)
    assert not collaborator.coverages.filter(end_date__isnull=True).exists()
    assert collaborator.coverages.count() == 2  # closed, kept
    assert collaborator.coverages.first().end_reason == "Xin thôi"
    with pytest.raises(InvalidInput, match="không thể chuyển sang tạm ngừng"):
        services.collaborator_set_status(actor=staff, collaborator=collaborator, status="suspended", reason="x",
                                         version=collaborator.version)


def test_coverage_add_and_end_keep_the_history(staff, regulation):
    collaborator, user = make_field_collaborator(LAI_CHAU, regulation=regulation)
    added = services.coverage_add(actor=staff, collaborator=collaborator, commune=commune_of(LAI_CHAU, 5))
    with pytest.raises(InvalidInput, match="tối đa 3 xã"):
        services.coverage_add(actor=staff, collaborator=collaborator, commune=commune_of(LAI_CHAU, 6))
    with pytest.raises(InvalidInput, match="đã do cộng tác viên này phụ trách"):
        services.coverage_add(actor=staff, collaborator=collaborator, commune=commune_of(LAI_CHAU, 5))
    services.coverage_end(actor=staff, coverage=added, reason="Giao cho người khác")
    added.refresh_from_db()
    assert added.end_date == TODAY and added.end_reason == "Giao cho người khác"
    assert set(RoleAssignment.objects.get(user=user, role=Role.COLLABORATOR).communes.values_list(
        "pk", flat=True)) == {commune_of(LAI_CHAU, 0).pk, commune_of(LAI_CHAU, 1).pk}
    with pytest.raises(InvalidInput, match="đã kết thúc"):
        services.coverage_end(actor=staff, coverage=added, reason="lần nữa")


# --- reorganisation after the mergers ---------------------------------------------------------------------------------


def test_bulk_reassignment_moves_former_units_and_keeps_history(db):
    staff_hcm = make_user(Role.CENTRE_STAFF, 79, username="ttkc.hcm.t")
    from .factories import centre, legacy_commune_of

    centre(79)
    user = make_user(Role.COLLABORATOR, 79, communes=[], organisation=centre(79))
    collaborator = make_collaborator(79, communes=[], user=user, start=datetime.date(2023, 5, 1))
    unit = legacy_commune_of("binh duong", 79)
    former = Coverage.objects.create(collaborator=collaborator, unit=unit, province=province(79),
                                     start_date=datetime.date(2023, 5, 1))
    target = unit.successors.get().current
    with pytest.raises(InvalidInput, match="không chuyển thành"):
        services.coverage_reassign(actor=staff_hcm, province=province(79), moves={former.pk: [commune_of(79, 0).pk
                                   if commune_of(79, 0) != target else commune_of(79, 1).pk]})
    batch = services.coverage_reassign(actor=staff_hcm, province=province(79), moves={former.pk: [target.pk]},
                                       on_date=datetime.date(2025, 8, 1), note="Sắp xếp lại")
    former.refresh_from_db()
    assert former.end_date == datetime.date(2025, 7, 31) and former.ended_by == batch
    new = Coverage.objects.get(collaborator=collaborator, end_date__isnull=True)
    assert (new.unit, new.moved_from, new.created_by_move, new.start_date) == (target, former, batch,
                                                                              datetime.date(2025, 8, 1))
    assert list(RoleAssignment.objects.get(user=user, role=Role.COLLABORATOR).communes.all()) == [target]
    assert batch.summary == {"former_rows": 1, "communes_opened": 1, "already_covered": 0, "collaborators": 1}
    assert Coverage.objects.filter(collaborator=collaborator).count() == 2


# --- field work -------------------------------------------------------------------------------------------------------


def test_survey_proposes_only_what_changed_and_the_first_gps_point(regulation):
    _collaborator, user = make_field_collaborator(LAI_CHAU)
    establishment = registry_establishment(commune_of(LAI_CHAU, 0), representative="Lò Văn A", employees=5)
    record = services.field_record_create(actor=user, kind=FieldKind.SURVEY, data={
        "establishment": establishment, "latitude": "22.396", "longitude": "103.458",
        "changes": {"representative": "Lò Văn A", "employees": 8, "phone": "0988 111 222", "status": "active"}})
    assert record.proposed_changes == {"employees": 8, "phone": "0988111222", "latitude": "22.396000",
                                       "longitude": "103.458000"}
    assert record.base_version == establishment.version and record.status == RecordStatus.SUBMITTED
    establishment.refresh_from_db()
    assert establishment.employees == 5  # nothing written to the registry before review


def test_field_work_only_in_the_collaborators_own_communes(regulation):
    _collaborator, user = make_field_collaborator(LAI_CHAU)
    elsewhere = registry_establishment(commune_of(LAI_CHAU, 9))
    with pytest.raises(PermissionDenied, match="không thuộc các xã bạn phụ trách"):
        services.field_record_create(actor=user, kind=FieldKind.SURVEY, data={"establishment": elsewhere})
    staff_user = make_user(Role.CENTRE_STAFF, LAI_CHAU)
    with pytest.raises(PermissionDenied, match="Chỉ chính cộng tác viên"):
        services.field_record_create(actor=staff_user, kind=FieldKind.COMMUNICATION,
                                     data={"commune": commune_of(LAI_CHAU, 0), "topic": "x", "participants": 3})


def test_suspended_collaborator_cannot_record(regulation):
    _collaborator, user = make_field_collaborator(LAI_CHAU, status=CollaboratorStatus.SUSPENDED)
    with pytest.raises(PermissionDenied, match="không còn hiệu lực \\(hiện: Tạm ngừng\\)"):
        services.field_record_create(actor=user, kind=FieldKind.COMMUNICATION,
                                     data={"commune": commune_of(LAI_CHAU, 0), "topic": "x", "participants": 3})


@pytest.mark.parametrize(("data", "message"), [
    ({"content_code": "khong-co", "expected_cost_vnd": 1}, "Không có nội dung khuyến công nào mang mã"),
    ({"content_code": "machinery"}, "Nhập chi phí dự kiến"),
    ({"content_code": "machinery", "expected_cost_vnd": -5}, "số nguyên đồng"),
    ({"content_code": "machinery", "expected_cost_vnd": 5, "latitude": "22.1"}, "cả vĩ độ và kinh độ"),
    ({"content_code": "machinery", "expected_cost_vnd": 5, "latitude": "95", "longitude": "103"},
     "nằm ngoài phạm vi"),
])
def test_need_registration_refuses_bad_input(regulation, data, message):
    _collaborator, user = make_field_collaborator(LAI_CHAU)
    establishment = registry_establishment(commune_of(LAI_CHAU, 0))
    with pytest.raises(InvalidInput, match=message):
        services.field_record_create(actor=user, kind=FieldKind.NEED, data={"establishment": establishment, **data})


def test_photo_type_and_size_are_checked(regulation, settings):
    _collaborator, user = make_field_collaborator(LAI_CHAU)
    data = {"commune": commune_of(LAI_CHAU, 0), "topic": "Chính sách khuyến công", "participants": 20}
    with pytest.raises(InvalidInput, match="JPEG, PNG hoặc WebP") as refused:
        services.field_record_create(actor=user, kind=FieldKind.COMMUNICATION, data=data,
                                     photo=SimpleUploadedFile("a.jpg", b"GIF89a....", content_type="image/jpeg"))
    assert refused.value.field == "photo" and not FieldRecord.objects.exists()
    settings.KC_NETWORK_PHOTO_MAX_BYTES = 10
    with pytest.raises(InvalidInput, match="Ảnh quá lớn"):
        services.field_record_create(actor=user, kind=FieldKind.COMMUNICATION, data=data,
                                     photo=SimpleUploadedFile("a.png", PNG, content_type="image/png"))
    settings.KC_NETWORK_PHOTO_MAX_BYTES = 1_000_000
    record = services.field_record_create(actor=user, kind=FieldKind.COMMUNICATION, data=data,
                                          photo=SimpleUploadedFile("ảnh gốc.png", PNG, content_type="image/png"))
    assert record.photo.name.endswith(".jpg") and "ảnh" not in record.photo.name
    assert record.photo.read(3) == b"\xff\xd8\xff"  # stored as a JPEG


def test_accepting_a_survey_updates_the_registry_through_its_service(staff, regulation):
    _collaborator, user = make_field_collaborator(LAI_CHAU)
    establishment = registry_establishment(commune_of(LAI_CHAU, 0), employees=5)
    record = services.field_record_create(actor=user, kind=FieldKind.SURVEY, data={
        "establishment": establishment, "changes": {"employees": 9}, "latitude": 22.4, "longitude": 103.4})
    services.field_record_review(actor=staff, record=record, accept=True, version=record.version,
                                 establishment_version=establishment.version)
    establishment.refresh_from_db()
    assert establishment.employees == 9 and str(establishment.latitude) == "22.400000"
    assert establishment.version == 2
    assert AuditEvent.objects.filter(action="establishment.update", actor=staff).exists()
    record.refresh_from_db()
    assert record.status == RecordStatus.ACCEPTED and record.reviewed_by == staff
    with pytest.raises(InvalidInput, match="đã được xét"):
        services.field_record_review(actor=staff, record=record, accept=False, note="x", version=record.version)


def test_a_survey_against_a_changed_establishment_is_not_applied_silently(staff, regulation):
    _collaborator, user = make_field_collaborator(LAI_CHAU)
    establishment = registry_establishment(commune_of(LAI_CHAU, 0), employees=5)
    record = services.field_record_create(actor=user, kind=FieldKind.SURVEY,
                                          data={"establishment": establishment, "changes": {"employees": 9}})
    seen_version = establishment.version
    from khuyencong.registry.services import establishment_update

    establishment_update(actor=staff, establishment=establishment, data={"employees": 6}, version=seen_version)
    with pytest.raises(Conflict, match="Người khác đã sửa cơ sở này"):
        services.field_record_review(actor=staff, record=record, accept=True, version=record.version,
                                     establishment_version=seen_version)
    establishment.refresh_from_db()
    record.refresh_from_db()
    assert establishment.employees == 6 and record.status == RecordStatus.SUBMITTED


def test_rejection_needs_a_note_and_is_refused_to_other_provinces(staff, other_staff, regulation):
    _collaborator, user = make_field_collaborator(LAI_CHAU)
    record = services.field_record_create(actor=user, kind=FieldKind.COMMUNICATION, data={
        "commune": commune_of(LAI_CHAU, 0), "topic": "Chính sách", "participants": 12})
    with pytest.raises(InvalidInput, match="Nêu lý do không chấp nhận"):
        services.field_record_review(actor=staff, record=record, accept=False, version=record.version)
    with pytest.raises(PermissionDenied):
        services.field_record_review(actor=other_staff, record=record, accept=True, version=record.version)


def test_a_need_becomes_a_project_proposal_with_the_link_kept(staff, regulation):
    _collaborator, user = make_field_collaborator(LAI_CHAU)
    establishment = registry_establishment(commune_of(LAI_CHAU, 0), name="Hợp tác xã chè Sìn Hồ")
    record = services.field_record_create(actor=user, kind=FieldKind.NEED, data={
        "establishment": establishment, "content_code": "machinery", "expected_cost_vnd": 800_000_000})
    plan = make_plan(year=TODAY.year + 1)
    project, notes = services.need_convert(actor=staff, record=record, plan=plan, version=record.version)
    record.refresh_from_db()
    assert record.status == RecordStatus.CONVERTED and record.project == project and record.converted_at
    assert notes == []
    assert list(project.beneficiaries.all()) == [establishment]
    content = project.contents.get()
    # Machinery, national fund: 50 % of the cost up to 300 million (TT 28/2018): the cap limits it.
    assert (content.eligible_cost_vnd, content.requested_support_vnd, content.counterpart_vnd) == (
        800_000_000, 300_000_000, 500_000_000)
    with pytest.raises(InvalidInput, match="không thể chuyển thành đề xuất"):
        services.need_convert(actor=staff, record=record, plan=plan, version=record.version)


def test_only_a_need_becomes_a_proposal(staff, regulation):
    _collaborator, user = make_field_collaborator(LAI_CHAU)
    record = services.field_record_create(actor=user, kind=FieldKind.COMMUNICATION, data={
        "commune": commune_of(LAI_CHAU, 0), "topic": "Chính sách", "participants": 12})
    with pytest.raises(InvalidInput, match="Chỉ phiếu đăng ký nhu cầu hỗ trợ"):
        services.need_convert(actor=staff, record=record, plan=make_plan(), version=record.version)


# --- tasks and announcements ------------------------------------------------------------------------------------------


def test_task_lifecycle(staff, regulation):
    collaborator, user = make_field_collaborator(LAI_CHAU)
    with pytest.raises(InvalidInput, match="Hạn hoàn thành đã qua"):
        services.task_create(actor=staff, collaborator=collaborator,
                             data={"title": "Khảo sát", "due_date": TODAY - datetime.timedelta(days=1)})
    task = services.task_create(actor=staff, collaborator=collaborator,
                                data={"title": "Khảo sát 5 cơ sở", "due_date": TODAY})
    _other, other_user = make_field_collaborator(LAI_CHAU, communes=[commune_of(LAI_CHAU, 7)])
    with pytest.raises(PermissionDenied):
        services.task_complete(actor=other_user, task=task, version=task.version)
    services.task_complete(actor=user, task=task, note="Đã xong", version=task.version)
    assert task.status == TaskStatus.DONE and task.done_on == TODAY and task.on_time
    with pytest.raises(InvalidInput, match="không còn mở"):
        services.task_cancel(actor=staff, task=task, reason="x", version=task.version)


def test_tasks_go_to_active_collaborators_only(staff, regulation):
    ended = make_collaborator(LAI_CHAU, status=CollaboratorStatus.ENDED)
    with pytest.raises(InvalidInput, match="Chỉ giao nhiệm vụ cho cộng tác viên đang hoạt động"):
        services.task_create(actor=staff, collaborator=ended, data={"title": "x", "due_date": TODAY})


def test_task_cancel_needs_a_reason(staff, regulation):
    task = make_task(make_collaborator(LAI_CHAU), due_date=TODAY)
    with pytest.raises(InvalidInput, match="Nêu lý do"):
        services.task_cancel(actor=staff, task=task, reason="", version=task.version)


def test_read_receipts_once_per_collaborator_and_none_for_staff(staff, regulation):
    _collaborator, user = make_field_collaborator(LAI_CHAU)
    announcement = services.announcement_publish(actor=staff, province=province(LAI_CHAU), title="Tập huấn",
                                                 body="Ngày 5/12.")
    first = services.announcement_mark_read(actor=user, announcement=announcement)
    again = services.announcement_mark_read(actor=user, announcement=announcement)
    assert first == again and announcement.reads.count() == 1
    assert services.announcement_mark_read(actor=staff, announcement=announcement) is None
    other = make_announcement(TAY_NINH)
    assert services.announcement_mark_read(actor=user, announcement=other) is None


def test_publishing_needs_text(staff):
    with pytest.raises(InvalidInput, match="Nhập nội dung thông báo"):
        services.announcement_publish(actor=staff, province=province(LAI_CHAU), title="x", body=" ")


def test_collaborator_personal_update_never_logs_the_id_number(staff, regulation):
    collaborator = make_collaborator(LAI_CHAU)
    services.collaborator_update(actor=staff, collaborator=collaborator, data={"phone": "0977000111"},
                                 version=collaborator.version, id_number="012085555444")
    collaborator.refresh_from_db()
    assert collaborator.phone == "0977000111" and collaborator.id_number_last3 == "444"
    changes = AuditEvent.objects.get(action="network.collaborator_update").changes
    assert "555444" not in str(changes) and "id_number_hash" not in changes
    assert Collaborator.objects.get(pk=collaborator.pk).version == 2


def test_the_applicant_is_told_the_answer_by_email(staff, regulation, mailoutbox, django_capture_on_commit_callbacks):
    refused = submit()
    refused_email = refused.email
    with django_capture_on_commit_callbacks(execute=True):
        services.application_refuse(actor=staff, application=refused, reason="Chưa đủ 2 năm kinh nghiệm",
                                    version=refused.version)
    assert refused_email and len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [refused_email] and refused.reference in message.subject
    assert "không được chấp nhận" in message.subject and "Chưa đủ 2 năm kinh nghiệm" in message.body

    accepted = submit(id_number="001099000777", data=person(full_name="Lò Văn Nam", email="nam@example.vn"))
    with django_capture_on_commit_callbacks(execute=True):
        services.application_accept(actor=staff, application=accepted, decision_number="15/QĐ-TTKC",
                                    decision_date=TODAY, version=accepted.version)
    assert len(mailoutbox) == 2 and "15/QĐ-TTKC" in mailoutbox[1].body
    assert "mật khẩu" not in mailoutbox[1].body.lower()  # the account is handed over by the centre

    silent = submit(id_number="001099000888", data=person(full_name="Lò Văn Sơn", email=""))
    with django_capture_on_commit_callbacks(execute=True):
        services.application_refuse(actor=staff, application=silent, reason="Trùng hồ sơ", version=silent.version)
    assert len(mailoutbox) == 2  # no address, no e-mail
