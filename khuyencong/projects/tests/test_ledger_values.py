"""The values of a ledger entry: dated within the plan's ledger window, voucher number and note within their lengths,
refused with the reason (never silently cut) by the service, the API and the page."""

import datetime
import json

import pytest
from django.urls import reverse

from khuyencong.core.errors import InvalidInput
from khuyencong.projects import services
from khuyencong.projects.forms import LedgerForm
from khuyencong.projects.ledger import REFERENCE_MAX_LENGTH, ledger_window
from khuyencong.projects.models import LedgerEntry

from .journey import draft, walk

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def running(users, national_plan, establishment):
    """A 2027 national project, 300.000.000 ₫ approved and contracted, in progress."""
    return walk(draft(users, national_plan, establishment), users, until="start")


def _advance(users, project, **kwargs):
    return services.ledger_record(actor=users["finance"], project=project, kind="ADVANCE", amount=1_000_000,
                                  **kwargs)


def test_the_window_runs_from_the_year_before_the_plan_to_the_year_after(settings):
    assert ledger_window(2027) == (D(2026, 1, 1), D(2028, 12, 31))
    settings.KC_LEDGER_YEARS_BEFORE, settings.KC_LEDGER_YEARS_AFTER = 0, 2
    assert ledger_window(2027) == (D(2027, 1, 1), D(2029, 12, 31))


def test_an_entry_dated_1900_is_refused_with_the_window(users, running):
    before = running.ledger.count()
    with pytest.raises(InvalidInput) as exc:
        _advance(users, running, on_date=D(1900, 1, 1))
    assert exc.value.field == "on_date" and exc.value.code == "outside_window"
    assert "01/01/1900" in exc.value.message and "01/01/2026" in exc.value.message
    assert "31/12/2028" in exc.value.message and "2027" in exc.value.message
    with pytest.raises(InvalidInput):
        _advance(users, running, on_date=D(2025, 12, 31))
    assert running.ledger.count() == before


def test_a_date_in_the_window_is_accepted(users, running):
    assert _advance(users, running, on_date=D(2026, 1, 1)).on_date == D(2026, 1, 1)
    entry = _advance(users, running, on_date=D(2026, 11, 20), reference="UNC 12/2026")
    assert entry.on_date == D(2026, 11, 20) and entry.reference == "UNC 12/2026"


def test_the_window_is_configuration(users, running, settings):
    settings.KC_LEDGER_YEARS_BEFORE = 0
    with pytest.raises(InvalidInput) as exc:
        _advance(users, running, on_date=D(2026, 11, 20))
    assert "01/01/2027" in exc.value.message


def test_a_reversal_is_dated_in_the_window_too(users, running):
    entry = _advance(users, running)
    with pytest.raises(InvalidInput) as exc:
        services.ledger_reverse(actor=users["finance"], project=running, entry_id=entry.pk, note="Nhầm",
                                on_date=D(1900, 1, 1))
    assert exc.value.field == "on_date"
    assert not LedgerEntry.objects.filter(reverses=entry).exists()


def test_a_long_reference_is_refused_never_cut(users, running):
    before = running.ledger.count()
    with pytest.raises(InvalidInput) as exc:
        _advance(users, running, reference="UNC-" + "9" * 9_996)
    assert exc.value.field == "reference" and exc.value.code == "too_long"
    assert "Số chứng từ" in exc.value.message and "10000" in exc.value.message
    assert str(REFERENCE_MAX_LENGTH) in exc.value.message
    exact = "A" * REFERENCE_MAX_LENGTH
    assert _advance(users, running, reference=exact).reference == exact
    assert running.ledger.count() == before + 1


def test_a_long_note_is_refused(users, running):
    with pytest.raises(InvalidInput) as exc:
        _advance(users, running, note="x" * 10_000)
    assert exc.value.field == "note"
    entry = _advance(users, running)
    with pytest.raises(InvalidInput) as exc:
        services.ledger_reverse(actor=users["finance"], project=running, entry_id=entry.pk, note="x" * 10_000)
    assert exc.value.field == "note"


def test_the_api_answers_422_with_the_reason(client, users, running):
    url = f"/api/v1/projects/{running.pk}/ledger"
    client.force_login(users["finance"])

    def post(data):
        return client.post(url, data=json.dumps({"kind": "ADVANCE", "amount_vnd": 1_000_000, **data}),
                           content_type="application/json")

    response = post({"on_date": "1900-01-01"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "outside_window" and body["field"] == "on_date"
    assert "01/01/1900" in body["detail"] and "01/01/2026" in body["detail"]
    response = post({"reference": "R" * 10_000})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "too_long" and body["field"] == "reference" and "Số chứng từ" in body["detail"]
    assert running.ledger.filter(kind="ADVANCE").count() == 0
    assert post({"on_date": "2026-11-20", "reference": "UNC 7"}).status_code == 201


def test_the_page_keeps_what_was_typed_and_says_why(client, users, running):
    client.force_login(users["finance"])
    url = reverse("project_ledger_add", args=[running.pk])
    long_reference = "R" * 10_000
    response = client.post(url, {"kind": "ADVANCE", "amount": "1.000.000", "on_date": "01/01/1900",
                                 "reference": "UNC 7"})
    assert response.status_code == 422
    errors = response.context["ledger_form"].errors
    assert "01/01/2026" in errors["on_date"][0]
    response = client.post(url, {"kind": "ADVANCE", "amount": "1.000.000", "reference": long_reference})
    assert response.status_code == 422
    assert response.context["ledger_form"]["reference"].value() == long_reference
    assert "120" in response.context["ledger_form"].errors["reference"][0]
    assert running.ledger.filter(kind="ADVANCE").count() == 0


def test_the_form_takes_its_limits_from_the_ledger():
    form = LedgerForm(data={"kind": "ADVANCE", "amount": "1.000.000", "reference": "R" * (REFERENCE_MAX_LENGTH + 1)})
    assert not form.is_valid() and "reference" in form.errors
    assert form.fields["reference"].max_length == REFERENCE_MAX_LENGTH
