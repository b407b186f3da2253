from pathlib import Path

import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user

FIXTURES = Path(__file__).parent / "fixtures"
LAI_CHAU, TAY_NINH, HCM = 12, 80, 79


def seed(name: str) -> str:
    """The two news articles the project started from (Bình Dương 2018, Lai Châu 2016), as published."""
    return (FIXTURES / name).read_text(encoding="utf-8")


BINH_DUONG = "binh_duong_2018.txt"
LAI_CHAU_ARTICLE = "lai_chau_2016.txt"


@pytest.fixture
def lc_staff(db):
    return make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, username="ttkc.lc.x")


@pytest.fixture
def hcm_staff(db):
    return make_user(role=Role.CENTRE_STAFF, province_code=HCM, username="ttkc.hcm.x")


@pytest.fixture
def tn_staff(db):
    return make_user(role=Role.CENTRE_STAFF, province_code=TAY_NINH, username="ttkc.tn.x")


@pytest.fixture
def lc_manager(db):
    return make_user(role=Role.DOIT_MANAGER, province_code=LAI_CHAU, username="ld.lc.x")


@pytest.fixture
def lc_viewer(db):
    return make_user(role=Role.VIEWER, province_code=LAI_CHAU, username="xem.lc.x")
