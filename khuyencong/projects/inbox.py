"""What the projects module puts in a user's work inbox (`web.inbox`), read from the project lifecycle table:

- the projects whose current step is one the user's roles take (the “to do” list's rule, `step_condition`), with the
  step in words (the labels of the buttons the project page offers the user) and the step's deadline;
- the monthly progress reports due within `REPORT_NOTICE_DAYS` days, or late, for the implementing unit;
- the adjustment requests waiting for the decision of an authority whose decision the user records;
- for a user who only watches (a viewer): the projects whose deadline is near or past.

Each group is a fixed number of queries whatever the number of projects. The daily e-mail reads the same groups.
"""

import datetime

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import acting_province_ids
from khuyencong.core.inbox import GROUP_LIMIT, InboxGroup, InboxItem, allowed_labels

from .flows import SIDE_EXITS, project_flow
from .models import CLOSED_STATUSES, AdjustmentRequest, AdjustmentStatus, ProjectStatus
from .permissions import ADJUSTABLE_STATUSES, AUTHORITY_ROLES
from .selectors import REPORT_NOTICE_DAYS, report_condition, scoped_projects, step_condition

STEP_ACTIONS = frozenset(project_flow.actions()) - set(SIDE_EXITS)


def _where(project) -> str:
    return ", ".join(unit.short_name for unit in (project.commune, project.province) if unit is not None)


# The date a project entered its state, where the project keeps one; otherwise its last change.
STATE_DATES = {
    ProjectStatus.SUBMITTED: "application_date", ProjectStatus.APPROVED: "approved_on",
    ProjectStatus.CONTRACTED: "contract_date", ProjectStatus.IN_PROGRESS: "contract_date",
    ProjectStatus.ACCEPTED: "accepted_on", ProjectStatus.SETTLED: "settled_on",
}


def waiting_since(project) -> datetime.date:
    if project.status == ProjectStatus.DRAFT:
        return project.created_at.date()
    return getattr(project, STATE_DATES.get(project.status, ""), None) or project.updated_at.date()


def adjustment_condition(user) -> Q:
    """Pending adjustment requests routed to an authority whose decision the user records, in the user's provinces."""
    condition = Q(pk__in=[])
    for authority, authority_roles in AUTHORITY_ROLES.items():
        provinces = acting_province_ids(user, authority_roles)
        if provinces is None:
            condition |= Q(authority=authority)
        elif provinces:
            condition |= Q(authority=authority, project__province_id__in=provinces)
    return condition


def _projects(user):
    return scoped_projects(user).select_related("plan", "province", "commune")


def step_group(user, today: datetime.date) -> InboxGroup:
    qs = _projects(user).filter(step_condition(user, side_exits=False)).exclude(status__in=CLOSED_STATUSES)
    group = InboxGroup("project_step", _("Projects waiting for your step"), total=qs.count(),
                       url=reverse("project_todo"))
    for project in qs.order_by(F("due_date").asc(nulls_last=True), "code")[:GROUP_LIMIT]:
        labels = allowed_labels(project_flow, project, user, STEP_ACTIONS)
        step = " / ".join(labels)
        if project.due_label:
            step = f"{step} — {project.due_label}" if step else project.due_label
        group.items.append(InboxItem(
            title=project.title, code=project.code, where=_where(project), url=reverse("project_detail",
                                                                                        args=[project.pk]),
            step=step or project.get_status_display(), since=waiting_since(project), due=project.due_date,
            late=bool(project.due_date and project.due_date < today)))
    return group


def report_group(user, today: datetime.date) -> InboxGroup:
    soon = today + datetime.timedelta(days=REPORT_NOTICE_DAYS)
    qs = _projects(user).filter(report_condition(user, soon))
    group = InboxGroup("project_report", _("Monthly progress reports"), total=qs.count(), url=reverse("project_todo"))
    for project in qs.order_by("report_due_date", "code")[:GROUP_LIMIT]:
        group.items.append(InboxItem(
            title=project.title, code=project.code, where=_where(project),
            url=reverse("project_monitoring", args=[project.pk]) + "#reports",
            step=_("Send the monthly progress report"), since=project.reports_from, due=project.report_due_date,
            late=project.report_due_date < today))
    return group


def adjustment_group(user, today: datetime.date) -> InboxGroup:
    qs = AdjustmentRequest.objects.filter(
        adjustment_condition(user), status=AdjustmentStatus.PENDING, project__in=scoped_projects(user).values("pk"),
        project__status__in=ADJUSTABLE_STATUSES,
    ).select_related("project", "project__province", "project__commune")
    group = InboxGroup("project_adjustment", _("Adjustment requests waiting for a decision"), total=qs.count())
    for request in qs.order_by("requested_on", "id")[:GROUP_LIMIT]:
        project = request.project
        group.items.append(InboxItem(
            title=f"{request.summary} ({project.title})", code=project.code, where=_where(project),
            url=reverse("project_monitoring", args=[project.pk]) + "#adjustments",
            step=_("Record the decision of %(authority)s") % {"authority": request.authority_label},
            since=request.requested_on))
    return group


def deadline_group(user, today: datetime.date) -> InboxGroup:
    """For a user who watches: the open projects whose step deadline is past or within the notice window."""
    soon = today + datetime.timedelta(days=REPORT_NOTICE_DAYS)
    qs = _projects(user).filter(due_date__lte=soon).exclude(status__in=CLOSED_STATUSES)
    group = InboxGroup("project_deadline", _("Project deadlines near or past"), total=qs.count(),
                       url=reverse("project_list") + "?late=1", watch=True)
    for project in qs.order_by("due_date", "code")[:GROUP_LIMIT]:
        group.items.append(InboxItem(
            title=project.title, code=project.code, where=_where(project),
            url=reverse("project_detail", args=[project.pk]), step=project.due_label or project.get_status_display(),
            due=project.due_date, late=project.due_date < today))
    return group


def inbox_groups(user, today: datetime.date, *, watch: bool = False) -> list[InboxGroup]:
    if watch:
        return [deadline_group(user, today)]
    return [step_group(user, today), report_group(user, today), adjustment_group(user, today)]
