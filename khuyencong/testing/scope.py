"""The scope test helper: proves that a user of one province neither sees nor changes another province's data.

Each app describes its scoped records in `khuyencong/<app>/tests/scope_cases.py` with `register(ScopedCase(...))`
and names the endpoints that need no such test with `unscoped(url_name, reason)`. The core test walks every URL
of the project and fails when one is in neither list, so a new endpoint cannot skip the check.
"""

import importlib
import io
import json
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver

import khuyencong

HOME_PROVINCE = 12  # Lai Châu
OTHER_PROVINCE = 80  # Tây Ninh

# Roles of a provincial user; each is tried against every registered case.
PROVINCIAL_ROLES = ["doit_officer", "doit_manager", "centre_staff", "finance_officer", "collaborator", "viewer"]


@dataclass
class ScopedCase:
    name: str
    make: Callable[[int], Model]  # creates one record in the province with this code
    marker: Callable[[Model], str]  # a text that identifies the record in a list response
    list_urls: Sequence[str]  # pages, exports and API lists that show such records
    detail_urls: Callable[[Model], Sequence[str]]
    change_requests: Callable[[Model], Sequence[tuple[str, str, dict]]] = lambda obj: ()  # (method, url, data)
    covers: Sequence[str] = field(default_factory=list)  # URL names (with namespace) this case checks
    # Roles that see the whole province's records (for the check that the case can fail at all).
    sees_province: Sequence[str] = ("doit_officer", "doit_manager", "centre_staff", "finance_officer", "viewer")


SCOPED_CASES: dict[str, ScopedCase] = {}
UNSCOPED: dict[str, str] = {}


def register(case: ScopedCase) -> ScopedCase:
    SCOPED_CASES[case.name] = case
    return case


def unscoped(url_name: str, reason: str) -> None:
    UNSCOPED[url_name] = reason


def load_cases() -> None:
    for module in pkgutil.iter_modules(khuyencong.__path__):
        try:
            importlib.import_module(f"khuyencong.{module.name}.tests.scope_cases")
        except ModuleNotFoundError as exc:
            if exc.name != f"khuyencong.{module.name}.tests.scope_cases" and not exc.name.endswith(".tests"):
                raise


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        # A spreadsheet export: compare on its cell text.
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        return "\n".join(
            " ".join(str(cell) for cell in row)
            for name in workbook.sheet_names
            for row in workbook.get_sheet_by_name(name).to_python()
        )
    text = content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        # Compare on decoded JSON so escaped Vietnamese letters still match.
        text = json.dumps(json.loads(text or "null"), ensure_ascii=False)
    return text


def _send(client, method: str, url: str, data: dict):
    if method.upper() in {"PATCH", "PUT"} or url.startswith("/api/"):
        return getattr(client, method.lower())(url, data=json.dumps(data), content_type="application/json")
    return getattr(client, method.lower())(url, data)


def assert_scoped(case: ScopedCase, *, client, user, role: str) -> None:
    """`user` works in HOME_PROVINCE; the record made in OTHER_PROVINCE must stay invisible and unchanged."""
    own = case.make(HOME_PROVINCE)
    foreign = case.make(OTHER_PROVINCE)
    client.force_login(user)
    for url in case.list_urls:
        response = client.get(url)
        assert response.status_code == 200, f"{case.name}: {url} → {response.status_code}"
        body = _body(response)
        assert case.marker(foreign) not in body, f"{case.name}: {role} of province {HOME_PROVINCE} sees {url}"
        if role in case.sees_province:
            assert case.marker(own) in body, f"{case.name}: {role} does not see its own record at {url}"
    for url in case.detail_urls(foreign):
        response = client.get(url)
        assert response.status_code in (403, 404), f"{case.name}: {role} opened {url} → {response.status_code}"
    for url in case.detail_urls(own):
        if role in case.sees_province:
            response = client.get(url)
            assert response.status_code in (200, 302), f"{case.name}: own record {url} → {response.status_code}"
    before = type(foreign).objects.filter(pk=foreign.pk).values().first()
    for method, url, data in case.change_requests(foreign):
        response = _send(client, method, url, data)
        assert response.status_code in (403, 404), f"{case.name}: {role} {method} {url} → {response.status_code}"
    after = type(foreign).objects.filter(pk=foreign.pk).values().first()
    assert before == after, f"{case.name}: a request from another province changed the record"
