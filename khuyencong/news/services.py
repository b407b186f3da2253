"""Every write of news: atomic, permission-checked, version-checked, audited."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record
from khuyencong.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from khuyencong.core.text import fold, normalize_text
from khuyencong.core.uploads import reencode_photo
from khuyencong.core.versions import check_version
from khuyencong.extraction.models import ArticleExtraction
from khuyencong.extraction.permissions import can_submit as can_read_articles
from khuyencong.extraction.services import extraction_submit

from .flows import article_flow
from .models import Article, ArticleImage, ArticleStatus
from .permissions import can_edit, can_write
from .text import clean_body, plain_text

FIELDS = ("title", "lead", "body", "category", "byline", "source_name", "source_url", "published_on")
LINKS = ("events", "projects", "establishments")
MAX_IMAGES = 12


def _refuse(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _slug_for(title: str, province_id: int | None, exclude: int | None = None) -> str:
    base = slugify(fold(title))[:100].strip("-") or "bai-viet"
    slug, n = base, 1
    others = Article.objects.filter(province_id=province_id).exclude(pk=exclude)
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _clean(data: dict) -> dict:
    out = {}
    for name in FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "body":
            value = clean_body(value)
        elif name in ("title", "lead", "byline", "source_name", "source_url"):
            value = normalize_text(value)
        out[name] = value
    if "title" in out and not out["title"]:
        raise InvalidInput(_("Give the title."), field="title")
    if "lead" in out and not out["lead"]:
        raise InvalidInput(_("Write the lead paragraph."), field="lead")
    if out.get("source_url") and "source_name" in out and not out["source_name"]:
        raise InvalidInput(_("Name the source of the link."), field="source_name")
    return out


def _check_links(province_id: int | None, links: dict) -> None:
    """An article of a province speaks of that province's records; national news of any."""
    if province_id is None:
        return
    for name in LINKS:
        for obj in links.get(name) or ():
            if obj.province_id != province_id:
                raise InvalidInput(_("“%(name)s” is not a record of the article's province.") % {"name": str(obj)},
                                   field=name)


def _search_text(article: Article) -> str:
    return fold(" ".join([article.title, article.lead, plain_text(article.body), article.byline,
                          article.source_name]))


@transaction.atomic
def article_create(*, actor, province, data: dict, links: dict | None = None) -> Article:
    province_id = province.pk if province is not None else None
    _refuse(can_write(actor, province_id))
    values = _clean(data)
    for name in ("title", "lead"):
        if not values.get(name):
            raise InvalidInput(_("Give the title.") if name == "title" else _("Write the lead paragraph."), field=name)
    links = links or {}
    _check_links(province_id, links)
    article = Article(province=province, created_by=actor if getattr(actor, "pk", None) else None, **values)
    article.slug = _slug_for(article.title, province_id)
    article.search_folded = _search_text(article)
    article.save()
    for name in LINKS:
        if links.get(name):
            getattr(article, name).set(links[name])
    audit_record(actor=actor, action="news.article.create", obj=article,
                 changes={name: [None, getattr(article, name)] for name in values})
    return article


@transaction.atomic
def article_update(*, actor, article: Article, version: int | None, data: dict, links: dict | None = None) -> dict:
    article = Article.objects.select_for_update().get(pk=article.pk)
    _refuse(can_edit(actor, article))
    check_version(article, version, what=_("this article"))
    values = _clean(data)
    changes = {}
    for name, value in values.items():
        old = getattr(article, name)
        if old != value:
            changes[name] = [old, value]
            setattr(article, name, value)
    if links is not None:
        _check_links(article.province_id, links)
        for name in LINKS:
            if name in links:
                before = set(getattr(article, name).values_list("pk", flat=True))
                after = {obj.pk for obj in links[name]}
                if before != after:
                    getattr(article, name).set(links[name])
                    changes[name] = [sorted(before), sorted(after)]
    if changes:
        article.search_folded = _search_text(article)
        article.version += 1
        article.save()
        audit_record(actor=actor, action="news.article.update", obj=article, changes=changes)
    return changes


@transaction.atomic
def article_transition(*, actor, article: Article, action: str, version: int | None = None,
                       inputs: dict | None = None) -> dict:
    article = Article.objects.select_for_update().get(pk=article.pk)
    row = article_flow.check(article, actor, action, inputs=inputs)
    changes = article_flow.commit(article, row, actor=actor, version=version, inputs=inputs,
                                  what=_("this article"))
    audit_record(actor=actor, action=f"news.article.{action}", obj=article, changes=changes)
    if article.status == ArticleStatus.PUBLISHED:
        _read_into_a_record(actor, article)
    return changes


def public_url(article: Article) -> str:
    code = article.province.code if article.province_id else 0
    return settings.KC_SITE_URL + reverse("news_public_article", args=[code, article.slug])


def _read_into_a_record(actor, article: Article) -> None:
    """A published article is read into an activity record waiting for staff review (extraction), once: what the
    reader cannot read is left to the staff, never a reason to refuse the publication."""
    url = public_url(article)
    if not can_read_articles(actor).allowed or ArticleExtraction.objects.filter(source_url=url).exists():
        return
    text = "\n".join(part for part in (article.title, article.lead, plain_text(article.body)) if part)
    try:
        with transaction.atomic():
            extraction_submit(actor=actor, text=text, published_on=article.published_on, source_title=article.title,
                              source_url=url)
    except DomainError:
        return


@transaction.atomic
def image_add(*, actor, article: Article, upload, caption: str) -> ArticleImage:
    _refuse(can_edit(actor, article))
    caption = normalize_text(caption)
    if not caption:
        raise InvalidInput(_("Write the caption of the picture."), field="caption")
    if upload is None:
        raise InvalidInput(_("Choose the picture."), field="image")
    count = article.images.count()
    if count >= MAX_IMAGES:
        raise InvalidInput(_("An article has at most %(n)s pictures.") % {"n": MAX_IMAGES}, field="image")
    stored = reencode_photo(upload, field="image")
    image = ArticleImage(article=article, caption=caption[:300], position=count + 1)
    image.image.save(stored.name, stored, save=False)
    image.save()
    audit_record(actor=actor, action="news.image.add", obj=article, changes={"picture": [None, caption]})
    return image


@transaction.atomic
def image_remove(*, actor, article: Article, image_id: int) -> None:
    _refuse(can_edit(actor, article))
    image = article.images.filter(pk=image_id).first()
    if image is None:
        raise NotFound(_("Picture not found."))
    caption = image.caption
    image.image.delete(save=False)
    image.delete()
    audit_record(actor=actor, action="news.image.remove", obj=article, changes={"picture": [caption, None]})


def is_public(article: Article) -> bool:
    return article.status == ArticleStatus.PUBLISHED
