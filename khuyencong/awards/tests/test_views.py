"""Pages and API of the awards: flat query counts as rows grow, the public catalogue (no sign-in, search without
diacritics, only what producers agreed to publish), the verification page, the certificate PDF/DOCX, the sheet page,
the nomination export and the demo data."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts import demo as accounts_demo
from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.projects.tests.factories import make_establishment

from .. import demo
from ..inbox import inbox_groups
from ..models import Certificate, Entry, Round, RoundStatus, ScoreSheet
from .factories import add_bodies, make_entry, make_round

pytestmark = pytest.mark.django_db


def _certify(entry, code):
    return Certificate.objects.create(entry=entry, number=f"{code}/2027/CN-T", level="province",
                                      decision_number="9/QĐ-UBND", issued_on=datetime.date(2027, 9, 1),
                                      valid_until=datetime.date(2029, 12, 31), code=code)


def _queries(client, url) -> int:
    """The queries of a page, the least of two loads (the session is written at most once per refresh period)."""
    counts = []
    for _i in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(ctx))
    return min(counts)


def test_public_catalogue_search_without_diacritics(client):
    round_ = make_round(12, status=RoundStatus.CLOSED)
    shown = make_entry(round_, name="Chè shan tuyết Tả Phìn", status="certified", score=Decimal("81"))
    hidden = make_entry(round_, name="Chè xanh không công bố", status="certified", publish=False)
    _certify(shown, "ABCDEF2345")
    _certify(hidden, "ABCDEF2346")
    response = client.get("/san-pham/?q=che+shan+tuyet+ta+phin")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chè shan tuyết Tả Phìn" in body and "không công bố" not in body
    assert "Chè xanh" not in client.get("/san-pham/?q=che").content.decode()
    assert client.get("/san-pham/?province=80&q=che").content.decode().count("Tả Phìn") == 0
    assert client.get(f"/san-pham/{shown.pk}/").status_code == 200
    assert client.get(f"/san-pham/{hidden.pk}/").status_code == 404
    page = client.get("/san-pham/xac-minh/?code=abcdef2345").content.decode()
    assert "31/12/2029" in page and "Chè shan tuyết" in page
    assert 'data-testid="verify-result"' in client.get("/san-pham/xac-minh/?code=ZZZ").content.decode()
    assert client.get("/san-pham/?year=99999&province=abc&page=x").status_code == 200


def test_revoked_certificate_leaves_the_catalogue(client):
    round_ = make_round(12, status=RoundStatus.CLOSED)
    entry = make_entry(round_, name="Miến dong", status="certified")
    cert = _certify(entry, "REVOKED234")
    cert.revoked_on = datetime.date(2028, 1, 5)
    cert.save()
    assert "Miến dong" not in client.get("/san-pham/?q=mien").content.decode()
    assert "05/01/2028" in client.get("/san-pham/xac-minh/?code=REVOKED234").content.decode()


def test_catalogue_queries_stay_flat(client):
    round_ = make_round(12, status=RoundStatus.CLOSED)
    for i in range(2):
        _certify(make_entry(round_, name=f"Sản phẩm {i}", status="certified"), f"FLAT{i:06d}")
    few = _queries(client, "/san-pham/")
    for i in range(2, 8):
        _certify(make_entry(round_, name=f"Sản phẩm {i}", status="certified"), f"FLAT{i:06d}")
    assert _queries(client, "/san-pham/") == few


def test_staff_pages_queries_stay_flat(client):
    staff = make_user(Role.CENTRE_STAFF, 12)
    client.force_login(staff)
    round_ = make_round(12, status=RoundStatus.JUDGING)
    add_bodies(round_)
    make_entry(round_, name="A", status="screened")
    urls = ["/awards/", f"/awards/rounds/{round_.pk}/", "/api/v1/awards/entries", "/api/v1/awards/rounds"]
    before = {url: _queries(client, url) for url in urls}
    for i in range(5):
        make_round(12, name=f"Đợt {i}")
        make_entry(round_, name=f"Sản phẩm {i}", status="screened")
    after = {url: _queries(client, url) for url in urls}
    assert after == before


def test_juror_scores_on_the_sheet_page(client):
    round_ = make_round(12, status=RoundStatus.JUDGING)
    jurors = add_bodies(round_)
    entry = make_entry(round_, name="Thổ cẩm", status="screened")
    client.force_login(jurors[0])
    assert "Thổ cẩm" in client.get("/awards/").content.decode()
    response = client.get(f"/awards/entries/{entry.pk}/sheet/")
    assert response.status_code == 200 and "data-score-sheet" in response.content.decode()
    bad = client.post(f"/awards/entries/{entry.pk}/sheet/", {"market_demand": "25", "submit": "0"})
    assert bad.status_code == 422
    client.post(f"/awards/entries/{entry.pk}/sheet/", {"market_demand": "15", "value_economic": "10",
                                                       "submit": "0"})
    sheet = ScoreSheet.objects.get(entry=entry, juror__user=jurors[0])
    assert sheet.total == 25 and sheet.status == "draft"
    client.post(f"/awards/entries/{entry.pk}/sheet/", {"market_demand": "18", "value_economic": "12",
                                                       "version": sheet.version, "submit": "1"})
    sheet.refresh_from_db()
    assert sheet.status == "submitted" and sheet.total == 30
    locked = client.get(f"/awards/entries/{entry.pk}/sheet/").content.decode()
    assert "data-testid=\"sheet-locked\"" in locked
    response = client.put(f"/api/v1/awards/entries/{entry.pk}/sheet", data={"points": {"market_demand": 1},
                                                                           "version": sheet.version},
                          content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    client.force_login(make_user(Role.CENTRE_STAFF, 12))
    assert client.get(f"/awards/entries/{entry.pk}/sheet/").status_code == 404


def test_certificate_documents_and_nomination_export(client):
    staff = make_user(Role.CENTRE_STAFF, 12)
    client.force_login(staff)
    round_ = make_round(12, status=RoundStatus.COMPLAINTS, decision_number="9/QĐ-UBND",
                        announced_on=datetime.date(2027, 9, 6))
    entry = make_entry(round_, name="Chè Tả Phìn", status="certified", score=Decimal("82.5"))
    cert = _certify(entry, "DOCS234567")
    pdf = client.get(f"/awards/certificates/{cert.pk}/document/?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(f"/awards/certificates/{cert.pk}/document/?format=docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    xlsx = client.get(f"/awards/rounds/{round_.pk}/nominations.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    page = client.get(f"/awards/rounds/{round_.pk}/").content.decode()
    assert "27/09/2027" in page  # 15 working days after Monday 6/9/2027 (2 and 3/9 are holidays before it)
    api = client.get(f"/api/v1/awards/rounds/{round_.pk}").json()
    assert api["figures"]["certified"] == 1 and api["complaint_deadline"] == "2027-09-27"


def test_entry_form_refuses_bad_input(client):
    staff = make_user(Role.CENTRE_STAFF, 12)
    client.force_login(staff)
    round_ = make_round(12, status=RoundStatus.INTAKE_OPEN)
    establishment = make_establishment(12)
    response = client.post(f"/awards/rounds/{round_.pk}/entries/new/", {"establishment": establishment.pk,
                                                                        "product_name": "", "group": "food"})
    assert response.status_code == 422
    response = client.post(f"/awards/rounds/{round_.pk}/entries/new/", {"establishment": establishment.pk,
                                                                        "product_name": "Gạo tẻ", "group": "food",
                                                                        "publish_consent": "on"})
    assert response.status_code == 302
    assert Entry.objects.get(product_name="Gạo tẻ").publish_consent


def test_demo_is_idempotent():
    accounts_demo.seed(io.StringIO())
    for code in (12, 12, 12, 12, 80, 80):
        make_establishment(code)
    demo.seed(io.StringIO())
    counts = (Round.objects.count(), Entry.objects.count(), Certificate.objects.count(), ScoreSheet.objects.count())
    demo.seed(io.StringIO())
    assert counts == (Round.objects.count(), Entry.objects.count(), Certificate.objects.count(),
                      ScoreSheet.objects.count())
    assert counts[0] == 3 and counts[2] >= 2
    assert set(Round.objects.values_list("status", flat=True)) == {"closed", "judging", "intake_open"}


def test_inbox_lists_entries_waiting_for_the_juror():
    round_ = make_round(12, status=RoundStatus.JUDGING)
    jurors = add_bodies(round_)
    make_entry(round_, name="Thổ cẩm", status="screened")
    groups = inbox_groups(jurors[0], datetime.date(2027, 9, 1))
    assert [item.title for item in groups[0].items] == ["Thổ cẩm"]
    assert inbox_groups(make_user(Role.CENTRE_STAFF, 12), datetime.date(2027, 9, 1)) == []
