"""Asking for a password-reset link has a budget per address and per e-mail address: a mailbox cannot be flooded,
addresses cannot be probed in bulk, and past the e-mail budget the page answers as usual without telling anything."""

import pytest
from django.test import override_settings

from khuyencong.accounts.models import Role

from .factories import make_user

pytestmark = pytest.mark.django_db

LIMITS = {"address": (4, 3600), "email": (2, 3600)}


@pytest.fixture
def viewer():
    return make_user(Role.VIEWER, 12, username="xem.laichau", email="xem@laichau.gov.vn")


@override_settings(KC_PASSWORD_RESET_LIMITS=LIMITS)
def test_one_mailbox_gets_at_most_its_budget_of_links_and_the_page_does_not_tell(client, viewer, mailoutbox):
    answers = [client.post("/password-reset/", {"email": " XEM@laichau.gov.vn "}) for _i in range(3)]

    assert [a.status_code for a in answers] == [302, 302, 302]
    assert {a.url for a in answers} == {"/password-reset/sent/"}
    assert len(mailoutbox) == 2


@override_settings(KC_PASSWORD_RESET_LIMITS=LIMITS)
def test_one_address_asking_for_many_mailboxes_is_refused_in_vietnamese(client, viewer, mailoutbox):
    for n in range(4):
        assert client.post("/password-reset/", {"email": f"thu{n}@example.vn"}).status_code == 302

    refused = client.post("/password-reset/", {"email": "xem@laichau.gov.vn"})

    assert refused.status_code == 429
    assert "Quá nhiều yêu cầu đặt lại mật khẩu" in refused.content.decode()
    assert mailoutbox == []


@override_settings(KC_PASSWORD_RESET_LIMITS=LIMITS)
def test_another_address_keeps_its_own_budget(client, viewer, mailoutbox):
    for n in range(4):
        client.post("/password-reset/", {"email": f"thu{n}@example.vn"}, REMOTE_ADDR="203.0.113.5")

    answer = client.post("/password-reset/", {"email": "xem@laichau.gov.vn"}, REMOTE_ADDR="203.0.113.6")

    assert answer.status_code == 302
    assert len(mailoutbox) == 1
