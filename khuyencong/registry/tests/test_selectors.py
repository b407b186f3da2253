"""Reads of the registry: search without diacritics, scope, likely duplicates, the support timeline."""

import unicodedata

import pytest

from khuyencong.registry import selectors
from khuyencong.registry.models import SupportRecord
from khuyencong.registry.selectors import EstablishmentFilters, duplicate_candidates, establishment_list

from .helpers import LAI_CHAU, TAY_NINH, current_commune, make_establishment

pytestmark = pytest.mark.django_db


@pytest.fixture
def tu_hoa():
    make_establishment(name="Cơ sở mộc Phúc Lộc", main_products="Bàn ghế gỗ", representative="Trần Văn Lộc")
    make_establishment(name="Hợp tác xã dệt thổ cẩm", main_products="Vải thổ cẩm", entity_type="cooperative")
    return make_establishment(
        name="Cơ sở bánh tráng Tư Hòa", main_products="Bánh tráng phơi sương", representative="Nguyễn Văn Tư",
        address="Ấp Đông Hòa", phone="0912345678", tax_code="0300588569",
    )


def _search(user, q):
    return list(establishment_list(user=user, filters=EstablishmentFilters(q=q)))


@pytest.mark.parametrize("q", [
    "banh trang",
    "BÁNH TRÁNG",
    unicodedata.normalize("NFD", "bánh tráng"),
    "  bánh   tráng ",
    "Bánh Tráng Tư Hòa",
    "dong hoa",  # đ ↔ d: "Đông" typed without diacritics
    "Đông",
    "ĐÔNG HÒA",
    "phoi suong",  # the products
    "nguyen van tu",  # the representative
    "ap dong",  # the address
    "0300588569",  # the tax code
    "0300 588 569",
    "0300588",  # the start of the tax code
    "0912345678",  # the phone
])
def test_search_finds_tu_hoa(staff, tu_hoa, q):
    assert _search(staff, q) == [tu_hoa]


def test_every_word_must_match(staff, tu_hoa):
    assert _search(staff, "banh trang loc") == []
    assert [e.name for e in _search(staff, "ban ghe go")] == ["Cơ sở mộc Phúc Lộc"]


def test_a_d_in_the_data_is_found_by_d_with_stroke(staff):
    dong = make_establishment(name="Cơ sở nước mắm Năm Dong")
    assert _search(staff, "Năm Đông") == [dong]


def test_a_province_user_sees_only_their_province(staff, laichau_staff):
    mine = make_establishment(name="Cơ sở bánh tráng Tư Hòa")
    make_establishment(name="Cơ sở bánh tráng Lai Châu", commune=current_commune(LAI_CHAU))
    assert _search(staff, "banh trang") == [mine]
    assert [e.name for e in _search(laichau_staff, "banh trang")] == ["Cơ sở bánh tráng Lai Châu"]


def test_merged_records_are_hidden_unless_asked(staff):
    kept = make_establishment(name="Cơ sở bánh tráng Tư Hòa")
    gone = make_establishment(name="Cơ sở bánh tráng Tư Hòa", merged_into=kept, status="closed")
    assert list(establishment_list(user=staff)) == [kept]
    assert set(establishment_list(user=staff, filters=EstablishmentFilters(include_merged=True))) == {kept, gone}


def test_establishment_get_respects_the_scope(staff, laichau_staff):
    e = make_establishment()
    assert selectors.establishment_get(user=staff, pk=e.pk) == e
    assert selectors.establishment_get(user=laichau_staff, pk=e.pk) is None


def test_timeline_lists_supports_newest_first(staff):
    e = make_establishment()
    SupportRecord.objects.create(establishment=e, year=2019, fund="local", description="Đào tạo nghề", amount=None)
    SupportRecord.objects.create(establishment=e, year=2023, fund="national", description="Máy sấy",
                                 amount=120_000_000, content_code="machinery")
    e = selectors.establishment_get(user=staff, pk=e.pk)
    timeline = selectors.establishment_timeline(establishment=e)
    assert [(item["year"], item["title"]) for item in timeline] == [(2023, "Máy sấy"), (2019, "Đào tạo nghề")]
    assert timeline[0]["amount"] == 120_000_000


# --- duplicates ---------------------------------------------------------------------------------------------------


def test_duplicate_candidates_by_name_and_commune_and_by_phone(staff):
    commune, other_commune = current_commune(TAY_NINH, index=0), current_commune(TAY_NINH, index=1)
    a = make_establishment(name="Cơ sở bánh tráng Tư Hòa", commune=commune)
    b = make_establishment(name="CƠ SỞ BÁNH TRÁNG TƯ HOÀ", commune=commune)  # same once folded
    make_establishment(name="Cơ sở bánh tráng Tư Hòa", commune=other_commune)  # same name, another commune
    c = make_establishment(name="Cơ sở mộc Phúc Lộc", phone="0987654321")
    d = make_establishment(name="Xưởng mộc Phúc Lộc", phone="0987654321", commune=other_commune)
    make_establishment(name="Cơ sở lẻ", phone="0911111111")
    groups = duplicate_candidates(user=staff)
    found = {(g["reason"], tuple(e.pk for e in g["establishments"])) for g in groups}
    assert found == {("same_name", (a.pk, b.pk)), ("same_phone", (c.pk, d.pk))}


def test_duplicate_candidates_stay_in_the_area(staff, laichau_staff):
    make_establishment(name="Cơ sở trùng", phone="0912345678")
    make_establishment(name="Cơ sở trùng", phone="0912345678")
    assert len(duplicate_candidates(user=staff)) == 1  # the same pair, listed once
    assert duplicate_candidates(user=laichau_staff) == []


def test_merged_records_are_not_duplicates(staff):
    kept = make_establishment(name="Cơ sở trùng")
    make_establishment(name="Cơ sở trùng", merged_into=kept)
    assert duplicate_candidates(user=staff) == []


def test_a_search_gives_the_same_rows_whether_its_matches_are_few_or_many(staff, monkeypatch):
    """A few matches are passed on as their ids, many are left to the planner (FEW_MATCHES): same rows, same order,
    with the other filters and the tax code still applied."""
    for i in range(5):
        make_establishment(name=f"Cơ sở gốm Bát Tràng {i}", main_products="Gốm sứ")
    make_establishment(name="Cơ sở gốm Chu Đậu", main_products="Gốm", entity_type="cooperative")
    make_establishment(name="Cơ sở mây tre", main_products="Mây tre đan")
    cases = [EstablishmentFilters(q="gom"), EstablishmentFilters(q="gốm bát", entity_type="household"),
             EstablishmentFilters(q="may tre")]
    few = [[e.name for e in establishment_list(user=staff, filters=f)] for f in cases]
    monkeypatch.setattr(selectors, "FEW_MATCHES", 1)
    many = [[e.name for e in establishment_list(user=staff, filters=f)] for f in cases]
    assert few == many
    assert len(few[0]) == 6 and len(few[1]) == 5 and few[2] == ["Cơ sở mây tre"]
