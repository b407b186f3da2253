"""Demo programmes, annual plans 2024–2027 and KC projects in many states, with their ledgers. Idempotent.

Projects are driven through the real services (flow, guards, ledger checks) by the demo users of each role, on
past dates, so their histories, frozen rules and ledgers are what the system would have recorded. The registry's
demo establishments are their beneficiaries: without them nothing is created.

Only contents with a support rate in the rules can be quoted: national projects use machinery, demonstration models,
cluster infrastructure and award rounds (TT 28/2018); local projects exist only in Lai Châu, the one province whose
rate table (NQ 18/2025/NQ-HĐND, from 5/5/2025) is loaded. Decision and contract numbers are fictitious.
"""

import datetime

from django.db.models import Q, Sum
from django.utils import timezone

from khuyencong.accounts.demo import DEMO_PASSWORD
from khuyencong.accounts.models import Organisation, OrganisationKind, Role, RoleAssignment, ScopeLevel, User
from khuyencong.core.flows import Transition
from khuyencong.core.money import format_vnd
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment
from khuyencong.rules.models import FundSource

from . import checklists, checks, services
from .flows import APPRAISAL_LEVELS, project_flow
from .models import AnnualPlan, LedgerEntry, LedgerKind, Programme, Project

D = datetime.date
PROVINCES = (12, 80, 92, 79)

# Demo users of the accounts demo, and two this module adds so Tây Ninh's projects can run their whole course.
USERS = {
    (Role.MINISTRY_OFFICER, None): "cuc.dck",
    (Role.CENTRE_STAFF, 12): "ttkc.laichau",
    (Role.FINANCE_OFFICER, 12): "ketoan.laichau",
    (Role.DOIT_OFFICER, 12): "sct.laichau",
    (Role.DOIT_MANAGER, 12): "ld.sct.laichau",
    (Role.CENTRE_STAFF, 80): "ttkc.tayninh",
    (Role.DOIT_OFFICER, 80): "sct.tayninh",
    (Role.DOIT_MANAGER, 80): "ld.sct.tayninh",
    (Role.FINANCE_OFFICER, 80): "ketoan.tayninh",
    (Role.CENTRE_STAFF, 92): "ttkc.cantho",
    (Role.CENTRE_STAFF, 79): "ttkc.hcm",
}
EXTRA_USERS = [
    ("ld.sct.tayninh", "Nguyễn Hoàng Phúc", Role.DOIT_MANAGER, 80, OrganisationKind.DOIT),
    ("ketoan.tayninh", "Đặng Thị Kim Yến", Role.FINANCE_OFFICER, 80, OrganisationKind.KC_CENTRE),
]

PROGRAMMES = [
    ("Chương trình khuyến công quốc gia giai đoạn 2021–2025", 2021, "1881/QĐ-TTg", D(2020, 11, 20),
     "Thủ tướng Chính phủ"),
    ("Chương trình khuyến công quốc gia giai đoạn 2026–2030", 2026, "2646/QĐ-BCT", D(2025, 9, 23),
     "Bộ trưởng Bộ Công Thương"),
]

# (year, envelope, decision number, decision date): national plans; 2027 is still being built.
NATIONAL_PLANS = [
    (2024, 130_000_000_000, "3101/QĐ-BCT", D(2023, 12, 28)),
    (2025, 120_000_000_000, "3250/QĐ-BCT", D(2024, 12, 27)),
    (2026, 140_000_000_000, "3377/QĐ-BCT", D(2025, 12, 26)),
    (2027, 150_000_000_000, "", None),
]
LOCAL_ENVELOPES = {12: 3_500_000_000, 80: 9_000_000_000, 92: 7_000_000_000, 79: 15_000_000_000}

