"""Comparable keys for administrative-unit names as people type them in spreadsheets.

"Tp. Tân An", "TP Tân An", "Thành phố Tân An" and "tan an" must meet the stored "Thành phố Tân An"; "P.1",
"Phường 01" and "phuong 1" must meet "Phường 1". A name is cut into word and number tokens (so "Q1" is "q" "1"),
folded (no diacritics, đ → d), numbers lose their leading zeros, and a leading unit type ("Huyện", "H.", "TX",
"Q", "P", ...) is set aside as a hint: it chooses between "Thị trấn Yên Viên" and "Xã Yên Viên", but a unit whose
type changed since the spreadsheet was typed ("TX Thủ Dầu Một", a city since 2012) is still found by its name.
"""

import re
import unicodedata
from dataclasses import dataclass

from khuyencong.core.text import fold, normalize_text

from .models import Level, UnitKind

_TOKENS = re.compile(r"\d+|[^\W\d_]+")

# Folded token sequences that open a name, per level, longest first, with the unit kinds they announce.
_PREFIXES: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {
    Level.PROVINCE: [
        (("thanh", "pho", "truc", "thuoc", "trung", "uong"), frozenset({UnitKind.CITY})),
        (("thanh", "pho"), frozenset({UnitKind.CITY})),
        (("thu", "do"), frozenset({UnitKind.CITY})),
        (("tinh",), frozenset({UnitKind.PROVINCE})),
        (("tp",), frozenset({UnitKind.CITY})),
        (("t", "p"), frozenset({UnitKind.CITY})),
        (("t",), frozenset({UnitKind.PROVINCE})),
    ],
    Level.DISTRICT: [
        (("thanh", "pho"), frozenset({UnitKind.PROVINCIAL_CITY})),
        (("thi", "xa"), frozenset({UnitKind.TOWN})),
        (("huyen", "dao"), frozenset({UnitKind.RURAL_DISTRICT})),
        (("huyen",), frozenset({UnitKind.RURAL_DISTRICT})),
        (("quan",), frozenset({UnitKind.URBAN_DISTRICT})),
        (("tp",), frozenset({UnitKind.PROVINCIAL_CITY})),
        (("t", "p"), frozenset({UnitKind.PROVINCIAL_CITY})),
        (("tx",), frozenset({UnitKind.TOWN})),
        (("t", "x"), frozenset({UnitKind.TOWN})),
        (("h",), frozenset({UnitKind.RURAL_DISTRICT})),
        (("q",), frozenset({UnitKind.URBAN_DISTRICT})),
    ],
    Level.COMMUNE: [
        (("thi", "tran"), frozenset({UnitKind.TOWNLET})),
        (("dac", "khu"), frozenset({UnitKind.SPECIAL_ZONE})),
        (("phuong",), frozenset({UnitKind.WARD})),
        (("xa",), frozenset({UnitKind.COMMUNE})),
        (("tt",), frozenset({UnitKind.TOWNLET})),
        (("t", "t"), frozenset({UnitKind.TOWNLET})),
        (("ph",), frozenset({UnitKind.WARD})),
        (("p",), frozenset({UnitKind.WARD})),
        (("x",), frozenset({UnitKind.COMMUNE})),
    ],
}

# The words official names open with ("Thành phố Tân An", "Phường 1"), whatever the level.
_OFFICIAL_PREFIXES = sorted(
    {
        ("thanh", "pho"),
        ("tinh",),
        ("quan",),
        ("huyen",),
        ("thi", "xa"),
        ("xa",),
        ("phuong",),
        ("thi", "tran"),
        ("dac", "khu"),
        ("huyen", "dao"),
    },
    key=len,
    reverse=True,
)


def _number(token: str) -> str:
    return token.lstrip("0") or "0"


_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def roman_value(token: str) -> int | None:
    """ "iv" → 4, "xii" → 12 (up to 39, what ward names use); None for anything else."""
    token = token.lower()
    if not token or not _ROMAN.match(token):
        return None
    total = 0
    for i, ch in enumerate(token):
        value = _ROMAN_VALUES[ch]
        total += -value if i + 1 < len(token) and _ROMAN_VALUES[token[i + 1]] > value else value
    return total


def _arabic(rest: list[str]) -> list[str]:
    """The name after a unit type, a Roman numeral written in figures: "Phường IV" meets "Phường 4"."""
    if len(rest) == 1:
        value = roman_value(rest[0])
        if value is not None:
            return [str(value)]
    return rest


def tokens(value: str | None) -> list[str]:
    """Folded word and number tokens; numbers without leading zeros ("Phường 01" → ["phuong", "1"])."""
    return [_number(t) if t.isdecimal() else t for t in _TOKENS.findall(fold(value))]


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng


