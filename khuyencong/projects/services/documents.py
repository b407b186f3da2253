"""The project's dossier: the documents of its checklist, received (with their scans) or withdrawn."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record
from khuyencong.core.errors import NotFound
from khuyencong.core.text import normalize_text
from khuyencong.core.uploads import check_document

from .. import checklists
from ..models import Project, ProjectDocument
from ..permissions import can_manage_documents
from .common import pairs, require


def project_document_mark(*, actor, project: Project, code: str, received: bool = True, file=None,
                          reference: str = "") -> ProjectDocument | None:
    """Marks a document of the checklist as received (optionally with its scan) or withdraws it."""
    require(can_manage_documents(actor, project))
    codes = {spec.code for spec in checklists.required_documents(
        fund=project.plan.fund, kind=project.kind, content_codes=project.contents.values_list("content__code",
                                                                                             flat=True))}
    if code not in codes:
        raise NotFound(_("This document is not in the project's checklist."))
    check_document(file)
    with transaction.atomic():
        existing = project.documents.filter(code=code).first()
        if not received:
            if existing is not None:
                existing.delete()
                audit_record(actor=actor, action="project.document_withdraw", obj=project,
                             changes={"document": [code, None]})
            return None
        doc = existing or ProjectDocument(project=project, code=code)
        doc.reference = normalize_text(reference)[:120] or doc.reference
        doc.received_on = timezone.localdate()
        doc.received_by = actor
        if file is not None:
            doc.file = file
        doc.save()
        audit_record(actor=actor, action="project.document_receive", obj=project,
                     changes=pairs({"document": code, "reference": doc.reference,
                                     "file": doc.file.name if doc.file else ""}))
    return doc
