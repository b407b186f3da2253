"""Pages of a project's dossier: its contents, beneficiaries and documents."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.core.errors import DomainError
from khuyencong.core.paging import int_or_none, page_context

from .. import selectors, services
from ..forms import ContentForm, DocumentForm
from ..permissions import can_edit_beneficiaries, can_edit_project
from .common import project_or_404, show_error


@login_required
def project_content_add(request, project_id: int):
    project = project_or_404(request, project_id)
    decision = can_edit_project(request.user, project)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("project_detail", project_id=project.pk)
    form = ContentForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.project_content_add(
                actor=request.user, project=project, content=data["content"], variant=data["variant"],
                establishment=data["establishment"], description=data["description"],
                eligible_cost=data["eligible_cost"], requested_support=data["requested_support"],
                counterpart=data["counterpart"], other_sources=data["other_sources"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Content added."))
            return redirect("project_detail", project_id=project.pk)
    return render(request, "projects/content_form.html", {"form": form, "project": project},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def project_content_remove(request, project_id: int, content_id: int):
    project = project_or_404(request, project_id)
    try:
        services.project_content_remove(actor=request.user, project=project, content_id=content_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Content removed."))
    return redirect("project_detail", project_id=project.pk)


@login_required
def project_beneficiaries(request, project_id: int):
    project = project_or_404(request, project_id)
    decision = can_edit_beneficiaries(request.user, project)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("project_detail", project_id=project.pk)
    if request.method == "POST":
        chosen = int_or_none(request.POST.get("establishment"))
        establishment = selectors.establishments_for(project).filter(pk=chosen).first()
        if establishment is None:
            messages.error(request, _("Choose an establishment of the project's province."))
        else:
            try:
                link = services.project_beneficiary_add(actor=request.user, project=project,
                                                        establishment=establishment)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if link.eligible:
                    messages.success(request, _("%(name)s added.") % {"name": establishment.name})
                else:
                    messages.warning(request, _("%(name)s added, but it is not eligible on %(date)s: the project "
                                                "cannot be submitted with it.") % {
                        "name": establishment.name, "date": link.checked_on.strftime("%d/%m/%Y")})
        query = urlencode({"q": request.POST.get("q", "")})
        return redirect(f"{reverse('project_beneficiaries', args=[project.pk])}?{query}")
    q = request.GET.get("q", "").strip()
    candidates = selectors.establishments_for(project, q)
    return render(request, "projects/beneficiaries.html", {
        "project": project, "q": q, **page_context(request, candidates, per_page=20),
        "links": project.beneficiary_links.all(),
    })


@login_required
@require_POST
def project_beneficiary_remove(request, project_id: int, link_id: int):
    project = project_or_404(request, project_id)
    try:
        services.project_beneficiary_remove(actor=request.user, project=project, link_id=link_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Beneficiary removed."))
    return redirect("project_detail", project_id=project.pk)


@login_required
@require_POST
def project_document(request, project_id: int, code: str):
    project = project_or_404(request, project_id)
    form = DocumentForm(request.POST, request.FILES)
    received = request.POST.get("received", "1") == "1"
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(f"{reverse('project_detail', args=[project.pk])}#documents")
    try:
        services.project_document_mark(actor=request.user, project=project, code=code, received=received,
                                       file=form.cleaned_data["file"], reference=form.cleaned_data["reference"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Document recorded.") if received else _("Document withdrawn."))
    return redirect(f"{reverse('project_detail', args=[project.pk])}#documents")


@login_required
def project_document_file(request, project_id: int, code: str):
    project = project_or_404(request, project_id)
    doc = project.documents.filter(code=code).first()
    if doc is None or not doc.file:
        raise Http404(_("No file for this document."))
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1])
