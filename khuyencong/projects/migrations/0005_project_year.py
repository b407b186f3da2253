"""Projects carry their plan's year, filled from the plan in one UPDATE, with the index the project lists read in order
(newest year first, then code)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_year(apps, schema_editor):
    AnnualPlan = apps.get_model("projects", "AnnualPlan")
    Project = apps.get_model("projects", "Project")
    Project.objects.update(year=Subquery(AnnualPlan.objects.filter(pk=OuterRef("plan_id")).values("year")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0004_dashboard_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="year",
            field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name="year"),
        ),
        migrations.RunPython(fill_year, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="project",
            name="year",
            field=models.PositiveSmallIntegerField(editable=False, verbose_name="year"),
        ),
        migrations.AlterModelOptions(
            name="project",
            options={"ordering": ["-year", "code"], "verbose_name": "KC project", "verbose_name_plural": "KC projects"},
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["-year", "code"], name="projects_year_code"),
        ),
    ]
