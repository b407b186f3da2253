"""Every write of the awards: keyword-only, permission-checked, atomic, version-checked and audited. Views, the API
and the demo seeder call these. A closed round refuses every write of its council, jury, bands, entries, sheets,
certificates and complaints (`flows.round_lock`, RecordLocked → HTTP 409); a certificate is still revoked and its
holder still reports every year after the round closed (Art 17, Art 22.2)."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import acting_decision, user_scope
from khuyencong.core.audit import audit_record
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.permissions import ALLOW, deny
from khuyencong.core.text import fold, normalize_text
from khuyencong.core.uploads import check_document, reencode_photo
from khuyencong.core.versions import versioned_update

from . import rules
from .flows import LEVEL_WORDS, MANAGERS, entry_flow, round_flow, round_lock
from .models import (
    NEXT_LEVEL,
    PHOTO_KINDS,
    BandsStatus,
    Body,
    Certificate,
    Complaint,
    DocumentKind,
    Entry,
    EntryDocument,
    EntryStatus,
    HolderReport,
    Level,
    Member,
    MemberRole,
    ProductGroup,
    Round,
    RoundStatus,
    ScoreSheet,
    SheetStatus,
)

LEVEL_CODES = {Level.COMMUNE: "X", Level.PROVINCE: "T", Level.REGION: "KV", Level.NATIONAL: "QG"}


def _today() -> datetime.date:
    return timezone.localdate()


def _require(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def can_manage(user, round_: Round):
    return acting_decision(user, round_.province_id, MANAGERS, doing=_("run this award round"))


def _text(value, field: str, *, required=True, max_length=250) -> str:
    text = normalize_text(value)
    if required and not text:
        raise InvalidInput(_("This field is required."), field=field)
    if len(text) > max_length:
        raise InvalidInput(_("At most %(n)s characters.") % {"n": max_length}, field=field)
    return text


# --- rounds ---------------------------------------------------------------------------------------------------------


def round_create(*, actor, name, level, province=None, unit_name, year, intake_start, intake_end, region="",
                 plan_reference="", budget_vnd=0) -> Round:
    if level not in Level.values:
        raise InvalidInput(_("Choose the level."), field="level")
    if level in (Level.COMMUNE, Level.PROVINCE) and province is None:
        raise InvalidInput(_("Choose the province."), field="province")
    if level in (Level.REGION, Level.NATIONAL):
        province = None
    if intake_end < intake_start:
        raise InvalidInput(_("The intake cannot end before it starts."), field="intake_end")
    if not 2000 <= int(year) <= 2100:
        raise InvalidInput(_("Give a year between 2000 and 2100."), field="year")
    if int(budget_vnd) < 0:
        raise InvalidInput(_("The budget cannot be negative."), field="budget_vnd")
    _require(acting_decision(actor, province.pk if province else None, MANAGERS, doing=_("organise an award round")))
    with transaction.atomic():
        round_ = Round.objects.create(
            name=_text(name, "name"), level=level, province=province, unit_name=_text(unit_name, "unit_name"),
            region=_text(region, "region", required=False, max_length=120), year=int(year),
            plan_reference=_text(plan_reference, "plan_reference", required=False, max_length=120),
            budget_vnd=int(budget_vnd), intake_start=intake_start, intake_end=intake_end,
            criteria=rules.default_criteria())
        audit_record(actor=actor, action="awards.round_create", obj=round_,
                     changes={"name": [None, round_.name], "level": [None, level]})
    return round_


COUNCIL_ROLES = (MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.MEMBER, MemberRole.SECRETARY)
JURY_ROLES = (MemberRole.HEAD, MemberRole.MEMBER, MemberRole.SECRETARY)
ONE_ONLY = (MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.HEAD)


def _bodies_open(actor, round_: Round) -> None:
    _require(can_manage(actor, round_))
    round_lock.check(round_)
    if round_.status not in (RoundStatus.PLANNED,):
        raise InvalidInput(_("The council and the jury are fixed once set."), code="wrong_state")


def _check_member(round_: Round, body: str, role: str, user) -> None:
    if body not in Body.values:
        raise InvalidInput(_("Choose council or jury."), field="body")
    if role not in (COUNCIL_ROLES if body == Body.COUNCIL else JURY_ROLES):
        raise InvalidInput(_("This role does not exist in the %(body)s.") % {
            "body": str(Body(body).label).lower()}, field="role")
    members = round_.members.filter(body=body)
    if role in ONE_ONLY and members.filter(role=role).exists():
        raise InvalidInput(_("The %(body)s already has a %(role)s.") % {
            "body": str(Body(body).label).lower(), "role": str(MemberRole(role).label).lower()}, field="role")
    if user is not None and members.filter(user=user).exists():
        raise InvalidInput(_("This user is already a member."), field="user")
    if body == Body.COUNCIL:
        high = rules.council_size(round_.level, _today())[1]
        if members.count() >= high.as_int:
            raise InvalidInput(_("A council %(level)s has at most %(n)s members (%(basis)s).") % {
                "level": LEVEL_WORDS[round_.level], "n": high.as_int, "basis": high.basis}, field="body")


def member_add(*, actor, round_: Round, body, full_name, position="", role=MemberRole.MEMBER, user=None) -> Member:
    """Names a member of the round's council (Art 9) or jury (Art 11) while the round is planned. A jury member
    linked to a user account scores with it."""
    _bodies_open(actor, round_)
    _check_member(round_, body, role, user)
    with transaction.atomic():
        member = Member.objects.create(round=round_, body=body, full_name=_text(full_name, "full_name", max_length=150),
                                       position=_text(position, "position", required=False, max_length=200),
                                       role=role, user=user)
        audit_record(actor=actor, action="awards.member_add", obj=round_,
                     changes={"member": [None, f"{member.full_name} ({member.get_body_display()})"]})
    return member


def member_remove(*, actor, member: Member) -> None:
    """Takes a member off the council or the jury while the round is planned (a wrong name, a replacement)."""
    round_ = member.round
    _bodies_open(actor, round_)
    if member.sheets.exists():
        raise InvalidInput(_("This juror has scoring sheets."), code="wrong_state")
    with transaction.atomic():
        label = f"{member.full_name} ({member.get_body_display()})"
        member.delete()
        audit_record(actor=actor, action="awards.member_remove", obj=round_, changes={"member": [label, None]})


# --- scoring bands (Phụ lục 4: proposed by the jury head, approved by the council chair, before judging) ------------

BANDS_OPEN = (RoundStatus.PLANNED, RoundStatus.COUNCIL_SET, RoundStatus.INTAKE_OPEN)
MAX_BANDS = 8


def _bands_open(round_: Round) -> None:
    round_lock.check(round_)
    if round_.status not in BANDS_OPEN:
        raise InvalidInput(_("The scoring bands are fixed once judging has started."), code="wrong_state")


def _member(round_: Round, body: str, role: str) -> Member | None:
    return round_.members.filter(body=body, role=role).select_related("user").first()


def clean_bands(criteria: list[dict], previous: list[dict] | None = None) -> list[dict]:
    """Checks the bands given for the four criteria of Phụ lục 4: each criterion keeps its code and maximum; its bands
    (1 to 8, each a label and whole points from 1) add up to the criterion's maximum, so a sheet can reach 100. A band
    keeps the key of the band it replaces (the n-th of its criterion), so points typed against it still count."""
    given = {c.get("code"): c for c in criteria if isinstance(c, dict)}
    old_keys = {c.get("code"): [b.get("key") for b in c.get("bands", [])] for c in previous or []}
    clean = []
    for default in rules.default_criteria():
        code = default["code"]
        keys = old_keys.get(code, [])
        bands = []
        for i, band in enumerate((given.get(code) or {}).get("bands") or [], start=1):
            label = normalize_text(str(band.get("label") or ""))
            raw = str(band.get("max") if band.get("max") is not None else "").strip()
            if not label and not raw:
                continue
            field = f"{code}-{i}"
            if not label or len(label) > 200:
                raise InvalidInput(_("Name each band (at most 200 characters)."), field=field)
            if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= default["max"]:
                raise InvalidInput(_("“%(band)s” takes whole points from 1 to %(max)s.") % {
                    "band": label, "max": default["max"]}, field=field)
            n = len(bands)
            key = keys[n] if n < len(keys) and keys[n] else f"{code}_{n + 1}"
            if key in {b["key"] for b in bands}:
                key = f"{code}_{n + 1}_{i}"
            bands.append({"key": key, "label": label, "max": int(raw)})
        if not 1 <= len(bands) <= MAX_BANDS:
            raise InvalidInput(_("“%(criterion)s” has 1 to %(n)s bands.") % {
                "criterion": default["label"], "n": MAX_BANDS}, field=code)
        if sum(b["max"] for b in bands) != default["max"]:
            raise InvalidInput(_("The bands of “%(criterion)s” add up to %(sum)s points; they must add up to "
                                 "%(max)s.") % {"criterion": default["label"], "sum": sum(b["max"] for b in bands),
                                                "max": default["max"]}, field=code)
        clean.append({"code": code, "label": default["label"], "max": default["max"], "bands": bands})
    return clean


def bands_propose(*, actor, round_: Round, criteria: list[dict], version: int) -> Round:
    """The jury head proposes the round's detailed scoring bands; the council chair approves them (Phụ lục 4)."""
    _bands_open(round_)
    head = _member(round_, Body.JURY, MemberRole.HEAD)
    if head is None or head.user_id is None or head.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the head of the jury proposes the scoring bands."))
    clean = clean_bands(criteria, previous=round_.criteria)
    with transaction.atomic():
        before = round_.bands_status
        versioned_update(round_, {"criteria": clean, "bands_status": BandsStatus.PROPOSED,
                                  "bands_proposed_by": head.full_name, "bands_approved_by": "",
                                  "bands_approved_on": None}, version, what=_("round"))
        audit_record(actor=actor, action="awards.bands_propose", obj=round_,
                     changes={"bands_status": [before, BandsStatus.PROPOSED],
                              "bands": [None, "; ".join(f"{b['label']} {b['max']}" for c in clean
                                                        for b in c["bands"])]})
    return round_


