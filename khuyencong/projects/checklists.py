"""The documents a project needs at each step, as data.

National projects follow TT 36/2013/TT-BCT: the dossier to the DoIT (Điều 5 and Điều 6, Phụ lục 2), the
appraisal sheets (Mẫu 4a/4b), the registration report, the contract, the acceptance minutes (Mẫu 5a–5c), the
settlement dossier (Mẫu 7, 8a/8b, 9) with the type-specific evidence of Art 14, and the liquidation minutes
(Mẫu 6). Local projects follow each province's own procedure (TT 46/2012 Art 8.3.b), which the sources do not give:
their list is the national model's core and is marked unverified, to be replaced by the province's rules.

Each document names the action that needs it (`stage`): that action's guard checks it was received. Document names
are the administrative names, kept in Vietnamese as the forms print them (domain data, like the rules' bases).
"""

from dataclasses import dataclass

from khuyencong.rules.models import FundSource


@dataclass(frozen=True)
class DocumentSpec:
    code: str
    name: str
    stage: str  # the flow action whose guard requires it
    basis: str
    mark: str = "verified"


TT36 = "TT 36/2013/TT-BCT"
LOCAL_BASIS = "Quy trình của UBND tỉnh (TT 46/2012/TT-BCT, Điều 8 khoản 3 điểm b) — mô hình điển hình, chưa xác minh"

NATIONAL_COMMON = (
    DocumentSpec("request_letter", "Công văn đề nghị hỗ trợ kinh phí khuyến công quốc gia", "submit",
                 f"{TT36}, Điều 6"),
    DocumentSpec("project_document", "Đề án khuyến công (8 phần theo Điều 5)", "submit", f"{TT36}, Điều 5"),
    DocumentSpec("budget_estimate", "Dự toán kinh phí thực hiện đề án (Mẫu 01)", "submit", f"{TT36}, Điều 5"),
    DocumentSpec("base_appraisal", "Phiếu thẩm định cấp cơ sở (Mẫu 4a/4b) và bảng tổng hợp (Mẫu 2)",
                 "appraise_base", f"{TT36}, Điều 7"),
    DocumentSpec("registration_report", "Báo cáo đăng ký kế hoạch khuyến công quốc gia gửi Cục", "register",
                 f"{TT36}, Điều 8"),
    DocumentSpec("ministry_appraisal", "Biên bản thẩm định cấp Bộ", "appraise_ministry", f"{TT36}, Điều 9"),
    DocumentSpec("contract", "Hợp đồng thực hiện đề án (hoặc quyết định giao nhiệm vụ)", "contract",
                 f"{TT36}, Điều 12"),
    DocumentSpec("acceptance_minutes", "Biên bản nghiệm thu cơ sở (Mẫu 5a/5b/5c)", "accept", f"{TT36}, Điều 14"),
    DocumentSpec("completion_report", "Báo cáo khối lượng công việc hoàn thành và kinh phí (Mẫu 3b)", "accept",
                 f"{TT36}, Điều 14"),
    DocumentSpec("settlement_detail", "Bảng quyết toán chi tiết (Mẫu 7)", "submit_settlement", f"{TT36}, Điều 17"),
    DocumentSpec("voucher_list", "Bảng kê chứng từ chi (Mẫu 8a hoặc 8b)", "submit_settlement", f"{TT36}, Điều 17"),
    DocumentSpec("payment_request", "Giấy đề nghị thanh toán (Mẫu 9)", "submit_settlement", f"{TT36}, Điều 17"),
    DocumentSpec("liquidation_minutes", "Biên bản thanh lý hợp đồng (Mẫu 6)", "settle", f"{TT36}, Điều 18"),
)

# Only for a project whose implementing unit is not its beneficiary (a named-beneficiary project).
BENEFICIARY_REQUEST = DocumentSpec("beneficiary_request", "Đơn đề nghị của đơn vị thụ hưởng", "submit",
                                   f"{TT36}, Điều 6")

