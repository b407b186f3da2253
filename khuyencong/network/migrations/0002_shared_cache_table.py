"""The table of the "shared" cache (CACHES in config/settings.py) that every server process sees: the public
application page's rate limit lives there. `createcachetable` is idempotent."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
