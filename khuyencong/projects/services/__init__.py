"""Writes for plans, projects, their contents, beneficiaries, documents, steps, ledger, monitoring, adjustments and
appraisal councils, one module per aggregate.

Every function is one domain action: keyword-only, permission-checked, atomic, audited. Views, the API and the demo
seeder all call these, through this package.
"""

from .adjustments import adjustment_decide, adjustment_request
from .appraisal import council_conclude, council_create, council_result, score_sheet_save
from .documents import project_document_mark
from .money import ledger_record, ledger_reverse
from .monitoring import acceptance_record, progress_report_submit, visit_follow_up, visit_record
from .plans import plan_adjust, plan_approve, plan_create, programme_create
from .projects import (
    CODE_PREFIX,
    PROJECT_FIELDS,
    project_beneficiary_add,
    project_beneficiary_remove,
    project_content_add,
    project_content_remove,
    project_create,
    project_submit,
    project_transition,
    project_update,
)

__all__ = [
    "CODE_PREFIX", "PROJECT_FIELDS", "acceptance_record", "adjustment_decide", "adjustment_request", "council_conclude",
    "council_create", "council_result", "ledger_record", "ledger_reverse", "plan_adjust", "plan_approve",
    "plan_create", "programme_create", "progress_report_submit", "project_beneficiary_add",
    "project_beneficiary_remove", "project_content_add", "project_content_remove", "project_create",
    "project_document_mark", "project_submit", "project_transition", "project_update", "score_sheet_save",
    "visit_follow_up", "visit_record",
]
