"""A province round end to end through the services: council and jury guards, dossier checks, jurors' sheets, the
mean and the pass score, certificates, announcement, complaints and nomination to the region."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.audit import AuditEvent
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied

from .. import rules, services
from ..models import Body, Certificate, EntryStatus, Level, Member, RoundStatus, SheetStatus
from .factories import add_bodies, make_entry, make_round, pdf_upload, photo_upload

pytestmark = pytest.mark.django_db

POINTS_HIGH = {"market_demand": 18, "market_capacity": 17, "value_economic": 13, "value_technical": 8,
               "value_social": 8, "value_environment": 4, "culture_identity": 4, "culture_design": 4,
               "other_brand": 8}  # 84
POINTS_LOW = {"market_demand": 10, "market_capacity": 10, "value_economic": 8, "value_technical": 5,
              "value_social": 5, "value_environment": 2, "culture_identity": 3, "culture_design": 2,
              "other_brand": 5}  # 50


def _score(jurors, entry, points_each):
    for user, points in zip(jurors, points_each, strict=True):
        juror = Member.objects.get(round=entry.round, user=user)
        sheet = services.sheet_for(juror=juror, entry=entry)
        services.sheet_save(actor=user, sheet=sheet, points=points, version=sheet.version)
        sheet.refresh_from_db()
        services.sheet_save(actor=user, sheet=sheet, points=points, version=sheet.version, submit=True)


def test_council_size_and_odd_jury_are_guards():
    staff = make_user(Role.CENTRE_STAFF, 12)
    round_ = make_round(12)
    add_bodies(round_, council=6, jurors=2)
    options = {o.action: o for o in services.round_flow.options(round_, staff)}
    assert not options["set_council"].allowed
    reasons = " ".join(options["set_council"].reasons)
    assert "7" in reasons and "9" in reasons and "Điều 9" in reasons
    assert "số lẻ" in reasons
    with pytest.raises(InvalidInput):
        services.round_act(actor=staff, round_=round_, action="set_council", version=round_.version)


def test_round_end_to_end():
    staff = make_user(Role.CENTRE_STAFF, 12)
    round_ = services.round_create(actor=staff, name="Bình chọn cấp tỉnh Lai Châu 2027", level=Level.PROVINCE,
                                   province=make_round(12).province, unit_name="Sở Công Thương Lai Châu",
                                   year=2027, intake_start=datetime.date(2027, 3, 1),
                                   intake_end=datetime.date(2027, 6, 30), budget_vnd=150_000_000)
    assert len(round_.criteria) == 4 and sum(c["max"] for c in round_.criteria) == 100
    for i in range(7):
        services.member_add(actor=staff, round_=round_, body=Body.COUNCIL, full_name=f"Ủy viên {i}",
                            role="chair" if i == 0 else "member")
    jurors = [make_user(Role.VIEWER, 12) for _i in range(3)]
    for i, user in enumerate(jurors):
        services.member_add(actor=staff, round_=round_, body=Body.JURY, full_name=f"Giám khảo {i}", user=user,
                            role="head" if i == 0 else "member")
    for action in ("set_council", "open_intake"):
        round_.refresh_from_db()
        services.round_act(actor=staff, round_=round_, action=action, version=round_.version)
    with pytest.raises(InvalidInput):  # the jury is fixed once set
        services.member_add(actor=staff, round_=round_, body=Body.JURY, full_name="Muộn")
    good = make_entry(round_, name="Chè shan tuyết Tả Phìn")
    poor = make_entry(round_, name="Rượu ngô")
    with pytest.raises(InvalidInput):  # a dossier with a fake PDF is refused
        services.document_add(actor=staff, entry=good, kind="form", upload=SimpleUploadedFile("gia.pdf", b"not"))
    for entry in (good, poor):
        for kind in ("form", "description", "business", "nomination"):
            services.document_add(actor=staff, entry=entry, kind=kind, upload=pdf_upload())
        for kind in ("photo_front", "photo_side"):
            services.document_add(actor=staff, entry=entry, kind=kind, upload=photo_upload())
    with pytest.raises(InvalidInput, match=r"chụp từ trên xuống|dossier"):
        services.entry_act(actor=staff, entry=good, action="screen", version=good.version)
    for entry in (good, poor):
        services.document_add(actor=staff, entry=entry, kind="photo_top", upload=photo_upload())
        entry.refresh_from_db()
        services.entry_act(actor=staff, entry=entry, action="screen", version=entry.version)
    round_.refresh_from_db()
    with pytest.raises(InvalidInput, match="chưa phê duyệt"):  # the bands are not approved yet
        services.round_act(actor=staff, round_=round_, action="start_judging", version=round_.version)
    services.bands_propose(actor=jurors[0], round_=round_, criteria=round_.criteria, version=round_.version)
    services.bands_approve(actor=staff, round_=round_, version=round_.version)
    services.round_act(actor=staff, round_=round_, action="start_judging", version=round_.version)
    good.refresh_from_db()
    poor.refresh_from_db()
    with pytest.raises(PermissionDenied):  # staff are not jurors
        services.sheet_save(actor=staff, sheet=services.sheet_for(juror=Member.objects.filter(
            round=round_, body=Body.JURY).first(), entry=good), points=POINTS_HIGH, version=1)
    _score(jurors, good, [POINTS_HIGH, POINTS_HIGH, POINTS_LOW])  # 84, 84, 50 → 72.67
    _score(jurors, poor, [POINTS_LOW, POINTS_LOW, POINTS_HIGH])  # 50, 50, 84 → 61.33
    good.refresh_from_db()
    poor.refresh_from_db()
    assert good.status == EntryStatus.SCORED and good.score == Decimal("72.67")
    assert poor.score == Decimal("61.33")
    sheet = good.sheets.first()
    assert sheet.status == SheetStatus.SUBMITTED
    with pytest.raises((PermissionDenied, Conflict)):  # locked when submitted
        services.sheet_save(actor=sheet.juror.user, sheet=sheet, points=POINTS_LOW, version=sheet.version)
    minutes = services.minutes(round_)
    assert [row["passed"] for row in minutes] == [True, False]
    round_.refresh_from_db()
    services.round_act(actor=staff, round_=round_, action="recognise", version=round_.version,
                       reference="123/QĐ-UBND", on_date=datetime.date(2027, 9, 1))
    good.refresh_from_db()
    poor.refresh_from_db()
    assert (good.status, poor.status) == (EntryStatus.PASSED, EntryStatus.FAILED)
    services.entry_act(actor=staff, entry=good, action="certify", version=good.version,
                       on_date=datetime.date(2027, 9, 1))
    certificate = Certificate.objects.get(entry=good)
    assert certificate.valid_until == datetime.date(2029, 12, 31)
    assert certificate.number == "001/2027/CN-T" and certificate.decision_number == "123/QĐ-UBND"
    round_.refresh_from_db()
    services.round_act(actor=staff, round_=round_, action="announce", version=round_.version,
                       on_date=datetime.date(2027, 9, 6))
    assert round_.announced_on == datetime.date(2027, 9, 6)
    complaint = services.complaint_add(actor=staff, round_=round_, complainant="Cơ sở Rượu ngô",
                                       content="Xin chấm lại", received_on=datetime.date(2027, 9, 7))
    assert complaint.due_on == rules.answer_deadline(datetime.date(2027, 9, 7))
    region = make_round(level=Level.REGION, status=RoundStatus.INTAKE_OPEN, name="Khu vực miền núi phía Bắc 2028")
    created = services.nominate(actor=staff, round_=round_, target=region)
    assert [e.product_name for e in created] == ["Chè shan tuyết Tả Phìn"]
    assert created[0].lower_certificate == certificate and created[0].documents.count() == 7
    good.refresh_from_db()
    assert good.status == EntryStatus.NOMINATED
    assert AuditEvent.objects.filter(action="awards.nominate").exists()
    assert AuditEvent.objects.filter(action="awards.entry_scored").count() == 2


def test_other_province_cannot_act():
    round_ = make_round(80)
    outsider = make_user(Role.CENTRE_STAFF, 12)
    with pytest.raises(PermissionDenied):
        services.member_add(actor=outsider, round_=round_, body=Body.COUNCIL, full_name="X")
    with pytest.raises(PermissionDenied):
        services.round_act(actor=outsider, round_=round_, action="set_council", version=round_.version)


def test_stale_version_is_refused():
    staff = make_user(Role.CENTRE_STAFF, 12)
    round_ = make_round(12)
    add_bodies(round_)
    with pytest.raises(Conflict):
        services.round_act(actor=staff, round_=round_, action="set_council", version=round_.version + 5)


def test_band_points_are_checked():
    criteria = rules.default_criteria()
    with pytest.raises(InvalidInput):
        services.compute(criteria, {"market_demand": 21})
    with pytest.raises(InvalidInput):
        services.compute(criteria, {"market_demand": "abc"})
    _clean, sums = services.compute(criteria, POINTS_HIGH)
    assert sums == {"market": 35, "value": 33, "culture": 8, "other": 8}


def test_revocation():
    staff = make_user(Role.CENTRE_STAFF, 12)
    round_ = make_round(12, status=RoundStatus.RECOGNISED, decision_number="5/QĐ")
    entry = make_entry(round_, status=EntryStatus.PASSED, score=Decimal("80"))
    services.entry_act(actor=staff, entry=entry, action="certify", version=entry.version)
    certificate = Certificate.objects.get(entry=entry)
    services.certificate_revoke(actor=staff, certificate=certificate, reason="Vi phạm cam kết chất lượng",
                                version=certificate.version)
    assert certificate.revoked_on is not None
    assert not certificate.valid_on(certificate.issued_on)
