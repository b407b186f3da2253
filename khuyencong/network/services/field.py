"""Field work a collaborator records (surveys, support needs, communication sessions, follow-up visits), the
centre's review, and a registered need turned into a project proposal."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record
from khuyencong.core.errors import InvalidInput
from khuyencong.core.money import check_amount
from khuyencong.core.text import normalize_text
from khuyencong.core.uploads import reencode_photo
from khuyencong.registry.models import Establishment, EstablishmentStatus
from khuyencong.registry.services import establishment_update
from khuyencong.rules.engine import content_get

from .. import proposals
from ..flows import field_record_flow
from ..identity import clean_email, clean_phone
from ..models import (
    FieldKind,
    FieldRecord,
    RecordStatus,
)
from ..permissions import can_record_field
from ..selectors import my_collaborator
from ._common import _day, _require, _text, _today

# What a survey may propose to change in the registry; the centre applies it through the registry's service.
SURVEY_FIELDS = ("representative", "phone", "email", "employees", "main_products", "address", "status",
                 "woman_owned", "ethnic_minority", "latitude", "longitude")
PHOTO_TYPES = {b"\xff\xd8\xff": ("jpg", "image/jpeg"), b"\x89PNG\r\n\x1a\n": ("png", "image/png")}


def photo_kind(head: bytes) -> tuple[str, str] | None:
    """The image type read from the file's first bytes (the name and the browser's word are not trusted)."""
    for magic, kind in PHOTO_TYPES.items():
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", "image/webp"
    return None


def _coordinate(value, field: str, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("The GPS point is not a number."), field=field) from None
    if not -limit <= number <= limit:
        raise InvalidInput(_("The GPS point is out of range."), field=field)
    return number


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def _clean_survey_changes(establishment: Establishment, changes: dict) -> dict:
    """Only the fields that differ from the registry, as JSON-ready values."""
    proposed = {}
    for key, value in (changes or {}).items():
        if key not in SURVEY_FIELDS:
            continue
        if key in ("representative", "main_products", "address"):
            value = _text(value, key, max_length=300)
        elif key == "phone":
            value = clean_phone(value) if normalize_text(value) else ""
        elif key == "email":
            value = clean_email(value)
        elif key == "employees":
            if value in (None, ""):
                value = None
            elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidInput(_("The number of employees is a whole number, zero or more."), field=key)
        elif key == "status":
            if value not in EstablishmentStatus.values:
                raise InvalidInput(_("Choose the establishment's status from the list."), field=key)
        elif key in ("woman_owned", "ethnic_minority"):
            value = bool(value)
        elif key in ("latitude", "longitude"):
            value = _coordinate(value, key, 90 if key == "latitude" else 180)
        current = getattr(establishment, key)
        if value != current and not (value in (None, "") and current in (None, "")):
            proposed[key] = _plain(value)
    return proposed


def field_record_create(*, actor, kind: str, data: dict, photo=None) -> FieldRecord:
    """Records a collaborator's field work: a survey of an establishment (its changes become a request to the
    centre), a support-needs registration, a communication session or a follow-up visit, optionally with a photo and
    the phone's GPS point."""
    collaborator = my_collaborator(actor)
    if kind not in FieldKind.values:
        raise InvalidInput(_("Unknown kind of field record."), field="kind")
    _require(can_record_field(actor, collaborator))
    occurred_on = _day(data.get("occurred_on"), "occurred_on", required=False) or _today()
    establishment: Establishment | None = data.get("establishment")
    commune = data.get("commune")
    if establishment is not None:
        if establishment.merged_into_id is not None:
            raise InvalidInput(_("This establishment was merged into another record: choose that one."),
                               field="establishment")
        commune = establishment.commune
    elif kind in (FieldKind.SURVEY, FieldKind.NEED, FieldKind.FOLLOWUP):
        raise InvalidInput(_("Choose the establishment."), field="establishment")
    if commune is None:
        raise InvalidInput(_("Choose the commune."), field="commune")
    _require(can_record_field(actor, collaborator, commune))
    latitude = _coordinate(data.get("latitude"), "latitude", 90)
    longitude = _coordinate(data.get("longitude"), "longitude", 180)
    if (latitude is None) != (longitude is None):
        raise InvalidInput(_("The GPS point needs both latitude and longitude."), field="latitude")
    values = {"notes": (data.get("notes") or "").strip()[:5000], "latitude": latitude, "longitude": longitude}
    if kind == FieldKind.SURVEY:
        changes = dict(data.get("changes") or {})
        if latitude is not None and establishment.latitude is None and "latitude" not in changes:
            # The collaborator stands at the establishment: its first GPS point is proposed with the survey.
            changes.update(latitude=latitude, longitude=longitude)
        values["proposed_changes"] = _clean_survey_changes(establishment, changes)
        # An offline phone sends the version of its own copy: a survey made on an older copy is still a change
        # request, and the review page warns that the establishment changed since (never a silent overwrite).
        base = data.get("base_version")
        values["base_version"] = (base if isinstance(base, int) and not isinstance(base, bool)
                                  and 0 < base <= establishment.version else establishment.version)
    elif kind == FieldKind.NEED:
        code = normalize_text(data.get("content_code"))
        if not code:
            raise InvalidInput(_("Choose the KC content the establishment needs."), field="content_code")
        content_get(code, occurred_on)
        values["content_code"] = code
        cost = data.get("expected_cost_vnd")
        if cost in (None, ""):
            raise InvalidInput(_("Give the expected cost in đồng."), field="expected_cost_vnd")
        values["expected_cost_vnd"] = check_amount(cost, field="expected_cost_vnd")
    elif kind == FieldKind.COMMUNICATION:
        values["topic"] = _text(data.get("topic"), "topic", required=True, max_length=300,
                                message=_("Give the topic of the session."))
        participants = data.get("participants")
        if isinstance(participants, bool) or not isinstance(participants, int) or participants < 1:
            raise InvalidInput(_("Give the number of participants (at least 1)."), field="participants")
        values["participants"] = participants
    else:
        project = data.get("project")
        if project is not None and project.province_id != collaborator.province_id:
            raise InvalidInput(_("The project is not in your province."), field="project")
        values["project"] = project
    photo = reencode_photo(photo)
    with transaction.atomic():
        record = FieldRecord(collaborator=collaborator, province=collaborator.province, commune=commune, kind=kind,
                             occurred_on=occurred_on, establishment=establishment, **values)
        if photo is not None:
            record.photo.save(photo.name, photo, save=False)
        record.save()
        audit_record(actor=actor, action=f"network.field_{kind}", obj=record, changes={
            "establishment": [None, establishment.name if establishment else None],
            **({"proposed_changes": [None, values["proposed_changes"]]} if kind == FieldKind.SURVEY else {}),
            **({"content_code": [None, values["content_code"]], "expected_cost_vnd": [None, values[
                "expected_cost_vnd"]]} if kind == FieldKind.NEED else {}),
        })
    return record


