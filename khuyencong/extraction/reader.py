"""Reading a Vietnamese news article into an activity record, offline.

Rules, regular expressions and gazetteers built from our own database: the provinces of both schemes (`geo`), the
organisations (`accounts`), the KC topics of lessons (`events.vocab`) and contents (`rules`), the establishments of
the host provinces (`registry`). No model, no download, no new dependency: the articles KC centres publish follow a
handful of set phrases ("Đoàn công tác do bà … làm trưởng đoàn", "từ ngày … đến ngày …"), which rules read more
reliably than a general-purpose NLP package would, and every answer can be explained by its span.

`read_article(text, published_on=None)` returns a dict whose top-level fields are each
`{"value": ..., "span": [start, end] | None, "confidence": 0–1}`. Spans index the text after NFC normalisation
(`prepare(text)`), which is what is stored. Dates are ISO `yyyy-mm-dd` in the record (a machine format); pages show
them as dd/mm/yyyy.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from khuyencong.accounts.models import Organisation, OrganisationKind
from khuyencong.core.text import fold
from khuyencong.events.vocab import TOPIC_NAMES_VI, Audience, EventKind, Topic, allowed_contents
from khuyencong.geo.models import AdminUnit, Level, Scheme
from khuyencong.geo.names import ORGANISATION_FORMS, parse_organisation
from khuyencong.geo.places import read_place
from khuyencong.registry.models import Establishment
from khuyencong.rules.models import ContentItem

KINDS = ("study_tour", "training", "workshop", "fair", "demonstration", "other")
STATUSES = ("planned", "in_progress", "held")

# Characters that look like the ones dates and ranges are written with.
_LOOKALIKE = {"⁄": "/", "∕": "/", "／": "/", "⧸": "/", "╱": "/", "–": "-", "—": "-", "‐": "-", "‑": "-", "‒": "-",
              "−": "-", "－": "-", "․": ".", "\u00a0": " ", "\r": " ", "\t": " "}
_LOOKALIKE.update({chr(0xFF10 + i): str(i) for i in range(10)})  # fullwidth digits
_LOOKALIKE_TABLE = str.maketrans(_LOOKALIKE)

# Words that announce each kind (folded); the title counts three times.
KIND_WORDS = {
    "study_tour": ("hoc tap kinh nghiem", "doan cong tac", "tham quan", "khao sat", "trao doi kinh nghiem",
                   "tham va lam viec", "doan hoc tap"),
    "training": ("tap huan", "dao tao", "lop hoc", "khoa hoc", "boi duong", "truyen nghe"),
    "workshop": ("hoi thao", "hoi nghi", "toa dam", "dien dan"),
    "fair": ("hoi cho", "trien lam", "phien cho", "tuan le hang"),
    "demonstration": ("trinh dien ky thuat", "mo hinh trinh dien"),
}

# Words that name each topic of the lessons (folded), beside the topic's own words in events.vocab.
TOPIC_WORDS = {
    Topic.COLLABORATOR_NETWORK: ("cong tac vien",),
    Topic.PROJECT_MANAGEMENT: ("trien khai cac de an", "quan ly de an", "de an khuyen cong"),
    Topic.SUPERVISION: ("giam sat", "kiem tra"),
    Topic.SETTLEMENT: ("quyet toan",),
    Topic.TRAINING: ("dao tao nghe", "truyen nghe"),
    Topic.DEMONSTRATION_MODELS: ("mo hinh trinh dien",),
    Topic.TECHNOLOGY_TRANSFER: ("chuyen giao cong nghe", "may moc thiet bi"),
    Topic.PRODUCT_DEVELOPMENT: ("phat trien san pham",),
    Topic.CLUSTER_MANAGEMENT: ("cum cong nghiep",),
    Topic.CONSULTING_SERVICES: ("tu van",),
    Topic.TRADE_PROMOTION: ("xuc tien thuong mai", "hoi cho", "quang ba"),
    Topic.POLICY: ("co che chinh sach", "chinh sach ho tro"),
    Topic.MANAGEMENT_CAPACITY: ("nang cao nang luc", "kinh nghiem quan ly", "quan ly khuyen cong"),
}

PARTICIPANT_GROUPS = ("cong tac vien khuyen cong", "cong tac vien", "hoc vien", "dai bieu", "doanh nghiep",
                      "co so cong nghiep nong thon", "co so", "thanh vien", "can bo", "nguoi", "lao dong",
                      "hop tac xa", "nghe nhan")

_FURNITURE = ("cac bai viet da dang", "cac bai viet khac", "bai viet lien quan", "tin lien quan", "tin khac",
              "chia se bai viet", "in bai viet", "logo", "quay lai", "xem them", "binh luan")


@dataclass
class Prepared:
    text: str  # NFC: what spans index
    clean: str  # look-alike characters replaced (same length)
    folded: str  # lower case, no diacritics (same length)
    body: str  # folded, page furniture blanked out (same length)
    title_span: tuple[int, int] | None
    published_on: datetime.date | None
    published_span: tuple[int, int] | None


def prepare(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def _fold_keep(text: str) -> str:
    """Folded text of the same length: each character folds to one."""
    out = []
    for ch in text:
        f = ch if ch == "\n" else (fold(ch) if not ch.isspace() else " ")
        out.append(f[:1] if f else " ")
    return "".join(out)


def _field(value, span=None, confidence=0.0) -> dict:
    return {"value": value, "span": list(span) if span else None, "confidence": round(float(confidence), 2)}


def _date(day, month, year) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


_ISO_LEAD = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*-\s*")
_BYLINE = re.compile(r"^[^\W\d_][\w .]{1,40}\s-\s[\w&. ]{2,30}\.?$")


def _prepare(raw: str, published_on: datetime.date | None) -> Prepared:
    text = prepare(raw)
    clean = text.translate(_LOOKALIKE_TABLE)
    folded = _fold_keep(clean)
    body = list(folded)
    title_span = None
    published_span = None
    offset = 0
    lines = clean.split("\n")
    content_lines = []
    for line in lines:
        start, end = offset, offset + len(line)
        offset = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        f = folded[start:end].strip()
        furniture = any(f.startswith(w) for w in _FURNITURE) or f.startswith("nguon:") or f.startswith("nguon :")
        if not furniture and _BYLINE.match(stripped) and len(stripped.split()) <= 8:
            furniture = True
        if furniture:
            body[start:end] = " " * (end - start)
            continue
        content_lines.append((start, end))
    for start, end in content_lines:
        match = _ISO_LEAD.match(clean[start:end])
        if match:
            found = _date(match.group(3), match.group(2), match.group(1))
            if found is not None:
                published_span = (start + match.start(1), start + match.end(3))
                published_on = published_on or found
                body[start:start + match.end()] = " " * match.end()
    if content_lines:
        start, end = content_lines[0]
        line = clean[start:end]
        lead = len(line) - len(line.lstrip())
        title_start = start + lead
        colon = line.find(":")
        if 0 < colon < 60 and parse_organisation(line[:colon]) is not None:  # the publisher, not the organiser
            body[start:start + colon + 1] = " " * (colon + 1)
            title_start = start + colon + 1
            title_start += len(clean[title_start:end]) - len(clean[title_start:end].lstrip())
        if end - title_start <= 250 and not clean[start:end].rstrip().endswith("."):
            title_span = (title_start, len(clean[:end].rstrip()))
    return Prepared(text=text, clean=clean, folded=folded, body="".join(body), title_span=title_span,
                    published_on=published_on, published_span=published_span)


# --- dates ----------------------------------------------------------------------------------------------------------

_D, _M, _Y = r"(\d{1,2})", r"(\d{1,2})", r"(\d{4})"
_SEP = r"\s*(?:-|den|toi|va)\s*(?:ngay\s*)?"
DATE_PATTERNS = [
    # từ ngày 28/11/2016 đến ngày 06/12/2016
    (re.compile(rf"{_D}/{_M}/{_Y}{_SEP}{_D}/{_M}/{_Y}"), (1, 2, 3, 4, 5, 6), 0.95),
    # 30/11 - 2/12/2016
    (re.compile(rf"(?<![\d/]){_D}/{_M}{_SEP}{_D}/{_M}/{_Y}"), (1, 2, 5, 3, 4, 5), 0.9),
    # 17- 18/5/2018, từ ngày 17 đến 18/5/2018
    (re.compile(rf"(?<![\d/]){_D}{_SEP}{_D}/{_M}/{_Y}"), (1, 3, 4, 2, 3, 4), 0.9),
    # ngày 17/5/2018
    (re.compile(rf"(?<![\d/]){_D}/{_M}/{_Y}"), (1, 2, 3, 1, 2, 3), 0.6),
]


def _read_dates(p: Prepared) -> tuple[dict, dict]:
    for pattern, (d1, m1, y1, d2, m2, y2), confidence in DATE_PATTERNS:
        for match in pattern.finditer(p.body):
            start = _date(match.group(d1), match.group(m1), match.group(y1))
            end = _date(match.group(d2), match.group(m2), match.group(y2))
            if start is None or end is None or end < start or (end - start).days > 366:
                continue
            span = match.span()
            return (_field(start.isoformat(), span, confidence), _field(end.isoformat(), span, confidence))
    return _field(None), _field(None)


def _status(start: str | None, end: str | None, on: datetime.date) -> tuple[str | None, float]:
    if not start:
        return None, 0.0
    first, last = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end or start)
    if last < on:
        return "held", 0.9
    if first <= on:
        return "in_progress", 0.8
    return "planned", 0.8


# --- kind, topics -------------------------------------------------------------------------------------------------


def _first(body: str, word: str, start: int = 0) -> int:
    match = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", body[start:])
    return start + match.start() if match else -1


def _read_kind(p: Prepared) -> dict:
    scores, spans = {}, {}
    title = p.body[p.title_span[0]:p.title_span[1]] if p.title_span else ""
    for kind, words in KIND_WORDS.items():
        score = 0
        for word in words:
            hits = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", p.body)]
            score += len(hits) + (2 * title.count(word))
            if hits and kind not in spans:
                spans[kind] = hits[0]
        if score:
            scores[kind] = score
    if not scores:
        return _field("other", None, 0.3)
    best = max(scores, key=scores.get)
    share = scores[best] / sum(scores.values())
    return _field(best, spans.get(best), 0.5 + 0.45 * share)


def _topic_words(topic) -> tuple[str, ...]:
    return (*TOPIC_WORDS.get(topic, ()), fold(TOPIC_NAMES_VI.get(topic.value, "")))


def _read_topics(p: Prepared, orgs: list[dict]) -> dict:
    """Topics named in the text, outside the organisations' names ("… và Tư vấn phát triển công nghiệp")."""
    body = list(p.body)
    for org in orgs:
        body[org["start"]:org["end"]] = " " * (org["end"] - org["start"])
    body = "".join(body)
    found = []
    for topic in Topic:
        hits = [(i, w) for w in _topic_words(topic) if w and (i := _first(body, w)) >= 0]
        if hits:
            i, word = min(hits)
            found.append({"code": topic.value, "label": TOPIC_NAMES_VI.get(topic.value, ""),
                          "span": [i, i + len(word)]})
    found.sort(key=lambda t: t["span"][0])
    spans = [t["span"] for t in found]
    span = (spans[0][0], max(s[1] for s in spans)) if spans else None
    return _field(found, span, 0.7 if found else 0.0)


