"""Collaborators: the person, the appointment by decision with its account, the changes of status, and the communes
covered (kept as a history, moved onto today's communes after the 2025 mergers)."""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, RoleAssignment, ScopeLevel, User
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import Conflict, InvalidInput
from khuyencong.core.text import fold
from khuyencong.core.versions import versioned_update
from khuyencong.geo.models import AdminUnit, Succession
from khuyencong.registry.models import Gender

from ..flows import (
    ACTION_FOR_STATUS,
    cannot_become,
    collaborator_flow,
)
from ..identity import clean_birth_year, clean_email, clean_phone, protected_id
from ..models import (
    AffiliationKind,
    Collaborator,
    CollaboratorStatus,
    CollaboratorStatusChange,
    Coverage,
    EducationLevel,
    Reassignment,
    Regulation,
)
from ..permissions import can_manage_network
from ..selectors import regulation_in_force
from ._common import _day, _require, _text, _today, add_months

PERSON_FIELDS = ("full_name", "gender", "birth_year", "phone", "email", "residence_commune", "address",
                 "education_level", "experience_years", "affiliation_kind", "affiliation")


def _clean_person(data: dict, *, partial: bool = False) -> dict:
    clean = {k: v for k, v in data.items() if k in PERSON_FIELDS}
    today = _today()
    if "full_name" in clean or not partial:
        clean["full_name"] = _text(clean.get("full_name"), "full_name", required=True, max_length=150,
                                   message=_("Give the full name."))
    if ("gender" in clean or not partial) and clean.get("gender") not in Gender.values:
        raise InvalidInput(_("Choose the gender."), field="gender")
    if "birth_year" in clean or not partial:
        clean["birth_year"] = clean_birth_year(clean.get("birth_year"), today)
    if "phone" in clean or not partial:
        clean["phone"] = clean_phone(clean.get("phone"))
    if "email" in clean:
        clean["email"] = clean_email(clean["email"])
    for key, length in (("address", 300), ("affiliation", 250)):
        if key in clean:
            clean[key] = _text(clean[key], key, max_length=length)
    commune = clean.get("residence_commune")
    if commune is not None and (commune.scheme != "current" or commune.level != "commune"):
        raise InvalidInput(_("The commune must be one of today's communes."), field="residence_commune")
    if clean.get("education_level") not in (None, "", *EducationLevel.values):
        raise InvalidInput(_("Choose the education level from the list."), field="education_level")
    if clean.get("affiliation_kind") not in (None, "", *AffiliationKind.values):
        raise InvalidInput(_("Choose who the person works for from the list."), field="affiliation_kind")
    years = clean.get("experience_years")
    if years is not None and (isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= 70):
        raise InvalidInput(_("Years of experience go from 0 to 70."), field="experience_years")
    if "full_name" in clean:
        clean["name_folded"] = fold(clean["full_name"])
    return clean


def _clean_communes(communes, province: AdminUnit, regulation: Regulation | None, *, required: bool = True):
    communes = list(dict.fromkeys(communes or []))
    if required and not communes:
        raise InvalidInput(_("Choose at least one commune."), field="communes")
    for commune in communes:
        if commune.scheme != "current" or commune.level != "commune" or commune.province_id != province.pk:
            raise InvalidInput(_("%(commune)s is not one of today's communes of %(province)s.")
                               % {"commune": commune.name, "province": province.name}, field="communes")
    if regulation is not None and regulation.max_communes and len(communes) > regulation.max_communes:
        raise InvalidInput(_("The regulation allows at most %(n)s communes per collaborator.")
                           % {"n": regulation.max_communes}, field="communes")
    return communes


def _next_seq(province: AdminUnit) -> int:
    return (Collaborator.objects.filter(province=province).aggregate(m=Max("seq"))["m"] or 0) + 1


def _insert_collaborator(*, actor, province: AdminUnit, person: dict, protected: dict) -> Collaborator:
    seq = _next_seq(province)
    collaborator = Collaborator(province=province, seq=seq, code=f"CTV-{province.code:02d}-{seq:04d}",
                                created_by=actor if getattr(actor, "pk", None) else None, **person, **protected)
    try:
        with transaction.atomic():
            collaborator.save()
    except IntegrityError:
        raise Conflict(_("Another collaborator took this number at the same moment; please save again.")) from None
    CollaboratorStatusChange.objects.create(collaborator=collaborator, status=CollaboratorStatus.APPLICANT,
                                            on_date=_today(), actor=collaborator.created_by)
    return collaborator


def _check_not_in_network(province: AdminUnit, id_hash: str, exclude: int | None = None) -> None:
    if id_hash and Collaborator.objects.filter(province=province, id_number_hash=id_hash).exclude(
            pk=exclude).exclude(status=CollaboratorStatus.ENDED).exists():
        raise InvalidInput(_("A collaborator with this ID number is already in the province's network."),
                           field="id_number")


