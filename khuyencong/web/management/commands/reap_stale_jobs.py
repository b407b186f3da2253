"""Mark failed the background jobs a dead worker left running (for cron, and run by `send_reminders`):
`manage.py reap_stale_jobs`. A job counts as left behind after KC_JOB_STALE_MINUTES without progress."""

from django.core.management.base import BaseCommand

from khuyencong.registry.imports import reap_stale_imports
from khuyencong.reporting.tasks import reap_stale_exports

# Each module's reaper of the jobs it runs in the background (core.jobs.reap_stale).
REAPERS = {
    "imports": reap_stale_imports,  # establishment spreadsheets being checked or written
    "exports": reap_stale_exports,  # the ministry's report exports
}


def reap_stale_jobs() -> dict[str, int]:
    return {name: reaper() for name, reaper in REAPERS.items()}


class Command(BaseCommand):
    help = "Mark failed the background jobs (imports, exports) left running by a worker that stopped."

    def handle(self, *args, **options):
        reaped = reap_stale_jobs()
        self.stdout.write(", ".join(f"{count} {name}" for name, count in reaped.items()) + " marked failed")
