"""The pages of consulting: thin views that parse the request, call a selector or a service, and render. A refused
form is shown again with what was typed and the service's Vietnamese reason."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts.scope import acting_provinces, user_scope
from khuyencong.core import documents
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import int_or_none, page_context
from khuyencong.core.periods import FIRST_YEAR, LAST_YEAR
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment

from . import exports, selectors, services
from .flows import EDITORS
from .forms import (
    AddendumForm,
    AssignForm,
    CertificateForm,
    ClientForm,
    ContractForm,
    InvoiceForm,
    NoteForm,
    PaymentForm,
    QuotationForm,
    VisitForm,
)
from .models import Addendum, ContractStatus, QuotationStatus, SiteIssue, SiteVisit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def editor_province(user) -> AdminUnit | None:
    """The province whose centre the user works for (the first where the user may manage the services)."""
    provinces = list(acting_provinces(user, roles=EDITORS)[:2])
    return provinces[0] if len(provinces) == 1 else None


def show_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _year(request) -> int:
    year = int_or_none(request.GET.get("year"))
    return year if year and FIRST_YEAR <= year <= LAST_YEAR else services.today().year


# --- contracts and quotations lists

@login_required
def home(request):
    status = request.GET.get("status", "")
    status = status if status in ContractStatus.values else ""
    qs = selectors.contract_list(user=request.user, q=request.GET.get("q", "").strip()[:100], status=status)
    province = editor_province(request.user)
    return render(request, "consulting/home.html", {
        **page_context(request, qs), "statuses": ContractStatus.choices, "status": status,
        "q": request.GET.get("q", "")[:100], "can_create": province is not None,
        "quotations": selectors.quotation_list(user=request.user).exclude(
            status__in=(QuotationStatus.REJECTED, QuotationStatus.EXPIRED))[:10],
    })


def _clients_for(province):
    return selectors.Client.objects.filter(province=province).order_by("name_folded")


@login_required
def quotations(request):
    province = editor_province(request.user)
    form = None
    if province is not None:
        form = QuotationForm(request.POST or None, clients=_clients_for(province),
                             initial={"valid_until": services.today() + datetime.timedelta(days=30)})
        if request.method == "POST" and form.is_valid():
            try:
                q = services.quotation_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Quotation %(n)s created.") % {"n": q.number})
                return redirect("consulting_quotation", pk=q.pk)
            except DomainError as exc:
                show_error(form, exc)
    elif request.method == "POST":
        raise Http404
    qs = selectors.quotation_list(user=request.user)
    return render(request, "consulting/quotations.html", {**page_context(request, qs), "form": form},
                  status=422 if form is not None and form.errors else 200)


def _quotation_or_404(request, pk):
    q = selectors.quotation_get(user=request.user, pk=pk)
    if q is None:
        raise Http404(_("Quotation not found."))
    return q


@login_required
def quotation_detail(request, pk: int):
    q = _quotation_or_404(request, pk)
    return render(request, "consulting/quotation.html",
                  selectors.quotation_page(user=request.user, quotation=q, on_date=services.today()))


@login_required
@require_POST
def quotation_act(request, pk: int, action: str):
    q = _quotation_or_404(request, pk)
    try:
        services.quotation_transition(actor=request.user, quotation=q, action=action,
                                      version=int_or_none(request.POST.get("version")),
                                      inputs={"note": request.POST.get("note", "")})
        messages.success(request, _("Done: the quotation is now “%(status)s”.") % {"status": q.get_status_display()})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("consulting_quotation", pk=q.pk)


@login_required
def quotation_document(request, pk: int):
    q = _quotation_or_404(request, pk)
    fmt = request.GET.get("format", "pdf")
    if fmt not in documents.CONTENT_TYPES:
        raise Http404(_("Unknown format."))
    return documents.document_response(exports.quotation_document(q), fmt=fmt, filename=f"bao-gia-{q.pk}")


# --- contracts

def _communes(province):
    return AdminUnit.objects.filter(scheme="current", level="commune", province=province).order_by("name")


@login_required
def contract_new(request):
    province = editor_province(request.user)
    quotation = None
    if request.GET.get("quotation"):
        quotation = selectors.quotation_get(user=request.user, pk=int_or_none(request.GET.get("quotation")) or 0)
    if province is None or quotation is None or quotation.province_id != province.pk:
        raise Http404(_("Choose an accepted quotation first."))
    initial = {"work": quotation.scope[:300], "value_vnd": quotation.total_vnd, "start_date": services.today()}
    form = ContractForm(request.POST or None, communes=_communes(province), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(actor=request.user, client=quotation.client,
                                                service_line=quotation.service_line, quotation=quotation,
                                                **form.cleaned_data)
            messages.success(request, _("Contract %(n)s recorded.") % {"n": contract.number})
            return redirect("consulting_contract", pk=contract.pk)
        except DomainError as exc:
            show_error(form, exc)
    return render(request, "consulting/contract_form.html", {"form": form, "quotation": quotation},
                  status=422 if form.errors else 200)


def _contract_or_404(request, pk):
    contract = selectors.contract_get(user=request.user, pk=pk)
    if contract is None:
        raise Http404(_("Contract not found."))
    return contract


def render_contract(request, contract, status=200, **bound):
    context = selectors.contract_page(user=request.user, contract=contract, on_date=services.today())
    if context["can_edit"]:
        engineers = selectors.engineers_of(contract.province_id)
        context.update({
            "assign_form": bound.get("assign") or AssignForm(engineers=engineers),
            "visit_form": bound.get("visit") or VisitForm(initial={"visited_on": services.today()}),
            "addendum_form": bound.get("addendum") or AddendumForm(),
            "invoice_form": bound.get("invoice") or InvoiceForm(initial={"issued_on": services.today()}),
            "payment_form": bound.get("payment") or PaymentForm(initial={"received_on": services.today()}),
            "conflict_form": bound.get("conflict") or NoteForm(),
        })
    return render(request, "consulting/contract.html", context, status=status)


@login_required
def contract_detail(request, pk: int):
    return render_contract(request, _contract_or_404(request, pk))


@login_required
@require_POST
def contract_act(request, pk: int, action: str):
    contract = _contract_or_404(request, pk)
    try:
        services.contract_transition(actor=request.user, contract=contract, action=action,
                                     version=int_or_none(request.POST.get("version")))
        messages.success(request, _("Done: the contract is now “%(status)s”.")
                         % {"status": contract.get_status_display()})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("consulting_contract", pk=contract.pk)


@login_required
@require_POST
def contract_post(request, pk: int, what: str):
    """The forms of the contract page: assign, visit, close an issue, addendum, invoice, payment, conflict review."""
    contract = _contract_or_404(request, pk)
    post, user = request.POST, request.user
    forms_by_what = {
        "assign": lambda: AssignForm(post, engineers=selectors.engineers_of(contract.province_id)),
        "visit": lambda: VisitForm(post, request.FILES),
        "addendum": lambda: AddendumForm(post),
        "invoice": lambda: InvoiceForm(post),
        "payment": lambda: PaymentForm(post),
        "conflict": lambda: NoteForm(post),
        "issue": lambda: NoteForm(post),
        "approve": None,
    }
    if what not in forms_by_what:
        raise Http404
    form = forms_by_what[what]() if forms_by_what[what] else None
    if form is not None and not form.is_valid():
        if what == "issue":
            messages.error(request, _("Say how the issue was closed."))
            return redirect("consulting_contract", pk=contract.pk)
        return render_contract(request, contract, status=422, **{what: form})
    data = form.cleaned_data if form is not None else {}
    try:
        if what == "assign":
            services.engineer_assign(actor=user, contract=contract, **data)
        elif what == "visit":
            services.visit_add(actor=user, contract=contract, **data)
        elif what == "addendum":
            services.addendum_add(actor=user, contract=contract, **data)
        elif what == "invoice":
            services.invoice_add(actor=user, contract=contract, **data)
        elif what == "payment":
            services.payment_record(actor=user, contract=contract, **data)
        elif what == "conflict":
            services.contract_review_conflict(actor=user, contract=contract, note=data["note"])
        elif what == "issue":
            issue = SiteIssue.objects.filter(contract=contract, pk=int_or_none(post.get("issue")) or 0).first()
            if issue is None:
                raise Http404
            services.issue_close(actor=user, issue=issue, note=data["note"])
        elif what == "approve":
            addendum = Addendum.objects.filter(contract=contract, pk=int_or_none(post.get("addendum")) or 0).first()
            if addendum is None:
                raise Http404
            services.addendum_approve(actor=user, addendum=addendum)
    except DomainError as exc:
        if form is None or what == "issue":
            messages.error(request, exc.message)
            return redirect("consulting_contract", pk=contract.pk)
        show_error(form, exc)
        return render_contract(request, contract, status=422, **{what: form})
    messages.success(request, _("Saved."))
    return redirect(reverse("consulting_contract", args=[contract.pk]) + f"#{what}")


@login_required
def contract_document(request, pk: int, kind: str):
    contract = _contract_or_404(request, pk)
    fmt = request.GET.get("format", "pdf")
    builders = {"acceptance": (exports.acceptance_document, "nghiem-thu", ContractStatus.ACCEPTED),
                "liquidation": (exports.liquidation_document, "thanh-ly", ContractStatus.LIQUIDATED)}
    if fmt not in documents.CONTENT_TYPES or kind not in builders:
        raise Http404(_("Unknown format."))
    build, name, _state = builders[kind]
    return documents.document_response(build(contract), fmt=fmt, filename=f"{name}-{contract.pk}")


@login_required
def visit_photo(request, pk: int):
    visit = SiteVisit.objects.filter(pk=pk).select_related("contract").first()
    if visit is None or not visit.photo or not user_scope(request.user).covers_province(visit.contract.province_id):
        raise Http404
    return FileResponse(default_storage.open(visit.photo.name, "rb"), content_type="image/jpeg")


# --- clients and engineers

@login_required
def clients(request):
    province = editor_province(request.user)
    form = None
    if province is not None:
        establishments = Establishment.objects.filter(province=province, merged_into__isnull=True).order_by(
            "name_folded")
        form = ClientForm(request.POST or None, establishments=establishments)
        if request.method == "POST" and form.is_valid():
            try:
                client = services.client_create(actor=request.user, province=province, **form.cleaned_data)
                messages.success(request, _("Client %(name)s added.") % {"name": client.name})
                return redirect("consulting_clients")
            except DomainError as exc:
                show_error(form, exc)
    elif request.method == "POST":
        raise Http404
    qs = selectors.client_list(user=request.user)
    context = page_context(request, qs)
    money = selectors.client_outstanding([c.pk for c in context["page"]])
    context["rows"] = [(c, money[c.pk]) for c in context["page"]]
    return render(request, "consulting/clients.html", {**context, "form": form},
                  status=422 if form is not None and form.errors else 200)


@login_required
def engineers(request):
    province = editor_province(request.user)
    form = None
    if province is not None:
        form = CertificateForm(request.POST or None, engineers=selectors.engineers_of(province.pk))
        if request.method == "POST" and form.is_valid():
            try:
                services.certificate_add(actor=request.user, province=province, **form.cleaned_data)
                messages.success(request, _("Certificate recorded."))
                return redirect("consulting_engineers")
            except DomainError as exc:
                show_error(form, exc)
    elif request.method == "POST":
        raise Http404
    today = services.today()
    qs = selectors.certificate_list(user=request.user)
    names = dict(selectors.certificate_names().items())
    context = page_context(request, qs)
    horizon = today.toordinal() + selectors.reminder_days(today)
    context["rows"] = [(c, names.get(c.kind, c.kind), c.expires_on < today, c.expires_on.toordinal() <= horizon)
                       for c in context["page"]]
    return render(request, "consulting/engineers.html", {**context, "form": form},
                  status=422 if form is not None and form.errors else 200)


# --- revenue

@login_required
def revenue(request):
    year = _year(request)
    data = selectors.revenue(user=request.user, year=year)
    years = list(range(services.today().year, services.today().year - 6, -1))
    return render(request, "consulting/revenue.html", {"data": data, "year": year, "years": years})


@login_required
def revenue_export(request):
    year = _year(request)
    body = exports.revenue_xlsx(selectors.revenue(user=request.user, year=year))
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="doanh-thu-tu-van-{year}.xlsx"'
    return response