def can_approve_bands(user, round_: Round):
    """The council chair with a user account approves; the round's organiser records the chair's approval."""
    chair = _member(round_, Body.COUNCIL, MemberRole.CHAIR)
    if chair is None:
        return deny(_("Name the chair of the council."))
    if chair.user_id is not None and chair.user_id == getattr(user, "pk", None):
        return ALLOW
    return can_manage(user, round_)


def bands_approve(*, actor, round_: Round, version: int) -> Round:
    _bands_open(round_)
    _require(can_approve_bands(actor, round_))
    if round_.bands_status != BandsStatus.PROPOSED:
        raise InvalidInput(_("The jury head has not proposed the scoring bands yet."), code="wrong_state")
    chair = _member(round_, Body.COUNCIL, MemberRole.CHAIR)
    with transaction.atomic():
        versioned_update(round_, {"bands_status": BandsStatus.APPROVED, "bands_approved_by": chair.full_name,
                                  "bands_approved_on": _today()}, version, what=_("round"))
        audit_record(actor=actor, action="awards.bands_approve", obj=round_,
                     changes={"bands_status": [BandsStatus.PROPOSED, BandsStatus.APPROVED],
                              "approved_by": [None, chair.full_name]})
    return round_


def round_act(*, actor, round_: Round, action: str, version: int, reference: str = "",
              on_date: datetime.date | None = None) -> Round:
    on_date = on_date or _today()
    row = round_flow.check(round_, actor, action, inputs={"reference": reference}, on_date=on_date)
    with transaction.atomic():
        fields = {}
        extra = {}
        if action == "recognise":
            fields["decision_number"] = _text(reference, "reference", max_length=60)
            threshold = rules.pass_score(on_date).value
            for entry in round_.entries.filter(status=EntryStatus.SCORED):
                target = EntryStatus.PASSED if entry.score is not None and entry.score >= threshold else \
                    EntryStatus.FAILED
                Entry.objects.filter(pk=entry.pk).update(status=target, version=entry.version + 1)
                extra[f"entry {entry.pk}"] = [EntryStatus.SCORED, target]
        if action == "announce":
            fields["announced_on"] = on_date
        changes = round_flow.commit(round_, row, actor=actor, version=version, on_date=on_date, fields=fields,
                                    what=_("round"))
        audit_record(actor=actor, action=f"awards.round_{action}", obj=round_,
                     changes={**changes, **{k: [None, str(v)] for k, v in fields.items()}, **extra})
    return round_


