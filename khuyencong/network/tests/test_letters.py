"""The appointment decision as an official document: the preview page, the PDF and the editable DOCX."""

import datetime
import io
import subprocess

import docx
import pytest

from khuyencong.accounts.tests.factories import commune_of

from ..letters import decision_document, signer_for
from .conftest import LAI_CHAU
from .factories import make_collaborator

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


@pytest.fixture
def appointed(regulation):
    collaborator = make_collaborator(LAI_CHAU, name="Sùng A Páo", regulation=regulation,
                                     communes=[commune_of(LAI_CHAU, 2)], start=datetime.date(2026, 2, 3))
    collaborator.decision_number = "21/QĐ-TTKC"
    collaborator.decision_signer = "Lò Văn Thành"
    collaborator.save()
    return collaborator


def test_decision_pdf_carries_the_appointment_in_the_administrative_format(client, staff, appointed):
    client.force_login(staff)
    preview = client.get(f"/network/collaborators/{appointed.pk}/decision/").content.decode()
    assert 'class="kc-doc"' in preview and "?format=pdf" in preview and "?format=docx" in preview
    response = client.get(f"/network/collaborators/{appointed.pk}/decision/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="quyet-dinh-{appointed.code.lower()}.pdf"' in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    commune = commune_of(LAI_CHAU, 2).name
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "TRUNG TÂM KHUYẾN CÔNG TỈNH",
                 "Số: 21/QĐ-TTKC", "Lai Châu, ngày 03 tháng 02 năm 2026", "QUYẾT ĐỊNH",
                 "Về việc công nhận cộng tác viên khuyến công", "GIÁM ĐỐC TRUNG TÂM KHUYẾN CÔNG TỈNH",
                 "Căn cứ Nghị định số 45/2012/NĐ-CP", "QUYẾT ĐỊNH:", "Điều 1. Công nhận ông Sùng A Páo, sinh năm 1985",
                 f"trên địa bàn {commune[0].lower()}{commune[1:]}, tỉnh Lai Châu", "từ ngày 03/02/2026",
                 "Điều 3.", "Nơi nhận:", "- Như Điều 3;", "- Lưu: VT.", "Lò Văn Thành"):
        assert part in text, part


def test_decision_docx_is_an_editable_draft_with_the_same_parts(client, staff, appointed):
    client.force_login(staff)
    response = client.get(f"/network/collaborators/{appointed.pk}/decision/?format=docx")
    assert response.status_code == 200
    word = docx.Document(io.BytesIO(response.content))
    head = word.tables[0].rows[0].cells
    assert "Số: 21/QĐ-TTKC" in head[0].text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head[1].text
    body = "\n".join(p.text for p in word.paragraphs)
    assert "QUYẾT ĐỊNH:" in body and "Điều 1. Công nhận ông Sùng A Páo" in body
    assert word.tables[-1].rows[0].cells[1].text.splitlines()[-1] == "Lò Văn Thành"


def test_a_deputy_signs_for_the_director():
    signer = signer_for("Phó Giám đốc Trung tâm Khuyến công tỉnh Lai Châu", "Vàng Thị Mai")
    assert signer.lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert signer_for("Giám đốc Trung tâm Khuyến công tỉnh", "A").lines == ["GIÁM ĐỐC"]


def test_no_decision_no_letter(client, staff, regulation):
    applicant = make_collaborator(LAI_CHAU, status="applicant", regulation=regulation)
    client.force_login(staff)
    assert client.get(f"/network/collaborators/{applicant.pk}/decision/?format=pdf").status_code == 404


def test_other_province_cannot_download_the_letter(client, other_staff, appointed):
    client.force_login(other_staff)
    assert client.get(f"/network/collaborators/{appointed.pk}/decision/?format=pdf").status_code == 404


def test_document_without_regulation_still_names_the_authority(appointed):
    appointed.regulation = None
    document = decision_document(appointed)
    assert document.header.issuing_body == "Giám đốc Trung tâm Khuyến công tỉnh"
    assert document.signer.lines == ["GIÁM ĐỐC"]
