import datetime
import io
import json

import pytest
from django.utils import timezone

from khuyencong.core.errors import InvalidInput
from khuyencong.projects.models import Project

from .. import services
from ..models import Finding, Obstacle, PolicyProposal
from .helpers import draft, planted_record
from .scope_cases import make_finding

pytestmark = pytest.mark.django_db


def _findings(n: int, code: int = 12) -> list[Finding]:
    return [make_finding(code) for _ in range(n)]


def test_list_detail_and_export_queries_stay_flat(client, users, rules, django_assert_max_num_queries):
    _findings(2)
    client.force_login(users["doit"])
    with django_assert_max_num_queries(20) as few:
        assert client.get("/settlement/").status_code == 200
    _findings(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/settlement/")
    assert response.status_code == 200 and "Phát hiện hỗ trợ trùng" in response.content.decode()
    with django_assert_max_num_queries(len(few.captured_queries) + 5):
        assert client.get("/api/v1/settlement/findings").status_code == 200
    assert client.get("/settlement/findings.xlsx")["Content-Type"].startswith("application/vnd.openxmlformats")
    finding = Finding.objects.first()
    assert client.get(f"/settlement/findings/{finding.pk}/").status_code == 200
    assert client.get(f"/settlement/projects/{finding.project_id}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/settlement/at-risk/").status_code == 200


def test_api_figures_agree_with_the_list(client, users, rules):
    _findings(3)
    client.force_login(users["manager"])
    figures = client.get("/api/v1/settlement/findings/figures").json()
    listed = client.get("/api/v1/settlement/findings").json()
    assert figures["total"] == listed["count"] == 3 and figures["open"] == 3


def test_api_stale_version_is_409_and_bad_input_422(client, users, rules):
    finding = _findings(1)[0]
    client.force_login(users["doit"])
    url = f"/api/v1/settlement/findings/{finding.pk}/actions/clear"
    stale = client.post(url, data=json.dumps({"note": "x", "version": finding.version + 1}),
                        content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"]
    empty = client.post(url, data=json.dumps({"note": ""}), content_type="application/json")
    assert empty.status_code == 422 and empty.json()["detail"]
    ok = client.post(url, data=json.dumps({"note": "Không trùng", "version": finding.version}),
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "cleared"
    centre = client.post(f"/api/v1/settlement/findings/{finding.pk}/actions/reopen", data="{}",
                         content_type="application/json")
    assert centre.status_code == 200
    client.force_login(users["viewer"])
    refused = client.post(url, data=json.dumps({"note": "x"}), content_type="application/json")
    assert refused.status_code == 403


def test_obstacles_and_force_majeure_partial_settlement(client, users, rules):
    finding = _findings(1)[0]
    project = finding.project
    client.force_login(users["centre"])
    response = client.post(f"/settlement/projects/{project.pk}/obstacles/", {
        "kind": "force_majeure", "description": "Lũ quét", "owner": "Giám đốc", "raised_on": "01/10/2026",
        "due_on": "30/09/2026"})
    assert response.status_code == 200 and "Hạn xử lý không được trước ngày phát sinh" in response.content.decode()
    response = client.post(f"/settlement/projects/{project.pk}/obstacles/", {
        "kind": "force_majeure", "description": "Lũ quét", "owner": "Giám đốc", "raised_on": "01/10/2026"})
    assert response.status_code == 302
    obstacle = Obstacle.objects.get(kind="force_majeure")
    with pytest.raises(InvalidInput):
        services.obstacle_close(actor=users["centre"], obstacle=obstacle, outcome="partial", resolution="x",
                                version=obstacle.version)
    services.obstacle_close(actor=users["centre"], obstacle=obstacle, outcome="partial", resolution="Quyết toán một "
                            "phần", settled_part=40_000_000, version=obstacle.version)
    obstacle.refresh_from_db()
    assert obstacle.settled_part_vnd == 40_000_000 and obstacle.resolved_on
    other = Obstacle.objects.exclude(pk=obstacle.pk).get()
    with pytest.raises(InvalidInput):
        services.obstacle_close(actor=users["centre"], obstacle=other, outcome="partial", resolution="x",
                                settled_part=1, version=other.version)


def test_at_risk_lists_projects_near_their_deadline_in_the_inbox(users, rules):
    from ..inbox import inbox_groups

    finding = _findings(1)[0]
    far = finding.project
    Project.objects.filter(pk=far.pk).update(due_date=timezone.localdate() + datetime.timedelta(days=200))
    near = make_finding(12).project
    groups = {g.kind: g for g in inbox_groups(users["finance"], timezone.localdate())}
    codes = [item.code for item in groups["settlement_at_risk"].items]
    assert near.code in codes and far.code not in codes
    assert "settlement_finding" in {g.kind for g in inbox_groups(users["doit"], timezone.localdate())}


def test_policy_proposal_register(client, users, rules):
    obstacle = _findings(1)[0].obstacle
    client.force_login(users["centre"])
    response = client.post("/settlement/proposals/new/", {
        "title": "Đề xuất", "problem": "Vấn đề", "instrument": "committee_decision", "proposed_text": "Nội dung",
        "obstacles": [str(obstacle.pk)]})
    assert response.status_code == 302
    proposal = PolicyProposal.objects.get()
    assert proposal.province.code == 12 and list(proposal.obstacles.all()) == [obstacle]
    services.proposal_transition(actor=users["centre"], proposal=proposal, action="submit")
    with pytest.raises(InvalidInput):
        services.proposal_transition(actor=users["manager"], proposal=proposal, action="adopt",
                                     inputs={"reference": "12/QĐ-UBND", "rule_key": "no-such-rule"})
    services.proposal_transition(actor=users["manager"], proposal=proposal, action="adopt",
                                 inputs={"reference": "12/QĐ-UBND", "rule_key": "settlement:lookback-years:config"})
    proposal.refresh_from_db()
    assert proposal.status == "adopted" and proposal.rule_key == "settlement:lookback-years:config"
    client.force_login(users["other_centre"])  # another province reads it
    assert client.get(f"/settlement/proposals/{proposal.pk}/").status_code == 200
    assert client.get("/api/v1/settlement/proposals").json()["count"] == 1


def test_nightly_command_records_findings(users, national_plan, establishment):
    from django.core.management import call_command

    project = draft(users, national_plan, establishment)
    Project.objects.filter(pk=project.pk).update(status="submitted")
    planted_record(establishment, year=2026, description="Khác")
    call_command("settlement_checks", stdout=io.StringIO())
    assert Finding.objects.filter(project=project).count() == 1
