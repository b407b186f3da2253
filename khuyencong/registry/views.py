from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import user_scope, visible_provinces
from khuyencong.core.errors import DomainError
from khuyencong.core.forms import date_from_text
from khuyencong.core.paging import page_context
from khuyencong.geo.models import AdminUnit
from khuyencong.rules.models import EntityType

from . import exports, imports, selectors, services
from .forms import EstablishmentForm, ImportUploadForm, SupportRecordForm
from .models import CraftVillage, Establishment, EstablishmentStatus, ImportJob, Sector
from .permissions import can_edit_establishment, can_edit_in, can_import, can_merge

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int(value) -> int | None:
    return int(value) if value and str(value).isdecimal() and len(str(value)) < 19 else None  # < 2^63


def filters_from(params) -> selectors.EstablishmentFilters:
    eligible = params.get("eligible")
    return selectors.EstablishmentFilters(
        q=params.get("q", "").strip(),
        province=_int(params.get("province")),
        commune=_int(params.get("commune")),
        entity_type=params.get("entity_type", ""),
        sector=params.get("sector", ""),
        craft_village=_int(params.get("craft_village")),
        eligible={"yes": True, "no": False}.get(eligible),
        supported=params.get("supported", "") if params.get("supported") in ("yes", "no", "national", "local")
        else "",
        ocop_stars=_int(params.get("ocop")),
        status=params.get("status", ""),
    )


LIST_COUNT_LIMIT = 10_000


@login_required
def establishment_list(request):
    filters = filters_from(request.GET)
    qs = selectors.establishment_list(user=request.user, filters=filters)
    provinces = visible_provinces(request.user)
    context = {
        # A national list counts 200,000 rows for its total: beyond 10,000 the count stops (see CappedPaginator).
        **page_context(request, qs, count_limit=LIST_COUNT_LIMIT),
        "filters": filters,
        # Filters beyond the search are open on a phone only when one is set.
        "more_filters": any(value not in (None, "") for key, value in vars(filters).items()
                            if key not in ("q", "include_merged")),
        "provinces": provinces,
        "entity_types": EntityType.choices,
        "sectors": Sector.objects.all(),
        "statuses": EstablishmentStatus.choices,
        "villages": CraftVillage.objects.filter(province__in=provinces).order_by("name"),
        "can_create": bool(can_edit_in(request.user, province_id=next(iter(user_scope(request.user).province_ids),
                                                                       None))),
        "can_import": bool(can_import(request.user, next(iter(user_scope(request.user).province_ids), None))),
    }
    template = "registry/_establishment_rows.html" if request.htmx else "registry/establishment_list.html"
    return render(request, template, context)


# Rows of one export. xlsx is written at ~40,000 cells a second: 30,000 establishments take ~15 s, inside the app
# servers' 60 s timeout, while the whole national registry (200,000) would take minutes and fail. Larger lists are
# exported province by province (the message says so).
EXPORT_LIMIT = 30_000


@login_required
def establishment_export(request):
    qs = selectors.establishment_list(user=request.user, filters=filters_from(request.GET))
    if qs.order_by()[:EXPORT_LIMIT + 1].count() > EXPORT_LIMIT:
        limit = f"{EXPORT_LIMIT:,}".replace(",", ".")
        messages.error(request, _("More than %(limit)s establishments match: choose a province or narrow the "
                                  "filters, then export again (at most %(limit)s per file).") % {"limit": limit})
        return redirect(f"{reverse('establishment_list')}?{request.GET.urlencode()}")
    qs = qs.select_related("commune", "province", "craft_village")
    stamp = timezone.localdate().strftime("%d-%m-%Y")
    body = exports.establishments_xlsx(qs, title=_("Rural industrial establishments (exported %(date)s)") % {
        "date": timezone.localdate().strftime("%d/%m/%Y")})
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="co-so-cnnt-{stamp}.xlsx"'
    return response


def _establishment_or_404(request, pk) -> Establishment:
    establishment = selectors.establishment_get(user=request.user, pk=pk)
    if establishment is None:
        raise Http404(_("Establishment not found."))
    return establishment


@login_required
def establishment_detail(request, pk: int):
    establishment = _establishment_or_404(request, pk)
    on_date = date_from_text(request.GET.get("on")) or timezone.localdate()
    try:
        eligibility = services.eligibility_of(establishment, on_date)
        eligibility_error = ""
    except DomainError as exc:
        eligibility, eligibility_error = None, exc.message
    context = {
        "e": establishment,
        "eligibility": eligibility,
        "eligibility_error": eligibility_error,
        "on_date": on_date,
        "timeline": selectors.establishment_timeline(establishment=establishment),
        "events": selectors.establishment_history(establishment=establishment),
        "edit": can_edit_establishment(request.user, establishment),
        "support_form": SupportRecordForm(initial={"year": timezone.localdate().year, "fund": "local"}),
    }
    return render(request, "registry/establishment_detail.html", context)


def _form_initial(e: Establishment) -> dict:
    fields = ["name", "entity_type", "sme_size", "tax_code", "business_reg_no", "business_reg_date",
              "representative", "representative_gender", "phone", "email", "woman_owned", "ethnic_minority",
              "employees", "vsic_code", "main_products", "ocop_stars", "cleaner_production", "commune",
              "craft_village", "address", "latitude", "longitude", "status", "version"]
    initial = {f: getattr(e, f) for f in fields}
    initial["province"] = e.province
    initial["sectors"] = list(e.sectors.all())
    return initial


