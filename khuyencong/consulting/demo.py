"""The consulting demo data (idempotent), registered in DEMO_SEEDERS: the fee-based services of two centres, Lai Châu
(the province whose study tour went to learn "tư vấn giám sát điện và tư vấn khác") and Tây Ninh. Each centre has
clients, an engineer with certificates (one expiring soon), a liquidated contract, one in progress with its
supervision log and an invoice partly paid, a quotation waiting for the client's answer, and, where the demo has a
KC project supporting an establishment, a contract being prepared for that establishment, flagged as a conflict.
Everything goes through the services, as the centre's demo user. Names, numbers and amounts are illustrative."""

import datetime

from django.db import transaction
from django.utils import timezone

from khuyencong.accounts.models import User
from khuyencong.core.errors import DomainError
from khuyencong.geo.models import AdminUnit
from khuyencong.projects.models import ProjectBeneficiary
from khuyencong.registry.models import Establishment

from . import services
from .catalogue import load_service_lines
from .conflicts import NOT_SUPPORT
from .models import Client, ServiceLine

CENTRES = {12: ("ttkc.laichau", "0200000012"), 80: ("ttkc.tayninh", "0300000080")}
WORKS = {
    12: ("Giám sát thi công đường dây 22 kV và trạm biến áp 250 kVA cấp điện xưởng chè",
         "Kiểm toán năng lượng xưởng chế biến chè", "Công ty TNHH Điện nước Tam Đường"),
    80: ("Giám sát thi công trạm biến áp 560 kVA xưởng chế biến mì", "Đánh giá sản xuất sạch hơn cơ sở chế biến "
         "bánh tráng", "Công ty Cổ phần Xây lắp điện Tây Ninh"),
}


def _say(stdout, text):
    if stdout:
        stdout.write(text)


def seed(stdout=None) -> None:
    load_service_lines()
    for code, (username, tax_code) in CENTRES.items():
        actor = User.objects.filter(username=username).first()
        if actor is None or Client.objects.filter(province__code=code, province__scheme="current",
                                                  tax_code=tax_code).exists():
            continue
        try:
            with transaction.atomic():
                _seed_centre(code, actor, tax_code)
            _say(stdout, f"Dịch vụ tư vấn: đã tạo dữ liệu mẫu cho trung tâm tỉnh mã {code}.\n")
        except DomainError as exc:  # a demo without the units or users it needs: leave it
            _say(stdout, f"Dịch vụ tư vấn: bỏ qua tỉnh mã {code} ({exc.message}).\n")


