"""`manage.py backup [--output DIR] [--keep N]`: one archive of the database, the uploaded files and a manifest."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from khuyencong.core.backup import ENGINE_NAMES, BackupError, create_backup


class Command(BaseCommand):
    help = ("Writes a consistent backup archive (database, uploaded files, manifest with row counts and checksums) "
            "while the site keeps running.")

    def add_arguments(self, parser):
        parser.add_argument("--output", default=None, help="Folder of the archives (default: KC_BACKUP_DIR).")
        parser.add_argument("--keep", type=int, default=None,
                            help="Then delete all but the N newest archives of that folder.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, output, keep, database, **options):
        try:
            backup = create_backup(output_dir=output, alias=database, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.manifest
        self.stdout.write(_("Backup written: %(path)s") % {"path": backup.path})
        self.stdout.write(_("%(engine)s database: %(tables)s tables, %(rows)s rows; %(files)s uploaded files.") % {
            "engine": ENGINE_NAMES[manifest["engine"]], "tables": len(manifest["tables"]),
            "rows": sum(manifest["tables"].values()), "files": manifest["media"]["files"]})
        if not manifest["media"]["included"]:
            self.stdout.write(_("Uploaded files are in object storage and are not in the archive: back them up with "
                                "the storage's own versioning or replication."))
