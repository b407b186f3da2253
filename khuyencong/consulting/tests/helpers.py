"""Builders for the consulting tests: clients, certificates, quotations and contracts made through the services."""

import datetime

from khuyencong.accounts.models import Role, User
from khuyencong.accounts.tests.factories import make_user, province
from khuyencong.geo.models import AdminUnit

from .. import services
from ..models import ServiceLine

LAI_CHAU, TAY_NINH = 12, 80
D = datetime.date
MARCH_1, JUNE_30, FEB_1, EXPIRY = D(2026, 3, 1), D(2026, 6, 30), D(2026, 2, 1), D(2028, 1, 1)


def staff_of(code: int, username: str, full_name: str = "") -> User:
    user = User.objects.filter(username=username).first()
    return user or make_user(role=Role.CENTRE_STAFF, province_code=code, username=username,
                             full_name=full_name or f"Kỹ sư {username}")


def commune_of(code: int) -> AdminUnit:
    return AdminUnit.objects.filter(scheme="current", level="commune", province__code=code).order_by("code").first()


def line(code: str = "electrical_supervision") -> ServiceLine:
    return ServiceLine.objects.get(code=code)


def make_client(actor, code: int = LAI_CHAU, *, tax_code: str = "0100000001", establishment=None, name: str = ""):
    return services.client_create(actor=actor, province=province(code), establishment=establishment,
                                  name=name or f"Công ty Điện lực thử {tax_code}", tax_code=tax_code)


def make_contract(actor, code: int = LAI_CHAU, *, tax_code: str = "0100000001", establishment=None,
                  number: str = "01/2026/HĐ-TV", value: int = 110_000_000, start=MARCH_1, end=JUNE_30,
                  on_date=FEB_1):
    """A quotation sent and accepted, and its contract being prepared."""
    client = make_client(actor, code, tax_code=tax_code, establishment=establishment)
    q = services.quotation_create(actor=actor, client=client, service_line=line(), scope="Giám sát thi công trạm "
                                  "biến áp 250 kVA", price_vnd=100_000_000, vat_percent=10,
                                  valid_until=services.today() + datetime.timedelta(days=30))
    services.quotation_transition(actor=actor, quotation=q, action="send", version=q.version)
    services.quotation_transition(actor=actor, quotation=q, action="accept", version=q.version)
    return services.contract_create(actor=actor, client=client, service_line=q.service_line, quotation=q,
                                    number=number, work="Giám sát lắp đặt trạm biến áp", site_commune=commune_of(code),
                                    value_vnd=value, start_date=start, end_date=end)


def certify(actor, engineer, code: int = LAI_CHAU, *, expires=EXPIRY, number: str = "GS-001"):
    return services.certificate_add(actor=actor, engineer=engineer, province=province(code),
                                    kind="supervision_electrical", number=number, issued_on=D(2020, 1, 1),
                                    expires_on=expires)
