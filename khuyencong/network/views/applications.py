"""Joining the network: the public application page (no account needed) and the centre's review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.core.errors import DomainError
from khuyencong.core.paging import int_or_none, page_context
from khuyencong.geo.models import AdminUnit

from .. import selectors, services, spam, standards
from ..flows import actions_of, application_flow
from ..forms import ApplicationForm, AppointForm, RefuseForm, StatusLookupForm
from ..models import ApplicationStatus, Regulation
from .collaborators import remember_password
from .common import province_context, show_error, staff_province

SENT_KEY = "network_application_sent"


def _open_provinces():
    """Provinces whose regulation in force takes applications online."""
    today = timezone.localdate()
    ids = [r.province_id for r in Regulation.objects.filter(accepts_applications=True, effective_from__lte=today)
           if r.covers(today)]
    return AdminUnit.objects.current().provinces().filter(pk__in=ids).order_by("name")


def _communes(province):
    if province is None:
        return AdminUnit.objects.none()
    return AdminUnit.objects.current().communes().filter(province=province).order_by("name")


def apply(request):
    """The public page where a person applies to become a collaborator for communes of a province."""
    provinces = list(_open_provinces())
    code = int_or_none(request.POST.get("province") or request.GET.get("province"))
    province = next((p for p in provinces if p.code == code), None)
    if province is None and len(provinces) == 1:
        province = provinces[0]
    form = ApplicationForm(request.POST or None, communes=_communes(province))
    status = 200
    if request.method == "POST":
        if spam.over_limit(request):
            form.is_valid()
            form.add_error(None, _("Too many applications were sent from your connection. Please try again in an "
                                   "hour; what you typed is kept below."))
            status = 429
        elif province is None:
            form.is_valid()
            form.add_error(None, _("Choose the province."))
        elif form.is_valid():
            if form.cleaned_data.get("website"):
                # A bot filled the hidden field: answer as if accepted, keep nothing.
                request.session[SENT_KEY] = {"reference": "", "province": province.name}
                return redirect("network_apply_sent")
            try:
                application = services.application_submit(
                    province=province, data=form.person_data(), communes=list(form.cleaned_data["communes"]),
                    id_number=form.cleaned_data["id_number"], health_declared=form.cleaned_data["health_declared"],
                    has_endorsement=form.cleaned_data["has_endorsement"],
                    motivation=form.cleaned_data["motivation"], source_hash=spam.address_hash(request))
            except DomainError as exc:
                show_error(form, exc)
            else:
                request.session[SENT_KEY] = {"reference": application.reference, "province": province.name}
                return redirect("network_apply_sent")
    regulation = selectors.regulation_in_force(province) if province else None
    return render(request, "network/apply.html", {
        "form": form, "provinces": provinces, "province": province, "regulation": regulation,
    }, status=status)


def apply_sent(request):
    sent = request.session.pop(SENT_KEY, None)
    if sent is None:
        return redirect("network_apply")
    return render(request, "network/apply_sent.html", {"sent": sent})


def apply_status(request):
    """The public page (no account) where an applicant checks their application by its number and their phone.
    Both must match; a wrong pair gets the same "not found" whichever is wrong, and the lookups of an address are
    counted like the applications it sends (spam.over_limit), so numbers cannot be guessed in bulk."""
    form = StatusLookupForm(request.POST or None)
    application, missing, status = None, False, 200
    if request.method == "POST" and form.is_valid():
        if spam.over_limit(request, "status"):
            form.add_error(None, _("Too many checks were made from your connection. Please try again in an hour."))
            status = 429
        else:
            application = selectors.application_status_lookup(reference=form.cleaned_data["reference"],
                                                              phone=form.cleaned_data["phone"])
            missing = application is None
    return render(request, "network/apply_status.html", {"form": form, "a": application, "missing": missing},
                  status=status)


@login_required
def application_list(request):
    province = staff_province(request)
    status = request.GET.get("status", ApplicationStatus.SUBMITTED)
    if status not in ApplicationStatus.values and status != "all":
        status = ApplicationStatus.SUBMITTED
    qs = selectors.application_list(user=request.user, status="" if status == "all" else status,
                                    province=province.code if province else None)
    context = province_context(request, province, "applications")
    context.update({**page_context(request, qs), "status": status, "statuses": ApplicationStatus.choices})
    return render(request, "network/application_list.html", context)


def _application_or_404(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    if application is None:
        raise Http404(_("Application not found."))
    return application


def _detail(request, application, *, accept_form=None, refuse_form=None, status=200):
    province = application.province
    regulation = selectors.regulation_in_force(province)
    context = province_context(request, province, "applications")
    context.update({
        "a": application,
        "summary": standards.summary(application.checks),
        "actions": actions_of(application_flow, application, request.user),
        "accept_form": accept_form or AppointForm(
            initial={"version": application.version, "decision_date": timezone.localdate(),
                     "communes": list(application.communes.all()),
                     "authority": regulation.appointing_authority if regulation else ""},
            communes=_communes(province), symbol=regulation.decision_symbol if regulation else ""),
        "refuse_form": refuse_form or RefuseForm(initial={"version": application.version}),
        "regulation": regulation,
    })
    return render(request, "network/application_detail.html", context, status=status)


@login_required
def application_detail(request, pk: int):
    return _detail(request, _application_or_404(request, pk))


@login_required
@require_POST
def application_accept(request, pk: int):
    application = _application_or_404(request, pk)
    form = AppointForm(request.POST, communes=_communes(application.province))
    if form.is_valid():
        data = form.cleaned_data
        try:
            collaborator, password = services.application_accept(
                actor=request.user, application=application, decision_number=data["decision_number"],
                decision_date=data["decision_date"], communes=list(data["communes"]), version=data["version"],
                term_start=data["term_start"], authority=data["authority"], signer=data["signer"])
        except DomainError as exc:
            show_error(form, exc)
            application = _application_or_404(request, pk)  # the refused attempt changed nothing stored
        else:
            remember_password(request, collaborator, password)
            messages.success(request, _("The application is accepted: %(name)s is a collaborator.")
                             % {"name": collaborator.full_name})
            return redirect("network_collaborator_detail", pk=collaborator.pk)
    return _detail(request, application, accept_form=form, status=422)


@login_required
@require_POST
def application_refuse(request, pk: int):
    application = _application_or_404(request, pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.application_refuse(actor=request.user, application=application,
                                        reason=form.cleaned_data["reason"], version=form.cleaned_data["version"])
        except DomainError as exc:
            show_error(form, exc)
            application = _application_or_404(request, pk)
        else:
            messages.success(request, _("The application is refused."))
            return redirect("network_application_list")
    return _detail(request, application, refuse_form=form, status=422)
