import datetime

import pytest
from django.core.management import call_command

from khuyencong.geo.models import AdminUnit


@pytest.fixture
def rules(db, admin_units):
    """The rule tables as the data files define them."""
    call_command("load_rules", verbosity=0)


def _unit(province_code: int, kind: str) -> AdminUnit:
    return (
        AdminUnit.objects.filter(scheme="current", level="commune", province__code=province_code, kind=kind)
        .select_related("province")
        .order_by("code")
        .first()
    )


@pytest.fixture
def hanoi_ward(admin_units) -> AdminUnit:
    return _unit(1, "phuong")


@pytest.fixture
def hanoi_commune(admin_units) -> AdminUnit:
    return _unit(1, "xa")


@pytest.fixture
def dongnai_ward(admin_units) -> AdminUnit:
    return _unit(75, "phuong")


@pytest.fixture
def laichau_ward(admin_units) -> AdminUnit:
    return _unit(12, "phuong")


AFTER_235 = datetime.date(2026, 3, 1)
