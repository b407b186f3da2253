"""`make bench`: measures server time and query counts of the pages and APIs that exist, on a dedicated database.

SQLite by default (var/bench.sqlite3, rebuilt each run); with DATABASE_URL set, that database is used instead.
Writes bench/results/<date>-<db>.json and .md. Targets (issue "national scale"): list p95 ≤ 50 ms, ≤ 12 queries.
"""

import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("KC_PLAIN_STATIC", "1")
if "DATABASE_URL" not in os.environ:
    bench_db = ROOT / "var" / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{bench_db}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{bench_db}"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
REPEAT = 30
TARGET_P95_MS = 50
TARGET_QUERIES = 12

CASES = [
    ("home page", "/"),
    ("organisations page", "/organisations/"),
    ("organisations API", "/api/v1/organisations?limit=50"),
    ("units page (current communes)", "/units/?scheme=current&level=commune"),
    ("units API: current communes", "/api/v1/geo/units?scheme=current&level=commune&limit=100"),
    ("units API: legacy communes", "/api/v1/geo/units?scheme=legacy&level=commune&limit=100"),
    ("units API: search 'ha noi'", "/api/v1/geo/units?scheme=current&q=ha%20noi"),
    ("establishments page", "/establishments/"),
    ("establishments page: search 'banh trang'", "/establishments/?q=banh+trang"),
    ("establishments API: search 'banh trang'", "/api/v1/establishments?q=banh%20trang&limit=50"),
    ("establishments API: eligible households", "/api/v1/establishments?entity_type=household&eligible=true&limit=50"),
    ("resolve legacy address",
     "/api/v1/geo/resolve?province=Long%20An&district=TP%20T%C3%A2n%20An&commune=Ph%C6%B0%E1%BB%9Dng%201"),
]


def measure(client: Client, url: str) -> dict:
    times = []
    queries = 0
    status = None
    for i in range(REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
        if i == 0:
            queries = len(ctx.captured_queries)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return {"url": url, "status": status, "median_ms": round(statistics.median(times), 2), "p95_ms": round(p95, 2),
            "queries": queries, "meets_target": status == 200 and p95 <= TARGET_P95_MS and queries <= TARGET_QUERIES}


def import_benchmark() -> dict:
    """Validates and imports a generated spreadsheet (a quarter of it with pre-2025 addresses), twice: the second
    run must change nothing. Target: ≥ 5,000 rows/s."""
    import tempfile

    from bench.import_file import build
    from khuyencong.registry.importer import Importer, read_sheet

    rows = int(os.environ.get("KC_BENCH_IMPORT_ROWS", "100000"))
    with tempfile.TemporaryDirectory() as tmp:
        path = build(Path(tmp) / "import.xlsx", rows)
        started = time.perf_counter()
        importer = Importer(actor=None)
        report = importer.validate(read_sheet(path))
        importer.commit(report, good_rows=True)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = Importer(actor=None)
        report2 = again.validate(read_sheet(path))
        again.commit(report2, good_rows=True)
        second = time.perf_counter() - started
    rate = rows / first
    return {
        f"import {rows} rows (first time)": {"url": "Importer.validate + commit", "status": 200,
                                             "median_ms": round(first * 1000), "p95_ms": round(first * 1000),
                                             "queries": None, "rows_per_s": round(rate),
                                             "created": report.created, "rows_with_errors": len(report.bad_rows),
                                             "meets_target": rate >= 5000},
        f"re-import {rows} rows (nothing changes)": {"url": "Importer.validate + commit", "status": 200,
                                                     "median_ms": round(second * 1000),
                                                     "p95_ms": round(second * 1000), "queries": None,
                                                     "rows_per_s": round(rows / second),
                                                     "changed": report2.created + report2.updated,
                                                     "meets_target": report2.created + report2.updated == 0},
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_admin_units", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    from khuyencong.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="ttkc.laichau"))
    from khuyencong.registry.models import Establishment

    establishment = Establishment.objects.filter(province__code=12).first()
    cases = [*CASES, ("establishment detail", f"/establishments/{establishment.pk}/")]
    results = {name: measure(client, url) for name, url in cases}
    results.update(import_benchmark())
    engine = connection.vendor
    stamp = datetime.date.today().isoformat()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stamp}-{engine}.json").write_text(json.dumps({"date": stamp, "database": engine, "repeat": REPEAT,
                                                            "results": results}, indent=2, ensure_ascii=False))
    lines = [f"# Benchmarks {stamp} on {engine} ({REPEAT} runs each, server time through Django's test client)", "",
             f"Targets: p95 ≤ {TARGET_P95_MS} ms and ≤ {TARGET_QUERIES} queries per request; "
             "import ≥ 5,000 rows/s.", "",
             "| case | status | median ms | p95 ms | queries | target |", "|---|---|---|---|---|---|"]
    for name, r in results.items():
        extra = f" ({r['rows_per_s']} rows/s)" if "rows_per_s" in r else ""
        lines.append(f"| {name}{extra} | {r['status']} | {r['median_ms']} | {r['p95_ms']} | "
                     f"{r['queries'] if r['queries'] is not None else '—'} | "
                     f"{'met' if r['meets_target'] else 'MISSED'} |")
    table = "\n".join(lines) + "\n"
    (out / f"{stamp}-{engine}.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
