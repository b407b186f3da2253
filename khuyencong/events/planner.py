"""The study-tour planner: given topics and a home province, which provinces to learn from, and why.

Each candidate (one of today's provinces other than home) is scored on evidence that is shown beside the score:

* its model practices on the topics (marked by the province itself, with evidence): 3 points each;
* lessons other provinces drew there on the topics: 2 points each;
* indicators computed from the system's own data, each scaled 0–1 against the best candidate: up to 2 points each;
* being in the home region (configuration, see regions.py): 1 point.

Counts are read with a fixed number of grouped queries, whatever the number of provinces. An indicator the data cannot
give says what is missing instead of a number. A share is drawn as a bar as wide as its percentage.

`budget_estimate` drafts the tour's itinerary and budget lines, in the visiting order the user set, each line priced
from the cost norms of the rules (`rules.engine.cost_norm`) or by the user: a rate that is unknown or unverified is
said so on the line and counted among the lines still to price, never taken as 0 ₫.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from khuyencong.core.money import format_vnd
from khuyencong.geo.models import AdminUnit
from khuyencong.projects.models import Project
from khuyencong.rules import engine
from khuyencong.rules.models import CostItem, CostNorm, Mark

from . import selectors
from .models import Lesson, ModelPractice
from .regions import region_label, region_of
from .vocab import FAIRS, EventKind, LineKind, Topic

PRACTICE_POINTS = 3
LESSON_POINTS = 2
INDICATOR_POINTS = 2
REGION_POINTS = 1
SHOWN_PER_CANDIDATE = 4


@dataclass
class Indicator:
    key: str
    topic: str
    label: str
    value: str
    raw: float = 0.0
    strength: float = 0.0  # raw scaled against the best candidate, 0–1 (for the score only)
    percent: int | None = None  # a share, 0–100: the bar drawn beside the value is this wide; a count has no bar


@dataclass
class Candidate:
    province: AdminUnit
    region: str
    same_region: bool
    practice_count: int = 0
    lesson_count: int = 0
    practices: list = field(default_factory=list)
    lessons: list = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    score: float = 0.0
    breakdown: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class PlannerResult:
    home: AdminUnit
    topics: list[str]
    candidates: list[Candidate]
    missing: list[str]  # indicators the data could not give, and why


def _percent(part: int, whole: int) -> int | None:
    return min(100, max(0, round(100 * part / whole))) if whole else None


def _pct(part: int, whole: int) -> str:
    return f"{_percent(part, whole)}%" if whole else "—"


# --- indicators by topic: each returns ({province_id: Indicator-like tuple}, missing note or "")


def _collaborator_network(province_ids) -> tuple[dict, list[str]]:
    try:
        from khuyencong.network.models import (
            Collaborator,
            CollaboratorStatus,
            Coverage,
            FieldKind,
            FieldRecord,
            RecordStatus,
        )
    except ImportError:  # the network module is optional for the planner
        return {}, [_("Collaborator network: the network module is not installed, so coverage and conversions "
                      "cannot be computed.")]
    active = dict(Collaborator.objects.filter(province_id__in=province_ids, status=CollaboratorStatus.ACTIVE)
                  .values("province_id").annotate(n=Count("id")).values_list("province_id", "n"))
    covered = dict(Coverage.objects.filter(province_id__in=province_ids, end_date__isnull=True,
                                           unit__scheme="current", unit__level="commune")
                   .values("province_id").annotate(n=Count("unit_id", distinct=True)).values_list("province_id", "n"))
    communes = dict(AdminUnit.objects.current().communes().filter(province_id__in=province_ids)
                    .values("province_id").annotate(n=Count("id")).values_list("province_id", "n"))
    # A registration counts as converted once it is linked to a project or marked as turned into a proposal.
    converted = Q(project__isnull=False) | Q(status=RecordStatus.CONVERTED)
    needs = {r["province_id"]: r for r in FieldRecord.objects.filter(province_id__in=province_ids,
                                                                       kind=FieldKind.NEED)
             .exclude(status=RecordStatus.REJECTED)
             .values("province_id").annotate(n=Count("id"), converted=Count("id", filter=converted))}
    result = {}
    for pid in province_ids:
        rows = []
        if active.get(pid):
            rows.append(Indicator("collaborators_active", Topic.COLLABORATOR_NETWORK, _("Active collaborators"),
                                  str(active[pid]), active[pid]))
        if covered.get(pid):
            rate = covered[pid] / communes[pid] if communes.get(pid) else 0
            rows.append(Indicator("coverage", Topic.COLLABORATOR_NETWORK, _("Communes covered by a collaborator"),
                                  f"{covered[pid]}/{communes.get(pid, 0)} ({_pct(covered[pid], communes.get(pid, 0))})",
                                  rate, percent=_percent(covered[pid], communes.get(pid, 0))))
        need = needs.get(pid)
        if need and need["n"]:
            rows.append(Indicator("conversions", Topic.COLLABORATOR_NETWORK,
                                  _("Needs registrations turned into projects"),
                                  f"{need['converted']}/{need['n']} ({_pct(need['converted'], need['n'])})",
                                  need["converted"] / need["n"], percent=_percent(need["converted"], need["n"])))
        if rows:
            result[pid] = rows
    return result, []


DEMO_CONTENTS = ("demo_model_new", "demo_model_replication")
ACCEPTED_OR_LATER = ("accepted", "settlement_submitted", "settled", "archived")
APPROVED_OR_LATER = ("approved", "contracted", "in_progress", *ACCEPTED_OR_LATER)


def _projects():
    return Project.objects


def _demonstration_models(province_ids) -> tuple[dict, list[str]]:
    rows = (_projects().filter(province_id__in=province_ids, contents__content__code__in=DEMO_CONTENTS)
            .values("province_id")
            .annotate(models=Count("id", distinct=True),
                      accepted=Count("id", distinct=True, filter=Q(status__in=ACCEPTED_OR_LATER)),
                      replication=Count("id", distinct=True,
                                        filter=Q(contents__content__code="demo_model_replication"))))
    result = {}
    for r in rows:
        items = [Indicator("demo_accepted", Topic.DEMONSTRATION_MODELS, _("Demonstration models accepted"),
                           f"{r['accepted']}/{r['models']}", r["accepted"] + 0.25 * r["models"],
                           percent=_percent(r["accepted"], r["models"]))]
        if r["replication"]:
            items.append(Indicator("demo_replicated", Topic.DEMONSTRATION_MODELS,
                                   _("Models at efficient establishments for replication"), str(r["replication"]),
                                   r["replication"]))
        result[r["province_id"]] = items
    return result, []


def _settlement(province_ids) -> tuple[dict, list[str]]:
    rows = (_projects().filter(province_id__in=province_ids, status__in=ACCEPTED_OR_LATER).values("province_id")
            .annotate(accepted=Count("id"), settled=Count("id", filter=Q(status__in=("settled", "archived")))))
    result = {r["province_id"]: [Indicator("settled_share", Topic.SETTLEMENT, _("Accepted projects settled"),
                                           f"{r['settled']}/{r['accepted']} ({_pct(r['settled'], r['accepted'])})",
                                           r["settled"] / r["accepted"], percent=_percent(r["settled"], r["accepted"]))]
              for r in rows if r["accepted"]}
    return result, [_("Settlement: the share settled on time needs each project's settlement deadline history, "
                      "which is not recorded yet; the share of accepted projects settled is shown instead.")]


def _project_management(province_ids) -> tuple[dict, list[str]]:
    rows = (_projects().filter(province_id__in=province_ids, status__in=APPROVED_OR_LATER).values("province_id")
            .annotate(n=Count("id")))
    return {r["province_id"]: [Indicator("projects_approved", Topic.PROJECT_MANAGEMENT,
                                         _("KC projects approved or further"), str(r["n"]), r["n"])]
            for r in rows}, []


def _training(province_ids) -> tuple[dict, list[str]]:
    totals = selectors.event_totals_by_province(kinds=(EventKind.TRAINING,))
    result = {}
    for pid in province_ids:
        t = totals.get(pid)
        if not t:
            continue
        items = [Indicator("trainings", Topic.TRAINING, _("Training courses held"), str(t["events"]), t["events"])]
        if t["trainees"]:
            items.append(Indicator("employment", Topic.TRAINING, _("Trainees employed (confirmed)"),
                                   f"{t['employed']}/{t['trainees']} ({_pct(t['employed'], t['trainees'])})",
                                   t["employed"] / t["trainees"], percent=_percent(t["employed"], t["trainees"])))
        result[pid] = items
    return result, []


def _trade_promotion(province_ids) -> tuple[dict, list[str]]:
    totals = selectors.event_totals_by_province(kinds=FAIRS)
    return {pid: [Indicator("fairs", Topic.TRADE_PROMOTION, _("Fairs held or attended (booths)"),
                            f"{t['events']} ({t['booths']})", t["events"] + 0.1 * t["booths"])]
            for pid, t in totals.items() if pid in province_ids}, []


INDICATORS = {
    Topic.COLLABORATOR_NETWORK: _collaborator_network,
    Topic.DEMONSTRATION_MODELS: _demonstration_models,
    Topic.SETTLEMENT: _settlement,
    Topic.PROJECT_MANAGEMENT: _project_management,
    Topic.TRAINING: _training,
    Topic.TRADE_PROMOTION: _trade_promotion,
}


def rank_hosts(*, user, topics, home_province: AdminUnit, limit: int = 10) -> PlannerResult:
    """Host provinces ranked for the topics, each with its evidence. Lessons and model practices are national
    reading; the indicators are counts, so no record outside the user's scope is shown."""
    topics = [t for t in dict.fromkeys(topics) if t in Topic.values]
    provinces = {p.pk: p for p in AdminUnit.objects.current().provinces().exclude(pk=home_province.pk)}
    ids = list(provinces)
    home_region = region_of(home_province.code)
    candidates = {pid: Candidate(province=p, region=region_label(p.code),
                                 same_region=bool(home_region) and region_of(p.code) == home_region)
                  for pid, p in provinces.items()}
    practice_counts = dict(ModelPractice.objects.filter(topic__in=topics, province_id__in=ids)
                           .values("province_id").annotate(n=Count("id")).values_list("province_id", "n"))
    lesson_counts = dict(Lesson.objects.filter(topic__in=topics, province_id__in=ids)
                         .values("province_id").annotate(n=Count("id")).values_list("province_id", "n"))
    missing: list[str] = []
    for topic in topics:
        compute = INDICATORS.get(topic)
        if compute is None:
            missing.append(_("%(topic)s: no indicator is computed for this topic yet; the ranking uses model practices "
                             "and lessons only.") % {"topic": Topic(topic).label})
            continue
        by_province, notes = compute(ids)
        missing += notes
        for pid, items in by_province.items():
            candidates[pid].indicators += items
    best: dict[str, float] = {}
    for c in candidates.values():
        for ind in c.indicators:
            best[ind.key] = max(best.get(ind.key, 0.0), ind.raw)
    for pid, c in candidates.items():
        c.practice_count = practice_counts.get(pid, 0)
        c.lesson_count = lesson_counts.get(pid, 0)
        for ind in c.indicators:
            ind.strength = ind.raw / best[ind.key] if best.get(ind.key) else 0.0
        parts = [
            (_("model practices"), PRACTICE_POINTS * c.practice_count),
            (_("lessons drawn there"), LESSON_POINTS * c.lesson_count),
            (_("indicators"), round(INDICATOR_POINTS * sum(i.strength for i in c.indicators), 2)),
        ]
        evidence = sum(points for _label, points in parts)
        if c.same_region:
            parts.append((_("same region"), REGION_POINTS))
        c.breakdown = [(label, points) for label, points in parts if points]
        c.score = round(sum(points for _label, points in parts), 2) if evidence else 0.0
    ranked = sorted((c for c in candidates.values() if c.score > 0),
                    key=lambda c: (-c.score, -c.practice_count, c.province.code))[:limit]
    chosen = {c.province.pk: c for c in ranked}
    if chosen:
        shown_practices = (ModelPractice.objects.filter(topic__in=topics, province_id__in=chosen)
                           .select_related("organisation").order_by("province_id", "-since", "id"))
        for practice in shown_practices:
            bucket = chosen[practice.province_id].practices
            if len(bucket) < SHOWN_PER_CANDIDATE:
                bucket.append(practice)
        shown_lessons = (Lesson.objects.filter(topic__in=topics, province_id__in=chosen)
                         .select_related("author_province", "place_then").order_by("province_id", "-observed_on"))
        for lesson in shown_lessons:
            bucket = chosen[lesson.province_id].lessons
            if len(bucket) < SHOWN_PER_CANDIDATE:
                bucket.append(lesson)
    return PlannerResult(home=home_province, topics=topics, candidates=ranked, missing=list(dict.fromkeys(missing)))


