"""Vietnamese text: NFC normalisation of every input and a folded form for search.

Spreadsheets and phones send the same word in NFC, NFD, or with a precomposed "Đ"; search must treat
"Đông", "dong", "ĐÔNG" and NFD input as one word.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_text(value: str | None) -> str:
    """NFC, trimmed, inner whitespace collapsed to single spaces. None becomes ""."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def _fold_table() -> dict[int, str | None]:
    """Every precomposed Latin letter → its lowercase base letter; combining marks → removed; đ → d."""
    table: dict[int, str | None] = dict.fromkeys(range(0x0300, 0x0370))
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii():
            table[cp] = base.lower()
    table.update({ord(k): v for k, v in {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"}.items()})
    return table


_FOLD = _fold_table()


def fold(value: str | None) -> str:
    """Lowercase, without diacritics, đ → d, whitespace collapsed: the form search compares."""
    folded = normalize_text(value).translate(_FOLD).lower().translate(_FOLD)
    if not folded.isascii():  # marks outside the Latin block (Vietnamese text is ASCII by now)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    # A stray combining mark after a space leaves a space behind once removed.
    return _SPACES.sub(" ", folded).strip() if "  " in folded or folded.endswith(" ") or folded.startswith(" ") \
        else folded
