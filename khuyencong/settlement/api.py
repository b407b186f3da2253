"""The settlement API, mounted by `api`: findings, a project's checks and obstacles, the at-risk list, proposals."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from khuyencong.core.api_params import Amount, BoundedLimitOffsetPagination, RecordId, UnitCode, Version
from khuyencong.core.errors import InvalidInput, NotFound
from khuyencong.events.models import Lesson

from . import selectors, services
from .flows import finding_flow
from .models import CheckCode, FindingStatus, ProposalStatus, Severity

router = Router(tags=["settlement"])


class SettlementFindingOut(Schema):
    id: int
    project_id: int
    project_code: str
    province: str
    check_code: str
    severity: str
    status: str
    reason: str
    basis: str
    amount_vnd: int
    year: int
    version: int

    @staticmethod
    def resolve_project_code(obj) -> str:
        return obj["project_code"] if isinstance(obj, dict) else obj.project.code

    @staticmethod
    def resolve_province(obj) -> str:
        return obj["province"] if isinstance(obj, dict) else obj.province.name


class SettlementActionOut(Schema):
    action: str
    label: str
    allowed: bool
    reasons: list[str]


class SettlementFindingDetailOut(SettlementFindingOut):
    this_side: dict
    other_side: dict
    explanation: str
    decision_note: str
    decided_on: datetime.date | None
    refund_vnd: int | None
    actions: list[SettlementActionOut]


class SettlementFiguresOut(Schema):
    total: int
    open: int
    upheld: int
    cleared: int
    refunded: int


class SettlementFindingActionIn(Schema):
    explanation: str = Field("", max_length=4000)
    note: str = Field("", max_length=4000, description="The reason of a clear or uphold decision")
    amount: Amount | None = Field(None, description="uphold: the amount to take back (đồng); empty: the amount at "
                                                    "stake")
    version: Version | None = Field(None, description="The version you read; a stale one gets 409")


class SettlementHitOut(Schema):
    check: str
    severity: str
    reason: str
    basis: str
    amount: int
    finding_id: int | None


class SettlementProjectChecksOut(Schema):
    project_id: int
    blocking: int
    hits: list[SettlementHitOut]


class SettlementObstacleOut(Schema):
    id: int
    project_id: int
    kind: str
    description: str
    owner: str
    raised_on: datetime.date
    due_on: datetime.date | None
    resolved_on: datetime.date | None
    outcome: str
    resolution: str
    settled_part_vnd: int | None
    version: int


class SettlementObstacleIn(Schema):
    kind: str
    description: str = Field(max_length=4000)
    owner: str = Field(max_length=200)
    raised_on: datetime.date | None = None
    due_on: datetime.date | None = None


class SettlementObstacleCloseIn(Schema):
    outcome: str
    resolution: str = Field(max_length=4000)
    settled_part_vnd: Amount | None = None
    version: Version | None = None


class SettlementInvoiceIn(Schema):
    supplier_tax_code: str = Field(max_length=20)
    supplier_name: str = Field("", max_length=200)
    number: str = Field(max_length=40)
    issued_on: datetime.date | None = None
    amount_vnd: Amount
    content_id: RecordId | None = None


class SettlementInvoiceOut(Schema):
    id: int
    content_id: int | None
    supplier_tax_code: str
    supplier_name: str
    number: str
    number_key: str
    issued_on: datetime.date | None
    amount_vnd: int


class SettlementAtRiskOut(Schema):
    project_id: int
    code: str
    title: str
    province: str
    status: str
    due_date: datetime.date
    days_left: int
    open_obstacles: int


class SettlementProposalOut(Schema):
    id: int
    title: str
    instrument: str
    status: str
    province: str | None
    problem: str
    proposed_text: str
    indicator_codes: list[str]
    rule_key: str
    decision_reference: str
    decided_on: datetime.date | None
    version: int

    @staticmethod
    def resolve_province(obj) -> str | None:
        return obj.province.name if obj.province_id else None


class SettlementProposalIn(Schema):
    title: str = Field(max_length=300)
    problem: str = Field(max_length=12000)
    instrument: str
    proposed_text: str = Field(max_length=12000)
    indicator_codes: list[str] = Field(default_factory=list, max_length=20)
    obstacle_ids: list[RecordId] = Field(default_factory=list, max_length=50)
    finding_ids: list[RecordId] = Field(default_factory=list, max_length=50)
    lesson_ids: list[RecordId] = Field(default_factory=list, max_length=50)


class SettlementProposalActionIn(Schema):
    reference: str = Field("", max_length=120)
    rule_key: str = Field("", max_length=120)
    version: Version | None = None


def _finding(request, finding_id: int):
    finding = selectors.finding_get(user=request.user, pk=finding_id)
    if finding is None:
        raise NotFound(_("Finding not found."))
    return finding


def _finding_detail(request, finding) -> dict:
    data = {name: getattr(finding, name) for name in ("id", "project_id", "check_code", "severity", "status",
                                                       "reason", "basis", "amount_vnd", "year", "version")}
    data.update(project_code=finding.project.code, province=finding.province.name,
                this_side=finding.this_side, other_side=finding.other_side, explanation=finding.explanation,
                decision_note=finding.decision_note, decided_on=finding.decided_on,
                refund_vnd=finding.refund.amount_vnd if finding.refund_id else None,
                actions=[{"action": o.action, "label": str(o.label), "allowed": o.allowed,
                          "reasons": [str(r) for r in o.reasons]} for o in finding_flow.options(finding, request.user)])
    return data


@router.get("/settlement/findings", response=list[SettlementFindingOut], url_name="settlement_finding_list",
            summary="Double-support findings in your scope")
@paginate(BoundedLimitOffsetPagination)
def finding_list(request, province: UnitCode | None = None, status: str = "", severity: str = "",
                 check: str = "", project: RecordId | None = None):
    filters = selectors.FindingFilters(province=province, status=status if status in FindingStatus.values else "",
                                       severity=severity if severity in Severity.values else "",
                                       check=check if check in CheckCode.values else "", project=project)
    return selectors.finding_list(user=request.user, filters=filters)


@router.get("/settlement/findings/figures", response=SettlementFiguresOut, url_name="settlement_finding_figures",
            summary="Counts of findings and the amount taken back, in your scope")
def finding_figures(request, province: UnitCode | None = None):
    return selectors.finding_figures(selectors.finding_list(
        user=request.user, filters=selectors.FindingFilters(province=province)))


@router.get("/settlement/findings/{finding_id}", response=SettlementFindingDetailOut,
            url_name="settlement_finding_detail",
            summary="One finding: both records side by side, and the steps open to you")
def finding_detail(request, finding_id: RecordId):
    return _finding_detail(request, _finding(request, finding_id))


@router.post("/settlement/findings/{finding_id}/actions/{action}", response=SettlementFindingDetailOut,
             url_name="settlement_finding_action", summary="Explain, clear, uphold or reopen a finding")
def finding_action(request, finding_id: RecordId, action: str, payload: SettlementFindingActionIn):
    finding = _finding(request, finding_id)
    inputs = {"explanation": payload.explanation, "note": payload.note,
              "amount": str(payload.amount) if payload.amount is not None else ""}
    services.finding_transition(actor=request.user, finding=finding, action=action[:40], inputs=inputs,
                                version=payload.version)
    return _finding_detail(request, _finding(request, finding_id))


def _project(request, project_id: int):
    project = selectors.project_get(user=request.user, pk=project_id)
    if project is None:
        raise NotFound(_("Project not found."))
    return project


@router.get("/settlement/projects/{project_id}/checks", response=SettlementProjectChecksOut,
            url_name="settlement_project_checks", summary="The double-support checks of a project, as of today")
def project_checks(request, project_id: RecordId):
    project = _project(request, project_id)
    result = selectors.project_checks(project, timezone.localdate())
    return {"project_id": project.pk, "blocking": len(result["blocking"]),
            "hits": [{"check": r["hit"].check, "severity": r["hit"].severity, "reason": r["hit"].reason,
                      "basis": r["hit"].basis, "amount": r["hit"].amount,
                      "finding_id": r["finding"].pk if r["finding"] else None} for r in result["rows"]]}


@router.post("/settlement/projects/{project_id}/checks", response=list[SettlementFindingOut],
             url_name="settlement_project_run", summary="Run the checks and record the new findings")
def project_run(request, project_id: RecordId):
    project = _project(request, project_id)
    created = services.run_checks(actor=request.user, project=project, stage="manual")
    return selectors.finding_list(user=request.user).filter(pk__in=[f.pk for f in created])


@router.get("/settlement/projects/{project_id}/obstacles", response=list[SettlementObstacleOut],
            url_name="settlement_obstacle_list", summary="A project's settlement obstacles")
def obstacle_list(request, project_id: RecordId):
    return selectors.obstacle_list(user=request.user, project=_project(request, project_id))


@router.post("/settlement/projects/{project_id}/obstacles", response={201: SettlementObstacleOut},
             url_name="settlement_obstacle_add", summary="Record a settlement obstacle")
def obstacle_add(request, project_id: RecordId, payload: SettlementObstacleIn):
    project = _project(request, project_id)
    return Status(201, services.obstacle_add(actor=request.user, project=project, data=payload.dict()))


@router.get("/settlement/projects/{project_id}/invoices", response=list[SettlementInvoiceOut],
            url_name="settlement_invoice_list", summary="The invoices of a project's settlement dossier")
def invoice_list(request, project_id: RecordId):
    return selectors.invoice_list(project=_project(request, project_id))


@router.post("/settlement/projects/{project_id}/invoices", response={201: SettlementInvoiceOut},
             url_name="settlement_invoice_add", summary="Record an invoice of the settlement dossier")
def invoice_add(request, project_id: RecordId, payload: SettlementInvoiceIn):
    project = _project(request, project_id)
    data = payload.dict()
    content = None
    if data.pop("content_id") is not None:
        content = project.contents.filter(pk=payload.content_id).first()
        if content is None:
            raise InvalidInput(_("This cost item is not one of the project's."), field="content_id")
    data["amount"] = data.pop("amount_vnd")
    return Status(201, services.invoice_add(actor=request.user, project=project, data={**data, "content": content}))


@router.post("/settlement/obstacles/{obstacle_id}/close", response=SettlementObstacleOut,
             url_name="settlement_obstacle_close", summary="Close an obstacle with its outcome")
def obstacle_close(request, obstacle_id: RecordId, payload: SettlementObstacleCloseIn):
    obstacle = selectors.obstacle_get(user=request.user, pk=obstacle_id)
    if obstacle is None:
        raise NotFound(_("Obstacle not found."))
    return services.obstacle_close(actor=request.user, obstacle=obstacle, outcome=payload.outcome,
                                   resolution=payload.resolution, settled_part=payload.settled_part_vnd,
                                   version=payload.version)


@router.get("/settlement/at-risk", response=list[SettlementAtRiskOut], url_name="settlement_at_risk",
            summary="Projects that may miss their settlement deadline, soonest first")
@paginate(BoundedLimitOffsetPagination)
def at_risk(request, province: UnitCode | None = None):
    today = timezone.localdate()
    return [{"project_id": p.pk, "code": p.code, "title": p.title, "province": p.province.name, "status": p.status,
             "due_date": p.due_date, "days_left": selectors.days_left(p, today), "open_obstacles": p.open_obstacles}
            for p in selectors.at_risk(user=request.user, today=today, province=province)[:500]]


@router.get("/settlement/proposals", response=list[SettlementProposalOut], url_name="settlement_proposal_list",
            summary="Policy proposals of every province")
@paginate(BoundedLimitOffsetPagination)
def proposal_list(request, q: str = "", status: str = ""):
    return selectors.proposal_list(filters=selectors.ProposalFilters(
        q=q[:100], status=status if status in ProposalStatus.values else ""))


@router.get("/settlement/proposals/{proposal_id}", response=SettlementProposalOut,
            url_name="settlement_proposal_detail",
            summary="One policy proposal")
def proposal_detail(request, proposal_id: RecordId):
    proposal = selectors.proposal_get(pk=proposal_id)
    if proposal is None:
        raise NotFound(_("Proposal not found."))
    return proposal


@router.post("/settlement/proposals", response={201: SettlementProposalOut}, url_name="settlement_proposal_create",
             summary="Write a policy proposal (a draft of your province)")
def proposal_create(request, payload: SettlementProposalIn):
    province = selectors.author_province(request.user)
    evidence = {"obstacles": list(selectors.obstacle_list(user=request.user).filter(pk__in=payload.obstacle_ids)),
                "findings": list(selectors.finding_list(user=request.user).filter(pk__in=payload.finding_ids)),
                "lessons": list(Lesson.objects.filter(pk__in=payload.lesson_ids))}
    proposal = services.proposal_create(actor=request.user, data=payload.dict(), province=province,
                                        evidence=evidence)
    return Status(201, proposal)


@router.post("/settlement/proposals/{proposal_id}/actions/{action}", response=SettlementProposalOut,
             url_name="settlement_proposal_action", summary="Submit, adopt, reject or redraft a proposal")
def proposal_action(request, proposal_id: RecordId, action: str, payload: SettlementProposalActionIn):
    proposal = selectors.proposal_get(pk=proposal_id)
    if proposal is None:
        raise NotFound(_("Proposal not found."))
    return services.proposal_transition(actor=request.user, proposal=proposal, action=action[:40],
                                        inputs={"reference": payload.reference, "rule_key": payload.rule_key},
                                        version=payload.version)
