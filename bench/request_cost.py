"""Where the time of one request goes: the projects list of a logged-in province officer, served through Django's
WSGI handler as gunicorn serves it (no test client), split into

    middleware   the handler and the middleware's own code (request object, CSRF, locale, security headers…)
    connect      opening the database connection (none while a persistent one is reused: DJANGO_CONN_MAX_AGE)
    session      loading (and saving) the session, its SQL excepted
    user, roles  reading the signed-in user and their role assignments (auth.get_user, accounts.scope.user_scope)
    queries      every SQL statement, wherever it was run (the database driver's time)
    template     template rendering, context processors included
    view         the view's own Python (selectors building querysets, paging, forms)
    response     after the handler: the body joined and the response closed (request_finished: connections)

Each part is the time spent in it *outside* the others (a stack of perf_counter timers, hooked onto the functions
above for the measurement only and removed after), so the parts add up to the request. Rows are shaped like
bench/__main__.py's results.

    .venv/bin/python -m bench.request_cost      # on the configured database (DATABASE_URL or var/khuyencong.sqlite3)
Knobs: KC_COST_REPEAT (runs, default 50), KC_COST_URL (/projects/), KC_COST_USER (ttkc.laichau).
"""

import contextlib
import importlib
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ["middleware", "connect", "session", "user and roles", "queries", "template", "view", "response"]


class Costs:
    """Own time per part: a timer entered inside another takes its time out of the outer one."""

    def __init__(self):
        self.own: dict[str, float] = defaultdict(float)
        self._stack: list[list] = []

    @contextlib.contextmanager
    def part(self, name: str):
        frame = [name, time.perf_counter(), 0.0]
        self._stack.append(frame)
        try:
            yield
        finally:
            self._stack.pop()
            spent = time.perf_counter() - frame[1]
            self.own[name] += spent - frame[2]
            if self._stack:
                self._stack[-1][2] += spent

    def wrap(self, name: str, func):
        def timed(*args, **kwargs):
            with self.part(name):
                return func(*args, **kwargs)

        timed.__wrapped__ = func
        return timed

    def execute(self, execute, sql, params, many, context):  # connection.execute_wrapper
        with self.part("queries"):
            return execute(sql, params, many, context)


COSTS = Costs()


class ViewTimer:
    """Innermost middleware of the measurement: what runs inside it is the view (with process_view and the
    rendering of a TemplateResponse)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with COSTS.part("view"):
            return self.get_response(request)


@contextlib.contextmanager
def hooks():
    """Timers on the session store, the user's and roles' reads and template rendering, removed on exit."""
    from django.conf import settings
    from django.contrib import auth
    from django.db import connections
    from django.template import base as template_base

    from khuyencong.accounts import scope

    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore
    patched = [(store, "load", "session"), (store, "save", "session"),
               (template_base.Template, "render", "template"), (type(connections["default"]), "connect", "connect")]
    functions = [(auth.get_user, "user and roles"), (scope.user_scope, "user and roles")]
    undo = []
    for owner, attribute, name in patched:
        original = owner.__dict__.get(attribute)
        setattr(owner, attribute, COSTS.wrap(name, getattr(owner, attribute)))
        undo.append((owner, attribute, original))
    for func, name in functions:  # every module that imported the function by name
        timed = COSTS.wrap(name, func)
        for module in list(sys.modules.values()):
            for attribute, value in list(getattr(module, "__dict__", {}).items()):
                if value is func:
                    setattr(module, attribute, timed)
                    undo.append((module, attribute, func))
    try:
        yield
    finally:
        for owner, attribute, original in reversed(undo):
            if original is None:
                delattr(owner, attribute)
            else:
                setattr(owner, attribute, original)


def _environ(url: str, cookie: str) -> dict:
    from django.test import RequestFactory

    path, _, query = url.partition("?")
    return RequestFactory()._base_environ(PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET",
                                          HTTP_COOKIE=cookie, HTTP_ACCEPT_LANGUAGE="vi")


def _serve(handler, environ: dict) -> int:
    status = []
    with COSTS.part("middleware"):
        body = handler(dict(environ), lambda s, headers, exc_info=None: status.append(int(s.split()[0])))
    with COSTS.part("response"):
        b"".join(body)
        body.close()
    return status[0]


def measure(url: str, username: str, repeat: int) -> dict:
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import Client, override_settings

    from khuyencong.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, "bench.request_cost.ViewTimer"],
                           ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        handler = WSGIHandler()
        environ = _environ(url, cookie)
        statuses = {_serve(handler, environ) for _ in range(3)}  # warm-up: templates, caches, connection
        runs: list[dict[str, float]] = []
        totals = []
        with hooks(), connection.execute_wrapper(COSTS.execute):
            for _ in range(repeat):
                COSTS.own.clear()
                started = time.perf_counter()
                statuses.add(_serve(handler, environ))
                totals.append((time.perf_counter() - started) * 1000)
                runs.append({part: COSTS.own.get(part, 0.0) * 1000 for part in PARTS})
    return {"statuses": statuses, "totals": totals, "runs": runs}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * 0.95) - 1))]


def run(url: str | None = None, username: str | None = None, repeat: int | None = None) -> dict:
    """Rows "request cost: <part>" (median and p95 of the part's own time over the runs) and the whole request."""
    url = url or os.environ.get("KC_COST_URL", "/projects/")
    username = username or os.environ.get("KC_COST_USER", "ttkc.laichau")
    repeat = repeat or int(os.environ.get("KC_COST_REPEAT", "50"))
    m = measure(url, username, repeat)
    status = 200 if m["statuses"] == {200} else f"statuses {sorted(m['statuses'])}"
    whole = statistics.median(m["totals"])
    results = {}
    for part in PARTS:
        values = [run[part] for run in m["runs"]]
        median = statistics.median(values)
        results[f"request cost: {part}"] = {
            "case": f"request cost ({url}, {username}): {part}", "url": url, "status": status,
            "median_ms": round(median, 2), "p95_ms": round(_p95(values), 2),
            "queries": None, "ratio": f"{median / whole:.0%} of the request" if whole else "",
            "target": "", "meets_target": None,
        }
    parts_sum = sum(statistics.median(run[p] for run in m["runs"]) for p in PARTS)
    results["request cost: whole request"] = {
        "case": f"request cost ({url}, {username}): whole request", "url": url, "status": status,
        "median_ms": round(whole, 2), "p95_ms": round(_p95(m["totals"]), 2),
        "queries": None, "ratio": f"parts' medians add up to {parts_sum:.1f} ms", "target": "", "meets_target": None,
    }
    return results


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("KC_PLAIN_STATIC", "1")
    import django

    django.setup()
    from bench import request_cost  # not __main__: the middleware of the measurement imports it by that name

    print("| part | median ms | p95 ms | share |\n|---|---|---|---|")
    for name, row in request_cost.run().items():
        print(f"| {name.removeprefix('request cost: ')} | {row['median_ms']} | {row['p95_ms']} | {row['ratio']} |")


if __name__ == "__main__":
    main()
