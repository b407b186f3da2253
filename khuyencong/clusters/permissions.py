"""Who may change the cluster register: the DoIT (officers and managers) of the cluster's province, and the system
administrator; the KC centre links its projects to a cluster's infrastructure. A tenant's or an investor's own
account (`ClusterAccount`) fills and submits only its own Biểu 01 or 02."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import acting_decision, acting_province_ids, role_permission, user_scope
from khuyencong.core.permissions import ALLOW, Decision, deny

from .flows import EDITORS
from .models import FormKind

LINKERS = (*EDITORS, Role.CENTRE_STAFF)


def can_edit_cluster(user, province_id: int | None) -> Decision:
    return acting_decision(user, province_id, EDITORS, doing=_("manage the industrial clusters of the province"))


def can_link_project(user, province_id: int | None) -> Decision:
    return acting_decision(user, province_id, LINKERS, doing=_("link a KC project to a cluster's infrastructure"))


def can_create_somewhere(user) -> bool:
    ids = acting_province_ids(user, EDITORS)
    return ids is None or bool(ids)


def account_of(user):
    """The cluster reporting account the user signs in with (a tenant or the investor), or None."""
    if not getattr(user, "is_authenticated", False) or user_scope(user).role_places:
        return None  # an account holds no role: staff cost no query here (the scope is read once per request)
    if not hasattr(user, "_kc_cluster_account"):
        try:
            user._kc_cluster_account = user.cluster_account
        except ObjectDoesNotExist:
            user._kc_cluster_account = None
    return user._kc_cluster_account


# The menu entry of those accounts (web/navigation.py shows it to them alone).
MY_FORMS_MENU = pgettext_lazy("menu", "My report forms")


def has_cluster_account(user) -> bool:
    return account_of(user) is not None


def can_fill_form(user, cluster, form: str, tenant) -> Decision:
    """DoIT staff of the province fill any form of the cluster; a tenant's account only its own Biểu 01, the
    investor's account only the cluster's Biểu 02."""
    account = account_of(user)
    if account is None:
        return can_edit_cluster(user, cluster.province_id)
    own = account.cluster_id == cluster.pk and account.form == form and (
        form == FormKind.INVESTOR or (tenant is not None and account.tenant_id == tenant.pk))
    return ALLOW if own else deny(_("This account fills only its own form of its own cluster."))


def form_permission(flow, report, user, row) -> Decision:
    """The flow of Biểu 01/02: the roles of the row in the cluster's province; the form's own account may submit it."""
    account = account_of(user)
    if account is not None:
        own = account.cluster_id == report.cluster_id and account.form == report.form and (
            report.form == FormKind.INVESTOR or account.tenant_id == report.tenant_id)
        return ALLOW if own and row.action == "submit" else deny(
            _("This account fills only its own form of its own cluster."))
    return role_permission(flow, report, user, row)
