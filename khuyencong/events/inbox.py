"""What the events module puts in a user's work inbox (`web.inbox`), read from the event lifecycle table: the events
whose state offers the user a step forward (approve, mark as held, mark as reported, settle), in the provinces where
the user holds the step's role. Cancelling is a way out, not work waiting. An event is marked as held from the day
it ends (the `has_ended` guard, read in the query). A role held nationally answers for the national events (those of
no province); each province's events wait for that province's people.

For a user who watches: the events of the next weeks and those held but not yet reported.
"""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import acting_province_ids, user_scope
from khuyencong.core.inbox import GROUP_LIMIT, InboxGroup, InboxItem, actionable_q, allowed_labels

from .flows import event_flow
from .models import Event, EventStatus

STEP_ACTIONS = frozenset({"approve", "hold", "report", "settle"})
WATCH_DAYS = 14


def _item(event: Event, step: str, today: datetime.date) -> InboxItem:
    # Held events wait from their last day; a planned one from its creation, a reported one from its last change.
    since = {EventStatus.PLANNED: event.created_at.date(), EventStatus.REPORTED: event.updated_at.date()}.get(
        event.status, event.end_date)
    return InboxItem(title=event.title, code=event.get_kind_display(),
                     where=event.province.short_name if event.province_id else _("National"),
                     url=reverse("event_detail", args=[event.pk]) + "#actions", step=step, since=since,
                     due=event.start_date if event.status == EventStatus.PLANNED else None,
                     late=event.status == EventStatus.PLANNED and event.start_date < today)


def step_group(user, today: datetime.date) -> InboxGroup:
    condition = actionable_q(event_flow, lambda roles: acting_province_ids(user, roles), STEP_ACTIONS,
                             extra={"hold": Q(end_date__lte=today)}, national_only=Q(province__isnull=True))
    qs = user_scope(user).filter(Event.objects.filter(condition), province="province_id").select_related("province")
    group = InboxGroup("event_step", _("Events waiting for your step"), total=qs.count(), url=reverse("event_list"))
    for event in qs.order_by("start_date", "pk")[:GROUP_LIMIT]:
        labels = allowed_labels(event_flow, event, user, STEP_ACTIONS)
        if labels:
            group.items.append(_item(event, " / ".join(labels), today))
    return group


def watch_group(user, today: datetime.date) -> InboxGroup:
    soon = today + datetime.timedelta(days=WATCH_DAYS)
    qs = user_scope(user).filter(
        Event.objects.filter(Q(status__in=[EventStatus.PLANNED, EventStatus.APPROVED], start_date__lte=soon,
                               end_date__gte=today) | Q(status=EventStatus.DONE)),
        province="province_id").select_related("province")
    group = InboxGroup("event_watch", _("Events coming up or not yet reported"), total=qs.count(),
                       url=reverse("event_list"), watch=True)
    for event in qs.order_by("start_date", "pk")[:GROUP_LIMIT]:
        group.items.append(_item(event, event.get_status_display(), today))
    return group


def inbox_groups(user, today: datetime.date, *, watch: bool = False) -> list[InboxGroup]:
    return [watch_group(user, today)] if watch else [step_group(user, today)]
