"""Writes of the collaborator network. Each function is one domain action: keyword-only, permission-checked, atomic,
audited. Views, the API and the demo seeder all call these."""

import calendar
import datetime
import logging
import secrets
from decimal import Decimal, InvalidOperation

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, RoleAssignment, ScopeLevel, User
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.core.text import fold, normalize_text
from khuyencong.geo.models import AdminUnit, Succession
from khuyencong.registry.models import Establishment, EstablishmentStatus, Gender
from khuyencong.registry.services import establishment_update
from khuyencong.rules.engine import content_get

from . import performance, proposals, standards
from .identity import clean_birth_year, clean_email, clean_phone, protected_id
from .models import (
    AffiliationKind,
    Announcement,
    AnnouncementRead,
    ApplicationStatus,
    Collaborator,
    CollaboratorApplication,
    CollaboratorStatus,
    CollaboratorStatusChange,
    CollaboratorTask,
    Coverage,
    EducationLevel,
    EvaluationCriterion,
    FeeLine,
    FeeSheet,
    FeeSheetStatus,
    FieldKind,
    FieldRecord,
    JoiningStandard,
    Metric,
    Reassignment,
    RecordStatus,
    Regulation,
    StandardKind,
    TaskStatus,
)
from .periods import Period
from .permissions import (
    can_edit_regulation,
    can_manage_network,
    can_record_field,
    can_sign_fees,
)
from .photos import prepare_photo
from .selectors import my_collaborator, regulation_in_force

logger = logging.getLogger(__name__)


