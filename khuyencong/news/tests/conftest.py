import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Pictures go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


@pytest.fixture
def writer(db):
    return make_user(role=Role.CENTRE_STAFF, province_code=12, username="ttkc.lc.news")


@pytest.fixture
def reviewer(db):
    return make_user(role=Role.DOIT_OFFICER, province_code=12, username="sct.lc.news")


@pytest.fixture
def ministry(db):
    return make_user(role=Role.MINISTRY_OFFICER, province_code=None, username="cuc.news")


@pytest.fixture
def other_writer(db):
    return make_user(role=Role.CENTRE_STAFF, province_code=80, username="ttkc.tn.news")