def collaborator_create(*, actor, province: AdminUnit, data: dict, id_number: str) -> Collaborator:
    """Registers a person in the network as an applicant (for example from a paper application); appointing them
    is the next step."""
    if province is None or province.scheme != "current" or province.level != "province":
        raise InvalidInput(_("The province must be one of today's 34 provinces."), field="province")
    _require(can_manage_network(actor, province.pk))
    person = _clean_person(data)
    protected = protected_id(id_number)
    with transaction.atomic():
        _check_not_in_network(province, protected["id_number_hash"])
        collaborator = _insert_collaborator(actor=actor, province=province, person=person, protected=protected)
        audit_record(actor=actor, action="network.collaborator_create", obj=collaborator,
                     changes={k: [None, v] for k, v in person.items() if v not in (None, "") and k != "name_folded"})
    return collaborator


def collaborator_update(*, actor, collaborator: Collaborator, data: dict, version: int,
                        id_number: str | None = None) -> Collaborator:
    """Corrects a collaborator's personal details (the ID number only when a new one is typed)."""
    _require(can_manage_network(actor, collaborator.province_id))
    person = _clean_person(data, partial=True)
    if id_number:
        person.update(protected_id(id_number))
    with transaction.atomic():
        changes = field_changes(collaborator, person)
        changes.pop("name_folded", None)
        if "id_number_hash" in changes:
            _check_not_in_network(collaborator.province, person["id_number_hash"], exclude=collaborator.pk)
            changes = {k: v for k, v in changes.items() if k not in ("id_number_hash", "id_number_length")}
            changes["id_number_last3"] = ["•••", "•••"]  # changed, but never written to the history in clear
        if not changes:
            return collaborator
        versioned_update(collaborator, person, version, what=_("collaborator"))
        audit_record(actor=actor, action="network.collaborator_update", obj=collaborator, changes=changes)
    return collaborator


def _centre_of(province: AdminUnit) -> Organisation:
    org = (Organisation.objects.filter(province=province, kind=OrganisationKind.KC_CENTRE, is_active=True)
           .order_by("id").first())
    if org is None:
        raise InvalidInput(_("%(province)s has no active KC centre in Organisations: register it first, the "
                             "collaborators' accounts belong to it.") % {"province": province.name})
    return org


def username_for(full_name: str, province: AdminUnit) -> str:
    words = fold(full_name).replace("-", " ").split() or ["ctv"]
    base = f"ctv.{words[-1]}{''.join(w[0] for w in words[:-1])}.{province.code:02d}"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}.{n}"
    return username


PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_password() -> str:
    """Twelve characters without look-alikes (l/1, O/0), easy to read out over the phone."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(12))


def _sync_account(collaborator: Collaborator) -> None:
    """The account's collaborator role covers exactly the current communes the collaborator covers today, and is
    active only while the collaborator is."""
    if collaborator.user_id is None:
        return
    assignment = RoleAssignment.objects.filter(user_id=collaborator.user_id, role=Role.COLLABORATOR,
                                               province=collaborator.province).first()
    if assignment is None:
        return
    communes = list(collaborator.coverages.filter(end_date__isnull=True, unit__scheme="current",
                                                  unit__level="commune").values_list("unit_id", flat=True))
    assignment.is_active = collaborator.is_active
    assignment.scope_level = ScopeLevel.COMMUNES
    assignment.save(update_fields=["is_active", "scope_level", "updated_at"])
    assignment.communes.set(communes)
    collaborator.__dict__.pop("_kc_covered", None)


def _open_account(collaborator: Collaborator) -> str | None:
    """Creates the collaborator's account (returning its password, shown once) or re-activates the existing one."""
    organisation = _centre_of(collaborator.province)
    password = None
    user = collaborator.user
    if user is None:
        password = new_password()
        user = User(username=username_for(collaborator.full_name, collaborator.province),
                    full_name=collaborator.full_name, email=collaborator.email, phone=collaborator.phone)
        user.set_password(password)
        user.save()
        collaborator.user = user
        Collaborator.objects.filter(pk=collaborator.pk).update(user=user)
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.COLLABORATOR, province=collaborator.province,
        defaults={"organisation": organisation, "scope_level": ScopeLevel.COMMUNES},
    )
    return password


