"""Training courses: the curriculum, results and employment of trainees, and the training indicator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import user_scope
from khuyencong.registry.models import Establishment

from .. import selectors, services
from ..forms import CurriculumForm, EmploymentForm, ResultForm
from ..models import CurriculumItem, Participant, ParticipantRole
from .common import (
    back,
    event_or_404,
    invalid,
    run,
    today,
    year_param,
)


@login_required
@require_POST
def trainee_result(request, pk: int, participant_pk: int):
    event = event_or_404(request, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, event=event)
    form = ResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the result and the certificate's date."))
        return back(event, "results")
    d = form.cleaned_data
    return run(request, event, lambda: services.trainee_result_set(
        actor=request.user, participant=participant, result=d["result"], certificate_number=d["certificate_number"],
        certificate_issued_on=d["certificate_issued_on"]), ok=_("Result recorded."), anchor="results")


@login_required
@require_POST
def trainee_employment(request, pk: int, participant_pk: int):
    event = event_or_404(request, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, event=event)
    scope = user_scope(request.user)
    establishments = scope.filter(Establishment.objects.all(), province="province_id", commune="commune_id")
    form = EmploymentForm(request.POST, request.FILES, establishments=establishments)
    if not form.is_valid():
        messages.error(request, _("Check the employment details."))
        return back(event, "results")
    d = form.cleaned_data
    return run(request, event, lambda: services.trainee_employment_set(
        actor=request.user, participant=participant, employed=d["employed"], employer=d["employer"],
        employer_name=d["employer_name"], confirmation=d["confirmation"], employed_from=d["employed_from"],
        upload=d["file"]), ok=_("Employment recorded."), anchor="results")


@login_required
@require_POST
def curriculum_add(request, pk: int):
    event = event_or_404(request, pk)
    form = CurriculumForm(request.POST, teachers=event.participants.filter(role=ParticipantRole.TEACHER))
    if not form.is_valid():
        return invalid(request, event, form, "curriculum_form")
    d = form.cleaned_data
    return run(request, event, lambda: services.curriculum_item_add(
        actor=request.user, event=event, subject=d["subject"], theory_hours=d["theory_hours"],
        practice_hours=d["practice_hours"], teacher=d["teacher"]),
        ok=_("Module added."), anchor="curriculum", form=form, form_key="curriculum_form")


@login_required
@require_POST
def curriculum_remove(request, pk: int, item_pk: int):
    event = event_or_404(request, pk)
    item = get_object_or_404(CurriculumItem, pk=item_pk, event=event)
    return run(request, event, lambda: services.curriculum_item_remove(actor=request.user, item=item),
                ok=_("Module removed."), anchor="curriculum")


@login_required
def training_results(request):
    year = year_param(request, request.GET.get("year"))
    return render(request, "events/training_results.html", {
        "results": selectors.training_results(user=request.user, year=year), "year": year,
        "years": list(range(today().year, 2011, -1))})
