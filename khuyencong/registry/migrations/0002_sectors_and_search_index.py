import json
from pathlib import Path

from django.db import migrations

SECTORS_FILE = Path(__file__).resolve().parent.parent / "data" / "sectors.json"


def load_sectors(apps, schema_editor):
    Sector = apps.get_model("registry", "Sector")
    data = json.loads(SECTORS_FILE.read_text(encoding="utf-8"))
    for order, item in enumerate(data["sectors"], start=1):
        Sector.objects.update_or_create(
            code=item["code"],
            defaults={"name": item["name"], "basis": item["basis"], "mark": item["mark"], "order": order},
        )


def trigram_index(apps, schema_editor):
    # The folded search text is matched with LIKE '%word%': on PostgreSQL a trigram index serves that.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registry_est_search_trgm ON registry_establishment "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS registry_est_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.RunPython(load_sectors, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