# --- gazetteer of provinces ---------------------------------------------------------------------------------------


ALIASES = {"Hồ Chí Minh": ("TP.HCM", "TPHCM", "TP. HCM", "TP HCM", "Sài Gòn"), "Hà Nội": ("TP. Hà Nội",),
           "Thừa Thiên Huế": ("Huế",)}


class Gazetteer:
    """The provinces of both schemes by their short names (folded): two small queries per reading."""

    def __init__(self):
        units = list(AdminUnit.objects.filter(level=Level.PROVINCE).only("id", "scheme", "code", "name", "short_name"))
        self.names: dict[str, list[AdminUnit]] = {}
        for unit in units:
            for name in {unit.short_name, *ALIASES.get(unit.short_name, ())}:
                key = fold(name)
                if key:
                    self.names.setdefault(key, []).append(unit)
        # longest first, so "thanh pho ho chi minh" wins over "ho chi minh"
        keys = sorted(self.names, key=len, reverse=True)
        self.pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in keys) + r")(?!\w)") if keys else None

    def mentions(self, p: Prepared) -> list[tuple[int, int, str]]:
        if self.pattern is None:
            return []
        capitals = any(ch.isupper() for ch in p.text)
        out = []
        for match in self.pattern.finditer(p.body):
            start, end = match.span()
            if capitals and not p.text[start].isupper():
                continue
            out.append((start, end, p.text[start:end]))
        return out


# --- organiser ----------------------------------------------------------------------------------------------------

_ORG_PATTERN = re.compile(
    r"(?<!\w)(" + "|".join(r"\s+".join(map(re.escape, form.split())) for form, _kind, _name in ORGANISATION_FORMS)
    + r")(?!\w)")
_ORG_JOINERS = str.maketrans({"&": " ", "-": " ", "/": " "})
_PLACE_LEAD = re.compile(r"\s*(?:cua\s+)?(?:tinh|thanh pho|tp\.?)?\s*")


def _org_mentions(p: Prepared, provinces: list[tuple[int, int, str]]) -> list[dict]:
    by_start = {s: (s, e, name) for s, e, name in provinces}
    out = []
    body = p.body.translate(_ORG_JOINERS)  # "TTKC&XTTM", "TTKC - TVPTCN": same length
    for match in _ORG_PATTERN.finditer(body):
        written = " ".join(match.group(1).split())
        kind = next(k for form, k, _n in ORGANISATION_FORMS if form == written)
        lead = _PLACE_LEAD.match(p.body, match.end())
        place = by_start.get(lead.end())
        end = place[1] if place else match.end()
        out.append({"start": match.start(), "end": end, "kind": kind, "place": place,
                    "organises": bool(re.match(r"\s*(?:da\s+)?(?:to chuc|thuc hien|phoi hop)", p.body[end:end + 30]))})
    return out


