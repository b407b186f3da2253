"""Reads of the collaborator network shared by pages, exports and the API: scoped to the user, N+1-free.

Staff of a province (and national users) see the province's network. A collaborator, whose account is scoped to
listed communes, sees only their own record, field records and tasks, and their province's announcements.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from khuyencong.accounts.scope import user_scope
from khuyencong.core.audit import audit_events_for
from khuyencong.core.figures import format_percent, rate_percent
from khuyencong.core.periods import Period
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit, Succession
from khuyencong.registry.models import Establishment, EstablishmentStatus, Sector
from khuyencong.registry.parsing import parse_phone
from khuyencong.rules.models import EntityType, SmeSize
from khuyencong.rules.selectors import content_list

from . import performance
from .models import (
    Announcement,
    AnnouncementRead,
    ApplicationStatus,
    Collaborator,
    CollaboratorApplication,
    CollaboratorStatus,
    CollaboratorStatusChange,
    CollaboratorTask,
    Coverage,
    EstablishmentProposal,
    FeeSheet,
    FieldRecord,
    Regulation,
    TaskStatus,
)
from .permissions import covered_commune_ids


def _scoped(qs: QuerySet, user, *, province: str = "province_id", own: str | None = None) -> QuerySet:
    """Rows of whole provinces in the user's scope; for a commune-scoped account only its own rows (`own` names the
    lookup to the owning user, None when such accounts see nothing of this kind)."""
    scope = user_scope(user)
    if scope.national:
        return qs
    condition = Q(**{f"{province}__in": scope.province_ids}) if scope.province_ids else Q(pk__in=[])
    if own and scope.commune_ids | scope.commune_province_ids:
        condition |= Q(**{own: user}) & Q(**{f"{province}__in": scope.commune_province_ids | scope.province_ids})
    return qs.filter(condition)


def my_collaborator(user) -> Collaborator | None:
    """The collaborator record linked to this account (cached for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_kc_collaborator"):
        user._kc_collaborator = Collaborator.objects.select_related("province", "regulation").filter(user=user).first()
    return user._kc_collaborator


# --- regulations ------------------------------------------------------------------------------------------------------


def regulation_in_force(province, on_date: datetime.date | None = None) -> Regulation | None:
    on_date = on_date or timezone.localdate()
    province_id = province.pk if isinstance(province, AdminUnit) else province
    return (
        Regulation.objects.filter(province_id=province_id, effective_from__lte=on_date)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on_date))
        .select_related("province")
        .prefetch_related("standards", "criteria")
        .order_by("-effective_from", "-id")
        .first()
    )


def regulation_list(*, user, province_id: int | None = None) -> QuerySet[Regulation]:
    qs = _scoped(Regulation.objects.all(), user)
    if province_id:
        qs = qs.filter(province_id=province_id)
    return qs.select_related("province").prefetch_related("standards", "criteria").order_by("province__code",
                                                                                            "-effective_from")


def regulation_get(*, user, pk: int) -> Regulation | None:
    return regulation_list(user=user).filter(pk=pk).first()


# --- collaborators ----------------------------------------------------------------------------------------------------


@dataclass
class CollaboratorFilters:
    q: str = ""
    province: int | None = None  # province code
    status: str = ""
    commune: int | None = None  # current commune id


def _open_coverages() -> Prefetch:
    return Prefetch("coverages", queryset=Coverage.objects.filter(end_date__isnull=True).select_related("unit")
                    .order_by("unit__name"), to_attr="open_coverages")


def collaborator_list(*, user, filters: CollaboratorFilters | None = None) -> QuerySet[Collaborator]:
    f = filters or CollaboratorFilters()
    qs = _scoped(Collaborator.objects.all(), user, own="user")
    for word in fold(f.q).split():
        qs = qs.filter(Q(name_folded__contains=word) | Q(code__icontains=word) | Q(phone__contains=word))
    if f.province:
        qs = qs.filter(province__code=f.province)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.commune:
        qs = qs.filter(Exists(Coverage.objects.filter(collaborator=OuterRef("pk"), unit_id=f.commune,
                                                      end_date__isnull=True)))
    return (qs.select_related("province", "user", "residence_commune").prefetch_related(_open_coverages())
            .order_by("province__code", "name_folded", "id"))


