"""A closed round promises no more changes: every write of its council, jury, bands, entries, dossiers, sheets,
certificates and complaints refuses with the lock's reason and leaves every row as it was, and its pages offer no
write button. Also: the council sizes of Art 9 and the odd jury of Art 11 checked where the members are named, the
scoring bands proposed by the jury head and approved by the council chair before judging, the prize of the level
from the rule rows, the logo right (Art 21) and the KC-support hint on a project."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.locks import LOCKS
from khuyencong.core.tests.test_locks import WALKED, refused
from khuyencong.projects.models import ProjectBeneficiary
from khuyencong.projects.tests.factories import make_plan, make_project

from .. import services
from ..documents import certificate_document
from ..flows import round_flow
from ..models import (
    BandsStatus,
    Body,
    Certificate,
    Complaint,
    EntryStatus,
    Level,
    Member,
    RoundStatus,
    ScoreSheet,
)
from .factories import add_bodies, make_entry, make_round, pdf_upload

pytestmark = pytest.mark.django_db
LOCK = "awards.round_closed"
D = datetime.date


def _certify(entry, code: str) -> Certificate:
    """A certificate valid today (issued a month ago, to 31/12 of the year + 2)."""
    today = timezone.localdate()
    return Certificate.objects.create(entry=entry, number=f"001/{entry.round.year}/CN-T", level=entry.round.level,
                                      decision_number="9/QĐ-UBND", issued_on=today - datetime.timedelta(days=30),
                                      valid_until=D(today.year + 2, 12, 31), code=code)


@pytest.fixture
def closed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = make_user(Role.CENTRE_STAFF, 12)
    round_ = make_round(12, status=RoundStatus.CLOSED, announced_on=D(2027, 9, 1), decision_number="9/QĐ-UBND",
                        bands_status=BandsStatus.PROPOSED)
    jurors = add_bodies(round_)
    certified = make_entry(round_, name="Chè Tả Phìn", status=EntryStatus.PASSED, score=Decimal("80"))
    _certify(certified, "LOCKED0001")
    certified.status = EntryStatus.CERTIFIED
    certified.save(update_fields=["status"])
    waiting = make_entry(round_, name="Rượu ngô", status=EntryStatus.SCREENED, with_dossier=True)
    juror = Member.objects.get(round=round_, user=jurors[0])
    sheet = ScoreSheet.objects.create(entry=waiting, juror=juror)
    complaint = Complaint.objects.create(round=round_, complainant="Cơ sở A", content="Xin chấm lại",
                                         received_on=D(2027, 9, 2), due_on=D(2027, 9, 16))
    region = make_round(level=Level.REGION, status=RoundStatus.CLOSED, year=2028)
    return {"staff": staff, "round": round_, "jurors": jurors, "juror": juror, "certified": certified,
            "waiting": waiting, "sheet": sheet, "complaint": complaint, "region": region}


def _writes(m) -> dict:
    r, staff, head = m["round"], m["staff"], m["jurors"][0]
    return {
        "awards.member_add": (r, lambda: services.member_add(actor=staff, round_=r, body=Body.COUNCIL,
                                                             full_name="Ủy viên mới")),
        "awards.member_remove": (r, lambda: services.member_remove(actor=staff, member=r.members.first())),
        "awards.bands_propose": (r, lambda: services.bands_propose(actor=head, round_=r, criteria=r.criteria,
                                                                   version=r.version)),
        "awards.bands_approve": (r, lambda: services.bands_approve(actor=staff, round_=r, version=r.version)),
        "awards.entry_create": (r, lambda: services.entry_create(
            actor=staff, round_=r, establishment=m["waiting"].establishment, product_name="Mới", group="food")),
        "awards.document_add": (r, lambda: services.document_add(actor=staff, entry=m["waiting"], kind="form",
                                                                 upload=pdf_upload())),
        "awards.entry_act": (r, lambda: services.entry_act(actor=staff, entry=m["waiting"], action="screen",
                                                           version=m["waiting"].version)),
        "awards.sheet_for": (r, lambda: services.sheet_for(juror=m["juror"], entry=m["certified"])),
        "awards.sheet_save": (r, lambda: services.sheet_save(actor=head, sheet=m["sheet"], points={},
                                                             version=m["sheet"].version, submit=True)),
        "awards.complaint_add": (r, lambda: services.complaint_add(actor=staff, round_=r, complainant="B",
                                                                   content="Khiếu nại", received_on=D(2027, 9, 3))),
        "awards.complaint_answer": (r, lambda: services.complaint_answer(
            actor=staff, complaint=m["complaint"], answer="Giữ nguyên", version=m["complaint"].version)),
        # a closed round of the next level takes no nomination
        "awards.nominate": (m["region"], lambda: services.nominate(actor=staff, round_=r, target=m["region"])),
    }


def test_a_closed_round_refuses_every_write(closed):
    writes = _writes(closed)
    assert set(writes) == set(WALKED[LOCK])
    for name, (obj, call) in writes.items():
        try:
            refused(call, LOCK, obj, "awards")
        except AssertionError as exc:  # name the service that let the write through
            raise AssertionError(f"{name}: {exc}") from exc


def test_the_certificate_is_still_revoked_after_the_round_closed(closed):
    certificate = closed["certified"].certificate
    services.certificate_revoke(actor=closed["staff"], certificate=certificate, reason="Hàng giả",
                                version=certificate.version)
    assert Certificate.objects.get(pk=certificate.pk).revoked_on is not None


def test_a_closed_round_page_offers_no_write(closed, client):
    round_ = closed["round"]
    client.force_login(closed["staff"])
    page = client.get(f"/awards/rounds/{round_.pk}/").content.decode()
    assert str(LOCKS[LOCK].reason(round_)) in page
    for form in (f"/awards/complaints/{closed['complaint'].pk}/answer/", f"/awards/rounds/{round_.pk}/members/",
                 f"/awards/rounds/{round_.pk}/entries/new/", f"/awards/rounds/{round_.pk}/complaints/",
                 'data-testid="act-'):
        assert form not in page, form
    entry_page = client.get(f"/awards/entries/{closed['waiting'].pk}/").content.decode()
    assert f"/awards/entries/{closed['waiting'].pk}/documents/\"" not in entry_page
    assert 'data-testid="act-' not in entry_page
    client.force_login(closed["jurors"][0])
    bands = client.get(f"/awards/rounds/{round_.pk}/bands/").content.decode()
    assert 'data-testid="bands-propose"' not in bands and 'data-testid="bands-approve"' not in bands
    response = client.post(f"/awards/entries/{closed['waiting'].pk}/sheet/", {"market_demand": "5", "submit": "1"})
    assert response.status_code == 422
    response = client.put(f"/api/v1/awards/entries/{closed['waiting'].pk}/sheet",
                          data={"points": {"market_demand": 5}, "version": 1}, content_type="application/json")
    assert response.status_code == 409 and response.json() == {"code": "locked",
                                                               "detail": str(LOCKS[LOCK].reason(round_))}
    assert ScoreSheet.objects.get(pk=closed["sheet"].pk).total == 0


# --- council and jury (Art 9, Art 11) -------------------------------------------------------------------------------


def test_a_province_council_has_7_or_9_members_and_the_jury_an_odd_number(client):
    staff = make_user(Role.CENTRE_STAFF, 12)
    round_ = make_round(12)
    add_bodies(round_, council=8, jurors=3)
    options = {o.action: o for o in round_flow.options(round_, staff)}
    assert not options["set_council"].allowed
    assert "7 hoặc 9 thành viên" in " ".join(options["set_council"].reasons)  # 8 is neither
    services.member_add(actor=staff, round_=round_, body=Body.COUNCIL, full_name="Ủy viên 9")
    with pytest.raises(InvalidInput, match="tối đa 9 thành viên"):
        services.member_add(actor=staff, round_=round_, body=Body.COUNCIL, full_name="Ủy viên 10")
    services.member_remove(actor=staff, member=round_.members.filter(body=Body.COUNCIL).last())
    with pytest.raises(InvalidInput, match="chủ tịch"):  # one chair
        services.member_add(actor=staff, round_=round_, body=Body.COUNCIL, full_name="Chủ tịch 2", role="chair")
    services.member_add(actor=staff, round_=round_, body=Body.JURY, full_name="Giám khảo 4",
                        user=make_user(Role.VIEWER, 12))
    options = {o.action: o for o in round_flow.options(round_, staff)}
    assert "số lẻ" in " ".join(options["set_council"].reasons)
    client.force_login(staff)
    page = client.get(f"/awards/rounds/{round_.pk}/").content.decode()
    assert "7 hoặc 9 thành viên" in page and "Điều 9" in page and "Điều 11" in page


@pytest.mark.parametrize(("level", "sizes"), [(Level.REGION, (9, 11)), (Level.NATIONAL, (11, 13))])
def test_region_and_national_council_sizes(level, sizes):
    staff = make_user(Role.MINISTRY_OFFICER, None)
    round_ = make_round(level=level)
    add_bodies(round_, council=sizes[0] + 1, jurors=3)
    assert not {o.action: o for o in round_flow.options(round_, staff)}["set_council"].allowed
    round_.members.filter(body=Body.COUNCIL).last().delete()
    assert {o.action: o for o in round_flow.options(round_, staff)}["set_council"].allowed


# --- scoring bands --------------------------------------------------------------------------------------------------


def _bands_post(criteria) -> dict:
    data = {}
    for c in criteria:
        for i, band in enumerate(c["bands"], start=1):
            data[f"{c['code']}-{i}-label"] = band["label"]
            data[f"{c['code']}-{i}-max"] = str(band["max"])
    return data


def test_the_jury_head_proposes_the_bands_the_chair_approves_and_the_sheet_uses_them(client):
    staff = make_user(Role.CENTRE_STAFF, 12)
    round_ = make_round(12, status=RoundStatus.INTAKE_OPEN)
    jurors = add_bodies(round_)
    data = _bands_post(round_.criteria)
    data.update({"other-1-label": "Thương hiệu, nhãn hiệu", "other-1-max": "6",
                 "other-2-label": "Chứng nhận chất lượng", "other-2-max": "3", "version": round_.version})
    client.force_login(staff)  # only the jury head proposes
    assert client.post(f"/awards/rounds/{round_.pk}/bands/", data).status_code == 422
    client.force_login(jurors[0])
    response = client.post(f"/awards/rounds/{round_.pk}/bands/", data)
    assert response.status_code == 422 and "9 điểm" in response.content.decode()  # 6 + 3 ≠ 10
    data["other-2-max"] = "4"
    assert client.post(f"/awards/rounds/{round_.pk}/bands/", data).status_code == 302
    round_.refresh_from_db()
    assert round_.bands_status == BandsStatus.PROPOSED and len(round_.criteria[3]["bands"]) == 2
    with pytest.raises(PermissionDenied):  # a juror is not the chair
        services.bands_approve(actor=jurors[1], round_=round_, version=round_.version)
    client.force_login(staff)  # the organiser records the chair's approval
    page = client.get(f"/awards/rounds/{round_.pk}/bands/").content.decode()
    assert 'data-testid="bands-approve"' in page
    client.post(f"/awards/rounds/{round_.pk}/bands/approve/", {"version": round_.version})
    round_.refresh_from_db()
    assert round_.bands_status == BandsStatus.APPROVED and round_.bands_approved_by == "Ủy viên 1"
    entry = make_entry(round_, name="Thổ cẩm", status=EntryStatus.SCREENED)
    round_.status = RoundStatus.JUDGING
    round_.save(update_fields=["status"])
    with pytest.raises(InvalidInput, match="bắt đầu chấm"):  # fixed once judging started
        services.bands_propose(actor=jurors[0], round_=round_, criteria=round_.criteria, version=round_.version)
    client.force_login(jurors[1])
    sheet = client.get(f"/awards/entries/{entry.pk}/sheet/").content.decode()
    assert "Chứng nhận chất lượng" in sheet and 'name="other_2"' in sheet  # a new band; the others keep their keys
    client.post(f"/awards/entries/{entry.pk}/sheet/", {"other_brand": "6", "other_2": "4", "market_demand": "20"})
    assert ScoreSheet.objects.get(entry=entry, juror__user=jurors[1]).total == 30


def test_bands_refuse_a_criterion_without_bands():
    round_ = make_round(12)
    jurors = add_bodies(round_)
    criteria = [{**c, "bands": [] if c["code"] == "culture" else c["bands"]} for c in round_.criteria]
    with pytest.raises(InvalidInput, match="1 đến 8 mục"):
        services.bands_propose(actor=jurors[0], round_=round_, criteria=criteria, version=round_.version)


# --- prize, logo, KC-support hint -------------------------------------------------------------------------------------


def test_the_round_page_shows_the_prize_of_its_level(client):
    call_command("load_rules", verbosity=0)
    client.force_login(make_user(Role.MINISTRY_OFFICER, None))
    region = make_round(level=Level.REGION, year=2028)
    page = client.get(f"/awards/rounds/{region.pk}/").content.decode()
    assert "5.000.000 ₫" in page and "Điều 6 khoản 2 điểm g" in page and "chưa được xác minh" in page
    province = make_round(12, year=2027)
    page = client.get(f"/awards/rounds/{province.pk}/").content.decode()
    assert "ngân sách địa phương" in page


def test_the_certificate_and_the_product_page_state_the_logo_right(client):
    round_ = make_round(12, status=RoundStatus.COMPLAINTS)
    entry = make_entry(round_, name="Chè Tả Phìn", status=EntryStatus.CERTIFIED, score=Decimal("80"))
    certificate = _certify(entry, "LOGO000001")
    text = " ".join(block.text for section in certificate_document(certificate).sections
                    for block in section.blocks if hasattr(block, "text"))
    assert "biểu trưng" in text and "Điều 21" in text
    page = client.get(f"/san-pham/{entry.pk}/").content.decode()
    assert "awards/logo.svg" in page and "Điều 21" in page


def test_a_project_of_a_certified_producer_shows_the_support_priority(client):
    round_ = make_round(12, status=RoundStatus.CLOSED)
    entry = make_entry(round_, name="Chè Tả Phìn", status=EntryStatus.CERTIFIED, score=Decimal("80"))
    certificate = _certify(entry, "HINT000001")
    project = make_project(12, plan=make_plan())
    ProjectBeneficiary.objects.create(project=project, establishment=entry.establishment, checked_on=D(2027, 9, 1))
    client.force_login(make_user(Role.CENTRE_STAFF, 12))
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Sản phẩm đạt chứng nhận cấp tỉnh: Chè Tả Phìn" in page and "ưu tiên hỗ trợ (TT 26/2014 Điều 21)" in page
    type(project).objects.filter(pk=project.pk).update(status="approved")  # approved: the priority has done its work
    assert "ưu tiên hỗ trợ" not in client.get(f"/projects/{project.pk}/").content.decode()
    type(project).objects.filter(pk=project.pk).update(status="draft")
    Certificate.objects.filter(pk=certificate.pk).update(revoked_on=D(2027, 10, 1))
    assert "ưu tiên hỗ trợ" not in client.get(f"/projects/{project.pk}/").content.decode()
