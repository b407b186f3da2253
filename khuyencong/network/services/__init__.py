"""Writes of the collaborator network, one module per aggregate. Each function is one domain action: keyword-only,
permission-checked, atomic, audited; the lifecycles they move are the tables of flows.py. Views, the API and the demo
seeder all call these, through this package."""

from ._common import add_months
from .applications import application_accept, application_refuse, application_submit
from .collaborators import (
    PASSWORD_ALPHABET,
    PERSON_FIELDS,
    collaborator_appoint,
    collaborator_create,
    collaborator_set_status,
    collaborator_update,
    coverage_add,
    coverage_end,
    coverage_reassign,
    new_password,
    username_for,
)
from .establishments import establishment_proposal_accept, establishment_proposal_reject, establishment_propose
from .fees import fee_sheet_act, fee_sheet_mark_paid, fee_sheet_prepare, fee_sheet_return, fee_sheet_sign_off
from .field import SURVEY_FIELDS, field_record_create, field_record_review, need_convert, photo_kind
from .regulations import regulation_create, regulation_update
from .sync import sync_item
from .work import announcement_mark_read, announcement_publish, task_cancel, task_complete, task_create

__all__ = [
    "PASSWORD_ALPHABET", "PERSON_FIELDS", "SURVEY_FIELDS", "add_months", "announcement_mark_read",
    "announcement_publish", "application_accept", "application_refuse", "application_submit", "collaborator_appoint",
    "collaborator_create", "collaborator_set_status", "collaborator_update", "coverage_add", "coverage_end",
    "coverage_reassign", "establishment_proposal_accept", "establishment_proposal_reject",
    "establishment_propose", "fee_sheet_act", "fee_sheet_mark_paid", "fee_sheet_prepare", "fee_sheet_return",
    "fee_sheet_sign_off", "field_record_create", "field_record_review", "need_convert", "new_password",
    "photo_kind", "regulation_create", "regulation_update", "sync_item", "task_cancel", "task_complete", "task_create",
    "username_for",
]