# --- the drafted tour: itinerary and budget lines quoted from the cost norms -----------------------------------------

RULE = "rule"  # priced by a verified norm of the rules
USER = "user"  # priced by the figure the user typed
TO_CONFIRM = "to_confirm"  # the rules hold a figure, but it is not verified: the user confirms it
TO_PRICE = "to_price"  # the rules hold no figure: the user enters it

# The line kinds the planner drafts, and the cost norm each is quoted from.
DRAFT_ITEMS = {LineKind.TRANSPORT: CostItem.TRANSPORT, LineKind.PER_DIEM: CostItem.PER_DIEM,
               LineKind.LODGING: CostItem.LODGING, LineKind.MATERIALS: CostItem.MATERIALS}


@dataclass
class EstimateLine:
    kind: str
    description: str
    quantity: int
    unit_cost: int | None  # the rate the line is priced at; None while it is still to price
    state: str
    note: str
    host: AdminUnit | None = None
    suggestion: int | None = None  # the figure of an unverified norm, shown for the user to confirm
    rule: CostNorm | None = None

    @property
    def label(self) -> str:
        return str(LineKind(self.kind).label)

    @property
    def amount(self) -> int | None:
        return None if self.unit_cost is None else self.unit_cost * self.quantity

    @property
    def needs_input(self) -> bool:
        return self.state in (TO_CONFIRM, TO_PRICE)


