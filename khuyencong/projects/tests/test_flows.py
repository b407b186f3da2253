"""The transition table: every action from every state for every role is allowed exactly where the table says,
and refused with the right kind of reason elsewhere. The expected table below is written out independently of
the flow's table (flows.TRANSITIONS), so a change to one without the other fails."""

import datetime

import pytest

from khuyencong.accounts.tests.factories import commune_of, make_user, organisation_for, province
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.projects import checklists, flows, scoring, services
from khuyencong.projects.flows import project_flow
from khuyencong.projects.models import AcceptanceRecord, AppraisalCouncil, LedgerEntry, ProjectStatus

from .factories import make_establishment, make_plan, ward
from .journey import draft, receive, walk

pytestmark = pytest.mark.django_db

C, F, OFF, M, MIN = "centre_staff", "finance_officer", "doit_officer", "doit_manager", "ministry_officer"
DOIT = (OFF, M)


def _tail(settle, steer, contract):
    return {
        ("approved", "contract"): contract,
        ("contracted", "start"): (C,),
        ("in_progress", "accept"): DOIT,
        ("accepted", "submit_settlement"): (F,),
        ("stopped", "submit_settlement"): (F,),
        ("settlement_submitted", "settle"): settle,
        ("settled", "archive"): (C, OFF, M),
        ("approved", "suspend"): steer, ("contracted", "suspend"): steer, ("in_progress", "suspend"): steer,
        ("suspended", "resume"): steer,
        ("approved", "stop"): steer, ("contracted", "stop"): steer, ("in_progress", "stop"): steer,
        ("suspended", "stop"): steer,
    }


EXPECTED = {
    "national": {
        ("draft", "submit"): (C,), ("returned", "submit"): (C,),
        ("submitted", "return"): DOIT, ("submitted", "reject"): DOIT, ("submitted", "appraise_base"): DOIT,
        ("base_appraised", "register"): (M,),
        ("registered", "return"): (MIN,), ("registered", "reject"): (MIN,),
        ("registered", "appraise_ministry"): (MIN,),
        ("ministry_appraised", "reject"): (MIN,), ("ministry_appraised", "approve"): (MIN,),
        **_tail(settle=(MIN,), steer=(MIN,), contract=(MIN, F)),
    },
    "local": {
        ("draft", "submit"): (C,), ("returned", "submit"): (C,),
        ("submitted", "return"): DOIT, ("submitted", "reject"): DOIT, ("submitted", "appraise_council"): DOIT,
        ("council_appraised", "reject"): (M,), ("council_appraised", "approve"): (M,),
        **_tail(settle=(M,), steer=(M,), contract=(F,)),
    },
}

ROLES = ["centre_staff", "finance_officer", "doit_officer", "doit_manager", "ministry_officer", "viewer",
         "collaborator", "system_admin"]


def _people():
    people = {role: make_user(role=role, province_code=None if role in (MIN, "system_admin") else 12,
                              communes=[commune_of(12, 0)] if role == "collaborator" else None)
              for role in ROLES}
    people["foreign_centre"] = make_user(role=C, province_code=80)
    people["foreign_doit"] = make_user(role=OFF, province_code=80)
    return people


def _complete_project(fund, users):
    """A project whose every guard passes: eligible beneficiary, contents within quotes, every document received,
    approved money, nothing owed."""
    plan = make_plan(year=2027, fund=fund, province_code=12 if fund == "local" else None)
    project = draft(users, plan, make_establishment(12), title=f"Đề án đủ điều kiện {fund}")
    codes = project.contents.values_list("content__code", flat=True)
    for spec in checklists.required_documents(fund=fund, kind=project.kind, content_codes=codes):
        services.project_document_mark(actor=users["centre"], project=project, code=spec.code)
    LedgerEntry.objects.create(project=project, kind="APPROVED", amount_vnd=300_000_000,
                               on_date=datetime.date(2026, 1, 5))
    AcceptanceRecord.objects.create(project=project, minutes_date=datetime.date(2026, 11, 2), conclusion="passed",
                                    members=["A", "B"])
    for level in ("base", "ministry", "provincial"):  # a concluded, passing council of every level
        AppraisalCouncil.objects.create(project=project, level=level, decision_number=f"1/QĐ-{level}",
                                        decision_date=datetime.date(2026, 6, 1), sheet=scoring.sheet_for(level),
                                        conclusion="approve", average=80, concluded_on=datetime.date(2026, 6, 2))
    project.status_before_suspension = ProjectStatus.IN_PROGRESS
    return project


@pytest.mark.parametrize("fund", ["national", "local"])
def test_every_action_from_every_state_for_every_role(fund, users):
    people = _people()
    project = _complete_project(fund, users)
    ctx = flows.ProjectContext(project, datetime.date(2026, 11, 20))
    expected = EXPECTED[fund]
    table = {(source, row.action): row.roles for row in project_flow.transitions if row.variant == fund
             for source in row.sources}
    assert set(table) == set(expected)
    assert {k: set(v) for k, v in table.items()} == {k: set(v) for k, v in expected.items()}
    checked = 0
    for state in ProjectStatus.values:
        project.status = state
        for action in flows.ACTION_LABELS:
            roles = expected.get((state, action))
            for name, user in people.items():
                decision = project_flow.decide(project, user, action, ctx=ctx)
                allowed = roles is not None and name in roles
                assert decision.allowed == allowed, (fund, state, action, name, decision.reason)
                if roles is None:
                    assert decision.failure == "state"
                elif not allowed:
                    assert decision.failure == "permission" and decision.reason
                checked += 1
    assert checked == len(ProjectStatus.values) * len(flows.ACTION_LABELS) * len(people)


