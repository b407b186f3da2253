"""Reads: training results for reporting, diacritic-free search, national lessons, flat query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.tests.factories import province
from khuyencong.events import selectors, services

from .helpers import TAY_NINH, D, establishment, legacy_province, make_event, make_training, pdf, person

pytestmark = pytest.mark.django_db


def held_course(staff, manager, *, trainees=3, signed=2, employed=1, year=2026, code=12):
    course = make_training(staff, title=f"Lớp {year} {trainees}", venue="Bản Lướt",
                           start_date=D(year, 3, 2), end_date=D(year, 3, 3))
    services.budget_line_add(actor=staff, event=course, kind="teachers", unit_cost=1_000, support=1_000)
    services.event_transition(actor=manager, event=course, action="approve", on_date=D(year, 2, 1),
                              inputs={"reference": "1"})
    people = [person(staff, course, f"Học viên {i}", role="trainee", origin="other") for i in range(trainees)]
    services.attendance_record(actor=staff, event=course, day=D(year, 3, 2), upload=pdf(), present=people[:signed])
    services.event_transition(actor=staff, event=course, action="hold", on_date=D(year, 3, 3))
    for i, p in enumerate(people[:signed]):
        services.trainee_result_set(actor=staff, participant=p, result="passed", certificate_number=f"{year}-{i}",
                                    certificate_issued_on=D(year, 3, 10))
    for p in people[:employed]:
        services.trainee_employment_set(actor=staff, participant=p, employed=True, employer=establishment(),
                                        confirmation="01/XN")
    return course


def test_training_attendance_and_employment_feed_training_results(staff, manager, tn_staff):
    held_course(staff, manager, trainees=3, signed=2, employed=1)
    held_course(staff, manager, trainees=4, signed=4, employed=3, year=2025)
    planned = make_training(staff, title="Lớp chưa mở")
    person(staff, planned, "Chưa học", role="trainee", origin="other")  # not held: not counted
    results = selectors.training_results(user=staff)
    assert (results.courses, results.trainees, results.trainees_attended, results.trainees_certified,
            results.trainees_employed) == (2, 7, 6, 6, 4)
    assert selectors.training_results(user=staff, year=2026).trainees_employed == 1
    assert round(results.employment_rate, 2) == round(4 / 7, 2)
    assert selectors.training_results(user=tn_staff).courses == 0  # another province's courses stay out


def test_event_search_ignores_diacritics_and_finds_places_of_the_time(staff):
    tour = make_event(staff, title="Học tập kinh nghiệm tại Yên Bái", start_date=D(2016, 12, 4),
                      end_date=D(2016, 12, 5))
    services.event_place_add(actor=staff, event=tour, unit=legacy_province(15))
    make_event(staff, title="Hội nghị tổng kết", kind="review_conference", audience="")
    found = list(selectors.event_list(user=staff, filters=selectors.EventFilters(q="yen bai")))
    assert found == [tour]
    assert list(selectors.event_list(user=staff, filters=selectors.EventFilters(q="LÀO CAI"))) == [tour]
    assert list(selectors.event_list(user=staff, filters=selectors.EventFilters(kind="study_tour"))) == [tour]


def test_event_topic_and_month_filters(staff):
    tour = make_event(staff, start_date=D(2018, 5, 17), end_date=D(2018, 5, 18))
    services.itinerary_day_add(actor=staff, event=tour, day=D(2018, 5, 17), host_province=legacy_province(80),
                               topics=["collaborator_network"])
    make_event(staff, title="Khác")
    topic = selectors.EventFilters(topic="collaborator_network")
    assert list(selectors.event_list(user=staff, filters=topic)) == [tour]
    month = selectors.EventFilters(month=D(2018, 5, 1))
    assert list(selectors.event_list(user=staff, filters=month)) == [tour]


def test_lessons_are_read_nationally_and_searched_without_diacritics(staff, tn_staff, ct_staff):
    lesson = services.lesson_create(actor=ct_staff, data={
        "topic": "collaborator_network", "title": "Duy trì mạng lưới cộng tác viên khuyến công",
        "practice": "Phối hợp thường xuyên.", "province": province(92), "place_then": legacy_province(93)})
    services.lesson_create(actor=tn_staff, data={"topic": "settlement", "title": "Hồ sơ quyết toán",
                                                 "practice": "Rà soát sớm.", "province": province(TAY_NINH)})
    for q in ("cong tac vien", "CỘNG TÁC VIÊN", "hau giang", "mang luoi"):
        found = list(selectors.lesson_list(user=staff, filters=selectors.LessonFilters(q=q)))
        assert found == [lesson], q
    assert list(selectors.lesson_list(user=staff, filters=selectors.LessonFilters(province=92))) == [lesson]
    # Syllables scattered in another lesson ("công tác", "học viên") match too, after the exact phrase.
    loose = services.lesson_create(actor=tn_staff, data={
        "topic": "training", "title": "Học viên được nhận vào làm", "practice": "Cán bộ đi công tác tại cơ sở.",
        "province": province(TAY_NINH), "observed_on": D(2026, 1, 1)})
    found = list(selectors.lesson_list(user=staff, filters=selectors.LessonFilters(q="cong tac vien")))
    assert found == [lesson, loose]
    settled = selectors.lesson_list(user=staff, filters=selectors.LessonFilters(topic="settlement"))
    assert [x.title for x in settled] == ["Hồ sơ quyết toán"]
    assert not list(selectors.lesson_list(user=staff, filters=selectors.LessonFilters(changed=True)))


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_event_list_query_count_is_flat(staff, client):
    def add(n):
        for i in range(n):
            tour = make_event(staff, title=f"Đoàn {i} {n}", start_date=D(2016, 11, 28), end_date=D(2016, 11, 29))
            services.event_place_add(actor=staff, event=tour, unit=legacy_province(15))
            services.event_place_add(actor=staff, event=tour, unit=legacy_province(31))
            person(staff, tour, f"Thành viên {i}")

    client.force_login(staff)
    add(2)
    few = _count(lambda: client.get("/events/"))
    api_few = _count(lambda: client.get("/api/v1/events"))
    add(6)
    assert _count(lambda: client.get("/events/")) == few
    assert _count(lambda: client.get("/api/v1/events")) == api_few


def test_lesson_list_query_count_is_flat(staff, tn_staff, client):
    def add(n):
        for i in range(n):
            lesson = services.lesson_create(actor=tn_staff, data={
                "topic": "collaborator_network", "title": f"Bài học {n} {i}", "practice": "x",
                "province": province(TAY_NINH), "place_then": legacy_province(80)})
            services.followup_add(actor=tn_staff, lesson=lesson, data={"kind": "policy", "proposal": "p",
                                                                       "owner": "o"})

    client.force_login(staff)
    add(2)
    few = _count(lambda: client.get("/lessons/"))
    api_few = _count(lambda: client.get("/api/v1/lessons"))
    add(6)
    assert _count(lambda: client.get("/lessons/")) == few
    assert _count(lambda: client.get("/api/v1/lessons")) == api_few


def test_establishment_event_items_for_the_registry_timeline(staff, manager):
    est = establishment()
    fair = make_event(staff, kind="fair_attended", audience="", content="fair_domestic_participate",
                      start_date=D(2025, 11, 12), end_date=D(2025, 11, 13))
    services.booth_add(actor=staff, event=fair, establishment=est, number="A1", price=10_000_000)
    tour = make_event(staff)
    person(staff, tour, "Chủ cơ sở", origin="establishment", establishment=est)
    items = selectors.establishment_event_items(establishment=est)
    assert {(i["year"], i["kind"]) for i in items} == {(2025, "fair_attended"), (2026, "study_tour_domestic")}
    assert next(i for i in items if i["kind"] == "fair_attended")["amount"] == 10_000_000


@pytest.mark.parametrize("url", ["/events/", "/events/?q=doan&kind=study_tour_domestic", "/events/?topic=policy",
                                 "/events/calendar/?month=2016-11", "/api/v1/events", "/api/v1/events?q=doan&limit=50"])
def test_event_lists_stay_within_twelve_queries(staff, client, url, django_assert_max_num_queries):
    """The events page, calendar and API answer in at most 12 queries, the same with 2 tours as with 14 (each with
    places, a day of itinerary with topics, a visit, members, a budget line and a lesson)."""
    def add(n, start):
        for i in range(start, start + n):
            tour = make_event(staff, title=f"Đoàn {i}", start_date=D(2016, 11, 28), end_date=D(2016, 11, 30))
            services.event_place_add(actor=staff, event=tour, unit=legacy_province(15))
            services.event_place_add(actor=staff, event=tour, unit=legacy_province(31))
            day = services.itinerary_day_add(actor=staff, event=tour, day=D(2016, 11, 28),
                                             host_province=legacy_province(15), topics=["policy", "training"])
            services.site_visit_add(actor=staff, day=day, kind="demo_model", name=f"Mô hình {i}")
            services.budget_line_add(actor=staff, event=tour, kind="transport", unit_cost=1_000_000,
                                     support=1_000_000)
            person(staff, tour, f"Thành viên {i}")
            person(staff, tour, f"Trưởng đoàn {i}", role="head")

    client.force_login(staff)
    add(2, 0)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    few = _count(lambda: client.get(url))
    add(12, 2)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert _count(lambda: client.get(url)) == few
    if url == "/api/v1/events":
        assert response.json()["count"] == 14


def test_establishment_page_queries_stay_flat_as_its_timeline_grows(staff, client):
    """The registry's establishment page reads the events timeline in one query: the page's count does not grow
    with trainings, fairs and study-tour visits, and stays within the national benchmark's target."""
    est = establishment()
    client.force_login(staff)

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/establishments/{est.pk}/").status_code == 200
        return len(ctx)

    page_queries()  # the first request of a test also fills per-process caches (rules in force)
    before = page_queries()
    for i in range(4):
        fair = make_event(staff, kind="fair_attended", audience="", content="fair_domestic_participate",
                          title=f"Hội chợ {i}", start_date=D(2025, 11, 12), end_date=D(2025, 11, 13))
        services.booth_add(actor=staff, event=fair, establishment=est, number=f"A{i}", price=10_000_000)
        tour = make_event(staff, title=f"Đoàn {i}")
        person(staff, tour, f"Chủ cơ sở {i}", origin="establishment", establishment=est)
    assert len(selectors.establishment_event_items(establishment=est)) == 8
    assert page_queries() == before <= 13


def test_training_attendance_and_employment_flow_into_the_reporting_indicators(staff, manager, tn_staff):
    """Issue 7: the signed attendance and the confirmed employment of a course held through the services are what
    the reporting indicators count, for the course's province and year only."""
    from khuyencong.reporting.selectors import indicator_table

    held_course(staff, manager, trainees=3, signed=2, employed=1)
    held_course(staff, manager, trainees=4, signed=4, employed=3, year=2025)
    codes = ["training_courses", "trainees", "trainees_attended", "trainees_employed"]

    def figures(user, period):
        return {row.code: row.value for row in indicator_table(user=user, period=period, codes=codes)}

    assert figures(staff, "2026") == {"training_courses": 1, "trainees": 3, "trainees_attended": 2,
                                      "trainees_employed": 1}
    assert figures(staff, "2025") == {"training_courses": 1, "trainees": 4, "trainees_attended": 4,
                                      "trainees_employed": 3}
    assert figures(tn_staff, "2026") == dict.fromkeys(codes, 0)