@dataclass
class Estimate:
    itinerary: list[tuple[datetime.date, AdminUnit | None]]  # None: the day travelling home
    lines: list[EstimateLine]

    @property
    def end_date(self) -> datetime.date:
        return self.itinerary[-1][0]

    @property
    def priced_total(self) -> int | None:
        """The sum of the priced lines; None while no line is priced (the page shows "—", not 0 ₫)."""
        amounts = [line.amount for line in self.lines if line.amount is not None]
        return sum(amounts) if amounts else None

    @property
    def to_price(self) -> list[EstimateLine]:
        return [line for line in self.lines if line.needs_input]


def _priced(kind: str, description: str, quantity: int, *, typed: int | None, rule: CostNorm | None,
            host: AdminUnit | None = None) -> EstimateLine:
    """One line: the user's figure wins; else a verified norm; else the line says what the rules lack."""
    line = EstimateLine(kind=kind, description=description, quantity=quantity, unit_cost=None, state=TO_PRICE,
                        note="", host=host, rule=rule)
    if typed is not None:
        line.unit_cost, line.state = typed, USER
        line.note = _("Your figure") if rule is None or rule.amount_vnd is None else _(
            "Your figure (the rules say %(amount)s, %(basis)s)") % {
            "amount": format_vnd(rule.amount_vnd), "basis": rule.basis}
    elif rule is None:
        line.note = _("No norm in the rules — enter it from the province's rules")
    elif rule.amount_vnd is None:
        line.note = _("No fixed rate (%(basis)s) — enter the price quoted") % {"basis": rule.basis}
    elif rule.mark == Mark.VERIFIED:
        line.unit_cost, line.state, line.note = rule.amount_vnd, RULE, rule.basis
    else:
        line.state, line.suggestion = TO_CONFIRM, rule.amount_vnd
        line.note = _("Unverified — enter it from the province's rules (suggested: %(amount)s, %(basis)s)") % {
            "amount": format_vnd(rule.amount_vnd), "basis": rule.basis}
    return line


