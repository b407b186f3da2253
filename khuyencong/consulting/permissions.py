"""Who reads consulting: centre staff, the DoIT, finance, the ministry (and viewers); not commune collaborators."""

from khuyencong.accounts.models import Role
from khuyencong.accounts.scope import holds_role

READERS = (Role.SYSTEM_ADMIN, Role.CENTRE_STAFF, Role.DOIT_OFFICER, Role.DOIT_MANAGER, Role.FINANCE_OFFICER,
           Role.MINISTRY_OFFICER, Role.VIEWER)


def reads_consulting(user) -> bool:
    return holds_role(user, *READERS)
