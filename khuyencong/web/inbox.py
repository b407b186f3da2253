"""The work inbox: what waits for one user today, collected from every module's `inbox.py`, for the home page and
the daily e-mail (both read `inbox_for`, so they list the same items).

A user who takes actions sees the steps the flows offer them now and the deadlines they answer for; a user who only
watches (a viewer) sees the deadlines near or past in their area, and is told that they have nothing to do there.
The number of queries does not depend on the amount of data: each group is a count and one page of rows.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import user_scope
from khuyencong.awards import inbox as awards_inbox
from khuyencong.clusters import inbox as clusters_inbox
from khuyencong.consulting import inbox as consulting_inbox
from khuyencong.core.audit import audit_record
from khuyencong.core.inbox import SOON_DAYS, InboxGroup, due_words, since_words
from khuyencong.events import inbox as events_inbox
from khuyencong.extraction import inbox as extraction_inbox
from khuyencong.network import inbox as network_inbox
from khuyencong.news import inbox as news_inbox
from khuyencong.projects import inbox as projects_inbox
from khuyencong.reporting import inbox as reporting_inbox
from khuyencong.settlement import inbox as settlement_inbox

# Every module's source, in the order of the page: each gives `inbox_groups(user, today, watch=…)`.
SOURCES = (projects_inbox, reporting_inbox, events_inbox, network_inbox, clusters_inbox, awards_inbox, consulting_inbox,
           settlement_inbox, extraction_inbox, news_inbox)
WATCH_ONLY_ROLES = {Role.VIEWER}


@dataclass
class Inbox:
    groups: list[InboxGroup] = field(default_factory=list)
    watch: bool = False  # the user takes no action: the groups are deadlines to watch
    roles: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def late(self) -> int:
        return sum(1 for group in self.groups for item in group.items if item.late)


def watches_only(user) -> bool:
    scope = user_scope(user)
    return not user.is_superuser and bool(scope.roles) and scope.roles <= WATCH_ONLY_ROLES


def inbox_for(user, today: datetime.date | None = None) -> Inbox:
    """The user's inbox today: only the groups holding something, each with the words a page or an e-mail shows."""
    today = today or timezone.localdate()
    scope = user_scope(user)
    watch = watches_only(user)
    inbox = Inbox(watch=watch, roles=[str(Role(role).label) for role in sorted(scope.roles)])
    if not scope.roles:
        return inbox
    for source in SOURCES:
        for group in source.inbox_groups(user, today, watch=watch):
            if group.total:
                for item in group.items:
                    item.since_words = since_words(item.since, today)
                    item.due_words = due_words(item.due, today)
                    item.soon = item.due is not None and (item.due - today).days <= SOON_DAYS
                inbox.groups.append(group)
    return inbox


# --- the daily e-mail -------------------------------------------------------------------------------------------------


def _url(path: str) -> str:
    return path if path.startswith("http") else f"{settings.KC_SITE_URL}{path}"


def message_for(user, inbox: Inbox, today: datetime.date) -> EmailMessage:
    subject = ngettext("[KC] %(count)s thing waiting for you on %(date)s",
                       "[KC] %(count)s things waiting for you on %(date)s", inbox.total) % {
        "count": inbox.total, "date": today.strftime("%d/%m/%Y")}
    if inbox.late:
        subject += " " + ngettext("(%(late)s late)", "(%(late)s late)", inbox.late) % {"late": inbox.late}
    body = render_to_string("web/email/inbox.txt", {
        "user": user, "inbox": inbox, "today": today, "home_url": _url(reverse("home")), "site_url": _url(""),
    })
    return EmailMessage(subject=subject, body=body, to=[user.email])


def send_all(today: datetime.date | None = None) -> dict:
    """One e-mail to every active user with an address whose inbox holds an action (not to those who only watch, nor
    on a day when nothing waits). Returns {"emails": …, "items": …}."""
    today = today or timezone.localdate()
    messages, item_count = [], 0
    with translation.override(settings.LANGUAGE_CODE):
        users = get_user_model().objects.filter(is_active=True).exclude(email="").order_by("pk")
        for user in users.iterator():
            inbox = inbox_for(user, today)
            if inbox.watch or not inbox.total:
                continue
            messages.append(message_for(user, inbox, today))
            item_count += inbox.total
    if messages:
        mail.mailers.default.send_messages(messages)
        audit_record(actor=None, action="web.inbox_digest_sent",
                     changes={"date": today.isoformat(), "emails": len(messages), "items": item_count})
    return {"emails": len(messages), "items": item_count}


@task()
def send_inbox_digest_task(on_date: str | None = None) -> dict:
    """The daily inbox e-mail (a task: enqueue it, or let `manage.py send_reminders` run it at once)."""
    return send_all(datetime.date.fromisoformat(on_date) if on_date else None)
