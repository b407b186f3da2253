"""Services of projects and plans: the happy paths and each refusal with its message."""

import datetime

import pytest

from khuyencong.accounts.tests.factories import organisation_for, province
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from khuyencong.projects import services
from khuyencong.projects.models import AnnualPlan, PlanAdjustment, Project

from .factories import make_establishment, make_plan, ward
from .journey import draft, receive, walk

pytestmark = pytest.mark.django_db


def _create(users, plan, who="centre", code=12, **data):
    return services.project_create(actor=users[who], plan=plan, province=province(code), data={
        "title": "Hỗ trợ máy sấy", "implementing_org": organisation_for("kc_centre", code), **data})


# --- submit (the example of style.md) -------------------------------------------------------------------------------


def test_submit_moves_the_draft_to_the_doit_and_records_the_application_date(users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    receive(project, users["centre"], "submit")
    submitted = services.project_submit(project=project, actor=users["centre"])
    assert submitted.status == "submitted" and submitted.application_date == datetime.date.today()
    assert [e.action for e in audit_events_for(submitted)].count("project.submit") == 1


def test_submit_is_refused_to_another_role_and_without_the_dossier(users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    with pytest.raises(InvalidInput) as exc:
        services.project_submit(project=project, actor=users["centre"])
    assert exc.value.code == "guard" and "Mẫu 01" in exc.value.message
    receive(project, users["centre"], "submit")
    with pytest.raises(PermissionDenied):
        services.project_submit(project=project, actor=users["doit"])
    assert Project.objects.get(pk=project.pk).status == "draft"


# --- create and edit ------------------------------------------------------------------------------------------------


def test_codes_are_numbered_per_fund_year_and_province(users, national_plan, local_plan):
    first = _create(users, national_plan)
    second = _create(users, national_plan, title="  Hỗ trợ   máy   đóng gói ")
    local = _create(users, local_plan)
    other = _create(users, national_plan, who="other_centre", code=80,
                    implementing_org=organisation_for("kc_centre", 80))
    assert [first.code, second.code, local.code, other.code] == [
        "KCQG-2027-12-001", "KCQG-2027-12-002", "KCĐP-2027-12-001", "KCQG-2027-80-001"]
    assert second.title == "Hỗ trợ máy đóng gói" and second.title_folded == "ho tro may dong goi"
    # Each carries its plan's year, as stored (the lists sort on it).
    assert {p.year for p in Project.objects.filter(pk__in=[first.pk, local.pk, other.pk])} == {2027}
    assert first.status == "draft" and first.created_by == users["centre"]
    [event] = audit_events_for(first)
    assert event.action == "project.create" and event.changes["code"] == [None, "KCQG-2027-12-001"]


def test_only_centre_staff_of_the_province_create(users, national_plan, local_plan):
    for who in ("doit", "finance", "ministry", "viewer"):
        with pytest.raises(PermissionDenied):
            _create(users, national_plan, who=who)
    with pytest.raises(PermissionDenied):
        _create(users, national_plan, who="other_centre")  # Lai Châu is not Tây Ninh's
    with pytest.raises(InvalidInput) as exc:
        _create(users, local_plan, who="other_centre", code=80, implementing_org=organisation_for("kc_centre", 80))
    assert exc.value.field == "plan"  # Lai Châu's local plan takes no Tây Ninh project


def test_create_refuses_bad_input(users, national_plan, local_plan):
    with pytest.raises(InvalidInput) as exc:
        _create(users, national_plan, title="   ")
    assert exc.value.field == "title"
    with pytest.raises(InvalidInput) as exc:
        _create(users, local_plan, kind="flagship")
    assert exc.value.field == "kind"
    with pytest.raises(InvalidInput) as exc:
        _create(users, national_plan, implementing_org=organisation_for("kc_centre", 80))
    assert exc.value.field == "implementing_org"
    with pytest.raises(InvalidInput) as exc:
        _create(users, national_plan, commune=ward(80))
    assert exc.value.field == "commune"
    with pytest.raises(InvalidInput) as exc:
        _create(users, national_plan, start_date=datetime.date(2027, 5, 1), end_date=datetime.date(2027, 4, 1))
    assert exc.value.field == "end_date"
    assert not Project.objects.exists()


def test_update_detects_a_stale_version_and_locks_after_submission(users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    version = project.version
    project = services.project_update(actor=users["centre"], project=project, data={"title": "Tên mới"},
                                      version=version)
    assert project.title == "Tên mới" and project.version == version + 1
    with pytest.raises(Conflict):
        services.project_update(actor=users["centre"], project=project, data={"title": "Tên khác"},
                                version=version)
    assert Project.objects.get(pk=project.pk).title == "Tên mới"
    with pytest.raises(PermissionDenied):
        services.project_update(actor=users["doit"], project=project, data={"title": "x"}, version=project.version)
    project = walk(project, users, until="submit")
    with pytest.raises(PermissionDenied) as exc:
        services.project_update(actor=users["centre"], project=project, data={"title": "x"},
                                version=project.version)
    assert "Submitted" in exc.value.message or "Đã gửi" in exc.value.message


# --- contents -------------------------------------------------------------------------------------------------------


def test_content_within_the_quote_keeps_the_quote(users, national_plan):
    project = _create(users, national_plan)
    row = services.project_content_add(actor=users["centre"], project=project, content="machinery",
                                       eligible_cost=800_000_000, requested_support=300_000_000,
                                       counterpart=500_000_000)
    assert row.quote_support_vnd == 300_000_000 and row.quote["limited_by"] == "cap"
    assert row.quote["rule"]["basis"].startswith("TT 28/2018")
    assert row.quoted_on == datetime.date.today()


def test_content_above_the_quote_is_refused_naming_the_rule(users, national_plan):
    project = _create(users, national_plan)
    with pytest.raises(InvalidInput) as exc:
        services.project_content_add(actor=users["centre"], project=project, content="machinery",
                                     eligible_cost=800_000_000, requested_support=300_000_001,
                                     counterpart=499_999_999)
    assert exc.value.code == "above_quote" and exc.value.field == "requested_support"
    assert "300.000.001 ₫" in exc.value.message and "300.000.000 ₫" in exc.value.message
    assert "TT 28/2018" in exc.value.message
    with pytest.raises(InvalidInput) as exc:  # limited by the percentage: 50 % of 400.000.000 ₫
        services.project_content_add(actor=users["centre"], project=project, content="machinery",
                                     eligible_cost=400_000_000, requested_support=200_000_001,
                                     counterpart=199_999_999)
    assert "200.000.000 ₫" in exc.value.message and "50" in exc.value.message
    assert not project.contents.exists()


def test_priority_projects_get_the_multiplied_cap_only_where_the_rule_has_one(users, national_plan):
    project = _create(users, national_plan, priority=True)
    # The TT 28/2018 machinery row gives no multiplier: the standard cap applies.
    with pytest.raises(InvalidInput):
        services.project_content_add(actor=users["centre"], project=project, content="machinery",
                                     eligible_cost=1_000_000_000, requested_support=300_000_001,
                                     counterpart=699_999_999)


def test_content_refusals(users, national_plan, local_plan):
    project = _create(users, national_plan)
    with pytest.raises(InvalidInput) as exc:  # the funding must add up
        services.project_content_add(actor=users["centre"], project=project, content="machinery",
                                     eligible_cost=600_000_000, requested_support=300_000_000, counterpart=1)
    assert "600.000.000 ₫" in exc.value.message
    with pytest.raises(InvalidInput) as exc:  # no national rate for vocational training is verified
        services.project_content_add(actor=users["centre"], project=project, content="training",
                                     eligible_cost=100_000_000, requested_support=50_000_000, counterpart=50_000_000)
    assert exc.value.code == "no_rule"
    with pytest.raises(InvalidInput):
        services.project_content_add(actor=users["centre"], project=project, content="no-such-content",
                                     eligible_cost=1, requested_support=1)
    with pytest.raises(InvalidInput):
        services.project_content_add(actor=users["centre"], project=project, content="machinery",
                                     eligible_cost=-1, requested_support=0)
    other = make_establishment(12)
    with pytest.raises(InvalidInput) as exc:
        services.project_content_add(actor=users["centre"], project=project, content="machinery",
                                     eligible_cost=2, requested_support=1, counterpart=1, establishment=other)
    assert exc.value.field == "establishment"
    with pytest.raises(PermissionDenied):
        services.project_content_add(actor=users["doit"], project=project, content="machinery", eligible_cost=2,
                                     requested_support=1, counterpart=1)
    services.project_content_add(actor=users["centre"], project=project, content="machinery", eligible_cost=2,
                                 requested_support=1, counterpart=1)
    with pytest.raises(InvalidInput):  # the same content twice: the cap counts once
        services.project_content_add(actor=users["centre"], project=project, content="machinery", eligible_cost=2,
                                     requested_support=1, counterpart=1)


def test_local_fund_quotes_use_the_provinces_rates(users, local_plan):
    project = _create(users, local_plan)
    row = services.project_content_add(actor=users["centre"], project=project, content="demo_model_new",
                                       eligible_cost=2_000_000_000, requested_support=500_000_000,
                                       counterpart=1_500_000_000)
    assert row.quote["rule"]["province_code"] == 12 and row.quote_support_vnd == 500_000_000


def test_content_remove(users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    row = project.contents.get()
    with pytest.raises(NotFound):
        services.project_content_remove(actor=users["centre"], project=project, content_id=row.pk + 100)
    services.project_content_remove(actor=users["centre"], project=project, content_id=row.pk)
    assert not project.contents.exists()


# --- beneficiaries and documents ------------------------------------------------------------------------------------


def test_beneficiaries_keep_their_eligibility_and_reasons(users, national_plan, establishment):
    project = _create(users, national_plan)
    link = services.project_beneficiary_add(actor=users["centre"], project=project, establishment=establishment)
    assert link.eligible is True and link.reasons and link.basis and link.checked_on == datetime.date.today()
    with pytest.raises(InvalidInput):
        services.project_beneficiary_add(actor=users["centre"], project=project, establishment=establishment)
    with pytest.raises(InvalidInput) as exc:
        services.project_beneficiary_add(actor=users["centre"], project=project,
                                         establishment=make_establishment(80))
    assert exc.value.field == "establishment"
    services.project_content_add(actor=users["centre"], project=project, content="machinery", eligible_cost=2,
                                 requested_support=1, counterpart=1, establishment=establishment)
    with pytest.raises(InvalidInput):  # its contents go first
        services.project_beneficiary_remove(actor=users["centre"], project=project, link_id=link.pk)


def test_a_task_has_no_beneficiaries(users, national_plan, establishment):
    task = _create(users, national_plan, kind="task")
    with pytest.raises(PermissionDenied):
        services.project_beneficiary_add(actor=users["centre"], project=task, establishment=establishment)


def test_group_beneficiaries_are_fixed_by_the_doit_after_approval(users, national_plan, establishment):
    project = draft(users, national_plan, None, kind="group", title="Đề án nhóm máy sấy")
    project = walk(project, users, until="approve")
    with pytest.raises(PermissionDenied):
        services.project_beneficiary_add(actor=users["centre"], project=project, establishment=establishment)
    link = services.project_beneficiary_add(actor=users["doit"], project=project, establishment=establishment)
    assert link.eligible
    bad = make_establishment(12, name="Doanh nghiệp lớn", entity_type="other")
    with pytest.raises(InvalidInput):  # after approval only eligible establishments join
        services.project_beneficiary_add(actor=users["doit"], project=project, establishment=bad)


def test_documents_outside_the_checklist_are_refused(users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    with pytest.raises(NotFound):
        services.project_document_mark(actor=users["centre"], project=project, code="council_minutes")
    doc = services.project_document_mark(actor=users["centre"], project=project, code="seller_contract",
                                         reference="HĐ mua bán 12")
    assert doc.reference == "HĐ mua bán 12"
    assert services.project_document_mark(actor=users["centre"], project=project, code="seller_contract",
                                          received=False) is None
    assert not project.documents.exists()
    with pytest.raises(PermissionDenied):
        services.project_document_mark(actor=users["viewer"], project=project, code="contract")


def test_dates_of_acts_cannot_be_in_the_future(users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    with pytest.raises(InvalidInput) as exc:
        services.project_transition(project=project, action="submit", actor=users["centre"],
                                    on_date=datetime.date.today() + datetime.timedelta(days=1))
    assert exc.value.field == "on_date"
    with pytest.raises(NotFound):
        services.project_transition(project=project, action="fly", actor=users["centre"])


def test_approval_freezes_the_rules(users, national_plan, establishment):
    project = walk(draft(users, national_plan, establishment), users, until="approve")
    frozen = project.rules_frozen
    assert frozen["frozen_on"] == datetime.date.today().isoformat()
    assert frozen["quotes"][0]["rule"]["basis"].startswith("TT 28/2018")
    assert frozen["advance"]["contents"]["machinery"]["first_percent"] == "70"
    assert frozen["advance"]["treasury_cap"]["percent"] == "70"
    assert frozen["eligibility"][0]["eligible"] is True
    assert {d["code"] for d in frozen["deadlines"]} >= {"register_doit", "liquidation_settlement"}
    assert project.approval_reference == "3396/QĐ-BCT"


# --- plans ----------------------------------------------------------------------------------------------------------


def test_plan_create_approve_adjust(users):
    plan = services.plan_create(actor=users["manager"], year=2028, fund="local", province=province(12),
                                envelope=4_000_000_000)
    assert plan.name.endswith("Tỉnh Lai Châu") and plan.envelope_vnd == plan.initial_envelope_vnd
    with pytest.raises(InvalidInput):
        services.plan_create(actor=users["manager"], year=2028, fund="local", province=province(12), envelope=1)
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=users["manager"], year=2028, fund="local", province=province(80), envelope=1)
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=users["manager"], year=2028, fund="national", province=None, envelope=1)
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=users["centre"], year=2029, fund="local", province=province(12), envelope=1)
    national = services.plan_create(actor=users["ministry"], year=2028, fund="national", province=province(12),
                                    envelope=100)
    assert national.province is None
    with pytest.raises(InvalidInput):  # adjustments follow the approval
        services.plan_adjust(actor=users["manager"], plan=plan, envelope=1, decision_number="2",
                             decision_date=datetime.date(2026, 2, 1), version=plan.version)
    plan = services.plan_approve(actor=users["manager"], plan=plan, decision_number="120/QĐ-UBND",
                                 decision_date=datetime.date(2026, 1, 5), signer="Chủ tịch UBND tỉnh",
                                 envelope=4_200_000_000, version=plan.version)
    assert plan.is_approved and plan.envelope_vnd == 4_200_000_000
    with pytest.raises(Conflict):
        services.plan_adjust(actor=users["manager"], plan=plan, envelope=1, decision_number="2",
                             decision_date=datetime.date(2026, 2, 1), version=plan.version - 1)
    with pytest.raises(InvalidInput):
        services.plan_adjust(actor=users["manager"], plan=plan, envelope=1, decision_number="2",
                             decision_date=datetime.date(2026, 1, 1), version=plan.version)
    adjustment = services.plan_adjust(actor=users["manager"], plan=plan, envelope=3_800_000_000,
                                      decision_number="210/QĐ-UBND", decision_date=datetime.date(2026, 6, 1),
                                      reason="Điều chỉnh giảm", version=plan.version)
    assert adjustment.previous_envelope_vnd == 4_200_000_000
    assert AnnualPlan.objects.get(pk=plan.pk).envelope_vnd == 3_800_000_000
    assert PlanAdjustment.objects.count() == 1


def test_an_envelope_never_drops_below_what_is_approved(users, establishment):
    plan = make_plan(year=2027, fund="national", envelope=1_000_000_000)
    walk(draft(users, plan, establishment), users, until="approve")
    plan.refresh_from_db()
    plan = services.plan_approve(actor=users["ministry"], plan=plan, decision_number="1/QĐ-BCT",
                                 decision_date=datetime.date(2026, 10, 1), version=plan.version)
    with pytest.raises(InvalidInput) as exc:
        services.plan_adjust(actor=users["ministry"], plan=plan, envelope=299_999_999, decision_number="2/QĐ-BCT",
                             decision_date=datetime.date(2026, 11, 1), version=plan.version)
    assert "300.000.000 ₫" in exc.value.message


def test_programme_create(users):
    programme = services.programme_create(actor=users["ministry"], name="Chương trình 2026–2030",
                                          fund="national", province=None, start_year=2026,
                                          decision_number="2646/QĐ-BCT", decision_date=datetime.date(2025, 9, 23))
    assert programme.end_year == 2030
    plan = services.plan_create(actor=users["ministry"], year=2028, fund="national", province=None, envelope=1,
                                programme=programme)
    assert plan.programme == programme
    with pytest.raises(InvalidInput):
        services.plan_create(actor=users["ministry"], year=2031, fund="national", province=None, envelope=1,
                             programme=programme)
