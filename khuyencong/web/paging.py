from django.conf import settings
from django.core.paginator import Paginator


def page_context(request, queryset, per_page: int | None = None) -> dict:
    """The page of rows to show and the query string that keeps the user's filters across pages."""
    page = Paginator(queryset, per_page or settings.KC_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {"page": page, "querystring": params.urlencode()}
