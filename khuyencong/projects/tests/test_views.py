"""The pages of plans and projects: what they show, and that a refusal keeps what the user typed."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from django.utils.translation import gettext as tr

from khuyencong.projects.models import LedgerEntry, Project

from .factories import make_project
from .journey import draft, receive, seat_council, walk

pytestmark = pytest.mark.django_db


def test_list_page_filters_and_partial(client, users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    make_project(12, title="Đề án đã lưu trữ", status="archived")
    client.force_login(users["viewer"])
    response = client.get("/projects/?late=1")
    assert response.status_code == 200
    body = response.content.decode()
    assert project.code in body and "Đề án đã lưu trữ" not in body
    assert 'data-testid="late-badge"' in body
    partial = client.get("/projects/?q=sao+che", headers={"HX-Request": "true"})
    assert project.code in partial.content.decode() and "<html" not in partial.content.decode()


def test_detail_page_shows_steps_money_documents_and_history(client, users, national_plan, establishment):
    project = walk(draft(users, national_plan, establishment), users, until="start")
    client.force_login(users["finance"])
    body = client.get(f"/projects/{project.pk}/").content.decode()
    assert project.title in body and establishment.name in body
    assert "300.000.000 ₫" in body and "TT 28/2018" in body
    assert 'data-testid="action-accept"' in body and 'data-testid="reason-accept"' in body  # with its reason
    assert 'data-testid="ledger-form"' in body
    assert "Phê duyệt vào kế hoạch" in body and "project.approve" not in body  # the history, in words
    assert "3396/QĐ-BCT" in body


def test_create_and_edit_with_version_conflict(client, users, national_plan):
    from khuyencong.accounts.tests.factories import organisation_for, province

    client.force_login(users["centre"])
    assert client.get("/projects/new/").status_code == 200
    org = organisation_for("kc_centre", 12)
    response = client.post("/projects/new/", {
        "plan": national_plan.pk, "province": province(12).pk, "kind": "standard", "title": "Hỗ trợ máy xay",
        "implementing_org": org.pk, "start_date": "2027-03-01", "end_date": "2027-11-30"})
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert project.code == "KCQG-2027-12-001"
    data = {"kind": "standard", "title": "Tên do tôi gõ", "implementing_org": org.pk, "version": project.version}
    Project.objects.filter(pk=project.pk).update(version=project.version + 1)  # someone else saved meanwhile
    response = client.post(f"/projects/{project.pk}/edit/", data)
    assert response.status_code == 422
    assert "Tên do tôi gõ" in response.content.decode()
    client.force_login(users["doit"])
    response = client.get("/projects/new/")
    assert response.status_code == 302


def test_content_above_the_quote_keeps_the_typed_amounts(client, users, national_plan):
    project = draft(users, national_plan, None, content=None)
    client.force_login(users["centre"])
    from khuyencong.rules.models import ContentItem

    machinery = ContentItem.objects.get(code="machinery")
    response = client.post(f"/projects/{project.pk}/contents/new/", {
        "content": machinery.pk, "eligible_cost": "800.000.000", "requested_support": "350.000.000",
        "counterpart": "450.000.000"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "350.000.000" in body and "300.000.000 ₫" in body and "TT 28/2018" in body
    response = client.post(f"/projects/{project.pk}/contents/new/", {
        "content": machinery.pk, "eligible_cost": "800.000.000", "requested_support": "300.000.000",
        "counterpart": "500.000.000"})
    assert response.status_code == 302 and project.contents.count() == 1
    response = client.post(f"/projects/{project.pk}/contents/new/", {
        "content": machinery.pk, "eligible_cost": "1,5", "requested_support": "1"})
    assert response.status_code == 422


def test_beneficiaries_page_searches_and_adds(client, users, national_plan, establishment):
    project = draft(users, national_plan, None, content=None)
    client.force_login(users["centre"])
    body = client.get(f"/projects/{project.pk}/beneficiaries/?q=che tam duong").content.decode()
    assert establishment.name in body
    response = client.post(f"/projects/{project.pk}/beneficiaries/", {"establishment": establishment.pk})
    assert response.status_code == 302
    assert project.beneficiary_links.get().eligible is True
    link = project.beneficiary_links.get()
    assert client.post(f"/projects/{project.pk}/beneficiaries/{link.pk}/remove/").status_code == 302
    assert not project.beneficiary_links.exists()


def test_documents_with_a_scanned_file(client, users, national_plan, establishment):
    project = draft(users, national_plan, establishment)
    client.force_login(users["centre"])
    upload = SimpleUploadedFile("du-toan.pdf", b"%PDF-1.4 du toan", content_type="application/pdf")
    response = client.post(f"/projects/{project.pk}/documents/budget_estimate/",
                           {"received": "1", "reference": "Mẫu 01", "file": upload})
    assert response.status_code == 302
    doc = project.documents.get()
    assert doc.reference == "Mẫu 01" and doc.file
    response = client.get(f"/projects/{project.pk}/documents/budget_estimate/file/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 du toan"
    client.post(f"/projects/{project.pk}/documents/budget_estimate/", {"received": "0"})
    assert not project.documents.exists()
    assert client.get(f"/projects/{project.pk}/documents/budget_estimate/file/").status_code == 404


def test_action_form_refusal_keeps_the_note(client, users, national_plan, establishment):
    project = walk(draft(users, national_plan, establishment), users, until="submit")
    client.force_login(users["doit"])
    response = client.post(f"/projects/{project.pk}/actions/appraise_base/",
                           {"appraise_base-note": "Ý kiến thẩm định của tôi", "appraise_base-version": project.version})
    assert response.status_code == 422  # no appraisal council yet
    body = response.content.decode()
    assert "Ý kiến thẩm định của tôi" in body and escape(tr(
        "Set up the appraisal council and enter its members' scoring sheets first.")) in body
    seat_council(project, users["doit"])
    response = client.post(f"/projects/{project.pk}/actions/appraise_base/",
                           {"appraise_base-note": "Ý kiến thẩm định của tôi", "appraise_base-version": project.version})
    assert response.status_code == 422  # the appraisal sheet is not received yet
    assert "Mẫu 4a/4b" in response.content.decode()
    receive(project, users["doit"], "appraise_base")
    response = client.post(f"/projects/{project.pk}/actions/appraise_base/",
                           {"appraise_base-note": "Đạt", "appraise_base-version": project.version})
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).status == "base_appraised"
    client.force_login(users["centre"])
    response = client.post(f"/projects/{project.pk}/actions/register/", {"register-version": project.version + 1})
    assert response.status_code == 403


def test_ledger_form_names_the_limit_and_keeps_the_amount(client, users, national_plan, establishment):
    project = walk(draft(users, national_plan, establishment), users, until="start")
    client.force_login(users["finance"])
    response = client.post(f"/projects/{project.pk}/ledger/", {"kind": "ADVANCE", "amount": "250.000.000"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "250.000.000" in body and "210.000.000 ₫" in body and 'data-testid="ledger-error"' in body
    response = client.post(f"/projects/{project.pk}/ledger/", {"kind": "ADVANCE", "amount": "200.000.000",
                                                               "on_date": "2026-11-02", "reference": "UNC 5"})
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(kind="ADVANCE")
    assert entry.on_date == datetime.date(2026, 11, 2)
    response = client.post(f"/projects/{project.pk}/ledger/{entry.pk}/reverse/", {"note": "Nhầm"})
    assert response.status_code == 302 and entry.reversed_by.amount_vnd == -200_000_000


def test_plan_pages(client, users, national_plan, establishment):
    walk(draft(users, national_plan, establishment), users, until="approve")
    client.force_login(users["ministry"])
    body = client.get("/projects/plans/").content.decode()
    assert national_plan.name in body
    body = client.get(f"/projects/plans/{national_plan.pk}/").content.decode()
    assert "20.000.000.000 ₫" in body and "19.700.000.000 ₫" in body  # envelope and what is left
    response = client.post(f"/projects/plans/{national_plan.pk}/approve/", {
        "decision_number": "3396/QĐ-BCT", "decision_date": "2026-11-01", "version": national_plan.version})
    assert response.status_code == 302
    national_plan.refresh_from_db()
    response = client.post(f"/projects/plans/{national_plan.pk}/adjust/", {
        "envelope": "100.000.000", "decision_number": "9/QĐ-BCT", "decision_date": "2026-11-10",
        "version": national_plan.version})
    assert response.status_code == 422 and "300.000.000 ₫" in response.content.decode()
    assert client.get("/projects/plans/new/").status_code == 200
    response = client.post("/projects/plans/new/", {"year": "2028", "fund": "national", "envelope": "150.000.000.000"})
    assert response.status_code == 302
    client.force_login(users["doit"])
    body = client.get(f"/projects/plans/{national_plan.pk}/").content.decode()
    assert tr("The envelope is the whole national plan's; the other figures count only the projects of your area.") \
        in body
    assert 'data-testid="plan-remaining"' not in body


def test_the_admin_only_reads(client, users, national_plan, establishment):
    from khuyencong.accounts.tests.factories import make_user

    project = walk(draft(users, national_plan, establishment), users, until="approve")
    client.force_login(make_user(role="system_admin", province_code=None))
    for url in ("/admin/projects/project/", f"/admin/projects/project/{project.pk}/change/",
                "/admin/projects/ledgerentry/", "/admin/projects/annualplan/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/projects/ledgerentry/add/").status_code == 403
    entry = project.ledger.get()
    client.post(f"/admin/projects/ledgerentry/{entry.pk}/delete/", {"post": "yes"})
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()
