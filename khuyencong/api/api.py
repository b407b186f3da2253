"""The /api/v1/ JSON API, assembled from each app's router. OpenAPI 3.1 at /api/v1/openapi.json."""

import functools
import json

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from khuyencong.core.api_params import LIMIT_BOUND, OFFSET_BOUND
from khuyencong.core.errors import DomainError, InvalidInput
from khuyencong.web.api_docs import StaticSwagger

from .auth import API_AUTH, document_auth_errors


class KhuyencongAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return document_auth_errors(super().get_openapi_schema(**kwargs))


# What the lists accept and what a number out of bounds gets (core.api_params), in the document's description.
_NUMBERS_NOTE = (
    f"Mọi danh sách trả về `{{count, items}}` và nhận `limit` (1–{LIMIT_BOUND}, mỗi trang tối đa "
    f"{settings.KC_API_MAX_LIMIT} dòng) và `offset` (0–{format(OFFSET_BOUND, ',').replace(',', '.')}). "
    "Mọi số trong yêu cầu có giới hạn ghi trong tài liệu này; số ngoài giới hạn nhận 422 với `detail` nói rõ "
    "tham số nào sai."
)

api = KhuyencongAPI(
    title="khuyencong API",
    version="1",
    description=(
        "Dữ liệu khuyến công: đơn vị hành chính, tổ chức và các phân hệ. / Industrial promotion data.\n\n"
        "Xác thực bằng phiên đăng nhập của trình duyệt hoặc `Authorization: Bearer <token>` "
        "(tạo bằng `manage.py create_api_token <username>` hoặc trang Tài khoản). "
        "Mã API có hạn dùng chọn khi tạo (30, 90, 180 hoặc 365 ngày, trong giới hạn của hệ thống) và hết hiệu "
        "lực khi bị thu hồi, khi mật khẩu của tài khoản thay đổi hoặc khi tài khoản bị khóa; đăng xuất không thu "
        "hồi mã. Mã không còn hiệu lực nhận 401 với `code` cho biết lý do (`token_expired`, `token_revoked`, "
        "`account_disabled`). Sau nhiều mã sai từ cùng một địa chỉ, mọi yêu cầu có mã API từ địa chỉ đó nhận 429 "
        "(`too_many_token_failures`, header `Retry-After`) cho đến hết khoảng thời gian chờ. "
        + _NUMBERS_NOTE
    ),
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    docs=StaticSwagger(),
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    body = {"code": exc.code, "detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    response = api.create_response(request, body, status=exc.http_status)
    if retry_after := getattr(exc, "retry_after", None):
        response["Retry-After"] = str(retry_after)
    return response


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return api.create_response(
        request, {"code": "unauthenticated", "detail": _("Please sign in or send a valid API token.")}, status=401
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # django-ninja raises these itself, e.g. a session request whose CSRF token is missing.
    if exc.status_code == 403 and "csrf" in str(exc).lower():
        body = {"code": "csrf_failed",
                "detail": _("The security token (CSRF) is missing or wrong: reload the page and try again.")}
    else:
        body = {"code": f"http_{exc.status_code}", "detail": str(exc)}
    return api.create_response(request, body, status=exc.status_code)


# What a parameter's validation error says to a person, by pydantic's error type (`errors` keeps the details).
_PROBLEMS = {
    "less_than_equal": gettext_lazy("“%(field)s” must be at most %(bound)s."),
    "less_than": gettext_lazy("“%(field)s” must be less than %(bound)s."),
    "greater_than_equal": gettext_lazy("“%(field)s” must be at least %(bound)s."),
    "greater_than": gettext_lazy("“%(field)s” must be greater than %(bound)s."),
    "int_parsing": gettext_lazy("“%(field)s” must be a whole number."),
    "int_type": gettext_lazy("“%(field)s” must be a whole number."),
    "int_from_float": gettext_lazy("“%(field)s” must be a whole number."),
    "missing": gettext_lazy("“%(field)s” is required."),
    "date_parsing": gettext_lazy("“%(field)s” must be a date written YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("“%(field)s” must be a date written YYYY-MM-DD."),
}


def _field(error: dict) -> str:
    names = [part for part in error.get("loc", ()) if isinstance(part, str)]
    return names[-1] if names else "?"


def _problem(error: dict) -> str:
    field = _field(error)
    bound = next((v for k, v in (error.get("ctx") or {}).items() if k in ("le", "lt", "ge", "gt")), "")
    if isinstance(bound, int):
        bound = f"{bound:,}".replace(",", ".")  # Vietnamese digit grouping
    message = _PROBLEMS.get(error.get("type"), gettext_lazy("“%(field)s” is not valid."))
    return str(message) % {"field": field, "bound": bound}


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    problems = [_("The request has invalid parameters."), *dict.fromkeys(_problem(e) for e in exc.errors)]
    body = {"code": "invalid", "detail": " ".join(problems), "errors": exc.errors}
    if exc.errors:
        body["field"] = _field(exc.errors[0])  # as a domain error names its field
    return api.create_response(request, body, status=422)


def _nul_field(request) -> str | None:
    """The parameter that carries a NUL character (\\0), if any: in the address, the query or a JSON body."""
    if "\x00" in request.path:
        return "path"
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key
    if request.content_type != "application/json" or b"\\u0000" not in request.body:  # JSON escapes it
        return None
    try:
        stack = [("body", json.loads(request.body))]
    except ValueError:
        return None  # not JSON: the body's own validation answers
    while stack:
        key, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return key
        if isinstance(value, dict):
            if any("\x00" in name for name in value):
                return key
            stack.extend(value.items())
        elif isinstance(value, list):
            stack.extend((key, item) for item in value)
    return None


def refuse_nul_characters(view):
    """No text of the database may hold the NUL character (PostgreSQL refuses it in every text column and query):
    a request carrying one gets a 422 naming the parameter, rather than a database error (500)."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if field := _nul_field(request):
            raise InvalidInput(_("“%(field)s” contains the NUL character (\\0), which text cannot hold.")
                               % {"field": field}, field=field)
        return view(request, *args, **kwargs)

    return checked


api.add_decorator(refuse_nul_characters)


def _register_routers() -> None:
    from khuyencong.accounts.api import router as accounts_router
    from khuyencong.awards.api import router as awards_router
    from khuyencong.clusters.api import router as clusters_router
    from khuyencong.consulting.api import router as consulting_router
    from khuyencong.events.api import router as events_router
    from khuyencong.extraction.api import router as extraction_router
    from khuyencong.geo.api import router as geo_router
    from khuyencong.network.api import router as network_router
    from khuyencong.news.api import router as news_router
    from khuyencong.projects.api import router as projects_router
    from khuyencong.registry.api import router as registry_router
    from khuyencong.reporting.api import router as reporting_router
    from khuyencong.rules.api import router as rules_router
    from khuyencong.settlement.api import router as settlement_router

    api.add_router("/geo/", geo_router)
    api.add_router("/rules/", rules_router)
    api.add_router("/", registry_router)
    api.add_router("/", projects_router)
    api.add_router("/", network_router)
    api.add_router("/", events_router)
    api.add_router("/", clusters_router)
    api.add_router("/", awards_router)
    api.add_router("/", consulting_router)
    api.add_router("/", settlement_router)
    api.add_router("/", extraction_router)
    api.add_router("/", news_router)
    api.add_router("/", reporting_router)
    api.add_router("/", accounts_router)


_register_routers()
