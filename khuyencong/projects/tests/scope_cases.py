"""Plans and projects are provincial: a Lai Châu user neither sees nor changes a Tây Ninh project or local plan.

A national plan (province empty) is a public decision every signed-in user may read; the figures of its projects
are summed over the reader's area only (test_selectors checks that)."""

import datetime

from khuyencong.testing.scope import ScopedCase, register, unscoped

from ..models import AppraisalCouncil, CouncilMember
from ..scoring import sheet_for
from .factories import attach_file, attach_monitoring, make_plan, make_project


def _make_project(code: int):
    project = make_project(code, title=f"Đề án thử phạm vi tỉnh {code}")
    attach_file(project)
    attach_monitoring(project)
    council = AppraisalCouncil.objects.create(project=project, level="base", decision_number="1/QĐ",
                                              decision_date=datetime.date(2026, 6, 1), sheet=sheet_for("base"))
    CouncilMember.objects.create(council=council, name="Chủ tịch hội đồng", role="chair")
    return project


def _council_urls(p):
    council = p.councils.get()
    member = council.members.get()
    return [f"/projects/{p.pk}/appraisal/", f"/projects/{p.pk}/appraisal/{council.pk}/members/{member.pk}/",
            f"/api/v1/projects/{p.pk}/councils"]


def _council_changes(p):
    council = p.councils.get()
    member = council.members.get()
    base, api = f"/projects/{p.pk}/appraisal", f"/api/v1/projects/{p.pk}/councils"
    scores = {"principles": 10, "effectiveness": 20, "capacity": 20, "integration": 5, "dossier": 10}
    return [
        ("POST", f"{base}/", {"decision_number": "2/QĐ", "decision_date": "2026-06-01", "chair_name": "A",
                              "secretary_name": "B", "members": "C"}),
        ("POST", f"{base}/{council.pk}/members/{member.pk}/", {f"c_{k}": v for k, v in scores.items()}),
        ("POST", f"{base}/{council.pk}/conclude/", {f"k{council.pk}-conclusion": "reject",
                                                     f"k{council.pk}-minutes": "x",
                                                     f"k{council.pk}-on_date": "2026-06-02",
                                                     f"k{council.pk}-version": "1"}),
        ("POST", api, {"decision_number": "2", "decision_date": "2026-06-01", "members": []}),
        ("POST", f"{api}/{council.pk}/sheets", {"member_id": member.pk, "scores": scores}),
        ("POST", f"{api}/{council.pk}/conclusion", {"conclusion": "reject", "minutes": "x", "version": 1}),
    ]


def _monitoring_urls(p):
    base = f"/projects/{p.pk}"
    report, visit, record = p.progress_reports.get(), p.visits.get(), p.acceptances.get()
    return [f"{base}/monitoring/", f"{base}/reports/new/", f"{base}/visits/new/", f"{base}/acceptance/new/",
            f"{base}/adjustments/new/", f"{base}/files/report/{report.pk}/",
            f"{base}/files/visit/{visit.attachments.get().pk}/",
            f"{base}/files/acceptance/{record.pk}/", f"/api/v1/projects/{p.pk}/monitoring"]


def _project_changes(p):
    base = f"/projects/{p.pk}"
    api = f"/api/v1/projects/{p.pk}"
    return [
        ("POST", f"{base}/actions/submit/", {"submit-note": "x", "submit-version": p.version}),
        ("POST", f"{base}/edit/", {"title": "Bị sửa", "kind": "standard", "version": p.version}),
        ("POST", f"{base}/contents/new/", {"eligible_cost": "100", "requested_support": "50"}),
        ("POST", f"{base}/contents/1/remove/", {}),
        ("POST", f"{base}/beneficiaries/", {"establishment": "1"}),
        ("POST", f"{base}/beneficiaries/1/remove/", {}),
        ("POST", f"{base}/documents/project_document/", {"received": "1"}),
        ("POST", f"{base}/ledger/", {"kind": "ADVANCE", "amount": "1000"}),
        ("POST", f"{base}/ledger/1/reverse/", {"note": "x"}),
        ("POST", f"{api}/actions/submit", {"note": "x"}),
        ("POST", f"{api}/ledger", {"kind": "ADVANCE", "amount_vnd": 1000}),
        ("POST", f"{base}/reports/new/", {"period": "2026-10", "problems": "x"}),
        ("POST", f"{base}/visits/new/", {"visit_date": "2026-10-01", "team": "x", "findings": "x"}),
        ("POST", f"{base}/visits/{p.visits.get().pk}/follow-up/",
         {f"v{p.visits.get().pk}-follow_up": "done", f"v{p.visits.get().pk}-note": "x",
          f"v{p.visits.get().pk}-version": "1"}),
        ("POST", f"{base}/acceptance/new/", {"minutes_date": "2026-10-01", "members": "a\nb",
                                             "conclusion": "passed"}),
        ("POST", f"{api}/reports", {"period": "2026-10-01", "problems": "x"}),
        ("POST", f"{api}/visits", {"visit_date": "2026-10-01", "team": "x", "findings": "x"}),
        ("POST", f"{api}/visits/{p.visits.get().pk}/follow-up", {"follow_up": "done", "note": "x", "version": 1}),
        ("POST", f"{base}/adjustments/new/", {"kind": "schedule", "reason": "x", "new_end_date": "2027-12-01"}),
        ("POST", f"{base}/adjustments/{p.adjustments.get().pk}/decide/",
         {f"a{p.adjustments.get().pk}-decision": "approve", f"a{p.adjustments.get().pk}-reference": "1/QĐ",
          f"a{p.adjustments.get().pk}-version": "1"}),
        ("POST", f"{api}/adjustments", {"kind": "schedule", "reason": "x", "new_end_date": "2027-12-01"}),
        ("POST", f"{api}/adjustments/{p.adjustments.get().pk}/decision",
         {"approve": True, "reference": "1/QĐ", "version": 1}),
        ("POST", f"{api}/acceptances", {"minutes_date": "2026-10-01", "members": ["a", "b"],
                                        "conclusion": "passed", "results": []}),
    ]


