"""Training courses: the curriculum, each trainee's result and certificate, and employment after the course."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import user_scope
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.text import normalize_text
from khuyencong.core.uploads import check_document
from khuyencong.core.versions import versioned_update
from khuyencong.registry.models import Establishment

from ..models import CurriculumItem, Event, Participant, ParticipantRole, TrainingResult
from ..permissions import can_act_for, can_edit_event, employment_open, results_open
from .attendance import attended
from .common import dmy, require, require_state


def trainee_result_set(*, actor, participant: Participant, result: str, certificate_number: str = "",
                       certificate_issued_on: datetime.date | None = None) -> Participant:
    """Records a trainee's result and certificate. A certificate needs a pass and the trainee's signature on at
    least one signed attendance list."""
    event = participant.event
    require(can_edit_event(actor, event))
    if participant.role != ParticipantRole.TRAINEE:
        raise InvalidInput(_("Results are recorded for trainees."), field="result")
    require_state(results_open(event), field="result")
    if result not in TrainingResult.values:
        raise InvalidInput(_("Choose the result."), field="result")
    certificate_number = normalize_text(certificate_number)
    if certificate_number:
        if result != TrainingResult.PASSED:
            raise InvalidInput(_("A certificate is issued only to a trainee who passed."), field="certificate_number")
        if not attended(participant):
            raise InvalidInput(_("%(name)s is on no signed attendance list: upload the signed lists first.") % {
                "name": participant.full_name}, field="certificate_number")
        if certificate_issued_on is None:
            raise InvalidInput(_("Give the date the certificate was issued."), field="certificate_issued_on")
        if certificate_issued_on < event.end_date:
            raise InvalidInput(_("A certificate is issued after the course ends (%(end)s).") % {
                "end": dmy(event.end_date)}, field="certificate_issued_on")
        taken = Participant.objects.filter(event=event, certificate_number=certificate_number).exclude(
            pk=participant.pk)
        if taken.exists():
            raise InvalidInput(_("Certificate number %(number)s is already given to another trainee.") % {
                "number": certificate_number}, field="certificate_number")
    else:
        certificate_issued_on = None
    data = {"result": result, "certificate_number": certificate_number,
            "certificate_issued_on": certificate_issued_on}
    with transaction.atomic():
        changes = field_changes(participant, data)
        if versioned_update(participant, {k: data[k] for k in changes}, participant.version, conflict=_(
                "Someone else changed this trainee after you opened it. Reload and try again.")):
            audit_record(actor=actor, action="event.trainee_result", obj=event,
                         changes={f"{participant.full_name}.{k}": v for k, v in changes.items()})
    return participant


def trainee_employment_set(*, actor, participant: Participant, employed: bool, employer: Establishment | None = None,
                           employer_name: str = "", confirmation: str = "",
                           employed_from: datetime.date | None = None, upload=None) -> Participant:
    """Records that a trainee found work after the course, with the employer's confirmation (a KC indicator).
    Employment is often confirmed months later, so it may be recorded after the event is settled too."""
    event = participant.event
    require(can_act_for(actor, event))
    if participant.role != ParticipantRole.TRAINEE:
        raise InvalidInput(_("Employment is recorded for trainees."), field="employed")
    require_state(employment_open(event), field="employed")
    confirmation = normalize_text(confirmation)
    employer_name = normalize_text(employer_name)
    if employed:
        if employer is None and not employer_name:
            raise InvalidInput(_("Name the employer."), field="employer")
        if not confirmation:
            raise InvalidInput(_("Give the employer's confirmation (letter or contract number and date): employment "
                                 "counts only when confirmed."), field="employment_confirmation")
        if employed_from is not None and employed_from < event.start_date:
            raise InvalidInput(_("Employment after the course starts on or after its first day."),
                               field="employed_from")
        if employer is not None and not user_scope(actor).covers(province_id=employer.province_id,
                                                                 commune_id=employer.commune_id):
            raise PermissionDenied(_("This establishment is outside your area."))
    else:
        employer, employer_name, confirmation, employed_from = None, "", "", None
    check_document(upload, field="employment_confirmation_file")
    data = {"employed": employed, "employer": employer, "employer_name": employer_name,
            "employment_confirmation": confirmation, "employed_from": employed_from}
    with transaction.atomic():
        changes = field_changes(participant, data)
        if upload is not None:
            participant.employment_confirmation_file.save(
                f"xac-nhan-{participant.pk}.{upload.name.rsplit('.', 1)[-1].lower()}", upload, save=False)
            data["employment_confirmation_file"] = participant.employment_confirmation_file.name
            changes["employment_confirmation_file"] = [None, upload.name]
        if changes:
            versioned_update(participant, {k: data[k] for k in data if k in changes}, participant.version,
                              conflict=_("Someone else changed this trainee after you opened it. Reload and try "
                                         "again."))
            audit_record(actor=actor, action="event.trainee_employment", obj=event,
                         changes={f"{participant.full_name}.{k}": v for k, v in changes.items()})
    return participant


def curriculum_item_add(*, actor, event: Event, subject: str, theory_hours: int = 0, practice_hours: int = 0,
                        teacher: Participant | None = None) -> CurriculumItem:
    """Adds a module to a training course's programme."""
    require(can_edit_event(actor, event))
    if not event.is_training:
        raise InvalidInput(_("A curriculum belongs to a training course."), field="subject")
    subject = normalize_text(subject)
    if not subject:
        raise InvalidInput(_("Name the module."), field="subject")
    if theory_hours + practice_hours <= 0:
        raise InvalidInput(_("Give the module's hours of theory or practice."), field="theory_hours")
    if teacher is not None and (teacher.event_id != event.pk or teacher.role != ParticipantRole.TEACHER):
        raise InvalidInput(_("The teacher must be a participant of the course with the role “teacher”."),
                           field="teacher")
    with transaction.atomic():
        item = CurriculumItem.objects.create(event=event, order=event.curriculum.count() + 1, subject=subject[:300],
                                             theory_hours=theory_hours, practice_hours=practice_hours,
                                             teacher=teacher)
        audit_record(actor=actor, action="event.curriculum_add", obj=event, changes={"module": [None, subject]})
    return item


def curriculum_item_remove(*, actor, item: CurriculumItem) -> None:
    event = item.event
    require(can_edit_event(actor, event))
    with transaction.atomic():
        subject = item.subject
        item.delete()
        audit_record(actor=actor, action="event.curriculum_remove", obj=event, changes={"module": [subject, None]})