@login_required
def establishment_create(request):
    form = EstablishmentForm(data=request.POST or None, provinces=visible_provinces(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            establishment = services.establishment_create(
                actor=request.user, data=form.service_data(), sectors=form.cleaned_data["sectors"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Establishment added."))
            return redirect("establishment_detail", pk=establishment.pk)
    return render(request, "registry/establishment_form.html", {"form": form, "e": None})


@login_required
def establishment_edit(request, pk: int):
    establishment = _establishment_or_404(request, pk)
    decision = can_edit_establishment(request.user, establishment)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("establishment_detail", pk=establishment.pk)
    form = EstablishmentForm(data=request.POST or None, initial=_form_initial(establishment),
                             provinces=visible_provinces(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.establishment_update(
                actor=request.user, establishment=establishment, data=form.service_data(),
                version=form.cleaned_data["version"] or 0, sectors=list(form.cleaned_data["sectors"]))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("establishment_detail", pk=establishment.pk)
    return render(request, "registry/establishment_form.html", {"form": form, "e": establishment})


@login_required
def establishment_place_options(request):
    """The communes of the chosen province, for the establishment form's dependent select (htmx)."""
    province_id = _int(request.GET.get("province"))
    allowed = visible_provinces(request.user).filter(pk=province_id).exists()
    communes = AdminUnit.objects.current().communes().filter(province_id=province_id if allowed else 0)
    villages = CraftVillage.objects.filter(province_id=province_id if allowed else 0)
    return render(request, "registry/_place_options.html",
                  {"communes": communes.order_by("name"), "villages": villages.order_by("name")})


@login_required
@require_POST
def support_add(request, pk: int):
    establishment = _establishment_or_404(request, pk)
    form = SupportRecordForm(request.POST)
    if form.is_valid():
        try:
            services.support_record_add(actor=request.user, establishment=establishment,
                                        data={**form.cleaned_data, "source": "manual"})
            messages.success(request, _("Support recorded."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Check the support's year, fund and description."))
    return redirect("establishment_detail", pk=establishment.pk)


@login_required
def duplicate_list(request):
    return render(request, "registry/duplicates.html", {
        "groups": selectors.duplicate_candidates(user=request.user),
        "merges": selectors.merge_list(user=request.user)[:50],
    })


@login_required
def establishment_merge(request, survivor_pk: int, duplicate_pk: int):
    survivor = _establishment_or_404(request, survivor_pk)
    duplicate = _establishment_or_404(request, duplicate_pk)
    decision = can_merge(request.user, survivor, duplicate)
    if request.method == "POST":
        try:
            services.establishment_merge(actor=request.user, survivor=survivor, duplicate=duplicate)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Merged: every linked record now points to the record kept."))
            return redirect("establishment_detail", pk=survivor.pk)
    return render(request, "registry/merge.html", {"survivor": survivor, "duplicate": duplicate,
                                                   "decision": decision})


@login_required
@require_POST
def merge_review(request, merge_pk: int):
    merge = get_object_or_404(selectors.merge_list(user=request.user), pk=merge_pk)
    try:
        services.merge_review(actor=request.user, merge=merge)
        messages.success(request, _("Merge reviewed."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("establishment_duplicates")


@login_required
def import_upload(request):
    provinces = visible_provinces(request.user)
    form = ImportUploadForm(data=request.POST or None, files=request.FILES or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_start(actor=request.user, uploaded_file=form.cleaned_data["file"],
                                       province=form.cleaned_data["province"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("establishment_import_detail", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user).select_related("province")[:10]
    return render(request, "registry/import_upload.html", {"form": form, "jobs": jobs})


def _job_or_404(request, pk) -> ImportJob:
    job = ImportJob.objects.select_related("province", "created_by").filter(pk=pk).first()
    if job is None or (job.created_by_id != request.user.pk and not request.user.is_superuser):
        raise Http404(_("Import not found."))
    return job


@login_required
def import_detail(request, pk: int):
    job = _job_or_404(request, pk)
    if request.method == "POST":
        choices = {}
        for key, value in request.POST.items():
            if key.startswith("row_") and value.isdecimal():
                choices[int(key[4:])] = int(value)
        try:
            imports.import_confirm(actor=request.user, job=job, choices=choices,
                                   good_rows=request.POST.get("good_rows") == "1")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("establishment_import_detail", pk=job.pk)
    template = "registry/_import_status.html" if request.htmx else "registry/import_detail.html"
    return render(request, template, {"job": job, "errors": job.errors[:200]})


@login_required
def import_error_file(request, pk: int):
    job = _job_or_404(request, pk)
    path = job.result.get("error_file")
    if not path or not default_storage.exists(path):
        raise Http404(_("This import has no error file."))
    return FileResponse(default_storage.open(path, "rb"), as_attachment=True,
                        filename=f"loi-nhap-co-so-{job.pk}.xlsx", content_type=XLSX)


@login_required
def import_template(request):
    response = HttpResponse(exports.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-co-so-cnnt.xlsx"'
    return response
