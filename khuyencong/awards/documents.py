"""The official documents and exports of the awards: the certificate (NĐ 30/2020 layout, PDF and DOCX, with its
verification code) and the nomination list to the next level (xlsx)."""

from khuyencong.core import documents as d
from khuyencong.core.exports import write_table

from .flows import LEVEL_WORDS
from .models import Certificate, Entry, Level, Round

ISSUERS = {Level.COMMUNE: "ỦY BAN NHÂN DÂN", Level.PROVINCE: "ỦY BAN NHÂN DÂN",
           Level.REGION: "BỘ CÔNG THƯƠNG", Level.NATIONAL: "BỘ CÔNG THƯƠNG"}


def _issuer(round_: Round) -> tuple[str, str]:
    if round_.level in (Level.COMMUNE, Level.PROVINCE) and round_.province_id:
        return f"ỦY BAN NHÂN DÂN {round_.province.name.upper()}", ""
    if round_.level == Level.REGION:
        return "CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG", "BỘ CÔNG THƯƠNG"
    return "BỘ CÔNG THƯƠNG", ""


def certificate_document(certificate: Certificate, *, verify_url: str = "") -> d.OfficialDocument:
    entry: Entry = certificate.entry
    round_ = entry.round
    body, parent = _issuer(round_)
    producer = entry.establishment
    level = LEVEL_WORDS[certificate.level]
    blocks = [
        d.Paragraph(f"SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU {level.upper()} NĂM {round_.year}", bold=True,
                    align="center", indent=False),
        d.Paragraph(f"Tên sản phẩm: {entry.product_name}", indent=False),
        d.Paragraph(f"Nhóm sản phẩm: {entry.get_group_display()}", indent=False),
        d.Paragraph(f"Cơ sở sản xuất: {producer.name}", indent=False),
        d.Paragraph(f"Địa chỉ: {', '.join(p for p in [producer.address, producer.commune.name,
                                                       entry.province.name] if p)}", indent=False),
        d.Paragraph(f"Điểm bình chọn bình quân: {str(entry.score).replace('.', ',') if entry.score else '—'} điểm",
                    indent=False),
        d.Paragraph(f"Theo Quyết định số {certificate.decision_number or '—'} ngày "
                    f"{certificate.issued_on:%d/%m/%Y} công nhận kết quả bình chọn {round_.name}.", indent=False),
        d.Paragraph(f"Giấy chứng nhận có giá trị đến hết ngày {certificate.valid_until:%d/%m/%Y}.", indent=False),
        d.Paragraph(f"Cơ sở được quyền sử dụng biểu trưng sản phẩm công nghiệp nông thôn tiêu biểu {level} "
                    "trên sản phẩm và bao bì trong thời hạn hiệu lực của Giấy chứng nhận, được ưu tiên tham gia "
                    "các chương trình khuyến công và được giới thiệu trên trang thông tin điện tử về khuyến công "
                    "(Điều 21 Thông tư số 26/2014/TT-BCT).", indent=False),
        d.Paragraph(f"Mã xác minh: {certificate.code}"
                    + (f" — tra cứu tại {verify_url}" if verify_url else ""), italic=True, indent=False),
    ]
    if certificate.revoked_on:
        blocks.append(d.Paragraph(f"Giấy chứng nhận đã bị thu hồi ngày {certificate.revoked_on:%d/%m/%Y}: "
                                  f"{certificate.revocation_reason}", bold=True, indent=False))
    return d.OfficialDocument(
        header=d.Header(issuing_body=body, parent_body=parent), kind="Giấy chứng nhận",
        subject=f"Sản phẩm công nghiệp nông thôn tiêu biểu {level}", number=certificate.number.split("/", 1)[0],
        symbol=certificate.number.split("/", 1)[1] if "/" in certificate.number else "",
        place=round_.province.short_name if round_.province_id else "Hà Nội", date=certificate.issued_on,
        sections=[d.Section(blocks=blocks)],
        signer=d.Signer(title="Chủ tịch" if round_.level in (Level.COMMUNE, Level.PROVINCE) else "Cục trưởng",
                        prefix="TM." if round_.level in (Level.COMMUNE, Level.PROVINCE) else "",
                        authority="Ủy ban nhân dân" if round_.level in (Level.COMMUNE, Level.PROVINCE) else ""),
        recipients=[producer.name, "Sở Công Thương", "Lưu: VT"],
    )


def nomination_xlsx(round_: Round, entries) -> bytes:
    headers = ["STT", "Sản phẩm", "Nhóm sản phẩm", "Cơ sở sản xuất", "Xã, phường", "Tỉnh, thành phố",
               "Điểm bình quân", "Số giấy chứng nhận", "Ngày cấp", "Hiệu lực đến"]
    rows = []
    for i, e in enumerate(entries, start=1):
        c = e.certificate
        rows.append([i, e.product_name, e.get_group_display(), e.establishment.name, e.establishment.commune.name,
                     e.province.name, float(e.score) if e.score is not None else "", c.number, c.issued_on,
                     c.valid_until])
    return write_table(
        title=f"Danh sách đề nghị bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp trên — {round_.name}",
        headers=headers, rows=rows, widths=[6, 34, 26, 34, 22, 22, 12, 20, 12, 12],
        notes=[f"{round_.unit_name} — năm {round_.year}",
               f"Quyết định công nhận: {round_.decision_number or '—'}"])