# --- entries --------------------------------------------------------------------------------------------------------


def entry_create(*, actor, round_: Round, establishment, product_name, group, description="", is_set=False,
                 publish_consent=False, display_consent=False, judged_on_site=False,
                 lower_certificate=None) -> Entry:
    _require(can_manage(actor, round_))
    round_lock.check(round_)
    if round_.status != RoundStatus.INTAKE_OPEN:
        raise InvalidInput(_("The round does not take entries now (“%(status)s”).") % {
            "status": round_.get_status_display()}, code="wrong_state")
    if group not in ProductGroup.values:
        raise InvalidInput(_("Choose the product group."), field="group")
    if round_.province_id and establishment.province_id != round_.province_id:
        raise InvalidInput(_("The producer is not in the round's province."), field="establishment")
    if not user_scope(actor).covers(province_id=establishment.province_id):
        raise InvalidInput(_("The producer is outside your area."), field="establishment")
    name = _text(product_name, "product_name")
    if round_.entries.filter(establishment=establishment, product_name=name).exists():
        raise InvalidInput(_("This product is already entered in the round."), field="product_name")
    with transaction.atomic():
        entry = Entry.objects.create(
            round=round_, establishment=establishment, province_id=establishment.province_id, product_name=name,
            search_text=fold(f"{name} {establishment.name}"), group=group,
            description=_text(description, "description", required=False, max_length=5000), is_set=bool(is_set),
            publish_consent=bool(publish_consent), display_consent=bool(display_consent),
            judged_on_site=bool(judged_on_site), lower_certificate=lower_certificate)
        audit_record(actor=actor, action="awards.entry_create", obj=entry,
                     changes={"product_name": [None, name], "establishment": [None, establishment.name]})
    return entry


