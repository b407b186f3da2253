"""The clusters' audit actions and change keys in words (the change history and the audit search)."""

from django.utils.translation import gettext_lazy as _

from khuyencong.core.audit import register_action_labels, register_change_labels, register_object_page

ACTIONS = {
    "clusters.cluster_create": _("Entered the cluster"),
    "clusters.cluster_update": _("Changed the cluster"),
    "clusters.establish": _("Marked the cluster as established"),
    "clusters.regularise": _("Marked the cluster as regularised"),
    "clusters.build": _("Started building the infrastructure"),
    "clusters.operate": _("Marked the cluster as operating"),
    "clusters.remove": _("Removed the cluster from the plan"),
    "clusters.decision_add": _("Recorded a decision"),
    "clusters.infrastructure_set": _("Recorded the infrastructure project"),
    "clusters.support_add": _("Recorded state support"),
    "clusters.project_link": _("Linked a KC project"),
    "clusters.component_set": _("Recorded a shared work"),
    "clusters.tenant_add": _("Added a tenant"),
    "clusters.snapshot_add": _("Recorded a land snapshot"),
    "clusters.procedure_start": _("Started an establishing procedure"),
    "clusters.bid_add": _("Scored an applicant investor"),
    "clusters.form_save": _("Saved a report form"),
    "clusters.form_submit": _("Submitted a report form"),
    "clusters.form_return": _("Returned a report form"),
    "clusters.form_approve": _("Approved a report form"),
}
for step in ("notice", "close_intake", "send", "return", "resume", "appraise", "decide", "refuse"):
    ACTIONS[f"clusters.procedure_{step}"] = _("Moved the establishing procedure on")

CHANGES = {
    "decision": _("Decision"),
    "support": _("State support"),
    "project": _("KC project"),
    "component": _("Shared work"),
    "tenant": _("Tenant"),
    "snapshot": _("Land snapshot"),
    "procedure": _("Procedure"),
    "bid": _("Applicant investor"),
    "form": _("Report form"),
    "values": _("Figures of the form"),
    "reason": _("Reason"),
}


def register() -> None:
    register_action_labels(ACTIONS)
    register_change_labels(CHANGES)
    register_object_page("clusters.cluster", "cluster_detail")
