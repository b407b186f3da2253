"""The awards' pages: rounds, their council and jury, entries and dossiers, the jurors' sheets, certificates, the
nomination list, and the public catalogue (no sign-in) with the certificate verification page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.models import User
from khuyencong.accounts.scope import acting_provinces, user_scope
from khuyencong.core import documents as d
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import int_or_none, page_context
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment

from . import rules, selectors, services
from .documents import certificate_document, nomination_xlsx
from .flows import MANAGERS, entry_flow, round_flow, round_lock
from .forms import ComplaintForm, DocumentForm, EntryForm, HolderReportForm, MemberForm, RoundForm
from .models import (
    NEXT_LEVEL,
    PHOTO_KINDS,
    BandsStatus,
    Body,
    Certificate,
    Complaint,
    EntryStatus,
    Level,
    ProductGroup,
    Round,
    RoundStatus,
    SheetStatus,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _show_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _round_or_404(request, pk) -> Round:
    round_ = selectors.round_get(request.user, pk)
    if round_ is None:
        raise Http404(_("Award round not found."))
    return round_


def _entry_or_404(request, pk):
    entry = selectors.entry_get(request.user, pk)
    if entry is None:
        raise Http404(_("Entry not found."))
    return entry


def _version(request) -> int | None:
    return int_or_none(request.POST.get("version"))


# --- rounds -----------------------------------------------------------------------------------------------------------


@login_required
def round_list(request):
    level = request.GET.get("level", "")
    level = level if level in Level.values else ""
    year = int_or_none(request.GET.get("year"))
    year = year if year and 2000 <= year <= 2100 else None
    qs = selectors.round_list(request.user, year=year, level=level)
    can_create = bool(set(user_scope(request.user).roles) & set(MANAGERS))
    to_score = selectors.my_entries_to_score(request.user)[:50]
    return render(request, "awards/round_list.html", {
        **page_context(request, qs), "levels": Level.choices, "level": level, "year": year or "",
        "can_create": can_create, "to_score": to_score})


@login_required
def round_create(request):
    provinces = acting_provinces(request.user, roles=MANAGERS)
    form = RoundForm(request.POST or None, provinces=provinces,
                     initial={"year": timezone.localdate().year, "level": Level.PROVINCE})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["budget_vnd"] = data.get("budget_vnd") or 0
        try:
            round_ = services.round_create(actor=request.user, **data)
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("The round is created. Add the council and the jury."))
            return redirect("awards_round_detail", pk=round_.pk)
    return render(request, "awards/form.html", {"form": form, "title": _("New award round")},
                  status=422 if form.errors else 200)


def _round_context(request, round_: Round) -> dict:
    members = list(round_.members.select_related("user"))
    entries = list(selectors.entry_list(request.user, round_=round_))
    manage = bool(services.can_manage(request.user, round_))
    next_rounds = []
    if manage and round_.level in NEXT_LEVEL:
        next_rounds = list(Round.objects.filter(level=NEXT_LEVEL[round_.level], status=RoundStatus.INTAKE_OPEN)
                           .filter(Q(province__isnull=True) | Q(province=round_.province_id)))
    deadline = rules.complaint_deadline(round_.announced_on) if round_.announced_on else None
    lock = round_lock(round_)
    council_low, council_high = rules.council_size(round_.level, timezone.localdate())
    users = User.objects.filter(is_active=True).order_by("full_name", "username")
    if round_.province_id:
        users = users.filter(Q(assignments__province=round_.province_id) | Q(assignments__scope_level="national"))
    return {
        "r": round_, "options": round_flow.options(round_, request.user), "manage": manage,
        "lock": lock, "writable": manage and bool(lock), "prize": selectors.round_prize(round_),
        "council_size": (council_low, council_high), "jury_min": rules.jury_min(timezone.localdate()),
        "council": [m for m in members if m.body == Body.COUNCIL], "jury": [m for m in members if m.body == Body.JURY],
        "entries": entries, "figures": selectors.round_figures(round_), "next_rounds": next_rounds,
        "minutes": services.minutes(round_), "complaints": list(round_.complaints.all()),
        "complaint_deadline": deadline, "pass_score": rules.pass_score(round_.announced_on or timezone.localdate()),
        "member_form": MemberForm(users=users.distinct()), "complaint_form": ComplaintForm(
            initial={"received_on": timezone.localdate()}),
        "history": audit_events_for(round_)[:30],
    }


@login_required
def round_detail(request, pk):
    round_ = _round_or_404(request, pk)
    return render(request, "awards/round_detail.html", _round_context(request, round_))


@login_required
@require_POST
def round_act(request, pk):
    round_ = _round_or_404(request, pk)
    try:
        services.round_act(actor=request.user, round_=round_, action=request.POST.get("action", ""),
                           version=_version(request), reference=request.POST.get("reference", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("awards_round_detail", pk=round_.pk)


@login_required
@require_POST
def member_add(request, pk):
    round_ = _round_or_404(request, pk)
    context = _round_context(request, round_)
    form = MemberForm(request.POST, users=context["member_form"].fields["user"].queryset)
    if form.is_valid():
        try:
            services.member_add(actor=request.user, round_=round_, **form.cleaned_data)
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Member added."))
            return redirect("awards_round_detail", pk=round_.pk)
    context["member_form"] = form
    return render(request, "awards/round_detail.html", context, status=422)


@login_required
@require_POST
def member_remove(request, pk, member):
    round_ = _round_or_404(request, pk)
    target = round_.members.filter(pk=member).first()
    if target is None:
        raise Http404(_("Member not found."))
    try:
        services.member_remove(actor=request.user, member=target)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Member removed."))
    return redirect("awards_round_detail", pk=round_.pk)


def _bands_from_post(post) -> list[dict]:
    return [{"code": c["code"], "bands": [{"label": post.get(f"{c['code']}-{i}-label", ""),
                                          "max": post.get(f"{c['code']}-{i}-max", "")}
                                         for i in range(1, services.MAX_BANDS + 1)]}
            for c in rules.default_criteria()]


def _bands_rows(criteria: list[dict]) -> list[dict]:
    """Each criterion with its bands and blank rows up to the most a criterion may have."""
    rows = []
    for c in criteria:
        bands = [{"label": b.get("label", ""), "max": b.get("max", "")} for b in c.get("bands", [])]
        bands += [{"label": "", "max": ""}] * (services.MAX_BANDS - len(bands))
        rows.append({**c, "rows": [{"n": i, **b} for i, b in enumerate(bands[:services.MAX_BANDS], start=1)]})
    return rows


@login_required
def bands(request, pk):
    """The round's detailed scoring bands: the jury head proposes them, the council chair approves (Phụ lục 4)."""
    round_ = _round_or_404(request, pk)
    head = round_.members.filter(body=Body.JURY, role="head").first()
    is_head = head is not None and head.user_id == request.user.pk
    editable = is_head and round_.status in services.BANDS_OPEN and bool(round_lock(round_))
    error, field, criteria = "", "", round_.criteria
    if request.method == "POST":
        given = _bands_from_post(request.POST)
        try:
            services.bands_propose(actor=request.user, round_=round_, criteria=given,
                                   version=_version(request))
        except DomainError as exc:
            error, field = exc.message, exc.field or ""
            criteria = [{**c, "bands": g["bands"]} for c, g in zip(rules.default_criteria(), given, strict=True)]
        else:
            messages.success(request, _("The scoring bands are proposed to the council chair."))
            return redirect("awards_bands", pk=round_.pk)
    approve = (round_.bands_status == BandsStatus.PROPOSED and round_.status in services.BANDS_OPEN
               and bool(round_lock(round_)) and bool(services.can_approve_bands(request.user, round_)))
    return render(request, "awards/bands.html", {
        "r": round_, "criteria": _bands_rows(criteria), "editable": editable, "error": error, "error_field": field,
        "head": head, "approve": approve, "lock": round_lock(round_)}, status=422 if error else 200)


