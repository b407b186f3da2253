"""Pages of the clusters module: the list with filters, a cluster's page with its tabs and forms, the report forms
Biểu 01–04 and their xlsx and PDF in the official layout. Thin: parse, call a selector or a service, render."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import acting_provinces, visible_provinces
from khuyencong.core import documents
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError, InvalidInput
from khuyencong.core.forms import date_from_text
from khuyencong.core.money import parse_vnd
from khuyencong.core.paging import int_or_none, page_context
from khuyencong.geo.models import AdminUnit
from khuyencong.projects.models import Project

from . import documents as cluster_documents
from . import figures, law, reports, selectors, services
from .flows import EDITORS, cluster_flow, procedure_deadlines, procedure_flow
from .models import (
    Cluster,
    ClusterStatus,
    ClusterType,
    ComponentKind,
    ComponentStatus,
    DecisionKind,
    FormKind,
    FormReport,
    SupportSource,
    TenantStatus,
)
from .permissions import account_of, can_create_somewhere, can_edit_cluster, can_link_project


def _today() -> datetime.date:
    return timezone.localdate()


def _cluster_or_404(request, pk: int) -> Cluster:
    cluster = selectors.cluster_get(user=request.user, pk=pk)
    if cluster is None:
        raise Http404
    return cluster


def _date(value: str, field: str) -> datetime.date:
    day = date_from_text(value)
    if day is None:
        raise InvalidInput(_("Give the date (dd/mm/yyyy)."), field=field)
    return day


def _money(value: str, field: str) -> int:
    try:
        return parse_vnd(value or "0")
    except DomainError as exc:
        raise InvalidInput(exc.message, field=field) from None


# --- list


def filters_from(request) -> selectors.ClusterFilters:
    p = request.GET
    return selectors.ClusterFilters(
        q=p.get("q", "").strip()[:100], status=p.get("status", "") if p.get("status") in ClusterStatus.values else "",
        kind=p.get("kind", "") if p.get("kind") in ClusterType.values else "", province=int_or_none(p.get("province")),
        pending_regularisation=p.get("regularise") == "1")


@login_required
def cluster_list(request):
    filters = filters_from(request)
    qs = selectors.cluster_list(user=request.user, filters=filters)
    context = page_context(request, qs)
    today = _today()
    for cluster in context["page"]:
        cluster.occupancy = selectors.cluster_occupancy(cluster)
        cluster.days_left = selectors.days_left(cluster, today)
    return render(request, "clusters/cluster_list.html", {
        **context, "filters": filters, "statuses": ClusterStatus.choices, "kinds": ClusterType.choices,
        "provinces": visible_provinces(request.user), "can_create": can_create_somewhere(request.user)})


def _float(value) -> float | None:
    return None if value is None else float(value)


@login_required
def cluster_dashboard(request):
    """Clusters per province (today's or, with ?geo=legacy, the former ones): count, area, average occupancy,
    wastewater compliance and the clusters still to regularise, from the indicators' own measures
    (`figures.by_province`), and the map of today's provinces coloured by occupancy."""
    legacy = request.GET.get("geo") == "legacy"
    today = _today()
    rows = figures.by_province(selectors.scoped(request.user), as_of=today, legacy=legacy,
                               deadline=law.regularisation_deadline())
    provinces = list(visible_provinces(request.user))
    focus = provinces[0].code if len(provinces) == 1 else None
    areas = [] if legacy else [{"code": r.province.code, "value": _float(r.occupancy),
                                "display": r.occupancy_text} for r in rows]
    return render(request, "clusters/cluster_dashboard.html", {
        "rows": rows, "legacy": legacy, "today": today, "deadline": law.regularisation_deadline(), "focus": focus,
        "map_areas": areas, "tiles": {"url": settings.KC_MAP_TILE_URL, "attribution": settings.KC_MAP_TILE_ATTRIBUTION},
        "total": figures.total(rows)})


# --- create and edit


def _cluster_data(post) -> dict:
    return {"name": post.get("name", ""), "kind": post.get("kind", ""), "planned_ha": post.get("planned_ha", ""),
            "established_ha": post.get("established_ha", ""), "industrial_land_ha": post.get("industrial_land_ha", ""),
            "sectors": post.get("sectors", ""), "investor": post.get("investor", ""), "note": post.get("note", ""),
            "formed_before_2009": post.get("formed_before_2009") == "1",
            "detailed_plan_on": date_from_text(post.get("detailed_plan_on")) if post.get("detailed_plan_on") else None}


def _communes(post, province: AdminUnit | None):
    codes = [int_or_none(c) for c in post.getlist("communes")]
    if province is None:
        return []
    return list(AdminUnit.objects.filter(scheme="current", level="commune", province=province,
                                         code__in=[c for c in codes if c is not None]))


@login_required
def cluster_create(request):
    provinces = acting_provinces(request.user, EDITORS)
    if not provinces.exists():
        raise Http404
    error = None
    if request.method == "POST":
        province = provinces.filter(code=int_or_none(request.POST.get("province"))).first()
        status = ClusterStatus.UNESTABLISHED if request.POST.get("unestablished") == "1" else ClusterStatus.PLANNED
        try:
            if province is None:
                raise InvalidInput(_("Choose the province."), field="province")
            cluster = services.cluster_create(actor=request.user, province=province, data=_cluster_data(request.POST),
                                              communes=_communes(request.POST, province), status=status)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("The cluster has been entered."))
            return redirect("cluster_detail", pk=cluster.pk)
    province = provinces.first() if provinces.count() == 1 else None
    communes = AdminUnit.objects.filter(scheme="current", level="commune", province=province).order_by("name") \
        if province else AdminUnit.objects.none()
    return render(request, "clusters/cluster_form.html", {
        "provinces": provinces, "kinds": ClusterType.choices, "posted": request.POST, "error": error,
        "communes": communes}, status=422 if error else 200)


