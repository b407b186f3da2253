"""Tasks given to collaborators and the centre's announcements with read receipts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import user_scope
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import int_or_none, page_context
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment

from .. import selectors, services
from ..flows import WORKING_STATES, actions_of, task_flow
from ..forms import AnnouncementForm, TaskCancelForm, TaskDoneForm, TaskForm
from ..models import Collaborator, CollaboratorStatus, TaskStatus
from ..permissions import can_manage_network
from .common import province_context, require_province, show_error, staff_page, staff_province


def _is_staff(user) -> bool:
    scope = user_scope(user)
    return scope.national or bool(scope.province_ids)


def _task_form(province, data=None, initial=None):
    return TaskForm(data, initial=initial,
                    collaborators=Collaborator.objects.filter(province=province, status__in=WORKING_STATES)
                    .order_by("name_folded"),
                    communes=AdminUnit.objects.current().communes().filter(province=province).order_by("name"))


@login_required
def task_list(request):
    staff = _is_staff(request.user)
    province = staff_province(request) if staff else None
    status = request.GET.get("status", TaskStatus.OPEN)
    filters = selectors.TaskFilters(status=status if status in TaskStatus.values else "",
                                    collaborator=int_or_none(request.GET.get("collaborator")),
                                    overdue=request.GET.get("overdue") == "1",
                                    province=province.code if province else None)
    qs = selectors.task_list(user=request.user, filters=filters)
    context = province_context(request, province, "tasks")
    paging = page_context(request, qs)
    for task in paging["page"]:
        task.actions = actions_of(task_flow, task, request.user)
    context.update({**paging, "filters": filters, "status": status,
                    "statuses": TaskStatus.choices, "staff": staff, "today": timezone.localdate(),
                    "me": selectors.my_collaborator(request.user)})
    return render(request, "network/task_list.html", context)


@login_required
@staff_page
def task_create(request):
    province = require_province(staff_province(request))
    decision = can_manage_network(request.user, province.pk)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("network_task_list")
    initial = {"collaborator": int_or_none(request.GET.get("collaborator")),
               "establishment": int_or_none(request.GET.get("establishment"))}
    form = _task_form(province, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        establishment_id = data.pop("establishment")
        if establishment_id:
            data["establishment"] = Establishment.objects.filter(pk=establishment_id, province=province).first()
            if data["establishment"] is None:
                form.add_error("establishment", _("No establishment of the province has this number."))
        if not form.errors:
            try:
                services.task_create(actor=request.user, collaborator=data.pop("collaborator"), data=data)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("The task is assigned."))
                return redirect(f"{reverse('network_task_list')}?province={province.code}")
    context = province_context(request, province, "tasks")
    context["form"] = form
    return render(request, "network/task_form.html", context)


def _task_or_404(request, pk):
    task = selectors.task_get(user=request.user, pk=pk)
    if task is None:
        raise Http404(_("Task not found."))
    return task


@login_required
@require_POST
def task_done(request, pk: int):
    task = _task_or_404(request, pk)
    form = TaskDoneForm(request.POST)
    if form.is_valid():
        try:
            services.task_complete(actor=request.user, task=task, note=form.cleaned_data["note"],
                                   version=form.cleaned_data["version"])
            messages.success(request, _("The task is marked done."))
        except DomainError as exc:
            messages.error(request, exc.message)
    if url_has_allowed_host_and_scheme(request.POST.get("next"), allowed_hosts={request.get_host()}):
        return redirect(request.POST["next"])
    return redirect("network_task_list")


@login_required
@require_POST
def task_cancel(request, pk: int):
    task = _task_or_404(request, pk)
    form = TaskCancelForm(request.POST)
    if form.is_valid():
        try:
            services.task_cancel(actor=request.user, task=task, reason=form.cleaned_data["reason"],
                                 version=form.cleaned_data["version"])
            messages.success(request, _("The task is cancelled."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Give the reason."))
    return redirect("network_task_list")


@login_required
def announcement_list(request):
    staff = _is_staff(request.user)
    province = staff_province(request) if staff else None
    qs = selectors.announcement_list(user=request.user, province=province.code if province else None)
    context = province_context(request, province, "announcements")
    context.update({**page_context(request, qs), "staff": staff, "me": selectors.my_collaborator(request.user),
                    "active_count": selectors.collaborator_counts(province)[CollaboratorStatus.ACTIVE]
                    if province else 0})
    return render(request, "network/announcement_list.html", context)


@login_required
@staff_page
def announcement_create(request):
    province = require_province(staff_province(request))
    decision = can_manage_network(request.user, province.pk)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("network_announcement_list")
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.announcement_publish(actor=request.user, province=province,
                                                         title=form.cleaned_data["title"],
                                                         body=form.cleaned_data["body"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Published to the collaborators of the province."))
            return redirect("network_announcement_detail", pk=announcement.pk)
    context = province_context(request, province, "announcements")
    context["form"] = form
    return render(request, "network/announcement_form.html", context)


@login_required
def announcement_detail(request, pk: int):
    announcement = selectors.announcement_get(user=request.user, pk=pk)
    if announcement is None:
        raise Http404(_("Announcement not found."))
    services.announcement_mark_read(actor=request.user, announcement=announcement)
    manage = can_manage_network(request.user, announcement.province_id)
    context = province_context(request, announcement.province, "announcements")
    context.update({"a": announcement, "readers": selectors.announcement_readers(announcement) if manage else None,
                    "me": selectors.my_collaborator(request.user)})
    return render(request, "network/announcement_detail.html", context)
