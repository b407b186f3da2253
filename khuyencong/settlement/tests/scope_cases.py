"""Findings, obstacles and the at-risk list are provincial (the project's province); policy proposals are read by
every province on purpose, like lessons learned (their steps are refused outside the author's province: test_views)."""

import datetime

from django.utils import timezone

from khuyencong.projects.tests.factories import make_project
from khuyencong.testing.scope import ScopedCase, register, unscoped

from ..models import CostInvoice, Finding, Obstacle


def make_finding(code: int) -> Finding:
    project = make_project(code, title=f"Đề án thử quyết toán tỉnh {code}", status="in_progress",
                           due_date=timezone.localdate() + datetime.timedelta(days=5))
    finding = Finding.objects.create(
        project=project, province_id=project.province_id, check_code="window", severity="review",
        other_key=f"support:{code}:1", this_side={"kind": "project", "code": project.code},
        other_side={"kind": "support", "year": 2025}, reason=f"Phát hiện thử {project.code}", basis="Căn cứ thử",
        amount_vnd=1_000_000, year=project.year)
    finding.obstacle = Obstacle.objects.create(project=project, province_id=project.province_id, kind="other",
                                               description="Vướng mắc thử", owner="Kế toán",
                                               raised_on=datetime.date(2026, 11, 1))
    finding.invoice = CostInvoice.objects.create(project=project, supplier_tax_code="0100109106", number=f"{code}",
                                                 number_key=f"{code}", amount_vnd=1_000_000)
    return finding


def _details(f):
    p = f.project_id
    return [f"/settlement/findings/{f.pk}/", f"/settlement/projects/{p}/", f"/api/v1/settlement/findings/{f.pk}",
            f"/api/v1/settlement/projects/{p}/checks", f"/api/v1/settlement/projects/{p}/obstacles",
            f"/api/v1/settlement/projects/{p}/invoices"]


def _changes(f):
    p, o = f.project_id, f.obstacle.pk
    return [
        ("POST", f"/settlement/findings/{f.pk}/act/clear/", {"note": "x", "version": f.version}),
        ("POST", f"/settlement/projects/{p}/run/", {}),
        ("POST", f"/settlement/projects/{p}/obstacles/", {"kind": "other", "description": "x", "owner": "x",
                                                          "raised_on": "01/11/2026"}),
        ("POST", f"/settlement/obstacles/{o}/close/", {f"c{o}-outcome": "resolved", f"c{o}-resolution": "x",
                                                       f"c{o}-version": 1}),
        ("POST", f"/api/v1/settlement/findings/{f.pk}/actions/clear", {"note": "x"}),
        ("POST", f"/api/v1/settlement/projects/{p}/checks", {}),
        ("POST", f"/api/v1/settlement/projects/{p}/obstacles", {"kind": "other", "description": "x", "owner": "x"}),
        ("POST", f"/api/v1/settlement/obstacles/{o}/close", {"outcome": "resolved", "resolution": "x"}),
        ("POST", f"/settlement/projects/{p}/invoices/", {"supplier_tax_code": "0100109106", "number": "x9",
                                                         "amount": "1.000"}),
        ("POST", f"/settlement/projects/{p}/invoices/{f.invoice.pk}/remove/", {}),
        ("POST", f"/api/v1/settlement/projects/{p}/invoices", {"supplier_tax_code": "0100109106", "number": "x9",
                                                              "amount_vnd": 1000}),
    ]


register(
    ScopedCase(
        name="settlement_findings",
        make=make_finding,
        marker=lambda f: f.project.code,
        list_urls=["/settlement/", "/settlement/?status=open", "/settlement/findings.xlsx", "/settlement/at-risk/",
                   "/api/v1/settlement/findings", "/api/v1/settlement/at-risk"],
        detail_urls=_details,
        change_requests=_changes,
        covers=["settlement_findings", "settlement_findings_export", "settlement_finding_detail",
                "settlement_finding_act", "settlement_project", "settlement_project_run", "settlement_obstacle_add",
                "settlement_obstacle_close", "settlement_at_risk",
                "api:settlement_finding_list", "api:settlement_finding_detail", "api:settlement_finding_action",
                "api:settlement_project_checks", "api:settlement_project_run", "api:settlement_obstacle_list",
                "api:settlement_obstacle_add", "api:settlement_obstacle_close", "api:settlement_at_risk",
                "settlement_invoice_add", "settlement_invoice_remove", "api:settlement_invoice_list",
                "api:settlement_invoice_add"],
    )
)

unscoped("api:settlement_finding_figures", "counts only, over the same scoped selector as the findings list "
                                           "(test_api compares them)")
for name in ("settlement_proposals", "settlement_proposal", "api:settlement_proposal_list",
             "api:settlement_proposal_detail"):
    unscoped(name, "policy proposals are shared nationally by design, like lessons learned")
for name in ("settlement_proposal_create", "settlement_proposal_act", "api:settlement_proposal_create",
             "api:settlement_proposal_action"):
    unscoped(name, "a proposal is written for the author's own province; its steps are taken only by the holders of "
                   "the roles for the proposal's province (test_views)")