@login_required
def cluster_edit(request, pk: int):
    cluster = _cluster_or_404(request, pk)
    if not can_edit_cluster(request.user, cluster.province_id):
        return redirect("cluster_detail", pk=cluster.pk)
    error = None
    if request.method == "POST":
        try:
            services.cluster_update(actor=request.user, cluster=cluster, data=_cluster_data(request.POST),
                                    version=int_or_none(request.POST.get("version")),
                                    communes=_communes(request.POST, cluster.province))
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("The cluster has been saved."))
            return redirect("cluster_detail", pk=cluster.pk)
    posted = request.POST or {
        "name": cluster.name, "kind": cluster.kind, "planned_ha": cluster.planned_ha,
        "established_ha": cluster.established_ha, "industrial_land_ha": cluster.industrial_land_ha,
        "sectors": cluster.sectors, "investor": cluster.investor, "note": cluster.note,
        "formed_before_2009": "1" if cluster.formed_before_2009 else "",
        "detailed_plan_on": cluster.detailed_plan_on.strftime("%d/%m/%Y") if cluster.detailed_plan_on else ""}
    chosen = {u.pk for u in cluster.communes.all()}
    return render(request, "clusters/cluster_form.html", {
        "cluster": cluster, "kinds": ClusterType.choices, "posted": posted, "error": error, "chosen": chosen,
        "communes": AdminUnit.objects.filter(scheme="current", level="commune", province=cluster.province)
        .order_by("name")}, status=422 if error else 200)


# --- the cluster's page


