"""Establishments a collaborator finds in the field: proposed as a change request to the registry, then added by the
centre through the registry's own service, or rejected with a reason the collaborator reads."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core.audit import audit_record, register_action_labels
from khuyencong.core.errors import InvalidInput
from khuyencong.core.text import fold, normalize_text
from khuyencong.core.uploads import reencode_photo
from khuyencong.registry.models import Establishment, EstablishmentStatus
from khuyencong.registry.services import establishment_create
from khuyencong.rules.models import EntityType, SmeSize

from ..flows import establishment_proposal_flow
from ..identity import clean_phone
from ..models import EstablishmentProposal
from ..permissions import can_record_field
from ..selectors import my_collaborator
from ._common import _require, _text
from .field import _coordinate

register_action_labels({
    "network.establishment_propose": gettext_lazy("Proposed a new establishment"),
    "network.establishment_proposal_accept": gettext_lazy("Added the proposed establishment to the registry"),
    "network.establishment_proposal_reject": gettext_lazy("Rejected the proposed establishment"),
})


def registry_match(*, name: str, commune, exclude_pk: int | None = None) -> Establishment | None:
    """The establishment of the registry with the same name (diacritics and case aside) in the same commune: the
    registry's own duplicate rule (registry.selectors.duplicate_candidates) applied before a record is made."""
    return (Establishment.objects.filter(commune=commune, name_folded=fold(name), merged_into__isnull=True)
            .exclude(pk=exclude_pk).first())


def establishment_propose(*, actor, data: dict, sectors=(), photo=None) -> EstablishmentProposal:
    """A collaborator proposes an establishment they found in a commune they cover, which the registry does not hold.
    Nothing enters the registry yet: the centre of the province decides."""
    collaborator = my_collaborator(actor)
    _require(can_record_field(actor, collaborator))
    commune = data.get("commune")
    if commune is None:
        raise InvalidInput(_("Choose the commune."), field="commune")
    if commune.scheme != "current" or commune.level != "commune":
        raise InvalidInput(_("The commune must be one of today's communes."), field="commune")
    _require(can_record_field(actor, collaborator, commune))
    name = _text(data.get("name"), "name", required=True, max_length=250,
                 message=_("The establishment's name is required."))
    entity_type = data.get("entity_type") or ""
    if entity_type not in EntityType.values:
        raise InvalidInput(_("Choose the kind of establishment."), field="entity_type")
    sme_size = data.get("sme_size") or ""
    if entity_type == EntityType.SME and sme_size not in SmeSize.values:
        raise InvalidInput(_("Choose the size of the enterprise (micro, small or medium)."), field="sme_size")
    if entity_type != EntityType.SME:
        sme_size = ""
    representative = _text(data.get("representative"), "representative", required=True, max_length=150,
                           message=_("Give the name of the owner or representative."))
    phone = clean_phone(data.get("phone")) if normalize_text(data.get("phone")) else ""
    latitude = _coordinate(data.get("latitude"), "latitude", 90)
    longitude = _coordinate(data.get("longitude"), "longitude", 180)
    if (latitude is None) != (longitude is None):
        raise InvalidInput(_("The GPS point needs both latitude and longitude."), field="latitude")
    match = registry_match(name=name, commune=commune)
    if match is not None:
        raise InvalidInput(_("The registry already holds “%(name)s” in %(commune)s: record a survey of it instead.")
                           % {"name": match.name, "commune": commune.name}, field="name")
    values = {
        "name": name, "entity_type": entity_type, "sme_size": sme_size, "representative": representative,
        "phone": phone, "address": _text(data.get("address"), "address", max_length=300),
        "main_products": _text(data.get("main_products"), "main_products", max_length=300),
        "latitude": latitude, "longitude": longitude, "notes": (data.get("notes") or "").strip()[:5000],
    }
    sectors = list(sectors or ())
    photo = reencode_photo(photo)
    with transaction.atomic():
        proposal = EstablishmentProposal(collaborator=collaborator, province_id=commune.province_id, commune=commune,
                                         **values)
        if photo is not None:
            proposal.photo.save(photo.name, photo, save=False)
        proposal.save()
        if sectors:
            proposal.sectors.set(sectors)
        audit_record(actor=actor, action="network.establishment_propose", obj=proposal, changes={
            **{k: [None, v] for k, v in values.items() if v not in (None, "")},
            "commune": [None, commune.name],
            **({"sectors": [None, [s.name for s in sectors]]} if sectors else {}),
        })
    return proposal


def establishment_proposal_accept(*, actor, proposal: EstablishmentProposal, version: int,
                                  note: str = "") -> Establishment:
    """The centre adds the proposed establishment to the registry, through the registry's own create service (its
    checks and permission apply); the proposal keeps the link to the new record."""
    row = establishment_proposal_flow.check(proposal, actor, "accept", inputs={"note": note})
    note = _text(note, "note", max_length=500)
    with transaction.atomic():
        match = registry_match(name=proposal.name, commune=proposal.commune)
        if match is not None:
            raise InvalidInput(_("The registry already holds “%(name)s” in %(commune)s: reject this proposal as a "
                                 "duplicate.") % {"name": match.name, "commune": proposal.commune.name})
        establishment = establishment_create(actor=actor, sectors=list(proposal.sectors.all()), data={
            "name": proposal.name, "entity_type": proposal.entity_type, "sme_size": proposal.sme_size,
            "representative": proposal.representative, "phone": proposal.phone, "address": proposal.address,
            "main_products": proposal.main_products, "commune": proposal.commune, "latitude": proposal.latitude,
            "longitude": proposal.longitude, "status": EstablishmentStatus.ACTIVE})
        changes = establishment_proposal_flow.commit(
            proposal, row, actor=actor, version=version, what=_("proposed establishment"),
            fields={"review_note": note, "reviewed_by": actor, "reviewed_at": timezone.now(),
                    "establishment": establishment})
        audit_record(actor=actor, action="network.establishment_proposal_accept", obj=proposal,
                     changes={**changes, "establishment": [None, establishment.name],
                              **({"review_note": [None, note]} if note else {})})
    return establishment


def establishment_proposal_reject(*, actor, proposal: EstablishmentProposal, version: int,
                                  note: str) -> EstablishmentProposal:
    """The centre rejects the proposal (a duplicate, not an industrial establishment, outside the commune…) with the
    reason the collaborator reads."""
    row = establishment_proposal_flow.check(proposal, actor, "reject", inputs={"note": note})
    note = _text(note, "note", required=True, max_length=500,
                 message=_("Say why the proposal is rejected: the collaborator will read it."))
    with transaction.atomic():
        changes = establishment_proposal_flow.commit(
            proposal, row, actor=actor, version=version, what=_("proposed establishment"),
            fields={"review_note": note, "reviewed_by": actor, "reviewed_at": timezone.now()})
        audit_record(actor=actor, action="network.establishment_proposal_reject", obj=proposal,
                     changes={**changes, "review_note": [None, note]})
    return proposal
