"""Backups that restore: one archive holding a consistent copy of the database, the uploaded files and a manifest.

- SQLite is copied through SQLite's online backup API (`sqlite3.Connection.backup`), which reads one consistent
  state of the database while the app goes on writing; copying the file itself while it is written can give a
  corrupt copy. The copy is checked (`PRAGMA integrity_check`) before it is archived.
- PostgreSQL is dumped by `pg_dump --format=custom` under a snapshot exported from a repeatable-read transaction,
  and the manifest's row counts are read in that same transaction, so they describe exactly what was dumped.
  It is restored by `pg_restore --clean --if-exists --no-owner` in one transaction.
- The uploaded files (MEDIA_ROOT) go in under `media/`, when files are stored on this machine's disk.
- `manifest.json`: when, which database engine, the Django migrations applied, the row count of every table and the
  SHA-256 of every other file of the archive.

A restore first checks every checksum and the engine, refuses to overwrite a database holding data unless told so,
restores the database and the files, then compares each table's row count with the manifest.
`manage.py backup` and `manage.py restore` call `create_backup` and `restore_backup`; docs/deployment.md says how to
run them.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.utils import load_backend
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "khuyencong-backup/1"
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINES = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
ARCHIVE_PREFIX = "kc-backup-"
# Rows `migrate` itself writes into an empty database: a database holding only these holds no data of its own.
MIGRATE_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the person running the command."""


@dataclass
class Backup:
    path: Path
    manifest: dict


@dataclass
class RestoreReport:
    """What a restore did and what it found: the row counts that differ from the manifest (table, expected, found),
    the migrations the code has that the restored database lacks, and where the files it replaced were moved."""

    manifest: dict
    tables: int = 0
    mismatches: list[tuple[str, int | None, int]] = field(default_factory=list)
    pending_migrations: list[str] = field(default_factory=list)
    unknown_migrations: list[str] = field(default_factory=list)
    media_files: int = 0
    previous_media: Path | None = None
    media_skipped: bool = False

    @property
    def ok(self) -> bool:
        return not self.mismatches


# --- the database, whichever engine ---------------------------------------------------------------------------------


def engine_of(database: dict) -> str:
    engine = ENGINES.get(database["ENGINE"])
    if engine is None:
        raise BackupError(_("Backups support SQLite and PostgreSQL; this database uses %(engine)s.") % {
            "engine": database["ENGINE"]})
    return engine


def _in_memory(database: dict) -> bool:
    name = str(database["NAME"])
    return name == ":memory:" or "mode=memory" in name


def _sqlite_connect(database: dict, alias: str | None):
    """A DB-API connection to an SQLite database: its own connection to a file, or (for an in-memory database,
    which only lives inside this process) Django's connection. The second value says whether to close it."""
    if _in_memory(database):
        if alias is None:
            raise BackupError(_("An in-memory database can only be backed up from inside its own process."))
        connections[alias].ensure_connection()
        return connections[alias].connection, False
    return sqlite3.connect(str(database["NAME"]), timeout=30), True


def _wrapper(database: dict, alias: str | None):
    """A Django connection to `database`, separate from the one the caller may be using in a transaction."""
    if alias is not None and database is connections[alias].settings_dict:
        return connections.create_connection(alias)
    return load_backend(database["ENGINE"]).DatabaseWrapper(database, alias or "kc_backup")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(conn) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
    return [row[0] for row in rows]


def _counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # names from the catalogue, quoted
        counts[table] = cursor.fetchone()[0]
    return counts


def _migrations(cursor, tables) -> dict[str, list[str]]:
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    state: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        state.setdefault(app, []).append(name)
    return state


def table_counts(database: dict, alias: str | None = None) -> dict[str, int]:
    """The row count of every table of the database (its own schema for PostgreSQL)."""
    if engine_of(database) == "sqlite":
        if not _in_memory(database) and not Path(database["NAME"]).exists():
            return {}
        conn, own = _sqlite_connect(database, alias)
        try:
            cursor = conn.cursor()
            return _counts(cursor, _sqlite_tables(conn))
        finally:
            if own:
                conn.close()
    wrapper = _wrapper(database, alias)
    try:
        with wrapper.cursor() as cursor:
            return _counts(cursor, sorted(wrapper.introspection.table_names(cursor)))
    finally:
        wrapper.close()


