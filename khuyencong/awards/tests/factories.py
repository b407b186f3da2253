"""Test helpers of the awards: a round in a province at any stage, its council and jury, entries with a dossier."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user, province
from khuyencong.core.text import fold
from khuyencong.projects.tests.factories import make_establishment

from .. import rules
from ..models import REQUIRED_KINDS, Body, Entry, EntryDocument, Level, Member, MemberRole, Round, RoundStatus


def pdf_upload(name="ho-so.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def photo_upload(name="anh.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_round(code: int = 12, *, status: str = RoundStatus.PLANNED, level: str = Level.PROVINCE, year: int = 2027,
               name: str = "", **fields) -> Round:
    prov = province(code) if level in (Level.PROVINCE, Level.COMMUNE) else None
    return Round.objects.create(
        name=name or f"Bình chọn sản phẩm tiêu biểu {prov.short_name if prov else 'khu vực'} {year}", level=level,
        province=prov, unit_name="Sở Công Thương", year=year, intake_start=datetime.date(year, 3, 1),
        intake_end=datetime.date(year, 6, 30), status=status, criteria=rules.default_criteria(), **fields)


def add_bodies(round_: Round, *, council: int = 7, jurors: int = 3, code: int = 12) -> list:
    for i in range(council):
        Member.objects.create(round=round_, body=Body.COUNCIL, full_name=f"Ủy viên {i + 1}",
                              role=MemberRole.CHAIR if i == 0 else MemberRole.MEMBER)
    users = [make_user(Role.VIEWER, code, first_name=f"Giám khảo {i + 1}") for i in range(jurors)]
    for i, user in enumerate(users):
        Member.objects.create(round=round_, body=Body.JURY, full_name=f"Giám khảo {i + 1}", user=user,
                              role=MemberRole.HEAD if i == 0 else MemberRole.MEMBER)
    return users


def make_entry(round_: Round, *, code: int | None = None, name: str = "Chè shan tuyết", status: str = "submitted",
               publish: bool = True, with_dossier: bool = False, **fields) -> Entry:
    code = code or (round_.province.code if round_.province_id else 12)
    establishment = make_establishment(code)
    entry = Entry.objects.create(round=round_, establishment=establishment, province_id=establishment.province_id,
                                 product_name=name, search_text=fold(f"{name} {establishment.name}"),
                                 group="food", status=status, publish_consent=publish, **fields)
    if with_dossier:
        for kind in REQUIRED_KINDS:
            EntryDocument.objects.create(entry=entry, kind=kind, file=f"awards/test/{kind}.pdf", name=f"{kind}.pdf")
    return entry
