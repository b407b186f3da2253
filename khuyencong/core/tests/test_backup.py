"""Backups taken while the site writes restore identically (core/backup.py, `manage.py backup` / `restore`).

On SQLite the test database lives in memory, so the live database here is a file copy of it that a thread keeps
writing to while the backup runs; on PostgreSQL it is the test database itself, dumped with pg_dump. Each archive is
restored into a fresh database and every table is compared row by row with the source as of the backup's snapshot.
"""

import hashlib
import json
import shutil
import sqlite3
import tarfile
import threading
import time
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.utils import load_backend

from khuyencong.accounts.models import User
from khuyencong.accounts.tests.factories import make_user
from khuyencong.core import backup
from khuyencong.core.backup import BackupError, create_backup, restore_backup

# The backup reads through its own connection (pg_dump on PostgreSQL): it sees committed rows only.
# These tests commit and empty their database (a backup reads what is committed): they run in the second pass of
# `make test`, beside the browser tests, so no test of the same worker finds the units gone.
pytestmark = pytest.mark.commits
committed = pytest.mark.django_db(transaction=True)

STRESS = ("kc_stress_order", "kc_stress_line")


def _require_pg_tools():
    missing = [name for name in ("pg_dump", "pg_restore") if shutil.which(name) is None]
    if missing:
        pytest.skip(f"PostgreSQL client programs not on PATH ({', '.join(missing)}): the PostgreSQL backup path "
                    "cannot run here")


def _wrapper(database: dict, alias: str):
    return load_backend(database["ENGINE"]).DatabaseWrapper(database, alias)


def _rows(cursor, table: str, where: str = "") -> list:
    cursor.execute(f'SELECT * FROM "{table}" {where}')
    return sorted(cursor.fetchall(), key=repr)


def _digest(rows: list) -> str:
    return hashlib.sha256(repr(rows).encode()).hexdigest()


