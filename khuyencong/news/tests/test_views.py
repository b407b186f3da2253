"""The staff pages: write, edit (a stale version keeps what was typed), preview, the flow's buttons, pictures; the
list's queries stay flat."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from khuyencong.news.models import Article

from .helpers import make_article, publish

pytestmark = pytest.mark.django_db


def _form(**extra):
    return {"province": "12", "title": "Khai giảng lớp dệt thổ cẩm", "lead": "Lớp học mở tại bản.",
            "body": "Đoạn một.\n\nĐoạn hai.", "category": "training", "byline": "Hà", "source_name": "",
            "source_url": "", "published_on": "", **extra}


def test_write_then_review_and_publish_through_the_pages(client, writer, reviewer):
    client.force_login(writer)
    assert client.get("/news/manage/new/").status_code == 200
    response = client.post("/news/manage/new/", _form())
    article = Article.objects.get()
    assert response.status_code == 302 and response.url == f"/news/manage/{article.pk}/"
    assert article.body == "<p>Đoạn một.</p><p>Đoạn hai.</p>"
    page = client.get(f"/news/manage/{article.pk}/").content.decode()
    assert "Đoạn hai." in page and 'data-action="submit"' in page
    client.post(f"/news/manage/{article.pk}/act/submit/", {"version": article.version})
    client.force_login(reviewer)
    article.refresh_from_db()
    client.post(f"/news/manage/{article.pk}/act/approve/", {"version": article.version})
    client.force_login(writer)
    article.refresh_from_db()
    client.post(f"/news/manage/{article.pk}/act/publish/", {"version": article.version})
    article.refresh_from_db()
    assert article.status == "published"
    assert client.get(f"/tin-tuc/12/{article.slug}/").status_code == 200


def test_bad_input_and_stale_version_keep_what_was_typed(client, writer):
    client.force_login(writer)
    response = client.post("/news/manage/new/", _form(title="", source_url="không phải link"))
    assert response.status_code == 422 and "Lớp học mở tại bản." in response.content.decode()
    article = make_article(writer)
    data = {k: v for k, v in _form(title="Tiêu đề của tôi", version=article.version).items() if k != "province"}
    client.post(f"/news/manage/{article.pk}/edit/", data)
    stale = client.post(f"/news/manage/{article.pk}/edit/", {**data, "title": "Lần sửa cũ"})
    assert stale.status_code == 422 and "Lần sửa cũ" in stale.content.decode()
    article.refresh_from_db()
    assert article.title == "Tiêu đề của tôi"


def test_picture_is_reencoded_and_a_bad_file_refused(client, writer):
    client.force_login(writer)
    article = make_article(writer)
    out = io.BytesIO()
    Image.new("RGB", (50, 40), "green").save(out, "PNG")
    client.post(f"/news/manage/{article.pk}/images/", {
        "caption": "Học viên", "image": SimpleUploadedFile("a.png", out.getvalue(), content_type="image/png")})
    image = article.images.get()
    assert image.image.name.endswith(".jpg")
    assert client.get(f"/news/manage/images/{image.pk}/").status_code == 200
    client.post(f"/news/manage/{article.pk}/images/", {
        "caption": "Sai", "image": SimpleUploadedFile("a.png", b"not an image", content_type="image/png")})
    assert article.images.count() == 1


def test_staff_list_queries_stay_flat(client, writer, reviewer):
    client.force_login(writer)
    for i in range(2):
        publish(make_article(writer, title=f"Tin {i}"), writer, reviewer)
    client.get("/news/manage/")
    with CaptureQueriesContext(connection) as few:
        client.get("/news/manage/")
        client.get("/api/v1/news/articles")
    for i in range(2, 8):
        make_article(writer, title=f"Tin {i}")
    with CaptureQueriesContext(connection) as many:
        assert "Tin 7" in client.get("/news/manage/").content.decode()
        client.get("/api/v1/news/articles")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_others_cannot_write(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/news/manage/new/").status_code == 302
    assert client.post("/news/manage/new/", _form()).status_code == 302
    assert not Article.objects.exists()
