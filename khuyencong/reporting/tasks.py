"""Background exports of the ministry: the completeness table and every province's figures for a period.

The job row carries the progress the page polls; the file goes to the default storage and is downloaded through
a view that checks the job belongs to the user. A task that fails marks its job failed; a job whose worker died is
reaped (core.jobs) by the next export, the daily digest or `manage.py reap_stale_jobs`.
"""

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record
from khuyencong.core.jobs import reap_stale
from khuyencong.core.periods import Period
from khuyencong.geo.models import AdminUnit

from . import report_exports
from .models import ExportJob
from .report_selectors import GEOGRAPHY, completeness

logger = logging.getLogger(__name__)


def _progress(job: ExportJob, done: int) -> None:
    ExportJob.objects.filter(pk=job.pk).update(done=done, updated_at=timezone.now())


def run_export(job: ExportJob) -> None:
    period = Period.parse(job.period)
    job.status = ExportJob.Status.RUNNING
    job.save(update_fields=["status", "updated_at"])
    if job.kind == ExportJob.Kind.COMPLETENESS:
        table = completeness(period=period, today=timezone.localdate())
        ExportJob.objects.filter(pk=job.pk).update(total=len(table["rows"]), updated_at=timezone.now())
        content = report_exports.completeness_xlsx(table, progress=lambda i: _progress(job, i))
        name = f"tinh-hinh-nop-bao-cao-{job.period}.xlsx"
    else:
        from .selectors import indicator_tables_by_province

        provinces = list(AdminUnit.objects.current().provinces().order_by("code"))
        ExportJob.objects.filter(pk=job.pk).update(total=len(provinces), updated_at=timezone.now())
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
    job.save(update_fields=["file", "status", "finished_at", "done", "updated_at"])
    audit_record(actor=job.created_by, action="report_export.done", obj=job, changes={"file": [None, path]})


def reap_stale_exports(*, exclude: int | None = None) -> int:
    """Exports left running by a worker that died (core.jobs.reap_stale)."""
    return reap_stale(
        ExportJob, running=(ExportJob.Status.RUNNING,), failed=ExportJob.Status.FAILED,
        action="report_export.stopped", exclude=exclude,
        message=_("The processing stopped midway (the server's background worker was interrupted). Start the export "
                  "again."))


@task()
def export_task(job_id: int) -> None:
    reap_stale_exports(exclude=job_id)
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ExportJob.Status.PENDING:
        logger.warning("Report export %s is %s, not pending: not run", job_id, job.status)
        return
    try:
        run_export(job)
    except Exception:
        logger.exception("Report export %s failed", job_id)
        now = timezone.now()
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED, finished_at=now, updated_at=now,
            message=_("The export stopped on an unexpected error. Try again, or tell the administrator."))
        raise
