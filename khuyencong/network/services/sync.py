"""The collaborator's phone outbox, sent when a signal returns. Each item carries the client id (a UUID) the phone
gave it when it was captured; the item goes through the same service as the online form (scope, validation, audit),
and the answer is kept as a `SyncReceipt` under that id, so a retry after a dropped answer gets the same answer and
records nothing twice. A survey made on an older copy of an establishment becomes a change request flagged for the
centre, never an overwrite; a refused item raises the service's Vietnamese reason and the phone keeps it."""

import base64
import binascii
import re
import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.core.uploads import photo_max_bytes
from khuyencong.geo.models import AdminUnit

from ..models import FieldKind, SyncKind, SyncReceipt, TaskStatus
from ..permissions import covered_commune_ids
from ..selectors import establishments_for, my_collaborator, task_get
from .establishments import establishment_propose
from .field import field_record_create
from .work import task_complete

DATA_URL = re.compile(r"^data:image/(jpeg|png|webp);base64,(?P<data>[A-Za-z0-9+/=\s]+)$")


def photo_from_data_url(value: str | None) -> ContentFile | None:
    """The photo the phone resized with a canvas, sent as a data URL; the upload check still reads its bytes."""
    if not value:
        return None
    if len(value) > photo_max_bytes() * 4 // 3 + 100:
        raise InvalidInput(_("The photo is too large (at most %(mb)s MB).") % {
            "mb": photo_max_bytes() // (1024 * 1024)}, field="photo")
    match = DATA_URL.match(value)
    if match is None:
        raise InvalidInput(_("The file is not a photo we can read: choose a JPEG, PNG or WebP image."),
                           field="photo")
    try:
        raw = base64.b64decode(match.group("data"), validate=False)
    except (binascii.Error, ValueError):
        raise InvalidInput(_("The file is not a photo we can read: choose a JPEG, PNG or WebP image."),
                           field="photo") from None
    return ContentFile(raw, name="phone.jpg")


def _establishment(collaborator, pk):
    establishment = establishments_for(collaborator).filter(pk=pk).first() if pk else None
    if establishment is None:
        raise InvalidInput(_("No establishment of your communes has this number."), field="establishment")
    return establishment


def _apply(actor, collaborator, kind: str, data: dict, photo):
    """Runs the item through the online form's service; returns (label, url, conflict, message)."""
    if kind in (SyncKind.SURVEY, SyncKind.NEED):
        establishment = _establishment(collaborator, data.get("establishment"))
        payload = {**data, "establishment": establishment}
        record = field_record_create(actor=actor, kind=FieldKind(kind), data=payload, photo=photo)
        label = establishment.name
        conflict = kind == SyncKind.SURVEY and record.base_version != establishment.version
        message = (_("The establishment was changed on the server after your phone copied it: the survey was sent "
                     "as a change request for the centre to check, nothing was overwritten.") if conflict
                   else _("Recorded. The centre will review it."))
        return label, reverse("network_field_detail", args=[record.pk]), conflict, message
    if kind == SyncKind.ESTABLISHMENT:
        code = data.get("commune")
        commune = (AdminUnit.objects.filter(pk__in=covered_commune_ids(collaborator), code=code).first()
                   if code else None)
        if commune is None:
            raise InvalidInput(_("Choose one of the communes you cover."), field="commune")
        proposal = establishment_propose(actor=actor, data={**data, "commune": commune}, photo=photo)
        return (proposal.name, reverse("network_proposal_detail", args=[proposal.pk]), False,
                _("Proposed. The centre will decide whether to add it to the registry."))
    if kind == SyncKind.TASK_REPORT:
        task = _task_as_copied(actor, collaborator, data)
        task_complete(actor=actor, task=task, version=task.version, note=data.get("note") or "")
        return task.title, reverse("network_task_list"), False, _("Task reported done.")
    raise InvalidInput(_("Unknown kind of field record."), field="kind")


def _task_as_copied(actor, collaborator, data: dict):
    """The task the report is about, still as the phone copied it: still this collaborator's, still open and not
    changed by the centre since. Otherwise the report is refused with the reason and stays on the phone — a report
    on a task given to someone else, closed or changed meanwhile is never recorded over what the centre did."""
    task = task_get(user=actor, pk=data.get("task")) if data.get("task") else None
    if task is None or task.collaborator_id != collaborator.pk:
        raise InvalidInput(_("This task is no longer yours (the centre gave it to someone else or removed it): your "
                             "report was not recorded. Discard it, or ask the centre."), field="task")
    if task.status != TaskStatus.OPEN:
        raise Conflict(_("This task was closed meanwhile (%(status)s): your report was not recorded. Discard it, or "
                         "ask the centre.") % {"status": task.get_status_display()}, field="task")
    if data.get("version") != task.version:
        raise Conflict(_("The centre changed this task after your phone copied it: refresh the data, open the item, "
                         "check the task and save it again to send the report."), field="version")
    return task


def _earlier(actor, client_id) -> SyncReceipt | None:
    return SyncReceipt.objects.filter(user=actor, client_id=client_id).first()


def sync_item(*, actor, client_id: uuid.UUID, kind: str, data: dict, photo: str | None = None
              ) -> tuple[SyncReceipt, bool]:
    """Applies one item of the phone's outbox once. Returns the receipt and whether it was new (False: a retry of an
    item already recorded, answered as the first time)."""
    earlier = _earlier(actor, client_id)
    if earlier is not None:
        return earlier, False
    collaborator = my_collaborator(actor)
    if collaborator is None:
        raise PermissionDenied(_("Only the collaborator themselves records their field work."))
    upload = photo_from_data_url(photo)
    try:
        with transaction.atomic():
            label, url, conflict, message = _apply(actor, collaborator, kind, data, upload)
            receipt = SyncReceipt.objects.create(user=actor, client_id=client_id, kind=kind,
                                                 object_label=label[:300], object_url=url, conflict=conflict,
                                                 message=message[:500])
    except IntegrityError:
        # The same item sent twice at once: the other request recorded it first, and this one kept nothing.
        earlier = _earlier(actor, client_id)
        if earlier is None:
            raise
        return earlier, False
    return receipt, True