def database_has_data(database: dict, alias: str | None = None) -> bool:
    """Whether the database holds rows beyond those `migrate` writes into an empty one."""
    return any(count for table, count in table_counts(database, alias).items() if table not in MIGRATE_TABLES)


def _pg_env(database: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        if database.get(key):
            env[var] = str(database[key])
    options = database.get("OPTIONS") or {}
    for key, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                     ("sslkey", "PGSSLKEY")):
        if options.get(key):
            env[var] = str(options[key])
    return env


def _pg_program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(_("The PostgreSQL program “%(name)s” was not found on the PATH. Install the PostgreSQL "
                            "client of the server's version (Debian: apt install postgresql-client) or add its "
                            "folder to PATH.") % {"name": name})
    return path


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(_("%(program)s failed: %(error)s") % {
            "program": Path(command[0]).name, "error": (done.stderr or done.stdout).strip()[-2000:]})


def _snapshot_sqlite(database: dict, alias: str | None, target: Path) -> dict:
    """Copies the database into `target` in one step of the online backup API (one consistent state, writers go
    on), checks the copy and reads the manifest's facts from the copy itself."""
    source, own = _sqlite_connect(database, alias)
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)
    finally:
        if own:
            source.close()
    try:
        # The copy keeps the source's journal mode; a single self-contained file is what an archive wants.
        copy.execute("PRAGMA journal_mode=DELETE")
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(_("The copy of the database failed its integrity check: %(result)s") % {
                "result": result})
        tables = _sqlite_tables(copy)
        cursor = copy.cursor()
        return {"tables": _counts(cursor, tables), "migrations": _migrations(cursor, tables)}
    finally:
        copy.close()


def _snapshot_postgresql(database: dict, alias: str | None, target: Path) -> dict:
    """Dumps the database with pg_dump under the snapshot of a repeatable-read transaction in which the row
    counts and the migration state are read: the dump and the manifest describe the same instant."""
    pg_dump = _pg_program("pg_dump")
    wrapper = _wrapper(database, alias)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = sorted(wrapper.introspection.table_names(cursor))
            facts = {"tables": _counts(cursor, tables), "migrations": _migrations(cursor, tables)}
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}", "--no-password",
                  str(database["NAME"])], _pg_env(database))
            cursor.execute("COMMIT")
    finally:
        wrapper.close()
    return facts


def _restore_sqlite(database: dict, alias: str | None, source_file: Path) -> None:
    """Writes the archived database into the configured one through the backup API: other connections see the
    restored state at once, and the target's file and journal mode stay as they are."""
    source = sqlite3.connect(str(source_file))
    if alias is not None:
        connections[alias].close()
    if not _in_memory(database):
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    target, own = _sqlite_connect(database, alias)
    try:
        source.backup(target)
    finally:
        source.close()
        if own:
            target.close()


def _restore_postgresql(database: dict, alias: str | None, dump: Path) -> None:
    pg_restore = _pg_program("pg_restore")
    if alias is not None:
        connections[alias].close()
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
          "--no-password", f"--dbname={database['NAME']}", str(dump)], _pg_env(database))


# --- files and checksums --------------------------------------------------------------------------------------------


class _Hashing(io.RawIOBase):
    """A file read through once: what tarfile copies into the archive is exactly what the checksum covers."""

    def __init__(self, raw):
        self.raw, self.sha = raw, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        self.sha.update(data)
        buffer[:len(data)] = data
        return len(data)


def sha256_of(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def _media_root(media_root) -> Path | None:
    """The folder of uploaded files, or None when they are kept elsewhere (object storage backs them up itself)."""
    if media_root is not None:
        return Path(media_root)
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend != "django.core.files.storage.FileSystemStorage":
        return None
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path | None) -> list[Path]:
    if root is None or not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with open(path, "rb") as handle:
        reader = _Hashing(handle)
        tar.addfile(info, io.BufferedReader(reader, CHUNK))
    return {"sha256": reader.sha.hexdigest(), "size": info.size}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o644
    tar.addfile(info, io.BytesIO(data))


# --- backup ---------------------------------------------------------------------------------------------------------


