import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit, Succession
from khuyencong.geo.resolve import Resolution, ResolutionStatus, resolve_legacy_address

pytestmark = pytest.mark.django_db

STATUSES = set(ResolutionStatus.values)


def current_names(res: Resolution) -> list[str]:
    return [c.unit.name for c in res.current]


@pytest.mark.parametrize(
    ("typed", "legacy", "current"),
    [
        ("Long An", "Tỉnh Long An", "Tỉnh Tây Ninh"),
        ("Hậu Giang", "Tỉnh Hậu Giang", "Thành phố Cần Thơ"),
        ("Bình Dương", "Tỉnh Bình Dương", "Thành phố Hồ Chí Minh"),
        ("binh duong", "Tỉnh Bình Dương", "Thành phố Hồ Chí Minh"),
        ("Tỉnh Bình Dương", "Tỉnh Bình Dương", "Thành phố Hồ Chí Minh"),
        ("Yên Bái", "Tỉnh Yên Bái", "Tỉnh Lào Cai"),
        ("YEN BAI", "Tỉnh Yên Bái", "Tỉnh Lào Cai"),
        (unicodedata.normalize("NFD", "Yên Bái"), "Tỉnh Yên Bái", "Tỉnh Lào Cai"),
        ("TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("TP HCM", "Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("Thừa Thiên Huế", "Thành phố Huế", "Thành phố Huế"),
        ("Bà Rịa Vũng Tàu", "Tỉnh Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh"),
        ("Kontum", "Tỉnh Kon Tum", "Tỉnh Quảng Ngãi"),
        ("Hoà Bình", "Tỉnh Hoà Bình", "Tỉnh Phú Thọ"),
        ("  tp   ha   noi ", "Thành phố Hà Nội", "Thành phố Hà Nội"),
    ],
)
def test_province_alone(admin_units, typed, legacy, current):
    res = resolve_legacy_address(typed)
    assert res.status == ResolutionStatus.EXACT
    assert res.level == "province"
    assert res.legacy_province.name == legacy
    assert res.current_province.name == current
    assert current_names(res) == [current]
    assert current in res.message and "1/7/2025" in res.message


def test_tay_ninh_is_read_as_the_old_province_first(admin_units):
    # Also a current province's name; an old spreadsheet means the old province (code 72), now in Tây Ninh (80).
    res = resolve_legacy_address("Tây Ninh")
    assert (res.scheme, res.legacy_province.code, res.current_province.code) == ("legacy", 72, 80)


def test_tien_giang_goes_to_dong_thap(admin_units):
    res = resolve_legacy_address("Tiền Giang")
    assert res.status == ResolutionStatus.EXACT
    assert current_names(res) == ["Tỉnh Đồng Tháp"]


@pytest.mark.parametrize(
    "district",
    ["Tp. Tân An", "TP Tân An", "tp tan an", "Thành phố Tân An", "T.P Tân An", "Tân An"],
)
@pytest.mark.parametrize("commune", ["Phường 1", "P.1", "P1", "phuong 01", "Phường  01", "1"])
def test_long_an_tan_an_ward_1(admin_units, district, commune):
    res = resolve_legacy_address("Long An", district, commune)
    assert res.legacy_district.name == "Thành phố Tân An"
    assert res.legacy_commune.name == "Phường 1"
    assert res.level == "commune"
    successors = Succession.objects.filter(legacy=res.legacy_commune).order_by("current__code")
    assert current_names(res) == [s.current.name for s in successors] == ["Phường Long An"]  # the table's answer
    assert res.status == ResolutionStatus.EXACT
    assert res.current_province.name == "Tỉnh Tây Ninh"


def test_ward_1_without_district_is_ambiguous_in_long_an(admin_units):
    res = resolve_legacy_address("Long An", "", "P.1")
    assert res.status == ResolutionStatus.AMBIGUOUS
    assert res.part == "commune"
    assert sorted(u.parent.name for u in res.candidates) == ["Thành phố Tân An", "Thị xã Kiến Tường"]
    assert "Kiến Tường" in res.message and not res.current


def test_commune_without_district(admin_units):
    res = resolve_legacy_address("Long An", "", "Xã Hướng Thọ Phú")
    assert res.status == ResolutionStatus.EXACT
    assert res.legacy_district.name == "Thành phố Tân An"
    assert res.current_province.name == "Tỉnh Tây Ninh"


@pytest.mark.parametrize("district", ["TX Thủ Dầu Một", "Thị xã Thủ Dầu Một", "TP Thủ Dầu Một", "thu dau mot"])
def test_binh_duong_thu_dau_mot(admin_units, district):
    # A town (thị xã) until 2012, a city since: the type typed is a hint, the name decides.
    res = resolve_legacy_address("Bình Dương", district)
    assert res.status == ResolutionStatus.EXACT
    assert res.level == "district"
    assert res.legacy_district.name == "Thành phố Thủ Dầu Một"
    assert res.current_province.name == "Thành phố Hồ Chí Minh"
    assert "Phường Thủ Dầu Một" in current_names(res)
    assert len(res.current) == Succession.objects.filter(legacy=res.legacy_district).count()


@pytest.mark.parametrize("district", ["H. Sìn Hồ", "H.Sìn Hồ", "Huyện Sìn Hồ", "huyen sin ho", "SÌN HỒ"])
def test_lai_chau_sin_ho(admin_units, district):
    res = resolve_legacy_address("Lai Châu", district)
    assert res.status == ResolutionStatus.EXACT
    assert res.legacy_district.name == "Huyện Sìn Hồ"
    assert res.current_province.name == "Tỉnh Lai Châu"
    assert "Xã Sìn Hồ" in current_names(res)
    assert all(c.unit.province.code == 12 for c in res.current)


@pytest.mark.parametrize(
    ("district", "name"),
    [("Q.1", "Quận 1"), ("Quận 1", "Quận 1"), ("q1", "Quận 1"), ("Quận 01", "Quận 1"), ("Q. 12", "Quận 12")],
)
def test_numbered_districts(admin_units, district, name):
    res = resolve_legacy_address("TP HCM", district)
    assert res.legacy_district.name == name
    assert res.status == ResolutionStatus.EXACT


def test_split_commune_lists_every_successor(admin_units):
    res = resolve_legacy_address("Hà Nội", "Q. Ba Đình", "P. Điện Biên")
    assert res.status == ResolutionStatus.SPLIT
    assert res.legacy_commune.name == "Phường Điện Biên"
    assert len(res.current) == 4 and all(c.partial for c in res.current)
    assert "Phường Ba Đình" in current_names(res)
    assert "4" in res.message
    assert res.current_province.name == "Thành phố Hà Nội"


def test_unmapped_commune(admin_units):
    # Phường 1 of the old Quận 6 is one of the 28 communes missing from the package's conversion table.
    res = resolve_legacy_address("Hồ Chí Minh", "Quận 6", "Phường 1")
    assert res.status == ResolutionStatus.UNMAPPED
    assert res.legacy_commune.code == 27379
    assert res.current == []
    assert res.current_province.name == "Thành phố Hồ Chí Minh"
    assert not Succession.objects.filter(legacy=res.legacy_commune).exists()


def test_unmapped_island_district_suggests_the_special_zone(admin_units):
    res = resolve_legacy_address("Hải Phòng", "Huyện Bạch Long Vĩ")
    assert res.status == ResolutionStatus.UNMAPPED
    assert [u.name for u in res.candidates] == ["Đặc khu Bạch Long Vĩ"]  # a suggestion, not the answer
    assert res.current == []


@pytest.mark.parametrize(
    ("args", "part"),
    [
        (("Xyz",), "province"),
        (("Long An", "Huyện Không Có"), "district"),
        (("Long An", "TP Tân An", "Xã Không Có"), "commune"),
        (("",), "province"),
        (("   ", "Tân An"), "province"),
    ],
)
def test_not_found_says_which_part(admin_units, args, part):
    res = resolve_legacy_address(*args)
    assert res.status == ResolutionStatus.NOT_FOUND
    assert res.part == part and res.level == part
    assert res.current == []
    assert res.message


def test_not_found_offers_similar_names(admin_units):
    res = resolve_legacy_address("Long An", "Bến")
    assert res.status == ResolutionStatus.NOT_FOUND
    assert "Huyện Bến Lức" in [u.name for u in res.candidates]


@pytest.mark.parametrize(
    ("args", "count"),
    [(("Hà Tĩnh", "Kỳ Anh"), 2), (("Hà Nội", "Gia Lâm", "Yên Viên"), 2), (("Thanh Hóa", "Hoằng Hóa", "Hoang Dong"), 2)],
)
def test_ambiguous_lists_candidates(admin_units, args, count):
    res = resolve_legacy_address(*args)
    assert res.status == ResolutionStatus.AMBIGUOUS
    assert len(res.candidates) == count
    assert res.current == []


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("Hà Tĩnh", "H. Kỳ Anh"), "Huyện Kỳ Anh"),
        (("Hà Tĩnh", "TX Kỳ Anh"), "Thị xã Kỳ Anh"),
        (("Hà Nội", "Gia Lâm", "TT Yên Viên"), "Thị trấn Yên Viên"),
        (("Hà Nội", "Gia Lâm", "Xã Yên Viên"), "Xã Yên Viên"),
        (("Thanh Hóa", "Hoằng Hóa", "Hoằng Đồng"), "Xã Hoằng Đồng"),
        (("Thanh Hóa", "Hoằng Hóa", "Hoằng Đông"), "Xã Hoằng Đông"),
    ],
)
def test_type_and_diacritics_tell_namesakes_apart(admin_units, args, name):
    res = resolve_legacy_address(*args)
    assert res.status != ResolutionStatus.AMBIGUOUS
    assert (res.legacy_commune or res.legacy_district).name == name