def _new_style_tone(token: str) -> str:
    """ "hoà" → "hòa", "thuỷ" → "thủy": both placements of the tone mark are in use; compare one."""
    if len(token) < 2:
        return token
    last = unicodedata.normalize("NFD", token[-1])
    base, marks = last[0], last[1:]
    tone = "".join(m for m in marks if m in _TONE_MARKS)
    if tone and ((token[-2] == "o" and base in "ae") or (token[-2] == "u" and base == "y")):
        rest = "".join(m for m in marks if m not in _TONE_MARKS)
        return token[:-2] + unicodedata.normalize("NFC", token[-2] + tone) + unicodedata.normalize("NFC", base + rest)
    return token


def accent_tokens(value: str | None) -> list[str]:
    """Lower-case tokens that keep the diacritics, to tell "Hoằng Đồng" from "Hoằng Đông"."""
    return [_number(t) if t.isdecimal() else _new_style_tone(t) for t in _TOKENS.findall(normalize_text(value).lower())]


def compact(key: str) -> str:
    """The key without spaces: "Kon Tum" meets "Kontum", "Đạ M'ri" meets "Đạ Mri"."""
    return key.replace(" ", "")


@dataclass(frozen=True)
class NameQuery:
    """A name as typed, read for one level: the keys to look up and the unit kinds its prefix announced."""

    text: str  # as typed, normalised (for messages)
    keys: tuple[str, ...]  # with the prefix set aside, then the whole name
    accent_key: str  # the name with its diacritics, prefix set aside ("" if it cannot be aligned)
    kinds: frozenset[str]  # empty when no prefix was typed

    @property
    def empty(self) -> bool:
        return not self.keys

    @property
    def key(self) -> str:
        return self.keys[0] if self.keys else ""


def parse_name(value: str | None, level: str) -> NameQuery:
    text = normalize_text(value)
    folded = tokens(text)
    if not folded:
        return NameQuery(text=text, keys=(), accent_key="", kinds=frozenset())
    accented = accent_tokens(text)
    aligned = len(accented) == len(folded)
    for prefix, kinds in _PREFIXES[level]:
        n = len(prefix)
        if tuple(folded[:n]) == prefix and len(folded) > n:
            rest = " ".join(_arabic(folded[n:]))
            return NameQuery(
                text=text,
                keys=(rest, " ".join(folded)),
                accent_key=" ".join(accented[n:]) if aligned else "",
                kinds=kinds,
            )
    return NameQuery(
        text=text, keys=(" ".join(folded),), accent_key=" ".join(accented) if aligned else "", kinds=frozenset()
    )


def unit_keys(name: str) -> tuple[str, str, str]:
    """(key without the official prefix, key of the whole name, accent key) of a stored unit name."""
    folded = tokens(name)
    accented = accent_tokens(name)
    n = 0
    for prefix in _OFFICIAL_PREFIXES:
        if tuple(folded[: len(prefix)]) == prefix and len(folded) > len(prefix):
            n = len(prefix)
            break
    accent = " ".join(accented[n:]) if len(accented) == len(folded) else ""
    return " ".join(_arabic(folded[n:]) if n else folded), " ".join(folded), accent


_ANY_PREFIX = sorted({prefix for prefixes in _PREFIXES.values() for prefix, _kinds in prefixes}, key=len, reverse=True)


def search_terms(value: str | None) -> list[str]:
    """Folded forms a free-text search looks for: "Thành phố Hà Nội" and "TP Ha Noi" also look for "ha noi"."""
    folded = fold(value)
    if not folded:
        return []
    parts = tokens(value)
    terms = [folded]
    if parts and " ".join(parts) != folded:
        terms.append(" ".join(parts))
    for prefix in _ANY_PREFIX:
        if tuple(parts[: len(prefix)]) == prefix and len(parts) > len(prefix):
            rest = " ".join(parts[len(prefix) :])
            if rest not in terms and not rest.isdecimal():
                terms.append(rest)
            break
    return terms


# --- organisations ------------------------------------------------------------------------------------------------

