"""The article lifecycle: who writes, reviews, publishes and withdraws; only a draft is edited; a stale version is
refused; every write is audited."""

import datetime

import pytest

from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.news import services
from khuyencong.news.models import Article

from .helpers import make_article, move, province, publish

pytestmark = pytest.mark.django_db


def test_write_review_publish_withdraw(writer, reviewer):
    article = make_article(writer, title="Đoàn học tập kinh nghiệm tại Hải Phòng")
    assert article.status == "draft" and article.slug == "doan-hoc-tap-kinh-nghiem-tai-hai-phong"
    with pytest.raises(PermissionDenied):
        move(article, (writer, "submit"), (writer, "approve"))
    article = move(article, (reviewer, "approve"), (writer, "publish"))
    assert article.status == "published" and article.published_on == datetime.date.today()
    with pytest.raises(InvalidInput):  # withdrawing needs the reason
        move(article, (reviewer, "withdraw"))
    article = move(article, (reviewer, "withdraw", "Sai số liệu"))
    assert article.status == "withdrawn" and article.status_note == "Sai số liệu"
    article = move(article, (writer, "redraft"))
    assert article.status == "draft"
    actions = [e.action for e in audit_events_for(article)]
    assert "news.article.create" in actions and "news.article.publish" in actions


def test_reviewer_returns_with_reason_and_only_a_draft_is_edited(writer, reviewer):
    article = make_article(writer)
    move(article, (writer, "submit"))
    with pytest.raises(PermissionDenied):
        services.article_update(actor=writer, article=article, version=article.version, data={"title": "Khác"})
    article = move(article, (reviewer, "return", "Thiếu nguồn"))
    assert article.status == "draft" and article.status_note == "Thiếu nguồn"
    services.article_update(actor=writer, article=article, version=article.version,
                            data={"title": "Tiêu đề mới", "body": "<p>Đoạn <script>x</script></p>"})
    article.refresh_from_db()
    assert article.title == "Tiêu đề mới" and "script" not in article.body
    assert "tieu de moi" in article.search_folded


def test_stale_version_is_refused(writer):
    article = make_article(writer)
    services.article_update(actor=writer, article=article, version=article.version, data={"title": "Một"})
    with pytest.raises(Conflict):
        services.article_update(actor=writer, article=article, version=1, data={"title": "Hai"})
    with pytest.raises(Conflict):
        services.article_transition(actor=writer, article=article, action="submit", version=1)


def test_other_province_and_national_rights(writer, other_writer, ministry, reviewer):
    with pytest.raises(PermissionDenied):
        make_article(other_writer, 12)
    with pytest.raises(PermissionDenied):
        make_article(writer, None)
    national = make_article(ministry, None, title="Tin toàn quốc")
    national = publish(national, ministry, ministry)
    assert national.status == "published" and national.province is None
    article = make_article(writer)
    move(article, (writer, "submit"))
    with pytest.raises(PermissionDenied):
        move(article, (ministry, "approve"))  # a province's news is reviewed by its DoIT


def test_slug_unique_per_province(writer, other_writer):
    a = make_article(writer, title="Hội chợ")
    b = make_article(writer, title="Hội chợ")
    c = make_article(other_writer, 80, title="Hội chợ")
    assert (a.slug, b.slug, c.slug) == ("hoi-cho", "hoi-cho-2", "hoi-cho")


def test_links_must_be_of_the_province(writer):
    from khuyencong.events.tests.scope_cases import make_tour

    theirs = make_tour(80)
    with pytest.raises(InvalidInput):
        services.article_create(actor=writer, province=province(12), data={"title": "x", "lead": "y"},
                                links={"events": [theirs]})
    ours = make_tour(12)
    article = services.article_create(actor=writer, province=province(12), data={"title": "x", "lead": "y"},
                                      links={"events": [ours]})
    assert list(article.events.all()) == [ours]


def test_empty_title_is_refused(writer):
    with pytest.raises(InvalidInput):
        make_article(writer, title="  ")
    assert not Article.objects.exists()


def test_a_published_article_is_read_into_a_record_for_review_once(writer, reviewer):
    from khuyencong.extraction.models import ArticleExtraction

    article = make_article(writer, title="Đoàn học tập kinh nghiệm tại Hải Phòng",
                           lead="Từ ngày 28/11/2016 đến ngày 06/12/2016, Trung tâm Khuyến công tỉnh Lai Châu tổ chức "
                                "đoàn học tập kinh nghiệm tại tỉnh Hải Phòng.")
    move(article, (writer, "submit"), (reviewer, "approve"))
    assert not ArticleExtraction.objects.exists()  # nothing is read before publication
    article = move(article, (writer, "publish"))
    extraction = ArticleExtraction.objects.get()
    assert extraction.status == "pending" and extraction.source_url.endswith(f"/{article.slug}/")
    assert extraction.record["kind"]["value"] == "study_tour"
    article = move(article, (reviewer, "withdraw", "Sai số liệu"), (writer, "redraft"), (writer, "submit"),
                   (reviewer, "approve"), (writer, "publish"))
    assert ArticleExtraction.objects.count() == 1  # published again: not read twice
