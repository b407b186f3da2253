import datetime

import pytest

from khuyencong.core.errors import InvalidInput
from khuyencong.projects import services as project_services
from khuyencong.projects.flows import project_flow
from khuyencong.projects.models import ProjectContent
from khuyencong.registry.models import EstablishmentMerge
from khuyencong.rules.models import ContentItem

from .. import checks, services
from ..models import CheckCode, Finding, FindingStatus
from .helpers import draft, make_establishment, planted_record

pytestmark = pytest.mark.django_db
D = datetime.date


def test_clean_project_has_no_hit(users, national_plan, establishment):
    project = draft(users, national_plan, establishment, title="Máy sao chè sạch")
    assert checks.hits_for(project) == []
    assert checks.support_check(project_flow.context(project, D.today()), "submit").allowed


def test_same_item_in_the_registry_blocks_submit(users, national_plan, establishment):
    project = draft(users, national_plan, None, content=None)
    project_services.project_beneficiary_add(actor=users["centre"], project=project, establishment=establishment)
    project_services.project_content_add(actor=users["centre"], project=project, content="machinery",
                                         eligible_cost=600_000_000, requested_support=300_000_000,
                                         counterpart=300_000_000, establishment=establishment,
                                         description="Máy sao chè")
    planted_record(establishment, description="may sao che")
    hits = checks.hits_for(project)
    assert [h.check for h in hits] == [CheckCode.SAME_ITEM]
    decision = checks.support_check(project_flow.context(project, D.today()), "submit")
    assert not decision.allowed and "TTLT 26/2014" in str(decision.reason)
    # Recorded, then cleared by the appraiser: the step goes on.
    finding = services.run_checks(actor=users["centre"], project=project, stage="submit")[0]
    assert services.run_checks(actor=users["centre"], project=project) == []  # idempotent
    services.finding_transition(actor=users["doit"], finding=finding, action="clear",
                                inputs={"note": "Hai máy khác nhau, đã xem hóa đơn."})
    assert checks.support_check(project_flow.context(project, D.today()), "submit").allowed


def test_identity_through_tax_code_merge_name_and_phone(users, national_plan):
    a = make_establishment(12, name="Cơ sở Dệt Mường Lay", phone="0912345678")
    by_phone = make_establishment(12, name="Hộ dệt khác", phone="0912345678")
    by_name = make_establishment(12, name="Co so Det Muong Lay", commune=a.commune)
    merged = make_establishment(12, name="Bản cũ")
    EstablishmentMerge.objects.create(survivor=a, merged=merged)
    found = checks.identities({a.pk})[a.pk].why
    assert {by_phone.pk, by_name.pk, merged.pk} <= set(found)


def test_window_and_national_local(users, national_plan, local_plan, establishment):
    project = draft(users, national_plan, establishment)
    planted_record(establishment, year=2027, fund="local", description="Dây chuyền khác")
    planted_record(establishment, year=2025, fund="national", description="Khác nữa")
    planted_record(establishment, year=2019, fund="national", description="Quá cũ")
    kinds = sorted(h.check for h in checks.hits_for(project))
    assert kinds == [CheckCode.NATIONAL_LOCAL, CheckCode.WINDOW]
    assert all(not h.blocks for h in checks.hits_for(project))


def test_overseas_fairs_above_two_block(users, national_plan, establishment):
    """No verified rate lets a project hold an overseas fair yet: the content is written to the table directly."""
    project = draft(users, national_plan, establishment, content=None)
    ProjectContent.objects.create(project=project, content=ContentItem.objects.get(code="fair_overseas"),
                                  establishment=establishment, eligible_cost_vnd=100_000_000,
                                  requested_support_vnd=50_000_000, quote_support_vnd=50_000_000,
                                  quoted_on=D(2026, 1, 1))
    planted_record(establishment, year=2027, content="fair_overseas", description="Hội chợ A", fund="national")
    assert not [h for h in checks.hits_for(project) if h.check == CheckCode.OVERSEAS_FAIRS]
    planted_record(establishment, year=2027, content="fair_overseas", description="Hội chợ B", fund="national")
    hits = [h for h in checks.hits_for(project) if h.check == CheckCode.OVERSEAS_FAIRS]
    assert hits and hits[0].blocks


def test_upheld_finding_refunds_through_the_ledger(users, national_plan, establishment):
    from .helpers import walk

    project = draft(users, national_plan, establishment, title="Máy sao chè đã trả")
    project = walk(project, users, until="contract")
    project_services.ledger_record(actor=users["finance"], project=project, kind="ADVANCE", amount=100_000_000)
    planted_record(establishment, description="", year=2026, fund="national")
    finding = services.run_checks(actor=users["doit"], project=project)[0]
    assert finding.check_code == CheckCode.WINDOW
    with pytest.raises(InvalidInput):
        services.finding_transition(actor=users["doit"], finding=finding, action="uphold", inputs={})
    services.finding_transition(actor=users["doit"], finding=finding, action="uphold",
                                inputs={"note": "Trùng hỗ trợ", "amount": "40.000.000"})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.UPHELD
    assert finding.refund.kind == "REFUND" and finding.refund.amount_vnd == 40_000_000
    assert Finding.objects.count() == 1


def test_guard_is_a_few_queries(users, national_plan, establishment, django_assert_max_num_queries):
    project = draft(users, national_plan, establishment)
    for year in range(2020, 2027):
        planted_record(establishment, year=year, description=f"Khác {year}")
    ctx = project_flow.context(project, D.today())
    with django_assert_max_num_queries(10):
        checks.support_check(ctx, "submit")
