"""The work inbox of the home page and its daily e-mail: each role sees the actions its flows offer it now and the
deadlines it answers for, nothing of another province; the page agrees with each lifecycle's own decision; the
e-mail lists the same items as the page; the number of queries does not grow with the data."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khuyencong.accounts.models import Role, User
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.models import AuditEvent
from khuyencong.events import services as event_services
from khuyencong.events.flows import event_flow
from khuyencong.events.models import Event
from khuyencong.events.tests.helpers import centre as event_centre
from khuyencong.network.tests.factories import (
    make_application,
    make_collaborator,
    make_fee_sheet,
    make_field_collaborator,
    make_record,
    make_task,
)
from khuyencong.projects.flows import project_flow
from khuyencong.projects.inbox import STEP_ACTIONS as PROJECT_STEPS
from khuyencong.projects.models import Project
from khuyencong.projects.tests.factories import make_plan, make_project
from khuyencong.reporting.tests.scope_cases_reports import make_report
from khuyencong.web.inbox import inbox_for, send_all

pytestmark = pytest.mark.django_db

LAI_CHAU, TAY_NINH = 12, 80
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def people(admin_units):
    collaborator, collaborator_user = make_field_collaborator(LAI_CHAU, name="Lò Thị Mai")
    collaborator_user.email = "ctv@example.vn"
    collaborator_user.save(update_fields=["email"])
    return {
        "centre": make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, username="ttkc"),
        "finance": make_user(role=Role.FINANCE_OFFICER, province_code=LAI_CHAU, username="ketoan"),
        "doit": make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU, username="sct"),
        "manager": make_user(role=Role.DOIT_MANAGER, province_code=LAI_CHAU, username="ldsct"),
        "ministry": make_user(role=Role.MINISTRY_OFFICER, province_code=None, username="cuc"),
        "viewer": make_user(role=Role.VIEWER, province_code=LAI_CHAU, username="xem"),
        "collaborator": collaborator_user, "collaborator_record": collaborator,
        "other_centre": make_user(role=Role.CENTRE_STAFF, province_code=TAY_NINH, username="ttkc.tn"),
        "idle": make_user(role=Role.CENTRE_STAFF, province_code=92, username="ttkc.ct"),
    }


def _event(title: str, code: int, status: str, start: datetime.date, end: datetime.date) -> Event:
    admin = User.objects.filter(username="quantri.inbox").first() or make_user(
        role=Role.SYSTEM_ADMIN, province_code=None, username="quantri.inbox")
    event = event_services.event_create(actor=admin, data={
        "kind": "workshop", "audience": "officials", "title": title, "organiser": event_centre(code),
        "content": "kc_capacity", "fund": "local", "start_date": start, "end_date": end, "venue": "Hội trường"})
    Event.objects.filter(pk=event.pk).update(status=status)
    event.refresh_from_db()
    return event


@pytest.fixture
def work(people):
    """Work of every kind in Lai Châu, and the same in Tây Ninh that no Lai Châu user may see."""
    national = make_plan(year=2027, fund="national", envelope=20_000_000_000)
    local = make_plan(year=2027, fund="local", province_code=LAI_CHAU, envelope=5_000_000_000)
    local_tn = make_plan(year=2027, fund="local", province_code=TAY_NINH, envelope=5_000_000_000)
    collaborator = people["collaborator_record"]
    w = {
        "draft": make_project(LAI_CHAU, plan=local, title="Đề án nháp máy sấy chè", status="draft"),
        "submitted": make_project(LAI_CHAU, plan=national, title="Đề án chờ thẩm định cơ sở", status="submitted",
                                  application_date=TODAY - 4 * DAY),
        "council": make_project(LAI_CHAU, plan=local, title="Đề án chờ phê duyệt", status="council_appraised",
                                due_date=TODAY - 2 * DAY, due_label="Phê duyệt đề án"),
        "registered": make_project(LAI_CHAU, plan=national, title="Đề án đã đăng ký với Bộ", status="registered"),
        "running": make_project(LAI_CHAU, plan=local, title="Đề án đang thực hiện", status="in_progress",
                                report_due_date=TODAY + 3 * DAY, due_date=TODAY + 30 * DAY,
                                due_label="Nghiệm thu đề án"),
        "accepted": make_project(LAI_CHAU, plan=local, title="Đề án chờ quyết toán", status="accepted",
                                 accepted_on=TODAY - 10 * DAY),
        "settled": make_project(LAI_CHAU, plan=local, title="Đề án đã quyết toán", status="settled",
                                due_date=TODAY - 30 * DAY),
        "tn_draft": make_project(TAY_NINH, plan=local_tn, title="Đề án nháp Tây Ninh", status="draft"),
        "planned": _event("Hội thảo chờ phê duyệt", LAI_CHAU, "planned", TODAY + 20 * DAY, TODAY + 20 * DAY),
        "ended": _event("Hội thảo đã kết thúc", LAI_CHAU, "approved", TODAY - 3 * DAY, TODAY - 3 * DAY),
        "coming": _event("Hội thảo sắp tới", LAI_CHAU, "approved", TODAY + 5 * DAY, TODAY + 5 * DAY),
        "reported": _event("Hội thảo chờ quyết toán", LAI_CHAU, "reported", TODAY - 40 * DAY, TODAY - 40 * DAY),
        "tn_planned": _event("Hội thảo Tây Ninh", TAY_NINH, "planned", TODAY + 9 * DAY, TODAY + 9 * DAY),
        "report_draft": make_report(LAI_CHAU, period="2026-Q2"),
        "report_submitted": make_report(LAI_CHAU, period="2026-Q1", state="submitted"),
        "tn_report": make_report(TAY_NINH, period="2026-Q2"),
        "application": make_application(LAI_CHAU, name="Hoàng Thị Đơn"),
        "tn_application": make_application(TAY_NINH, name="Trần Văn Tây"),
        "record": make_record(collaborator, topic="Tuyên truyền chính sách khuyến công"),
        "task": make_task(collaborator, title="Khảo sát cơ sở dệt", due_date=TODAY + 2 * DAY),
        "late_task": make_task(collaborator, title="Cập nhật tọa độ", due_date=TODAY - 5 * DAY),
        "fee": make_fee_sheet(LAI_CHAU, collaborator=make_collaborator(LAI_CHAU)),
    }
    make_task(make_collaborator(TAY_NINH), title="Nhiệm vụ trễ ở Tây Ninh", due_date=TODAY - 5 * DAY)
    return w


def _titles(user, today=TODAY) -> dict[str, set[str]]:
    return {group.kind: {item.title for item in group.items} for group in inbox_for(user, today).groups}


def test_each_role_gets_the_steps_its_flows_offer_it(people, work):
    centre = _titles(people["centre"])
    assert centre["project_step"] == {"Đề án nháp máy sấy chè"}
    assert centre["project_report"] == {"Đề án đang thực hiện"}
    assert centre["event_step"] == {"Hội thảo đã kết thúc"}  # the coming one cannot be marked held yet
    assert {"Hoàng Thị Đơn"} == centre["network_application"]
    assert any("Tuyên truyền chính sách" in t for t in centre["network_record"])
    assert {t.split(" — ")[0] for t in centre["network_late_task"]} == {"Cập nhật tọa độ"}
    assert centre["report_step"] and all("Quý II/2026" in t for t in centre["report_step"])

    doit = _titles(people["doit"])
    assert doit["project_step"] == {"Đề án chờ thẩm định cơ sở", "Đề án đang thực hiện"}
    assert doit["event_step"] == {"Hội thảo đã kết thúc"}  # the flow lets DoIT officers mark it held too
    manager = _titles(people["manager"])
    assert "Đề án chờ phê duyệt" in manager["project_step"]
    assert manager["event_step"] == {"Hội thảo chờ phê duyệt"}
    assert any("Quý I/2026" in t for t in manager["report_step"])  # the DoIT's leadership approves it

    finance = _titles(people["finance"])
    assert finance["project_step"] == {"Đề án chờ quyết toán"}
    assert finance["event_step"] == {"Hội thảo chờ quyết toán"}
    assert len(finance["network_fee"]) == 1

    ministry = _titles(people["ministry"])
    assert ministry["project_step"] == {"Đề án đã đăng ký với Bộ"}
    assert "event_step" not in ministry  # a province's events wait for that province's people

    collaborator = inbox_for(people["collaborator"], TODAY)
    assert [g.kind for g in collaborator.groups] == ["network_own_task"]
    tasks = collaborator.groups[0].items
    assert [t.title for t in tasks] == ["Cập nhật tọa độ", "Khảo sát cơ sở dệt"]
    assert tasks[0].late and not tasks[1].late and tasks[1].due == TODAY + 2 * DAY

    viewer = inbox_for(people["viewer"], TODAY)
    assert viewer.watch
    assert {i.title for g in viewer.groups for i in g.items} >= {"Đề án chờ phê duyệt", "Hội thảo sắp tới"}
    assert all(g.watch for g in viewer.groups)

    assert inbox_for(people["idle"], TODAY).groups == []


def test_nothing_crosses_provinces(people, work):
    tay_ninh = {"Đề án nháp Tây Ninh", "Hội thảo Tây Ninh", "Trần Văn Tây", "Nhiệm vụ trễ ở Tây Ninh"}
    for role in ("centre", "finance", "doit", "manager", "viewer", "collaborator"):
        inbox = inbox_for(people[role], TODAY)
        seen = {i.title.split(" — ")[0] for g in inbox.groups for i in g.items}
        assert not seen & tay_ninh, role
        assert all("Tây Ninh" not in i.where for g in inbox.groups for i in g.items), role
    other = _titles(people["other_centre"])
    assert other["project_step"] == {"Đề án nháp Tây Ninh"}
    assert other["network_application"] == {"Trần Văn Tây"}
    assert "Đề án nháp máy sấy chè" not in str(other)


def test_the_inbox_agrees_with_the_flows(people, work):
    """A project or event is in a user's inbox exactly when its lifecycle gives the user a step forward (refused, if
    at all, only by a guard the page explains), as the buttons of its page say."""
    for role in ("centre", "finance", "doit", "manager", "ministry", "viewer"):
        user = people[role]
        titles = _titles(user)
        listed = titles.get("project_step", set())
        for project in Project.objects.select_related("plan").filter(province__code=LAI_CHAU):
            if project.status in ("settled", "rejected", "archived", "stopped"):
                continue
            offered = any(project_flow.decide(project, user, row.action).failure in ("", "guard")
                          for row in project_flow.transitions_from(project) if row.action in PROJECT_STEPS)
            assert (project.title in listed) == offered, (role, project.title)
        events = titles.get("event_step", set())
        if role == "ministry":
            # A role held nationally answers for the national events only: the flow would let the ministry act on
            # a province's event, but it waits for that province's people.
            assert not events
            continue
        for event in Event.objects.filter(province__code=LAI_CHAU):
            offered = [o for o in event_flow.options(event, user, on_date=TODAY)
                       if o.action in {"approve", "hold", "report", "settle"}
                       and event_flow.decide(event, user, o.action, on_date=TODAY).failure != "permission"
                       and not (o.action == "hold" and event.end_date > TODAY)]
            assert (event.title in events) == bool(offered), (role, event.title)


def test_items_say_what_where_since_and_the_step_in_words(people, work):
    inbox = inbox_for(people["manager"], TODAY)
    group = next(g for g in inbox.groups if g.kind == "project_step")
    item = next(i for i in group.items if i.title == "Đề án chờ phê duyệt")
    assert item.code == work["council"].code and "Lai Châu" in item.where
    assert item.step.startswith("Phê duyệt") and "approve" not in item.step
    assert item.late and item.due == TODAY - 2 * DAY and item.due_words == "quá hạn 2 ngày"
    assert item.url == f"/projects/{work['council'].pk}/"
    finance = next(g for g in inbox_for(people["finance"], TODAY).groups if g.kind == "project_step").items[0]
    assert finance.since == TODAY - 10 * DAY and finance.since_words == "10 ngày trước"


def test_home_page_shows_the_inbox_grouped_with_counts(client, people, work):
    client.force_login(people["centre"])
    html = client.get("/").content.decode()
    assert 'data-testid="inbox"' in html and "Đề án chờ bạn xử lý" in html
    assert "Đề án nháp máy sấy chè" in html and "Gửi Sở Công Thương" in html
    assert f'href="/projects/{work["draft"].pk}/"' in html
    assert f'href="/events/{work["ended"].pk}/#actions"' in html
    assert "Đề án nháp Tây Ninh" not in html
    assert re.search(r"Báo cáo tiến độ hằng tháng <span class=\"badge text-bg-secondary\">1</span>", html)
    assert "<code>" not in html and "project.create" not in html  # no raw action codes any more
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", html)

    client.force_login(people["idle"])
    assert "Không có việc nào đang chờ bạn." in client.get("/").content.decode()
    client.force_login(people["viewer"])
    html = client.get("/").content.decode()
    assert "chỉ cho phép xem" in html and "Hội thảo sắp tới" in html


def test_the_daily_email_lists_the_same_items_as_the_page(client, people, work):
    result = send_all(TODAY)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "xem@example.vn" not in by_address  # a viewer takes no action: no daily e-mail
    assert "ttkc.ct@example.vn" not in by_address  # nothing waits for them
    for role in ("centre", "finance", "doit", "manager", "ministry", "collaborator"):
        user = people[role]
        client.force_login(user)
        html = client.get("/").content.decode()
        page = set(re.findall(r'<a class="fw-semibold text-break" href="([^"]+)"', html))
        body = by_address[user.email].body
        email = {re.sub(r"^https?://[^/]+", "", line.strip()) for line in body.splitlines()
                 if line.strip().startswith("http")}
        assert page and page == email, role
    subject = by_address["ldsct@example.vn"].subject
    assert subject.startswith("[KC]") and TODAY.strftime("%d/%m/%Y") in subject and "quá hạn" in subject
    assert result["emails"] == len(mail.outbox)
    assert AuditEvent.objects.filter(action="web.inbox_digest_sent", changes__emails=len(mail.outbox)).exists()


def test_the_reminders_command_sends_the_inbox(people, work, capsys):
    call_command("send_reminders", "--date", TODAY.isoformat())
    assert f"{len(mail.outbox)} e-mails" in capsys.readouterr().out
    assert "ttkc@example.vn" in {m.to[0] for m in mail.outbox}


def _grow(people, n: int) -> None:
    """n more of every kind of work in Lai Châu."""
    local = make_plan(year=2027, fund="local", province_code=LAI_CHAU, envelope=5_000_000_000)
    collaborator = people["collaborator_record"]
    for i in range(n):
        make_project(LAI_CHAU, plan=local, status="draft")
        make_project(LAI_CHAU, plan=local, status="in_progress", report_due_date=TODAY, due_date=TODAY - DAY)
        make_project(LAI_CHAU, plan=local, status="council_appraised", due_date=TODAY + DAY)
        _event(f"Hội thảo số {i}", LAI_CHAU, "reported", TODAY - 9 * DAY, TODAY - 9 * DAY)
        _event(f"Hội thảo chờ duyệt {i}", LAI_CHAU, "planned", TODAY + DAY, TODAY + DAY)
        make_application(LAI_CHAU)
        make_record(collaborator)
        make_task(collaborator, due_date=TODAY - DAY)


@pytest.mark.parametrize("role", ["centre", "finance", "manager", "viewer", "collaborator"])
def test_queries_stay_flat_as_data_grows(people, work, role, django_assert_max_num_queries):
    user = people[role]
    inbox_for(user, TODAY)  # the session's caches (content types, scope) are warm
    user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as small:
        inbox_for(user, TODAY)
    _grow(people, 25)
    user = type(user).objects.get(pk=user.pk)
    with django_assert_max_num_queries(len(small)):
        big = inbox_for(user, TODAY)
    assert big.total > 0
