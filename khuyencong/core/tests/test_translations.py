"""Every app's Vietnamese catalogue is complete: no string of the code is left untranslated or fuzzy."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = sorted(ROOT.glob("khuyencong/*/locale/vi/LC_MESSAGES/django.po"))


def entries(path: Path) -> dict[str, list[str]]:
    """msgid → msgstr values (plural forms included), with 'fuzzy' marked as None."""
    result: dict[str, list[str]] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        current, msgid, strs = None, [], {}
        for line in lines:
            if line.startswith("msgid "):
                current, msgid = "id", [line[6:]]
            elif line.startswith("msgid_plural "):
                current = "plural"
            elif line.startswith("msgstr"):
                key, _, value = line.partition(" ")
                current = key
                strs[key] = [value]
            elif line.startswith('"') and current:
                (msgid if current == "id" else strs.setdefault(current, [])).append(line)
        if not msgid:
            continue
        text = "".join(json.loads(part) for part in msgid)
        if text == "":
            continue
        values = ["".join(json.loads(p) for p in parts) for parts in strs.values()]
        result[text] = None if fuzzy else values
    return result


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_fully_translated(path):
    missing = [msgid for msgid, values in entries(path).items() if not values or not all(values)]
    assert not missing, f"{path}: untranslated or fuzzy: {missing[:10]}"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed (apt-get install gettext)")
@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_has_every_string_of_the_code(path, tmp_path):
    app_dir = path.parents[3]
    copy = tmp_path / app_dir.name
    shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        # django-admin, not `python -m django`: the app's selectors.py would shadow the standard library's.
        [str(Path(sys.executable).parent / "django-admin"), "makemessages", "-l", "vi", "--no-location",
         "--no-obsolete", "-v", "0"],
        cwd=copy, env=env, check=True,
    )
    fresh = set(entries(copy / "locale/vi/LC_MESSAGES/django.po"))
    absent = sorted(fresh - set(entries(path)))
    assert not absent, f"{path}: strings in the code missing from the catalogue (run `make messages`): {absent[:10]}"


def test_a_string_has_one_translation_across_modules():
    """Django merges the apps' catalogues and the app listed first in INSTALLED_APPS wins: the same msgid translated
    differently in two modules would silently show the other module's word (an "Approve" of one flow on another's
    button). Give such strings a context (pgettext) or the same translation."""
    import polib
    from django.apps import apps

    order = [config.path for config in apps.get_app_configs()]
    first: dict[tuple, tuple[str, str]] = {}
    clashes = []
    for app_path in order:
        path = Path(app_path) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            value = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
            key = (entry.msgctxt, entry.msgid)
            owner = first.setdefault(key, (path.parts[-5], value))
            if owner[1] != value and "khuyencong" in path.parts:
                clashes.append(f"{entry.msgid!r} ({entry.msgctxt or 'no context'}): {owner[0]} “{owner[1]}” wins over "
                               f"{path.parts[-5]} “{value}”")
    assert not clashes, "\n".join(clashes)
