"""The collaborator's offline field app on a slow phone network: time to "ready" (the working set shown on screen)
on the first visit and on a repeat visit with the service worker installed, and the bytes of our own code in the
app shell (issue 23: ready in under 2 s on slow 3G, the shell under 200 KB of our own code).

The app runs under gunicorn (bench/load.py) on the bench database; a demo collaborator (`ctv.laichau`) is signed
in through a session cookie; Debian's Chromium, driven by Playwright, loads /network/field/app/ on a phone viewport
with the network throttled through the DevTools protocol (Network.emulateNetworkConditions, on the page and on the
service worker, whose fetches the page's throttling does not cover).

Profiles. Chrome DevTools' "Slow 3G" preset is 400 kbit/s down and up (500 kbit/s × 0.8) with 400 ms RTT; DevTools
applies that RTT as 2,000 ms of latency per request (× 5, its request-latency factor). The target
profile measured here is the issue's: 400 kbit/s down and up and 400 ms latency per request. The DevTools preset
(2,000 ms per request) is measured as well, for information: a page that asks the network anything is not ready
under 2 s there.

The static files are served as the bench serves them (KC_PLAIN_STATIC: found, not compressed) while production's
WhiteNoise sends them gzipped: the script and the stylesheet weigh here about three times what a phone downloads.
The page and the working set are gzipped by the app itself.

"ready" is the performance mark "kc-field-shown" that field-app.js sets when the working set (the establishments,
tasks and announcements) is on screen, read from the page's own clock (time since the navigation started).

Standalone: `DATABASE_URL=sqlite:////tmp/x.sqlite3 .venv/bin/python -m bench.field_app` on a database made by
`migrate`, `load_admin_units`, `load_rules` and `seed_demo`.
"""

import gzip
import json
import os
import re
import shutil
import statistics
import time
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("KC_CHROMIUM", "/usr/bin/chromium")
RUNS = int(os.environ.get("KC_BENCH_FIELD_RUNS", "3"))
USERNAME = "ctv.laichau"
APP_URL = "/network/field/app/"
TARGET_MS = 2000
TARGET_BYTES = 200 * 1024
KBIT = 1000 / 8  # bytes per second in one kbit/s
PROFILES = {
    "slow 3G (400 kbit/s, 400 ms)": {"offline": False, "latency": 400, "downloadThroughput": 400 * KBIT,
                                     "uploadThroughput": 400 * KBIT},
    "DevTools Slow 3G preset (400 kbit/s, 2,000 ms per request)": {
        "offline": False, "latency": 2000, "downloadThroughput": 400 * KBIT, "uploadThroughput": 400 * KBIT},
}
TARGET_PROFILE = "slow 3G (400 kbit/s, 400 ms)"
READY = "#kc-field-app[data-shown]"
READY_MS_JS = "performance.getEntriesByName('kc-field-shown')[0].startTime"
TRANSFERRED_JS = """performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
    .reduce((sum, e) => sum + (e.transferSize || 0), 0)"""


def _row(url, status, times, target, met, note) -> dict:
    return {"url": url, "status": status, "median_ms": round(statistics.median(times)) if times else None,
            "p95_ms": round(max(times)) if times else None, "queries": None, "target": target,
            "meets_target": met, "note": note}


def _skipped(reason: str) -> dict:
    return {"offline field app: ready on slow 3G": _row(APP_URL, None, [], f"ready ≤ {TARGET_MS} ms", None,
                                                         f"skipped: {reason}")}


def session_cookie(username: str = USERNAME) -> tuple[str, str]:
    """The session cookie (name, value) of the demo collaborator, signed in without the form (no second step)."""
    from django.conf import settings
    from django.test import Client

    from khuyencong.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


def working_set_size(username: str = USERNAME) -> int:
    from khuyencong.accounts.models import User
    from khuyencong.network import selectors

    data = selectors.working_set(User.objects.get(username=username))
    return len(data["establishments"]) if data else 0