def _read_organiser(p: Prepared, orgs: list[dict], on: datetime.date) -> tuple[dict, tuple | None]:
    with_place = [o for o in orgs if o["place"] is not None]
    ranked = sorted(with_place, key=lambda o: (not o["organises"], o["kind"] != "kc_centre", o["start"]))
    if not ranked:
        return _field(None), None
    org = ranked[0]
    name = p.text[org["start"]:org["end"]]
    reading = read_place(org["place"][2], on)
    now = reading.now[0] if len(reading.now) == 1 else None
    organisation = None
    if now is not None:
        kind = OrganisationKind.KC_CENTRE if org["kind"] == "kc_centre" else OrganisationKind.DOIT
        organisation = Organisation.objects.filter(province=now, kind=kind, is_active=True).order_by("pk").first()
    value = {
        "name": name,
        "kind": org["kind"],
        "province_then": reading.then.name if reading.then else None,
        "province_code_then": reading.then.code if reading.then else None,
        "province_now": now.name if now else None,
        "province_code_now": now.code if now else None,
        "organisation_id": organisation.pk if organisation else None,
        "organisation_name_now": organisation.name if organisation else None,
    }
    confidence = (0.9 if org["organises"] else 0.7) if reading.then else 0.4
    return _field(value, (org["start"], org["end"]), confidence), org["place"]


# --- places -------------------------------------------------------------------------------------------------------


def _read_places(p: Prepared, provinces, orgs, organiser_place, on: datetime.date) -> dict:
    organiser_key = fold(organiser_place[2]) if organiser_place else None
    inside_org = {o["place"][0] for o in orgs if o["place"] is not None and fold(o["place"][2]) == organiser_key}
    seen, items = set(), []
    for start, end, name in provinces:
        key = fold(name)
        if key == organiser_key or start in inside_org or key in seen:
            continue
        seen.add(key)
        reading = read_place(name, on)
        now = reading.now
        items.append({
            "name": name, "level": Level.PROVINCE.value,
            "code_then": reading.then.code if reading.then else None,
            "name_then": reading.then.name if reading.then else None,
            "scheme_then": reading.then.scheme if reading.then else None,
            "code_now": now[0].code if len(now) == 1 else None,
            "name_now": now[0].name if len(now) == 1 else None,
            "codes_now": [u.code for u in now],
            "span": [start, end],
        })
    span = (items[0]["span"][0], items[-1]["span"][1]) if items else None
    resolved = sum(1 for i in items if i["code_then"])
    return _field(items, span, (0.85 * resolved / len(items)) if items else 0.0)


