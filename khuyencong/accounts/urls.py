from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor, views
from .forms import StyledPasswordChangeForm, StyledSetPasswordForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", form_class=StyledPasswordChangeForm
        ),
        name="password_change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password-reset/",
        views.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html", form_class=StyledSetPasswordForm
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("account/2fa/", two_factor.second_factor, name="second_factor"),
    path("account/2fa/enrol/", two_factor.second_factor_enrol, name="second_factor_enrol"),
    path("account/2fa/verify/", two_factor.second_factor_verify, name="second_factor_verify"),
    path("account/2fa/recovery/", two_factor.second_factor_recovery_codes, name="second_factor_recovery_codes"),
    path("account/2fa/recovery/renew/", two_factor.recovery_codes_renew, name="second_factor_recovery_renew"),
    path("account/2fa/remove/", two_factor.second_factor_remove, name="second_factor_remove"),
    path("account/lockouts/", views.login_lockouts, name="login_lockouts"),
    path("account/lockouts/<int:attempt_id>/lift/", views.login_lockout_lift, name="login_lockout_lift"),
    path("account/", views.profile, name="profile"),
    path("account/tokens/", views.api_token_create_view, name="api_token_create"),
    path("account/tokens/<int:token_id>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:org_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:org_id>/edit/", views.organisation_edit, name="organisation_edit"),
]
