"""Study tours: places, the itinerary and its sites, and the mission report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.core import documents
from khuyencong.core.errors import DomainError

from .. import services
from ..forms import PlaceForm, ReportForm
from ..models import EventPlace, ItineraryDay, SiteVisit
from ..permissions import report_abilities
from ..report import report_document
from ..selectors import mission_report_of
from .common import (
    back,
    day_form,
    event_or_404,
    invalid,
    run,
    show_error,
    visit_form,
)


@login_required
@require_POST
def place_add(request, pk: int):
    event = event_or_404(request, pk)
    form = PlaceForm(request.POST, on_date=event.start_date)
    if not form.is_valid():
        return invalid(request, event, form, "place_form")
    return run(request, event, lambda: services.event_place_add(actor=request.user, event=event,
                                                                 unit=form.cleaned_data["unit"]),
                ok=_("Place added."), anchor="places", form=form, form_key="place_form")


@login_required
@require_POST
def place_remove(request, pk: int, place_pk: int):
    event = event_or_404(request, pk)
    place = get_object_or_404(EventPlace, pk=place_pk, event=event)
    return run(request, event, lambda: services.event_place_remove(actor=request.user, place=place),
                ok=_("Place removed."), anchor="places")


@login_required
@require_POST
def day_add(request, pk: int):
    event = event_or_404(request, pk)
    form = day_form(request, event, data=request.POST)
    if not form.is_valid():
        return invalid(request, event, form, "day_form")
    d = form.cleaned_data
    return run(request, event, lambda: services.itinerary_day_add(
        actor=request.user, event=event, day=d["day"], host_province=d["host_province"],
        host_organisation=d["host_organisation"], host_name=d["host_name"], activities=d["activities"],
        topics=d["topics"]), ok=_("Day added to the itinerary."), anchor="itinerary", form=form, form_key="day_form")


@login_required
@require_POST
def day_remove(request, pk: int, day_pk: int):
    event = event_or_404(request, pk)
    day = get_object_or_404(ItineraryDay, pk=day_pk, event=event)
    return run(request, event, lambda: services.itinerary_day_remove(actor=request.user, day=day),
                ok=_("Day removed."), anchor="itinerary")


@login_required
@require_POST
def visit_add(request, pk: int, day_pk: int):
    event = event_or_404(request, pk)
    day = get_object_or_404(ItineraryDay, pk=day_pk, event=event)
    form = visit_form(request, day, data=request.POST)
    if not form.is_valid():
        return invalid(request, event, form, f"visit_form_{day.pk}")
    d = form.cleaned_data
    return run(request, event, lambda: services.site_visit_add(
        actor=request.user, day=day, kind=d["kind"], name=d["name"], establishment=d["establishment"],
        craft_village=d["craft_village"], note=d["note"]),
        ok=_("Site added."), anchor=f"day-{day.pk}", form=form, form_key=f"visit_form_{day.pk}")


@login_required
@require_POST
def visit_remove(request, pk: int, visit_pk: int):
    event = event_or_404(request, pk)
    visit = get_object_or_404(SiteVisit, pk=visit_pk, day__event=event)
    return run(request, event, lambda: services.site_visit_remove(actor=request.user, visit=visit),
                ok=_("Site removed."), anchor="itinerary")


@login_required
def mission_report(request, pk: int):
    """The printable report; with ?edit=1 (or on POST) the form to complete it before signing."""
    event = event_or_404(request, pk)
    report = mission_report_of(event)
    if report is None:
        if request.method == "POST":
            try:
                services.mission_report_prepare(actor=request.user, event=event)
            except DomainError as exc:
                messages.error(request, exc.message)
                return back(event, "report")
            messages.success(request, _("The report was drafted from the tour's data: complete it before signing."))
            return redirect(reverse("event_report", args=[event.pk]) + "?edit=1")
        raise Http404(_("No mission report has been drafted yet."))
    abilities = report_abilities(request.user, event)
    editable = abilities["editable"]
    form = None
    if editable and (request.method == "POST" or request.GET.get("edit")):
        initial = {k: getattr(report, k) for k in services.REPORT_FIELDS} | {"version": report.version}
        form = ReportForm(data=request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.mission_report_update(actor=request.user, report_obj=report, data=data, version=version)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Report saved."))
                return redirect("event_report", pk=event.pk)
    official = report_document(event, report)
    fmt = request.GET.get("format", "")
    if fmt in documents.CONTENT_TYPES and form is None:
        return documents.document_response(official, fmt=fmt, filename=f"bao-cao-{event.pk}-{event.title[:60]}")
    return render(request, "events/mission_report.html", {
        "event": event, "report": report, "form": form, **abilities,
        "document_html": documents.render_fragment(official)})


@login_required
@require_POST
def mission_report_sign(request, pk: int):
    event = event_or_404(request, pk)
    report = mission_report_of(event)
    if report is None:
        raise Http404(_("No mission report has been drafted yet."))
    try:
        services.mission_report_sign(actor=request.user, report_obj=report)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Report signed: its text is now fixed."))
    return redirect("event_report", pk=event.pk)


@login_required
@require_POST
def mission_report_regenerate(request, pk: int):
    event = event_or_404(request, pk)
    report = mission_report_of(event)
    if report is None:
        raise Http404(_("No mission report has been drafted yet."))
    try:
        services.mission_report_regenerate(actor=request.user, report_obj=report)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The text was rebuilt from the tour's data."))
    return redirect(reverse("event_report", args=[event.pk]) + "?edit=1")
