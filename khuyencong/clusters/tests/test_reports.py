from decimal import Decimal

import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.errors import InvalidInput, PermissionDenied

from .. import reports, services
from ..models import Cluster
from .helpers import LAI_CHAU, D, admin, commune, operating_cluster

pytestmark = pytest.mark.django_db


def test_periods_and_due_dates_from_rule_rows():
    half = reports.ReportPeriod.parse("2026-h1")
    assert (half.start, half.end) == (D(2025, 12, 15), D(2026, 6, 14))
    assert (half.due("01"), half.due("03"), half.due("04")) == (D(2026, 6, 20), D(2026, 6, 25), D(2026, 6, 30))
    year = reports.ReportPeriod.parse("2026")
    assert (year.due("02"), year.due("04")) == (D(2026, 12, 20), D(2026, 12, 31))
    with pytest.raises(InvalidInput):
        reports.ReportPeriod.parse("2026-Q3")


def test_forms_01_02_flow_and_biểu_03_04_computed():
    first = operating_cluster(name="Cụm Một", leased="20", approved="4")
    second = operating_cluster(name="Cụm Hai", leased="10")
    unit = commune(LAI_CHAU)
    other_commune = type(unit).objects.filter(scheme="current", level="commune", province__code=LAI_CHAU).exclude(
        pk=unit.pk).order_by("code").first()
    second.communes.set([other_commune])
    manager = make_user(role=Role.DOIT_MANAGER, province_code=LAI_CHAU)
    tenant = first.tenants.get()
    report = services.form_save(actor=admin(), cluster=first, form="01", period="2026-H1", tenant=tenant,
                                data={"revenue": "12.000.000.000", "budget": "800000000", "workers": "120",
                                      "income": "7500000"})
    with pytest.raises(InvalidInput):
        services.form_save(actor=admin(), cluster=first, form="01", period="2026-H1", tenant=tenant,
                           data={"workers": "nhiều"})
    officer = make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU)
    services.form_transition(actor=officer, report=report, action="submit", version=report.version,
                             on_date=D(2026, 6, 18))
    with pytest.raises(PermissionDenied):
        services.form_transition(actor=officer, report=report, action="approve", version=report.version)
    services.form_transition(actor=manager, report=report, action="approve", version=report.version)
    with pytest.raises(InvalidInput):
        services.form_save(actor=admin(), cluster=first, form="01", period="2026-H1", tenant=tenant, data={})

    period = reports.ReportPeriod.parse("2026-H1")
    clusters = Cluster.objects.filter(province__code=LAI_CHAU)
    communes = reports.by_commune(clusters, period)
    assert len(communes) == 2
    total, agrees = reports.province_summary(clusters, period)
    assert agrees
    f = total.figures
    assert f["op_n"] == 2 and f["projects"] == 2 and f["workers"] == 120 and f["revenue"] == 12_000_000_000
    assert f["industrial_ha"] == Decimal("80.00")
    assert f["occupancy"] == Decimal("42.5")  # (24 + 10) / 80, recomputed, not the mean of 60 % and 25 %
    rows = reports.summary_rows(total)
    assert rows[0][0] == "I" and [r[0] for r in rows if isinstance(r[0], int)][-1] == 30
    assert reports.xlsx("Biểu 04", rows).startswith(b"PK")
    missing = reports.missing_forms(clusters, period)
    assert [t.name for t in missing["01"]] == [second.tenants.get().name] and len(missing["02"]) == 2
