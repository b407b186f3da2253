
from khuyencong.accounts.models import OrganisationKind
from khuyencong.testing.scope import ScopedCase, register, unscoped

from .factories import OrganisationFactory, province


def _make_organisation(code: int):
    prov = province(code)
    return OrganisationFactory(
        kind=OrganisationKind.KC_CENTRE, province=prov, name=f"Trung tâm thử phạm vi {prov.short_name} {code}",
    )


register(
    ScopedCase(
        name="organisation",
        make=_make_organisation,
        marker=lambda org: org.name,
        list_urls=["/organisations/", "/api/v1/organisations?limit=200"],
        detail_urls=lambda org: [f"/organisations/{org.pk}/", f"/organisations/{org.pk}/edit/",
                                 f"/api/v1/organisations/{org.pk}"],
        change_requests=lambda org: [
            ("POST", f"/organisations/{org.pk}/edit/", {"kind": org.kind, "name": "Bị sửa", "version": org.version}),
            ("PATCH", f"/api/v1/organisations/{org.pk}", {"version": org.version, "name": "Bị sửa"}),
        ],
        covers=["organisation_list", "organisation_detail", "organisation_edit", "api:organisation_list",
                "api:organisation_detail", "api:organisation_patch"],
    )
)

unscoped("login", "sign-in page")
unscoped("logout", "sign-out")
unscoped("password_change", "the user's own password")
unscoped("password_change_done", "the user's own password")
unscoped("profile", "the user's own account and tokens")
unscoped("api_token_create", "the user's own tokens")
unscoped("api_token_revoke", "the user's own tokens (others' give 404: test_services)")
unscoped("password_reset", "asks for a link by e-mail address; the same answer whether or not an account uses it")
unscoped("password_reset_done", "a fixed page")
unscoped("password_reset_confirm", "works only with the link's signed token for one account")
unscoped("password_reset_complete", "a fixed page")
unscoped("second_factor", "the user's own second factor")
unscoped("second_factor_enrol", "the user's own second factor")
unscoped("second_factor_verify", "the user's own second factor")
unscoped("second_factor_recovery_codes", "the user's own recovery codes, from the session")
unscoped("second_factor_recovery_renew", "the user's own recovery codes")
unscoped("second_factor_remove", "the user's own second factor")
unscoped("login_lockouts", "system administrators only (national): sign-in counters carry no province")
unscoped("login_lockout_lift", "system administrators only (test_authentication)")
unscoped("organisation_create", "creates only inside the user's scope (test_services: outside refused)")
unscoped("api:me", "the user's own roles")
unscoped("api:openapi-json", "the API schema")
unscoped("api:openapi-view", "the API docs page")
unscoped("api:api-root", "the API root")
unscoped("set_language", "language choice")
unscoped("home", "figures only, computed for the user's scope (web tests check them)")
