"""The check clusters adds to a KC project's money steps (`projects.support_checks`): a project linked to a
cluster's infrastructure is refused at approval and contract when the state's support would pass the cap of
NĐ 32/2024 Art 26.1. It only reads."""

from khuyencong.core.permissions import ALLOW, Decision

from . import law
from .models import ClusterSupport, Infrastructure
from .selectors import support_total

STAGES = ("approve", "contract")


def state_support_cap(ctx, stage: str) -> Decision:
    if stage not in STAGES:
        return ALLOW
    for link in ClusterSupport.objects.filter(project_id=ctx.project.pk).select_related("cluster"):
        infra = Infrastructure.objects.filter(cluster_id=link.cluster_id).first()
        decision = law.cap_decision(approved_total_vnd=infra.approved_total_vnd if infra else 0,
                                    total_support_vnd=support_total(link.cluster_id), on_date=ctx.on_date)
        if not decision:
            return decision
    return ALLOW
