"""The five lifecycles of the network as tables: for each, a row allowed, and a row refused by the state, by the role
and by a guard (or a required input where the table has no guard), each with the message a person reads."""

import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core import badges
from khuyencong.core.errors import InvalidInput, PermissionDenied

from .. import services
from ..flows import (
    application_flow,
    collaborator_flow,
    fee_sheet_flow,
    field_record_flow,
    task_flow,
)
from ..models import (
    ApplicationStatus,
    CollaboratorStatus,
    FeeSheetStatus,
    FieldKind,
    RecordStatus,
    TaskStatus,
)
from .conftest import LAI_CHAU
from .factories import (
    make_application,
    make_collaborator,
    make_fee_sheet,
    make_field_collaborator,
    make_record,
    make_task,
)

pytestmark = pytest.mark.django_db

STAFF_ONLY = "Chỉ cán bộ Trung tâm Khuyến công được quản lý mạng lưới cộng tác viên."


def by_action(flow, obj, user) -> dict:
    return {option.action: option for option in flow.options(obj, user)}


# --- applications -----------------------------------------------------------------------------------------------------


def test_application_table(staff, finance):
    application = make_application(LAI_CHAU)
    options = by_action(application_flow, application, staff)
    assert list(options) == ["accept", "refuse"] and all(o.allowed for o in options.values())
    assert application_flow.check(application, staff, "accept").target == ApplicationStatus.ACCEPTED
    # by role: finance may read the application but not decide it
    refused = by_action(application_flow, application, finance)["accept"]
    assert not refused.allowed and refused.reason == STAFF_ONLY
    with pytest.raises(PermissionDenied, match=STAFF_ONLY):
        application_flow.check(application, finance, "refuse", inputs={"reason": "x"})
    # by a required input: a refusal needs its reason
    with pytest.raises(InvalidInput, match="Nêu lý do từ chối") as missing:
        application_flow.check(application, staff, "refuse", inputs={"reason": "  "})
    assert missing.value.field == "reason"
    # by state: a decided application offers nothing
    application.status = ApplicationStatus.REFUSED
    assert application_flow.options(application, staff) == []
    with pytest.raises(InvalidInput, match="đã được xét"):
        application_flow.check(application, staff, "accept")


# --- a collaborator's status ------------------------------------------------------------------------------------------


def test_collaborator_table(staff, viewer, regulation):
    collaborator, _user = make_field_collaborator(LAI_CHAU)
    options = by_action(collaborator_flow, collaborator, staff)
    assert list(options) == ["suspend", "end"] and options["suspend"].needs == ("reason",)
    assert collaborator_flow.check(collaborator, staff, "suspend", inputs={"reason": "Ốm"}).target == \
        CollaboratorStatus.SUSPENDED
    # by role
    with pytest.raises(PermissionDenied, match=STAFF_ONLY):
        collaborator_flow.check(collaborator, viewer, "suspend", inputs={"reason": "Ốm"})
    # by a required input: suspending needs the reason
    with pytest.raises(InvalidInput, match="Nêu lý do") as missing:
        collaborator_flow.check(collaborator, staff, "end", inputs={"reason": ""})
    assert missing.value.field == "reason"
    # by state, with the service's own wording and field
    with pytest.raises(InvalidInput, match="Chỉ người đăng ký hoặc cộng tác viên đã thôi") as wrong:
        collaborator_flow.check(collaborator, staff, "appoint")
    assert wrong.value.field == "status"
    with pytest.raises(InvalidInput, match="không thể chuyển sang đang hoạt động"):
        collaborator_flow.check(collaborator, staff, "reactivate")
    applicant = make_collaborator(LAI_CHAU, status=CollaboratorStatus.APPLICANT)
    assert list(by_action(collaborator_flow, applicant, staff)) == ["appoint", "end"]


def test_ending_through_the_table_logs_the_status_and_closes_the_communes(staff, regulation):
    collaborator, _user = make_field_collaborator(LAI_CHAU)
    services.collaborator_set_status(actor=staff, collaborator=collaborator, status="ended", reason="Xin thôi",
                                     version=collaborator.version)
    assert collaborator.status_changes.order_by("-id").first().status == CollaboratorStatus.ENDED
    assert not collaborator.coverages.filter(end_date__isnull=True).exists()
    assert list(by_action(collaborator_flow, collaborator, staff)) == ["appoint"]


# --- tasks ------------------------------------------------------------------------------------------------------------


def test_task_table(staff, viewer):
    collaborator, user = make_field_collaborator(LAI_CHAU)
    task = make_task(collaborator)
    # the collaborator completes their own task, not cancels it; the centre does both
    mine = by_action(task_flow, task, user)
    assert mine["complete"].allowed and not mine["cancel"].allowed and mine["cancel"].reason == STAFF_ONLY
    assert all(o.allowed for o in task_flow.options(task, staff))
    assert task_flow.check(task, user, "complete").target == TaskStatus.DONE
    # by role: someone else's collaborator account or a viewer
    _other, other_user = make_field_collaborator(LAI_CHAU)
    with pytest.raises(PermissionDenied, match=STAFF_ONLY):
        task_flow.check(task, other_user, "complete")
    with pytest.raises(PermissionDenied, match=STAFF_ONLY):
        task_flow.check(task, viewer, "cancel", inputs={"reason": "x"})
    # by a required input: a cancellation needs its reason
    with pytest.raises(InvalidInput, match="Nêu lý do"):
        task_flow.check(task, staff, "cancel", inputs={})
    # by state
    task.status = TaskStatus.DONE
    with pytest.raises(InvalidInput, match="không còn mở"):
        task_flow.check(task, user, "complete")


