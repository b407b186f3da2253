"""Lessons learned, their follow-ups and model practices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import acting_province_ids, acting_provinces
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import page_context
from khuyencong.geo.models import AdminUnit

from .. import selectors, services
from ..forms import FollowUpForm, LessonForm, PracticeForm
from ..models import FollowUp, Lesson, ModelPractice
from ..permissions import LESSON_AUTHORS, can_edit_lesson, can_edit_practice
from ..vocab import Topic
from .common import (
    int_param,
    my_organisations,
    show_error,
)


def lesson_filters_from(params) -> selectors.LessonFilters:
    return selectors.LessonFilters(q=params.get("q", "").strip(),
                                   topic=params.get("topic", "") if params.get("topic") in Topic.values else "",
                                   province=int_param(params.get("province")), changed=params.get("changed") == "1")


@login_required
def lesson_list(request):
    filters = lesson_filters_from(request.GET)
    qs = selectors.lesson_list(user=request.user, filters=filters)
    context = {**page_context(request, qs), "filters": filters, "topics": Topic.choices,
               "provinces": AdminUnit.objects.current().provinces().order_by("name"),
               "can_write": acting_province_ids(request.user) != set(),
               "practices": selectors.practice_list(q=filters.q, topic=filters.topic,
                                                    province=filters.province)[:6]}
    template = "events/_lesson_rows.html" if request.htmx else "events/lesson_list.html"
    return render(request, template, context)


def _lesson_or_404(request, pk) -> Lesson:
    lesson = selectors.lesson_get(user=request.user, pk=pk)
    if lesson is None:
        raise Http404(_("Lesson not found."))
    return lesson


def _tours(request):
    return selectors.event_list(user=request.user, filters=selectors.EventFilters(kind="study_tour"))


@login_required
def lesson_detail(request, pk: int):
    lesson = _lesson_or_404(request, pk)
    edit = can_edit_lesson(request.user, lesson)
    return render(request, "events/lesson_detail.html", {
        "lesson": lesson, "edit": edit, "followup_form": FollowUpForm() if edit else None,
        "history": audit_events_for(lesson)[:30],
        "event_visible": bool(lesson.event_id and selectors.event_get(user=request.user, pk=lesson.event_id))})


@login_required
def lesson_create(request):
    event = None
    if request.GET.get("event") or request.POST.get("event"):
        pk = int_param(request.GET.get("event") or request.POST.get("event"))
        event = selectors.event_get(user=request.user, pk=pk)
    initial = {}
    if event is not None:
        day = event.itinerary.all()[:1]
        initial = {"event": event, "observed_on": event.start_date}
        if day:
            host = services.current_province_of(day[0].host_province)
            initial.update(province=host, place_then=day[0].host_province if day[0].host_province.scheme == "legacy"
                           else None, organisation_name=day[0].host_name,
                           topic=(day[0].topics or [None])[0])
    form = LessonForm(data=request.POST or None, initial=initial, tours=_tours(request))
    provinces = acting_provinces(request.user)
    if request.method == "POST" and form.is_valid():
        author_province = AdminUnit.objects.filter(pk=int_param(request.POST.get("author_province"))).first()
        if author_province is not None and author_province not in provinces:
            author_province = None
        try:
            lesson = services.lesson_create(actor=request.user, data=form.service_data(),
                                            author_province=author_province)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Lesson recorded: every province can now find it."))
            return redirect("lesson_detail", pk=lesson.pk)
    return render(request, "events/lesson_form.html", {"form": form, "lesson": None, "provinces": provinces,
                                                       "several": len(provinces) > 1})


@login_required
def lesson_edit(request, pk: int):
    lesson = _lesson_or_404(request, pk)
    decision = can_edit_lesson(request.user, lesson)
    if not decision:
        if request.method == "POST":
            return HttpResponse(decision.reason, status=403)
        messages.error(request, decision.reason)
        return redirect("lesson_detail", pk=lesson.pk)
    initial = {k: getattr(lesson, k) for k in services.LESSON_FIELDS} | {"version": lesson.version}
    form = LessonForm(data=request.POST or None, initial=initial, tours=_tours(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_update(actor=request.user, lesson=lesson, data=form.service_data(),
                                   version=form.cleaned_data["version"] or 0)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("lesson_detail", pk=lesson.pk)
    return render(request, "events/lesson_form.html", {"form": form, "lesson": lesson, "several": False})


@login_required
@require_POST
def followup_add(request, pk: int):
    lesson = _lesson_or_404(request, pk)
    decision = can_edit_lesson(request.user, lesson)
    if not decision:
        return HttpResponse(decision.reason, status=403)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.followup_add(actor=request.user, lesson=lesson, data=form.cleaned_data)
            messages.success(request, _("Follow-up added."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Check the follow-up: kind, proposal and owner are needed."))
    return redirect(reverse("lesson_detail", args=[lesson.pk]) + "#followups")


@login_required
@require_POST
def followup_edit(request, pk: int, followup_pk: int):
    lesson = _lesson_or_404(request, pk)
    followup = get_object_or_404(FollowUp, pk=followup_pk, lesson=lesson)
    decision = can_edit_lesson(request.user, lesson)
    if not decision:
        return HttpResponse(decision.reason, status=403)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or followup.version
        try:
            services.followup_update(actor=request.user, followup=followup, data=data, version=version)
            messages.success(request, _("Follow-up updated."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Check the follow-up: kind, proposal and owner are needed."))
    return redirect(reverse("lesson_detail", args=[lesson.pk]) + "#followups")


@login_required
def practice_list(request):
    q = request.GET.get("q", "").strip()
    topic = request.GET.get("topic", "") if request.GET.get("topic") in Topic.values else ""
    province = int_param(request.GET.get("province"))
    qs = selectors.practice_list(q=q, topic=topic, province=province)
    mine = set(acting_provinces(request.user, LESSON_AUTHORS).values_list("pk", flat=True))
    return render(request, "events/practice_list.html", {
        **page_context(request, qs), "q": q, "topic": topic, "province": province, "topics": Topic.choices,
        "provinces": AdminUnit.objects.current().provinces().order_by("name"),
        "mine": mine, "can_mark": acting_province_ids(request.user) != set()})


def _practice_form(request, data=None, initial=None) -> PracticeForm:
    return PracticeForm(data=data, initial=initial, provinces=acting_provinces(request.user),
                        organisations=my_organisations(request.user))


@login_required
def practice_create(request):
    form = _practice_form(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_create(actor=request.user, data=form.service_data())
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Model practice marked: other provinces will see it in the planner."))
            return redirect("practice_list")
    return render(request, "events/practice_form.html", {"form": form, "practice": None})


@login_required
def practice_edit(request, pk: int):
    practice = get_object_or_404(ModelPractice.objects.select_related("province"), pk=pk)
    decision = can_edit_practice(request.user, practice)
    if not decision:
        if request.method == "POST":
            return HttpResponse(decision.reason, status=403)
        messages.error(request, decision.reason)
        return redirect("practice_list")
    initial = {k: getattr(practice, k) for k in services.PRACTICE_FIELDS} | {"version": practice.version}
    form = _practice_form(request, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_update(actor=request.user, practice=practice, data=form.service_data(),
                                     version=form.cleaned_data["version"] or 0)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("practice_list")
    return render(request, "events/practice_form.html", {"form": form, "practice": practice})
