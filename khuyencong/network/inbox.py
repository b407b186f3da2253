"""What the collaborator network puts in a user's work inbox (`web.inbox`), read from the network's lifecycle tables:

- applications to join, field records and establishments proposed from the field waiting for review, for the
  centre's staff;
- fee sheets to sign off (not by the person who prepared them) and to pay, for the finance officer;
- a collaborator's own open tasks, with their deadlines;
- for the centre's staff, the tasks of their collaborators past their deadline.

Each group is a fixed number of queries whatever the size of the network.
"""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts.scope import acting_province_ids
from khuyencong.core.inbox import GROUP_LIMIT, InboxGroup, InboxItem, actionable_q, allowed_labels

from .flows import application_flow, establishment_proposal_flow, fee_sheet_flow, field_record_flow, task_flow
from .models import (
    CollaboratorApplication,
    CollaboratorTask,
    EstablishmentProposal,
    FeeSheet,
    FieldRecord,
    TaskStatus,
)
from .permissions import NETWORK_MANAGERS
from .selectors import fee_sheet_period

APPLICATION_ACTIONS = frozenset({"accept", "refuse"})
RECORD_ACTIONS = frozenset({"accept", "reject"})
FEE_ACTIONS = frozenset({"sign_off", "paid"})
PROPOSAL_ACTIONS = frozenset({"accept", "reject"})


def _provinces_for(user):
    return lambda roles: acting_province_ids(user, roles)


def application_group(user, today: datetime.date) -> InboxGroup:
    qs = CollaboratorApplication.objects.filter(
        actionable_q(application_flow, _provinces_for(user), APPLICATION_ACTIONS)).select_related("province")
    group = InboxGroup("network_application", _("Applications to join the network"), total=qs.count(),
                       url=reverse("network_application_list"))
    for application in qs.order_by("submitted_at", "pk")[:GROUP_LIMIT]:
        group.items.append(InboxItem(
            title=application.full_name, code=application.reference, where=application.province.short_name,
            url=reverse("network_application_detail", args=[application.pk]),
            step=" / ".join(allowed_labels(application_flow, application, user, APPLICATION_ACTIONS)),
            since=application.submitted_at.date()))
    return group


def record_group(user, today: datetime.date) -> InboxGroup:
    qs = FieldRecord.objects.filter(actionable_q(field_record_flow, _provinces_for(user), RECORD_ACTIONS)
                                    ).select_related("province", "commune", "collaborator", "establishment")
    group = InboxGroup("network_record", _("Field records to review"), total=qs.count(),
                       url=reverse("network_field_list") + "?status=submitted")
    for record in qs.order_by("occurred_on", "pk")[:GROUP_LIMIT]:
        subject = record.establishment.name if record.establishment_id else record.topic
        title = f"{record.get_kind_display()} — {record.collaborator.full_name}"
        group.items.append(InboxItem(
            title=f"{title}: {subject}" if subject else title,
            where=", ".join(u.short_name for u in (record.commune, record.province) if u is not None),
            url=reverse("network_field_detail", args=[record.pk]),
            step=" / ".join(allowed_labels(field_record_flow, record, user, RECORD_ACTIONS)),
            since=record.occurred_on))
    return group


def proposal_group(user, today: datetime.date) -> InboxGroup:
    """Establishments a collaborator found in the field, waiting for the centre to add them to the registry."""
    qs = EstablishmentProposal.objects.filter(
        actionable_q(establishment_proposal_flow, _provinces_for(user), PROPOSAL_ACTIONS)
    ).select_related("province", "commune", "collaborator")
    group = InboxGroup("network_proposal", _("Establishments proposed from the field"), total=qs.count(),
                       url=reverse("network_proposal_list"))
    for proposal in qs.order_by("created_at", "pk")[:GROUP_LIMIT]:
        group.items.append(InboxItem(
            title=f"{proposal.name} — {proposal.collaborator.full_name}",
            where=f"{proposal.commune.short_name}, {proposal.province.short_name}",
            url=reverse("network_proposal_detail", args=[proposal.pk]),
            step=" / ".join(allowed_labels(establishment_proposal_flow, proposal, user, PROPOSAL_ACTIONS)),
            since=proposal.created_at.date()))
    return group


