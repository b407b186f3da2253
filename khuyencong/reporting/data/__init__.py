"""Reference data of the reporting module, loaded by its migration and re-synchronised by the demo seeder."""

import json
from pathlib import Path

REPORT_TYPES_FILE = Path(__file__).with_name("report_types.json")


def load_report_types(model) -> int:
    """Creates or updates the report types of `report_types.json` (by code) with `model` (the ReportType class,
    or its historical version inside a migration). Returns how many types the file holds."""
    rows = json.loads(REPORT_TYPES_FILE.read_text(encoding="utf-8"))["report_types"]
    for order, row in enumerate(rows):
        model.objects.update_or_create(code=row["code"], defaults={
            "name": row["name"], "short_name": row["short_name"], "period_kind": row["period_kind"],
            "from_kind": row["from_kind"], "recipients": row["recipients"], "indicator_codes": row["indicators"],
            "approver_role": row["approver_role"], "unlock_role": row["unlock_role"],
            "deadline_days": row["deadline_days"], "deadline_verified": row["deadline_verified"],
            "legal_basis": row["legal_basis"], "note": row.get("note", ""), "order": order, "is_active": True,
        })
    return len(rows)