def _require(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _today() -> datetime.date:
    return timezone.localdate()


def _day(value, field: str, *, required: bool = True, not_future: bool = True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise InvalidInput(_("Give the date."), field=field)
        return None
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise InvalidInput(_("Give the date as a calendar day."), field=field)
    if not_future and value > _today():
        raise InvalidInput(_("The date cannot be in the future."), field=field)
    return value


def _text(value, field: str, *, required: bool = False, max_length: int = 300, message: str = "") -> str:
    text = normalize_text(value)
    if required and not text:
        raise InvalidInput(message or _("This field is required."), field=field)
    if len(text) > max_length:
        raise InvalidInput(_("At most %(n)s characters.") % {"n": max_length}, field=field)
    return text


def _amount(value, field: str, *, nullable: bool = False) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(_("Amounts are whole numbers of đồng, zero or more."), field=field)
    return value


def _version_conflict(what: str):
    return Conflict(_("Someone else changed this %(what)s after you opened it. Reload to see their changes; your "
                      "input is kept below.") % {"what": what})


def _conditional_update(model, obj, version: int, fields: dict, what: str, **extra_filter) -> None:
    """Saves `fields` only if the stored version is still `version` (and the extra conditions hold)."""
    updated = model.objects.filter(pk=obj.pk, version=version, **extra_filter).update(
        **fields, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise _version_conflict(what)
    for key, value in fields.items():
        setattr(obj, key, value)
    obj.version = version + 1


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- regulations ------------------------------------------------------------------------------------------------------

REGULATION_TEXT = {"number": 80, "title": 300, "issuing_body": 200, "signer": 150, "appointing_authority": 250,
                   "appointing_body": 250, "parent_body": 250, "decision_symbol": 30}
REGULATION_REQUIRED = ("number", "title", "issuing_body", "signer", "appointing_authority", "appointing_body")
REGULATION_AMOUNTS = ("monthly_base_vnd", "per_survey_vnd", "per_conversion_vnd", "per_report_vnd")
REGULATION_FIELDS = (*REGULATION_TEXT, "issued_on", "effective_from", "effective_to", "duties", "term_months",
                     "max_communes", *REGULATION_AMOUNTS, "monthly_cap_vnd", "accepts_applications")


def _clean_regulation(data: dict, current: Regulation | None = None) -> dict:
    clean = {k: v for k, v in data.items() if k in REGULATION_FIELDS}
    for key, length in REGULATION_TEXT.items():
        if key in clean or current is None:
            clean[key] = _text(clean.get(key), key, required=key in REGULATION_REQUIRED, max_length=length)
    if "duties" in clean:
        clean["duties"] = (clean["duties"] or "").strip()
    for key in ("issued_on", "effective_from"):
        if key in clean or current is None:
            clean[key] = _day(clean.get(key), key, not_future=False)
    if "effective_to" in clean:
        clean["effective_to"] = _day(clean["effective_to"], "effective_to", required=False, not_future=False)
    start = clean.get("effective_from", current.effective_from if current else None)
    end = clean.get("effective_to", current.effective_to if current else None)
    if end is not None and start is not None and end < start:
        raise InvalidInput(_("The end of the regulation cannot be before its start."), field="effective_to")
    if "term_months" in clean or current is None:
        term = clean.get("term_months")
        if isinstance(term, bool) or not isinstance(term, int) or not 1 <= term <= 120:
            raise InvalidInput(_("The term is a number of months between 1 and 120."), field="term_months")
    if "max_communes" in clean and clean["max_communes"] is not None:
        limit = clean["max_communes"]
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidInput(_("The number of communes per collaborator is at least 1 (or empty: no limit)."),
                               field="max_communes")
    for key in REGULATION_AMOUNTS:
        if key in clean or current is None:
            clean[key] = _amount(clean.get(key, 0), key)
    if "monthly_cap_vnd" in clean:
        clean["monthly_cap_vnd"] = _amount(clean["monthly_cap_vnd"], "monthly_cap_vnd", nullable=True)
    return clean


def _clean_standards(rows) -> list[dict]:
    result = []
    for i, row in enumerate(rows):
        kind = row.get("kind")
        if kind not in StandardKind.values:
            raise InvalidInput(_("Unknown kind of standard."), field="standards")
        label = _text(row.get("label"), "standards", required=True, max_length=300,
                      message=_("Write each standard as the regulation says it."))
        low, high = row.get("min_value"), row.get("max_value")
        level = row.get("education_level") or ""
        if kind == StandardKind.AGE and ((low is None and high is None) or (low and high and low > high)):
            raise InvalidInput(_("An age standard needs its range (the minimum not above the maximum)."),
                               field="standards")
        if kind == StandardKind.EDUCATION and level not in EducationLevel.values:
            raise InvalidInput(_("An education standard needs the lowest accepted level."), field="standards")
        if kind == StandardKind.EXPERIENCE and not low:
            raise InvalidInput(_("An experience standard needs the minimum number of years."), field="standards")
        result.append({"kind": kind, "label": label, "min_value": low, "max_value": high,
                       "education_level": level if kind == StandardKind.EDUCATION else "", "order": i})
    return result


def _clean_criteria(rows) -> list[dict]:
    result, metrics = [], set()
    for i, row in enumerate(rows):
        metric = row.get("metric")
        if metric not in Metric.values:
            raise InvalidInput(_("Unknown evaluation measure."), field="criteria")
        if metric in metrics:
            raise InvalidInput(_("Each measure appears once among the criteria."), field="criteria")
        metrics.add(metric)
        weight = row.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
            raise InvalidInput(_("Each criterion has a weight of at least 1 point."), field="criteria")
        target = row.get("monthly_target")
        if metric != Metric.TASKS_ON_TIME and (not isinstance(target, int) or target < 1):
            raise InvalidInput(_("A criterion that counts work needs a monthly target of at least 1."),
                               field="criteria")
        label = _text(row.get("label"), "criteria", required=True, max_length=300,
                      message=_("Write each criterion as the regulation says it."))
        result.append({"metric": metric, "label": label, "weight": weight,
                       "monthly_target": target if metric != Metric.TASKS_ON_TIME else None, "order": i})
    if result and sum(r["weight"] for r in result) != 100:
        raise InvalidInput(_("The weights of the criteria must add up to 100 points (now %(sum)s).")
                           % {"sum": sum(r["weight"] for r in result)}, field="criteria")
    return result


def _check_no_overlap(province_id: int, start: datetime.date, end: datetime.date | None, exclude: int | None) -> None:
    for other in Regulation.objects.filter(province_id=province_id).exclude(pk=exclude):
        if other.effective_from <= (end or datetime.date.max) and start <= (other.effective_to or datetime.date.max):
            raise InvalidInput(
                _("Regulation %(number)s is in force over part of the same period: set its end date first.")
                % {"number": other.number}, field="effective_from")


def _replace_rows(regulation: Regulation, standards_rows, criteria_rows) -> None:
    if standards_rows is not None:
        regulation.standards.all().delete()
        JoiningStandard.objects.bulk_create(JoiningStandard(regulation=regulation, **row) for row in standards_rows)
    if criteria_rows is not None:
        regulation.criteria.all().delete()
        EvaluationCriterion.objects.bulk_create(EvaluationCriterion(regulation=regulation, **row)
                                                for row in criteria_rows)


def _rows_repr(rows) -> list[str]:
    return [f"{r['kind'] if 'kind' in r else r['metric']}: {r['label']}"
            + (f" ({r['weight']})" if "weight" in r else "") for r in rows]


def regulation_create(*, actor, province: AdminUnit, data: dict, standards=(), criteria=()) -> Regulation:
    """Records the province's network regulation (quy chế) with its standards, fee scheme and evaluation criteria."""
    if province is None or province.scheme != "current" or province.level != "province":
        raise InvalidInput(_("The province must be one of today's 34 provinces."), field="province")
    _require(can_edit_regulation(actor, province.pk))
    clean = _clean_regulation(data)
    standard_rows, criterion_rows = _clean_standards(standards), _clean_criteria(criteria)
    with transaction.atomic():
        _check_no_overlap(province.pk, clean["effective_from"], clean.get("effective_to"), None)
        if Regulation.objects.filter(province=province, number=clean["number"]).exists():
            raise InvalidInput(_("A regulation with this number already exists in the province."), field="number")
        regulation = Regulation.objects.create(province=province, **clean)
        _replace_rows(regulation, standard_rows, criterion_rows)
        audit_record(actor=actor, action="network.regulation_create", obj=regulation, changes={
            **{k: [None, v] for k, v in clean.items() if v not in (None, "")},
            "standards": [None, _rows_repr(standard_rows)], "criteria": [None, _rows_repr(criterion_rows)]})
    return regulation


def regulation_update(*, actor, regulation: Regulation, data: dict, version: int, standards=None,
                      criteria=None) -> Regulation:
    """Edits the regulation; the standards and criteria, when given, replace the previous lists."""
    _require(can_edit_regulation(actor, regulation.province_id))
    clean = _clean_regulation(data, current=regulation)
    standard_rows = _clean_standards(standards) if standards is not None else None
    criterion_rows = _clean_criteria(criteria) if criteria is not None else None
    with transaction.atomic():
        changes = field_changes(regulation, clean)
        if standard_rows is not None:
            old = _rows_repr(list(regulation.standards.values("kind", "label")))
            if old != _rows_repr(standard_rows):
                changes["standards"] = [old, _rows_repr(standard_rows)]
        if criterion_rows is not None:
            old = _rows_repr(list(regulation.criteria.values("metric", "label", "weight")))
            if old != _rows_repr(criterion_rows):
                changes["criteria"] = [old, _rows_repr(criterion_rows)]
        if not changes:
            return regulation
        if {"effective_from", "effective_to"} & changes.keys():
            _check_no_overlap(regulation.province_id, clean.get("effective_from", regulation.effective_from),
                              clean.get("effective_to", regulation.effective_to), regulation.pk)
        if "number" in changes and Regulation.objects.filter(province_id=regulation.province_id,
                                                             number=clean["number"]).exclude(pk=regulation.pk).exists():
            raise InvalidInput(_("A regulation with this number already exists in the province."), field="number")
        _conditional_update(Regulation, regulation, version, clean, _("regulation"))
        _replace_rows(regulation, standard_rows, criterion_rows)
        audit_record(actor=actor, action="network.regulation_update", obj=regulation, changes=changes)
    return regulation


# --- people -----------------------------------------------------------------------------------------------------------

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
        _conditional_update(Collaborator, collaborator, version, person, _("collaborator"))
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
    _require(can_manage_network(actor, collaborator.province_id))
    if collaborator.status not in (CollaboratorStatus.APPLICANT, CollaboratorStatus.ENDED):
        raise InvalidInput(_("Only an applicant or a former collaborator can be appointed (now: %(status)s).")
                           % {"status": collaborator.get_status_display()}, field="status")
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
        "status": CollaboratorStatus.ACTIVE, "status_reason": "", "regulation": regulation,
        "decision_number": number, "decision_date": decision_date, "term_start": start, "term_end": end,
        "decision_authority": _text(authority, "authority", max_length=250) or regulation.appointing_authority,
        "decision_signer": _text(signer, "signer", max_length=150),
    }
    with transaction.atomic():
        changes = field_changes(collaborator, fields)
        _conditional_update(Collaborator, collaborator, version, fields, _("collaborator"),
                            status__in=[CollaboratorStatus.APPLICANT, CollaboratorStatus.ENDED])
        CollaboratorStatusChange.objects.create(collaborator=collaborator, status=CollaboratorStatus.ACTIVE,
                                                on_date=start, reason=number, actor=actor)
        for commune in communes:
            Coverage.objects.create(collaborator=collaborator, unit=commune, province=collaborator.province,
                                    start_date=start)
        password = _open_account(collaborator)
        _sync_account(collaborator)
        changes["communes"] = [None, [c.name for c in communes]]
        changes["account"] = [None, collaborator.user.username]
        audit_record(actor=actor, action="network.collaborator_appoint", obj=collaborator, changes=changes)
    return collaborator, password


STATUS_MOVES = {
    (CollaboratorStatus.ACTIVE, CollaboratorStatus.SUSPENDED),
    (CollaboratorStatus.SUSPENDED, CollaboratorStatus.ACTIVE),
    (CollaboratorStatus.ACTIVE, CollaboratorStatus.ENDED),
    (CollaboratorStatus.SUSPENDED, CollaboratorStatus.ENDED),
    (CollaboratorStatus.APPLICANT, CollaboratorStatus.ENDED),
}


def collaborator_set_status(*, actor, collaborator: Collaborator, status: str, reason: str, version: int,
                            on_date: datetime.date | None = None) -> Collaborator:
    """Suspends, re-activates or ends a collaborator. Ending closes every commune they still cover (the history
    keeps them); suspending or ending switches their account's role off."""
    _require(can_manage_network(actor, collaborator.province_id))
    if (collaborator.status, status) not in STATUS_MOVES:
        raise InvalidInput(_("A collaborator who is %(now)s cannot become %(next)s.") % {
            "now": collaborator.get_status_display().lower(),
            "next": CollaboratorStatus(status).label.lower() if status in CollaboratorStatus.values else status},
            field="status")
    reason = _text(reason, "reason", max_length=300)
    if status != CollaboratorStatus.ACTIVE and not reason:
        raise InvalidInput(_("Give the reason."), field="reason")
    on_date = _day(on_date, "on_date", required=False) or _today()
    last = collaborator.status_changes.order_by("-on_date", "-id").first()
    if last is not None and on_date < last.on_date:
        raise InvalidInput(_("The date cannot be before the last change of status (%(date)s).")
                           % {"date": last.on_date.strftime("%d/%m/%Y")}, field="on_date")
    with transaction.atomic():
        old = collaborator.status
        _conditional_update(Collaborator, collaborator, version, {"status": status, "status_reason": reason},
                            _("collaborator"), status=old)
        CollaboratorStatusChange.objects.create(collaborator=collaborator, status=status, on_date=on_date,
                                                reason=reason, actor=actor)
        closed = []
        if status == CollaboratorStatus.ENDED:
            for coverage in collaborator.coverages.filter(end_date__isnull=True).select_related("unit"):
                end = max(on_date, coverage.start_date)
                Coverage.objects.filter(pk=coverage.pk).update(end_date=end, end_reason=reason)
                closed.append(coverage.unit.name)
        _sync_account(collaborator)
        changes = {"status": [old, status], "reason": [None, reason], "on_date": [None, on_date]}
        if closed:
            changes["communes_closed"] = [closed, None]
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


# --- applications -----------------------------------------------------------------------------------------------------


def _new_reference(province: AdminUnit) -> str:
    while True:
        reference = f"{province.code:02d}-{secrets.token_hex(3).upper()}"
        if not CollaboratorApplication.objects.filter(reference=reference).exists():
            return reference


def application_submit(*, province: AdminUnit, data: dict, communes, id_number: str, health_declared: bool = False,
                       has_endorsement: bool = False, motivation: str = "", source_hash: str = "",
                       ) -> CollaboratorApplication:
    """Receives a person's application to join the province's network (from the public page: no account), and
    checks it against the regulation's standards."""
    if province is None or province.scheme != "current" or province.level != "province":
        raise InvalidInput(_("Choose the province."), field="province")
    today = _today()
    regulation = regulation_in_force(province, today)
    if regulation is None or not regulation.accepts_applications:
        raise InvalidInput(_("%(province)s does not take applications online at the moment; please contact its KC "
                             "centre.") % {"province": province.name}, field="province")
    person = _clean_person(data)
    protected = protected_id(id_number)
    communes = _clean_communes(communes, province, regulation)
    motivation = (motivation or "").strip()[:2000]
    with transaction.atomic():
        if CollaboratorApplication.objects.filter(province=province, id_number_hash=protected["id_number_hash"],
                                                  status=ApplicationStatus.SUBMITTED).exists():
            raise InvalidInput(_("An application with this ID number is already waiting for review in this "
                                 "province."), field="id_number")
        _check_not_in_network(province, protected["id_number_hash"])
        checks = standards.check_standards(
            regulation, on_date=today, birth_year=person["birth_year"],
            residence_commune=person.get("residence_commune"), communes=communes,
            education_level=person.get("education_level", ""), experience_years=person.get("experience_years"),
            health_declared=health_declared, has_endorsement=has_endorsement)
        application = CollaboratorApplication.objects.create(
            reference=_new_reference(province), province=province, regulation=regulation, checks=checks,
            health_declared=health_declared, has_endorsement=has_endorsement, motivation=motivation,
            source_hash=source_hash, **person, **protected)
        application.communes.set(communes)
        audit_record(actor=None, action="network.application_submit", obj=application,
                     changes={"province": [None, province.name], "communes": [None, [c.name for c in communes]]})
    return application


def application_accept(*, actor, application: CollaboratorApplication, decision_number: str,
                       decision_date: datetime.date, version: int, communes=None, term_start=None,
                       authority: str = "", signer: str = "") -> tuple[Collaborator, str | None]:
    """Accepts an application: the person becomes a collaborator appointed by the decision, with an account over the
    communes (those applied for unless others are chosen). Returns the collaborator and the password, shown once."""
    _require(can_manage_network(actor, application.province_id))
    if application.status != ApplicationStatus.SUBMITTED:
        raise InvalidInput(_("This application was already decided (%(status)s).")
                           % {"status": application.get_status_display()})
    communes = list(communes) if communes is not None else list(application.communes.all())
    person = {k: getattr(application, k) for k in PERSON_FIELDS}
    protected = {k: getattr(application, k) for k in ("id_number_hash", "id_number_last3", "id_number_length")}
    with transaction.atomic():
        _conditional_update(CollaboratorApplication, application, version,
                            {"status": ApplicationStatus.ACCEPTED, "decided_at": timezone.now(), "decided_by": actor},
                            _("application"), status=ApplicationStatus.SUBMITTED)
        _check_not_in_network(application.province, protected["id_number_hash"])
        collaborator = _insert_collaborator(actor=actor, province=application.province,
                                            person={**person, "name_folded": fold(person["full_name"])},
                                            protected=protected)
        collaborator, password = collaborator_appoint(
            actor=actor, collaborator=collaborator, decision_number=decision_number, decision_date=decision_date,
            communes=communes, version=collaborator.version, term_start=term_start, authority=authority,
            signer=signer)
        CollaboratorApplication.objects.filter(pk=application.pk).update(collaborator=collaborator)
        application.collaborator = collaborator
        audit_record(actor=actor, action="network.application_accept", obj=application,
                     changes={"status": [ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED],
                              "collaborator": [None, collaborator.code]})
        application.status = ApplicationStatus.ACCEPTED
        transaction.on_commit(lambda: _tell_applicant(application, decision_number))
    return collaborator, password


def application_refuse(*, actor, application: CollaboratorApplication, reason: str,
                       version: int) -> CollaboratorApplication:
    """Refuses an application, with the reason the person will be told."""
    _require(can_manage_network(actor, application.province_id))
    if application.status != ApplicationStatus.SUBMITTED:
        raise InvalidInput(_("This application was already decided (%(status)s).")
                           % {"status": application.get_status_display()})
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the refusal."), field="reason")
    with transaction.atomic():
        _conditional_update(CollaboratorApplication, application, version,
                            {"status": ApplicationStatus.REFUSED, "refusal_reason": reason[:2000],
                             "decided_at": timezone.now(), "decided_by": actor},
                            _("application"), status=ApplicationStatus.SUBMITTED)
        audit_record(actor=actor, action="network.application_refuse", obj=application,
                     changes={"status": [ApplicationStatus.SUBMITTED, ApplicationStatus.REFUSED],
                              "reason": [None, reason]})
        application.status, application.refusal_reason = ApplicationStatus.REFUSED, reason[:2000]
        transaction.on_commit(lambda: _tell_applicant(application))
    return application


def _tell_applicant(application: CollaboratorApplication, decision_number: str = "") -> None:
    """E-mails the person the centre's answer, when they gave an address (in Vietnamese: they applied on the public
    page). The login and password of an accepted collaborator are handed over by the centre, never e-mailed."""
    if not application.email:
        return
    with translation.override("vi"):
        centre = application.province.name[:1].lower() + application.province.name[1:]  # "tỉnh Lai Châu"
        if application.status == ApplicationStatus.REFUSED:
            subject = _("Your application to the KC collaborator network (%(reference)s) was not accepted") % {
                "reference": application.reference}
            body = _("Dear %(name)s,\n\nThe industrial promotion centre of %(province)s has reviewed your application "
                     "%(reference)s to become a KC collaborator and cannot accept it, for this reason:\n\n"
                     "%(reason)s\n\nYou may apply again when the reason no longer holds.") % {
                "name": application.full_name, "province": centre, "reference": application.reference,
                "reason": application.refusal_reason}
        else:
            subject = _("Your application to the KC collaborator network (%(reference)s) was accepted") % {
                "reference": application.reference}
            body = _("Dear %(name)s,\n\nThe industrial promotion centre of %(province)s has accepted your application "
                     "%(reference)s: you are appointed a KC collaborator by decision %(decision)s. The centre will "
                     "contact you to hand over your account.") % {
                "name": application.full_name, "province": centre, "reference": application.reference,
                "decision": decision_number}
    try:
        EmailMessage(subject=subject, body=body, to=[application.email]).send()
    except OSError:  # the decision stands; the centre still has the answer on the application's page
        logger.warning("could not e-mail the answer to application %s", application.reference, exc_info=True)


# --- field work -------------------------------------------------------------------------------------------------------

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
        values["base_version"] = establishment.version
    elif kind == FieldKind.NEED:
        code = normalize_text(data.get("content_code"))
        if not code:
            raise InvalidInput(_("Choose the KC content the establishment needs."), field="content_code")
        content_get(code, occurred_on)
        values["content_code"] = code
        cost = data.get("expected_cost_vnd")
        if cost in (None, ""):
            raise InvalidInput(_("Give the expected cost in đồng."), field="expected_cost_vnd")
        values["expected_cost_vnd"] = _amount(cost, "expected_cost_vnd")
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
    photo = prepare_photo(photo)
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
    _require(can_manage_network(actor, record.province_id))
    if record.status != RecordStatus.SUBMITTED:
        raise InvalidInput(_("This record was already reviewed (%(status)s).")
                           % {"status": record.get_status_display()})
    note = _text(note, "note", max_length=500)
    if not accept and not note:
        raise InvalidInput(_("Say why the record is rejected: the collaborator will read it."), field="note")
    with transaction.atomic():
        applied = {}
        if accept and record.kind == FieldKind.SURVEY and record.proposed_changes:
            establishment = Establishment.objects.select_for_update().get(pk=record.establishment_id)
            applied = {k: _registry_value(k, v) for k, v in record.proposed_changes.items()}
            establishment_update(actor=actor, establishment=establishment, data=applied,
                                 version=establishment_version if establishment_version is not None
                                 else establishment.version)
        status = RecordStatus.ACCEPTED if accept else RecordStatus.REJECTED
        _conditional_update(FieldRecord, record, version, {"status": status, "review_note": note,
                                                           "reviewed_by": actor, "reviewed_at": timezone.now()},
                            _("field record"), status=RecordStatus.SUBMITTED)
        audit_record(actor=actor, action="network.field_review", obj=record,
                     changes={"status": [RecordStatus.SUBMITTED, status], "note": [None, note or None],
                              **({"applied": [None, list(applied)]} if applied else {})})
    return record


def need_convert(*, actor, record: FieldRecord, plan, version: int, title: str = "") -> tuple:
    """Turns a support-needs registration into a project proposal (a draft KC project of the chosen plan, with the
    establishment as beneficiary and the content budgeted from the expected cost). The record keeps the link.
    Returns the project and the notes of what could not be filled in."""
    _require(can_manage_network(actor, record.province_id))
    if record.kind != FieldKind.NEED:
        raise InvalidInput(_("Only a support-needs registration becomes a project proposal."))
    if record.status not in (RecordStatus.SUBMITTED, RecordStatus.ACCEPTED):
        raise InvalidInput(_("This registration cannot be turned into a proposal (now: %(status)s).")
                           % {"status": record.get_status_display()})
    if plan is None:
        raise InvalidInput(_("Choose the annual plan the proposal goes into."), field="plan")
    with transaction.atomic():
        project, notes = proposals.proposal_from_need(actor=actor, record=record, plan=plan, title=title)
        _conditional_update(FieldRecord, record, version, {
            "status": RecordStatus.CONVERTED, "project": project, "converted_at": timezone.now(),
            "reviewed_by": actor, "reviewed_at": timezone.now(), "review_note": " ".join(notes)[:500]},
            _("field record"), status__in=[RecordStatus.SUBMITTED, RecordStatus.ACCEPTED])
        audit_record(actor=actor, action="network.need_convert", obj=record,
                     changes={"status": [None, RecordStatus.CONVERTED], "project": [None, project.code]})
    return project, notes


# --- tasks and announcements ------------------------------------------------------------------------------------------


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
    mine = task.collaborator.user_id == getattr(actor, "pk", None)
    if not mine:
        _require(can_manage_network(actor, task.province_id))
    if task.status != TaskStatus.OPEN:
        raise InvalidInput(_("This task is no longer open (%(status)s).") % {"status": task.get_status_display()})
    note = _text(note, "note", max_length=500)
    with transaction.atomic():
        _conditional_update(CollaboratorTask, task, version, {"status": TaskStatus.DONE, "done_on": _today(),
                                                              "completion_note": note}, _("task"),
                            status=TaskStatus.OPEN)
        audit_record(actor=actor, action="network.task_done", obj=task,
                     changes={"status": [TaskStatus.OPEN, TaskStatus.DONE], "note": [None, note or None]})
    return task


def task_cancel(*, actor, task: CollaboratorTask, version: int, reason: str) -> CollaboratorTask:
    _require(can_manage_network(actor, task.province_id))
    if task.status != TaskStatus.OPEN:
        raise InvalidInput(_("This task is no longer open (%(status)s).") % {"status": task.get_status_display()})
    reason = _text(reason, "reason", required=True, max_length=500, message=_("Give the reason."))
    with transaction.atomic():
        _conditional_update(CollaboratorTask, task, version, {"status": TaskStatus.CANCELLED,
                                                              "completion_note": reason}, _("task"),
                            status=TaskStatus.OPEN)
        audit_record(actor=actor, action="network.task_cancel", obj=task,
                     changes={"status": [TaskStatus.OPEN, TaskStatus.CANCELLED], "reason": [None, reason]})
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


# --- fees -------------------------------------------------------------------------------------------------------------


def fee_sheet_prepare(*, actor, province: AdminUnit, period: Period) -> FeeSheet:
    """Computes (or recomputes, while a draft) the fee sheet of a month or quarter from the activity recorded and the
    fee scheme of the regulation in force at the end of the period."""
    _require(can_manage_network(actor, province.pk))
    if period.start > _today():
        raise InvalidInput(_("The period has not started yet."), field="period")
    regulation = regulation_in_force(province, min(period.end, _today())) or regulation_in_force(province, period.start)
    if regulation is None:
        raise InvalidInput(_("No network regulation of the province is in force in this period: record it first."),
                           field="period")
    scheme = performance.scheme_of(regulation)
    with transaction.atomic():
        sheet = FeeSheet.objects.select_for_update().filter(province=province, period_kind=period.kind,
                                                            year=period.year, number=period.number).first()
        if sheet is not None and sheet.status != FeeSheetStatus.DRAFT:
            raise InvalidInput(_("This fee sheet is %(status)s: a finance officer must return it before it is "
                                 "computed again.") % {"status": sheet.get_status_display().lower()})
        old_total = sheet.total_vnd if sheet else None
        if sheet is None:
            sheet = FeeSheet(province=province, period_kind=period.kind, year=period.year, number=period.number)
        sheet.regulation, sheet.scheme, sheet.prepared_by, sheet.computed_at = regulation, scheme, actor, timezone.now()
        ids = list(Collaborator.objects.filter(province=province).exclude(status=CollaboratorStatus.APPLICANT)
                   .values_list("pk", flat=True))
        activity = performance.activity_for(ids, period)
        criteria = list(regulation.criteria.all())
        lines = []
        for pk, act in activity.items():
            if not act.anything:
                continue
            amounts = performance.fees(scheme, act)
            if not (act.months_active or amounts.total_vnd):
                continue
            lines.append(FeeLine(
                collaborator_id=pk, months_active=act.months_active, surveys=act.surveys,
                conversions=act.conversions, reports=act.reports, base_vnd=amounts.base_vnd,
                survey_vnd=amounts.survey_vnd, conversion_vnd=amounts.conversion_vnd, report_vnd=amounts.report_vnd,
                cap_reduction_vnd=amounts.cap_reduction_vnd, total_vnd=amounts.total_vnd,
                score=performance.score(criteria, act) or 0))
        sheet.total_vnd = sum(line.total_vnd for line in lines)
        sheet.version = (sheet.version or 0) + (1 if sheet.pk else 0)
        sheet.save()
        sheet.lines.all().delete()  # a draft's lines are a computation, replaced as a whole
        for line in lines:
            line.sheet = sheet
        FeeLine.objects.bulk_create(lines)
        audit_record(actor=actor, action="network.fee_sheet_prepare", obj=sheet,
                     changes={"total_vnd": [old_total, sheet.total_vnd], "lines": [None, len(lines)],
                              "regulation": [None, regulation.number]})
    return sheet


def fee_sheet_sign_off(*, actor, sheet: FeeSheet, version: int) -> FeeSheet:
    """A finance officer checks the draft and signs it off for payment; it can no longer be recomputed."""
    _require(can_sign_fees(actor, sheet.province_id))
    if sheet.status != FeeSheetStatus.DRAFT:
        raise InvalidInput(_("Only a draft can be signed off (now: %(status)s).")
                           % {"status": sheet.get_status_display()})
    if sheet.prepared_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("The person who prepared the sheet cannot sign it off."))
    if not sheet.lines.exists():
        raise InvalidInput(_("The sheet has no line to pay."))
    with transaction.atomic():
        _conditional_update(FeeSheet, sheet, version, {"status": FeeSheetStatus.SIGNED_OFF, "signed_by": actor,
                                                       "signed_at": timezone.now()}, _("fee sheet"),
                            status=FeeSheetStatus.DRAFT)
        audit_record(actor=actor, action="network.fee_sheet_sign_off", obj=sheet,
                     changes={"status": [FeeSheetStatus.DRAFT, FeeSheetStatus.SIGNED_OFF],
                              "total_vnd": [None, sheet.total_vnd]})
    return sheet


def fee_sheet_return(*, actor, sheet: FeeSheet, version: int, reason: str) -> FeeSheet:
    """A finance officer sends a signed-off sheet back to draft (to correct the data), with the reason."""
    _require(can_sign_fees(actor, sheet.province_id))
    if sheet.status != FeeSheetStatus.SIGNED_OFF:
        raise InvalidInput(_("Only a signed-off sheet that is not paid yet can be returned."))
    reason = _text(reason, "reason", required=True, max_length=300, message=_("Give the reason."))
    with transaction.atomic():
        _conditional_update(FeeSheet, sheet, version, {"status": FeeSheetStatus.DRAFT, "signed_by": None,
                                                       "signed_at": None}, _("fee sheet"),
                            status=FeeSheetStatus.SIGNED_OFF)
        audit_record(actor=actor, action="network.fee_sheet_return", obj=sheet,
                     changes={"status": [FeeSheetStatus.SIGNED_OFF, FeeSheetStatus.DRAFT], "reason": [None, reason]})
    return sheet


def fee_sheet_mark_paid(*, actor, sheet: FeeSheet, version: int, reference: str,
                        paid_on: datetime.date | None = None) -> FeeSheet:
    _require(can_sign_fees(actor, sheet.province_id))
    if sheet.status != FeeSheetStatus.SIGNED_OFF:
        raise InvalidInput(_("A sheet is paid only after it is signed off (now: %(status)s).")
                           % {"status": sheet.get_status_display()})
    reference = _text(reference, "reference", required=True, max_length=120,
                      message=_("Give the payment reference (voucher number)."))
    paid_on = _day(paid_on, "paid_on", required=False) or _today()
    with transaction.atomic():
        _conditional_update(FeeSheet, sheet, version, {"status": FeeSheetStatus.PAID, "paid_on": paid_on,
                                                       "payment_reference": reference}, _("fee sheet"),
                            status=FeeSheetStatus.SIGNED_OFF)
        audit_record(actor=actor, action="network.fee_sheet_paid", obj=sheet,
                     changes={"status": [FeeSheetStatus.SIGNED_OFF, FeeSheetStatus.PAID],
                              "payment_reference": [None, reference], "paid_on": [None, paid_on]})
    return sheet


