"""The modules' actions in words for histories and the audit search (core.audit): a lifecycle step reads as its flow
row's label, every other action as listed here. The shell registers them because it sees every module; a new module's
action code without words reads as a generic verb, never as its code."""

import json
import re

from django.utils.translation import gettext_lazy

from khuyencong.core.audit import register_action_labels, register_change_labels, register_change_values
from khuyencong.core.money import format_vnd
from khuyencong.events.flows import event_flow
from khuyencong.network.flows import application_flow, collaborator_flow, fee_sheet_flow, field_record_flow, task_flow
from khuyencong.projects.checklists import document_names
from khuyencong.projects.flows import project_flow
from khuyencong.projects.scoring import DATA_FILE as SHEETS_FILE
from khuyencong.reporting.flows import report_flow
from khuyencong.rules.models import AuthorityMatter

# The audit code of a lifecycle step is "<prefix><row action>" (projects/services, events/services, reporting).
FLOW_PREFIXES = (
    ("project.", project_flow),
    ("event.", event_flow),
    ("report.", report_flow),
    ("network.application_", application_flow),
    ("network.collaborator_", collaborator_flow),
    ("network.task_", task_flow),
    ("network.field_", field_record_flow),
    ("network.fee_sheet_", fee_sheet_flow),
)

ACTIONS = {
    "organisation.create": gettext_lazy("Created the organisation"),
    "organisation.update": gettext_lazy("Changed the organisation's details"),
    "establishment.create": gettext_lazy("Added the establishment to the registry"),
    "establishment.update": gettext_lazy("Changed the establishment's details"),
    "establishment.import_create": gettext_lazy("Added from an imported spreadsheet"),
    "establishment.import_update": gettext_lazy("Updated from an imported spreadsheet"),
    "establishment.merge": gettext_lazy("Merged a duplicate into this establishment"),
    "establishment.merge_review": gettext_lazy("Reviewed a possible duplicate"),
    "establishment.merged_into": gettext_lazy("Merged into another establishment"),
    "establishment.support_add": gettext_lazy("Recorded a past support"),
    "establishment_import.start": gettext_lazy("Started an import"),
    "establishment_import.confirm": gettext_lazy("Confirmed the import"),
    "establishment_import.done": gettext_lazy("Import finished"),
    "establishment_import.stopped": gettext_lazy("Import stopped"),
    "event.create": gettext_lazy("Created the event"),
    "event.update": gettext_lazy("Changed the event's details"),
    "event.draft_from_planner": gettext_lazy("Drafted from the study-tour planner"),
    "event.attendance": gettext_lazy("Recorded attendance"),
    "event.booth_add": gettext_lazy("Added a booth"),
    "event.booth_remove": gettext_lazy("Removed a booth"),
    "event.booth_certify": gettext_lazy("Certified a booth"),
    "event.budget_add": gettext_lazy("Added a budget line"),
    "event.budget_remove": gettext_lazy("Removed a budget line"),
    "event.budget_spent": gettext_lazy("Recorded the actual spending"),
    "event.curriculum_add": gettext_lazy("Added a training module"),
    "event.curriculum_remove": gettext_lazy("Removed a training module"),
    "event.day_add": gettext_lazy("Added a day to the programme"),
    "event.day_remove": gettext_lazy("Removed a day from the programme"),
    "event.participant_add": gettext_lazy("Added a participant"),
    "event.participant_remove": gettext_lazy("Removed a participant"),
    "event.participant_update": gettext_lazy("Changed a participant"),
    "event.place_add": gettext_lazy("Added a place"),
    "event.place_remove": gettext_lazy("Removed a place"),
    "event.visit_add": gettext_lazy("Added a visit"),
    "event.visit_remove": gettext_lazy("Removed a visit"),
    "event.report_prepare": gettext_lazy("Prepared the event report"),
    "event.report_regenerate": gettext_lazy("Regenerated the event report"),
    "event.report_update": gettext_lazy("Changed the event report"),
    "event.report_sign": gettext_lazy("Signed the event report"),
    "event.trainee_result": gettext_lazy("Recorded a trainee's result"),
    "event.trainee_employment": gettext_lazy("Recorded a trainee's employment"),
    "lesson.create": gettext_lazy("Shared the lesson"),
    "lesson.update": gettext_lazy("Changed the lesson"),
    "lesson.followup_add": gettext_lazy("Added a follow-up"),
    "lesson.followup_update": gettext_lazy("Changed a follow-up"),
    "practice.create": gettext_lazy("Shared the model practice"),
    "practice.update": gettext_lazy("Changed the model practice"),
    "network.announcement_publish": gettext_lazy("Published the call for collaborators"),
    "network.application_submit": gettext_lazy("Application received"),
    "network.application_accept": gettext_lazy("Accepted the application"),
    "network.application_refuse": gettext_lazy("Refused the application"),
    "network.collaborator_create": gettext_lazy("Added the collaborator"),
    "network.collaborator_update": gettext_lazy("Changed the collaborator's details"),
    "network.collaborator_appoint": gettext_lazy("Appointed by decision"),
    "network.collaborator_status": gettext_lazy("Changed the collaborator's status"),
    "network.coverage_add": gettext_lazy("Assigned a commune"),
    "network.coverage_end": gettext_lazy("Ended a commune assignment"),
    "network.coverage_reassign": gettext_lazy("Reassigned communes after the merger"),
    "network.fee_sheet_prepare": gettext_lazy("Prepared the fee sheet"),
    "network.fee_sheet_sign_off": gettext_lazy("Signed off the fee sheet"),
    "network.fee_sheet_return": gettext_lazy("Returned the fee sheet"),
    "network.fee_sheet_paid": gettext_lazy("Recorded the payment"),
    "network.field_survey": gettext_lazy("Recorded an establishment survey"),
    "network.field_need": gettext_lazy("Recorded a support need"),
    "network.field_communication": gettext_lazy("Recorded a communication session"),
    "network.field_followup": gettext_lazy("Recorded a follow-up visit"),
    "network.field_review": gettext_lazy("Reviewed the field record"),
    "network.need_convert": gettext_lazy("Turned the need into a project proposal"),
    "network.regulation_create": gettext_lazy("Entered the regulation"),
    "network.regulation_update": gettext_lazy("Changed the regulation"),
    "network.task_create": gettext_lazy("Assigned a task"),
    "network.task_done": gettext_lazy("Completed the task"),
    "network.task_cancel": gettext_lazy("Cancelled the task"),
    "network.task_reminders_sent": gettext_lazy("Sent task reminders"),
    "programme.create": gettext_lazy("Created the programme"),
    "plan.create": gettext_lazy("Created the plan"),
    "plan.approve": gettext_lazy("Approved the plan"),
    "plan.adjust": gettext_lazy("Adjusted the plan's envelope"),
    "project.create": gettext_lazy("Created the project"),
    "project.update": gettext_lazy("Changed the project's details"),
    "project.content_add": gettext_lazy("Added a support content"),
    "project.content_remove": gettext_lazy("Removed a support content"),
    "project.beneficiary_add": gettext_lazy("Added a beneficiary"),
    "project.beneficiary_remove": gettext_lazy("Removed a beneficiary"),
    "project.document_receive": gettext_lazy("Received a document"),
    "project.document_withdraw": gettext_lazy("Withdrew a document"),
    "project.council_create": gettext_lazy("Set up the appraisal council"),
    "project.council_score": gettext_lazy("Recorded a council member's score"),
    "project.council_conclude": gettext_lazy("Recorded the council's conclusion"),
    "project.ledger_record": gettext_lazy("Recorded a payment in the ledger"),
    "project.ledger_reverse": gettext_lazy("Reversed a ledger entry"),
    "project.progress_report": gettext_lazy("Recorded a progress report"),
    "project.visit_record": gettext_lazy("Recorded a supervision visit"),
    "project.visit_follow_up": gettext_lazy("Followed up a supervision visit"),
    "project.acceptance_record": gettext_lazy("Recorded the acceptance minutes"),
    "project.adjustment_request": gettext_lazy("Requested an adjustment"),
    "project.adjustment_approved": gettext_lazy("Adjustment approved"),
    "project.adjustment_refused": gettext_lazy("Adjustment refused"),
    "projects.reminders_sent": gettext_lazy("Sent project reminders"),
    "report.create": gettext_lazy("Created the report"),
    "report.update": gettext_lazy("Changed the report"),
    "report_export.start": gettext_lazy("Started an export"),
    "report_export.done": gettext_lazy("Export finished"),
    "report_export.stopped": gettext_lazy("Export stopped"),
    "rules.load": gettext_lazy("Loaded the legal rules"),
    "system.start": gettext_lazy("System started"),
}


