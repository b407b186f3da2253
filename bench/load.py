"""HTTP under load: the app under gunicorn (2 workers) on 127.0.0.1 with PostgreSQL, driven by wrk with a mix of
logged-in pages (session cookie) and API calls (Bearer token). Skipped (and said so) on SQLite or without wrk.

Also used by scripts/deploy_local.py against two app servers.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK = shutil.which("wrk") or "/usr/bin/wrk"

PAGES = ["/", "/establishments/", "/establishments/?q=banh+trang", "/projects/", "/events/",
         "/network/collaborators/"]
APIS = ["/api/v1/establishments?limit=50", "/api/v1/establishments?q=banh%20trang&limit=50",
        "/api/v1/projects?limit=50", "/api/v1/events?limit=50", "/api/v1/collaborators?limit=50"]


def credentials(username: str = "ttkc.laichau") -> tuple[str, str]:
    """A session cookie and a fresh API token for the user (through the accounts service)."""
    from django.conf import settings
    from django.test import Client

    from khuyencong.accounts.models import User
    from khuyencong.accounts.services import api_token_create

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    _token, raw = api_token_create(actor=user, user=user, name="load test")
    return cookie, raw


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, env: dict | None = None, workers: int = 2, log: Path | None = None,
                   worker_class: str = "sync", threads: int = 1) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port; worker_class "gthread" with `threads` threads per worker, or "sync"."""
    cmd = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
           "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
           "--access-logfile", "-" if log else "/dev/null", "--log-level", "warning"]
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 — closed with the process
    process = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                                                   **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} exited with {process.returncode}")
        try:  # answered by a worker that has loaded the app (the workers import Django after the bind)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=30) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise RuntimeError(f"gunicorn on port {port} did not start")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wrk(port: int, cookie: str, token: str, seconds: int, connections: int = 8, threads: int = 2,
        pages: list[str] = PAGES, apis: list[str] = APIS) -> dict:
    paths = [{"path": p, "api": False} for p in pages] + [{"path": p, "api": True} for p in apis]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as config:
        entries = ", ".join(f'{{path = "{p["path"]}", api = {str(p["api"]).lower()}}}' for p in paths)
        config.write(f'return {{token = "{token}", cookie = "{cookie}", paths = {{{entries}}}}}\n')
    try:
        out = subprocess.run(
            [WRK, "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
             "-s", str(ROOT / "bench" / "load.lua"), f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, env={**os.environ, "KC_LOAD_CONFIG": config.name}, check=True,
        ).stdout
    finally:
        os.unlink(config.name)
    line = next(line for line in out.splitlines() if line.startswith("KCJSON "))
    return json.loads(line[len("KCJSON "):])


def run(engine: str) -> dict:
    """The load test once per worker model of KC_BENCH_LOAD_WORKER_CLASSES ("sync", "gthread" or both, comma-
    separated; default "sync"); gthread workers get KC_BENCH_LOAD_THREADS threads (4)."""
    seconds = int(os.environ.get("KC_BENCH_LOAD_SECONDS", "15"))
    classes = [c.strip() for c in os.environ.get("KC_BENCH_LOAD_WORKER_CLASSES", "sync").split(",") if c.strip()]
    threads = int(os.environ.get("KC_BENCH_LOAD_THREADS", "4"))
    names = {c: "HTTP under load (gunicorn 2 workers, wrk, pages + API)" if c == "sync" else
             f"HTTP under load (gunicorn 2 {c} workers × {threads} threads, wrk, pages + API)" for c in classes}
    skipped = ("skipped: needs DATABASE_URL on PostgreSQL" if engine != "postgresql" else
               "skipped: wrk is not installed (apt-get install wrk)" if not Path(WRK).exists() else None)
    if skipped:
        return {name: {"status": None, "median_ms": None, "p95_ms": None, "queries": None, "meets_target": None,
                       "target": "0 errors", "note": skipped} for name in names.values()}
    from django.db import connection

    cookie, token = credentials()
    connection.close()
    return {names[c]: _measure(c, threads if c == "gthread" else 1, cookie, token, seconds) for c in classes}


def _measure(worker_class: str, threads: int, cookie: str, token: str, seconds: int) -> dict:
    port = free_port()
    server = start_gunicorn(port, worker_class=worker_class, threads=threads)
    try:
        wrk(port, cookie, token, 5)  # warm-up: templates and caches of both workers
        result = wrk(port, cookie, token, seconds)
    finally:
        stop(server)
    errors = result["non_2xx"] + result["socket_errors"] + (0 if result["requests"] else 1)
    return {"url": f"{len(PAGES)} pages + {len(APIS)} APIs, 8 connections, {seconds} s",
            "status": 200 if not errors else "errors", "median_ms": result["p50_ms"],
            "p95_ms": result["p95_ms"], "queries": None, "p99_ms": result["p99_ms"],
            "ratio": f"{result['rps']:.0f} req/s, p99 {result['p99_ms']:.0f} ms, {errors} errors",
            "requests": result["requests"], "target": "0 errors", "meets_target": errors == 0}