def test_a_role_held_in_another_province_does_not_count(users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    receive(project, users["centre"], "submit")
    decision = project_flow.decide(project, users["other_centre"], "submit")
    assert decision.failure == "permission"
    assert "Tây Ninh" not in decision.reason  # the reason says "not for this province" without naming others
    with pytest.raises(PermissionDenied):
        services.project_transition(project=project, action="submit", actor=users["other_centre"])


def test_available_actions_give_the_reason_of_each_refusal(users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    [submit] = project_flow.options(project, users["centre"])
    assert submit.action == "submit" and not submit.allowed
    assert project_flow.decide(project, users["centre"], "submit").failure == "guard"
    assert "Mẫu 01" in submit.reason  # the budget estimate is among the missing documents
    receive(project, users["centre"], "submit")
    [submit] = project_flow.options(project, users["centre"])
    assert submit.allowed
    [submit] = project_flow.options(project, users["doit"])
    assert not submit.allowed and project_flow.decide(project, users["doit"], "submit").failure == "permission"


def test_guards_refuse_with_the_reason(users, national_plan, establishment):
    project = draft(users, national_plan, establishment=None, content=None)
    with pytest.raises(InvalidInput) as exc:
        services.project_transition(project=project, action="submit", actor=users["centre"])
    assert exc.value.code == "guard"
    # A flagship needs two contents.
    flagship = draft(users, national_plan, establishment, kind="flagship", title="Đề án điểm")
    receive(flagship, users["centre"], "submit")
    decision = project_flow.decide(flagship, users["centre"], "submit")
    assert not decision.allowed and decision.failure == "guard"


def test_an_ineligible_beneficiary_blocks_submission(users, national_plan):
    # A ward of a centrally-run city (Cần Thơ) is outside the CNNT area since 15/10/2025.
    in_ward = make_establishment(12, name="Cơ sở tạm")
    in_ward.commune = ward(92)
    in_ward.province_id = in_ward.commune.province_id
    in_ward.save()
    centre_92 = make_user(role=C, province_code=92)
    project = services.project_create(actor=centre_92, plan=national_plan, province=province(92), data={
        "title": "Đề án ở phường", "implementing_org": organisation_for("kc_centre", 92)})
    link = services.project_beneficiary_add(actor=centre_92, project=project, establishment=in_ward)
    assert link.eligible is False and link.reasons
    receive(project, centre_92, "submit")
    services.project_content_add(actor=centre_92, project=project, content="machinery", eligible_cost=100_000_000,
                                 requested_support=50_000_000, counterpart=50_000_000)
    decision = project_flow.decide(project, centre_92, "submit")
    assert decision.failure == "guard" and in_ward.name in decision.reason


def test_inputs_are_required_where_the_table_says(users, national_plan, establishment):
    project = walk(draft(users, national_plan, establishment), users, until="submit")
    with pytest.raises(InvalidInput) as exc:
        services.project_transition(project=project, action="return", actor=users["doit"])
    assert exc.value.field == "note"
    project = services.project_transition(project=project, action="return", actor=users["doit"],
                                          note="Bổ sung báo giá.")
    assert project.status == "returned"
    [event] = [e for e in audit_events_for(project) if e.action == "project.return"]
    assert event.changes["note"] == [None, "Bổ sung báo giá."]


def test_wrong_state_is_a_conflict_and_a_stale_version_too(users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    with pytest.raises(Conflict):
        services.project_transition(project=project, action="approve", actor=users["ministry"], reference="x")
    receive(project, users["centre"], "submit")
    with pytest.raises(Conflict):
        services.project_transition(project=project, action="submit", actor=users["centre"], version=0)


def test_suspend_and_resume_return_to_the_previous_state(users, national_plan, establishment):
    project = walk(draft(users, national_plan, establishment), users, until="start")
    project = services.project_transition(project=project, action="suspend", actor=users["ministry"],
                                          note="Chờ điều chỉnh địa điểm.")
    assert project.status == "suspended" and project.status_before_suspension == "in_progress"
    project = services.project_transition(project=project, action="resume", actor=users["ministry"])
    assert project.status == "in_progress" and project.status_before_suspension == ""


def test_stop_names_the_authority_from_the_rules(users, national_plan, establishment):
    project = walk(draft(users, national_plan, establishment), users, until="contract")
    project = services.project_transition(project=project, action="stop", actor=users["ministry"],
                                          note="Cơ sở ngừng sản xuất.", reference="1820/QĐ-BCT")
    assert project.status == "stopped"
    [event] = [e for e in audit_events_for(project) if e.action == "project.stop"]
    assert "Bộ trưởng" in event.changes["authority"][1]
    assert "TT 36/2013" in event.changes["authority_basis"][1]


def test_each_step_sets_the_next_deadline(users, establishment):
    plan = make_plan(year=2027, fund="national")
    project = draft(users, plan, establishment)
    assert project.due_date == datetime.date(2026, 5, 20)  # register with the DoIT before 20/5 of the year before
    project = walk(project, users, until="submit")
    assert project.due_date == datetime.date(2026, 6, 15)
    project = walk(project, users, until="register")
    assert project.due_date is None
    project = walk(project, users, until="start")
    assert project.due_date == datetime.date(2027, 10, 31)  # the planned end
    project = walk(project, users, until="accept")
    today = project.accepted_on
    assert project.due_date == today + datetime.timedelta(days=15)  # settlement dossier ≤ 15 days after acceptance
    project = walk(project, users, until="submit_settlement")
    assert project.due_date == datetime.date(2028, 1, 22)
