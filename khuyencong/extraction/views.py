"""Pages of extraction: paste an article, review what was read, accept (the event is recorded) or reject."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError, NotFound
from khuyencong.core.paging import int_or_none, page_context

from . import selectors, services
from .flows import extraction_flow
from .forms import PasteForm, RejectForm, ReviewForm
from .models import ArticleExtraction, ExtractionStatus
from .permissions import is_staff


def _staff_only(request) -> None:
    if not is_staff(request.user):
        raise HttpForbidden(_("Only the staff of KC offices read articles into records."))


def _get(request, pk: int) -> ArticleExtraction:
    try:
        return selectors.extraction_get(request.user, pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@login_required
def extraction_list(request):
    """Everyone signed in may open it; only staff see articles and the form (others see an explanation)."""
    status = request.GET.get("status", "")
    status = status if status in ExtractionStatus.values else ""
    q = request.GET.get("q", "").strip()[:200]
    staff = is_staff(request.user)
    form = PasteForm(request.POST or None) if staff else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            extraction = services.extraction_submit(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The article was read. Check each field, then accept or reject it."))
            return redirect("extraction_detail", pk=extraction.pk)
    qs = selectors.extraction_rows(request.user, status=status, q=q)
    counts = selectors.counts(request.user)
    context = {**page_context(request, qs), "form": form, "status": status, "q": q, "staff": staff,
               "statuses": [(value, label, counts[value]) for value, label in ExtractionStatus.choices]}
    return render(request, "extraction/extraction_list.html", context)


@login_required
def extraction_detail(request, pk: int, review_form=None, reject_form=None):
    _staff_only(request)
    extraction = _get(request, pk)
    options = {o.action: o for o in extraction_flow.options(extraction, request.user)}
    if review_form is None and extraction.status == ExtractionStatus.PENDING:
        review_form = ReviewForm(initial=services.proposal(extraction), user=request.user)
    context = {"extraction": extraction, "rows": selectors.describe(extraction), "options": options,
               "review_form": review_form, "reject_form": reject_form or RejectForm(),
               "history": audit_events_for(extraction)}
    return render(request, "extraction/extraction_detail.html", context)


@login_required
@require_POST
def extraction_accept(request, pk: int):
    _staff_only(request)
    extraction = _get(request, pk)
    form = ReviewForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.extraction_accept(actor=request.user, extraction=extraction,
                                       version=int_or_none(request.POST.get("version")) or 0,
                                       data=dict(form.cleaned_data))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if extraction.merged:
                messages.success(request, _("The article was added to the event already recorded."))
            else:
                messages.success(request, _("The event was recorded from the article."))
            return redirect("extraction_detail", pk=extraction.pk)
    return extraction_detail(request, pk, review_form=form)


@login_required
@require_POST
def extraction_reject(request, pk: int):
    _staff_only(request)
    extraction = _get(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.extraction_reject(actor=request.user, extraction=extraction,
                                       version=int_or_none(request.POST.get("version")) or 0,
                                       reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(request, _("The article was rejected."))
            return redirect("extraction_detail", pk=extraction.pk)
    return extraction_detail(request, pk, reject_form=form)