# --- head and participants ----------------------------------------------------------------------------------------

_NAME_WORD = r"[A-ZÀ-ỸĐ][a-zà-ỹđ]+"
_HEAD = re.compile(rf"(?<!\w)(ông|bà|Ông|Bà)\s+((?:{_NAME_WORD}\s+){{1,4}}{_NAME_WORD})(\s*,\s*([^,]{{3,80}}?)\s*,)?")
_HEAD_WORDS = ("truong doan", "dan dau", "lam truong", "chu tri")


def _read_head(p: Prepared) -> dict:
    for match in _HEAD.finditer(p.text):
        if p.body[match.start()] == " ":  # in page furniture
            continue
        after = p.body[match.end():match.end() + 60]
        before = p.body[max(0, match.start() - 40):match.start()]
        if any(w in after for w in _HEAD_WORDS) or "truong doan" in before:
            title = match.group(4) or ("Trưởng đoàn" if "truong doan" in after + before else "")
            value = {"name": match.group(2), "honorific": match.group(1).lower(), "title": title.strip()}
            return _field(value, match.span(), 0.85)
    return _field(None)


_COUNT = re.compile(r"(?<![\d/])(\d{1,5})\s+(" + "|".join(re.escape(g) for g in PARTICIPANT_GROUPS) + r")(?!\w)")
_COMPOSITION = re.compile(r"thanh phan(?: doan)?(?: gom)?(?: co)?\s*:?\s*([^.]{5,400})\.")


def _read_participants(p: Prepared) -> dict:
    items = []
    for match in _COUNT.finditer(p.body):
        items.append({"group": p.text[match.start(2):match.end(2)], "count": int(match.group(1)),
                      "span": list(match.span())})
    composition = _COMPOSITION.search(p.body)
    if composition:
        start = composition.start(1)
        for part in re.finditer(r"[^;]+", p.body[start:composition.end(1)]):
            s, e = start + part.start(), start + part.end()
            words = p.text[s:e].strip(" ,")
            if words and not any(i["span"][0] >= s and i["span"][1] <= e for i in items):
                lead = len(p.text[s:e]) - len(p.text[s:e].lstrip(" ,"))
                items.append({"group": words, "count": None, "span": [s + lead, s + lead + len(words)]})
    items.sort(key=lambda i: i["span"][0])
    span = (items[0]["span"][0], items[-1]["span"][1]) if items else None
    confidence = 0.8 if any(i["count"] for i in items) else (0.5 if items else 0.0)
    return _field(items, span, confidence)


# --- site visits and lessons -----------------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^.;\n]+")
_VISIT = re.compile(r"(?<!\w)(tham quan|di tham|tham mot so|tham cac|khao sat)(?!\w)")
_SITE = re.compile(r"(?<!\w)(mo hinh|co so|lang nghe|doanh nghiep|hop tac xa|nha may|xuong|cong ty|htx)(?!\w)")


_PROPER = re.compile(rf"(?:cơ sở|công ty|HTX|hợp tác xã|làng nghề)\s+({_NAME_WORD}(?:\s+{_NAME_WORD})*)")


def _read_visits(p: Prepared, establishments: dict[str, int]) -> dict:
    items = []
    for sentence in _SENTENCE.finditer(p.body):
        text = sentence.group(0)
        visit = _VISIT.search(text)
        site = _SITE.search(text, visit.end()) if visit else None
        if not site:
            continue
        s, e = sentence.start() + visit.start(), sentence.end()
        named = next((pk for key, pk in establishments.items() if key in text), None)
        proper = _PROPER.search(p.text[s:e])
        items.append({"description": p.text[s:e].strip(), "named": bool(named or proper),
                      "name": proper.group(1) if proper else None, "establishment_id": named, "span": [s, e]})
    span = (items[0]["span"][0], items[-1]["span"][1]) if items else None
    return _field(items, span, 0.6 if items else 0.0)