def collaborator_get(*, user, pk: int) -> Collaborator | None:
    return (
        collaborator_list(user=user).filter(pk=pk)
        .select_related("regulation")
        .prefetch_related(
            Prefetch("coverages", queryset=Coverage.objects.select_related("unit__parent", "moved_from__unit")
                     .order_by("-start_date", "-id"), to_attr="all_coverages"),
            "status_changes",
        )
        .first()
    )


def collaborator_counts(province: AdminUnit) -> dict[str, int]:
    """How many collaborators of the province are in each status (every status, zero included)."""
    counts = dict(Collaborator.objects.filter(province=province).values_list("status").annotate(n=Count("pk"))
                  .order_by())
    return {status: counts.get(status, 0) for status in CollaboratorStatus.values}


def terms_ending(province: AdminUnit, today: datetime.date, days: int = 60) -> QuerySet[Collaborator]:
    """Active collaborators whose term ends within `days` (or has ended without a new decision), soonest first."""
    return Collaborator.objects.filter(province=province, status=CollaboratorStatus.ACTIVE,
                                       term_end__lte=today + datetime.timedelta(days=days)).order_by("term_end")


def collaborator_history(*, collaborator: Collaborator):
    return audit_events_for(collaborator)[:100]


# --- applications -----------------------------------------------------------------------------------------------------


def application_list(*, user, status: str = "", province: int | None = None) -> QuerySet[CollaboratorApplication]:
    qs = _scoped(CollaboratorApplication.objects.all(), user)
    if status:
        qs = qs.filter(status=status)
    if province:
        qs = qs.filter(province__code=province)
    return (qs.select_related("province", "residence_commune", "collaborator")
            .prefetch_related(Prefetch("communes", queryset=AdminUnit.objects.order_by("name")))
            .order_by("-submitted_at", "-id"))


def application_get(*, user, pk: int) -> CollaboratorApplication | None:
    return application_list(user=user).select_related("regulation", "decided_by").filter(pk=pk).first()


def application_status_lookup(*, reference: str, phone: str) -> CollaboratorApplication | None:
    """The public status check (no account): the application whose reference AND phone number both match, else None.
    The page answers the same "not found" whichever of the two is wrong, so a reference alone reveals nothing."""
    reference = (reference or "").strip().upper()
    try:
        phone = parse_phone(phone)
    except ValueError:
        return None
    if not reference:
        return None
    return (CollaboratorApplication.objects.select_related("province")
            .filter(reference=reference, phone=phone).first())


# --- establishments proposed from the field ---------------------------------------------------------------------------


def establishment_proposal_list(*, user, status: str = "", province: int | None = None,
                                ) -> QuerySet[EstablishmentProposal]:
    """The proposals of the provinces the user sees wholly (the centre reviews them), and a collaborator's own."""
    qs = _scoped(EstablishmentProposal.objects.all(), user, own="collaborator__user")
    if status:
        qs = qs.filter(status=status)
    if province:
        qs = qs.filter(province__code=province)
    return (qs.select_related("collaborator", "commune", "province", "establishment")
            .prefetch_related(Prefetch("sectors", queryset=Sector.objects.order_by("order", "code")))
            .order_by("-created_at", "-id"))


def establishment_proposal_get(*, user, pk: int) -> EstablishmentProposal | None:
    return establishment_proposal_list(user=user).select_related("reviewed_by").filter(pk=pk).first()


def proposal_registry_matches(proposal: EstablishmentProposal, limit: int = 10) -> list[Establishment]:
    """Records of the registry the proposal may duplicate: the same name in the commune, or the same phone in the
    province (the registry's duplicate rules), for the reviewer to compare."""
    condition = Q(commune_id=proposal.commune_id, name_folded=fold(proposal.name))
    if proposal.phone:
        condition |= Q(province_id=proposal.province_id, phone=proposal.phone)
    return list(Establishment.objects.filter(condition, merged_into__isnull=True).exclude(
        pk=proposal.establishment_id).select_related("commune").order_by("name_folded", "id")[:limit])


