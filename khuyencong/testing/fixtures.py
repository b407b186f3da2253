"""pytest fixtures: the administrative units are loaded once into the test database.

This module is a pytest plugin, imported before Django sets its apps up: models are imported inside the fixtures."""

import pytest
from django.core.management import call_command


def ensure_admin_units() -> None:
    from khuyencong.geo.models import AdminUnit

    if not AdminUnit.objects.filter(scheme="current", level="province").exists():
        call_command("load_admin_units", verbosity=0)
    from khuyencong.rules.models import EligibilityRule

    # The legal rules are reference data like the units: eligibility and quotes need them.
    if not EligibilityRule.objects.exists():
        call_command("load_rules", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_admin_units()


@pytest.fixture
def admin_units(db):
    """The units, reloaded if a transactional test flushed them."""
    ensure_admin_units()


@pytest.fixture(autouse=True)
def vietnamese_first():
    """Every test starts in the default language: a test that switched to English must not leak into the next."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
