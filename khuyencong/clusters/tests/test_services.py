import datetime
from decimal import Decimal

import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user, province
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.projects.flows import ProjectContext
from khuyencong.projects.support_checks import registered
from khuyencong.projects.tests.factories import make_project

from .. import law, selectors, services
from ..checks import state_support_cap
from ..models import ClusterStatus, StateSupport
from .helpers import LAI_CHAU, TAY_NINH, D, admin, make_cluster, operating_cluster

pytestmark = pytest.mark.django_db


def test_occupancy_is_computed_from_the_latest_snapshot():
    cluster = operating_cluster(leased="20", approved="6")
    row = selectors.cluster_get(user=admin(), pk=cluster.pk)
    assert selectors.cluster_occupancy(row) == Decimal("65.0")  # (20 + 6) / 40
    services.snapshot_add(actor=admin(), cluster=cluster, data={
        "on_date": D(2026, 12, 1), "industrial_ha": "40", "leased_ha": "30"})
    row = selectors.cluster_get(user=admin(), pk=cluster.pk)
    assert selectors.cluster_occupancy(row) == Decimal("75.0")
    with pytest.raises(InvalidInput):
        services.snapshot_add(actor=admin(), cluster=cluster, data={
            "on_date": D(2026, 12, 2), "industrial_ha": "10", "leased_ha": "8", "approved_ha": "3"})


def test_doit_officer_of_another_province_cannot_create():
    officer = make_user(role=Role.DOIT_OFFICER, province_code=TAY_NINH)
    with pytest.raises(PermissionDenied):
        make_cluster(LAI_CHAU, actor=officer)
    staff = make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU)
    with pytest.raises(PermissionDenied):
        make_cluster(LAI_CHAU, actor=staff)


def test_update_checks_the_version_and_audits():
    cluster = make_cluster()
    services.cluster_update(actor=admin(), cluster=cluster, data={"name": "Cụm mới"}, version=cluster.version)
    with pytest.raises(Conflict):
        services.cluster_update(actor=admin(), cluster=cluster, data={"name": "Cụm cũ"}, version=1)
    assert audit_events_for(cluster).count() == 2


def test_bad_area_is_refused_in_vietnamese():
    with pytest.raises(InvalidInput) as exc:
        make_cluster(industrial="nhiều")
    assert exc.value.field == "industrial_land_ha"


def test_establish_needs_the_decision_and_the_investor():
    cluster = make_cluster()
    with pytest.raises(InvalidInput):
        services.cluster_transition(actor=admin(), cluster=cluster, action="establish", version=cluster.version)
    services.cluster_update(actor=admin(), cluster=cluster, data={"investor": "Công ty A"}, version=cluster.version)
    services.decision_add(actor=admin(), cluster=cluster, data={
        "kind": "establish", "number": "1/QĐ", "decided_on": D(2025, 1, 2), "area_ha": "45"})
    cluster.refresh_from_db()
    assert cluster.established_ha == Decimal("45.00")
    services.cluster_transition(actor=admin(), cluster=cluster, action="establish", version=cluster.version)
    assert cluster.status == ClusterStatus.ESTABLISHED


def test_new_cluster_refused_when_existing_ones_are_empty_and_large():
    for n, size in ((1, "75"), (2, "60")):
        existing = make_cluster(name=f"Cụm trống {n}", industrial=size, planned_ha=size, established_ha=size,
                                investor="Công ty B")
        services.decision_add(actor=admin(), cluster=existing, data={
            "kind": "establish", "number": f"{n}/QĐ", "decided_on": D(2025, 1, 2), "area_ha": size})
        existing.refresh_from_db()
        services.cluster_transition(actor=admin(), cluster=existing, action="establish", version=existing.version)
        services.snapshot_add(actor=admin(), cluster=existing, data={"on_date": D(2025, 6, 1), "industrial_ha": size,
                                                                     "leased_ha": "5"})
        if n == 1:  # 70 ha unleased: within 100 ha, a new cluster is allowed
            make_cluster(name="Cụm được phép")
    third = make_cluster(name="Cụm ba", industrial="30")
    # 125 ha unleased and 10/135 occupancy: refused, naming the article
    with pytest.raises(InvalidInput) as exc:
        services.decision_add(actor=admin(), cluster=third, data={
            "kind": "establish", "number": "4/QĐ", "decided_on": D(2025, 9, 1), "area_ha": "30"})
    assert "Điều 8" in exc.value.message


