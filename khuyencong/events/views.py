"""Pages of the events module: thin views over the services and selectors.

Forms posted from the event page re-render the page with the typed values and the service's refusal on the field,
so nothing typed is lost; successful posts redirect back to the section they came from.
"""

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.models import Organisation
from khuyencong.accounts.scope import user_scope
from khuyencong.core import documents
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import page_context
from khuyencong.geo.models import REFORM_DATE, AdminUnit
from khuyencong.registry.models import CraftVillage, Establishment

from . import exports, flows, planner, selectors, services
from .forms import (
    AttendanceForm,
    BoothForm,
    BudgetLineForm,
    CurriculumForm,
    DayForm,
    DraftForm,
    EmploymentForm,
    EventForm,
    FollowUpForm,
    LessonForm,
    ParticipantForm,
    PlaceForm,
    PlannerForm,
    PracticeForm,
    ReportForm,
    ResultForm,
    SpentForm,
    VisitForm,
)
from .models import (
    Booth,
    BudgetLine,
    CurriculumItem,
    Event,
    EventPlace,
    EventStatus,
    FollowUp,
    ItineraryDay,
    ModelPractice,
    Participant,
    ParticipantRole,
    SiteVisit,
)
from .permissions import (
    can_act_for,
    can_create_event,
    can_edit_budget,
    can_edit_event,
    can_edit_lesson,
    can_edit_practice,
    can_edit_report,
    can_record_attendance,
    can_record_spending,
    can_write_lesson,
    home_provinces,
)
from .report import report_document
from .vocab import EventKind, Topic

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _today() -> datetime.date:
    return timezone.localdate()


def _my_provinces(user):
    """Provinces the user acts in (all of them for a national user)."""
    scope = user_scope(user)
    provinces = AdminUnit.objects.current().provinces()
    if not scope.national:
        provinces = provinces.filter(pk__in=scope.province_ids)
    return provinces.order_by("name")


def _my_organisations(user):
    scope = user_scope(user)
    qs = Organisation.objects.filter(is_active=True)
    if not scope.national:
        qs = qs.filter(province_id__in=scope.province_ids)
    return qs.select_related("province").order_by("province__code", "kind", "name")


def _error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# --- list, calendar, create, edit


def filters_from(params) -> selectors.EventFilters:
    month = None
    if params.get("month"):
        try:
            month = datetime.date.fromisoformat(params["month"] + "-01")
        except ValueError:
            month = None
    return selectors.EventFilters(
        q=params.get("q", "").strip(), kind=params.get("kind", ""), status=params.get("status", ""),
        year=_int(params.get("year")), province=_int(params.get("province")),
        topic=params.get("topic", "") if params.get("topic") in Topic.values else "", month=month)


def _list_context(request) -> dict:
    provinces = _my_provinces(request.user)
    return {
        "kinds": [("study_tour", _("Study tours (all)")), *EventKind.choices, ("fair", _("Fairs (all)"))],
        "statuses": EventStatus.choices, "topics": Topic.choices, "provinces": provinces,
        "years": list(range(_today().year + 1, 2011, -1)),
        "can_create": bool(can_create_event(request.user, next(iter(home_provinces(request.user)), None)))
        or user_scope(request.user).national,
    }


@login_required
def event_list(request):
    filters = filters_from(request.GET)
    qs = selectors.event_list(user=request.user, filters=filters)
    context = {**page_context(request, qs), "filters": filters, **_list_context(request)}
    template = "events/_event_rows.html" if request.htmx else "events/event_list.html"
    return render(request, template, context)


@login_required
def event_calendar(request):
    filters = filters_from(request.GET)
    month = filters.month or _today().replace(day=1)
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
    from khuyencong.projects.models import AnnualPlan, Project

    provinces = list(_my_provinces(request.user).values_list("pk", flat=True))
    plans = AnnualPlan.objects.filter(Q(province_id__in=provinces) | Q(province__isnull=True)).order_by("-year")
    projects = Project.objects.filter(province_id__in=provinces,
                                      plan__year__gte=_today().year - 4).order_by("-plan__year", "code")
    return EventForm(data=data, initial=initial, organisations=_my_organisations(request.user), plans=plans,
                     projects=projects)


