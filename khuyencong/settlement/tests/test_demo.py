"""The settlement demo: every planted double support is found, and no clean demo project is blocked."""

import datetime
import io

import pytest

from khuyencong.accounts import demo as accounts_demo
from khuyencong.projects import demo as projects_demo
from khuyencong.projects.flows import project_flow
from khuyencong.projects.models import Project
from khuyencong.projects.tests.factories import make_establishment, rural_commune

from .. import checks, demo
from ..models import CheckCode, Finding, Severity

pytestmark = pytest.mark.django_db


def test_planted_double_supports_are_found_and_clean_projects_go_on(rules):
    accounts_demo.seed()
    for code in projects_demo.PROVINCES:  # stand-ins for the registry's demo establishments
        for i in range(8):
            make_establishment(code, name=f"Cơ sở mẫu {code}-{i}", commune=rural_commune(code, i % 3))
    projects_demo.seed(io.StringIO())
    out = io.StringIO()
    demo.seed(out)
    assert "hỗ trợ trùng cài sẵn" in out.getvalue()
    for title, *_rest in demo.PLANTED:
        project = Project.objects.get(title=title)
        assert Finding.objects.filter(project=project, other_side__kind="support").exists(), title
    fair = Project.objects.get(title=demo.INVOICES[1][0])
    [copy] = Finding.objects.filter(project=fair, check_code=CheckCode.SAME_INVOICE)
    assert copy.severity == Severity.BLOCK and copy.other_side["code"] == Project.objects.get(
        title=demo.INVOICES[0][0]).code
    blocked = {Project.objects.get(title=demo.BLOCKED_TITLE).pk, fair.pk}
    today = datetime.date.today()
    for project in Project.objects.select_related("plan"):
        decision = checks.support_check(project_flow.context(project, today), "settle")
        assert decision.allowed == (project.pk not in blocked), (project.title, decision.reason)
    demo.seed(io.StringIO())  # idempotent
    assert Finding.objects.filter(project=fair, check_code=CheckCode.SAME_INVOICE).count() == 1