def _fetch(url: str, cookie: tuple[str, str]) -> bytes:
    request = urllib.request.Request(url, headers={"Cookie": f"{cookie[0]}={cookie[1]}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def own_code(base: str, cookie: tuple[str, str]) -> dict:
    """Our own code in the app shell: the page, the service worker, the manifest and every script and stylesheet
    the page loads from /static/ outside vendor/ (Bootstrap and the other libraries are not ours)."""
    html = _fetch(base + APP_URL, cookie)
    parts = {APP_URL: html, "/network/field/sw.js": _fetch(base + "/network/field/sw.js", cookie),
             "/network/field/app.webmanifest": _fetch(base + "/network/field/app.webmanifest", cookie)}
    for url in re.findall(rb'(?:src|href)="(/static/[^"]+)"', html):
        path = url.decode().replace("&amp;", "&")
        if not path.startswith("/static/vendor/") and path.endswith((".js", ".css")):
            parts[path] = _fetch(base + path, cookie)
    vendor = sorted({u.decode() for u in re.findall(rb'(?:src|href)="(/static/vendor/[^"]+)"', html)})
    raw = sum(len(b) for b in parts.values())
    packed = sum(len(gzip.compress(b, 6)) for b in parts.values())
    return {"raw": raw, "gzip": packed, "files": sorted(parts), "vendor": vendor}


def _throttle(session, conditions: dict) -> None:
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", conditions)


def _throttle_service_worker(browser, page, conditions: dict):
    """The service worker is a target of its own: its fetches (the network-first page) are throttled there, through
    a browser session that must stay attached while it is measured (detaching ends the throttling). Returns the
    session and whether a worker was found and answered."""
    cdp = browser.new_browser_cdp_session()
    answers: list[str] = []
    cdp.on("Target.receivedMessageFromTarget", lambda event: answers.append(event["message"]))
    workers = [t for t in cdp.send("Target.getTargets")["targetInfos"] if t["type"] == "service_worker"]
    for worker in workers:
        session_id = cdp.send("Target.attachToTarget", {"targetId": worker["targetId"], "flatten": False})[
            "sessionId"]
        for n, (method, params) in enumerate((("Network.enable", {}),
                                              ("Network.emulateNetworkConditions", conditions)), start=1):
            message = json.dumps({"id": n, "method": method, "params": params})
            cdp.send("Target.sendMessageToTarget", {"sessionId": session_id, "message": message})
    deadline = time.monotonic() + 5
    while workers and time.monotonic() < deadline and not any('"id":2,"result"' in a for a in answers):
        page.wait_for_timeout(50)  # lets Playwright deliver the answers (time.sleep would not)
    return cdp, any('"id":2,"result"' in a for a in answers)


def _load(page, url: str) -> tuple[float, int]:
    page.goto(url, wait_until="commit", timeout=60_000)
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    return page.evaluate(READY_MS_JS), page.evaluate(TRANSFERRED_JS)


def _context(browser, base: str, cookie: tuple[str, str]):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": base}])
    return context


def visits(browser, base: str, cookie: tuple[str, str], conditions: dict) -> dict:
    """One phone that has never opened the app: the first visit, then (service worker active) the repeat visit."""
    context = _context(browser, base, cookie)
    try:
        page = context.new_page()
        session = context.new_cdp_session(page)
        _throttle(session, conditions)
        first_ms, first_bytes = _load(page, base + APP_URL)
        page.evaluate("""navigator.serviceWorker.ready.then(r => new Promise(done => {
            const w = r.active;
            if (w.state === "activated") done();
            else w.addEventListener("statechange", () => w.state === "activated" && done());
        }))""")
        page.wait_for_function("document.querySelector('#kc-field-app[data-ready]') !== null", timeout=60_000)
        worker_session, worker_throttled = _throttle_service_worker(browser, page, conditions)
        try:
            repeat_ms, repeat_bytes = _load(page, base + APP_URL)
            controlled = page.evaluate("navigator.serviceWorker.controller !== null")
        finally:
            worker_session.detach()
        return {"first_ms": first_ms, "first_bytes": first_bytes, "repeat_ms": repeat_ms,
                "repeat_bytes": repeat_bytes, "controlled": controlled, "worker_throttled": worker_throttled}
    finally:
        context.close()


def measure(base: str, cookie: tuple[str, str]) -> dict:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    runs: dict[str, list[dict]] = {name: [] for name in PROFILES}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            for name, conditions in PROFILES.items():
                for _ in range(RUNS):
                    try:
                        runs[name].append(visits(browser, base, cookie, conditions))
                    except PlaywrightError as error:  # reported in the table, not a crash of the whole bench
                        runs[name].append({"error": str(error).splitlines()[0]})
        finally:
            browser.close()
    return runs


def rows(runs: dict, code: dict, establishments: int) -> dict:
    out = {}
    for name, found in runs.items():
        targeted = name == TARGET_PROFILE
        failed = [r["error"] for r in found if "error" in r]
        if failed:
            out[f"offline field app: {name}"] = _row(APP_URL, "failed", [], f"ready ≤ {TARGET_MS} ms",
                                                     False if targeted else None, failed[0])
            continue
        first = [r["first_ms"] for r in found]
        repeat = [r["repeat_ms"] for r in found]
        kb = statistics.median(r["first_bytes"] for r in found) / 1024
        out[f"offline field app: first visit, {name}"] = _row(
            APP_URL, 200, first, f"ready ≤ {TARGET_MS} ms" if targeted else "for information",
            max(first) <= TARGET_MS if targeted else None,
            f"{RUNS} phones that never opened the app; {kb:.0f} KB transferred; working set {establishments} "
            "establishments")
        controlled = all(r["controlled"] for r in found)
        worker = all(r["worker_throttled"] for r in found)
        out[f"offline field app: repeat visit (service worker), {name}"] = _row(
            APP_URL, 200 if controlled else "not controlled by the service worker", repeat,
            f"ready ≤ {TARGET_MS} ms" if targeted else "for information",
            (controlled and max(repeat) <= TARGET_MS) if targeted else None,
            f"{statistics.median(r['repeat_bytes'] for r in found) / 1024:.0f} KB over the network (the page itself "
            "is asked from the network first, so that a phone shared by two collaborators never opens the other's "
            "outbox; without signal it comes from the phone); service worker "
            + ("throttled too" if worker else "NOT throttled (it did not answer)"))
    out["offline field app: our own code in the app shell"] = {
        "url": APP_URL, "status": 200, "median_ms": None, "p95_ms": None, "queries": None,
        "target": f"≤ {TARGET_BYTES // 1024} KB", "meets_target": code["raw"] <= TARGET_BYTES,
        "ratio": f"{code['raw'] / 1024:.1f} KB raw, {code['gzip'] / 1024:.1f} KB gzip",
        "note": f"{', '.join(code['files'])}; libraries not counted: {', '.join(code['vendor']) or 'none'}"}
    return out


def run(engine: str) -> dict:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        return _skipped(f"no Chromium at {CHROMIUM}")
    from django.db import connection

    from bench.load import free_port, start_gunicorn, stop

    cookie = session_cookie()
    establishments = working_set_size()
    connection.close()
    port = free_port()
    server = start_gunicorn(port)
    base = f"http://127.0.0.1:{port}"
    try:
        code = own_code(base, cookie)
        for _ in range(6):  # both workers warm: templates, the first queries, the static files found
            _fetch(base + APP_URL, cookie), _fetch(base + "/api/v1/field-app/working-set", cookie)
        started = time.perf_counter()
        runs = measure(base, cookie)
        print(f"  offline field app: {RUNS} runs × {len(PROFILES)} profiles in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    finally:
        stop(server)
    return rows(runs, code, establishments)


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("KC_PLAIN_STATIC", "1")
    import django

    django.setup()
    from django.db import connection as main_connection

    print(json.dumps(run(main_connection.vendor), indent=2, ensure_ascii=False))
