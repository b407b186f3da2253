"""Reads of the rule tables shared by the pages and the API. Rules are public law: every signed-in user sees them.

Each function makes a fixed number of queries whatever the number of rows.
"""

import datetime
from collections import OrderedDict

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext

from khuyencong.core.money import format_vnd
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit

from .engine import in_force
from .models import (
    AdvanceRule,
    AuthorityRule,
    ContentItem,
    DeadlineRule,
    EligibilityRule,
    Holiday,
    Parameter,
    ParameterUnit,
    SupportRate,
)


def content_list(*, on_date: datetime.date | None = None, q: str = "", group: str = "") -> QuerySet[ContentItem]:
    """The KC contents (listed in the law on the date, when given), in catalogue order."""
    qs = ContentItem.objects.select_related("group")
    if on_date is not None:
        qs = in_force(qs, on_date)
    if group:
        qs = qs.filter(group__code=group)
    if q:
        folded = fold(q)
        # The catalogue has a few dozen rows: folding in Python keeps the search accent-insensitive on any database.
        codes = [c.code for c in qs if folded in fold(c.name) or folded in c.code]
        qs = qs.filter(code__in=codes)
    return qs.order_by("group__sort_order", "sort_order", "code")


def support_rates(
    *, on_date: datetime.date | None = None, content: str = "", fund: str = "", province_code: int | None = None
) -> QuerySet[SupportRate]:
    """Support rate rows (in force on the date, when given). With a province, its local rows and the national ones."""
    qs = SupportRate.objects.select_related("content", "content__group")
    if on_date is not None:
        qs = in_force(qs, on_date)
    if content:
        qs = qs.filter(content__code=content)
    if fund:
        qs = qs.filter(fund=fund)
    if province_code is not None:
        qs = qs.filter(Q(province_code__isnull=True) | Q(province_code=province_code))
    # National rows first, then each province's; the standard case before its variants.
    return qs.order_by(
        "content__group__sort_order", "content__sort_order", F("province_code").asc(nulls_first=True), "variant",
        "effective_from",
    )


def rules_on(*, on_date: datetime.date, content: str = "", province_code: int | None = None) -> dict:
    """Everything in force on a date, for the "Quy định" page: contents grouped with their rates, and the
    eligibility clauses, deadlines, advance and authority rules."""
    contents = list(content_list(on_date=on_date).filter(code=content) if content else content_list(on_date=on_date))
    rates_by_content: dict[int, list[SupportRate]] = {}
    for rate in support_rates(on_date=on_date, content=content, province_code=province_code):
        rates_by_content.setdefault(rate.content_id, []).append(rate)
    groups: OrderedDict = OrderedDict()
    for item in contents:
        groups.setdefault(item.group, []).append({"content": item, "rates": rates_by_content.get(item.pk, [])})
    advances = in_force(AdvanceRule.objects.select_related("content"), on_date)
    if content:
        advances = advances.filter(Q(content__code=content) | Q(content__isnull=True))
    return {
        "groups": [{"group": g, "items": items} for g, items in groups.items()],
        "content_count": len(contents),
        "rate_count": sum(len(v) for v in rates_by_content.values()),
        "eligibility": list(in_force(EligibilityRule.objects.all(), on_date).order_by("priority", "code")),
        "deadlines": list(in_force(DeadlineRule.objects.all(), on_date).order_by("sort_order", "code")),
        "advances": list(advances.order_by("kind", "content__group__sort_order", "content__sort_order")),
        "authorities": list(in_force(AuthorityRule.objects.all(), on_date).order_by("decision", "project_kind")),
        "parameters": [{"row": row, "display": parameter_display(row)}
                       for row in in_force(Parameter.objects.all(), on_date).order_by("code", "province_code")],
        "holidays": list(Holiday.objects.filter(effective_from__year=on_date.year).order_by("effective_from")),
    }


def parameter_display(row: Parameter) -> str:
    """The figure as a reader writes it: "30 %", "15 ngày làm việc", "1.234.567 ₫", "Có"."""
    text = f"{row.value.normalize():f}".replace(".", ",")
    if row.unit == ParameterUnit.VND:
        return format_vnd(int(row.value))
    if row.unit == ParameterUnit.PERCENT:
        return f"{text} %"
    if row.unit == ParameterUnit.YES_NO:
        return gettext("Yes") if row.value else gettext("No")
    if row.unit == ParameterUnit.COUNT:
        return text
    return f"{text} {row.get_unit_display()}"


def variant_choices() -> list[tuple[str, str]]:
    """The variants some rate defines (code, Vietnamese label), for the calculator."""
    labels: dict[str, set[str]] = {}
    for variant, label in SupportRate.objects.exclude(variant="").values_list("variant", "variant_label"):
        labels.setdefault(variant, set()).add(label or variant)
    # A variant whose label differs between rules (a prize per level) is shown by all its labels, never its code.
    return sorted(((variant, " / ".join(sorted(names))) for variant, names in labels.items()), key=lambda c: c[1])


def province_choices() -> QuerySet[AdminUnit]:
    return AdminUnit.objects.current().provinces().order_by("name")
