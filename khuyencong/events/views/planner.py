"""The study-tour planner: host provinces ranked for the topics, then a tour previewed and drafted in the visiting
order the user sets, its budget lines quoted from the rules' cost norms."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import acting_provinces
from khuyencong.core.errors import DomainError

from .. import planner, services
from ..forms import DraftForm, PlannerForm
from ..permissions import can_create_event
from ..vocab import LineKind
from .common import (
    today,
)

DEFAULT_HOSTS = 2  # the first two ranked provinces are proposed as hosts, in rank order


def _rates(data: dict) -> dict:
    return {LineKind.TRANSPORT: data.get("transport_cost"), LineKind.PER_DIEM: data.get("per_diem"),
            LineKind.LODGING: data.get("lodging"), LineKind.MATERIALS: data.get("materials")}


def _estimate(form: DraftForm):
    """The itinerary and budget of what the draft form holds now, or None while it cannot be computed."""
    if not form.is_bound:
        data = {name: form[name].initial for name in ("start_date", "days_per_host", "state_paid", "non_state")}
        data["hosts"] = [h for h in form.host_choices if form[form.order_name(h)].initial]
        data["hosts"].sort(key=lambda h: form[form.order_name(h)].initial)
        home = form["home"].initial
    elif form.is_valid():
        data, home = form.cleaned_data, form.cleaned_data["home"]
    else:
        return None
    if not data["hosts"] or not (data["state_paid"] or data["non_state"]):
        return None  # no host or no participant yet: nothing to cost
    return planner.budget_estimate(home_province=home, hosts=data["hosts"], start_date=data["start_date"],
                                   days_per_host=data["days_per_host"] or 1, state_paid=data["state_paid"] or 0,
                                   non_state=data["non_state"] or 0, rates=_rates(data))


def _page(request, form: PlannerForm, draft_form: DraftForm | None = None, status: int = 200):
    result = None
    if form.is_bound and form.is_valid():
        home, topics = form.cleaned_data["home"], form.cleaned_data["topics"]
        result = planner.rank_hosts(user=request.user, topics=topics, home_province=home)
        hosts = [c.province for c in result.candidates]
        if draft_form is None:
            draft_form = DraftForm(initial={
                "home": home, "topics": topics, "start_date": today() + datetime.timedelta(days=60),
                "audience": "mixed",
                **{DraftForm.order_name(h): n for n, h in enumerate(hosts[:DEFAULT_HOSTS], start=1)}},
                provinces=acting_provinces(request.user), hosts=hosts)
    can_draft = bool(can_create_event(request.user, form.cleaned_data["home"].pk)) if result else False
    estimate = _estimate(draft_form) if draft_form is not None and result and result.candidates else None
    return render(request, "events/planner.html", {
        "form": form, "result": result, "draft_form": draft_form, "can_draft": can_draft, "estimate": estimate},
        status=status)


@login_required
def event_planner(request):
    provinces = acting_provinces(request.user)
    initial = {"home": provinces.first()} if provinces.count() == 1 else {}
    return _page(request, PlannerForm(data=request.GET or None, initial=initial, provinces=provinces))


@login_required
@require_POST
def event_draft(request):
    """Previews the itinerary and budget in the order set (step "preview"), or drafts the tour (step "draft"). Bad
    input re-shows the page with every value typed and the error beside its field."""
    provinces = acting_provinces(request.user)
    planner_form = PlannerForm(data={"home": request.POST.get("home"), "topics": request.POST.getlist("topics")},
                               provinces=provinces)
    if not planner_form.is_valid():
        messages.error(request, _("Choose the home province and the topics again."))
        return redirect("event_planner")
    result = planner.rank_hosts(user=request.user, topics=planner_form.cleaned_data["topics"],
                                home_province=planner_form.cleaned_data["home"])
    form = DraftForm(request.POST, provinces=provinces, hosts=[c.province for c in result.candidates])
    if request.POST.get("step") != "draft" or not form.is_valid():
        return _page(request, planner_form, form, status=200 if form.is_valid() else 422)
    d = form.cleaned_data
    try:
        event = services.study_tour_draft(
            actor=request.user, home_province=d["home"], hosts=d["hosts"], topics=d["topics"],
            start_date=d["start_date"], days_per_host=d["days_per_host"], audience=d["audience"], fund=d["fund"],
            state_paid=d["state_paid"], non_state=d["non_state"], transport_cost=d["transport_cost"],
            per_diem=d["per_diem"], lodging=d["lodging"], materials=d["materials"], title=d["title"])
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _page(request, planner_form, form, status=422)
    estimate = _estimate(form)
    missing = estimate.to_price if estimate else []
    messages.success(request, _("Study tour drafted: name the participants and check the budget."))
    if missing:
        messages.warning(request, ngettext(
            "%(n)s budget line still has no confirmed rate and was not added: %(lines)s. Add it in the budget "
            "with the rate of the province's rules.",
            "%(n)s budget lines still have no confirmed rate and were not added: %(lines)s. Add them in the budget "
            "with the rates of the province's rules.", len(missing)) % {
            "n": len(missing), "lines": "; ".join(f"{line.label} ({line.description})" for line in missing)})
    return redirect("event_detail", pk=event.pk)
