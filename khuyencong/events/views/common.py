"""What the events pages share: reading the event, re-rendering its page with a refused form, running a service.

Forms posted from the event page re-render the page with the typed values and the service's refusal on the field,
so nothing typed is lost; successful posts redirect back to the section they came from.
"""

import datetime

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation
from khuyencong.accounts.scope import acting_province_ids, user_scope
from khuyencong.core.errors import DomainError
from khuyencong.core.periods import FIRST_YEAR, LAST_YEAR
from khuyencong.geo.models import REFORM_DATE, AdminUnit
from khuyencong.network.models import Collaborator
from khuyencong.registry.models import CraftVillage, Establishment

from .. import selectors, services
from ..forms import (
    AttendanceForm,
    BoothForm,
    BudgetLineForm,
    CurriculumForm,
    DayForm,
    ParticipantForm,
    PlaceForm,
    ResultForm,
    SpentForm,
    VisitForm,
)
from ..models import Event, ItineraryDay, ModelPractice, ParticipantRole


def int_param(value) -> int | None:
    # isdecimal, not isdigit: "²" is a digit that int() refuses; fewer than 19 digits: below 2^63
    return int(value) if value and str(value).isdecimal() and len(str(value)) < 19 else None


def year_param(request, value) -> int | None:
    """A year typed in the address (a filter): one outside the years the product knows (core.periods) is ignored
    with a notice, rather than asked of the database's calendar."""
    year = int_param(value)
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        messages.warning(request, _("The year %(year)s is out of range (%(first)s–%(last)s): the filter is ignored.")
                         % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR})
        return None
    return year


def today() -> datetime.date:
    return timezone.localdate()


def my_organisations(user):
    """Active organisations of the provinces the user acts in (all of them for a national user)."""
    qs = Organisation.objects.filter(is_active=True)
    provinces = acting_province_ids(user)
    if provinces is not None:
        qs = qs.filter(province_id__in=provinces)
    return qs.select_related("province").order_by("province__code", "kind", "name")


def show_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def event_or_404(request, pk: int) -> Event:
    event = selectors.event_get(user=request.user, pk=pk)
    if event is None:
        raise Http404(_("Event not found."))
    return event


def participant_form(request, event, data=None, initial=None) -> ParticipantForm:
    scope = user_scope(request.user)
    establishments = scope.filter(Establishment.objects.filter(province_id=event.province_id,
                                                               merged_into__isnull=True),
                                  province="province_id", commune="commune_id").order_by("name_folded")
    collaborators = Collaborator.objects.filter(province_id=event.province_id).order_by("name_folded")
    return ParticipantForm(data=data, initial=initial, organisations=my_organisations(request.user),
                           establishments=establishments, collaborators=collaborators)


def visit_form(request, day: ItineraryDay, data=None) -> VisitForm:
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


def day_form(request, event, data=None) -> DayForm:
    scheme = "legacy" if event.start_date < REFORM_DATE else "current"
    provinces = AdminUnit.objects.filter(scheme=scheme, level="province").order_by("name")
    organisations = Organisation.objects.filter(kind__in=("kc_centre", "doit")).select_related("province").order_by(
        "province__name", "name")
    days = [event.start_date + datetime.timedelta(days=i) for i in range(event.days)]
    return DayForm(data=data, days=days, provinces=provinces, organisations=organisations)


def render_event(request, event: Event, status: int = 200, **bound):
    """The event's page (`selectors.event_page`) with the forms of what the user may still change; `bound` holds a
    refused form to show again with its error."""
    context = selectors.event_page(user=request.user, event=event, on_date=today())
    can = context["can"]
    if can["edit"]:
        scope = user_scope(request.user)
        establishments = scope.filter(Establishment.objects.filter(province_id=event.province_id,
                                                                   merged_into__isnull=True),
                                      province="province_id", commune="commune_id").order_by("name_folded")
        context.update({
            "place_form": bound.get("place_form") or PlaceForm(on_date=event.start_date),
            "line_form": bound.get("line_form") or BudgetLineForm(),
            "participant_form": bound.get("participant_form") or participant_form(request, event),
            "curriculum_form": bound.get("curriculum_form") or CurriculumForm(
                teachers=event.participants.filter(role=ParticipantRole.TEACHER)),
            "day_form": bound.get("day_form") or day_form(request, event),
            "booth_form": bound.get("booth_form") or BoothForm(establishments=establishments),
            "day_visit_forms": [(d, bound.get(f"visit_form_{d.pk}") or visit_form(request, d))
                                for d in context["itinerary"]],
        })
    else:
        context["day_visit_forms"] = [(d, None) for d in context["itinerary"]]
    if can["attendance"]:
        context["attendance_form"] = bound.get("attendance_form") or AttendanceForm(
            days=context["matrix"]["days"], participants=context["members"])
    context["result_choices"] = ResultForm().fields["result"].choices
    context["spent_form"] = SpentForm()
    return render(request, "events/event_detail.html", context, status=status)


def back(event: Event, anchor: str = ""):
    return redirect(reverse("event_detail", args=[event.pk]) + (f"#{anchor}" if anchor else ""))


def run(request, event, call, *, ok: str, anchor: str, form=None, form_key: str = ""):
    """Runs a service; on refusal shows it on the form (page re-rendered) or as a message."""
    try:
        call()
    except DomainError as exc:
        if form is not None:
            show_error(form, exc)
            return render_event(request, event_or_404(request, event.pk), status=422, **{form_key: form})
        messages.error(request, exc.message)
        return back(event, anchor)
    messages.success(request, ok)
    return back(event, anchor)


def invalid(request, event, form, form_key):
    return render_event(request, event_or_404(request, event.pk), status=422, **{form_key: form})
