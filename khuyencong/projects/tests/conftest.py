import pytest
from django.core.management import call_command

from khuyencong.accounts.tests.factories import make_user

from .factories import make_establishment, make_plan

LAI_CHAU, TAY_NINH = 12, 80


@pytest.fixture
def rules(db, admin_units):
    """The rule tables as the data files define them."""
    call_command("load_rules", verbosity=0)


@pytest.fixture
def users(db, admin_units):
    """One user per role in Lai Châu, a ministry officer, and a Tây Ninh centre officer."""
    return {
        "centre": make_user(role="centre_staff", province_code=LAI_CHAU, username="ttkc"),
        "finance": make_user(role="finance_officer", province_code=LAI_CHAU, username="ketoan"),
        "doit": make_user(role="doit_officer", province_code=LAI_CHAU, username="sct"),
        "manager": make_user(role="doit_manager", province_code=LAI_CHAU, username="ldsct"),
        "ministry": make_user(role="ministry_officer", province_code=None, username="cuc"),
        "viewer": make_user(role="viewer", province_code=LAI_CHAU, username="xem"),
        "other_centre": make_user(role="centre_staff", province_code=TAY_NINH, username="ttkc.tn"),
    }


@pytest.fixture
def national_plan(rules):
    return make_plan(year=2027, fund="national", envelope=20_000_000_000)


@pytest.fixture
def local_plan(rules):
    return make_plan(year=2027, fund="local", province_code=LAI_CHAU, envelope=5_000_000_000)


@pytest.fixture
def establishment(rules):
    return make_establishment(LAI_CHAU, name="Hợp tác xã Chè Tam Đường")