def collaborator_appoint(*, actor, collaborator: Collaborator, decision_number: str, decision_date: datetime.date,
                         communes, version: int, term_start: datetime.date | None = None, authority: str = "",
                         signer: str = "") -> tuple[Collaborator, str | None]:
    """Appoints an applicant (or a former collaborator, for a new term) by a decision: the term follows the
    regulation in force, the communes are opened in the coverage history, and the person gets an account with the
    collaborator role over those communes. Returns the collaborator and the new account's password (None when the
    person already had an account)."""
    row = collaborator_flow.check(collaborator, actor, "appoint")
    number = _text(decision_number, "decision_number", required=True, max_length=80,
                   message=_("Give the number of the appointment decision."))
    decision_date = _day(decision_date, "decision_date")
    regulation = regulation_in_force(collaborator.province, decision_date)
    if regulation is None:
        raise InvalidInput(_("No network regulation of the province is in force on %(date)s: record it first.")
                           % {"date": decision_date.strftime("%d/%m/%Y")}, field="decision_date")
    start = _day(term_start, "term_start", required=False, not_future=False) or decision_date
    if start < decision_date:
        raise InvalidInput(_("The term cannot start before the decision."), field="term_start")
    end = add_months(start, regulation.term_months) - datetime.timedelta(days=1)
    communes = _clean_communes(communes, collaborator.province, regulation)
    _centre_of(collaborator.province)  # the account needs it: refuse before anything is written
    fields = {
        "status_reason": "", "regulation": regulation,
        "decision_number": number, "decision_date": decision_date, "term_start": start, "term_end": end,
        "decision_authority": _text(authority, "authority", max_length=250) or regulation.appointing_authority,
        "decision_signer": _text(signer, "signer", max_length=150),
    }
    with transaction.atomic():
        changes = field_changes(collaborator, {"status": row.target, **fields})
        collaborator_flow.commit(collaborator, row, actor=actor, version=version, what=_("collaborator"),
                                 fields=fields, inputs={"reason": number}, on_date=start)
        for commune in communes:
            Coverage.objects.create(collaborator=collaborator, unit=commune, province=collaborator.province,
                                    start_date=start)
        password = _open_account(collaborator)
        _sync_account(collaborator)
        changes["communes"] = [None, [c.name for c in communes]]
        changes["account"] = [None, collaborator.user.username]
        audit_record(actor=actor, action="network.collaborator_appoint", obj=collaborator, changes=changes)
    return collaborator, password


def collaborator_set_status(*, actor, collaborator: Collaborator, status: str, reason: str, version: int,
                            on_date: datetime.date | None = None) -> Collaborator:
    """Suspends, re-activates or ends a collaborator (the collaborator lifecycle in flows.py). Ending closes every
    commune they still cover (the history keeps them); suspending or ending switches their account's role off."""
    action = ACTION_FOR_STATUS.get(status)
    if action is None:  # not a change of status a person makes (appointing is its own action)
        _require(can_manage_network(actor, collaborator.province_id))
        raise InvalidInput(cannot_become(collaborator, status), field="status")
    row = collaborator_flow.check(collaborator, actor, action, inputs={"reason": reason})
    reason = _text(reason, "reason", max_length=300)
    on_date = _day(on_date, "on_date", required=False) or _today()
    last = collaborator.status_changes.order_by("-on_date", "-id").first()
    if last is not None and on_date < last.on_date:
        raise InvalidInput(_("The date cannot be before the last change of status (%(date)s).")
                           % {"date": last.on_date.strftime("%d/%m/%Y")}, field="on_date")
    with transaction.atomic():
        effects = collaborator_flow.commit(collaborator, row, actor=actor, version=version,
                                           what=_("collaborator"), fields={"status_reason": reason},
                                           inputs={"reason": reason}, on_date=on_date)
        _sync_account(collaborator)
        changes = {"status": effects.pop("status"), "reason": [None, reason], "on_date": [None, on_date], **effects}
        audit_record(actor=actor, action="network.collaborator_status", obj=collaborator, changes=changes)
    return collaborator


def coverage_add(*, actor, collaborator: Collaborator, commune: AdminUnit,
                 start_date: datetime.date | None = None) -> Coverage:
    """Gives an active collaborator one more commune to cover from a date."""
    _require(can_manage_network(actor, collaborator.province_id))
    if not collaborator.is_active:
        raise InvalidInput(_("Only an active collaborator can be given communes."), field="commune")
    _clean_communes([commune], collaborator.province, None)
    start = _day(start_date, "start_date", required=False, not_future=False) or _today()
    with transaction.atomic():
        open_units = set(collaborator.coverages.filter(end_date__isnull=True, unit__scheme="current")
                         .values_list("unit_id", flat=True))
        if commune.pk in open_units:
            raise InvalidInput(_("%(commune)s is already covered by this collaborator.") % {"commune": commune.name},
                               field="commune")
        regulation = collaborator.regulation
        if regulation is not None and regulation.max_communes and len(open_units) + 1 > regulation.max_communes:
            raise InvalidInput(_("The regulation allows at most %(n)s communes per collaborator.")
                               % {"n": regulation.max_communes}, field="commune")
        coverage = Coverage.objects.create(collaborator=collaborator, unit=commune, province=collaborator.province,
                                           start_date=start)
        _sync_account(collaborator)
        audit_record(actor=actor, action="network.coverage_add", obj=collaborator,
                     changes={"coverage": [None, f"{commune.name} từ {start:%d/%m/%Y}"]})
    return coverage


