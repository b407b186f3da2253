"""Pages of plans and projects: thin shells over the selectors, the flow and the services."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import user_scope
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import page_context
from khuyencong.core.permissions import deny
from khuyencong.geo.models import AdminUnit
from khuyencong.rules.models import FundSource

from . import checklists, checks, exports, flows, scoring, selectors, services
from .forms import (
    AcceptanceForm,
    ActionForm,
    AdjustmentDecisionForm,
    AdjustmentForm,
    ConcludeForm,
    ContentForm,
    CouncilForm,
    DocumentForm,
    FollowUpForm,
    LedgerForm,
    PlanAdjustForm,
    PlanApproveForm,
    PlanForm,
    ProgressReportForm,
    ProjectForm,
    ReverseForm,
    ScoreForm,
    VisitForm,
)
from .models import CouncilLevel, ProjectKind, ProjectStatus, VisitAttachment
from .permissions import (
    MANUAL_LEDGER_KINDS,
    PROJECT_AUTHORS,
    _role_map,
    can_create_plan,
    can_decide_adjustment,
    can_edit_beneficiaries,
    can_edit_plan,
    can_edit_project,
    can_follow_up_visit,
    can_manage_council,
    can_manage_documents,
    can_record_acceptance,
    can_record_money,
    can_record_visit,
    can_report_progress,
    can_request_adjustment,
    council_level_for,
    holds_role_anywhere,
    plan_roles,
)

# --- helpers --------------------------------------------------------------------------------------------------------


def _int(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _project_or_404(request, project_id: int):
    project = selectors.project_get(user=request.user, pk=project_id)
    if project is None:
        raise Http404(_("Project not found."))
    return project


def _brief_or_404(request, project_id: int):
    project = selectors.project_brief(user=request.user, pk=project_id)
    if project is None:
        raise Http404(_("Project not found."))
    return project


def _plan_or_404(request, plan_id: int):
    plan = selectors.plan_get(user=request.user, pk=plan_id)
    if plan is None:
        raise Http404(_("Plan not found."))
    return plan


def _show_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _visible_provinces(user):
    scope = user_scope(user)
    provinces = AdminUnit.objects.current().provinces().order_by("name")
    if not scope.national:
        provinces = provinces.filter(pk__in=scope.province_ids | scope.commune_province_ids)
    return provinces


def _authoring_provinces(user):
    held_nationally, provinces = False, set()
    for role in PROJECT_AUTHORS:
        national, held_in = _role_map(user).get(role, (False, frozenset()))
        held_nationally |= national
        provinces |= held_in
    qs = AdminUnit.objects.current().provinces().order_by("name")
    return list(qs if held_nationally else qs.filter(pk__in=provinces))


def _establishment_url(establishment_id: int) -> str:
    # The registry's pages are built alongside; link to them when they exist.
    try:
        return reverse("establishment_detail", args=[establishment_id])
    except NoReverseMatch:
        return ""


# --- project list ---------------------------------------------------------------------------------------------------


def _filters(request) -> selectors.ProjectFilters:
    get = request.GET
    fund = get.get("fund", "")
    kind = get.get("kind", "")
    status = get.get("status", "")
    return selectors.ProjectFilters(
        q=get.get("q", "").strip(),
        year=_int(get.get("year")),
        fund=fund if fund in FundSource.values else "",
        kind=kind if kind in ProjectKind.values else "",
        status=status if status in ProjectStatus.values else "",
        province=_int(get.get("province")),
        plan=_int(get.get("plan")),
        late=get.get("late") == "1",
    )


@login_required
def project_list(request):
    filters = _filters(request)
    qs = selectors.project_list(user=request.user, filters=filters)
    context = {
        **page_context(request, qs),
        "f": filters,
        "years": range(timezone.localdate().year + 1, 2019, -1),
        "funds": FundSource.choices,
        "kinds": ProjectKind.choices,
        "statuses": ProjectStatus.choices,
        "provinces": _visible_provinces(request.user),
        "can_create": holds_role_anywhere(request.user, *PROJECT_AUTHORS),
        "today": timezone.localdate(),
    }
    template = "projects/_project_rows.html" if request.htmx else "projects/project_list.html"
    return render(request, template, context)


@login_required
def project_todo(request):
    qs = selectors.projects_awaiting(user=request.user)
    context = {**page_context(request, qs), "today": timezone.localdate()}
    return render(request, "projects/project_todo.html", context)


# --- project page ---------------------------------------------------------------------------------------------------


def _checklist(project, contents, documents):
    received = {doc.code: doc for doc in documents}
    specs = checklists.required_documents(fund=project.plan.fund, kind=project.kind,
                                          content_codes=[row.content.code for row in contents])
    return [{"spec": spec, "doc": received.get(spec.code), "action": flows.ACTION_LABELS.get(spec.stage, "")}
            for spec in specs]


def _detail_context(request, project, *, action_forms=None, ledger_form=None, status=200):
    user = request.user
    contents = list(project.contents.all())
    links = list(project.beneficiary_links.all())
    entries = list(selectors.project_ledger(project))
    balances = selectors.ledger_balances(project, contents, entries)
    project._balances = balances  # the flow's guards read it instead of querying again
    actions = flows.available_actions(project, user)
    forms = action_forms or {}
    for item in actions:
        forms.setdefault(item.action, ActionForm(initial={"version": project.version},
                                                 prefix=item.action))
    money = can_record_money(user, project)
    return {
        "project": project,
        "contents": contents,
        "links": [{"link": link, "url": _establishment_url(link.establishment_id)} for link in links],
        "actions": [{"item": item, "form": forms[item.action]} for item in actions],
        "input_labels": flows.INPUT_LABELS,
        "balances": balances,
        "entries": entries,
        "checklist": _checklist(project, contents, project.documents.all()),
        "events": audit_events_for(project)[:50],
        "late": selectors.is_late(project),
        "report_late": selectors.is_report_late(project),
        "edit": can_edit_project(user, project),
        "edit_beneficiaries": can_edit_beneficiaries(user, project),
        "documents_decision": can_manage_documents(user, project),
        "money": money,
        "ledger_form": ledger_form or LedgerForm(),
        "reverse_form": ReverseForm(),
        "totals": {
            "eligible_cost": sum(r.eligible_cost_vnd for r in contents),
            "requested": sum(r.requested_support_vnd for r in contents),
            "counterpart": sum(r.counterpart_vnd for r in contents),
            "other": sum(r.other_sources_vnd for r in contents),
            "quote": sum(r.quote_support_vnd for r in contents),
        },
        "manual_kinds": MANUAL_LEDGER_KINDS,
    }


@login_required
def project_detail(request, project_id: int):
    project = _project_or_404(request, project_id)
    return render(request, "projects/project_detail.html", _detail_context(request, project))


@login_required
@require_POST
def project_action(request, project_id: int, action: str):
    project = _project_or_404(request, project_id)
    if action not in flows.ACTION_LABELS:
        raise Http404(_("Unknown action."))
    form = ActionForm(request.POST, prefix=action)
    if form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_transition(
                project=project, action=action, actor=request.user, note=data["note"], reference=data["reference"],
                amount=data["amount"], on_date=data["on_date"], version=data["version"],
            )
        except DomainError as exc:
            _show_error(form, exc)
            status = exc.http_status
        else:
            messages.success(request, _("Done: %(action)s. The project is now “%(status)s”.") % {
                "action": flows.ACTION_LABELS[action], "status": project.get_status_display()})
            return redirect("project_detail", project_id=project.pk)
    else:
        status = 422
    project = _project_or_404(request, project_id)
    context = _detail_context(request, project, action_forms={action: form})
    context["open_action"] = action
    return render(request, "projects/project_detail.html", context, status=status)


# --- create and edit ------------------------------------------------------------------------------------------------


@login_required
def project_create(request):
    provinces = _authoring_provinces(request.user)
    if not provinces:
        messages.error(request, _("Only centre staff draft projects."))
        return redirect("project_list")
    form = ProjectForm(request.POST or None, plans=selectors.plans_open_to(request.user), provinces=provinces,
                       initial={"kind": ProjectKind.STANDARD})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        plan, province = data.pop("plan"), data.pop("province")
        data.pop("version", None)
        try:
            project = services.project_create(actor=request.user, plan=plan, province=province, data=data)
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Project %(code)s created. Add its contents, beneficiaries and documents.")
                             % {"code": project.code})
            return redirect("project_detail", project_id=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": None},
                  status=422 if form.errors else 200)


@login_required
def project_edit(request, project_id: int):
    project = _project_or_404(request, project_id)
    decision = can_edit_project(request.user, project)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("project_detail", project_id=project.pk)
    initial = {name: getattr(project, name) for name in services.PROJECT_FIELDS}
    initial["version"] = project.version
    form = ProjectForm(request.POST or None, provinces=[project.province], creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            services.project_update(actor=request.user, project=project, data=data, version=version)
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("project_detail", project_id=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project},
                  status=422 if form.errors else 200)


# --- contents, beneficiaries, documents -----------------------------------------------------------------------------


@login_required
def project_content_add(request, project_id: int):
    project = _project_or_404(request, project_id)
    decision = can_edit_project(request.user, project)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("project_detail", project_id=project.pk)
    form = ContentForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.project_content_add(
                actor=request.user, project=project, content=data["content"], variant=data["variant"],
                establishment=data["establishment"], description=data["description"],
                eligible_cost=data["eligible_cost"], requested_support=data["requested_support"],
                counterpart=data["counterpart"], other_sources=data["other_sources"],
            )
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Content added."))
            return redirect("project_detail", project_id=project.pk)
    return render(request, "projects/content_form.html", {"form": form, "project": project},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def project_content_remove(request, project_id: int, content_id: int):
    project = _project_or_404(request, project_id)
    try:
        services.project_content_remove(actor=request.user, project=project, content_id=content_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Content removed."))
    return redirect("project_detail", project_id=project.pk)


@login_required
def project_beneficiaries(request, project_id: int):
    project = _project_or_404(request, project_id)
    decision = can_edit_beneficiaries(request.user, project)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("project_detail", project_id=project.pk)
    if request.method == "POST":
        establishment = selectors.establishments_for(project).filter(pk=_int(request.POST.get("establishment"))).first()
        if establishment is None:
            messages.error(request, _("Choose an establishment of the project's province."))
        else:
            try:
                link = services.project_beneficiary_add(actor=request.user, project=project,
                                                        establishment=establishment)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if link.eligible:
                    messages.success(request, _("%(name)s added.") % {"name": establishment.name})
                else:
                    messages.warning(request, _("%(name)s added, but it is not eligible on %(date)s: the project "
                                                "cannot be submitted with it.") % {
                        "name": establishment.name, "date": link.checked_on.strftime("%d/%m/%Y")})
        query = urlencode({"q": request.POST.get("q", "")})
        return redirect(f"{reverse('project_beneficiaries', args=[project.pk])}?{query}")
    q = request.GET.get("q", "").strip()
    candidates = selectors.establishments_for(project, q)
    return render(request, "projects/beneficiaries.html", {
        "project": project, "q": q, **page_context(request, candidates, per_page=20),
        "links": project.beneficiary_links.all(),
    })


@login_required
@require_POST
def project_beneficiary_remove(request, project_id: int, link_id: int):
    project = _project_or_404(request, project_id)
    try:
        services.project_beneficiary_remove(actor=request.user, project=project, link_id=link_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Beneficiary removed."))
    return redirect("project_detail", project_id=project.pk)


@login_required
@require_POST
def project_document(request, project_id: int, code: str):
    project = _project_or_404(request, project_id)
    form = DocumentForm(request.POST, request.FILES)
    received = request.POST.get("received", "1") == "1"
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(f"{reverse('project_detail', args=[project.pk])}#documents")
    try:
        services.project_document_mark(actor=request.user, project=project, code=code, received=received,
                                       file=form.cleaned_data["file"], reference=form.cleaned_data["reference"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Document recorded.") if received else _("Document withdrawn."))
    return redirect(f"{reverse('project_detail', args=[project.pk])}#documents")


@login_required
def project_document_file(request, project_id: int, code: str):
    project = _project_or_404(request, project_id)
    doc = project.documents.filter(code=code).first()
    if doc is None or not doc.file:
        raise Http404(_("No file for this document."))
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1])


# --- ledger ---------------------------------------------------------------------------------------------------------


@login_required
@require_POST
def project_ledger_add(request, project_id: int):
    project = _project_or_404(request, project_id)
    form = LedgerForm(request.POST)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.ledger_record(actor=request.user, project=project, kind=data["kind"], amount=data["amount"],
                                   on_date=data["on_date"], reference=data["reference"], note=data["note"])
        except DomainError as exc:
            _show_error(form, exc)
            status = exc.http_status
        else:
            messages.success(request, _("Entry recorded."))
            return redirect(f"{reverse('project_detail', args=[project.pk])}#ledger")
    context = _detail_context(request, project, ledger_form=form)
    return render(request, "projects/project_detail.html", context, status=status)


@login_required
@require_POST
def project_ledger_reverse(request, project_id: int, entry_id: int):
    project = _project_or_404(request, project_id)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write why the entry is reversed."))
    else:
        try:
            services.ledger_reverse(actor=request.user, project=project, entry_id=entry_id,
                                    note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Reversing entry recorded."))
    return redirect(f"{reverse('project_detail', args=[project.pk])}#ledger")


# --- plans ----------------------------------------------------------------------------------------------------------


@login_required
def plan_list(request):
    year = _int(request.GET.get("year"))
    fund = request.GET.get("fund", "")
    fund = fund if fund in FundSource.values else ""
    qs = selectors.plan_list(user=request.user, year=year, fund=fund)
    context = {
        **page_context(request, qs),
        "year": year, "fund": fund, "funds": FundSource.choices,
        "years": range(timezone.localdate().year + 1, 2019, -1),
        "can_create": holds_role_anywhere(request.user, *plan_roles(FundSource.NATIONAL),
                                          *plan_roles(FundSource.LOCAL)),
        "national_scope": user_scope(request.user).national,
    }
    return render(request, "projects/plan_list.html", context)


def _plan_context(request, plan, *, approve_form=None, adjust_form=None):
    balances = selectors.balances_of(plan)
    filters = selectors.ProjectFilters(plan=plan.pk)
    projects = selectors.project_list(user=request.user, filters=filters)
    return {
        "plan": plan,
        "balances": balances,
        "remaining": plan.envelope_vnd - balances.approved,
        # A provincial user sees the national plan's envelope but only the projects of its own area.
        "partial_view": plan.province_id is None and not user_scope(request.user).national,
        **page_context(request, projects),
        "adjustments": plan.adjustments.all(),
        "edit": can_edit_plan(request.user, plan),
        "approve_form": approve_form or PlanApproveForm(initial={"version": plan.version}),
        "adjust_form": adjust_form or PlanAdjustForm(initial={"version": plan.version}),
        "events": audit_events_for(plan)[:30],
        "today": timezone.localdate(),
    }


@login_required
def plan_detail(request, plan_id: int):
    plan = _plan_or_404(request, plan_id)
    return render(request, "projects/plan_detail.html", _plan_context(request, plan))


@login_required
def plan_create(request):
    scope = user_scope(request.user)
    provinces = _visible_provinces(request.user) if not scope.national else AdminUnit.objects.current().provinces(
    ).order_by("name")
    form = PlanForm(request.POST or None, provinces=provinces,
                    initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(actor=request.user, year=data["year"], fund=data["fund"],
                                        province=data["province"], envelope=data["envelope"], name=data["name"],
                                        note=data["note"])
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Plan created."))
            return redirect("plan_detail", plan_id=plan.pk)
    elif request.method == "GET" and not (can_create_plan(request.user, FundSource.NATIONAL, None)
                                          or any(can_create_plan(request.user, FundSource.LOCAL, p.pk)
                                                 for p in provinces)):
        messages.error(request, _("Only ministry officers keep the national plan, and DoIT officers their "
                                  "province's local plan."))
        return redirect("plan_list")
    return render(request, "projects/plan_form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@require_POST
def plan_approve(request, plan_id: int):
    plan = _plan_or_404(request, plan_id)
    form = PlanApproveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_approve(actor=request.user, plan=plan, decision_number=data["decision_number"],
                                  decision_date=data["decision_date"], signer=data["signer"],
                                  envelope=data["envelope"], version=data["version"])
        except DomainError as exc:
            _show_error(form, exc)
            return render(request, "projects/plan_detail.html", _plan_context(request, plan, approve_form=form),
                          status=exc.http_status)
        messages.success(request, _("Approval decision recorded."))
        return redirect("plan_detail", plan_id=plan.pk)
    return render(request, "projects/plan_detail.html", _plan_context(request, plan, approve_form=form), status=422)


@login_required
@require_POST
def plan_adjust(request, plan_id: int):
    plan = _plan_or_404(request, plan_id)
    form = PlanAdjustForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_adjust(actor=request.user, plan=plan, envelope=data["envelope"],
                                 decision_number=data["decision_number"], decision_date=data["decision_date"],
                                 signer=data["signer"], reason=data["reason"], version=data["version"])
        except DomainError as exc:
            _show_error(form, exc)
            return render(request, "projects/plan_detail.html", _plan_context(request, plan, adjust_form=form),
                          status=exc.http_status)
        messages.success(request, _("Adjustment decision recorded."))
        return redirect("plan_detail", plan_id=plan.pk)
    return render(request, "projects/plan_detail.html", _plan_context(request, plan, adjust_form=form), status=422)


# --- monitoring: progress reports, supervision visits, acceptance minutes -------------------------------------------


def _monitoring_context(request, project, *, follow_up_forms=None):
    user = request.user
    data = selectors.project_monitoring(project)
    forms = follow_up_forms or {}
    return {
        "project": project,
        **data,
        "visit_rows": [{"visit": visit, "form": forms.get(visit.pk) or FollowUpForm(
            initial={"follow_up": visit.follow_up, "note": visit.follow_up_note, "version": visit.version},
            prefix=f"v{visit.pk}")} for visit in data["visits"]],
        "report_late": selectors.is_report_late(project),
        # Reports are owed from a month only when a calendar rule asks for them (set when implementation starts).
        "report_basis": next((r.due_basis for r in data["reports"] if r.due_basis), ""),
        "can_report": can_report_progress(user, project),
        "can_visit": can_record_visit(user, project),
        "can_follow_up": can_follow_up_visit(user, project),
        "can_accept": can_record_acceptance(user, project),
        "adjustment_rows": [{"request": r, "decide": can_decide_adjustment(user, project, r.authority),
                             "form": forms.get(("adj", r.pk)) or AdjustmentDecisionForm(
                                 initial={"version": r.version}, prefix=f"a{r.pk}")}
                            for r in data["adjustments"]],
        "can_adjust": can_request_adjustment(user, project),
        "today": timezone.localdate(),
    }


@login_required
def project_monitoring(request, project_id: int):
    project = _brief_or_404(request, project_id)
    return render(request, "projects/monitoring.html", _monitoring_context(request, project))


def _refuse(request, project, decision) -> bool:
    if decision:
        return False
    messages.error(request, decision.reason)
    return True


def _monitoring_url(project, anchor: str = "") -> str:
    return reverse("project_monitoring", args=[project.pk]) + (f"#{anchor}" if anchor else "")


@login_required
def progress_report_new(request, project_id: int):
    project = _brief_or_404(request, project_id)
    if _refuse(request, project, can_report_progress(request.user, project)):
        return redirect(_monitoring_url(project))
    contents = project.contents.select_related("content", "establishment")
    initial = {"period": project.report_due_date or timezone.localdate()}
    form = ProgressReportForm(request.POST or None, request.FILES or None, contents=contents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.progress_report_submit(
                actor=request.user, project=project, period=data["period"], lines=form.lines(),
                problems=data["problems"], proposals=data["proposals"], submitted_on=data["submitted_on"],
                file=data["file"])
        except DomainError as exc:
            _show_error(form, exc)
        else:
            text = _("Progress report for %(month)s recorded.") % {"month": report.period.strftime("%m/%Y")}
            if report.late:
                text += " " + _("It came after its deadline, %(date)s, and is marked late.") % {
                    "date": checks.dmy(report.due_on)}
            messages.success(request, text)
            return redirect(_monitoring_url(project, "reports"))
    return render(request, "projects/report_form.html", {"form": form, "project": project},
                  status=422 if form.errors else 200)


@login_required
def visit_new(request, project_id: int):
    project = _brief_or_404(request, project_id)
    if _refuse(request, project, can_record_visit(request.user, project)):
        return redirect(_monitoring_url(project))
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_record(actor=request.user, project=project, visit_date=data["visit_date"],
                                  team=data["team"], findings=data["findings"],
                                  recommendations=data["recommendations"],
                                  files=[(upload, "") for upload in data["files"]])
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect(_monitoring_url(project, "visits"))
    return render(request, "projects/visit_form.html", {"form": form, "project": project},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def visit_follow_up(request, project_id: int, visit_id: int):
    project = _brief_or_404(request, project_id)
    form = FollowUpForm(request.POST, request.FILES, prefix=f"v{visit_id}")
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_follow_up(actor=request.user, project=project, visit_id=visit_id,
                                     follow_up=data["follow_up"], note=data["note"], version=data["version"],
                                     files=[(upload, "") for upload in data["files"]])
        except DomainError as exc:
            if exc.http_status == 404:
                raise Http404(exc.message)
            _show_error(form, exc)
            status = exc.http_status
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect(_monitoring_url(project, f"visit-{visit_id}"))
    context = _monitoring_context(request, project, follow_up_forms={visit_id: form})
    return render(request, "projects/monitoring.html", context, status=status)


@login_required
def acceptance_new(request, project_id: int):
    project = _brief_or_404(request, project_id)
    if _refuse(request, project, can_record_acceptance(request.user, project)):
        return redirect(_monitoring_url(project))
    contents = list(project.contents.select_related("content"))
    initial = {f"ind_{row.pk}": row.content.name[:200] for row in contents}
    form = AcceptanceForm(request.POST or None, request.FILES or None, contents=contents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.acceptance_record(
                actor=request.user, project=project, minutes_date=data["minutes_date"],
                members=form.member_lines(), conclusion=data["conclusion"], results=form.results(),
                reference=data["reference"], site=data["site"], conclusion_text=data["conclusion_text"],
                file=data["file"])
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Acceptance minutes recorded."))
            return redirect(_monitoring_url(project, "acceptance"))
    return render(request, "projects/acceptance_form.html", {"form": form, "project": project},
                  status=422 if form.errors else 200)


def _file_response(field):
    if not field:
        raise Http404(_("No file."))
    return FileResponse(field.open("rb"), as_attachment=True, filename=field.name.rsplit("/", 1)[-1])


@login_required
def monitoring_file(request, project_id: int, kind: str, pk: int):
    """A file of the project's monitoring records: a report, a visit's attachment, acceptance minutes."""
    project = _brief_or_404(request, project_id)
    if kind == "report":
        record = project.progress_reports.filter(pk=pk).first()
    elif kind == "visit":
        record = VisitAttachment.objects.filter(visit__project=project, pk=pk).first()
    elif kind == "acceptance":
        record = project.acceptances.filter(pk=pk).first()
    else:
        record = None
    if record is None:
        raise Http404(_("No file."))
    return _file_response(record.file)


@login_required
def adjustment_new(request, project_id: int):
    project = _brief_or_404(request, project_id)
    if _refuse(request, project, can_request_adjustment(request.user, project)):
        return redirect(_monitoring_url(project))
    form = AdjustmentForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.adjustment_request(
                actor=request.user, project=project, kind=data["kind"], reason=data["reason"],
                content_row_id=data["content_row"].pk if data["content_row"] else None,
                new_content=data["new_content"], new_eligible_cost=data["new_eligible_cost"],
                new_support=data["new_support"], new_end_date=data["new_end_date"],
                old_establishment_id=data["old_establishment"].pk if data["old_establishment"] else None,
                new_establishment=data["new_establishment"])
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Adjustment request recorded."))
            return redirect(_monitoring_url(project, "adjustments"))
    return render(request, "projects/adjustment_form.html", {"form": form, "project": project},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def adjustment_decide(request, project_id: int, request_id: int):
    project = _brief_or_404(request, project_id)
    form = AdjustmentDecisionForm(request.POST, prefix=f"a{request_id}")
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            decided = services.adjustment_decide(
                actor=request.user, project=project, request_id=request_id, approve=data["decision"] == "approve",
                reference=data["reference"], note=data["note"], version=data["version"],
                decided_on=data["decided_on"])
        except DomainError as exc:
            if exc.http_status == 404:
                raise Http404(exc.message)
            _show_error(form, exc)
            status = exc.http_status
        else:
            messages.success(request, _("Decision recorded: %(status)s.") % {
                "status": decided.get_status_display()})
            return redirect(_monitoring_url(project, "adjustments"))
    project = _brief_or_404(request, project_id)
    context = _monitoring_context(request, project, follow_up_forms={("adj", request_id): form})
    return render(request, "projects/monitoring.html", context, status=status)


# --- exports --------------------------------------------------------------------------------------------------------


def _xlsx(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def plan_export(request, plan_id: int):
    """The plan's project table (Mẫu 2 style), over the projects the user may see."""
    plan = _plan_or_404(request, plan_id)
    return _xlsx(exports.plan_xlsx(user=request.user, plan=plan), f"ke-hoach-kc-{plan.year}-{plan.pk}.xlsx")


