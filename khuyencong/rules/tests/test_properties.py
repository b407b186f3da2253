"""Properties: a quote never exceeds the percentage or the cap; rule validity never overlaps."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from khuyencong.core.errors import InvalidInput
from khuyencong.rules import engine
from khuyencong.rules.loader import check_no_overlap
from khuyencong.rules.models import RULE_MODELS, ContentItem, FundSource, Mark, SupportRate

DB_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
DAY0 = datetime.date(2030, 1, 1)

dates = st.dates(min_value=datetime.date(2012, 1, 1), max_value=datetime.date(2032, 12, 31))
costs = st.integers(min_value=0, max_value=10**13)
quote_cases = st.sampled_from([
    ("machinery", "national", None, ""),
    ("machinery", "national", None, "technology_line"),
    ("demo_model_new", "national", None, ""),
    ("award_round_regional", "national", None, ""),
    ("fair_domestic_participate", "national", None, ""),
    ("cluster_infrastructure", "national", None, ""),
    ("machinery", "local", 12, ""),
    ("fair_domestic_participate", "local", 12, ""),
])


@pytest.mark.usefixtures("rules")
@DB_SETTINGS
@given(case=quote_cases, cost=costs, on_date=dates, priority=st.booleans())
def test_quote_never_exceeds_the_percentage_or_the_cap(case, cost, on_date, priority):
    content, fund, province, variant = case
    try:
        quote = engine.support_quote(content, fund, province, cost, on_date, variant=variant or None,
                                     priority=priority)
    except InvalidInput:
        return  # no rule on that date: nothing to check
    rule = quote.rule
    assert 0 <= quote.support_vnd <= cost
    if rule.max_percent is not None:
        assert quote.support_vnd <= cost * rule.max_percent / 100
    if rule.max_amount_vnd is not None:
        multiplier = rule.priority_multiplier if (priority and rule.priority_multiplier) else 1
        assert quote.support_vnd <= rule.max_amount_vnd * multiplier
    assert quote.support_vnd == min(quote.percent_amount_vnd, quote.cap_vnd if quote.cap_vnd is not None else cost)
    assert isinstance(quote.support_vnd, int)


@pytest.mark.usefixtures("rules")
def test_loaded_rules_never_overlap():
    for model in RULE_MODELS:
        rows = list(model.objects.all())
        check_no_overlap(rows)  # the loader's own check
        if not model.overlap_fields:
            continue
        for a, b in itertools.combinations(rows, 2):  # and a brute-force one
            assert not (a.overlap_key() == b.overlap_key() and a.overlaps(b)), (a.key, b.key)


def _interval(start_offset: int, length: int | None) -> tuple[datetime.date, datetime.date | None]:
    start = DAY0 + datetime.timedelta(days=start_offset)
    return start, (start + datetime.timedelta(days=length) if length is not None else None)


intervals = st.tuples(st.integers(0, 60), st.one_of(st.none(), st.integers(0, 40)))


def _days(start, end):
    last = end or DAY0 + datetime.timedelta(days=400)
    return {start + datetime.timedelta(days=i) for i in range((last - start).days + 1)}


@pytest.mark.usefixtures("rules")
@DB_SETTINGS
@given(first=intervals, second=intervals)
def test_an_overlapping_rate_is_refused_and_a_disjoint_one_accepted(first, second):
    content = ContentItem.objects.get(code="brand")
    with transaction.atomic():
        start, end = _interval(*first)
        SupportRate.objects.create(key="p-1", content=content, fund=FundSource.NATIONAL, max_percent=50,
                                   max_amount_vnd=1, unit="brand", basis="A", effective_from=start, effective_to=end,
                                   mark=Mark.UNVERIFIED)
        start2, end2 = _interval(*second)
        candidate = SupportRate(key="p-2", content=content, fund=FundSource.NATIONAL, max_percent=50,
                                max_amount_vnd=1, unit="brand", basis="B", effective_from=start2, effective_to=end2,
                                mark=Mark.UNVERIFIED)
        share_a_day = bool(_days(start, end) & _days(start2, end2))
        if share_a_day:
            with pytest.raises(ValidationError) as exc:
                candidate.full_clean()
            assert "trùng" in str(exc.value)
        else:
            candidate.full_clean()
        transaction.set_rollback(True)


@given(st.lists(intervals, min_size=1, max_size=6))
def test_loader_overlap_check_refuses_exactly_the_overlapping_sets(spans):
    rows = []
    for i, (offset, length) in enumerate(spans):
        start, end = _interval(offset, length)
        rows.append(SupportRate(key=f"r{i}", content_id=1, fund="national", variant="", basis=f"B{i}",
                                effective_from=start, effective_to=end))
    any_overlap = any(_days(a.effective_from, a.effective_to) & _days(b.effective_from, b.effective_to)
                      for a, b in itertools.combinations(rows, 2))
    if any_overlap:
        with pytest.raises(InvalidInput):
            check_no_overlap(rows)
    else:
        check_no_overlap(rows)


@given(st.lists(intervals, min_size=2, max_size=5))
def test_rows_of_different_scopes_may_share_days(spans):
    rows = []
    for i, (offset, length) in enumerate(spans):
        start, end = _interval(offset, length)
        rows.append(SupportRate(key=f"r{i}", content_id=1, fund="local", province_code=i + 1, variant="",
                                basis=f"B{i}", effective_from=start, effective_to=end))
    assume(len(rows) > 1)
    check_no_overlap(rows)