# A scenario: plan (year, fund, province), kind, title, contents [(code, cost, support, variant)], the number of
# beneficiaries, and the steps: ("act", action, date, inputs) or (ledger kind, date, amount) or ("reverse", date).
SCENARIOS = [
    ((2024, "national", 12), "standard", "Hỗ trợ ứng dụng máy sao, sấy chè tại Hợp tác xã chè Tam Đường",
     [("machinery", 640_000_000, 300_000_000, "")], 1, [
         ("act", "submit", D(2023, 5, 10), {}), ("act", "appraise_base", D(2023, 5, 25), {}),
         ("act", "register", D(2023, 6, 9), {"reference": "512/SCT-QLCN"}),
         ("act", "appraise_ministry", D(2023, 9, 15), {}),
         ("act", "approve", D(2024, 1, 10), {"reference": "3101/QĐ-BCT"}),
         ("act", "contract", D(2024, 2, 20), {"reference": "08/2024/HĐ-KCQG"}),
         ("act", "start", D(2024, 2, 26), {}),
         ("ADVANCE", D(2024, 4, 10), 210_000_000),
         ("act", "accept", D(2024, 10, 15), {"note": "Nghiệm thu cơ sở đạt yêu cầu."}),
         ("act", "submit_settlement", D(2024, 10, 28), {}),
         ("act", "settle", D(2024, 12, 20), {"amount": 300_000_000, "reference": "TL 08/2024"}),
         ("DISBURSEMENT", D(2024, 12, 27), 90_000_000),
         ("act", "archive", D(2025, 1, 15), {}),
     ]),
    ((2025, "national", 12), "standard", "Xây dựng mô hình trình diễn kỹ thuật chế biến miến dong",
     [("demo_model_new", 2_400_000_000, 720_000_000, "")], 1, [
         ("act", "submit", D(2024, 5, 14), {}), ("act", "appraise_base", D(2024, 5, 30), {}),
         ("act", "register", D(2024, 6, 12), {"reference": "498/SCT-QLCN"}),
         ("act", "appraise_ministry", D(2024, 9, 20), {}),
         ("act", "approve", D(2025, 1, 8), {"reference": "3250/QĐ-BCT"}),
         ("act", "contract", D(2025, 3, 3), {"reference": "21/2025/HĐ-KCQG"}),
         ("act", "start", D(2025, 3, 10), {}),
         ("ADVANCE", D(2025, 8, 12), 500_000_000),
     ]),
    ((2025, "national", 12), "standard", "Hỗ trợ máy ép dầu mắc ca cho hộ kinh doanh tại xã Bình Lư",
     [("machinery", 420_000_000, 200_000_000, "")], 1, [
         ("act", "submit", D(2024, 5, 16), {}), ("act", "appraise_base", D(2024, 5, 30), {}),
         ("act", "register", D(2024, 6, 12), {"reference": "498/SCT-QLCN"}),
         ("act", "appraise_ministry", D(2024, 9, 20), {}),
         ("act", "approve", D(2025, 1, 8), {"reference": "3250/QĐ-BCT"}),
         ("act", "contract", D(2025, 3, 5), {"reference": "22/2025/HĐ-KCQG"}),
         ("act", "start", D(2025, 3, 12), {}),
         ("ADVANCE", D(2025, 4, 2), 100_000_000),
         ("act", "stop", D(2025, 7, 18), {"note": "Cơ sở thụ hưởng ngừng sản xuất do sạt lở; đề nghị dừng đề án.",
                                          "reference": "1820/QĐ-BCT"}),
         ("act", "submit_settlement", D(2025, 8, 5), {}),
         ("act", "settle", D(2025, 9, 30), {"amount": 60_000_000, "reference": "TL 22/2025"}),
         ("REFUND", D(2025, 10, 10), 40_000_000),
         ("act", "archive", D(2025, 10, 20), {}),
     ]),
    ((2025, "national", 12), "task", "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu khu vực miền núi "
     "phía Bắc năm 2025", [("award_round_regional", 260_000_000, 200_000_000, "")], 0, [
         ("act", "submit", D(2024, 5, 16), {}), ("act", "appraise_base", D(2024, 5, 30), {}),
         ("act", "register", D(2024, 6, 12), {"reference": "498/SCT-QLCN"}),
         ("act", "appraise_ministry", D(2024, 9, 20), {}),
         ("act", "approve", D(2025, 1, 8), {"reference": "3250/QĐ-BCT"}),
         ("act", "contract", D(2025, 2, 14), {"reference": "30/2025/HĐ-KCQG"}),
         ("act", "start", D(2025, 2, 20), {}),
         ("ADVANCE", D(2025, 3, 3), 140_000_000),
         ("act", "accept", D(2025, 9, 26), {}),
         ("act", "submit_settlement", D(2025, 10, 6), {}),
         ("act", "settle", D(2025, 12, 15), {"amount": 195_000_000, "reference": "TL 30/2025"}),
         ("DISBURSEMENT", D(2025, 12, 22), 55_000_000),
         ("act", "archive", D(2026, 1, 12), {}),
     ]),
    ((2026, "national", 12), "standard", "Hỗ trợ dây chuyền sấy lạnh nông sản cho Hợp tác xã Phong Thổ",
     [("machinery", 950_000_000, 450_000_000, "technology_line")], 1, [
         ("act", "submit", D(2025, 5, 12), {}), ("act", "appraise_base", D(2025, 5, 28), {}),
         ("act", "register", D(2025, 6, 10), {"reference": "601/SCT-QLCN"}),
         ("act", "appraise_ministry", D(2025, 9, 18), {}),
         ("act", "approve", D(2026, 1, 9), {"reference": "3377/QĐ-BCT"}),
         ("act", "contract", D(2026, 3, 2), {"reference": "11/2026/HĐ-KCQG"}),
         ("act", "start", D(2026, 3, 9), {}),
         ("ADVANCE", D(2026, 5, 6), 200_000_000),
         ("ADVANCE", D(2026, 5, 7), 100_000_000),
         ("reverse", D(2026, 5, 8), "Ghi trùng chứng từ tạm ứng; hủy bút toán."),
     ]),
    ((2026, "national", 12), "flagship", "Đề án điểm: phát triển sản phẩm chè Shan tuyết gắn với mô hình trình diễn",
     [("machinery", 600_000_000, 300_000_000, ""), ("demo_model_new", 1_800_000_000, 540_000_000, "")], 1, [
         ("act", "submit", D(2025, 5, 15), {}), ("act", "appraise_base", D(2025, 5, 28), {}),
         ("act", "register", D(2025, 6, 10), {"reference": "601/SCT-QLCN"}),
         ("act", "appraise_ministry", D(2025, 9, 18), {}),
         ("act", "approve", D(2026, 1, 9), {"reference": "3377/QĐ-BCT"}),
     ]),
    ((2026, "national", 12), "standard", "Hỗ trợ máy cắt, mài đá cho cơ sở chế tác đá cảnh",
     [("machinery", 500_000_000, 250_000_000, "")], 1, [
         ("act", "submit", D(2025, 5, 15), {}),
         ("act", "reject", D(2025, 5, 29), {"note": "Máy móc đề nghị hỗ trợ đã qua sử dụng, không đáp ứng điều "
                                                    "kiện máy móc mới, tiên tiến (TT 46/2012, Điều 4)."}),
     ]),
    ((2027, "national", 12), "standard", "Hỗ trợ máy đóng gói tự động cho cơ sở sản xuất gạo Séng Cù",
     [("machinery", 520_000_000, 260_000_000, "")], 1, []),
    ((2027, "national", 12), "standard", "Mô hình trình diễn kỹ thuật dệt thổ cẩm bằng khung dệt cải tiến",
     [("demo_model_new", 1_500_000_000, 450_000_000, "")], 1, [
         ("act", "submit", D(2026, 5, 12), {}), ("act", "appraise_base", D(2026, 5, 27), {}),
         ("act", "register", D(2026, 6, 10), {"reference": "655/SCT-QLCN"}),
     ]),
    ((2027, "national", 12), "standard", "Hỗ trợ máy chế biến gỗ cho hợp tác xã lâm sản Than Uyên",
     [("machinery", 700_000_000, 300_000_000, "")], 1, [
         ("act", "submit", D(2026, 5, 14), {}),
         ("act", "return", D(2026, 5, 22), {"note": "Bổ sung báo giá máy móc của ít nhất 03 nhà cung cấp."}),
     ]),
    ((2024, "national", 80), "standard", "Hỗ trợ máy sấy thanh long cho doanh nghiệp nhỏ tại Tây Ninh",
     [("machinery", 600_000_000, 300_000_000, "")], 1, [
         ("act", "submit", D(2023, 5, 8), {}), ("act", "appraise_base", D(2023, 5, 22), {}),
         ("act", "register", D(2023, 6, 12), {"reference": "733/SCT-QLCN"}),
         ("act", "appraise_ministry", D(2023, 9, 12), {}),
         ("act", "approve", D(2024, 1, 10), {"reference": "3101/QĐ-BCT"}),
         ("act", "contract", D(2024, 3, 1), {"reference": "15/2024/HĐ-KCQG"}),
         ("act", "start", D(2024, 3, 8), {}),
         ("ADVANCE", D(2024, 5, 20), 200_000_000),
         ("act", "accept", D(2024, 11, 5), {}),
         ("act", "submit_settlement", D(2024, 11, 15), {}),
         ("act", "settle", D(2024, 12, 26), {"amount": 290_000_000, "reference": "TL 15/2024"}),
         ("DISBURSEMENT", D(2025, 1, 6), 90_000_000),
         ("act", "archive", D(2025, 1, 20), {}),
     ]),
    ((2026, "national", 80), "standard", "Hỗ trợ dây chuyền chế biến bánh tráng phơi sương Trảng Bàng",
     [("machinery", 1_000_000_000, 450_000_000, "technology_line")], 1, [
         ("act", "submit", D(2025, 5, 13), {}), ("act", "appraise_base", D(2025, 5, 27), {}),
         ("act", "register", D(2025, 6, 11), {"reference": "802/SCT-QLCN"}),
         ("act", "appraise_ministry", D(2025, 9, 16), {}),
         ("act", "approve", D(2026, 1, 9), {"reference": "3377/QĐ-BCT"}),
         ("act", "contract", D(2026, 2, 24), {"reference": "09/2026/HĐ-KCQG"}),
         ("act", "start", D(2026, 3, 2), {}),
         ("ADVANCE", D(2026, 4, 15), 300_000_000),
         ("act", "accept", D(2026, 10, 20), {}),
     ]),
    ((2027, "national", 92), "standard", "Hỗ trợ máy chế biến trái cây sấy dẻo tại Cần Thơ",
     [("machinery", 560_000_000, 280_000_000, "")], 1, [("act", "submit", D(2026, 5, 18), {})]),
    ((2027, "national", 92), "standard", "Hỗ trợ máy đan lục bình cho tổ hợp tác",
     [("machinery", 300_000_000, 150_000_000, "")], 1, []),
    ((2027, "national", 79), "standard", "Hỗ trợ máy sơn mài cho cơ sở sơn mài Tương Bình Hiệp",
     [("machinery", 620_000_000, 300_000_000, "")], 1, [("act", "submit", D(2026, 5, 19), {})]),
    ((2025, "local", 12), "standard", "Hỗ trợ máy xay xát gạo cho hộ kinh doanh tại Lai Châu",
     [("machinery", 380_000_000, 190_000_000, "")], 1, [
         ("act", "submit", D(2025, 5, 20), {}), ("act", "appraise_council", D(2025, 6, 10), {}),
         ("act", "approve", D(2025, 7, 1), {"reference": "1120/QĐ-UBND"}),
         ("act", "contract", D(2025, 7, 15), {"reference": "05/2025/HĐ-KCĐP"}),
         ("act", "start", D(2025, 7, 20), {}),
         ("ADVANCE", D(2025, 8, 1), 120_000_000),
         ("act", "accept", D(2025, 11, 20), {}),
         ("act", "submit_settlement", D(2025, 12, 1), {}),
         ("act", "settle", D(2025, 12, 20), {"amount": 190_000_000}),
         ("DISBURSEMENT", D(2025, 12, 24), 70_000_000),
         ("act", "archive", D(2026, 1, 10), {}),
     ]),
    ((2026, "local", 12), "standard", "Hỗ trợ máy nghiền bột ngô cho hợp tác xã tại Lai Châu",
     [("machinery", 420_000_000, 210_000_000, "")], 1, [
         ("act", "submit", D(2025, 10, 20), {}), ("act", "appraise_council", D(2025, 11, 12), {}),
         ("act", "approve", D(2026, 1, 15), {"reference": "85/QĐ-UBND"}),
         ("act", "contract", D(2026, 2, 10), {"reference": "02/2026/HĐ-KCĐP"}),
         ("act", "start", D(2026, 2, 16), {}),
         ("ADVANCE", D(2026, 3, 20), 140_000_000),
     ]),
    ((2026, "local", 12), "task", "Hỗ trợ cơ sở tham gia Hội chợ công nghiệp nông thôn tiêu biểu khu vực",
     [("fair_domestic_participate", 120_000_000, 120_000_000, "")], 0, [
         ("act", "submit", D(2025, 10, 22), {}), ("act", "appraise_council", D(2025, 11, 12), {}),
         ("act", "approve", D(2026, 1, 15), {"reference": "85/QĐ-UBND"}),
         ("act", "contract", D(2026, 3, 2), {"reference": "04/2026/HĐ-KCĐP"}),
         ("act", "start", D(2026, 3, 5), {}),
         ("ADVANCE", D(2026, 3, 10), 80_000_000),
         ("act", "accept", D(2026, 9, 30), {}),
         ("act", "submit_settlement", D(2026, 10, 12), {}),
     ]),
    ((2027, "local", 12), "standard", "Hỗ trợ máy sấy măng cho hộ kinh doanh tại Lai Châu",
     [("machinery", 300_000_000, 150_000_000, "")], 1, [
         ("act", "submit", D(2026, 10, 15), {}), ("act", "appraise_council", D(2026, 11, 5), {}),
     ]),
    ((2027, "local", 12), "standard", "Hỗ trợ máy đóng chai nước mắm cá suối",
     [("machinery", 260_000_000, 130_000_000, "")], 1, []),
]