def _read_lessons(p: Prepared, topics: list[dict]) -> dict:
    items = []
    for sentence in _SENTENCE.finditer(p.body):
        text = sentence.group(0)
        exchange = "noi dung" in text and any(w in text for w in ("trao doi", "tap trung", "lam viec"))
        if not ("bai hoc" in text or "chia se kinh nghiem" in text or exchange):
            continue
        codes = [t["code"] for t in topics if any(w and w in text for w in _topic_words(Topic(t["code"])))]
        items.append({"text": p.text[sentence.start():sentence.end()].strip(), "topics": codes,
                      "span": [sentence.start(), sentence.end()]})
        if len(items) == 3:
            break
    span = (items[0]["span"][0], items[-1]["span"][1]) if items else None
    return _field(items, span, 0.5 if items else 0.0)


def _content(kind: str, participants: list[dict]) -> dict:
    """The KC content an event of this kind is financed under (the first the events module allows)."""
    event_kind = EVENT_KINDS.get(kind)
    if event_kind is None:
        return _field(None)
    audience = ""
    if event_kind == EventKind.STUDY_TOUR_DOMESTIC:
        groups = " ".join(fold(i["group"]) for i in participants)
        audience = Audience.MIXED if ("co so" in groups or "doanh nghiep" in groups) else Audience.OFFICIALS
    codes = allowed_contents(event_kind, audience)
    if not codes:
        return _field(None)
    item = ContentItem.objects.filter(code=codes[0]).first()
    return _field({"code": codes[0], "name": item.name if item else "", "event_kind": event_kind.value,
                   "audience": audience}, None, 0.6)


# The event kind an extracted kind becomes (demonstration and other have none: the reviewer chooses).
EVENT_KINDS = {
    "study_tour": EventKind.STUDY_TOUR_DOMESTIC,
    "training": EventKind.TRAINING,
    "workshop": EventKind.WORKSHOP,
    "fair": EventKind.FAIR_ORGANISED,
}


def read_article(text: str, published_on: datetime.date | None = None, *, today: datetime.date | None = None) -> dict:
    p = _prepare(text, published_on)
    start, end = _read_dates(p)
    on = datetime.date.fromisoformat(start["value"]) if start["value"] else (p.published_on or today
                                                                            or datetime.date.today())
    gazetteer = Gazetteer()
    provinces = gazetteer.mentions(p)
    orgs = _org_mentions(p, provinces)
    organiser, organiser_place = _read_organiser(p, orgs, on)
    places = _read_places(p, provinces, orgs, organiser_place, on)
    reference = p.published_on or today or datetime.date.today()
    status, status_confidence = _status(start["value"], end["value"], reference)
    kind = _read_kind(p)
    participants = _read_participants(p)
    topics = _read_topics(p, orgs)
    now_codes = {c for place in places["value"] for c in place["codes_now"]}
    establishments = {}
    if now_codes:
        rows = Establishment.objects.filter(province__scheme=Scheme.CURRENT, province__code__in=now_codes).values_list(
            "pk", "name")[:20000]
        establishments = {key: pk for pk, name in rows if len(key := fold(name)) >= 10}
    title = p.text[p.title_span[0]:p.title_span[1]] if p.title_span else ""
    return {
        "title": _field(title or None, p.title_span, 0.8 if title else 0.0),
        "published_on": _field(p.published_on.isoformat() if p.published_on else None, p.published_span,
                               1.0 if published_on else (0.8 if p.published_on else 0.0)),
        "kind": kind,
        "status": _field(status, start["span"], status_confidence),
        "organiser": organiser,
        "start_date": start,
        "end_date": end,
        "places": places,
        "head": _read_head(p),
        "participants": participants,
        "topics": topics,
        "content": _content(kind["value"], participants["value"]),
        "site_visits": _read_visits(p, establishments),
        "lessons": _read_lessons(p, topics["value"]),
    }