@login_required
def event_create(request):
    initial = {"kind": request.GET.get("kind", EventKind.STUDY_TOUR_DOMESTIC), "fund": "local"}
    form = _event_form(request, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, data=form.service_data())
        except DomainError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Event planned."))
            return redirect("event_detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": None})


def _event_or_404(request, pk: int) -> Event:
    event = selectors.event_get(user=request.user, pk=pk)
    if event is None:
        raise Http404(_("Event not found."))
    return event


@login_required
def event_edit(request, pk: int):
    event = _event_or_404(request, pk)
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
            _error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("event_detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


# --- the event page


def _participant_form(request, event, data=None, initial=None) -> ParticipantForm:
    from khuyencong.network.models import Collaborator

    scope = user_scope(request.user)
    establishments = scope.filter(Establishment.objects.filter(province_id=event.province_id,
                                                               merged_into__isnull=True),
                                  province="province_id", commune="commune_id").order_by("name_folded")
    collaborators = Collaborator.objects.filter(province_id=event.province_id).order_by("name_folded")
    return ParticipantForm(data=data, initial=initial, organisations=_my_organisations(request.user),
                           establishments=establishments, collaborators=collaborators)


def _visit_form(request, day: ItineraryDay, data=None) -> VisitForm:
    host = services.current_province_of(day.host_province)
    host_id = host.pk if host else 0
    published = ModelPractice.objects.filter(province_id=host_id, establishment__isnull=False).values(
        "establishment_id")
    scope = user_scope(request.user)
    condition = Q(pk__in=published)
    if scope.covers_province(host_id):
        condition |= Q(province_id=host_id)
    establishments = Establishment.objects.filter(province_id=host_id).filter(condition).order_by("name_folded")
    villages = CraftVillage.objects.filter(province_id=host_id).order_by("name")
    return VisitForm(data=data, prefix=f"visit{day.pk}", establishments=establishments, villages=villages)


def _day_form(request, event, data=None) -> DayForm:
    scheme = "legacy" if event.start_date < REFORM_DATE else "current"
    provinces = AdminUnit.objects.filter(scheme=scheme, level="province").order_by("name")
    organisations = Organisation.objects.filter(kind__in=("kc_centre", "doit")).select_related("province").order_by(
        "province__name", "name")
    days = [event.start_date + datetime.timedelta(days=i) for i in range(event.days)]
    return DayForm(data=data, days=days, provinces=provinces, organisations=organisations)


def _render_event(request, event: Event, status: int = 200, **bound):
    user = request.user
    participants = list(event.participants.all())
    members = [p for p in participants if p.role != ParticipantRole.HOST]
    trainees = [p for p in participants if p.role == ParticipantRole.TRAINEE]
    matrix = selectors.attendance_matrix(event)
    days = matrix["days"]
    scope = user_scope(user)
    establishments = scope.filter(Establishment.objects.filter(province_id=event.province_id,
                                                               merged_into__isnull=True),
                                  province="province_id", commune="commune_id").order_by("name_folded")
    edit = can_edit_event(user, event)
    act_for = can_act_for(user, event)
    itinerary = list(event.itinerary.all())
    context = {
        "event": event,
        "actions": flows.available_actions(event, user, _today()),
        "edit": edit,
        "edit_places": bool(edit) and event.status in (EventStatus.PLANNED, EventStatus.APPROVED),
        "record_attendance": can_record_attendance(user, event),
        "can_certify": bool(act_for) and event.status in (EventStatus.DONE, EventStatus.REPORTED),
        "can_results": bool(edit) and event.status == EventStatus.DONE,
        "can_employment": bool(act_for) and event.status in (EventStatus.DONE, EventStatus.REPORTED,
                                                             EventStatus.SETTLED),
        "edit_budget": can_edit_budget(user, event),
        "record_spending": can_record_spending(user, event),
        "edit_report": can_edit_report(user, event),
        "write_lesson": can_write_lesson(user, event.province_id),
        "budget": selectors.budget_summary(event),
        "participants": participants, "members": members, "trainees": trainees,
        "matrix": matrix,
        "state_paid_count": sum(1 for p in members if p.state_paid),
        "report": _report_of(event),
        "history": audit_events_for(event)[:50],
        "today": _today(),
    }
    if edit:
        context.update({
            "place_form": bound.get("place_form") or PlaceForm(on_date=event.start_date),
            "line_form": bound.get("line_form") or BudgetLineForm(),
            "participant_form": bound.get("participant_form") or _participant_form(request, event),
            "curriculum_form": bound.get("curriculum_form") or CurriculumForm(
                teachers=event.participants.filter(role=ParticipantRole.TEACHER)),
            "day_form": bound.get("day_form") or _day_form(request, event),
            "booth_form": bound.get("booth_form") or BoothForm(establishments=establishments),
            "day_visit_forms": [(d, bound.get(f"visit_form_{d.pk}") or _visit_form(request, d)) for d in itinerary],
        })
    else:
        context["day_visit_forms"] = [(d, None) for d in itinerary]
    if context["record_attendance"]:
        context["attendance_form"] = bound.get("attendance_form") or AttendanceForm(
            days=days, participants=[p for p in participants if p.role != ParticipantRole.HOST])
    context["result_choices"] = ResultForm().fields["result"].choices
    context["spent_form"] = SpentForm()
    return render(request, "events/event_detail.html", context, status=status)


@login_required
def event_detail(request, pk: int):
    return _render_event(request, _event_or_404(request, pk))


def _report_of(event: Event):
    """The tour's mission report, or None before one is drafted."""
    return event.mission_report if hasattr(event, "mission_report") else None


def _back(event: Event, anchor: str = ""):
    return redirect(reverse("event_detail", args=[event.pk]) + (f"#{anchor}" if anchor else ""))


def _run(request, event, call, *, ok: str, anchor: str, form=None, form_key: str = ""):
    """Runs a service; on refusal shows it on the form (page re-rendered) or as a message."""
    try:
        call()
    except DomainError as exc:
        if form is not None:
            _error(form, exc)
            return _render_event(request, _event_or_404(request, event.pk), status=422, **{form_key: form})
        messages.error(request, exc.message)
        return _back(event, anchor)
    messages.success(request, ok)
    return _back(event, anchor)


def _invalid(request, event, form, form_key):
    return _render_event(request, _event_or_404(request, event.pk), status=422, **{form_key: form})


@login_required
@require_POST
def event_act(request, pk: int, action: str):
    event = _event_or_404(request, pk)
    inputs = {k: request.POST.get(k, "") for k in ("reference", "reason")}
    return _run(request, event, lambda: services.event_transition(actor=request.user, event=event, action=action,
                                                                  inputs=inputs),
                ok=_("Done: the event is now “%(status)s”.") % {"status": flows.BY_ACTION[action].target.label}
                if action in flows.BY_ACTION else "", anchor="actions")


@login_required
@require_POST
def place_add(request, pk: int):
    event = _event_or_404(request, pk)
    form = PlaceForm(request.POST, on_date=event.start_date)
    if not form.is_valid():
        return _invalid(request, event, form, "place_form")
    return _run(request, event, lambda: services.event_place_add(actor=request.user, event=event,
                                                                 unit=form.cleaned_data["unit"]),
                ok=_("Place added."), anchor="places", form=form, form_key="place_form")


@login_required
@require_POST
def place_remove(request, pk: int, place_pk: int):
    event = _event_or_404(request, pk)
    place = get_object_or_404(EventPlace, pk=place_pk, event=event)
    return _run(request, event, lambda: services.event_place_remove(actor=request.user, place=place),
                ok=_("Place removed."), anchor="places")


@login_required
@require_POST
def budget_add(request, pk: int):
    event = _event_or_404(request, pk)
    form = BudgetLineForm(request.POST)
    if not form.is_valid():
        return _invalid(request, event, form, "line_form")
    d = form.cleaned_data
    return _run(request, event, lambda: services.budget_line_add(
        actor=request.user, event=event, kind=d["kind"], unit_cost=d["unit_cost"], quantity=d["quantity"],
        support=d["support"], description=d["description"]),
        ok=_("Budget line added."), anchor="budget", form=form, form_key="line_form")


@login_required
@require_POST
def budget_remove(request, pk: int, line_pk: int):
    event = _event_or_404(request, pk)
    line = get_object_or_404(BudgetLine, pk=line_pk, event=event)
    return _run(request, event, lambda: services.budget_line_remove(actor=request.user, line=line),
                ok=_("Budget line removed."), anchor="budget")


@login_required
@require_POST
def budget_spent(request, pk: int, line_pk: int):
    event = _event_or_404(request, pk)
    line = get_object_or_404(BudgetLine, pk=line_pk, event=event)
    form = SpentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type the amount spent in đồng."))
        return _back(event, "budget")
    return _run(request, event, lambda: services.budget_line_spent(actor=request.user, line=line,
                                                                   spent=form.cleaned_data["spent"]),
                ok=_("Spending recorded."), anchor="budget")


@login_required
@require_POST
def participant_add(request, pk: int):
    event = _event_or_404(request, pk)
    form = _participant_form(request, event, data=request.POST)
    if not form.is_valid():
        return _invalid(request, event, form, "participant_form")
    return _run(request, event, lambda: services.participant_add(actor=request.user, event=event,
                                                                 data=form.service_data()),
                ok=_("Participant added."), anchor="participants", form=form, form_key="participant_form")


@login_required
def participant_edit(request, pk: int, participant_pk: int):
    event = _event_or_404(request, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, event=event)
    decision = can_edit_event(request.user, event)
    if not decision:
        messages.error(request, decision.reason)
        return _back(event, "participants")
    initial = {k: getattr(participant, k) for k in services.PARTICIPANT_FIELDS}
    initial["state_paid"] = "yes" if participant.state_paid else "no"
    initial["version"] = participant.version
    form = _participant_form(request, event, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(actor=request.user, participant=participant, data=form.service_data(),
                                        version=form.cleaned_data["version"] or 0)
        except DomainError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return _back(event, "participants")
    return render(request, "events/participant_form.html", {"form": form, "event": event,
                                                            "participant": participant})


@login_required
@require_POST
def participant_remove(request, pk: int, participant_pk: int):
    event = _event_or_404(request, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, event=event)
    return _run(request, event, lambda: services.participant_remove(actor=request.user, participant=participant),
                ok=_("Participant removed."), anchor="participants")


@login_required
@require_POST
def trainee_result(request, pk: int, participant_pk: int):
    event = _event_or_404(request, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, event=event)
    form = ResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the result and the certificate's date."))
        return _back(event, "results")
    d = form.cleaned_data
    return _run(request, event, lambda: services.trainee_result_set(
        actor=request.user, participant=participant, result=d["result"], certificate_number=d["certificate_number"],
        certificate_issued_on=d["certificate_issued_on"]), ok=_("Result recorded."), anchor="results")


@login_required
@require_POST
def trainee_employment(request, pk: int, participant_pk: int):
    event = _event_or_404(request, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, event=event)
    scope = user_scope(request.user)
    establishments = scope.filter(Establishment.objects.all(), province="province_id", commune="commune_id")
    form = EmploymentForm(request.POST, request.FILES, establishments=establishments)
    if not form.is_valid():
        messages.error(request, _("Check the employment details."))
        return _back(event, "results")
    d = form.cleaned_data
    return _run(request, event, lambda: services.trainee_employment_set(
        actor=request.user, participant=participant, employed=d["employed"], employer=d["employer"],
        employer_name=d["employer_name"], confirmation=d["confirmation"], employed_from=d["employed_from"],
        upload=d["file"]), ok=_("Employment recorded."), anchor="results")


@login_required
@require_POST
def attendance_upload(request, pk: int):
    event = _event_or_404(request, pk)
    participants = [p for p in event.participants.all() if p.role != ParticipantRole.HOST]
    days = [event.start_date + datetime.timedelta(days=i) for i in range(event.days)]
    form = AttendanceForm(request.POST, request.FILES, days=days, participants=participants)
    if not form.is_valid():
        return _invalid(request, event, form, "attendance_form")
    chosen = {int(x) for x in form.cleaned_data["present"]}
    present = [p for p in participants if p.pk in chosen]
    return _run(request, event, lambda: services.attendance_record(
        actor=request.user, event=event, day=form.cleaned_data["day"], upload=form.cleaned_data["file"],
        present=present), ok=_("Signed list stored."), anchor="attendance", form=form, form_key="attendance_form")


@login_required
def attendance_file(request, pk: int, day: str):
    event = _event_or_404(request, pk)
    try:
        on = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404(_("No signed list for that day.")) from None
    sheet = event.attendance_sheets.filter(day=on).first()
    if sheet is None or not sheet.file:
        raise Http404(_("No signed list for that day."))
    return FileResponse(sheet.file.open("rb"), as_attachment=False, filename=sheet.original_name)


@login_required
@require_POST
def curriculum_add(request, pk: int):
    event = _event_or_404(request, pk)
    form = CurriculumForm(request.POST, teachers=event.participants.filter(role=ParticipantRole.TEACHER))
    if not form.is_valid():
        return _invalid(request, event, form, "curriculum_form")
    d = form.cleaned_data
    return _run(request, event, lambda: services.curriculum_item_add(
        actor=request.user, event=event, subject=d["subject"], theory_hours=d["theory_hours"],
        practice_hours=d["practice_hours"], teacher=d["teacher"]),
        ok=_("Module added."), anchor="curriculum", form=form, form_key="curriculum_form")


@login_required
@require_POST
def curriculum_remove(request, pk: int, item_pk: int):
    event = _event_or_404(request, pk)
    item = get_object_or_404(CurriculumItem, pk=item_pk, event=event)
    return _run(request, event, lambda: services.curriculum_item_remove(actor=request.user, item=item),
                ok=_("Module removed."), anchor="curriculum")


@login_required
@require_POST
def day_add(request, pk: int):
    event = _event_or_404(request, pk)
    form = _day_form(request, event, data=request.POST)
    if not form.is_valid():
        return _invalid(request, event, form, "day_form")
    d = form.cleaned_data
    return _run(request, event, lambda: services.itinerary_day_add(
        actor=request.user, event=event, day=d["day"], host_province=d["host_province"],
        host_organisation=d["host_organisation"], host_name=d["host_name"], activities=d["activities"],
        topics=d["topics"]), ok=_("Day added to the itinerary."), anchor="itinerary", form=form, form_key="day_form")


@login_required
@require_POST
def day_remove(request, pk: int, day_pk: int):
    event = _event_or_404(request, pk)
    day = get_object_or_404(ItineraryDay, pk=day_pk, event=event)
    return _run(request, event, lambda: services.itinerary_day_remove(actor=request.user, day=day),
                ok=_("Day removed."), anchor="itinerary")


@login_required
@require_POST
def visit_add(request, pk: int, day_pk: int):
    event = _event_or_404(request, pk)
    day = get_object_or_404(ItineraryDay, pk=day_pk, event=event)
    form = _visit_form(request, day, data=request.POST)
    if not form.is_valid():
        return _invalid(request, event, form, f"visit_form_{day.pk}")
    d = form.cleaned_data
    return _run(request, event, lambda: services.site_visit_add(
        actor=request.user, day=day, kind=d["kind"], name=d["name"], establishment=d["establishment"],
        craft_village=d["craft_village"], note=d["note"]),
        ok=_("Site added."), anchor=f"day-{day.pk}", form=form, form_key=f"visit_form_{day.pk}")


@login_required
@require_POST
def visit_remove(request, pk: int, visit_pk: int):
    event = _event_or_404(request, pk)
    visit = get_object_or_404(SiteVisit, pk=visit_pk, day__event=event)
    return _run(request, event, lambda: services.site_visit_remove(actor=request.user, visit=visit),
                ok=_("Site removed."), anchor="itinerary")


@login_required
@require_POST
def booth_add(request, pk: int):
    event = _event_or_404(request, pk)
    scope = user_scope(request.user)
    establishments = scope.filter(Establishment.objects.filter(merged_into__isnull=True), province="province_id",
                                  commune="commune_id")
    form = BoothForm(request.POST, establishments=establishments)
    if not form.is_valid():
        return _invalid(request, event, form, "booth_form")
    d = form.cleaned_data
    return _run(request, event, lambda: services.booth_add(
        actor=request.user, event=event, establishment=d["establishment"], number=d["number"], price=d["price"],
        support=d["support"], products=d["products"]),
        ok=_("Booth booked."), anchor="booths", form=form, form_key="booth_form")


@login_required
@require_POST
def booth_remove(request, pk: int, booth_pk: int):
    event = _event_or_404(request, pk)
    booth = get_object_or_404(Booth, pk=booth_pk, event=event)
    return _run(request, event, lambda: services.booth_remove(actor=request.user, booth=booth),
                ok=_("Booth removed."), anchor="booths")


@login_required
@require_POST
def booth_certify(request, pk: int, booth_pk: int):
    event = _event_or_404(request, pk)
    booth = get_object_or_404(Booth, pk=booth_pk, event=event)
    certified = request.POST.get("certified") == "1"
    return _run(request, event, lambda: services.booth_certify(actor=request.user, booth=booth, certified=certified),
                ok=_("Exhibitor certified.") if certified else _("Certification withdrawn."), anchor="booths")


# --- mission report


@login_required
def mission_report(request, pk: int):
    """The printable report; with ?edit=1 (or on POST) the form to complete it before signing."""
    event = _event_or_404(request, pk)
    report = _report_of(event)
    if report is None:
        if request.method == "POST":
            try:
                services.mission_report_prepare(actor=request.user, event=event)
            except DomainError as exc:
                messages.error(request, exc.message)
                return _back(event, "report")
            messages.success(request, _("The report was drafted from the tour's data: complete it before signing."))
            return redirect(reverse("event_report", args=[event.pk]) + "?edit=1")
        raise Http404(_("No mission report has been drafted yet."))
    editable = can_edit_report(request.user, event)
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
                _error(form, exc)
            else:
                messages.success(request, _("Report saved."))
                return redirect("event_report", pk=event.pk)
    official = report_document(event, report)
    fmt = request.GET.get("format", "")
    if fmt in documents.CONTENT_TYPES and form is None:
        return documents.document_response(official, fmt=fmt, filename=f"bao-cao-{event.pk}-{event.title[:60]}")
    return render(request, "events/mission_report.html", {
        "event": event, "report": report, "form": form, "editable": editable,
        "document_html": documents.render_fragment(official)})


@login_required
@require_POST
def mission_report_sign(request, pk: int):
    event = _event_or_404(request, pk)
    report = _report_of(event)
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
    event = _event_or_404(request, pk)
    report = _report_of(event)
    if report is None:
        raise Http404(_("No mission report has been drafted yet."))
    try:
        services.mission_report_regenerate(actor=request.user, report_obj=report)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The text was rebuilt from the tour's data."))
    return redirect(reverse("event_report", args=[event.pk]) + "?edit=1")


# --- exports


def _xlsx(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_participants(request, pk: int):
    event = _event_or_404(request, pk)
    return _xlsx(exports.participants_xlsx(event), f"danh-sach-ky-{event.pk}.xlsx")


@login_required
def export_participants_document(request, pk: int):
    """The participant list to sign as a PDF (?format=pdf, the default) or an editable Word file (?format=docx)."""
    event = _event_or_404(request, pk)
    fmt = request.GET.get("format", "pdf")
    if fmt not in documents.CONTENT_TYPES:
        raise Http404(_("Unknown format."))
    document = exports.participants_document(event, prepared_by=request.user.full_name)
    return documents.document_response(document, fmt=fmt, filename=f"danh-sach-ky-{event.pk}")


@login_required
def export_booths(request, pk: int):
    event = _event_or_404(request, pk)
    return _xlsx(exports.booths_xlsx(event), f"gian-hang-{event.pk}.xlsx")


@login_required
def export_settlement(request, pk: int):
    event = _event_or_404(request, pk)
    return _xlsx(exports.settlement_xlsx(event), f"quyet-toan-{event.pk}.xlsx")


@login_required
def export_table_document(request, pk: int, table: str):
    """The booth list or the settlement summary as a PDF (?format=pdf, the default) or an editable Word file."""
    event = _event_or_404(request, pk)
    fmt = request.GET.get("format", "pdf")
    builders = {"booths": (exports.booths_document, "gian-hang"), "settlement": (exports.settlement_document,
                                                                                 "quyet-toan")}
    if fmt not in documents.CONTENT_TYPES or table not in builders:
        raise Http404(_("Unknown format."))
    build, name = builders[table]
    return documents.document_response(build(event, prepared_by=request.user.full_name), fmt=fmt,
                                       filename=f"{name}-{event.pk}")


# --- training results


@login_required
def training_results(request):
    year = _int(request.GET.get("year"))
    return render(request, "events/training_results.html", {
        "results": selectors.training_results(user=request.user, year=year), "year": year,
        "years": list(range(_today().year, 2011, -1))})


# --- lessons and model practices


def lesson_filters_from(params) -> selectors.LessonFilters:
    return selectors.LessonFilters(q=params.get("q", "").strip(),
                                   topic=params.get("topic", "") if params.get("topic") in Topic.values else "",
                                   province=_int(params.get("province")), changed=params.get("changed") == "1")


@login_required
def lesson_list(request):
    filters = lesson_filters_from(request.GET)
    qs = selectors.lesson_list(user=request.user, filters=filters)
    context = {**page_context(request, qs), "filters": filters, "topics": Topic.choices,
               "provinces": AdminUnit.objects.current().provinces().order_by("name"),
               "can_write": bool(home_provinces(request.user)) or user_scope(request.user).national,
               "practices": selectors.practice_list(q=filters.q, topic=filters.topic,
                                                    province=filters.province)[:6]}
    template = "events/_lesson_rows.html" if request.htmx else "events/lesson_list.html"
    return render(request, template, context)


def _lesson_or_404(request, pk) -> "selectors.Lesson":
    lesson = selectors.lesson_get(user=request.user, pk=pk)
    if lesson is None:
        raise Http404(_("Lesson not found."))
    return lesson


def _tours(request):
    return selectors.event_list(user=request.user, filters=selectors.EventFilters(kind="study_tour"))


@login_required
def lesson_detail(request, pk: int):
    lesson = _lesson_or_404(request, pk)
    edit = can_edit_lesson(request.user, lesson)
    return render(request, "events/lesson_detail.html", {
        "lesson": lesson, "edit": edit, "followup_form": FollowUpForm() if edit else None,
        "history": audit_events_for(lesson)[:30],
        "event_visible": bool(lesson.event_id and selectors.event_get(user=request.user, pk=lesson.event_id))})


@login_required
def lesson_create(request):
    event = None
    if request.GET.get("event") or request.POST.get("event"):
        event = selectors.event_get(user=request.user, pk=_int(request.GET.get("event") or request.POST.get("event")))
    initial = {}
    if event is not None:
        day = event.itinerary.all()[:1]
        initial = {"event": event, "observed_on": event.start_date}
        if day:
            host = services.current_province_of(day[0].host_province)
            initial.update(province=host, place_then=day[0].host_province if day[0].host_province.scheme == "legacy"
                           else None, organisation_name=day[0].host_name,
                           topic=(day[0].topics or [None])[0])
    form = LessonForm(data=request.POST or None, initial=initial, tours=_tours(request))
    provinces = _my_provinces(request.user)
    if request.method == "POST" and form.is_valid():
        author_province = AdminUnit.objects.filter(pk=_int(request.POST.get("author_province"))).first()
        if author_province is not None and author_province not in provinces:
            author_province = None
        try:
            lesson = services.lesson_create(actor=request.user, data=form.service_data(),
                                            author_province=author_province)
        except DomainError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Lesson recorded: every province can now find it."))
            return redirect("lesson_detail", pk=lesson.pk)
    return render(request, "events/lesson_form.html", {"form": form, "lesson": None, "provinces": provinces,
                                                       "several": len(provinces) > 1})


@login_required
def lesson_edit(request, pk: int):
    lesson = _lesson_or_404(request, pk)
    decision = can_edit_lesson(request.user, lesson)
    if not decision:
        if request.method == "POST":
            return HttpResponse(decision.reason, status=403)
        messages.error(request, decision.reason)
        return redirect("lesson_detail", pk=lesson.pk)
    initial = {k: getattr(lesson, k) for k in services.LESSON_FIELDS} | {"version": lesson.version}
    form = LessonForm(data=request.POST or None, initial=initial, tours=_tours(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_update(actor=request.user, lesson=lesson, data=form.service_data(),
                                   version=form.cleaned_data["version"] or 0)
        except DomainError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("lesson_detail", pk=lesson.pk)
    return render(request, "events/lesson_form.html", {"form": form, "lesson": lesson, "several": False})


@login_required
@require_POST
def followup_add(request, pk: int):
    lesson = _lesson_or_404(request, pk)
    decision = can_edit_lesson(request.user, lesson)
    if not decision:
        return HttpResponse(decision.reason, status=403)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.followup_add(actor=request.user, lesson=lesson, data=form.cleaned_data)
            messages.success(request, _("Follow-up added."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Check the follow-up: kind, proposal and owner are needed."))
    return redirect(reverse("lesson_detail", args=[lesson.pk]) + "#followups")


@login_required
@require_POST
def followup_edit(request, pk: int, followup_pk: int):
    lesson = _lesson_or_404(request, pk)
    followup = get_object_or_404(FollowUp, pk=followup_pk, lesson=lesson)
    decision = can_edit_lesson(request.user, lesson)
    if not decision:
        return HttpResponse(decision.reason, status=403)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or followup.version
        try:
            services.followup_update(actor=request.user, followup=followup, data=data, version=version)
            messages.success(request, _("Follow-up updated."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Check the follow-up: kind, proposal and owner are needed."))
    return redirect(reverse("lesson_detail", args=[lesson.pk]) + "#followups")


@login_required
def practice_list(request):
    q = request.GET.get("q", "").strip()
    topic = request.GET.get("topic", "") if request.GET.get("topic") in Topic.values else ""
    province = _int(request.GET.get("province"))
    qs = selectors.practice_list(q=q, topic=topic, province=province)
    mine = home_provinces(request.user)
    return render(request, "events/practice_list.html", {
        **page_context(request, qs), "q": q, "topic": topic, "province": province, "topics": Topic.choices,
        "provinces": AdminUnit.objects.current().provinces().order_by("name"),
        "mine": mine, "can_mark": bool(mine) or user_scope(request.user).national})


def _practice_form(request, data=None, initial=None) -> PracticeForm:
    return PracticeForm(data=data, initial=initial, provinces=_my_provinces(request.user),
                        organisations=_my_organisations(request.user))


@login_required
def practice_create(request):
    form = _practice_form(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_create(actor=request.user, data=form.service_data())
        except DomainError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Model practice marked: other provinces will see it in the planner."))
            return redirect("practice_list")
    return render(request, "events/practice_form.html", {"form": form, "practice": None})


@login_required
def practice_edit(request, pk: int):
    practice = get_object_or_404(ModelPractice.objects.select_related("province"), pk=pk)
    decision = can_edit_practice(request.user, practice)
    if not decision:
        if request.method == "POST":
            return HttpResponse(decision.reason, status=403)
        messages.error(request, decision.reason)
        return redirect("practice_list")
    initial = {k: getattr(practice, k) for k in services.PRACTICE_FIELDS} | {"version": practice.version}
    form = _practice_form(request, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_update(actor=request.user, practice=practice, data=form.service_data(),
                                     version=form.cleaned_data["version"] or 0)
        except DomainError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("practice_list")
    return render(request, "events/practice_form.html", {"form": form, "practice": practice})


# --- planner


def _planner_provinces(request):
    scope = user_scope(request.user)
    return AdminUnit.objects.current().provinces().order_by("name") if scope.national else _my_provinces(request.user)


@login_required
def event_planner(request):
    provinces = _planner_provinces(request)
    initial = {"home": provinces.first()} if provinces.count() == 1 else {}
    form = PlannerForm(data=request.GET or None, initial=initial, provinces=provinces)
    result, draft_form = None, None
    if form.is_bound and form.is_valid():
        home, topics = form.cleaned_data["home"], form.cleaned_data["topics"]
        result = planner.rank_hosts(user=request.user, topics=topics, home_province=home)
        hosts = AdminUnit.objects.filter(pk__in=[c.province.pk for c in result.candidates])
        draft_form = DraftForm(initial={
            "home": home, "topics": topics, "hosts": [c.province for c in result.candidates[:2]],
            "start_date": _today() + datetime.timedelta(days=60), "audience": "mixed"},
            provinces=provinces, hosts=hosts)
    return render(request, "events/planner.html", {"form": form, "result": result, "draft_form": draft_form,
                                                   "can_draft": bool(can_create_event(
                                                       request.user, form.cleaned_data["home"].pk))
                                                   if result else False})


@login_required
@require_POST
def event_draft(request):
    provinces = _planner_provinces(request)
    form = DraftForm(request.POST, provinces=provinces, hosts=AdminUnit.objects.current().provinces())
    if form.is_valid():
        d = form.cleaned_data
        order = [int(x) for x in request.POST.getlist("hosts") if x.isdigit()]
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