def document_add(*, actor, entry: Entry, kind: str, upload) -> EntryDocument:
    _require(can_manage(actor, entry.round))
    round_lock.check(entry.round)
    if kind not in DocumentKind.values:
        raise InvalidInput(_("Choose the kind of document."), field="kind")
    if entry.status not in (EntryStatus.SUBMITTED,):
        raise InvalidInput(_("The dossier is closed once accepted."), code="locked")
    if upload is None:
        raise InvalidInput(_("Attach the file."), field="file")
    name = (getattr(upload, "name", "") or "")[:200]
    if kind in PHOTO_KINDS:
        stored = reencode_photo(upload, field="file")
    else:
        check_document(upload, field="file")
        stored = upload
    with transaction.atomic():
        doc = EntryDocument(entry=entry, kind=kind, name=name)
        doc.file.save(getattr(stored, "name", name) or name, stored, save=False)
        doc.save()
        audit_record(actor=actor, action="awards.document_add", obj=entry,
                     changes={"document": [None, f"{doc.get_kind_display()}: {name}"]})
    return doc


def _next_certificate_number(round_: Round) -> str:
    seq = Certificate.objects.filter(entry__round=round_).count() + 1
    return f"{seq:03d}/{round_.year}/CN-{LEVEL_CODES[round_.level]}"


def _new_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        code = "".join(secrets.choice(alphabet) for _i in range(10))
        if not Certificate.objects.filter(code=code).exists():
            return code


def entry_act(*, actor, entry: Entry, action: str, version: int, on_date: datetime.date | None = None) -> Entry:
    on_date = on_date or _today()
    _require(can_manage(actor, entry.round))
    round_lock.check(entry.round)
    row = entry_flow.check(entry, actor, action, on_date=on_date)
    with transaction.atomic():
        changes = entry_flow.commit(entry, row, actor=actor, version=version, on_date=on_date, what=_("entry"))
        if action == "certify":
            round_ = entry.round
            cert = Certificate.objects.create(
                entry=entry, number=_next_certificate_number(round_), level=round_.level,
                decision_number=round_.decision_number or "", issued_on=on_date,
                valid_until=rules.valid_until(on_date), code=_new_code())
            changes["certificate"] = [None, cert.number]
        audit_record(actor=actor, action=f"awards.entry_{action}", obj=entry, changes=changes)
    return entry


# --- scoring sheets -------------------------------------------------------------------------------------------------


def juror_of(user, entry: Entry) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return entry.round.members.filter(body=Body.JURY, user=user).first()


def can_score(user, entry: Entry, sheet: ScoreSheet | None = None):
    if juror_of(user, entry) is None:
        return deny(_("Only a juror of the round can score."))
    if round_lock.holds(entry.round):
        return round_lock(entry.round)
    if entry.round.status != RoundStatus.JUDGING:
        return deny(_("The round is not judging."))
    if entry.status != EntryStatus.SCREENED:
        return deny(_("This entry is not waiting for scores."))
    if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
        return deny(_("The sheet is submitted and locked."))
    return ALLOW


def sheet_for(*, juror: Member, entry: Entry) -> ScoreSheet:
    round_lock.check(entry.round)
    sheet, _created = ScoreSheet.objects.get_or_create(entry=entry, juror=juror)
    return sheet


