"""An event's lists and settlement as spreadsheets, PDF and Word documents."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from khuyencong.core import documents

from .. import exports
from .common import event_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_participants(request, pk: int):
    event = event_or_404(request, pk)
    return _xlsx(exports.participants_xlsx(event), f"danh-sach-ky-{event.pk}.xlsx")


@login_required
def export_participants_document(request, pk: int):
    """The participant list to sign as a PDF (?format=pdf, the default) or an editable Word file (?format=docx)."""
    event = event_or_404(request, pk)
    fmt = request.GET.get("format", "pdf")
    if fmt not in documents.CONTENT_TYPES:
        raise Http404(_("Unknown format."))
    document = exports.participants_document(event, prepared_by=request.user.full_name)
    return documents.document_response(document, fmt=fmt, filename=f"danh-sach-ky-{event.pk}")


@login_required
def export_booths(request, pk: int):
    event = event_or_404(request, pk)
    return _xlsx(exports.booths_xlsx(event), f"gian-hang-{event.pk}.xlsx")


@login_required
def export_settlement(request, pk: int):
    event = event_or_404(request, pk)
    return _xlsx(exports.settlement_xlsx(event), f"quyet-toan-{event.pk}.xlsx")


@login_required
def export_table_document(request, pk: int, table: str):
    """The booth list or the settlement summary as a PDF (?format=pdf, the default) or an editable Word file."""
    event = event_or_404(request, pk)
    fmt = request.GET.get("format", "pdf")
    builders = {"booths": (exports.booths_document, "gian-hang"), "settlement": (exports.settlement_document,
                                                                                 "quyet-toan")}
    if fmt not in documents.CONTENT_TYPES or table not in builders:
        raise Http404(_("Unknown format."))
    build, name = builders[table]
    return documents.document_response(build(event, prepared_by=request.user.full_name), fmt=fmt,
                                       filename=f"{name}-{event.pk}")
