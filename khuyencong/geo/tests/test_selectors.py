import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khuyencong.core.errors import InvalidInput, NotFound
from khuyencong.core.text import fold
from khuyencong.geo import selectors
from khuyencong.geo.models import AdminUnit

pytestmark = pytest.mark.django_db

HA_NOI_NFD = unicodedata.normalize("NFD", "Hà Nội")


@pytest.mark.parametrize(
    ("scheme", "level", "count"),
    [
        ("current", "province", 34),
        ("current", "commune", 3321),
        ("legacy", "province", 63),
        ("legacy", "district", 696),
        ("legacy", "commune", 10051),
    ],
)
def test_counts(admin_units, scheme, level, count):
    assert selectors.unit_list(scheme=scheme, level=level).count() == count


def test_ordered_by_code(admin_units):
    codes = list(selectors.unit_list(scheme="current", level="province").values_list("code", flat=True))
    assert codes == sorted(codes)
    assert codes[:3] == [1, 4, 8]


@pytest.mark.parametrize(
    "q", ["ha noi", "Hà Nội", "HÀ NỘI", HA_NOI_NFD, "  ha   NOI ", "Thành phố Hà Nội", "TP Ha Noi"]
)
def test_search_ignores_diacritics_case_and_normalisation(admin_units, q):
    found = list(selectors.unit_list(scheme="current", level="province", q=q))
    assert found[0].name == "Thành phố Hà Nội"
    # Across all levels the province still ranks first: an exact name beats communes that merely contain it.
    assert selectors.unit_list(scheme="current", q=q).first().name == "Thành phố Hà Nội"


def test_nfd_input_really_is_decomposed():
    assert HA_NOI_NFD != "Hà Nội" and fold(HA_NOI_NFD) == "ha noi"


def test_search_d_and_đ_are_one_letter(admin_units):
    names = set(selectors.unit_list(scheme="current", level="province", q="dong nai").values_list("name", flat=True))
    assert names == {"Thành phố Đồng Nai"}
    names = [u.name for u in selectors.unit_list(scheme="current", level="province", q="ĐỒNG")]
    assert names == ["Thành phố Đồng Nai", "Tỉnh Đồng Tháp", "Tỉnh Lâm Đồng"]  # prefixes before "contains"


def test_search_ranks_exact_then_prefix_then_contains(admin_units):
    units = list(selectors.unit_list(scheme="legacy", level="commune", q="an binh"))
    assert len(units) > 10

    def rank(unit):
        return 0 if unit.name_folded == "an binh" else 1 if unit.name_folded.startswith("an binh") else 2

    ranks = [rank(u) for u in units]
    assert ranks == sorted(ranks)
    assert {0, 1, 2} <= set(ranks)
    assert all("an binh" in u.name_folded for u in units)


def test_search_by_code(admin_units):
    units = list(selectors.unit_list(scheme="current", level="province", q="80"))
    assert [u.name for u in units] == ["Tỉnh Tây Ninh"]


def test_numbered_wards(admin_units):
    units = list(selectors.unit_list(scheme="legacy", level="commune", parent_code=794, q="phường 01"))
    assert units[0].name == "Phường 1"


def test_parent_code_is_the_direct_parent(admin_units):
    lai_chau_communes = selectors.unit_list(scheme="current", level="commune", parent_code=12)
    assert lai_chau_communes.count() == AdminUnit.objects.current().communes().filter(parent__code=12).count() > 30
    # Legacy: province → districts, district → communes; codes of different levels never mix.
    long_an_districts = selectors.unit_list(scheme="legacy", parent_code=80)
    assert long_an_districts.count() == 15
    assert {u.level for u in long_an_districts} == {"district"}
    tan_an_wards = selectors.unit_list(scheme="legacy", level="commune", parent_code=794)
    assert tan_an_wards.count() == 13
    assert {u.parent.name for u in tan_an_wards} == {"Thành phố Tân An"}
    assert not selectors.unit_list(scheme="current", level="province", parent_code=1).exists()


def test_province_code_filters_every_level(admin_units):
    long_an = selectors.unit_list(scheme="legacy", level="commune", province_code=80)
    assert long_an.count() == AdminUnit.objects.legacy().communes().filter(province__code=80).count() > 150
    assert selectors.unit_list(scheme="legacy", province_code=80).count() == 1 + 15 + long_an.count()


def test_list_is_free_of_n_plus_one(admin_units, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = [
            (u.name, u.parent.name, u.province.name)
            for u in selectors.unit_list(scheme="legacy", level="commune")[:200]
        ]
    assert len(rows) == 200


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"scheme": "old"}, "scheme"),
        ({"scheme": "current", "level": "ward"}, "level"),
        ({"scheme": "current", "level": "district"}, "level"),
    ],
)
def test_bad_scheme_or_level(admin_units, kwargs, field):
    with pytest.raises(InvalidInput) as info:
        selectors.unit_list(**kwargs)
    assert info.value.field == field
    assert info.value.message  # a Vietnamese sentence for the person who sent it


def test_unit_get(admin_units):
    long_an = AdminUnit.objects.legacy().provinces().get(code=80)
    unit = selectors.unit_get(pk=long_an.pk)
    assert [s.current.name for s in unit.successors.all()] == ["Tỉnh Tây Ninh"]
    with pytest.raises(NotFound):
        selectors.unit_get(pk=0)


_PROVINCES = [
    "Thành phố Hà Nội",
    "Tỉnh Lai Châu",
    "Tỉnh Đắk Lắk",
    "Thành phố Hồ Chí Minh",
    "Tỉnh Khánh Hòa",
    "Thành phố Huế",
    "Tỉnh Quảng Ngãi",
    "Tỉnh Điện Biên",
    "Thành phố Đà Nẵng",
    "Tỉnh Thanh Hóa",
]


def _spell(name: str, how: str) -> str:
    short = name.split(" ", 2)[-1] if name.startswith("Thành phố") else name.split(" ", 1)[1]
    return {
        "upper": short.upper(),
        "lower": short.lower(),
        "nfd": unicodedata.normalize("NFD", short),
        "folded": fold(short),
        "spaced": f"  {short}  ".replace(" ", "  "),
    }[how]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(_PROVINCES), how=st.sampled_from(["upper", "lower", "nfd", "folded", "spaced"]))
def test_any_spelling_of_a_province_finds_it_first(admin_units, name, how):
    assert selectors.unit_list(scheme="current", level="province", q=_spell(name, how)).first().name == name
