"""The service lines as data: `data/service_lines.json`, loaded by the migration and again by `load_service_lines`
(idempotent: a line is updated by its code)."""

import json
from pathlib import Path

from .models import ServiceLine

DATA = Path(__file__).parent / "data" / "service_lines.json"
FIELDS = ("name", "certificate", "certificate_name", "kc_contents", "basis", "mark", "order")


def rows() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))["rows"]


def load_service_lines(model=None) -> int:
    """Creates or updates every service line of the data file; returns how many rows were read."""
    model = model or ServiceLine  # the migration passes its historical model
    data = rows()
    for row in data:
        model.objects.update_or_create(code=row["code"], defaults={name: row.get(name, "") for name in FIELDS})
    return len(data)


def certificate_names() -> dict[str, str]:
    return {row["certificate"]: row["certificate_name"] for row in rows() if row["certificate"]}
