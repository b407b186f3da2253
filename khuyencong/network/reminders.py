"""Task reminders for the collaborators who do not sign in: each active collaborator without an account of their
own (or whose account has no address) with an open task due within `NOTICE_DAYS` days, or late, gets one Vietnamese
e-mail listing those tasks (at the collaborator's address, else their account's). A collaborator who signs in reads
the same tasks in the work inbox of the home page, and gets them in the inbox's daily e-mail (`web.inbox`), not
twice.

`send_task_reminders_task` runs on the task backend; `manage.py send_reminders` runs it with the other daily digests.
"""

import datetime
from itertools import groupby

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from khuyencong.core.audit import audit_record

from .models import CollaboratorStatus, CollaboratorTask, TaskStatus

NOTICE_DAYS = 3


def due_tasks(today: datetime.date):
    """Open tasks of active collaborators without an account that receives the inbox e-mail, due by today +
    NOTICE_DAYS, by collaborator then deadline (one query)."""
    return (CollaboratorTask.objects
            .filter(status=TaskStatus.OPEN, due_date__lte=today + datetime.timedelta(days=NOTICE_DAYS),
                    collaborator__status=CollaboratorStatus.ACTIVE)
            .exclude(Q(collaborator__user__is_active=True) & ~Q(collaborator__user__email=""))
            .select_related("collaborator__user", "commune", "establishment")
            .order_by("collaborator_id", "due_date", "id"))


def message_for(collaborator, tasks: list[CollaboratorTask], today: datetime.date) -> EmailMessage | None:
    address = collaborator.email or (collaborator.user.email if collaborator.user_id else "")
    if not address:
        return None
    late = sum(1 for t in tasks if t.due_date < today)
    subject = ngettext("[KC] %(count)s task due", "[KC] %(count)s tasks due", len(tasks)) % {"count": len(tasks)}
    if late:
        subject += " " + ngettext("(%(late)s late)", "(%(late)s late)", late) % {"late": late}
    lines = [_("Dear %(name)s,") % {"name": collaborator.full_name}, "",
             _("Your KC tasks due by %(date)s:") % {
                 "date": (today + datetime.timedelta(days=NOTICE_DAYS)).strftime("%d/%m/%Y")}, ""]
    for t in tasks:
        where = ", ".join(str(x) for x in (t.commune.name if t.commune_id else "",
                                           t.establishment.name if t.establishment_id else "") if x)
        state = pgettext("deadline", "LATE") if t.due_date < today else pgettext("deadline", "due")
        lines.append(f"- {t.title} — {state} {t.due_date:%d/%m/%Y}" + (f" ({where})" if where else ""))
    lines += ["", _("Record what you did on your page: %(url)s") % {
        "url": f"{settings.KC_SITE_URL}{reverse('network_home')}"}]
    return EmailMessage(subject=subject, body="\n".join(lines), to=[address])


def send_all(today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    messages, items = [], 0
    with translation.override(settings.LANGUAGE_CODE):
        for _collaborator_id, group in groupby(due_tasks(today), key=lambda t: t.collaborator_id):
            tasks = list(group)
            message = message_for(tasks[0].collaborator, tasks, today)
            if message:
                messages.append(message)
                items += len(tasks)
    if messages:
        mail.mailers.default.send_messages(messages)
        audit_record(actor=None, action="network.task_reminders_sent",
                     changes={"date": today.isoformat(), "emails": len(messages), "items": items})
    return {"emails": len(messages), "items": items}


@task()
def send_task_reminders_task(on_date: str | None = None) -> dict:
    return send_all(datetime.date.fromisoformat(on_date) if on_date else None)
