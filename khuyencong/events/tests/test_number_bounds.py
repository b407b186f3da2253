"""A year the calendar cannot hold, typed in the address, is refused by the API (422) and ignored by the pages with a
notice, never a 500."""

import pytest
from django.utils.translation import gettext as tr  # not `_`: makemessages would extract test strings

from khuyencong.core.periods import FIRST_YEAR, LAST_YEAR

from .helpers import D, make_event

pytestmark = pytest.mark.django_db

NOTICE = "The year %(year)s is out of range (%(first)s–%(last)s): the filter is ignored."


def _notice(year) -> str:
    return tr(NOTICE) % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR}


@pytest.fixture
def tour(staff):
    return make_event(staff, title="Đoàn học tập kinh nghiệm tại Yên Bái", start_date=D(2016, 12, 4),
                      end_date=D(2016, 12, 5))


@pytest.mark.parametrize("year", [10000, 99999, 1989, 2101, 99999999999999999999])
def test_the_pages_ignore_a_year_out_of_range_and_say_so(client, staff, tour, year):
    client.force_login(staff)
    for url in ("/events/", "/events/calendar/", "/events/training-results/"):
        response = client.get(url, {"year": year})
        assert response.status_code == 200, url
        if len(str(year)) < 19:
            assert _notice(year) in response.content.decode(), url
    assert tour.title in client.get("/events/", {"year": 10000}).content.decode()  # the filter is dropped


def test_the_notice_is_in_vietnamese(client, staff):
    client.force_login(staff)
    assert "Năm 10000 nằm ngoài khoảng 1990–2100: bỏ qua bộ lọc theo năm." in client.get(
        "/events/", {"year": 10000}).content.decode()


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "10000-01"])
def test_the_calendar_ignores_a_month_it_cannot_page_from(client, staff, month):
    client.force_login(staff)
    assert client.get("/events/calendar/", {"month": month}).status_code == 200


def test_a_year_in_range_still_filters(client, staff, tour):
    client.force_login(staff)
    assert tour.title in client.get("/events/", {"year": 2016}).content.decode()
    assert tour.title not in client.get("/events/", {"year": 2017}).content.decode()


@pytest.mark.parametrize("year", [10000, -1, 1989, 2**63])
def test_the_api_refuses_a_year_out_of_range(client, staff, year):
    client.force_login(staff)
    response = client.get("/api/v1/events", {"year": year})
    assert response.status_code == 422
    assert "“year”" in response.json()["detail"]
    assert client.get("/api/v1/events", {"year": 2016}).status_code == 200
