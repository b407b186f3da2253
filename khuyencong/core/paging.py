from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator


def int_or_none(value) -> int | None:
    """A whole number typed in a URL parameter, or None: only ASCII digits (“²” and “٣” are digits to Python but not to
    int()), and below 2^63 so that no database column overflows."""
    value = str(value or "").strip()
    return int(value) if value.isascii() and value.isdecimal() and len(value) < 19 else None


class CappedPaginator(Paginator):
    """Counts at most `limit` rows (`SELECT COUNT(*) FROM (… LIMIT limit + 1)`): on a national table an exact
    count of every row costs more than the page itself. Beyond the limit, `capped` is true and the pages stop at
    the limit: the user narrows the list with the filters."""

    def __init__(self, object_list, per_page, *, limit: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit

    @cached_property
    def count(self) -> int:
        found = self.object_list[: self.limit + 1].count()
        self.capped = found > self.limit
        return min(found, self.limit)

    capped = False


def page_context(request, queryset, per_page: int | None = None, count_limit: int | None = None) -> dict:
    """The page of rows to show and the query string that keeps the user's filters across pages. With
    `count_limit`, counting stops there (see CappedPaginator)."""
    per_page = per_page or settings.KC_PAGE_SIZE
    paginator = (CappedPaginator(queryset, per_page, limit=count_limit) if count_limit
                 else Paginator(queryset, per_page))
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {"page": page, "querystring": params.urlencode()}
