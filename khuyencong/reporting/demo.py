"""Demo periodic reports, made through the services as the demo users. Deterministic and idempotent.

Quý III/2026: Lai Châu's DoIT report approved and locked (its figures frozen), Tây Ninh's submitted, Cần Thơ's a
draft; Quý II/2026: TP Hồ Chí Minh's submitted. The other provinces have none: the ministry's completeness page
shows them as missing or overdue.
"""

import datetime

from khuyencong.accounts.models import Organisation, OrganisationKind, User
from khuyencong.core.periods import Period

from . import services
from .data import load_report_types
from .models import Report, ReportType

NARRATIVE = {
    12: {
        "number": "215/BC-SCT",
        "situation": "Quý III/2026, hoạt động khuyến công trên địa bàn tỉnh Lai Châu được triển khai theo kế hoạch "
                     "đã được phê duyệt, tập trung vào hỗ trợ máy móc thiết bị, đào tạo nghề và xây dựng mô hình "
                     "trình diễn kỹ thuật cho các cơ sở công nghiệp nông thôn vùng cao.",
        "results": "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh đã ký hợp đồng các đề án khuyến công địa "
                   "phương, tạm ứng và giải ngân theo tiến độ; tổ chức các lớp đào tạo nghề cho lao động nông thôn "
                   "và tham gia hội chợ giới thiệu sản phẩm công nghiệp nông thôn tiêu biểu.\n"
                   "Các chỉ tiêu chủ yếu được tổng hợp trong bảng số liệu kèm theo.",
        "difficulties": "Địa bàn rộng, giao thông khó khăn; một số cơ sở thiếu vốn đối ứng nên chậm triển khai.",
        "proposals": "Đề nghị Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công sớm hướng dẫn thực hiện "
                     "Nghị định 235/2025/NĐ-CP và ưu tiên bố trí kinh phí khuyến công quốc gia cho tỉnh miền núi.",
    },
    80: {
        "number": "",
        "situation": "Sau hợp nhất tỉnh Long An và tỉnh Tây Ninh, Sở Công Thương tiếp tục theo dõi các đề án "
                     "khuyến công đã phê duyệt của hai địa phương cũ.",
        "results": "Các đề án hỗ trợ máy móc thiết bị chế biến nông sản đang được triển khai; đã tổ chức hội chợ "
                   "công nghiệp nông thôn trong quý.",
        "difficulties": "Việc chuyển đổi địa chỉ cơ sở theo đơn vị hành chính mới còn chậm.",
        "proposals": "Đề nghị hướng dẫn thống nhất mẫu biểu báo cáo sau sắp xếp đơn vị hành chính.",
    },
    92: {
        "number": "",
        "situation": "Đang tổng hợp số liệu từ các xã, phường.",
        "results": "",
        "difficulties": "",
        "proposals": "",
    },
    79: {
        "number": "",
        "situation": "Quý II/2026, Thành phố tập trung hỗ trợ các cơ sở công nghiệp nông thôn khu vực Bình Dương cũ.",
        "results": "Triển khai các lớp đào tạo và hỗ trợ ứng dụng máy móc tiên tiến theo kế hoạch.",
        "difficulties": "Số cơ sở đủ điều kiện công nghiệp nông thôn giảm do phường không còn thuộc đối tượng.",
        "proposals": "Đề nghị hướng dẫn xác định đối tượng tại các phường có làng nghề được công nhận.",
    },
}

# province code, period, report type, final state, drafter, approver
PLAN = [
    (12, "2026-Q3", "doit_quarterly", "locked", "sct.laichau", "ld.sct.laichau"),
    (80, "2026-Q3", "doit_quarterly", "submitted", "sct.tayninh", None),
    (92, "2026-Q3", "doit_quarterly", "draft", "ttkc.cantho", None),
    (79, "2026-Q2", "doit_quarterly", "submitted", "ttkc.hcm", None),
]


def seed(stdout=None) -> None:
    load_report_types(ReportType)
    users = {u.username: u for u in User.objects.filter(username__in={p[4] for p in PLAN} | {p[5] for p in PLAN})}
    made = 0
    for code, period_text, type_code, state, drafter, approver in PLAN:
        organisation = Organisation.objects.filter(kind=OrganisationKind.DOIT, province__code=code,
                                                   province__scheme="current").order_by("pk").first()
        report_type = ReportType.objects.get(code=type_code)
        if organisation is None or drafter not in users:
            continue
        if Report.objects.filter(report_type=report_type, organisation=organisation, period=period_text).exists():
            continue
        period = Period.parse(period_text)
        after_end = period.end + datetime.timedelta(days=10)
        report = services.report_create(actor=users[drafter], report_type=report_type, organisation=organisation,
                                        period=period, today=after_end)
        services.report_update_narrative(actor=users[drafter], report=report, data=NARRATIVE[code],
                                         version=report.version)
        if state in ("submitted", "approved", "locked"):
            services.report_submit(actor=users[drafter], report=report, today=after_end)
        if state in ("approved", "locked"):
            services.report_approve(actor=users[approver], report=report)
        if state == "locked":
            services.report_lock(actor=users[approver], report=report)
        made += 1
    if stdout is not None and made:
        stdout.write(f"Báo cáo định kỳ mẫu: {made}.")