def budget_estimate(*, home_province: AdminUnit, hosts: list[AdminUnit], start_date: datetime.date,
                    days_per_host: int, state_paid: int, non_state: int,
                    rates: dict[str, int | None] | None = None) -> Estimate:
    """The itinerary and budget lines of a study tour visiting the hosts in the order given: `days_per_host` days at
    each, then a day travelling home. The delegation's transport and documents are counted for everyone; per-diem
    and lodging for the participants who are not state-paid (TT 36/2013/TT-BCT, Điều 13 and 14: the event pays their
    meals, lodging and travel; state-paid members claim from their own agency). Lodging is a line per host, at that
    destination's rate. `rates` holds the unit costs the user typed, by line kind; the rules' norms in force on the
    first day price the others."""
    rates = rates or {}
    norms = engine.cost_norms_in_force(province=home_province.code, on_date=start_date)

    def rule(kind, place=None):
        return engine.cost_norm(DRAFT_ITEMS[kind], province=home_province.code, on_date=start_date, place=place,
                                rows=norms)

    itinerary: list[tuple[datetime.date, AdminUnit | None]] = []
    day = start_date
    for host in hosts:
        for _i in range(days_per_host):
            itinerary.append((day, host))
            day += datetime.timedelta(days=1)
    itinerary.append((day, None))
    total_days = len(itinerary)
    people = state_paid + non_state
    lines = [_priced(LineKind.TRANSPORT, _("Transport of the delegation (%(n)s people), whole tour") % {"n": people},
                     1, typed=rates.get(LineKind.TRANSPORT), rule=rule(LineKind.TRANSPORT))]
    if non_state:
        lines.append(_priced(LineKind.PER_DIEM, _("%(n)s participants not state-paid × %(d)s days") % {
            "n": non_state, "d": total_days}, non_state * total_days, typed=rates.get(LineKind.PER_DIEM),
            rule=rule(LineKind.PER_DIEM)))
        for host in hosts:
            lines.append(_priced(LineKind.LODGING, _("%(place)s: %(n)s participants not state-paid × %(d)s nights") % {
                "place": host.name, "n": non_state, "d": days_per_host}, non_state * days_per_host,
                typed=rates.get(LineKind.LODGING), rule=rule(LineKind.LODGING, place=host.code), host=host))
    if people:
        lines.append(_priced(LineKind.MATERIALS, _("Documents for %(n)s people") % {"n": people}, people,
                             typed=rates.get(LineKind.MATERIALS), rule=rule(LineKind.MATERIALS)))
    return Estimate(itinerary=itinerary, lines=lines)
