"""Builds a realistic establishment spreadsheet of N rows for the import benchmark (deterministic)."""

import random
from pathlib import Path

import xlsxwriter

from khuyencong.geo.models import AdminUnit
from khuyencong.registry.importer import COLUMNS, TEMPLATE_FIELDS
from khuyencong.registry.parsing import make_tax_code

TRADES = ["bánh tráng", "chè", "mây tre đan", "cơ khí", "dệt thổ cẩm", "mộc", "nước mắm", "hạt điều", "gạch không nung"]


def build(path: Path, rows: int, province_code: int = 80, seed: int = 7, first: int = 1) -> Path:
    """`first`: number of the first establishment (files with different numbers hold different establishments)."""
    rng = random.Random(seed)
    current = list(AdminUnit.objects.current().communes().filter(province__code=province_code).values_list(
        "name", flat=True))
    legacy = list(
        AdminUnit.objects.legacy().communes().filter(successors__current__province__code=province_code,
                                                     successors__partial=False)
        .select_related("parent", "province").distinct()[:300]
    )
    province_name = AdminUnit.objects.current().provinces().get(code=province_code).short_name
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Danh sách")
    sheet.write_row(0, 0, [COLUMNS[f][0] for f in TEMPLATE_FIELDS])
    for row, i in enumerate(range(first, first + rows), start=1):
        trade = TRADES[i % len(TRADES)]
        household = i % 3 != 0
        if i % 4 == 0 and legacy:  # a quarter of the rows carry an address from before 1/7/2025
            unit = legacy[i % len(legacy)]
            place = (unit.province.short_name, unit.parent.name, unit.name)
        else:
            place = (province_name, "", current[i % len(current)])
        values = {
            "name": f"Cơ sở {trade} số {i}", "entity_type": "Hộ kinh doanh" if household else "Công ty TNHH nhỏ",
            "tax_code": "" if household else make_tax_code(f"{8000000 + i:09d}") or "",
            "business_reg_no": f"80A{i:06d}", "business_reg_date": f"{1 + i % 28:02d}/{1 + i % 12:02d}/20{10 + i % 15}",
            "representative": f"Nguyễn Văn {i}", "representative_gender": "Nam" if i % 2 else "Nữ",
            "phone": f"09{rng.randrange(10**8):08d}", "email": "", "employees": f"{5 + i % 200:,}".replace(",", "."),
            "woman_owned": "" if i % 2 else "x", "ethnic_minority": "", "sectors": "", "vsic_code": "1079",
            "main_products": f"Sản phẩm {trade}", "ocop_stars": "" if i % 7 else "3", "craft_village": "",
            "cleaner_production": "", "address": f"Ấp {i % 9 + 1}", "commune": place[2], "district": place[1],
            "province": place[0], "latitude": "", "longitude": "",
        }
        sheet.write_row(row, 0, [values[f] for f in TEMPLATE_FIELDS])
    workbook.close()
    return path
