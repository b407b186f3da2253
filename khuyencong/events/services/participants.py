"""An event's participants: their role and origin; establishments and collaborators are linked records."""

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import user_scope
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.text import fold, normalize_text
from khuyencong.core.versions import versioned_update

from ..models import STATE_PAID_ORIGINS, Event, Origin, Participant, ParticipantRole
from ..permissions import can_edit_event, participants_removable
from .common import require, require_state, today

PARTICIPANT_FIELDS = ("full_name", "gender", "birth_year", "position", "phone", "role", "origin", "state_paid",
                      "organisation", "organisation_name", "establishment", "collaborator")


def _clean_participant(actor, event: Event, data: dict, current: Participant | None = None) -> dict:
    merged = {name: getattr(current, name) for name in PARTICIPANT_FIELDS} if current else {}
    merged.update({k: v for k, v in data.items() if k in PARTICIPANT_FIELDS})
    role, origin = merged.get("role"), merged.get("origin")
    if role not in ParticipantRole.values:
        raise InvalidInput(_("Choose the participant's role."), field="role")
    if origin not in Origin.values:
        raise InvalidInput(_("Choose where the participant comes from."), field="origin")
    if role == ParticipantRole.TRAINEE and not event.is_training:
        raise InvalidInput(_("Trainees take part in training courses only."), field="role")
    if role == ParticipantRole.EXHIBITOR and not event.is_fair:
        raise InvalidInput(_("Exhibitors take part in fairs only."), field="role")
    establishment, collaborator = merged.get("establishment"), merged.get("collaborator")
    scope = user_scope(actor)
    if origin == Origin.ESTABLISHMENT and establishment is None:
        raise InvalidInput(_("Choose the establishment from the registry: participants from establishments are "
                             "linked records, not typed names."), field="establishment")
    if origin == Origin.COLLABORATOR and collaborator is None:
        raise InvalidInput(_("Choose the collaborator from the network: collaborators are linked records, not typed "
                             "names."), field="collaborator")
    if origin != Origin.ESTABLISHMENT:
        merged["establishment"] = establishment = None
    if origin != Origin.COLLABORATOR:
        merged["collaborator"] = collaborator = None
    if establishment is not None and not scope.covers(province_id=establishment.province_id,
                                                      commune_id=establishment.commune_id) \
            and not (current and current.establishment_id == establishment.pk):
        raise PermissionDenied(_("This establishment is outside your area."))
    if collaborator is not None and not scope.covers_province(collaborator.province_id) \
            and not (current and current.collaborator_id == collaborator.pk):
        raise PermissionDenied(_("This collaborator is outside your area."))
    if merged.get("state_paid") is None:
        merged["state_paid"] = origin in STATE_PAID_ORIGINS
    if merged["state_paid"] and origin in (Origin.ESTABLISHMENT, Origin.COLLABORATOR, Origin.HOST):
        raise InvalidInput(_("Representatives of establishments, collaborators and hosts are not state-paid: the "
                             "event pays their meals, lodging and travel."), field="state_paid")
    name = normalize_text(merged.get("full_name"))
    if not name and collaborator is not None:
        name = collaborator.full_name
    if not name:
        raise InvalidInput(_("Give the participant's full name."), field="full_name")
    merged["full_name"] = name[:150]
    for key in ("position", "phone", "organisation_name"):
        merged[key] = normalize_text(merged.get(key))
    birth_year = merged.get("birth_year")
    if birth_year is not None and not (1930 <= birth_year <= today().year):
        raise InvalidInput(_("Check the year of birth."), field="birth_year")
    return merged


def participant_add(*, actor, event: Event, data: dict) -> Participant:
    """Adds a participant with their role and origin; establishments and collaborators are linked records."""
    require(can_edit_event(actor, event))
    clean = _clean_participant(actor, event, data)
    with transaction.atomic():
        participant = Participant.objects.create(event=event, name_folded=fold(clean["full_name"]), **clean)
        audit_record(actor=actor, action="event.participant_add", obj=event,
                     changes={"participant": [None, f"{participant.full_name} ({participant.get_role_display()})"]})
    return participant


def participant_update(*, actor, participant: Participant, data: dict, version: int) -> Participant:
    event = participant.event
    require(can_edit_event(actor, event))
    clean = _clean_participant(actor, event, data, current=participant)
    changed = {k: v for k, v in clean.items() if getattr(participant, k) != v}
    with transaction.atomic():
        changes = field_changes(participant, changed)
        if "full_name" in changed:
            changed["name_folded"] = fold(changed["full_name"])
        if versioned_update(participant, changed, version, conflict=_(
                "Someone else changed this participant after you opened it. Reload and try again.")):
            audit_record(actor=actor, action="event.participant_update", obj=event,
                         changes={f"{participant.full_name}.{k}": v for k, v in changes.items()})
    return participant


def participant_remove(*, actor, participant: Participant) -> None:
    event = participant.event
    require(can_edit_event(actor, event))
    require_state(participants_removable(event))
    with transaction.atomic():
        name = participant.full_name
        participant.delete()
        audit_record(actor=actor, action="event.participant_remove", obj=event, changes={"participant": [name, None]})