register(
    ScopedCase(
        name="project",
        make=_make_project,
        marker=lambda p: p.title,
        list_urls=["/projects/", "/projects/?late=0&fund=national", "/api/v1/projects?limit=200"],
        detail_urls=lambda p: [
            f"/projects/{p.pk}/", f"/projects/{p.pk}/edit/", f"/projects/{p.pk}/contents/new/",
            f"/projects/{p.pk}/beneficiaries/", f"/projects/{p.pk}/documents/request_letter/file/",
            f"/api/v1/projects/{p.pk}", f"/api/v1/projects/{p.pk}/ledger", f"/projects/{p.pk}/settlement.xlsx",
            *_monitoring_urls(p), *_council_urls(p),
        ],
        change_requests=lambda p: [*_project_changes(p), *_council_changes(p)],
        covers=["project_list", "project_detail", "project_edit", "project_action", "project_content_add",
                "project_content_remove", "project_beneficiaries", "project_beneficiary_remove", "project_document",
                "project_document_file", "project_ledger_add", "project_ledger_reverse",
                "api:project_list", "api:project_detail", "api:project_action", "api:project_ledger",
                "api:project_ledger_add", "project_monitoring", "progress_report_new", "visit_new",
                "visit_follow_up", "acceptance_new", "monitoring_file", "api:project_monitoring",
                "api:project_report_add", "api:project_visit_add", "api:project_visit_follow_up",
                "api:project_acceptance_add", "adjustment_new", "adjustment_decide", "api:project_adjustment_add",
                "api:project_adjustment_decide", "project_settlement_export", "project_appraisal", "council_sheet",
                "council_conclude", "api:project_councils", "api:project_council_add", "api:project_council_sheet",
                "api:project_council_conclude"],
    )
)


def _make_plan(code: int):
    return make_plan(year=2027, fund="local", province_code=code, name=f"Kế hoạch thử phạm vi tỉnh {code}")


register(
    ScopedCase(
        name="local_plan",
        make=_make_plan,
        marker=lambda plan: plan.name,
        list_urls=["/projects/plans/", "/api/v1/plans?limit=200"],
        detail_urls=lambda plan: [f"/projects/plans/{plan.pk}/", f"/api/v1/plans/{plan.pk}",
                                  f"/projects/plans/{plan.pk}/plan.xlsx"],
        change_requests=lambda plan: [
            ("POST", f"/projects/plans/{plan.pk}/approve/",
             {"decision_number": "1/QĐ", "decision_date": "2026-01-05", "version": plan.version}),
            ("POST", f"/projects/plans/{plan.pk}/adjust/",
             {"envelope": "1", "decision_number": "2/QĐ", "decision_date": "2026-02-05", "version": plan.version}),
        ],
        covers=["plan_list", "plan_detail", "plan_approve", "plan_adjust", "api:plan_list", "api:plan_detail",
                "plan_export"],
    )
)

unscoped("project_create", "creates only in a province where the user drafts (test_services: elsewhere refused)")
unscoped("plan_create", "creates only for the user's own fund and province (test_services: elsewhere refused)")


# “To do” lists the projects waiting for the user's role: a draft waits for the centre's staff only.
register(
    ScopedCase(
        name="project_todo",
        make=lambda code: make_project(code, title=f"Đề án chờ xử lý tỉnh {code}"),
        marker=lambda p: p.title,
        list_urls=["/projects/todo/"],
        detail_urls=lambda p: [],
        covers=["project_todo"],
        sees_province=("centre_staff",),
    )
)


# The board names the late projects: a late one of each province (the national plan's export, summed over the
# reader's area, is checked in test_exports_board).
def _late_project(code: int):
    return make_project(code, title=f"Đề án chậm hạn tỉnh {code}", status="in_progress",
                        due_date=datetime.date(2026, 1, 31), due_label="Nghiệm thu")


register(
    ScopedCase(
        name="project_board",
        make=_late_project,
        marker=lambda p: p.title,
        list_urls=["/projects/board/", "/projects/board/?province=80", "/projects/board/?fund=national"],
        detail_urls=lambda p: [],
        covers=["project_board"],
    )
)
