"""The tables of news: articles of the KC portal, their pictures and the records they speak of.

An article belongs to a province (the centre that wrote it) or is national (province empty, written by the
ministry). Its slug is unique within its province. The body is stored already sanitised (`news.text.clean_body`);
`search_folded` holds the title, lead and text without diacritics, for the public search.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.core.models import TrackedModel
from khuyencong.events.models import Event
from khuyencong.geo.models import AdminUnit
from khuyencong.projects.models import Project
from khuyencong.registry.models import Establishment

CURRENT_PROVINCE = {"scheme": "current", "level": "province"}


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("article", "Draft")
    REVIEW = "review", pgettext_lazy("article", "In review")
    APPROVED = "approved", pgettext_lazy("article", "Approved")
    PUBLISHED = "published", pgettext_lazy("article", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("article", "Withdrawn")


class Category(models.TextChoices):
    ACTIVITY = "activity", _("KC activities")
    TOUR = "tour", _("Study tours and exchanges")
    TRAINING = "training", _("Training and vocational skills")
    FAIR = "fair", _("Fairs and trade promotion")
    MODEL = "model", _("Good models and practices")
    POLICY = "policy", _("Policies and guidance")
    NOTICE = "notice", _("Announcements")


class Article(TrackedModel):
    title = models.CharField(pgettext_lazy("article", "title"), max_length=300)
    slug = models.SlugField(_("address of the page"), max_length=120)
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", limit_choices_to=CURRENT_PROVINCE,
                                 help_text=_("Empty for national news."))
    lead = models.TextField(_("lead paragraph"), max_length=1000)
    body = models.TextField(pgettext_lazy("article", "body"), blank=True)
    category = models.CharField(pgettext_lazy("article", "category"), max_length=12, choices=Category.choices,
                                default=Category.ACTIVITY)
    byline = models.CharField(_("byline"), max_length=200, blank=True)
    source_name = models.CharField(pgettext_lazy("article", "source"), max_length=300, blank=True)
    source_url = models.URLField(_("link to the source"), max_length=500, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT,
                              db_index=True)
    status_note = models.CharField(_("note on the status"), max_length=500, blank=True)
    events = models.ManyToManyField(Event, verbose_name=_("events"), blank=True, related_name="news_articles")
    projects = models.ManyToManyField(Project, verbose_name=_("projects"), blank=True, related_name="news_articles")
    establishments = models.ManyToManyField(Establishment, verbose_name=_("establishments"), blank=True,
                                            related_name="news_articles")
    search_folded = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["province", "slug"], name="news_slug_unique_per_province"),
            models.UniqueConstraint(fields=["slug"], condition=Q(province__isnull=True),
                                    name="news_slug_unique_national"),
            models.CheckConstraint(condition=~Q(status="published") | Q(published_on__isnull=False),
                                   name="news_published_has_date"),
            models.CheckConstraint(condition=~Q(slug=""), name="news_slug_not_empty"),
        ]
        indexes = [models.Index(fields=["status", "province", "published_on"], name="news_public_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def province_code(self) -> int:
        """The code in the public address: the province's, 0 for national news."""
        return self.province.code if self.province_id else 0


def _image_path(instance, filename: str) -> str:
    return f"news/{filename}"


class ArticleImage(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(_("picture"), upload_to=_image_path)
    caption = models.CharField(_("caption"), max_length=300)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("picture")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption
