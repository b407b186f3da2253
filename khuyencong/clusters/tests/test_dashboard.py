"""The clusters' dashboard: per province (today's or the former ones) the count, area, occupancy recomputed from the
summed land, wastewater compliance and the clusters to regularise with the days left; the same figures as the
indicators; scoped; flat in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user, province
from khuyencong.reporting.indicators import CATALOGUE

from .. import figures, law, services
from ..models import Cluster
from .helpers import LAI_CHAU, TAY_NINH, admin, commune, operating_cluster

pytestmark = pytest.mark.django_db


def _pending(province_code=LAI_CHAU):
    return services.cluster_create(actor=admin(), province=province(province_code), status="unestablished",
                                   communes=[commune(province_code)],
                                   data={"name": "Cụm cũ chờ hợp thức", "formed_before_2009": True})


def test_figures_per_province_today_and_under_the_former_provinces():
    today = timezone.localdate()
    first = operating_cluster(name="Cụm Một", leased="20", approved="4")
    operating_cluster(name="Cụm Hai", leased="10")
    operating_cluster(TAY_NINH, name="Cụm Tây Ninh")
    services.component_set(actor=admin(), cluster=first, kind="wastewater", status="done", capacity_m3_day=500,
                           discharge_compliant=True)
    rows = figures.by_province(Cluster.objects.all(), as_of=today, legacy=False,
                               deadline=law.regularisation_deadline())
    by_code = {r.province.code: r for r in rows}
    lai_chau = by_code[LAI_CHAU]
    assert (lai_chau.listed, lai_chau.operating, lai_chau.area_ha) == (2, 2, 100)
    assert lai_chau.occupancy_text == "42,5 %"  # (24 + 10) ÷ 80, not the mean of 60 % and 25 %
    assert (lai_chau.ww_built, lai_chau.ww_compliant, lai_chau.compliance_text) == (1, 1, "100,0 %")
    assert by_code[TAY_NINH].listed == 1 and figures.total(rows).listed == 3
    former = figures.by_province(Cluster.objects.all(), as_of=today, legacy=True, deadline=None)
    assert all(r.province.scheme == "legacy" for r in former)
    assert sum(r.listed for r in former) == 3 and sum(r.industrial for r in former) == sum(r.industrial for r in rows)
    assert {part for part, _m in CATALOGUE["clusters_occupancy"].parts} == {"cluster_land"}  # the same measures


def test_page_is_scoped_shows_the_deadline_and_stays_flat(client):
    cluster = _pending()
    operating_cluster(TAY_NINH, name="Cụm Tây Ninh")
    client.force_login(make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU))

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    n, body = count("/clusters/dashboard/")
    assert "Lai Châu" in body and "Tây Ninh" not in body and cluster.name in body and "31/12/2026" in body
    assert "ngày" in body and 'id="cluster-map"' in body
    legacy_n, legacy = count("/clusters/dashboard/?geo=legacy")
    assert "Lai Châu" in legacy and 'id="cluster-map"' not in legacy
    for i in range(3):
        operating_cluster(name=f"Cụm thêm {i}")
    assert count("/clusters/dashboard/")[0] == n and count("/clusters/dashboard/?geo=legacy")[0] == legacy_n
