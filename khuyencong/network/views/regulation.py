"""The province's network regulation: read by everyone in the province, kept by centre staff and DoIT officers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError

from .. import selectors, services
from ..flows import REGULATION_OPEN_FIELDS, regulation_lock
from ..forms import CriterionFormSet, RegulationForm, StandardFormSet, filled_rows
from ..permissions import can_edit_regulation
from .common import province_context, require_province, show_error, staff_page, staff_province

COPY_FIELDS = ("title", "issuing_body", "signer", "term_months", "max_communes", "duties", "appointing_authority",
               "appointing_body", "parent_body", "decision_symbol", "monthly_base_vnd", "per_survey_vnd",
               "per_conversion_vnd", "per_report_vnd", "monthly_cap_vnd", "accepts_applications")


@login_required
@staff_page
def regulation_page(request):
    province = require_province(staff_province(request))
    context = province_context(request, province, "regulation")
    regulations = list(selectors.regulation_list(user=request.user, province_id=province.pk))
    current = selectors.regulation_in_force(province, timezone.localdate())
    context.update({
        "regulations": regulations,
        "current": current,
        "can_edit": bool(can_edit_regulation(request.user, province.pk)),
        "events": audit_events_for(current)[:30] if current else [],
    })
    return render(request, "network/regulation.html", context)


def _form_page(request, province, regulation, form, standards, criteria, locked=""):
    context = province_context(request, province, "regulation")
    context.update({"form": form, "standards": standards, "criteria": criteria, "regulation": regulation,
                    "locked": locked})
    return render(request, "network/regulation_form.html", context)


def _regulation_form(regulation, data=None):
    """The regulation's form and, once fees were signed off under it (`flows.regulation_lock`), the reason why only its
    end date is still open ("" while every field is)."""
    initial = {k: getattr(regulation, k) for k in (*COPY_FIELDS, "number", "issued_on", "effective_from",
                                                   "effective_to", "version")} if regulation else None
    form = RegulationForm(data, initial=initial)
    locked = regulation_lock(regulation).reason if regulation else ""
    if locked:
        for name, field in form.fields.items():
            if name not in REGULATION_OPEN_FIELDS | {"version"}:
                field.disabled = True
    return form, locked


def _save(request, province, regulation):
    form, locked = _regulation_form(regulation, request.POST)
    standards = StandardFormSet(request.POST, prefix="standards")
    criteria = CriterionFormSet(request.POST, prefix="criteria")
    if form.is_valid() and (locked or (standards.is_valid() and criteria.is_valid())):
        try:
            if regulation is None:
                regulation = services.regulation_create(
                    actor=request.user, province=province, data=form.service_data(),
                    standards=filled_rows(standards, "kind"), criteria=filled_rows(criteria, "metric"))
            else:
                services.regulation_update(
                    actor=request.user, regulation=regulation, data=form.service_data(),
                    version=form.cleaned_data["version"] or 0,
                    standards=None if locked else filled_rows(standards, "kind"),
                    criteria=None if locked else filled_rows(criteria, "metric"))
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The regulation is saved."))
            return redirect(f"{reverse('network_regulation')}?province={province.code}")
    return _form_page(request, province, regulation, form, standards, criteria, locked)


@login_required
@staff_page
def regulation_create(request):
    province = require_province(staff_province(request))
    decision = can_edit_regulation(request.user, province.pk)
    if not decision:
        messages.error(request, decision.reason)
        return redirect(f"{reverse('network_regulation')}?province={province.code}")
    if request.method == "POST":
        return _save(request, province, None)
    base = selectors.regulation_in_force(province)
    initial = {k: getattr(base, k) for k in COPY_FIELDS} if base else {"accepts_applications": True,
                                                                        "decision_symbol": "QĐ-TTKC"}
    standards = StandardFormSet(prefix="standards", initial=[
        {k: getattr(s, k) for k in ("kind", "label", "min_value", "max_value", "education_level")}
        for s in base.standards.all()] if base else None)
    criteria = CriterionFormSet(prefix="criteria", initial=[
        {k: getattr(c, k) for k in ("metric", "label", "weight", "monthly_target")}
        for c in base.criteria.all()] if base else None)
    return _form_page(request, province, None, RegulationForm(initial=initial), standards, criteria)


@login_required
def regulation_edit(request, pk: int):
    regulation = selectors.regulation_get(user=request.user, pk=pk)
    if regulation is None:
        raise Http404(_("Regulation not found."))
    province = regulation.province
    decision = can_edit_regulation(request.user, province.pk)
    if not decision:
        messages.error(request, decision.reason)
        return redirect(f"{reverse('network_regulation')}?province={province.code}")
    if request.method == "POST":
        return _save(request, province, regulation)
    form, locked = _regulation_form(regulation)
    standards = StandardFormSet(prefix="standards", initial=[
        {k: getattr(s, k) for k in ("kind", "label", "min_value", "max_value", "education_level")}
        for s in regulation.standards.all()])
    criteria = CriterionFormSet(prefix="criteria", initial=[
        {k: getattr(c, k) for k in ("metric", "label", "weight", "monthly_target")}
        for c in regulation.criteria.all()])
    return _form_page(request, province, regulation, form, standards, criteria, locked)
