"""Writes of a project: drafting and editing it, its contents and beneficiaries, and the steps of its lifecycle
(`project_flow`), each permission-checked, atomic and audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation, User
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import Conflict, InvalidInput, NotFound
from khuyencong.core.flows import PREVIOUS
from khuyencong.core.money import check_amount, format_vnd
from khuyencong.core.text import fold, normalize_text
from khuyencong.core.versions import check_version, versioned_update
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment
from khuyencong.rules.engine import content_get
from khuyencong.rules.models import FundSource

from .. import checks
from ..flows import ProjectContext, project_flow
from ..models import EDITABLE_STATUSES, AnnualPlan, Project, ProjectBeneficiary, ProjectContent, ProjectKind
from ..permissions import can_create_project, can_edit_beneficiaries, can_edit_project
from .common import act_date, pairs, require

PROJECT_FIELDS = ("kind", "title", "commune", "implementing_org", "objectives", "expected_results", "start_date",
                  "end_date", "priority")
TEXT_FIELDS = ("title", "objectives", "expected_results")
CODE_PREFIX = {FundSource.NATIONAL: "KCQG", FundSource.LOCAL: "KCĐP"}


def _clean_project_data(data: dict, *, province: AdminUnit, plan: AnnualPlan) -> dict:
    clean = {k: v for k, v in data.items() if k in PROJECT_FIELDS}
    for key in TEXT_FIELDS:
        if key in clean:
            clean[key] = normalize_text(clean[key]) if key == "title" else (clean[key] or "").strip()
    if "title" in clean:
        if not clean["title"]:
            raise InvalidInput(_("The project's title is required."), field="title")
        try:
            Project._meta.get_field("title").run_validators(clean["title"])
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages), field="title")
    if "kind" in clean:
        if clean["kind"] not in ProjectKind.values:
            raise InvalidInput(_("Unknown project kind."), field="kind")
        if clean["kind"] == ProjectKind.FLAGSHIP and plan.fund != FundSource.NATIONAL:
            raise InvalidInput(_("Flagship projects are national projects: choose a national plan."), field="kind")
    commune = clean.get("commune")
    if commune is not None and (commune.scheme != "current" or commune.level != "commune"
                                or commune.province_id != province.pk):
        raise InvalidInput(_("The commune must be one of today's communes of the project's province."),
                           field="commune")
    org: Organisation | None = clean.get("implementing_org")
    if "implementing_org" in clean:
        if org is None:
            raise InvalidInput(_("Choose the implementing organisation."), field="implementing_org")
        if org.province_id not in (None, province.pk) or not org.is_active:
            raise InvalidInput(_("The implementing organisation must be active and in the project's province."),
                               field="implementing_org")
    start, end = clean.get("start_date"), clean.get("end_date")
    if start and end and end < start:
        raise InvalidInput(_("The planned end cannot be before the planned start."), field="end_date")
    return clean


def _next_seq(plan: AnnualPlan, province: AdminUnit) -> int:
    top = Project.objects.filter(plan=plan, province=province).aggregate(m=Max("seq"))["m"]
    return (top or 0) + 1


def project_create(*, actor, plan: AnnualPlan, province: AdminUnit, data: dict) -> Project:
    """Drafts a KC project (or KC task) in an annual plan. The code — KCQG-2027-12-003 for the third national
    project of Lai Châu in the 2027 plan, KCĐP-… for a local one — is given inside the transaction."""
    require(can_create_project(actor, province.pk if province else None))
    if province is None or province.scheme != "current" or province.level != "province":
        raise InvalidInput(_("The province must be one of today's 34 provinces."), field="province")
    if plan.fund == FundSource.LOCAL and plan.province_id != province.pk:
        raise InvalidInput(_("A local plan takes only projects of its own province."), field="plan")
    data = {"kind": ProjectKind.STANDARD, "title": "", "implementing_org": None, **data}
    clean = _clean_project_data(data, province=province, plan=plan)
    with transaction.atomic():
        # The plan's row lock serialises code numbering (national plans span provinces; local plans are per province).
        plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        seq = _next_seq(plan, province)
        project = Project(plan=plan, year=plan.year, province=province, seq=seq, created_by=actor,
                          code=f"{CODE_PREFIX[plan.fund]}-{plan.year}-{province.code:02d}-{seq:03d}", **clean)
        project.title_folded = fold(project.title)
        deadline = checks.next_deadline(project, project.status)
        project.due_date, project.due_label, project.due_basis = deadline.due, deadline.label, deadline.basis
        try:
            with transaction.atomic():
                project.save()
        except IntegrityError:
            raise Conflict(_("Another project took this code at the same moment; please save again."))
        audit_record(actor=actor, action="project.create", obj=project,
                     changes=pairs({"code": project.code, "plan": plan.name, **clean}))
    return project


def project_update(*, actor, project: Project, data: dict, version: int) -> Project:
    """Edits a draft (or returned) project; refuses if someone changed it since `version` was read."""
    require(can_edit_project(actor, project))
    clean = _clean_project_data(data, province=project.province, plan=project.plan)
    with transaction.atomic():
        changes = field_changes(project, clean)
        if not changes:
            return project
        for key, value in clean.items():
            setattr(project, key, value)
        project.title_folded = fold(project.title)
        deadline = checks.next_deadline(project, project.status)
        values = {k: getattr(project, k) for k in clean}
        versioned_update(project, {**values, "title_folded": project.title_folded, "due_date": deadline.due,
                                   "due_label": deadline.label, "due_basis": deadline.basis}, version,
                         conflict=_("Someone else changed this project after you opened it. Reload to see their "
                                    "changes; your input is kept below."), status__in=EDITABLE_STATUSES)
        project.refresh_from_db()
        audit_record(actor=actor, action="project.update", obj=project, changes=changes)
    return project


def project_content_add(
    *, actor, project: Project, content, eligible_cost: int, requested_support: int, counterpart: int = 0,
    other_sources: int = 0, variant: str = "", establishment: Establishment | None = None, description: str = "",
) -> ProjectContent:
    """Adds a KC content with its budget. The requested support is checked against the quote of the rule in force
    on the application date (today for a draft) and refused above it, naming the rule."""
    require(can_edit_project(actor, project))
    eligible_cost = check_amount(eligible_cost, field="eligible_cost")
    requested_support = check_amount(requested_support, field="requested_support")
    counterpart = check_amount(counterpart, field="counterpart")
    other_sources = check_amount(other_sources, field="other_sources")
    on_date = project.application_date or timezone.localdate()
    item = content_get(content, on_date)
    if requested_support + counterpart + other_sources != eligible_cost:
        raise InvalidInput(
            _("The funding must add up to the cost: support %(support)s + counterpart %(counterpart)s + other "
              "sources %(other)s = %(total)s, but the eligible cost is %(cost)s.") % {
                "support": format_vnd(requested_support), "counterpart": format_vnd(counterpart),
                "other": format_vnd(other_sources),
                "total": format_vnd(requested_support + counterpart + other_sources),
                "cost": format_vnd(eligible_cost)},
            field="counterpart",
        )
    if establishment is not None and not project.beneficiary_links.filter(establishment=establishment).exists():
        raise InvalidInput(_("Add the establishment as a beneficiary first."), field="establishment")
    variant = (variant or "").strip()
    quote = checks.quote_for(project=project, content=item, eligible_cost=eligible_cost, variant=variant,
                             on_date=on_date)
    if requested_support > quote.support_vnd:
        raise InvalidInput(checks.quote_limit_message(content_name=item.name, requested=requested_support,
                                                      quote=quote), code="above_quote", field="requested_support")
    with transaction.atomic():
        if project.contents.filter(content=item, variant=variant, establishment=establishment).exists():
            raise InvalidInput(_("This content is already in the project for the same establishment: change its "
                                 "amounts instead of adding it twice (the cap counts once)."), field="content")
        row = ProjectContent.objects.create(
            project=project, content=item, variant=variant, establishment=establishment,
            description=normalize_text(description)[:300], eligible_cost_vnd=eligible_cost,
            requested_support_vnd=requested_support, counterpart_vnd=counterpart, other_sources_vnd=other_sources,
            quote_support_vnd=quote.support_vnd, quote=checks.jsonable(quote.as_dict()), quoted_on=on_date,
        )
        audit_record(actor=actor, action="project.content_add", obj=project, changes=pairs({
            "content": item.code, "eligible_cost_vnd": eligible_cost, "requested_support_vnd": requested_support,
            "quote_support_vnd": quote.support_vnd, "rule": quote.rule.basis}))
    return row


def project_content_remove(*, actor, project: Project, content_id: int) -> None:
    require(can_edit_project(actor, project))
    row = project.contents.select_related("content").filter(pk=content_id).first()
    if row is None:
        raise NotFound(_("This content is not in the project."))
    with transaction.atomic():
        row.delete()
        audit_record(actor=actor, action="project.content_remove", obj=project,
                     changes={"content": [row.content.code, None],
                              "requested_support_vnd": [row.requested_support_vnd, None]})


def project_beneficiary_add(*, actor, project: Project, establishment: Establishment) -> ProjectBeneficiary:
    """Names an establishment as beneficiary, with its eligibility on the application date (today for a draft).
    A draft may list an ineligible one (the reasons show and submission is refused); a group project's detailing
    after approval accepts only eligible ones."""
    require(can_edit_beneficiaries(actor, project))
    if establishment.province_id != project.province_id:
        raise InvalidInput(_("The establishment is not in the project's province."), field="establishment")
    if establishment.merged_into_id is not None:
        raise InvalidInput(_("This establishment was merged into another record: choose that one."),
                           field="establishment")
    on_date = project.application_date or timezone.localdate()
    snapshot = checks.eligibility_snapshot(establishment, on_date)
    if project.status not in EDITABLE_STATUSES and not snapshot["eligible"]:
        raise InvalidInput(_("%(name)s is not an eligible rural industrial establishment on %(date)s: %(reasons)s")
                           % {"name": establishment.name, "date": checks.dmy(on_date),
                              "reasons": " ".join(snapshot["reasons"])}, field="establishment")
    with transaction.atomic():
        if project.beneficiary_links.filter(establishment=establishment).exists():
            raise InvalidInput(_("This establishment is already a beneficiary."), field="establishment")
        link = ProjectBeneficiary.objects.create(project=project, establishment=establishment, **snapshot)
        audit_record(actor=actor, action="project.beneficiary_add", obj=project, changes=pairs({
            "establishment": establishment.name, "eligible": snapshot["eligible"]}))
    return link


def project_beneficiary_remove(*, actor, project: Project, link_id: int) -> None:
    require(can_edit_beneficiaries(actor, project))
    link = project.beneficiary_links.select_related("establishment").filter(pk=link_id).first()
    if link is None:
        raise NotFound(_("This establishment is not a beneficiary of the project."))
    if project.contents.filter(establishment_id=link.establishment_id).exists():
        raise InvalidInput(_("Remove the contents budgeted for this establishment first."), field="establishment")
    with transaction.atomic():
        link.delete()
        audit_record(actor=actor, action="project.beneficiary_remove", obj=project,
                     changes={"establishment": [link.establishment.name, None]})


STALE = _("Someone else changed this project after you opened it. Reload the page.")


def _inputs(row, amount) -> int | None:
    """The amount an action takes (the flow has checked the required note and reference)."""
    if amount is None:
        return None
    if "amount" not in row.inputs:
        raise InvalidInput(_("This action takes no amount."), field="amount")
    return check_amount(amount)


def project_transition(*, project: Project, action: str, actor, note: str = "", reference: str = "",
                       amount: int | None = None, on_date: datetime.date | None = None,
                       version: int | None = None) -> Project:
    """Takes one step of the project's lifecycle (`project_flow`): checks who may act and the step's guards,
    applies its effects (ledger entries, frozen rules, dates), moves the state, records the next deadline and one
    audit event. Refusals: 404 unknown action, 409 wrong state (or `version` no longer current), 403 not allowed
    (with the reason), 422 a guard or an input."""
    note, reference = (note or "").strip(), normalize_text(reference)[:120]
    # The amount is checked as given: zero is a settled amount (a project stopped before any work).
    given = {"note": note, "reference": reference, "amount": "" if amount is None else str(amount)}
    if action not in project_flow.actions():
        project_flow.check(project, actor, action)  # raises the flow's "unknown action"
    on_date = act_date(on_date)
    project_flow.refuse(project_flow.decide(project, actor, action, on_date=on_date))
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("plan", "province").get(pk=project.pk)
        if locked.status != project.status:
            raise Conflict(STALE)
        check_version(locked, version, conflict=STALE)
        ctx = ProjectContext(locked, on_date)
        row = project_flow.check(locked, actor, action, inputs=given, ctx=ctx)
        inputs = {"note": note, "reference": reference, "amount": _inputs(row, amount)}
        changes = project_flow.apply(locked, row, actor=actor, inputs=inputs, ctx=ctx,
                                     previous=locked.status_before_suspension)
        if row.target == PREVIOUS:
            locked.status_before_suspension = ""
        deadline = checks.next_deadline(locked, locked.status)
        locked.due_date, locked.due_label, locked.due_basis = deadline.due, deadline.label, deadline.basis
        locked.version += 1
        locked.save()
        if note:
            changes["note"] = note
        audit_record(actor=actor, action=f"project.{action}", obj=locked, changes=pairs(changes))
    return locked


def project_submit(*, project: Project, actor: User, on_date: datetime.date | None = None) -> Project:
    """Submits a drafted (or corrected) project to the DoIT: the centre's staff of the province may, once it has
    its contents within the quotes, eligible beneficiaries and the dossier of TT 36/2013/TT-BCT Điều 5 and Điều 6
    received. The day of submission becomes the application date, on which quotes and eligibility are kept."""
    return project_transition(project=project, action="submit", actor=actor, on_date=on_date)
