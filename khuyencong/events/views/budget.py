"""An event's budget lines and what each cost."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import BudgetLineForm, SpentForm
from ..models import BudgetLine
from .common import (
    back,
    event_or_404,
    invalid,
    run,
)


@login_required
@require_POST
def budget_add(request, pk: int):
    event = event_or_404(request, pk)
    form = BudgetLineForm(request.POST)
    if not form.is_valid():
        return invalid(request, event, form, "line_form")
    d = form.cleaned_data
    return run(request, event, lambda: services.budget_line_add(
        actor=request.user, event=event, kind=d["kind"], unit_cost=d["unit_cost"], quantity=d["quantity"],
        support=d["support"], description=d["description"]),
        ok=_("Budget line added."), anchor="budget", form=form, form_key="line_form")


@login_required
@require_POST
def budget_remove(request, pk: int, line_pk: int):
    event = event_or_404(request, pk)
    line = get_object_or_404(BudgetLine, pk=line_pk, event=event)
    return run(request, event, lambda: services.budget_line_remove(actor=request.user, line=line),
                ok=_("Budget line removed."), anchor="budget")


@login_required
@require_POST
def budget_spent(request, pk: int, line_pk: int):
    event = event_or_404(request, pk)
    line = get_object_or_404(BudgetLine, pk=line_pk, event=event)
    form = SpentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type the amount spent in đồng."))
        return back(event, "budget")
    return run(request, event, lambda: services.budget_line_spent(actor=request.user, line=line,
                                                                   spent=form.cleaned_data["spent"]),
                ok=_("Spending recorded."), anchor="budget")
