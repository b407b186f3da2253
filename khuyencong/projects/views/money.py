"""The ledger of a project's page: recording an advance, a disbursement or a refund, and reversing an entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.core.errors import DomainError

from .. import services
from ..forms import LedgerForm, ReverseForm
from .common import project_or_404, show_error
from .projects import detail_context


@login_required
@require_POST
def project_ledger_add(request, project_id: int):
    project = project_or_404(request, project_id)
    form = LedgerForm(request.POST)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.ledger_record(actor=request.user, project=project, kind=data["kind"], amount=data["amount"],
                                   on_date=data["on_date"], reference=data["reference"], note=data["note"])
        except DomainError as exc:
            show_error(form, exc)
            status = exc.http_status
        else:
            messages.success(request, _("Entry recorded."))
            return redirect(f"{reverse('project_detail', args=[project.pk])}#ledger")
    context = detail_context(request, project, ledger_form=form)
    return render(request, "projects/project_detail.html", context, status=status)


@login_required
@require_POST
def project_ledger_reverse(request, project_id: int, entry_id: int):
    project = project_or_404(request, project_id)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write why the entry is reversed."))
    else:
        try:
            services.ledger_reverse(actor=request.user, project=project, entry_id=entry_id,
                                    note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Reversing entry recorded."))
    return redirect(f"{reverse('project_detail', args=[project.pk])}#ledger")
