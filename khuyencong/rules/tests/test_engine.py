"""The answers of the rules engine for the cases the issue names, and its refusals."""

import datetime

import pytest

from khuyencong.core.errors import InvalidInput
from khuyencong.rules import engine
from khuyencong.rules.models import AuthorityRule, DeadlineKind, DeadlineRule

from .conftest import AFTER_235

pytestmark = pytest.mark.usefixtures("rules")

D = datetime.date
MILLION = 1_000_000


# --- support quote ------------------------------------------------------------------------------------------------


def test_machinery_quote_in_2026_is_limited_by_the_cap_of_circular_28():
    quote = engine.support_quote("machinery", "national", None, 800 * MILLION, D(2026, 3, 1))
    assert quote.support_vnd == 300 * MILLION
    assert quote.limited_by == "cap"
    assert quote.percent_amount_vnd == 400 * MILLION
    assert quote.rule.basis == "TT 28/2018/TT-BTC, Điều 8 khoản 4"
    assert quote.rule.mark == "verified"
    assert quote.rule.effective_from == D(2018, 5, 11)
    assert quote.rule.effective_to is None


def test_machinery_quote_in_2017_follows_the_2014_joint_circular():
    quote = engine.support_quote("machinery", "national", None, 800 * MILLION, D(2017, 6, 1))
    assert quote.support_vnd == 200 * MILLION
    assert quote.limited_by == "cap"
    assert quote.rule.basis.startswith("TTLT 26/2014/TTLT-BTC-BCT, Điều 6 khoản 2 điểm c")
    assert quote.rule.effective_to == D(2018, 5, 10)
    assert quote.rule.mark == "secondary"


def test_the_day_circular_28_starts_is_the_first_day_of_its_rates():
    def support_on(day):
        return engine.support_quote("machinery", "national", None, 800 * MILLION, day).support_vnd

    assert support_on(D(2018, 5, 10)) == 200 * MILLION
    assert support_on(D(2018, 5, 11)) == 300 * MILLION


def test_a_small_cost_is_limited_by_the_percentage_and_rounded_down():
    quote = engine.support_quote("machinery", "national", None, 100_000_001, AFTER_235)
    assert quote.support_vnd == 50_000_000  # floor(50 % × 100.000.001)
    assert quote.limited_by == "percent"


def test_technology_line_variant_has_its_own_cap():
    quote = engine.support_quote("machinery", "national", None, 2_000 * MILLION, AFTER_235, variant="technology_line")
    assert quote.support_vnd == 450 * MILLION
    assert quote.rule.variant == "technology_line"


def test_priority_multiplies_the_cap_when_the_rule_gives_a_multiplier():
    quote = engine.support_quote("machinery", "national", None, 800 * MILLION, D(2017, 6, 1), priority=True)
    assert quote.cap_vnd == 300 * MILLION  # 1.5 × 200 triệu under TTLT 26/2014 point t
    assert quote.support_vnd == 300 * MILLION


def test_priority_without_a_verified_multiplier_keeps_the_standard_cap_and_says_so():
    quote = engine.support_quote("machinery", "national", None, 800 * MILLION, AFTER_235, priority=True)
    assert quote.support_vnd == 300 * MILLION
    assert quote.multiplier is None
    assert any("hệ số ưu tiên" in note for note in quote.notes)


def test_amount_only_rule_cannot_pay_more_than_the_cost():
    quote = engine.support_quote("award_round_national", "national", None, 150 * MILLION, AFTER_235)
    assert quote.percent is None
    assert quote.support_vnd == 150 * MILLION
    assert engine.support_quote("award_round_national", "national", None, 900 * MILLION, AFTER_235).support_vnd == (
        400 * MILLION
    )


def test_lai_chau_local_rates():
    quote = engine.support_quote("demo_model_new", "local", 12, 2_000 * MILLION, AFTER_235)
    assert quote.support_vnd == 500 * MILLION
    assert quote.rule.basis.startswith("NQ 18/2025/NQ-HĐND")
    assert quote.rule.mark == "secondary"
    assert quote.rule.province_code == 12


