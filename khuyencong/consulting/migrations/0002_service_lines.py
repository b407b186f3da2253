from django.db import migrations


def load(apps, schema_editor):
    from khuyencong.consulting.catalogue import load_service_lines

    load_service_lines(apps.get_model("consulting", "ServiceLine"))


class Migration(migrations.Migration):
    dependencies = [("consulting", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