def create_backup(*, output_dir=None, alias: str = "default", database: dict | None = None, media_root=None,
                  keep: int | None = None, now: datetime.datetime | None = None) -> Backup:
    """Writes `kc-backup-<date>-<time>.tar` into `output_dir` (KC_BACKUP_DIR by default): the database copy, the
    uploaded files and the manifest. The archive appears under its name only once complete. `keep` then deletes
    all but the `keep` newest archives of that folder. `database` (a DATABASES entry) replaces the alias's."""
    database = database if database is not None else connections[alias].settings_dict
    engine = engine_of(database)
    output = Path(output_dir or settings.KC_BACKUP_DIR)
    output.mkdir(parents=True, exist_ok=True)
    now = now or timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    path = output / f"{ARCHIVE_PREFIX}{stamp}.tar"
    if path.exists():
        raise BackupError(_("An archive named %(name)s already exists.") % {"name": path.name})
    partial = output / f".{path.name}.partial"
    root = _media_root(media_root)
    with tempfile.TemporaryDirectory(dir=output, prefix=".kc-backup-") as work:
        db_file = Path(work) / DATABASE_FILES[engine]
        snapshot = _snapshot_sqlite if engine == "sqlite" else _snapshot_postgresql
        facts = snapshot(database, alias if database is connections[alias].settings_dict else None, db_file)
        files = {}
        try:
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
                files[db_file.name] = _add(tar, db_file.name, db_file)
                db_file.unlink()
                media = _media_files(root)
                for file in media:
                    name = f"{MEDIA_DIR}/{file.relative_to(root).as_posix()}"
                    files[name] = _add(tar, name, file)
                manifest = {
                    "format": FORMAT,
                    "created_at": timezone.localtime(now).isoformat(),
                    "engine": engine,
                    "database_file": db_file.name,
                    "django_version": django.get_version(),
                    "migrations": facts["migrations"],
                    "tables": facts["tables"],
                    "media": {"included": root is not None, "files": len(media)},
                    "files": files,
                }
                _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            # The archive holds every personal record of the site: readable by its owner only.
            partial.chmod(0o600)
            partial.rename(path)
        finally:
            partial.unlink(missing_ok=True)
    if keep is not None:
        prune(output, keep)
    return Backup(path=path, manifest=manifest)


def archives(folder: Path) -> list[Path]:
    """The backup archives of a folder, oldest first (their names carry the time)."""
    return sorted(path for path in Path(folder).glob(f"{ARCHIVE_PREFIX}*.tar") if path.is_file())


def prune(folder: Path, keep: int) -> list[Path]:
    """Deletes all but the `keep` newest archives; returns those deleted."""
    if keep < 1:
        raise BackupError(_("Keep at least one archive."))
    old = archives(folder)[:-keep]
    for path in old:
        path.unlink()
    return old


# --- restore --------------------------------------------------------------------------------------------------------


def _open_archive(archive: Path, work: Path) -> Path:
    """The folder holding the archive's files: the archive itself when it is a folder, else its extracted copy.
    Only plain files and folders inside the archive are extracted (tarfile's "data" filter)."""
    if archive.is_dir():
        return archive
    if not archive.is_file():
        raise BackupError(_("The archive %(path)s does not exist.") % {"path": archive})
    try:
        with tarfile.open(archive, "r") as tar:
            tar.extractall(work, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(_("The archive %(path)s cannot be read: %(error)s") % {
            "path": archive, "error": exc}) from exc
    return work


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(_("The archive has no readable manifest (%(error)s).") % {"error": exc}) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("The archive was not written by this application's backup command."))
    return manifest


def verify(folder: Path, manifest: dict) -> None:
    """Refuses the archive unless every file the manifest lists is there with its SHA-256 and nothing else is."""
    listed = manifest.get("files") or {}
    present = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()} - {MANIFEST}
    problems = []
    for name, facts in sorted(listed.items()):
        path = folder / name
        if name not in present:
            problems.append(_("%(name)s is missing") % {"name": name})
        elif sha256_of(path) != facts.get("sha256"):
            problems.append(_("%(name)s does not match its checksum") % {"name": name})
    problems += [_("%(name)s is not in the manifest") % {"name": name} for name in sorted(present - set(listed))]
    if manifest.get("database_file") not in listed:
        problems.append(_("the database copy is not listed"))
    if problems:
        raise BackupError(_("The archive is damaged or was changed, nothing was restored: %(problems)s.") % {
            "problems": "; ".join(problems[:20])})


