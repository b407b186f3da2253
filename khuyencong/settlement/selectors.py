"""Every read of settlement shared by pages, exports and the API: scoped, free of N+1, with the page figures."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from khuyencong.accounts.scope import acting_province_ids, user_scope
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit
from khuyencong.projects.models import Project, ProjectStatus
from khuyencong.projects.selectors import scoped_projects

from . import checks
from .models import CostInvoice, Finding, FindingStatus, Obstacle, PolicyProposal, ProposalStatus

# The steps a project waits in before its settlement is recorded: the at-risk list watches their deadline.
SETTLING = (ProjectStatus.IN_PROGRESS, ProjectStatus.ACCEPTED, ProjectStatus.SETTLEMENT_SUBMITTED)


@dataclass(frozen=True)
class FindingFilters:
    province: int | None = None  # province code
    status: str = ""
    severity: str = ""
    check: str = ""
    project: int | None = None


def finding_list(*, user, filters: FindingFilters | None = None) -> QuerySet:
    f = filters or FindingFilters()
    qs = user_scope(user).filter(Finding.objects.all(), province="province", commune="project__commune")
    if f.province:
        qs = qs.filter(province__code=f.province)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.check:
        qs = qs.filter(check_code=f.check)
    if f.project:
        qs = qs.filter(project_id=f.project)
    return qs.select_related("project", "province", "establishment", "refund").order_by("-id")


def finding_get(*, user, pk: int) -> Finding | None:
    return finding_list(user=user).filter(pk=pk).first()


def finding_figures(qs: QuerySet) -> dict:
    """Counts by status and the amount refunded: the list's header, the API and the indicators read this."""
    row = qs.order_by().aggregate(
        total=Count("id"), open=Count("id", filter=Q(status__in=(FindingStatus.OPEN, FindingStatus.EXPLAINED))),
        upheld=Count("id", filter=Q(status=FindingStatus.UPHELD)),
        cleared=Count("id", filter=Q(status=FindingStatus.CLEARED)),
        refunded=Sum("refund__amount_vnd"))
    row["refunded"] = row["refunded"] or 0
    return row


def findings_by_province(qs: QuerySet) -> list[dict]:
    return list(qs.order_by().values("province__name", "province__code").annotate(
        total=Count("id"), open=Count("id", filter=Q(status__in=(FindingStatus.OPEN, FindingStatus.EXPLAINED))),
        upheld=Count("id", filter=Q(status=FindingStatus.UPHELD)), refunded=Sum("refund__amount_vnd"))
        .order_by("province__name"))


def project_get(*, user, pk: int) -> Project | None:
    return scoped_projects(user).select_related("plan", "province", "commune").filter(pk=pk).first()


def invoice_list(*, project: Project) -> QuerySet:
    """The invoices of the project's settlement dossier (the project was read through the user's scope)."""
    return CostInvoice.objects.filter(project=project).select_related("content__content").order_by("id")


def project_checks(project: Project, on_date: datetime.date | None = None) -> dict:
    """What the project's settlement page shows: the live hits, their findings, what still blocks."""
    hits = checks.hits_for(project, on_date)
    findings = {(f.check_code, f.other_key): f for f in Finding.objects.filter(project=project)}
    rows = [{"hit": h, "finding": findings.get((h.check, h.other_key))} for h in hits]
    return {"rows": rows, "blocking": checks.blocking(project, on_date, hits=hits),
            "findings": sorted(findings.values(), key=lambda f: -f.pk)}


def obstacle_list(*, user, project: Project | None = None, open_only: bool = False) -> QuerySet:
    qs = user_scope(user).filter(Obstacle.objects.all(), province="province", commune="project__commune")
    if project is not None:
        qs = qs.filter(project=project)
    if open_only:
        qs = qs.filter(resolved_on__isnull=True)
    return qs.select_related("project", "province")


def obstacle_get(*, user, pk: int) -> Obstacle | None:
    return obstacle_list(user=user).filter(pk=pk).first()


def at_risk_days(today: datetime.date) -> int:
    return checks._param("settlement-at-risk-days", today, 30)


def at_risk_q(today: datetime.date) -> Q:
    """At risk of missing the settlement deadline: still settling, and the step's deadline within the lead time or
    past. One definition for the list, the inbox, the API and the indicator."""
    limit = today + datetime.timedelta(days=at_risk_days(today))
    return Q(status__in=SETTLING, due_date__isnull=False, due_date__lte=limit)


def at_risk(*, user, today: datetime.date | None = None, province: int | None = None) -> QuerySet:
    """Projects whose settlement deadline (the rules' calendar, kept on the project as its next deadline) falls
    within the warning lead time or has passed, with the days left and the open obstacles; soonest first."""
    today = today or timezone.localdate()
    qs = scoped_projects(user).filter(at_risk_q(today))
    if province:
        qs = qs.filter(province__code=province)
    return (qs.select_related("province", "plan")
            .annotate(open_obstacles=Count("settlement_obstacles",
                                           filter=Q(settlement_obstacles__resolved_on__isnull=True)))
            .order_by("due_date", "id"))


def days_left(project: Project, today: datetime.date) -> int:
    return (project.due_date - today).days


@dataclass(frozen=True)
class ProposalFilters:
    q: str = ""
    status: str = ""
    province: int | None = None


def proposal_list(*, filters: ProposalFilters | None = None) -> QuerySet:
    """Shared nationally, like lessons learned: every signed-in user reads every proposal."""
    f = filters or ProposalFilters()
    qs = PolicyProposal.objects.select_related("province").annotate(
        n_obstacles=Count("obstacles", distinct=True), n_findings=Count("findings", distinct=True),
        n_lessons=Count("lessons", distinct=True))
    if f.status in ProposalStatus.values:
        qs = qs.filter(status=f.status)
    if f.province:
        qs = qs.filter(province__code=f.province)
    if f.q:
        words = fold(f.q)
        qs = qs.filter(Q(title__icontains=f.q) | Q(problem__icontains=f.q) | Q(title__icontains=words))
    return qs.order_by("-created_at", "-id")


def proposal_get(*, pk: int) -> PolicyProposal | None:
    return (PolicyProposal.objects.select_related("province")
            .prefetch_related("obstacles__project", "findings__project", "lessons").filter(pk=pk).first())


def author_province(user) -> AdminUnit | None:
    """The province a proposal is written for: the author's (the first, for one acting in several); national when
    the author acts nationally."""
    ids = acting_province_ids(user)
    if not ids:
        return None
    return AdminUnit.objects.filter(pk__in=ids).order_by("name").first()
