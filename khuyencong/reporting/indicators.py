"""The KC indicator catalogue: centrally owned, in code, versioned with the product.

An indicator is a figure the ministry and the provinces report (the DoIT's quarterly, six-monthly and annual report on
the national KC plan, TT 36/2013/TT-BCT Điều 21 khoản 5; the province's quarterly report to the ministry, NĐ
45/2012/NĐ-CP Điều 16 khoản 1 điểm i): a code, a Vietnamese name, a unit, a definition, how it is computed, and the
breakdowns it supports. Its value is the sum of one or more *measures* of *sources*; a rate is a numerator over a
denominator, in per cent.

A source is one table of facts (projects, their contents, ledger entries, events, participants…) with:
- `base(ctx)`: its rows counted for a period (the period rules are in each source's docstring);
- `measures`: aggregate expressions (Count, Sum with a filter) computed together in ONE aggregate query;
- `dims`: the lookup of each breakdown (fund, content, kind, year, gender, ethnic) — the province breakdown uses
  `province` (today's province) or, under the legacy geography, `legacy`/`commune`/`province` resolved through the
  succession table (see selectors.py).

So a table of every indicator costs one query per source, whatever the number of rows, and a breakdown one
GROUP BY query per source. No row is ever loaded into Python.

Period rules (stated on the catalogue page):
- money and projects belong to the annual plans of the period's year; ledger entries and approvals count up to
  the end of the period (or today when the period is not over): "lũy kế đến hết quý III";
- events, participants, booths and registrations count when they happened inside the period;
- the collaborator network is counted as it stood at the end of the period (or today);
- late projects are those late today, of the plans of the period's year and before.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.awards.models import Certificate as AwardCertificate  # --- awards
from khuyencong.awards.models import Entry as AwardEntry  # --- awards
from khuyencong.clusters import figures as cluster_figures  # --- clusters
from khuyencong.consulting.models import Contract as ServiceContract  # --- consulting
from khuyencong.consulting.models import Payment as ServicePayment  # --- consulting
from khuyencong.events.models import Attendance, Booth, Event, EventStatus, Participant, ParticipantRole
from khuyencong.events.vocab import FAIRS, STUDY_TOURS, EventKind
from khuyencong.extraction.models import ArticleExtraction, ExtractionStatus  # --- extraction
from khuyencong.geo.models import AdminUnit
from khuyencong.network.models import FieldKind, FieldRecord
from khuyencong.network.selectors import collaborators_active_on, coverage_on
from khuyencong.news.models import Article, ArticleStatus
from khuyencong.projects.ledger import paid_sum
from khuyencong.projects.models import (
    CLOSED_STATUSES,
    LedgerEntry,
    LedgerKind,
    Project,
    ProjectBeneficiary,
    ProjectContent,
    ProjectStatus,
)
from khuyencong.projects.selectors import late_q
from khuyencong.registry.models import Establishment, SupportRecord
from khuyencong.settlement.models import Finding, FindingStatus  # --- settlement
from khuyencong.settlement.selectors import at_risk_q  # --- settlement

# Units: the kind decides the formatting; the label is what a person reads after the number.
VND = "vnd"
PERCENT = "percent"
COUNT = "count"

# The breakdowns an indicator may support. "province" and "year" (the trend) are handled by the engine.
BREAKDOWNS = {
    "province": _("Province"),
    "fund": _("Fund"),
    "content": _("KC content"),
    "kind": pgettext_lazy("breakdown", "Kind"),
    "year": _("Year"),
    "gender": _("Gender"),
    "ethnic": _("Ethnic minority"),
}
TREND_YEARS = 10  # the "year" breakdown: the period's year and the nine before

HELD = (EventStatus.DONE, EventStatus.REPORTED, EventStatus.SETTLED)
DEMO_MODELS = ("demo_model_new", "demo_model_replication")
MACHINERY = ("machinery",)
# Projects whose proposal is in the year's plan (beyond a draft, not refused): "planned" money.
NOT_PLANNED = (ProjectStatus.DRAFT, ProjectStatus.RETURNED, ProjectStatus.REJECTED)


@dataclass(frozen=True)
class Context:
    """What a source needs to select its rows: the years of the plans, the first day counted, the day the figures
    stand at (end of the period, or today), and today (for lateness)."""

    years: tuple[int, ...]
    start: datetime.date
    as_of: datetime.date
    today: datetime.date


@dataclass(frozen=True)
class Source:
    name: str
    base: Callable[[Context], QuerySet]
    measures: dict[str, Callable[[Context], object]]
    province: str  # lookup to today's province id
    commune: str | None = None  # lookup to today's commune id (scope of commune users, legacy geography)
    legacy: Callable[[], object] | None = None  # expression: the former province recorded at the time, if any
    dims: dict[str, object] = field(default_factory=dict)  # breakdown → lookup or expression


def _approved(ctx: Context, prefix: str = "") -> Q:
    return Q(**{f"{prefix}plan__year__in": ctx.years, f"{prefix}approved_on__isnull": False,
                f"{prefix}approved_on__lte": ctx.as_of})


def _events(ctx: Context, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": HELD, f"{prefix}start_date__gte": ctx.start,
                f"{prefix}start_date__lte": ctx.as_of})


def _event_legacy(prefix: str = ""):
    return lambda: Case(When(**{f"{prefix}organiser_unit_then__scheme": "legacy"},
                             then=F(f"{prefix}organiser_unit_then__province_id")), default=None)


def _yes_no(lookup: str):
    return Case(When(**{lookup: True}, then=Value("yes")), default=Value("no"), output_field=CharField())


def _collaborators(ctx: Context) -> QuerySet:
    """Collaborators active on the day the figures stand at: the network's own definition (one for every screen)."""
    return collaborators_active_on(ctx.as_of)


