"""An event's participants and its signed attendance lists."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.core.errors import DomainError

from .. import services
from ..forms import AttendanceForm
from ..models import Participant, ParticipantRole
from ..permissions import can_edit_event
from .common import (
    back,
    event_or_404,
    invalid,
    participant_form,
    run,
    show_error,
)


@login_required
@require_POST
def participant_add(request, pk: int):
    event = event_or_404(request, pk)
    form = participant_form(request, event, data=request.POST)
    if not form.is_valid():
        return invalid(request, event, form, "participant_form")
    return run(request, event, lambda: services.participant_add(actor=request.user, event=event,
                                                                 data=form.service_data()),
                ok=_("Participant added."), anchor="participants", form=form, form_key="participant_form")


@login_required
def participant_edit(request, pk: int, participant_pk: int):
    event = event_or_404(request, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, event=event)
    decision = can_edit_event(request.user, event)
    if not decision:
        messages.error(request, decision.reason)
        return back(event, "participants")
    initial = {k: getattr(participant, k) for k in services.PARTICIPANT_FIELDS}
    initial["state_paid"] = "yes" if participant.state_paid else "no"
    initial["version"] = participant.version
    form = participant_form(request, event, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(actor=request.user, participant=participant, data=form.service_data(),
                                        version=form.cleaned_data["version"] or 0)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return back(event, "participants")
    return render(request, "events/participant_form.html", {"form": form, "event": event,
                                                            "participant": participant})


@login_required
@require_POST
def participant_remove(request, pk: int, participant_pk: int):
    event = event_or_404(request, pk)
    participant = get_object_or_404(Participant, pk=participant_pk, event=event)
    return run(request, event, lambda: services.participant_remove(actor=request.user, participant=participant),
                ok=_("Participant removed."), anchor="participants")


@login_required
@require_POST
def attendance_upload(request, pk: int):
    event = event_or_404(request, pk)
    participants = [p for p in event.participants.all() if p.role != ParticipantRole.HOST]
    days = [event.start_date + datetime.timedelta(days=i) for i in range(event.days)]
    form = AttendanceForm(request.POST, request.FILES, days=days, participants=participants)
    if not form.is_valid():
        return invalid(request, event, form, "attendance_form")
    chosen = {int(x) for x in form.cleaned_data["present"]}
    present = [p for p in participants if p.pk in chosen]
    return run(request, event, lambda: services.attendance_record(
        actor=request.user, event=event, day=form.cleaned_data["day"], upload=form.cleaned_data["file"],
        present=present), ok=_("Signed list stored."), anchor="attendance", form=form, form_key="attendance_form")


@login_required
def attendance_file(request, pk: int, day: str):
    event = event_or_404(request, pk)
    try:
        on = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404(_("No signed list for that day.")) from None
    sheet = event.attendance_sheets.filter(day=on).first()
    if sheet is None or not sheet.file:
        raise Http404(_("No signed list for that day."))
    return FileResponse(sheet.file.open("rb"), as_attachment=False, filename=sheet.original_name)
