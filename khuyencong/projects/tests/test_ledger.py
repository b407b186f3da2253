"""The ledger: append-only, corrections by reversing entries, and every money limit refused with the limit named —
the first-advance percentage and the treasury cap read from the rules (frozen at approval), the approved and
contracted support, the plan's envelope."""

import datetime
from decimal import Decimal

import pytest

from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.projects import services
from khuyencong.projects.ledger import project_balances
from khuyencong.projects.models import LedgerEntry, LedgerImmutable
from khuyencong.rules.models import AdvanceRule

from .factories import make_plan
from .journey import draft, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(users, national_plan, establishment):
    """A national machinery project, 300.000.000 ₫ approved and contracted, in progress."""
    return walk(draft(users, national_plan, establishment), users, until="start")


def _pay(users, project, kind, amount, who="finance"):
    return services.ledger_record(actor=users[who], project=project, kind=kind, amount=amount)


# --- append-only ----------------------------------------------------------------------------------------------------


def test_entries_are_never_updated_or_deleted(running):
    entry = running.ledger.get(kind="APPROVED")
    entry.amount_vnd = 1
    with pytest.raises(LedgerImmutable):
        entry.save()
    with pytest.raises(LedgerImmutable):
        entry.delete()
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_vnd=1)
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount_vnd == 300_000_000


def test_a_correction_is_a_reversing_entry(users, running):
    wrong = _pay(users, running, "ADVANCE", 150_000_000)
    reversal = services.ledger_reverse(actor=users["finance"], project=running, entry_id=wrong.pk,
                                       note="Nhập nhầm số tiền.")
    assert reversal.amount_vnd == -150_000_000 and reversal.reverses_id == wrong.pk and reversal.kind == "ADVANCE"
    assert LedgerEntry.objects.filter(pk=wrong.pk).exists()
    assert project_balances(running).advanced == 0
    # Reversed once only; a reversal is not reversed; flow entries change only through the flow.
    with pytest.raises(InvalidInput):
        services.ledger_reverse(actor=users["finance"], project=running, entry_id=wrong.pk, note="lần hai")
    with pytest.raises(InvalidInput):
        services.ledger_reverse(actor=users["finance"], project=running, entry_id=reversal.pk, note="x")
    approved = running.ledger.get(kind="APPROVED")
    with pytest.raises(InvalidInput):
        services.ledger_reverse(actor=users["finance"], project=running, entry_id=approved.pk, note="x")
    with pytest.raises(InvalidInput) as exc:
        services.ledger_reverse(actor=users["finance"], project=running, entry_id=wrong.pk, note="")
    assert exc.value.field == "note"
    # After the correction the first advance is again the first one.
    assert _pay(users, running, "ADVANCE", 210_000_000).amount_vnd == 210_000_000


def test_the_database_refuses_a_positive_reversal(running):
    from django.db import IntegrityError, transaction

    entry = running.ledger.get(kind="APPROVED")
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(project=running, kind="APPROVED", amount_vnd=5, on_date=datetime.date.today(),
                                   reverses=entry)


# --- advances -------------------------------------------------------------------------------------------------------


def test_first_advance_is_limited_by_the_contents_percentage(users, running):
    with pytest.raises(InvalidInput) as exc:
        _pay(users, running, "ADVANCE", 210_000_001)
    assert exc.value.code == "first_advance"
    assert "210.000.000 ₫" in exc.value.message
    assert "TT 36/2013/TT-BCT, Điều 13 khoản 2 điểm d" in exc.value.message  # machinery: 70 % first
    entry = _pay(users, running, "ADVANCE", 210_000_000)
    assert entry.rule["first_advance"]["limit"] == 210_000_000


def test_first_advance_of_cluster_infrastructure_is_thirty_percent(users, national_plan):
    project = draft(users, national_plan, None, kind="group", content="cluster_infrastructure",
                    cost=1_000_000_000, support=500_000_000, title="Hạ tầng cụm công nghiệp")
    project = walk(project, users, until="start")
    with pytest.raises(InvalidInput) as exc:
        _pay(users, project, "ADVANCE", 150_000_001)
    assert exc.value.code == "first_advance"
    assert "150.000.000 ₫" in exc.value.message and "Điều 13 khoản 1" in exc.value.message
    _pay(users, project, "ADVANCE", 150_000_000)
    # The next advances are bounded by the treasury cap only: 70 % of 500.000.000 ₫.
    with pytest.raises(InvalidInput) as exc:
        _pay(users, project, "ADVANCE", 200_000_001)
    assert exc.value.code == "treasury_cap" and "350.000.000 ₫" in exc.value.message
    _pay(users, project, "ADVANCE", 200_000_000)


