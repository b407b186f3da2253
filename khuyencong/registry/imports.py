"""The import workflow behind the upload screen: upload → check in the background (progress) → preview →
confirm → write in the background. The command `import_establishments` runs the same Importer in one go.

A task that fails marks its job failed with the reason; a job whose worker died is reaped (core.jobs) by the next
task, the daily digest or `manage.py reap_stale_jobs`."""

import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import acting_province_ids
from khuyencong.core.audit import audit_record
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.jobs import reap_stale
from khuyencong.core.uploads import SPREADSHEET_SUFFIXES, check_spreadsheet
from khuyencong.geo.models import AdminUnit

from .exports import write_error_xlsx
from .importer import Importer, ImportFileError, ImportReport, RowError, read_sheet
from .models import ImportJob
from .permissions import can_import

logger = logging.getLogger(__name__)


def _importer(job: ImportJob) -> Importer:
    return Importer(actor=job.created_by, province=job.province, choices=job.choices,
                    allowed_province_ids=acting_province_ids(job.created_by))


def import_start(*, actor, uploaded_file, province: AdminUnit | None, good_rows: bool = False) -> ImportJob:
    """Keeps the uploaded spreadsheet and starts checking it in the background. The file is measured here, in the
    request (core.uploads.check_spreadsheet: its type by content, its size, every sheet's declared and real
    extent, a zip bomb): a file the worker could not read safely is refused on the form, and no job is queued."""
    decision = can_import(actor, province.pk if province else None)
    if not decision:
        raise PermissionDenied(decision.reason)
    if uploaded_file is None:
        raise InvalidInput(_("Upload an Excel file (.xlsx, .xls) or .ods."), field="file")
    info = check_spreadsheet(uploaded_file, field="file")
    name = Path(uploaded_file.name or "").name or f"tep.{info.kind}"
    stem, _dot, extension = name.rpartition(".")
    if extension.lower() not in SPREADSHEET_SUFFIXES[info.kind]:
        name = f"{stem or name}.{info.kind}"  # stored under what it is: the reader picks its format by the name
    with transaction.atomic():
        job = ImportJob(created_by=actor, province=province, original_name=name[:250], good_rows=good_rows)
        job.file.save(name, uploaded_file, save=False)
        job.save()
        audit_record(actor=actor, action="establishment_import.start", obj=job,
                     changes={"sheets": [None, [f"{s.name}: {s.rows} × {s.columns}" for s in info.sheets]]})
    transaction.on_commit(lambda: validate_import_task.enqueue(job.pk))
    return job


def _report_to_job(job: ImportJob, report: ImportReport) -> None:
    job.total_rows = report.total
    job.processed_rows = report.total
    job.valid_rows = report.valid
    job.error_count = len(report.bad_rows)
    job.errors = [e.as_dict() for e in report.errors[:2000]]
    job.splits = report.splits[:500]


def _progress(job: ImportJob):
    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total, updated_at=timezone.now())

    return progress


def import_validate(job: ImportJob) -> ImportReport | None:
    job.status = ImportJob.Status.VALIDATING
    job.save(update_fields=["status", "updated_at"])
    try:
        report = _importer(job).validate(read_sheet(job.file.path), progress=_progress(job))
    except ImportFileError as exc:
        job.status, job.message, job.finished_at = ImportJob.Status.FAILED, str(exc), timezone.now()
        job.save(update_fields=["status", "message", "finished_at", "updated_at"])
        return None
    _report_to_job(job, report)
    job.status = ImportJob.Status.VALIDATED
    job.save()
    if report.errors:
        job_error_file_save(job, report)
    return report


def job_error_file_save(job: ImportJob, report: ImportReport) -> None:
    """Writes the error file to the storage from a temporary file, row by row (never the whole file in memory)."""
    path = f"imports/errors/{job.pk}-loi.xlsx"
    if default_storage.exists(path):
        default_storage.delete(path)
    with tempfile.TemporaryFile() as target:
        write_error_xlsx(report, target)
        target.seek(0)
        default_storage.save(path, File(target))
    job.result = {**job.result, "error_file": path}
    job.save(update_fields=["result", "updated_at"])


