"""The OpenAPI document tells the truth: one schema per name, every number bounded, and a number out of bounds
answered with a 422 in Vietnamese, never a 500."""

import json
import re
import typing

import pytest
from django.utils.translation import gettext as tr  # not `_`: makemessages would extract test strings
from pydantic import BaseModel

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user
from khuyencong.api.api import api
from khuyencong.core.api_params import LIMIT_BOUND, OFFSET_BOUND

TOO_BIG = 2**63


def _document() -> dict:
    return api.get_openapi_schema()


def _operations():
    for router_prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                yield router_prefix, operation


def _models_in(annotation) -> typing.Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


def _schema_classes() -> dict[str, set[type[BaseModel]]]:
    """Every model the document describes, by the component name it gets (its class name): the payloads, query
    schemas and responses of every operation and the models they nest. ninja's own wrappers are not components."""
    seen: set[type[BaseModel]] = set()
    pending = []
    for _prefix, operation in _operations():
        roots = [*operation.models, *(m for m in operation.response_models.values() if isinstance(m, type))]
        for root in roots:
            for field in root.model_fields.values():
                pending.extend(_models_in(field.annotation))
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for field in model.model_fields.values():
            pending.extend(_models_in(field.annotation))
    by_name: dict[str, set[type[BaseModel]]] = {}
    for model in seen:
        by_name.setdefault(model.__name__, set()).add(model)
    return by_name


def test_no_two_schemas_share_a_component_name():
    """A second class of the same name silently replaces the first in the document (the last one wins), and a client
    generated from it rejects valid answers. ninja builds a `Paged…` wrapper per list: identical twins are allowed."""
    by_name = _schema_classes()
    assert {"EstablishmentOut", "UnitRef", "ProjectContentOut", "SupportContentOut", "EventPlaceOut"} <= set(by_name)
    clashes = {}
    for name, classes in by_name.items():
        if len(classes) < 2:
            continue
        ours = [c for c in classes if c.__module__.startswith("khuyencong.")]
        shapes = {json.dumps(c.model_json_schema(), sort_keys=True) for c in classes}
        if len(ours) > 1 or len(shapes) > 1:
            clashes[name] = sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
    assert not clashes, clashes


def test_each_component_has_one_definition_across_operations():
    """The same check on the document's side: every operation's `$defs` agree on what each name means."""
    definitions: dict[str, set[str]] = {}
    for _prefix, operation in _operations():
        models = [*operation.models, *(m for m in operation.response_models.values() if isinstance(m, type))]
        for model in models:
            for mode in ("validation", "serialization"):
                for name, definition in model.model_json_schema(mode=mode).get("$defs", {}).items():
                    definitions.setdefault(f"{name} ({mode})", set()).add(json.dumps(definition, sort_keys=True))
    assert {name for name, shapes in definitions.items() if len(shapes) > 1} == set()


def _integers(node, where: str, components: dict, seen: set) -> typing.Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[1]
            if name not in seen:
                seen.add(name)
                yield from _integers(components[name], name, components, seen)
            return
        if node.get("type") == "integer":
            yield where, node
        for key, value in node.items():
            yield from _integers(value, f"{where}.{key}" if key not in ("properties", "anyOf", "items") else where,
                                 components, seen)
    elif isinstance(node, list):
        for value in node:
            yield from _integers(value, where, components, seen)


def _inputs(document):
    """(operation, where, integer schema) for every integer a request may carry: path, query and body."""
    components = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                for where, node in _integers(parameter["schema"], parameter["name"], components, set()):
                    yield label, parameter, where, node
            if body := operation.get("requestBody"):
                for where, node in _integers(body, "body", components, set()):
                    yield label, None, where, node


def test_every_integer_a_request_carries_is_bounded():
    unbounded = sorted({f"{label} {where}" for label, _p, where, node in _inputs(_document())
                        if "minimum" not in node or "maximum" not in node})
    assert unbounded == []


@pytest.fixture
def national(client):
    client.force_login(make_user(role=Role.MINISTRY_OFFICER, province_code=None))
    return client


def _url(path: str, parameters: list[dict], **values) -> str:
    """The path with every path parameter filled (1, or "x" for a word) unless given."""
    types = {p["name"]: p["schema"].get("type") for p in parameters if p["in"] == "path"}
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m[1], 1 if types.get(m[1]) == "integer" else "x")), path)


def _get_integer_parameters():
    document = _document()
    for label, parameter, _where, node in _inputs(document):
        method, path = label.split(" ", 1)
        if method == "GET" and parameter is not None:
            yield path, document["paths"][path]["get"]["parameters"], parameter, node


GET_INTEGER_PARAMETERS = [pytest.param(*case, id=f"{case[0]}?{case[2]['name']}") for case in _get_integer_parameters()]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "parameters", "parameter", "schema"), GET_INTEGER_PARAMETERS)
def test_an_integer_out_of_bounds_gets_a_422_in_vietnamese(national, path, parameters, parameter, schema):
    name = parameter["name"]
    for value in (schema["maximum"] + 1, TOO_BIG, schema["minimum"] - 1):
        if parameter["in"] == "path":
            response = national.get(_url(path, parameters, **{name: value}))
        else:
            required = {p["name"]: "2026" for p in parameters if p["in"] == "query" and p.get("required")}
            response = national.get(_url(path, parameters), {**required, name: value})
        assert response.status_code == 422, (name, value, response.content[:300])
        body = response.json()
        assert body["code"] == "invalid"
        assert f"“{name}”" in body["detail"], body["detail"]


@pytest.mark.django_db
def test_list_bounds_and_their_message(national):
    assert national.get("/api/v1/establishments", {"limit": LIMIT_BOUND, "offset": OFFSET_BOUND}).status_code == 200
    response = national.get("/api/v1/events", {"offset": TOO_BIG})
    assert response.status_code == 422
    grouped = f"{OFFSET_BOUND:,}".replace(",", ".")
    assert response.json()["detail"] == (
        f"{tr('The request has invalid parameters.')} "
        + tr("“%(field)s” must be at most %(bound)s.") % {"field": "offset", "bound": grouped})
    assert response.json()["detail"].endswith(f"“offset” phải nhỏ hơn hoặc bằng {grouped}.")
    response = national.get("/api/v1/events", {"limit": "nhiều"})
    assert response.json()["detail"].endswith("“limit” phải là số nguyên.")


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "field"), [
    ("/api/v1/establishments?q=a%00b", "q"),
    ("/api/v1/rules/advance-rule?content=%00", "content"),
    ("/api/v1/rules/change-authority?change_kind=x%00", "change_kind"),
])
def test_a_nul_character_gets_a_422_not_a_database_error(national, url, field):
    """PostgreSQL holds no NUL in text and refused the query with a 500; SQLite let it through."""
    response = national.get(url)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert response.json()["detail"] == f"“{field}” chứa ký tự NUL (\\0): văn bản không được chứa ký tự này."


@pytest.mark.django_db
def test_a_nul_character_in_a_json_body_gets_a_422(national):
    valid = {"entity_type": "sme", "sme_size": "small", "commune": 1, "on_date": "2026-03-01"}
    for body, field in (({**valid, "entity_type": "sme\u0000"}, "entity_type"),
                        ({**valid, "note": ["a", {"\u0000": 1}]}, "note")):
        response = national.post("/api/v1/rules/eligibility", body, content_type="application/json")
        assert response.status_code == 422, response.content
        assert response.json()["field"] == field