@login_required
def project_settlement_export(request, project_id: int):
    project = _brief_or_404(request, project_id)
    return _xlsx(exports.settlement_xlsx(project), f"quyet-toan-{project.code}.xlsx")


# --- status board ---------------------------------------------------------------------------------------------------


@login_required
def project_board(request):
    """Where every project of the user's area stands: counts and money per state, and what is late."""
    filters = _filters(request)
    scope = user_scope(request.user)
    if not scope.national:
        filters.province = None  # a provincial user's scope is its province already
    today = timezone.localdate()
    board = selectors.project_board(user=request.user, filters=filters, today=today)
    context = {
        **board,
        "f": filters,
        "today": today,
        "years": range(today.year + 1, 2019, -1),
        "funds": FundSource.choices,
        "kinds": ProjectKind.choices,
        "provinces": _visible_provinces(request.user) if scope.national else [],
        "reason_labels": {
            selectors.LateReason.REPORT: _("progress report late"),
            selectors.LateReason.ACCEPTANCE: _("acceptance overdue"),
            selectors.LateReason.SETTLEMENT: _("settlement overdue"),
            selectors.LateReason.STEP: _("step overdue"),
        },
        "query": urlencode({k: v for k, v in (("year", filters.year or ""), ("fund", filters.fund),
                                              ("kind", filters.kind), ("province", filters.province or ""))
                            if v}),
        "late_limit": selectors.BOARD_LATE_LIMIT,
    }
    return render(request, "projects/project_board.html", context)


