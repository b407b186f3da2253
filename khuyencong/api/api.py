"""The /api/v1/ JSON API, assembled from each app's router. OpenAPI 3.1 at /api/v1/openapi.json."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from khuyencong.core.errors import DomainError

from .auth import API_AUTH

api = NinjaAPI(
    title="khuyencong API",
    version="1",
    description=(
        "Dữ liệu khuyến công: đơn vị hành chính, tổ chức và các phân hệ. / Industrial promotion data.\n\n"
        "Xác thực bằng phiên đăng nhập của trình duyệt hoặc `Authorization: Bearer <token>` "
        "(tạo bằng `manage.py create_api_token <username>` hoặc trang Tài khoản). "
        "Mọi danh sách trả về `{count, items}` và nhận `limit`/`offset`."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    body = {"code": exc.code, "detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.http_status)


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


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(
        request,
        {"code": "invalid", "detail": _("The request has invalid parameters."), "errors": exc.errors},
        status=422,
    )


def _register_routers() -> None:
    from khuyencong.accounts.api import router as accounts_router
    from khuyencong.events.api import router as events_router
    from khuyencong.geo.api import router as geo_router
    from khuyencong.network.api import router as network_router
    from khuyencong.projects.api import router as projects_router
    from khuyencong.registry.api import router as registry_router
    from khuyencong.reporting.api import router as reporting_router
    from khuyencong.rules.api import router as rules_router

    api.add_router("/geo/", geo_router)
    api.add_router("/rules/", rules_router)
    api.add_router("/", registry_router)
    api.add_router("/", projects_router)
    api.add_router("/", network_router)
    api.add_router("/", events_router)
    api.add_router("/", reporting_router)
    api.add_router("/", accounts_router)


_register_routers()