# --- field records ----------------------------------------------------------------------------------------------------


@dataclass
class FieldRecordFilters:
    kind: str = ""
    status: str = ""
    collaborator: int | None = None
    province: int | None = None


def field_record_list(*, user, filters: FieldRecordFilters | None = None) -> QuerySet[FieldRecord]:
    f = filters or FieldRecordFilters()
    qs = _scoped(FieldRecord.objects.all(), user, own="collaborator__user")
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.collaborator:
        qs = qs.filter(collaborator_id=f.collaborator)
    if f.province:
        qs = qs.filter(province__code=f.province)
    return qs.select_related("collaborator", "commune", "establishment", "project", "province").order_by(
        "-occurred_on", "-id")


def field_record_get(*, user, pk: int) -> FieldRecord | None:
    return field_record_list(user=user).select_related("reviewed_by").filter(pk=pk).first()


# --- tasks and announcements ------------------------------------------------------------------------------------------


@dataclass
class TaskFilters:
    status: str = ""
    collaborator: int | None = None
    overdue: bool = False
    province: int | None = None


def task_list(*, user, filters: TaskFilters | None = None, today: datetime.date | None = None) -> QuerySet:
    f = filters or TaskFilters()
    qs = _scoped(CollaboratorTask.objects.all(), user, own="collaborator__user")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.collaborator:
        qs = qs.filter(collaborator_id=f.collaborator)
    if f.province:
        qs = qs.filter(province__code=f.province)
    if f.overdue:
        qs = qs.filter(status=TaskStatus.OPEN, due_date__lt=today or timezone.localdate())
    return qs.select_related("collaborator", "commune", "establishment", "province").order_by("status", "due_date",
                                                                                               "id")


def task_get(*, user, pk: int) -> CollaboratorTask | None:
    return task_list(user=user).filter(pk=pk).first()


def announcement_list(*, user, province: int | None = None) -> QuerySet[Announcement]:
    """Announcements of the user's provinces (a collaborator sees those of their province), with how many of the
    province's active collaborators read each and whether this user's collaborator record did."""
    scope = user_scope(user)
    qs = Announcement.objects.all()
    if not scope.national:
        qs = qs.filter(province_id__in=scope.province_ids | scope.commune_province_ids)
    if province:
        qs = qs.filter(province__code=province)
    me = my_collaborator(user)
    qs = qs.annotate(read_count=Count("reads", distinct=True))
    if me is not None:
        qs = qs.annotate(read_by_me=Exists(AnnouncementRead.objects.filter(announcement=OuterRef("pk"),
                                                                           collaborator=me)))
    return qs.select_related("province", "author").order_by("-published_at", "-id")


def announcement_get(*, user, pk: int) -> Announcement | None:
    return announcement_list(user=user).filter(pk=pk).first()


def announcement_readers(announcement: Announcement) -> list[dict]:
    """Each active collaborator of the province, and when they read the announcement (None: not yet)."""
    reads = dict(announcement.reads.values_list("collaborator_id", "read_at"))
    collaborators = Collaborator.objects.filter(province_id=announcement.province_id,
                                                status=CollaboratorStatus.ACTIVE).order_by("name_folded")
    rows = [{"collaborator": c, "read_at": reads.get(c.pk)} for c in collaborators]
    return sorted(rows, key=lambda r: (r["read_at"] is None, r["collaborator"].name_folded))


# --- fees -------------------------------------------------------------------------------------------------------------


def fee_sheet_list(*, user, province: int | None = None) -> QuerySet[FeeSheet]:
    qs = _scoped(FeeSheet.objects.all(), user)
    if province:
        qs = qs.filter(province__code=province)
    return qs.select_related("province", "regulation", "signed_by", "prepared_by").annotate(
        line_count=Count("lines")).order_by("-year", "-number", "province__code")


