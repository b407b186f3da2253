"""The lifecycle of a cluster: planned → established (by its establishment decision) → building → operating; a
cluster operating without a decision is regularised; any cluster is removed from the plan with a repeal decision."""

from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import role_permission
from khuyencong.core import badges
from khuyencong.core.flows import Flow, FlowContext, Transition
from khuyencong.core.permissions import ALLOW, Decision, deny

from . import law, selectors
from .models import Cluster, ClusterStatus, DecisionKind, ProcedureKind, ProcedureStatus

S = ClusterStatus
EDITORS = (Role.SYSTEM_ADMIN, Role.DOIT_OFFICER, Role.DOIT_MANAGER)


class ClusterContext(FlowContext):
    @cached_property
    def decision_kinds(self) -> set[str]:
        return set(self.obj.decisions.values_list("kind", flat=True))


def _has_decision(kind: str, message):
    def guard(ctx: ClusterContext) -> Decision:
        return ALLOW if kind in ctx.decision_kinds else deny(message)

    guard.__name__ = f"has_{kind}_decision"
    return guard


def has_investor(ctx: ClusterContext) -> Decision:
    if not ctx.obj.investor.strip():
        return deny(_("Name the infrastructure investor first (NĐ 32/2024/NĐ-CP, Điều 8 khoản 1 điểm b)."))
    return ALLOW


has_establishment = _has_decision(DecisionKind.ESTABLISH,
                                  gettext_lazy("Record the establishment decision of the provincial People's "
                                               "Committee first."))
has_repeal = _has_decision(DecisionKind.REPEAL, gettext_lazy("Record the repeal decision first."))

TRANSITIONS = [
    Transition("establish", gettext_lazy("Mark as established"), (S.PLANNED,), S.ESTABLISHED, EDITORS,
               guards=(has_investor, has_establishment)),
    Transition("regularise", gettext_lazy("Mark as regularised"), (S.UNESTABLISHED,), S.ESTABLISHED, EDITORS,
               guards=(has_establishment,)),
    Transition("build", gettext_lazy("Start building infrastructure"), (S.ESTABLISHED,), S.BUILDING, EDITORS),
    Transition("operate", gettext_lazy("Mark as operating"), (S.BUILDING, S.ESTABLISHED), S.OPERATING, EDITORS),
    Transition("remove", gettext_lazy("Remove from the plan"),
               (S.PLANNED, S.ESTABLISHED, S.BUILDING, S.OPERATING, S.UNESTABLISHED), S.REMOVED, EDITORS,
               guards=(has_repeal,), style="outline-danger"),
]


def _wrong_state(obj, label: str) -> str:
    return _("“%(action)s” is not possible while the cluster is “%(status)s”.") % {
        "action": label, "status": obj.get_status_display()}


cluster_flow = Flow(TRANSITIONS, wrong_state=_wrong_state, permission=role_permission, context=ClusterContext)

badges.register("cluster", {S.PLANNED: "text-bg-secondary", S.ESTABLISHED: "text-bg-info",
                            S.BUILDING: "text-bg-warning",
                            S.OPERATING: "text-bg-success", S.UNESTABLISHED: "text-bg-danger",
                            S.REMOVED: "text-bg-dark"})


# --- establishing and expanding (NĐ 32/2024 Art 10; deadlines from rule rows, `law.step_due`)

P = ProcedureStatus


def _bids(ctx):
    return [law.Bid(b.name, b.score_plan, b.score_environment, b.score_capacity, b.score_finance, b.chair_proposed)
            for b in ctx.obj.bids.all()]


def investor_selected(ctx) -> Decision:
    """Art 13.2: an applicant reached the pass mark and is the highest (a tie to the chair's proposal)."""
    winner, reason = law.select_investor(_bids(ctx), ctx.on_date)
    if winner is None:
        return deny(_("Investor selection: %(reason)s") % {"reason": reason} if _bids(ctx)
                    else _("Record the council's scores of the applicants to be the infrastructure investor."))
    return ALLOW


