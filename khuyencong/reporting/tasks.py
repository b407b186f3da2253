"""Background exports of the ministry: the completeness table and every province's figures for a period.

The job row carries the progress the page polls; the file goes to the default storage and is downloaded through
a view that checks the job belongs to the user.
"""

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record
from khuyencong.core.periods import Period
from khuyencong.geo.models import AdminUnit

from . import report_exports
from .models import ExportJob
from .report_selectors import GEOGRAPHY, completeness

logger = logging.getLogger(__name__)


def _progress(job: ExportJob, done: int) -> None:
    ExportJob.objects.filter(pk=job.pk).update(done=done)


def run_export(job: ExportJob) -> None:
    period = Period.parse(job.period)
    job.status = ExportJob.Status.RUNNING
    job.save(update_fields=["status"])
    if job.kind == ExportJob.Kind.COMPLETENESS:
        table = completeness(period=period, today=timezone.localdate())
        ExportJob.objects.filter(pk=job.pk).update(total=len(table["rows"]))
        content = report_exports.completeness_xlsx(table, progress=lambda i: _progress(job, i))
        name = f"tinh-hinh-nop-bao-cao-{job.period}.xlsx"
    else:
        from .selectors import indicator_tables_by_province

        provinces = list(AdminUnit.objects.current().provinces().order_by("code"))
        ExportJob.objects.filter(pk=job.pk).update(total=len(provinces))
        # every province at once: one grouped query per source (GROUP BY province), not 34 × indicator_table
        by_province = indicator_tables_by_province(provinces, user=job.created_by, period=period,
                                                   geography=GEOGRAPHY)
        tables = [[row.as_dict() for row in by_province[province.pk]] for province in provinces]
        _progress(job, len(provinces))
        content = report_exports.figures_xlsx(period.label, provinces, tables)
        name = f"chi-tieu-cac-tinh-{job.period}.xlsx"
    path = default_storage.save(f"reporting/exports/{job.pk}-{name}", ContentFile(content))
    job.refresh_from_db(fields=["total", "done"])
    job.file, job.status, job.finished_at = path, ExportJob.Status.DONE, timezone.now()
    job.done = job.total
    job.save(update_fields=["file", "status", "finished_at", "done"])
    audit_record(actor=job.created_by, action="report_export.done", obj=job, changes={"file": [None, path]})


@task()
def export_task(job_id: int) -> None:
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        run_export(job)
    except Exception:
        logger.exception("Report export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED, finished_at=timezone.now(),
            message=_("The export stopped on an unexpected error. Try again, or tell the administrator."))
        raise
