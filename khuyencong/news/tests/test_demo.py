"""The demo seeder publishes articles in several provinces (the two source tours with their sources cited), keeps one
in review and one draft, runs through the services and is idempotent."""

import io

import pytest

from khuyencong.news import demo
from khuyencong.news.models import Article
from khuyencong.news.selectors import PublicFilters, published_list

from .helpers import seed_news_demo

pytestmark = pytest.mark.django_db


def test_demo_articles():
    seed_news_demo()
    published = published_list(PublicFilters())
    assert published.count() >= 5
    assert {a.province.code for a in published if a.province_id} >= {12, 80, 92, 79}
    lai_chau = Article.objects.get(title__contains="Hải Phòng, Quảng Ninh")
    assert lai_chau.status == "published" and "Trần Quang Quyết" in lai_chau.source_name
    assert lai_chau.events.filter(title__contains="Hải Phòng").exists()
    binh_duong = Article.objects.get(title__contains="Long An và Hậu Giang")
    assert "Hồng Ân" in binh_duong.source_name and binh_duong.events.exists()
    assert Article.objects.filter(status="draft").count() == 1
    assert Article.objects.filter(status="review").count() == 1
    count = Article.objects.count()
    demo.seed(io.StringIO())
    assert Article.objects.count() == count
