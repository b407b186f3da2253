"""Scope cases of news: an article belongs to its province; the staff pages and the API show and change it only
there. The public portal is open to everyone and shows only published articles (test_public)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from khuyencong.accounts.models import Role, User
from khuyencong.accounts.tests.factories import make_user
from khuyencong.geo.models import AdminUnit
from khuyencong.news import services
from khuyencong.testing.scope import ScopedCase, register, unscoped


def _centre_staff(code: int) -> User:
    name = f"ttkc.tin.{code}"
    return User.objects.filter(username=name).first() or make_user(role=Role.CENTRE_STAFF, province_code=code,
                                                                   username=name)


def make_article(province_code: int):
    """A draft article with a picture (so the picture's page is checked too)."""
    writer = _centre_staff(province_code)
    province = AdminUnit.objects.get(scheme="current", level="province", code=province_code)
    article = services.article_create(actor=writer, province=province, data={
        "title": f"Tin thử phạm vi {province_code}", "lead": "Tin thử.", "body": "Nội dung thử."})
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, "JPEG")
    article.image = services.image_add(actor=writer, article=article, caption="Ảnh thử",
                                       upload=SimpleUploadedFile("a.jpg", out.getvalue(), content_type="image/jpeg"))
    article.refresh_from_db()
    return article


def _posts(a):
    return [
        ("POST", f"/news/manage/{a.pk}/edit/", {"title": "Bị sửa", "lead": "x", "category": "activity",
                                                "version": a.version}),
        ("POST", f"/news/manage/{a.pk}/act/submit/", {"version": a.version}),
        ("POST", f"/news/manage/{a.pk}/images/{a.image.pk}/remove/", {}),
        ("POST", f"/api/v1/news/articles/{a.pk}/actions/submit", {}),
    ]


register(
    ScopedCase(
        name="news_article",
        make=make_article,
        marker=lambda a: a.title,
        list_urls=["/news/manage/", "/news/manage/?q=tin+thu+pham+vi", "/news/manage/?status=draft",
                   "/api/v1/news/articles", "/api/v1/news/articles?q=pham+vi"],
        detail_urls=lambda a: [f"/news/manage/{a.pk}/", f"/news/manage/{a.pk}/edit/",
                               f"/news/manage/images/{a.image.pk}/", f"/api/v1/news/articles/{a.pk}"],
        change_requests=_posts,
        covers=["news_manage_list", "news_manage_detail", "news_manage_edit", "news_manage_act",
                "news_manage_image_remove", "news_manage_image", "api:news_article_list", "api:news_article_detail",
                "api:news_article_action"],
        sees_province=("doit_officer", "doit_manager", "centre_staff", "finance_officer", "viewer"),
    )
)

PUBLIC = "the public portal shows only published articles to everyone, without an account (test_public)"
unscoped("news_public_list", PUBLIC)
unscoped("news_public_province", PUBLIC)
unscoped("news_public_article", PUBLIC)
unscoped("news_public_image", PUBLIC)
unscoped("news_feed", PUBLIC)
unscoped("news_province_feed", PUBLIC)
unscoped("api:news_published_list", PUBLIC)
unscoped("news_manage_create", "writes only in the provinces where the user is centre staff (test_views)")
unscoped("news_manage_image_add", "checked like the article's edit: 404 outside the scope, refused unless a writer of "
                                  "the province (test_views)")
unscoped("api:news_article_create", "writes only in the provinces where the user is centre staff (test_api)")
unscoped("api:news_article_update", "fetched through the scoped selector: 404 outside the scope (test_api)")
