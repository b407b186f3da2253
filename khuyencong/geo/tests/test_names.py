import datetime
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit
from khuyencong.geo.names import (
    accent_tokens,
    compact,
    parse_name,
    parse_organisation,
    roman_value,
    search_terms,
    tokens,
    unit_keys,
)
from khuyencong.geo.places import read_place


@pytest.mark.parametrize(
    ("typed", "level", "key", "kinds"),
    [
        ("Tp. Tân An", "district", "tan an", {"thanh_pho"}),
        ("TP Tân An", "district", "tan an", {"thanh_pho"}),
        ("T.P Tân An", "district", "tan an", {"thanh_pho"}),
        ("H. Sìn Hồ", "district", "sin ho", {"huyen"}),
        ("H.Sìn Hồ", "district", "sin ho", {"huyen"}),
        ("Huyện Sìn Hồ", "district", "sin ho", {"huyen"}),
        ("TX Thủ Dầu Một", "district", "thu dau mot", {"thi_xa"}),
        ("Q.1", "district", "1", {"quan"}),
        ("Q1", "district", "1", {"quan"}),
        ("Quận 01", "district", "1", {"quan"}),
        ("P.1", "commune", "1", {"phuong"}),
        ("phuong 01", "commune", "1", {"phuong"}),
        ("TT. Yên Viên", "commune", "yen vien", {"thi_tran"}),
        ("Xã Hướng Thọ Phú", "commune", "huong tho phu", {"xa"}),
        ("  Bình   Dương ", "province", "binh duong", set()),
        ("Tỉnh Bình Dương", "province", "binh duong", {"tinh"}),
        ("TP.HCM", "province", "hcm", {"thanh_pho_tw"}),
        ("Phường", "commune", "phuong", set()),  # a type alone is kept as the name
    ],
)
def test_parse_name(typed, level, key, kinds):
    query = parse_name(typed, level)
    assert query.key == key
    assert query.kinds == kinds


def test_tone_mark_placement_is_one_spelling():
    assert accent_tokens("Hoà Bình") == accent_tokens("Hòa Bình") == ["hòa", "bình"]
    assert accent_tokens("Thuỷ") == accent_tokens("Thủy")
    assert accent_tokens("Hoàn Kiếm") == ["hoàn", "kiếm"]  # a tone inside the syllable stays put
    assert accent_tokens("Hoằng Đồng") != accent_tokens("Hoằng Đông")


def test_search_terms():
    assert search_terms("Thành phố Hà Nội") == ["thanh pho ha noi", "ha noi"]
    assert search_terms("TP Ha Noi") == ["tp ha noi", "ha noi"]
    assert search_terms("Phường 01") == ["phuong 01", "phuong 1"]  # never a bare number
    assert search_terms("") == []


@pytest.mark.django_db
def test_every_stored_name_parses_to_its_own_key(admin_units):
    for name, level in AdminUnit.objects.values_list("name", "level"):
        stripped, whole, _accent = unit_keys(name)
        for spelling in (name, fold(name), name.upper(), unicodedata.normalize("NFD", name)):
            query = parse_name(spelling, level)
            assert stripped in query.keys or whole in query.keys, (name, spelling, query)


@given(st.text(max_size=60))
def test_parsing_never_fails_and_keys_are_folded(text):
    for level in ("province", "district", "commune"):
        query = parse_name(text, level)
        for key in query.keys:
            assert key == fold(key) and key.strip() == key and "  " not in key
            assert compact(key) == key.replace(" ", "")
    assert all(t for t in tokens(text))


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=3))
def test_leading_zeros_do_not_matter(number, zeros):
    assert tokens(f"Phường {'0' * zeros}{number}") == ["phuong", str(number)]


# --- the shared reader of places and organisations (extraction, importer) -------------------------------------------



@pytest.mark.parametrize(("typed", "value"), [("I", 1), ("iv", 4), ("IX", 9), ("xii", 12), ("XXXIX", 39), ("ix", 9),
                                              ("vv", None), ("iiii", None), ("", None), ("Hòa", None)])
def test_roman_numerals(typed, value):
    assert roman_value(typed) == value


@pytest.mark.parametrize(("typed", "key"), [
    ("Phường IV", "4"), ("P. IV", "4"), ("P.iv", "4"), ("phuong XII", "12"), ("Quận I", "1"), ("Q. X", "10"),
])
def test_roman_ward_numbers_meet_arabic(typed, key):
    level = "district" if typed.lower().startswith("q") else "commune"
    assert parse_name(typed, level).key == key


