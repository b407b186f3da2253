"""manage.py create_api_token and seed_demo."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from khuyencong.accounts.demo import DEMO_PASSWORD, MINISTRY, PROVINCES, USERS
from khuyencong.accounts.models import ApiToken, Organisation, Role, RoleAssignment, ScopeLevel, User
from khuyencong.accounts.scope import user_scope

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_api_token_prints_a_working_token(client):
    user = UserFactory(username="sct.laichau")
    out = StringIO()
    call_command("create_api_token", "sct.laichau", "--name", "Tích hợp kế toán", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("kc_")
    assert "\n" not in raw
    token = ApiToken.objects.get(user=user)
    assert token.name == "Tích hợp kế toán"
    assert raw not in token.digest
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["username"] == "sct.laichau"


def test_create_api_token_names_the_token_by_default():
    UserFactory(username="ttkc.tayninh")
    call_command("create_api_token", "ttkc.tayninh", stdout=StringIO())
    assert ApiToken.objects.get().name == "manage.py create_api_token"


def test_create_api_token_for_an_unknown_user_fails():
    with pytest.raises(CommandError, match=re.escape("khong.co.ai")):
        call_command("create_api_token", "khong.co.ai", stdout=StringIO())
    assert not ApiToken.objects.exists()


def _counts():
    return (User.objects.count(), Organisation.objects.count(), RoleAssignment.objects.count(),
            RoleAssignment.communes.through.objects.count())


def test_seed_demo_is_idempotent_and_prints_the_logins(client):
    first = StringIO()
    call_command("seed_demo", stdout=first)
    after_first = _counts()
    second = StringIO()
    call_command("seed_demo", stdout=second)

    assert _counts() == after_first
    # Other modules' seeders may add people and bodies of their own; the accounts seed adds these.
    assert {u for u, *_rest in USERS} <= set(User.objects.values_list("username", flat=True))
    assert RoleAssignment.objects.filter(user__username__in=[u for u, *_rest in USERS]).count() == len(USERS)
    for code, names in PROVINCES.items():
        assert Organisation.objects.filter(province__code=code, name__in=names).count() == 2
    assert Organisation.objects.filter(name=MINISTRY, province=None).count() == 1
    for output in (first.getvalue(), second.getvalue()):
        assert DEMO_PASSWORD in output
        for username, *_rest in USERS:
            assert f"  {username} " in output
    # The printed logins work.
    assert client.login(username="ttkc.laichau", password=DEMO_PASSWORD)


def test_seed_demo_users_have_the_documented_scopes():
    call_command("seed_demo", stdout=StringIO())
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert user_scope(admin).national
    staff = User.objects.get(username="ttkc.laichau")
    assert user_scope(staff).roles == {Role.CENTRE_STAFF}
    assert staff.assignments.get().province.code == 12
    collaborator = User.objects.get(username="ctv.laichau").assignments.get()
    assert collaborator.scope_level == ScopeLevel.COMMUNES
    assert collaborator.communes.count() == 3
    assert {c.province.code for c in collaborator.communes.all()} == {12}
    commune_pc = Organisation.objects.get(kind="commune_pc")
    assert commune_pc.commune.province.code == 12
    assert commune_pc.name.startswith("Ủy ban nhân dân ")


def test_seed_demo_keeps_changed_passwords():
    call_command("seed_demo", stdout=StringIO())
    user = User.objects.get(username="sct.laichau")
    user.set_password("mat-khau-rieng-2026")
    user.save()
    call_command("seed_demo", stdout=StringIO())
    user.refresh_from_db()
    assert user.check_password("mat-khau-rieng-2026")