def fee_sheet_get(*, user, pk: int) -> FeeSheet | None:
    return fee_sheet_list(user=user).filter(pk=pk).first()


def fee_sheet_period(sheet: FeeSheet) -> Period:
    return Period.of(sheet.period_kind, sheet.year, sheet.number)


def fee_sheet_lines(sheet: FeeSheet):
    return sheet.lines.select_related("collaborator").order_by("-total_vnd", "collaborator__name_folded")


# --- performance ------------------------------------------------------------------------------------------------------


@dataclass
class PerformanceRow:
    collaborator: Collaborator
    activity: performance.Activity
    score: Decimal | None  # None when no regulation was in force to score by
    rank: int | None = None


def performance_ranking(province: AdminUnit, period: Period) -> tuple[list[PerformanceRow], Regulation | None]:
    """Every collaborator of the province who was active in the period or has activity in it, scored by the
    criteria of the regulation in force at the period's end, ranked by score (equal scores share a rank). The page,
    its export and the API read the same rows."""
    regulation = regulation_in_force(province, min(period.end, timezone.localdate())) or \
        regulation_in_force(province, period.start)
    collaborators = list(Collaborator.objects.filter(province=province).exclude(status=CollaboratorStatus.APPLICANT)
                         .order_by("name_folded"))
    activity = performance.activity_for([c.pk for c in collaborators], period)
    criteria = list(regulation.criteria.all()) if regulation else []
    rows = []
    for c in collaborators:
        act = activity[c.pk]
        if not act.anything:
            continue
        rows.append(PerformanceRow(c, act, performance.score(criteria, act) if regulation else None))
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.collaborator.name_folded))
    rank = 0
    for i, row in enumerate(rows):
        if row.score is not None and (i == 0 or row.score != rows[i - 1].score):
            rank = i + 1
        row.rank = rank if row.score is not None else None
    return rows, regulation


def collaborator_figures(collaborator: Collaborator, periods: list[Period],
                         regulation: Regulation | None) -> list[dict]:
    """One collaborator's activity in each period, with the score and the fees it earns under `regulation` (no score
    nor fees without one)."""
    criteria = list(regulation.criteria.all()) if regulation else []
    scheme = performance.scheme_of(regulation) if regulation else None
    rows = []
    for period in periods:
        act = performance.activity_for([collaborator.pk], period)[collaborator.pk]
        rows.append({"period": period, "a": act, "score": performance.score(criteria, act) if regulation else None,
                     "fees": performance.fees(scheme, act) if regulation else None})
    return rows


# --- coverage ---------------------------------------------------------------------------------------------------------


def _status_on(on_date: datetime.date, collaborator: str = "pk"):
    """A collaborator's status on a day: their last status change by then, or (without any recorded change by then)
    their status today."""
    last = (CollaboratorStatusChange.objects.filter(collaborator=OuterRef(collaborator), on_date__lte=on_date)
            .order_by("-on_date", "-id").values("status")[:1])
    prefix = "" if collaborator == "pk" else "collaborator__"
    return Coalesce(Subquery(last), F(f"{prefix}status"))


def collaborators_active_on(on_date: datetime.date) -> QuerySet[Collaborator]:
    """Collaborators active on a day, from the status history the flows keep: the indicator catalogue's
    `collaborators_active` and the coverage below. The network home's count by today's status
    (`collaborator_counts`) is the same number while the history is kept (reporting's test_figure_agreement)."""
    return (Collaborator.objects.annotate(status_then=_status_on(on_date))
            .filter(status_then=CollaboratorStatus.ACTIVE))


