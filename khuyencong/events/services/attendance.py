"""Signed attendance lists: one scan or photo per day of the event, and who signed it."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record
from khuyencong.core.errors import InvalidInput
from khuyencong.core.uploads import check_document

from ..models import Attendance, AttendanceSheet, Event, Participant
from ..permissions import attendance_open, can_act_for
from .common import dmy, require, require_state


def attendance_record(*, actor, event: Event, day: datetime.date, upload,
                      present: list[Participant]) -> AttendanceSheet:
    """Stores the signed attendance list of one day and who signed it; a new upload for the day replaces the old."""
    require(can_act_for(actor, event))
    require_state(attendance_open(event))
    if not (event.start_date <= day <= event.end_date):
        raise InvalidInput(_("%(day)s is not a day of the event (%(start)s–%(end)s).") % {
            "day": dmy(day), "start": dmy(event.start_date), "end": dmy(event.end_date)}, field="day")
    check_document(upload, field="file", missing=_("Attach the scan or photo of the signed list."))
    if any(p.event_id != event.pk for p in present):
        raise InvalidInput(_("Only participants of this event can sign its list."), field="present")
    if not present:
        raise InvalidInput(_("Tick the participants who signed the list."), field="present")
    with transaction.atomic():
        sheet = AttendanceSheet.objects.filter(event=event, day=day).first()
        replaced = sheet is not None
        if sheet is None:
            sheet = AttendanceSheet(event=event, day=day)
        else:
            sheet.entries.all().delete()
        sheet.original_name = upload.name[:250]
        sheet.size = upload.size
        sheet.uploaded_by = actor
        sheet.file.save(f"diem-danh-{event.pk}-{day:%Y%m%d}.{upload.name.rsplit('.', 1)[-1].lower()}", upload,
                        save=False)
        sheet.save()
        Attendance.objects.bulk_create([Attendance(sheet=sheet, participant=p) for p in present])
        audit_record(actor=actor, action="event.attendance", obj=event, changes={
            "day": [None, dmy(day)], "present": [None, len(present)], "replaced": [None, replaced]})
    return sheet


def attended(participant: Participant) -> bool:
    return Attendance.objects.filter(participant=participant).exists()
