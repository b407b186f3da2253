"""Loading the rule tables and a system administrator's edits."""

import datetime
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.models import AuditEvent
from khuyencong.rules import services
from khuyencong.rules.loader import DATA_DIR, load_rules
from khuyencong.rules.models import (
    RULE_MODELS,
    AdvanceRule,
    AuthorityRule,
    ContentGroup,
    ContentItem,
    DeadlineRule,
    EligibilityRule,
    RowOrigin,
    SupportRate,
)

pytestmark = pytest.mark.django_db

REQUIRED_CONTENTS = {
    "training", "management_capacity", "study_tour_establishment", "demo_model_new", "demo_model_replication",
    "machinery", "cleaner_production", "pollution_treatment_establishment", "pollution_treatment_cluster",
    "award_round_regional", "award_round_national", "fair_domestic_organise", "fair_domestic_participate",
    "fair_overseas", "brand", "consulting", "information", "linkage_association", "linkage_cluster",
    "cluster_infrastructure", "cluster_detailed_plan", "relocation_interest", "enterprise_setup",
    "international_cooperation", "kc_capacity", "digital_transformation", "sustainable_production",
}


def test_load_rules_creates_every_table(admin_units):
    # The test database starts with the rules loaded (reference data): start this one from empty tables.
    for model in (SupportRate, AdvanceRule, AuthorityRule, DeadlineRule, EligibilityRule, ContentItem, ContentGroup):
        model.objects.all().delete()
    loads_before = AuditEvent.objects.filter(action="rules.load").count()
    counts = services.rules_load()
    assert counts["contentitem"]["created"] == ContentItem.objects.count() >= len(REQUIRED_CONTENTS)
    for model in (ContentGroup, SupportRate, EligibilityRule, DeadlineRule, AdvanceRule, AuthorityRule):
        assert model.objects.exists(), model
    assert AuditEvent.objects.filter(action="rules.load").count() == loads_before + 1


def test_catalogue_has_the_required_codes_and_decree_235_dates(rules):
    codes = set(ContentItem.objects.values_list("code", flat=True))
    assert codes >= REQUIRED_CONTENTS
    for code in ("digital_transformation", "sustainable_production", "craft_preservation"):
        item = ContentItem.objects.get(code=code)
        assert item.effective_from == datetime.date(2025, 10, 15)
        assert item.version_tag == "ND235-2025"


def test_every_rule_row_has_basis_dates_scope_and_mark(rules):
    for model in RULE_MODELS:
        for row in model.objects.all():
            assert row.basis and row.effective_from and row.mark in {"verified", "secondary", "unverified"}, row.key


def test_load_rules_is_idempotent(rules):
    before = {m: list(m.objects.values_list("key", "version", "updated_at")) for m in RULE_MODELS}
    counts = load_rules()
    assert all(c["created"] == c["updated"] == c["deleted"] == 0 for c in counts.values())
    assert {m: list(m.objects.values_list("key", "version", "updated_at")) for m in RULE_MODELS} == before
    services.rules_load()
    assert AuditEvent.objects.filter(action="rules.load").count() == 1  # the fixture's load only


def test_load_rules_is_fast(rules, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        load_rules()


def test_reload_repairs_a_changed_row_and_keeps_admin_edits(rules):
    SupportRate.objects.filter(key="rate:tt28-2018:national:machinery").update(max_amount_vnd=1)
    edited = SupportRate.objects.get(key="rate:tt28-2018:national:demo_model_new")
    SupportRate.objects.filter(pk=edited.pk).update(max_amount_vnd=7, origin=RowOrigin.ADMIN)
    counts = load_rules()
    assert counts["supportrate"]["updated"] == 1
    assert counts["supportrate"]["kept_admin_edits"] == 1
    assert SupportRate.objects.get(key="rate:tt28-2018:national:machinery").max_amount_vnd == 300_000_000
    assert SupportRate.objects.get(pk=edited.pk).max_amount_vnd == 7


def _copy_data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_loader_refuses_overlapping_rows_in_the_file(rules, tmp_path):
    data_dir = _copy_data(tmp_path)
    path = data_dir / "support_rates.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    clash = dict(next(r for r in data["rows"] if r["key"] == "rate:tt28-2018:national:machinery"))
    clash.update(key="rate:clash", effective_from="2020-01-01")
    data["rows"].append(clash)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        load_rules(data_dir=data_dir)
    assert "trùng" in exc.value.message
    assert not SupportRate.objects.filter(key="rate:clash").exists()


def test_loader_refuses_bad_values(rules, tmp_path):
    data_dir = _copy_data(tmp_path)
    path = data_dir / "support_rates.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rows"][0]["max_percent"] = "150"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InvalidInput):
        load_rules(data_dir=data_dir)


