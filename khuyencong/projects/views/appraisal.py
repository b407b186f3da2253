"""Pages of a project's appraisal councils: the councils with their members' scores, setting one up, a member's
scoring sheet and the council's conclusion."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.core.errors import DomainError
from khuyencong.core.permissions import deny

from .. import scoring, selectors, services
from ..forms import ConcludeForm, CouncilForm, ScoreForm
from ..models import CouncilLevel
from ..permissions import can_manage_council, council_level_for
from .common import brief_or_404, refuse, show_error


def _appraisal_url(project, anchor: str = "") -> str:
    return reverse("project_appraisal", args=[project.pk]) + (f"#{anchor}" if anchor else "")


def _appraisal_context(request, project, *, council_form=None, conclude_forms=None):
    level = council_level_for(project)
    decision = can_manage_council(request.user, project, level) if level else None
    councils = selectors.project_councils(project)
    forms_by_council = conclude_forms or {}
    for council in councils:
        council.conclude_form = forms_by_council.get(council.pk) or ConcludeForm(
            prefix=f"k{council.pk}", initial={"version": council.version, "on_date": timezone.localdate(),
                                              "conclusion": "approve" if council.result.passed else "reject"})
        council.manage = can_manage_council(request.user, project, council.level)
    open_level = any(c.level == level and not c.concluded for c in councils)
    return {
        "project": project,
        "councils": councils,
        "level": level,
        "level_label": CouncilLevel(level).label if level else "",
        "manage": decision,
        "can_create": bool(decision) and not open_level,
        "council_form": council_form or CouncilForm(initial={"decision_date": timezone.localdate()}),
        "sheet": scoring.sheet_for(level) if level else None,
    }


@login_required
def project_appraisal(request, project_id: int):
    """The project's appraisal councils with every member's scores, the totals and the average; the DoIT (or the
    ministry agency) sets up the council of the level the project waits for here."""
    project = brief_or_404(request, project_id)
    form = None
    if request.method == "POST":
        form = CouncilForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                council = services.council_create(
                    actor=request.user, project=project, decision_number=data["decision_number"],
                    decision_date=data["decision_date"], signer=data["signer"], members=form.member_rows())
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("The appraisal council is set up: enter each member's scoring sheet."))
                return redirect(_appraisal_url(project, f"council-{council.pk}"))
    context = _appraisal_context(request, project, council_form=form)
    return render(request, "projects/appraisal.html", context, status=422 if form is not None and form.errors
                  else 200)


def _council_member_or_404(project, council_id: int, member_id: int):
    council = project.councils.filter(pk=council_id).first()
    member = council.members.select_related("score_sheet").filter(pk=member_id).first() if council else None
    if member is None:
        raise Http404(_("Council member not found."))
    return council, member


@login_required
def council_sheet(request, project_id: int, council_id: int, member_id: int):
    """One member's scoring sheet, with the total computed as the points are typed."""
    project = brief_or_404(request, project_id)
    council, member = _council_member_or_404(project, council_id, member_id)
    existing = getattr(member, "score_sheet", None)
    decision = can_manage_council(request.user, project, council.level)
    if decision and council.concluded:
        decision = deny(_("The council has concluded: its sheets can no longer change."))
    initial = {"version": existing.version if existing else 0, "comment": existing.comment if existing else ""}
    for code, value in (existing.scores if existing else {}).items():
        initial[f"c_{code}"] = "" if value is None else str(value).replace(".", ",")
        initial[f"na_{code}"] = value is None
    form = ScoreForm(request.POST or None, sheet=council.sheet, initial=initial)
    if request.method == "POST":
        if refuse(request, decision):
            return redirect(_appraisal_url(project, f"council-{council.pk}"))
        if form.is_valid():
            try:
                services.score_sheet_save(actor=request.user, project=project, council_id=council.pk,
                                          member_id=member.pk, scores=form.scores(),
                                          comment=form.cleaned_data["comment"],
                                          version=form.cleaned_data["version"] or None)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("The scores of %(name)s are recorded.") % {"name": member.name})
                return redirect(_appraisal_url(project, f"council-{council.pk}"))
    return render(request, "projects/council_sheet.html", {
        "project": project, "council": council, "member": member, "form": form, "existing": existing,
        "decision": decision, "sheet": council.sheet,
    }, status=422 if form.errors else 200)


@login_required
@require_POST
def council_conclude(request, project_id: int, council_id: int):
    project = brief_or_404(request, project_id)
    council = project.councils.filter(pk=council_id).first()
    if council is None:
        raise Http404(_("Council not found."))
    form = ConcludeForm(request.POST, prefix=f"k{council.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.council_conclude(actor=request.user, project=project, council_id=council.pk,
                                      conclusion=data["conclusion"], minutes=data["minutes"],
                                      version=data["version"], on_date=data["on_date"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The council's conclusion is recorded."))
            return redirect(_appraisal_url(project, f"council-{council.pk}"))
    context = _appraisal_context(request, project, conclude_forms={council.pk: form})
    return render(request, "projects/appraisal.html", context, status=422)