def coverage_on(on_date: datetime.date) -> QuerySet[Coverage]:
    """Coverage rows in force on a day (started by then, not ended before it: the end date is the last day covered)
    held by a collaborator active on that day. THE definition of "a commune is covered": the network's coverage
    page and home, and the indicator catalogue (`commune_coverage_rate`) all read it, so a suspended
    collaborator's open coverage counts nowhere."""
    return (Coverage.objects.filter(start_date__lte=on_date)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on_date))
            .annotate(collaborator_status_then=_status_on(on_date, "collaborator_id"))
            .filter(collaborator_status_then=CollaboratorStatus.ACTIVE))


@dataclass
class CommuneCoverage:
    commune: AdminUnit
    collaborators: list = field(default_factory=list)
    establishments: int = 0
    former: list = field(default_factory=list)  # names of the units it was formed from

    @property
    def covered(self) -> bool:
        return bool(self.collaborators)


@dataclass
class AreaRate:
    unit: AdminUnit
    total: int
    covered: int
    parent: AdminUnit | None = None

    @property
    def rate(self) -> float:
        return self.covered / self.total if self.total else 0.0


@dataclass
class CoverageSummary:
    province: AdminUnit
    communes: list[CommuneCoverage]
    legacy_provinces: list[AreaRate]
    legacy_districts: list[AreaRate]
    legacy_open: int  # open coverage on former units, waiting to be moved

    @property
    def total(self) -> int:
        return len(self.communes)

    @property
    def covered(self) -> int:
        return sum(1 for row in self.communes if row.covered)

    @property
    def rate(self) -> float:
        return self.covered / self.total if self.total else 0.0

    @property
    def rate_display(self) -> str:
        """"92,1 %": written as the dashboard writes the indicator `commune_coverage_rate`."""
        return format_percent(rate_percent(self.covered, self.total))

    @property
    def gaps(self) -> list[CommuneCoverage]:
        """Uncovered communes, those with the most establishments first."""
        return sorted((row for row in self.communes if not row.covered),
                      key=lambda row: (-row.establishments, row.commune.name))

    @property
    def overlaps(self) -> list[CommuneCoverage]:
        return [row for row in self.communes if len(row.collaborators) > 1]


def coverage_summary(province: AdminUnit, today: datetime.date | None = None) -> CoverageSummary:
    """Today's communes of the province, who covers each (active collaborators only), how many establishments each
    holds, and the coverage rate of every former province and district through the succession table. A fixed
    number of queries for any province size."""
    communes = list(AdminUnit.objects.current().communes().filter(province=province).order_by("name"))
    by_id = {c.pk: CommuneCoverage(commune=c) for c in communes}
    open_rows = (coverage_on(today or timezone.localdate()).filter(province=province)
                 .select_related("collaborator", "unit").order_by("collaborator__name_folded"))
    legacy_open = 0
    for row in open_rows:
        if row.unit_id in by_id:
            by_id[row.unit_id].collaborators.append(row.collaborator)
        elif row.unit.scheme == "legacy":
            legacy_open += 1
    counts = (Establishment.objects.filter(province=province, merged_into__isnull=True)
              .values("commune_id").annotate(n=Count("pk")).order_by())
    for row in counts:
        if row["commune_id"] in by_id:
            by_id[row["commune_id"]].establishments = row["n"]
    covered_ids = {pk for pk, row in by_id.items() if row.covered}

    # Former units: districts and communes that passed (whole or in part) to this province's communes.
    successions = (Succession.objects.filter(current__in=communes)
                   .select_related("legacy__parent", "legacy__province").order_by())
    district_targets: dict[int, set[int]] = defaultdict(set)
    province_targets: dict[int, set[int]] = defaultdict(set)
    units: dict[int, AdminUnit] = {}
    for s in successions:
        legacy = s.legacy
        if legacy.level == "commune":
            by_id[s.current_id].former.append(legacy.name)
            if legacy.province_id:
                province_targets[legacy.province_id].add(s.current_id)
                units[legacy.province_id] = legacy.province
        elif legacy.level == "district":
            district_targets[legacy.pk].add(s.current_id)
            units[legacy.pk] = legacy
    districts = sorted(
        (AreaRate(unit=units[pk], total=len(ids), covered=len(ids & covered_ids), parent=units[pk].parent)
         for pk, ids in district_targets.items()),
        key=lambda r: (r.parent.name if r.parent else "", r.unit.name))
    provinces = sorted((AreaRate(unit=units[pk], total=len(ids), covered=len(ids & covered_ids))
                        for pk, ids in province_targets.items()), key=lambda r: r.unit.name)
    for row in by_id.values():
        row.former.sort()
    return CoverageSummary(province=province, communes=list(by_id.values()), legacy_provinces=provinces,
                           legacy_districts=districts, legacy_open=legacy_open)


