"""The rule tables in the Django admin: system administrators only, every edit validated and audited."""

import pytest
from django.urls import reverse

from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.models import AuditEvent
from khuyencong.rules.models import AuthorityRule, RowOrigin

pytestmark = pytest.mark.usefixtures("rules")


@pytest.fixture
def sysadmin(client):
    client.force_login(make_user(role="system_admin", province_code=None))
    return client


def _form(rule: AuthorityRule, **changes) -> dict:
    data = {
        "decision": rule.decision, "project_kind": rule.project_kind, "authority": rule.authority,
        "authority_label": rule.authority_label, "basis": rule.basis,
        "effective_from": rule.effective_from.isoformat(),
        "effective_to": rule.effective_to.isoformat() if rule.effective_to else "",
        "province_code": rule.province_code or "", "mark": rule.mark, "note": rule.note, "key": rule.key,
    }
    data.update(changes)
    return data


def test_changelists_render_for_a_system_admin(sysadmin):
    for model in ("contentitem", "supportrate", "eligibilityrule", "deadlinerule", "advancerule", "authorityrule"):
        assert sysadmin.get(reverse(f"admin:rules_{model}_changelist")).status_code == 200, model


def test_staff_without_the_system_admin_role_cannot_open_rules(client):
    user = make_user(role="doit_manager", province_code=12, is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:rules_supportrate_changelist")).status_code == 403


def test_admin_edit_is_audited_and_marked(sysadmin):
    rule = AuthorityRule.objects.get(key="authority:tt36-2013:change_timing:any")
    url = reverse("admin:rules_authorityrule_change", args=[rule.pk])
    response = sysadmin.post(url, _form(rule, note="Đã đối chiếu lại văn bản."))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.origin == RowOrigin.ADMIN and rule.note == "Đã đối chiếu lại văn bản."
    event = AuditEvent.objects.get(action="rules.authorityrule.change")
    assert "note" in event.changes


def test_admin_refuses_an_overlap_with_a_vietnamese_message(sysadmin):
    rule = AuthorityRule.objects.get(key="authority:nd139-2025:ccn_infrastructure_support")
    url = reverse("admin:rules_authorityrule_change", args=[rule.pk])
    response = sysadmin.post(url, _form(rule, effective_from="2025-01-01"))
    assert response.status_code == 200
    assert "trùng với quy định" in response.content.decode()
    assert not AuditEvent.objects.filter(action="rules.authorityrule.change").exists()
