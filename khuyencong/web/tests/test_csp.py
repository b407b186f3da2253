"""The Content-Security-Policy: every page carries it, scripts come from our static files only, and no template has
an inline script or event handler that the policy would block (the scan below is the guard for new templates)."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE_FILES = sorted(p for p in (ROOT / "khuyencong").rglob("*.html") if "templates" in p.parts)

# What a script-src 'self' policy refuses to run, as it appears in a template or a rendered page.
INLINE_CODE = [
    (re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.S), "an inline event handler (on…=)"),
    (re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I), "a javascript: URL"),
    (re.compile(r"""\s(?:x-(?:data|init|on|bind|show|text|html|model|effect)\b|@[a-z]+(?:\.[a-z]+)*=|:[a-z-]+=")"""),
     "an Alpine.js expression (evaluated with new Function)"),
    (re.compile(r"""\shx-on[:-]|\shx-vals\s*=\s*["']\s*js:|\shx-vars\s*="""),
     "an htmx expression (evaluated with eval)"),
]
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)


def inline_code(html: str) -> list[str]:
    """Each piece of inline code in the HTML (a template or a page), described."""
    found = [f"{what}: {m.group(0)[:80]!r}" for pattern, what in INLINE_CODE for m in pattern.finditer(html)]
    for m in SCRIPT_TAG.finditer(html):
        attrs = m.group(1)
        if "src=" not in attrs and not re.search(r"""type\s*=\s*["']application/json["']""", attrs):
            found.append(f"an inline <script>: {m.group(0)!r}")
    return found


def policy(response, header: str = "Content-Security-Policy") -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in response[header].split("; ")}


def test_the_scan_finds_what_the_policy_blocks():
    bad = [
        '<select name="p" onchange="this.form.submit()">',
        '<button type="button"\n  onclick="window.print()">',
        "<script>alert(1)</script>",
        '<script type="module">import x from "./x.js"</script>',
        '<a href="javascript:void(0)">',
        "<div x-data=\"{ q: '' }\">",
        '<button @click="go()">',
        '<button :disabled="busy">',
        '<form hx-on:submit="x()">',
    ]
    for html in bad:
        assert inline_code(html), html
    good = [
        '<select name="p" data-autosubmit>',
        '<script src="/static/web/behaviours.js" defer></script>',
        '<script id="kc-charts" type="application/json">{"on": 1}</script>',
        "<p>Bấm vào nút để gửi; trạng thái on=off không đổi</p>",
        '<input hx-trigger="input changed delay:300ms from:#q, change">',
    ]
    for html in good:
        assert not inline_code(html), html


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(ROOT / "khuyencong")))
def test_no_template_has_inline_code(path):
    assert inline_code(path.read_text()) == []


def test_no_template_loads_a_script_or_stylesheet_from_elsewhere():
    remote = re.compile(r"""<(?:script|link|img)\b[^>]*(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)
    offenders = [str(p) for p in TEMPLATE_FILES if remote.search(p.read_text())]
    assert offenders == []


def test_templates_were_found():
    assert len(TEMPLATE_FILES) > 50
    assert ROOT / "khuyencong" / "web" / "templates" / "base.html" in TEMPLATE_FILES


@pytest.mark.django_db
def test_a_public_page_carries_the_policy(client):
    response = client.get("/login/")
    assert response.status_code == 200
    got = policy(response)
    assert got["default-src"] == ["'self'"]
    assert got["script-src"] == ["'self'"]
    assert got["style-src"] == ["'self'", "'unsafe-inline'"]
    assert got["img-src"] == ["'self'", "data:"]
    assert got["connect-src"] == ["'self'"]
    assert got["frame-ancestors"] == ["'none'"]
    assert got["form-action"] == ["'self'"]
    assert got["object-src"] == ["'none'"]
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.mark.django_db
def test_a_signed_in_page_carries_the_policy_and_has_no_inline_code(client, admin_units):
    client.force_login(make_user(role=Role.CENTRE_STAFF, province_code=12))
    response = client.get("/")
    assert response.status_code == 200
    assert policy(response)["script-src"] == ["'self'"]
    html = response.content.decode()
    assert inline_code(html) == []
    assert "web/behaviours.js" in html


@pytest.mark.django_db
def test_report_only_sends_the_same_policy_without_enforcing_it(client, settings):
    settings.SECURE_CSP_REPORT_ONLY, settings.SECURE_CSP = settings.SECURE_CSP, {}
    response = client.get("/login/")
    assert "Content-Security-Policy" not in response
    assert policy(response, "Content-Security-Policy-Report-Only")["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_api_docs_use_our_pinned_swagger_ui(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert policy(response)["script-src"] == ["'self'"]
    html = response.content.decode()
    assert inline_code(html) == []
    assert "cdn" not in html.lower() and "https://" not in html and "http://" not in html
    assets = re.findall(r"""(?:src|href)="([^"]+)\"""", html)
    assert f"{settings.STATIC_URL}vendor/swagger-ui/swagger-ui-bundle.js" in assets
    assert f"{settings.STATIC_URL}vendor/swagger-ui/swagger-ui.css" in assets
    for url in assets:
        assert url.startswith(settings.STATIC_URL), url
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url
    config = json.loads(re.search(r'<script id="swagger-settings" type="application/json">(.*?)</script>', html,
                                  re.S).group(1))
    assert config["url"] == "/api/v1/openapi.json"
    assert config["validatorUrl"] is None


def test_front_end_libraries_are_pinned_to_one_version():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), (name, version)
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name
    installed = json.loads((ROOT / "node_modules" / "swagger-ui-dist" / "package.json").read_text())
    assert installed["version"] == package["dependencies"]["swagger-ui-dist"]
