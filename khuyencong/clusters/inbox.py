"""What clusters puts in a user's work inbox (`web.inbox`): the forms 01/02 of TT 14/2024 still missing after their
deadline, in the provinces where the user manages the clusters; and the forms waiting for a manager's approval."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import acting_province_ids
from khuyencong.core.inbox import GROUP_LIMIT, InboxGroup, InboxItem

from . import reports
from .flows import EDITORS
from .models import Cluster, FormReport, FormStatus


def _clusters(user, roles):
    ids = acting_province_ids(user, roles)
    qs = Cluster.objects.all()
    return qs if ids is None else qs.filter(province_id__in=ids)


def _last_due_period(today: datetime.date) -> reports.ReportPeriod | None:
    """The latest period whose forms 01/02 are already due on `today`."""
    for period in reports.ReportPeriod.recent(today, 4):
        if period.due("01") <= today:
            return period
    return None


def missing_group(user, today: datetime.date) -> InboxGroup | None:
    ids = acting_province_ids(user, EDITORS)
    if ids is not None and not ids:
        return None
    period = _last_due_period(today)
    if period is None:
        return None
    missing = reports.missing_forms(_clusters(user, EDITORS), period)
    due = period.due("01")
    items = [InboxItem(title=_("Form 01 — %(name)s") % {"name": t.name}, where=t.cluster.name,
                       url=reverse("cluster_detail", args=[t.cluster_id]) + f"?period={period.key}#forms",
                       step=_("Missing after the deadline"), due=due, late=True) for t in missing["01"]]
    items += [InboxItem(title=_("Form 02 — %(name)s") % {"name": c.name}, where=c.name,
                        url=reverse("cluster_detail", args=[c.pk]) + f"?period={period.key}#forms",
                        step=_("Missing after the deadline"), due=due, late=True) for c in missing["02"]]
    if not items:
        return None
    return InboxGroup(kind="clusters_missing_forms", label=_("Cluster report forms missing (%(period)s)") % {
        "period": period.label}, items=items[:GROUP_LIMIT], total=len(items),
        url=reverse("cluster_reports") + f"?period={period.key}")


def approval_group(user, today: datetime.date) -> InboxGroup | None:
    ids = acting_province_ids(user, reports.APPROVERS)
    if ids is not None and not ids:
        return None
    qs = FormReport.objects.filter(status=FormStatus.SUBMITTED).select_related("cluster", "tenant")
    if ids is not None:
        qs = qs.filter(cluster__province_id__in=ids)
    total = qs.count()
    if not total:
        return None
    items = [InboxItem(title=_("Form %(form)s — %(name)s") % {"form": r.form,
                                                             "name": r.tenant.name if r.tenant_id else r.cluster.name},
                       where=r.cluster.name, since=r.submitted_on, step=_("Approve and lock"),
                       url=reverse("cluster_detail", args=[r.cluster_id]) + f"?period={r.period}#forms")
             for r in qs.order_by("submitted_on", "id")[:GROUP_LIMIT]]
    return InboxGroup(kind="clusters_forms_to_approve", label=_("Cluster report forms to approve"), items=items,
                      total=total, url=reverse("cluster_list"))


def inbox_groups(user, today, *, watch: bool = False) -> list:
    if watch:
        return []
    return [g for g in (missing_group(user, today), approval_group(user, today)) if g is not None]
