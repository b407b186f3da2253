"""A history reads in words (core.audit.describe_changes, history_rows): field labels, values as a Vietnamese reader
writes them, actions as verbs; the same words on a record's page and on the audit search."""

import pytest
from django.template import Context, Template
from django.utils import translation

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.audit import action_label, audit_record, describe_changes, history_rows
from khuyencong.projects.models import ProjectStatus
from khuyencong.projects.tests.factories import make_project
from khuyencong.web.tests.test_crawl import leaks

pytestmark = pytest.mark.django_db


def _words(event) -> dict:
    return {label: (old, new) for label, old, new in describe_changes(event)}


def test_a_progress_report_reads_in_words(admin_units):
    project = make_project(12, status=ProjectStatus.IN_PROGRESS)
    event = audit_record(actor=None, action="project.progress_report", obj=project, changes={
        "period": [None, "2026-07"], "submitted_on": [None, "2026-08-20"], "late": [None, True],
        "money_used_vnd": [None, 95000000], "report_due_date": [None, "2026-08-25"],
    })
    with translation.override("vi"):
        words = _words(event)
        label = action_label(event.action)
    values = {new for _old, new in words.values()}
    assert {"95.000.000 ₫", "20/08/2026", "25/08/2026", "Có", "Tháng 7/2026"} <= values
    assert all(old == "∅" for old, _new in words.values())
    assert label == "Ghi báo cáo tiến độ"
    assert leaks("\n".join([label, *words, *values])) == []


def test_a_status_change_reads_by_the_choice_labels_and_the_flow_verb(admin_units):
    project = make_project(12, status=ProjectStatus.IN_PROGRESS)
    event = audit_record(actor=None, action="project.start", obj=project, changes={
        "status": [ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS]})
    with translation.override("vi"):
        assert _words(event) == {"Tình trạng": (str(ProjectStatus.CONTRACTED.label),
                                                 str(ProjectStatus.IN_PROGRESS.label))}
        assert action_label("project.start") == "Bắt đầu thực hiện"
        assert action_label("event.budget_add") == "Thêm dòng dự toán"
        assert action_label("event.budget_spent") == "Ghi số thực chi"
        # A code no module named reads as a verb, never as the code.
        assert action_label("module.something_odd") == "Ghi nhận"


def test_codes_of_related_records_read_by_their_names(admin_units):
    project = make_project(12)
    event = audit_record(actor=None, action="project.content_add", obj=project, changes={
        "content": [None, "machinery"], "eligible_cost_vnd": [None, 640000000], "document": [None, "request_letter"],
        "council_average": [None, "84.47"], "implementing_org": [None, project.implementing_org_id]})
    with translation.override("vi"):
        words = _words(event)
    text = "\n".join(f"{label}: {new}" for label, (_old, new) in words.items())
    assert "640.000.000 ₫" in text and "84,47" in text
    assert project.implementing_org.name in text
    assert "Công văn đề nghị" in text  # the document by its administrative name
    assert leaks(text) == [], text


def test_the_record_page_shows_the_history_in_words(client, admin_units):
    project = make_project(12, status=ProjectStatus.IN_PROGRESS)
    audit_record(actor=None, action="project.progress_report", obj=project, changes={
        "late": [None, False], "money_used_vnd": [None, 95000000], "submitted_on": [None, "2026-08-20"]})
    client.force_login(make_user(Role.MINISTRY_OFFICER, None, username="cuc.test"))
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Ghi báo cáo tiến độ" in page and "95.000.000 ₫" in page and "20/08/2026" in page
    for code in ("project.progress_report", "money_used_vnd", "2026-08-20", "False"):
        assert code not in page


def test_history_rows_serve_the_page_and_the_search_alike(admin_units):
    project = make_project(12)
    event = audit_record(actor=None, action="project.update", obj=project, changes={"title": ["A", "B"]})
    [row] = history_rows([event])
    assert row["changes"] == describe_changes(event) and row["label"] == action_label(event.action)


@pytest.mark.parametrize(("value", "expected"), [
    ((22.34904, 103.363069), "22.349040° B, 103.363069° Đ"),
    ("-8.5,-70.25", "8.500000° N, 70.250000° T"),
    (None, "—"),
])
def test_gps_names_the_hemispheres(value, expected):
    with translation.override("vi"):
        assert Template("{% load kc %}{{ v|gps }}").render(Context({"v": value})) == expected


def test_yes_no_in_words():
    with translation.override("vi"):
        rendered = Template("{% load kc %}{{ a|yesno_vi }} {{ b|yesno_vi }} {{ c|yesno_vi }}").render(
            Context({"a": True, "b": False, "c": None}))
    assert rendered == "Có Không —"