@given(st.integers(min_value=1, max_value=39))
def test_roman_and_arabic_spellings_give_one_key(n):
    numerals = [("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1)]
    roman, rest = "", n
    for letters, value in numerals:
        while rest >= value:
            roman, rest = roman + letters, rest - value
    for typed in (f"Phường {roman.upper()}", f"P. {roman}", f"P.{n:02d}", f"phuong {n}"):
        assert parse_name(typed, "commune").key == str(n)
    assert unit_keys(f"Phường {roman.upper()}")[0] == str(n)


# A table of real-world spellings of organisations, as articles and spreadsheets write them.
@pytest.mark.parametrize(("typed", "kind", "full"), [
    ("TTKC&XTTM Lai Châu", "kc_centre", "Trung tâm Khuyến công và Xúc tiến thương mại Lai Châu"),
    ("TTKC & XTTM tỉnh Lai Châu", "kc_centre", "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Lai Châu"),
    ("TTKC-XTTM Lai Châu", "kc_centre", "Trung tâm Khuyến công và Xúc tiến thương mại Lai Châu"),
    ("TT KC - XTTM Lai Châu", "kc_centre", "Trung tâm Khuyến công và Xúc tiến thương mại Lai Châu"),
    ("TTKC&TVPTCN Bình Dương", "kc_centre", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Bình Dương"),
    ("ttkc va tvptcn binh duong", "kc_centre", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp binh duong"),
    ("TTKC Cần Thơ", "kc_centre", "Trung tâm Khuyến công Cần Thơ"),
    ("TT KC tỉnh Tây Ninh", "kc_centre", "Trung tâm Khuyến công tỉnh Tây Ninh"),
    ("TRUNG TÂM KHUYẾN CÔNG TỈNH LONG AN", "kc_centre", "Trung tâm Khuyến công TỈNH LONG AN"),
    ("SCT Hậu Giang", "doit", "Sở Công Thương Hậu Giang"),
    ("Sở CT Long An", "doit", "Sở Công Thương Long An"),
    ("Sở Công thương tỉnh Yên Bái", "doit", "Sở Công Thương tỉnh Yên Bái"),
    ("So Cong Thuong TP.HCM", "doit", "Sở Công Thương TP HCM"),
    ("UBND huyện Sìn Hồ", "people_committee", "Ủy ban nhân dân huyện Sìn Hồ"),
    ("Ủy ban nhân dân tỉnh Lai Châu", "people_committee", "Ủy ban nhân dân tỉnh Lai Châu"),
    ("Phòng KT-HT huyện Than Uyên", "economy_office", "Phòng Kinh tế và Hạ tầng huyện Than Uyên"),
])
def test_organisation_spellings(typed, kind, full):
    found = parse_organisation(typed)
    assert (found.kind, found.full_name) == (kind, full)


@pytest.mark.parametrize("typed", ["Hồng Ân - TTKC.", "Các bài viết đã đăng", "", "Đoàn công tác"])
def test_not_an_organisation(typed):
    assert parse_organisation(typed) is None


@given(st.text(max_size=80))
def test_organisation_reader_never_fails(text):
    found = parse_organisation(text)
    assert found is None or found.kind in {"kc_centre", "doit", "people_committee", "economy_office"}


@given(st.sampled_from(["TTKC", "TT KC", "Trung tâm Khuyến công", "trung tam khuyen cong", "TRUNG TÂM KHUYẾN CÔNG"]),
       st.sampled_from(["", "tỉnh ", "TP. ", "thành phố "]), st.sampled_from(["Lai Châu", "Cần Thơ", "Tây Ninh"]))
def test_centre_spellings_keep_the_place(centre, level, place):
    found = parse_organisation(f"{centre} {level}{place}")
    assert found.kind == "kc_centre" and found.place_name == place


D = datetime.date


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "on", "then", "now"), [
    ("Bình Dương", D(2018, 5, 17), ("legacy", 74), [79]),
    ("tinh binh duong", D(2018, 5, 17), ("legacy", 74), [79]),
    ("T. Long An", D(2018, 5, 17), ("legacy", 80), [80]),
    ("HẬU GIANG", D(2018, 5, 17), ("legacy", 93), [92]),
    ("TP. Hải Phòng", D(2016, 11, 29), ("legacy", 31), [31]),
    ("Yen Bai", D(2016, 11, 29), ("legacy", 15), [15]),
    ("TP.HCM", D(2020, 1, 1), ("legacy", 79), [79]),
    ("Cần Thơ", D(2025, 9, 1), ("current", 92), [92]),
    ("TP Hồ Chí Minh", D(2026, 1, 1), ("current", 79), [79]),
])
def test_places_at_a_date_then_and_now(admin_units, typed, on, then, now):
    found = read_place(typed, on)
    assert (found.then.scheme, found.then.code) == then
    assert [u.code for u in found.now] == now


@pytest.mark.django_db
def test_districts_and_communes_at_a_date(admin_units):
    found = read_place("H. Sìn Hồ", D(2016, 1, 1), level="district", province="Lai Châu")
    assert found.then.name == "Huyện Sìn Hồ" and found.now and all(u.province.code == 12 for u in found.now)
    ward = read_place("P. I", D(2019, 1, 1), level="commune", province="Long An", district="TP Tân An")
    assert ward.then.name == "Phường 1" and [u.name for u in ward.now] == ["Phường Long An"]
    assert read_place("Nơi không có", D(2019, 1, 1)).then is None
    assert read_place("Sìn Hồ", D(2026, 1, 1), level="district").status == "not_found"  # no districts since 2025