def _coverage(ctx: Context) -> QuerySet:
    """Today's communes covered on the day the figures stand at, by a collaborator active then: the network's own
    definition, which its coverage page reads too (a suspended collaborator's open coverage covers nothing)."""
    return coverage_on(ctx.as_of).filter(unit__scheme="current", unit__level="commune")


def _late(ctx: Context) -> QuerySet:
    """Projects not closed, of the plans up to the period's year (a trend: of each year's plans). Which of them are
    late is the projects' own rule (`projects.selectors.late_q`), the one the project list's "late only" and the
    project board read, so the dashboard's count is the count of the list it links to."""
    qs = Project.objects.filter(plan__year__lte=max(ctx.years))
    if len(ctx.years) > 1:
        qs = qs.filter(plan__year__gte=min(ctx.years))
    return qs.exclude(status__in=CLOSED_STATUSES)


def _supported_establishments(ctx: Context) -> QuerySet:
    # One `id IN (… UNION …)` rather than `EXISTS (…) OR EXISTS (…)`: the OR of two correlated subqueries made
    # PostgreSQL walk all 200,000 establishments (and its cost estimate switched the JIT on: 0.8 s of compiling);
    # the few thousand ids of the two small sets are found first, then read through the primary key.
    in_project = (ProjectBeneficiary.objects.filter(_approved(ctx, "project__"))
                  .values("establishment_id").order_by())
    in_history = SupportRecord.objects.filter(year__in=ctx.years).values("establishment_id").order_by()
    return Establishment.objects.filter(pk__in=in_project.union(in_history))