def _restore_media(folder: Path, root: Path, stamp: str) -> tuple[int, Path | None]:
    """Makes MEDIA_ROOT the archive's files: they are staged beside it and swapped in; the files that were there are
    kept beside it under a dated name, nothing is deleted."""
    source = folder / MEDIA_DIR
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}-restore-"))
    count = 0
    if source.is_dir():
        shutil.copytree(source, staging, dirs_exist_ok=True)
        count = sum(1 for path in staging.rglob("*") if path.is_file())
    previous = None
    if root.exists() and any(root.iterdir()):
        previous = root.with_name(f"{root.name}.before-restore-{stamp}")
        root.rename(previous)
    elif root.exists():
        root.rmdir()
    staging.rename(root)
    return count, previous


def _migration_report(database: dict, alias: str | None) -> tuple[list[str], list[str]]:
    """The code's migrations missing from the restored database, and the database's migrations the code lacks.
    The applied ones are read with plain SQL: the restored database need not be one of the site's aliases."""
    if engine_of(database) == "sqlite":
        conn, own = _sqlite_connect(database, alias)
        try:
            applied_state = _migrations(conn.cursor(), _sqlite_tables(conn))
        finally:
            if own:
                conn.close()
    else:
        wrapper = _wrapper(database, alias)
        try:
            with wrapper.cursor() as cursor:
                applied_state = _migrations(cursor, wrapper.introspection.table_names(cursor))
        finally:
            wrapper.close()
    applied = {(app, name) for app, names in applied_state.items() for name in names}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key, migration in loader.replacements.items():
        if all(target in applied for target in migration.replaces):
            applied.add(key)
    pending = sorted(f"{app}.{name}" for app, name in set(loader.graph.nodes) - applied)
    unknown = sorted(f"{app}.{name}" for app, name in applied - set(loader.disk_migrations))
    return pending, unknown


def restore_backup(*, archive, alias: str = "default", database: dict | None = None, media_root=None,
                   confirm: bool = False) -> RestoreReport:
    """Restores an archive of `create_backup` (a .tar or its extracted folder) into the configured database and
    MEDIA_ROOT, after checking its checksums and engine; refuses to overwrite a database holding data unless
    `confirm`. Then compares each table's row count with the manifest (see `RestoreReport`)."""
    archive = Path(archive)
    own_alias = database is None
    database = database if database is not None else connections[alias].settings_dict
    used_alias = alias if own_alias else None
    engine = engine_of(database)
    root = _media_root(media_root)
    # An archive is extracted beside itself (the disk that holds backups has room for one more).
    beside = archive.parent if os.access(archive.parent, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix=".kc-restore-", dir=beside) as work:
        folder = _open_archive(archive, Path(work))
        manifest = read_manifest(folder)
        verify(folder, manifest)
        if manifest.get("engine") != engine:
            raise BackupError(_("The archive holds a %(archived)s database and this site uses %(current)s: restore "
                                "it on a site of the same engine (nothing was restored).") % {
                "archived": ENGINE_NAMES.get(manifest.get("engine"), manifest.get("engine")),
                "current": ENGINE_NAMES[engine]})
        if not confirm and database_has_data(database, used_alias):
            raise BackupError(_("The database already holds data, which the restore would replace. Run the command "
                                "again with --yes to replace it (nothing was restored)."))
        db_file = folder / manifest["database_file"]
        if engine == "sqlite":
            _restore_sqlite(database, used_alias, db_file)
        else:
            _restore_postgresql(database, used_alias, db_file)
        report = RestoreReport(manifest=manifest)
        if manifest.get("media", {}).get("included"):
            if root is None:
                report.media_skipped = True
            else:
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
                report.media_files, report.previous_media = _restore_media(folder, root, stamp)
    found = table_counts(database, used_alias)
    expected = manifest.get("tables") or {}
    report.tables = len(expected)
    report.mismatches = [(table, count, found.get(table, 0)) for table, count in sorted(expected.items())
                         if found.get(table) != count]
    report.pending_migrations, report.unknown_migrations = _migration_report(database, used_alias)
    return report