def map_points(province: AdminUnit, summary: CoverageSummary, limit: int = 3000) -> list[dict]:
    """Establishments with a GPS point, coloured by whether their commune is covered. AdminUnit has no coordinates,
    so communes without any located establishment are listed beside the map instead."""
    covered = {row.commune.pk: [c.full_name for c in row.collaborators] for row in summary.communes}
    rows = (Establishment.objects.filter(province=province, merged_into__isnull=True, latitude__isnull=False,
                                         longitude__isnull=False)
            .values("pk", "name", "commune_id", "commune__name", "latitude", "longitude").order_by("pk")[:limit])
    return [{"id": r["pk"], "name": r["name"], "commune": r["commune__name"], "lat": float(r["latitude"]),
             "lng": float(r["longitude"]), "by": covered.get(r["commune_id"], [])} for r in rows]


# --- reorganisation after the mergers ---------------------------------------------------------------------------------


@dataclass
class MoveCandidate:
    commune: AdminUnit
    partial: bool
    covered_by: list  # names of other active collaborators already covering it
    proposed: bool
    also_for: list = field(default_factory=list)  # other collaborators of the former network it is proposed to


@dataclass
class MoveRow:
    coverage: Coverage
    candidates: list[MoveCandidate]


def reassignment_plan(province: AdminUnit) -> tuple[list[MoveRow], list[AdminUnit]]:
    """Open coverage on former units of the province with the current communes each passed to (the succession
    table), marking communes someone already covers; and the communes that would stay uncovered after the move."""
    rows = list(Coverage.objects.filter(province=province, end_date__isnull=True, unit__scheme="legacy",
                                        collaborator__status=CollaboratorStatus.ACTIVE)
                .select_related("collaborator", "unit__parent").order_by("collaborator__name_folded", "unit__name"))
    successors: dict[int, list[Succession]] = defaultdict(list)
    for s in (Succession.objects.filter(legacy_id__in={r.unit_id for r in rows}, current__province=province)
              .select_related("current").order_by("current__name")):
        successors[s.legacy_id].append(s)
    current_cover: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for c in (Coverage.objects.filter(province=province, end_date__isnull=True, unit__scheme="current",
                                      collaborator__status=CollaboratorStatus.ACTIVE)
              .select_related("collaborator")):
        current_cover[c.unit_id].append((c.collaborator_id, c.collaborator.full_name))
    plan = []
    targeted: dict[int, list[tuple[int, str]]] = {}  # commune → the former-network collaborator proposed
    for row in rows:
        candidates = []
        for s in successors[row.unit_id]:
            covering = current_cover.get(s.current_id, [])
            others = [name for pk, name in covering if pk != row.collaborator_id]
            mine = any(pk == row.collaborator_id for pk, _name in covering)
            # A commune is proposed to one former-network collaborator only: the first in the list.
            rivals = [name for pk, name in targeted.get(s.current_id, []) if pk != row.collaborator_id]
            proposed = not others and not mine and not rivals
            if proposed:
                targeted.setdefault(s.current_id, []).append((row.collaborator_id, row.collaborator.full_name))
            candidates.append(MoveCandidate(commune=s.current, partial=s.partial, covered_by=others,
                                            proposed=proposed, also_for=rivals))
        plan.append(MoveRow(coverage=row, candidates=candidates))
    gaps = [c for c in AdminUnit.objects.current().communes().filter(province=province).order_by("name")
            if c.pk not in current_cover and c.pk not in targeted]
    return plan, gaps