def test_lai_chau_rates_start_on_5_may_2025():
    with pytest.raises(InvalidInput) as exc:
        engine.support_quote("machinery", "local", 12, 800 * MILLION, D(2025, 5, 4))
    assert exc.value.code == "no_rule"
    assert engine.support_quote("machinery", "local", 12, 800 * MILLION, D(2025, 5, 5)).support_vnd == 300 * MILLION


def test_unknown_content_is_refused_in_vietnamese():
    with pytest.raises(InvalidInput) as exc:
        engine.support_quote("flying_cars", "national", None, 1, AFTER_235)
    assert exc.value.code == "unknown_content"
    assert "Không có nội dung khuyến công" in exc.value.message


def test_a_date_without_a_rule_is_refused():
    with pytest.raises(InvalidInput) as exc:
        engine.support_quote("machinery", "national", None, 1, D(2013, 1, 1))
    assert exc.value.code == "no_rule"
    assert "01/01/2013" in exc.value.message


def test_an_unverified_rate_is_absent_not_guessed():
    # No amount of TT 28/2018/TT-BTC Điều 8 for brand support has been read, so rules/data has no row: the refusal
    # says so.
    with pytest.raises(InvalidInput) as exc:
        engine.support_quote("brand", "national", None, 100 * MILLION, AFTER_235)
    assert exc.value.code == "no_rule"
    assert "Chưa có mức hỗ trợ đã xác minh" in exc.value.message


def test_a_content_added_by_decree_235_does_not_exist_before_it():
    with pytest.raises(InvalidInput) as exc:
        engine.support_quote("digital_transformation", "national", None, 1, D(2025, 10, 14))
    assert exc.value.code == "no_rule"


def test_negative_cost_is_refused():
    with pytest.raises(InvalidInput) as exc:
        engine.support_quote("machinery", "national", None, -1, AFTER_235)
    assert exc.value.code == "negative_cost"
    assert "âm" in exc.value.message


@pytest.mark.parametrize("cost", [1.5, "800", True, None])
def test_cost_must_be_integer_dong(cost):
    with pytest.raises(InvalidInput):
        engine.support_quote("machinery", "national", None, cost, AFTER_235)


def test_local_fund_needs_a_current_province():
    with pytest.raises(InvalidInput):
        engine.support_quote("machinery", "local", None, 1, AFTER_235)
    with pytest.raises(InvalidInput):
        engine.support_quote("machinery", "local", 99, 1, AFTER_235)


def test_missing_variant_lists_the_variants_that_exist():
    with pytest.raises(InvalidInput) as exc:
        engine.support_quote("study_tour_establishment", "national", None, 1, D(2016, 1, 1))
    assert "overseas_airfare" in exc.value.message


# --- eligibility --------------------------------------------------------------------------------------------------


def test_sme_in_a_hanoi_ward_outside_a_craft_village_is_refused(hanoi_ward):
    result = engine.eligibility("sme", "small", hanoi_ward, AFTER_235)
    assert result.eligible is False
    assert hanoi_ward.name in result.reasons[0]
    assert "làng nghề" in result.reasons[0]
    assert result.basis == ["NĐ 235/2025/NĐ-CP, Điều 1 khoản 1 (sửa đổi khoản 2 Điều 1 NĐ 45/2012/NĐ-CP)"]


def test_sme_in_a_hanoi_ward_in_a_craft_village_is_accepted(hanoi_ward):
    result = engine.eligibility("sme", "small", hanoi_ward.code, AFTER_235, craft_village=True)
    assert result.eligible is True
    assert result.basis[0].startswith("NĐ 235/2025/NĐ-CP, Điều 1 khoản 1")


def test_sme_in_a_commune_is_accepted(hanoi_commune):
    result = engine.eligibility("sme", "micro", hanoi_commune, AFTER_235)
    assert result.eligible is True
    assert hanoi_commune.name in result.reasons[0]


