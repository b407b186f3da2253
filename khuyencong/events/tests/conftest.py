import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user

from .helpers import CAN_THO, HCM, LAI_CHAU, TAY_NINH


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded signed lists go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


@pytest.fixture
def staff(db):
    """A centre staff member of Lai Châu: the everyday organiser of events."""
    return make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, username="ttkc.lc",
                     full_name="Nguyễn Thị Thu Hà")


@pytest.fixture
def manager(db):
    return make_user(role=Role.DOIT_MANAGER, province_code=LAI_CHAU, username="ld.sct.lc", full_name="Tẩn Văn Minh")


@pytest.fixture
def finance(db):
    return make_user(role=Role.FINANCE_OFFICER, province_code=LAI_CHAU, username="kt.lc", full_name="Trần Thị Lan")


@pytest.fixture
def viewer(db):
    return make_user(role=Role.VIEWER, province_code=LAI_CHAU, username="xem.lc")


@pytest.fixture
def tn_staff(db):
    return make_user(role=Role.CENTRE_STAFF, province_code=TAY_NINH, username="ttkc.tn", full_name="Lê Minh Tâm")


@pytest.fixture
def ct_staff(db):
    return make_user(role=Role.CENTRE_STAFF, province_code=CAN_THO, username="ttkc.ct",
                     full_name="Trương Văn Lộc")


@pytest.fixture
def hcm_staff(db):
    return make_user(role=Role.CENTRE_STAFF, province_code=HCM, username="ttkc.hcm.t",
                     full_name="Võ Thị Ngọc Trâm")
