"""Send today's reminder digests now (for cron): `manage.py send_reminders [--date YYYY-MM-DD] [--enqueue]`."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from khuyencong.projects.reminders import send_reminders_task


class Command(BaseCommand):
    help = "E-mail each responsible user the KC project deadlines due soon or late in their area."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to compute the digest for (YYYY-MM-DD; default today)")
        parser.add_argument("--enqueue", action="store_true",
                            help="queue the task for the task worker instead of running it here")

    def handle(self, *args, date=None, enqueue=False, **options):
        if date:
            try:
                datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date: {date!r} is not a date (YYYY-MM-DD)") from exc
        if enqueue:
            result = send_reminders_task.enqueue(date)
            self.stdout.write(f"queued {result.id}")
            return
        sent = send_reminders_task.call(date)
        self.stdout.write(f"{sent['emails']} e-mails, {sent['items']} items")