def _seed_centre(code: int, actor, tax_code: str) -> None:
    today = timezone.localdate()
    province = AdminUnit.objects.get(scheme="current", level="province", code=code)
    communes = list(AdminUnit.objects.filter(scheme="current", level="commune", province=province).order_by("code")[:3])
    lines = {line.code: line for line in ServiceLine.objects.all()}
    supervision, second, company = WORKS[code]
    services.certificate_add(actor=actor, engineer=actor, province=province, kind="supervision_electrical",
                             number=f"GSĐ-{code}-0117", issued_on=datetime.date(2021, 3, 1),
                             expires_on=today + datetime.timedelta(days=700))
    services.certificate_add(actor=actor, engineer=actor, province=province,
                             kind="energy_auditor" if code == 12 else "cleaner_production",
                             number=f"KTNL-{code}-0042", issued_on=datetime.date(2021, 6, 1),
                             expires_on=today + datetime.timedelta(days=40))
    company_client = services.client_create(actor=actor, province=province, name=company, tax_code=tax_code,
                                            address=f"{communes[0].name}, {province.name}",
                                            representative="Giám đốc Nguyễn Văn Điện")
    establishment = Establishment.objects.filter(province=province, tax_code__isnull=False, merged_into__isnull=True,
                                                 kc_project_links__isnull=True).exclude(tax_code="").order_by(
        "id").first()
    est_client = services.client_create(actor=actor, province=province, establishment=establishment) \
        if establishment else company_client

    def contract(client, line, number, work, value, start, end, *, price=None):
        q = services.quotation_create(actor=actor, client=client, service_line=lines[line], scope=work,
                                      price_vnd=price or value * 10 // 11, vat_percent=10,
                                      valid_until=today + datetime.timedelta(days=30))
        services.quotation_transition(actor=actor, quotation=q, action="send", version=q.version)
        services.quotation_transition(actor=actor, quotation=q, action="accept", version=q.version)
        return services.contract_create(actor=actor, client=client, service_line=lines[line], quotation=q,
                                        number=number, work=work[:300], site_commune=communes[0], value_vnd=value,
                                        start_date=start, end_date=end)

    year = today.year
    # 1. a liquidated contract: the whole journey
    done = contract(company_client, "electrical_supervision", f"01/{year}/HĐ-TVGS", supervision, 132_000_000,
                    today - datetime.timedelta(days=120), today - datetime.timedelta(days=30))
    services.contract_transition(actor=actor, contract=done, action="sign", version=done.version)
    services.engineer_assign(actor=actor, contract=done, engineer=actor, task="Kỹ sư giám sát trưởng")
    services.contract_transition(actor=actor, contract=done, action="start", version=done.version)
    services.visit_add(actor=actor, contract=done, visited_on=today - datetime.timedelta(days=100),
                       findings="Kiểm tra móng cột, tiếp địa trạm: đạt yêu cầu thiết kế.",
                       issue="Thiếu biển cảnh báo nguy hiểm tại trạm")
    services.visit_add(actor=actor, contract=done, visited_on=today - datetime.timedelta(days=45),
                       findings="Nghiệm thu lắp đặt máy biến áp, tủ điện hạ thế; thử nghiệm đạt.")
    services.issue_close(actor=actor, issue=done.issues.get(), note="Đơn vị thi công đã lắp biển cảnh báo")
    services.contract_transition(actor=actor, contract=done, action="accept", version=done.version)
    services.invoice_add(actor=actor, contract=done, number=f"00{code}1", issued_on=today - datetime.timedelta(days=25),
                         amount_vnd=132_000_000)
    services.payment_record(actor=actor, contract=done, received_on=today - datetime.timedelta(days=10),
                            amount_vnd=132_000_000, reference="UNC 0157")
    services.contract_transition(actor=actor, contract=done, action="liquidate", version=done.version)
    # 2. in progress: an audit with one visit and an invoice partly paid
    line = "energy_audit" if code == 12 else "cleaner_production"
    running = contract(est_client, line, f"02/{year}/HĐ-TV", second, 66_000_000,
                       today - datetime.timedelta(days=20), today + datetime.timedelta(days=35))
    services.contract_transition(actor=actor, contract=running, action="sign", version=running.version)
    services.engineer_assign(actor=actor, contract=running, engineer=actor, task="Trưởng nhóm đánh giá")
    services.contract_transition(actor=actor, contract=running, action="start", version=running.version)
    services.visit_add(actor=actor, contract=running, visited_on=today - datetime.timedelta(days=5),
                       findings="Khảo sát hiện trạng lò sấy, đo điện năng tiêu thụ các động cơ chính.",
                       issue="Chưa có số liệu hóa đơn điện 12 tháng")
    services.invoice_add(actor=actor, contract=running, number=f"00{code}2", issued_on=today, amount_vnd=33_000_000)
    services.payment_record(actor=actor, contract=running, received_on=today, amount_vnd=20_000_000,
                            reference="Phiếu thu 12")
    # 3. a quotation waiting for the client's answer
    q = services.quotation_create(actor=actor, client=company_client, service_line=lines["design"],
                                  scope="Thiết kế bản vẽ thi công nhánh rẽ 0,4 kV", price_vnd=25_000_000,
                                  vat_percent=10, valid_until=today + datetime.timedelta(days=20))
    services.quotation_transition(actor=actor, quotation=q, action="send", version=q.version)
    # 4. a contract being prepared for an establishment that receives KC support: the conflict flag
    link = (ProjectBeneficiary.objects.filter(project__province=province, establishment__tax_code__isnull=False)
            .exclude(project__status__in=NOT_SUPPORT).exclude(establishment__tax_code="")
            .select_related("project", "establishment").order_by("id").first())
    if link is None:
        return
    est = link.establishment
    client = Client.objects.filter(establishment=est).first() or services.client_create(
        actor=actor, province=province, establishment=est)
    project = link.project
    start = project.start_date or datetime.date(project.year, 3, 1)
    end = project.end_date or datetime.date(project.year, 11, 30)
    q = services.quotation_create(actor=actor, client=client, service_line=lines["electrical_supervision"],
                                  scope=f"Giám sát lắp đặt thiết bị điện cho {est.name}", price_vnd=40_000_000,
                                  vat_percent=10, valid_until=today + datetime.timedelta(days=30))
    services.quotation_transition(actor=actor, quotation=q, action="send", version=q.version)
    services.quotation_transition(actor=actor, quotation=q, action="accept", version=q.version)
    site = project.commune or est.commune
    if site.scheme != "current":
        site = communes[0]
    services.contract_create(actor=actor, client=client, service_line=lines["electrical_supervision"], quotation=q,
                             number=f"03/{year}/HĐ-TVGS", work=f"Giám sát lắp đặt thiết bị điện cho {est.name}"[:300],
                             site_commune=site, value_vnd=44_000_000, start_date=start, end_date=end)
