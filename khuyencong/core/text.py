"""Vietnamese text: NFC normalisation of every input and a folded form for search.

Spreadsheets and phones send the same word in NFC, NFD, or with a precomposed "Đ"; search must treat
"Đông", "dong", "ĐÔNG" and NFD input as one word.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Letters with no decomposition in Unicode that Vietnamese users type as their base letter.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def normalize_text(value: str | None) -> str:
    """NFC, trimmed, inner whitespace collapsed to single spaces. None becomes ""."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def fold(value: str | None) -> str:
    """Lowercase, without diacritics, đ → d, whitespace collapsed: the form search compares."""
    text = normalize_text(value).translate(_FOLD_EXTRA)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Again after the marks are gone: a stray mark typed after a space ("Hà ̀Nội") left two spaces.
    return _SPACES.sub(" ", stripped).strip().lower().translate(_FOLD_EXTRA)