def test_advances_before_acceptance_stay_under_the_treasury_cap(users, running):
    _pay(users, running, "ADVANCE", 100_000_000)
    _pay(users, running, "ADVANCE", 100_000_000)
    with pytest.raises(InvalidInput) as exc:
        _pay(users, running, "ADVANCE", 10_000_001)
    assert exc.value.code == "treasury_cap"
    assert "210.000.000 ₫" in exc.value.message and "70" in exc.value.message
    assert "TTLT 26/2014" in exc.value.message
    last = _pay(users, running, "ADVANCE", 10_000_000)
    assert last.rule["treasury_cap"]["percent"] == "70"


def test_the_caps_come_from_the_rules_frozen_at_approval(users, national_plan, establishment):
    # A stricter treasury cap in force on the approval date is the one the project keeps…
    AdvanceRule.objects.filter(kind="treasury_cap", effective_to__isnull=True).update(percent=Decimal("60"))
    project = walk(draft(users, national_plan, establishment), users, until="start")
    assert project.rules_frozen["advance"]["treasury_cap"]["percent"] == "60"
    # …even when the rule changes afterwards.
    AdvanceRule.objects.filter(kind="treasury_cap", effective_to__isnull=True).update(percent=Decimal("70"))
    with pytest.raises(InvalidInput) as exc:
        _pay(users, project, "ADVANCE", 180_000_001)
    assert "180.000.000 ₫" in exc.value.message
    _pay(users, project, "ADVANCE", 180_000_000)


def test_without_a_treasury_cap_rule_no_advance_is_taken(users, national_plan, establishment):
    AdvanceRule.objects.filter(kind="treasury_cap").delete()
    project = walk(draft(users, national_plan, establishment), users, until="start")
    with pytest.raises(InvalidInput) as exc:
        _pay(users, project, "ADVANCE", 1_000_000)
    assert exc.value.code == "no_rule"


def test_after_acceptance_the_remaining_advance_may_reach_the_contract(users, running):
    _pay(users, running, "ADVANCE", 210_000_000)
    project = walk(running, users, until="accept")
    with pytest.raises(InvalidInput) as exc:
        _pay(users, project, "ADVANCE", 90_000_001)
    assert exc.value.code == "above_approved"
    _pay(users, project, "ADVANCE", 90_000_000)
    assert project_balances(project).paid == 300_000_000


def test_a_smaller_contract_scales_the_limits(users, national_plan, establishment):
    project = walk(draft(users, national_plan, establishment), users, until="appraise_ministry")
    project = walk(project, users, until="approve")
    from .journey import receive

    receive(project, users["centre"], "contract")
    project = services.project_transition(project=project, action="contract", actor=users["finance"],
                                          reference="HĐ 1", amount=200_000_000)
    project = services.project_transition(project=project, action="start", actor=users["centre"])
    with pytest.raises(InvalidInput) as exc:
        _pay(users, project, "ADVANCE", 140_000_001)  # 70 % of the 200.000.000 ₫ contracted
    assert "140.000.000 ₫" in exc.value.message


# --- other payments -------------------------------------------------------------------------------------------------


def test_payments_never_pass_the_contract_and_refunds_never_pass_payments(users, running):
    _pay(users, running, "ADVANCE", 200_000_000)
    project = walk(running, users, until="accept")
    with pytest.raises(InvalidInput) as exc:
        _pay(users, project, "DISBURSEMENT", 100_000_001)
    assert exc.value.code == "above_approved" and "300.000.000 ₫" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        _pay(users, project, "REFUND", 200_000_001)
    assert exc.value.code == "above_paid"
    _pay(users, project, "REFUND", 50_000_000)
    assert project_balances(project).paid == 150_000_000