def test_dongnai_ward_leaves_eligibility_when_the_province_becomes_a_city(dongnai_ward):
    assert engine.eligibility("household", None, dongnai_ward, D(2026, 4, 29)).eligible is True
    after = engine.eligibility("household", None, dongnai_ward, D(2026, 4, 30))
    assert after.eligible is False
    assert "Thành phố Đồng Nai" in after.reasons[0]


def test_cleaner_production_is_accepted_anywhere_and_at_any_size(hanoi_ward):
    result = engine.eligibility("other", None, hanoi_ward, AFTER_235, cleaner_production=True)
    assert result.eligible is True
    assert "sản xuất sạch hơn" in result.reasons[0]
    assert engine.eligibility("other", None, hanoi_ward, D(2020, 1, 1), cleaner_production=True).eligible is True


def test_large_enterprise_is_not_a_rural_industrial_establishment(hanoi_commune):
    result = engine.eligibility("other", None, hanoi_commune, AFTER_235)
    assert result.eligible is False
    assert "doanh nghiệp lớn" in result.reasons[0]


def test_province_wards_are_eligible_after_decree_235(laichau_ward):
    assert engine.eligibility("cooperative_union", None, laichau_ward, AFTER_235).eligible is True


def test_before_decree_235_a_ward_needs_review_and_unions_of_cooperatives_are_out(laichau_ward, hanoi_commune):
    ward = engine.eligibility("sme", "small", laichau_ward, D(2024, 6, 1))
    assert ward.eligible is False and ward.needs_review is True
    assert "TT 46/2012/TT-BCT" in " ".join(ward.basis)
    assert engine.eligibility("sme", "small", hanoi_commune, D(2024, 6, 1)).eligible is True
    union = engine.eligibility("cooperative_union", None, hanoi_commune, D(2024, 6, 1))
    assert union.eligible is False and union.needs_review is False
    assert union.basis[0].startswith("NĐ 45/2012/NĐ-CP")


def test_craft_village_did_not_override_the_place_before_decree_235(hanoi_ward):
    assert engine.eligibility("sme", "small", hanoi_ward, D(2025, 10, 14), craft_village=True).eligible is False
    assert engine.eligibility("sme", "small", hanoi_ward, D(2025, 10, 15), craft_village=True).eligible is True


def test_former_scheme_town_ward_was_eligible(rules):
    from khuyencong.geo.models import AdminUnit

    town_ward = AdminUnit.objects.filter(scheme="legacy", level="commune", kind="phuong", parent__kind="thi_xa").first()
    result = engine.eligibility("household", None, town_ward, D(2020, 1, 1))
    assert result.eligible is True


@pytest.mark.parametrize(
    ("entity_type", "sme_size", "field"),
    [("giant", None, "entity_type"), ("sme", None, "sme_size"), ("sme", "huge", "sme_size")],
)
def test_eligibility_refuses_bad_input(hanoi_commune, entity_type, sme_size, field):
    with pytest.raises(InvalidInput) as exc:
        engine.eligibility(entity_type, sme_size, hanoi_commune, AFTER_235)
    assert exc.value.field == field


def test_eligibility_refuses_an_unknown_commune():
    with pytest.raises(InvalidInput) as exc:
        engine.eligibility("sme", "small", 999_999, AFTER_235)
    assert exc.value.field == "commune"


def test_eligibility_before_any_rule_is_refused(hanoi_commune):
    with pytest.raises(InvalidInput) as exc:
        engine.eligibility("sme", "small", hanoi_commune, D(2011, 1, 1))
    assert exc.value.code == "no_rule"


# --- calendar, advances, authorities ------------------------------------------------------------------------------


def test_calendar_2027_lists_the_three_dated_deadlines_with_their_bases():
    items = engine.calendar(2027, "national")
    dated = {item["code"]: item for item in items if item["due_date"]}
    assert dated["register_doit"]["due_date"] == D(2026, 5, 20)
    assert dated["register_doit"]["basis"] == "TT 36/2013/TT-BCT, Điều 10 khoản 1 điểm b"
    assert dated["register_ministry"]["due_date"] == D(2026, 6, 15)
    assert dated["register_ministry"]["basis"] == "TT 36/2013/TT-BCT, Điều 10 khoản 2 điểm b"
    assert dated["liquidation_settlement"]["due_date"] == D(2028, 1, 22)
    assert dated["liquidation_settlement"]["basis"] == "TT 36/2013/TT-BCT, Điều 18 khoản 2"
    assert [i["due_date"] for i in items if i["due_date"]] == sorted(i["due_date"] for i in items if i["due_date"])


