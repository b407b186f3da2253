import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit
from khuyencong.geo.names import accent_tokens, compact, parse_name, search_terms, tokens, unit_keys


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