def test_loader_deletes_a_rule_that_left_the_file(rules, tmp_path):
    data_dir = _copy_data(tmp_path)
    path = data_dir / "authorities.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    gone = data["rows"].pop()["key"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    counts = load_rules(data_dir=data_dir)
    assert counts["authorityrule"]["deleted"] == 1
    assert not AuthorityRule.objects.filter(key=gone).exists()


def test_command_reports_errors_as_command_errors(monkeypatch):
    def broken(**kwargs):
        raise InvalidInput("Dữ liệu hỏng")

    monkeypatch.setattr("khuyencong.rules.management.commands.load_rules.rules_load", broken)
    with pytest.raises(CommandError, match="Dữ liệu hỏng"):
        call_command("load_rules", verbosity=0)


def test_rule_save_by_a_system_admin_validates_marks_and_audits(rules):
    admin = make_user(role="system_admin", province_code=None)
    rate = SupportRate.objects.get(key="rate:tt28-2018:national:machinery")
    rate.max_amount_vnd = 350_000_000
    services.rule_save(actor=admin, rule=rate, changes={"max_amount_vnd": [300_000_000, 350_000_000]})
    rate.refresh_from_db()
    assert rate.origin == RowOrigin.ADMIN and rate.version == 2
    event = AuditEvent.objects.get(action="rules.supportrate.change")
    assert event.actor == admin
    assert event.changes == {"max_amount_vnd": [300_000_000, 350_000_000]}


def test_rule_save_refuses_an_overlap_in_vietnamese(rules):
    admin = make_user(role="system_admin", province_code=None)
    rate = SupportRate.objects.get(key="rate:tt28-2018:national:machinery")
    rate.pk, rate.key = None, ""
    rate.effective_from = datetime.date(2024, 1, 1)
    with pytest.raises(InvalidInput) as exc:
        services.rule_save(actor=admin, rule=rate)
    assert "trùng" in exc.value.message


def test_rule_save_accepts_a_successor_once_the_old_rule_is_ended(rules):
    admin = make_user(role="system_admin", province_code=None)
    old = SupportRate.objects.get(key="rate:tt28-2018:national:machinery")
    old.effective_to = datetime.date(2026, 12, 31)
    services.rule_save(actor=admin, rule=old)
    new = SupportRate(content=old.content, fund="national", max_percent=50, max_amount_vnd=500_000_000,
                      unit="establishment", basis="Thông tư mới (giả định)", effective_from=datetime.date(2027, 1, 1))
    services.rule_save(actor=admin, rule=new)
    assert new.key.startswith("admin-")
    assert AuditEvent.objects.filter(action="rules.supportrate.add").count() == 1


def test_only_system_admins_edit_rules(rules):
    staff = make_user(role="centre_staff", province_code=12)
    rate = SupportRate.objects.first()
    with pytest.raises(PermissionDenied):
        services.rule_save(actor=staff, rule=rate)
    with pytest.raises(PermissionDenied):
        services.rule_delete(actor=staff, rule=rate)
    with pytest.raises(PermissionDenied):
        services.rules_load(actor=staff)


def test_rule_delete_audits(rules):
    admin = make_user(role="system_admin", province_code=None)
    rate = SupportRate.objects.get(key="rate:nq18-2025-laichau:local12:enterprise_setup")
    services.rule_delete(actor=admin, rule=rate)
    assert not SupportRate.objects.filter(key=rate.key).exists()
    assert AuditEvent.objects.filter(action="rules.supportrate.delete", actor=admin).exists()


def test_national_rate_with_a_province_is_refused(rules):
    rate = SupportRate.objects.get(key="rate:tt28-2018:national:machinery")
    rate.province_code = 12
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        rate.full_clean()
