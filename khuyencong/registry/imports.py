"""The import workflow behind the upload screen: upload → check in the background (progress) → preview →
confirm → write in the background. The command `import_establishments` runs the same Importer in one go."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import acting_province_ids
from khuyencong.core.audit import audit_record
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.geo.models import AdminUnit

from .exports import error_xlsx
from .importer import Importer, ImportFileError, ImportReport, RowError, read_sheet
from .models import ImportJob
from .permissions import can_import

MAX_UPLOAD_BYTES = 30 * 1024 * 1024
logger = logging.getLogger(__name__)


def _importer(job: ImportJob) -> Importer:
    return Importer(actor=job.created_by, province=job.province, choices=job.choices,
                    allowed_province_ids=acting_province_ids(job.created_by))


def import_start(*, actor, uploaded_file, province: AdminUnit | None, good_rows: bool = False) -> ImportJob:
    """Keeps the uploaded spreadsheet and starts checking it in the background."""
    decision = can_import(actor, province.pk if province else None)
    if not decision:
        raise PermissionDenied(decision.reason)
    name = uploaded_file.name or "tep.xlsx"
    if not name.lower().endswith((".xlsx", ".xls", ".xlsm", ".ods")):
        raise InvalidInput(_("Upload an Excel file (.xlsx, .xls) or .ods."), field="file")
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise InvalidInput(_("The file is larger than 30 MB."), field="file")
    with transaction.atomic():
        job = ImportJob(created_by=actor, province=province, original_name=name[:250], good_rows=good_rows)
        job.file.save(name, ContentFile(uploaded_file.read()), save=False)
        job.save()
        audit_record(actor=actor, action="establishment_import.start", obj=job)
    transaction.on_commit(lambda: validate_import_task.enqueue(job.pk))
    return job


def _report_to_job(job: ImportJob, report: ImportReport) -> None:
    job.total_rows = report.total
    job.processed_rows = report.total
    job.valid_rows = report.valid
    job.error_count = len(report.bad_rows)
    job.errors = [e.as_dict() for e in report.errors[:2000]]
    job.splits = report.splits[:500]


def import_validate(job: ImportJob) -> ImportReport | None:
    job.status = ImportJob.Status.VALIDATING
    job.save(update_fields=["status"])

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)

    try:
        rows = read_sheet(job.file.path)
        report = _importer(job).validate(rows, progress=progress)
    except ImportFileError as exc:
        job.status, job.message, job.finished_at = ImportJob.Status.FAILED, str(exc), timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        return None
    _report_to_job(job, report)
    job.status = ImportJob.Status.VALIDATED
    job.save()
    if report.errors:
        job_error_file_save(job, report)
    return report


def job_error_file_save(job: ImportJob, report: ImportReport) -> None:
    from django.core.files.storage import default_storage

    path = f"imports/errors/{job.pk}-loi.xlsx"
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(error_xlsx(report)))
    job.result = {**job.result, "error_file": path}
    job.save(update_fields=["result"])


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
        job.save(update_fields=["choices", "good_rows", "status"])
        audit_record(actor=actor, action="establishment_import.confirm", obj=job,
                     changes={"good_rows": [None, good_rows], "choices": [None, len(choices)]})
    transaction.on_commit(lambda: commit_import_task.enqueue(job.pk))
    return job


def import_commit(job: ImportJob) -> None:
    try:
        rows = read_sheet(job.file.path)
        importer = _importer(job)
        report = importer.validate(rows)
        _report_to_job(job, report)
        importer.commit(report, good_rows=job.good_rows, job_id=job.pk)
    except ImportFileError as exc:
        job.status, job.message = ImportJob.Status.VALIDATED, str(exc)
        job.save()
        return
    # The choices made for divided communes may have cleared every error: the file of the check is then stale.
    if report.errors:
        job_error_file_save(job, report)
    else:
        job.result.pop("error_file", None)
    job.result = {**job.result, **report.summary()}
    job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
    job.message = _("%(created)s added, %(updated)s updated, %(unchanged)s unchanged.") % report.summary()
    job.save()
    audit_record(actor=job.created_by, action="establishment_import.done", obj=job,
                 changes={k: [None, v] for k, v in report.summary().items() if k != "unknown_headers"})


def _run(job_id: int, step) -> None:
    """Runs a step of an import; an unexpected error ends the job as failed (never a job stuck "checking")."""
    job = ImportJob.objects.select_related("created_by", "province").get(pk=job_id)
    try:
        step(job)
    except Exception:
        logger.exception("Import %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(),
            message=_("The import stopped on an unexpected error; nothing was written. Check the file, or send it "
                      "to the administrator."),
        )
        raise


@task()
def validate_import_task(job_id: int) -> None:
    _run(job_id, import_validate)


@task()
def commit_import_task(job_id: int) -> None:
    _run(job_id, import_commit)


__all__ = ["RowError", "import_commit", "import_confirm", "import_start", "import_validate"]