def test_expansion_needs_occupancy_area_and_essential_works():
    cluster = operating_cluster(leased="20")  # 50 %
    data = {"kind": "expand", "number": "9/QĐ", "decided_on": D(2026, 7, 1), "area_ha": "70"}
    with pytest.raises(InvalidInput) as exc:
        services.decision_add(actor=admin(), cluster=cluster, data=data)
    assert "60" in exc.value.message
    services.snapshot_add(actor=admin(), cluster=cluster, data={"on_date": D(2026, 6, 30), "industrial_ha": "40",
                                                                "leased_ha": "28"})
    with pytest.raises(InvalidInput) as exc:
        services.decision_add(actor=admin(), cluster=cluster, data=data)
    assert "khoản 2 điểm d" in exc.value.message
    for kind in ("roads", "water", "wastewater"):
        services.component_set(actor=admin(), cluster=cluster, kind=kind, status="done",
                               capacity_m3_day=500 if kind == "wastewater" else None, discharge_compliant=True)
    with pytest.raises(InvalidInput):
        services.decision_add(actor=admin(), cluster=cluster, data={**data, "area_ha": "80"})
    services.decision_add(actor=admin(), cluster=cluster, data=data)


def test_state_support_cap_in_the_service():
    cluster = operating_cluster()
    with pytest.raises(InvalidInput):  # no approved total yet
        services.support_add(actor=admin(), cluster=cluster, data={"source": "kc_local", "amount_vnd": 1,
                                                                   "decided_on": D(2026, 1, 5)})
    services.infrastructure_set(actor=admin(), cluster=cluster, data={"approved_total_vnd": 100_000_000_000,
                                                                       "paid_vnd": 40_000_000_000})
    services.support_add(actor=admin(), cluster=cluster, data={"source": "other", "amount_vnd": 20_000_000_000,
                                                               "decided_on": D(2026, 1, 5)})
    with pytest.raises(InvalidInput) as exc:
        services.support_add(actor=admin(), cluster=cluster, data={
            "source": "kc_local", "amount_vnd": 10_000_000_001, "decided_on": D(2026, 2, 5)})
    assert "Điều 26" in exc.value.message and exc.value.code == "support_cap"
    services.support_add(actor=admin(), cluster=cluster, data={"source": "kc_local", "amount_vnd": 10_000_000_000,
                                                               "decided_on": D(2026, 2, 5)})
    with pytest.raises(InvalidInput):  # lowering the total under the support already given
        services.infrastructure_set(actor=admin(), cluster=cluster, data={"approved_total_vnd": 90_000_000_000})


def test_kc_project_over_the_cap_is_refused_at_approve_and_contract():
    assert state_support_cap in registered()
    cluster = operating_cluster()
    services.infrastructure_set(actor=admin(), cluster=cluster, data={"approved_total_vnd": 10_000_000_000})
    project = make_project(LAI_CHAU)
    services.project_link(actor=admin(), cluster=cluster, project=project, amount_vnd=2_000_000_000)
    ctx = ProjectContext(project, datetime.date(2026, 8, 1))
    assert state_support_cap(ctx, "approve")
    # another source takes the total over 30 % after the link: the project's approval is refused with the basis
    StateSupport.objects.create(cluster=cluster, source="other", amount_vnd=1_500_000_000,
                                decided_on=D(2026, 7, 1))
    for stage in ("approve", "contract"):
        decision = state_support_cap(ProjectContext(project, datetime.date(2026, 8, 1)), stage)
        assert not decision and "Điều 26 khoản 1" in decision.reason
    assert state_support_cap(ctx, "submit")
    with pytest.raises(InvalidInput):
        services.project_link(actor=admin(), cluster=cluster, project=make_project(LAI_CHAU), amount_vnd=1)


