"""The appointment decision of a collaborator (quyết định công nhận cộng tác viên khuyến công) as an official document
(NĐ 30/2020/NĐ-CP), built from the collaborator's appointment and the province's network regulation, rendered to PDF
and DOCX by ``khuyencong.core.documents``.

The text is Vietnamese whatever the interface language: it is what the centre signs. The decision names the person
as the law requires, with the ID number in full: the network keeps only a keyed hash of it, so the officer who issues
the decision types it from the person's file, it is checked against the hash and printed, never stored. Without it,
the decision leaves the blank a clerk fills in by hand (never the masked “•••” of lists and exports).
"""

from django.utils.translation import gettext as _

from khuyencong.core import documents as d
from khuyencong.core.errors import InvalidInput

from .identity import clean_id_number, id_number_hash
from .models import Collaborator

# The blank left for the ID number when it was not typed in: room for 12 digits written by hand.
ID_BLANK = "……………………………"

BODY_WORDS = ("Trung", "Sở", "Ủy", "Uỷ", "Chi", "Phòng", "Ban", "Cục")
LEGAL_BASIS = ("Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công, được sửa đổi, "
               "bổ sung bởi Nghị định số 235/2025/NĐ-CP ngày 27 tháng 8 năm 2025 của Chính phủ;")


def signer_title(authority: str) -> str:
    """"Giám đốc Trung tâm Khuyến công…" → "Giám đốc": the title over the signature (NĐ 30/2020)."""
    words = authority.split()
    for i, word in enumerate(words[1:], start=1):
        if word in BODY_WORDS:
            return " ".join(words[:i])
    return authority


def head_authority(authority: str) -> str:
    """The competent authority the decision is issued under (NĐ 30/2020): the head, even when a deputy signs for
    them (“Phó Giám đốc Trung tâm…” issues as “GIÁM ĐỐC TRUNG TÂM…”, signed “KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC”)."""
    authority = " ".join(authority.split())
    if authority.lower().startswith("phó "):
        head = authority[4:]
        return head[:1].upper() + head[1:]
    return authority


def signer_for(authority: str, name: str) -> d.Signer:
    """A deputy signs on behalf of the head: “Phó Giám đốc” prints “KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC”."""
    title = signer_title(authority.strip()) or "Giám đốc"
    if title.lower().startswith("phó "):
        head = title[4:].strip()
        return d.Signer(title=title, name=name, prefix="KT.", authority=head[:1].upper() + head[1:])
    return d.Signer(title=title, name=name)


def lower_first(text: str) -> str:
    """An administrative unit's name inside a sentence: only its type word is lowered (“xã Bản Giang”)."""
    return d.in_sentence(text)


def full_id_number(collaborator: Collaborator, typed: str) -> str:
    """The ID number the issuing officer typed, checked against the one on record (its keyed hash), to print in
    full on the decision; never stored."""
    digits = clean_id_number(typed)
    if collaborator.id_number_hash and id_number_hash(digits) != collaborator.id_number_hash:
        raise InvalidInput(_("This is not the ID number on record for this collaborator: check it against their "
                             "citizen ID card."), field="id_number")
    return digits


def appointed_communes(collaborator: Collaborator) -> list:
    """The communes named in the decision: those covered from the start of the term (current units), else the open
    coverage. Uses the coverages prefetched by ``selectors.collaborator_get`` when there."""
    coverages = getattr(collaborator, "all_coverages", None)
    if coverages is None:
        coverages = list(collaborator.coverages.select_related("unit").order_by("unit__name"))
    at_start = [c.unit for c in coverages if c.start_date == collaborator.term_start and c.unit.scheme == "current"]
    return at_start or [c.unit for c in coverages if c.end_date is None]


def decision_document(collaborator: Collaborator, *, id_number: str = "") -> d.OfficialDocument:
    """The decision; ``id_number`` is the full number checked by :func:`full_id_number` (empty: a blank)."""
    c = collaborator
    r = c.regulation
    communes = appointed_communes(c)
    province = lower_first(c.province.name)
    honorific = "bà" if c.gender == "female" else "ông"
    identity = [f"sinh năm {c.birth_year}"] if c.birth_year else []
    if id_number or c.id_number_last3:
        identity.append(f"số định danh cá nhân {id_number or ID_BLANK}")
    if c.residence_commune_id:
        home = f"{c.address}, " if c.address else ""
        identity.append(f"nơi cư trú: {home}{lower_first(c.residence_commune.name)}, {province}")
    if c.affiliation:
        identity.append(f"đơn vị công tác: {c.affiliation}")
    where = ", ".join(lower_first(u.name) for u in communes)
    area = f" trên địa bàn {where}, {province}" if where else f" trên địa bàn {province}"
    basis = [LEGAL_BASIS]
    if r is not None:
        basis.append(f"Căn cứ {r.title} ban hành kèm theo Quyết định số {r.number} ngày {r.issued_on:%d/%m/%Y} "
                     f"của {r.issuing_body};")
    basis.append(f"Xét hồ sơ đăng ký tham gia mạng lưới cộng tác viên khuyến công của {honorific} {c.full_name}.")
    term = ""
    if c.term_start and c.term_end:
        term = f"Thời hạn công nhận: từ ngày {c.term_start:%d/%m/%Y} đến ngày {c.term_end:%d/%m/%Y}."
    rules = r.title if r is not None else "quy chế của địa phương"
    duties = f", gồm: {r.duties.strip()}" if r is not None and r.duties.strip() else "."
    body = r.appointing_body if r is not None else (c.decision_authority or "")
    blocks: list[d.Block] = [
        d.Paragraph(head_authority(c.decision_authority).upper(), bold=True, align="center", indent=False),
        *(d.Paragraph(text, italic=True) for text in basis),
        d.Paragraph("QUYẾT ĐỊNH:", bold=True, align="center", indent=False),
        d.Paragraph(f"Công nhận {honorific} {c.full_name}{', ' if identity else ''}{', '.join(identity)}, là cộng tác "
                    f"viên khuyến công{area}.", lead="Điều 1."),
    ]
    if term:
        blocks.append(term)
    blocks += [
        d.Paragraph(f"Cộng tác viên khuyến công có nhiệm vụ, quyền lợi và được hưởng thù lao khuyến công theo "
                    f"{rules}{duties}", lead="Điều 2."),
        d.Paragraph(f"Quyết định này có hiệu lực kể từ ngày ký. Các bộ phận có liên quan thuộc {body} và "
                    f"{honorific} {c.full_name} chịu trách nhiệm thi hành Quyết định này./.", lead="Điều 3."),
    ]
    return d.OfficialDocument(
        header=d.Header(issuing_body=r.appointing_body if r is not None else body,
                        parent_body=r.parent_body if r is not None else ""),
        number=c.decision_number, place=c.province.short_name, date=c.decision_date,
        kind="Quyết định", subject="Về việc công nhận cộng tác viên khuyến công",
        sections=[d.Section(blocks=blocks)],
        recipients=["Như Điều 3", *(f"UBND {lower_first(u.name)}" for u in communes), "Lưu: VT"],
        signer=signer_for(c.decision_authority, c.decision_signer),
    )
