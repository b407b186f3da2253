"""Reads of plans, projects and their money, scoped to the user, with a fixed number of queries.

Balances are never stored: they are sums of ledger rows (ledger.py), computed here by aggregate queries over many
projects at once, so a page, an export and the API always agree with the ledger.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from khuyencong.accounts.scope import acting_province_ids, user_scope
from khuyencong.core.text import fold
from khuyencong.registry.models import Establishment

from . import checklists, scoring
from .flows import SIDE_EXITS, project_flow
from .ledger import (
    BALANCE_KINDS,
    Balances,
    ledger_balances,
)
from .models import (
    CLOSED_STATUSES,
    PASSING_CONCLUSIONS,
    AcceptanceRecord,
    AcceptanceResult,
    AdjustmentRequest,
    AdjustmentStatus,
    AnnualPlan,
    AppraisalCouncil,
    CouncilMember,
    LedgerEntry,
    ProgressLine,
    ProgressReport,
    Project,
    ProjectBeneficiary,
    ProjectContent,
    ProjectStatus,
    SupervisionVisit,
    VisitFollowUp,
)
from .permissions import PROJECT_AUTHORS, REPORTING_STATUSES

# How many days before a monthly progress report's deadline it shows in the implementing unit's to-do list.
REPORT_NOTICE_DAYS = 7
# Projects whose request no longer counts as planned money.
NOT_PLANNED = (ProjectStatus.REJECTED,)


def _ledger_sums(qs: QuerySet, group: str):
    """Subquery sums of each ledger kind per row of qs (`group`: the ledger's lookup to the row)."""
    annotations = {}
    for name, kind in BALANCE_KINDS.items():
        entries = LedgerEntry.objects.filter(**{group: OuterRef("pk")}, kind=kind).order_by()
        annotations[f"{name}_vnd"] = Coalesce(
            Subquery(entries.values(group).annotate(s=Sum("amount_vnd")).values("s")[:1],
                     output_field=BigIntegerField()),
            Value(0), output_field=BigIntegerField(),
        )
    return annotations


def with_balances(qs: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """Projects annotated with planned_vnd, every ledger balance (`approved_vnd`, …), `paid_vnd` and `late`: one
    query for the page."""
    today = today or timezone.localdate()
    planned = ProjectContent.objects.filter(project=OuterRef("pk")).order_by()
    return qs.annotate(
        planned_vnd=Coalesce(
            Subquery(planned.values("project").annotate(s=Sum("requested_support_vnd")).values("s")[:1],
                     output_field=BigIntegerField()),
            Value(0), output_field=BigIntegerField(),
        ),
        **_ledger_sums(qs, "project"),
    ).annotate(
        paid_vnd=F("advanced_vnd") + F("disbursed_vnd") - F("refunded_vnd"),
        report_late=Case(When(report_late_q(today), then=Value(True)), default=Value(False),
                         output_field=BooleanField()),
        late=Case(When(late_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


def balances_of(row) -> Balances:
    """The Balances of a row annotated by with_balances/plan annotations."""
    return Balances(planned=row.planned_vnd, **{k: getattr(row, f"{k}_vnd") for k in BALANCE_KINDS},
                    settlement_recorded=getattr(row, "settled_on", None) is not None)


def plan_balances(plan: AnnualPlan, *, user=None) -> Balances:
    """The plan's balances over the projects the user may see (all of them without a user)."""
    entries = LedgerEntry.objects.filter(project__plan=plan)
    contents = ProjectContent.objects.filter(project__plan=plan).exclude(project__status__in=NOT_PLANNED)
    if user is not None:
        scope = user_scope(user)
        entries = scope.filter(entries, province="project__province", commune="project__commune")
        contents = scope.filter(contents, province="project__province", commune="project__commune")
    sums = dict(entries.order_by().values_list("kind").annotate(s=Sum("amount_vnd")))
    planned = contents.aggregate(s=Sum("requested_support_vnd"))["s"] or 0
    return Balances(planned=planned, **{name: sums.get(kind, 0) or 0 for name, kind in BALANCE_KINDS.items()})


# --- projects -------------------------------------------------------------------------------------------------------


@dataclass
class ProjectFilters:
    q: str = ""
    year: int | None = None
    fund: str = ""
    kind: str = ""
    status: str = ""
    province: int | None = None  # province code
    plan: int | None = None  # plan id
    late: bool = False


def scoped_projects(user) -> QuerySet:
    return user_scope(user).filter(Project.objects.all(), province="province", commune="commune")


def filtered_projects(qs: QuerySet, f: ProjectFilters) -> QuerySet:
    """Projects of qs matching the filters of the list and the board (the search text, year, fund, kind, state,
    province and plan; "late only" is the caller's, as it needs the date)."""
    if f.q:
        qs = qs.filter(Q(title_folded__contains=fold(f.q)) | Q(code__icontains=f.q.strip()))
    if f.year:
        qs = qs.filter(year=f.year)
    if f.fund:
        qs = qs.filter(plan__fund=f.fund)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.province:
        qs = qs.filter(province__code=f.province)
    if f.plan:
        qs = qs.filter(plan_id=f.plan)
    return qs


def project_list(*, user, filters: ProjectFilters | None = None, today: datetime.date | None = None) -> QuerySet:
    """Projects the user may see, filtered, with plan, province, organisation and balances in the same query."""
    f = filters or ProjectFilters()
    qs = filtered_projects(scoped_projects(user).select_related("plan", "province", "implementing_org"), f)
    if f.late:
        qs = late_filter(qs, today)
    # The project's own year (not the plan's): the page reads its rows in the order of the year-code index.
    return with_balances(qs, today).order_by("-year", "code")


def step_condition(user, *, side_exits: bool = True) -> Q:
    """Projects whose current step is one the user's roles take, in the provinces where the user holds them
    (`side_exits=False`: not counting suspending or stopping, which the steering authority may do at any step)."""
    keys: set[tuple] = set()
    for row in project_flow.transitions:
        if not side_exits and row.action in SIDE_EXITS:
            continue
        provinces = acting_province_ids(user, row.roles)
        for source in row.sources:
            if provinces is None:
                keys.add((row.variant, source, None))
            else:
                keys.update((row.variant, source, province_id) for province_id in provinces)
    condition = Q(pk__in=[])
    for fund, source, province_id in sorted(keys, key=str):
        step = Q(plan__fund=fund, status=source)
        condition |= step if province_id is None else step & Q(province_id=province_id)
    return condition


def report_condition(user, soon: datetime.date) -> Q:
    """Running projects of the implementing unit (the centre's staff) whose monthly report is due by `soon`."""
    report_due = Q(status=ProjectStatus.IN_PROGRESS, report_due_date__lte=soon)
    provinces = acting_province_ids(user, PROJECT_AUTHORS)
    if provinces is None:
        return report_due
    return report_due & Q(province_id__in=provinces) if provinces else Q(pk__in=[])


def projects_awaiting(*, user, today: datetime.date | None = None) -> QuerySet:
    """“Việc cần làm”: the projects whose current step is one the user's roles take (in the provinces where the
    user holds them), the nearest deadline first. The step's guards are not evaluated here: the project page says
    what is still missing."""
    # The implementing unit also has the monthly progress reports due within the notice window, or late.
    soon = (today or timezone.localdate()) + datetime.timedelta(days=REPORT_NOTICE_DAYS)
    condition = step_condition(user) | report_condition(user, soon)
    qs = project_list(user=user, today=today).filter(condition)
    return qs.order_by(F("due_date").asc(nulls_last=True), "code")


def report_late_q(today: datetime.date) -> Q:
    """A running project whose monthly progress report is past its deadline."""
    return Q(status=ProjectStatus.IN_PROGRESS, report_due_date__lt=today)


def late_q(today: datetime.date) -> Q:
    """Late: the current step's deadline has passed (and the project is not closed), or a progress report is."""
    return (Q(due_date__lt=today) & ~Q(status__in=CLOSED_STATUSES)) | report_late_q(today)


def late_filter(qs: QuerySet, today: datetime.date | None = None) -> QuerySet:
    return qs.filter(late_q(today or timezone.localdate()))


def is_report_late(project: Project, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(is_reporting(project) and project.report_due_date and project.report_due_date < today)


def is_late(project: Project, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    step_late = bool(project.due_date and project.due_date < today and project.status not in CLOSED_STATUSES)
    return step_late or is_report_late(project, today)


def _count(model_qs: QuerySet) -> Coalesce:
    return Coalesce(Subquery(model_qs.order_by().values("project").annotate(c=Count("pk")).values("c")[:1]),
                    Value(0))


def monitoring_annotations() -> dict:
    """The monitoring summary of a project in its own query: reports, last period, visits, open follow-ups,
    acceptance minutes and the first accepting one."""
    reports = ProgressReport.objects.filter(project=OuterRef("pk"))
    visits = SupervisionVisit.objects.filter(project=OuterRef("pk"))
    accepting = AcceptanceRecord.objects.filter(project=OuterRef("pk"), conclusion__in=PASSING_CONCLUSIONS)
    return {
        "report_count": _count(reports),
        "late_report_count": _count(reports.filter(late=True)),
        "last_report_period": Subquery(reports.order_by("-period").values("period")[:1]),
        "visit_count": _count(visits),
        "open_follow_ups": _count(visits.filter(follow_up=VisitFollowUp.OPEN)),
        "acceptance_count": _count(AcceptanceRecord.objects.filter(project=OuterRef("pk"))),
        "first_accepting_date": Subquery(accepting.order_by("minutes_date").values("minutes_date")[:1]),
        "pending_adjustments": _count(AdjustmentRequest.objects.filter(project=OuterRef("pk"),
                                                                        status=AdjustmentStatus.PENDING)),
    }


def project_get(*, user, pk: int) -> Project | None:
    """One project in the user's scope, with what its page shows (the monitoring summary as annotations)."""
    project = (
        scoped_projects(user)
        .annotate(**monitoring_annotations())
        .select_related("plan", "plan__programme", "province", "commune", "implementing_org", "created_by")
        .prefetch_related(
            Prefetch("contents", queryset=ProjectContent.objects.select_related("content", "content__group",
                                                                                 "establishment")),
            Prefetch("beneficiary_links", queryset=ProjectBeneficiary.objects.select_related(
                "establishment", "establishment__commune")),
            "documents",
        )
        .filter(pk=pk)
        .first()
    )
    if project is not None:
        project._accepting_dates = [project.first_accepting_date] if project.first_accepting_date else []
    return project


def project_brief(*, user, pk: int) -> Project | None:
    """One project in the user's scope with its plan and province only (for the pages of its records)."""
    return scoped_projects(user).select_related("plan", "province").filter(pk=pk).first()


@dataclass
class ProjectFigures:
    """The figures of a project's page and of its API detail, from its loaded contents and ledger: the money
    (balances and content totals) and the dossier's checklist."""

    contents: list
    entries: list
    balances: Balances
    totals: dict
    checklist: list


def project_checklist(project: Project, contents, documents) -> list[dict]:
    """The documents the project's steps need, each with the received document (None when not yet)."""
    received = {doc.code: doc for doc in documents}
    specs = checklists.required_documents(fund=project.plan.fund, kind=project.kind,
                                          content_codes=[row.content.code for row in contents])
    return [{"spec": spec, "doc": received.get(spec.code), "action": project_flow.label(spec.stage)
             if spec.stage in project_flow.actions() else ""} for spec in specs]


def project_figures(project: Project) -> ProjectFigures:
    """Money and dossier of a project loaded by `project_get`: one query (its ledger) beyond the prefetched rows.
    The balances are also left on the project for the flow's guards (`ProjectContext.balances`)."""
    contents = list(project.contents.all())
    entries = list(project_ledger(project))
    balances = ledger_balances(project, contents, entries)
    project._balances = balances
    totals = {
        "eligible_cost": sum(r.eligible_cost_vnd for r in contents),
        "requested": sum(r.requested_support_vnd for r in contents),
        "counterpart": sum(r.counterpart_vnd for r in contents),
        "other": sum(r.other_sources_vnd for r in contents),
        "quote": sum(r.quote_support_vnd for r in contents),
    }
    return ProjectFigures(contents=contents, entries=entries, balances=balances, totals=totals,
                          checklist=project_checklist(project, contents, project.documents.all()))


def is_reporting(project: Project) -> bool:
    """Implementation runs: the implementing unit reports each month."""
    return project.status in REPORTING_STATUSES


def report_due(project: Project) -> datetime.date | None:
    """The deadline of the next monthly progress report while implementation runs (None otherwise)."""
    return project.report_due_date if is_reporting(project) else None


def project_ledger(project: Project) -> QuerySet:
    """The project's entries in order; `reversal_pk` is the entry that reverses each one (None when none)."""
    reversal = LedgerEntry.objects.filter(reverses=OuterRef("pk")).values("pk")[:1]
    return LedgerEntry.objects.filter(project=project).select_related("created_by").annotate(
        reversal_pk=Subquery(reversal)).order_by("on_date", "id")


def project_monitoring(project: Project) -> dict:
    """The project's progress reports (with their lines), supervision visits (with attachments) and acceptance
    minutes (with results) and adjustment requests: seven queries, whatever their number."""
    return {
        "reports": list(project.progress_reports.select_related("created_by").prefetch_related(
            Prefetch("lines", queryset=ProgressLine.objects.select_related("content__content")))),
        "visits": list(project.visits.select_related("created_by").prefetch_related("attachments")),
        "acceptances": list(project.acceptances.select_related("created_by").prefetch_related(
            Prefetch("results", queryset=AcceptanceResult.objects.select_related("content__content")))),
        "adjustments": list(project.adjustments.select_related("requested_by", "decided_by")),
    }


def establishments_for(project: Project, q: str = "") -> QuerySet:
    """Establishments of the project's province that may be added (not already there), by name or tax code."""
    qs = Establishment.objects.filter(province_id=project.province_id, merged_into__isnull=True).exclude(
        pk__in=project.beneficiary_links.values("establishment_id")
    ).select_related("commune")
    if q:
        qs = qs.filter(Q(name_folded__contains=fold(q)) | Q(tax_code__startswith=q.strip()))
    return qs.order_by("name_folded", "id")


# --- plans ----------------------------------------------------------------------------------------------------------


def scoped_plans(user) -> QuerySet:
    """National plans (public decisions) and the local plans of the user's provinces."""
    scope = user_scope(user)
    qs = AnnualPlan.objects.all()
    if scope.national:
        return qs
    return qs.filter(Q(province__isnull=True) | Q(province_id__in=scope.province_ids | scope.commune_province_ids))


def plan_list(*, user, year: int | None = None, fund: str = "", province: int | None = None) -> QuerySet:
    """Plans the user may see, with the money of the projects the user may see (a provincial user sees the national
    plan's envelope and only its own province's projects in it)."""
    qs = scoped_plans(user).select_related("province", "programme")
    if year:
        qs = qs.filter(year=year)
    if fund:
        qs = qs.filter(fund=fund)
    if province:
        qs = qs.filter(province__code=province)
    scope = user_scope(user)

    def scoped(model_qs, prefix):
        return scope.filter(model_qs, province=f"{prefix}province", commune=f"{prefix}commune")

    annotations = {}
    for name, kind in BALANCE_KINDS.items():
        entries = scoped(LedgerEntry.objects.filter(project__plan=OuterRef("pk"), kind=kind), "project__").order_by()
        annotations[f"{name}_vnd"] = Coalesce(
            Subquery(entries.values("project__plan").annotate(s=Sum("amount_vnd")).values("s")[:1],
                     output_field=BigIntegerField()),
            Value(0), output_field=BigIntegerField(),
        )
    planned = scoped(ProjectContent.objects.filter(project__plan=OuterRef("pk")), "project__").exclude(
        project__status__in=NOT_PLANNED).order_by()
    annotations["planned_vnd"] = Coalesce(
        Subquery(planned.values("project__plan").annotate(s=Sum("requested_support_vnd")).values("s")[:1],
                 output_field=BigIntegerField()),
        Value(0), output_field=BigIntegerField(),
    )
    projects = scoped(Project.objects.filter(plan=OuterRef("pk")), "").order_by()
    annotations["project_count"] = Coalesce(
        Subquery(projects.values("plan").annotate(c=Count("pk")).values("c")[:1]), Value(0)
    )
    return qs.annotate(**annotations).annotate(
        paid_vnd=F("advanced_vnd") + F("disbursed_vnd") - F("refunded_vnd"),
    ).order_by("-year", "fund", "province__code")


def plan_get(*, user, pk: int) -> AnnualPlan | None:
    return plan_list(user=user).filter(pk=pk).first()


def plans_open_to(user, today: datetime.date | None = None) -> QuerySet:
    """Plans a user may put a new project in: national plans and local plans of provinces where the user drafts,
    from this year on (past years' plans are closed to new proposals)."""
    provinces = acting_province_ids(user, PROJECT_AUTHORS)
    year = (today or timezone.localdate()).year
    qs = AnnualPlan.objects.filter(year__gte=year).select_related("province").order_by("year", "fund",
                                                                                     "province__code")
    if provinces is None:
        return qs
    return qs.filter(Q(province__isnull=True) | Q(province_id__in=provinces))


# --- the status board -----------------------------------------------------------------------------------------------

# The order of the board's columns: the lifecycle, then the side exits.
BOARD_ORDER = [
    ProjectStatus.DRAFT, ProjectStatus.SUBMITTED, ProjectStatus.RETURNED, ProjectStatus.BASE_APPRAISED,
    ProjectStatus.REGISTERED, ProjectStatus.MINISTRY_APPRAISED, ProjectStatus.COUNCIL_APPRAISED,
    ProjectStatus.APPROVED, ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS, ProjectStatus.ACCEPTED,
    ProjectStatus.SETTLEMENT_SUBMITTED, ProjectStatus.SETTLED, ProjectStatus.ARCHIVED, ProjectStatus.SUSPENDED,
    ProjectStatus.STOPPED, ProjectStatus.REJECTED,
]
# The most late projects the board lists (the project list's "late only" filter shows them all).
BOARD_LATE_LIMIT = 100


class LateReason:
    REPORT = "report"
    ACCEPTANCE = "acceptance"
    SETTLEMENT = "settlement"
    STEP = "step"


def late_reasons(project: Project, today: datetime.date) -> list[str]:
    """Why a project is late, from the same deadlines as `late_q`: its progress report, its acceptance (the step
    deadline while it runs), its settlement dossier or liquidation (after acceptance), or another step."""
    reasons = []
    if is_report_late(project, today):
        reasons.append(LateReason.REPORT)
    if project.due_date and project.due_date < today and project.status not in CLOSED_STATUSES:
        if project.status == ProjectStatus.IN_PROGRESS:
            reasons.append(LateReason.ACCEPTANCE)
        elif project.status in (ProjectStatus.ACCEPTED, ProjectStatus.SETTLEMENT_SUBMITTED):
            reasons.append(LateReason.SETTLEMENT)
        else:
            reasons.append(LateReason.STEP)
    return reasons


@dataclass
class BoardColumn:
    status: str
    label: str
    count: int = 0
    late: int = 0
    balances: Balances = field(default_factory=Balances)


def project_board(*, user, filters: ProjectFilters, today: datetime.date | None = None) -> dict:
    """Every project of the user's scope grouped by state with its money, and the late ones: four queries whatever
    the number of projects (counts per state, ledger sums per state and kind, planned support per state, the late
    list)."""
    today = today or timezone.localdate()
    f = ProjectFilters(year=filters.year, fund=filters.fund, kind=filters.kind, province=filters.province)
    projects = filtered_projects(scoped_projects(user), f)
    columns = {status: BoardColumn(status=status, label=str(ProjectStatus(status).label)) for status in BOARD_ORDER}
    counts = projects.order_by().values("status").annotate(
        n=Count("pk"), late_n=Count("pk", filter=late_q(today)))
    for row in counts:
        column = columns[row["status"]]
        column.count, column.late = row["n"], row["late_n"]
    sums: dict[str, dict[str, int]] = {status: {} for status in BOARD_ORDER}
    entries = LedgerEntry.objects.filter(project__in=projects.values("pk")).order_by().values(
        "project__status", "kind").annotate(s=Sum("amount_vnd"))
    for row in entries:
        sums[row["project__status"]][row["kind"]] = row["s"] or 0
    planned = ProjectContent.objects.filter(project__in=projects.values("pk")).order_by().values(
        "project__status").annotate(s=Sum("requested_support_vnd"))
    planned_by = {row["project__status"]: row["s"] or 0 for row in planned}
    for status, column in columns.items():
        column.balances = Balances(
            planned=planned_by.get(status, 0),
            **{name: sums[status].get(kind, 0) for name, kind in BALANCE_KINDS.items()})
    late = list(projects.filter(late_q(today)).select_related("plan", "province").order_by(
        F("report_due_date").asc(nulls_last=True), F("due_date").asc(nulls_last=True), "code")[:BOARD_LATE_LIMIT])
    for project in late:
        project.late_reasons = late_reasons(project, today)
    total = Balances()
    for column in columns.values():
        total = total + column.balances
    return {
        "columns": [c for c in columns.values() if c.count],
        "total_count": sum(c.count for c in columns.values()),
        "total_late": sum(c.late for c in columns.values()),
        "total": total,
        "late": late,
        "late_by_reason": {reason: sum(1 for p in late if reason in p.late_reasons)
                           for reason in (LateReason.REPORT, LateReason.ACCEPTANCE, LateReason.SETTLEMENT,
                                          LateReason.STEP)},
    }


# --- appraisal councils ---------------------------------------------------------------------------------------------


def project_councils(project: Project) -> list:
    """The project's councils, latest first, each with its members and their sheets, and `result` (the totals'
    average against the pass mark): two queries."""
    councils = list(AppraisalCouncil.objects.filter(project=project).select_related("created_by").prefetch_related(
        Prefetch("members", queryset=CouncilMember.objects.select_related("score_sheet"))).order_by(
        "-decision_date", "-id"))
    for council in councils:
        members = list(council.members.all())
        totals = []
        for member in members:
            sheet = getattr(member, "score_sheet", None)
            member.sheet_row = sheet
            # One cell per criterion: None (not scored), "" (not applicable) or the points with a decimal comma.
            member.cells = [None if sheet is None else (
                "" if sheet.scores.get(c["code"]) is None else str(sheet.scores[c["code"]]).replace(".", ","))
                for c in council.sheet["criteria"]]
            if sheet is not None:
                totals.append(sheet.total)
        council.member_rows = members
        council.result = scoring.council_result(council.sheet, totals, len(members))
    return councils
