"""The list, the calendar, planning and editing an event, its page and the moves of its lifecycle."""

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import acting_provinces
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import page_context
from khuyencong.projects.models import AnnualPlan, Project

from .. import flows, selectors, services
from ..forms import EventForm
from ..models import EventStatus
from ..permissions import can_edit_event, can_organise_somewhere
from ..vocab import EventKind, Topic
from .common import (
    event_or_404,
    int_param,
    my_organisations,
    render_event,
    run,
    show_error,
    today,
    year_param,
)


def filters_from(request) -> selectors.EventFilters:
    params = request.GET
    month = None
    if params.get("month"):
        try:
            month = datetime.date.fromisoformat(params["month"] + "-01")
        except ValueError:
            month = None
        if month and year_param(request, str(month.year)) is None:
            month = None  # the calendar's neighbouring months of year 9999 or 1 do not exist
    return selectors.EventFilters(
        q=params.get("q", "").strip(), kind=params.get("kind", ""), status=params.get("status", ""),
        year=year_param(request, params.get("year")), province=int_param(params.get("province")),
        topic=params.get("topic", "") if params.get("topic") in Topic.values else "", month=month)


def _list_context(request) -> dict:
    provinces = acting_provinces(request.user)
    return {
        "kinds": [("study_tour", _("Study tours (all)")), *EventKind.choices, ("fair", _("Fairs (all)"))],
        "statuses": EventStatus.choices, "topics": Topic.choices, "provinces": provinces,
        "years": list(range(today().year + 1, 2011, -1)),
        "can_create": can_organise_somewhere(request.user),
    }


@login_required
def event_list(request):
    filters = filters_from(request)
    qs = selectors.event_list(user=request.user, filters=filters)
    context = {**page_context(request, qs), "filters": filters, **_list_context(request)}
    template = "events/_event_rows.html" if request.htmx else "events/event_list.html"
    return render(request, template, context)


@login_required
def event_calendar(request):
    filters = filters_from(request)
    month = filters.month or today().replace(day=1)
    filters.month = month
    events = list(selectors.event_list(user=request.user, filters=filters)[:500])
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append([{"date": d, "in_month": d.month == month.month,
                       "events": [e for e in events if e.start_date <= d <= e.end_date]} for d in week])
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    params = request.GET.copy()
    params.pop("month", None)
    return render(request, "events/event_calendar.html", {
        "month": month, "weeks": weeks, "previous": previous, "following": following, "filters": filters,
        "querystring": params.urlencode(), "events": events, **_list_context(request)})


def _event_form(request, data=None, initial=None) -> EventForm:

    provinces = list(acting_provinces(request.user).values_list("pk", flat=True))
    plans = AnnualPlan.objects.filter(Q(province_id__in=provinces) | Q(province__isnull=True)).order_by("-year")
    projects = Project.objects.filter(province_id__in=provinces,
                                      plan__year__gte=today().year - 4).order_by("-plan__year", "code")
    return EventForm(data=data, initial=initial, organisations=my_organisations(request.user), plans=plans,
                     projects=projects)


@login_required
def event_create(request):
    initial = {"kind": request.GET.get("kind", EventKind.STUDY_TOUR_DOMESTIC), "fund": "local"}
    form = _event_form(request, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, data=form.service_data())
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Event planned."))
            return redirect("event_detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
def event_edit(request, pk: int):
    event = event_or_404(request, pk)
    decision = can_edit_event(request.user, event)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("event_detail", pk=event.pk)
    initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    initial["version"] = event.version
    form = _event_form(request, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, data=form.service_data(),
                                  version=form.cleaned_data["version"] or 0)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("event_detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
def event_detail(request, pk: int):
    return render_event(request, event_or_404(request, pk))


@login_required
@require_POST
def event_act(request, pk: int, action: str):
    event = event_or_404(request, pk)
    inputs = {k: request.POST.get(k, "") for k in ("reference", "reason")}
    return run(request, event, lambda: services.event_transition(actor=request.user, event=event, action=action,
                                                                  inputs=inputs),
                ok=_("Done: the event is now “%(status)s”.") % {"status": flows.target_label(action)}
                if action in flows.BY_ACTION else "", anchor="actions")
