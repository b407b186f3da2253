"""Answers to the questions the law asks, read from the rule tables for a given date.

- `support_quote`: how much a KC fund may pay for one content on a date;
- `eligibility`: whether an establishment is a rural industrial establishment (cơ sở CNNT) on a date;
- `calendar`: the dated deadlines of a plan year;
- `advance_rule`: the first advance and the treasury cap for a content;
- `change_authority`: who approves a change to an approved plan (and other time-bounded powers);
- `cost_norm`: the unit rate of a cost of a work trip (per-diem, lodging…) for a province's staff and a destination.

Every answer carries the rule row it came from (basis, dates, verification mark). Nothing here holds a legal figure:
the figures are rows of `models.py` loaded from `data/*.json`. A question with no rule on the date is refused with
`InvalidInput` (HTTP 422) and a message that says so: an unknown rate is absent, never guessed.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from khuyencong.core.errors import InvalidInput
from khuyencong.geo.models import AdminUnit, Level, Scheme

from .models import (
    ENTITY_NAMES_VI,
    SME_SIZE_NAMES_VI,
    UNIT_KIND_NAMES_VI,
    AdvanceKind,
    AdvanceRule,
    AuthorityRule,
    ContentItem,
    CostNorm,
    DeadlineKind,
    DeadlineRule,
    EligibilityOutcome,
    EligibilityRule,
    EntityType,
    FundSource,
    Holiday,
    Parameter,
    RuleRow,
    SmeSize,
    SupportRate,
)

LIMITED_BY_PERCENT = "percent"
LIMITED_BY_CAP = "cap"


def _dmy(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def in_force(qs: QuerySet, on_date: datetime.date) -> QuerySet:
    """Rows of a rule table in force on a date."""
    return qs.filter(effective_from__lte=on_date).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on_date))


def rule_ref(row: RuleRow) -> dict:
    """The citation shown with every answer."""
    return {
        "key": row.key,
        "basis": row.basis,
        "effective_from": row.effective_from,
        "effective_to": row.effective_to,
        "mark": row.mark,
        "province_code": row.province_code,
    }


def _check_date(on_date) -> datetime.date:
    if isinstance(on_date, datetime.datetime) or not isinstance(on_date, datetime.date):
        raise InvalidInput(_("Give the date as a calendar day."), field="date")
    return on_date


# --- support quote ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quote:
    """The most a fund may pay: min(percent × eligible cost, cap × multiplier), and which limit bound."""

    support_vnd: int
    percent: Decimal | None
    percent_amount_vnd: int
    cap_vnd: int | None
    base_cap_vnd: int | None
    multiplier: Decimal | None
    limited_by: str
    eligible_cost_vnd: int
    rule: SupportRate
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "support_vnd": self.support_vnd,
            "percent": self.percent,
            "percent_amount_vnd": self.percent_amount_vnd,
            "cap_vnd": self.cap_vnd,
            "base_cap_vnd": self.base_cap_vnd,
            "multiplier": self.multiplier,
            "limited_by": self.limited_by,
            "eligible_cost_vnd": self.eligible_cost_vnd,
            "unit": self.rule.unit,
            "content": {"code": self.rule.content.code, "name": self.rule.content.name},
            "variant": self.rule.variant,
            "cost_basis": self.rule.cost_basis,
            "rule": rule_ref(self.rule),
            "notes": list(self.notes),
        }


def content_get(code, on_date: datetime.date | None = None) -> ContentItem:
    """The content with this code (refused when unknown, or not yet/no longer listed on the date)."""
    if isinstance(code, ContentItem):
        content = code
    else:
        content = ContentItem.objects.select_related("group").filter(code=str(code or "").strip()).first()
        if content is None:
            raise InvalidInput(
                _("There is no KC content with the code “%(code)s”.") % {"code": code}, code="unknown_content",
                field="content",
            )
    if on_date is not None and not content.covers(on_date):
        raise InvalidInput(
            _("The content “%(name)s” is in the law only from %(start)s%(end)s, not on %(date)s.") % {
                "name": content.name,
                "start": _dmy(content.effective_from),
                "end": (_(" to %(end)s") % {"end": _dmy(content.effective_to)}) if content.effective_to else "",
                "date": _dmy(on_date),
            },
            code="no_rule", field="date",
        )
    return content


def _province_code(province) -> int | None:
    if province is None or province == "":
        return None
    if isinstance(province, AdminUnit):
        return province.code
    try:
        return int(province)
    except (TypeError, ValueError):
        raise InvalidInput(_("The province must be a province code."), field="province") from None


def floor_percent(amount: int, percent: Decimal) -> int:
    """floor(percent % of amount) in whole đồng, exactly (percent has at most two decimals)."""
    hundredths = int(percent * 100)
    return amount * hundredths // 10_000


def support_quote(
    content,
    fund: str,
    province,
    eligible_cost: int,
    on_date: datetime.date,
    variant: str | None = None,
    priority: bool = False,
) -> Quote:
    """The support a KC fund may pay for one content on a date: min(floor(percent × cost), cap × multiplier).

    `fund` is "national" or "local"; `province` a current province code (needed for the local fund, ignored for
    the national one); `eligible_cost` integer đồng; `variant` a special case of the content (`technology_line` for a
    full technology line under `machinery`); `priority` applies the rule's priority multiplier to the cap when the
    rule has one (when it has none, the standard cap applies and a note says so).
    """
    on_date = _check_date(on_date)
    if isinstance(eligible_cost, bool) or not isinstance(eligible_cost, int):
        raise InvalidInput(_("The eligible cost must be a whole number of đồng."), code="invalid_cost", field="cost")
    if eligible_cost < 0:
        raise InvalidInput(_("The eligible cost cannot be negative."), code="negative_cost", field="cost")
    if fund not in FundSource.values:
        raise InvalidInput(_("The fund must be “national” or “local”."), field="fund")
    content = content_get(content, on_date)
    province_code = _province_code(province)
    if fund == FundSource.LOCAL:
        if province_code is None:
            raise InvalidInput(_("A quote from the local KC fund needs the province."), field="province")
        if not AdminUnit.objects.filter(scheme=Scheme.CURRENT, level=Level.PROVINCE, code=province_code).exists():
            raise InvalidInput(_("The province must be one of today's 34 provinces."), field="province")
    else:
        province_code = None
    variant = (variant or "").strip()

    rates = in_force(
        SupportRate.objects.select_related("content").filter(content=content, fund=fund, province_code=province_code),
        on_date,
    )
    rule = next((r for r in rates if r.variant == variant), None)
    if rule is None:
        fund_label = FundSource(fund).label if province_code is None else _("%(fund)s of province %(code)s") % {
            "fund": FundSource(fund).label, "code": province_code}
        message = _("No verified support rate for “%(content)s”%(variant)s (%(fund)s) is in force on %(date)s.") % {
            "content": content.name,
            "variant": f" ({variant})" if variant else "",
            "fund": fund_label,
            "date": _dmy(on_date),
        }
        others = sorted({r.variant or _("standard") for r in rates})
        if others:
            message += " " + _("Rates exist for: %(variants)s.") % {"variants": ", ".join(others)}
        raise InvalidInput(message, code="no_rule")

    notes = []
    if rule.max_percent is None:
        # The text gives only an amount: the support still cannot exceed the cost itself.
        percent_amount = eligible_cost
        notes.append(_("The rule states no percentage: the support is limited by the cap and the cost itself."))
    else:
        percent_amount = floor_percent(eligible_cost, rule.max_percent)
    multiplier = None
    cap = rule.max_amount_vnd
    if priority:
        if rule.priority_multiplier is None:
            notes.append(_("The rule gives no verified priority multiplier: the standard cap applies."))
        else:
            multiplier = rule.priority_multiplier
            if cap is not None:
                cap = cap * int(multiplier * 100) // 100  # exact: multipliers have two decimals
    if cap is None:
        notes.append(_("The rule states no cap: only the percentage limits the support."))
    if cap is not None and cap <= percent_amount:
        support, limited_by = cap, LIMITED_BY_CAP
    else:
        support, limited_by = percent_amount, LIMITED_BY_PERCENT
    if rule.cost_basis:
        notes.append(_("The percentage applies to: %(basis)s.") % {"basis": rule.cost_basis})
    return Quote(
        support_vnd=support,
        percent=rule.max_percent,
        percent_amount_vnd=percent_amount,
        cap_vnd=cap,
        base_cap_vnd=rule.max_amount_vnd,
        multiplier=multiplier,
        limited_by=limited_by,
        eligible_cost_vnd=eligible_cost,
        rule=rule,
        notes=tuple(notes),
    )


# --- eligibility --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EligibilityResult:
    """Whether an establishment is a cơ sở CNNT on a date, with the reasons (Vietnamese sentences) and their bases.

    `needs_review` is set when the rules depend on a fact the system does not hold (a ward's urban class before
    15/10/2025); `eligible` is then False until a person checks.
    """

    eligible: bool
    reasons: list[str]
    basis: list[str]
    needs_review: bool = False
    rules: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"eligible": self.eligible, "reasons": self.reasons, "basis": self.basis,
                "needs_review": self.needs_review}


def _commune(commune) -> AdminUnit:
    if isinstance(commune, AdminUnit):
        unit = commune
    else:
        try:
            code = int(commune)
        except (TypeError, ValueError):
            raise InvalidInput(_("The commune must be a commune code."), field="commune") from None
        unit = (
            AdminUnit.objects.select_related("province", "parent")
            .filter(scheme=Scheme.CURRENT, level=Level.COMMUNE, code=code)
            .first()
        )
        if unit is None:
            raise InvalidInput(
                _("No current commune, ward or special zone has the code %(code)s.") % {"code": code}, field="commune"
            )
    if unit.level != Level.COMMUNE:
        raise InvalidInput(_("Give a commune, ward or special zone, not a province or district."), field="commune")
    return unit


def _matches(rule: EligibilityRule, facts: dict) -> bool:
    def among(values: list, value) -> bool:
        return not values or value in values

    if not among(rule.entity_types, facts["entity_type"]):
        return False
    if facts["entity_type"] == EntityType.SME and not among(rule.sme_sizes, facts["sme_size"]):
        return False
    if not among(rule.province_kinds, facts["province_kind"]):
        return False
    if not among(rule.commune_kinds, facts["commune_kind"]):
        return False
    if rule.district_kinds and facts["district_kind"] not in rule.district_kinds:
        return False
    if rule.requires_craft_village and not facts["craft_village"]:
        return False
    return not (rule.requires_cleaner_production and not facts["cleaner_production"])


class _Blank(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _sentence(rule: EligibilityRule, words: dict) -> str:
    text = rule.reason.format_map(_Blank(words))
    return text[:1].upper() + text[1:]


def eligibility(
    entity_type: str,
    sme_size: str | None,
    commune,
    on_date: datetime.date,
    craft_village: bool = False,
    cleaner_production: bool = False,
) -> EligibilityResult:
    """Whether an establishment of this type, producing in this commune, is a rural industrial establishment
    (cơ sở công nghiệp nông thôn) on the date, under the eligibility clauses in force then.

    `entity_type`: sme, cooperative_group, cooperative, cooperative_union, household, other (large enterprises and
    anything else); `sme_size` (micro, small, medium) is required for an SME; `commune` a current commune
    (AdminUnit or its code; a former-scheme commune is accepted too). The province's type is read on the date
    (Đồng Nai: a province until 29/4/2026, a centrally-run city from 30/4/2026).
    """
    on_date = _check_date(on_date)
    if entity_type not in EntityType.values:
        raise InvalidInput(
            _("Unknown entity type “%(value)s”: use one of %(values)s.") % {
                "value": entity_type, "values": ", ".join(EntityType.values)},
            field="entity_type",
        )
    if entity_type == EntityType.SME:
        if sme_size not in SmeSize.values:
            raise InvalidInput(_("For a small or medium enterprise, give its size: micro, small or medium."),
                               field="sme_size")
    else:
        sme_size = None
    unit = _commune(commune)
    province = unit.province or unit
    facts = {
        "entity_type": entity_type,
        "sme_size": sme_size,
        "commune_kind": unit.kind_on(on_date),
        "province_kind": province.kind_on(on_date),
        "district_kind": unit.parent.kind if unit.scheme == Scheme.LEGACY and unit.parent_id else None,
        "craft_village": bool(craft_village),
        "cleaner_production": bool(cleaner_production),
    }
    rules = list(in_force(EligibilityRule.objects.filter(province_code__isnull=True), on_date)
                 .order_by("priority", "code"))
    if not rules:
        raise InvalidInput(
            _("No eligibility rule is in force on %(date)s.") % {"date": _dmy(on_date)}, code="no_rule", field="date"
        )
    entity_words = ENTITY_NAMES_VI[entity_type]
    if sme_size:
        entity_words = f"{entity_words} (quy mô {SME_SIZE_NAMES_VI[sme_size]})"
    words = {
        "entity": entity_words,
        "commune": unit.name_on(on_date),
        "commune_kind": UNIT_KIND_NAMES_VI.get(facts["commune_kind"], facts["commune_kind"]),
        "province": province.name_on(on_date),
        "province_kind": UNIT_KIND_NAMES_VI.get(facts["province_kind"], facts["province_kind"]),
        "date": _dmy(on_date),
    }
    matched = [r for r in rules if _matches(r, facts)]
    # An inclusion wins (a craft village or cleaner production outweighs the place); then the specific exclusions,
    # then the clauses a person must check, then the fallback clause with no criterion.
    by_outcome = {
        "include": [r for r in matched if r.outcome == EligibilityOutcome.INCLUDE],
        "exclude": [r for r in matched if r.outcome == EligibilityOutcome.EXCLUDE and not r.is_fallback],
        "review": [r for r in matched if r.outcome == EligibilityOutcome.REVIEW],
        "fallback": [r for r in matched if r.outcome == EligibilityOutcome.EXCLUDE and r.is_fallback],
    }
    for outcome in ("include", "exclude", "review", "fallback"):
        chosen = by_outcome[outcome]
        if chosen:
            break
    else:
        raise InvalidInput(
            _("The eligibility rules in force on %(date)s give no answer for this case.") % {"date": _dmy(on_date)},
            code="no_rule",
        )
    basis = list(dict.fromkeys(r.basis for r in chosen))
    return EligibilityResult(
        eligible=outcome == "include",
        reasons=[_sentence(r, words) for r in chosen],
        basis=basis,
        needs_review=outcome == "review",
        rules=[r.key for r in chosen],
    )


# --- calendar -----------------------------------------------------------------------------------------------------


def calendar(plan_year: int, fund: str = FundSource.NATIONAL, province: int | None = None) -> list[dict]:
    """The deadlines of a plan year: `{"code", "label", "due_date", "basis", ...}`, fixed dates first in date order.

    A fixed deadline (20/5 and 15/6 of the year before, 22/1 of the year after) comes from the rule in force on that
    date. A relative deadline (the monthly report before the 25th, the settlement dossier 15 days after the last
    acceptance) has `due_date` None, with `kind`, `day`/`days_after`/`event` and the rule as written, taken from
    the rule in force at some point of the plan year. `province` adds that province's own rows (none are seeded).
    """
    if isinstance(plan_year, bool) or not isinstance(plan_year, int) or not 2000 <= plan_year <= 2100:
        raise InvalidInput(_("The plan year must be a year between 2000 and 2100."), field="plan_year")
    if fund not in FundSource.values:
        raise InvalidInput(_("The fund must be “national” or “local”."), field="fund")
    scope = Q(province_code__isnull=True)
    if province is not None:
        scope |= Q(province_code=_province_code(province))
    year_start, year_end = datetime.date(plan_year, 1, 1), datetime.date(plan_year, 12, 31)
    items = []
    for rule in DeadlineRule.objects.filter(scope, fund=fund).order_by("sort_order", "code", "effective_from"):
        due = rule.due_date(plan_year)
        if due is not None:
            if not rule.covers(due):
                continue
        elif not (rule.effective_from <= year_end and (rule.effective_to is None or rule.effective_to >= year_start)):
            continue
        items.append({
            "code": rule.code,
            "label": rule.label,
            "due_date": due,
            "basis": rule.basis,
            "kind": rule.kind,
            "before": rule.before,
            "day": rule.day if rule.kind == DeadlineKind.MONTHLY else None,
            "days_after": rule.days_after,
            "event": rule.event,
            "rule": rule.rule_text,
            "mark": rule.mark,
            "province_code": rule.province_code,
        })
    items.sort(key=lambda item: (item["due_date"] is None, item["due_date"] or datetime.date.max))
    return items


# --- advances -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdvanceInfo:
    """The first advance allowed for a content (None when the text leaves the rate to the agency) and the treasury
    cap on advances, each with its rule."""

    content: ContentItem
    first_advance_percent: Decimal | None
    first_advance_rule: AdvanceRule | None
    treasury_cap_percent: Decimal | None
    treasury_cap_rule: AdvanceRule | None

    def as_dict(self) -> dict:
        first, cap = self.first_advance_rule, self.treasury_cap_rule
        return {
            "content": self.content.code,
            "first_advance_percent": self.first_advance_percent,
            "first_advance_condition": first.condition if first else "",
            "first_advance_rule": rule_ref(first) if first else None,
            "treasury_cap_percent": self.treasury_cap_percent,
            "treasury_cap_rule": rule_ref(cap) if cap else None,
        }


def advance_rule(content, on_date: datetime.date) -> AdvanceInfo:
    """How much of a national project's support may be advanced first (30 / 70 / 100 % by content, TT 36/2013
    Art 13) and the treasury's cap on advances, in force on the date."""
    on_date = _check_date(on_date)
    content = content_get(content)
    rows = list(in_force(
        AdvanceRule.objects.filter(province_code__isnull=True).filter(Q(content=content) | Q(content__isnull=True)),
        on_date,
    ))
    first = next((r for r in rows if r.kind == AdvanceKind.FIRST_ADVANCE and r.content_id == content.pk), None)
    if first is None:
        first = next((r for r in rows if r.kind == AdvanceKind.FIRST_ADVANCE and r.content_id is None), None)
    cap = next((r for r in rows if r.kind == AdvanceKind.TREASURY_CAP), None)
    if first is None and cap is None:
        raise InvalidInput(
            _("No advance rule is in force on %(date)s.") % {"date": _dmy(on_date)}, code="no_rule", field="date"
        )
    return AdvanceInfo(
        content=content,
        first_advance_percent=first.percent if first else None,
        first_advance_rule=first,
        treasury_cap_percent=cap.percent if cap else None,
        treasury_cap_rule=cap,
    )


