"""The news API, mounted by `api`: the articles in the caller's scope (with the steps open to them), writing and the
lifecycle's steps, and the published news as the portal shows it. ?q= ignores diacritics."""

import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from khuyencong.core.api_params import BoundedLimitOffsetPagination, RecordId, UnitCode, Version
from khuyencong.core.errors import InvalidInput, NotFound
from khuyencong.events.models import Event
from khuyencong.geo.models import AdminUnit
from khuyencong.projects.models import Project
from khuyencong.registry.models import Establishment

from . import selectors, services
from .flows import article_flow
from .models import ArticleStatus, Category

router = Router(tags=["news"])

Ids = list[RecordId]
# A province code, or 0 for national news.
ProvinceOrNational = Annotated[int, Field(ge=0, le=99_999)]


class NewsUnitOut(Schema):
    code: int
    name: str


class ImageOut(Schema):
    id: int
    caption: str


class ArticleOut(Schema):
    id: int
    title: str
    slug: str
    province: NewsUnitOut | None
    lead: str
    category: str
    category_label: str
    byline: str
    source_name: str
    source_url: str
    published_on: datetime.date | None
    status: str
    status_label: str
    url: str = Field("", description="The public page (published articles only)")

    @staticmethod
    def resolve_province(obj):
        return {"code": obj.province.code, "name": obj.province.name} if obj.province_id else None

    @staticmethod
    def resolve_category_label(obj):
        return obj.get_category_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_url(obj):
        if obj.status != ArticleStatus.PUBLISHED:
            return ""
        return f"/tin-tuc/{obj.province_code}/{obj.slug}/"


class NewsActionOut(Schema):
    action: str
    label: str
    allowed: bool
    reasons: list[str]


class ArticleDetailOut(ArticleOut):
    body: str = Field(description="Sanitised HTML")
    version: int
    images: list[ImageOut]
    event_ids: list[int]
    project_ids: list[int]
    establishment_ids: list[int]
    actions: list[NewsActionOut]

    @staticmethod
    def resolve_images(obj):
        return list(obj.images.all())

    @staticmethod
    def resolve_event_ids(obj):
        return [e.pk for e in obj.events.all()]

    @staticmethod
    def resolve_project_ids(obj):
        return [p.pk for p in obj.projects.all()]

    @staticmethod
    def resolve_establishment_ids(obj):
        return [e.pk for e in obj.establishments.all()]

    @staticmethod
    def resolve_actions(obj, context):
        return article_flow.options(obj, context["request"].user)


class PublicArticleOut(ArticleOut):
    body: str = Field(description="Sanitised HTML")


class ArticleIn(Schema):
    title: str = Field(max_length=300)
    lead: str = Field(max_length=1000)
    body: str = Field("", max_length=60000, description="HTML (sanitised: p, br, strong, em, u, lists, h2, h3, "
                                                        "blockquote, links) or plain text (blank lines: paragraphs)")
    category: str = Field(Category.ACTIVITY, description=", ".join(Category.values))
    byline: str = Field("", max_length=200)
    source_name: str = Field("", max_length=300)
    source_url: str = Field("", max_length=500)
    published_on: datetime.date | None = None
    event_ids: Ids = Field(default_factory=list, max_length=50)
    project_ids: Ids = Field(default_factory=list, max_length=50)
    establishment_ids: Ids = Field(default_factory=list, max_length=50)


class ArticleCreateIn(ArticleIn):
    province: UnitCode | None = Field(None, description="Today's province code; empty: national news")


class ArticleUpdateIn(ArticleIn):
    version: Version = Field(description="The version you read; a stale one gets 409")


class ActionIn(Schema):
    reason: str = Field("", max_length=500)
    version: Version | None = Field(None, description="The version you read; a stale one gets 409")


def _data(payload: ArticleIn) -> tuple[dict, dict]:
    if payload.category not in Category.values:
        raise InvalidInput(_("Choose a category of the list."), field="category")
    url = payload.source_url.strip()
    if url and not url.lower().startswith(("http://", "https://")):
        raise InvalidInput(_("The link to the source must start with http:// or https://."), field="source_url")
    data = {name: getattr(payload, name) for name in ("title", "lead", "body", "category", "byline", "source_name",
                                                      "published_on")}
    data["source_url"] = url
    links = {}
    for name, model, ids in (("events", Event, payload.event_ids), ("projects", Project, payload.project_ids),
                             ("establishments", Establishment, payload.establishment_ids)):
        found = list(model.objects.filter(pk__in=set(ids)))
        if len(found) != len(set(ids)):
            raise InvalidInput(_("A linked record does not exist."), field=name)
        links[name] = found
    return data, links


def _detail(request, article_id: int):
    article = selectors.staff_get(user=request.user, pk=article_id)
    if article is None:
        raise NotFound(_("Article not found."))
    return article


@router.get("/news/articles", response=list[ArticleOut], summary="News articles in your scope (every state)",
            operation_id="news_article_list", url_name="news_article_list")
@paginate(BoundedLimitOffsetPagination)
def article_list(request, q: str = "", status: str = ""):
    return selectors.staff_list(user=request.user, filters=selectors.StaffFilters(q=q[:200], status=status))


@router.get("/news/articles/{article_id}", response=ArticleDetailOut, summary="One article, with the steps open to you",
            operation_id="news_article_detail", url_name="news_article_detail")
def article_detail(request, article_id: RecordId):
    return _detail(request, article_id)


@router.post("/news/articles", response={201: ArticleDetailOut}, summary="Write a draft article",
             operation_id="news_article_create", url_name="news_article_create")
def article_create(request, payload: ArticleCreateIn):
    province = None
    if payload.province is not None:
        province = AdminUnit.objects.current().provinces().filter(code=payload.province).first()
        if province is None:
            raise InvalidInput(_("Unknown province."), field="province")
    data, links = _data(payload)
    article = services.article_create(actor=request.user, province=province, data=data, links=links)
    return Status(201, _detail(request, article.pk))


@router.put("/news/articles/{article_id}", response=ArticleDetailOut, summary="Change a draft article",
            operation_id="news_article_update", url_name="news_article_update")
def article_update(request, article_id: RecordId, payload: ArticleUpdateIn):
    article = _detail(request, article_id)
    data, links = _data(payload)
    services.article_update(actor=request.user, article=article, version=payload.version, data=data, links=links)
    return _detail(request, article_id)


@router.post("/news/articles/{article_id}/actions/{action}", response=ArticleDetailOut,
             summary="Take a step: submit, approve, return, publish, withdraw, redraft",
             operation_id="news_article_action", url_name="news_article_action")
def article_action(request, article_id: RecordId, action: str, payload: ActionIn):
    article = _detail(request, article_id)
    services.article_transition(actor=request.user, article=article, action=action[:40], version=payload.version,
                                inputs={"reason": payload.reason})
    return _detail(request, article_id)


@router.get("/news/published", response=list[PublicArticleOut],
            summary="Published news, as the public portal shows it (province 0: national news only)",
            operation_id="news_published_list", url_name="news_published_list")
@paginate(BoundedLimitOffsetPagination)
def published_list(request, q: str = "", province: ProvinceOrNational | None = None, category: str = ""):
    filters = selectors.PublicFilters(q=q[:200], province=province,
                                      category=category if category in Category.values else "")
    return selectors.published_list(filters)
