"""The study-tour planner: host provinces ranked for the topics, and a tour drafted in one step."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import acting_provinces
from khuyencong.core.errors import DomainError
from khuyencong.geo.models import AdminUnit

from .. import planner, services
from ..forms import DraftForm, PlannerForm
from ..permissions import can_create_event
from .common import (
    today,
)


@login_required
def event_planner(request):
    provinces = acting_provinces(request.user)
    initial = {"home": provinces.first()} if provinces.count() == 1 else {}
    form = PlannerForm(data=request.GET or None, initial=initial, provinces=provinces)
    result, draft_form = None, None
    if form.is_bound and form.is_valid():
        home, topics = form.cleaned_data["home"], form.cleaned_data["topics"]
        result = planner.rank_hosts(user=request.user, topics=topics, home_province=home)
        hosts = AdminUnit.objects.filter(pk__in=[c.province.pk for c in result.candidates])
        draft_form = DraftForm(initial={
            "home": home, "topics": topics, "hosts": [c.province for c in result.candidates[:2]],
            "start_date": today() + datetime.timedelta(days=60), "audience": "mixed"},
            provinces=provinces, hosts=hosts)
    return render(request, "events/planner.html", {"form": form, "result": result, "draft_form": draft_form,
                                                   "can_draft": bool(can_create_event(
                                                       request.user, form.cleaned_data["home"].pk))
                                                   if result else False})


@login_required
@require_POST
def event_draft(request):
    provinces = acting_provinces(request.user)
    form = DraftForm(request.POST, provinces=provinces, hosts=AdminUnit.objects.current().provinces())
    if form.is_valid():
        d = form.cleaned_data
        order = [int(x) for x in request.POST.getlist("hosts") if x.isdecimal()]
        hosts = sorted(d["hosts"], key=lambda h: order.index(h.pk) if h.pk in order else 99)
        try:
            event = services.study_tour_draft(
                actor=request.user, home_province=d["home"], hosts=hosts, topics=d["topics"],
                start_date=d["start_date"], days_per_host=d["days_per_host"], audience=d["audience"],
                fund=d["fund"], state_paid=d["state_paid"], non_state=d["non_state"],
                transport_cost=d["transport_cost"] or 0, per_diem=d["per_diem"] or 0, lodging=d["lodging"] or 0,
                title=d["title"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Study tour drafted: name the participants and check the budget."))
            return redirect("event_detail", pk=event.pk)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    home = request.POST.get("home", "")
    params = "&".join([f"home={home}"] + [f"topics={t}" for t in request.POST.getlist("topics")])
    return redirect(reverse("event_planner") + "?" + params)
