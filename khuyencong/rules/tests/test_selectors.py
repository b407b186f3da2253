import datetime

import pytest

from khuyencong.rules import selectors

pytestmark = pytest.mark.usefixtures("rules")


def test_content_list_on_a_date_hides_contents_not_yet_in_the_law():
    before = {c.code for c in selectors.content_list(on_date=datetime.date(2025, 1, 1))}
    after = {c.code for c in selectors.content_list(on_date=datetime.date(2026, 1, 1))}
    assert "digital_transformation" not in before
    assert "digital_transformation" in after and "machinery" in before


def test_content_search_ignores_diacritics():
    codes = {c.code for c in selectors.content_list(q="chuyen doi so")}
    assert codes == {"digital_transformation"}


def test_support_rates_on_a_date_with_a_province_include_national_and_local_rows():
    rows = list(selectors.support_rates(on_date=datetime.date(2026, 3, 1), content="machinery", province_code=12))
    assert {(r.fund, r.variant) for r in rows} == {
        ("national", ""), ("national", "technology_line"), ("local", ""), ("local", "technology_line")}


def test_rules_on_groups_contents_with_their_rates_in_fixed_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        page = selectors.rules_on(on_date=datetime.date(2026, 3, 1))
        rates = [rate.content.code for block in page["groups"] for item in block["items"] for rate in item["rates"]]
    assert "machinery" in rates
    assert page["content_count"] >= 27
    assert {d.code for d in page["deadlines"]} >= {"register_doit", "liquidation_settlement"}


def test_variant_choices_label_each_variant():
    choices = dict(selectors.variant_choices())
    assert "technology_line" in choices
    # Labelled differently per level: shown by its labels, never by its code.
    assert choices["prize"] == "Thưởng sản phẩm đạt giải cấp khu vực / Thưởng sản phẩm đạt giải cấp quốc gia"
