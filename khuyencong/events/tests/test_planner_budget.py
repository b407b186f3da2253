"""The planner's drafted tour: budget lines quoted from the rules' cost norms (a verified rate prices the line, an
unknown or unverified one is flagged and never 0 ₫), the visiting order the user sets, and share bars drawn to scale."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext as tr

from khuyencong.accounts.tests.factories import province
from khuyencong.core.money import format_vnd
from khuyencong.events import planner
from khuyencong.events.forms import DraftForm
from khuyencong.events.models import Event
from khuyencong.events.vocab import Topic
from khuyencong.geo.models import AdminUnit
from khuyencong.rules import engine
from khuyencong.rules.models import CostNorm

from .helpers import CAN_THO, HCM, LAI_CHAU, TAY_NINH, D
from .test_planner import network

pytestmark = pytest.mark.django_db

HANOI = 1


def estimate(hosts=(TAY_NINH, CAN_THO), **kwargs):
    values = {"home_province": province(LAI_CHAU), "hosts": [province(c) for c in hosts],
              "start_date": D(2027, 3, 15), "days_per_host": 2, "state_paid": 4, "non_state": 6, **kwargs}
    return planner.budget_estimate(**values)


def by_kind(result, kind):
    return [line for line in result.lines if line.kind == kind]


def verified_per_diem(amount=250_000, province_code=LAI_CHAU):
    return CostNorm.objects.create(key=f"norm:test:{province_code}:per_diem", item="per_diem", amount_vnd=amount,
                                   unit="person_day", basis="NQ thử nghiệm của HĐND tỉnh Lai Châu, Điều 3",
                                   effective_from=D(2027, 1, 1), mark="verified", province_code=province_code)


def test_a_verified_rate_prices_the_line_at_the_right_amount():
    verified_per_diem()
    (line,) = by_kind(estimate(), "per_diem")
    assert line.state == planner.RULE and not line.needs_input
    assert line.quantity == 6 * 5  # six participants not state-paid, two hosts × two days and the day home
    assert (line.unit_cost, line.amount) == (250_000, 250_000 * 30)
    assert line.note == "NQ thử nghiệm của HĐND tỉnh Lai Châu, Điều 3"


def test_the_provinces_own_norm_wins_over_the_national_one_only_for_its_staff():
    verified_per_diem()
    assert engine.cost_norm("per_diem", province=LAI_CHAU, on_date=D(2027, 3, 15)).amount_vnd == 250_000
    national = engine.cost_norm("per_diem", province=TAY_NINH, on_date=D(2027, 3, 15))
    assert national.province_code is None and national.basis == "TT 40/2017/TT-BTC, Điều 5 khoản 2"
    assert engine.cost_norm("per_diem", province=LAI_CHAU, on_date=D(2026, 12, 31)).province_code is None


def test_an_unverified_rate_is_flagged_with_its_suggestion_never_taken_silently():
    result = estimate()
    (line,) = by_kind(result, "per_diem")
    rule = CostNorm.objects.get(key="norm:tt40-2017:national:per_diem")
    assert rule.mark == "unverified"
    assert line.state == planner.TO_CONFIRM and line.needs_input
    assert (line.unit_cost, line.amount, line.suggestion) == (None, None, rule.amount_vnd)
    assert line.note == tr("Unverified — enter it from the province's rules (suggested: %(amount)s, %(basis)s)") % {
        "amount": format_vnd(rule.amount_vnd), "basis": rule.basis}
    assert "chưa xác minh" in line.note.lower()


def test_an_unknown_rate_gives_a_flagged_line_never_zero():
    result = estimate()
    (materials,) = by_kind(result, "materials")  # no norm in the rules at all
    assert materials.state == planner.TO_PRICE and materials.unit_cost is None and materials.amount is None
    assert materials.note == tr("No norm in the rules — enter it from the province's rules")
    (transport,) = by_kind(result, "transport")  # a norm that sets no fixed rate (paid on invoice)
    assert transport.state == planner.TO_PRICE and transport.amount is None
    assert "TT 40/2017/TT-BTC, Điều 6" in transport.note
    assert all(line.amount != 0 for line in result.lines)
    # Every line waits for a figure: the total counts none of them and says how many are left.
    assert result.priced_total is None and len(result.to_price) == len(result.lines) == 5


def test_the_users_figure_prices_a_line_and_the_total_counts_only_priced_lines():
    verified_per_diem()
    result = estimate(rates={"transport": 45_000_000, "lodging": 380_000})
    assert [line.state for line in result.lines] == [planner.USER, planner.RULE, planner.USER, planner.USER,
                                                     planner.TO_PRICE]
    assert result.priced_total == 45_000_000 + 250_000 * 30 + 380_000 * 12 * 2
    assert [line.kind for line in result.to_price] == ["materials"]


def test_lodging_is_quoted_per_destination_in_the_visiting_order():
    result = estimate(hosts=(HANOI, TAY_NINH))
    lodging = by_kind(result, "lodging")
    assert [line.host.code for line in lodging] == [HANOI, TAY_NINH]
    hanoi_rate = CostNorm.objects.get(key="norm:tt40-2017:national:lodging:hn_hcm").amount_vnd
    elsewhere = CostNorm.objects.get(key="norm:tt40-2017:national:lodging").amount_vnd
    assert [line.suggestion for line in lodging] == [hanoi_rate, elsewhere] and hanoi_rate > elsewhere
    assert [host.code if host else None for _day, host in result.itinerary] == [HANOI, HANOI, TAY_NINH, TAY_NINH,
                                                                                   None]
    reversed_order = estimate(hosts=(TAY_NINH, HANOI))
    assert [line.host.code for line in by_kind(reversed_order, "lodging")] == [TAY_NINH, HANOI]
    assert reversed_order.itinerary[0] == (D(2027, 3, 15), province(TAY_NINH))


def test_without_participants_outside_the_state_payroll_no_meals_or_lodging_are_drafted():
    result = estimate(non_state=0)
    assert [line.kind for line in result.lines] == ["transport", "materials"]


# --- the visiting order -------------------------------------------------------------------------------------------


def draft_form(data, hosts=(TAY_NINH, CAN_THO, HCM)):
    hosts = [province(c) for c in hosts]
    base = {"home": province(LAI_CHAU).pk, "topics": ["collaborator_network"], "start_date": "15/03/2027",
            "days_per_host": 1, "audience": "mixed", "fund": "local", "state_paid": 2, "non_state": 3}
    home = AdminUnit.objects.filter(pk=province(LAI_CHAU).pk)
    return DraftForm({**base, **data}, provinces=home, hosts=hosts)


def test_the_hosts_follow_the_order_numbers_not_the_ranking():
    form = draft_form({f"order_{province(HCM).pk}": 1, f"order_{province(TAY_NINH).pk}": 2})
    assert form.is_valid(), form.errors
    assert [h.code for h in form.cleaned_data["hosts"]] == [HCM, TAY_NINH]


def test_order_numbers_must_be_distinct_and_at_least_one():
    form = draft_form({f"order_{province(HCM).pk}": 1, f"order_{province(TAY_NINH).pk}": 1})
    assert not form.is_valid()
    assert form.non_field_errors() == [
        tr("Give each host its own visiting order: two hosts have the same number.")]
    form = draft_form({})
    assert not form.is_valid()
    assert form.non_field_errors() == [tr("Give at least one province a visiting order (1, 2…).")]


# --- the page -----------------------------------------------------------------------------------------------------


@pytest.fixture
def evidence(staff):
    network(TAY_NINH, 3, 3)  # 3 communes covered out of the province's
    network(CAN_THO, 2, 12)
    network(HCM, 1, 1)


def test_share_bars_are_as_wide_as_their_percentage(client, staff, evidence):
    client.force_login(staff)
    page = client.get(reverse("event_planner"), {"home": province(LAI_CHAU).pk, "topics": "collaborator_network"})
    html = page.content.decode()
    bars = re.findall(r'aria-label="([^"]*): (\d+)%" data-testid="share-bar" data-percent="(\d+)">'
                      r'<rect width="100"[^>]*/><rect class="kc-share" width="(\d+)"', html)
    assert len(bars) == 3  # one coverage share per candidate; counts (active collaborators) have no bar
    assert 'data-testid="estimate-hint"' in html and 'data-testid="estimate"' not in html  # no delegation yet
    for _label, said, data_percent, width in bars:
        assert said == data_percent == width
    result = planner.rank_hosts(user=staff, topics=[Topic.COLLABORATOR_NETWORK], home_province=province(LAI_CHAU))
    shares = [i for c in result.candidates for i in c.indicators if i.key == "coverage"]
    best = max(shares, key=lambda i: i.strength)
    covered, total = (int(x) for x in best.value.split(" ")[0].split("/"))
    # The best coverage scores full marks against the other candidates, yet its bar is only as wide as its share.
    assert best.strength == 1 and best.percent == round(100 * covered / total) < 50
    assert f'data-percent="{best.percent}"><rect width="100" height="6" fill="#e9ecef"/><rect class="kc-share" ' \
           f'width="{best.percent}"' in html


def test_preview_shows_the_itinerary_and_budget_in_the_order_set_and_drafting_keeps_it(client, staff, evidence):
    client.force_login(staff)
    data = {"home": province(LAI_CHAU).pk, "topics": "collaborator_network", "start_date": "15/03/2027",
            "days_per_host": 1, "audience": "mixed", "fund": "local", "state_paid": 2, "non_state": 3,
            f"order_{province(CAN_THO).pk}": 1, f"order_{province(TAY_NINH).pk}": 2, "transport_cost": "30.000.000"}
    page = client.post(reverse("event_draft"), {**data, "step": "preview"})
    assert page.status_code == 200
    html = page.content.decode()
    itinerary = re.search(r'data-testid="itinerary">(.*?)</ol>', html, re.S).group(1)
    assert itinerary.index(province(CAN_THO).name) < itinerary.index(province(TAY_NINH).name)
    assert "15/03/2027" in itinerary and "2027-03-15" not in html
    assert "30.000.000 ₫" in html and not re.search(r">\s*0 ₫\s*<", html)
    assert tr("to price") in html and "chưa xác minh" in html
    assert Event.objects.count() == 0
    done = client.post(reverse("event_draft"), {**data, "step": "draft"})
    event = Event.objects.get()
    assert done.status_code == 302 and done.url == reverse("event_detail", args=[event.pk])
    assert [p.unit.code for p in event.places.order_by("order")] == [CAN_THO, TAY_NINH]
    assert [d.host_province.code for d in event.itinerary.order_by("day")] == [CAN_THO, TAY_NINH]
    assert [line.kind for line in event.budget_lines.all()] == ["transport"]  # the other lines are still to price
    shown = client.get(done.url).content.decode()
    assert tr("Study tour drafted: name the participants and check the budget.") in shown


def test_a_bad_order_keeps_what_was_typed(client, staff, evidence):
    client.force_login(staff)
    page = client.post(reverse("event_draft"), {
        "home": province(LAI_CHAU).pk, "topics": "collaborator_network", "start_date": "15/03/2027",
        "days_per_host": 1, "audience": "mixed", "fund": "local", "state_paid": 2, "non_state": 3,
        "title": "Đoàn học tập mạng lưới", f"order_{province(CAN_THO).pk}": 1, f"order_{province(TAY_NINH).pk}": 1,
        "step": "draft"})
    assert page.status_code == 422
    html = page.content.decode()
    assert tr("Give each host its own visiting order: two hosts have the same number.") in html
    assert 'value="Đoàn học tập mạng lưới"' in html and Event.objects.count() == 0
