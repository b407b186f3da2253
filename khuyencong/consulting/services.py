"""Every write of consulting: atomic, permission-checked, version-checked where a record is edited, audited.

A liquidated contract refuses every write (`flows.contract_lock`, RecordLocked → HTTP 409)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation, OrganisationKind, Role
from khuyencong.accounts.scope import acting_decision, roles_in
from khuyencong.core.audit import audit_record
from khuyencong.core.errors import InvalidInput
from khuyencong.core.locks import refuse
from khuyencong.core.money import check_amount, format_vnd
from khuyencong.core.permissions import ALLOW, Decision, deny, first_refusal
from khuyencong.core.text import fold, normalize_text
from khuyencong.core.uploads import reencode_photo
from khuyencong.geo.models import AdminUnit

from .catalogue import certificate_names
from .flows import EDITORS, contract_flow, contract_lock, contract_money, quotation_flow
from .models import (
    Addendum,
    Assignment,
    Certificate,
    Client,
    Contract,
    ContractStatus,
    Invoice,
    Payment,
    Quotation,
    ServiceLine,
    SiteIssue,
    SiteVisit,
)

MAX_AMOUNT = 10**15


def today() -> datetime.date:
    return timezone.localdate()


def dmy(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def can_edit(user, province_id: int | None) -> Decision:
    return acting_decision(user, province_id, EDITORS, doing=_("manage the centre's consulting services"))


def can_edit_contract(user, contract: Contract) -> Decision:
    return first_refusal(can_edit(user, contract.province_id), contract_lock(contract))


def _amount(value, field: str) -> int:
    value = check_amount(value, field=field, positive=True)
    if value > MAX_AMOUNT:
        raise InvalidInput(_("The amount is too large."), field=field)
    return value


def _text(value, field: str, message: str, limit: int) -> str:
    value = normalize_text(value or "")
    if not value:
        raise InvalidInput(message, field=field)
    return value[:limit]


def _date(value, field: str) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise InvalidInput(_("Give the date (dd/mm/yyyy)."), field=field)
    return value


def centre_in(province: AdminUnit) -> Organisation:
    centre = Organisation.objects.filter(kind=OrganisationKind.KC_CENTRE, province=province, is_active=True).first()
    if centre is None:
        raise InvalidInput(_("The province has no industrial promotion centre."), field="centre")
    return centre


# --- clients

def client_create(*, actor, province: AdminUnit, name: str = "", tax_code: str = "", establishment=None,
                  address: str = "", representative: str = "") -> Client:
    refuse(can_edit(actor, province.pk))
    centre = centre_in(province)
    if establishment is not None:
        name = name or establishment.name
        tax_code = tax_code or (establishment.tax_code or "")
        address = address or establishment.address
        representative = representative or establishment.representative
    name = _text(name, "name", _("Give the client's name."), 250)
    tax_code = "".join((tax_code or "").split())
    if not tax_code.replace("-", "").isdigit() or not 10 <= len(tax_code) <= 14:
        raise InvalidInput(_("Give the client's tax code (10 digits, or 13 with the branch number)."),
                           field="tax_code")
    existing = Client.objects.filter(centre=centre, tax_code=tax_code).first()
    if existing is not None:
        raise InvalidInput(_("A client with tax code %(code)s already exists: %(name)s.")
                           % {"code": tax_code, "name": existing.name}, field="tax_code")
    with transaction.atomic():
        client = Client.objects.create(centre=centre, province=province, establishment=establishment, name=name,
                                       name_folded=fold(name), tax_code=tax_code, address=(address or "")[:300],
                                       representative=(representative or "")[:150])
        audit_record(actor=actor, action="consulting.client_create", obj=client,
                     changes={"name": [None, name], "tax_code": [None, tax_code]})
    return client


# --- engineers and certificates

def is_engineer(user, province_id: int) -> bool:
    return Role.CENTRE_STAFF in roles_in(user, province_id)


def certificate_add(*, actor, engineer, province: AdminUnit, kind: str, number: str, issued_on, expires_on
                    ) -> Certificate:
    refuse(can_edit(actor, province.pk))
    if not is_engineer(engineer, province.pk):
        raise InvalidInput(_("The engineer must be a staff member of the centre."), field="engineer")
    if kind not in certificate_names():
        raise InvalidInput(_("Choose the kind of certificate."), field="kind")
    number = _text(number, "number", _("Give the certificate number."), 60)
    issued_on, expires_on = _date(issued_on, "issued_on"), _date(expires_on, "expires_on")
    if expires_on < issued_on:
        raise InvalidInput(_("The certificate cannot expire before it was issued."), field="expires_on")
    if Certificate.objects.filter(engineer=engineer, kind=kind, number=number).exists():
        raise InvalidInput(_("This certificate is already recorded."), field="number")
    with transaction.atomic():
        cert = Certificate.objects.create(engineer=engineer, centre=centre_in(province), province=province, kind=kind,
                                          number=number, issued_on=issued_on, expires_on=expires_on)
        audit_record(actor=actor, action="consulting.certificate_add", obj=cert,
                     changes={"engineer": [None, str(engineer)],
                              "kind": [None, kind], "expires_on": [None, expires_on]})
    return cert


def certificate_decision(engineer, line: ServiceLine, start: datetime.date, end: datetime.date
                         ) -> tuple[Decision, Certificate | None]:
    """Whether the engineer holds the line's certificate for the whole of the work dates; the refusal names the
    certificate and, for an expired one, the day it expired."""
    if not line.certificate:
        return ALLOW, None
    certs = list(Certificate.objects.filter(engineer=engineer, kind=line.certificate).order_by("-expires_on"))
    valid = next((c for c in certs if c.issued_on <= start and c.expires_on >= end), None)
    if valid:
        return ALLOW, valid
    who = str(engineer)
    if not certs:
        return deny(_("%(who)s holds no “%(cert)s”: the engineer cannot be assigned.")
                    % {"who": who, "cert": line.certificate_name}), None
    latest = certs[0]
    if latest.expires_on < end:
        return deny(_("%(who)s's “%(cert)s” no. %(number)s expired on %(date)s, before the end of the work "
                      "(%(end)s): the engineer cannot be assigned.")
                    % {"who": who, "cert": line.certificate_name, "number": latest.number,
                       "date": dmy(latest.expires_on), "end": dmy(end)}), latest
    return deny(_("%(who)s's “%(cert)s” no. %(number)s was issued on %(date)s, after the work starts.")
                % {"who": who, "cert": line.certificate_name, "number": latest.number,
                   "date": dmy(latest.issued_on)}), latest


# --- quotations

def next_number(model, centre, year: int, suffix: str) -> str:
    count = model.objects.filter(centre=centre, created_at__year=year).count() + 1
    while model.objects.filter(centre=centre, number=f"{count:02d}/{year}/{suffix}").exists():
        count += 1
    return f"{count:02d}/{year}/{suffix}"


def quotation_create(*, actor, client: Client, service_line: ServiceLine, scope: str, price_vnd, vat_percent,
                     valid_until) -> Quotation:
    refuse(can_edit(actor, client.province_id))
    scope = _text(scope, "scope", _("Describe the scope of work."), 5000)
    price_vnd = _amount(price_vnd, "price_vnd")
    if isinstance(vat_percent, bool) or not isinstance(vat_percent, int) or not 0 <= vat_percent <= 100:
        raise InvalidInput(_("The VAT rate is a whole percentage between 0 and 100."), field="vat_percent")
    valid_until = _date(valid_until, "valid_until")
    if valid_until < today():
        raise InvalidInput(_("The validity date is already past."), field="valid_until")
    with transaction.atomic():
        q = Quotation.objects.create(centre=client.centre, province_id=client.province_id, client=client,
                                     service_line=service_line, scope=scope, price_vnd=price_vnd,
                                     vat_percent=vat_percent, valid_until=valid_until,
                                     number=next_number(Quotation, client.centre, today().year, "BG-TTKC"))
        audit_record(actor=actor, action="consulting.quotation_create", obj=q,
                     changes={"client": [None, client.name], "price_vnd": [None, price_vnd]})
    return q


def quotation_transition(*, actor, quotation: Quotation, action: str, version: int | None, inputs=None,
                         on_date=None) -> Quotation:
    with transaction.atomic():
        row = quotation_flow.check(quotation, actor, action, inputs=inputs, on_date=on_date)
        changes = quotation_flow.commit(quotation, row, actor=actor, version=version, inputs=inputs, on_date=on_date,
                                        what=_("quotation"))
        audit_record(actor=actor, action=f"consulting.quotation_{action}", obj=quotation, changes=changes)
    return quotation


# --- contracts

def contract_create(*, actor, client: Client, service_line: ServiceLine, number: str, work: str,
                    site_commune: AdminUnit, value_vnd, start_date, end_date, quotation: Quotation | None = None,
                    site_address: str = "") -> Contract:
    refuse(can_edit(actor, client.province_id))
    if quotation is not None:
        if quotation.client_id != client.pk or quotation.status != "accepted":
            raise InvalidInput(_("Only a quotation the client accepted can become a contract."), field="quotation")
        if Contract.objects.filter(quotation=quotation).exists():
            raise InvalidInput(_("This quotation already has a contract."), field="quotation")
    number = _text(number, "number", _("Give the contract number."), 40)
    work = _text(work, "work", _("Name the work."), 300)
    if site_commune is None or site_commune.scheme != "current" or site_commune.level != "commune":
        raise InvalidInput(_("Choose the site's commune among today's communes."), field="site_commune")
    value_vnd = _amount(value_vnd, "value_vnd")
    start_date, end_date = _date(start_date, "start_date"), _date(end_date, "end_date")
    if end_date < start_date:
        raise InvalidInput(_("The end cannot be before the start."), field="end_date")
    if Contract.objects.filter(centre=client.centre, number=number).exists():
        raise InvalidInput(_("Contract number %(n)s is already used.") % {"n": number}, field="number")
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                centre=client.centre, province_id=client.province_id, client=client, quotation=quotation,
                service_line=service_line, number=number, work=work, site_commune=site_commune,
                site_address=(site_address or "")[:300], value_vnd=value_vnd, start_date=start_date,
                end_date=end_date)
            audit_record(actor=actor, action="consulting.contract_create", obj=contract,
                         changes={"client": [None, client.name], "value_vnd": [None, value_vnd]})
    except IntegrityError:
        raise InvalidInput(_("Contract number %(n)s is already used.") % {"n": number}, field="number")
    return contract


def contract_review_conflict(*, actor, contract: Contract, note: str) -> Contract:
    """The director's review of a flagged conflict: the note says why the service may still be sold."""
    refuse(can_edit_contract(actor, contract))
    note = _text(note, "note", _("Write the director's conclusion."), 500)
    with transaction.atomic():
        contract.conflict_reviewed_by = actor
        contract.conflict_note = note
        Contract.objects.filter(pk=contract.pk).update(conflict_reviewed_by=actor, conflict_note=note)
        audit_record(actor=actor, action="consulting.contract_conflict_review", obj=contract,
                     changes={"conflict_note": ["", note]})
    return contract