SOURCES: dict[str, Source] = {s.name: s for s in [
    Source(
        "projects",
        base=lambda ctx: Project.objects.filter(_approved(ctx)),
        measures={
            "total": lambda ctx: Count("id"),
            "national": lambda ctx: Count("id", filter=Q(plan__fund="national")),
            "local": lambda ctx: Count("id", filter=Q(plan__fund="local")),
        },
        province="province_id", commune="commune_id",
        dims={"fund": "plan__fund", "kind": "kind", "year": "plan__year"},
    ),
    Source(
        "contents",
        base=lambda ctx: ProjectContent.objects.filter(project__plan__year__in=ctx.years).exclude(
            project__status__in=NOT_PLANNED),
        measures={
            "planned": lambda ctx: Sum("requested_support_vnd"),
            "counterpart": lambda ctx: Sum(F("counterpart_vnd") + F("other_sources_vnd"),
                                           filter=_approved(ctx, "project__")),
            "demo_models": lambda ctx: Count("id", filter=_approved(ctx, "project__") & Q(
                content__code__in=DEMO_MODELS)),
            "machines": lambda ctx: Count("id", filter=_approved(ctx, "project__") & Q(content__code__in=MACHINERY)),
        },
        province="project__province_id", commune="project__commune_id",
        dims={"fund": "project__plan__fund", "kind": "project__kind", "content": "content__code",
              "year": "project__plan__year"},
    ),
    Source(
        "ledger",
        base=lambda ctx: LedgerEntry.objects.filter(project__plan__year__in=ctx.years, on_date__lte=ctx.as_of),
        measures={**{kind.lower(): (lambda k: lambda ctx: Sum("amount_vnd", filter=Q(kind=k)))(kind)
                     for kind in LedgerKind.values},
                  "paid": lambda ctx: paid_sum()},
        province="project__province_id", commune="project__commune_id",
        dims={"fund": "project__plan__fund", "kind": "project__kind", "year": "project__plan__year"},
    ),
    Source(
        "late",
        base=lambda ctx: _late(ctx),
        measures={
            "any": lambda ctx: Count("id", filter=late_q(ctx.today)),
            "progress": lambda ctx: Count("id", filter=Q(status__in=(
                ProjectStatus.APPROVED, ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS)) & (
                Q(due_date__lt=ctx.today) | Q(report_due_date__lt=ctx.today))),
            "acceptance": lambda ctx: Count("id", filter=Q(end_date__lt=ctx.today, status__in=(
                ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS))),
            "settlement": lambda ctx: Count("id", filter=Q(due_date__lt=ctx.today, status__in=(
                ProjectStatus.ACCEPTED, ProjectStatus.SETTLEMENT_SUBMITTED))),
        },
        province="province_id", commune="commune_id",
        dims={"fund": "plan__fund", "kind": "kind", "year": "plan__year"},
    ),
    Source(
        "establishments",
        base=_supported_establishments,
        measures={"distinct": lambda ctx: Count("id")},
        province="province_id", commune="commune_id", legacy=lambda: F("legacy_unit__province_id"),
        dims={"gender": _yes_no("woman_owned"), "ethnic": _yes_no("ethnic_minority"), "kind": "entity_type"},
    ),
    Source(
        "registry",
        base=lambda ctx: Establishment.objects.filter(merged_into__isnull=True).exclude(status="closed"),
        measures={"establishments": lambda ctx: Count("id")},
        province="province_id", commune="commune_id", legacy=lambda: F("legacy_unit__province_id"),
        dims={"gender": _yes_no("woman_owned"), "ethnic": _yes_no("ethnic_minority"), "kind": "entity_type"},
    ),
    Source(
        "beneficiaries",
        base=lambda ctx: ProjectBeneficiary.objects.filter(_approved(ctx, "project__")),
        measures={"turns": lambda ctx: Count("id")},
        province="establishment__province_id", commune="establishment__commune_id",
        legacy=lambda: F("establishment__legacy_unit__province_id"),
        dims={"fund": "project__plan__fund", "year": "project__plan__year",
              "gender": _yes_no("establishment__woman_owned"), "ethnic": _yes_no("establishment__ethnic_minority")},
    ),
    Source(
        "support_records",
        base=lambda ctx: SupportRecord.objects.filter(year__in=ctx.years),
        measures={"turns": lambda ctx: Count("id")},
        province="establishment__province_id", commune="establishment__commune_id",
        legacy=lambda: F("establishment__legacy_unit__province_id"),
        dims={"fund": "fund", "year": "year", "content": "content_code",
              "gender": _yes_no("establishment__woman_owned"), "ethnic": _yes_no("establishment__ethnic_minority")},
    ),
    Source(
        "events",
        base=lambda ctx: Event.objects.filter(_events(ctx)),
        measures={
            "training": lambda ctx: Count("id", filter=Q(kind=EventKind.TRAINING)),
            "study_tours": lambda ctx: Count("id", filter=Q(kind__in=STUDY_TOURS)),
            "fairs": lambda ctx: Count("id", filter=Q(kind__in=FAIRS)),
        },
        province="province_id", legacy=_event_legacy(),
        dims={"fund": "fund", "kind": "kind", "content": "content__code", "year": ExtractYear("start_date")},
    ),
    Source(
        "trainees",
        base=lambda ctx: Participant.objects.filter(_events(ctx, "event__"), event__kind=EventKind.TRAINING,
                                                    role=ParticipantRole.TRAINEE),
        measures={
            "trainees": lambda ctx: Count("id"),
            "attended": lambda ctx: Count("id", filter=Exists(Attendance.objects.filter(participant=OuterRef("pk")))),
            "employed": lambda ctx: Count("id", filter=Q(employed=True)),
        },
        province="event__province_id", legacy=_event_legacy("event__"),
        dims={"fund": "event__fund", "year": ExtractYear("event__start_date"), "gender": "gender"},
    ),
    Source(
        "booths",
        base=lambda ctx: Booth.objects.filter(_events(ctx, "event__")),
        measures={"booths": lambda ctx: Count("id")},
        province="event__province_id", legacy=_event_legacy("event__"),
        dims={"fund": "event__fund", "year": ExtractYear("event__start_date"),
              "gender": _yes_no("establishment__woman_owned"), "ethnic": _yes_no("establishment__ethnic_minority")},
    ),
    Source(
        "collaborators",
        base=_collaborators,
        measures={"active": lambda ctx: Count("id")},
        province="province_id", commune="residence_commune_id",
        dims={"gender": "gender"},
    ),
    Source(
        "coverage",
        base=_coverage,
        measures={"communes": lambda ctx: Count("unit", distinct=True)},
        province="province_id", commune="unit_id",
    ),
    Source(
        "communes",
        base=lambda ctx: AdminUnit.objects.filter(scheme="current", level="commune"),
        measures={"communes": lambda ctx: Count("id")},
        province="province_id", commune="id",
    ),
    Source(
        "registrations",
        base=lambda ctx: FieldRecord.objects.filter(kind=FieldKind.NEED, occurred_on__gte=ctx.start,
                                                    occurred_on__lte=ctx.as_of),
        measures={
            "registrations": lambda ctx: Count("id"),
            "converted": lambda ctx: Count("id", filter=Q(project__isnull=False)),
        },
        province="province_id", commune="commune_id",
        dims={"year": ExtractYear("occurred_on")},
    ),
    # --- news
    Source(
        "news",
        base=lambda ctx: Article.objects.filter(status=ArticleStatus.PUBLISHED, published_on__gte=ctx.start,
                                                published_on__lte=ctx.as_of),
        measures={"published": lambda ctx: Count("id")},
        province="province_id",
        dims={"year": ExtractYear("published_on")},
    ),
    # --- settlement
    Source(
        "settlement_findings",
        base=lambda ctx: Finding.objects.filter(year__in=ctx.years, created_at__date__lte=ctx.as_of),
        measures={
            "open": lambda ctx: Count("id", filter=Q(status__in=(FindingStatus.OPEN, FindingStatus.EXPLAINED))),
            "upheld": lambda ctx: Count("id", filter=Q(status=FindingStatus.UPHELD)),
            "refunded": lambda ctx: Sum("refund__amount_vnd"),
        },
        province="province_id", commune="project__commune_id",
        dims={"year": "year"},
    ),
    Source(
        "settlement_at_risk",
        base=lambda ctx: Project.objects.filter(at_risk_q(ctx.today), plan__year__lte=max(ctx.years)),
        measures={"projects": lambda ctx: Count("id")},
        province="province_id", commune="commune_id",
        dims={"year": "plan__year"},
    ),
    # --- consulting
    Source(
        "consulting_contracts",
        base=lambda ctx: ServiceContract.objects.filter(signed_on__gte=ctx.start, signed_on__lte=ctx.as_of),
        measures={"signed": lambda ctx: Count("id"), "value": lambda ctx: Sum("value_vnd")},
        province="province_id", commune="site_commune_id",
        dims={"year": ExtractYear("signed_on")},
    ),
    Source(
        "consulting_payments",
        base=lambda ctx: ServicePayment.objects.filter(received_on__gte=ctx.start, received_on__lte=ctx.as_of),
        measures={"received": lambda ctx: Sum("amount_vnd")},
        province="contract__province_id", commune="contract__site_commune_id",
        dims={"year": ExtractYear("received_on")},
    ),    # --- awards
    Source(
        "award_entries",
        base=lambda ctx: AwardEntry.objects.filter(round__year__in=ctx.years),
        measures={"entries": lambda ctx: Count("id")},
        province="province_id", commune="establishment__commune_id",
        dims={"year": "round__year"},
    ),
    Source(
        "award_certificates",
        base=lambda ctx: AwardCertificate.objects.filter(issued_on__gte=ctx.start, issued_on__lte=ctx.as_of),
        measures={
            "certified": lambda ctx: Count("id"),
            **{f"level_{level}": (lambda ctx, level=level: Count("id", filter=Q(level=level)))
               for level in ("commune", "province", "region", "national")},
            **{f"group_{group}": (lambda ctx, group=group: Count("id", filter=Q(entry__group=group)))
               for group in ("handicraft", "food", "machinery", "other")},
        },
        province="entry__province_id", commune="entry__establishment__commune_id",
        dims={"year": ExtractYear("issued_on")},
    ),
    # --- clusters
    Source(
        "clusters",
        base=cluster_figures.clusters, measures=cluster_figures.CLUSTER_MEASURES, province="province_id",
    ),
    Source(
        "cluster_land",
        base=cluster_figures.land, measures=cluster_figures.LAND_MEASURES, province="cluster__province_id",
    ),
    Source(
        "cluster_wastewater",
        base=cluster_figures.wastewater, measures=cluster_figures.WASTEWATER_MEASURES,
        province="cluster__province_id",
    ),
    # --- extraction
    Source(
        "extraction",
        base=lambda ctx: ArticleExtraction.objects.filter(created_at__date__gte=ctx.start,
                                                          created_at__date__lte=ctx.as_of),
        measures={
            "read": lambda ctx: Count("id"),
            "accepted": lambda ctx: Count("id", filter=Q(status=ExtractionStatus.ACCEPTED)),
        },
        province="province_id",
        dims={"year": ExtractYear("created_at")},
    ),
]}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str  # VND, PERCENT or COUNT
    unit_label: str
    definition: str
    formula: str
    parts: tuple[tuple[str, str], ...]  # (source, measure), summed
    denominator: tuple[tuple[str, str], ...] = ()  # for a rate: value = 100 × parts ÷ denominator
    breakdowns: tuple[str, ...] = ("province",)
    group: str = "projects"

    @property
    def sources(self) -> set[str]:
        return {s for s, _m in (*self.parts, *self.denominator)}

    @property
    def is_rate(self) -> bool:
        return bool(self.denominator)