def compute(criteria: list[dict], points: dict) -> tuple[dict, dict[str, int]]:
    """Checks the points of every band (whole numbers between 0 and the band's maximum) and sums the criteria."""
    clean, sums = {}, {}
    for criterion in criteria:
        total = 0
        for band in criterion["bands"]:
            raw = points.get(band["key"], 0)
            raw = 0 if raw in (None, "") else raw
            try:
                value = int(str(raw).strip())
            except ValueError:
                raise InvalidInput(_("Give whole points for “%(band)s”.") % {"band": band["label"]},
                                   field=band["key"]) from None
            if not 0 <= value <= band["max"]:
                raise InvalidInput(_("“%(band)s” takes 0 to %(max)s points.") % {"band": band["label"],
                                                                                "max": band["max"]},
                                   field=band["key"])
            clean[band["key"]] = value
            total += value
        sums[criterion["code"]] = min(total, criterion["max"])
    return clean, sums


def sheet_save(*, actor, sheet: ScoreSheet, points: dict, version: int, submit: bool = False) -> ScoreSheet:
    entry = sheet.entry
    if juror_of(actor, entry) is None or sheet.juror.user_id != actor.pk:
        raise PermissionDenied(_("This is another juror's sheet."))
    round_lock.check(entry.round)
    _require(can_score(actor, entry, sheet))
    clean, sums = compute(entry.round.criteria, points)
    with transaction.atomic():
        fields = {"points": clean, "market": sums.get("market", 0), "value": sums.get("value", 0),
                  "culture": sums.get("culture", 0), "other": sums.get("other", 0),
                  "total": sum(sums.values())}
        if submit:
            fields.update(status=SheetStatus.SUBMITTED, submitted_at=timezone.now())
        before = sheet.total
        versioned_update(sheet, fields, version, what=_("sheet"), status=SheetStatus.DRAFT)
        audit_record(actor=actor, action="awards.sheet_submit" if submit else "awards.sheet_save", obj=entry,
                     changes={"sheet": [before, sheet.total]})
        if submit:
            _score_if_complete(entry)
    return sheet


def _score_if_complete(entry: Entry) -> None:
    """When every juror has submitted, the entry's score is the mean of their totals (Phụ lục 4; Art 17.1)."""
    jurors = entry.round.members.filter(body=Body.JURY).count()
    totals = list(entry.sheets.filter(status=SheetStatus.SUBMITTED).values_list("total", flat=True))
    if jurors and len(totals) >= jurors:
        score = rules.mean(totals)
        Entry.objects.filter(pk=entry.pk, status=EntryStatus.SCREENED).update(
            status=EntryStatus.SCORED, score=score, version=entry.version + 1)
        audit_record(actor=None, action="awards.entry_scored", obj=entry,
                     changes={"status": [EntryStatus.SCREENED, EntryStatus.SCORED], "score": [None, str(score)]})


def minutes(round_: Round) -> list[dict]:
    """The jury minutes: each juror's total, the mean and pass/fail, computed from the sheets."""
    jurors = [m for m in round_.members.all() if m.body == Body.JURY]
    threshold = rules.pass_score(round_.announced_on or _today()).value
    rows = []
    for entry in round_.entries.prefetch_related("sheets").select_related("establishment"):
        by_juror = {s.juror_id: s for s in entry.sheets.all()}
        totals = [by_juror[j.pk].total if j.pk in by_juror and by_juror[j.pk].status == SheetStatus.SUBMITTED
                  else None for j in jurors]
        done = [t for t in totals if t is not None]
        mean = rules.mean(done) if len(done) == len(jurors) and jurors else None
        rows.append({"entry": entry, "totals": totals, "mean": mean,
                     "passed": None if mean is None else mean >= threshold})
    return rows


# --- certificates, nomination, complaints, reports ------------------------------------------------------------------


def certificate_revoke(*, actor, certificate: Certificate, reason: str, version: int) -> Certificate:
    _require(can_manage(actor, certificate.entry.round))
    if certificate.revoked_on:
        raise InvalidInput(_("The certificate is already revoked."), code="locked")
    reason = _text(reason, "reason", max_length=500)
    with transaction.atomic():
        versioned_update(certificate, {"revoked_on": _today(), "revocation_reason": reason}, version,
                         what=_("certificate"))
        audit_record(actor=actor, action="awards.certificate_revoke", obj=certificate,
                     changes={"revoked_on": [None, str(certificate.revoked_on)], "reason": [None, reason]})
    return certificate


