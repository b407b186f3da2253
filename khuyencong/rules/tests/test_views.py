import datetime

import pytest
from django.urls import reverse

from khuyencong.accounts.tests.factories import make_user

pytestmark = pytest.mark.usefixtures("rules")


@pytest.fixture
def staff(client):
    client.force_login(make_user(role="centre_staff", province_code=12))
    return client


def test_anonymous_is_sent_to_login(client):
    for name in ("rules_index", "rules_quote"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_rules_page_lists_rates_in_force_on_the_chosen_date(staff):
    response = staff.get(reverse("rules_index"), {"on": "2026-03-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "TT 28/2018/TT-BTC, Điều 8 khoản 4" in html
    assert "300.000.000 ₫" in html
    assert "TTLT 26/2014" not in html.split('id="group-1"')[1].split("<details")[0]  # superseded rates hidden
    assert 'name="on" value="01/03/2026"' in html and 'placeholder="dd/mm/yyyy"' in html  # the ISO link, shown d/m/Y
    assert "Đã xác minh" in html


def test_rules_page_in_2017_shows_the_joint_circular(staff):
    # As the page's own form sends it: dd/mm/yyyy.
    html = staff.get(reverse("rules_index"), {"on": "01/06/2017", "content": "machinery"}).content.decode()
    assert "TTLT 26/2014/TTLT-BTC-BCT, Điều 6 khoản 2 điểm c" in html
    assert "200.000.000 ₫" in html
    assert "Nguồn thứ cấp" in html


def test_calculator_partial_accepts_dotted_amounts(staff):
    response = staff.get(
        reverse("rules_quote"),
        {"quote-content": "machinery", "quote-fund": "national", "quote-cost": "800.000.000",
         "quote-on_date": "2026-03-01"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "300.000.000 ₫" in html
    assert "TT 28/2018/TT-BTC, Điều 8 khoản 4" in html


def test_calculator_partial_explains_a_missing_rule_and_bad_input(staff):
    missing = staff.get(
        reverse("rules_quote"),
        {"quote-content": "brand", "quote-fund": "national", "quote-cost": "1.000", "quote-on_date": "2026-03-01"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Chưa có mức hỗ trợ đã xác minh" in missing
    bad = staff.get(
        reverse("rules_quote"),
        {"quote-content": "machinery", "quote-fund": "national", "quote-cost": "nhiều tiền"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "800.000.000" in bad  # the hint on how to write the amount


def test_calculator_without_javascript_renders_the_whole_page(staff):
    response = staff.get(
        reverse("rules_quote"),
        {"quote-content": "machinery", "quote-fund": "national", "quote-cost": "800000000",
         "quote-on_date": "2017-06-01"},
    )
    html = response.content.decode()
    assert "<html" in html and "200.000.000 ₫" in html


def test_page_is_in_vietnamese(staff):
    html = staff.get(reverse("rules_index")).content.decode()
    assert "Quy định" in html
    assert "Tính mức hỗ trợ" in html


def test_calculator_refuses_an_impossible_date_in_vietnamese_keeping_it(staff):
    query = {"quote-content": "machinery", "quote-fund": "national", "quote-cost": "800.000.000"}
    html = staff.get(reverse("rules_index"), {**query, "quote-on_date": "31/02/2026"}).content.decode()
    assert "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 07/12/2026." in html
    assert 'name="quote-on_date" value="31/02/2026"' in html
    day_first = staff.get(reverse("rules_quote"), {**query, "quote-on_date": "01/03/2026"},
                          HTTP_HX_REQUEST="true").content.decode()
    assert "300.000.000 ₫" in day_first


def test_rules_page_shows_the_legal_figures_and_the_year_s_holidays(staff):
    from decimal import Decimal

    from khuyencong.rules.models import Parameter

    Parameter.objects.create(key="t:cap", code="test-cap", label="Trần hỗ trợ hạ tầng cụm", value=Decimal("30"),
                             unit="percent", basis="NĐ 32/2024/NĐ-CP, Điều 26 khoản 1",
                             effective_from=datetime.date(2024, 5, 15))
    Parameter.objects.create(key="t:days", code="test-days", label="Thời hạn thẩm định", value=Decimal("15"),
                             unit="working_days", basis="NĐ 32/2024/NĐ-CP, Điều 9",
                             effective_from=datetime.date(2024, 5, 15))
    html = staff.get(reverse("rules_index"), {"on": "01/03/2026"}).content.decode()
    assert "Trần hỗ trợ hạ tầng cụm</strong>: 30 %" in html
    assert "Thời hạn thẩm định</strong>: 15 ngày làm việc" in html
    assert "Ngày nghỉ lễ, Tết năm 2026" in html and "17/02/2026" in html and "Tết Nguyên đán" in html
