"""The demo seeder runs through the services for two centres, flags a conflict where a KC project supports the
client, and is idempotent."""

import datetime
import io

import pytest

from khuyencong.accounts import demo as accounts_demo
from khuyencong.projects.models import ProjectBeneficiary
from khuyencong.projects.tests.factories import make_establishment, make_project

from .. import demo, selectors
from ..models import Client, Contract, ContractStatus, Quotation
from .helpers import LAI_CHAU, commune_of

pytestmark = pytest.mark.django_db


def test_demo_two_centres_with_a_conflict_and_idempotent():
    accounts_demo.seed(io.StringIO())
    est = make_establishment(LAI_CHAU, tax_code="0100000099", commune=commune_of(LAI_CHAU))
    today = datetime.date.today()
    project = make_project(LAI_CHAU, status="in_progress", commune=commune_of(LAI_CHAU),
                           start_date=today, end_date=today + datetime.timedelta(days=90))
    ProjectBeneficiary.objects.create(project=project, establishment=est, checked_on=today)
    demo.seed(io.StringIO())
    statuses = set(Contract.objects.values_list("status", flat=True))
    assert {ContractStatus.LIQUIDATED, ContractStatus.IN_PROGRESS, ContractStatus.DRAFT} <= statuses
    assert set(Contract.objects.values_list("province__code", flat=True)) == {12, 80}
    flagged = Contract.objects.get(status=ContractStatus.DRAFT, province__code=LAI_CHAU)
    assert selectors.conflicts_for(flagged)[0]["code"] == project.code
    counts = (Client.objects.count(), Quotation.objects.count(), Contract.objects.count())
    demo.seed(io.StringIO())
    assert counts == (Client.objects.count(), Quotation.objects.count(), Contract.objects.count())
