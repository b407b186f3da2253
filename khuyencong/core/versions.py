"""The optimistic version check of every editable record (`TrackedModel.version`).

A form and an API client carry the version they read; a write goes through only while the stored version is still
that one, so two people editing the same record cannot silently overwrite each other: the second is told, in
Vietnamese, and keeps what they typed.
"""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import Conflict


def version_conflict(what: str = "") -> Conflict:
    """The refusal of a stale write; `what` names the record ("collaborator", "event")."""
    if what:
        return Conflict(_("Someone else changed this %(what)s after you opened it. Reload to see their changes; your "
                          "input is kept below.") % {"what": what})
    return Conflict(_("Someone else changed this record after you opened it. Reload to see their changes; your "
                      "input is kept below."))


def versioned_update(obj, fields: dict, version: int | None, *, what: str = "", conflict: str = "",
                     **conditions) -> bool:
    """Writes `fields` to `obj` (and bumps its version) only if the stored version is still `version` and the extra
    `conditions` hold; raises Conflict otherwise. `obj` is updated in memory. Returns False when there was nothing to
    write. `version=None` skips the check (a system write)."""
    if not fields:
        return False
    filters = {"pk": obj.pk, **conditions}
    if version is not None:
        filters["version"] = version
    updated = type(obj)._default_manager.filter(**filters).update(
        **fields, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise Conflict(conflict) if conflict else version_conflict(what)
    for key, value in fields.items():
        setattr(obj, key, value)
    obj.version = (obj.version if version is None else version) + 1
    return True


def check_version(obj, version: int | None, *, what: str = "", conflict: str = "") -> None:
    """For a write that saves the locked row itself: refuses when the row's version is not the one the user read."""
    if version is not None and obj.version != version:
        raise Conflict(conflict) if conflict else version_conflict(what)
