"""`manage.py check --deploy` is clean with the production environment that docs/deployment.md documents, and the
settings read that environment as the document says."""

import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

from django.core.checks import Tags, run_checks

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "deployment.md"


def documented_environment() -> dict[str, str]:
    """The KEY=value lines between the production-env markers of docs/deployment.md; <…> placeholders filled."""
    text = DOC.read_text()
    block = re.search(r"<!-- production-env:start -->(.*?)<!-- production-env:end -->", text, re.S)
    assert block, "docs/deployment.md lost its production-env markers"
    env = {}
    for line in block.group(1).splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line.strip())
        if not match:
            continue
        name, value = match.groups()
        if value.startswith("<"):
            value = secrets.token_urlsafe(50) if name == "DJANGO_SECRET_KEY" else "placeholder"
        else:
            value = shlex.split(value)[0]
        env[name] = value
    return env


def clean_environment(extra: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """This process's environment without any setting of the app's own (the test runner's, a developer's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KC_", "DATABASE_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", KC_VAR_DIR=str(tmp_path), **extra)
    return env


def run_deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_documented_environment_lists_the_security_settings():
    env = documented_environment()
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_SECURE_COOKIES", "DJANGO_HSTS_SECONDS",
                 "DJANGO_SSL_REDIRECT", "DJANGO_EMAIL_BACKEND"):
        assert name in env, name
    assert "DJANGO_DEBUG" not in env


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path):
    result = run_deploy_check(clean_environment(documented_environment(), tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_check_deploy_finds_the_development_defaults():
    # The same checks, run on this process's settings (the development defaults): they find what the documented
    # environment fixes, so the clean run above is not clean by accident.
    found = {m.id for m in run_checks(include_deployment_checks=True, tags=[Tags.security, Tags.mail])}
    assert {"security.W004", "security.W008", "security.W012", "security.W016", "mail.E001"} <= found


SHOW_SETTINGS = """
import json
from config import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER", "SECURE_CSP", "SECURE_CSP_REPORT_ONLY")}))
"""


def settings_under(env: dict[str, str], tmp_path: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", SHOW_SETTINGS], cwd=ROOT, env=clean_environment(env, tmp_path),
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


def test_development_defaults_keep_http_working_and_enforce_the_policy(tmp_path):
    got = settings_under({}, tmp_path)
    assert got["DEBUG"] is False
    assert got["SECURE_SSL_REDIRECT"] is False
    assert got["SECURE_HSTS_SECONDS"] == 0
    assert got["SESSION_COOKIE_SECURE"] is False and got["CSRF_COOKIE_SECURE"] is False
    assert got["SECURE_PROXY_SSL_HEADER"] is None
    assert got["SECURE_CSP"]["script-src"] == ["'self'"]
    assert got["SECURE_CSP_REPORT_ONLY"] == {}


def test_production_environment_turns_on_https_and_report_only_moves_the_policy(tmp_path):
    env = {**documented_environment(), "DJANGO_CSP_REPORT_ONLY": "1",
           "KC_MAP_TILE_URL": "https://{s}.tiles.example.gov.vn/{z}/{x}/{y}.png"}
    got = settings_under(env, tmp_path)
    assert got["SECURE_SSL_REDIRECT"] is True
    assert got["SECURE_HSTS_SECONDS"] == 31536000
    assert got["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and got["SECURE_HSTS_PRELOAD"] is True
    assert got["SESSION_COOKIE_SECURE"] is True and got["CSRF_COOKIE_SECURE"] is True
    assert got["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert got["SECURE_CSP"] == {}
    assert got["SECURE_CSP_REPORT_ONLY"]["img-src"] == ["'self'", "data:", "https://*.tiles.example.gov.vn"]