def fee_group(user, today: datetime.date) -> InboxGroup:
    # Whoever prepared a sheet does not sign it off (the flow's permission, read in the query).
    condition = actionable_q(fee_sheet_flow, _provinces_for(user), FEE_ACTIONS,
                             extra={"sign_off": ~Q(prepared_by_id=user.pk)})
    qs = FeeSheet.objects.filter(condition).select_related("province")
    group = InboxGroup("network_fee", _("Collaborator fee sheets"), total=qs.count(),
                       url=reverse("network_fee_list"))
    for sheet in qs.order_by("year", "number", "pk")[:GROUP_LIMIT]:
        group.items.append(InboxItem(
            title=_("Fee sheet of %(period)s") % {"period": fee_sheet_period(sheet).label},
            where=sheet.province.short_name, url=reverse("network_fee_detail", args=[sheet.pk]),
            step=" / ".join(allowed_labels(fee_sheet_flow, sheet, user, FEE_ACTIONS)),
            since=(sheet.signed_at or sheet.updated_at).date()))
    return group


def _task_item(task: CollaboratorTask, step: str, url: str, today: datetime.date, *, who: bool) -> InboxItem:
    where = ", ".join(x for x in (task.establishment.name if task.establishment_id else "",
                                  task.commune.short_name if task.commune_id else "",
                                  task.province.short_name) if x)
    title = f"{task.title} — {task.collaborator.full_name}" if who else task.title
    return InboxItem(title=title, where=where, url=url, step=step, since=task.created_at.date(), due=task.due_date,
                     late=task.due_date < today)


def _tasks():
    return CollaboratorTask.objects.filter(status=TaskStatus.OPEN).select_related(
        "collaborator", "commune", "establishment", "province")


def own_task_group(user, today: datetime.date) -> InboxGroup:
    """The collaborator's own open tasks: the collaborator reports them done on their page."""
    qs = _tasks().filter(collaborator__user=user) if user.pk else _tasks().none()
    group = InboxGroup("network_own_task", _("Your tasks"), total=qs.count(), url=reverse("network_task_list"))
    for task in qs.order_by("due_date", "pk")[:GROUP_LIMIT]:
        if task_flow.permission(task_flow, task, user, task_flow.transitions[0]):
            group.items.append(_task_item(task, _("Do it, then report it done"),
                                          reverse("network_home") + "#h-tasks", today, who=False))
    return group


def late_task_group(user, today: datetime.date) -> InboxGroup:
    """The centre's view: its collaborators' open tasks past their deadline."""
    provinces = acting_province_ids(user, NETWORK_MANAGERS)
    qs = _tasks().filter(due_date__lt=today)
    if provinces is not None:
        qs = qs.filter(province_id__in=provinces)
    group = InboxGroup("network_late_task", _("Collaborator tasks past their deadline"), total=qs.count(),
                       url=reverse("network_task_list") + "?overdue=1")
    for task in qs.order_by("due_date", "pk")[:GROUP_LIMIT]:
        group.items.append(_task_item(task, _("Follow up with the collaborator"),
                                      reverse("network_task_list") + "?overdue=1", today, who=True))
    return group


def inbox_groups(user, today: datetime.date, *, watch: bool = False) -> list[InboxGroup]:
    if watch:
        return []
    groups = [application_group(user, today), record_group(user, today), proposal_group(user, today),
              fee_group(user, today), own_task_group(user, today)]
    provinces = acting_province_ids(user, NETWORK_MANAGERS)
    if provinces is None or provinces:
        groups.append(late_task_group(user, today))
    return groups