def _detail_context(request, cluster: Cluster, period: reports.ReportPeriod) -> dict:
    today = _today()
    forms = list(FormReport.objects.filter(cluster=cluster, period=period.key).select_related("tenant"))
    form01 = {f.tenant_id: f for f in forms if f.form == FormKind.TENANT}
    form02 = next((f for f in forms if f.form == FormKind.INVESTOR), None)
    tenants = list(cluster.tenants.all())
    for t in tenants:
        t.report = form01.get(t.pk)
        t.report_actions = reports.form_flow.options(t.report, request.user) if t.report else []
    procedures = list(cluster.procedures.prefetch_related("bids"))
    for p in procedures:
        p.deadlines = procedure_deadlines(p)
        p.actions = procedure_flow.options(p, request.user)
        p.act_base = reverse("cluster_detail", args=[cluster.pk]) + f"procedures/{p.pk}/act/"
    base = reverse("cluster_detail", args=[cluster.pk])
    return {
        "base": base, "act_base": base + "act/",
        "cluster": cluster, "occupancy": selectors.cluster_occupancy(cluster),
        "days_left": selectors.days_left(cluster, today), "support": selectors.support_figures(cluster, today),
        "wastewater": selectors.wastewater(cluster), "actions": cluster_flow.options(cluster, request.user),
        "can_edit": bool(can_edit_cluster(request.user, cluster.province_id)),
        "can_link": bool(can_link_project(request.user, cluster.province_id)),
        "tenants": tenants, "form02": form02,
        "form02_actions": reports.form_flow.options(form02, request.user) if form02 else [],
        "form01_rows": reports.FORM_01, "form02_rows": [r for r in reports.FORM_02 if r[0] != "occupancy"],
        "period": period, "periods": reports.ReportPeriod.recent(today), "procedures": procedures,
        "decision_kinds": DecisionKind.choices, "sources": SupportSource.choices,
        "component_kinds": ComponentKind.choices, "component_statuses": ComponentStatus.choices,
        "tenant_statuses": TenantStatus.choices,
        "accounts": list(cluster.accounts.select_related("user", "tenant")) if can_edit_cluster(
            request.user, cluster.province_id) else [], "history": audit_events_for(cluster)[:50],
        "projects": Project.objects.filter(province_id=cluster.province_id).order_by("-year", "code")[:200]
        if can_link_project(request.user, cluster.province_id) else [],
    }


def _period(request) -> reports.ReportPeriod:
    try:
        return reports.ReportPeriod.parse(request.GET.get("period") or request.POST.get("period") or "")
    except InvalidInput:
        return reports.ReportPeriod.recent(_today())[0]


@login_required
def cluster_detail(request, pk: int):
    cluster = _cluster_or_404(request, pk)
    return render(request, "clusters/cluster_detail.html", _detail_context(request, cluster, _period(request)))


def _post(request, pk: int, call, *, ok: str, tab: str):
    cluster = _cluster_or_404(request, pk)
    try:
        call(cluster)
    except DomainError as exc:
        context = _detail_context(request, cluster, _period(request))
        return render(request, "clusters/cluster_detail.html",
                      {**context, "error": exc, "posted": request.POST, "tab": tab}, status=422)
    messages.success(request, ok)
    period = request.POST.get("period")
    query = f"?period={period}" if period else ""
    return redirect(reverse("cluster_detail", args=[pk]) + query + f"#{tab}")


@login_required
@require_POST
def cluster_act(request, pk: int, action: str):
    p = request.POST
    return _post(request, pk, lambda c: services.cluster_transition(
        actor=request.user, cluster=c, action=action, version=int_or_none(p.get("version")),
        inputs={"reason": p.get("reason", "")}), ok=_("Done."), tab="register")


@login_required
@require_POST
def decision_add(request, pk: int):
    p = request.POST
    return _post(request, pk, lambda c: services.decision_add(actor=request.user, cluster=c, data={
        "kind": p.get("kind"), "number": p.get("number"), "decided_on": _date(p.get("decided_on"), "decided_on"),
        "area_ha": p.get("area_ha"), "investor": p.get("investor"),
        "capital_vnd": _money(p.get("capital_vnd"), "capital_vnd"), "capital_sources": p.get("capital_sources")}),
        ok=_("The decision has been recorded."), tab="decisions")


@login_required
@require_POST
def infrastructure_set(request, pk: int):
    p = request.POST
    return _post(request, pk, lambda c: services.infrastructure_set(actor=request.user, cluster=c, data={
        "approved_total_vnd": _money(p.get("approved_total_vnd"), "approved_total_vnd"),
        "paid_vnd": _money(p.get("paid_vnd"), "paid_vnd"), "reference": p.get("reference"),
        "approved_on": date_from_text(p.get("approved_on")) if p.get("approved_on") else None},
        version=int_or_none(p.get("version"))), ok=_("The infrastructure project has been saved."),
        tab="infrastructure")


@login_required
@require_POST
def support_add(request, pk: int):
    p = request.POST
    return _post(request, pk, lambda c: services.support_add(actor=request.user, cluster=c, data={
        "source": p.get("source"), "amount_vnd": _money(p.get("amount_vnd"), "amount_vnd"),
        "decided_on": _date(p.get("decided_on"), "decided_on"), "reference": p.get("reference")}),
        ok=_("The support has been recorded."), tab="infrastructure")


