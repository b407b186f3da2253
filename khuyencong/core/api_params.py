"""Numbers the API accepts, bounded in the OpenAPI document itself: a number out of range gets a 422 with a
Vietnamese message (api/api.py) before it reaches a query. An offset of 2^63 overflows the database's integer and a
year of 10000 the calendar; both used to end in a 500."""

from typing import Annotated

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from .periods import FIRST_YEAR, LAST_YEAR

# The largest value of a 64-bit signed column: every primary key of the product fits in it.
MAX_ID = 2**63 - 1

# A record's number (primary key), in a path or a filter.
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
# A code of the statistics office: 1–2 digits for a province, 3 for a district, 5 for a commune.
UnitCode = Annotated[int, Field(ge=1, le=99_999)]
# The version of a record read before changing it (core.versions).
Version = Annotated[int, Field(ge=1, le=MAX_ID)]
# An amount of đồng: a technical bound a thousand times any year's whole KC budget, so that sums stay exact.
MAX_AMOUNT = 10**15
Amount = Annotated[int, Field(ge=0, le=MAX_AMOUNT)]
# A head count (employees, participants).
Count = Annotated[int, Field(ge=0, le=1_000_000)]
Percent = Annotated[int, Field(ge=0, le=100)]
# OCOP stars, one to five, as the registry accepts them.
OcopStars = Annotated[int, Field(ge=1, le=5)]
# A calendar or plan year, within the years a period may name (core.periods).
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]

# `limit` above this is refused; up to it, a page holds at most the endpoint's `max_limit` rows (KC_API_MAX_LIMIT).
LIMIT_BOUND = 500
# No list of the product comes near ten million rows; a page further is refused rather than asked of the database.
OFFSET_BOUND = 10_000_000


class PageQuery(Schema):
    limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=LIMIT_BOUND,
                       description=f"Rows per page, 1–{LIMIT_BOUND}; a page holds at most "
                                   f"{settings.KC_API_MAX_LIMIT} rows.")
    offset: int = Field(0, ge=0, le=OFFSET_BOUND, description=f"Rows to skip, 0–{OFFSET_BOUND:,}.")


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """django-ninja's limit/offset pages with both numbers bounded, at most KC_API_MAX_LIMIT rows a page."""

    Input = PageQuery

    def __init__(self, max_limit: int = settings.KC_API_MAX_LIMIT, **kwargs):
        super().__init__(max_limit=max_limit, **kwargs)
