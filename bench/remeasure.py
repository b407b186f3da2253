"""Re-measure some cases of `make bench` on the database of the last run, as it is (KC_BENCH_REUSE=1: nothing is
dropped or generated), and print them as rows of the results table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_bench KC_BENCH_REPEAT=10 \\
        .venv/bin/python -m bench.remeasure annual dashboards search

Groups: `annual` (the annual national report to xlsx), `dashboards` (national and province, with their raw-SQL
floor), `search` (the national searches and the establishments API lists), `lists` (every list page and API list,
and the detail pages, at the database's present size). The JSON goes to
bench/results/remeasure-<date>-<db>.json.
"""

import datetime
import json
import os
import sys

os.environ["KC_BENCH_REUSE"] = "1"

from django.db import connection

from bench import __main__ as bench


def main(groups: list[str]) -> None:
    users = bench.clients()
    results: dict = {}
    if "annual" in groups:
        results.update(bench.annual_report_benchmark())
    if "dashboards" in groups:
        results.update(bench.dashboard_benchmarks(users))
    if "search" in groups:
        cases = [*bench.SEARCHES, *[c for c in bench.LISTS if c[0].startswith("establishments API")]]
        for name, url, who in cases:
            results[name] = {**bench.measure(users[who], url), "case": name, "scale": 1.0}
    if "lists" in groups:
        for name, url, who in [*bench.LISTS, *bench.details(users)]:
            results[name] = {**bench.measure(users[who], url), "case": name, "scale": 1.0}
    stamp = datetime.date.today().isoformat()
    out = bench.ROOT / "bench" / "results" / f"remeasure-{stamp}-{connection.vendor}.json"
    out.write_text(json.dumps({"date": stamp, "database": connection.vendor, "repeat": bench.REPEAT,
                               "results": results}, indent=2, ensure_ascii=False, default=str))
    for name, r in results.items():
        rows = r.get("sizes", {}).get("establishments", "")
        print(f"| {r.get('case', name)} — re-measured {stamp} | {r.get('scale', '')} | {rows} | {r['status']} | "
              f"{bench._fmt(r['median_ms'])} | {bench._fmt(r['p95_ms'])} | {bench._fmt(r['queries'])} | "
              f"{r.get('ratio', '')} | {r['target']} | {bench._verdict(r['meets_target'])} |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["annual", "dashboards", "search", "lists"])
