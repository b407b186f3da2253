"""The awards demo data (idempotent), registered in DEMO_SEEDERS: a Lai Châu province round of 2025 finished with
certificates, a northern mountain region round of 2026 judging the products Lai Châu nominated, and a Tây Ninh
province round of 2026 taking entries. The jurors are demo users (sct.laichau, ld.sct.laichau, xem.laichau; cuc.dck
for the region)."""

import datetime
import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from khuyencong.accounts.models import User
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment

from . import rules
from .models import (
    PHOTO_KINDS,
    BandsStatus,
    Body,
    Certificate,
    Entry,
    EntryDocument,
    EntryStatus,
    Level,
    Member,
    MemberRole,
    Round,
    RoundStatus,
    ScoreSheet,
    SheetStatus,
)
from .services import compute

PRODUCTS_LAI_CHAU = [
    ("Chè shan tuyết cổ thụ Tả Phìn", "food", (19, 18, 14, 9, 9, 4, 5, 4, 8)),
    ("Thổ cẩm dệt tay Dao đỏ Sìn Hồ", "handicraft", (17, 16, 12, 8, 9, 4, 5, 5, 7)),
    ("Miến dong Tam Đường", "food", (15, 14, 11, 7, 7, 3, 3, 3, 6)),
    ("Mật ong bạc hà Phong Thổ", "food", (12, 10, 8, 5, 5, 2, 3, 2, 4)),
]
PRODUCTS_TAY_NINH = [("Bánh tráng phơi sương Trảng Bàng", "food"), ("Muối tôm Tây Ninh", "food")]


def _photo(label: str, colour) -> ContentFile:
    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).rectangle((40, 40, 600, 440), outline=(255, 255, 255), width=6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name=f"{label}.jpg")


def _members(round_: Round, jurors: list[User]) -> None:
    if round_.members.exists():
        return
    size = rules.council_size(round_.level, datetime.date(round_.year, 1, 1))[0].as_int
    names = ["Giàng A Tính", "Lò Văn Hùng", "Nguyễn Thị Mai", "Tẩn Văn Sơn", "Đèo Thị Hương", "Phạm Văn Đức",
             "Hoàng Thị Lan", "Vũ Văn Nam", "Lê Thị Hòa", "Trần Quang Vinh", "Bùi Thị Ngọc"]
    for i in range(size):
        Member.objects.create(round=round_, body=Body.COUNCIL, full_name=names[i],
                              role=MemberRole.CHAIR if i == 0 else MemberRole.VICE_CHAIR if i == 1 else
                              MemberRole.MEMBER, position="Phó Chủ tịch UBND tỉnh" if i == 0 else
                              "Giám đốc Sở Công Thương" if i == 1 else "")
    for i, user in enumerate(jurors):
        Member.objects.create(round=round_, body=Body.JURY, full_name=str(user),
                              user=user, role=MemberRole.HEAD if i == 0 else MemberRole.MEMBER)


def _entry(round_: Round, establishment: Establishment, name: str, group: str, *, status: str,
           lower=None, photos: bool = True) -> Entry:
    entry = Entry.objects.filter(round=round_, product_name=name).first()
    if entry:
        return entry
    entry = Entry.objects.create(round=round_, establishment=establishment, province_id=establishment.province_id,
                                 product_name=name, search_text=fold(f"{name} {establishment.name}"), group=group,
                                 status=status, publish_consent=True, display_consent=True,
                                 description=f"{name}: sản phẩm đặc trưng của địa phương, sản xuất thủ công "
                                             "từ nguyên liệu tại chỗ.", lower_certificate=lower)
    if photos:
        colours = [(120, 150, 60), (160, 90, 40), (70, 110, 150)]
        for kind, colour in zip(PHOTO_KINDS, colours, strict=True):
            doc = EntryDocument(entry=entry, kind=kind, name=f"{FILE_NAMES[kind]}.jpg")
            doc.file.save(f"{FILE_NAMES[kind]}.jpg", _photo(kind, colour), save=True)
        for kind in ("form", "description", "business"):
            doc = EntryDocument(entry=entry, kind=kind, name=f"{FILE_NAMES[kind]}.pdf")
            doc.file.save(f"{FILE_NAMES[kind]}.pdf", ContentFile(b"%PDF-1.4\n% demo\n"), save=True)
    return entry


# The names a producer's files have in the demo, as a Vietnamese producer would name them.
FILE_NAMES = {"photo_front": "anh-chinh-dien", "photo_side": "anh-mat-ben", "photo_top": "anh-tu-tren",
              "form": "phieu-dang-ky", "description": "ban-mo-ta", "business": "giay-dang-ky-kinh-doanh"}


def _sheets(entry: Entry, jurors: list[Member], points: tuple, rng: random.Random, *, submit: bool = True) -> None:
    keys = [b["key"] for c in entry.round.criteria for b in c["bands"]]
    maxes = [b["max"] for c in entry.round.criteria for b in c["bands"]]
    for juror in jurors:
        varied = {k: max(0, min(m, p + rng.choice((-1, 0, 0, 1)))) for k, m, p in zip(keys, maxes, points,
                                                                                      strict=True)}
        clean, sums = compute(entry.round.criteria, varied)
        ScoreSheet.objects.update_or_create(entry=entry, juror=juror, defaults={
            "points": clean, "market": sums["market"], "value": sums["value"], "culture": sums["culture"],
            "other": sums["other"], "total": sum(sums.values()),
            "status": SheetStatus.SUBMITTED if submit else SheetStatus.DRAFT})