GROUPS = {
    "projects": _("Projects"),
    "money": _("KC money"),
    "beneficiaries": _("Establishments supported"),
    "events": _("Training, study tours, fairs"),
    "network": _("Collaborator network"),
    "late": _("Late projects"),
    # --- news
    "news": _("News on the portal"),
    # --- settlement
    "settlement": _("Double support and settlement"),
    # --- consulting
    "consulting": _("Fee-based consulting services"),
    # --- awards
    "awards": _("Rural industrial product awards"),
    # --- clusters
    "clusters": _("Industrial clusters"),
    # --- extraction
    "extraction": _("News articles read into records"),
}

COUNT_DIMS = ("province", "fund", "kind", "year")
MONEY_DIMS = ("province", "fund", "kind", "year")


def _i(code, name, unit, unit_label, definition, formula, parts, *, denominator=(), breakdowns=("province",),
       group="projects") -> Indicator:
    return Indicator(code=code, name=name, unit=unit, unit_label=unit_label, definition=definition, formula=formula,
                     parts=tuple(parts), denominator=tuple(denominator), breakdowns=tuple(breakdowns), group=group)


PROJECT = pgettext_lazy("unit", "projects")
DONG = pgettext_lazy("unit", "đồng")
PCT = "%"

CATALOGUE: dict[str, Indicator] = {i.code: i for i in [
    # --- projects
    _i("projects", _("KC projects in the plan"), COUNT, PROJECT,
       _("Projects and KC tasks of the year's annual plans (national and local) approved by the end of the period."),
       _("Count of projects whose plan year is the period's year and whose approval date is on or before the end "
         "of the period."),
       [("projects", "total")], breakdowns=COUNT_DIMS),
    _i("projects_national", _("National KC projects"), COUNT, PROJECT,
       _("Projects of the national KC plan approved by the end of the period."),
       _("Count of approved projects of the national plan of the period's year."),
       [("projects", "national")], breakdowns=("province", "kind", "year")),
    _i("projects_local", _("Local KC projects"), COUNT, PROJECT,
       _("Projects of the provinces' local KC plans approved by the end of the period."),
       _("Count of approved projects of the local plans of the period's year."),
       [("projects", "local")], breakdowns=("province", "kind", "year")),
    # --- money
    _i("kc_planned", _("KC money planned"), VND, DONG,
       _("KC support requested by the projects proposed in the year's plans (beyond a draft, not refused)."),
       _("Sum of the requested KC support of the contents of the projects of the period's year, except drafts, "
         "projects returned for correction and refused ones."),
       [("contents", "planned")], breakdowns=("province", "fund", "kind", "content", "year"), group="money"),
    _i("kc_allocated", _("KC money allocated"), VND, DONG,
       _("KC support approved for the projects of the year's plans (the assigned estimate)."),
       _("Sum of the ledger's APPROVED entries (with their reversals) of the projects of the period's year, dated "
         "up to the end of the period."),
       [("ledger", "approved")], breakdowns=MONEY_DIMS, group="money"),
    _i("kc_contracted", _("KC money contracted"), VND, DONG,
       _("KC support in the signed contracts of the year's projects."),
       _("Sum of the ledger's CONTRACTED entries of the projects of the period's year, up to the end of the period."),
       [("ledger", "contracted")], breakdowns=MONEY_DIMS, group="money"),
    _i("kc_advanced", _("KC money advanced"), VND, DONG,
       _("Advances paid to the implementing units of the year's projects."),
       _("Sum of the ledger's ADVANCE entries of the projects of the period's year, up to the end of the period."),
       [("ledger", "advance")], breakdowns=MONEY_DIMS, group="money"),
    _i("kc_disbursed", _("KC money paid against accepted work"), VND, DONG,
       _("Payments made against the accepted work of the year's projects (advances not included)."),
       _("Sum of the ledger's DISBURSEMENT entries of the projects of the period's year, up to the end of the "
         "period."),
       [("ledger", "disbursement")], breakdowns=MONEY_DIMS, group="money"),
    _i("kc_settled", _("KC money settled"), VND, DONG,
       _("KC support settled (quyết toán) for the year's projects."),
       _("Sum of the ledger's SETTLEMENT entries of the projects of the period's year, up to the end of the period."),
       [("ledger", "settlement")], breakdowns=MONEY_DIMS, group="money"),
    _i("kc_paid", _("KC money paid out (advances + disbursements − refunds)"), VND, DONG,
       _("Money that left the budget for the year's projects and did not come back: advances and payments against "
         "accepted work, less refunds. The same sum as “paid” on a project's page."),
       _("Sum of the ledger's ADVANCE and DISBURSEMENT entries less its REFUND entries, of the projects of the "
         "period's year, up to the end of the period."),
       [("ledger", "paid")], breakdowns=MONEY_DIMS, group="money"),
    _i("disbursement_rate", _("Disbursement rate (paid out ÷ allocated)"), PERCENT, PCT,
       _("Share of the allocated KC money paid out: advances count as disbursed, refunds are taken off."),
       _("KC money paid out (advances + disbursements − refunds) ÷ KC money allocated × 100."),
       [("ledger", "paid")], denominator=[("ledger", "approved")], breakdowns=MONEY_DIMS, group="money"),
    _i("counterpart_funds", _("Counterpart funds mobilised"), VND, DONG,
       _("Money the beneficiaries and other sources put beside the KC support in the approved projects."),
       _("Sum of the counterpart funds and other sources of the contents of the approved projects of the "
         "period's year."),
       [("contents", "counterpart")], breakdowns=("province", "fund", "kind", "content", "year"), group="money"),
    # --- beneficiaries
    _i("establishments_supported", _("Establishments supported"), COUNT, pgettext_lazy("unit", "establishments"),
       _("Distinct rural industrial establishments that received KC support in the period's year: beneficiaries of "
         "an approved project, or a support recorded in the registry (history imported from the centres' lists)."),
       _("Count of establishments having a beneficiary link to an approved project of the period's year or a "
         "support record of that year; each establishment counts once."),
       [("establishments", "distinct")], breakdowns=("province", "gender", "ethnic", "kind"), group="beneficiaries"),
    _i("establishments_registered", _("Establishments in the registry"), COUNT,
       pgettext_lazy("unit", "establishments"),
       _("Rural industrial establishments in the registry today (not closed, duplicates merged): the base of the "
         "“per 1,000 establishments” comparisons."),
       _("Count of establishments of the registry whose status is not “closed” and that were not merged into "
         "another record."),
       [("registry", "establishments")], breakdowns=("province", "gender", "ethnic", "kind"),
       group="beneficiaries"),
    _i("support_turns", _("Support turns"), COUNT, pgettext_lazy("unit", "turns"),
       _("Times establishments were supported (lượt cơ sở): an establishment supported twice counts twice."),
       _("Beneficiary links of the approved projects of the period's year + support records of that year."),
       [("beneficiaries", "turns"), ("support_records", "turns")],
       breakdowns=("province", "fund", "year", "gender", "ethnic"), group="beneficiaries"),
    _i("demo_models", _("Demonstration models"), COUNT, pgettext_lazy("unit", "models"),
       _("Technical demonstration models built or replicated in the approved projects."),
       _("Count of approved project contents “demonstration model (new)” or “(replication)” of the period's year."),
       [("contents", "demo_models")], breakdowns=("province", "fund", "kind", "content", "year"),
       group="beneficiaries"),
    _i("machines_supported", _("Machines supported"), COUNT, pgettext_lazy("unit", "machines"),
       _("Support for advanced machinery and equipment in the approved projects."),
       _("Count of approved project contents “machinery and equipment” of the period's year."),
       [("contents", "machines")], breakdowns=("province", "fund", "kind", "year"), group="beneficiaries"),
    # --- events
    _i("training_courses", _("Training courses"), COUNT, pgettext_lazy("unit", "courses"),
       _("Vocational training and craft-passing courses held in the period."),
       _("Count of events of kind “training course”, held (held, reported or settled), starting in the period."),
       [("events", "training")], breakdowns=("province", "fund", "content", "year"), group="events"),
    _i("trainees", _("Trainees"), COUNT, pgettext_lazy("unit", "people"),
       _("People trained in the courses held in the period."),
       _("Count of participants with the role “trainee” of the training courses held in the period."),
       [("trainees", "trainees")], breakdowns=("province", "fund", "year", "gender"), group="events"),
    _i("trainees_attended", _("Trainees on a signed attendance list"), COUNT, pgettext_lazy("unit", "people"),
       _("Trainees whose presence is on at least one signed attendance list of the course (what settlement needs)."),
       _("Count of the trainees above with at least one entry in an uploaded, signed attendance list."),
       [("trainees", "attended")], breakdowns=("province", "fund", "year", "gender"), group="events"),
    _i("trainees_employed", _("Trainees employed"), COUNT, pgettext_lazy("unit", "people"),
       _("Trainees with a job after the course (confirmed by the employer)."),
       _("Count of the trainees above marked “employed after the course”."),
       [("trainees", "employed")], breakdowns=("province", "fund", "year", "gender"), group="events"),
    _i("study_tours", _("Study tours"), COUNT, pgettext_lazy("unit", "tours"),
       _("Domestic and overseas study tours held in the period."),
       _("Count of events of kind study tour (domestic or overseas) held, starting in the period."),
       [("events", "study_tours")], breakdowns=("province", "fund", "kind", "year"), group="events"),
    _i("fairs", _("Fairs and exhibitions"), COUNT, pgettext_lazy("unit", "fairs"),
       _("Fairs and exhibitions organised or attended in the period."),
       _("Count of events of kind fair (organised or attended) held, starting in the period."),
       [("events", "fairs")], breakdowns=("province", "fund", "kind", "year"), group="events"),
    _i("booths", _("Booths supported"), COUNT, pgettext_lazy("unit", "booths"),
       _("Establishments' booths supported at the fairs of the period."),
       _("Count of booths of the fairs held in the period."),
       [("booths", "booths")], breakdowns=("province", "fund", "year", "gender", "ethnic"), group="events"),
    # --- network
    _i("collaborators_active", _("Active collaborators"), COUNT, pgettext_lazy("unit", "collaborators"),
       _("KC collaborators active at the end of the period."),
       _("Count of collaborators whose last status by the end of the period is “active”."),
       [("collaborators", "active")], breakdowns=("province", "gender"), group="network"),
    _i("commune_coverage_rate", _("Commune coverage rate"), PERCENT, PCT,
       _("Share of today's communes with a collaborator covering them at the end of the period."),
       _("Communes with an open coverage at the end of the period ÷ communes of the province × 100."),
       [("coverage", "communes")], denominator=[("communes", "communes")], group="network"),
    _i("registrations_converted", _("Registrations turned into projects"), COUNT,
       pgettext_lazy("unit", "registrations"),
       _("Support-needs registrations collected by collaborators in the period that became a project proposal."),
       _("Count of field records “support needs registration” of the period linked to a project."),
       [("registrations", "converted")], breakdowns=("province", "year"), group="network"),
    _i("registration_conversion_rate", _("Registration conversion rate"), PERCENT, PCT,
       _("Share of the period's support-needs registrations that became a project proposal."),
       _("Registrations turned into projects ÷ registrations of the period × 100."),
       [("registrations", "converted")], denominator=[("registrations", "registrations")],
       breakdowns=("province", "year"), group="network"),
    # --- late
    _i("projects_late", _("Late projects"), COUNT, PROJECT,
       _("Projects whose current step, or monthly progress report, is past its deadline today: the projects the "
         "project list shows as late."),
       _("Count of the projects not closed, of the plans up to the period's year, whose next deadline (or, while "
         "running, next progress report) is before today."),
       [("late", "any")], breakdowns=COUNT_DIMS, group="late"),
    _i("projects_late_progress", _("Projects late in implementation"), COUNT, PROJECT,
       _("Approved, contracted or in-progress projects past the deadline of their current step or of their "
         "monthly progress report."),
       _("Count of projects approved, contracted or in progress whose next deadline or next progress report is "
         "before today."),
       [("late", "progress")], breakdowns=COUNT_DIMS, group="late"),
    _i("projects_late_acceptance", _("Projects late for acceptance"), COUNT, PROJECT,
       _("Contracted or in-progress projects whose planned end is past without acceptance."),
       _("Count of projects contracted or in progress whose planned end date is before today."),
       [("late", "acceptance")], breakdowns=COUNT_DIMS, group="late"),
    _i("projects_late_settlement", _("Projects late for settlement"), COUNT, PROJECT,
       _("Accepted projects whose settlement is past its deadline."),
       _("As “late projects”, for the statuses accepted and settlement submitted."),
       [("late", "settlement")], breakdowns=COUNT_DIMS, group="late"),
    # --- news
    _i("news_published", _("News articles published"), COUNT, pgettext_lazy("unit", "articles"),
       _("Articles of the KC portal published in the period, by the province that wrote them (national news has no "
         "province)."),
       _("Count of articles published (and not withdrawn) whose publication date is in the period."),
       [("news", "published")], breakdowns=("province", "year"), group="news"),
    # --- settlement
    _i("settlement_findings_open", _("Double-support findings waiting for a decision"), COUNT,
       pgettext_lazy("unit", "findings"),
       _("Possible double supports found by the checks and not yet cleared or upheld, of the projects of the period."),
       _("Count of findings open or explained, of projects of the period's years."),
       [("settlement_findings", "open")], breakdowns=("province", "year"), group="settlement"),
    _i("settlement_findings_upheld", _("Double supports upheld"), COUNT, pgettext_lazy("unit", "findings"),
       _("Findings the appraiser upheld: the same cost item was supported twice."),
       _("Count of findings upheld, of projects of the period's years."),
       [("settlement_findings", "upheld")], breakdowns=("province", "year"), group="settlement"),
    _i("settlement_refunded", _("Money taken back for double support"), VND, DONG,
       _("Refunds recorded in the projects' ledgers by upheld double-support findings."),
       _("Sum of the refund entries of upheld findings, of projects of the period's years."),
       [("settlement_findings", "refunded")], breakdowns=("province", "year"), group="settlement"),
    _i("settlement_at_risk", _("Settlements at risk of missing the deadline"), COUNT, PROJECT,
       _("Projects still settling whose settlement deadline is near or past (the lead time is a rule row)."),
       _("Count of projects in progress, accepted or with the settlement submitted, whose next deadline falls within "
         "the lead time of today or has passed."),
       [("settlement_at_risk", "projects")], breakdowns=("province", "year"), group="settlement"),
    # --- consulting
    _i("consulting_revenue", _("Revenue of the consulting services"), VND, DONG,
       _("Money received by the KC centres for their fee-based consulting services (supervision, design, energy "
         "audits…) in the period."),
       _("Sum of the payments received from clients whose date is in the period."),
       [("consulting_payments", "received")], breakdowns=("province", "year"), group="consulting"),
    _i("consulting_contracts_signed", _("Consulting contracts signed"), COUNT, pgettext_lazy("unit", "contracts"),
       _("Fee-based service contracts the KC centres signed in the period."),
       _("Count of service contracts whose signing date is in the period."),
       [("consulting_contracts", "signed")], breakdowns=("province", "year"), group="consulting"),
    _i("consulting_contract_value", _("Value of consulting contracts signed"), VND, DONG,
       _("Value (VAT included) of the fee-based service contracts signed in the period."),
       _("Sum of the value of service contracts whose signing date is in the period."),
       [("consulting_contracts", "value")], breakdowns=("province", "year"), group="consulting"),    # --- awards
    _i("award_entries", _("Products entered in award rounds"), COUNT, pgettext_lazy("unit", "products"),
       _("Products entered in the rural industrial product award rounds of the period's year, at every level."),
       _("Count of entries of the rounds whose year is the period's year."),
       [("award_entries", "entries")], breakdowns=("province", "year"), group="awards"),
    _i("award_certified", _("Typical rural industrial products certified"), COUNT, pgettext_lazy("unit", "products"),
       _("Certificates of typical rural industrial product issued in the period, at every level."),
       _("Count of certificates whose issue date is in the period."),
       [("award_certificates", "certified")], breakdowns=("province", "year"), group="awards"),
    *[_i(f"award_certified_{level}", name, COUNT, pgettext_lazy("unit", "products"),
         _("Certificates of typical rural industrial product issued in the period at this level."),
         _("Count of certificates of this level whose issue date is in the period."),
         [("award_certificates", f"level_{level}")], breakdowns=("province", "year"), group="awards")
      for level, name in (("commune", _("Products certified at commune level")),
                          ("province", _("Products certified at province level")),
                          ("region", _("Products certified at region level")),
                          ("national", _("Products certified at national level")))],
    *[_i(f"award_certified_{group}", name, COUNT, pgettext_lazy("unit", "products"),
         _("Certificates of typical rural industrial product issued in the period for this product group."),
         _("Count of certificates of products of this group whose issue date is in the period."),
         [("award_certificates", f"group_{group}")], breakdowns=("province", "year"), group="awards")
      for group, name in (("handicraft", _("Handicrafts certified")),
                          ("food", _("Processed food products certified")),
                          ("machinery", _("Machinery and mechanical products certified")),
                          ("other", _("Other products certified")))],
    # --- clusters
    _i("clusters_listed", _("Industrial clusters in the plan"), COUNT, pgettext_lazy("unit", "clusters"),
       _("Industrial clusters of the provincial plans entered in the register by the end of the period, not removed."),
       _("Count of clusters entered on or before the end of the period whose status is not “removed”."),
       [("clusters", "listed")], group="clusters"),
    _i("clusters_established", _("Industrial clusters established"), COUNT, pgettext_lazy("unit", "clusters"),
       _("Clusters established, building or operating (with or without an establishment decision)."),
       _("Count of clusters in these states on the day the figures stand at."),
       [("clusters", "established")], group="clusters"),
    _i("clusters_area", _("Area of established industrial clusters"), COUNT, pgettext_lazy("unit", "hectares"),
       _("Established area of the clusters established, building or operating, in whole hectares."),
       _("Sum of each cluster's established area (whole hectares)."),
       [("clusters", "area_ha")], group="clusters"),
    _i("clusters_occupancy", _("Occupancy of operating industrial clusters"), PERCENT, PCT,
       _("Industrial land leased or covered by an investment approval, over the industrial land of the operating "
         "clusters (NĐ 32/2024/NĐ-CP Điều 2), from each cluster's latest land snapshot."),
       _("100 × Σ (leased + approved land) ÷ Σ industrial land, recomputed from the summed land."),
       [("cluster_land", "occupied")], denominator=[("cluster_land", "industrial")], group="clusters"),
    _i("clusters_wastewater_ok", _("Operating clusters whose wastewater treatment meets the standard"), PERCENT, PCT,
       _("Operating clusters with a wastewater treatment plant in use whose discharge meets the standard, over the "
         "operating clusters."),
       _("100 × compliant plants ÷ operating clusters."),
       [("cluster_wastewater", "compliant")], denominator=[("clusters", "operating")], group="clusters"),
    # --- extraction
    _i("extraction_read", _("News articles read into activity records"), COUNT, pgettext_lazy("unit", "articles"),
       _("Articles about KC activities pasted by staff or published on the portal and read into a record for review, "
         "by today's province of the organiser (empty when the organiser was not recognised)."),
       _("Count of articles read whose reading date is in the period."),
       [("extraction", "read")], breakdowns=("province", "year"), group="extraction"),
    _i("extraction_accepted", _("Articles accepted as event records"), COUNT, pgettext_lazy("unit", "articles"),
       _("Articles read whose record staff reviewed and accepted, creating an event or adding to one."),
       _("Count of articles read in the period whose review ended in acceptance."),
       [("extraction", "accepted")], breakdowns=("province", "year"), group="extraction"),
]}
