"""The work inbox on the home page, in Chromium at desktop and phone sizes, for the centre's staff, the DoIT's
manager, a collaborator and a ministry officer: each sees their own work, grouped with counts, and each link lands
on the page where the action is."""

import pytest
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import PASSWORD
from khuyencong.web.tests.test_inbox import people, work  # noqa: F401 (the fixtures of the inbox's tests)

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# role → (username, a group the inbox shows, an item title in it, the heading of the page its link opens)
CASES = {
    "centre": ("ttkc", "Đề án chờ bạn xử lý", "Đề án nháp máy sấy chè", "Đề án nháp máy sấy chè"),
    "manager": ("ldsct", "Sự kiện chờ bạn xử lý", "Hội thảo chờ phê duyệt", "Hội thảo chờ phê duyệt"),
    "collaborator": (None, "Nhiệm vụ của bạn", "Khảo sát cơ sở dệt", None),
    "ministry": ("cuc", "Đề án chờ bạn xử lý", "Đề án đã đăng ký với Bộ", "Đề án đã đăng ký với Bộ"),
}


def test_each_role_sees_and_follows_its_inbox(live_server, page, phone, screenshot, people, work):  # noqa: F811
    for role, (username, group, title, heading) in CASES.items():
        username = username or people[role].username
        for device, tab in (("desktop", page), ("phone", phone)):
            tab.context.clear_cookies()
            login(tab, live_server, username, PASSWORD)
            inbox = tab.get_by_test_id("inbox")
            expect(inbox).to_be_visible()
            expect(inbox.get_by_role("heading", name=group)).to_be_visible()
            link = inbox.get_by_role("link", name=title)
            expect(link).to_be_visible()
            expect(inbox).not_to_contain_text("Tây Ninh")
            screenshot(tab, f"inbox-{role}-{device}")
            if device == "desktop":
                link.click()
                tab.wait_for_load_state("networkidle")
                if heading:
                    expect(tab.get_by_role("heading", level=1)).to_contain_text(heading)
                else:  # the collaborator's own page, at the tasks
                    expect(tab.get_by_role("heading", name="Nhiệm vụ của tôi")).to_be_visible()
                screenshot(tab, f"inbox-{role}-landing")