class Writer(threading.Thread):
    """Writes an order and its line in one transaction, again and again, noting when each commit happened."""

    def __init__(self, connect, placeholder: str):
        super().__init__(daemon=True)
        self.connect, self.placeholder = connect, placeholder
        self.stop = threading.Event()
        self.commits: list[float] = []
        self.error: BaseException | None = None

    def run(self):
        try:
            conn = self.connect()
            p = self.placeholder
            n = 0
            while not self.stop.is_set():
                n += 1
                # One transaction: an order never exists without its line.
                cursor = conn.cursor()
                cursor.execute(f"INSERT INTO kc_stress_order (id, payload) VALUES ({p}, {p})",
                               (n, f"đơn {n} " + "x" * 500))
                cursor.execute(f"INSERT INTO kc_stress_line (id, order_id, total) VALUES ({p}, {p}, {p})",
                               (n, n, n * (n + 1) // 2))
                cursor.close()
                conn.commit()
                self.commits.append(time.monotonic())
            conn.close()
        except BaseException as exc:  # reported by the test
            self.error = exc

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 10
        while len(self.commits) < count:
            assert self.error is None, self.error
            assert time.monotonic() < deadline, "the writer did not commit"
            time.sleep(0.005)


def _seed_media(root):
    (root / "projects" / "reports").mkdir(parents=True)
    (root / "projects" / "reports" / "bao-cao.pdf").write_bytes(b"%PDF-1.7 " + bytes(range(256)) * 40)
    (root / "photos").mkdir()
    (root / "photos" / "ảnh.jpg").write_bytes(b"\xff\xd8\xff" + b"1" * 3000)


def _check_restored(*, source, restored, manifest, writer, started, finished):
    """Every table of the restored database equals the source's as of the snapshot: untouched tables entirely, the
    written tables up to the rows the snapshot held, which form a whole prefix of the writer's commits."""
    snap = manifest["tables"]["kc_stress_order"]
    assert manifest["tables"]["kc_stress_line"] == snap, "an order and its line were copied apart"
    assert 20 <= snap < len(writer.commits), "the backup did not run while the writer was writing"
    assert any(started <= moment <= finished for moment in writer.commits), "no write happened during the backup"
    with source.cursor() as src, restored.cursor() as dst:
        tables = sorted(restored.introspection.table_names(dst))
        assert set(tables) == set(manifest["tables"])
        assert any(manifest["tables"][t] for t in tables if not t.startswith("kc_stress")), "no real data copied"
        for table in tables:
            where = f"WHERE id <= {snap}" if table in STRESS else ""
            expected, got = _rows(src, table, where), _rows(dst, table)
            assert len(got) == manifest["tables"][table] == len(expected), table
            assert _digest(got) == _digest(expected), table
        assert sorted(row[0] for row in _rows(dst, "kc_stress_order")) == list(range(1, snap + 1))


def _check_media(manifest, restored_root):
    names = {name for name in manifest["files"] if name.startswith("media/")}
    assert names == {"media/projects/reports/bao-cao.pdf", "media/photos/ảnh.jpg"}
    for name in names:
        data = (restored_root / name.removeprefix("media/")).read_bytes()
        assert hashlib.sha256(data).hexdigest() == manifest["files"][name]["sha256"]


@committed
def test_backup_under_writes_restores_identically(tmp_path):
    make_user(role="ministry_officer", province_code=None)
    media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    _seed_media(media)
    if connection.vendor == "sqlite":
        live = tmp_path / "live.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(live)
        connection.connection.backup(copy)  # the migrated test schema and its rows, as a file
        copy.execute("PRAGMA journal_mode=WAL")
        copy.execute("CREATE TABLE kc_stress_order (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        copy.execute("CREATE TABLE kc_stress_line (id INTEGER PRIMARY KEY, order_id INTEGER, total INTEGER)")
        copy.commit()
        copy.close()
        database = {**connection.settings_dict, "NAME": str(live)}
        target = {**connection.settings_dict, "NAME": str(tmp_path / "fresh.sqlite3")}
        writer = Writer(lambda: sqlite3.connect(live, timeout=20, check_same_thread=False), "?")
        cleanup = []
    else:
        _require_pg_tools()
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE kc_stress_order (id integer PRIMARY KEY, payload text NOT NULL)")
            cursor.execute("CREATE TABLE kc_stress_line (id integer PRIMARY KEY, order_id integer, total bigint)")
        database = connection.settings_dict
        fresh = f"{database['NAME']}_restore_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{fresh}"')
        target = {**database, "NAME": fresh}
        pg = _wrapper(database, "kc_writer")
        writer = Writer(lambda: pg.get_new_connection(pg.get_connection_params()), "%s")
        cleanup = [fresh]
    source, restored = _wrapper(database, "kc_source"), _wrapper(target, "kc_restored")
    try:
        writer.start()
        writer.wait_for(20)
        started = time.monotonic()
        archive = create_backup(output_dir=tmp_path / "backups", database=database, media_root=media)
        finished = time.monotonic()
        writer.wait_for(len(writer.commits) + 20)
        writer.stop.set()
        writer.join(10)
        assert writer.error is None, writer.error

        report = restore_backup(archive=archive.path, database=target, media_root=restored_media)
        assert report.ok, report.mismatches
        assert not report.pending_migrations and not report.unknown_migrations
        _check_restored(source=source, restored=restored, manifest=archive.manifest, writer=writer,
                        started=started, finished=finished)
        _check_media(archive.manifest, restored_media)
        if connection.vendor == "sqlite":
            with sqlite3.connect(target["NAME"]) as check:
                assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        writer.stop.set()
        writer.join(10)
        source.close()
        restored.close()
        if cleanup:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS kc_stress_line, kc_stress_order")
                cursor.execute(f'DROP DATABASE IF EXISTS "{cleanup[0]}" WITH (FORCE)')


@committed
def test_restore_checks_the_archive_before_touching_anything(tmp_path):
    if connection.vendor == "postgresql":
        _require_pg_tools()
    make_user(role="ministry_officer", province_code=None)
    media = tmp_path / "media"
    _seed_media(media)
    archive = create_backup(output_dir=tmp_path, media_root=media).path
    folder = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    users = User.objects.count()

    (folder / "media" / "photos" / "ảnh.jpg").write_bytes(b"changed")
    with pytest.raises(BackupError, match=r"ảnh\.jpg"):
        restore_backup(archive=folder, media_root=tmp_path / "other", confirm=True)
    (folder / "media" / "photos" / "ảnh.jpg").unlink()
    (folder / "media" / "photos" / "extra.txt").write_bytes(b"?")
    with pytest.raises(BackupError, match=r"extra\.txt"):
        restore_backup(archive=folder, media_root=tmp_path / "other", confirm=True)
    shutil.rmtree(folder / "media" / "photos")
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["files"]["media/photos/ảnh.jpg"]
    manifest["engine"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="cùng loại cơ sở dữ liệu"):
        restore_backup(archive=folder, media_root=tmp_path / "other", confirm=True)
    assert User.objects.count() == users
    assert not (tmp_path / "other").exists()


@committed
def test_commands_back_up_and_restore_over_data_only_when_told(tmp_path, settings, capsys):
    if connection.vendor == "postgresql":
        _require_pg_tools()
    settings.MEDIA_ROOT = tmp_path / "media"
    _seed_media(settings.MEDIA_ROOT)
    kept = make_user(role="ministry_officer", province_code=None)
    call_command("backup", output=str(tmp_path / "out"))
    archive = backup.archives(tmp_path / "out")[-1]
    assert "kc-backup-" in capsys.readouterr().out
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["tables"][User._meta.db_table] == User.objects.count()
    assert "accounts" in manifest["migrations"] and manifest["media"] == {"included": True, "files": 2}

    later = make_user(role="ministry_officer", province_code=None)
    (settings.MEDIA_ROOT / "after.txt").write_text("uploaded after the backup")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    assert User.objects.filter(pk=later.pk).exists()

    call_command("restore", str(archive), yes=True)
    out = capsys.readouterr().out
    assert "Số dòng của tất cả" in out, out
    for alias in connections:
        connections[alias].close()
    assert User.objects.filter(pk=kept.pk).exists()
    assert not User.objects.filter(pk=later.pk).exists()
    assert (settings.MEDIA_ROOT / "photos" / "ảnh.jpg").exists()
    assert not (settings.MEDIA_ROOT / "after.txt").exists()
    moved = list(tmp_path.glob("media.before-restore-*"))
    assert len(moved) == 1 and (moved[0] / "after.txt").exists()


def test_missing_postgresql_programs_are_named(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(BackupError, match=r"pg_dump.*PATH"):
        backup._pg_program("pg_dump")


def test_keep_deletes_all_but_the_newest_archives(tmp_path):
    names = [f"kc-backup-202612{day:02d}-013000.tar" for day in (1, 2, 3, 4)]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "other.tar").write_bytes(b"")
    deleted = backup.prune(tmp_path, 2)
    assert [path.name for path in deleted] == names[:2]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*names[2:], "other.tar"])
    with pytest.raises(BackupError):
        backup.prune(tmp_path, 0)
