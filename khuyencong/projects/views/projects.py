"""Pages of projects: the list, the to-do list, the status board, a project's page with the actions of its flow,
drafting and editing."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import acting_provinces, holds_role, user_scope, visible_provinces
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import int_or_none, page_context
from khuyencong.rules.models import FundSource

from .. import selectors, services
from ..flows import INPUT_LABELS, project_flow
from ..forms import ActionForm, LedgerForm, ProjectForm, ReverseForm
from ..models import ProjectKind, ProjectStatus
from ..permissions import (
    MANUAL_LEDGER_KINDS,
    PROJECT_AUTHORS,
    can_edit_beneficiaries,
    can_edit_project,
    can_manage_documents,
    can_record_money,
)
from .common import establishment_url, project_or_404, show_error


def _filters(request) -> selectors.ProjectFilters:
    get = request.GET
    fund = get.get("fund", "")
    kind = get.get("kind", "")
    status = get.get("status", "")
    return selectors.ProjectFilters(
        q=get.get("q", "").strip(),
        year=int_or_none(get.get("year")),
        fund=fund if fund in FundSource.values else "",
        kind=kind if kind in ProjectKind.values else "",
        status=status if status in ProjectStatus.values else "",
        province=int_or_none(get.get("province")),
        plan=int_or_none(get.get("plan")),
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
        "provinces": visible_provinces(request.user),
        "can_create": holds_role(request.user, *PROJECT_AUTHORS),
        "today": timezone.localdate(),
    }
    template = "projects/_project_rows.html" if request.htmx else "projects/project_list.html"
    return render(request, template, context)


@login_required
def project_todo(request):
    qs = selectors.projects_awaiting(user=request.user)
    context = {**page_context(request, qs), "today": timezone.localdate()}
    return render(request, "projects/project_todo.html", context)


def detail_context(request, project, *, action_forms=None, ledger_form=None):
    """The project's page: its figures (selectors.project_figures, as the API gives them) and the actions its flow
    offers the user, each with a form or the reasons it is not (yet) possible."""
    user = request.user
    figures = selectors.project_figures(project)
    actions = project_flow.options(project, user)
    forms = action_forms or {}
    for item in actions:
        forms.setdefault(item.action, ActionForm(initial={"version": project.version}, prefix=item.action))
    return {
        "project": project,
        "contents": figures.contents,
        "links": [{"link": link, "url": establishment_url(link.establishment_id)}
                  for link in project.beneficiary_links.all()],
        "actions": [{"item": item, "form": forms[item.action]} for item in actions],
        "input_labels": INPUT_LABELS,
        "balances": figures.balances,
        "entries": figures.entries,
        "checklist": figures.checklist,
        "events": audit_events_for(project)[:50],
        "late": selectors.is_late(project),
        "report_late": selectors.is_report_late(project),
        "report_due": selectors.report_due(project),
        "edit": can_edit_project(user, project),
        "edit_beneficiaries": can_edit_beneficiaries(user, project),
        "documents_decision": can_manage_documents(user, project),
        "money": can_record_money(user, project),
        "ledger_form": ledger_form or LedgerForm(),
        "reverse_form": ReverseForm(),
        "totals": figures.totals,
        "manual_kinds": MANUAL_LEDGER_KINDS,
    }


@login_required
def project_detail(request, project_id: int):
    project = project_or_404(request, project_id)
    return render(request, "projects/project_detail.html", detail_context(request, project))


@login_required
@require_POST
def project_action(request, project_id: int, action: str):
    project = project_or_404(request, project_id)
    if action not in project_flow.actions():
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
            show_error(form, exc)
            status = exc.http_status
        else:
            messages.success(request, _("Done: %(action)s. The project is now “%(status)s”.") % {
                "action": project_flow.label(action), "status": project.get_status_display()})
            return redirect("project_detail", project_id=project.pk)
    else:
        status = 422
    project = project_or_404(request, project_id)
    context = detail_context(request, project, action_forms={action: form})
    context["open_action"] = action
    return render(request, "projects/project_detail.html", context, status=status)


# --- create and edit ------------------------------------------------------------------------------------------------


@login_required
def project_create(request):
    provinces = list(acting_provinces(request.user, PROJECT_AUTHORS))
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
            show_error(form, exc)
        else:
            messages.success(request, _("Project %(code)s created. Add its contents, beneficiaries and documents.")
                             % {"code": project.code})
            return redirect("project_detail", project_id=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": None},
                  status=422 if form.errors else 200)


@login_required
def project_edit(request, project_id: int):
    project = project_or_404(request, project_id)
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
            show_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("project_detail", project_id=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project},
                  status=422 if form.errors else 200)


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
        "provinces": visible_provinces(request.user) if scope.national else [],
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
