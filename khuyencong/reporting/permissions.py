"""Who may read and change periodic reports. Each check returns a Decision with a Vietnamese reason.

A report belongs to its organisation's province: users holding a role for the whole province read it, national
users read every province's. Who approves and who unlocks is named by the report type (data, not code).
"""

from django.utils.translation import gettext as _

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import roles_in, user_scope
from khuyencong.core.locks import Lock
from khuyencong.core.permissions import ALLOW, Decision, deny, first_refusal

from .models import Report, ReportStatus, ReportType

# Staff who draft a report and send it up.
DRAFTERS = (Role.SYSTEM_ADMIN, Role.DOIT_OFFICER, Role.DOIT_MANAGER, Role.CENTRE_STAFF)


def can_view_completeness(user) -> Decision:
    if user_scope(user).national:
        return ALLOW
    return deny(_("Only national users see every province's reports."))


def can_create_report(user, province_id: int | None) -> Decision:
    if roles_in(user, province_id) & set(DRAFTERS):
        return ALLOW
    if user_scope(user).roles & set(DRAFTERS):
        return deny(_("You hold the role needed, but not for this province."))
    return deny(_("Only DoIT officers and centre staff draft periodic reports."))


# A locked report is the record sent up: nothing in it changes until its unlocker unlocks it (the flow's `unlock`,
# with the reason). Declared here rather than in flows.py, which reads these permissions.
report_lock = Lock(
    "report.locked", states=(ReportStatus.LOCKED,), test=lambda report: report.status == ReportStatus.LOCKED,
    reason=lambda report: _("The report is locked: nothing in it can change until it is unlocked, with the reason."))


def can_edit_narrative(user, report: Report) -> Decision:
    decision = first_refusal(can_create_report(user, report.province_id), report_lock(report))
    if not decision:
        return decision
    if report.status != ReportStatus.DRAFT:
        return deny(_("The report is %(status)s: only a draft can be edited (ask for it to be returned).") % {
            "status": report.get_status_display().lower()})
    return ALLOW


def approver_roles(report_type: ReportType) -> tuple[str, ...]:
    return (Role.SYSTEM_ADMIN, report_type.approver_role)


def unlock_roles(report_type: ReportType) -> tuple[str, ...]:
    return (Role.SYSTEM_ADMIN, report_type.unlock_role)


def can_start_export(user) -> Decision:
    return can_view_completeness(user)
