"""The settlement demo data (idempotent), registered in DEMO_SEEDERS after the projects and events.

Planted double supports on the demo projects (past supports in the registry for the same establishment): some true
(left open for the appraiser, or upheld with a refund), some explained by the centre or cleared; a draft whose cost
item was already supported, blocked at submission; an invoice of a settled project repeated in another project's
settlement dossier, blocking its settlement. Obstacles on projects near their settlement deadline, the
force-majeure partial settlement of the stopped project, and policy proposals in each state.
"""

import datetime

from khuyencong.accounts.models import User
from khuyencong.core.errors import DomainError
from khuyencong.events.models import Lesson
from khuyencong.geo.models import AdminUnit
from khuyencong.projects import services as project_services
from khuyencong.projects.models import AnnualPlan, Project
from khuyencong.registry.models import SupportRecord

from . import services
from .models import CostInvoice, Finding, FindingStatus, Obstacle, ObstacleKind, ObstacleOutcome, PolicyProposal

D = datetime.date
MARK = "Dữ liệu mẫu: "

# (project title, support year, fund, content code, description, amount): a past support of the same establishment.
PLANTED = [
    ("Hỗ trợ dây chuyền sấy lạnh nông sản cho Hợp tác xã Phong Thổ", 2026, "local", "machinery",
     "Máy sấy lạnh (kinh phí khuyến công địa phương)", 150_000_000),
    ("Xây dựng mô hình trình diễn kỹ thuật chế biến miến dong", 2024, "local", "demo_model_new",
     "Hỗ trợ thiết bị chế biến miến", 120_000_000),
    ("Hỗ trợ dây chuyền chế biến bánh tráng phơi sương Trảng Bàng", 2025, "local", "machinery",
     "Máy tráng bánh (chương trình nông thôn mới)", 90_000_000),
]
# (project title, supplier tax code, supplier, invoice number as typed, date, amount): settlement dossier invoices.
# The fair's dossier repeats invoice 571 of the Tam Đường tea machine, already settled in 2024 ("00571" and "571"
# are the same number): a true double claim that blocks the fair's settlement.
INVOICES = [
    ("Hỗ trợ ứng dụng máy sao, sấy chè tại Hợp tác xã chè Tam Đường", "0100109106", "Công ty Cơ khí Hà Nội",
     "0000571", D(2024, 8, 20), 640_000_000),
    ("Hỗ trợ cơ sở tham gia Hội chợ công nghiệp nông thôn tiêu biểu khu vực", "0100109106",
     "Công ty Cơ khí Hà Nội", "00571", D(2024, 8, 20), 45_000_000),
    ("Hỗ trợ cơ sở tham gia Hội chợ công nghiệp nông thôn tiêu biểu khu vực", "0101248141",
     "Công ty Dịch vụ Hội chợ Triển lãm", "0002318", D(2026, 9, 18), 60_000_000),
]
BLOCKED_TITLE = "Hỗ trợ máy vò chè cho cơ sở đã được hỗ trợ (dữ liệu mẫu kiểm tra trùng)"


def _user(name: str) -> User | None:
    return User.objects.filter(username=name).first()


def _plant(stdout) -> int:
    made = 0
    for title, year, fund, code, description, amount in PLANTED:
        project = Project.objects.filter(title=title).first()
        if project is None:
            continue
        link = project.beneficiary_links.select_related("establishment").first()
        if link is None:
            continue
        _record, created = SupportRecord.objects.get_or_create(
            establishment=link.establishment, year=year, fund=fund, content_code=code,
            defaults={"description": MARK + description, "amount": amount})
        made += created
    return made