# --- authorities --------------------------------------------------------------------------------------------------


def change_authority(change_kind: str, project_kind: str | None, on_date: datetime.date) -> AuthorityRule:
    """Who approves a decision on a national KC project on the date: a change to the approved plan (TT 36/2013
    Art 11: the Minister for more money, another content, another year, adding or stopping a project; the ministry
    agency for place, beneficiary, partner, in-year timing, reductions; the DoIT for place, beneficiary and partner
    of a group project), the approval of the programme, or the time-bounded power over cluster infrastructure
    support (Decree 139/2025, until 28/2/2027). Returns the rule row (authority, authority_label, basis, dates,
    mark); a row for the exact project kind wins over the row for every kind."""
    on_date = _check_date(on_date)
    project_kind = project_kind or ""
    candidates = AuthorityRule.objects.filter(
        decision=change_kind, province_code__isnull=True, project_kind__in=[project_kind, ""]
    )
    rows = list(in_force(candidates, on_date))
    row = next((r for r in rows if r.project_kind == project_kind), None) or next(
        (r for r in rows if r.project_kind == ""), None
    )
    if row is None:
        raise InvalidInput(
            _("No rule names the authority for “%(decision)s” on %(date)s.") % {
                "decision": change_kind, "date": _dmy(on_date)},
            code="no_rule",
        )
    return row