# --- appraisal councils ---------------------------------------------------------------------------------------------


def _appraisal_url(project, anchor: str = "") -> str:
    return reverse("project_appraisal", args=[project.pk]) + (f"#{anchor}" if anchor else "")


def _appraisal_context(request, project, *, council_form=None, conclude_forms=None):
    level = council_level_for(project)
    decision = can_manage_council(request.user, project, level) if level else None
    councils = selectors.project_councils(project)
    forms_by_council = conclude_forms or {}
    for council in councils:
        council.conclude_form = forms_by_council.get(council.pk) or ConcludeForm(
            prefix=f"k{council.pk}", initial={"version": council.version, "on_date": timezone.localdate(),
                                              "conclusion": "approve" if council.result.passed else "reject"})
        council.manage = can_manage_council(request.user, project, council.level)
    open_level = any(c.level == level and not c.concluded for c in councils)
    return {
        "project": project,
        "councils": councils,
        "level": level,
        "level_label": CouncilLevel(level).label if level else "",
        "manage": decision,
        "can_create": bool(decision) and not open_level,
        "council_form": council_form or CouncilForm(initial={"decision_date": timezone.localdate()}),
        "sheet": scoring.sheet_for(level) if level else None,
    }


@login_required
def project_appraisal(request, project_id: int):
    """The project's appraisal councils with every member's scores, the totals and the average; the DoIT (or the
    ministry agency) sets up the council of the level the project waits for here."""
    project = _brief_or_404(request, project_id)
    form = None
    if request.method == "POST":
        form = CouncilForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                council = services.council_create(
                    actor=request.user, project=project, decision_number=data["decision_number"],
                    decision_date=data["decision_date"], signer=data["signer"], members=form.member_rows())
            except DomainError as exc:
                _show_error(form, exc)
            else:
                messages.success(request, _("The appraisal council is set up: enter each member's scoring sheet."))
                return redirect(_appraisal_url(project, f"council-{council.pk}"))
    context = _appraisal_context(request, project, council_form=form)
    return render(request, "projects/appraisal.html", context, status=422 if form is not None and form.errors
                  else 200)


