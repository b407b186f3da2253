"""Loads the rule tables from `khuyencong/rules/data/*.json` (and the legal parameters each module keeps in its own
`khuyencong/<app>/data/parameters.json`).

Each row carries a stable `key`; loading upserts by key, so running it again changes nothing. A row edited in the
admin (origin=admin) is left as the administrator set it; a file row that has left the file is deleted (except
contents and groups, which other records point to). The whole load is checked before anything is written: field
values, each row's consistency, and that no two rows for the same scope and item are in force on the same day.
A few queries per table, whatever the row count.
"""

import datetime
import itertools
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.errors import InvalidInput

from .models import (
    AdvanceRule,
    AuthorityRule,
    ContentGroup,
    ContentItem,
    CostNorm,
    DeadlineRule,
    EligibilityRule,
    Holiday,
    Parameter,
    RowOrigin,
    RuleRow,
    SupportRate,
    overlap_message,
)

DATA_DIR = Path(__file__).parent / "data"

# (model, file, list in the file, whether rows that left the file are deleted)
TABLES: list[tuple[type[RuleRow], str, str, bool]] = [
    (ContentGroup, "contents.json", "groups", False),
    (ContentItem, "contents.json", "items", False),
    (SupportRate, "support_rates.json", "rows", True),
    (EligibilityRule, "eligibility.json", "rows", True),
    (DeadlineRule, "deadlines.json", "rows", True),
    (AdvanceRule, "advances.json", "rows", True),
    (AuthorityRule, "authorities.json", "rows", True),
    (CostNorm, "cost_norms.json", "rows", True),
    (Parameter, "parameters.json", "rows", True),
    (Holiday, "holidays.json", "rows", True),
]

# Each module's own legal figures (thresholds, caps, deadlines): khuyencong/<app>/data/parameters.json, same shape.
MODULE_PARAMETERS = "parameters.json"

_MANAGED = {"id", "key", "created_at", "updated_at", "version", "origin"}


def _data_fields(model: type[RuleRow]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in _MANAGED]


def _python_value(field: models.Field, raw):
    if raw is None:
        return None
    if isinstance(field, models.DateField):
        return datetime.date.fromisoformat(raw)
    if isinstance(field, models.DecimalField):
        return Decimal(str(raw))
    return raw


def _values(model: type[RuleRow], raw: dict, codes: dict[str, dict[str, int]], where: str) -> dict:
    """The row as attribute values (foreign keys by their code, turned into ids); missing fields take defaults."""
    known = {f.name for f in _data_fields(model)} | {"key", "_comment"}
    unknown = set(raw) - known
    if unknown:
        raise InvalidInput(_("%(where)s: unknown fields %(fields)s.") % {"where": where, "fields": sorted(unknown)})
    values = {}
    for field in _data_fields(model):
        if isinstance(field, models.ForeignKey):
            code = raw.get(field.name)
            if code is None:
                values[field.attname] = None
                continue
            target = codes[field.related_model.__name__].get(code)
            if target is None:
                raise InvalidInput(_("%(where)s: unknown %(field)s “%(code)s”.") % {
                    "where": where, "field": field.name, "code": code})
            values[field.attname] = target
        elif field.name in raw:
            values[field.attname] = _python_value(field, raw[field.name])
        else:
            values[field.attname] = field.get_default()
    return values


def _check(obj: RuleRow, where: str) -> None:
    fk_names = [f.name for f in obj._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    try:
        obj.clean_fields(exclude=[*fk_names, "key"])
        obj.validate_rule()
    except ValidationError as exc:
        messages = "; ".join(str(m) for m in exc.messages)
        raise InvalidInput(f"{where}: {messages}") from exc


def check_no_overlap(rows: list[RuleRow]) -> None:
    """Refuses two rows for the same scope and item in force on the same day."""
    groups: dict[tuple, list[RuleRow]] = defaultdict(list)
    for row in rows:
        if row.overlap_fields:
            groups[row.overlap_key()].append(row)
    for members in groups.values():
        members.sort(key=lambda r: r.effective_from)
        for previous, current in itertools.pairwise(members):
            if current.overlaps(previous):
                raise InvalidInput(f"{current.key}: {overlap_message(current, previous)}", code="overlap")


def _sync(model: type[RuleRow], rows: list[dict], codes: dict, delete_missing: bool, source: str) -> dict[str, int]:
    existing = {obj.key: obj for obj in model.objects.all()}
    seen: set[str] = set()
    created, updated, kept = [], [], 0
    changed_fields: set[str] = set()
    now = timezone.now()
    for raw in rows:
        key = raw.get("key")
        where = f"{source} [{key}]"
        if not key or key in seen:
            raise InvalidInput(_("%(where)s: every row needs a key of its own.") % {"where": where})
        seen.add(key)
        values = _values(model, raw, codes, where)
        obj = existing.get(key)
        if obj is None:
            obj = model(key=key, **values)
            created.append(obj)
        elif obj.origin == RowOrigin.ADMIN:
            kept += 1
            continue
        else:
            diff = [name for name, value in values.items() if getattr(obj, name) != value]
            if not diff:
                continue
            for name in diff:
                setattr(obj, name, values[name])
            obj.version += 1
            obj.updated_at = now
            changed_fields.update(diff)
            updated.append(obj)
        _check(obj, where)
    stale = [obj for key, obj in existing.items() if key not in seen and obj.origin == RowOrigin.FILE]
    remaining = [obj for key, obj in existing.items() if not (delete_missing and obj in stale)]
    check_no_overlap(remaining + created)
    if delete_missing and stale:
        model.objects.filter(pk__in=[obj.pk for obj in stale]).delete()
    model.objects.bulk_create(created)
    if updated:
        model.objects.bulk_update(updated, [*changed_fields, "version", "updated_at"])
    return {
        "created": len(created),
        "updated": len(updated),
        "kept_admin_edits": kept,
        "deleted": len(stale) if delete_missing else 0,
    }


def load_rules(*, data_dir: Path = DATA_DIR) -> dict[str, dict[str, int]]:
    """Upserts every rule table from the data files; returns counts per table. All or nothing."""
    files: dict[str, dict] = {}
    for _model, name, _part, _delete in TABLES:
        if name not in files:
            files[name] = json.loads((data_dir / name).read_text(encoding="utf-8"))
    if data_dir == DATA_DIR:
        for path in sorted(DATA_DIR.parent.parent.glob(f"*/data/{MODULE_PARAMETERS}")):
            if path.parent != DATA_DIR:
                files[MODULE_PARAMETERS]["rows"] += json.loads(path.read_text(encoding="utf-8"))["rows"]
    counts = {}
    with transaction.atomic():
        codes: dict[str, dict[str, int]] = {}
        for model, name, part, delete_missing in TABLES:
            counts[model._meta.model_name] = _sync(model, files[name][part], codes, delete_missing, name)
            if model in (ContentGroup, ContentItem):
                # Later tables name their group or content by code.
                codes[model.__name__] = dict(model.objects.values_list("code", "pk"))
    return counts
