"""The public portal: only published articles appear — in the lists, the article page, the search, the feed, the
pictures and the API — never a draft, one in review or approved, or a withdrawn one. No account is needed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from khuyencong.news import services

from .helpers import make_article, move, publish

pytestmark = pytest.mark.django_db


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    return SimpleUploadedFile("anh.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def articles(writer, reviewer):
    shown = make_article(writer, title="Đào tạo nghề đan lục bình", body="Học viên được cơ sở nhận làm.")
    services.image_add(actor=writer, article=shown, upload=_photo(), caption="Lớp học")
    shown = publish(shown, writer, reviewer)
    draft = make_article(writer, title="Bản nháp bí mật về đan lục bình")
    review = move(make_article(writer, title="Đang duyệt đan lục bình"), (writer, "submit"))
    approved = move(make_article(writer, title="Đã duyệt đan lục bình"), (writer, "submit"), (reviewer, "approve"))
    withdrawn = publish(make_article(writer, title="Đã gỡ đan lục bình"), writer, reviewer)
    withdrawn = move(withdrawn, (reviewer, "withdraw", "Sai"))
    draft_image = services.image_add(actor=writer, article=draft, upload=_photo(), caption="Ảnh nháp")
    return {"shown": shown, "hidden": [draft, review, approved, withdrawn], "draft_image": draft_image}


HIDDEN_TITLES = ["Bản nháp bí mật", "Đang duyệt", "Đã duyệt", "Đã gỡ"]


def _no_hidden(text: str) -> None:
    for title in HIDDEN_TITLES:
        assert title not in text, title


def test_lists_search_and_feed_show_only_published(client, articles):
    shown = articles["shown"]
    for url in ["/tin-tuc/", "/tin-tuc/tinh/12/", "/tin-tuc/?q=dan+luc+binh", "/tin-tuc/?q=ĐAN LỤC BÌNH",
                "/tin-tuc/feed/", "/tin-tuc/tinh/12/feed/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert shown.title in text, url
        _no_hidden(text)
    assert shown.title not in client.get("/tin-tuc/?q=khong+co+tu+nay").content.decode()
    assert shown.title not in client.get("/tin-tuc/tinh/80/").content.decode()
    feed = client.get("/tin-tuc/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert f"/tin-tuc/12/{shown.slug}/" in feed.content.decode()


def test_article_page_and_pictures(client, articles):
    shown = articles["shown"]
    page = client.get(f"/tin-tuc/12/{shown.slug}/")
    assert page.status_code == 200 and "Học viên được cơ sở nhận làm." in page.content.decode()
    image = shown.images.get()
    assert client.get(f"/tin-tuc/anh/{image.pk}/").status_code == 200
    assert client.get(f"/tin-tuc/anh/{articles['draft_image'].pk}/").status_code == 404
    for hidden in articles["hidden"]:
        assert client.get(f"/tin-tuc/12/{hidden.slug}/").status_code == 404
    assert client.get(f"/tin-tuc/80/{shown.slug}/").status_code == 404
    assert client.get("/tin-tuc/tinh/99999/").status_code == 404


def test_api_published_list_shows_only_published(client, writer, articles):
    client.force_login(writer)
    body = client.get("/api/v1/news/published?q=dan luc binh").json()
    assert [a["title"] for a in body["items"]] == [articles["shown"].title]
    mine = client.get("/api/v1/news/articles").json()
    assert mine["count"] == 5


def test_public_list_queries_stay_flat(client, writer, reviewer):
    for i in range(3):
        publish(make_article(writer, title=f"Tin {i}"), writer, reviewer)
    client.get("/tin-tuc/")
    with CaptureQueriesContext(connection) as few:
        client.get("/tin-tuc/")
    for i in range(3, 9):
        article = make_article(writer, title=f"Tin {i}")
        services.image_add(actor=writer, article=article, upload=_photo(), caption="Ảnh")
        publish(article, writer, reviewer)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/tin-tuc/")
    assert "Tin 8" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
