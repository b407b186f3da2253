"""`manage.py restore ARCHIVE [--yes]`: checks an archive of `manage.py backup` and restores it."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from khuyencong.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = ("Restores a backup archive (a .tar or its extracted folder): checks its checksums, restores the database "
            "and the uploaded files, then compares every table's row count with the archive's manifest.")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true",
                            help="Replace a database that already holds data.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, archive, yes, database, **options):
        try:
            report = restore_backup(archive=archive, alias=database, confirm=yes)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        taken = datetime.datetime.fromisoformat(report.manifest["created_at"])
        self.stdout.write(_("Restored the backup of %(date)s.") % {"date": f"{taken:%H:%M %d/%m/%Y}"})
        if report.media_skipped:
            self.stdout.write(_("The archive's uploaded files were not restored: this site keeps its files in object "
                                "storage. Copy them from the archive's media folder if they are needed."))
        elif report.manifest["media"]["included"]:
            self.stdout.write(_("%(count)s uploaded files restored.") % {"count": report.media_files})
        if report.previous_media:
            self.stdout.write(_("The uploaded files that were there are kept in %(path)s.") % {
                "path": report.previous_media})
        if report.unknown_migrations:
            self.stdout.write(_("The archive comes from a newer version of the application (migrations this code "
                                "does not have: %(names)s); install that version before using the site.") % {
                "names": ", ".join(report.unknown_migrations)})
        if report.pending_migrations:
            self.stdout.write(_("The archive comes from an older version: run “manage.py migrate” to bring it up to "
                                "date (%(count)s migrations).") % {"count": len(report.pending_migrations)})
        if not report.ok:
            for table, expected, found in report.mismatches:
                self.stderr.write(_("Table %(table)s: %(expected)s rows in the archive, %(found)s after the "
                                    "restore.") % {"table": table, "expected": expected, "found": found})
            raise CommandError(_("%(count)s of %(total)s tables do not have the row count of the archive.") % {
                "count": len(report.mismatches), "total": report.tables})
        self.stdout.write(_("Row counts match the archive for all %(count)s tables.") % {"count": report.tables})
