"""Every read of news shared by the pages, the feed and the API.

Public reads (`published_*`) show only published articles dated today or before, whoever asks: a draft, an article in
review or approved, and a withdrawn article never appear. Staff reads are scoped like every module (`Scope.filter`);
national news (no province) is seen by national users only.
"""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from khuyencong.accounts.scope import user_scope
from khuyencong.core.text import fold

from .models import Article, ArticleImage, ArticleStatus


@dataclass
class PublicFilters:
    q: str = ""
    province: int | None = None  # province code; 0 = national news only
    category: str = ""


def published(today=None) -> QuerySet[Article]:
    today = today or timezone.localdate()
    return Article.objects.filter(status=ArticleStatus.PUBLISHED, published_on__lte=today)


def published_list(filters: PublicFilters, today=None) -> QuerySet[Article]:
    qs = published(today).select_related("province").prefetch_related("images")
    if filters.province == 0:
        qs = qs.filter(province__isnull=True)
    elif filters.province is not None:
        qs = qs.filter(province__code=filters.province, province__scheme="current")
    if filters.category:
        qs = qs.filter(category=filters.category)
    for word in fold(filters.q).split()[:8]:
        qs = qs.filter(search_folded__contains=word)
    return qs.order_by("-published_on", "-pk")


def published_get(province_code: int, slug: str, today=None) -> Article | None:
    qs = published(today).select_related("province").prefetch_related(
        "images", "events", "projects", "establishments")
    if province_code == 0:
        qs = qs.filter(province__isnull=True)
    else:
        qs = qs.filter(province__code=province_code, province__scheme="current")
    return qs.filter(slug=slug).first()


def published_provinces(today=None) -> list[dict]:
    """Provinces with published news and their count (one query), for the public page's list of provinces."""
    rows = (published(today).filter(province__isnull=False).values("province__code", "province__name")
            .annotate(n=Count("pk")).order_by("province__name"))
    return [{"code": r["province__code"], "name": r["province__name"], "n": r["n"]} for r in rows]


def published_image(image_id: int, today=None):
    return ArticleImage.objects.filter(pk=image_id, article__in=published(today)).first()


@dataclass
class StaffFilters:
    q: str = ""
    status: str = ""
    province: int | None = None


def staff_articles(user) -> QuerySet[Article]:
    scope = user_scope(user)
    return scope.filter(Article.objects.all(), province="province")


def staff_list(*, user, filters: StaffFilters) -> QuerySet[Article]:
    qs = staff_articles(user).select_related("province", "created_by").annotate(n_images=Count("images"))
    if filters.status in ArticleStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.province == 0:
        qs = qs.filter(province__isnull=True)
    elif filters.province is not None:
        qs = qs.filter(province__code=filters.province)
    for word in fold(filters.q).split()[:8]:
        qs = qs.filter(search_folded__contains=word)
    return qs.order_by("-updated_at", "-pk")


def staff_get(*, user, pk: int) -> Article | None:
    return staff_articles(user).select_related("province", "created_by").prefetch_related(
        "images", "events", "projects", "establishments").filter(pk=pk).first()


def staff_image(*, user, image_id: int):
    return ArticleImage.objects.filter(pk=image_id, article__in=staff_articles(user)).first()


def status_counts(user) -> dict[str, int]:
    rows = staff_articles(user).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}
