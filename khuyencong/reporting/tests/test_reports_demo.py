"""The demo reports: made through the services as the demo users, idempotent."""

import io

import pytest

from khuyencong.accounts import demo as accounts_demo
from khuyencong.reporting import demo
from khuyencong.reporting.models import Report, ReportStatus

pytestmark = pytest.mark.django_db


def test_demo_reports_are_idempotent():
    accounts_demo.seed()
    out = io.StringIO()
    demo.seed(out)
    demo.seed(out)
    states = {(r.province.code, r.period): r.status for r in Report.objects.select_related("province")}
    assert states == {(12, "2026-Q3"): ReportStatus.LOCKED, (80, "2026-Q3"): ReportStatus.SUBMITTED,
                      (92, "2026-Q3"): ReportStatus.DRAFT, (79, "2026-Q2"): ReportStatus.SUBMITTED}
    locked = Report.objects.get(status=ReportStatus.LOCKED)
    assert locked.snapshot.data["rows"] and locked.approved_by.username == "ld.sct.laichau"
    assert any(row["name"] == "Đề án khuyến công quốc gia" for row in locked.snapshot.data["rows"])
    assert out.getvalue().count("Báo cáo định kỳ mẫu: 4.") == 1