# --- cost norms ---------------------------------------------------------------------------------------------------


def cost_norms_in_force(*, province, on_date: datetime.date) -> list[CostNorm]:
    """Every cost norm that may apply to the staff of a province on a date (its own rows and the national ones),
    read once so a budget of many lines asks the database once."""
    on_date = _check_date(on_date)
    province_code = _province_code(province)
    scope = Q(province_code__isnull=True)
    if province_code is not None:
        scope |= Q(province_code=province_code)
    return list(in_force(CostNorm.objects.filter(scope), on_date))


def cost_norm(item: str, *, province, on_date: datetime.date, place=None,
              rows: list[CostNorm] | None = None) -> CostNorm | None:
    """The unit rate of one cost of a work trip: the home province's own row when it has one (its People's Council
    sets the levels for its staff), else the national norm; within a scope, the row for the destination's province,
    else the row for every other destination. None when no rule holds the cost: the caller asks the user for the
    figure and never assumes 0. A row may carry no amount (the text pays on invoice): the caller asks too."""
    province_code = _province_code(province)
    place_code = _province_code(place)
    if rows is None:
        rows = cost_norms_in_force(province=province_code, on_date=on_date)
    for scope in dict.fromkeys((province_code, None)):
        own = [r for r in rows if r.item == item and r.province_code == scope]
        row = next((r for r in own if place_code is not None and place_code in r.places), None) or next(
            (r for r in own if not r.places), None)
        if row is not None:
            return row
    return None


