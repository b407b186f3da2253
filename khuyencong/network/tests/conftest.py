import pytest
from django.core.cache import cache

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user

from .factories import centre, make_regulation

LAI_CHAU, TAY_NINH, HCM = 12, 80, 79


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The public page's rate limit lives in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    centre(LAI_CHAU)
    return make_user(Role.CENTRE_STAFF, LAI_CHAU, username="ttkc.lc", full_name="Nguyễn Thị Thu Hà")


@pytest.fixture
def other_staff(db):
    return make_user(Role.CENTRE_STAFF, TAY_NINH, username="ttkc.tn")


@pytest.fixture
def finance(db):
    return make_user(Role.FINANCE_OFFICER, LAI_CHAU, username="ketoan.lc")


@pytest.fixture
def viewer(db):
    return make_user(Role.VIEWER, LAI_CHAU, username="xem.lc")


@pytest.fixture
def regulation(db):
    return make_regulation(LAI_CHAU)
