"""Nightly: runs the double-support checks on every project between submission and settlement and records the new
findings (the guards of the money steps only read; this is where findings are written)."""

from django.core.management.base import BaseCommand

from khuyencong.projects.models import Project, ProjectStatus
from khuyencong.settlement.services import record_findings

WATCHED = (ProjectStatus.SUBMITTED, ProjectStatus.BASE_APPRAISED, ProjectStatus.REGISTERED,
           ProjectStatus.MINISTRY_APPRAISED, ProjectStatus.COUNCIL_APPRAISED, ProjectStatus.APPROVED,
           ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS, ProjectStatus.ACCEPTED,
           ProjectStatus.SETTLEMENT_SUBMITTED)


class Command(BaseCommand):
    help = "Runs the double-support checks on open projects and records the new findings."

    def handle(self, *args, **options):
        created = 0
        for project in Project.objects.filter(status__in=WATCHED).select_related("plan").iterator(chunk_size=500):
            created += len(record_findings(project=project, stage="nightly"))
        self.stdout.write(f"{created} new finding(s).")