def contract_transition(*, actor, contract: Contract, action: str, version: int | None, inputs=None,
                        on_date=None) -> Contract:
    with transaction.atomic():
        row = contract_flow.check(contract, actor, action, inputs=inputs, on_date=on_date)
        changes = contract_flow.commit(contract, row, actor=actor, version=version, inputs=inputs, on_date=on_date,
                                       what=_("contract"))
        audit_record(actor=actor, action=f"consulting.contract_{action}", obj=contract, changes=changes)
    return contract


def engineer_assign(*, actor, contract: Contract, engineer, task: str = "") -> Assignment:
    refuse(can_edit_contract(actor, contract))
    if engineer is None or not is_engineer(engineer, contract.province_id):
        raise InvalidInput(_("The engineer must be a staff member of the centre."), field="engineer")
    if contract.assignments.filter(engineer=engineer).exists():
        raise InvalidInput(_("This engineer is already assigned."), field="engineer")
    decision, cert = certificate_decision(engineer, contract.service_line, contract.start_date, contract.end_date)
    refuse(decision, default=InvalidInput, field="engineer")
    with transaction.atomic():
        assignment = Assignment.objects.create(contract=contract, engineer=engineer, certificate=cert,
                                               task=(task or "")[:200])
        audit_record(actor=actor, action="consulting.engineer_assign", obj=contract,
                     changes={"engineer": [None, str(engineer)]})
    return assignment


