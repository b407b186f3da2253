"""The menu: every module's entry, the periodic reports for the offices that draft and follow them, and the entry of
the page being read marked as such (the most precise one: /reporting/reports/ is not the dashboard)."""

import re

import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db


def _menu(client) -> dict[str, bool]:
    """The menu's entries by label → whether it is marked as the current page."""
    body = client.get("/reporting/reports/").content.decode()
    nav = re.search(r'<ul class="navbar-nav me-auto">.*?</ul>', body, re.S).group(0)
    return {re.sub(r"<[^>]+>", "", label).strip(): "active" in attrs
            for attrs, label in re.findall(r'<a class="nav-link([^"]*)"[^>]*>(.*?)</a>', nav, re.S)}


def test_the_periodic_reports_are_in_the_menu_and_marked_when_read(client, admin_units):
    client.force_login(make_user(Role.CENTRE_STAFF, 12, username="ttkc.menu"))
    menu = _menu(client)
    assert menu["Báo cáo định kỳ"] is True
    assert menu["Báo cáo"] is False


def test_a_collaborator_has_no_periodic_reports_entry(client, admin_units):
    client.force_login(make_user(Role.COLLABORATOR, 12, username="ctv.menu"))
    assert "Báo cáo định kỳ" not in client.get("/").content.decode()


def test_the_ministry_reaches_the_completeness_page_from_the_reports_list(client, admin_units):
    client.force_login(make_user(Role.MINISTRY_OFFICER, None, username="cuc.menu"))
    assert 'href="/reporting/reports/completeness/"' in client.get("/reporting/reports/").content.decode()
