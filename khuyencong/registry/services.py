"""Writes to the registry: create, edit, merge duplicates, record supports, refresh eligibility."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.text import fold, normalize_text
from khuyencong.core.versions import versioned_update
from khuyencong.geo.models import AdminUnit
from khuyencong.rules import engine

from .models import MAX_EMPLOYEES, Establishment, EstablishmentMerge, SupportRecord
from .permissions import can_edit_establishment, can_edit_in, can_merge, can_review_merge

TEXT_FIELDS = ("name", "business_reg_no", "representative", "email", "vsic_code", "main_products", "address",
               "legacy_address")
EDITABLE = ("name", "entity_type", "sme_size", "tax_code", "business_reg_no", "business_reg_date", "representative",
            "representative_gender", "phone", "email", "woman_owned", "ethnic_minority", "employees", "vsic_code",
            "main_products", "ocop_stars", "craft_village", "cleaner_production", "address", "commune", "legacy_unit",
            "legacy_address", "latitude", "longitude", "status")


def search_text_of(establishment: Establishment, commune: AdminUnit | None = None) -> str:
    """The folded text the registry search looks in: name, representative, products, address, tax code, place."""
    commune = commune or establishment.commune
    parts = [establishment.name, establishment.representative, establishment.main_products, establishment.address,
             establishment.tax_code or "", establishment.phone, commune.name if commune else ""]
    return fold(" | ".join(p for p in parts if p))


def eligibility_of(establishment: Establishment, on_date: datetime.date | None = None):
    """Whether the establishment is a CNNT establishment on a date, with every reason and its basis."""
    on_date = on_date or timezone.localdate()
    village = establishment.craft_village
    return engine.eligibility(
        establishment.entity_type,
        establishment.sme_size or None,
        establishment.commune,
        on_date,
        craft_village=bool(village and village.recognised_on(on_date)),
        cleaner_production=establishment.cleaner_production,
    )


def refresh_derived(establishment: Establishment, on_date: datetime.date | None = None) -> None:
    """Recomputes the folded name, search text and today's eligibility before a save."""
    establishment.name_folded = fold(establishment.name)
    establishment.province_id = establishment.commune.province_id
    establishment.search_text = search_text_of(establishment)
    try:
        result = eligibility_of(establishment, on_date)
        establishment.eligible = result.eligible
    except InvalidInput:
        establishment.eligible = None  # no rule in force for that date
    establishment.eligibility_checked_on = on_date or timezone.localdate()


# Bounds the model does not carry: a count of workers no establishment reaches, and the globe's coordinates.
EXTRA_VALIDATORS = {
    "employees": [MaxValueValidator(MAX_EMPLOYEES)],
    "latitude": [MinValueValidator(-90), MaxValueValidator(90)],
    "longitude": [MinValueValidator(-180), MaxValueValidator(180)],
}


def _check_fields(clean: dict) -> None:
    """Each value against its model field (choices, null, blank, length, email, digits) and EXTRA_VALIDATORS:
    the API and other apps call the services without a form. Django's own messages are translated."""
    for key, value in clean.items():
        if key not in EDITABLE or key in ("commune", "craft_village", "legacy_unit"):
            continue
        field = Establishment._meta.get_field(key)
        try:
            if isinstance(field, models.DecimalField) and value is not None:
                value = clean[key] = field.to_python(value)  # an int or float from the API: as stored
            field.validate(value, None)
            field.run_validators(value)
            if value is not None:
                for validator in EXTRA_VALIDATORS.get(key, ()):
                    validator(value)
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages), field=key) from None


