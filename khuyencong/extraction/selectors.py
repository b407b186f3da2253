"""Reads of extractions, shared by the pages and the API: scoped like the rest (the organiser's province today),
plus what the user pasted themselves when the province was not recognised."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext_lazy

from khuyencong.accounts.scope import user_scope
from khuyencong.core.errors import NotFound
from khuyencong.core.text import fold

from .models import ArticleExtraction, ExtractionStatus
from .permissions import is_staff


def extractions_for(user, *, status: str = "", q: str = "") -> QuerySet[ArticleExtraction]:
    if not is_staff(user):
        return ArticleExtraction.objects.none()
    qs = ArticleExtraction.objects.select_related("province", "event", "created_by")
    scope = user_scope(user)
    if not scope.national:
        qs = qs.filter(Q(province_id__in=scope.province_ids) | Q(province__isnull=True, created_by=user))
    if status in ExtractionStatus.values:
        qs = qs.filter(status=status)
    words = fold(q)
    if words:
        qs = qs.filter(search_text__contains=words)
    return qs.order_by("-created_at", "-id")


def extraction_rows(user, *, status: str = "", q: str = "") -> QuerySet[ArticleExtraction]:
    """The list: without the article texts and records (a list shows titles)."""
    return extractions_for(user, status=status, q=q).defer("text", "search_text", "record")


def extraction_get(user, pk: int) -> ArticleExtraction:
    found = extractions_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such article extraction, or it is outside your area."))
    return found


def counts(user) -> dict[str, int]:
    """How many extractions of each status the user sees (the list page's tabs and the API give the same)."""
    rows = extractions_for(user).order_by().values_list("status").annotate(n=Count("id"))
    found = dict(rows)
    return {status: found.get(status, 0) for status in ExtractionStatus.values}


# --- the record as the review page shows it ------------------------------------------------------------------------

FIELD_LABELS = {
    "title": pgettext_lazy("article field", "Title"),
    "published_on": _l("Published on"),
    "kind": _l("Kind of activity"),
    "status": _l("Status at publication"),
    "organiser": _l("Organiser"),
    "start_date": _l("From"),
    "end_date": _l("Until"),
    "places": _l("Places visited or hosting"),
    "head": _l("Head of delegation"),
    "participants": pgettext_lazy("article field", "Participants"),
    "topics": _l("Topics"),
    "content": pgettext_lazy("article field", "KC content"),
    "site_visits": _l("Site visits"),
    "lessons": _l("Lessons and exchanges"),
}

KIND_LABELS = {"study_tour": _l("Study tour"), "training": _l("Training course"), "workshop": _l("Workshop or seminar"),
               "fair": _l("Fair or exhibition"), "demonstration": _l("Technical demonstration"), "other": _l("Other")}
STATUS_LABELS = {"planned": pgettext_lazy("article status", "Planned"), "in_progress": _l("Under way"),
                 "held": _l("Held")}


def _dmy(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return ""


def _place(item: dict) -> str:
    then, now = item.get("name_then") or item.get("name"), item.get("name_now")
    if now and now != then:
        return _("%(then)s (today %(now)s)") % {"then": then, "now": now}
    return then or ""


def _text(key: str, value) -> list[str]:
    """The value in words, one line per item."""
    if value in (None, "", []):
        return []
    if key in ("published_on", "start_date", "end_date"):
        return [_dmy(value)]
    if key == "kind":
        return [str(KIND_LABELS.get(value, value))]
    if key == "status":
        return [str(STATUS_LABELS.get(value, value))]
    if key == "organiser":
        line = value.get("name") or ""
        then, now = value.get("province_then"), value.get("province_now")
        if then and now and then != now:
            line += " — " + _("%(then)s, today %(now)s") % {"then": then, "now": now}
        elif then:
            line += f" — {then}"
        return [line]
    if key == "places":
        return [_place(item) for item in value]
    if key == "head":
        return [" ".join(p for p in (value.get("honorific"), value.get("name")) if p)
                + (f", {value['title']}" if value.get("title") else "")]
    if key == "participants":
        return [f"{item['count']} {item['group']}" if item.get("count") else item["group"] for item in value]
    if key == "topics":
        return [item.get("label") or item.get("code") for item in value]
    if key == "content":
        return [value.get("name") or ""]
    if key == "site_visits":
        return [item.get("description") for item in value]
    if key == "lessons":
        return [item.get("text") for item in value]
    return [str(value)]


def describe(extraction: ArticleExtraction) -> list[dict]:
    """One row per field: its label, its value in words, how sure the reader is, and the words of the article."""
    rows = []
    for key, label in FIELD_LABELS.items():
        found = extraction.record.get(key) or {}
        span = found.get("span")
        excerpt = ""
        if span and 0 <= span[0] < span[1] <= len(extraction.text):
            excerpt = extraction.text[span[0]:span[1]][:300]
        rows.append({"key": key, "label": label, "lines": _text(key, found.get("value")),
                     "confidence": round(100 * float(found.get("confidence") or 0)), "excerpt": excerpt})
    return rows