# The rounds past their intake judged with the default bands, proposed by the jury head and approved by the chair.
APPROVED_BANDS = {"bands_status": BandsStatus.APPROVED, "bands_proposed_by": "Tổ trưởng tổ chuyên gia",
                  "bands_approved_by": "Giàng A Tính", "bands_approved_on": datetime.date(2025, 3, 20)}


def seed(stdout=None) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=[
        "sct.laichau", "ld.sct.laichau", "xem.laichau", "cuc.dck", "ttkc.laichau"])}
    lai_chau = AdminUnit.objects.current().provinces().filter(code=12).first()
    tay_ninh = AdminUnit.objects.current().provinces().filter(code=80).first()
    if lai_chau is None or len(users) < 5:
        return
    rng = random.Random(17)
    establishments = list(Establishment.objects.filter(province=lai_chau, merged_into__isnull=True)
                          .order_by("id")[:4])
    if len(establishments) < 4:
        return
    # --- Lai Châu, province round 2025: finished, certificates issued and nominated to the region
    province_round, _created = Round.objects.get_or_create(
        name="Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Lai Châu năm 2025", defaults={
            "level": Level.PROVINCE, "province": lai_chau, "unit_name": "Sở Công Thương tỉnh Lai Châu",
            "year": 2025, "plan_reference": "Kế hoạch 215/KH-UBND ngày 10/02/2025", "budget_vnd": 180_000_000,
            "intake_start": datetime.date(2025, 4, 1), "intake_end": datetime.date(2025, 7, 31),
            "status": RoundStatus.CLOSED, "criteria": rules.default_criteria(), **APPROVED_BANDS,
            "decision_number": "1520/QĐ-UBND", "announced_on": datetime.date(2025, 10, 15)})
    jurors = [users["sct.laichau"], users["ld.sct.laichau"], users["xem.laichau"]]
    _members(province_round, jurors)
    jury = list(province_round.members.filter(body=Body.JURY))
    threshold = rules.pass_score(datetime.date(2025, 10, 1)).value
    issued = datetime.date(2025, 10, 10)
    region_certificates = []
    for i, ((name, group, points), establishment) in enumerate(zip(PRODUCTS_LAI_CHAU, establishments, strict=True)):
        entry = _entry(province_round, establishment, name, group, status=EntryStatus.SUBMITTED)
        if entry.sheets.exists():
            if hasattr(entry, "certificate"):
                region_certificates.append(entry.certificate)
            continue
        _sheets(entry, jury, points, rng)
        score = rules.mean(list(entry.sheets.values_list("total", flat=True)))
        status = EntryStatus.FAILED if score < threshold else (EntryStatus.NOT_SELECTED if i == 2 else
                                                               EntryStatus.NOMINATED)
        Entry.objects.filter(pk=entry.pk).update(score=score, status=status)
        if status == EntryStatus.NOMINATED:
            cert = Certificate.objects.create(
                entry=entry, number=f"{len(region_certificates) + 1:03d}/2025/CN-T", level=Level.PROVINCE,
                decision_number="1520/QĐ-UBND", issued_on=issued, valid_until=rules.valid_until(issued),
                code=f"LCH25{len(region_certificates) + 1:05d}")
            region_certificates.append(cert)
    # --- the northern mountain region round 2026: judging the products Lai Châu nominated
    region_round, _created = Round.objects.get_or_create(
        name="Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu khu vực miền núi phía Bắc năm 2026", defaults={
            "level": Level.REGION, "region": "Miền núi phía Bắc",
            "unit_name": "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công", "year": 2026,
            "budget_vnd": 200_000_000, "intake_start": datetime.date(2026, 3, 1),
            "intake_end": datetime.date(2026, 6, 30), "status": RoundStatus.JUDGING,
            "criteria": rules.default_criteria(), **APPROVED_BANDS})
    _members(region_round, [users["cuc.dck"], users["sct.laichau"], users["xem.laichau"]])
    region_jury = list(region_round.members.filter(body=Body.JURY))
    for cert in region_certificates:
        lower = cert.entry
        entry = _entry(region_round, lower.establishment, lower.product_name, lower.group,
                       status=EntryStatus.SCREENED, lower=cert)
        if not entry.sheets.exists():
            points = next(p for n, _g, p in PRODUCTS_LAI_CHAU if n == lower.product_name)
            _sheets(entry, region_jury[:2], points, rng, submit=True)
            _sheets(entry, region_jury[2:], points, rng, submit=False)
    # --- Tây Ninh, province round 2026: taking entries
    if tay_ninh is not None:
        ty_round, _created = Round.objects.get_or_create(
            name="Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Tây Ninh năm 2026", defaults={
                "level": Level.PROVINCE, "province": tay_ninh, "unit_name": "Sở Công Thương tỉnh Tây Ninh",
                "year": 2026, "budget_vnd": 150_000_000, "intake_start": datetime.date(2026, 9, 1),
                "intake_end": datetime.date(2026, 12, 31), "status": RoundStatus.INTAKE_OPEN,
                "criteria": rules.default_criteria()})
        ty_users = list(User.objects.filter(username__in=["sct.tayninh", "ld.sct.tayninh", "ttkc.tayninh"]))
        _members(ty_round, ty_users)
        for (name, group), establishment in zip(PRODUCTS_TAY_NINH, Establishment.objects.filter(
                province=tay_ninh, merged_into__isnull=True).order_by("id")[:2], strict=False):
            _entry(ty_round, establishment, name, group, status=EntryStatus.SUBMITTED, photos=False)
    if stdout:
        stdout.write(f"awards: {Round.objects.count()} rounds, {Entry.objects.count()} entries, "
                     f"{Certificate.objects.count()} certificates\n")



