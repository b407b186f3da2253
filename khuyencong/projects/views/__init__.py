"""Pages of plans and projects, one module per aggregate: thin shells over the selectors, the flow and the services.
urls.py reads every page from this package."""

from .appraisal import council_conclude, council_sheet, project_appraisal
from .dossier import (
    project_beneficiaries,
    project_beneficiary_remove,
    project_content_add,
    project_content_remove,
    project_document,
    project_document_file,
)
from .money import project_ledger_add, project_ledger_reverse
from .monitoring import (
    acceptance_new,
    adjustment_decide,
    adjustment_new,
    monitoring_file,
    progress_report_new,
    project_monitoring,
    project_settlement_export,
    visit_follow_up,
    visit_new,
)
from .plans import plan_adjust, plan_approve, plan_create, plan_detail, plan_export, plan_list
from .projects import (
    project_action,
    project_board,
    project_create,
    project_detail,
    project_edit,
    project_list,
    project_todo,
)

__all__ = [
    "acceptance_new", "adjustment_decide", "adjustment_new", "council_conclude", "council_sheet", "monitoring_file",
    "plan_adjust", "plan_approve", "plan_create", "plan_detail", "plan_export", "plan_list", "progress_report_new",
    "project_action", "project_appraisal", "project_beneficiaries", "project_beneficiary_remove", "project_board",
    "project_content_add", "project_content_remove", "project_create", "project_detail", "project_document",
    "project_document_file", "project_edit", "project_ledger_add", "project_ledger_reverse", "project_list",
    "project_monitoring", "project_settlement_export", "project_todo", "visit_follow_up", "visit_new",
]