LOCAL_COMMON = tuple(
    DocumentSpec(code, name, stage, LOCAL_BASIS, "unverified")
    for code, name, stage in (
        ("request_letter", "Công văn đề nghị hỗ trợ kinh phí khuyến công địa phương", "submit"),
        ("project_document", "Đề án khuyến công", "submit"),
        ("budget_estimate", "Dự toán kinh phí thực hiện đề án", "submit"),
        ("council_minutes", "Biên bản họp Hội đồng thẩm định của Sở Công Thương", "appraise_council"),
        ("contract", "Hợp đồng hỗ trợ với đơn vị thụ hưởng", "contract"),
        ("acceptance_minutes", "Biên bản nghiệm thu (Sở Công Thương, Trung tâm, UBND xã)", "accept"),
        ("voucher_list", "Bảng kê chứng từ chi", "submit_settlement"),
        ("settlement_detail", "Báo cáo quyết toán kinh phí", "submit_settlement"),
    )
)

# The beneficiary's commitment that no state source has supported the same cost item (and that its counterpart funds
# are committed), with the dossier of every project, national or local: the double-support checks (settlement) read
# the records, this is the beneficiary's own word. TTLT 26/2014 is presumed kept by TT 28/2018 on this point.
NO_DOUBLE_SUPPORT = DocumentSpec(
    "no_double_support",
    "Bản cam kết nội dung đề nghị hỗ trợ chưa được hỗ trợ từ bất kỳ nguồn kinh phí nhà nước nào khác",
    "submit", "TTLT 26/2014/TTLT-BTC-BCT, Điều 7 khoản 4 (giữ nguyên theo Thông tư 28/2018/TT-BTC, chưa xác minh)",
    "unverified")

# Type-specific evidence before the final advance and settlement (TT 36/2013 Art 14), by content code.
_ART14 = f"{TT36}, Điều 14"
EVIDENCE: dict[str, tuple[tuple[str, str], ...]] = {
    "training": (
        ("training_certificates", "Quyết định cấp chứng chỉ nghề"),
        ("trainee_list", "Danh sách học viên có ký nhận"),
        ("trainees_employed", "Danh sách học viên có việc làm sau đào tạo (xác nhận của đơn vị sử dụng lao động)"),
    ),
    "management_capacity": (
        ("attendee_list", "Danh sách đại biểu, học viên có ký nhận"),
        ("course_materials", "Tài liệu đào tạo, hội thảo"),
    ),
    "study_tour_establishment": (
        ("attendee_list", "Danh sách đại biểu, học viên có ký nhận"),
    ),
    "consulting": (
        ("consultant_contract", "Hợp đồng tư vấn, biên bản nghiệm thu và thanh lý"),
        ("consulting_deliverables", "Sản phẩm tư vấn"),
    ),
    "demo_model_new": (
        ("supported_item_invoices", "Hóa đơn các hạng mục được hỗ trợ"),
        ("demo_attendee_list", "Danh sách đại biểu dự hội nghị trình diễn có ký nhận"),
        ("model_brochure", "Tài liệu giới thiệu mô hình"),
    ),
    "demo_model_replication": (
        ("supported_item_invoices", "Hóa đơn các hạng mục được hỗ trợ"),
        ("demo_attendee_list", "Danh sách đại biểu dự hội nghị trình diễn có ký nhận"),
        ("model_brochure", "Tài liệu giới thiệu mô hình"),
    ),
    "machinery": (
        ("seller_contract", "Hợp đồng mua máy móc, thiết bị; biên bản nghiệm thu và thanh lý với bên bán"),
    ),
    "cleaner_production": (
        ("cp_report", "Báo cáo sản xuất sạch hơn được phê duyệt"),
    ),
    "brand": (
        ("trademark_certificate", "Giấy chứng nhận đăng ký nhãn hiệu"),
        ("brand_strategy", "Chiến lược phát triển thương hiệu; quy chế sử dụng nhãn hiệu tập thể (nếu có)"),
    ),
    "information": (
        ("supplier_contract", "Hợp đồng với đơn vị cung cấp, biên bản nghiệm thu"),
        ("media_samples", "Sản phẩm mẫu (ấn phẩm, chương trình); giấy phép trang thông tin điện tử"),
    ),
    "linkage_association": (
        ("association_decision", "Quyết định thành lập, điều lệ và danh sách hội viên"),
    ),
    "fair_domestic_organise": (
        ("exhibitor_list", "Danh sách đơn vị tham gia có xác nhận của Sở Công Thương nơi tổ chức"),
        ("booth_contracts", "Hợp đồng thuê gian hàng (vị trí, số lượng, đơn giá, mức hỗ trợ)"),
    ),
    "fair_domestic_participate": (
        ("participant_list", "Danh sách cơ sở tham gia có xác nhận của Sở Công Thương"),
        ("booth_contracts", "Hợp đồng thuê gian hàng và hóa đơn của đơn vị tổ chức"),
    ),
    "fair_overseas": (
        ("participant_list", "Danh sách cơ sở tham gia có xác nhận của Sở Công Thương"),
        ("booth_contracts", "Hợp đồng thuê gian hàng và hóa đơn của đơn vị tổ chức"),
    ),
    "linkage_cluster": (("approval_decision", "Quyết định phê duyệt và chứng từ chi"),),
    "cluster_detailed_plan": (("approval_decision", "Quyết định phê duyệt quy hoạch chi tiết và chứng từ chi"),),
    "cluster_infrastructure": (
        ("completion_acceptance", "Biên bản nghiệm thu hoàn thành; giá trị khối lượng hoàn thành"),
        ("independent_audit", "Báo cáo kiểm toán độc lập (khi chủ đầu tư là doanh nghiệp)"),
    ),
    "pollution_treatment_cluster": (
        ("completion_acceptance", "Biên bản nghiệm thu hoàn thành; giá trị khối lượng hoàn thành"),
        ("discharge_compliance", "Kết quả quan trắc nước thải, khí thải đạt quy chuẩn"),
    ),
    "pollution_treatment_establishment": (
        ("completion_acceptance", "Biên bản nghiệm thu hoàn thành; giá trị khối lượng hoàn thành"),
        ("discharge_compliance", "Kết quả quan trắc nước thải, khí thải đạt quy chuẩn"),
    ),
    "award_round_regional": (
        ("award_board_decisions", "Quyết định thành lập Ban tổ chức, Hội đồng bình chọn"),
        ("award_winners", "Quyết định công nhận và danh sách sản phẩm đạt giải"),
    ),
    "award_round_national": (
        ("award_board_decisions", "Quyết định thành lập Ban tổ chức, Hội đồng bình chọn"),
        ("award_winners", "Quyết định công nhận và danh sách sản phẩm đạt giải"),
    ),
    "relocation_interest": (
        ("credit_contract", "Hợp đồng tín dụng và chứng từ trả lãi vay hai năm đầu"),
    ),
}


