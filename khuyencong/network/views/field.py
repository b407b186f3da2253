"""Field work: what a collaborator records on a phone, and the centre's review of it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import user_scope
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import int_or_none, page_context
from khuyencong.geo.models import AdminUnit
from khuyencong.projects.selectors import plans_open_to
from khuyencong.registry.models import Establishment
from khuyencong.rules.models import ContentItem
from khuyencong.rules.selectors import content_list

from .. import selectors, services
from ..flows import actions_of, field_record_flow
from ..forms import CommunicationForm, ConvertForm, FollowupForm, NeedForm, ReviewForm, SurveyForm
from ..models import FieldKind, RecordStatus
from ..permissions import can_manage_network, can_record_field, covered_commune_ids
from .common import province_context, show_error, staff_province

FORMS = {FieldKind.SURVEY: SurveyForm, FieldKind.NEED: NeedForm, FieldKind.COMMUNICATION: CommunicationForm,
         FieldKind.FOLLOWUP: FollowupForm}
SURVEY_LABELS = {
    "representative": gettext_lazy("Representative"), "phone": gettext_lazy("Phone"), "email": gettext_lazy("Email"),
    "employees": gettext_lazy("Employees"), "main_products": gettext_lazy("Main products"),
    "address": gettext_lazy("Address (village, street)"), "status": gettext_lazy("Status"),
    "woman_owned": gettext_lazy("Owned by a woman"),
    "ethnic_minority": gettext_lazy("Owned by or employing ethnic minorities"),
    "latitude": gettext_lazy("Latitude"), "longitude": gettext_lazy("Longitude"),
}


def _form_kwargs(kind, collaborator):
    today = timezone.localdate()
    if kind in (FieldKind.NEED, FieldKind.FOLLOWUP):
        kwargs = {"establishments": selectors.establishments_for(collaborator)}
        if kind == FieldKind.NEED:
            kwargs["contents"] = content_list(on_date=today)
        return kwargs
    if kind == FieldKind.COMMUNICATION:
        return {"communes": AdminUnit.objects.filter(pk__in=covered_commune_ids(collaborator)).order_by("name")}
    return {}


@login_required
def field_new(request, kind: str):
    if kind not in FieldKind.values:
        raise Http404(_("Unknown kind of field record."))
    collaborator = selectors.my_collaborator(request.user)
    decision = can_record_field(request.user, collaborator)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("network_home")
    today = timezone.localdate()
    establishment = None
    if kind == FieldKind.SURVEY:
        pk = int_or_none(request.GET.get("establishment") or request.POST.get("establishment"))
        establishment = selectors.establishments_for(collaborator).filter(pk=pk).first() if pk else None
        if establishment is None:
            q = request.GET.get("q", "").strip()
            return render(request, "network/survey_pick.html", {
                "me": collaborator, "q": q, "establishments": selectors.establishments_for(collaborator, q)[:100]})
    form_class = FORMS[kind]
    initial = {"occurred_on": today}
    if establishment is not None:
        initial.update({k: getattr(establishment, k) for k in SurveyForm.CHANGE_FIELDS})
    if kind in (FieldKind.NEED, FieldKind.FOLLOWUP) and request.GET.get("establishment"):
        initial["establishment"] = int_or_none(request.GET.get("establishment"))
    form = form_class(request.POST or None, request.FILES or None, initial=initial,
                      **_form_kwargs(kind, collaborator))
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        if establishment is not None:
            data["establishment"] = establishment
        try:
            record = services.field_record_create(actor=request.user, kind=kind, data=data,
                                                  photo=form.cleaned_data.get("photo"))
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Recorded. The centre will review it."))
            return redirect("network_field_detail", pk=record.pk)
    if request.method == "POST" and request.FILES.get("photo") and form.errors:
        form.add_error("photo", _("Choose the photo again: a browser does not keep a file after an error."))
    return render(request, "network/field_form.html", {
        "me": collaborator, "form": form, "kind": kind, "kind_label": FieldKind(kind).label,
        "establishment": establishment,
    })


@login_required
def field_list(request):
    scope = user_scope(request.user)
    staff = scope.national or bool(scope.province_ids)
    province = staff_province(request) if staff else None
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    filters = selectors.FieldRecordFilters(
        kind=kind if kind in FieldKind.values else "", status=status if status in RecordStatus.values else "",
        collaborator=int_or_none(request.GET.get("collaborator")), province=province.code if province else None)
    qs = selectors.field_record_list(user=request.user, filters=filters)
    context = province_context(request, province, "field")
    context.update({**page_context(request, qs), "filters": filters, "kinds": FieldKind.choices,
                    "statuses": RecordStatus.choices, "staff": staff,
                    "me": selectors.my_collaborator(request.user)})
    return render(request, "network/field_list.html", context)


def _record_or_404(request, pk):
    record = selectors.field_record_get(user=request.user, pk=pk)
    if record is None:
        raise Http404(_("Field record not found."))
    return record


def _plans_for(user, record):
    return plans_open_to(user).filter(Q(province__isnull=True) | Q(province_id=record.province_id))


def _detail(request, record, *, review_form=None, convert_form=None, status=200):
    manage = can_manage_network(request.user, record.province_id)
    actions = actions_of(field_record_flow, record, request.user)
    diff = []
    if record.kind == FieldKind.SURVEY and record.establishment_id:
        establishment = record.establishment
        for key, value in record.proposed_changes.items():
            diff.append({"label": SURVEY_LABELS.get(key, key), "current": getattr(establishment, key),
                         "proposed": value})
    content = None
    if record.content_code:
        content = ContentItem.objects.filter(code=record.content_code).first()
    context = province_context(request, record.province, "field")
    context.update({
        "r": record, "diff": diff, "content": content, "manage": bool(manage), "actions": actions,
        # Worth a warning only while the survey waits for review: the establishment changed since it was made.
        "stale": "accept" in actions and record.kind == FieldKind.SURVEY and record.establishment_id
        and record.base_version != record.establishment.version,
        "review_form": review_form or ReviewForm(initial={
            "version": record.version, "establishment_version": record.establishment.version
            if record.establishment_id else None}),
        "convert_form": convert_form or (ConvertForm(initial={"version": record.version},
                                                     plans=_plans_for(request.user, record))
                                         if "convert" in actions and actions["convert"].allowed else None),
        "me": selectors.my_collaborator(request.user),
    })
    return render(request, "network/field_detail.html", context, status=status)


@login_required
def field_detail(request, pk: int):
    return _detail(request, _record_or_404(request, pk))


@login_required
@require_POST
def field_review(request, pk: int):
    record = _record_or_404(request, pk)
    form = ReviewForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("accept", "reject"):
        form.add_error(None, _("Press Accept or Reject."))
    if form.is_valid():
        try:
            services.field_record_review(
                actor=request.user, record=record, accept=decision == "accept",
                note=form.cleaned_data["note"], version=form.cleaned_data["version"],
                establishment_version=form.cleaned_data["establishment_version"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Reviewed."))
            return redirect("network_field_detail", pk=pk)
    return _detail(request, record, review_form=form, status=422)


@login_required
@require_POST
def field_convert(request, pk: int):
    record = _record_or_404(request, pk)
    form = ConvertForm(request.POST, plans=_plans_for(request.user, record))
    if form.is_valid():
        try:
            project, notes = services.need_convert(actor=request.user, record=record, plan=form.cleaned_data["plan"],
                                                   title=form.cleaned_data["title"],
                                                   version=form.cleaned_data["version"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Project proposal %(code)s drafted from the registration.")
                             % {"code": project.code})
            for note in notes:
                messages.warning(request, note)
            return redirect("project_detail", project_id=project.pk)
    return _detail(request, record, convert_form=form, status=422)


@login_required
def field_photo(request, pk: int):
    record = _record_or_404(request, pk)
    if not record.photo or not default_storage.exists(record.photo.name):
        raise Http404(_("No photo."))
    kind = services.photo_kind(default_storage.open(record.photo.name).read(16))
    return FileResponse(default_storage.open(record.photo.name), content_type=kind[1] if kind else
                        "application/octet-stream")


@login_required
def field_establishments(request):
    """The establishments a collaborator may pick, filtered as they type (htmx)."""
    collaborator = selectors.my_collaborator(request.user)
    if not can_record_field(request.user, collaborator):
        establishments = Establishment.objects.none()
    else:
        establishments = selectors.establishments_for(collaborator, request.GET.get("q", ""))[:100]
    return render(request, "network/_survey_pick_rows.html", {"establishments": establishments})
