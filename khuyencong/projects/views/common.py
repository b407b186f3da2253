"""What the project pages share: reading the ids of a URL into records of the user's area, and showing an error."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from khuyencong.core.errors import DomainError

from .. import exports, selectors


def project_or_404(request, project_id: int):
    project = selectors.project_get(user=request.user, pk=project_id)
    if project is None:
        raise Http404(_("Project not found."))
    return project


def brief_or_404(request, project_id: int):
    project = selectors.project_brief(user=request.user, pk=project_id)
    if project is None:
        raise Http404(_("Project not found."))
    return project


def plan_or_404(request, plan_id: int):
    plan = selectors.plan_get(user=request.user, pk=plan_id)
    if plan is None:
        raise Http404(_("Plan not found."))
    return plan


def show_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def refuse(request, decision) -> bool:
    """Tells the user why, when the decision refuses (True then)."""
    if decision:
        return False
    messages.error(request, decision.reason)
    return True


def establishment_url(establishment_id: int) -> str:
    # The registry's pages are built alongside; link to them when they exist.
    try:
        return reverse("establishment_detail", args=[establishment_id])
    except NoReverseMatch:
        return ""


def file_response(field):
    if not field:
        raise Http404(_("No file."))
    return FileResponse(field.open("rb"), as_attachment=True, filename=field.name.rsplit("/", 1)[-1])


def xlsx(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