def _clean(data: dict, current: Establishment | None = None) -> dict:
    """The values as stored, or InvalidInput on the first bad one. `current` is the record being edited (its
    values complete a partial edit: an SME keeps needing its size)."""
    clean = dict(data)
    for key in (*TEXT_FIELDS, "phone"):
        if key in clean:
            clean[key] = normalize_text(clean[key])  # None (an API "null") clears the text
    if (current is None or "name" in clean) and not clean.get("name"):
        raise InvalidInput(_("The establishment's name is required."), field="name")
    if clean.get("tax_code") == "":
        clean["tax_code"] = None
    if "commune" in clean or current is None:
        commune = clean.get("commune")
        if commune is None:
            raise InvalidInput(_("Choose the commune where the establishment is."), field="commune")
        if commune.scheme != "current" or commune.level != "commune":
            raise InvalidInput(_("The commune must be one of today's communes."), field="commune")
    if current is None:
        clean.setdefault("entity_type", "")  # refused below as blank
    entity_type = clean.get("entity_type", current.entity_type if current else None)
    if entity_type != "sme":
        if "entity_type" in clean or "sme_size" in clean:
            clean["sme_size"] = ""
    elif not clean.get("sme_size", current.sme_size if current else ""):
        raise InvalidInput(_("Choose the size of the enterprise (micro, small or medium)."), field="sme_size")
    stars = clean.get("ocop_stars")
    if stars is not None and not 1 <= stars <= 5:
        raise InvalidInput(_("OCOP stars go from 1 to 5."), field="ocop_stars")
    _check_fields(clean)
    village = clean.get("craft_village")
    commune = clean.get("commune") or (current.commune if current else None)
    if village is not None and commune is not None and village.province_id != commune.province_id:
        raise InvalidInput(_("The craft village is in another province."), field="craft_village")
    return clean


def _check_tax_code_free(tax_code: str | None, exclude_pk: int | None = None) -> None:
    if not tax_code:
        return
    clash = Establishment.objects.filter(tax_code=tax_code).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise InvalidInput(
            _("Tax code %(code)s already belongs to “%(name)s”: the same tax code is one establishment.")
            % {"code": tax_code, "name": clash.name},
            field="tax_code",
        )


def establishment_create(*, actor, data: dict, sectors=()) -> Establishment:
    """Registers a rural industrial establishment in the province's registry."""
    data = _clean(data)
    commune = data["commune"]
    decision = can_edit_in(actor, province_id=commune.province_id, commune_id=commune.pk)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        _check_tax_code_free(data.get("tax_code"))
        establishment = Establishment(**{k: v for k, v in data.items() if k in EDITABLE})
        refresh_derived(establishment)
        establishment.save()
        if sectors:
            establishment.sectors.set(sectors)
        audit_record(actor=actor, action="establishment.create", obj=establishment,
                     changes={k: [None, v] for k, v in data.items() if v not in (None, "", False)})
    return establishment


def establishment_update(*, actor, establishment: Establishment, data: dict, version: int,
                         sectors=None) -> Establishment:
    """Edits an establishment; refuses when someone else saved it after `version` was read."""
    decision = can_edit_establishment(actor, establishment)
    if not decision:
        raise PermissionDenied(decision.reason)
    data = _clean({k: v for k, v in data.items() if k in EDITABLE}, current=establishment)
    if "commune" in data:
        moved = can_edit_in(actor, province_id=data["commune"].province_id, commune_id=data["commune"].pk)
        if not moved:
            raise PermissionDenied(moved.reason)
    with transaction.atomic():
        changes = field_changes(establishment, data)
        old_sectors = set(establishment.sectors.values_list("pk", flat=True))
        new_sectors = {s.pk for s in sectors} if sectors is not None else old_sectors
        if sectors is not None and old_sectors != new_sectors:
            changes["sectors"] = [sorted(old_sectors), sorted(new_sectors)]
        if not changes:
            return establishment
        if "tax_code" in data:
            _check_tax_code_free(data["tax_code"], exclude_pk=establishment.pk)
        for key, value in data.items():
            setattr(establishment, key, value)
        refresh_derived(establishment)
        fields = [*data.keys(), "name_folded", "search_text", "eligible", "eligibility_checked_on", "province"]
        versioned_update(establishment, {f: getattr(establishment, f) for f in fields}, version, conflict=_(
            "Someone else changed this establishment after you opened it. Reload to see their changes; your input "
            "is kept below."))
        if sectors is not None:
            establishment.sectors.set(sectors)
        establishment.refresh_from_db()
        audit_record(actor=actor, action="establishment.update", obj=establishment, changes=changes)
    return establishment


