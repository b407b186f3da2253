"""The study-tour planner ranks host provinces from real data, shows the evidence, and drafts a tour whose budget
lines are quoted by the rules."""

import pytest
from django.utils.translation import gettext as tr

from khuyencong.accounts.tests.factories import commune_of, province
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.events import planner, services
from khuyencong.events.models import EventStatus
from khuyencong.events.vocab import Topic
from khuyencong.network.models import Collaborator, Coverage, FieldRecord
from khuyencong.rules import engine
from khuyencong.rules.models import ContentItem, SupportRate

from .helpers import CAN_THO, HCM, LAI_CHAU, TAY_NINH, D, legacy_province

pytestmark = pytest.mark.django_db


def network(code: int, active: int, communes: int, *, needs: int = 0, converted: int = 0):
    """Collaborators of a province, the communes they cover and their needs registrations."""
    prov = province(code)
    for i in range(active):
        c = Collaborator.objects.create(province=prov, code=f"CTV-{code}-{i}", seq=i + 1, full_name=f"CTV {i}",
                                        name_folded=f"ctv {i}", gender="male", birth_year=1980, phone="0912345678",
                                        status="active")
        for j in range(communes // active if i < active - 1 else communes - (communes // active) * (active - 1)):
            unit = commune_of(code, i * 10 + j)
            Coverage.objects.create(collaborator=c, unit=unit, province=prov, start_date=D(2025, 8, 1))
    first = Collaborator.objects.filter(province=prov).first()
    for i in range(needs):
        FieldRecord.objects.create(collaborator=first, province=prov, commune=commune_of(code, 0), kind="need",
                                   occurred_on=D(2026, 1, 5), status="accepted" if i >= converted else "converted")


@pytest.fixture
def evidence(staff, tn_staff, ct_staff, hcm_staff):
    network(TAY_NINH, 6, 12, needs=10, converted=4)
    network(CAN_THO, 3, 6, needs=4, converted=1)
    network(HCM, 2, 2)
    services.lesson_create(actor=hcm_staff, data={
        "topic": "collaborator_network", "title": "Cơ cấu mạng lưới cộng tác viên Long An",
        "practice": "Tiêu chuẩn và cách thức tham gia rõ ràng.", "province": province(TAY_NINH),
        "place_then": legacy_province(80), "observed_on": D(2018, 5, 17)})
    services.practice_create(actor=tn_staff, data={
        "province": province(TAY_NINH), "topic": "collaborator_network", "title": "Mạng lưới phủ theo xã mới",
        "description": "Một quy chế chung.", "evidence": "Quy chế 2025, 12 xã có cộng tác viên."})
    services.practice_create(actor=ct_staff, data={
        "province": province(CAN_THO), "topic": "settlement", "title": "Quyết toán đúng hạn",
        "description": "Danh mục hồ sơ.", "evidence": "100% đề án năm 2025 quyết toán đúng hạn."})


def test_planner_ranks_provinces_for_the_collaborator_network_from_real_data(staff, evidence):
    result = planner.rank_hosts(user=staff, topics=[Topic.COLLABORATOR_NETWORK], home_province=province(LAI_CHAU))
    codes = [c.province.code for c in result.candidates]
    assert codes[:3] == [TAY_NINH, CAN_THO, HCM]
    assert LAI_CHAU not in codes
    first = result.candidates[0]
    assert first.practice_count == 1 and first.lesson_count == 1
    assert [p.title for p in first.practices] == ["Mạng lưới phủ theo xã mới"]
    indicators = {i.key: i for i in first.indicators}
    assert indicators["collaborators_active"].value == "6" and indicators["collaborators_active"].strength == 1
    assert indicators["coverage"].value.startswith("12/")
    assert indicators["conversions"].value == "4/10 (40%)"
    assert dict(first.breakdown)[tr("model practices")] == 3 and dict(first.breakdown)[tr("lessons drawn there")] == 2
    assert not first.same_region  # Tây Ninh is in the South, Lai Châu in the North (configuration)
    second = result.candidates[1]
    assert second.practice_count == 0  # Cần Thơ's practice is on settlement, not on this topic
    assert {i.key for i in second.indicators} == {"collaborators_active", "coverage", "conversions"}
    assert first.score > second.score > result.candidates[2].score > 0


def test_region_counts_only_beside_evidence(staff, evidence):
    result = planner.rank_hosts(user=staff, topics=[Topic.COLLABORATOR_NETWORK], home_province=province(HCM))
    by_code = {c.province.code: c for c in result.candidates}
    assert by_code[TAY_NINH].same_region and dict(by_code[TAY_NINH].breakdown)[tr("same region")] == 1
    assert all(c.score > 1 for c in result.candidates)  # no province is ranked on its region alone


def test_topics_without_an_indicator_say_so(staff, evidence):
    result = planner.rank_hosts(user=staff, topics=[Topic.CONSULTING_SERVICES, Topic.SETTLEMENT],
                                home_province=province(LAI_CHAU))
    assert tr("%(topic)s: no indicator is computed for this topic yet; the ranking uses model practices and lessons "
              "only.") % {"topic": Topic.CONSULTING_SERVICES.label} in result.missing
    assert any("settlement deadline" in m or "quyết toán" in m.lower() for m in result.missing)
    assert [c.province.code for c in result.candidates][:1] == [CAN_THO]


def test_planner_query_count_does_not_grow_with_the_evidence(staff, evidence, hcm_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            planner.rank_hosts(user=staff, topics=list(Topic.values), home_province=province(LAI_CHAU))
        return len(ctx.captured_queries)

    before = count()
    for code in (22, 31, 15, 48, 66):
        services.lesson_create(actor=hcm_staff, data={"topic": "training", "title": f"Bài học {code}",
                                                      "practice": "x", "province": province(code)})
    assert count() == before


def draft(actor, **kwargs):
    values = {"home_province": province(LAI_CHAU), "hosts": [province(TAY_NINH), province(CAN_THO)],
              "topics": [Topic.COLLABORATOR_NETWORK], "start_date": D(2027, 3, 15), "days_per_host": 2,
              "audience": "mixed", "fund": "local", "state_paid": 4, "non_state": 6, "transport_cost": 45_000_000,
              "per_diem": 200_000, "lodging": 400_000, **kwargs}
    return services.study_tour_draft(actor=actor, **values)


def test_drafting_a_tour_quotes_every_line_by_the_rules(staff):
    tour = draft(staff)
    assert tour.status == EventStatus.PLANNED and tour.content.code == "kc_capacity"
    assert (tour.start_date, tour.end_date) == (D(2027, 3, 15), D(2027, 3, 19))
    assert [p.unit.code for p in tour.places.order_by("order")] == [TAY_NINH, CAN_THO]
    assert tour.itinerary.count() == 4 and all(d.topics == ["collaborator_network"] for d in tour.itinerary.all())
    lines = list(tour.budget_lines.order_by("id"))
    # The user's figures price transport, per-diem and lodging; lodging is a line per host, in the visiting order.
    assert [(line.kind, line.quantity, line.unit_cost_vnd) for line in lines] == [
        ("transport", 1, 45_000_000), ("per_diem", 6 * 5, 200_000), ("lodging", 6 * 2, 400_000),
        ("lodging", 6 * 2, 400_000)]
    assert lines[2].description.startswith(province(TAY_NINH).name)
    assert lines[3].description.startswith(province(CAN_THO).name)
    # Documents have no norm in the rules and no figure was typed: the line is not written at 0 ₫.
    assert not any(line.kind == "materials" for line in lines)
    # The rules hold no verified support rate for the capacity content of Lai Châu in 2027: each line says so.
    try:
        engine.support_quote("kc_capacity", "local", LAI_CHAU, 45_000_000, D(2027, 3, 15))
        expected = None
    except InvalidInput as exc:
        expected = exc.message
    assert expected and lines[0].quote_message == expected
    assert all(line.quote_support_vnd is None and line.support_vnd == 0 for line in lines)


def test_drafting_a_tour_uses_a_rate_once_the_province_has_one(staff):
    SupportRate.objects.create(key="rate:test:12:kc_capacity", content=ContentItem.objects.get(code="kc_capacity"),
                               fund="local", province_code=LAI_CHAU, max_percent=100, max_amount_vnd=60_000_000,
                               basis="NQ thử nghiệm của HĐND tỉnh", effective_from=D(2027, 1, 1), mark="unverified")
    tour = draft(staff)
    lines = {line.kind: line for line in tour.budget_lines.all()}
    assert lines["transport"].quote_support_vnd == 45_000_000 == lines["transport"].support_vnd
    assert lines["per_diem"].quote["rule"]["basis"] == "NQ thử nghiệm của HĐND tỉnh"
    assert all(line.support_vnd <= line.quote_support_vnd for line in lines.values())


def test_draft_refusals(staff, tn_staff):
    with pytest.raises(InvalidInput) as exc:
        draft(staff, hosts=[province(LAI_CHAU)])
    assert exc.value.message == tr("The home province cannot host its own study tour.")
    with pytest.raises(InvalidInput) as exc:
        draft(staff, topics=[])
    assert exc.value.message == tr("Choose at least one topic.")
    with pytest.raises(InvalidInput) as exc:
        draft(staff, state_paid=0, non_state=0)
    assert exc.value.message == tr("The delegation needs at least one participant.")
    with pytest.raises(PermissionDenied) as exc:
        draft(tn_staff)  # a Tây Ninh user cannot draft Lai Châu's tour
    assert exc.value.message == tr("You hold the role needed, but not for this province.")
