"""Pages of settlement: findings (list, export, side by side), a project's checks and obstacles, the at-risk list,
policy proposals. Thin: they parse the request, call a selector or a service, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import acting_province_ids, visible_provinces
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError
from khuyencong.core.money import parse_vnd
from khuyencong.core.paging import int_or_none, page_context
from khuyencong.events.models import Lesson

from . import exports, selectors, services
from .flows import finding_flow, proposal_flow
from .forms import InvoiceForm, ObstacleCloseForm, ObstacleForm, ProposalForm
from .models import CheckCode, FindingStatus, ProposalStatus, Severity
from .permissions import can_author_proposal, can_log_obstacle, can_record_invoices, can_run_checks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(params) -> selectors.FindingFilters:
    def pick(name, values):
        value = params.get(name, "")
        return value if value in values else ""

    return selectors.FindingFilters(province=int_or_none(params.get("province")),
                                    status=pick("status", FindingStatus.values),
                                    severity=pick("severity", Severity.values), check=pick("check", CheckCode.values))


@login_required
def finding_list(request):
    filters = _filters(request.GET)
    qs = selectors.finding_list(user=request.user, filters=filters)
    context = {**page_context(request, qs), "filters": filters, "figures": selectors.finding_figures(qs),
               "by_province": selectors.findings_by_province(qs), "provinces": visible_provinces(request.user),
               "statuses": FindingStatus.choices, "severities": Severity.choices, "checks": CheckCode.choices}
    return render(request, "settlement/finding_list.html", context)


@login_required
def finding_export(request):
    qs = selectors.finding_list(user=request.user, filters=_filters(request.GET))
    response = HttpResponse(exports.findings_xlsx(qs[:20000]), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="phat-hien-ho-tro-trung.xlsx"'
    return response


def _finding_or_404(request, pk: int):
    finding = selectors.finding_get(user=request.user, pk=pk)
    if finding is None:
        raise Http404(_("Finding not found."))
    return finding


@login_required
def finding_detail(request, pk: int):
    finding = _finding_or_404(request, pk)
    return render(request, "settlement/finding_detail.html", {
        "finding": finding, "actions": finding_flow.options(finding, request.user),
        "history": audit_events_for(finding)})


@login_required
@require_POST
def finding_act(request, pk: int, action: str):
    finding = _finding_or_404(request, pk)
    inputs = {k: request.POST.get(k, "") for k in ("explanation", "note", "amount")}
    try:
        services.finding_transition(actor=request.user, finding=finding, action=action, inputs=inputs,
                                    version=int_or_none(request.POST.get("version")))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: the finding is now “%(status)s”.") % {
            "status": finding.get_status_display()})
    return redirect("settlement_finding_detail", pk=finding.pk)


def _project_or_404(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    if project is None:
        raise Http404(_("Project not found."))
    return project


@login_required
def project_page(request, pk: int, obstacle_form=None, invoice_form=None):
    project = _project_or_404(request, pk)
    today = timezone.localdate()
    checks = selectors.project_checks(project, today)
    obstacles = list(selectors.obstacle_list(user=request.user, project=project))
    can_log = can_log_obstacle(request.user, project)
    for obstacle in obstacles:
        obstacle.close_form = (ObstacleCloseForm(initial={"version": obstacle.version}, prefix=f"c{obstacle.pk}")
                               if can_log.allowed and obstacle.is_open else None)
    left = selectors.days_left(project, today) if project.due_date else None
    return render(request, "settlement/project.html", {
        "project": project, "checks": checks, "obstacles": obstacles, "days_left": left,
        "days_late": -left if left is not None and left < 0 else None,
        "can_run": can_run_checks(request.user, project), "can_log": can_log,
        "obstacle_form": obstacle_form or ObstacleForm(initial={"raised_on": today}),
        "invoices": selectors.invoice_list(project=project),
        "can_invoice": can_record_invoices(request.user, project) if project.status not in services.CLOSED else None,
        "invoice_form": invoice_form or InvoiceForm(contents=_contents(project))})


def _contents(project):
    return list(project.contents.select_related("content").order_by("id"))


@login_required
@require_POST
def invoice_add(request, pk: int):
    project = _project_or_404(request, pk)
    form = InvoiceForm(request.POST, contents=_contents(project))
    if form.is_valid():
        try:
            services.invoice_add(actor=request.user, project=project, data=form.domain_data())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Invoice recorded; the checks now compare it with every other project."))
            return redirect(reverse("settlement_project", args=[project.pk]) + "#invoices")
    return project_page(request, pk, invoice_form=form)


@login_required
@require_POST
def invoice_remove(request, pk: int, invoice_pk: int):
    project = _project_or_404(request, pk)
    invoice = selectors.invoice_list(project=project).filter(pk=invoice_pk).first()
    if invoice is None:
        raise Http404(_("Invoice not found."))
    try:
        services.invoice_remove(actor=request.user, invoice=invoice)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invoice removed."))
    return redirect(reverse("settlement_project", args=[project.pk]) + "#invoices")


@login_required
@require_POST
def project_run(request, pk: int):
    project = _project_or_404(request, pk)
    try:
        created = services.run_checks(actor=request.user, project=project, stage="manual")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Checks run: %(n)s new finding(s).") % {"n": len(created)})
    return redirect("settlement_project", pk=project.pk)


@login_required
@require_POST
def obstacle_add(request, pk: int):
    project = _project_or_404(request, pk)
    form = ObstacleForm(request.POST)
    if form.is_valid():
        try:
            services.obstacle_add(actor=request.user, project=project, data=form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Obstacle recorded."))
            return redirect(reverse("settlement_project", args=[project.pk]) + "#obstacles")
    return project_page(request, pk, obstacle_form=form)


@login_required
@require_POST
def obstacle_close(request, pk: int):
    obstacle = selectors.obstacle_get(user=request.user, pk=pk)
    if obstacle is None:
        raise Http404(_("Obstacle not found."))
    form = ObstacleCloseForm(request.POST, prefix=f"c{obstacle.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(reverse("settlement_project", args=[obstacle.project_id]) + "#obstacles")
    part = None
    try:
        if form.cleaned_data.get("settled_part"):
            part = parse_vnd(form.cleaned_data["settled_part"])
    except ValueError:
        messages.error(request, _("Write the amount in đồng, e.g. 12.500.000."))
        return redirect(reverse("settlement_project", args=[obstacle.project_id]) + "#obstacles")
    try:
        services.obstacle_close(actor=request.user, obstacle=obstacle, outcome=form.cleaned_data["outcome"],
                                resolution=form.cleaned_data["resolution"], settled_part=part,
                                version=form.cleaned_data["version"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Obstacle closed."))
    return redirect(reverse("settlement_project", args=[obstacle.project_id]) + "#obstacles")


@login_required
def at_risk(request):
    today = timezone.localdate()
    province = int_or_none(request.GET.get("province"))
    qs = selectors.at_risk(user=request.user, today=today, province=province)
    context = page_context(request, qs)
    rows = [(p, selectors.days_left(p, today)) for p in context["page"]]
    return render(request, "settlement/at_risk.html", {
        **context, "rows": rows, "province": province, "provinces": visible_provinces(request.user),
        "lead_days": selectors.at_risk_days(today)})


@login_required
def proposal_list(request):
    filters = selectors.ProposalFilters(q=request.GET.get("q", "").strip()[:100],
                                        status=request.GET.get("status", ""),
                                        province=int_or_none(request.GET.get("province")))
    qs = selectors.proposal_list(filters=filters)
    return render(request, "settlement/proposal_list.html", {
        **page_context(request, qs), "filters": filters, "statuses": ProposalStatus.choices,
        "can_write": acting_province_ids(request.user) != set()})


def _evidence_choices(request):
    return {"obstacles": selectors.obstacle_list(user=request.user).order_by("-id")[:30],
            "findings": selectors.finding_list(user=request.user)[:30],
            "lessons": Lesson.objects.order_by("-id")[:30]}


@login_required
def proposal_create(request):
    province = selectors.author_province(request.user)
    decision = can_author_proposal(request.user, province.pk if province else None)
    if not decision.allowed:
        messages.error(request, str(decision.reason))
        return redirect("settlement_proposals")
    choices = _evidence_choices(request)
    form = ProposalForm(request.POST or None, **choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        evidence = {
            "obstacles": [o for o in choices["obstacles"] if str(o.pk) in data["obstacles"]],
            "findings": [f for f in choices["findings"] if str(f.pk) in data["findings"]],
            "lessons": [lesson for lesson in choices["lessons"] if str(lesson.pk) in data["lessons"]]}
        try:
            proposal = services.proposal_create(actor=request.user, data=data, province=province, evidence=evidence)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Proposal recorded."))
            return redirect("settlement_proposal", pk=proposal.pk)
    return render(request, "settlement/proposal_form.html", {"form": form, "province": province})


@login_required
def proposal_detail(request, pk: int):
    proposal = selectors.proposal_get(pk=pk)
    if proposal is None:
        raise Http404(_("Proposal not found."))
    return render(request, "settlement/proposal_detail.html", {
        "proposal": proposal, "actions": proposal_flow.options(proposal, request.user),
        "history": audit_events_for(proposal)})


@login_required
@require_POST
def proposal_act(request, pk: int, action: str):
    proposal = selectors.proposal_get(pk=pk)
    if proposal is None:
        raise Http404(_("Proposal not found."))
    inputs = {k: request.POST.get(k, "") for k in ("reference", "rule_key")}
    try:
        services.proposal_transition(actor=request.user, proposal=proposal, action=action, inputs=inputs,
                                     version=int_or_none(request.POST.get("version")))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: the proposal is now “%(status)s”.") % {
            "status": proposal.get_status_display()})
    return redirect("settlement_proposal", pk=proposal.pk)