def _locked_contract(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


def visit_add(*, actor, contract: Contract, visited_on, findings: str, photo=None, issue: str = "") -> SiteVisit:
    refuse(can_edit_contract(actor, contract))
    if contract.status not in (ContractStatus.SIGNED, ContractStatus.IN_PROGRESS):
        raise InvalidInput(_("Site visits are logged once the contract is signed and until its acceptance."),
                           field="visited_on")
    visited_on = _date(visited_on, "visited_on")
    if visited_on > today():
        raise InvalidInput(_("A visit cannot be dated in the future."), field="visited_on")
    findings = _text(findings, "findings", _("Write what was found on site."), 5000)
    stored = reencode_photo(photo) if photo else None
    with transaction.atomic():
        visit = SiteVisit(contract=contract, visited_on=visited_on, engineer=actor, findings=findings)
        if stored is not None:
            visit.photo.save(stored.name, stored, save=False)
        visit.save()
        changes = {"visited_on": [None, visited_on], "findings": [None, findings[:200]]}
        issue = normalize_text(issue or "")
        if issue:
            SiteIssue.objects.create(contract=contract, visit=visit, description=issue[:500], opened_on=visited_on)
            changes["issue"] = [None, issue[:200]]
        audit_record(actor=actor, action="consulting.visit_add", obj=contract, changes=changes)
    return visit


def issue_close(*, actor, issue: SiteIssue, note: str, on_date=None) -> SiteIssue:
    refuse(can_edit_contract(actor, issue.contract))
    if issue.closed_on:
        raise InvalidInput(_("The issue is already closed."), field="note")
    note = _text(note, "note", _("Say how the issue was closed."), 500)
    on_date = on_date or today()
    if on_date < issue.opened_on:
        on_date = issue.opened_on
    with transaction.atomic():
        issue.closed_on, issue.closing_note = on_date, note
        issue.save(update_fields=["closed_on", "closing_note"])
        audit_record(actor=actor, action="consulting.issue_close", obj=issue.contract,
                     changes={"issue": [issue.description[:200], note]})
    return issue


# --- money

def addendum_add(*, actor, contract: Contract, number: str, extra_vnd, reason: str) -> Addendum:
    refuse(can_edit_contract(actor, contract))
    number = _text(number, "number", _("Give the addendum number."), 40)
    reason = _text(reason, "reason", _("Give the reason."), 500)
    extra_vnd = _amount(extra_vnd, "extra_vnd")
    if contract.addenda.filter(number=number).exists():
        raise InvalidInput(_("Addendum number %(n)s is already used.") % {"n": number}, field="number")
    with transaction.atomic():
        addendum = Addendum.objects.create(contract=contract, number=number, extra_vnd=extra_vnd, reason=reason)
        audit_record(actor=actor, action="consulting.addendum_add", obj=contract,
                     changes={"addendum": [None, number], "extra_vnd": [None, extra_vnd]})
    return addendum


def addendum_approve(*, actor, addendum: Addendum) -> Addendum:
    refuse(can_edit_contract(actor, addendum.contract))
    if addendum.approved:
        raise InvalidInput(_("The addendum is already approved."), field="addendum")
    with transaction.atomic():
        addendum.approved, addendum.approved_on, addendum.approved_by = True, today(), actor
        addendum.save(update_fields=["approved", "approved_on", "approved_by"])
        audit_record(actor=actor, action="consulting.addendum_approve", obj=addendum.contract,
                     changes={"addendum": [None, addendum.number], "extra_vnd": [None, addendum.extra_vnd]})
    return addendum


def invoice_add(*, actor, contract: Contract, number: str, issued_on, amount_vnd) -> Invoice:
    refuse(can_edit_contract(actor, contract))
    if contract.status == ContractStatus.DRAFT:
        raise InvalidInput(_("Invoices are issued once the contract is signed."), field="number")
    number = _text(number, "number", _("Give the invoice number."), 40)
    issued_on = _date(issued_on, "issued_on")
    amount_vnd = _amount(amount_vnd, "amount_vnd")
    with transaction.atomic():
        locked = _locked_contract(contract)
        money = contract_money(locked)
        if amount_vnd > money["uninvoiced"]:
            raise InvalidInput(_("The invoices would exceed the contract value with its approved addenda "
                                 "(%(ceiling)s; already invoiced %(invoiced)s): approve an addendum first.")
                               % {"ceiling": format_vnd(money["ceiling"]), "invoiced": format_vnd(money["invoiced"])},
                               field="amount_vnd")
        if locked.invoices.filter(number=number).exists():
            raise InvalidInput(_("Invoice number %(n)s is already recorded.") % {"n": number}, field="number")
        invoice = Invoice.objects.create(contract=locked, number=number, issued_on=issued_on, amount_vnd=amount_vnd)
        audit_record(actor=actor, action="consulting.invoice_add", obj=contract,
                     changes={"invoice": [None, number], "amount_vnd": [None, amount_vnd]})
    return invoice


def payment_record(*, actor, contract: Contract, received_on, amount_vnd, invoice: Invoice | None = None,
                   reference: str = "") -> Payment:
    refuse(can_edit_contract(actor, contract))
    received_on = _date(received_on, "received_on")
    amount_vnd = _amount(amount_vnd, "amount_vnd")
    if invoice is not None and invoice.contract_id != contract.pk:
        raise InvalidInput(_("The invoice belongs to another contract."), field="invoice")
    with transaction.atomic():
        locked = _locked_contract(contract)
        money = contract_money(locked)
        if amount_vnd > money["outstanding"]:
            raise InvalidInput(_("The client owes %(owed)s on the invoices issued: the money received cannot be "
                                 "more.") % {"owed": format_vnd(money["outstanding"])}, field="amount_vnd")
        payment = Payment.objects.create(contract=locked, invoice=invoice, received_on=received_on,
                                         amount_vnd=amount_vnd, reference=normalize_text(reference or "")[:120])
        audit_record(actor=actor, action="consulting.payment_record", obj=contract,
                     changes={"amount_vnd": [None, amount_vnd], "received_on": [None, received_on]})
    return payment