def _blocked_draft() -> Project | None:
    """A draft whose machine was already supported (the same item in the registry): its submission is refused."""
    existing = Project.objects.filter(title=BLOCKED_TITLE).first()
    if existing:
        return existing
    source = Project.objects.filter(title__startswith="Hỗ trợ ứng dụng máy sao, sấy chè").first()
    centre = _user("ttkc.laichau")
    plan = Project.objects.filter(plan__year=2027, plan__fund="national").values_list("plan", flat=True).first()
    if source is None or centre is None or plan is None:
        return None
    link = source.beneficiary_links.select_related("establishment").first()
    if link is None:
        return None
    try:
        project = project_services.project_create(actor=centre, plan=AnnualPlan.objects.get(pk=plan),
                                                  province=source.province, data={
                                                      "title": BLOCKED_TITLE, "kind": "standard",
                                                      "implementing_org": source.implementing_org,
                                                      "commune": source.commune,
                                                      "start_date": D(2027, 3, 1), "end_date": D(2027, 11, 30)})
        project_services.project_beneficiary_add(actor=centre, project=project, establishment=link.establishment)
        project_services.project_content_add(actor=centre, project=project, content="machinery",
                                             eligible_cost=400_000_000, requested_support=180_000_000,
                                             counterpart=220_000_000, establishment=link.establishment,
                                             description="Máy vò chè")
    except DomainError:
        return None
    SupportRecord.objects.get_or_create(
        establishment=link.establishment, year=2025, fund="local", content_code="machinery",
        defaults={"description": "Máy vò chè", "amount": 80_000_000})  # the same item: blocks the submission
    return project


def _invoices() -> None:
    """Written to the table directly: the settled project's dossier predates this module (a settled project refuses
    every change through the services)."""
    for title, tax_code, supplier, number, issued_on, amount in INVOICES:
        project = Project.objects.filter(title=title).first()
        if project is None:
            continue
        CostInvoice.objects.get_or_create(
            project=project, supplier_tax_code=tax_code, number_key=services.invoice_key(number),
            defaults={"supplier_name": supplier, "number": number, "issued_on": issued_on, "amount_vnd": amount,
                      "content": project.contents.order_by("id").first()})


def _findings() -> None:
    for project in Project.objects.filter(settlement_findings__isnull=True, province__code__in=(12, 80, 92, 79)):
        services.record_findings(project=project, stage="nightly")
    # One explained, one cleared (Tây Ninh); the Lai Châu ones stay open for the appraiser to decide.
    tn_centre, tn_doit = _user("ttkc.tayninh"), _user("sct.tayninh")
    tn = list(Finding.objects.filter(province__code=80, status=FindingStatus.OPEN).order_by("pk"))
    try:
        if tn and tn_centre and tn_doit:
            services.finding_transition(actor=tn_centre, finding=tn[0], action="explain", inputs={
                "explanation": "Máy tráng bánh của chương trình nông thôn mới là máy khác (công suất nhỏ, hóa đơn "
                               "số 0001234 ngày 12/05/2025); dây chuyền đề án là máy mới, hóa đơn khác."})
            services.finding_transition(actor=tn_doit, finding=tn[0], action="clear", inputs={
                "note": "Đã đối chiếu hóa đơn: hai hạng mục chi khác nhau, không trùng hỗ trợ."})
        lc_centre = _user("ttkc.laichau")
        miendong = Finding.objects.filter(project__title__contains="miến dong", status=FindingStatus.OPEN).first()
        if miendong and lc_centre:
            services.finding_transition(actor=lc_centre, finding=miendong, action="explain", inputs={
                "explanation": "Năm 2024 tỉnh hỗ trợ thiết bị lọc tinh bột; đề án năm 2025 là mô hình trình diễn "
                               "dây chuyền tráng và sấy miến, nội dung khác."})
    except DomainError:
        pass