# --- a collaborator's own page ----------------------------------------------------------------------------------------


def open_tasks(collaborator: Collaborator) -> QuerySet[CollaboratorTask]:
    return (collaborator.tasks.filter(status=TaskStatus.OPEN).select_related("commune", "establishment")
            .order_by("due_date", "id"))


def recent_records(collaborator: Collaborator, limit: int = 10) -> QuerySet[FieldRecord]:
    return (collaborator.field_records.select_related("commune", "establishment", "project")
            .order_by("-occurred_on", "-id")[:limit])


def pending_counts(province_ids) -> dict[str, int]:
    """What waits for the centre: applications, field records to review, needs to convert, overdue tasks."""
    today = timezone.localdate()
    return {
        "applications": CollaboratorApplication.objects.filter(province_id__in=province_ids,
                                                               status=ApplicationStatus.SUBMITTED).count(),
        "records": FieldRecord.objects.filter(province_id__in=province_ids, status="submitted").count(),
        "needs": FieldRecord.objects.filter(province_id__in=province_ids, kind="need",
                                            status__in=["submitted", "accepted"]).count(),
        "overdue": CollaboratorTask.objects.filter(province_id__in=province_ids, status=TaskStatus.OPEN,
                                                   due_date__lt=today).count(),
    }


def establishments_for(collaborator: Collaborator, q: str = "") -> QuerySet[Establishment]:
    """Establishments in the communes the collaborator covers today (what they may survey and register)."""
    qs = Establishment.objects.filter(commune_id__in=covered_commune_ids(collaborator), merged_into__isnull=True)
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    return qs.select_related("commune").order_by("commune__name", "name_folded", "id")


# --- the phone's working set ------------------------------------------------------------------------------------------

WORKING_SET_FIELDS = ("representative", "phone", "employees", "main_products", "address", "status", "latitude",
                      "longitude")


def working_set(user, *, today: datetime.date | None = None) -> dict | None:
    """What a collaborator's phone keeps to work without signal: the establishments of the communes they cover (with
    the version of each, so a survey made on an older copy is recognised), their open tasks, the province's latest
    announcements and the choice lists of the forms. A fixed number of queries, whatever the size."""
    collaborator = my_collaborator(user)
    if collaborator is None:
        return None
    today = today or timezone.localdate()
    communes = list(AdminUnit.objects.filter(pk__in=covered_commune_ids(collaborator)).order_by("name")
                    .values("id", "code", "name"))
    establishments = [
        {"id": e.pk, "name": e.name, "commune": e.commune.code, "commune_name": e.commune.name, "version": e.version,
         **{k: (str(getattr(e, k)) if k in ("latitude", "longitude") and getattr(e, k) is not None
                else getattr(e, k)) for k in WORKING_SET_FIELDS}}
        for e in establishments_for(collaborator)]
    tasks = [{"id": t.pk, "title": t.title, "description": t.description, "due_date": t.due_date,
              "commune": t.commune.name if t.commune_id else "", "establishment": t.establishment.name
              if t.establishment_id else "", "version": t.version} for t in open_tasks(collaborator)]
    announcements = [{"id": a.pk, "title": a.title, "body": a.body[:2000], "published_at": a.published_at}
                     for a in announcement_list(user=user)[:10]]
    return {
        "collaborator": {"code": collaborator.code, "full_name": collaborator.full_name},
        "communes": [{"code": c["code"], "name": c["name"]} for c in communes],
        "establishments": establishments,
        "tasks": tasks,
        "announcements": announcements,
        "choices": {
            "contents": [{"code": c.code, "name": c.name} for c in content_list(on_date=today)],
            "entity_types": [{"code": k, "name": str(v)} for k, v in EntityType.choices],
            "sme_sizes": [{"code": k, "name": str(v)} for k, v in SmeSize.choices],
            "statuses": [{"code": k, "name": str(v)} for k, v in EstablishmentStatus.choices],
        },
        "generated_at": timezone.now(),
    }