def _users() -> dict:
    found = {u.username: u for u in User.objects.filter(username__in=USERS.values())}
    return {key: found[name] for key, name in USERS.items() if name in found}


def _ensure_extra_users(provinces) -> list[str]:
    made = []
    for username, full_name, role, code, kind in EXTRA_USERS:
        org = Organisation.objects.filter(kind=kind, province=provinces[code]).order_by("pk").first()
        if org is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, email=f"{username}@demo.khuyencong.vn")
            user.set_password(DEMO_PASSWORD)
            user.save()
            made.append(username)
        RoleAssignment.objects.get_or_create(user=user, organisation=org, role=role, defaults={
            "scope_level": ScopeLevel.PROVINCE, "province": provinces[code]})
    return made


def _plans(provinces) -> dict:
    """Programmes and plans, written directly: they are the decisions the projects start from."""
    programmes = {}
    for name, start, number, date, signer in PROGRAMMES:
        programmes[start], _ = Programme.objects.get_or_create(
            fund=FundSource.NATIONAL, province=None, start_year=start,
            defaults={"name": name, "end_year": start + 4, "decision_number": number, "decision_date": date,
                      "signer": signer})
    plans = {}
    for year, envelope, number, date in NATIONAL_PLANS:
        plans[(year, "national", None)], _ = AnnualPlan.objects.get_or_create(
            year=year, fund=FundSource.NATIONAL, province=None, defaults={
                "name": f"Kế hoạch khuyến công quốc gia năm {year}", "envelope_vnd": envelope,
                "initial_envelope_vnd": envelope, "decision_number": number, "decision_date": date,
                "signer": "Bộ trưởng Bộ Công Thương" if number else "",
                "programme": programmes[2021 if year <= 2025 else 2026]})
    for code, envelope in LOCAL_ENVELOPES.items():
        for year in (2024, 2025, 2026, 2027):
            approved = year <= 2026
            plans[(year, "local", code)], _ = AnnualPlan.objects.get_or_create(
                year=year, fund=FundSource.LOCAL, province=provinces[code], defaults={
                    "name": f"Kế hoạch khuyến công địa phương năm {year} — {provinces[code].name}",
                    "envelope_vnd": envelope, "initial_envelope_vnd": envelope,
                    "decision_number": f"{100 + year % 100}/QĐ-UBND" if approved else "",
                    "decision_date": D(year - 1, 12, 20) if approved else None,
                    "signer": "Chủ tịch UBND tỉnh" if approved else ""})
    return plans


def _actor_for(users, row: Transition, code: int):
    for role in row.roles:
        user = users.get((role, None if role == Role.MINISTRY_OFFICER else code))
        if user is not None:
            return user
    return None


def _eligible_establishments(code: int, on_date, count: int, taken: set[int]) -> list:
    """Establishments eligible on the date, preferring those no demo project supports yet."""
    if count == 0:
        return []
    chosen = []
    candidates = list(Establishment.objects.filter(province__code=code, merged_into__isnull=True).filter(
        Q(eligible=True) | Q(eligible__isnull=True)).select_related("commune", "craft_village").order_by("pk")[:300])
    candidates.sort(key=lambda e: e.pk in taken)
    for establishment in candidates:
        if checks.eligibility_snapshot(establishment, on_date)["eligible"]:
            chosen.append(establishment)
            if len(chosen) == count:
                break
    return chosen


def _receive_documents(project, actor, action) -> None:
    codes = project.contents.values_list("content__code", flat=True)
    received = set(project.documents.values_list("code", flat=True))
    for spec in checklists.required_documents(fund=project.plan.fund, kind=project.kind, content_codes=codes):
        if spec.stage == action and spec.code not in received:
            services.project_document_mark(actor=actor, project=project, code=spec.code, reference="Bản chính")


def _send_reports(project, centre, until: datetime.date) -> None:
    """Monthly progress reports from the first month owed up to the month before `until`, each sent on the 20th;
    every third one came on the 27th, after its deadline."""
    if project.reports_from is None:
        return
    rows = list(project.contents.all())
    period, n = project.reports_from, 0
    while checks.next_month(period) <= until.replace(day=1):
        n += 1
        sent = period.replace(day=27 if n % 3 == 0 else 20)
        if sent > timezone.localdate():
            break
        lines = {row.pk: {"work_done": f"Tháng {period:%m/%Y}: triển khai theo kế hoạch, hoàn thành các hạng mục "
                                        "của tháng.", "percent_done": min(100, 15 * n),
                          "money_used": row.eligible_cost_vnd // 10 if n <= 8 else 0} for row in rows}
        services.progress_report_submit(
            actor=centre, project=project, period=period, lines=lines, submitted_on=sent,
            problems="Thời tiết mưa nhiều làm chậm vận chuyển thiết bị." if n % 3 == 0 else "",
            proposals="Đề nghị Sở Công Thương kiểm tra tiến độ." if n == 2 else "")
        period = checks.next_month(period)
    project.refresh_from_db()


def _visit(project, inspector, on_date: datetime.date, *, done: bool) -> None:
    visit = services.visit_record(
        actor=inspector, project=project, visit_date=on_date,
        team="Phòng Quản lý công nghiệp, Sở Công Thương; Trung tâm Khuyến công",
        findings="Thiết bị đã lắp đặt đúng chủng loại trong hợp đồng; sổ sách theo dõi còn thiếu.",
        recommendations="Bổ sung sổ theo dõi vận hành thiết bị và danh sách lao động được hướng dẫn.")
    if done:
        services.visit_follow_up(actor=inspector, project=project, visit_id=visit.pk, follow_up="done",
                                 note="Đơn vị đã bổ sung sổ theo dõi và danh sách lao động.", version=visit.version)


def _acceptance(project, inspector, on_date: datetime.date) -> None:
    results = [{"content_id": row.pk, "indicator": row.content.name[:200], "planned": "100 %",
                "achieved": "100 %", "met": True} for row in project.contents.select_related("content")]
    services.acceptance_record(
        actor=inspector, project=project, minutes_date=on_date, conclusion="passed", results=results,
        members=["Đại diện Sở Công Thương — Trưởng phòng Quản lý công nghiệp",
                 "Đại diện Trung tâm Khuyến công — Phó Giám đốc", "Đại diện cơ sở thụ hưởng — Chủ cơ sở"],
        reference=f"BB {on_date:%d%m}/NT", site=project.commune.name if project.commune else "")


def _run(scenario, plans, users, taken, stdout) -> Project | None:
    (year, fund, code), kind, title, contents, n_beneficiaries, steps = scenario
    plan = plans[(year, fund, None if fund == "national" else code)]
    if Project.objects.filter(plan=plan, title=title).exists():
        return None
    centre = users.get((Role.CENTRE_STAFF, code))
    org = Organisation.objects.filter(kind=OrganisationKind.KC_CENTRE, province__code=code).order_by("pk").first()
    if centre is None or org is None:
        return None
    submit_date = next((s[2] for s in steps if s[0] == "act" and s[1] == "submit"), None)
    beneficiaries = _eligible_establishments(code, submit_date or timezone.localdate(), n_beneficiaries, taken)
    if len(beneficiaries) < n_beneficiaries:
        if stdout:
            stdout.write(f"  (bỏ qua “{title}”: chưa đủ cơ sở đủ điều kiện ở tỉnh {code})")
        return None
    province = AdminUnit.objects.get(scheme="current", level="province", code=code)
    project = services.project_create(actor=centre, plan=plan, province=province, data={
        "title": title, "kind": kind, "implementing_org": org,
        "commune": beneficiaries[0].commune if beneficiaries else None,
        "start_date": D(year, 3, 1), "end_date": D(year, 11, 30),
        "objectives": "Nâng cao năng lực sản xuất, chất lượng sản phẩm và thu nhập cho cơ sở công nghiệp nông thôn.",
        "expected_results": "Máy móc, mô hình được đưa vào vận hành; sản phẩm đạt tiêu chuẩn chất lượng.",
    })
    for establishment in beneficiaries:
        taken.add(establishment.pk)
        services.project_beneficiary_add(actor=centre, project=project, establishment=establishment)
    for content, cost, support, variant in contents:
        services.project_content_add(
            actor=centre, project=project, content=content, eligible_cost=cost, requested_support=support,
            counterpart=cost - support, variant=variant,
            establishment=beneficiaries[0] if beneficiaries and len(contents) == 1 else None,
        )
    finance = users.get((Role.FINANCE_OFFICER, code)) or users.get((Role.MINISTRY_OFFICER, None))
    for item in steps:
        if item[0] == "act":
            _tag, action, on_date, inputs = item
            row = project_flow.transition_for(project, action)
            actor = _actor_for(users, row, code) if row else None
            if actor is None:
                break
            _receive_documents(project, centre, action)
            if action in APPRAISAL_LEVELS or (action == "reject" and project.status == "submitted"):
                _council(project, actor, on_date, passing=action != "reject")
            if action == "accept":
                inspector = users.get((Role.DOIT_OFFICER, code)) or users.get((Role.MINISTRY_OFFICER, None))
                _send_reports(project, centre, on_date)
                _visit(project, inspector, on_date - datetime.timedelta(days=40), done=True)
                _acceptance(project, inspector, on_date - datetime.timedelta(days=2))
            project = services.project_transition(project=project, action=action, actor=actor, on_date=on_date,
                                                  **inputs)
        elif item[0] == "reverse":
            _tag, on_date, note = item
            last = project.ledger.order_by("-id").first()
            services.ledger_reverse(actor=finance, project=project, entry_id=last.pk, note=note, on_date=on_date)
        else:
            kind_, on_date, amount = item
            services.ledger_record(actor=finance, project=project, kind=kind_, amount=amount, on_date=on_date,
                                   reference=f"UNC {on_date:%d%m}")
    if project.status == "in_progress":
        # Running projects: some report every month, the others stopped reporting three months ago (late).
        recent = len(title) % 2 == 0
        _send_reports(project, centre, timezone.localdate() - datetime.timedelta(days=0 if recent else 90))
        inspector = users.get((Role.DOIT_OFFICER, code)) or users.get((Role.MINISTRY_OFFICER, None))
        if inspector is not None:
            _visit(project, inspector, timezone.localdate() - datetime.timedelta(days=20), done=False)
        _adjust(project, centre, users, code, decide=recent)
    return project


COUNCIL = [
    {"name": "Phạm Quang Huy", "position": "Phó Giám đốc Sở Công Thương", "role": "chair"},
    {"name": "Đỗ Thị Lan", "position": "Phòng Quản lý công nghiệp, Sở Công Thương", "role": "secretary"},
    {"name": "Vũ Minh Tâm", "position": "Phòng Kế hoạch – Tài chính, Sở Công Thương", "role": "member"},
    {"name": "Hoàng Văn Sơn", "position": "Sở Tài chính", "role": "member"},
]
SCORES_PASS = [
    {"principles": 14, "effectiveness": 30, "capacity": 21, "integration": 8, "dossier": 13},
    {"principles": 13, "effectiveness": 28.5, "capacity": 20, "integration": None, "dossier": 14},
    {"principles": 12, "effectiveness": 27, "capacity": 19, "integration": 7, "dossier": 12},
    {"principles": 15, "effectiveness": 31, "capacity": 22, "integration": 9, "dossier": 14},
]
SCORES_FAIL = [
    {"principles": 9, "effectiveness": 18, "capacity": 14, "integration": 5, "dossier": 10},
    {"principles": 10, "effectiveness": 20, "capacity": 15, "integration": None, "dossier": 9},
    {"principles": 8, "effectiveness": 17, "capacity": 16, "integration": 4, "dossier": 11},
    {"principles": 10, "effectiveness": 21, "capacity": 15, "integration": 6, "dossier": 10},
]


def _council(project, actor, on_date, *, passing: bool) -> None:
    """The appraisal council of the step: set up a week before, every member scores, it concludes on the day."""
    council = services.council_create(
        actor=actor, project=project, decision_number=f"{on_date:%d%m}/QĐ-HĐTĐ",
        decision_date=on_date - datetime.timedelta(days=7), members=COUNCIL, signer="Giám đốc Sở Công Thương")
    for member, scores in zip(council.members.all(), SCORES_PASS if passing else SCORES_FAIL, strict=True):
        services.score_sheet_save(actor=actor, project=project, council_id=council.pk, member_id=member.pk,
                                  scores=scores, comment="Nhất trí." if passing else "Đề án chưa đạt yêu cầu.")
    council.refresh_from_db()
    services.council_conclude(
        actor=actor, project=project, council_id=council.pk, version=council.version, on_date=on_date,
        conclusion="approve" if passing else "reject",
        minutes="Hội đồng nhất trí đề án đạt yêu cầu, đề nghị phê duyệt." if passing else
        "Điểm trung bình dưới ngưỡng đạt; hội đồng đề nghị không phê duyệt đề án.")


def _adjust(project, centre, users, code: int, *, decide: bool) -> None:
    """A running project asks to finish a month later; the authority the rules name decides on some."""
    end = project.end_date or D(project.plan.year, 11, 30)
    request = services.adjustment_request(
        actor=centre, project=project, kind="schedule", new_end_date=end + datetime.timedelta(days=31),
        reason="Thiết bị giao chậm do mưa lũ; đề nghị lùi thời hạn hoàn thành một tháng.",
        requested_on=timezone.localdate() - datetime.timedelta(days=12))
    decider = users.get((Role.MINISTRY_OFFICER, None)) if project.is_national else users.get(
        (Role.DOIT_MANAGER, code))
    if decide and decider is not None:
        services.adjustment_decide(actor=decider, project=project, request_id=request.pk, approve=True,
                                   reference="Quyết định điều chỉnh số 15", version=request.version,
                                   decided_on=timezone.localdate() - datetime.timedelta(days=5))


def seed(stdout=None):
    """Creates the demo plans and projects once; returns the number of projects created."""
    if not Establishment.objects.filter(province__code__in=PROVINCES).exists():
        if stdout:
            stdout.write("Đề án khuyến công: chưa có cơ sở CNNT mẫu, bỏ qua.")
        return 0
    provinces = {p.code: p for p in AdminUnit.objects.filter(scheme="current", level="province",
                                                             code__in=PROVINCES)}
    made_users = _ensure_extra_users(provinces)
    users = _users()
    plans = _plans(provinces)
    taken = set(Project.beneficiaries.through.objects.values_list("establishment_id", flat=True))
    created = 0
    for scenario in SCENARIOS:
        if _run(scenario, plans, users, taken, stdout) is not None:
            created += 1
    if stdout:
        approved = LedgerEntry.objects.filter(kind=LedgerKind.APPROVED).aggregate(s=Sum("amount_vnd"))["s"] or 0
        stdout.write(f"Đề án khuyến công: {len(plans)} kế hoạch, {created} đề án mới "
                     f"({Project.objects.count()} đề án; {format_vnd(approved)} đã phê duyệt).")
        if made_users:
            stdout.write(f"  Thêm tài khoản mẫu: {', '.join(made_users)}")
    return created
