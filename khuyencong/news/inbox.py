"""What news puts in a user's work inbox (`web.inbox`): the articles in review or approved whose next step the user
may take (a DoIT officer approves or returns; the centre publishes), read from the article lifecycle table with the
same role check as the page's buttons. Articles waiting are few (a province writes a handful a month), so the
candidates of the user's scope are read once and checked in memory (no query per article)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.core.inbox import GROUP_LIMIT, InboxGroup, InboxItem, allowed_labels

from . import selectors
from .flows import article_flow
from .models import ArticleStatus

STEP_ACTIONS = frozenset({"approve", "return", "publish"})
CANDIDATES = 500


def step_group(user, today: datetime.date) -> InboxGroup:
    qs = (selectors.staff_articles(user).filter(status__in=[ArticleStatus.REVIEW, ArticleStatus.APPROVED])
          .select_related("province").order_by("updated_at", "pk"))[:CANDIDATES]
    group = InboxGroup("news_step", _("News articles waiting for your step"), url=reverse("news_manage_list"))
    for article in qs:
        labels = allowed_labels(article_flow, article, user, STEP_ACTIONS)
        if not labels:
            continue
        group.total += 1
        if len(group.items) < GROUP_LIMIT:
            group.items.append(InboxItem(
                title=article.title, code=article.get_status_display(),
                where=article.province.short_name if article.province_id else _("National"),
                url=reverse("news_manage_detail", args=[article.pk]) + "#actions", step=" / ".join(labels),
                since=article.updated_at.date()))
    return group


def inbox_groups(user, today: datetime.date, *, watch: bool = False) -> list[InboxGroup]:
    return [] if watch else [step_group(user, today)]
