"""The pages and the API: paste, review, accept, reject; errors in Vietnamese; query counts flat as rows grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.models import Organisation
from khuyencong.accounts.tests.factories import province
from khuyencong.events.models import Event
from khuyencong.extraction import services
from khuyencong.extraction.models import ArticleExtraction, ExtractionStatus

from .conftest import BINH_DUONG, LAI_CHAU_ARTICLE, seed

pytestmark = pytest.mark.django_db


def _rows(n: int, province):
    for i in range(n):
        ArticleExtraction.objects.create(text=f"Bài số {i}", title=f"Bài số {i}", province=province, record={})


def test_api_extract_returns_the_record_and_saves_only_when_asked(admin_units, client, lc_staff):
    client.force_login(lc_staff)
    response = client.post("/api/v1/articles/extract", {"text": seed(LAI_CHAU_ARTICLE)},
                           content_type="application/json")
    assert response.status_code == 200
    record = response.json()["record"]
    assert record["start_date"] == {"value": "2016-11-28", "span": record["start_date"]["span"],
                                    "confidence": record["start_date"]["confidence"]}
    assert record["organiser"]["value"]["province_code_now"] == 12
    assert not ArticleExtraction.objects.exists()
    response = client.post("/api/v1/articles/extract", {"text": seed(LAI_CHAU_ARTICLE), "save": True,
                                                        "published_on": "2016-11-30"},
                           content_type="application/json")
    saved = ArticleExtraction.objects.get(pk=response.json()["extraction_id"])
    assert saved.published_on.isoformat() == "2016-11-30" and saved.status == ExtractionStatus.PENDING


def test_api_extract_refuses_bad_input_and_non_staff(admin_units, client, lc_staff, lc_viewer):
    client.force_login(lc_staff)
    response = client.post("/api/v1/articles/extract", {"text": ""}, content_type="application/json")
    assert response.status_code == 422 and {"code", "detail"} <= set(response.json())
    client.force_login(lc_viewer)
    response = client.post("/api/v1/articles/extract", {"text": "Bài"}, content_type="application/json")
    assert response.status_code == 403
    client.logout()
    assert client.post("/api/v1/articles/extract", {"text": "Bài"},
                       content_type="application/json").status_code in (401, 403)


def test_api_review(admin_units, client, lc_staff):
    extraction = services.extraction_submit(actor=lc_staff, text=seed(LAI_CHAU_ARTICLE))
    client.force_login(lc_staff)
    detail = client.get(f"/api/v1/extractions/{extraction.pk}").json()
    assert [a["action"] for a in detail["actions"]] == ["accept", "reject"]
    stale = client.post(f"/api/v1/extractions/{extraction.pk}/accept", {"version": 99},
                        content_type="application/json")
    assert stale.status_code == 409
    done = client.post(f"/api/v1/extractions/{extraction.pk}/accept", {"version": extraction.version},
                       content_type="application/json").json()
    assert done["status"] == "accepted" and done["event_id"] == Event.objects.get().pk
    listed = client.get("/api/v1/extractions?status=accepted").json()
    assert listed["count"] == 1
    assert client.get("/api/v1/extractions?status=nonsense").status_code == 422


def test_paste_review_accept_in_the_pages(admin_units, client, hcm_staff):
    client.force_login(hcm_staff)
    page = client.get("/extraction/")
    assert page.status_code == 200
    response = client.post("/extraction/", {"text": seed(BINH_DUONG), "source_title": "Sở Công Thương Bình Dương"})
    extraction = ArticleExtraction.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/extraction/{extraction.pk}/"
    page = client.get(f"/extraction/{extraction.pk}/").content.decode()
    assert "Phan Thị Khánh Duyên" in page and "17/05/2018" in page and "2018-05-17" not in page
    assert "Tỉnh Hậu Giang (today Thành phố Cần Thơ)" in page or "Tỉnh Hậu Giang (nay" in page
    organiser = Organisation.objects.filter(province__code=79, kind="kc_centre").first()
    response = client.post(f"/extraction/{extraction.pk}/accept/", {
        "version": extraction.version, "title": "Học tập kinh nghiệm tại Long An và Hậu Giang",
        "kind": "study_tour_domestic", "audience": "officials", "fund": "local", "organiser": organiser.pk,
        "start_date": "17/05/2018", "end_date": "18/05/2018", "lessons": "on"})
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.organiser_unit_then.code == 74
    assert event.lessons.count() == 2


def test_bad_dates_are_refused_in_vietnamese_and_nothing_is_lost(admin_units, client, lc_staff):
    extraction = services.extraction_submit(actor=lc_staff, text=seed(LAI_CHAU_ARTICLE))
    client.force_login(lc_staff)
    response = client.post(f"/extraction/{extraction.pk}/accept/", {
        "version": extraction.version, "title": "Tên đã sửa", "kind": "study_tour_domestic", "fund": "local",
        "start_date": "06/12/2016", "end_date": "28/11/2016"})
    assert response.status_code == 200
    assert "Tên đã sửa" in response.content.decode()
    assert not Event.objects.exists()


def test_reject_in_the_page(admin_units, client, lc_staff):
    extraction = services.extraction_submit(actor=lc_staff, text=seed(LAI_CHAU_ARTICLE))
    client.force_login(lc_staff)
    response = client.post(f"/extraction/{extraction.pk}/reject/", {"version": extraction.version,
                                                                     "reason": "Bài trùng"})
    assert response.status_code == 302
    extraction.refresh_from_db()
    assert extraction.status == ExtractionStatus.REJECTED


@pytest.mark.parametrize("url", ["/extraction/", "/api/v1/extractions"])
def test_list_queries_stay_flat(admin_units, client, lc_staff, url):
    lai_chau = province(12)
    client.force_login(lc_staff)
    _rows(2, lai_chau)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _rows(15, lai_chau)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_detail_queries_stay_flat(admin_units, client, lc_staff):
    extraction = services.extraction_submit(actor=lc_staff, text=seed(LAI_CHAU_ARTICLE))
    client.force_login(lc_staff)
    client.get(f"/extraction/{extraction.pk}/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/extraction/{extraction.pk}/").status_code == 200
    assert len(ctx) <= 25