def test_investor_selection_per_art_13():
    on = D(2026, 1, 1)
    a = law.Bid("A", 10, 10, 20, 30)  # 70
    b = law.Bid("B", 15, 15, 20, 20)  # 70
    c = law.Bid("C", 5, 5, 10, 20)  # 40
    winner, _reason = law.select_investor([a, c], on)
    assert winner is a
    winner, _reason = law.select_investor([a, b], on)
    assert winner is None
    b.chair_proposed = True
    winner, _reason = law.select_investor([a, b], on)
    assert winner is b
    assert law.select_investor([c], on)[0] is None
    assert law.select_investor([law.Bid("D", 16, 0, 0, 40)], on)[0] is None


def test_procedure_deadlines_come_from_rule_rows():
    due, rule = law.step_due("clusters-step-appraisal", D(2026, 3, 2))
    assert due == D(2026, 3, 27) and rule.unit == "days"  # NĐ 32/2024: 25 calendar days
    due, rule = law.step_due("clusters-step-appraisal", D(2026, 10, 1))
    assert rule.mark == "unverified" and rule.unit == "working_days" and due > D(2026, 10, 28)
    due, _rule = law.step_due("clusters-step-notice", D(2026, 3, 2), paused_days=3)
    assert due == D(2026, 3, 12)


def test_regularisation_days_left():
    cluster = services.cluster_create(actor=admin(), province=province(LAI_CHAU), status="unestablished",
                                      data={"name": "Cụm cũ", "formed_before_2009": True})
    assert selectors.days_left(cluster, D(2026, 12, 1)) == 30


def test_establishing_procedure_with_paused_appraisal_and_investor_scoring():
    from ..flows import procedure_deadlines

    cluster = make_cluster()
    procedure = services.procedure_start(actor=admin(), cluster=cluster, kind="establish", received_on=D(2026, 3, 2))
    steps = [("notice", D(2026, 3, 5)), ("close_intake", D(2026, 3, 20)), ("send", D(2026, 3, 25))]
    for action, day in steps:
        services.procedure_transition(actor=admin(), procedure=procedure, action=action, version=procedure.version,
                                      on_date=day)
    services.procedure_transition(actor=admin(), procedure=procedure, action="return", version=procedure.version,
                                  on_date=D(2026, 4, 1), inputs={"reason": "Thiếu bản đồ"})
    services.procedure_transition(actor=admin(), procedure=procedure, action="resume", version=procedure.version,
                                  on_date=D(2026, 4, 11))
    assert procedure.paused_days == 10
    due = {row["action"]: row["due"] for row in procedure_deadlines(procedure)}
    assert due["notice"] == D(2026, 3, 9)  # 5 working days
    assert due["close_intake"] == D(2026, 3, 20)  # 15 days
    assert due["appraise"] == D(2026, 4, 29)  # 25 days + 10 paused
    with pytest.raises(InvalidInput):  # no scored applicant yet
        services.procedure_transition(actor=admin(), procedure=procedure, action="appraise",
                                      version=procedure.version, on_date=D(2026, 4, 20))
    services.bid_add(actor=admin(), procedure=procedure, data={
        "name": "Công ty A", "score_plan": 12, "score_environment": 12, "score_capacity": 20, "score_finance": 30})
    with pytest.raises(InvalidInput):
        services.bid_add(actor=admin(), procedure=procedure, data={
            "name": "Công ty B", "score_plan": 16, "score_environment": 0, "score_capacity": 0, "score_finance": 0})
    services.procedure_transition(actor=admin(), procedure=procedure, action="appraise", version=procedure.version,
                                  on_date=D(2026, 4, 20))
    services.procedure_transition(actor=admin(), procedure=procedure, action="decide", version=procedure.version,
                                  on_date=D(2026, 4, 25), inputs={"reference": "45/QĐ-UBND"})
    assert procedure.status == "decided" and procedure.reference == "45/QĐ-UBND"
