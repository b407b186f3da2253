import pytest

from khuyencong.accounts import demo as accounts_demo
from khuyencong.accounts.models import User

from .. import demo, reports
from ..models import Cluster, ClusterStatus, FormReport

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_covers_every_demo_province(admin_units):
    accounts_demo.seed()
    demo.seed()
    count = Cluster.objects.count()
    demo.seed()
    assert Cluster.objects.count() == count == 5 * len(accounts_demo.PROVINCES)
    assert set(Cluster.objects.values_list("status", flat=True)) >= {
        ClusterStatus.OPERATING, ClusterStatus.BUILDING, ClusterStatus.PLANNED, ClusterStatus.UNESTABLISHED}
    assert FormReport.objects.filter(period="2025", status="approved").exists()
    period = reports.ReportPeriod.parse("2026-H1")
    total, agrees = reports.province_summary(Cluster.objects.filter(province__code=12), period)
    assert agrees and total.figures["op_n"] == 2
    account = User.objects.get(username=demo.DEMO_ACCOUNT).cluster_account
    assert account.cluster.province.code == 12 and account.form == "01"
    assert not account.user.assignments.exists()
