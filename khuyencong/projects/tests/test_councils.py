"""Appraisal councils: the sheet is data, the totals and the average follow it, the flow's appraisal steps need a
council that passed, a rejection keeps the scores; pages, API, audit, concurrent edits."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.utils.html import escape
from django.utils.translation import gettext as tr

from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.projects import scoring, services
from khuyencong.projects.models import AppraisalCouncil, Project, ScoreSheet

from .journey import COUNCIL_MEMBERS, FAILING_SCORES, PASSING_SCORES, draft, receive, seat_council, walk

pytestmark = pytest.mark.django_db


def test_sheet_comes_from_the_data_file():
    data = json.loads(scoring.DATA_FILE.read_text(encoding="utf-8"))
    sheet = scoring.sheet_for("base")
    assert sheet == data["sheets"][data["use"]["base"]]
    assert sum(c["max_points"] for c in sheet["criteria"]) == sheet["scale"] == 100
    assert "Điều 9 Thông tư 36/2013" in sheet["basis"] and sheet["not_applicable"]


def test_totals_weights_and_not_applicable():
    sheet = scoring.sheet_for("base")
    assert scoring.total_of(sheet, scoring.clean_scores(sheet, PASSING_SCORES)) == Decimal("85.00")
    # "integration" (10 points) not applicable: 53.5 of 90 possible, on a scale of 100
    assert scoring.total_of(sheet, scoring.clean_scores(sheet, FAILING_SCORES)) == Decimal("58.89")
    weighted = {**sheet, "criteria": [{**c, "weight": 2 if c["code"] == "capacity" else 1} for c in sheet["criteria"]]}
    # 13 + 30 + 2×20 + 8 + 14 = 105 of 125
    assert scoring.total_of(weighted, scoring.clean_scores(weighted, PASSING_SCORES)) == Decimal("84.00")
    for bad in ({**PASSING_SCORES, "capacity": 26}, {**PASSING_SCORES, "capacity": "mười"},
                {**PASSING_SCORES, "capacity": "12.3"}, {**PASSING_SCORES, "dossier": None},
                {**PASSING_SCORES, "extra": 1}):
        with pytest.raises(InvalidInput):
            scoring.clean_scores(sheet, bad)
    assert scoring.clean_scores(sheet, {**PASSING_SCORES, "capacity": "12,5"})["capacity"] == "12.5"


@pytest.fixture
def submitted(users, national_plan, establishment):
    return walk(draft(users, national_plan, establishment), users, until="submit")


def test_council_set_up_rules(users, submitted):
    with pytest.raises(PermissionDenied):
        services.council_create(actor=users["centre"], project=submitted, decision_number="1", members=COUNCIL_MEMBERS,
                                decision_date=datetime.date.today())
    with pytest.raises(PermissionDenied):  # the ministry keeps the ministry-level council, not the base one
        services.council_create(actor=users["ministry"], project=submitted, decision_number="1",
                                members=COUNCIL_MEMBERS, decision_date=datetime.date.today())
    two_chairs = [{**m, "role": "chair"} for m in COUNCIL_MEMBERS]
    with pytest.raises(InvalidInput, match=re.escape(tr("The council has exactly one chair."))):
        services.council_create(actor=users["doit"], project=submitted, decision_number="1", members=two_chairs,
                                decision_date=datetime.date.today())
    with pytest.raises(InvalidInput) as exc:
        services.council_create(actor=users["doit"], project=submitted, decision_number="1",
                                members=COUNCIL_MEMBERS[:2], decision_date=datetime.date.today())
    assert exc.value.field == "members"
    council = services.council_create(actor=users["doit"], project=submitted, decision_number="12/QĐ-SCT",
                                      members=COUNCIL_MEMBERS, decision_date=datetime.date.today())
    assert council.level == "base" and council.members.count() == 3 and council.sheet == scoring.sheet_for("base")
    with pytest.raises(Conflict):  # one council in session per level
        services.council_create(actor=users["doit"], project=submitted, decision_number="13", members=COUNCIL_MEMBERS,
                                decision_date=datetime.date.today())
    assert "project.council_create" in [e.action for e in audit_events_for(submitted)]


def test_appraisal_needs_a_council_that_passed(users, submitted):
    receive(submitted, users["centre"], "appraise_base")
    with pytest.raises(InvalidInput, match=re.escape(tr("Set up the appraisal council and enter its members' "
                                                         "scoring sheets first."))):
        services.project_transition(project=submitted, action="appraise_base", actor=users["doit"])
    council = seat_council(submitted, users["doit"], scores=FAILING_SCORES, conclude=None)
    members = list(council.members.all())
    council.refresh_from_db()
    # the average (58.89) is below 70: approving is refused, the council can only reject
    with pytest.raises(InvalidInput, match="70"):
        services.council_conclude(actor=users["doit"], project=submitted, council_id=council.pk,
                                  conclusion="approve", minutes="Đạt", version=council.version)
    services.council_conclude(actor=users["doit"], project=submitted, council_id=council.pk, conclusion="reject",
                              minutes="Không đạt", version=council.version)
    with pytest.raises(Conflict):  # concluded: sheets are closed
        services.score_sheet_save(actor=users["doit"], project=submitted, council_id=council.pk,
                                  member_id=members[0].pk, scores=PASSING_SCORES, version=1)
    with pytest.raises(InvalidInput, match=r"58\.89"):
        services.project_transition(project=submitted, action="appraise_base", actor=users["doit"])
    project = services.project_transition(project=submitted, action="reject", actor=users["doit"],
                                          note="Hội đồng chấm dưới ngưỡng đạt")
    assert project.status == "rejected"
    event = next(e for e in audit_events_for(project) if e.action == "project.reject")
    changes = json.dumps(event.changes, ensure_ascii=False)
    assert "58.89" in changes and "12/QĐ-HĐTĐ" in changes


def test_incomplete_council_cannot_conclude_and_passing_one_opens_the_step(users, submitted):
    council = services.council_create(actor=users["doit"], project=submitted, decision_number="12/QĐ-SCT",
                                      members=COUNCIL_MEMBERS, decision_date=datetime.date.today())
    first, *others = council.members.all()
    services.score_sheet_save(actor=users["doit"], project=submitted, council_id=council.pk, member_id=first.pk,
                              scores=PASSING_SCORES)
    with pytest.raises(InvalidInput, match="2"):
        services.council_conclude(actor=users["doit"], project=submitted, council_id=council.pk,
                                  conclusion="approve", minutes="Đạt", version=council.version)
    for member in others:
        services.score_sheet_save(actor=users["doit"], project=submitted, council_id=council.pk, member_id=member.pk,
                                  scores={**PASSING_SCORES, "effectiveness": 20})
    # a correction of the first sheet needs the version it was read at
    with pytest.raises(Conflict):
        services.score_sheet_save(actor=users["doit"], project=submitted, council_id=council.pk,
                                  member_id=first.pk, scores=PASSING_SCORES, version=7)
    services.score_sheet_save(actor=users["doit"], project=submitted, council_id=council.pk, member_id=first.pk,
                              scores={**PASSING_SCORES, "dossier": 15}, version=1)
    assert ScoreSheet.objects.get(member=first).total == Decimal("86.00")
    concluded = services.council_conclude(actor=users["doit"], project=submitted, council_id=council.pk,
                                          conclusion="approve_changes", minutes="Đạt, chỉnh sửa dự toán",
                                          version=council.version)
    assert concluded.average == Decimal("78.67")  # (86 + 75 + 75) / 3
    receive(submitted, users["centre"], "appraise_base")
    project = services.project_transition(project=submitted, action="appraise_base", actor=users["doit"])
    assert project.status == "base_appraised"
    actions = [e.action for e in audit_events_for(project)]
    assert actions.count("project.council_score") == 4 and "project.council_conclude" in actions


def test_pages_set_up_score_and_conclude(client, users, submitted, django_assert_max_num_queries):
    client.force_login(users["doit"])
    url = f"/projects/{submitted.pk}/appraisal/"
    assert url in client.get(f"/projects/{submitted.pk}/").content.decode()
    body = client.get(url).content.decode()
    assert 'data-testid="council-form"' in body and 'data-testid="no-council"' in body
    data = {"decision_number": "25/QĐ-SCT", "decision_date": datetime.date.today().isoformat(),
            "chair_name": "Nguyễn Văn An", "secretary_name": "Trần Thị Bình",
            "members": "Lê Văn Cường — Phòng Kế hoạch\nPhạm Thị Dung - Sở Tài chính"}
    refused = client.post(url, {**data, "members": ""})
    assert refused.status_code == 422 and "25/QĐ-SCT" in refused.content.decode()
    response = client.post(url, data)
    assert response.status_code == 302
    council = AppraisalCouncil.objects.get(project=submitted)
    assert [m.position for m in council.members.all()][2:] == ["Phòng Kế hoạch", "Sở Tài chính"]
    member = council.members.get(name="Lê Văn Cường")
    sheet_url = f"/projects/{submitted.pk}/appraisal/{council.pk}/members/{member.pk}/"
    page = client.get(sheet_url).content.decode()
    assert 'data-testid="live-total"' in page and "Điều 9 Thông tư 36/2013" in page
    bad = client.post(sheet_url, {"c_principles": "16", "c_effectiveness": "30", "c_capacity": "20",
                                  "c_integration": "", "na_integration": "on", "c_dossier": "14", "version": "0"})
    assert bad.status_code == 422 and escape("16") in bad.content.decode()
    ok = client.post(sheet_url, {"c_principles": "13", "c_effectiveness": "30,5", "c_capacity": "20",
                                 "na_integration": "on", "c_dossier": "14", "version": "0"})
    assert ok.status_code == 302
    assert ScoreSheet.objects.get(member=member).scores["integration"] is None
    for other in council.members.exclude(pk=member.pk):
        services.score_sheet_save(actor=users["doit"], project=submitted, council_id=council.pk,
                                  member_id=other.pk, scores=PASSING_SCORES)
    with django_assert_max_num_queries(20):
        body = client.get(url).content.decode()
    assert "85,00" in body and "86,11" in body  # 77.5 of 90 → 86,11 (a Vietnamese decimal comma)
    conclude = client.post(f"/projects/{submitted.pk}/appraisal/{council.pk}/conclude/", {
        f"k{council.pk}-conclusion": "approve", f"k{council.pk}-minutes": "Hội đồng nhất trí.",
        f"k{council.pk}-on_date": datetime.date.today().isoformat(), f"k{council.pk}-version": council.version})
    assert conclude.status_code == 302
    council.refresh_from_db()
    assert council.conclusion == "approve" and council.average == Decimal("85.28")
    client.force_login(users["centre"])  # the centre reads the scores but keeps no council
    body = client.get(url).content.decode()
    assert "85,28" in body and 'data-testid="council-form"' not in body
    assert client.post(sheet_url, {"c_principles": "1"}).status_code == 302
    assert ScoreSheet.objects.get(member=member).scores["principles"] == "13"


def test_council_page_queries_stay_flat(client, users, submitted, django_assert_max_num_queries):
    seat_council(submitted, users["doit"], conclude=None)
    client.force_login(users["doit"])
    with django_assert_max_num_queries(16):
        client.get(f"/projects/{submitted.pk}/appraisal/")
    many = [*COUNCIL_MEMBERS, *({"name": f"Thành viên {i}", "role": "member"} for i in range(8))]
    council = AppraisalCouncil.objects.get(project=submitted)
    services.council_conclude(actor=users["doit"], project=submitted, council_id=council.pk, conclusion="reject",
                              minutes="Làm lại", version=council.version)
    services.council_create(actor=users["doit"], project=submitted, decision_number="2", members=many,
                            decision_date=datetime.date.today())
    with django_assert_max_num_queries(16):
        client.get(f"/projects/{submitted.pk}/appraisal/")


def test_api(client, users, submitted):
    client.force_login(users["doit"])
    base = f"/api/v1/projects/{submitted.pk}/councils"
    created = client.post(base, {"decision_number": "30/QĐ-SCT", "decision_date": datetime.date.today().isoformat(),
                                 "members": COUNCIL_MEMBERS}, content_type="application/json")
    assert created.status_code == 201, created.content
    council = created.json()
    assert council["level"] == "base" and council["pass_average"] == "70" and not council["complete"]
    for member in council["members"]:
        response = client.post(f"{base}/{council['id']}/sheets", {"member_id": member["id"], "scores": {
            **PASSING_SCORES, "integration": None}}, content_type="application/json")
        assert response.status_code == 200
    assert response.json()["average"] == "85.56" and response.json()["passed"]
    bad = client.post(f"{base}/{council['id']}/sheets", {"member_id": member["id"], "scores": {"principles": 99},
                                                          "version": 1}, content_type="application/json")
    assert bad.status_code == 422
    concluded = client.post(f"{base}/{council['id']}/conclusion", {
        "conclusion": "approve", "minutes": "Đạt", "version": council["version"]}, content_type="application/json")
    assert concluded.status_code == 200 and concluded.json()["conclusion"] == "approve"
    assert client.get(base).json()[0]["members"][0]["total"] == "85.56"
    client.force_login(users["other_centre"])
    assert client.get(base).status_code == 404


def test_local_project_uses_the_doit_council_and_ministry_its_own(users, local_plan, national_plan, establishment):
    local = walk(draft(users, local_plan, establishment, title="Đề án địa phương"), users, until="appraise_council")
    assert local.status == "council_appraised" and local.councils.get().level == "provincial"
    national = walk(draft(users, national_plan, establishment), users, until="appraise_ministry")
    assert sorted(national.councils.values_list("level", flat=True)) == ["base", "ministry"]
    assert Project.objects.get(pk=national.pk).status == "ministry_appraised"
