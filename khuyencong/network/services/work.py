"""Tasks given to collaborators and the centre's announcements."""


from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record
from khuyencong.core.errors import InvalidInput
from khuyencong.geo.models import AdminUnit

from ..flows import task_flow
from ..models import (
    Announcement,
    AnnouncementRead,
    Collaborator,
    CollaboratorTask,
)
from ..permissions import can_manage_network
from ..selectors import my_collaborator
from ._common import _day, _require, _text, _today


def task_create(*, actor, collaborator: Collaborator, data: dict) -> CollaboratorTask:
    """Gives a collaborator a task with a due date, optionally in a commune and about an establishment."""
    _require(can_manage_network(actor, collaborator.province_id))
    if not collaborator.is_active:
        raise InvalidInput(_("Tasks go to active collaborators only."), field="collaborator")
    title = _text(data.get("title"), "title", required=True, max_length=250, message=_("Say what is to be done."))
    due = _day(data.get("due_date"), "due_date", not_future=False)
    if due < _today():
        raise InvalidInput(_("The due date has already passed."), field="due_date")
    establishment = data.get("establishment")
    commune = data.get("commune") or (establishment.commune if establishment else None)
    if establishment is not None and establishment.province_id != collaborator.province_id:
        raise InvalidInput(_("The establishment is not in the collaborator's province."), field="establishment")
    if commune is not None and commune.province_id != collaborator.province_id:
        raise InvalidInput(_("The commune is not in the collaborator's province."), field="commune")
    with transaction.atomic():
        task = CollaboratorTask.objects.create(
            province=collaborator.province, collaborator=collaborator, title=title,
            description=(data.get("description") or "").strip()[:5000], commune=commune,
            establishment=establishment, due_date=due, assigned_by=actor)
        audit_record(actor=actor, action="network.task_create", obj=task,
                     changes={"collaborator": [None, collaborator.code], "title": [None, title],
                              "due_date": [None, due]})
    return task


def task_complete(*, actor, task: CollaboratorTask, version: int, note: str = "") -> CollaboratorTask:
    """The collaborator (or the centre for them) reports a task done today."""
    row = task_flow.check(task, actor, "complete")
    note = _text(note, "note", max_length=500)
    with transaction.atomic():
        changes = task_flow.commit(task, row, actor=actor, version=version, what=_("task"),
                                   fields={"done_on": _today(), "completion_note": note})
        audit_record(actor=actor, action="network.task_done", obj=task,
                     changes={**changes, "note": [None, note or None]})
    return task


def task_cancel(*, actor, task: CollaboratorTask, version: int, reason: str) -> CollaboratorTask:
    """The centre cancels a task still to do, with the reason the collaborator reads."""
    row = task_flow.check(task, actor, "cancel", inputs={"reason": reason})
    reason = _text(reason, "reason", required=True, max_length=500, message=_("Give the reason."))
    with transaction.atomic():
        changes = task_flow.commit(task, row, actor=actor, version=version, what=_("task"),
                                   fields={"completion_note": reason})
        audit_record(actor=actor, action="network.task_cancel", obj=task,
                     changes={**changes, "reason": [None, reason]})
    return task


def announcement_publish(*, actor, province: AdminUnit, title: str, body: str) -> Announcement:
    """Publishes a notice to every collaborator of the province."""
    _require(can_manage_network(actor, province.pk))
    title = _text(title, "title", required=True, max_length=250, message=_("Give the title."))
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("Write the announcement."), field="body")
    with transaction.atomic():
        announcement = Announcement.objects.create(province=province, title=title, body=body[:20000], author=actor)
        audit_record(actor=actor, action="network.announcement_publish", obj=announcement,
                     changes={"title": [None, title]})
    return announcement


def announcement_mark_read(*, actor, announcement: Announcement) -> AnnouncementRead | None:
    """Records that the collaborator opened the announcement (once). The receipt row itself is the record of who
    and when, so no separate audit event is written. Staff opening it leave no receipt."""
    collaborator = my_collaborator(actor)
    if collaborator is None or collaborator.province_id != announcement.province_id:
        return None
    receipt, _created = AnnouncementRead.objects.get_or_create(announcement=announcement, collaborator=collaborator)
    return receipt
