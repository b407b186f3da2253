"""Collaborators: the list, the record with its coverage history, appointment, status, and the decision letter."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.core import documents
from khuyencong.core.errors import DomainError
from khuyencong.core.exports import write_table
from khuyencong.core.paging import int_or_none, page_context
from khuyencong.core.periods import Period, PeriodKind
from khuyencong.geo.models import AdminUnit

from .. import letters, selectors, services
from ..flows import STATUS_ACTIONS, collaborator_can, collaborator_flow
from ..forms import AppointForm, CollaboratorForm, CoverageAddForm, CoverageEndForm, StatusForm
from ..models import CollaboratorStatus, Coverage
from ..permissions import can_manage_network
from .common import XLSX, province_context, require_province, show_error, staff_page, staff_province

PASSWORD_KEY = "network_new_account"


def filters_from(request, province) -> selectors.CollaboratorFilters:
    status = request.GET.get("status", "")
    return selectors.CollaboratorFilters(
        q=request.GET.get("q", "").strip(), province=province.code if province else None,
        status=status if status in CollaboratorStatus.values else "", commune=int_or_none(request.GET.get("commune")))


def _communes(province):
    return AdminUnit.objects.current().communes().filter(province=province).order_by("name")


@login_required
def collaborator_list(request):
    province = staff_province(request)
    filters = filters_from(request, province)
    qs = selectors.collaborator_list(user=request.user, filters=filters)
    context = province_context(request, province, "collaborators")
    context.update({**page_context(request, qs), "filters": filters, "statuses": CollaboratorStatus.choices,
                    "communes": _communes(province) if province else []})
    template = "network/_collaborator_rows.html" if request.htmx else "network/collaborator_list.html"
    return render(request, template, context)


@login_required
def collaborator_export(request):
    province = staff_province(request)
    qs = selectors.collaborator_list(user=request.user, filters=filters_from(request, province))
    rows = ([c.code, c.full_name, c.get_gender_display(), c.birth_year, c.phone, c.email,
             c.affiliation, ", ".join(cov.unit.name for cov in c.open_coverages), c.get_status_display(),
             c.decision_number, c.decision_date, c.term_start, c.term_end] for c in qs)
    today = timezone.localdate()
    body = write_table(
        title=_("KC collaborators of %(province)s (exported %(date)s)") % {
            "province": province.name if province else "", "date": today.strftime("%d/%m/%Y")},
        headers=[_("Code"), _("Full name"), _("Gender"), _("Year of birth"), _("Phone"), _("Email"),
                 _("Employer or organisation"), _("Communes covered"), _("Status"), _("Appointment decision"),
                 _("Decision date"), _("Term from"), _("Term until")],
        rows=rows, widths=[14, 28, 8, 10, 14, 24, 30, 45, 14, 18, 12, 12, 12])
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="cong-tac-vien-{today:%d-%m-%Y}.xlsx"'
    return response


def _collaborator_or_404(request, pk: int):
    collaborator = selectors.collaborator_get(user=request.user, pk=pk)
    if collaborator is None:
        raise Http404(_("Collaborator not found."))
    return collaborator


@login_required
@staff_page
def collaborator_create(request):
    province = require_province(staff_province(request))
    decision = can_manage_network(request.user, province.pk)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("network_collaborator_list")
    form = CollaboratorForm(request.POST or None, communes=_communes(province))
    if request.method == "POST" and form.is_valid():
        try:
            collaborator = services.collaborator_create(actor=request.user, province=province,
                                                        data=form.person_data(),
                                                        id_number=form.cleaned_data["id_number"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The person is registered as an applicant: appoint them by decision."))
            return redirect("network_collaborator_appoint", pk=collaborator.pk)
    context = province_context(request, province, "collaborators")
    context.update({"form": form, "c": None})
    return render(request, "network/collaborator_form.html", context)


@login_required
def collaborator_edit(request, pk: int):
    collaborator = _collaborator_or_404(request, pk)
    decision = can_manage_network(request.user, collaborator.province_id)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("network_collaborator_detail", pk=pk)
    initial = {k: getattr(collaborator, k) for k in CollaboratorForm.PERSON}
    initial["version"] = collaborator.version
    form = CollaboratorForm(request.POST or None, initial=initial, communes=_communes(collaborator.province),
                            editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.collaborator_update(actor=request.user, collaborator=collaborator, data=form.person_data(),
                                         version=form.cleaned_data["version"] or 0,
                                         id_number=form.cleaned_data["id_number"] or None)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("network_collaborator_detail", pk=pk)
    context = province_context(request, collaborator.province, "collaborators")
    context.update({"form": form, "c": collaborator})
    return render(request, "network/collaborator_form.html", context)


@login_required
def collaborator_detail(request, pk: int):
    collaborator = _collaborator_or_404(request, pk)
    today = timezone.localdate()
    periods = [Period.containing(today, PeriodKind.MONTH), Period.containing(today, PeriodKind.QUARTER)]
    regulation = collaborator.regulation or selectors.regulation_in_force(collaborator.province, today)
    activity = selectors.collaborator_figures(collaborator, periods, regulation) if regulation else []
    options = collaborator_flow.options(collaborator, request.user)
    new_account = request.session.pop(PASSWORD_KEY, None)
    if new_account and new_account.get("collaborator") != collaborator.pk:
        new_account = None
    context = province_context(request, collaborator.province, "collaborators")
    context.update({
        "c": collaborator,
        "coverages": collaborator.all_coverages,
        "status_changes": list(collaborator.status_changes.all()),
        "records": selectors.field_record_list(user=request.user, filters=selectors.FieldRecordFilters(
            collaborator=collaborator.pk))[:15],
        "tasks": selectors.task_list(user=request.user, filters=selectors.TaskFilters(
            collaborator=collaborator.pk))[:15],
        "activity": activity,
        "options": options,
        "actions": {o.action: o for o in options},
        "can": collaborator_can(request.user, collaborator),
        "status_form": StatusForm(initial={"version": collaborator.version, "on_date": today}),
        # The changes of status the user may make now, as the new status they lead to.
        "status_moves": [(STATUS_ACTIONS[o.action], CollaboratorStatus(STATUS_ACTIONS[o.action]).label)
                         for o in options if o.allowed and o.action in STATUS_ACTIONS],
        "coverage_form": CoverageAddForm(communes=_communes(collaborator.province), initial={"start_date": today}),
        "end_form": CoverageEndForm(initial={"end_date": today}),
        "events": selectors.collaborator_history(collaborator=collaborator),
        "new_account": new_account,
        "today": today,
    })
    return render(request, "network/collaborator_detail.html", context)


def remember_password(request, collaborator, password: str | None) -> None:
    """The generated password is shown once, on the next page, then forgotten."""
    if password:
        request.session[PASSWORD_KEY] = {"collaborator": collaborator.pk, "username": collaborator.user.username,
                                         "password": password}


@login_required
def collaborator_appoint(request, pk: int):
    collaborator = _collaborator_or_404(request, pk)
    decision = can_manage_network(request.user, collaborator.province_id)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("network_collaborator_detail", pk=pk)
    regulation = selectors.regulation_in_force(collaborator.province)
    initial = {"version": collaborator.version, "decision_date": timezone.localdate(),
               "authority": regulation.appointing_authority if regulation else ""}
    form = AppointForm(request.POST or None, initial=initial, communes=_communes(collaborator.province),
                       symbol=regulation.decision_symbol if regulation else "")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            collaborator, password = services.collaborator_appoint(
                actor=request.user, collaborator=collaborator, decision_number=data["decision_number"],
                decision_date=data["decision_date"], communes=list(data["communes"]), version=data["version"],
                term_start=data["term_start"], authority=data["authority"], signer=data["signer"])
        except DomainError as exc:
            show_error(form, exc)
            collaborator = _collaborator_or_404(request, pk)
        else:
            remember_password(request, collaborator, password)
            messages.success(request, _("Appointed. The decision letter is ready to print."))
            return redirect("network_collaborator_detail", pk=pk)
    context = province_context(request, collaborator.province, "collaborators")
    context.update({"form": form, "c": collaborator, "regulation": regulation})
    return render(request, "network/appoint.html", context)


@login_required
@require_POST
def collaborator_status(request, pk: int):
    collaborator = _collaborator_or_404(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.collaborator_set_status(
                actor=request.user, collaborator=collaborator, status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"], version=form.cleaned_data["version"],
                on_date=form.cleaned_data["on_date"])
            messages.success(request, _("The status is changed."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Check the status, date and reason."))
    return redirect("network_collaborator_detail", pk=pk)


@login_required
@require_POST
def coverage_add(request, pk: int):
    collaborator = _collaborator_or_404(request, pk)
    form = CoverageAddForm(request.POST, communes=_communes(collaborator.province))
    if form.is_valid():
        try:
            services.coverage_add(actor=request.user, collaborator=collaborator,
                                  commune=form.cleaned_data["commune"], start_date=form.cleaned_data["start_date"])
            messages.success(request, _("The commune is added."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose a commune of the province."))
    return redirect("network_collaborator_detail", pk=pk)


@login_required
@require_POST
def coverage_end(request, pk: int):
    coverage = Coverage.objects.filter(pk=pk).select_related("collaborator", "unit").first()
    if coverage is None or selectors.collaborator_list(user=request.user).filter(
            pk=coverage.collaborator_id).first() is None:
        raise Http404(_("Coverage not found."))
    form = CoverageEndForm(request.POST)
    if form.is_valid():
        try:
            services.coverage_end(actor=request.user, coverage=coverage, reason=form.cleaned_data["reason"],
                                  end_date=form.cleaned_data["end_date"])
            messages.success(request, _("The coverage is ended; it stays in the history."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Give the reason."))
    return redirect("network_collaborator_detail", pk=coverage.collaborator_id)


@login_required
def decision_letter(request, pk: int):
    """The appointment decision in the Vietnamese administrative format (NĐ 30/2020): a preview page, and
    ?format=pdf or ?format=docx to download it (the DOCX is an editable draft)."""
    collaborator = _collaborator_or_404(request, pk)
    if not collaborator.decision_number:
        raise Http404(_("This collaborator has no appointment decision yet."))
    # The ID number is printed in full on the issued decision but never stored: the officer types it (POST, never in
    # a URL), it is checked against the hash on record and used for this document only.
    data = request.POST if request.method == "POST" else request.GET
    id_number, error = "", ""
    if request.method == "POST" and data.get("id_number", "").strip():
        try:
            id_number = letters.full_id_number(collaborator, data["id_number"])
        except DomainError as exc:
            error = exc.message
    document = letters.decision_document(collaborator, id_number=id_number)
    fmt = data.get("format") or ("pdf" if data.get("download") else "")
    if fmt in documents.CONTENT_TYPES and not error:
        return documents.document_response(document, fmt=fmt, filename=f"quyet-dinh-{collaborator.code}")
    return render(request, "network/decision_letter.html", {
        "c": collaborator, "document_html": documents.render_fragment(document), "id_error": error,
        "id_number": data.get("id_number", "") if error else id_number,
        "back": reverse("network_collaborator_detail", args=[pk]),
    }, status=422 if error else 200)
