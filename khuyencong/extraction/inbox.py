"""What extraction puts in a user's work inbox (`web.inbox`): the articles read and waiting for the user's review,
in the provinces where the user reviews (and those the user pasted whose province was not recognised)."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import acting_province_ids
from khuyencong.core.inbox import GROUP_LIMIT, InboxGroup, InboxItem

from .models import ArticleExtraction, ExtractionStatus
from .permissions import STAFF, is_staff


def inbox_groups(user, today: datetime.date, *, watch: bool = False) -> list[InboxGroup]:
    if watch or not is_staff(user):
        return []
    provinces = acting_province_ids(user, STAFF)
    qs = ArticleExtraction.objects.filter(status=ExtractionStatus.PENDING).defer("text", "search_text", "record")
    if provinces is not None:
        qs = qs.filter(Q(province_id__in=provinces) | Q(province__isnull=True, created_by=user))
    qs = qs.select_related("province")
    group = InboxGroup("extraction_review", _("Articles waiting for your review"), total=qs.count(),
                       url=reverse("extraction_list") + "?status=pending")
    for x in qs.order_by("created_at", "pk")[:GROUP_LIMIT]:
        group.items.append(InboxItem(title=x.title or x.source_title or _("(no title)"),
                                     url=reverse("extraction_detail", args=[x.pk]),
                                     step=_("Accept or reject"), where=x.province.short_name if x.province_id else "",
                                     since=x.created_at.date()))
    return [group] if group.total else []
