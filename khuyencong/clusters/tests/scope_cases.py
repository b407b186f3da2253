"""Scope cases of the clusters module: a cluster belongs to its province; Biểu 03/04 show only the user's provinces."""

from khuyencong.testing.scope import ScopedCase, register, unscoped

from .. import services
from .helpers import D, admin, operating_cluster


def make(province_code: int):
    cluster = operating_cluster(province_code, name=f"Cụm thử phạm vi {province_code}")
    services.infrastructure_set(actor=admin(), cluster=cluster, data={"approved_total_vnd": 10_000_000_000})
    report = services.form_save(actor=admin(), cluster=cluster, form="01", period="2026-H1",
                                tenant=cluster.tenants.get(), data={"workers": "10"})
    procedure = services.procedure_start(actor=admin(), cluster=cluster, kind="expand", received_on=D(2026, 3, 2))
    cluster.report = report
    cluster.procedure = procedure
    return cluster


def _posts(c):
    base = f"/clusters/{c.pk}"
    api = f"/api/v1/clusters/{c.pk}"
    return [
        ("POST", f"{base}/edit/", {"name": "Bị sửa", "version": c.version}),
        ("POST", f"{base}/act/remove/", {"version": c.version}),
        ("POST", f"{base}/decisions/", {"kind": "adjust", "number": "99/QĐ", "decided_on": "01/03/2026"}),
        ("POST", f"{base}/infrastructure/", {"approved_total_vnd": "1000"}),
        ("POST", f"{base}/supports/", {"source": "other", "amount_vnd": "1", "decided_on": "01/03/2026"}),
        ("POST", f"{base}/projects/", {"project": "1", "amount_vnd": "1"}),
        ("POST", f"{base}/works/", {"kind": "roads", "status": "done"}),
        ("POST", f"{base}/tenants/", {"name": "Lạ"}),
        ("POST", f"{base}/land/", {"on_date": "01/03/2026", "industrial_ha": "10"}),
        ("POST", f"{base}/forms/", {"form": "02", "period": "2026-H1"}),
        ("POST", f"{base}/forms/{c.report.pk}/act/submit/", {"version": c.report.version}),
        ("POST", f"{base}/accounts/", {"tenant": ""}),
        ("POST", f"{base}/procedures/", {"kind": "expand", "received_on": "01/03/2026"}),
        ("POST", f"{base}/procedures/{c.procedure.pk}/act/notice/", {"version": c.procedure.version}),
        ("POST", f"{base}/procedures/{c.procedure.pk}/bids/", {"name": "Lạ"}),
        ("POST", f"{api}/decisions", {"kind": "adjust", "number": "98/QĐ", "decided_on": "2026-03-01"}),
        ("POST", f"{api}/land", {"on_date": "2026-03-01", "industrial_ha": "10"}),
        ("POST", f"{api}/tenants", {"name": "Lạ"}),
        ("POST", f"{api}/supports", {"source": "other", "amount_vnd": 1, "decided_on": "2026-03-01"}),
        ("PUT", f"{api}/infrastructure", {"approved_total_vnd": 1}),
        ("POST", f"{api}/act/remove", {"version": c.version}),
    ]


register(
    ScopedCase(
        name="cluster",
        make=make,
        marker=lambda c: c.name,
        list_urls=["/clusters/", "/clusters/?q=cum+thu+pham+vi", "/clusters/?status=operating",
                   "/api/v1/clusters?limit=200", "/clusters/reports/?period=2026-H1"],
        detail_urls=lambda c: [f"/clusters/{c.pk}/", f"/clusters/{c.pk}/edit/",
                               f"/clusters/{c.pk}/forms/{c.report.pk}.xlsx",
                               f"/clusters/{c.pk}/forms/{c.report.pk}.pdf",
                               f"/api/v1/clusters/{c.pk}"],
        change_requests=_posts,
        covers=["cluster_list", "cluster_reports", "cluster_detail", "cluster_edit", "cluster_act",
                "cluster_decision_add", "cluster_infrastructure_set", "cluster_support_add", "cluster_project_link",
                "cluster_component_set", "cluster_tenant_add", "cluster_snapshot_add", "cluster_form_save",
                "cluster_form_act", "cluster_form_xlsx",
                "cluster_form_pdf", "cluster_account_add", "cluster_procedure_start", "cluster_procedure_act",
                "cluster_bid_add", "api:clusters_list", "api:clusters_detail", "api:clusters_decision_add",
                "api:clusters_snapshot_add", "api:clusters_tenant_add", "api:clusters_support_add",
                "api:clusters_infrastructure_set", "api:clusters_act"],
    )
)

unscoped("cluster_create", "enters clusters only in the provinces where the user acts (test_views: refused elsewhere)")
unscoped("api:clusters_create", "enters clusters only in the user's provinces (test_api: 422 elsewhere)")
unscoped("api:clusters_report", "sums only the provinces the user sees; another province's code is a 404 (test_api)")
unscoped("cluster_dashboard", "figures per province of the clusters the user sees (selectors.scoped): "
                              "test_dashboard checks another province's row is absent")
for _name in ("cluster_my_forms", "cluster_my_form_act", "cluster_my_form_pdf"):
    unscoped(_name, "the own form of the signed-in tenant's or investor's account, read from that account alone "
                    "(test_accounts: 404 for any other user or form)")