@login_required
@require_POST
def project_link(request, pk: int):
    p = request.POST

    def call(cluster):
        project = Project.objects.filter(pk=int_or_none(p.get("project")) or 0,
                                         province_id=cluster.province_id).first()
        services.project_link(actor=request.user, cluster=cluster, project=project,
                              amount_vnd=_money(p.get("amount_vnd"), "amount_vnd"))

    return _post(request, pk, call, ok=_("The project has been linked."), tab="infrastructure")


@login_required
@require_POST
def component_set(request, pk: int):
    p = request.POST
    compliant = {"1": True, "0": False}.get(p.get("discharge_compliant", ""))
    return _post(request, pk, lambda c: services.component_set(
        actor=request.user, cluster=c, kind=p.get("kind"), status=p.get("status"),
        capacity_m3_day=int_or_none(p.get("capacity_m3_day")), discharge_compliant=compliant),
        ok=_("The work has been recorded."), tab="infrastructure")


@login_required
@require_POST
def tenant_add(request, pk: int):
    p = request.POST
    return _post(request, pk, lambda c: services.tenant_add(actor=request.user, cluster=c, data={
        "name": p.get("name"), "sector": p.get("sector"), "leased_ha": p.get("leased_ha"),
        "certificate": p.get("certificate"), "is_fdi": p.get("is_fdi") == "1", "status": p.get("status")}),
        ok=_("The tenant has been added."), tab="tenants")


@login_required
@require_POST
def snapshot_add(request, pk: int):
    p = request.POST
    return _post(request, pk, lambda c: services.snapshot_add(actor=request.user, cluster=c, data={
        "on_date": _date(p.get("on_date"), "on_date"), "industrial_ha": p.get("industrial_ha"),
        "serviced_ha": p.get("serviced_ha"), "leased_ha": p.get("leased_ha"), "approved_ha": p.get("approved_ha")}),
        ok=_("The land snapshot has been recorded."), tab="land")


@login_required
@require_POST
def form_save(request, pk: int):
    p = request.POST

    def call(cluster):
        tenant = cluster.tenants.filter(pk=int_or_none(p.get("tenant")) or 0).first()
        services.form_save(actor=request.user, cluster=cluster, form=p.get("form", ""), period=p.get("period", ""),
                           tenant=tenant, data=dict(p.items()),
                           version=int_or_none(p.get("version")))

    return _post(request, pk, call, ok=_("The form has been saved."), tab="forms")


@login_required
@require_POST
def form_act(request, pk: int, form_pk: int, action: str):
    p = request.POST

    def call(cluster):
        report = FormReport.objects.filter(pk=form_pk, cluster=cluster).first()
        if report is None:
            raise InvalidInput(_("No such form."))
        services.form_transition(actor=request.user, report=report, action=action,
                                 version=int_or_none(p.get("version")), inputs={"reason": p.get("reason", "")})

    return _post(request, pk, call, ok=_("Done."), tab="forms")


@login_required
@require_POST
def procedure_start(request, pk: int):
    p = request.POST
    return _post(request, pk, lambda c: services.procedure_start(
        actor=request.user, cluster=c, kind=p.get("kind", ""), received_on=_date(p.get("received_on"), "received_on")),
        ok=_("The procedure has been started."), tab="procedure")


@login_required
@require_POST
def procedure_act(request, pk: int, procedure_pk: int, action: str):
    p = request.POST

    def call(cluster):
        procedure = cluster.procedures.filter(pk=procedure_pk).first()
        if procedure is None:
            raise InvalidInput(_("No such procedure."))
        on_date = date_from_text(p.get("on_date")) if p.get("on_date") else None
        services.procedure_transition(actor=request.user, procedure=procedure, action=action, on_date=on_date,
                                      version=int_or_none(p.get("version")),
                                      inputs={"reason": p.get("reason", ""), "reference": p.get("reference", "")})

    return _post(request, pk, call, ok=_("Done."), tab="procedure")


@login_required
@require_POST
def bid_add(request, pk: int, procedure_pk: int):
    p = request.POST

    def call(cluster):
        procedure = cluster.procedures.filter(pk=procedure_pk).first()
        if procedure is None:
            raise InvalidInput(_("No such procedure."))
        data = {"name": p.get("name"), "chair_proposed": p.get("chair_proposed") == "1"}
        for criterion in ("plan", "environment", "capacity", "finance"):
            value = int_or_none(p.get(f"score_{criterion}"))
            data[f"score_{criterion}"] = value if value is not None else -1
        services.bid_add(actor=request.user, procedure=procedure, data=data)

    return _post(request, pk, call, ok=_("The applicant has been scored."), tab="procedure")


