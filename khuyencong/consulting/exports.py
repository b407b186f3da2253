"""Official documents of consulting (NĐ 30/2020 layout through `core.documents`: the quotation, the acceptance and
the liquidation minutes of a contract) and the revenue spreadsheet. The documents are in Vietnamese whatever the
interface language, as they are signed on paper."""

from khuyencong.core import documents as d
from khuyencong.core.exports import write_table
from khuyencong.core.money import format_vnd

from .flows import contract_money
from .models import Contract, Quotation


def _header(centre) -> d.Header:
    parent = centre.parent.name if centre.parent_id else ""
    return d.Header(issuing_body=centre.name, parent_body=parent)


def _place(centre) -> str:
    return centre.province.name.replace("Tỉnh ", "").replace("Thành phố ", "") if centre.province_id else ""


def _dmy(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "……"


def quotation_document(q: Quotation) -> d.OfficialDocument:
    rows = [["1", q.service_line.name, format_vnd(q.price_vnd)],
            ["", f"Thuế GTGT ({q.vat_percent} %)", format_vnd(q.vat_vnd)],
            ["", "Tổng cộng", format_vnd(q.total_vnd)]]
    table = d.Table(["TT", "Nội dung", "Thành tiền"], rows, align=["center", "left", "right"], widths=[1, 8, 4],
                    bold_last_row=True)
    client = q.client
    return d.OfficialDocument(
        header=_header(q.centre), number=q.number.split("/")[0], symbol="BG-TTKC", place=_place(q.centre),
        date=q.sent_on or q.created_at.date(), kind="Báo giá", subject=f"Dịch vụ {q.service_line.name.lower()}",
        sections=[
            d.Section(blocks=[f"Kính gửi: {client.name} (mã số thuế {client.tax_code}).",
                              f"{q.centre.name} trân trọng gửi Quý đơn vị báo giá dịch vụ như sau:"]),
            d.Section("1. Phạm vi công việc", [q.scope]),
            d.Section("2. Giá dịch vụ", [table]),
            d.Section("3. Hiệu lực", [f"Báo giá có hiệu lực đến hết ngày {_dmy(q.valid_until)}.",
                                      "Trân trọng./."]),
        ],
        recipients=[client.name, "Lưu: VT"],
        signer=d.Signer(title="Giám đốc"),
    )


def _parties(contract: Contract) -> list[str]:
    client = contract.client
    return [f"Bên A (bên thuê dịch vụ): {client.name}; mã số thuế: {client.tax_code}"
            + (f"; địa chỉ: {client.address}" if client.address else "")
            + (f"; đại diện: {client.representative}." if client.representative else "."),
            f"Bên B (bên cung cấp dịch vụ): {contract.centre.name}.",
            f"Căn cứ Hợp đồng số {contract.number} ký ngày {_dmy(contract.signed_on)} về việc {contract.work}, "
            f"địa điểm: {contract.site_address + ', ' if contract.site_address else ''}{contract.site_commune.name}."]


def acceptance_document(contract: Contract) -> d.OfficialDocument:
    issues = list(contract.issues.all())
    visits = list(contract.visits.all())
    summary = [f"Thời gian thực hiện: từ ngày {_dmy(contract.start_date)} đến ngày {_dmy(contract.end_date)}. "
               f"Số lần kiểm tra hiện trường: {len(visits)}; số tồn tại phát hiện: {len(issues)}, "
               f"đã khắc phục: {sum(1 for i in issues if i.closed_on)}."]
    return d.OfficialDocument(
        header=_header(contract.centre), place=_place(contract.centre), date=contract.accepted_on,
        year=contract.end_date.year, kind="Biên bản", subject=f"Nghiệm thu hoàn thành công việc\n{contract.work}",
        sections=[d.Section(blocks=_parties(contract)), d.Section("Kết quả thực hiện", summary),
                  d.Section("Kết luận", ["Hai bên thống nhất nghiệm thu khối lượng công việc đã hoàn thành theo hợp "
                                         "đồng. Biên bản được lập thành 04 bản, mỗi bên giữ 02 bản./."])],
        signer=d.Signer(title="Đại diện bên B"),
    )


def liquidation_document(contract: Contract) -> d.OfficialDocument:
    money = contract_money(contract)
    rows = [["1", "Giá trị hợp đồng", format_vnd(money["value"])],
            ["2", "Giá trị phụ lục đã phê duyệt", format_vnd(money["added"])],
            ["3", "Giá trị đã xuất hóa đơn", format_vnd(money["invoiced"])],
            ["4", "Bên A đã thanh toán", format_vnd(money["received"])],
            ["5", "Còn phải thanh toán", format_vnd(money["outstanding"])]]
    table = d.Table(["TT", "Khoản mục", "Số tiền"], rows, align=["center", "left", "right"], widths=[1, 8, 4])
    return d.OfficialDocument(
        header=_header(contract.centre), place=_place(contract.centre), date=contract.liquidated_on,
        year=contract.end_date.year, kind="Biên bản", subject=f"Thanh lý hợp đồng số {contract.number}",
        sections=[d.Section(blocks=_parties(contract)), d.Section("Giá trị thanh lý", [table]),
                  d.Section("Kết luận", ["Hai bên đã hoàn thành nghĩa vụ theo hợp đồng; hợp đồng được thanh lý kể "
                                         "từ ngày ký biên bản này./."])],
        signer=d.Signer(title="Đại diện bên B"),
    )


def revenue_xlsx(data: dict) -> bytes:
    year = data["year"]
    rows = [[r["line"].name, r["signed"], r["value"], r["invoiced"], r["received"]] for r in data["lines"]]
    t = data["totals"]
    rows.append(["Tổng cộng", t["signed"], t["value"], t["invoiced"], t["received"]])
    engineers = [[e["name"], e["contracts"], e["value"], e["visits"]] for e in data["engineers"]]
    return write_table(
        title=f"Doanh thu dịch vụ tư vấn năm {year}",
        headers=["Lĩnh vực dịch vụ", "Hợp đồng ký trong năm", "Giá trị ký (đồng)", "Đã xuất hóa đơn (đồng)",
                 "Đã thu (đồng)"],
        rows=rows, sheet_name="Doanh thu", widths=[45, 14, 18, 18, 18],
        extra_sheets=[("Khối lượng kỹ sư", ["Kỹ sư", "Số hợp đồng", "Giá trị hợp đồng (đồng)",
                                            "Số lần kiểm tra hiện trường"], engineers)])
