"""The national deployment of docs/deployment.md on one machine, exercised: PostgreSQL (already running; a fresh
database is created here and dropped at the end), two gunicorn app servers on two ports, two `db_worker` task workers.

It loads the reference data and a generated dataset (`seed_demo --scale`), drives both app servers with wrk at the
same time, enqueues a batch of background imports and exports that the two workers share, then checks that every
task ran exactly once (one worker id per task, one "done" audit event per job), that both workers took tasks and
that no request failed. Everything it started is stopped, and its database dropped, on exit or Ctrl-C.

    scripts/deploy_local.sh            # or: .venv/bin/python scripts/deploy_local.py
    scripts/deploy_local.sh --replica  # the same on a primary and a streaming replica of its own, with Redis

With --replica (scripts/deploy_replica.py): a PostgreSQL 15 primary and a streaming replica made from it with
`pg_basebackup -R` run as two clusters under /tmp on ports from 5440, and a Redis server on a free port; the app
servers get DATABASE_REPLICA_URL and REDIS_URL (shared cache, sessions). Beside the checks above it checks that the
replica streams, that the dashboards under load read the replica (pg_stat_statements on the replica), and that a
browser that has just written reads the primary (read-your-writes).
Knobs: KC_DEPLOY_PG (default postgres://postgres@127.0.0.1:5432; not used with --replica), KC_DEPLOY_SCALE (0.01),
KC_DEPLOY_IMPORTS (6), KC_DEPLOY_IMPORT_ROWS (2000), KC_DEPLOY_EXPORTS (4), KC_DEPLOY_LOAD_SECONDS (15).
"""

import atexit
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("KC_DEPLOY_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DB = f"kc_deploy_{os.getpid()}"
URL = f"{PG}/{DB}"
REPLICA = "--replica" in sys.argv[1:]
PY = sys.executable
STARTED: list[subprocess.Popen] = []
LOGS = ROOT / "var" / "deploy_local"


def say(text: str) -> None:
    print(f"[deploy_local] {text}", flush=True)


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def cleanup() -> None:
    for process in reversed(STARTED):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in reversed(STARTED):
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    STARTED.clear()
    try:
        from django.db import connections

        connections.close_all()
    except Exception:
        pass
    if REPLICA:
        from scripts import deploy_replica

        deploy_replica.stop_all(say)
        return
    try:
        admin(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        say(f"database {DB} dropped")
    except Exception as exc:
        say(f"could not drop {DB}: {exc}")


def on_signal(signum, frame):
    cleanup()
    sys.exit(128 + signum)


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=os.environ, check=True, stdout=subprocess.DEVNULL)


def start(name: str, cmd: list[str]) -> subprocess.Popen:
    log = open(LOGS / f"{name}.log", "w")  # noqa: SIM115 — kept open for the process's life
    process = subprocess.Popen(cmd, cwd=ROOT, env=os.environ, stdout=log, stderr=subprocess.STDOUT)
    STARTED.append(process)
    return process


def main() -> int:
    global PG, URL
    LOGS.mkdir(parents=True, exist_ok=True)
    atexit.register(cleanup)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    replica_env = {}
    if REPLICA:
        from scripts import deploy_replica

        PG, replica_env = deploy_replica.start_all(DB, LOGS, say)
        URL = f"{PG}/{DB}"
    admin(f'CREATE DATABASE "{DB}"')
    if REPLICA:
        deploy_replica.prepare(DB)
    say(f"database {DB} created")
    os.environ.update({"DATABASE_URL": URL, "DJANGO_SETTINGS_MODULE": "config.settings", "KC_PLAIN_STATIC": "1",
                       "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"})
    scale = os.environ.get("KC_DEPLOY_SCALE", "0.01")
    started = time.monotonic()
    manage("migrate", "--noinput")
    manage("load_admin_units")
    manage("load_rules")
    manage("seed_demo", "--scale", scale)
    say(f"migrated and seeded (scale {scale}) in {time.monotonic() - started:.0f} s")
    os.environ.update(replica_env)  # the app servers and workers: the replica and Redis

    import django

    django.setup()
    from bench import load

    ports = [load.free_port(), load.free_port()]
    for i, port in enumerate(ports, start=1):
        STARTED.append(load.start_gunicorn(port, log=LOGS / f"app{i}.log"))  # returns once it answers
    workers = [start(f"worker{i}", [PY, "manage.py", "db_worker", "--worker-id", f"worker-{i}", "--interval", "0.5",
                                    "--no-reload"]) for i in (1, 2)]
    say(f"app servers on 127.0.0.1:{ports[0]} and :{ports[1]}, workers {[w.pid for w in workers]}")

    from django.db import connection

    cookie, token = load.credentials()
    connection.close()
    seconds = int(os.environ.get("KC_DEPLOY_LOAD_SECONDS", "15"))
    results: dict[int, dict] = {}

    pages = load.PAGES + (deploy_replica.REPORT_PAGES if REPLICA else [])
    before = deploy_replica.replica_calls(DB) if REPLICA else 0

    def drive(port: int) -> None:
        load.wrk(port, cookie, token, 5, pages=pages)  # warm-up
        results[port] = load.wrk(port, cookie, token, seconds, connections=6, pages=pages)

    threads = [threading.Thread(target=drive, args=(port,)) for port in ports]
    for t in threads:
        t.start()
    jobs = enqueue_batch()
    for t in threads:
        t.join()
    for port, r in results.items():
        say(f"load on :{port}: {r['requests']} requests, {r['rps']:.0f} req/s, p50 {r['p50_ms']:.0f} ms, "
            f"p95 {r['p95_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms, non-2xx {r['non_2xx']}, "
            f"socket errors {r['socket_errors']}")
    problems = wait_and_check(jobs)
    problems += [f"load on :{p}: {r['non_2xx']} non-2xx, {r['socket_errors']} socket errors"
                 for p, r in results.items() if r["non_2xx"] or r["socket_errors"]]
    problems += [f"load on :{p}: no request answered" for p, r in results.items() if not r["requests"]]
    if REPLICA:
        problems += deploy_replica.check(DB, ports, cookie, before, say)
    if problems:
        for p in problems:
            say(f"FAILED: {p}")
        return 1
    say("OK: every request answered 2xx, every task ran exactly once, both workers took tasks"
        + ("; the dashboards read the replica, a writer read the primary" if REPLICA else ""))
    return 0


def enqueue_batch() -> dict:
    """Imports (validated, then confirmed) and national exports, through the services as the users would."""
    import tempfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from bench.import_file import build
    from khuyencong.accounts.models import User
    from khuyencong.core.periods import Period
    from khuyencong.geo.models import AdminUnit
    from khuyencong.registry import imports
    from khuyencong.reporting import services as reporting
    from khuyencong.reporting.models import ExportJob

    n_imports = int(os.environ.get("KC_DEPLOY_IMPORTS", "6"))
    rows = int(os.environ.get("KC_DEPLOY_IMPORT_ROWS", "2000"))
    n_exports = int(os.environ.get("KC_DEPLOY_EXPORTS", "4"))
    centre = User.objects.get(username="ttkc.tayninh")
    ministry = User.objects.get(username="cuc.dck")
    province = AdminUnit.objects.current().provinces().get(code=80)
    import_ids, export_ids = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n_imports):
            path = build(Path(tmp) / f"import-{i}.xlsx", rows, province_code=80, seed=100 + i, first=1 + i * rows)
            upload = SimpleUploadedFile(f"danh-sach-{i}.xlsx", path.read_bytes())
            import_ids.append(imports.import_start(actor=centre, uploaded_file=upload, province=province,
                                                   good_rows=True).pk)
    kinds = [ExportJob.Kind.COMPLETENESS, ExportJob.Kind.FIGURES]
    for i in range(n_exports):
        period = Period.parse(f"{2025 + i % 2}")
        export_ids.append(reporting.export_start(actor=ministry, kind=kinds[i % 2], period=period).pk)
    say(f"enqueued {n_imports} imports of {rows} rows and {n_exports} national exports")
    return {"imports": import_ids, "exports": export_ids, "centre": centre}