def test_new_province_with_old_district(admin_units):
    # A 2025 spreadsheet that writes today's province with the old district: Bến Lức was in Long An.
    res = resolve_legacy_address("Tây Ninh", "Huyện Bến Lức")
    assert res.status == ResolutionStatus.EXACT
    assert res.legacy_province.name == "Tỉnh Long An"
    assert res.current_province.name == "Tỉnh Tây Ninh"


def test_current_commune_name_is_accepted(admin_units):
    res = resolve_legacy_address("Long An", "", "Phường Long An")
    assert res.status == ResolutionStatus.EXACT
    assert res.scheme == "current"
    assert current_names(res) == ["Phường Long An"]
    assert res.legacy_commune is None
    assert res.current_province.name == "Tỉnh Tây Ninh"


def test_messages_are_vietnamese(admin_units):
    res = resolve_legacy_address("Hà Nội", "Ba Đình", "Điện Biên")
    assert res.message.endswith("cần chọn một.")
    assert "đã được chia cho 4 xã/phường mới" in res.message
    assert "Không tìm thấy" in resolve_legacy_address("Xyz").message
    assert res.status_label == "Bị chia tách"


def test_a_handful_of_queries(admin_units, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        resolve_legacy_address("Long An", "TP Tân An", "Phường 1")
    with django_assert_max_num_queries(6):
        resolve_legacy_address("Long An", "", "Xã Hướng Thọ Phú")
    with django_assert_max_num_queries(3):
        resolve_legacy_address("Bình Dương")


def test_every_legacy_district_resolves_by_its_own_name(admin_units):
    districts = AdminUnit.objects.legacy().filter(level="district").select_related("parent")
    for district in districts:
        # Folded: no diacritics left to tell namesakes apart, only the type word ("huyen ky anh", "thi xa ky anh").
        province, name = fold(district.parent.name), fold(district.name)
        res = resolve_legacy_address(province, name)
        assert res.legacy_district == district, (province, name, res.message)
        assert res.status in {ResolutionStatus.EXACT, ResolutionStatus.UNMAPPED}


_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(province=_text | st.sampled_from(["Long An", "Hà Nội", "TP HCM", "binh duong"]), district=_text, commune=_text)
def test_never_raises_and_always_answers(admin_units, province, district, commune):
    res = resolve_legacy_address(province, district, commune)
    assert res.status in STATUSES
    assert res.message
    assert res.level in {"province", "district", "commune"}
    if res.status == ResolutionStatus.EXACT:
        assert res.current
    if res.status in {ResolutionStatus.NOT_FOUND, ResolutionStatus.AMBIGUOUS}:
        assert res.part in {"province", "district", "commune"} and not res.current


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(min_value=0, max_value=10050), spelling=st.sampled_from(["as is", "folded", "upper"]))
def test_legacy_commune_round_trip(admin_units, index, spelling):
    commune = AdminUnit.objects.legacy().communes().select_related("parent", "province").order_by("code")[index]
    spell = {"as is": str, "folded": fold, "upper": str.upper}[spelling]
    res = resolve_legacy_address(spell(commune.province.name), spell(commune.parent.name), spell(commune.name))
    if res.status == ResolutionStatus.AMBIGUOUS:  # true namesakes in one district (e.g. two "Thị trấn Vĩnh Thạnh")
        assert commune in res.candidates
        return
    assert res.legacy_commune == commune, res.message
    successors = Succession.objects.filter(legacy=commune).count()
    expected = {0: ResolutionStatus.UNMAPPED, 1: ResolutionStatus.EXACT}.get(successors, ResolutionStatus.SPLIT)
    assert res.status == expected
    assert len(res.current) == successors


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("Long An", "", "P.1"), "hãy ghi thêm quận/huyện để phân biệt."),
        (("Hà Nội", "Gia Lâm", "Yên Viên"), "hãy ghi thêm loại đơn vị (xã, phường, thị trấn) để phân biệt."),
        (("Hà Tĩnh", "Kỳ Anh"), "hãy ghi thêm loại đơn vị (huyện, quận, thị xã, thành phố) để phân biệt."),
    ],
)
def test_ambiguous_message_says_what_to_add(admin_units, args, hint):
    res = resolve_legacy_address(*args)
    assert res.status == ResolutionStatus.AMBIGUOUS
    assert res.message.endswith(hint)