# What people write for the bodies of KC work, folded, longest first → (kind, the full name it stands for).
# Kinds: "kc_centre" (a provincial KC centre), "doit" (a provincial Department of Industry and Trade),
# "people_committee" (a People's Committee), "economy_office" (a district office of the economy).
_KC = "Trung tâm Khuyến công"
ORGANISATION_FORMS: list[tuple[str, str, str]] = [
    ("trung tam khuyen cong va xuc tien thuong mai", "kc_centre", f"{_KC} và Xúc tiến thương mại"),
    ("trung tam khuyen cong va tu van phat trien cong nghiep", "kc_centre",
     f"{_KC} và Tư vấn phát triển công nghiệp"),
    ("trung tam khuyen cong va tu van cong nghiep", "kc_centre", f"{_KC} và Tư vấn công nghiệp"),
    ("trung tam khuyen cong", "kc_centre", _KC),
    ("ttkc va xttm", "kc_centre", f"{_KC} và Xúc tiến thương mại"),
    ("ttkc xttm", "kc_centre", f"{_KC} và Xúc tiến thương mại"),
    ("ttkcxttm", "kc_centre", f"{_KC} và Xúc tiến thương mại"),
    ("ttkc va tvptcn", "kc_centre", f"{_KC} và Tư vấn phát triển công nghiệp"),
    ("ttkc tvptcn", "kc_centre", f"{_KC} và Tư vấn phát triển công nghiệp"),
    ("ttkctvptcn", "kc_centre", f"{_KC} và Tư vấn phát triển công nghiệp"),
    ("tt kc va xttm", "kc_centre", f"{_KC} và Xúc tiến thương mại"),
    ("tt kc xttm", "kc_centre", f"{_KC} và Xúc tiến thương mại"),
    ("tt kc va tvptcn", "kc_centre", f"{_KC} và Tư vấn phát triển công nghiệp"),
    ("tt kc tvptcn", "kc_centre", f"{_KC} và Tư vấn phát triển công nghiệp"),
    ("tt khuyen cong", "kc_centre", _KC),
    ("tt kc", "kc_centre", _KC),
    ("ttkc", "kc_centre", _KC),
    ("so cong thuong", "doit", "Sở Công Thương"),
    ("so cong nghiep va thuong mai", "doit", "Sở Công Thương"),
    ("so ct", "doit", "Sở Công Thương"),
    ("sct", "doit", "Sở Công Thương"),
    ("uy ban nhan dan", "people_committee", "Ủy ban nhân dân"),
    ("ubnd", "people_committee", "Ủy ban nhân dân"),
    ("phong kinh te va ha tang", "economy_office", "Phòng Kinh tế và Hạ tầng"),
    ("phong kinh te", "economy_office", "Phòng Kinh tế"),
    ("phong kt ht", "economy_office", "Phòng Kinh tế và Hạ tầng"),
    ("phong kt", "economy_office", "Phòng Kinh tế"),
]
ORGANISATION_FORMS.sort(key=lambda row: len(row[0].split()), reverse=True)

# Words between the body and its place that name the level of the place ("tỉnh", "thành phố", "TP.").
_PLACE_WORDS = [("thanh", "pho"), ("tinh",), ("tp",), ("t", "p"), ("huyen",), ("thi", "xa"), ("tx",), ("quan",)]


@dataclass(frozen=True)
class OrganisationName:
    """An organisation as written: its kind, its name spelt out, and the place named after it (as typed)."""

    text: str
    kind: str
    name: str  # the body spelt out: "Trung tâm Khuyến công và Xúc tiến thương mại"
    place: str  # the place words as typed ("Lai Châu", "tỉnh Bình Dương"), "" when none

    @property
    def full_name(self) -> str:
        return f"{self.name} {self.place}".strip()

    @property
    def place_name(self) -> str:
        words = _TOKENS.findall(normalize_text(self.place))
        folded = tokens(self.place)
        for prefix in _PLACE_WORDS:
            if tuple(folded[: len(prefix)]) == prefix and len(folded) > len(prefix):
                return " ".join(words[len(prefix):])
        return " ".join(words)


_ORG_TOKENS = re.compile(r"\d+|[^\W\d_]+|&")


def parse_organisation(value: str | None) -> OrganisationName | None:
    """ "TTKC&XTTM Lai Châu", "TT KC tỉnh Bình Dương", "Sở CT Long An", "UBND huyện Sìn Hồ" → what body, where.
    None when the text does not open with a body this reader knows."""
    text = normalize_text(value)
    words = _ORG_TOKENS.findall(text)
    folded = [("va" if w == "&" else fold(w)) for w in words]
    for form, kind, name in ORGANISATION_FORMS:
        parts = form.split()
        n = len(parts)
        if folded[:n] == parts:
            return OrganisationName(text=text, kind=kind, name=name, place=" ".join(words[n:]))
        compact_form = form.replace(" ", "")  # "TT KC", "TTKC - XTTM", "Sở CT" written with other spacing
        for k in range(1, min(len(folded), n + 2) + 1):
            if k != n and "".join(folded[:k]) == compact_form:
                return OrganisationName(text=text, kind=kind, name=name, place=" ".join(words[k:]))
    return None
