"""The accounts of tenants and investors: opened by DoIT staff from the cluster's page, each fills and submits only
its own Biểu 01 or 02 and sees nothing else — no other cluster, no registry, no projects, not even its own cluster's
register page."""

import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.testing.scope import HOME_PROVINCE, SCOPED_CASES, load_cases

from .. import services
from ..models import FormStatus
from .helpers import LAI_CHAU, TAY_NINH, admin, operating_cluster

pytestmark = pytest.mark.django_db


def _open(cluster, tenant=None):
    officer = make_user(role=Role.DOIT_OFFICER, province_code=cluster.province.code)
    return services.account_create(actor=officer, cluster=cluster, tenant=tenant, full_name="Nguyễn Văn Bình")


def test_staff_open_accounts_only_in_their_province_and_once():
    cluster = operating_cluster(name="Cụm Mường So")
    tenant = cluster.tenants.get()
    account, password = _open(cluster, tenant)
    assert account.user.username.startswith("ccn.") and len(password) == 12
    assert account.user.check_password(password) and not account.user.assignments.exists()
    with pytest.raises(InvalidInput):
        _open(cluster, tenant)
    investor, _pw = _open(cluster)
    assert investor.form == "02" and account.form == "01"
    stranger = make_user(role=Role.DOIT_OFFICER, province_code=TAY_NINH)
    with pytest.raises(PermissionDenied):
        services.account_create(actor=stranger, cluster=cluster, tenant=None)


def test_a_tenant_fills_and_submits_only_its_own_form(client):
    cluster = operating_cluster(name="Cụm Mường So")
    tenant = cluster.tenants.get()
    other = services.tenant_add(actor=admin(), cluster=cluster, data={"name": "Công ty Hàng xóm", "leased_ha": "1"})
    account, password = _open(cluster, tenant)
    assert client.login(username=account.user.username, password=password)
    page = client.get("/clusters/my-forms/?period=2026-H1")
    assert page.status_code == 200 and "Công ty TNHH Chè Thử" in page.content.decode()
    assert "Biểu báo cáo của tôi" in page.content.decode()  # its menu entry, shown to such accounts alone
    bad = client.post("/clusters/my-forms/?period=2026-H1", {"period": "2026-H1", "workers": "nhiều"})
    assert bad.status_code == 422 and "nhiều" in bad.content.decode()  # what was typed is kept
    ok = client.post("/clusters/my-forms/", {"period": "2026-H1", "revenue": "1.000.000.000", "workers": "25"})
    assert ok.status_code == 302
    report = tenant.form_reports.get(period="2026-H1")
    assert report.values["workers"] == 25
    assert client.post(f"/clusters/my-forms/{report.pk}/act/approve/", {"version": report.version}).status_code == 422
    assert client.post(f"/clusters/my-forms/{report.pk}/act/submit/", {"version": report.version}).status_code == 302
    report.refresh_from_db()
    assert report.status == FormStatus.SUBMITTED
    assert client.get(f"/clusters/my-forms/{report.pk}.pdf")["Content-Type"] == "application/pdf"
    # The neighbour's form, the staff endpoints of its own cluster and another account's form are out of reach.
    neighbour = services.form_save(actor=admin(), cluster=cluster, form="01", period="2026-H1", tenant=other,
                                   data={"workers": "3"})
    assert client.get(f"/clusters/my-forms/{neighbour.pk}.pdf").status_code == 404
    assert client.post(f"/clusters/my-forms/{neighbour.pk}/act/submit/", {"version": 1}).status_code == 404
    assert client.post(f"/clusters/{cluster.pk}/forms/", {"form": "01", "tenant": other.pk, "period": "2026-H1",
                                                          "workers": "9"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.form_save(actor=account.user, cluster=cluster, form="01", period="2026-H1", tenant=other,
                           data={"workers": "9"})
    with pytest.raises(PermissionDenied):
        services.form_save(actor=account.user, cluster=cluster, form="02", period="2026-H1", data={})
    assert client.get(f"/clusters/{cluster.pk}/").status_code == 404
    assert client.get(f"/clusters/{cluster.pk}/forms/{report.pk}.pdf").status_code == 404


def test_staff_open_the_account_from_the_cluster_page(client):
    cluster = operating_cluster(name="Cụm Mường So")
    client.force_login(make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU))
    response = client.post(f"/clusters/{cluster.pk}/accounts/", {"tenant": "", "full_name": "Lê Thị Hoa"},
                           follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and "mật khẩu" in body and cluster.accounts.count() == 1
    assert cluster.accounts.get().user.username in body


def test_an_account_sees_nothing_else(client):
    """Every page and export of the clusters, the registry and the projects, with a record of each in the account's
    own province: none shows it, and none of its detail pages opens."""
    load_cases()
    cluster = operating_cluster(HOME_PROVINCE, name="Cụm của doanh nghiệp")
    account, _password = _open(cluster, cluster.tenants.get())
    records = {name: SCOPED_CASES[name].make(HOME_PROVINCE) for name in ("cluster", "establishment", "project")}
    client.force_login(account.user)
    for name, record in records.items():
        case = SCOPED_CASES[name]
        for url in case.list_urls:
            response = client.get(url)
            body = response.content.decode("utf-8", "replace")
            assert case.marker(record) not in body and "Cụm của doanh nghiệp" not in body, url
        for url in case.detail_urls(record):
            assert client.get(url).status_code in (302, 403, 404), url
    assert client.get("/clusters/dashboard/").content.decode().count("Lai Châu") == 0
    assert not client.get("/api/v1/clusters").json()["items"]