def _form_of(request, pk: int, form_pk: int) -> tuple[Cluster, FormReport]:
    cluster = _cluster_or_404(request, pk)
    report = FormReport.objects.filter(pk=form_pk, cluster=cluster).select_related("tenant").first()
    if report is None:
        raise Http404
    return cluster, report


@login_required
def form_xlsx(request, pk: int, form_pk: int):
    cluster, report = _form_of(request, pk, form_pk)
    period = reports.ReportPeriod.parse(report.period)
    who = report.tenant.name if report.tenant_id else cluster.investor or cluster.name
    title = _("Form %(form)s — %(who)s — %(period)s") % {"form": report.form, "who": who, "period": period.label}
    body = reports.xlsx(title, reports.form_rows(report, getattr(cluster, "land_industrial", None)),
                        notes=[cluster.name, "Thông tư 14/2024/TT-BCT"])
    return _xlsx_response(body, f"bieu-{report.form}-{report.period}.xlsx")


@login_required
def form_pdf(request, pk: int, form_pk: int):
    """Biểu 01 or 02 in the official layout, ready to sign (PDF)."""
    cluster, report = _form_of(request, pk, form_pk)
    return documents.document_response(cluster_documents.form_document(report, cluster), fmt="pdf",
                                       filename=f"bieu-{report.form}-{report.period}-{report.pk}")


