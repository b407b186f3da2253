"""Every page reachable from the menu, for each demo role, reads in plain Vietnamese.

The crawl signs in as each demo user, starts from the menu and follows the pages' links breadth-first (same-origin
GET pages; no sign-out, export, download or document), and fails on a server error, a menu entry that does not open,
a page the brief says must be reachable that no link leads to, and any developer text in the visible words of a page:
a snake_case code, an ISO date, True/False/None, a Python list or dict, or an English word of the interface. The words
of a source quoted as written (an article pasted for reading, marked `data-quoted`) are the source's, not ours."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import Resolver404, resolve

# The demo users whose daily pages are crawled (web/management/commands/seed_demo.py makes them).
ROLES = ["admin", "cuc.dck", "sct.laichau", "ld.sct.laichau", "ttkc.laichau", "ketoan.laichau", "ctv.laichau",
         "xem.laichau"]
PAGES_PER_ROLE = 120
# Records of one kind can differ (a reported event, a locked report): a few of each URL pattern are opened.
PER_PATTERN = 2
# Pages that some role must reach through links (issue 15, item 5): URL name → the roles that must reach it.
MUST_REACH = {
    "report_list": ["cuc.dck", "ttkc.laichau", "sct.laichau", "ld.sct.laichau"],
    "report_completeness": ["cuc.dck"],
}

SKIP_PREFIXES = ("/admin/", "/api/", "/i18n/", "/static/", "/media/", "/logout/")
SKIP_WORDS = ("export", "download", "document", ".xlsx", ".pdf", ".docx", ".csv", ".json", ".png", "/print")

SNAKE = re.compile(r"(?<![\w/.@-])[A-Za-z][a-z]*_[a-z_]+\b")
ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")  # not inside a reference ("UNC-2026-10-12")
PY_LITERAL = re.compile(r"\b(True|False|None)\b")
PY_REPR = re.compile(r"\['|'\]|\{'|<[A-Z]\w+: ")
# English words of an interface, whole words, as a page would print them untranslated.
ENGLISH = re.compile(
    r"\b(Select an option|Select|option|Submit|Save|Cancel|Edit|Delete|Status|Draft|Approved|Rejected|Submitted|"
    r"Yes|No|Search|Filter|Next|Previous|Loading|Add|Create|Update|Close|Upload|Import|Export|Login|Logout|Password|"
    r"Username|Total|Amount|Actions|Details|View|Show|Hide|Back|Home|Change history|Changes|Reports?|Required|"
    r"This field|Page|of|the|and|for|with|from|is|are|not|none|yes|no|true|false|null)\b"
)
# Words that are not a leak although they match: units, brands and standard names a Vietnamese page writes as is.
ALLOWED = {"Zalo", "Excel", "PDF", "ID", "OK"}


class _Page(HTMLParser):
    """The visible text of a page (no script, style, template or attribute value) and its links."""

    HIDDEN = {"script", "style", "template", "noscript", "svg"}
    VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "col", "area"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._quoted = 0  # depth inside an element marked data-quoted: a source's own words, shown as written

    def handle_starttag(self, tag, attrs):
        if self._quoted and tag not in self.VOID:
            self._quoted += 1
        elif not self._quoted and "data-quoted" in dict(attrs) and tag not in self.VOID:
            self._quoted = 1
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if self._quoted and tag not in self.VOID:
            self._quoted -= 1
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and not self._quoted and data.strip():
            self.text.append(data.strip())


def leaks(text: str) -> list[str]:
    """The developer text found in a page's visible words."""
    found = []
    for pattern in (SNAKE, ISO_DATE, PY_LITERAL, PY_REPR, ENGLISH):
        for match in pattern.finditer(text):
            word = match.group(0)
            if word in ALLOWED:
                continue
            start = max(0, match.start() - 40)
            found.append(f"{word!r} in “…{text[start:match.end() + 40]}…”".replace("\n", " | "))
    return found


def _internal(href: str, base: str) -> str | None:
    """The path and query of a same-origin link worth opening, or None."""
    parts = urlsplit(href)
    if (parts.scheme and parts.scheme not in ("http", "https")) or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path
    if not path:
        return None
    if not path.startswith("/"):
        path = base.rsplit("/", 1)[0] + "/" + path
    lowered = (path + "?" + parts.query).lower()
    if path.startswith(SKIP_PREFIXES) or any(word in lowered for word in SKIP_WORDS):
        return None
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if k not in ("next",))
    return path + ("?" + urlencode(query) if query else "")


def _pattern(url: str) -> tuple | None:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return (match.url_name, tuple(sorted({k for k, _ in parse_qsl(parts.query)})))


def _menu_links(client) -> list[str]:
    """The menu's entries, read from the home page's navigation."""
    body = client.get("/").content.decode()
    nav = re.search(r"<nav\b.*?</nav>", body, re.S)
    parser = _Page()
    parser.feed(nav.group(0) if nav else "")
    return [url for href in parser.links if (url := _internal(href, "/"))]


def crawl(client, *, limit: int = PAGES_PER_ROLE) -> dict:
    """Opens the pages reachable from the menu; returns what was found."""
    menu = _menu_links(client)
    queue = deque(["/", *menu])
    seen_urls = set(queue)
    per_pattern: dict = {}
    result = {"menu": menu, "opened": {}, "errors": [], "leaks": [], "names": set()}
    while queue and len(result["opened"]) < limit:
        url = queue.popleft()
        pattern = _pattern(url)
        if pattern is None:
            result["errors"].append(f"{url}: no such page")
            continue
        if per_pattern.get(pattern, 0) >= PER_PATTERN:
            continue
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        response = client.get(url)
        result["opened"][url] = response.status_code
        if response.status_code >= 500 or (url in menu and response.status_code != 200):
            result["errors"].append(f"{url}: HTTP {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        result["names"].add(pattern[0])
        page = _Page()
        page.feed(response.content.decode())
        for leak in leaks("\n".join(page.text)):
            result["leaks"].append(f"{url}: {leak}")
        for href in page.links:
            link = _internal(href, urlsplit(url).path)
            if link and link not in seen_urls:
                seen_urls.add(link)
                queue.append(link)
    return result


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, seeded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def test_leaks_are_found():
    text = "Trạng thái: in_progress\nNgày 2026-07-12\nĐã khoá: True\n['a', 'b']\n- Select an option -\nCó"
    found = " ".join(leaks(text))
    for word in ("in_progress", "2026-07-12", "True", "['", "Select an option"):
        assert word in found
    assert leaks("Trạng thái: Đang thực hiện\nNgày 12/07/2026\nĐã khoá: Có\n1.234.567 ₫ — zalo.me/kc") == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_every_page_from_the_menu_in_plain_vietnamese(demo_data, client, username):
    from khuyencong.accounts.models import User

    client.force_login(User.objects.get(username=username))
    result = crawl(client)
    problems = result["errors"] + result["leaks"]
    for name, roles in MUST_REACH.items():
        if username in roles and name not in result["names"]:
            problems.append(f"no link leads to the page “{name}”")
    assert result["menu"], "the menu has no entry"
    assert not problems, f"{username}: {len(result['opened'])} pages opened\n" + "\n".join(problems)
