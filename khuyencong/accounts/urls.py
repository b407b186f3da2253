from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import StyledPasswordChangeForm

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
    path("account/", views.profile, name="profile"),
    path("account/tokens/", views.api_token_create_view, name="api_token_create"),
    path("account/tokens/<int:token_id>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:org_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:org_id>/edit/", views.organisation_edit, name="organisation_edit"),
]