def coverage_end(*, actor, coverage: Coverage, reason: str, end_date: datetime.date | None = None) -> Coverage:
    """Stops a collaborator covering a unit; the row stays in the history with its end date and reason."""
    collaborator = coverage.collaborator
    _require(can_manage_network(actor, collaborator.province_id))
    reason = _text(reason, "reason", required=True, max_length=300, message=_("Give the reason."))
    end = _day(end_date, "end_date", required=False) or _today()
    if end < coverage.start_date:
        raise InvalidInput(_("The end cannot be before the start (%(date)s).")
                           % {"date": coverage.start_date.strftime("%d/%m/%Y")}, field="end_date")
    with transaction.atomic():
        if not Coverage.objects.filter(pk=coverage.pk, end_date__isnull=True).update(end_date=end, end_reason=reason):
            raise InvalidInput(_("This coverage has already ended."))
        coverage.end_date, coverage.end_reason = end, reason
        _sync_account(collaborator)
        audit_record(actor=actor, action="network.coverage_end", obj=collaborator,
                     changes={"coverage": [coverage.unit.name, f"{coverage.unit.name} đến {end:%d/%m/%Y}"],
                              "reason": [None, reason]})
    return coverage


def coverage_reassign(*, actor, province: AdminUnit, moves: dict[int, list[int]], on_date: datetime.date | None = None,
                      note: str = "") -> Reassignment:
    """Moves coverage held on former (pre-2025) communes or districts onto today's communes they passed to, per the
    succession table: each former row is closed (kept in the history, linked to the move) and a row is opened for
    each chosen commune. `moves` maps a coverage id to the ids of the current communes chosen for it."""
    _require(can_manage_network(actor, province.pk))
    on_date = _day(on_date, "on_date", required=False) or _today()
    note = _text(note, "note", max_length=300)
    if not any(moves.values()):
        raise InvalidInput(_("Choose at least one commune to move coverage to."), field="moves")
    rows = {c.pk: c for c in Coverage.objects.filter(pk__in=list(moves), province=province, end_date__isnull=True,
                                                     unit__scheme="legacy").select_related("unit", "collaborator")}
    allowed: dict[int, set[int]] = {}
    for s in Succession.objects.filter(legacy_id__in={c.unit_id for c in rows.values()}, current__province=province):
        allowed.setdefault(s.legacy_id, set()).add(s.current_id)
    for coverage_id, targets in moves.items():
        if not targets:
            continue
        coverage = rows.get(coverage_id)
        if coverage is None:
            raise InvalidInput(_("One of the rows is no longer an open coverage of a former unit of the province: "
                                 "reload the page."), field="moves")
        if set(targets) - allowed.get(coverage.unit_id, set()):
            raise InvalidInput(_("%(unit)s did not pass to every commune chosen for it (see the succession table).")
                               % {"unit": coverage.unit.name}, field="moves")
    targets_by_id = {u.pk: u for u in AdminUnit.objects.filter(pk__in={t for ts in moves.values() for t in ts})}
    with transaction.atomic():
        batch = Reassignment.objects.create(province=province, on_date=on_date, note=note, actor=actor)
        moved = opened = skipped = 0
        touched: dict[int, Collaborator] = {}
        for coverage_id, targets in moves.items():
            if not targets:
                continue
            coverage = rows[coverage_id]
            end = max(coverage.start_date, on_date - datetime.timedelta(days=1))
            Coverage.objects.filter(pk=coverage.pk).update(end_date=end, ended_by=batch,
                                                           end_reason=_("Moved to today's communes"))
            moved += 1
            already = set(Coverage.objects.filter(collaborator=coverage.collaborator, end_date__isnull=True)
                          .values_list("unit_id", flat=True))
            for target in targets:
                if target in already:
                    skipped += 1
                    continue
                Coverage.objects.create(collaborator=coverage.collaborator, unit=targets_by_id[target],
                                        province=province, start_date=on_date, moved_from=coverage,
                                        created_by_move=batch)
                already.add(target)
                opened += 1
            touched[coverage.collaborator_id] = coverage.collaborator
        for collaborator in touched.values():
            _sync_account(collaborator)
        batch.summary = {"former_rows": moved, "communes_opened": opened, "already_covered": skipped,
                         "collaborators": len(touched)}
        batch.save(update_fields=["summary"])
        audit_record(actor=actor, action="network.coverage_reassign", obj=batch,
                     changes={k: [None, v] for k, v in batch.summary.items()})
    return batch