# --- legal parameters and working days --------------------------------------------------------------------------


@dataclass(frozen=True)
class ParameterValue:
    """A figure of the law in force on a date, with its citation: `value` is a Decimal; `rule` is `rule_ref`."""

    code: str
    label: str
    value: Decimal
    unit: str
    unit_label: str
    basis: str
    mark: str
    mark_symbol: str
    rule: dict

    @property
    def as_int(self) -> int:
        return int(self.value)

    def as_dict(self) -> dict:
        return {"code": self.code, "label": self.label, "value": str(self.value.normalize()), "unit": self.unit,
                "basis": self.basis, "mark": self.mark, "rule": self.rule}


def parameter(code: str, on_date: datetime.date, province=None) -> ParameterValue:
    """The figure `code` in force on the date: the province's own row when it has one, else the national row.
    Refuses (InvalidInput, code "rule_missing") when no row is in force, naming the figure and the date."""
    on_date = _check_date(on_date)
    province_code = _province_code(province)
    rows = in_force(Parameter.objects.filter(code=code), on_date).filter(
        Q(province_code__isnull=True) | Q(province_code=province_code))
    row = sorted(rows, key=lambda r: r.province_code is None)[0] if rows else None
    if row is None:
        raise InvalidInput(_("No rule in force on %(date)s sets “%(code)s”: an administrator adds it in the rules.")
                           % {"date": _dmy(on_date), "code": code}, code="rule_missing")
    return ParameterValue(code=row.code, label=row.label, value=row.value, unit=row.unit,
                          unit_label=str(row.get_unit_display()), basis=row.basis, mark=row.mark,
                          mark_symbol=row.mark_symbol, rule=rule_ref(row))


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The public holidays from start to end (both included), one query."""
    return set(Holiday.objects.filter(effective_from__gte=start, effective_from__lte=end)
               .values_list("effective_from", flat=True))


def is_working_day(day: datetime.date, holidays: set[datetime.date] | None = None) -> bool:
    if holidays is None:
        holidays = holidays_between(day, day)
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The day `days` working days after `start` (start itself not counted; Saturdays, Sundays and the holidays of
    the rules skipped). A deadline "within N working days of X" falls on add_working_days(X, N)."""
    start = _check_date(start)
    if days < 0:
        raise InvalidInput(_("A number of working days cannot be negative."))
    holidays = holidays_between(start, start + datetime.timedelta(days=days * 2 + 40))
    day, left = start, days
    while left:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end is not after start)."""
    if end <= start:
        return 0
    holidays = holidays_between(start, end)
    return sum(1 for n in range(1, (end - start).days + 1)
               if is_working_day(start + datetime.timedelta(days=n), holidays))
