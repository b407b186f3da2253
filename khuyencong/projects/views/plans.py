"""Pages of annual plans: the list, a plan with its money and projects, opening a plan, its approval and
adjustments, and its Excel table."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import holds_role, user_scope, visible_provinces
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import int_or_none, page_context
from khuyencong.rules.models import FundSource

from .. import exports, selectors, services
from ..forms import PlanAdjustForm, PlanApproveForm, PlanForm
from ..permissions import can_create_plan, can_edit_plan, plan_roles
from .common import plan_or_404, show_error, xlsx


@login_required
def plan_list(request):
    year = int_or_none(request.GET.get("year"))
    fund = request.GET.get("fund", "")
    fund = fund if fund in FundSource.values else ""
    qs = selectors.plan_list(user=request.user, year=year, fund=fund)
    context = {
        **page_context(request, qs),
        "year": year, "fund": fund, "funds": FundSource.choices,
        "years": range(timezone.localdate().year + 1, 2019, -1),
        "can_create": holds_role(request.user, *plan_roles(FundSource.NATIONAL),
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
    plan = plan_or_404(request, plan_id)
    return render(request, "projects/plan_detail.html", _plan_context(request, plan))


@login_required
def plan_create(request):
    provinces = visible_provinces(request.user)
    form = PlanForm(request.POST or None, provinces=provinces,
                    initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(actor=request.user, year=data["year"], fund=data["fund"],
                                        province=data["province"], envelope=data["envelope"], name=data["name"],
                                        note=data["note"])
        except DomainError as exc:
            show_error(form, exc)
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
    plan = plan_or_404(request, plan_id)
    form = PlanApproveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_approve(actor=request.user, plan=plan, decision_number=data["decision_number"],
                                  decision_date=data["decision_date"], signer=data["signer"],
                                  envelope=data["envelope"], version=data["version"])
        except DomainError as exc:
            show_error(form, exc)
            return render(request, "projects/plan_detail.html", _plan_context(request, plan, approve_form=form),
                          status=exc.http_status)
        messages.success(request, _("Approval decision recorded."))
        return redirect("plan_detail", plan_id=plan.pk)
    return render(request, "projects/plan_detail.html", _plan_context(request, plan, approve_form=form), status=422)


@login_required
@require_POST
def plan_adjust(request, plan_id: int):
    plan = plan_or_404(request, plan_id)
    form = PlanAdjustForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_adjust(actor=request.user, plan=plan, envelope=data["envelope"],
                                 decision_number=data["decision_number"], decision_date=data["decision_date"],
                                 signer=data["signer"], reason=data["reason"], version=data["version"])
        except DomainError as exc:
            show_error(form, exc)
            return render(request, "projects/plan_detail.html", _plan_context(request, plan, adjust_form=form),
                          status=exc.http_status)
        messages.success(request, _("Adjustment decision recorded."))
        return redirect("plan_detail", plan_id=plan.pk)
    return render(request, "projects/plan_detail.html", _plan_context(request, plan, adjust_form=form), status=422)


@login_required
def plan_export(request, plan_id: int):
    """The plan's project table (Mẫu 2 style), over the projects the user may see."""
    plan = plan_or_404(request, plan_id)
    return xlsx(exports.plan_xlsx(user=request.user, plan=plan), f"ke-hoach-kc-{plan.year}-{plan.pk}.xlsx")
