"""Once fees are signed off under a regulation, they were computed from it: only its end date may still be set (to make
room for the regulation that replaces it); every other change is refused by the service and closed on the page."""

import datetime

import pytest
from django.urls import reverse

from khuyencong.core.locks import RecordLocked

from .. import services
from ..models import FeeSheetStatus
from .conftest import LAI_CHAU
from .factories import make_fee_sheet, make_regulation

pytestmark = pytest.mark.django_db


def fields(regulation) -> dict:
    names = ("number", "title", "issued_on", "issuing_body", "signer", "effective_from", "effective_to", "duties",
             "term_months", "max_communes", "appointing_authority", "appointing_body", "parent_body",
             "decision_symbol", "monthly_base_vnd", "per_survey_vnd", "per_conversion_vnd", "per_report_vnd",
             "monthly_cap_vnd", "accepts_applications")
    return {name: getattr(regulation, name) for name in names}


@pytest.fixture
def applied():
    regulation = make_regulation(LAI_CHAU)
    make_fee_sheet(LAI_CHAU, regulation=regulation, status=FeeSheetStatus.SIGNED_OFF)
    return regulation


def test_a_draft_fee_sheet_does_not_close_the_regulation(staff):
    regulation = make_regulation(LAI_CHAU)
    make_fee_sheet(LAI_CHAU, regulation=regulation)

    services.regulation_update(actor=staff, regulation=regulation, version=regulation.version,
                               data={**fields(regulation), "monthly_base_vnd": 600_000})

    regulation.refresh_from_db()
    assert regulation.monthly_base_vnd == 600_000


def test_fees_signed_off_close_every_field_but_the_end_date(staff, applied):
    with pytest.raises(RecordLocked, match="chỉ còn ghi được ngày hết hiệu lực"):
        services.regulation_update(actor=staff, regulation=applied, version=applied.version,
                                   data={**fields(applied), "monthly_base_vnd": 600_000})
    with pytest.raises(RecordLocked):
        services.regulation_update(actor=staff, regulation=applied, version=applied.version, data=fields(applied),
                                   standards=[])

    services.regulation_update(actor=staff, regulation=applied, version=applied.version,
                               data={**fields(applied), "effective_to": datetime.date(2026, 12, 31)})

    applied.refresh_from_db()
    assert applied.effective_to == datetime.date(2026, 12, 31)
    assert applied.monthly_base_vnd != 600_000 and applied.standards.count() > 0


def test_the_page_says_why_and_saves_only_the_end_date(client, staff, applied):
    client.force_login(staff)
    url = reverse("network_regulation_edit", args=[applied.pk])

    page = client.get(url).content.decode()
    assert "chỉ còn ghi được ngày hết hiệu lực" in page
    assert 'name="standards-TOTAL_FORMS"' not in page

    answer = client.post(f"{url}?province={LAI_CHAU}", {
        **dict.fromkeys(fields(applied), ""), "monthly_base_vnd": "9000000", "effective_to": "31/12/2026",
        "version": applied.version})

    assert answer.status_code == 302
    applied.refresh_from_db()
    assert applied.effective_to == datetime.date(2026, 12, 31)
    assert applied.monthly_base_vnd == 500_000
