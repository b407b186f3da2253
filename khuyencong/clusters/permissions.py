"""Who may change the cluster register: the DoIT (officers and managers) of the cluster's province, and the system
administrator; the KC centre links its projects to a cluster's infrastructure."""

from django.utils.translation import gettext as _

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import acting_decision, acting_province_ids
from khuyencong.core.permissions import Decision

from .flows import EDITORS

LINKERS = (*EDITORS, Role.CENTRE_STAFF)


def can_edit_cluster(user, province_id: int | None) -> Decision:
    return acting_decision(user, province_id, EDITORS, doing=_("manage the industrial clusters of the province"))


def can_link_project(user, province_id: int | None) -> Decision:
    return acting_decision(user, province_id, LINKERS, doing=_("link a KC project to a cluster's infrastructure"))


def can_create_somewhere(user) -> bool:
    ids = acting_province_ids(user, EDITORS)
    return ids is None or bool(ids)