# --- field records ----------------------------------------------------------------------------------------------------


def test_field_record_table(staff, viewer):
    collaborator, _user = make_field_collaborator(LAI_CHAU)
    record = make_record(collaborator, FieldKind.COMMUNICATION, topic="Vay vốn", participants=20)
    options = by_action(field_record_flow, record, staff)
    assert options["accept"].allowed and options["reject"].allowed
    # by guard: only a support-needs registration becomes a proposal
    assert not options["convert"].allowed
    assert options["convert"].reason == "Chỉ phiếu đăng ký nhu cầu hỗ trợ mới được chuyển thành đề xuất đề án."
    with pytest.raises(InvalidInput, match="Chỉ phiếu đăng ký nhu cầu hỗ trợ"):
        field_record_flow.check(record, staff, "convert", inputs={"plan": "KH"})
    # by role
    with pytest.raises(PermissionDenied, match=STAFF_ONLY):
        field_record_flow.check(record, viewer, "accept")
    # a rejection needs the note the collaborator reads
    with pytest.raises(InvalidInput, match="Nêu lý do không chấp nhận") as missing:
        field_record_flow.check(record, staff, "reject", inputs={"note": ""})
    assert missing.value.field == "note"
    # by state
    record.status = RecordStatus.ACCEPTED
    with pytest.raises(InvalidInput, match="đã được xét"):
        field_record_flow.check(record, staff, "reject", inputs={"note": "x"})
    need = make_record(collaborator, FieldKind.NEED, status=RecordStatus.ACCEPTED, content_code="machinery",
                       expected_cost_vnd=100_000_000)
    assert field_record_flow.decide(need, staff, "convert").allowed
    need.status = RecordStatus.CONVERTED
    with pytest.raises(InvalidInput, match="không thể chuyển thành đề xuất"):
        field_record_flow.check(need, staff, "convert", inputs={"plan": "KH"})


# --- fee sheets -------------------------------------------------------------------------------------------------------


def test_fee_sheet_table(staff, finance, regulation):
    sheet = make_fee_sheet(LAI_CHAU, regulation=regulation)
    options = by_action(fee_sheet_flow, sheet, finance)
    assert options["sign_off"].allowed and not options["recompute"].allowed
    assert fee_sheet_flow.check(sheet, finance, "sign_off").target == FeeSheetStatus.SIGNED_OFF
    # by role: the centre computes, finance signs off
    with pytest.raises(PermissionDenied, match="Chỉ kế toán của tỉnh được ký duyệt bảng thù lao"):
        fee_sheet_flow.check(sheet, staff, "sign_off")
    # whoever prepared the sheet does not sign it off
    sheet.prepared_by = finance
    with pytest.raises(PermissionDenied, match="Người lập bảng không được tự ký duyệt"):
        fee_sheet_flow.check(sheet, finance, "sign_off")
    sheet.prepared_by = staff
    # by guard: nothing to pay
    sheet.lines.all().delete()
    with pytest.raises(InvalidInput, match="Bảng không có dòng nào để chi trả"):
        fee_sheet_flow.check(sheet, finance, "sign_off")
    # by state
    with pytest.raises(InvalidInput, match="Bảng chỉ được chi trả sau khi được ký duyệt"):
        fee_sheet_flow.check(sheet, finance, "paid", inputs={"reference": "PC-1"})
    sheet.status = FeeSheetStatus.SIGNED_OFF
    assert list(by_action(fee_sheet_flow, sheet, finance)) == ["paid", "return"]
    with pytest.raises(InvalidInput, match="Nhập số chứng từ thanh toán"):
        fee_sheet_flow.check(sheet, finance, "paid", inputs={"reference": ""})


def test_the_fee_action_of_the_page_goes_through_the_table(staff, finance, regulation):
    sheet = make_fee_sheet(LAI_CHAU, regulation=regulation)
    services.fee_sheet_act(actor=finance, sheet=sheet, action="sign_off", version=sheet.version)
    assert sheet.status == FeeSheetStatus.SIGNED_OFF
    with pytest.raises(InvalidInput):
        services.fee_sheet_act(actor=finance, sheet=sheet, action="approve", version=sheet.version)


def test_every_state_has_a_badge_tone():
    for kind, choices in (("network.application", ApplicationStatus), ("network.collaborator", CollaboratorStatus),
                          ("network.task", TaskStatus), ("network.record", RecordStatus),
                          ("network.fee_sheet", FeeSheetStatus)):
        assert set(badges.TONES[kind]) >= set(choices.values)


def test_a_viewer_sees_the_reasons_not_the_buttons(client, regulation):
    viewer = make_user(Role.DOIT_OFFICER, LAI_CHAU, username="so.lc")
    collaborator = make_collaborator(LAI_CHAU)
    client.force_login(viewer)
    page = client.get(f"/network/collaborators/{collaborator.pk}/").content.decode()
    assert 'data-testid="refused-suspend"' in page and STAFF_ONLY in page
    assert 'name="status"' not in page
