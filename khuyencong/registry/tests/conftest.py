import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user

from .helpers import HA_NOI, LAI_CHAU, TAY_NINH


@pytest.fixture
def staff(db):
    """A centre staff member of Tây Ninh: the registry's everyday user."""
    return make_user(role=Role.CENTRE_STAFF, province_code=TAY_NINH, username="ttkc.tayninh",
                     full_name="Trần Thị Mỹ Linh")


@pytest.fixture
def colleague(db):
    return make_user(role=Role.DOIT_OFFICER, province_code=TAY_NINH, username="sct.tayninh", full_name="Lê Văn Sáu")


@pytest.fixture
def laichau_staff(db):
    return make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, username="ttkc.laichau")


@pytest.fixture
def hanoi_staff(db):
    return make_user(role=Role.CENTRE_STAFF, province_code=HA_NOI, username="ttkc.hanoi")


@pytest.fixture
def viewer(db):
    return make_user(role=Role.VIEWER, province_code=TAY_NINH, username="xem.tayninh")


@pytest.fixture
def admin(db):
    return make_user(role=Role.SYSTEM_ADMIN, province_code=None, username="quantri")