# Change keys the modules record that are not fields of the record changed.
CHANGE_LABELS = {
    "report": gettext_lazy("Event report"),
    "decision": gettext_lazy("Kind of change"),
    "reference": gettext_lazy("Document number"),
    "number": gettext_lazy("Document number"),
    "present": gettext_lazy("People present"),
    "replaced": gettext_lazy("Someone replaced"),
    "booth": gettext_lazy("Booth"),
    "line": gettext_lazy("Budget line"),
    "module": gettext_lazy("Training module"),
    "participant": gettext_lazy("Participant"),
    "visit": gettext_lazy("Visit"),
    "former_rows": gettext_lazy("Former assignments"),
    "communes_opened": gettext_lazy("Communes opened"),
    "already_covered": gettext_lazy("Communes already covered"),
    "collaborators": gettext_lazy("Collaborators"),
    "lines": gettext_lazy("Lines"),
    "regulation": gettext_lazy("Regulation"),
    "standards": gettext_lazy("Standards to join"),
    "criteria": gettext_lazy("Evaluation criteria"),
    "adjustment": gettext_lazy("Adjustment"),
    "council": gettext_lazy("Appraisal council"),
    "council_conclusion": gettext_lazy("Council's conclusion"),
    "council_average": gettext_lazy("Council's average score"),
    "pass_average": gettext_lazy("Average score needed to pass"),
    "approved_vnd": gettext_lazy("Approved support (đồng)"),
    "contracted_vnd": gettext_lazy("Contracted support (đồng)"),
    "settled_vnd": gettext_lazy("Settled support (đồng)"),
    "member": gettext_lazy("Council member"),
    "document": gettext_lazy("Document"),
    "files": gettext_lazy("Attached files"),
    "created": gettext_lazy("Added"),
    "updated": gettext_lazy("Updated"),
    "kept_admin_edits": gettext_lazy("Kept as edited by an administrator"),
    "deleted": gettext_lazy("Deleted"),
}
_MONEY_IN_TEXT = re.compile(r"(?<![\w.,/-])(\d{4,})(?![\w.,/-])")


def _money_in_text(text):
    """A budget line or a booth as its service words it ("Đi lại: 62000000 / 62000000"), amounts in đồng."""
    return _MONEY_IN_TEXT.sub(lambda m: format_vnd(int(m.group(1))), str(text))


def _criteria_labels() -> dict[str, str]:
    """A council member's scores are stored by criterion code: the criteria of the appraisal sheets, in words."""
    sheets = json.loads(SHEETS_FILE.read_text(encoding="utf-8"))["sheets"].values()
    return {c["code"]: c["label"] for sheet in sheets for c in sheet["criteria"]}


def register() -> None:
    register_change_labels({**_criteria_labels(), **CHANGE_LABELS})
    register_change_values({"document": document_names(), "report": {"draft": gettext_lazy("Draft prepared")},
                            "decision": dict(AuthorityMatter.choices),
                            "line": _money_in_text, "booth": _money_in_text})
    labels = {}
    for prefix, flow in FLOW_PREFIXES:
        for row in flow.transitions:
            labels.setdefault(f"{prefix}{row.action}", row.label)
    labels.update(ACTIONS)
    register_action_labels(labels)
