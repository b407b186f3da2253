from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.core import ratelimit
from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import DomainError
from khuyencong.core.paging import int_or_none, page_context
from khuyencong.geo.models import AdminUnit

from . import selectors, services, throttling
from .forms import ApiTokenForm, OrganisationForm, StyledPasswordResetForm
from .models import ApiToken, OrganisationKind
from .permissions import can_create_organisation, can_edit_organisation
from .scope import user_scope
from .tokens import token_state

# (requests, seconds): per client address and per e-mail address typed; KC_PASSWORD_RESET_LIMITS overrides.
PASSWORD_RESET_LIMITS = {"address": (10, 3600), "email": (3, 3600)}


@login_required
def profile(request):
    scope = user_scope(request.user)
    context = {
        "assignments": selectors.user_assignments(user=request.user),
        "scope": scope,
        "tokens": _tokens_with_state(request.user),
        "token_form": ApiTokenForm(),
        "new_token": request.session.pop("kc_new_token", None),
        "can_lift_lockouts": throttling.can_lift_lockouts(request.user),
    }
    return render(request, "accounts/profile.html", context)


def _tokens_with_state(user):
    """The user's tokens, newest first, each with whether it works now or why not (`tokens.TokenState`)."""
    now = timezone.now()
    tokens = list(ApiToken.objects.filter(user=user).order_by("-created_at"))
    for token in tokens:
        token.state = token_state(token, user=user, now=now)
    return tokens


@login_required
@require_POST
def api_token_create_view(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect("profile")
    try:
        _token, raw = services.api_token_create(actor=request.user, user=request.user, name=form.cleaned_data["name"],
                                                days=form.cleaned_data["days"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        request.session["kc_new_token"] = raw
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    return redirect("profile")


@login_required
@require_POST
def api_token_revoke_view(request, token_id: int):
    try:
        services.api_token_revoke(actor=request.user, token_id=token_id)
        messages.success(request, _("Token revoked."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("profile")


@login_required
def organisation_list(request):
    q = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    province = request.GET.get("province", "")
    province_code = int_or_none(province)
    qs = selectors.organisation_list(user=request.user, q=q, kind=kind, province_code=province_code)
    scope = user_scope(request.user)
    provinces = AdminUnit.objects.current().provinces().order_by("name")
    if not scope.national:
        provinces = provinces.filter(pk__in=scope.province_ids | scope.commune_province_ids)
    context = {
        **page_context(request, qs),
        "q": q,
        "kind": kind,
        "province_code": province_code,
        "kinds": OrganisationKind.choices,
        "provinces": provinces,
        "can_create": bool(can_create_organisation(request.user, next(iter(scope.province_ids), None))),
    }
    template = "accounts/_organisation_rows.html" if request.htmx else "accounts/organisation_list.html"
    return render(request, template, context)


def _organisation_or_404(request, org_id):
    organisation = selectors.organisation_get(user=request.user, pk=org_id)
    if organisation is None:
        raise Http404(_("Organisation not found."))
    return organisation


@login_required
def organisation_detail(request, org_id: int):
    organisation = _organisation_or_404(request, org_id)
    context = {
        "organisation": organisation,
        "members": selectors.organisation_members(organisation=organisation),
        "events": audit_events_for(organisation)[:50],
        "edit": can_edit_organisation(request.user, organisation),
    }
    return render(request, "accounts/organisation_detail.html", context)


@login_required
def organisation_edit(request, org_id: int):
    organisation = _organisation_or_404(request, org_id)
    decision = can_edit_organisation(request.user, organisation)
    if not decision:
        messages.error(request, decision.reason)
        return redirect("organisation_detail", org_id=organisation.pk)
    form = OrganisationForm.for_instance(organisation, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, data=data,
                version=form.cleaned_data["version"] or 0,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("organisation_detail", org_id=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def organisation_create(request):
    decision = can_create_organisation(request.user, next(iter(user_scope(request.user).province_ids), None))
    if not decision:
        messages.error(request, decision.reason)
        return redirect("organisation_list")
    form = OrganisationForm(data=request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            organisation = services.organisation_create(actor=request.user, data=data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Organisation created."))
            return redirect("organisation_detail", org_id=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": None})


@login_required
def login_lockouts(request):
    """The sign-in counters still running, for the system administrator, with a button to lift each lock."""
    try:
        rows = throttling.lockout_list(user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("home")
    return render(request, "accounts/lockouts.html", {"rows": rows, "limit": settings.AXES_FAILURE_LIMIT})


@login_required
@require_POST
def login_lockout_lift(request, attempt_id: int):
    try:
        throttling.login_lockout_lift(actor=request.user, attempt_id=attempt_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The lock is lifted: the account and the address can sign in again."))
    return redirect("login_lockouts")


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Asking for a password-reset link, with a budget per address and per e-mail address (`core.ratelimit`), so that
    nobody can flood a mailbox or probe addresses in bulk. Past the address's budget the page says so (429); past the
    e-mail address's budget the answer is the usual "link sent" page and nothing is sent, so it tells nothing about
    whether an account uses that address."""

    template_name = "accounts/password_reset_form.html"
    form_class = StyledPasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"

    def form_valid(self, form):
        limits = getattr(settings, "KC_PASSWORD_RESET_LIMITS", PASSWORD_RESET_LIMITS)
        address = throttling.client_ip(self.request) or "unknown"
        if ratelimit.over_limit("password-reset-address", address, limits["address"]):
            form.add_error(None, _("Too many requests for a password reset from this place. Try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        email = form.cleaned_data["email"].strip().lower()
        if ratelimit.over_limit("password-reset-email", email, limits["email"]):
            return redirect(self.get_success_url())
        return super().form_valid(form)
