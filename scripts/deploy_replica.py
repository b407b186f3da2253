"""The replica shape of scripts/deploy_local.py (`--replica`): a PostgreSQL primary and a streaming replica of it,
each a cluster of its own under /tmp, and a Redis server, all on this machine and all stopped at the end.

The machine's own PostgreSQL is not used: its pg_hba.conf allows no replication connection, and a replica of it
would copy every other database on it. The clusters are made with the PostgreSQL 15 binaries (KC_DEPLOY_PG_BIN,
default /usr/lib/postgresql/15/bin), run as the `postgres` user when this runs as root, on the first free ports from
5440 (KC_DEPLOY_PG_PORT). Both load pg_stat_statements, so the replica itself says which statements it ran.
"""

import http.cookiejar
import os
import shutil
import socket
import subprocess
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

PG_BIN = Path(os.environ.get("KC_DEPLOY_PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
# Report reads driven under load beside load.PAGES (ttkc.laichau: the province's dashboard, this year and 2025).
REPORT_PAGES = ["/reporting/", "/reporting/?period=2025"]
STATE: dict = {}


def _free_port(start: int) -> int:
    for port in range(start, start + 100):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port from {start}")


def _as_postgres(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


def _pg_ctl(data: Path, *args: str) -> None:
    _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-t", "120", *args])


def start_all(db: str, logs: Path, say) -> tuple[str, dict]:
    """Primary, replica and Redis started; returns the primary's server URL and the environment of the app."""
    base = Path(tempfile.mkdtemp(prefix="kc-deploy-replica-"))
    STATE["base"] = base
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    primary, replica = base / "primary", base / "replica"
    port = _free_port(int(os.environ.get("KC_DEPLOY_PG_PORT", "5440")))
    replica_port = _free_port(port + 1)
    _as_postgres([str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8"])
    with open(primary / "postgresql.conf", "a") as conf:  # copied into the replica by pg_basebackup
        conf.write(f"\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{base}'\n"
                   "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n"
                   "shared_preload_libraries = 'pg_stat_statements'\nmax_connections = 100\n")
    _pg_ctl(primary, "-l", str(base / "primary.log"), "-o", f"-p {port}", "start")
    STATE["clusters"] = [primary]
    _as_postgres([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                  "-D", str(replica), "-R", "-X", "stream", "--checkpoint=fast"])
    _pg_ctl(replica, "-l", str(base / "replica.log"), "-o", f"-p {replica_port}", "start")
    STATE["clusters"].append(replica)
    say(f"PostgreSQL primary on :{port}, streaming replica on :{replica_port} (pg_basebackup -R), under {base}")

    redis_port = _free_port(6390)
    log = open(logs / "redis.log", "w")  # noqa: SIM115 — kept open for the process's life
    STATE["redis"] = subprocess.Popen([REDIS, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                                       "--appendonly", "no"], stdout=log, stderr=subprocess.STDOUT)
    say(f"Redis on :{redis_port}")
    server = f"postgres://postgres@127.0.0.1:{port}"
    STATE["primary"], STATE["replica"] = server, f"postgres://postgres@127.0.0.1:{replica_port}"
    # read-your-writes for a minute rather than 10 s: on a loaded machine the check's own requests take seconds
    return server, {"DATABASE_REPLICA_URL": f"{STATE['replica']}/{db}",
                    "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "KC_READ_YOUR_WRITES_SECONDS": "60"}


def stop_all(say) -> None:
    if (redis := STATE.pop("redis", None)) and redis.poll() is None:
        redis.terminate()
        redis.wait(timeout=20)
    for data in reversed(STATE.pop("clusters", [])):
        try:
            _pg_ctl(data, "-m", "fast", "stop")
        except subprocess.CalledProcessError as exc:
            say(f"could not stop the cluster {data}: {exc.stderr}")
    if base := STATE.pop("base", None):
        shutil.rmtree(base, ignore_errors=True)
        say(f"primary, replica and Redis stopped, {base} removed")


def _query(server: str, db: str, sql: str):
    import psycopg

    with psycopg.connect(f"{server}/{db}", autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


def prepare(db: str) -> None:
    """On the primary (replayed on the replica): the statement counter's views."""
    _query(STATE["primary"], db, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")


CALLS = ("SELECT coalesce(sum(s.calls), 0)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
         "WHERE d.datname = current_database() AND s.query NOT ILIKE '%pg_stat_statements%'")


def replica_calls(db: str) -> int:
    """Statements the replica has run on the database (the app's reads; the checker's own are left out)."""
    return _query(STATE["replica"], db, CALLS)[0][0]


def _session(cookie: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    name, value = cookie.split("=", 1)
    jar.set_cookie(http.cookiejar.Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
                                         None, True, None, None, {}))
    opener.kc_jar = jar
    return opener


def _csrf(opener) -> str:
    return next(c.value for c in opener.kc_jar if c.name == "csrftoken")


def check(db: str, ports: list[int], cookie: str, before: int, say) -> list[str]:
    """The replica streams, took the dashboards' reads under load, and a browser that has just written reads the
    primary while another reads the replica."""
    problems = []
    streaming = _query(STATE["primary"], "postgres", "SELECT state FROM pg_stat_replication")
    in_recovery = _query(STATE["replica"], db, "SELECT pg_is_in_recovery()")[0][0]
    if [row[0] for row in streaming] != ["streaming"] or not in_recovery:
        problems.append(f"replica not streaming: {streaming}, in recovery {in_recovery}")
    snapshot = _query(STATE["replica"], db, "SELECT pg_current_snapshot()::text, "
                      "pg_current_xact_id_if_assigned() IS NULL")[0]
    say(f"the replica names its snapshot as the primary does (reporting/aggregate_cache): {snapshot[0]}, "
        f"read-only {snapshot[1]}")
    under_load = replica_calls(db) - before
    say(f"statements run on the replica under load: {under_load:,}")
    if under_load < 100:
        problems.append(f"the replica ran {under_load} statements under load")

    reader, writer = _session(cookie), _session(cookie)
    dashboard = "/reporting/?period=2025"
    for opener, port in ((reader, ports[0]), (writer, ports[1])):
        opener.open(f"http://127.0.0.1:{port}/", timeout=30).read()  # the CSRF cookie
    start = replica_calls(db)
    reader.open(f"http://127.0.0.1:{ports[0]}{dashboard}", timeout=60).read()
    read_by_reader = replica_calls(db) - start
    body = urllib.parse.urlencode({"language": "vi", "next": "/"}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{ports[1]}/i18n/setlang/", data=body,
                                     headers={"X-CSRFToken": _csrf(writer)})
    writer.open(request, timeout=30).read()  # a write (the language preference): any successful POST
    start = replica_calls(db)
    writer.open(f"http://127.0.0.1:{ports[0]}{dashboard}", timeout=60).read()  # the other app server
    read_by_writer = replica_calls(db) - start
    say(f"a dashboard: {read_by_reader} statements on the replica for a reader, {read_by_writer} for a browser "
        f"that has just written")
    if read_by_reader == 0:
        problems.append("a reader's dashboard did not read the replica")
    if read_by_writer != 0:
        problems.append(f"a writer's dashboard ran {read_by_writer} statements on the replica (read-your-writes)")
    return problems