def wait_and_check(jobs: dict, timeout: float = 600) -> list[str]:
    from django_tasks_db.models import DBTaskResult

    from khuyencong.core.models import AuditEvent
    from khuyencong.registry import imports
    from khuyencong.registry.models import ImportJob
    from khuyencong.reporting.models import ExportJob

    deadline = time.monotonic() + timeout
    confirmed: set[int] = set()
    while time.monotonic() < deadline:
        for job in ImportJob.objects.filter(pk__in=jobs["imports"], status=ImportJob.Status.VALIDATED):
            if job.pk not in confirmed:
                imports.import_confirm(actor=jobs["centre"], job=job, choices={}, good_rows=True)
                confirmed.add(job.pk)
        pending = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
        imports_left = ImportJob.objects.filter(pk__in=jobs["imports"]).exclude(
            status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED]).count()
        exports_left = ExportJob.objects.filter(pk__in=jobs["exports"]).exclude(
            status__in=[ExportJob.Status.DONE, ExportJob.Status.FAILED]).count()
        if not pending and not imports_left and not exports_left:
            break
        time.sleep(1)
    problems = []
    tasks = list(DBTaskResult.objects.all())
    expected = 2 * len(jobs["imports"]) + len(jobs["exports"])
    if len(tasks) != expected:
        problems.append(f"{len(tasks)} tasks enqueued, {expected} expected")
    by_worker: dict[str, int] = {}
    for t in tasks:
        if t.status != "SUCCESSFUL":
            problems.append(f"task {t.task_path} {t.id} ended {t.status}")
        if len(t.worker_ids) != 1:
            problems.append(f"task {t.task_path} {t.id} ran on {t.worker_ids}")
        for w in t.worker_ids:
            by_worker[w] = by_worker.get(w, 0) + 1
    say(f"tasks per worker: {by_worker}")
    if len(by_worker) < 2:
        problems.append(f"only {len(by_worker)} worker took tasks")
    done_actions = {"registry.importjob": "establishment_import.done", "reporting.exportjob": "report_export.done"}
    for model, ids in ((ImportJob, jobs["imports"]), (ExportJob, jobs["exports"])):
        action = done_actions[model._meta.label_lower]
        for pk in ids:
            status = model.objects.get(pk=pk).status
            count = AuditEvent.objects.filter(action=action, object_id=str(pk),
                                              content_type__model=model._meta.model_name).count()
            if status != "done" or count != 1:
                problems.append(f"{model.__name__} {pk}: status {status}, '{action}' recorded {count} times")
    created = sum((ImportJob.objects.get(pk=pk).result or {}).get("created", 0) for pk in jobs["imports"])
    say(f"{len(jobs['imports'])} imports done ({created:,} establishments created), "
        f"{len(jobs['exports'])} exports done")
    return problems


if __name__ == "__main__":
    sys.exit(main())
