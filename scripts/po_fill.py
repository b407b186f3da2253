"""Fills an app's Vietnamese catalogue from a JSON file of translations, and lists what is still untranslated.

    python scripts/po_fill.py khuyencong/<app>                    # lists untranslated msgids (context\x04msgid)
    python scripts/po_fill.py khuyencong/<app> translations.json  # fills empty or fuzzy entries, then lists the rest

The JSON maps a msgid (or "context\\u0004msgid" for pgettext) to its translation; for plural entries, to a list of
forms (Vietnamese has one). Run `make messages` first so the catalogue has every string of the code; existing
translations are never overwritten.
"""

import json
import sys
from pathlib import Path

import polib


def key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def missing(entry: polib.POEntry) -> bool:
    if entry.obsolete:
        return False
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


def main(app: str, translations: str | None = None) -> int:
    path = Path(app) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path), wrapwidth=79)
    if translations:
        table = json.loads(Path(translations).read_text(encoding="utf-8"))
        filled = 0
        for entry in catalogue:
            value = table.get(key(entry))
            if value is None or not missing(entry):
                continue
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                entry.msgstr_plural = {0: forms[0]}
            else:
                entry.msgstr = value if isinstance(value, str) else value[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            filled += 1
        catalogue.save()
        print(f"{path}: {filled} filled", file=sys.stderr)
    left = [key(entry) for entry in catalogue if missing(entry)]
    print(json.dumps(dict.fromkeys(left, ""), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
