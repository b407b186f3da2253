"""The double-support check of one project (settlement), as a money step asks it: at submission and at settlement.

The issue's target: at national scale (200,000 establishments, 40,000 projects) a check answers in ≤ 200 ms. The
check is the guard settlement registers with the projects flow (`settlement.checks.support_check`), timed on a fresh
flow context each run, as a request builds one: every query of the check runs each time (identities of the
beneficiaries, their other projects' cost items, past supports, booths at overseas fairs, demonstration models, and
at settlement the invoices matched by the supplier's tax code and number). Projects measured: the draft whose
beneficiary has the most other cost items, and a project whose settlement dossier was submitted with an invoice also
settled in another project (the dataset plants such copies, `bench.scale.settlement_invoices`), so the check finds a
hit and builds it. Also the settlement page of a project at settlement, as the province user opens it.

Seen while measuring (SQLite, 23,000 establishments): the identity query scans the registry unless
`registry.Establishment.business_reg_no` has an index (it is one of the OR-ed terms; each needs an index for an
index-only plan, on PostgreSQL a BitmapOr too).

`run(users)` returns rows shaped like `measure()` of bench/__main__.py.
"""

import datetime
import statistics
import time

from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test.utils import CaptureQueriesContext

TARGET_MS = 200


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * fraction) - 1))]


def _repeat() -> int:
    import os

    return int(os.environ.get("KC_BENCH_REPEAT", "20"))


def _sizes() -> dict:
    from khuyencong.projects.models import Project, ProjectContent
    from khuyencong.registry.models import Establishment, SupportRecord
    from khuyencong.settlement.models import CostInvoice

    return {"establishments": Establishment.objects.count(), "projects": Project.objects.count(),
            "project_contents": ProjectContent.objects.count(), "support_records": SupportRecord.objects.count(),
            "invoices": CostInvoice.objects.count()}


def _submission_project():
    """The draft whose beneficiary has the most cost items in other projects: the most work for the check."""
    from khuyencong.projects.models import Project, ProjectContent

    busy = (ProjectContent.objects.filter(establishment__isnull=False).values("establishment_id")
            .annotate(n=Count("id")).order_by("-n", "establishment_id")[:200])
    drafts = Project.objects.filter(status="draft", contents__establishment_id__in=[r["establishment_id"]
                                                                                    for r in busy])
    return drafts.select_related("plan").order_by("id").first() or \
        Project.objects.filter(status="draft", contents__isnull=False).select_related("plan").order_by("id").first()


def _settlement_project():
    """A project at settlement with an invoice also in another project's dossier (else any with invoices)."""
    from khuyencong.projects.models import Project
    from khuyencong.settlement.models import CostInvoice

    copied = CostInvoice.objects.filter(supplier_tax_code=OuterRef("supplier_tax_code"),
                                        number_key=OuterRef("number_key")).exclude(project_id=OuterRef("project_id"))
    waiting = CostInvoice.objects.filter(project__status="settlement_submitted")
    # Lai Châu first (the province user of the bench can open its page), then any province.
    invoice = (waiting.filter(Exists(copied), project__province__code=12).order_by("id").first()
               or waiting.filter(Exists(copied)).order_by("id").first() or waiting.order_by("id").first())
    return Project.objects.select_related("plan", "province").get(pk=invoice.project_id) if invoice else None


def _page_project(project):
    """The project whose settlement page the province user (Lai Châu) opens: the one measured if it is there, else
    Lai Châu's dossier at settlement with the most invoices."""
    from khuyencong.projects.models import Project

    if project.province.code == 12:
        return project
    return (Project.objects.filter(province__code=12, status="settlement_submitted")
            .annotate(n=Count("settlement_invoices")).order_by("-n", "id").first() or project)


def _time_check(project, stage: str, repeat: int) -> dict:
    from khuyencong.projects.flows import project_flow
    from khuyencong.settlement import checks

    today = datetime.date.today()
    times, queries, hits = [], 0, 0
    checks.support_check(project_flow.context(project, today), stage)  # warm-up: rules cache, imports
    for i in range(repeat):
        ctx = project_flow.context(project, today)  # a fresh context: nothing kept from the last run
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            checks.support_check(ctx, stage)
            times.append((time.perf_counter() - started) * 1000)
        if i == 0:
            queries = len(captured.captured_queries)
            hits = len(checks.hits_for(project, today))
    p95 = _percentile(times, 0.95)
    return {"url": f"settlement.checks.support_check({stage}) on {project.code}", "status": 200,
            "median_ms": round(statistics.median(times), 2), "p95_ms": round(p95, 2), "queries": queries,
            "target": f"p95 ≤ {TARGET_MS} ms", "meets_target": p95 <= TARGET_MS, "hits": hits}


def _time_page(client, url: str, repeat: int) -> dict:
    times, queries, status = [], 0, None
    client.get(url)
    for i in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
        if i == 0:
            queries = len(captured.captured_queries)
    p95 = _percentile(times, 0.95)
    return {"url": url, "status": status, "median_ms": round(statistics.median(times), 2), "p95_ms": round(p95, 2),
            "queries": queries, "target": f"p95 ≤ {TARGET_MS} ms", "meets_target": status == 200 and p95 <= TARGET_MS}


def run(users: dict) -> dict:
    """Adds the invoices the dataset lacks, then times the check at submission and at settlement and the page."""
    from bench.scale import settlement_invoices

    generated = settlement_invoices()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE settlement_costinvoice" if connection.vendor == "postgresql" else "ANALYZE")
    repeat = _repeat()
    sizes = {**_sizes(), "invoices_added": generated["settlement_costinvoice"]["rows"]}
    results = {}
    cases = [("double-support check at submission (one project)", _submission_project(), "submit"),
             ("double-support check at settlement, invoices matched (one project)", _settlement_project(), "settle")]
    for name, project, stage in cases:
        if project is None:
            results[name] = {"url": "settlement.checks.support_check", "status": None, "median_ms": None,
                             "p95_ms": None, "queries": None, "target": f"p95 ≤ {TARGET_MS} ms",
                             "meets_target": None, "case": name, "sizes": sizes,
                             "note": "not measured: no such project in the dataset"}
            continue
        results[name] = {**_time_check(project, stage, repeat), "case": name, "sizes": sizes}
        if stage == "settle" and "province" in users:
            page = "settlement page of a Lai Châu project at settlement (hits, findings, invoices)"
            url = f"/settlement/projects/{_page_project(project).pk}/"
            results[page] = {**_time_page(users["province"], url, repeat), "case": page, "sizes": sizes}
    return results
