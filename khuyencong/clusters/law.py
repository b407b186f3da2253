"""The figures of NĐ 32/2024/NĐ-CP read from rule rows (`data/parameters.json`), never written here: the 30 % cap
on state support, the conditions of Art 8, the scoring of Art 13.2, the procedure's deadlines and the Art 35
regularisation deadline. A later decree's figure is another row (NĐ 303/2026, unverified)."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from khuyencong.core.money import format_vnd
from khuyencong.core.permissions import ALLOW, Decision, deny
from khuyencong.rules import engine
from khuyencong.rules.models import Parameter


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


# --- the cap on state support (Art 26.1)


def support_cap(approved_total_vnd: int, on_date: datetime.date) -> tuple[int, engine.ParameterValue]:
    rule = engine.parameter("clusters-state-support-cap", on_date)
    cap = int((Decimal(approved_total_vnd) * rule.value / 100).to_integral_value(rounding=ROUND_FLOOR))
    return cap, rule


def cap_decision(*, approved_total_vnd: int, total_support_vnd: int, on_date: datetime.date) -> Decision:
    """Allowed while the state's support of every source stays within the cap of the approved investment."""
    cap, rule = support_cap(approved_total_vnd, on_date)
    if approved_total_vnd <= 0:
        return deny(_("Record the approved total investment of the cluster's infrastructure first: the state's "
                      "support is capped at %(pct)s %% of it (%(basis)s).") % {"pct": _pct(rule.value),
                                                                           "basis": rule.basis})
    if total_support_vnd > cap:
        return deny(_("State support of the cluster's infrastructure would reach %(total)s, over the cap of "
                      "%(pct)s %% of the approved investment (%(cap)s) — %(basis)s.") % {
            "total": format_vnd(total_support_vnd), "pct": _pct(rule.value), "cap": format_vnd(cap),
            "basis": rule.basis})
    return ALLOW


# --- the conditions of Art 8


def establish_decision(*, average_occupancy: Decimal | None, unleased_ha: Decimal, on_date: datetime.date) -> Decision:
    """Art 8.1.c: where clusters exist, their average occupancy is above the threshold or their unleased industrial
    land is within the limit."""
    if average_occupancy is None:
        return ALLOW
    minimum = engine.parameter("clusters-new-min-occupancy", on_date)
    unleased = engine.parameter("clusters-new-max-unleased-ha", on_date)
    if average_occupancy > minimum.value or unleased_ha <= unleased.value:
        return ALLOW
    return deny(_("The existing clusters average %(occ)s %% occupancy (more than %(min)s %% needed) and hold "
                  "%(free)s ha of unleased industrial land (at most %(max)s ha) — %(basis)s.") % {
        "occ": _pct(average_occupancy.quantize(Decimal("0.1"))), "min": _pct(minimum.value),
        "free": _pct(unleased_ha), "max": _pct(unleased.value), "basis": minimum.basis})


def expand_decision(*, total_ha: Decimal, occupancy: Decimal | None, essential_done: bool,
                    on_date: datetime.date) -> Decision:
    """Art 8.2: the total after expansion within the maximum, the occupancy reached, the essential works in use."""
    maximum = engine.parameter("clusters-expand-max-ha", on_date)
    if total_ha > maximum.value:
        return deny(_("After the expansion the cluster would cover %(total)s ha, over %(max)s ha — %(basis)s.") % {
            "total": _pct(total_ha), "max": _pct(maximum.value), "basis": maximum.basis})
    minimum = engine.parameter("clusters-expand-min-occupancy", on_date)
    if occupancy is None or occupancy < minimum.value:
        return deny(_("A cluster is expanded once its occupancy reaches %(min)s %% (record a land snapshot) — "
                      "%(basis)s.") % {"min": _pct(minimum.value), "basis": minimum.basis})
    if not essential_done:
        return deny(_("A cluster is expanded once its internal roads, water supply and wastewater treatment are in "
                      "use — NĐ 32/2024/NĐ-CP, Điều 8 khoản 2 điểm d."))
    return ALLOW


# --- investor selection (Art 13.2)

CRITERIA = ("plan", "environment", "capacity", "finance")


@dataclass
class Bid:
    name: str
    plan: int
    environment: int
    capacity: int
    finance: int
    chair_proposed: bool = False

    @property
    def total(self) -> int:
        return self.plan + self.environment + self.capacity + self.finance


def score_limits(on_date: datetime.date) -> dict[str, int]:
    return {name: engine.parameter(f"clusters-score-{name}", on_date).as_int for name in CRITERIA}


def select_investor(bids: list[Bid], on_date: datetime.date) -> tuple[Bid | None, str]:
    """The investor the council's scores give: every score within its maximum, at least the pass mark, the highest
    total; a tie goes to the chair's proposal. Returns (winner or None, the reason in words)."""
    limits = score_limits(on_date)
    for bid in bids:
        for name in CRITERIA:
            if not 0 <= getattr(bid, name) <= limits[name]:
                return None, _("%(name)s: a score is outside 0–%(max)s points.") % {"name": bid.name,
                                                                                   "max": limits[name]}
    passing = engine.parameter("clusters-score-pass", on_date)
    qualified = [bid for bid in bids if bid.total >= passing.as_int]
    if not qualified:
        return None, _("No applicant reached %(pass)s points (%(basis)s).") % {"pass": passing.as_int,
                                                                              "basis": passing.basis}
    best = max(bid.total for bid in qualified)
    top = [bid for bid in qualified if bid.total == best]
    if len(top) == 1:
        return top[0], _("Highest score, %(total)s points.") % {"total": best}
    proposed = [bid for bid in top if bid.chair_proposed]
    if len(proposed) == 1:
        return proposed[0], _("Tied at %(total)s points: the council chair's proposal.") % {"total": best}
    return None, _("Tied at %(total)s points: the council chair proposes one of them.") % {"total": best}


# --- the procedure's deadlines (Art 10)

STEPS = (
    ("notice", "clusters-step-notice"),
    ("intake", "clusters-step-intake"),
    ("send", "clusters-step-send"),
    ("appraisal", "clusters-step-appraisal"),
    ("decision", "clusters-step-decision"),
)


def step_due(code: str, start: datetime.date, paused_days: int = 0) -> tuple[datetime.date, engine.ParameterValue]:
    """The day a step is due: working days or calendar days as the row in force on `start` says; days spent
    returned for completion (`paused_days`) are not counted."""
    rule = engine.parameter(code, start)
    if rule.unit == "working_days":
        due = engine.add_working_days(start, rule.as_int)
    else:
        due = start + datetime.timedelta(days=rule.as_int)
    return due + datetime.timedelta(days=paused_days), rule


# --- regularisation of clusters formed before QĐ 105/2009 (Art 35.4.b)


def regularisation_deadline() -> datetime.date | None:
    """The last day to regularise a pre-2009 cluster: the end of the rule row (31/12/2026); stays known after it."""
    row = Parameter.objects.filter(code="clusters-regularise-before-2009", province_code__isnull=True,
                                   effective_to__isnull=False).order_by("-effective_to").first()
    return row.effective_to if row else None