def import_confirm(*, actor, job: ImportJob, choices: dict[int, int], good_rows: bool) -> ImportJob:
    """The user's go-ahead after the preview, with the communes chosen for split rows."""
    if job.created_by_id != actor.pk and not actor.is_superuser:
        raise PermissionDenied(_("Only the person who uploaded the file can confirm it."))
    if job.status != ImportJob.Status.VALIDATED:
        raise InvalidInput(_("This import is not waiting for confirmation."))
    valid_ids = {c["id"] for s in job.splits for c in s["candidates"]}
    if any(v not in valid_ids for v in choices.values()):
        raise InvalidInput(_("A chosen commune is not one of the proposed communes."))
    with transaction.atomic():
        job.choices = {**job.choices, **{str(k): v for k, v in choices.items()}}
        job.good_rows = good_rows
        job.status = ImportJob.Status.IMPORTING
        job.save(update_fields=["choices", "good_rows", "status", "updated_at"])
        audit_record(actor=actor, action="establishment_import.confirm", obj=job,
                     changes={"good_rows": [None, good_rows], "choices": [None, len(choices)]})
    transaction.on_commit(lambda: commit_import_task.enqueue(job.pk))
    return job


def import_commit(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now())
    try:
        importer = _importer(job)
        report = importer.validate(read_sheet(job.file.path), progress=_progress(job))
        _report_to_job(job, report)
        # The rows and the job's "done" in one transaction: a worker that dies in between leaves neither, and the
        # job reaped as stopped is then true to what was written.
        with transaction.atomic():
            importer.commit(report, good_rows=job.good_rows, job_id=job.pk)
            job.result.pop("error_file", None)
            job.result = {**job.result, **report.summary()}
            job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
            job.message = _("%(created)s added, %(updated)s updated, %(unchanged)s unchanged.") % report.summary()
            job.save()
            audit_record(actor=job.created_by, action="establishment_import.done", obj=job,
                         changes={k: [None, v] for k, v in report.summary().items() if k != "unknown_headers"})
    except ImportFileError as exc:
        job.refresh_from_db(fields=["result"])
        job.status, job.message = ImportJob.Status.VALIDATED, str(exc)
        job.save()
        return
    # The choices made for divided communes may have cleared every error: the file of the check is then gone.
    if report.errors:
        job_error_file_save(job, report)


def reap_stale_imports(*, exclude: int | None = None) -> int:
    """Imports left checking or writing by a worker that died (core.jobs.reap_stale)."""
    return reap_stale(
        ImportJob, running=(ImportJob.Status.VALIDATING, ImportJob.Status.IMPORTING), failed=ImportJob.Status.FAILED,
        action="establishment_import.stopped", exclude=exclude,
        message=_("The processing stopped midway (the server's background worker was interrupted); nothing was "
                  "written. Upload the file again."))


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, MemoryError):
        return _("The file needs more memory than the server has; nothing was written. Split it into smaller files "
                 "and upload them one by one.")
    return _("The import stopped on an unexpected error; nothing was written. Check the file, or send it to the "
             "administrator.")


def _run(job_id: int, step, *, waiting_in: tuple[str, ...]) -> None:
    """Runs a step of an import. Any error ends the job as failed with its reason (never a job stuck "checking"),
    and the queue goes on with the next task. A job no longer waiting for this step (reaped while queued) is left
    as it is."""
    reap_stale_imports(exclude=job_id)
    job = ImportJob.objects.select_related("created_by", "province").get(pk=job_id)
    if job.status not in waiting_in:
        logger.warning("Import %s is %s, not %s: not run", job_id, job.status, "/".join(waiting_in))
        return
    try:
        step(job)
    except Exception as exc:
        logger.exception("Import %s failed", job_id)
        now = timezone.now()
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, finished_at=now, updated_at=now, message=_failure_message(exc),
            result={**job.result, "failure": f"{type(exc).__name__}: {exc}"[:500]})
        raise


@task()
def validate_import_task(job_id: int) -> None:
    _run(job_id, import_validate, waiting_in=(ImportJob.Status.PENDING,))


@task()
def commit_import_task(job_id: int) -> None:
    _run(job_id, import_commit, waiting_in=(ImportJob.Status.IMPORTING,))


__all__ = ["RowError", "import_commit", "import_confirm", "import_start", "import_validate", "reap_stale_imports"]