@login_required
@require_POST
def bands_approve(request, pk):
    round_ = _round_or_404(request, pk)
    try:
        services.bands_approve(actor=request.user, round_=round_, version=_version(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The scoring bands are approved."))
    return redirect("awards_bands", pk=round_.pk)


@login_required
@require_POST
def complaint_add(request, pk):
    round_ = _round_or_404(request, pk)
    form = ComplaintForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_add(actor=request.user, round_=round_, **form.cleaned_data)
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Complaint recorded."))
            return redirect("awards_round_detail", pk=round_.pk)
    context = _round_context(request, round_)
    context["complaint_form"] = form
    return render(request, "awards/round_detail.html", context, status=422)


@login_required
@require_POST
def complaint_answer(request, pk):
    complaint = Complaint.objects.filter(pk=pk, round__in=selectors.round_list(request.user)).first()
    if complaint is None:
        raise Http404(_("Complaint not found."))
    try:
        services.complaint_answer(actor=request.user, complaint=complaint, answer=request.POST.get("answer", ""),
                                  version=_version(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("awards_round_detail", pk=complaint.round_id)


@login_required
@require_POST
def nominate(request, pk):
    round_ = _round_or_404(request, pk)
    target = Round.objects.filter(pk=int_or_none(request.POST.get("target")) or 0).first()
    if target is None:
        messages.error(request, _("Choose the round of the next level."))
        return redirect("awards_round_detail", pk=round_.pk)
    try:
        created = services.nominate(actor=request.user, round_=round_, target=target)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s products nominated to %(round)s.") % {"n": len(created),
                                                                                 "round": target.name})
    return redirect("awards_round_detail", pk=round_.pk)


@login_required
def nomination_export(request, pk):
    round_ = _round_or_404(request, pk)
    entries = [e for e in selectors.entry_list(request.user, round_=round_)
               if e.status in (EntryStatus.CERTIFIED, EntryStatus.NOMINATED)]
    response = HttpResponse(nomination_xlsx(round_, entries), content_type=XLSX)
    name = d.safe_filename("danh sach de nghi " + round_.name)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- entries ----------------------------------------------------------------------------------------------------------


@login_required
def entry_create(request, pk):
    round_ = _round_or_404(request, pk)
    establishments = user_scope(request.user).filter(Establishment.objects.order_by("name"), province="province")
    if round_.province_id:
        establishments = establishments.filter(province=round_.province_id)
    form = EntryForm(request.POST or None, establishments=establishments)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(actor=request.user, round_=round_, **form.cleaned_data)
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Entry recorded. Attach its dossier."))
            return redirect("awards_entry_detail", pk=entry.pk)
    return render(request, "awards/form.html", {"form": form, "title": _("New entry"), "r": round_},
                  status=422 if form.errors else 200)


def _entry_context(request, entry, *, document_form=None, report_form=None) -> dict:
    certificate = getattr(entry, "certificate", None) if entry.status in (EntryStatus.CERTIFIED,
                                                                         EntryStatus.NOMINATED) else None
    juror = services.juror_of(request.user, entry)
    return {
        "e": entry, "r": entry.round, "options": entry_flow.options(entry, request.user),
        "manage": bool(services.can_manage(request.user, entry.round)), "lock": round_lock(entry.round),
        "documents": list(entry.documents.all()), "sheets": list(entry.sheets.select_related("juror")),
        "certificate": certificate, "juror": juror,
        "document_form": document_form or DocumentForm(),
        "report_form": report_form or HolderReportForm(initial={"year": timezone.localdate().year}),
        "reports": list(certificate.reports.all()) if certificate else [],
        "history": audit_events_for(entry)[:30],
    }


@login_required
def entry_detail(request, pk):
    entry = _entry_or_404(request, pk)
    return render(request, "awards/entry_detail.html", _entry_context(request, entry))


@login_required
@require_POST
def entry_act(request, pk):
    entry = _entry_or_404(request, pk)
    try:
        services.entry_act(actor=request.user, entry=entry, action=request.POST.get("action", ""),
                           version=_version(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("awards_entry_detail", pk=entry.pk)


@login_required
@require_POST
def document_add(request, pk):
    entry = _entry_or_404(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(actor=request.user, entry=entry, kind=form.cleaned_data["kind"],
                                  upload=form.cleaned_data["file"])
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("File attached."))
            return redirect("awards_entry_detail", pk=entry.pk)
    return render(request, "awards/entry_detail.html", _entry_context(request, entry, document_form=form),
                  status=422)


@login_required
def document_file(request, pk, doc):
    entry = _entry_or_404(request, pk)
    document = entry.documents.filter(pk=doc).first()
    if document is None:
        raise Http404(_("File not found."))
    return FileResponse(document.file.open("rb"), filename=document.name or None)


@login_required
@require_POST
def holder_report_add(request, pk):
    entry = _entry_or_404(request, pk)
    certificate = getattr(entry, "certificate", None)
    if certificate is None:
        raise Http404(_("The product has no certificate."))
    form = HolderReportForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["revenue_vnd"] = data.get("revenue_vnd") or 0
        data["employees"] = data.get("employees") or 0
        try:
            services.holder_report_add(actor=request.user, certificate=certificate, **data)
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Report recorded."))
            return redirect("awards_entry_detail", pk=entry.pk)
    return render(request, "awards/entry_detail.html", _entry_context(request, entry, report_form=form),
                  status=422)


# --- certificates ---------------------------------------------------------------------------------------------------


def _certificate_or_404(request, pk) -> Certificate:
    certificate = Certificate.objects.filter(pk=pk, entry__in=selectors.entry_list(request.user)).select_related(
        "entry", "entry__round", "entry__round__province", "entry__establishment", "entry__establishment__commune",
        "entry__province").first()
    if certificate is None:
        raise Http404(_("Certificate not found."))
    return certificate


@login_required
def certificate_document_view(request, pk):
    certificate = _certificate_or_404(request, pk)
    fmt = request.GET.get("format", "pdf")
    if fmt not in ("pdf", "docx"):
        fmt = "pdf"
    url = request.build_absolute_uri(reverse("awards_verify")) + f"?code={certificate.code}"
    return d.document_response(certificate_document(certificate, verify_url=url), fmt=fmt,
                               filename=f"giay chung nhan {certificate.number}")


@login_required
@require_POST
def certificate_revoke(request, pk):
    certificate = _certificate_or_404(request, pk)
    try:
        services.certificate_revoke(actor=request.user, certificate=certificate,
                                    reason=request.POST.get("reason", ""), version=_version(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The certificate is revoked."))
    return redirect("awards_entry_detail", pk=certificate.entry_id)


# --- scoring sheets -------------------------------------------------------------------------------------------------


@login_required
def sheet(request, pk):
    """A juror's sheet for one entry, on a phone or a laptop: the bands, a live total, draft or submit."""
    entry = _entry_or_404(request, pk)
    juror = services.juror_of(request.user, entry)
    if juror is None:
        raise Http404(_("You are not a juror of this round."))
    existing = entry.sheets.filter(juror=juror).first()
    decision = services.can_score(request.user, entry, existing)
    error = ""
    points = existing.points if existing else {}
    if request.method == "POST":
        points = {k: request.POST.get(k, "") for band in _bands(entry.round.criteria) for k in [band["key"]]}
        if not decision:
            error = decision.reason
        else:
            sheet_ = existing or services.sheet_for(juror=juror, entry=entry)
            try:
                services.sheet_save(actor=request.user, sheet=sheet_, points=points,
                                    version=_version(request) or sheet_.version,
                                    submit=request.POST.get("submit") == "1")
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, _("Sheet submitted.") if request.POST.get("submit") == "1"
                                 else _("Draft saved."))
                return redirect("awards_sheet", pk=entry.pk) if request.POST.get("submit") != "1" else \
                    redirect("awards_round_list")
    criteria = [{**c, "bands": [{**b, "value": points.get(b["key"], "")} for b in c["bands"]]}
                for c in entry.round.criteria]
    return render(request, "awards/sheet.html", {
        "e": entry, "r": entry.round, "sheet": existing, "criteria": criteria, "error": error,
        "editable": bool(decision), "locked": existing is not None and existing.status == SheetStatus.SUBMITTED,
    }, status=422 if error else 200)


def _bands(criteria):
    return [band for criterion in criteria for band in criterion["bands"]]


# --- the public catalogue (no sign-in) ------------------------------------------------------------------------------


def catalogue(request):
    q = (request.GET.get("q") or "")[:100]
    province = int_or_none(request.GET.get("province"))
    former = int_or_none(request.GET.get("former"))
    group = request.GET.get("group", "")
    group = group if group in ProductGroup.values else ""
    level = request.GET.get("level", "")
    level = level if level in Level.values else ""
    year = int_or_none(request.GET.get("year"))
    year = year if year and 2000 <= year <= 2100 else None
    qs = selectors.catalogue(q=q, province=province if province and province < 100 else None,
                             former=former if former and former < 100 else None, group=group, level=level, year=year)
    page = Paginator(qs, 24).get_page(request.GET.get("page"))
    provinces = AdminUnit.objects.current().provinces().order_by("name")
    formers = AdminUnit.objects.filter(scheme="legacy", level="province").order_by("name")
    return render(request, "awards/catalogue.html", {
        "page_obj": page, "q": q, "province": province, "former": former, "group": group, "level": level,
        "year": year or "", "provinces": provinces, "formers": formers, "groups": ProductGroup.choices,
        "levels": Level.choices, "today": timezone.localdate()})


def product(request, pk):
    entry = selectors.public_entry(pk)
    if entry is None:
        raise Http404(_("Product not found."))
    photos = [doc for doc in entry.documents.all() if doc.kind in PHOTO_KINDS]
    return render(request, "awards/product.html", {"e": entry, "c": entry.certificate, "photos": photos,
                                                   "today": timezone.localdate()})


def product_photo(request, pk, doc):
    entry = selectors.public_entry(pk)
    document = entry.documents.filter(pk=doc, kind__in=PHOTO_KINDS).first() if entry else None
    if document is None:
        raise Http404(_("Photo not found."))
    return FileResponse(document.file.open("rb"), content_type="image/jpeg")


def verify(request):
    code = (request.GET.get("code") or "")[:30]
    certificate = selectors.certificate_by_code(code) if code else None
    return render(request, "awards/verify.html", {"code": code, "c": certificate, "today": timezone.localdate()})
