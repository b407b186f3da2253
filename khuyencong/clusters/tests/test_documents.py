"""Biểu 01–04 as PDF in the official layout: the national title, the form code, the period, the five columns, every
row of the form with its figure and the signature block, in Vietnamese whatever the interface language."""

import re
import subprocess

import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user

from .. import reports, services
from .helpers import LAI_CHAU, TAY_NINH, D, admin, operating_cluster

pytestmark = pytest.mark.django_db


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / f"form-{len(list(tmp_path.iterdir()))}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def _pdf(response) -> bytes:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def _common(text: str, form: str) -> None:
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert f"Biểu số {form}" in text and "Thông tư số 14/2024/TT-BCT" in text
    assert "TT Chỉ tiêu ĐVT Kết quả Ghi chú" in text
    assert "Kỳ báo cáo: 6 tháng đầu năm 2026 (từ 15/12/2025 đến 14/06/2026)" in text
    assert "Nơi nhận:" in text and "2026-" not in text and "None" not in text


def test_form_01_pdf_has_the_four_rows_and_the_figures(client, tmp_path, settings):
    cluster = operating_cluster(name="Cụm công nghiệp Mường So")
    tenant = cluster.tenants.get()
    report = services.form_save(actor=admin(), cluster=cluster, form="01", period="2026-H1", tenant=tenant,
                                data={"revenue": "12.000.000.000", "budget": "800000000", "workers": "120",
                                      "income": "7500000"})
    client.force_login(make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU))
    client.cookies["django_language"] = "en"
    text = _text(_pdf(client.get(f"/clusters/{cluster.pk}/forms/{report.pk}.pdf")), tmp_path)
    _common(text, "01")
    assert "BÁO CÁO" in text and "CÔNG TY TNHH CHÈ THỬ" in text and "Cụm công nghiệp: Cụm công nghiệp Mường So" in text
    assert "1 Doanh thu triệu đồng 12.000" in text and "2 Nộp ngân sách triệu đồng 800" in text
    assert "3 Lao động có hợp đồng người 120" in text and re.search(r"4 Thu nhập bình quân[^0-9]*7,5", text)
    assert "NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT" in text and "Revenue" not in text


def test_form_04_equals_the_xlsx_rows_and_03_and_the_roll_up_print(client, tmp_path):
    cluster = operating_cluster(name="Cụm Một", leased="20", approved="4")
    operating_cluster(TAY_NINH, name="Cụm Tây Ninh")
    client.force_login(make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU))
    base = f"/clusters/reports/?province={LAI_CHAU}&period=2026-H1"
    text = _text(_pdf(client.get(base + "&form=04&format=pdf")), tmp_path)
    _common(text, "04")
    assert "SỞ CÔNG THƯƠNG" in text and "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU" in text and "GIÁM ĐỐC" in text
    period = reports.ReportPeriod.parse("2026-H1")
    total, _agrees = reports.province_summary(type(cluster).objects.filter(pk=cluster.pk), period)
    rows = [r for r in reports.summary_rows(total) if isinstance(r[0], int)]
    assert len(rows) == len(reports.SUMMARY_CODES)
    assert "23 Tỷ lệ lấp đầy bình quân % 60" in text  # (20 + 4) ÷ 40, recomputed
    assert "Bộ Công Thương;" in text
    commune = cluster.communes.get()
    text03 = _text(_pdf(client.get(base + f"&form=03&commune={commune.code}&format=pdf")), tmp_path)
    _common(text03, "03")
    assert "TM. ỦY BAN NHÂN DÂN" in text03 and "CHỦ TỊCH" in text03
    assert client.get(base + "&form=03&commune=1&format=pdf").status_code == 404
    client.force_login(make_user(role=Role.MINISTRY_OFFICER, province_code=None))
    national = _text(_pdf(client.get("/clusters/reports/?period=2026-H1&format=pdf")), tmp_path)
    assert "Tổng hợp Biểu số 04 của 2 tỉnh, thành phố" in national and "CỤC TRƯỞNG" in national


def test_a_form_of_another_province_is_not_found(client):
    cluster = operating_cluster(TAY_NINH, name="Cụm Tây Ninh")
    report = services.form_save(actor=admin(), cluster=cluster, form="02", period="2026-H1", tenant=None,
                                data={"paid": "1000000"})
    client.force_login(make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU))
    assert client.get(f"/clusters/{cluster.pk}/forms/{report.pk}.pdf").status_code == 404
    assert D(2026, 6, 14) == reports.ReportPeriod.parse(report.period).end