def establishment_merge(*, actor, survivor: Establishment, duplicate: Establishment) -> EstablishmentMerge:
    """Merges a duplicate into the record kept: every linked record moves over, the duplicate stays as a snapshot
    (never deleted) marked merged, and the merge can be reviewed later."""
    decision = can_merge(actor, survivor, duplicate)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        snapshot = {k: str(v) if v is not None else None for k, v in model_to_dict(duplicate).items()
                    if k != "sectors"}
        moved = {
            "supports": list(SupportRecord.objects.filter(establishment=duplicate).values_list("pk", flat=True)),
            "artisans": list(duplicate.artisans.values_list("pk", flat=True)),
            "sectors": list(duplicate.sectors.values_list("pk", flat=True)),
        }
        SupportRecord.objects.filter(establishment=duplicate).update(establishment=survivor)
        survivor.artisans.add(*duplicate.artisans.all())
        duplicate.artisans.clear()
        survivor.sectors.add(*duplicate.sectors.all())
        # Fill the survivor's empty fields from the duplicate; the survivor's own values win.
        filled = {}
        for field in ("tax_code", "business_reg_no", "business_reg_date", "representative", "phone", "email",
                      "employees", "main_products", "latitude", "longitude", "legacy_unit", "legacy_address"):
            if getattr(survivor, field) in (None, "") and getattr(duplicate, field) not in (None, ""):
                filled[field] = getattr(duplicate, field)
        tax_code = filled.pop("tax_code", None)
        versioned_update(duplicate, {"merged_into": survivor, "status": "closed", "tax_code": None}, None)
        if tax_code:
            filled["tax_code"] = tax_code
        for key, value in filled.items():
            setattr(survivor, key, value)
        refresh_derived(survivor)
        survivor.version += 1
        survivor.save()
        merge = EstablishmentMerge.objects.create(survivor=survivor, merged=duplicate, snapshot=snapshot,
                                                  moved={**moved, "filled": sorted(filled)}, actor=actor)
        audit_record(actor=actor, action="establishment.merge", obj=survivor,
                     changes={"merged": [None, f"#{duplicate.pk} {duplicate.name}"], **{
                         k: [None, str(v)] for k, v in filled.items()}})
        audit_record(actor=actor, action="establishment.merged_into", obj=duplicate,
                     changes={"merged_into": [None, f"#{survivor.pk} {survivor.name}"]})
    return merge


def merge_review(*, actor, merge: EstablishmentMerge) -> EstablishmentMerge:
    """A second person confirms a merge after looking at the snapshot."""
    decision = can_review_merge(actor, merge)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        merge.reviewed_by = actor
        merge.reviewed_at = timezone.now()
        merge.save(update_fields=["reviewed_by", "reviewed_at"])
        audit_record(actor=actor, action="establishment.merge_review", obj=merge.survivor)
    return merge


def support_record_add(*, actor, establishment: Establishment, data: dict) -> SupportRecord:
    """Records a KC support the establishment received (from the centre's past lists)."""
    decision = can_edit_establishment(actor, establishment)
    if not decision:
        raise PermissionDenied(decision.reason)
    if data.get("amount") is not None and data["amount"] < 0:
        raise InvalidInput(_("The amount cannot be negative."), field="amount")
    with transaction.atomic():
        record = SupportRecord.objects.create(establishment=establishment, **data)
        audit_record(actor=actor, action="establishment.support_add", obj=establishment,
                     changes={"support": [None, f"{record.year}: {record.description}"]})
    return record


def eligibility_refresh(*, province_id: int | None = None, on_date: datetime.date | None = None) -> int:
    """Recomputes the stored eligibility (list filters use it) for establishments checked before `on_date`:
    a unit's type or a rule can change on a date (Đồng Nai became a centrally-run city on 30/4/2026)."""
    on_date = on_date or timezone.localdate()
    qs = Establishment.objects.select_related("commune__province", "craft_village").prefetch_related(
        "commune__periods", "commune__province__periods")
    qs = qs.exclude(eligibility_checked_on=on_date)
    if province_id is not None:
        qs = qs.filter(province_id=province_id)
    changed, total = [], 0
    for establishment in qs.iterator(chunk_size=2000):
        refresh_derived(establishment, on_date)
        changed.append(establishment)
        total += 1
        if len(changed) >= 2000:
            Establishment.objects.bulk_update(changed, ["eligible", "eligibility_checked_on"])
            changed = []
    Establishment.objects.bulk_update(changed, ["eligible", "eligibility_checked_on"])
    return total
