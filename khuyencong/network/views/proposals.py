"""Establishments found in the field: a collaborator proposes one on a phone, the centre adds it to the registry or
rejects it, and the collaborator reads the outcome."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import user_scope
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import page_context
from khuyencong.geo.models import AdminUnit

from .. import selectors, services
from ..flows import actions_of, establishment_proposal_flow
from ..forms import ProposalForm, ProposalReviewForm
from ..models import ProposalStatus
from ..permissions import can_manage_network, can_record_field, covered_commune_ids
from .common import province_context, show_error, staff_province


@login_required
def proposal_new(request):
    collaborator = selectors.my_collaborator(request.user)
    decision = can_record_field(request.user, collaborator)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("network_home")
    communes = AdminUnit.objects.filter(pk__in=covered_commune_ids(collaborator)).order_by("name")
    initial = {"commune": communes[0].pk} if len(communes) == 1 else {}
    form = ProposalForm(request.POST or None, request.FILES or None, communes=communes, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.establishment_propose(actor=request.user, data=form.service_data(),
                                                      sectors=form.cleaned_data["sectors"],
                                                      photo=form.cleaned_data.get("photo"))
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Proposed. The centre will check it before it goes into the registry."))
            return redirect("network_proposal_detail", pk=proposal.pk)
    if request.method == "POST" and request.FILES.get("photo") and form.errors:
        form.add_error("photo", _("Choose the photo again: a browser does not keep a file after an error."))
    return render(request, "network/proposal_form.html", {"me": collaborator, "form": form},
                  status=422 if form.errors else 200)


@login_required
def proposal_list(request):
    scope = user_scope(request.user)
    staff = scope.national or bool(scope.province_ids)
    province = staff_province(request) if staff else None
    status = request.GET.get("status", ProposalStatus.PROPOSED if staff else "")
    if status not in ProposalStatus.values:
        status = ""
    qs = selectors.establishment_proposal_list(user=request.user, status=status,
                                               province=province.code if province else None)
    context = province_context(request, province, "proposals")
    context.update({**page_context(request, qs), "status": status, "statuses": ProposalStatus.choices,
                    "staff": staff, "me": selectors.my_collaborator(request.user)})
    return render(request, "network/proposal_list.html", context)


def _proposal_or_404(request, pk):
    proposal = selectors.establishment_proposal_get(user=request.user, pk=pk)
    if proposal is None:
        raise Http404(_("Proposed establishment not found."))
    return proposal


def _detail(request, proposal, *, review_form=None, status=200):
    manage = can_manage_network(request.user, proposal.province_id)
    actions = actions_of(establishment_proposal_flow, proposal, request.user)
    context = province_context(request, proposal.province, "proposals")
    context.update({
        "p": proposal, "actions": actions, "manage": bool(manage),
        "matches": selectors.proposal_registry_matches(proposal) if manage else [],
        "review_form": review_form or ProposalReviewForm(initial={"version": proposal.version}),
        "me": selectors.my_collaborator(request.user),
    })
    return render(request, "network/proposal_detail.html", context, status=status)


@login_required
def proposal_detail(request, pk: int):
    return _detail(request, _proposal_or_404(request, pk))


@login_required
@require_POST
def proposal_review(request, pk: int):
    proposal = _proposal_or_404(request, pk)
    form = ProposalReviewForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("accept", "reject"):
        form.add_error(None, _("Press Accept or Reject."))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if decision == "accept":
                establishment = services.establishment_proposal_accept(
                    actor=request.user, proposal=proposal, version=data["version"], note=data["note"])
            else:
                services.establishment_proposal_reject(actor=request.user, proposal=proposal,
                                                       version=data["version"], note=data["note"])
        except DomainError as exc:
            show_error(form, exc)
            proposal = _proposal_or_404(request, pk)  # the refused attempt changed nothing stored
        else:
            if decision == "accept":
                messages.success(request, _("%(name)s is added to the registry.") % {"name": establishment.name})
            else:
                messages.success(request, _("The proposal is rejected."))
            return redirect("network_proposal_detail", pk=pk)
    return _detail(request, proposal, review_form=form, status=422)


@login_required
def proposal_photo(request, pk: int):
    proposal = _proposal_or_404(request, pk)
    if not proposal.photo or not default_storage.exists(proposal.photo.name):
        raise Http404(_("No photo."))
    kind = services.photo_kind(default_storage.open(proposal.photo.name).read(16))
    return FileResponse(default_storage.open(proposal.photo.name),
                        content_type=kind[1] if kind else "application/octet-stream")
