"""The daily reminder digest: each responsible user gets one Vietnamese e-mail listing what is due soon or late in
their area — monthly progress reports, acceptance, settlement dossiers and liquidation, the other steps waiting for
their role, and adjustment requests waiting for their decision.

Who is responsible is what the flow says: the roles of the transition out of the project's state (the same rule as
the “to do” list), the centre's staff for the progress reports, and the roles `AUTHORITY_ROLES` gives for the
authority an adjustment was routed to — each only in the provinces where the user holds the role.

`send_reminders_task` runs on the task backend (`manage.py db_worker`); `manage.py send_reminders` runs it at once
(for cron).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMessage
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from khuyencong.accounts.scope import acting_province_ids
from khuyencong.core.audit import audit_record

from .models import CLOSED_STATUSES, AdjustmentRequest, AdjustmentStatus, Project, ProjectStatus
from .permissions import ADJUSTABLE_STATUSES, AUTHORITY_ROLES
from .selectors import report_condition, scoped_projects, step_condition

# A deadline this many days away (or fewer) is “due soon”.
NOTICE_DAYS = 7


class ItemKind:
    REPORT = "report"
    ACCEPTANCE = "acceptance"
    SETTLEMENT = "settlement"
    STEP = "step"
    ADJUSTMENT = "adjustment"


KIND_ORDER = [ItemKind.REPORT, ItemKind.ACCEPTANCE, ItemKind.SETTLEMENT, ItemKind.STEP, ItemKind.ADJUSTMENT]


@dataclass
class Item:
    kind: str
    project: Project
    due: datetime.date | None
    late: bool
    what: str
    url: str


def _url(path: str) -> str:
    return f"{settings.KC_SITE_URL}{path}"


def _step_kind(project: Project) -> str:
    if project.status == ProjectStatus.IN_PROGRESS:
        return ItemKind.ACCEPTANCE
    if project.status in (ProjectStatus.ACCEPTED, ProjectStatus.SETTLEMENT_SUBMITTED):
        return ItemKind.SETTLEMENT
    return ItemKind.STEP


def _adjustment_condition(user) -> Q:
    """Pending adjustment requests routed to an authority whose decision the user records, in the user's provinces."""
    condition = Q(pk__in=[])
    for authority, authority_roles in AUTHORITY_ROLES.items():
        provinces = acting_province_ids(user, authority_roles)
        if provinces is None:
            condition |= Q(authority=authority)
        elif provinces:
            condition |= Q(authority=authority, project__province_id__in=provinces)
    return condition


def digest_for(user, today: datetime.date | None = None) -> list[Item]:
    """What the user must see to, soonest first: three queries."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=NOTICE_DAYS)
    projects = scoped_projects(user).select_related("plan", "province")
    items: list[Item] = []
    steps = projects.filter(step_condition(user, side_exits=False), due_date__lte=soon).exclude(
        status__in=CLOSED_STATUSES)
    for project in steps.order_by("due_date", "code"):
        items.append(Item(
            kind=_step_kind(project), project=project, due=project.due_date, late=project.due_date < today,
            what=project.due_label or project.get_status_display(),
            url=_url(reverse("project_detail", args=[project.pk])),
        ))
    for project in projects.filter(report_condition(user, soon)).order_by("report_due_date", "code"):
        items.append(Item(
            kind=ItemKind.REPORT, project=project, due=project.report_due_date,
            late=project.report_due_date < today, what=_("Monthly progress report"),
            url=_url(reverse("project_monitoring", args=[project.pk]) + "#reports"),
        ))
    adjustments = AdjustmentRequest.objects.filter(
        _adjustment_condition(user), status=AdjustmentStatus.PENDING, project__in=projects.values("pk"),
        project__status__in=ADJUSTABLE_STATUSES,
    ).select_related("project", "project__plan", "project__province").order_by("requested_on", "id")
    for request in adjustments:
        items.append(Item(
            kind=ItemKind.ADJUSTMENT, project=request.project, due=None, late=False,
            what=_("Adjustment requested on %(date)s: %(summary)s (decided by %(authority)s)") % {
                "date": request.requested_on.strftime("%d/%m/%Y"), "summary": request.summary,
                "authority": request.authority_label},
            url=_url(reverse("project_monitoring", args=[request.project_id]) + "#adjustments"),
        ))
    items.sort(key=lambda item: (KIND_ORDER.index(item.kind), item.due or datetime.date.max, item.project.code))
    return items


def _groups(items: list[Item]) -> list[dict]:
    titles = {
        ItemKind.REPORT: _("Monthly progress reports"),
        ItemKind.ACCEPTANCE: _("Acceptance (nghiệm thu)"),
        ItemKind.SETTLEMENT: _("Settlement dossiers and liquidation"),
        ItemKind.STEP: _("Other steps waiting for you"),
        ItemKind.ADJUSTMENT: _("Adjustment requests waiting for a decision"),
    }
    return [{"title": titles[kind], "items": [i for i in items if i.kind == kind]}
            for kind in KIND_ORDER if any(i.kind == kind for i in items)]


def message_for(user, items: list[Item], today: datetime.date) -> EmailMessage:
    late = sum(1 for item in items if item.late)
    subject = ngettext("[KC] %(count)s thing to see to on %(date)s", "[KC] %(count)s things to see to on %(date)s",
                       len(items)) % {"count": len(items), "date": today.strftime("%d/%m/%Y")}
    if late:
        subject += " " + ngettext("(%(late)s late)", "(%(late)s late)", late) % {"late": late}
    body = render_to_string("projects/email/reminders.txt", {
        "user": user, "groups": _groups(items), "today": today, "late": late, "count": len(items),
        "todo_url": _url(reverse("project_todo")), "board_url": _url(reverse("project_board")),
        "notice_days": NOTICE_DAYS,
    })
    return EmailMessage(subject=subject, body=body, to=[user.email])


def send_all(today: datetime.date | None = None) -> dict:
    """One digest to every active user with an e-mail address who has something due soon or late; nothing to the
    others. Returns {"emails": …, "items": …}."""
    today = today or timezone.localdate()
    messages, item_count = [], 0
    with translation.override(settings.LANGUAGE_CODE):
        users = get_user_model().objects.filter(is_active=True).exclude(email="").order_by("pk")
        for user in users.iterator():
            items = digest_for(user, today)
            if not items:
                continue
            messages.append(message_for(user, items, today))
            item_count += len(items)
    if messages:
        mail.mailers.default.send_messages(messages)
        audit_record(actor=None, action="projects.reminders_sent",
                     changes={"date": today.isoformat(), "emails": len(messages), "items": item_count})
    return {"emails": len(messages), "items": item_count}


@task()
def send_reminders_task(on_date: str | None = None) -> dict:
    """The daily digest (a task: enqueue it, or let `manage.py send_reminders` run it at once)."""
    return send_all(datetime.date.fromisoformat(on_date) if on_date else None)