def nominate(*, actor, round_: Round, target: Round) -> list[Entry]:
    """Proposes every still-valid certified product of the round to the next level's round, in one action."""
    _require(can_manage(actor, round_))
    round_lock.check(target)
    if target.level != NEXT_LEVEL.get(round_.level):
        raise InvalidInput(_("Choose a round of the next level."), field="target")
    if target.status != RoundStatus.INTAKE_OPEN:
        raise InvalidInput(_("The next level's round does not take entries now."), field="target")
    if round_.status not in (RoundStatus.COMPLAINTS, RoundStatus.CLOSED):
        raise InvalidInput(_("Announce the results before nominating."), code="wrong_state")
    today = _today()
    created = []
    with transaction.atomic():
        for entry in round_.entries.filter(status=EntryStatus.CERTIFIED).select_related("certificate",
                                                                                         "establishment"):
            if entry.certificate.revoked_on or entry.certificate.valid_until < today:
                continue
            new = Entry.objects.create(
                round=target, establishment=entry.establishment, province_id=entry.province_id,
                product_name=entry.product_name, search_text=entry.search_text, group=entry.group,
                is_set=entry.is_set, description=entry.description, publish_consent=entry.publish_consent,
                display_consent=entry.display_consent, judged_on_site=entry.judged_on_site,
                lower_certificate=entry.certificate)
            for doc in entry.documents.all():
                EntryDocument.objects.create(entry=new, kind=doc.kind, file=doc.file.name, name=doc.name)
            Entry.objects.filter(pk=entry.pk).update(status=EntryStatus.NOMINATED, version=entry.version + 1)
            created.append(new)
        if not created:
            raise InvalidInput(_("The round has no valid certified product to nominate."))
        audit_record(actor=actor, action="awards.nominate", obj=round_,
                     changes={"nominated": [None, ", ".join(e.product_name for e in created)],
                              "target": [None, target.name]})
    return created


def complaint_add(*, actor, round_: Round, complainant: str, content: str,
                  received_on: datetime.date | None = None) -> Complaint:
    _require(can_manage(actor, round_))
    round_lock.check(round_)
    received_on = received_on or _today()
    if round_.status != RoundStatus.COMPLAINTS or round_.announced_on is None:
        raise InvalidInput(_("Complaints are received only in the complaint window."), code="wrong_state")
    deadline = rules.complaint_deadline(round_.announced_on)
    if received_on > deadline:
        raise InvalidInput(_("The complaint window closed on %(day)s.") % {"day": deadline.strftime("%d/%m/%Y")},
                           field="received_on")
    with transaction.atomic():
        complaint = Complaint.objects.create(
            round=round_, complainant=_text(complainant, "complainant", max_length=200),
            content=_text(content, "content", max_length=5000), received_on=received_on,
            due_on=rules.answer_deadline(received_on))
        audit_record(actor=actor, action="awards.complaint_add", obj=round_,
                     changes={"complaint": [None, complaint.complainant]})
    return complaint


def complaint_answer(*, actor, complaint: Complaint, answer: str, version: int) -> Complaint:
    _require(can_manage(actor, complaint.round))
    round_lock.check(complaint.round)
    if complaint.answered_on:
        raise InvalidInput(_("The complaint is already answered."), code="locked")
    answer = _text(answer, "answer", max_length=5000)
    with transaction.atomic():
        versioned_update(complaint, {"answer": answer, "answered_on": _today()}, version, what=_("complaint"))
        audit_record(actor=actor, action="awards.complaint_answer", obj=complaint.round,
                     changes={"answer": [None, answer]})
    return complaint


def holder_report_add(*, actor, certificate: Certificate, year: int, output="", revenue_vnd=0, employees=0,
                      note="") -> HolderReport:
    _require(acting_decision(actor, certificate.entry.province_id, MANAGERS, doing=_("record a holder's report")))
    if int(revenue_vnd) < 0 or int(employees) < 0:
        raise InvalidInput(_("Give positive figures."), field="revenue_vnd")
    if HolderReport.objects.filter(certificate=certificate, year=year).exists():
        raise InvalidInput(_("The report of this year is already recorded."), field="year")
    with transaction.atomic():
        report = HolderReport.objects.create(certificate=certificate, year=int(year),
                                             output=_text(output, "output", required=False, max_length=200),
                                             revenue_vnd=int(revenue_vnd), employees=int(employees),
                                             note=_text(note, "note", required=False, max_length=2000))
        audit_record(actor=actor, action="awards.holder_report", obj=certificate,
                     changes={"year": [None, year], "revenue_vnd": [None, int(revenue_vnd)]})
    return report

