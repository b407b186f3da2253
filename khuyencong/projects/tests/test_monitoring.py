"""Monthly progress reports, supervision visits and acceptance minutes: services, the flow's use of them, pages, API
and the query counts of the pages the national benchmark measures."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as tr

from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.projects import selectors, services
from khuyencong.projects.flows import project_flow
from khuyencong.projects.models import AcceptanceRecord, Project, ProjectStatus, SupervisionVisit

from .factories import JPEG, PDF, make_establishment, make_project
from .journey import draft, receive, record_acceptance, walk

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = datetime.date.today()


def _running(users, plan, establishment, *, started=None) -> Project:
    """A national project contracted today and started on `started` (reports owed from that month)."""
    started = started or D(2026, 8, 10)
    project = walk(draft(users, plan, establishment), users, until="contract")
    receive(project, users["centre"], "start")
    return services.project_transition(project=project, action="start", actor=users["centre"], on_date=started)


def _lines(project, **values):
    return {row.pk: {"work_done": "Lắp đặt máy", "percent_done": 40, "money_used": 50_000_000, **values}
            for row in project.contents.all()}


# --- progress reports -----------------------------------------------------------------------------------------------


def test_start_opens_monthly_reports_from_the_rule(users, national_plan, establishment):
    project = _running(users, national_plan, establishment, started=D(2026, 8, 10))
    assert project.reports_from == D(2026, 8, 1) and project.report_due_date == D(2026, 8, 25)
    late = _running(users, national_plan, make_establishment(12), started=D(2026, 8, 27))
    assert late.reports_from == D(2026, 9, 1)  # the August deadline had passed when it started


def test_reports_move_the_deadline_and_late_ones_are_flagged(users, national_plan, establishment):
    project = _running(users, national_plan, establishment)
    assert selectors.is_report_late(project) and selectors.is_late(project)
    on_time = services.progress_report_submit(actor=users["centre"], project=project, period=D(2026, 8, 1),
                                              lines=_lines(project), submitted_on=D(2026, 8, 24))
    assert not on_time.late and on_time.due_on == D(2026, 8, 25) and on_time.money_used_vnd == 50_000_000
    project.refresh_from_db()
    assert project.report_due_date == D(2026, 9, 25)
    late = services.progress_report_submit(actor=users["centre"], project=project, period=D(2026, 9, 1),
                                           lines=_lines(project, percent_done=60), submitted_on=D(2026, 9, 28),
                                           problems="Mưa lũ")
    assert late.late and "TT 36/2013" in late.due_basis
    project.refresh_from_db()
    assert project.report_due_date == D(2026, 10, 25)
    for period in (D(2026, 11, 1), D(2026, 10, 1)):  # out of order: the earliest missing month is what is owed
        services.progress_report_submit(actor=users["centre"], project=project, period=period,
                                        lines=_lines(project, money_used=0), submitted_on=TODAY)
    project.refresh_from_db()
    assert project.report_due_date == D(2026, 12, 25) and not selectors.is_report_late(project)
    events = [e.action for e in audit_events_for(project)]
    assert events.count("project.progress_report") == 4


def test_report_refusals(users, national_plan, establishment):
    project = _running(users, national_plan, establishment)
    row = project.contents.get()
    with pytest.raises(PermissionDenied):
        services.progress_report_submit(actor=users["doit"], project=project, period=D(2026, 8, 1),
                                        lines=_lines(project))
    with pytest.raises(InvalidInput) as exc:
        services.progress_report_submit(actor=users["centre"], project=project, period=D(2026, 7, 1),
                                        lines=_lines(project))
    assert exc.value.message == tr("Reports are owed from %(month)s, when implementation started.") % {
        "month": "08/2026"}
    with pytest.raises(InvalidInput) as exc:
        services.progress_report_submit(actor=users["centre"], project=project, period=D(2027, 1, 1),
                                        lines=_lines(project))
    assert exc.value.field == "period"
    with pytest.raises(InvalidInput) as exc:
        services.progress_report_submit(actor=users["centre"], project=project, period=D(2026, 8, 1), lines={})
    assert exc.value.field == "problems"
    with pytest.raises(InvalidInput) as exc:
        services.progress_report_submit(actor=users["centre"], project=project, period=D(2026, 8, 1),
                                        lines=_lines(project, percent_done=120))
    assert exc.value.field == f"percent_{row.pk}"
    services.progress_report_submit(actor=users["centre"], project=project, period=D(2026, 8, 1),
                                    lines=_lines(project, money_used=500_000_000))
    with pytest.raises(InvalidInput) as exc:  # 500 + 200 million over all reports > 600 million eligible cost
        services.progress_report_submit(actor=users["centre"], project=project, period=D(2026, 9, 1),
                                        lines=_lines(project, money_used=200_000_000))
    assert "600.000.000" in exc.value.message and "700.000.000" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        services.progress_report_submit(actor=users["centre"], project=project, period=D(2026, 8, 1),
                                        lines=_lines(project, money_used=0))
    assert "08/2026" in exc.value.message
    with pytest.raises(InvalidInput):
        services.progress_report_submit(actor=users["centre"], project=project, period=D(2026, 9, 1),
                                        lines=_lines(project), file=SimpleUploadedFile("x.pdf", b"not a pdf"))
    assert project.progress_reports.count() == 1


def test_a_late_report_shows_on_the_list_the_api_and_the_late_filter(client, users, national_plan, establishment):
    project = _running(users, national_plan, establishment)
    accepted_first = make_project(12, title="Đề án đúng hạn", status="in_progress",
                                  report_due_date=TODAY + datetime.timedelta(days=3))
    client.force_login(users["viewer"])
    body = client.get("/projects/?late=1&status=in_progress").content.decode()
    assert project.code in body and accepted_first.code not in body
    assert 'data-testid="report-late-badge"' in body
    items = client.get("/api/v1/projects?status=in_progress").json()["items"]
    flags = {i["code"]: (i["late"], i["report_late"], i["report_due_date"]) for i in items}
    assert flags[project.code] == (True, True, "2026-08-25")
    assert flags[accepted_first.code][1] is False
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'data-testid="report-late-badge"' in page and "25/08/2026" in page


def test_reports_due_soon_or_late_are_on_the_centres_to_do_list(client, users, national_plan, establishment):
    project = _running(users, national_plan, establishment)
    far = make_project(12, title="Đề án báo cáo còn xa", status="in_progress",
                       report_due_date=TODAY + datetime.timedelta(days=20))
    make_project(80, title="Đề án Tây Ninh chậm báo cáo", status="in_progress", report_due_date=D(2026, 8, 25))
    codes = set(selectors.projects_awaiting(user=users["centre"]).values_list("code", flat=True))
    assert project.code in codes and far.code not in codes and len(codes) == 1
    assert project.code not in set(selectors.projects_awaiting(user=users["other_centre"]).values_list(
        "code", flat=True))
    client.force_login(users["centre"])
    body = client.get("/projects/todo/").content.decode()
    assert project.code in body and 'data-testid="report-late-badge"' in body


# --- supervision visits ---------------------------------------------------------------------------------------------


def test_visits_with_photos_and_follow_up(users, national_plan, establishment):
    project = _running(users, national_plan, establishment)
    photo = SimpleUploadedFile("hien-truong.jpg", JPEG, content_type="image/jpeg")
    with pytest.raises(PermissionDenied):
        services.visit_record(actor=users["centre"], project=project, visit_date=D(2026, 9, 15), team="x",
                              findings="y")
    with pytest.raises(InvalidInput) as exc:
        services.visit_record(actor=users["doit"], project=project, visit_date=D(2026, 9, 15), team="Đoàn SCT",
                              findings="")
    assert exc.value.field == "findings"
    with pytest.raises(InvalidInput) as exc:
        services.visit_record(actor=users["doit"], project=project, visit_date=D(2026, 9, 15), team="Đoàn SCT",
                              findings="Ổn", files=[(SimpleUploadedFile("a.exe", b"MZ"), "")])
    assert "a.exe" in exc.value.message and not SupervisionVisit.objects.exists()
    visit = services.visit_record(actor=users["doit"], project=project, visit_date=D(2026, 9, 15),
                                  team="Phòng QLCN, Sở Công Thương", findings="Máy đã lắp đặt",
                                  recommendations="Bổ sung sổ vận hành", files=[(photo, "Máy sao chè")])
    assert visit.follow_up == "open" and visit.attachments.get().caption == "Máy sao chè"
    with pytest.raises(InvalidInput):
        services.visit_follow_up(actor=users["centre"], project=project, visit_id=visit.pk, follow_up="done",
                                 note="", version=visit.version)
    services.visit_follow_up(actor=users["centre"], project=project, visit_id=visit.pk, follow_up="done",
                             note="Đã bổ sung sổ", version=visit.version,
                             files=[(SimpleUploadedFile("so.pdf", PDF), "")])
    with pytest.raises(Conflict):
        services.visit_follow_up(actor=users["doit"], project=project, visit_id=visit.pk, follow_up="open",
                                 note="", version=visit.version)  # the version read before the centre's change
    visit.refresh_from_db()
    assert visit.follow_up == "done" and visit.attachments.count() == 2 and visit.version == 2
    assert {"project.visit_record", "project.visit_follow_up"} <= {e.action for e in audit_events_for(project)}


# --- acceptance -----------------------------------------------------------------------------------------------------


def _results(project, met=True):
    return [{"content_id": row.pk, "indicator": "Số máy", "planned": "2", "achieved": "2", "met": met}
            for row in project.contents.all()]


MEMBERS = ["Nguyễn Văn A — Sở Công Thương", "Trần Thị B — Trung tâm Khuyến công"]


def test_accept_needs_minutes_that_accept_the_work(users, national_plan, establishment):
    project = _running(users, national_plan, establishment)
    receive(project, users["centre"], "accept")
    decision = project_flow.decide(project, users["doit"], "accept")
    assert not decision and decision.reason == tr(
        "Record the acceptance minutes (with a conclusion that accepts the work) first.")
    with pytest.raises(InvalidInput):
        services.project_transition(project=project, action="accept", actor=users["doit"])
    failed = services.acceptance_record(actor=users["doit"], project=project, minutes_date=TODAY, members=MEMBERS,
                                        conclusion="failed", conclusion_text="Máy chưa chạy thử",
                                        results=_results(project, met=False))
    assert not failed.passed and not project_flow.decide(project, users["doit"], "accept")
    record = services.acceptance_record(actor=users["doit"], project=project, minutes_date=TODAY,
                                        members=MEMBERS, conclusion="passed", results=_results(project),
                                        reference="05/BB-NT", site="Xã Tam Đường")
    assert record.results.get().indicator == "Số máy"
    project = services.project_transition(project=project, action="accept", actor=users["doit"])
    assert project.status == ProjectStatus.ACCEPTED and project.accepted_on == TODAY
    assert project.due_date == TODAY + datetime.timedelta(days=15)  # settlement dossier: 15 days after acceptance
    assert not selectors.is_report_late(project)  # no report is owed once accepted
    with pytest.raises(PermissionDenied):  # minutes are recorded while the project runs
        record_acceptance(project, users["doit"])


def test_acceptance_refusals(users, national_plan, establishment):
    project = _running(users, national_plan, establishment)
    base = {"actor": users["doit"], "project": project, "minutes_date": TODAY, "members": MEMBERS,
            "conclusion": "passed", "results": _results(project)}
    with pytest.raises(PermissionDenied):
        services.acceptance_record(**{**base, "actor": users["finance"]})
    cases = [
        ({"members": ["Một người"]}, "members"),
        ({"conclusion": "maybe"}, "conclusion"),
        ({"conclusion": "conditions"}, "conclusion_text"),
        ({"results": _results(project, met=False)}, "conclusion"),  # "accepted" with an unmet result
        ({"results": [{"content_id": None, "indicator": "Số lao động", "achieved": "12"}]}, "results"),
        ({"minutes_date": TODAY - datetime.timedelta(days=400)}, "minutes_date"),  # before the contract
    ]
    for change, field in cases:
        with pytest.raises(InvalidInput) as exc:
            services.acceptance_record(**{**base, **change})
        assert exc.value.field == field, change
    assert not AcceptanceRecord.objects.exists()


# --- pages ----------------------------------------------------------------------------------------------------------


def test_pages_record_report_visit_and_minutes(client, users, national_plan, establishment):
    project = _running(users, national_plan, establishment)
    row = project.contents.get()
    client.force_login(users["centre"])
    assert client.get(f"/projects/{project.pk}/reports/new/").status_code == 200
    response = client.post(f"/projects/{project.pk}/reports/new/", {
        "period": "2026-08", "submitted_on": "2026-09-02", f"done_{row.pk}": "Đã lắp máy",
        f"percent_{row.pk}": "30", f"used_{row.pk}": "120.000.000", "problems": "Chậm giao hàng",
        "file": SimpleUploadedFile("bc.pdf", PDF)})
    assert response.status_code == 302
    report = project.progress_reports.get()
    assert report.late and report.money_used_vnd == 120_000_000 and report.lines.get().percent_done == 30
    again = client.post(f"/projects/{project.pk}/reports/new/", {"period": "2026-08", f"done_{row.pk}": "Gõ lại"})
    assert again.status_code == 422 and "Gõ lại" in again.content.decode()  # refused, input kept
    client.force_login(users["doit"])
    response = client.post(f"/projects/{project.pk}/visits/new/", {
        "visit_date": "2026-09-15", "team": "Đoàn Sở Công Thương", "findings": "Đúng tiến độ",
        "recommendations": "Bổ sung hồ sơ", "files": [SimpleUploadedFile("a.jpg", JPEG),
                                                      SimpleUploadedFile("b.pdf", PDF)]})
    assert response.status_code == 302
    visit = project.visits.get()
    assert visit.attachments.count() == 2
    stale = client.post(f"/projects/{project.pk}/visits/{visit.pk}/follow-up/", {
        f"v{visit.pk}-follow_up": "done", f"v{visit.pk}-note": "Đã xong", f"v{visit.pk}-version": "7"})
    assert stale.status_code == 409 and "Đã xong" in stale.content.decode()
    response = client.post(f"/projects/{project.pk}/acceptance/new/", {
        "minutes_date": TODAY.isoformat(), "members": "\n".join(MEMBERS), "conclusion": "passed",
        f"ind_{row.pk}": "Máy sao chè", f"plan_{row.pk}": "1", f"got_{row.pk}": "1", f"met_{row.pk}": "on",
        "ind_x1": "Lao động được hướng dẫn", "plan_x1": "10", "got_x1": "12", "met_x1": "on"})
    assert response.status_code == 302
    record = project.acceptances.get()
    assert [r.indicator for r in record.results.all()] == ["Máy sao chè", "Lao động được hướng dẫn"]
    page = client.get(f"/projects/{project.pk}/monitoring/").content.decode()
    assert "08/2026" in page and "Đoàn Sở Công Thương" in page and "Lao động được hướng dẫn" in page
    assert client.get(f"/projects/{project.pk}/files/report/{report.pk}/").status_code == 200
    assert client.get(f"/projects/{project.pk}/files/acceptance/{record.pk}/").status_code == 404  # no file
    detail = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'data-testid="monitoring-summary"' in detail


def test_api_monitoring(client, users, national_plan, establishment):
    project = _running(users, national_plan, establishment)
    row = project.contents.get()

    def post(url, data):
        return client.post(url, data=json.dumps(data), content_type="application/json")

    api = f"/api/v1/projects/{project.pk}"
    client.force_login(users["centre"])
    response = post(f"{api}/reports", {"period": "2026-08-01", "submitted_on": "2026-08-20", "lines": [
        {"content_id": row.pk, "work_done": "Lắp máy", "percent_done": 50, "money_used_vnd": 10_000_000}]})
    assert response.status_code == 201 and response.json()["late"] is False
    assert post(f"{api}/reports", {"period": "2026-08-01", "problems": "x"}).status_code == 422
    assert post(f"{api}/visits", {"visit_date": "2026-09-01", "team": "x", "findings": "y"}).status_code == 403
    client.force_login(users["ministry"])
    visit = post(f"{api}/visits", {"visit_date": "2026-09-01", "team": "Cục ĐCK", "findings": "Ổn",
                                   "recommendations": "Báo cáo thêm"}).json()
    assert visit["follow_up"] == "open"
    assert post(f"{api}/visits/{visit['id']}/follow-up", {"follow_up": "done", "note": "Xong",
                                                          "version": 1}).json()["version"] == 2
    response = post(f"{api}/acceptances", {"minutes_date": TODAY.isoformat(), "members": MEMBERS,
                                           "conclusion": "passed", "results": [{"content_id": row.pk}]})
    assert response.status_code == 201 and response.json()["results"][0]["indicator"]
    body = client.get(f"{api}/monitoring").json()
    assert [r["period"] for r in body["reports"]] == ["2026-08-01"] and body["report_due_date"] == "2026-09-25"
    assert body["report_late"] is True and len(body["visits"]) == 1 and len(body["acceptances"]) == 1


# --- query counts ---------------------------------------------------------------------------------------------------


def _grow(users, plan, project, periods):
    """One more report, visit and minutes on the project, and one more project in the plan, per period."""
    for i, period in enumerate(periods):
        services.progress_report_submit(actor=users["centre"], project=project, period=period,
                                        lines=_lines(project, money_used=0), submitted_on=TODAY)
        services.visit_record(actor=users["doit"], project=project, visit_date=TODAY, team="Đoàn", findings="Ổn",
                              files=[(SimpleUploadedFile(f"{i}.jpg", JPEG), "")])
        services.acceptance_record(actor=users["doit"], project=project, minutes_date=TODAY, members=MEMBERS,
                                   conclusion="passed", results=_results(project))
        make_project(12, plan=plan, title=f"Đề án thêm {period}", status="in_progress", due_date=D(2026, 1, 5))


@pytest.mark.parametrize("url", ["/projects/{pk}/", "/projects/", "/api/v1/projects", "/api/v1/projects/{pk}",
                                 "/projects/{pk}/monitoring/", "/api/v1/projects/{pk}/monitoring",
                                 "/projects/?late=1"])
def test_benchmarked_pages_stay_flat(client, users, national_plan, establishment, django_assert_max_num_queries,
                                     url):
    project = _running(users, national_plan, establishment)
    services.ledger_record(actor=users["finance"], project=project, kind="ADVANCE", amount=50_000_000)
    client.force_login(users["finance"])
    url = url.format(pk=project.pk)
    client.get(url)  # caches warmed (content types, rules)
    counts = []
    for periods in ([D(2026, 8, 1)], [D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1)]):
        _grow(users, national_plan, project, periods)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(12):
        client.get(url)
