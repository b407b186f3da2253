"""The audit trail's search page: the national system administrator only, filters, words instead of codes, and a
fixed number of queries whatever the number of events."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.audit import audit_record
from khuyencong.core.models import AuditEvent
from khuyencong.network.models import FeeSheet, FeeSheetStatus
from khuyencong.network.tests.factories import make_collaborator, make_fee_sheet

pytestmark = pytest.mark.django_db


def sign_in_verified(client, user):
    """Signed in with the second factor given, as a system administrator must be."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def system_admin(client):
    user = make_user(Role.SYSTEM_ADMIN, None, username="quantri", full_name="Trần Quản Trị")
    sign_in_verified(client, user)
    return user


def _at(event: AuditEvent, day: datetime.date) -> AuditEvent:
    AuditEvent.objects.filter(pk=event.pk).update(
        at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30))))
    return event


def rows(response) -> list:
    return [row["event"] for row in response.context["rows"]]


@pytest.mark.parametrize("role", [Role.MINISTRY_OFFICER, Role.DOIT_MANAGER, Role.VIEWER])
def test_only_the_system_administrator_may_search_the_trail(client, role):
    user = make_user(role, None if role == Role.MINISTRY_OFFICER else 12)
    sign_in_verified(client, user)

    response = client.get("/audit/")

    assert response.status_code == 403
    assert "Chỉ quản trị hệ thống" in response.content.decode()
    assert "/audit/" not in client.get("/").content.decode()  # not in their menu either


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/audit/").url.startswith("/login/")


def test_the_administrator_reads_events_in_words_with_a_link_to_the_record(client, system_admin):
    sheet = make_fee_sheet(12, status="paid")
    audit_record(actor=system_admin, action="admin.change", obj=sheet,
                 changes={"status": ["paid", "draft"], "paid_on": ["2026-04-10", None]})
    make_user(Role.VIEWER, 12, username="xem")
    client.post("/login/", {"username": "xem", "password": "sai-mat-khau-1"})

    response = client.get("/audit/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/audit/" in page  # in the administrator's menu
    assert "Sửa trong trang quản trị" in page and "Đăng nhập không thành công" in page
    assert f'href="/network/fees/{sheet.pk}/"' in page
    with translation.override("vi"):
        assert f"{FeeSheetStatus.PAID.label} → {FeeSheetStatus.DRAFT.label}" in page  # the statuses in words
    assert "10/04/2026 → ∅" in page
    assert "admin.change" not in page.replace('value="admin.change"', "")
    assert "2026-04-10" not in page


def test_filters_by_actor_action_type_dates_and_text(client, system_admin):
    officer = make_user(Role.DOIT_OFFICER, 12, username="canbo.so", full_name="Lò Thị Hoa")
    sheet = make_fee_sheet(12)
    collaborator = make_collaborator(12, name="Nguyễn Văn Cộng Tác")
    by_officer = _at(audit_record(actor=officer, action="network.fee_sheet_prepare", obj=sheet),
                     datetime.date(2026, 3, 2))
    by_admin = _at(audit_record(actor=system_admin, action="admin.change", obj=collaborator),
                   datetime.date(2026, 3, 20))
    login = _at(audit_record(actor=officer, action="auth.login", obj=officer), datetime.date(2026, 4, 1))

    assert rows(client.get("/audit/", {"actor": "canbo.so"})) == [login, by_officer]
    assert rows(client.get("/audit/", {"actor": "Hoa"})) == [login, by_officer]
    assert rows(client.get("/audit/", {"action": "admin."})) == [by_admin]
    fee_type = ContentType.objects.get_for_model(FeeSheet).pk
    assert rows(client.get("/audit/", {"type": fee_type})) == [by_officer]
    assert rows(client.get("/audit/", {"date_from": "02/03/2026", "date_to": "20/03/2026"})) == [by_admin, by_officer]
    assert rows(client.get("/audit/", {"date_from": "03/03/2026", "date_to": "31/03/2026"})) == [by_admin]
    assert rows(client.get("/audit/", {"q": "Cộng Tác"})) == [by_admin]


def test_a_date_that_is_not_one_is_said_in_vietnamese_and_kept(client, system_admin):
    response = client.get("/audit/", {"date_from": "31/02/2026", "type": "99999999999999999999"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "“31/02/2026” không phải là ngày" in page
    assert 'value="31/02/2026"' in page


def test_the_page_costs_the_same_queries_for_5_or_60_events(client, system_admin):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/audit/").status_code == 200
        return len(captured)

    sheet = make_fee_sheet(12)
    for _n in range(5):
        audit_record(actor=system_admin, action="admin.change", obj=sheet, changes={"status": ["draft", "paid"]})
    few = queries()
    others = [make_user(Role.VIEWER, 12, username=f"xem{n}") for n in range(5)]
    for n in range(55):
        audit_record(actor=others[n % 5], action="auth.login", obj=others[n % 5], changes={"address": "10.0.0.1"})
    assert queries() == few
