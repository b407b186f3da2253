"""API of annual plans and KC projects: lists scoped like the pages, a project's detail with the actions open to
the caller, the flow's actions, and the ledger. Money is integer đồng. Refusals: 403 (not your role or area, with the
reason), 404 (outside your area), 409 (the project moved on), 422 (a guard or limit, with the reason)."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from khuyencong.core.api_params import Amount, BoundedLimitOffsetPagination, Percent, RecordId, UnitCode, Version, Year
from khuyencong.core.errors import NotFound
from khuyencong.geo.schemas import UnitRef

from . import selectors, services
from .flows import project_flow
from .ledger import project_balances
from .models import LedgerEntry

router = Router(tags=["projects"])


class OrgRef(Schema):
    id: int
    name: str


class BalancesOut(Schema):
    planned: int = Field(description="Requested support of the contents (đồng)")
    approved: int
    contracted: int
    advanced: int
    disbursed: int
    settled: int
    refunded: int
    paid: int = Field(description="advanced + disbursed − refunded")
    to_refund: int
    to_pay: int


def _balances(row) -> dict:
    return selectors.balances_of(row).as_dict()


class ProjectOut(Schema):
    id: int
    code: str
    title: str
    kind: str
    kind_label: str
    fund: str
    year: int
    plan_id: int
    status: str
    status_label: str
    province: UnitRef
    implementing_org: OrgRef
    due_date: datetime.date | None = Field(description="Deadline of the current step")
    report_due_date: datetime.date | None = Field(description="Deadline of the next monthly progress report")
    late: bool = Field(description="The step's deadline or a progress report's has passed")
    report_late: bool = Field(description="A monthly progress report is overdue")
    balances: BalancesOut
    version: int

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_fund(obj):
        return obj.plan.fund

    @staticmethod
    def resolve_year(obj):
        return obj.plan.year

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_province(obj):
        return {"code": obj.province.code, "name": obj.province.name}

    @staticmethod
    def resolve_implementing_org(obj):
        return {"id": obj.implementing_org_id, "name": obj.implementing_org.name}

    @staticmethod
    def resolve_late(obj):
        return obj.late if hasattr(obj, "late") else selectors.is_late(obj)

    @staticmethod
    def resolve_report_late(obj):
        return obj.report_late if hasattr(obj, "report_late") else selectors.is_report_late(obj)

    @staticmethod
    def resolve_balances(obj):
        if hasattr(obj, "figures"):
            return obj.figures.balances.as_dict()
        if hasattr(obj, "planned_vnd"):
            return _balances(obj)
        return project_balances(obj).as_dict()


class ProjectContentOut(Schema):
    id: int
    content: str
    content_name: str
    variant: str
    establishment_id: int | None
    eligible_cost_vnd: int
    requested_support_vnd: int
    counterpart_vnd: int
    other_sources_vnd: int
    quote_support_vnd: int = Field(description="The most the rule allowed on quoted_on")
    quoted_on: datetime.date
    quote: dict


class BeneficiaryOut(Schema):
    establishment_id: int
    name: str
    eligible: bool | None
    needs_review: bool
    reasons: list[str]
    basis: list[str]
    checked_on: datetime.date


class DocumentOut(Schema):
    code: str
    name: str
    stage: str
    basis: str
    received: bool
    received_on: datetime.date | None
    reference: str


class ProjectActionOut(Schema):
    action: str
    label: str
    allowed: bool
    reason: str
    inputs: list[str]
    required: list[str]


class TotalsOut(Schema):
    eligible_cost: int = Field(description="Eligible cost of the contents (đồng)")
    requested: int = Field(description="Support requested")
    counterpart: int
    other: int = Field(description="Other sources")
    quote: int = Field(description="The most the rules allowed, summed")


class ProjectDetailOut(ProjectOut):
    objectives: str
    expected_results: str
    commune: UnitRef | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    priority: bool
    application_date: datetime.date | None
    approved_on: datetime.date | None
    approval_reference: str
    contract_reference: str
    accepted_on: datetime.date | None
    settled_on: datetime.date | None
    due_label: str
    contents: list[ProjectContentOut]
    beneficiaries: list[BeneficiaryOut]
    documents: list[DocumentOut]
    actions: list[ProjectActionOut]
    totals: TotalsOut = Field(description="The contents' money, as the project's page sums it")
    rules_frozen: dict

    @staticmethod
    def resolve_commune(obj):
        return {"code": obj.commune.code, "name": obj.commune.name} if obj.commune_id else None

    @staticmethod
    def resolve_contents(obj):
        return [{
            "id": row.pk, "content": row.content.code, "content_name": row.content.name, "variant": row.variant,
            "establishment_id": row.establishment_id, "eligible_cost_vnd": row.eligible_cost_vnd,
            "requested_support_vnd": row.requested_support_vnd, "counterpart_vnd": row.counterpart_vnd,
            "other_sources_vnd": row.other_sources_vnd, "quote_support_vnd": row.quote_support_vnd,
            "quoted_on": row.quoted_on, "quote": row.quote} for row in obj.contents.all()]

    @staticmethod
    def resolve_beneficiaries(obj):
        return [{
            "establishment_id": link.establishment_id, "name": link.establishment.name, "eligible": link.eligible,
            "needs_review": link.needs_review, "reasons": link.reasons, "basis": link.basis,
            "checked_on": link.checked_on} for link in obj.beneficiary_links.all()]

    @staticmethod
    def resolve_documents(obj):
        return [{
            "code": row["spec"].code, "name": row["spec"].name, "stage": row["spec"].stage, "basis": row["spec"].basis,
            "received": row["doc"] is not None, "received_on": row["doc"].received_on if row["doc"] else None,
            "reference": row["doc"].reference if row["doc"] else ""} for row in obj.figures.checklist]

    @staticmethod
    def resolve_totals(obj):
        return obj.figures.totals

    @staticmethod
    def resolve_actions(obj, context):
        return [{
            "action": item.action, "label": item.label, "allowed": item.allowed, "reason": item.reason,
            "inputs": list(item.inputs), "required": list(item.needs)}
            for item in project_flow.options(obj, context["request"].user)]


class ProjectActionIn(Schema):
    note: str = ""
    reference: str = Field("", description="Decision or contract number (approve, contract, stop…)")
    amount: Amount | None = Field(None, description="đồng: the contract amount (optional) or the settled amount")
    on_date: datetime.date | None = Field(None, description="The day of the act; empty: today")
    version: Version | None = Field(None, description="The version you read; a stale one gets 409")


class LedgerEntryOut(Schema):
    id: int
    kind: str
    kind_label: str
    amount_vnd: int = Field(description="Negative for a reversing entry")
    on_date: datetime.date
    reference: str
    note: str
    reverses: int | None = Field(None, description="The entry this one reverses")
    reversed_by: int | None = None
    rule: dict
    created_by: str | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_reverses(obj):
        return obj.reverses_id

    @staticmethod
    def resolve_reversed_by(obj):
        if hasattr(obj, "reversal_pk"):
            return obj.reversal_pk
        reversal = getattr(obj, "reversed_by", None)
        return reversal.pk if reversal else None

    @staticmethod
    def resolve_created_by(obj):
        return str(obj.created_by) if obj.created_by_id else None


class LedgerOut(Schema):
    balances: BalancesOut
    entries: list[LedgerEntryOut]


class LedgerIn(Schema):
    kind: str = Field("", description="ADVANCE, DISBURSEMENT or REFUND (ignored with `reverses`)")
    amount_vnd: Amount | None = None
    on_date: datetime.date | None = None
    reference: str = ""
    note: str = ""
    reverses: RecordId | None = Field(None, description="Reverse this entry instead (a correction); give the note")


class PlanOut(Schema):
    id: int
    name: str
    year: int
    fund: str
    province: UnitRef | None
    programme: str | None
    envelope_vnd: int
    decision_number: str
    decision_date: datetime.date | None
    signer: str
    project_count: int = Field(description="Projects of the plan in your area")
    balances: BalancesOut = Field(description="Money of the plan's projects in your area")
    version: int

    @staticmethod
    def resolve_province(obj):
        return {"code": obj.province.code, "name": obj.province.name} if obj.province_id else None

    @staticmethod
    def resolve_programme(obj):
        return obj.programme.name if obj.programme_id else None

    @staticmethod
    def resolve_balances(obj):
        return _balances(obj)


class ProjectQuery(Schema):
    q: str = ""
    year: Year | None = None
    fund: str = ""
    kind: str = ""
    status: str = ""
    province: UnitCode | None = Field(None, description="Province code")
    plan: RecordId | None = None
    late: bool = False


def _project(request, project_id: int):
    project = selectors.project_get(user=request.user, pk=project_id)
    if project is None:
        raise NotFound(_("Project not found."))
    return project


def _detail(request, project_id: int):
    """A project with the figures its page shows (and the balances the flow's guards read)."""
    project = _project(request, project_id)
    project.figures = selectors.project_figures(project)
    return project


def _brief(request, project_id: int):
    project = selectors.project_brief(user=request.user, pk=project_id)
    if project is None:
        raise NotFound(_("Project not found."))
    return project


@router.get("/projects", response=list[ProjectOut], url_name="project_list",
            summary="KC projects in your area")
@paginate(BoundedLimitOffsetPagination)
def project_list(request, filters: Query[ProjectQuery]):
    return selectors.project_list(user=request.user, filters=selectors.ProjectFilters(**filters.dict()))


@router.get("/projects/{project_id}", response=ProjectDetailOut, url_name="project_detail",
            summary="One project: contents, beneficiaries, documents, money and the actions open to you")
def project_detail(request, project_id: RecordId):
    return _detail(request, project_id)


@router.post("/projects/{project_id}/actions/{action}", response=ProjectDetailOut, url_name="project_action",
             summary="Take a step of the project's lifecycle")
def project_action(request, project_id: RecordId, action: str, payload: ProjectActionIn):
    project = _project(request, project_id)
    services.project_transition(project=project, action=action, actor=request.user, note=payload.note,
                                reference=payload.reference, amount=payload.amount, on_date=payload.on_date,
                                version=payload.version)
    return _detail(request, project_id)


def _ledger(project) -> dict:
    figures = selectors.project_figures(project)
    return {"balances": figures.balances.as_dict(), "entries": figures.entries}


@router.get("/projects/{project_id}/ledger", response=LedgerOut, url_name="project_ledger",
            summary="The project's ledger and balances")
def project_ledger(request, project_id: RecordId):
    return _ledger(_project(request, project_id))


@router.post("/projects/{project_id}/ledger", response={201: LedgerEntryOut}, url_name="project_ledger_add",
             summary="Record an advance, disbursement or refund, or reverse an entry")
def project_ledger_add(request, project_id: RecordId, payload: LedgerIn):
    project = _project(request, project_id)
    if payload.reverses is not None:
        entry = services.ledger_reverse(actor=request.user, project=project, entry_id=payload.reverses,
                                        note=payload.note, on_date=payload.on_date)
    else:
        entry = services.ledger_record(actor=request.user, project=project, kind=payload.kind,
                                       amount=payload.amount_vnd, on_date=payload.on_date,
                                       reference=payload.reference, note=payload.note)
    return Status(201, LedgerEntry.objects.select_related("created_by").get(pk=entry.pk))


@router.get("/plans", response=list[PlanOut], url_name="plan_list", summary="Annual KC plans you can see")
@paginate(BoundedLimitOffsetPagination)
def plan_list(request, year: Year | None = None, fund: str = "", province: UnitCode | None = None):
    return selectors.plan_list(user=request.user, year=year, fund=fund, province=province)


@router.get("/plans/{plan_id}", response=PlanOut, url_name="plan_detail", summary="One annual plan")
def plan_detail(request, plan_id: RecordId):
    plan = selectors.plan_get(user=request.user, pk=plan_id)
    if plan is None:
        raise NotFound(_("Plan not found."))
    return plan


# --- monitoring -----------------------------------------------------------------------------------------------------


class ProgressLineOut(Schema):
    content_id: int
    content: str
    work_done: str
    percent_done: int
    money_used_vnd: int

    @staticmethod
    def resolve_content(obj):
        return obj.content.content.code


class ProgressReportOut(Schema):
    id: int
    period: datetime.date = Field(description="First day of the month reported")
    submitted_on: datetime.date
    due_on: datetime.date | None
    late: bool
    problems: str
    proposals: str
    money_used_vnd: int
    lines: list[ProgressLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class VisitOut(Schema):
    id: int
    visit_date: datetime.date
    team: str
    findings: str
    recommendations: str
    follow_up: str
    follow_up_note: str
    attachments: list[str]
    version: int

    @staticmethod
    def resolve_attachments(obj):
        return [a.caption or a.file.name.rsplit("/", 1)[-1] for a in obj.attachments.all()]


class AcceptanceResultOut(Schema):
    content_id: int | None
    indicator: str
    planned: str
    achieved: str
    met: bool


class AcceptanceOut(Schema):
    id: int
    minutes_date: datetime.date
    reference: str
    site: str
    members: list[str]
    conclusion: str
    conclusion_text: str
    results: list[AcceptanceResultOut]

    @staticmethod
    def resolve_results(obj):
        return list(obj.results.all())


class AdjustmentOut(Schema):
    id: int
    kind: str
    summary: str
    reason: str
    requested_on: datetime.date
    decision_kind: str = Field(description="The change as the rules name it (TT 36/2013 Art 11)")
    authority: str
    authority_label: str
    authority_basis: str
    status: str
    decided_on: datetime.date | None
    decision_reference: str
    decision_note: str
    effects: dict
    version: int


class MonitoringOut(Schema):
    report_due_date: datetime.date | None
    report_late: bool
    reports: list[ProgressReportOut]
    visits: list[VisitOut]
    acceptances: list[AcceptanceOut]
    adjustments: list[AdjustmentOut]


class AdjustmentIn(Schema):
    kind: str = Field(description="budget, content, schedule or beneficiary")
    reason: str
    content_row_id: RecordId | None = Field(None, description="budget, content: the project content's id")
    new_content: str | None = Field(None, description="content: the new KC content's code")
    new_eligible_cost_vnd: Amount | None = None
    new_support_vnd: Amount | None = None
    new_end_date: datetime.date | None = Field(None, description="schedule")
    old_establishment_id: RecordId | None = Field(None, description="beneficiary: the one replaced")
    new_establishment_id: RecordId | None = Field(None, description="beneficiary: the new one")


class DecisionIn(Schema):
    approve: bool
    reference: str = ""
    note: str = ""
    decided_on: datetime.date | None = None
    version: Version


class ProgressLineIn(Schema):
    content_id: RecordId
    work_done: str = ""
    percent_done: Percent = 0
    money_used_vnd: Amount = 0


class ProgressReportIn(Schema):
    period: datetime.date = Field(description="Any day of the month reported")
    submitted_on: datetime.date | None = Field(None, description="Empty: today")
    lines: list[ProgressLineIn] = []
    problems: str = ""
    proposals: str = ""


class VisitIn(Schema):
    visit_date: datetime.date
    team: str
    findings: str
    recommendations: str = ""


class FollowUpIn(Schema):
    follow_up: str = Field(description="none, open or done")
    note: str = ""
    version: Version


class AcceptanceResultIn(Schema):
    content_id: RecordId | None = None
    indicator: str = ""
    planned: str = ""
    achieved: str = ""
    met: bool = True


class AcceptanceIn(Schema):
    minutes_date: datetime.date
    members: list[str]
    conclusion: str = Field(description="passed, conditions or failed")
    conclusion_text: str = ""
    reference: str = ""
    site: str = ""
    results: list[AcceptanceResultIn]


@router.get("/projects/{project_id}/monitoring", response=MonitoringOut, url_name="project_monitoring",
            summary="The project's progress reports, supervision visits and acceptance minutes")
def project_monitoring(request, project_id: RecordId):
    project = _brief(request, project_id)
    return {"report_due_date": project.report_due_date, "report_late": selectors.is_report_late(project),
            **selectors.project_monitoring(project)}


@router.post("/projects/{project_id}/reports", response={201: ProgressReportOut}, url_name="project_report_add",
             summary="Send the monthly progress report")
def project_report_add(request, project_id: RecordId, payload: ProgressReportIn):
    project = _brief(request, project_id)
    lines = {line.content_id: {"work_done": line.work_done, "percent_done": line.percent_done,
                               "money_used": line.money_used_vnd} for line in payload.lines}
    report = services.progress_report_submit(actor=request.user, project=project, period=payload.period,
                                             lines=lines, problems=payload.problems, proposals=payload.proposals,
                                             submitted_on=payload.submitted_on)
    return Status(201, report)


@router.post("/projects/{project_id}/visits", response={201: VisitOut}, url_name="project_visit_add",
             summary="Record a supervision visit (photos and documents: on the page)")
def project_visit_add(request, project_id: RecordId, payload: VisitIn):
    project = _brief(request, project_id)
    visit = services.visit_record(actor=request.user, project=project, visit_date=payload.visit_date,
                                  team=payload.team, findings=payload.findings,
                                  recommendations=payload.recommendations)
    return Status(201, visit)


@router.post("/projects/{project_id}/visits/{visit_id}/follow-up", response=VisitOut,
             url_name="project_visit_follow_up", summary="Record the follow-up of a visit's recommendations")
def project_visit_follow_up(request, project_id: RecordId, visit_id: RecordId, payload: FollowUpIn):
    project = _brief(request, project_id)
    return services.visit_follow_up(actor=request.user, project=project, visit_id=visit_id,
                                    follow_up=payload.follow_up, note=payload.note, version=payload.version)


@router.post("/projects/{project_id}/acceptances", response={201: AcceptanceOut},
             url_name="project_acceptance_add", summary="Record acceptance minutes")
def project_acceptance_add(request, project_id: RecordId, payload: AcceptanceIn):
    project = _brief(request, project_id)
    record = services.acceptance_record(
        actor=request.user, project=project, minutes_date=payload.minutes_date, members=payload.members,
        conclusion=payload.conclusion, results=[r.dict() for r in payload.results], reference=payload.reference,
        site=payload.site, conclusion_text=payload.conclusion_text)
    return Status(201, record)


@router.post("/projects/{project_id}/adjustments", response={201: AdjustmentOut}, url_name="project_adjustment_add",
             summary="Ask for an adjustment (routed to the authority the rules name)")
def project_adjustment_add(request, project_id: RecordId, payload: AdjustmentIn):
    project = _brief(request, project_id)
    new_establishment = None
    if payload.new_establishment_id is not None:
        new_establishment = selectors.establishments_for(project).filter(pk=payload.new_establishment_id).first()
    adjustment = services.adjustment_request(
        actor=request.user, project=project, kind=payload.kind, reason=payload.reason,
        content_row_id=payload.content_row_id, new_content=payload.new_content,
        new_eligible_cost=payload.new_eligible_cost_vnd, new_support=payload.new_support_vnd,
        new_end_date=payload.new_end_date, old_establishment_id=payload.old_establishment_id,
        new_establishment=new_establishment)
    return Status(201, adjustment)


@router.post("/projects/{project_id}/adjustments/{request_id}/decision", response=AdjustmentOut,
             url_name="project_adjustment_decide", summary="Record the authority's decision on an adjustment")
def project_adjustment_decide(request, project_id: RecordId, request_id: RecordId, payload: DecisionIn):
    project = _brief(request, project_id)
    return services.adjustment_decide(actor=request.user, project=project, request_id=request_id,
                                      approve=payload.approve, reference=payload.reference, note=payload.note,
                                      version=payload.version, decided_on=payload.decided_on)


# --- appraisal councils ---------------------------------------------------------------------------------------------


class MemberIn(Schema):
    name: str
    position: str = ""
    role: str = Field("member", description="chair, secretary or member")


class CouncilIn(Schema):
    decision_number: str
    decision_date: datetime.date
    signer: str = ""
    members: list[MemberIn]


class MemberOut(Schema):
    id: int
    name: str
    position: str
    role: str
    scores: dict | None = Field(None, description="criterion code → points (null: not applicable); null: not scored")
    total: str | None = None


class CouncilOut(Schema):
    id: int
    level: str
    level_label: str
    decision_number: str
    decision_date: datetime.date
    signer: str
    sheet: dict = Field(description="The scoring sheet (criteria, weights, maximum points, pass mark) of the council")
    conclusion: str
    minutes: str
    concluded_on: datetime.date | None
    average: str | None = Field(None, description="The average of the members' totals")
    pass_average: str
    complete: bool
    passed: bool
    version: int
    members: list[MemberOut]


def _council_out(council) -> dict:
    result = council.result
    return {
        "id": council.pk, "level": council.level, "level_label": council.get_level_display(),
        "decision_number": council.decision_number, "decision_date": council.decision_date,
        "signer": council.signer, "sheet": council.sheet, "conclusion": council.conclusion,
        "minutes": council.minutes, "concluded_on": council.concluded_on,
        "average": str(result.average) if result.average is not None else None,
        "pass_average": str(result.pass_average), "complete": result.complete, "passed": result.passed,
        "version": council.version,
        "members": [{"id": m.pk, "name": m.name, "position": m.position, "role": m.role,
                     "scores": m.sheet_row.scores if m.sheet_row else None,
                     "total": str(m.sheet_row.total) if m.sheet_row else None} for m in council.member_rows],
    }


def _council_by_id(project, council_id: int) -> dict:
    council = next((c for c in selectors.project_councils(project) if c.pk == council_id), None)
    if council is None:
        raise NotFound(_("Council not found."))
    return _council_out(council)


class SheetIn(Schema):
    member_id: RecordId
    scores: dict[str, float | str | None] = Field(description="criterion code → points (null: not applicable)")
    comment: str = ""
    version: Version | None = Field(None, description="The sheet's version when correcting it (omit for a new sheet)")


class ConcludeIn(Schema):
    conclusion: str = Field(description="approve, approve_changes or reject")
    minutes: str
    version: Version
    on_date: datetime.date | None = None


@router.get("/projects/{project_id}/councils", response=list[CouncilOut], url_name="project_councils",
            summary="The project's appraisal councils with members, sheets, totals and average")
def project_councils(request, project_id: RecordId):
    project = _brief(request, project_id)
    return [_council_out(council) for council in selectors.project_councils(project)]


@router.post("/projects/{project_id}/councils", response={201: CouncilOut}, url_name="project_council_add",
             summary="Set up the appraisal council of the level the project waits for")
def project_council_add(request, project_id: RecordId, payload: CouncilIn):
    project = _brief(request, project_id)
    council = services.council_create(actor=request.user, project=project, decision_number=payload.decision_number,
                                      decision_date=payload.decision_date, signer=payload.signer,
                                      members=[m.dict() for m in payload.members])
    return Status(201, _council_by_id(project, council.pk))


@router.post("/projects/{project_id}/councils/{council_id}/sheets", response=CouncilOut,
             url_name="project_council_sheet", summary="Enter or correct one member's scoring sheet")
def project_council_sheet(request, project_id: RecordId, council_id: RecordId, payload: SheetIn):
    project = _brief(request, project_id)
    services.score_sheet_save(actor=request.user, project=project, council_id=council_id,
                              member_id=payload.member_id, scores=payload.scores, comment=payload.comment,
                              version=payload.version)
    return _council_by_id(project, council_id)


@router.post("/projects/{project_id}/councils/{council_id}/conclusion", response=CouncilOut,
             url_name="project_council_conclude", summary="Record the council's conclusion and minutes")
def project_council_conclude(request, project_id: RecordId, council_id: RecordId, payload: ConcludeIn):
    project = _brief(request, project_id)
    services.council_conclude(actor=request.user, project=project, council_id=council_id,
                              conclusion=payload.conclusion, minutes=payload.minutes, version=payload.version,
                              on_date=payload.on_date)
    return _council_by_id(project, council_id)
