"""What settlement puts in a user's work inbox (`web.inbox`): findings waiting for the user's step (the centre
explains, the appraiser clears or upholds), and the projects whose settlement deadline is near or past for those who
prepare the dossier (the centre's staff and finance officers) — a fixed number of queries each."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import acting_province_ids
from khuyencong.core.inbox import GROUP_LIMIT, InboxGroup, InboxItem, actionable_q, allowed_labels

from .flows import finding_flow
from .models import Finding
from .permissions import OBSTACLE_KEEPERS
from .selectors import at_risk

FINDING_ACTIONS = frozenset({"explain", "clear", "uphold"})


def finding_group(user, today: datetime.date) -> InboxGroup:
    qs = Finding.objects.filter(actionable_q(finding_flow, lambda roles: acting_province_ids(user, roles),
                                             FINDING_ACTIONS)).select_related("project", "province")
    group = InboxGroup("settlement_finding", _("Possible double supports to decide"), total=qs.count(),
                       url=reverse("settlement_findings") + "?status=open")
    for finding in qs.order_by("created_at", "pk")[:GROUP_LIMIT]:
        group.items.append(InboxItem(
            title=finding.get_check_code_display(), code=finding.project.code, where=finding.province.short_name,
            url=reverse("settlement_finding_detail", args=[finding.pk]),
            step=" / ".join(allowed_labels(finding_flow, finding, user, FINDING_ACTIONS)),
            since=finding.created_at.date()))
    return group


def at_risk_group(user, today: datetime.date, *, watch: bool) -> InboxGroup:
    provinces = acting_province_ids(user, None if watch else OBSTACLE_KEEPERS)
    qs = at_risk(user=user, today=today)
    if provinces is not None:
        qs = qs.filter(province_id__in=provinces)
    group = InboxGroup("settlement_at_risk", _("Settlements at risk of missing the deadline"), total=qs.count(),
                       url=reverse("settlement_at_risk"), watch=watch)
    for project in qs[:GROUP_LIMIT]:
        group.items.append(InboxItem(
            title=project.title, code=project.code, where=project.province.short_name,
            url=reverse("settlement_project", args=[project.pk]), step=project.due_label or _("Settlement deadline"),
            due=project.due_date, late=project.due_date < today))
    return group


def inbox_groups(user, today, *, watch: bool = False) -> list:
    if watch:
        return [at_risk_group(user, today, watch=True)]
    groups = [finding_group(user, today)]
    provinces = acting_province_ids(user, OBSTACLE_KEEPERS)
    if provinces is None or provinces:
        groups.append(at_risk_group(user, today, watch=False))
    return groups
