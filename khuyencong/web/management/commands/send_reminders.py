"""Send today's reminder digests now (for cron): `manage.py send_reminders [--date YYYY-MM-DD] [--enqueue]`."""

import datetime
import importlib

from django.core.management.base import BaseCommand, CommandError

from .reap_stale_jobs import reap_stale_jobs

# Each module's daily digest: a task taking the day as "YYYY-MM-DD" (or None for today), returning
# {"emails": …, "items": …}.
DIGESTS = [
    "khuyencong.web.inbox.send_inbox_digest_task",  # each user's work inbox, as the home page shows it
    "khuyencong.network.reminders.send_task_reminders_task",  # tasks due, to the collaborators who do not sign in
]


def _task(path: str):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


class Command(BaseCommand):
    help = "E-mail today's digests: each user's work inbox, and tasks due to the collaborators who do not sign in."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to compute the digests for (YYYY-MM-DD; default today)")
        parser.add_argument("--enqueue", action="store_true",
                            help="queue the tasks for the task worker instead of running them here")

    def handle(self, *args, date=None, enqueue=False, **options):
        if date:
            try:
                datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date: {date!r} is not a date (YYYY-MM-DD)") from exc
        reap_stale_jobs()  # the daily run also ends the jobs a stopped worker left running
        emails = items = 0
        for path in DIGESTS:
            if enqueue:
                self.stdout.write(f"queued {_task(path).enqueue(date).id}")
                continue
            sent = _task(path).call(date)
            emails, items = emails + sent["emails"], items + sent["items"]
        if not enqueue:
            self.stdout.write(f"{emails} e-mails, {items} items")