def test_payments_in_the_wrong_state_or_kind_are_refused(users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    with pytest.raises(InvalidInput) as exc:
        _pay(users, project, "ADVANCE", 1_000)
    assert exc.value.code == "wrong_state"
    running = walk(project, users, until="start")
    for kind in ("APPROVED", "SETTLEMENT", "nonsense"):
        with pytest.raises(InvalidInput):
            _pay(users, running, kind, 1_000)
    with pytest.raises(InvalidInput):
        _pay(users, running, "DISBURSEMENT", 1_000)  # disbursements follow acceptance
    for amount in (0, -5, 1.5, "1000"):
        with pytest.raises(InvalidInput):
            _pay(users, running, "ADVANCE", amount)


def test_only_finance_officers_and_the_ministry_record_payments(users, running):
    for who in ("centre", "doit", "manager", "viewer", "other_centre"):
        with pytest.raises(PermissionDenied):
            _pay(users, running, "ADVANCE", 1_000, who=who)
    assert _pay(users, running, "ADVANCE", 1_000, who="ministry").created_by == users["ministry"]


def test_reversing_a_refund_cannot_push_payments_past_the_contract(users, running):
    _pay(users, running, "ADVANCE", 210_000_000)
    project = walk(running, users, until="accept")
    refund = _pay(users, project, "REFUND", 10_000_000)
    _pay(users, project, "DISBURSEMENT", 100_000_000)
    with pytest.raises(InvalidInput):
        services.ledger_reverse(actor=users["finance"], project=project, entry_id=refund.pk, note="x")


# --- steps that write money -----------------------------------------------------------------------------------------


def test_approval_beyond_the_envelope_is_refused(users, establishment):
    plan = make_plan(year=2027, fund="national", envelope=500_000_000)
    first = walk(draft(users, plan, establishment, title="Thứ nhất"), users, until="approve")
    assert project_balances(first).approved == 300_000_000
    second = walk(draft(users, plan, establishment, title="Thứ hai"), users, until="appraise_ministry")
    with pytest.raises(InvalidInput) as exc:
        walk(second, users, until="approve")
    assert "500.000.000 ₫" in exc.value.message and "200.000.000 ₫" in exc.value.message
    second.refresh_from_db()
    assert second.status == "ministry_appraised" and not second.ledger.exists()
    services.plan_approve(actor=users["ministry"], plan=plan, decision_number="1/QĐ-BCT",
                          decision_date=datetime.date(2026, 11, 1), version=plan.version)
    plan.refresh_from_db()
    services.plan_adjust(actor=users["ministry"], plan=plan, envelope=600_000_000, decision_number="2/QĐ-BCT",
                         decision_date=datetime.date(2026, 11, 10), version=plan.version)
    second.refresh_from_db()
    assert walk(second, users, until="approve").status == "approved"


def test_contract_and_settlement_stay_within_what_precedes_them(users, national_plan, establishment):
    from .journey import receive

    project = walk(draft(users, national_plan, establishment), users, until="approve")
    receive(project, users["centre"], "contract")
    with pytest.raises(InvalidInput) as exc:
        services.project_transition(project=project, action="contract", actor=users["finance"], reference="HĐ",
                                    amount=300_000_001)
    assert exc.value.code == "above_approved"
    project = walk(project, users, until="submit_settlement")
    receive(project, users["centre"], "settle")
    with pytest.raises(InvalidInput) as exc:
        services.project_transition(project=project, action="settle", actor=users["ministry"],
                                    amount=300_000_001)
    assert exc.value.code == "above_contracted"
    with pytest.raises(InvalidInput) as exc:
        services.project_transition(project=project, action="settle", actor=users["ministry"])
    assert exc.value.field == "amount"


def test_archiving_needs_the_money_balanced(users, running):
    _pay(users, running, "ADVANCE", 200_000_000)
    project = walk(running, users, until="accept")
    project = walk(project, users, until="submit_settlement")
    from .journey import receive

    receive(project, users["centre"], "settle")
    project = services.project_transition(project=project, action="settle", actor=users["ministry"],
                                          amount=150_000_000)
    with pytest.raises(InvalidInput) as exc:
        services.project_transition(project=project, action="archive", actor=users["centre"])
    assert "50.000.000 ₫" in exc.value.message
    _pay(users, project, "REFUND", 50_000_000)
    assert services.project_transition(project=project, action="archive", actor=users["centre"]).status == "archived"


def test_a_project_stopped_before_any_work_settles_at_zero_and_refunds_everything(users, running):
    from .journey import receive

    _pay(users, running, "ADVANCE", 100_000_000)
    project = services.project_transition(project=running, action="stop", actor=users["ministry"],
                                          note="Cơ sở ngừng sản xuất.", reference="1820/QĐ-BCT")
    project = walk(project, users, until="submit_settlement")
    receive(project, users["centre"], "settle")
    project = services.project_transition(project=project, action="settle", actor=users["ministry"], amount=0)
    assert project.status == "settled" and not project.ledger.filter(kind="SETTLEMENT").exists()
    assert project_balances(project).to_refund == 100_000_000
    with pytest.raises(InvalidInput) as exc:
        services.project_transition(project=project, action="archive", actor=users["centre"])
    assert "100.000.000 ₫" in exc.value.message
    _pay(users, project, "REFUND", 100_000_000)
    assert services.project_transition(project=project, action="archive", actor=users["centre"]).status == "archived"
