"""Reading an article into a pending record, and its review: accept (creates or merges an event through the events
services, with its places and lessons) or reject. Nothing reaches the events without a person's acceptance."""

import datetime
import unicodedata

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation
from khuyencong.core.audit import audit_record
from khuyencong.core.errors import DomainError, InvalidInput, PermissionDenied
from khuyencong.core.permissions import Decision
from khuyencong.core.text import normalize_text
from khuyencong.events import services as events
from khuyencong.events.models import Event, Lesson
from khuyencong.events.vocab import STUDY_TOURS, TOPIC_NAMES_VI, Audience, EventKind, Topic, allowed_contents
from khuyencong.geo.models import REFORM_DATE, AdminUnit, Level, Scheme
from khuyencong.rules.models import FundSource

from .flows import extraction_flow
from .models import ArticleExtraction, ExtractionStatus
from .permissions import can_submit
from .reader import EVENT_KINDS, read_article

MAX_TEXT = 50_000
MAX_LESSONS = 5


def require(decision: Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def clean_text(text) -> str:
    text = unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n")).strip()
    if not text:
        raise InvalidInput(_("Paste the text of the article."), field="text")
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("The article is too long (at most %(max)s characters).") % {"max": f"{MAX_TEXT:,}"
                                                                                              .replace(",", ".")},
                           field="text")
    return text


def read(text, published_on: datetime.date | None = None) -> dict:
    """The record of an article, without saving anything (the API's extract)."""
    return read_article(clean_text(text), published_on, today=timezone.localdate())


def _province_now(record: dict) -> AdminUnit | None:
    code = ((record.get("organiser") or {}).get("value") or {}).get("province_code_now")
    if not code:
        return None
    return AdminUnit.objects.filter(scheme=Scheme.CURRENT, level=Level.PROVINCE, code=code).first()


def extraction_submit(*, actor, text, published_on: datetime.date | None = None, source_title: str = "",
                      source_url: str = "") -> ArticleExtraction:
    """Reads an article into a record waiting for review (the news app calls this for each published article)."""
    require(can_submit(actor))
    text = clean_text(text)
    source_title = normalize_text(source_title)[:300]
    source_url = (source_url or "").strip()[:500]
    if source_url and not source_url.startswith(("http://", "https://")):
        raise InvalidInput(_("The link must start with http:// or https://."), field="source_url")
    record = read_article(text, published_on, today=timezone.localdate())
    title = (record["title"]["value"] or source_title or "")[:300]
    published = record["published_on"]["value"]
    with transaction.atomic():
        extraction = ArticleExtraction.objects.create(
            text=text, source_title=source_title, source_url=source_url,
            published_on=published_on or (datetime.date.fromisoformat(published) if published else None),
            record=record, title=title, province=_province_now(record), created_by=actor)
        audit_record(actor=actor, action="extraction.submit", obj=extraction, changes={"title": [None, title]})
    return extraction


# --- review ---------------------------------------------------------------------------------------------------------


def _value(record: dict, key: str):
    return (record.get(key) or {}).get("value")


def proposal(extraction: ArticleExtraction) -> dict:
    """The event the record proposes, as the review form shows it before the reviewer corrects it."""
    record = extraction.record
    kind = _value(record, "kind")
    content = _value(record, "content") or {}
    organiser = _value(record, "organiser") or {}
    start, end = _value(record, "start_date"), _value(record, "end_date")
    title = extraction.title or extraction.source_title
    return {
        "title": title[:1].upper() + title[1:],
        "kind": EVENT_KINDS.get(kind, "") if kind else "",
        "audience": content.get("audience") or (Audience.OFFICIALS if kind == "study_tour" else ""),
        "fund": FundSource.LOCAL,
        "organiser": organiser.get("organisation_id"),
        "start_date": datetime.date.fromisoformat(start) if start else None,
        "end_date": datetime.date.fromisoformat(end or start) if start else None,
        "lessons": True,
    }


def _unit(scheme: str | None, code) -> AdminUnit | None:
    if not scheme or not code:
        return None
    return AdminUnit.objects.filter(scheme=scheme, level=Level.PROVINCE, code=code).first()


def _event_data(extraction: ArticleExtraction, data: dict) -> dict:
    record = extraction.record
    merged = {**proposal(extraction), **{k: v for k, v in data.items() if v not in (None, "")}}
    organiser = merged.get("organiser")
    if organiser is not None and not isinstance(organiser, Organisation):
        organiser = Organisation.objects.filter(pk=organiser).first()
    if organiser is None:
        raise InvalidInput(_("Choose the organiser of the event (today's organisation)."), field="organiser")
    if merged.get("kind") not in EventKind.values:
        raise InvalidInput(_("Choose the kind of event."), field="kind")
    found = _value(record, "organiser") or {}
    out = {
        "kind": merged["kind"], "audience": merged.get("audience") or "", "title": normalize_text(merged["title"]),
        "organiser": organiser, "fund": merged.get("fund") or FundSource.LOCAL,
        "start_date": merged.get("start_date"), "end_date": merged.get("end_date"),
        "purpose": _("Recorded from the article “%(title)s”.") % {"title": extraction.title or extraction.source_title},
    }
    if out["kind"] in STUDY_TOURS and out["audience"] not in Audience.values:
        out["audience"] = Audience.OFFICIALS
    content = _value(record, "content") or {}
    allowed = allowed_contents(out["kind"], out["audience"])
    out["content"] = content.get("code") if content.get("code") in allowed else (allowed[0] if allowed else None)
    then = _unit(Scheme.LEGACY, found.get("province_code_then"))
    start = out["start_date"]
    if then is not None and isinstance(start, datetime.date) and start < REFORM_DATE:
        out["organiser_unit_then"] = then
        out["organiser_name_then"] = (found.get("name") or "")[:250]
    return out