def required_documents(*, fund: str, kind: str, content_codes) -> list[DocumentSpec]:
    """The checklist of a project, in the order of the flow, without duplicates."""
    if fund == FundSource.LOCAL:
        specs = list(LOCAL_COMMON)
    else:
        specs = list(NATIONAL_COMMON)
        if kind == "standard":
            specs.insert(3, BENEFICIARY_REQUEST)
    last_submit = max(i for i, spec in enumerate(specs) if spec.stage == "submit")
    specs.insert(last_submit + 1, NO_DOUBLE_SUPPORT)
    seen = {spec.code for spec in specs}
    basis = _ART14 if fund == FundSource.NATIONAL else LOCAL_BASIS
    mark = "verified" if fund == FundSource.NATIONAL else "unverified"
    evidence = []
    for code in sorted(set(content_codes)):
        for doc_code, name in EVIDENCE.get(code, ()):
            if doc_code not in seen:
                seen.add(doc_code)
                evidence.append(DocumentSpec(doc_code, name, "submit_settlement", basis, mark))
    # Evidence comes with the settlement dossier, before the last step's document.
    last = [s for s in specs if s.stage == "settle"]
    return [s for s in specs if s.stage != "settle"] + evidence + last


def document_names() -> dict[str, str]:
    """Every document a project may have, by code, with its administrative name (the audit trail words codes so)."""
    names = {spec.code: spec.name for spec in (*NATIONAL_COMMON, *LOCAL_COMMON, BENEFICIARY_REQUEST, NO_DOUBLE_SUPPORT)}
    for documents in EVIDENCE.values():
        for code, name in documents:
            names.setdefault(code, name)
    return names


ALL_CODES = set(document_names())
