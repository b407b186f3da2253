"""The Atom feed of published news (national, or one province's), with Django's syndication framework."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from khuyencong.geo.models import AdminUnit

from . import selectors
from .text import plain_text

FEED_SIZE = 30


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, code: int | None = None):
        if code is None:
            return None
        province = AdminUnit.objects.current().provinces().filter(code=code).first()
        if province is None:
            raise Http404
        return province

    def title(self, obj):
        if obj is None:
            return _("Industrial promotion news")
        return _("Industrial promotion news of %(province)s") % {"province": obj.name}

    def link(self, obj):
        return reverse("news_public_province", args=[obj.code]) if obj else reverse("news_public_list")

    def subtitle(self, obj):
        return _("Articles published by the KC centres and the ministry.")

    def items(self, obj):
        filters = selectors.PublicFilters(province=obj.code if obj else None)
        return selectors.published_list(filters)[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead or plain_text(item.body)[:400]

    def item_link(self, item):
        return reverse("news_public_article", args=[item.province_code, item.slug])

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.published_on, datetime.time(7, 0)))

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.byline or None

    def item_categories(self, item):
        return [item.get_category_display()]
