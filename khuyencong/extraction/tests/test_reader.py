"""The reader on the two seed articles and on the traps the issue names."""

import datetime

import pytest

from khuyencong.extraction.reader import read_article

from .conftest import BINH_DUONG, LAI_CHAU_ARTICLE, seed

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def binh_duong(admin_units):
    return read_article(seed(BINH_DUONG), today=D(2026, 12, 1))


@pytest.fixture
def lai_chau(admin_units):
    return read_article(seed(LAI_CHAU_ARTICLE), today=D(2026, 12, 1))


def values(record, key):
    return record[key]["value"]


def test_every_field_has_value_span_confidence(binh_duong):
    for key, found in binh_duong.items():
        assert set(found) == {"value", "span", "confidence"}, key
        assert 0 <= found["confidence"] <= 1
        if found["span"]:
            assert 0 <= found["span"][0] < found["span"][1]


def test_binh_duong_organiser_then_and_now(binh_duong):
    organiser = values(binh_duong, "organiser")
    # the publisher prefix "Sở Công Thương:" before the title is not the organiser
    assert organiser["name"] == "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Bình Dương"
    assert organiser["province_code_then"] == 74  # Bình Dương (legacy)
    assert organiser["province_code_now"] == 79  # today TP Hồ Chí Minh
    text = seed(BINH_DUONG)
    start, end = binh_duong["organiser"]["span"]
    assert text[start:end] == organiser["name"]


def test_binh_duong_dates_kind_status(binh_duong):
    assert values(binh_duong, "start_date") == "2018-05-17"  # "từ 17- 18/5/2018"
    assert values(binh_duong, "end_date") == "2018-05-18"
    assert values(binh_duong, "kind") == "study_tour"
    assert values(binh_duong, "status") == "held"
    assert values(binh_duong, "title").startswith("học tập kinh nghiệm về công tác khuyến công")


def test_binh_duong_host_provinces_then_and_now(binh_duong):
    places = {p["name"]: p for p in values(binh_duong, "places")}
    assert set(places) == {"Long An", "Hậu Giang"}  # not Bình Dương, the organiser's own
    assert (places["Long An"]["code_then"], places["Long An"]["code_now"]) == (80, 80)  # → Tây Ninh
    assert places["Long An"]["name_now"] == "Tỉnh Tây Ninh"
    assert (places["Hậu Giang"]["code_then"], places["Hậu Giang"]["code_now"]) == (93, 92)  # → Cần Thơ
    assert all(p["level"] == "province" for p in places.values())


def test_binh_duong_head_participants_topics(binh_duong):
    assert values(binh_duong, "head") == {"name": "Phan Thị Khánh Duyên", "honorific": "bà", "title": "Trưởng đoàn"}
    counted = [p for p in values(binh_duong, "participants") if p["count"]]
    assert counted[0]["count"] == 10 and counted[0]["group"] == "cộng tác viên khuyến công"
    topics = {t["code"] for t in values(binh_duong, "topics")}
    assert {"collaborator_network", "management_capacity"} <= topics
    assert "consulting_services" not in topics  # only in the centre's name ("… và Tư vấn phát triển công nghiệp")
    assert values(binh_duong, "site_visits")  # unnamed model sites and establishments
    assert all(not v["named"] for v in values(binh_duong, "site_visits"))


def test_binh_duong_page_furniture_is_not_content(binh_duong):
    text = seed(BINH_DUONG)
    for key, found in binh_duong.items():
        for item in found["value"] if isinstance(found["value"], list) else []:
            assert "Các bài viết đã đăng" not in str(item), key
            assert "Hồng Ân" not in str(item), key
    assert "Các bài viết đã đăng" in text


def test_lai_chau_organiser_dates_places(lai_chau):
    organiser = values(lai_chau, "organiser")
    assert organiser["name"] == "Trung tâm Khuyến công và Xúc tiến thương mại Lai Châu"
    assert (organiser["province_code_then"], organiser["province_code_now"]) == (12, 12)
    # "từ ngày 28/11/2016 đến ngày 06/12/2016" (and "28⁄11⁄2016" written with fraction slashes before it)
    assert (values(lai_chau, "start_date"), values(lai_chau, "end_date")) == ("2016-11-28", "2016-12-06")
    assert values(lai_chau, "published_on") == "2016-11-29"  # the date before the lead, not the activity's
    assert values(lai_chau, "status") == "in_progress"  # published on 29/11 during the tour
    places = {p["name"]: (p["code_then"], p["code_now"]) for p in values(lai_chau, "places")}
    assert places == {"Hải Phòng": (31, 31), "Quảng Ninh": (22, 22), "Yên Bái": (15, 15)}
    yen_bai = next(p for p in values(lai_chau, "places") if p["name"] == "Yên Bái")
    assert yen_bai["name_now"] == "Tỉnh Lào Cai"


def test_lai_chau_topics_participants(lai_chau):
    topics = {t["code"] for t in values(lai_chau, "topics")}
    assert {"training", "management_capacity", "demonstration_models", "technology_transfer", "product_development",
            "policy", "settlement", "cluster_management", "consulting_services"} <= topics
    groups = [p["group"] for p in values(lai_chau, "participants")]
    assert any("Sở Công thương" in g for g in groups)
    assert values(lai_chau, "head") is None
    assert values(lai_chau, "kind") == "study_tour"
    assert values(lai_chau, "content")["code"] == "kc_capacity"


@pytest.mark.parametrize(("text", "start", "end"), [
    ("Lớp tập huấn diễn ra từ ngày 3/4/2019 đến ngày 5/4/2019 tại tỉnh Hà Giang.", "2019-04-03", "2019-04-05"),
    ("Hội chợ diễn ra 30/11 – 2/12/2020 tại Hà Nội.", "2020-11-30", "2020-12-02"),
    ("Hội thảo ngày 7∕8∕2021.", "2021-08-07", "2021-08-07"),
    ("Đoàn công tác từ 17－18/5/2018.", "2018-05-17", "2018-05-18"),
    ("Khóa đào tạo từ ngày 09 đến 11/10/2022.", "2022-10-09", "2022-10-11"),
])
def test_date_ranges_and_look_alike_characters(admin_units, text, start, end):
    record = read_article(text)
    assert (values(record, "start_date"), values(record, "end_date")) == (start, end)


@pytest.mark.parametrize(("text", "kind"), [
    ("Trung tâm Khuyến công tổ chức lớp tập huấn nâng cao năng lực cho cơ sở.", "training"),
    ("Khai mạc Hội chợ triển lãm hàng công nghiệp nông thôn tiêu biểu.", "fair"),
    ("Hội thảo về sản xuất sạch hơn trong công nghiệp.", "workshop"),
    ("Xây dựng mô hình trình diễn kỹ thuật sản xuất gạch không nung.", "demonstration"),
    ("Thông báo lịch nghỉ Tết.", "other"),
])
def test_kinds(admin_units, text, kind):
    assert values(read_article(text), "kind") == kind


@pytest.mark.parametrize("text", [
    "TTKC&XTTM tỉnh Lai Châu tổ chức đoàn học tập kinh nghiệm tại tỉnh Yên Bái từ ngày 2/3/2017 đến ngày 4/3/2017.",
    "ttkc & xttm lai chau to chuc doan hoc tap kinh nghiem tai tinh yen bai tu ngay 2/3/2017 den ngay 4/3/2017.",
    "TT KC - XTTM Lai Châu tổ chức đoàn học tập kinh nghiệm tại Yên Bái từ 2 - 4/3/2017.",
])
def test_unaccented_and_abbreviated_organiser(admin_units, text):
    record = read_article(text)
    organiser = values(record, "organiser")
    assert organiser["province_code_then"] == 12
    assert [p["code_then"] for p in values(record, "places")] == [15]
    assert values(record, "start_date") == "2017-03-02"


def test_after_the_reform_places_are_current_units(admin_units):
    record = read_article("Trung tâm Khuyến công Tây Ninh tổ chức đoàn học tập kinh nghiệm tại Cần Thơ "
                          "từ ngày 10/9/2025 đến ngày 12/9/2025.", D(2025, 9, 20))
    place = values(record, "places")[0]
    assert place["scheme_then"] == "current" and place["code_then"] == place["code_now"] == 92
    assert values(record, "status") == "held"


def test_empty_or_foreign_text_gives_an_empty_record(admin_units):
    record = read_article("Lorem ipsum dolor sit amet.")
    assert values(record, "organiser") is None and values(record, "places") == []
    assert values(record, "start_date") is None and values(record, "status") is None