def _council_member_or_404(project, council_id: int, member_id: int):
    council = project.councils.filter(pk=council_id).first()
    member = council.members.select_related("score_sheet").filter(pk=member_id).first() if council else None
    if member is None:
        raise Http404(_("Council member not found."))
    return council, member


@login_required
def council_sheet(request, project_id: int, council_id: int, member_id: int):
    """One member's scoring sheet, with the total computed as the points are typed."""
    project = _brief_or_404(request, project_id)
    council, member = _council_member_or_404(project, council_id, member_id)
    existing = getattr(member, "score_sheet", None)
    decision = can_manage_council(request.user, project, council.level)
    if decision and council.concluded:
        decision = deny(_("The council has concluded: its sheets can no longer change."))
    initial = {"version": existing.version if existing else 0, "comment": existing.comment if existing else ""}
    for code, value in (existing.scores if existing else {}).items():
        initial[f"c_{code}"] = "" if value is None else str(value).replace(".", ",")
        initial[f"na_{code}"] = value is None
    form = ScoreForm(request.POST or None, sheet=council.sheet, initial=initial)
    if request.method == "POST":
        if _refuse(request, project, decision):
            return redirect(_appraisal_url(project, f"council-{council.pk}"))
        if form.is_valid():
            try:
                services.score_sheet_save(actor=request.user, project=project, council_id=council.pk,
                                          member_id=member.pk, scores=form.scores(),
                                          comment=form.cleaned_data["comment"],
                                          version=form.cleaned_data["version"] or None)
            except DomainError as exc:
                _show_error(form, exc)
            else:
                messages.success(request, _("The scores of %(name)s are recorded.") % {"name": member.name})
                return redirect(_appraisal_url(project, f"council-{council.pk}"))
    return render(request, "projects/council_sheet.html", {
        "project": project, "council": council, "member": member, "form": form, "existing": existing,
        "decision": decision, "sheet": council.sheet,
    }, status=422 if form.errors else 200)


@login_required
@require_POST
def council_conclude(request, project_id: int, council_id: int):
    project = _brief_or_404(request, project_id)
    council = project.councils.filter(pk=council_id).first()
    if council is None:
        raise Http404(_("Council not found."))
    form = ConcludeForm(request.POST, prefix=f"k{council.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.council_conclude(actor=request.user, project=project, council_id=council.pk,
                                      conclusion=data["conclusion"], minutes=data["minutes"],
                                      version=data["version"], on_date=data["on_date"])
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("The council's conclusion is recorded."))
            return redirect(_appraisal_url(project, f"council-{council.pk}"))
    context = _appraisal_context(request, project, conclude_forms={council.pk: form})
    return render(request, "projects/appraisal.html", context, status=422)
