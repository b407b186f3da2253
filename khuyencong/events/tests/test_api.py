"""API: events scoped and searchable without diacritics; lessons readable by every province."""

import pytest

from khuyencong.accounts.tests.factories import province
from khuyencong.events import services

from .helpers import D, legacy_province, make_event

pytestmark = pytest.mark.django_db


def test_events_search_is_diacritic_free_and_scoped(client, staff, tn_staff):
    tour = make_event(staff, title="Học tập kinh nghiệm cộng tác viên tại Long An", start_date=D(2018, 5, 17),
                      end_date=D(2018, 5, 18))
    services.event_place_add(actor=staff, event=tour, unit=legacy_province(80))
    make_event(tn_staff, 80, title="Đoàn Tây Ninh cộng tác viên")
    client.force_login(staff)
    body = client.get("/api/v1/events?q=cong+tac+vien").json()
    assert body["count"] == 1 and body["items"][0]["id"] == tour.pk
    place = body["items"][0]["places"][0]
    assert place["unit"] == {"code": 80, "name": "Tỉnh Long An", "scheme": "legacy"}
    assert place["today"] == [{"code": 80, "name": "Tỉnh Tây Ninh", "scheme": "current"}]
    assert client.get(f"/api/v1/events/{tour.pk}").json()["title"] == tour.title
    client.force_login(tn_staff)
    assert client.get(f"/api/v1/events/{tour.pk}").status_code == 404
    assert [e["title"] for e in client.get("/api/v1/events?q=CONG TAC VIEN").json()["items"]] == [
        "Đoàn Tây Ninh cộng tác viên"]


def test_lessons_are_readable_by_every_province(client, staff, ct_staff):
    lesson = services.lesson_create(actor=ct_staff, data={
        "topic": "collaborator_network", "title": "Duy trì mạng lưới cộng tác viên", "practice": "Phối hợp.",
        "province": province(92), "place_then": legacy_province(93)})
    services.followup_add(actor=ct_staff, lesson=lesson, data={"kind": "network_rule", "proposal": "Sửa quy chế",
                                                               "owner": "Trung tâm", "status": "adopted",
                                                               "outcome": "Quy chế 2025"})
    client.force_login(staff)  # a Lai Châu user reads Cần Thơ's lesson
    body = client.get("/api/v1/lessons?q=cong tac vien&limit=5").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["place_then"]["name"] == "Tỉnh Hậu Giang" and item["province"]["code"] == 92
    assert item["author_province"]["code"] == 92 and item["adopted_followups"] == 1
    detail = client.get(f"/api/v1/lessons/{lesson.pk}").json()
    assert detail["followup_items"][0]["outcome"] == "Quy chế 2025"
    assert client.get("/api/v1/lessons?topic=settlement").json()["count"] == 0
    assert client.get("/api/v1/lessons/999999").status_code == 404


def test_event_detail_gives_the_pages_budget_and_next_steps(client, staff):
    event = make_event(staff)
    services.budget_line_add(actor=staff, event=event, kind="transport", unit_cost=3_000_000, support=1_000_000)
    client.force_login(staff)
    body = client.get(f"/api/v1/events/{event.pk}").json()
    assert body["budget"]["cost"] == 3_000_000 and body["budget"]["support"] == 1_000_000
    assert body["budget"]["spent"] is None
    actions = {a["action"]: a for a in body["actions"]}
    assert set(actions) == {"approve", "cancel"} and actions["cancel"]["allowed"]
    assert not actions["approve"]["allowed"] and actions["approve"]["reasons"]
    page = client.get(f"/events/{event.pk}/")
    assert page.context["budget"].cost == body["budget"]["cost"]
