"""The dashboard map's choropleth reads the same values as the table by province (one selector for both)."""

import json

import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user

from .scope_cases_dashboards import make_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry(client):
    user = make_user(role=Role.MINISTRY_OFFICER, province_code=None, username="cuc.bando")
    client.force_login(user)
    return user


def _json(html: str, element_id: str):
    start = html.index(f'<script id="{element_id}" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start:html.index("</script>", start)])


def test_map_colours_the_provinces_with_the_tables_figure(client, ministry, admin_units):
    make_figures(12)
    make_figures(80)
    response = client.get("/reporting/?period=2026")
    html = response.content.decode()
    areas = {a["code"]: a for a in _json(html, "kc-map-areas")}
    assert len(areas) == 34  # every province of today, 0 where none was supported
    column = [c["code"] for c in response.context["columns"]].index("establishments_supported")
    table = {row["key"]: row["cells"][column] for row in response.context["province_rows"]}
    assert {12, 80} <= set(table)
    for code, cell in table.items():
        assert areas[code]["display"] == cell.display
        assert areas[code]["value"] == float(cell.value)
    assert areas[12]["value"] > 0
    assert areas[1]["value"] == 0 and areas[1]["display"] == "0"
    assert 'data-outlines="/map/outlines.json"' in html
    assert 'data-legend="Cơ sở được hỗ trợ"' in html


def test_no_choropleth_under_the_former_provinces(client, ministry, admin_units):
    make_figures(12)
    response = client.get("/reporting/?period=2024&geography=legacy")
    assert _json(response.content.decode(), "kc-map-areas") == []