def _obstacles() -> None:
    rows = [
        ("Hỗ trợ dây chuyền sấy lạnh nông sản cho Hợp tác xã Phong Thổ", ObstacleKind.MISSING_VOUCHERS,
         "Thiếu hóa đơn vận chuyển và biên bản bàn giao máy sấy.", "Kế toán Trung tâm", D(2026, 11, 20),
         D(2026, 12, 15), None),
        ("Hỗ trợ dây chuyền chế biến bánh tráng phơi sương Trảng Bàng", ObstacleKind.TREASURY_REFUSAL,
         "Kho bạc trả hồ sơ: bảng kê chứng từ chi chưa khớp với hợp đồng.", "Phòng Kế hoạch – Tài chính",
         D(2026, 11, 2), D(2026, 11, 30), (ObstacleOutcome.RESOLVED, "Đã lập lại bảng kê theo Mẫu 8a; Kho bạc chấp "
                                                                      "nhận ngày 25/11/2026.", None)),
        ("Hỗ trợ máy ép dầu mắc ca cho hộ kinh doanh tại xã Bình Lư", ObstacleKind.FORCE_MAJEURE,
         "Sạt lở đất làm cơ sở thụ hưởng ngừng sản xuất giữa chừng.", "Giám đốc Trung tâm", D(2025, 7, 10),
         D(2025, 9, 30), (ObstacleOutcome.PARTIAL, "Quyết toán phần khối lượng đã thực hiện theo Điều 18 khoản 4 "
                                                    "Thông tư 36/2013/TT-BCT.", 60_000_000)),
    ]
    for title, kind, description, owner, raised, due, closed in rows:
        project = Project.objects.filter(title=title).first()
        if project is None or Obstacle.objects.filter(project=project, kind=kind).exists():
            continue
        obstacle = Obstacle.objects.create(project=project, province_id=project.province_id, kind=kind,
                                           description=description, owner=owner, raised_on=raised, due_on=due)
        if closed:
            outcome, resolution, part = closed
            obstacle.outcome, obstacle.resolution, obstacle.settled_part_vnd = outcome, resolution, part
            obstacle.resolved_on = due
            obstacle.save()


def _proposals() -> None:
    if PolicyProposal.objects.exists():
        return
    lesson = Lesson.objects.filter(title__icontains="thanh quyết toán").first()
    obstacles = list(Obstacle.objects.order_by("pk")[:2])
    rows = [
        ("Cho phép quyết toán từng phần đề án gặp sự cố bất khả kháng trong năm",
         "Đề án bị sạt lở phải chờ đến cuối năm mới quyết toán, có nguy cơ mất kinh phí.",
         "committee_decision", "Bổ sung vào quy chế quản lý kinh phí khuyến công địa phương: đề án gặp sự cố bất "
         "khả kháng được quyết toán phần khối lượng đã nghiệm thu trong 30 ngày.", 12, "draft", ""),
        ("Quy định thời gian xem lại khi kiểm tra hỗ trợ trùng",
         "Văn bản chỉ cấm hỗ trợ trùng mà không nói xem lại bao nhiêu năm.", "ministry_circular",
         "Hạng mục chi đã được hỗ trợ từ ngân sách nhà nước trong 3 năm trước không được hỗ trợ lại.", None,
         "adopted", "settlement:lookback-years:config"),
        ("Rút ngắn thời hạn nộp hồ sơ quyết toán cho đề án địa phương",
         "Nhiều hồ sơ dồn về cuối năm, Kho bạc trả lại vì thiếu chứng từ.", "council_resolution",
         "Hồ sơ quyết toán nộp trong 20 ngày kể từ ngày nghiệm thu.", 80, "submitted", ""),
    ]
    for title, problem, instrument, text, code, status, rule_key in rows:
        province = AdminUnit.objects.filter(scheme="current", level="province", code=code).first() if code else None
        proposal = PolicyProposal.objects.create(
            title=title, problem=problem, instrument=instrument, proposed_text=text, province=province,
            status=status, rule_key=rule_key,
            decision_reference="Thông tư mẫu" if status == "adopted" else "",
            decided_on=D(2026, 10, 1) if status == "adopted" else None)
        if obstacles:
            proposal.obstacles.set(obstacles)
        if lesson:
            proposal.lessons.add(lesson)


def seed(stdout=None) -> None:
    if not Project.objects.exists():
        if stdout:
            stdout.write("Quyết toán: chưa có đề án mẫu, bỏ qua.")
        return None
    planted = _plant(stdout)
    _blocked_draft()
    _invoices()
    _findings()
    _obstacles()
    _proposals()
    if stdout:
        stdout.write(f"Quyết toán: {planted} hỗ trợ trùng cài sẵn, {Finding.objects.count()} phát hiện, "
                     f"{Obstacle.objects.count()} vướng mắc, {PolicyProposal.objects.count()} đề xuất chính sách.")
    return None