def _existing(data: dict) -> Event | None:
    start, end = data.get("start_date"), data.get("end_date")
    if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
        return None
    return (Event.objects.filter(organiser=data["organiser"], kind=data["kind"], start_date__lte=end,
                                 end_date__gte=start).order_by("start_date", "pk").first())


def _add_places(actor, event: Event, record: dict, notes: list[str]) -> None:
    have = set(event.places.values_list("unit_id", flat=True))
    for place in _value(record, "places") or []:
        unit = _unit(place.get("scheme_then"), place.get("code_then"))
        if unit is None or unit.pk in have:
            continue
        try:
            events.event_place_add(actor=actor, event=event, unit=unit)
            have.add(unit.pk)
        except DomainError as exc:
            notes.append(f"{place.get('name')}: {exc}")


def _add_lessons(actor, event: Event, record: dict, notes: list[str]) -> int:
    if not event.is_study_tour:
        return 0
    lessons = _value(record, "lessons") or []
    topics = [t["code"] for t in _value(record, "topics") or []]
    made = 0
    for place in (_value(record, "places") or [])[:MAX_LESSONS]:
        today_unit = _unit(Scheme.CURRENT, place.get("code_now"))
        if today_unit is None:
            continue
        lesson = next((item for item in lessons if item.get("topics")), lessons[0] if lessons else None)
        topic = (lesson or {}).get("topics", [None])[0] if lesson and lesson.get("topics") else None
        topic = topic or next(iter(topics), Topic.MANAGEMENT_CAPACITY)
        title = _("Lessons on %(topic)s in %(place)s") % {"topic": TOPIC_NAMES_VI.get(topic, topic),
                                                         "place": place.get("name")}
        if Lesson.objects.filter(event=event, province=today_unit, title=title).exists():
            continue
        then = _unit(place.get("scheme_then"), place.get("code_then"))
        data = {"topic": topic, "title": title[:300], "province": today_unit, "event": event,
                "place_then": then if then is not None and then.scheme == Scheme.LEGACY else None,
                "practice": (lesson or {}).get("text") or title}
        try:
            events.lesson_create(actor=actor, data=data, author_province=event.province)
            made += 1
        except DomainError as exc:
            notes.append(f"{place.get('name')}: {exc}")
    return made


def extraction_accept(*, actor, extraction: ArticleExtraction, version: int, data: dict | None = None,
                      on_date: datetime.date | None = None) -> ArticleExtraction:
    """Creates the event the reviewer confirmed (or merges the record into the organiser's event of the same kind
    and days): its places as they were then, and a lesson for each host province of a study tour."""
    data = dict(data or {})
    with_lessons = data.pop("lessons", True)
    on_date = on_date or timezone.localdate()
    row = extraction_flow.check(extraction, actor, "accept", on_date=on_date)
    clean = _event_data(extraction, data)
    notes: list[str] = []
    with transaction.atomic():
        event = _existing(clean)
        merged = event is not None
        if event is None:
            event = events.event_create(actor=actor, data=clean)
        _add_places(actor, event, extraction.record, notes)
        lessons = _add_lessons(actor, event, extraction.record, notes) if with_lessons else 0
        changes = extraction_flow.commit(
            extraction, row, actor=actor, version=version, on_date=on_date,
            fields={"event": event, "merged": merged, "decided_by": actor, "decided_on": on_date,
                    "reason": "; ".join(notes)[:300]},
            conflict=_("Someone else reviewed this article after you opened it. Reload to see what was decided."))
        audit_record(actor=actor, action="extraction.accept", obj=extraction,
                     changes={**changes, "event": [None, event.pk], "merged": [None, merged],
                              "lessons": [None, lessons]})
    return extraction


def extraction_reject(*, actor, extraction: ArticleExtraction, version: int, reason: str,
                      on_date: datetime.date | None = None) -> ArticleExtraction:
    inputs = {"reason": normalize_text(reason)[:300]}
    on_date = on_date or timezone.localdate()
    row = extraction_flow.check(extraction, actor, "reject", inputs=inputs, on_date=on_date)
    with transaction.atomic():
        changes = extraction_flow.commit(
            extraction, row, actor=actor, version=version, inputs=inputs, on_date=on_date,
            fields={"reason": inputs["reason"], "decided_by": actor, "decided_on": on_date},
            conflict=_("Someone else reviewed this article after you opened it. Reload to see what was decided."))
        audit_record(actor=actor, action="extraction.reject", obj=extraction,
                     changes={**changes, "reason": [None, inputs["reason"]]})
    return extraction


__all__ = ["ExtractionStatus", "extraction_accept", "extraction_reject", "extraction_submit", "proposal", "read"]
