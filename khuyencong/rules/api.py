"""API of the legal rules: the content catalogue, support rates and quotes, eligibility, the calendar, advances and
approval authorities. Every answer names its rule (basis, dates, verification mark). Percentages are decimal strings
("50" for 50 %); money is integer đồng. A question without a rule on the date gets 422 with a Vietnamese detail."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from khuyencong.core.api_params import BoundedLimitOffsetPagination, UnitCode, Year
from khuyencong.core.errors import InvalidInput
from khuyencong.core.money import parse_vnd

from . import engine, selectors
from .models import FundSource

router = Router(tags=["rules"])


def percent_text(value: Decimal | None) -> str | None:
    """50.00 → "50", 12.50 → "12.5" (never the exponent form Decimal.normalize gives for 100)."""
    if value is None:
        return None
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class RuleRef(Schema):
    key: str
    basis: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    mark: str = Field(description="verified (✅), secondary (⚠️) or unverified (❓)")
    province_code: int | None = Field(None, description="Empty for a national rule.")


class SupportContentOut(Schema):
    code: str
    name: str
    group_code: str
    group_name: str
    version_tag: str
    basis: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    mark: str

    @staticmethod
    def resolve_group_code(obj):
        return obj.group.code

    @staticmethod
    def resolve_group_name(obj):
        return obj.group.name


class RateOut(Schema):
    content: str
    fund: str
    province_code: int | None
    variant: str
    variant_label: str
    max_percent: str | None
    cost_basis: str
    max_amount_vnd: int | None
    unit: str
    priority_multiplier: str | None
    rule: RuleRef

    @staticmethod
    def resolve_content(obj):
        return obj.content.code

    @staticmethod
    def resolve_max_percent(obj):
        return percent_text(obj.max_percent)

    @staticmethod
    def resolve_priority_multiplier(obj):
        return percent_text(obj.priority_multiplier)

    @staticmethod
    def resolve_rule(obj):
        return engine.rule_ref(obj)


class QuoteOut(Schema):
    support_vnd: int
    percent: str | None = Field(description="Maximum percent of the eligible cost; null when the rule states none.")
    percent_amount_vnd: int
    cap_vnd: int | None = Field(description="The cap after the priority multiplier; null when the rule states none.")
    base_cap_vnd: int | None
    multiplier: str | None
    limited_by: str = Field(description="percent or cap: the limit that gave the support.")
    eligible_cost_vnd: int
    unit: str
    content: dict
    variant: str
    notes: list[str]
    rule: RuleRef


class EligibilityIn(Schema):
    entity_type: str = Field(description="sme, cooperative_group, cooperative, cooperative_union, household, other")
    sme_size: str | None = Field(None, description="micro, small or medium (for an SME)")
    commune: UnitCode = Field(description="Code of a current commune, ward or special zone")
    on_date: datetime.date
    craft_village: bool = False
    cleaner_production: bool = False


class EligibilityCheckOut(Schema):
    eligible: bool
    reasons: list[str]
    basis: list[str]
    needs_review: bool


class DeadlineOut(Schema):
    code: str
    label: str
    due_date: datetime.date | None = Field(description="Null for a relative deadline (see kind, day, days_after).")
    basis: str
    kind: str
    before: bool = Field(description="The act must happen before the due date, not on it.")
    day: int | None
    days_after: int | None
    event: str
    rule: str
    mark: str


class AdvanceOut(Schema):
    content: str
    first_advance_percent: str | None
    first_advance_condition: str
    first_advance_rule: RuleRef | None
    treasury_cap_percent: str | None
    treasury_cap_rule: RuleRef | None


class AuthorityOut(Schema):
    decision: str
    project_kind: str
    authority: str
    authority_label: str
    rule: RuleRef


def _today() -> datetime.date:
    return timezone.localdate()


@router.get("/contents", response=list[SupportContentOut], summary="KC contents (catalogue)")
@paginate(BoundedLimitOffsetPagination)
def content_list(request, date: datetime.date | None = None, q: str = "", group: str = ""):
    """The KC activity contents with their stable codes; with `date`, only those listed in the law on that day."""
    return selectors.content_list(on_date=date, q=q, group=group)


@router.get("/support-rates", response=list[RateOut], summary="Support rates")
@paginate(BoundedLimitOffsetPagination)
def rate_list(request, date: datetime.date | None = None, content: str = "", fund: str = "",
              province: UnitCode | None = None):
    """Rate rows (percent, cap, unit) with their rule; with `date`, those in force that day."""
    return selectors.support_rates(on_date=date, content=content, fund=fund, province_code=province)


@router.get("/support-quote", response=QuoteOut, summary="Support for one content")
def support_quote(
    request,
    content: str,
    cost: str = Query(..., description="Eligible cost in đồng: 800000000 or 800.000.000"),
    fund: str = FundSource.NATIONAL,
    province: UnitCode | None = None,
    date: datetime.date | None = None,
    variant: str = "",
    priority: bool = False,
):
    """support = min(floor(percent × cost), cap × priority multiplier), from the rule in force on `date` (today by
    default)."""
    try:
        amount = parse_vnd(cost)
    except ValueError:
        raise InvalidInput(_("The eligible cost must be a whole number of đồng."), code="invalid_cost", field="cost")
    quote = engine.support_quote(content, fund, province, amount, date or _today(), variant=variant or None,
                                 priority=priority)
    data = quote.as_dict()
    data["percent"] = percent_text(quote.percent)
    data["multiplier"] = percent_text(quote.multiplier)
    return data


@router.post("/eligibility", response=EligibilityCheckOut, summary="Is this a rural industrial establishment?")
def eligibility(request, payload: EligibilityIn):
    """Whether an establishment of this type in this commune is a cơ sở CNNT on `on_date`, with reasons and bases."""
    result = engine.eligibility(
        payload.entity_type, payload.sme_size, payload.commune, payload.on_date,
        craft_village=payload.craft_village, cleaner_production=payload.cleaner_production,
    )
    return result.as_dict()


@router.get("/calendar", response=list[DeadlineOut], summary="Deadlines of a plan year")
def calendar(request, plan_year: Year, fund: str = FundSource.NATIONAL, province: UnitCode | None = None):
    """Dated deadlines of the plan year (fixed first, in date order), then the relative ones (monthly report,
    settlement dossier) with due_date null and their rule."""
    return engine.calendar(plan_year, fund, province)


@router.get("/advance-rule", response=AdvanceOut, summary="First advance and treasury cap for a content")
def advance(request, content: str, date: datetime.date | None = None):
    info = engine.advance_rule(content, date or _today()).as_dict()
    info["first_advance_percent"] = percent_text(info["first_advance_percent"])
    info["treasury_cap_percent"] = percent_text(info["treasury_cap_percent"])
    return info


@router.get("/change-authority", response=AuthorityOut, summary="Who approves a change to an approved plan")
def change_authority(request, change_kind: str, project_kind: str = "", date: datetime.date | None = None):
    row = engine.change_authority(change_kind, project_kind, date or _today())
    return {
        "decision": row.decision,
        "project_kind": row.project_kind,
        "authority": row.authority,
        "authority_label": row.authority_label,
        "rule": engine.rule_ref(row),
    }
