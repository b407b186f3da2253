"""The public status check of an application: both its number and the phone written in it must match; a wrong pair
gets one "not found" whichever half is wrong, and the checks of an address are limited."""

import pytest
from django.utils import timezone

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user

from .. import services
from .conftest import LAI_CHAU
from .factories import make_application

pytestmark = pytest.mark.django_db
NOT_FOUND = "Không tìm thấy: không có hồ sơ nào mang số này với số điện thoại này."


def check(client, reference, phone, **extra):
    return client.post("/network/apply/status/", {"reference": reference, "phone": phone}, **extra)


def test_the_page_needs_no_account_and_is_linked_from_the_application_pages(client, regulation):
    page = client.get("/network/apply/status/")
    assert page.status_code == 200 and 'name="reference"' in page.content.decode()
    assert 'href="/network/apply/status/"' in client.get("/network/apply/?province=12").content.decode()


def test_both_halves_match_and_the_status_is_in_words(client, regulation):
    application = make_application(LAI_CHAU, name="Giàng Thị Pằng")  # phone 0987654321
    body = check(client, application.reference.lower(), "+84 987 654 321").content.decode()
    assert 'data-testid="application-status"' in body and "Chờ xem xét" in body
    assert timezone.localtime(application.submitted_at).strftime("%d/%m/%Y") in body
    assert NOT_FOUND not in body


def test_a_refusal_shows_its_day_and_reason(client, regulation, staff):
    application = make_application(LAI_CHAU)
    services.application_refuse(actor=staff, application=application, reason="Chưa đủ 18 tuổi",
                                version=application.version)
    body = check(client, application.reference, "0987654321").content.decode()
    assert "Đã từ chối" in body
    assert f"từ ngày {timezone.localdate().strftime('%d/%m/%Y')}" in body and "Chưa đủ 18 tuổi" in body


@pytest.mark.parametrize("wrong", ["reference", "phone", "both"])
def test_a_wrong_pair_gets_the_same_not_found(client, regulation, wrong):
    application = make_application(LAI_CHAU, name="Giàng Thị Pằng")
    reference = "12-ZZZZZZ" if wrong in ("reference", "both") else application.reference
    phone = "0911111111" if wrong in ("phone", "both") else application.phone
    body = check(client, reference, phone).content.decode()
    assert NOT_FOUND in body
    assert "Giàng Thị Pằng" not in body and 'data-testid="application-status"' not in body


def test_an_empty_form_lists_its_errors_at_the_top(client, regulation):
    response = check(client, "", "")
    body = response.content.decode()
    summary = body.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert 'href="#id_reference"' in summary and 'href="#id_phone"' in summary and NOT_FOUND not in body


def test_checks_from_one_address_are_limited(client, regulation, settings):
    settings.KC_NETWORK_APPLY_LIMIT = (2, 3600)
    application = make_application(LAI_CHAU)
    check(client, "12-AAAAAA", "0911111111")
    check(client, "12-BBBBBB", "0911111111")
    blocked = check(client, application.reference, application.phone)
    assert blocked.status_code == 429 and "Có quá nhiều lượt tra cứu" in blocked.content.decode()
    assert 'data-testid="application-status"' not in blocked.content.decode()
    other = check(client, application.reference, application.phone, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200 and 'data-testid="application-status"' in other.content.decode()


def test_a_signed_in_user_gets_the_same_answer(client, regulation):
    client.force_login(make_user(Role.VIEWER, LAI_CHAU))
    application = make_application(LAI_CHAU)
    assert NOT_FOUND in check(client, application.reference, "0900000000").content.decode()
