"""The outlines the maps draw: Natural Earth's 63 former provinces dissolved into today's 34 through the succession
table, the country around them, served from our origin; the dashboard's choropleth reads the table's values."""

import json

import pytest
from django.urls import reverse

from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit
from khuyencong.web import map_outlines
from khuyencong.web.map_outlines import _area, _inside, dissolve

pytestmark = pytest.mark.django_db


def square(x, y, size=10):
    return [[(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]]


def test_dissolve_drops_the_shared_border():
    merged = dissolve([square(0, 0), square(10, 0)])
    assert len(merged) == 1 and len(merged[0]) == 1
    ring = merged[0][0]
    assert _area(ring) == 2 * 200  # twice the signed area of the 20 × 10 rectangle, counter-clockwise
    # The ends of the former border stay as vertices of the outline; the border itself is gone.
    assert ring[0] == ring[-1] and sorted(set(ring)) == [(0, 0), (0, 10), (10, 0), (10, 10), (20, 0), (20, 10)]
    assert _inside((10, 5), ring)  # the former border is inside the merged polygon


def test_dissolve_keeps_apart_what_does_not_touch_and_finds_holes():
    apart = dissolve([square(0, 0), square(30, 0)])
    assert len(apart) == 2
    # Eight squares around a ninth left out: one polygon with a hole where the ninth was.
    ring_of_squares = [square(x, y) for x in (0, 10, 20) for y in (0, 10, 20) if (x, y) != (10, 10)]
    holed = dissolve(ring_of_squares)
    assert len(holed) == 1 and len(holed[0]) == 2
    outer, hole = holed[0]
    assert _area(outer) == 2 * 900 and _area(hole) == -2 * 100


@pytest.fixture(scope="module")
def outlines(django_db_blocker):
    with django_db_blocker.unblock():
        return map_outlines.build_outlines()


def _province(outlines, code):
    return next(f for f in outlines["features"] if f["properties"]["code"] == code
                and f["properties"]["kind"] == "province")


def _contains(feature, lat, lng) -> bool:
    point = (round(lng * map_outlines.PRECISION), round(lat * map_outlines.PRECISION))
    for polygon in feature["geometry"]["coordinates"]:
        rings = [[(round(x * map_outlines.PRECISION), round(y * map_outlines.PRECISION)) for x, y in ring]
                 for ring in polygon]
        if _inside(point, rings[0]) and not any(_inside(point, hole) for hole in rings[1:]):
            return True
    return False


def test_one_outline_per_current_province_and_the_country(outlines, admin_units):
    provinces = [f for f in outlines["features"] if f["properties"]["kind"] == "province"]
    current = dict(AdminUnit.objects.filter(scheme="current", level="province").values_list("code", "name"))
    assert len(current) == 34
    assert {f["properties"]["code"]: f["properties"]["name"] for f in provinces} == current
    country = [f for f in outlines["features"] if f["properties"]["kind"] == "country"]
    assert len(country) == 1 and country[0]["properties"]["name"] == "Việt Nam"


@pytest.mark.parametrize(("place", "lat", "lng", "code"), [
    ("Hà Nội", 21.028, 105.834, 1),
    ("Lai Châu (the town)", 22.396, 103.458, 12),
    ("Tân An, formerly Long An, now Tây Ninh", 10.535, 106.413, 80),
    ("Tây Ninh (the town)", 11.310, 106.098, 80),
    ("Phan Thiết, formerly Bình Thuận, now Lâm Đồng", 10.933, 108.102, 68),
    ("Đà Lạt", 11.940, 108.458, 68),
    ("Vị Thanh, formerly Hậu Giang, now Cần Thơ", 9.784, 105.470, 92),
    ("Thủ Dầu Một, formerly Bình Dương, now Hồ Chí Minh", 10.980, 106.652, 79),
    ("Tam Kỳ, formerly Quảng Nam, now Đà Nẵng", 15.573, 108.474, 48),
])
def test_former_provinces_land_in_todays(outlines, place, lat, lng, code):
    assert _contains(_province(outlines, code), lat, lng), place
    others = [f["properties"]["code"] for f in outlines["features"]
              if f["properties"]["kind"] == "province" and f["properties"]["code"] != code and _contains(f, lat, lng)]
    assert others == [], place


def test_merged_provinces_are_one_piece_and_the_archipelagos_are_drawn(outlines):
    # Tây Ninh + Long An: the former border is gone, one polygon.
    assert len(_province(outlines, 80)["geometry"]["coordinates"]) == 1
    assert len(_province(outlines, 12)["geometry"]["coordinates"]) == 1
    # Hoàng Sa with Đà Nẵng, Trường Sa with Khánh Hòa.
    danang_east = max(x for polygon in _province(outlines, 48)["geometry"]["coordinates"] for x, _y in polygon[0])
    assert danang_east > 111.5
    khanhhoa_east = max(x for polygon in _province(outlines, 56)["geometry"]["coordinates"] for x, _y in polygon[0])
    assert khanhhoa_east > 114.0


def test_a_missing_province_stops_the_build(admin_units, monkeypatch):
    real = map_outlines._source_features
    monkeypatch.setattr(map_outlines, "_source_features",
                        lambda: [(name, g) for name, g in real() if fold(name) != "lai chau"])
    with pytest.raises(map_outlines.OutlinesUnavailable, match="Lai Châu"):
        map_outlines.build_outlines()


def test_the_outlines_are_served_to_signed_in_users(client, admin_units, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    map_outlines._MEMORY.clear()
    url = reverse("map_outlines")
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(make_user(role="viewer", province_code=12, username="xem.map"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    geo = json.loads(response.content)
    assert len(geo["features"]) == 35
    assert list(tmp_path.glob("map/outlines-*.json"))  # cached for the next start
    again = client.get(url, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