def _xlsx_response(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Biểu 03 and 04, and the national roll-up


@login_required
def cluster_reports(request):
    period = _period(request)
    provinces = list(visible_provinces(request.user))
    code = int_or_none(request.GET.get("province"))
    province = next((p for p in provinces if p.code == code), None) or (provinces[0] if len(provinces) == 1 else None)
    context = {"period": period, "periods": reports.ReportPeriod.recent(_today()), "provinces": provinces,
               "province": province, "rows": []}
    if province is not None:
        clusters = selectors.scoped(request.user).filter(province=province)
        communes = reports.by_commune(clusters, period)
        total, agrees = reports.province_summary(clusters, period)
        context.update(communes=[(unit, reports.summary_rows(s)) for unit, s in communes],
                       rows=reports.summary_rows(total), agrees=agrees,
                       missing=reports.missing_forms(clusters, period), due={f: period.due(f) for f in
                                                                             ("01", "03", "04")})
        download = _summary_download(request, province, period, communes, total)
        if download is not None:
            return download
    elif len(provinces) > 1:
        national, reporting = reports.Summary(), 0
        for p in provinces:
            summary, _agrees = reports.province_summary(selectors.scoped(request.user).filter(province=p), period)
            national.merge(summary)
            reporting += 1 if summary.figures.get("plan_n") else 0
        for code_ in reports.SUMMARY_CODES:
            national.figures.setdefault(code_, 0)
        national.finish()
        context["rows"] = reports.summary_rows(national)
        context["national"] = True
        fmt = request.GET.get("format")
        if fmt == "xlsx":
            title = _("National roll-up of the forms 04 — %(period)s") % {"period": period.label}
            return _xlsx_response(reports.xlsx(title, context["rows"]), f"bieu-04-toan-quoc-{period.key}.xlsx")
        if fmt == "pdf":
            return documents.document_response(
                cluster_documents.national_document(period, national, reporting), fmt="pdf",
                filename=f"bieu-04-toan-quoc-{period.key}")
    return render(request, "clusters/cluster_reports.html", context)


def _summary_download(request, province, period, communes, total) -> HttpResponse | None:
    """Biểu 03 of one commune (form=03&commune=…) or Biểu 04 of the province, as xlsx or PDF; None for the page."""
    fmt = request.GET.get("format")
    if fmt not in ("xlsx", "pdf"):
        return None
    if request.GET.get("form") == "03":
        unit_code = int_or_none(request.GET.get("commune"))
        match = next(((u, s) for u, s in communes if u is not None and u.code == unit_code), None)
        if match is None:
            raise Http404
        unit, summary = match
        name = f"bieu-03-{unit.code}-{period.key}"
        if fmt == "pdf":
            return documents.document_response(cluster_documents.commune_document(unit, province, period, summary),
                                               fmt="pdf", filename=name)
        title = _("Form 03 — %(unit)s — %(period)s") % {"unit": unit.name, "period": period.label}
        return _xlsx_response(reports.xlsx(title, reports.summary_rows(summary)), f"{name}.xlsx")
    name = f"bieu-04-{province.code}-{period.key}"
    if fmt == "pdf":
        return documents.document_response(cluster_documents.province_document(province, period, total), fmt="pdf",
                                           filename=name)
    title = _("Form 04 — %(unit)s — %(period)s") % {"unit": province.name, "period": period.label}
    return _xlsx_response(reports.xlsx(title, reports.summary_rows(total)), f"{name}.xlsx")


# --- accounts of tenants and investors


@login_required
@require_POST
def account_add(request, pk: int):
    p = request.POST

    def call(cluster):
        tenant = None
        if p.get("tenant"):
            tenant = cluster.tenants.filter(pk=int_or_none(p.get("tenant")) or 0).first()
            if tenant is None:
                raise InvalidInput(_("Choose a tenant of the cluster."), field="tenant")
        account, password = services.account_create(actor=request.user, cluster=cluster, tenant=tenant,
                                                    full_name=p.get("full_name", ""), email=p.get("email", ""))
        messages.info(request, _("Account “%(user)s” opened with the password %(password)s — give it to the "
                                 "person now: it is not shown again.") % {"user": account.user.username,
                                                                         "password": password})

    return _post(request, pk, call, ok=_("The account can fill only its own form."), tab="forms")


def _own_account(request):
    account = account_of(request.user)
    if account is None:
        raise Http404
    return account


def _own_form(account, form_pk: int) -> FormReport:
    report = FormReport.objects.filter(pk=form_pk, cluster_id=account.cluster_id, form=account.form,
                                       tenant_id=account.tenant_id).select_related("tenant").first()
    if report is None:
        raise Http404
    return report


def _own_context(request, account, period, **extra) -> dict:
    report = FormReport.objects.filter(cluster_id=account.cluster_id, form=account.form, tenant_id=account.tenant_id,
                                       period=period.key).first()
    rows = reports.FORM_ROWS[account.form]
    return {"account": account, "cluster": account.cluster, "period": period,
            "periods": reports.ReportPeriod.recent(_today()), "report": report,
            "rows": [(*r, (report.values or {}).get(r[0]) if report else None) for r in rows
                     if r[0] not in reports.COMPUTED_02],
            "actions": reports.form_flow.options(report, request.user) if report else [],
            "due": period.due(account.form), **extra}


@login_required
def my_forms(request):
    """The page of a tenant's or an investor's account: its own Biểu 01 or 02 of a period, to fill and submit."""
    account = _own_account(request)
    period = _period(request)
    if request.method == "POST":
        try:
            services.own_form_save(actor=request.user, period=period.key, data=dict(request.POST.items()),
                                   version=int_or_none(request.POST.get("version")))
        except DomainError as exc:
            return render(request, "clusters/my_forms.html", _own_context(
                request, account, period, error=exc, posted=request.POST), status=422)
        messages.success(request, _("The form has been saved."))
        return redirect(reverse("cluster_my_forms") + f"?period={period.key}")
    return render(request, "clusters/my_forms.html", _own_context(request, account, period))


@login_required
@require_POST
def my_form_act(request, form_pk: int, action: str):
    account = _own_account(request)
    report = _own_form(account, form_pk)
    period = reports.ReportPeriod.parse(report.period)
    try:
        services.form_transition(actor=request.user, report=report, action=action,
                                 version=int_or_none(request.POST.get("version")))
    except DomainError as exc:
        return render(request, "clusters/my_forms.html", _own_context(request, account, period, error=exc),
                      status=422)
    messages.success(request, _("Done."))
    return redirect(reverse("cluster_my_forms") + f"?period={period.key}")


@login_required
def my_form_pdf(request, form_pk: int):
    account = _own_account(request)
    report = _own_form(account, form_pk)
    cluster = selectors.with_figures(Cluster.objects.filter(pk=account.cluster_id)).select_related("province").get()
    return documents.document_response(cluster_documents.form_document(report, cluster), fmt="pdf",
                                       filename=f"bieu-{report.form}-{report.period}")
