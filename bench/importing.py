"""The import benchmark: our importer (validate + commit) against django-import-export on the same file and against
the floor (python-calamine read + bulk insert of the same rows, no validation). Targets: ≥ 5,000 rows/s, ≥ 5× the
rate of django-import-export, within 2× of the floor's time.

The floor and django-import-export run inside a transaction that is rolled back, so our importer then sees the
same empty province; django-import-export runs on the first KC_BENCH_IE_ROWS rows only (it manages a few hundred
rows a second) and is compared per row.
"""

import os
import tempfile
import time
from pathlib import Path

from django.db import transaction

from bench.import_file import build


class _Rollback(Exception):
    pass


def _establishment_resource():
    from import_export import fields, resources, widgets

    from khuyencong.core.text import fold
    from khuyencong.geo.models import AdminUnit
    from khuyencong.registry.importer import COLUMNS
    from khuyencong.registry.models import Establishment

    types = {"Hộ kinh doanh": "household", "Công ty TNHH nhỏ": "sme"}

    class CommuneWidget(widgets.ForeignKeyWidget):
        """A current commune by its name within the file's province (what a Django team would write)."""

        def get_queryset(self, value, row, *args, **kwargs):
            return AdminUnit.objects.current().communes().filter(province__short_name=row[COLUMNS["province"][0]])

    class EntityTypeWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return types.get(value, "other")

    class EstablishmentResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name=COLUMNS["name"][0])
        entity_type = fields.Field(attribute="entity_type", column_name=COLUMNS["entity_type"][0],
                                   widget=EntityTypeWidget())
        business_reg_no = fields.Field(attribute="business_reg_no", column_name=COLUMNS["business_reg_no"][0])
        representative = fields.Field(attribute="representative", column_name=COLUMNS["representative"][0])
        phone = fields.Field(attribute="phone", column_name=COLUMNS["phone"][0])
        main_products = fields.Field(attribute="main_products", column_name=COLUMNS["main_products"][0])
        address = fields.Field(attribute="address", column_name=COLUMNS["address"][0])
        commune = fields.Field(attribute="commune", column_name=COLUMNS["commune"][0],
                               widget=CommuneWidget(AdminUnit, field="name"))

        class Meta:
            model = Establishment
            fields = ("name", "entity_type", "business_reg_no", "representative", "phone", "main_products", "address",
                      "commune")
            import_id_fields = ()
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            skip_html_diff = True

        def before_save_instance(self, instance, row, **kwargs):
            instance.province_id = instance.commune.province_id
            instance.name_folded = fold(instance.name)
            instance.search_text = fold(" | ".join(p for p in (instance.name, instance.representative,
                                                               instance.main_products, instance.address) if p))

        def get_instance(self, instance_loader, row):
            return None  # every row is new

    return EstablishmentResource


def _floor(path: Path) -> int:
    """calamine read + one bulk insert of the rows mapped to columns, no validation."""
    from python_calamine import CalamineWorkbook

    from khuyencong.core.bulk import fast_insert
    from khuyencong.core.text import fold
    from khuyencong.geo.models import AdminUnit
    from khuyencong.registry.importer import TEMPLATE_FIELDS
    from khuyencong.registry.models import Establishment

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    index = {f: i for i, f in enumerate(TEMPLATE_FIELDS)}
    communes = {name: (pk, province) for pk, name, province in AdminUnit.objects.current().communes()
                .filter(province__code=80).values_list("id", "name", "province_id")}
    fallback = next(iter(communes.values()))
    objs = []
    for row in rows[1:]:
        commune, province = communes.get(row[index["commune"]], fallback)
        name = row[index["name"]]
        objs.append(Establishment(
            name=name, name_folded=fold(name), entity_type="household", business_reg_no=row[index["business_reg_no"]],
            representative=row[index["representative"]], phone=str(row[index["phone"]]), commune_id=commune,
            province_id=province, address=row[index["address"]], main_products=row[index["main_products"]],
            tax_code=row[index["tax_code"]] or None, search_text=fold(name)))
    fast_insert(Establishment, objs)
    return len(objs)


def run() -> dict:
    import tablib

    from khuyencong.registry.importer import Importer, read_sheet

    rows = int(os.environ.get("KC_BENCH_IMPORT_ROWS", "20000"))
    ie_rows = min(rows, int(os.environ.get("KC_BENCH_IE_ROWS", "2000")))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = build(Path(tmp) / "import.xlsx", rows)
        small = build(Path(tmp) / "import-small.xlsx", ie_rows)
        # floor
        started = time.perf_counter()
        try:
            with transaction.atomic():
                floor_rows = _floor(path)
                floor = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass
        # django-import-export, same layout, first ie_rows rows
        resource = _establishment_resource()()
        started = time.perf_counter()
        try:
            with transaction.atomic():
                # tablib reads xlsx through openpyxl, which is not installed: the same sheet is read with calamine
                # (faster than openpyxl, so this favours django-import-export).
                sheet = list(read_sheet(small))
                dataset = tablib.Dataset(*[tuple(r) for r in sheet[1:]], headers=[str(h) for h in sheet[0]])
                outcome = resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=False)
                ie_seconds = time.perf_counter() - started
                ie_errors = len(outcome.row_errors()) + len(outcome.invalid_rows)
                raise _Rollback
        except _Rollback:
            pass
        # ours
        started = time.perf_counter()
        importer = Importer(actor=None)
        report = importer.validate(read_sheet(path))
        importer.commit(report, good_rows=True)
        ours = time.perf_counter() - started
        started = time.perf_counter()
        again = Importer(actor=None)
        report2 = again.validate(read_sheet(path))
        again.commit(report2, good_rows=True)
        second = time.perf_counter() - started
    rate = rows / ours
    ie_rate = ie_rows / ie_seconds
    floor_rate = floor_rows / floor
    results[f"import {rows:,} rows (validate + commit)"] = {
        "url": "registry.importer.Importer", "status": 200, "median_ms": round(ours * 1000), "p95_ms": None,
        "queries": None, "rows": rows, "rows_per_s": round(rate), "created": report.created,
        "rows_with_errors": len(report.bad_rows), "target": "≥ 5,000 rows/s", "meets_target": rate >= 5000,
        "ratio": f"{rate:,.0f} rows/s"}
    results["import vs django-import-export (per row)"] = {
        "url": f"django-import-export {ie_rows:,} rows", "status": 200, "median_ms": round(ie_seconds * 1000),
        "p95_ms": None, "queries": None, "rows": ie_rows, "rows_per_s": round(ie_rate), "errors": ie_errors,
        "ratio": f"{rate / ie_rate:.1f}× ({ie_rate:,.0f} rows/s)", "target": "≥ 5×",
        "meets_target": rate >= 5 * ie_rate}
    results["import vs floor (calamine + bulk insert)"] = {
        "url": f"floor {floor_rows:,} rows", "status": 200, "median_ms": round(floor * 1000), "p95_ms": None,
        "queries": None, "rows": floor_rows, "rows_per_s": round(floor_rate),
        "ratio": f"{ours / floor:.1f}× the floor's time ({floor_rate:,.0f} rows/s)", "target": "≤ 2× the floor",
        "meets_target": ours <= 2 * floor}
    results[f"re-import {rows:,} rows (nothing changes)"] = {
        "url": "registry.importer.Importer", "status": 200, "median_ms": round(second * 1000), "p95_ms": None,
        "queries": None, "rows": rows, "rows_per_s": round(rows / second),
        "ratio": f"{rows / second:,.0f} rows/s", "target": "0 changed",
        "meets_target": report2.created + report2.updated == 0}
    return results
