"""Dashboard, catalogue and comparison pages: what they show, their exports, and a bounded number of queries."""

import io
import json

import pytest
from python_calamine import CalamineWorkbook

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.periods import Period
from khuyencong.reporting.indicators import CATALOGUE

from .scope_cases_dashboards import make_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry(client):
    user = make_user(role=Role.MINISTRY_OFFICER, province_code=None, username="cuc.dash")
    client.force_login(user)
    return user


def _sheets(response) -> dict:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _charts(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="kc-charts" type="application/json">') + len(
        '<script id="kc-charts" type="application/json">')
    return json.loads(html[start:html.index("</script>", start)])


def test_national_dashboard_shows_the_figures(client, ministry):
    make_figures(12)
    make_figures(80)
    response = client.get("/reporting/?period=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Số liệu khuyến công — Toàn quốc" in html
    assert "9,29 tỷ" in html  # allocated, readable
    assert "Tỷ lệ giải ngân" in html and "75,0 %" in html
    assert "Tỉnh Lai Châu" in html and "Tỉnh Tây Ninh" in html
    assert "?period=2026&amp;geography=current&amp;province=80" in html  # drill-down to the province
    assert "/projects/?year=2026" in html and "/projects/?late=1" in html  # drill-down to the records
    assert "Đề án chỉ tiêu 80-2026" in html  # late projects listed
    assert "Theo 34 tỉnh, thành phố hiện nay" in html  # the geography is stated
    assert "vendor/echarts-i18n/langVI.js" in html and "vendor/leaflet/leaflet.js" in html
    charts = _charts(response)
    assert [f["value"] for f in charts["funnel"]][:2] == [9_292_000_000, 9_292_000_000]
    assert charts["trend"]["years"][-1] == 2026 and charts["trend"]["series"][1]["values"][-1] == 9_292_000_000
    assert charts["content"][0]["value"] == 9_292_000_000
    assert charts["fund"]["funds"] == ["Quốc gia"]


def test_province_dashboard_and_provincial_user(client, ministry):
    make_figures(12)
    make_figures(80)
    html = client.get("/reporting/?period=2026&province=80").content.decode()
    assert "Số liệu khuyến công — Tỉnh Tây Ninh" in html and "8,08 tỷ" in html and "1,21 tỷ" not in html
    assert "/projects/?year=2026&amp;province=80" in html
    client.force_login(make_user(role=Role.DOIT_OFFICER, province_code=12, username="sct.dash"))
    html = client.get("/reporting/?period=2026&province=80").content.decode()
    assert "Bạn không được xem số liệu của tỉnh, thành phố này." in html
    assert "Số liệu khuyến công — Tỉnh Lai Châu" in html and "8,08 tỷ" not in html
    assert 'id="f-province"' not in html  # a provincial user does not choose the province


def test_geography_switch(client, ministry):
    make_figures(80, year=2024)
    html = client.get("/reporting/?period=2024&geography=legacy").content.decode()
    assert "Theo 63 tỉnh cũ (trước 1/7/2025), như thời điểm đó" in html and "Theo tỉnh cũ" in html
    assert "(cũ)" in html
    html = client.get("/reporting/?period=2026&geography=legacy").content.decode()
    assert "Chỉ xem theo tỉnh cũ được với các kỳ bắt đầu trước 1/7/2025" in html
    html = client.get("/reporting/?period=2026-Q9").content.decode()
    assert "2026-Q9" in html  # the unreadable period is named, the page shows this year


def test_dashboard_queries_stay_flat(client, ministry, django_assert_max_num_queries):
    make_figures(12)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/reporting/?period=2026").status_code == 200
    for code in (80, 92, 79):
        make_figures(code)
        make_figures(code, year=2025)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/reporting/?period=2026").status_code == 200
    assert len(many) == len(few)
    # One aggregate per data source of the catalogue (each module adds its own), whatever the rows.
    with django_assert_max_num_queries(60):
        client.get("/reporting/?period=2026")
    with django_assert_max_num_queries(60):
        client.get("/reporting/?period=2024&geography=legacy")


def test_dashboard_export(client, ministry):
    make_figures(12)
    make_figures(80)
    response = client.get("/reporting/export.xlsx?period=2026")
    sheets = _sheets(response)
    indicators = sheets["Chỉ tiêu"]
    assert indicators[0][0] == "Chỉ tiêu khuyến công — Toàn quốc — Năm 2026"
    assert "Địa giới: Theo 34 tỉnh, thành phố hiện nay (từ 1/7/2025)" in [row[0] for row in indicators]
    head = indicators.index(["STT", "Nhóm", "Chỉ tiêu", "Đơn vị tính", "Giá trị", "Mã"])
    allocated = next(row for row in indicators[head:] if row[-1] == "kc_allocated")
    assert allocated[2:5] == ["Kinh phí khuyến công được giao", "đồng", 9_292_000_000]
    by_province = sheets["Theo tỉnh, thành phố"]
    assert by_province[0][:3] == ["Tỉnh/thành phố", "Đề án khuyến công trong kế hoạch (đề án)",
                                  "Kinh phí khuyến công được giao (đồng)"]
    assert by_province[-1][:5] == ["Tổng cộng", 2, 9_292_000_000, 6_969_000_000, "75,0"]
    names = [row[0] for row in by_province[1:-1]]
    assert names[0] == "Thành phố Hà Nội" and len(names) == 34  # every province, by code
    assert next(row for row in by_province if row[0] == "Tỉnh Tây Ninh")[1:5] == [1, 8_080_000_000,
                                                                                 6_060_000_000, "75,0"]
    assert "filename=\"chi-tieu-khuyen-cong-2026-current.xlsx\"" in response["Content-Disposition"]


def test_catalogue_page_and_export(client, ministry):
    html = client.get("/reporting/indicators/").content.decode()
    for indicator in CATALOGUE.values():
        assert str(indicator.name) in html
    assert "Kinh phí đã chi (tạm ứng + giải ngân − thu hồi) ÷ kinh phí được giao × 100." in html
    sheets = _sheets(client.get("/reporting/indicators/export.xlsx"))
    rows = sheets["Chỉ tiêu"]
    assert ["Mã", "Chỉ tiêu", "Đơn vị tính", "Định nghĩa", "Cách tính", "Phân tổ"] in rows
    assert len([r for r in rows if r[0] in CATALOGUE]) == len(CATALOGUE)


def test_compare_ranks_normalises_and_trends(client, ministry):
    make_figures(12, allocated=1_000_000_000)
    make_figures(80, allocated=3_000_000_000)
    make_figures(80, year=2025, allocated=1_500_000_000, title="Đề án năm trước")
    response = client.get("/reporting/compare/?period=2026&codes=kc_allocated&codes=support_turns&norm=billion")
    assert response.status_code == 200
    data = response.context["data"]
    allocated = data["columns"][0]
    assert allocated["cells"][80]["rank"] == 1 and allocated["cells"][12]["rank"] == 2
    assert allocated["cells"][80]["change"] == 100.0  # 3 tỷ against 1,5 tỷ a year earlier
    assert allocated["normalised"] is False  # money per billion đồng makes no sense
    turns = data["columns"][1]
    assert turns["normalised"] is True
    assert turns["cells"][12]["shown"] == 2.0 and turns["cells"][80]["shown"] == round(2 / 3, 2)
    assert turns["cells"][12]["rank"] == 1
    html = response.content.decode()
    assert "So sánh các tỉnh, thành phố" in html and "▲ 100,0 %" in html
    sheets = _sheets(client.get("/reporting/compare/export.xlsx?period=2026&codes=kc_allocated&norm="))
    rows = sheets["So sánh"]
    head = next(r for r in rows if r and r[0] == "Tỉnh/thành phố")
    assert head[1:] == ["Kinh phí khuyến công được giao (đồng)", "Xếp hạng", "Cùng kỳ năm trước", "Thay đổi (%)"]
    assert rows[-1][:2] == ["Tổng cộng", 4_000_000_000]


def test_user_without_role_is_refused(client):
    from khuyencong.accounts.models import User

    client.force_login(User.objects.create_user(username="khongvaitro", password="x-khuyencong-2026"))
    response = client.get("/reporting/")
    assert response.status_code == 403
    assert "Tài khoản của bạn chưa có vai trò được xem số liệu." in response.content.decode()


def test_menu_entry(client, ministry):
    html = client.get("/reporting/").content.decode()
    assert 'href="/reporting/"' in html and "Báo cáo" in html


def test_map_points_and_quarter_choice(client, ministry):
    project = make_figures(12)
    establishment = project.beneficiaries.get()
    type(establishment).objects.filter(pk=establishment.pk).update(latitude="22.396", longitude="103.458")
    make_figures(80)  # no GPS point: not drawn
    response = client.get("/reporting/?year=2026&quarter=2")
    assert response.context["choice"].period == Period.quarter(2026, 2)
    html = response.content.decode()
    assert "Quý II/2026" in html
    start = html.index('<script id="kc-points" type="application/json">') + len(
        '<script id="kc-points" type="application/json">')
    points = json.loads(html[start:html.index("</script>", start)])
    assert len(points) == 1 and points[0]["lat"] == 22.396
    assert points[0]["projects"] == [f"{project.code} — {project.title}"]
    assert "1 cơ sở được hỗ trợ có tọa độ GPS" in html
