"""Loads both schemes of administrative units and the succession between them from `vietnam-provinces`.

The package carries the statistics office's lists: 34 provinces and 3,321 communes since 1/7/2025, and the 63
provinces, 696 districts and 10,051 communes before, with the official commune conversion table. Loading is
idempotent: rows are matched on (scheme, level, code) and a stored dataset version skips unchanged data.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from pathlib import Path

import vietnam_provinces as vp
from django.db import transaction
from vietnam_provinces import _province_conversion_2025 as province_conversion
from vietnam_provinces import _ward_conversion_2025 as ward_conversion
from vietnam_provinces.legacy import base as legacy

from khuyencong.core.text import fold

from .models import LEGACY_END, REFORM_DATE, AdminUnit, AdminUnitPeriod, DatasetVersion, Level, Scheme, Succession

HISTORY_FILE = Path(__file__).parent / "data" / "unit_history.json"
DATASET = "admin_units"
LOADER_REVISION = 2  # bump when the loader derives rows differently, so existing databases reload

_PREFIXES = sorted(
    ["thành phố", "tỉnh", "quận", "huyện", "thị xã", "xã", "phường", "thị trấn", "đặc khu"], key=len, reverse=True
)

_CURRENT_KINDS = {
    vp.VietNamDivisionType.TINH: "tinh",
    vp.VietNamDivisionType.THANH_PHO_TRUNG_UONG: "thanh_pho_tw",
    vp.VietNamDivisionType.XA: "xa",
    vp.VietNamDivisionType.PHUONG: "phuong",
    vp.VietNamDivisionType.DAC_KHU: "dac_khu",
}
_LEGACY_KINDS = {
    "tỉnh": "tinh",
    "thành phố trung ương": "thanh_pho_tw",
    "quận": "quan",
    "huyện": "huyen",
    "thị xã": "thi_xa",
    "thành phố tỉnh": "thanh_pho",
    "thành phố": "thanh_pho",
    "xã": "xa",
    "phường": "phuong",
    "thị trấn": "thi_tran",
    "huyện đảo": "huyen",
}


def short_name(name: str) -> str:
    """ "Tỉnh Lai Châu" → "Lai Châu"; "Phường 1" stays "Phường 1" (a number alone is no name)."""
    lowered = name.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix + " "):
            rest = name[len(prefix) + 1 :].strip()
            return name if rest.isdigit() else rest
    return name


def dataset_version() -> str:
    history = hashlib.sha256(HISTORY_FILE.read_bytes()).hexdigest()[:12]
    return f"{vp.__version__}/{vp.__data_version__}/{history}/r{LOADER_REVISION}"


def _legacy_kind(division_type) -> str:
    return _LEGACY_KINDS.get(str(division_type.value).lower(), "xa")


def _rows():
    """(scheme, level, code, kind, name, parent_key, province_key) for every unit."""
    for p in vp.Province.iter_all():
        yield (Scheme.CURRENT, Level.PROVINCE, int(p.code), _CURRENT_KINDS[p.division_type], p.name, None, None)
    for w in vp.Ward.iter_all():
        pkey = (Scheme.CURRENT, Level.PROVINCE, int(w.province_code))
        yield (Scheme.CURRENT, Level.COMMUNE, int(w.code), _CURRENT_KINDS[w.division_type], w.name, pkey, pkey)
    for p in legacy.Province.iter_all():
        yield (Scheme.LEGACY, Level.PROVINCE, int(p.code), _legacy_kind(p.division_type), p.name, None, None)
    for d in legacy.District.iter_all():
        pkey = (Scheme.LEGACY, Level.PROVINCE, int(d.province_code))
        yield (Scheme.LEGACY, Level.DISTRICT, int(d.code), _legacy_kind(d.division_type), d.name, pkey, pkey)
    for w in legacy.Ward.iter_all():
        dkey = (Scheme.LEGACY, Level.DISTRICT, int(w.district_code))
        pkey = (Scheme.LEGACY, Level.PROVINCE, int(w.province_code))
        yield (Scheme.LEGACY, Level.COMMUNE, int(w.code), _legacy_kind(w.division_type), w.name, dkey, pkey)


def _upsert_units() -> dict[tuple, AdminUnit]:
    existing = {(u.scheme, u.level, u.code): u for u in AdminUnit.objects.all()}
    rows = list(_rows())
    to_create, to_update = [], []
    for scheme, level, code, kind, name, _parent, _province in rows:
        key = (scheme, level, code)
        valid_from, valid_to = (REFORM_DATE, None) if scheme == Scheme.CURRENT else (None, LEGACY_END)
        values = {
            "kind": kind,
            "name": name,
            "short_name": short_name(name),
            "name_folded": fold(short_name(name)),
            "valid_from": valid_from,
            "valid_to": valid_to,
        }
        unit = existing.get(key)
        if unit is None:
            unit = AdminUnit(scheme=scheme, level=level, code=code, **values)
            to_create.append(unit)
            existing[key] = unit
        elif any(getattr(unit, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(unit, f, v)
            to_update.append(unit)
    AdminUnit.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        AdminUnit.objects.bulk_update(to_update, list(values), batch_size=2000)
    # Parents and provinces, now that every row has a primary key.
    if to_create:
        existing = {(u.scheme, u.level, u.code): u for u in AdminUnit.objects.all()}
    relinked = []
    for scheme, level, code, _kind, _name, parent_key, province_key in rows:
        unit = existing[(scheme, level, code)]
        parent_id = existing[parent_key].pk if parent_key else None
        province_id = existing[province_key].pk if province_key else unit.pk
        if unit.parent_id != parent_id or unit.province_id != province_id:
            unit.parent_id, unit.province_id = parent_id, province_id
            relinked.append(unit)
    AdminUnit.objects.bulk_update(relinked, ["parent", "province"], batch_size=2000)
    return existing


def _succession_pairs(units: dict[tuple, AdminUnit]) -> dict[tuple[int, int], bool]:
    """(legacy_id, current_id) → partial, for communes, districts and provinces."""
    pairs: dict[tuple[int, int], bool] = {}
    district_targets: dict[int, set[int]] = defaultdict(set)
    district_partial: dict[int, bool] = defaultdict(bool)
    for old_code, entry in ward_conversion.OLD_TO_NEW.items():
        old = units.get((Scheme.LEGACY, Level.COMMUNE, int(old_code)))
        if old is None:
            continue
        targets = [units.get((Scheme.CURRENT, Level.COMMUNE, int(ref.code))) for ref in entry.new_wards]
        targets = [t for t in targets if t is not None]
        partial = bool(entry.old_ward.is_partly_merged) or len(targets) > 1
        for target in targets:
            pairs[(old.pk, target.pk)] = partial
            district_targets[old.parent_id].add(target.pk)
        district_partial[old.parent_id] |= partial
    for district_id, targets in district_targets.items():
        for target_id in targets:
            pairs[(district_id, target_id)] = len(targets) > 1 or district_partial[district_id]
    # A province goes where its communes went. The package's own province table is used only for a province with no
    # commune in the conversion table: it maps Tiền Giang to Tây Ninh too, although all its communes went to Đồng Tháp.
    by_id = {u.pk: u for u in units.values()}
    province_targets: dict[int, set[int]] = defaultdict(set)
    for (legacy_id, current_id), _partial in list(pairs.items()):
        legacy_unit, current_unit = by_id[legacy_id], by_id[current_id]
        if legacy_unit.level == Level.COMMUNE:
            province_targets[legacy_unit.province_id].add(current_unit.province_id)
    for old_code, entry in province_conversion.OLD_TO_NEW.items():
        old = units.get((Scheme.LEGACY, Level.PROVINCE, int(old_code)))
        if old is None or old.pk in province_targets:
            continue
        targets = [units.get((Scheme.CURRENT, Level.PROVINCE, int(ref.code))) for ref in entry.new_provinces]
        province_targets[old.pk] = {t.pk for t in targets if t is not None}
    for old_id, targets in province_targets.items():
        for target_id in targets:
            pairs[(old_id, target_id)] = len(targets) > 1
    return pairs


def _sync_successions(units: dict[tuple, AdminUnit]) -> None:
    wanted = _succession_pairs(units)
    existing = {(s.legacy_id, s.current_id): s for s in Succession.objects.all()}
    Succession.objects.bulk_create(
        [
            Succession(legacy_id=lid, current_id=cid, partial=p)
            for (lid, cid), p in wanted.items()
            if (lid, cid) not in existing
        ],
        batch_size=5000,
    )
    changed = [s for key, s in existing.items() if key in wanted and s.partial != wanted[key]]
    for s in changed:
        s.partial = wanted[(s.legacy_id, s.current_id)]
    Succession.objects.bulk_update(changed, ["partial"], batch_size=5000)
    stale = [s.pk for key, s in existing.items() if key not in wanted]
    if stale:
        Succession.objects.filter(pk__in=stale).delete()


def _sync_history(units: dict[tuple, AdminUnit]) -> None:
    data = json.loads(HISTORY_FILE.read_text(encoding="utf-8"))
    AdminUnitPeriod.objects.all().delete()
    periods = []
    for item in data["periods"]:
        unit = units[(item["scheme"], item["level"], int(item["code"]))]
        periods.append(
            AdminUnitPeriod(
                unit=unit,
                kind=item["kind"],
                name=item["name"],
                valid_from=datetime.date.fromisoformat(item["valid_from"]),
                valid_to=datetime.date.fromisoformat(item["valid_to"]) if item["valid_to"] else None,
                basis=item.get("basis", ""),
            )
        )
    AdminUnitPeriod.objects.bulk_create(periods)
    # Today's values on the unit row follow the open-ended period.
    for period in periods:
        if period.valid_to is None and (period.unit.kind, period.unit.name) != (period.kind, period.name):
            period.unit.kind, period.unit.name = period.kind, period.name
            period.unit.short_name = short_name(period.name)
            period.unit.name_folded = fold(period.unit.short_name)
            period.unit.save(update_fields=["kind", "name", "short_name", "name_folded"])


def load_admin_units(*, force: bool = False) -> dict:
    """Loads or refreshes the units; returns counts. Skips the work when the same data is already loaded."""
    version = dataset_version()
    loaded = DatasetVersion.objects.filter(name=DATASET).values_list("version", flat=True).first()
    if loaded == version and not force:
        return {"skipped": True, **unit_counts()}
    with transaction.atomic():
        units = _upsert_units()
        _sync_successions(units)
        _sync_history(units)
        DatasetVersion.objects.update_or_create(name=DATASET, defaults={"version": version})
    return {"skipped": False, **unit_counts()}


def unit_counts() -> dict:
    from django.db.models import Count

    counts = {
        f"{row['scheme']}_{row['level']}": row["n"]
        for row in AdminUnit.objects.values("scheme", "level").annotate(n=Count("id")).order_by()
    }
    counts["successions"] = Succession.objects.count()
    return counts