def _registry_value(key: str, value):
    if key in ("latitude", "longitude") and value is not None:
        return Decimal(str(value))
    return value


def field_record_review(*, actor, record: FieldRecord, accept: bool, version: int, note: str = "",
                        establishment_version: int | None = None) -> FieldRecord:
    """Accepts or rejects a field record. Accepting a survey applies its proposed changes to the establishment
    through the registry's own service (with the version the reviewer saw), so nothing is overwritten silently."""
    row = field_record_flow.check(record, actor, "accept" if accept else "reject", inputs={"note": note})
    note = _text(note, "note", max_length=500)
    with transaction.atomic():
        applied = {}
        if accept and record.kind == FieldKind.SURVEY and record.proposed_changes:
            establishment = Establishment.objects.select_for_update().get(pk=record.establishment_id)
            applied = {k: _registry_value(k, v) for k, v in record.proposed_changes.items()}
            establishment_update(actor=actor, establishment=establishment, data=applied,
                                 version=establishment_version if establishment_version is not None
                                 else establishment.version)
        changes = field_record_flow.commit(record, row, actor=actor, version=version,
                                           what=_("field record"), fields={"review_note": note, "reviewed_by": actor,
                                           "reviewed_at": timezone.now()})
        audit_record(actor=actor, action="network.field_review", obj=record,
                     changes={**changes, "note": [None, note or None],
                              **({"applied": [None, list(applied)]} if applied else {})})
    return record


def need_convert(*, actor, record: FieldRecord, plan, version: int, title: str = "") -> tuple:
    """Turns a support-needs registration into a project proposal (a draft KC project of the chosen plan, with the
    establishment as beneficiary and the content budgeted from the expected cost). The record keeps the link.
    Returns the project and the notes of what could not be filled in."""
    row = field_record_flow.check(record, actor, "convert", inputs={"plan": plan})
    with transaction.atomic():
        project, notes = proposals.proposal_from_need(actor=actor, record=record, plan=plan, title=title)
        field_record_flow.commit(record, row, actor=actor, version=version, what=_("field record"), fields={
            "project": project, "converted_at": timezone.now(), "reviewed_by": actor, "reviewed_at": timezone.now(),
            "review_note": " ".join(notes)[:500]})
        audit_record(actor=actor, action="network.need_convert", obj=record,
                     changes={"status": [None, RecordStatus.CONVERTED], "project": [None, project.code]})
    return project, notes