def art8_conditions(ctx) -> Decision:
    """NĐ 32/2024 Art 8, from rule rows: for a new cluster, the existing clusters of the province are occupied
    enough; for an expansion, the cluster's occupancy and essential works."""
    procedure = ctx.obj
    cluster = procedure.cluster
    if procedure.kind == ProcedureKind.ESTABLISH:
        others = Cluster.objects.filter(province_id=cluster.province_id).exclude(pk=cluster.pk).exclude(
            status__in=(ClusterStatus.PLANNED, ClusterStatus.REMOVED))
        average, unleased = selectors.area_occupancy(others)
        return law.establish_decision(average_occupancy=average, unleased_ha=unleased, on_date=ctx.on_date)
    figures = selectors.with_figures(Cluster.objects.filter(pk=cluster.pk)).prefetch_related("components").get()
    total = max(cluster.planned_ha, cluster.established_ha)
    return law.expand_decision(total_ha=total, occupancy=selectors.cluster_occupancy(figures),
                               essential_done=selectors.essential_done(figures), on_date=ctx.on_date)


def _stamp(field: str):
    def effect(act):
        return act.set(**{field: act.on_date})

    effect.__name__ = f"stamp_{field}"
    return effect


def _pause(act):
    returned = act.obj.returned_on or act.on_date
    return act.set(paused_days=act.obj.paused_days + max((act.on_date - returned).days, 0), returned_on=None)


def _decide(act):
    return act.set(decided_on=act.on_date, reference=str(act.input("reference")))


PROCEDURE_TRANSITIONS = [
    Transition("notice", gettext_lazy("Announce the intake"), (P.RECEIVED,), P.NOTICED, EDITORS,
               effects=(_stamp("noticed_on"),)),
    Transition("close_intake", gettext_lazy("Close the intake"), (P.NOTICED,), P.INTAKE_CLOSED, EDITORS,
               effects=(_stamp("intake_closed_on"),)),
    Transition("send", gettext_lazy("Dossier received by the DoIT"), (P.INTAKE_CLOSED,), P.SENT, EDITORS,
               effects=(_stamp("sent_on"),)),
    Transition("return", gettext_lazy("Return for completion"), (P.SENT,), P.RETURNED, EDITORS,
               effects=(_stamp("returned_on"),), needs=("reason",), style="outline-secondary"),
    Transition("resume", gettext_lazy("Completed dossier received"), (P.RETURNED,), P.SENT, EDITORS,
               effects=(_pause,)),
    Transition("appraise", gettext_lazy("Appraisal done"), (P.SENT,), P.APPRAISED, EDITORS,
               guards=(investor_selected, art8_conditions), effects=(_stamp("appraised_on"),)),
    Transition("decide", gettext_lazy("Record the province's decision"), (P.APPRAISED,), P.DECIDED, EDITORS,
               effects=(_decide,), needs=("reference",)),
    Transition("refuse", gettext_lazy("Refused"), (P.SENT, P.APPRAISED), P.REFUSED, EDITORS,
               needs=("reason",), style="outline-danger"),
]


def _procedure_wrong_state(obj, label: str) -> str:
    return _("“%(action)s” is not possible while the procedure is “%(status)s”.") % {
        "action": label, "status": obj.get_status_display()}


procedure_flow = Flow(PROCEDURE_TRANSITIONS, wrong_state=_procedure_wrong_state, permission=role_permission,
                      province_of=lambda obj: obj.cluster.province_id)

badges.register("cluster_procedure", {P.RETURNED: "text-bg-warning", P.APPRAISED: "text-bg-info",
                                      P.DECIDED: "text-bg-success", P.REFUSED: "text-bg-dark"},
                default="text-bg-primary")

# When each step is due: the step, the date its clock starts from, and the rule row of its duration.
STEP_CLOCKS = (
    ("notice", "received_on", "clusters-step-notice"),
    ("close_intake", "noticed_on", "clusters-step-intake"),
    ("send", "intake_closed_on", "clusters-step-send"),
    ("appraise", "sent_on", "clusters-step-appraisal"),
    ("decide", "appraised_on", "clusters-step-decision"),
)


def procedure_deadlines(procedure) -> list[dict]:
    """Each step with the day its clock started, the day it is due (paused days added to the appraisal) and the rule
    row that says so."""
    rows = []
    for action, start_field, code in STEP_CLOCKS:
        start = getattr(procedure, start_field)
        if start is None:
            continue
        paused = procedure.paused_days if action == "appraise" else 0
        due, rule = law.step_due(code, start, paused)
        rows.append({"action": action, "label": procedure_flow.label(action), "start": start, "due": due,
                     "rule": rule})
    return rows