def test_calendar_includes_relative_deadlines_without_a_date():
    relative = {i["code"]: i for i in engine.calendar(2027, "national") if i["due_date"] is None}
    assert relative["monthly_progress_report"]["kind"] == DeadlineKind.MONTHLY
    assert relative["monthly_progress_report"]["day"] == 25
    assert relative["settlement_dossier"]["days_after"] == 15
    assert relative["settlement_dossier"]["basis"] == "TT 36/2013/TT-BCT, Điều 18 khoản 1"


def test_calendar_before_circular_36_is_empty_and_local_has_no_seeded_deadline():
    assert engine.calendar(2013, "national") == []
    assert engine.calendar(2027, "local") == []
    with pytest.raises(InvalidInput):
        engine.calendar(27, "national")


@pytest.mark.parametrize(
    ("content", "percent"),
    [("cluster_infrastructure", 30), ("training", 70), ("machinery", 70), ("enterprise_setup", 100)],
)
def test_first_advance_by_content(content, percent):
    info = engine.advance_rule(content, AFTER_235)
    assert info.first_advance_percent == percent
    assert info.first_advance_rule.basis.startswith("TT 36/2013/TT-BCT, Điều 13")


def test_content_without_its_own_advance_rule_gets_the_default_and_the_treasury_cap():
    info = engine.advance_rule("award_round_national", AFTER_235)
    assert info.first_advance_percent is None
    assert info.first_advance_rule.basis == "TT 36/2013/TT-BCT, Điều 16 khoản 2"
    assert info.treasury_cap_percent == 70
    assert info.treasury_cap_rule.mark == "unverified"
    assert engine.advance_rule("machinery", D(2016, 1, 1)).treasury_cap_rule.mark == "verified"


@pytest.mark.parametrize(
    ("change", "project_kind", "authority"),
    [
        ("increase_budget", "standard", "minister"),
        ("extend_next_year", "", "minister"),
        ("stop_project", "group", "minister"),
        ("change_location", "standard", "ministry_agency"),
        ("change_location", "group", "doit"),
        ("change_beneficiary", "group", "doit"),
        ("change_timing", "group", "ministry_agency"),
        ("reduce_budget", "flagship", "ministry_agency"),
    ],
)
def test_change_authority(change, project_kind, authority):
    row = engine.change_authority(change, project_kind, AFTER_235)
    assert row.authority == authority
    assert row.basis.startswith("TT 36/2013/TT-BCT, Điều 11")


def test_temporary_powers_of_decree_139_end_on_28_february_2027():
    assert engine.change_authority("ccn_infrastructure_support", "", D(2024, 6, 1)).authority == "district_pc"
    row = engine.change_authority("ccn_infrastructure_support", "", D(2027, 2, 28))
    assert row.authority == "commune_pc"
    assert row.effective_to == D(2027, 2, 28)
    with pytest.raises(InvalidInput):
        engine.change_authority("ccn_infrastructure_support", "", D(2027, 3, 1))


def test_programme_approval_moved_to_the_minister_with_decree_235():
    assert engine.change_authority("approve_programme", "", D(2025, 10, 14)).authority == "prime_minister"
    assert engine.change_authority("approve_programme", "", D(2025, 10, 15)).authority == "minister"


def test_every_authority_row_names_its_basis():
    assert all(row.basis and row.authority_label for row in AuthorityRule.objects.all())


def test_a_29_february_deadline_falls_on_28_february_in_common_years():
    rule = DeadlineRule(kind=DeadlineKind.FIXED, month=2, day=29, year_offset=0)
    assert rule.due_date(2027) == D(2027, 2, 28)
    assert rule.due_date(2028) == D(2028, 2, 29)
