"""Background jobs the worker left behind. A job row (an import, an export) says "running" while the task worker
holds it and records its progress (`updated_at`). A worker that dies mid-task (killed for memory, restarted by a
deployment) never says so: its job would stay "running" for ever and its page would wait. `reap_stale` marks such a
job failed, with the reason, once it has shown no progress for KC_JOB_STALE_MINUTES; the worker's next task, the
daily `send_reminders` and `manage.py reap_stale_jobs` call it.

A model reaped here has `status`, `message`, `finished_at` and `updated_at` (touched by every save and progress).
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .audit import audit_record

logger = logging.getLogger(__name__)


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "KC_JOB_STALE_MINUTES", 30))


def reap_stale(model: type[models.Model], *, running: Iterable[str], failed: str, message: str, action: str,
               exclude: int | None = None, now: datetime.datetime | None = None) -> int:
    """Marks failed, with `message`, every job of `model` in one of the `running` states whose last progress is
    older than stale_after(); one audit event `action` each (no actor: the system acts). `exclude` is the job the
    calling task is about to run. Returns how many were reaped."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    running = list(running)
    stale = model.objects.filter(status__in=running, updated_at__lt=cutoff)
    if exclude is not None:
        stale = stale.exclude(pk=exclude)
    reaped = 0
    for job in stale.order_by("pk"):
        with transaction.atomic():
            # Only while it is still stale: a live worker may have moved it on since it was read.
            changed = model.objects.filter(pk=job.pk, status=job.status, updated_at__lt=cutoff).update(
                status=failed, message=message, finished_at=now, updated_at=now)
            if changed:
                audit_record(actor=None, action=action, obj=job,
                             changes={"status": [job.status, failed], "updated_at": [job.updated_at, now]})
                reaped += 1
                logger.warning("%s %s stopped without progress since %s: marked failed", model.__name__, job.pk,
                               job.updated_at.isoformat())
    return reaped
