"""Writes for organisations and API tokens. Every write is permission-checked, atomic and audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput, NotFound, PermissionDenied
from khuyencong.core.text import fold, normalize_text
from khuyencong.core.versions import versioned_update
from khuyencong.geo.models import AdminUnit

from .models import ApiToken, Organisation, OrganisationKind, TokenRevocation, User
from .permissions import can_create_organisation, can_edit_organisation
from .tokens import (
    TOKEN_PREFIX_LEN,
    default_lifetime,
    expiry_for,
    fingerprint_matches,
    is_hash_upgrade,
    lifetime_choices,
    new_raw_token,
    password_fingerprint,
    token_digest,
)

ORGANISATION_FIELDS = ("kind", "name", "short_name", "province", "commune", "parent", "address", "phone", "email",
                       "is_active")


def _clean_organisation_data(data: dict) -> dict:
    clean = dict(data)
    for key in ("name", "short_name", "address", "phone", "email"):
        if key in clean:
            clean[key] = normalize_text(clean[key])
            try:  # length and e-mail format, with Django's own (translated) messages, before the database refuses
                Organisation._meta.get_field(key).run_validators(clean[key])
            except ValidationError as exc:
                raise InvalidInput(" ".join(exc.messages), field=key)
    if "name" in clean and not clean["name"]:
        raise InvalidInput(_("The official name is required."), field="name")
    if "kind" in clean and clean["kind"] not in OrganisationKind.values:
        raise InvalidInput(_("Unknown organisation kind."), field="kind")
    province = clean.get("province")
    if province is not None and (province.scheme != "current" or province.level != "province"):
        raise InvalidInput(_("The province must be one of today's 34 provinces."), field="province")
    commune = clean.get("commune")
    if commune is not None:
        if commune.scheme != "current" or commune.level != "commune":
            raise InvalidInput(_("The commune must be one of today's communes."), field="commune")
        if province is not None and commune.parent_id != province.pk:
            raise InvalidInput(_("The commune is not in the chosen province."), field="commune")
    if clean.get("kind") == OrganisationKind.MINISTRY_AGENCY and province is not None:
        raise InvalidInput(_("A ministry agency is national: leave the province empty."), field="province")
    if clean.get("kind") in (OrganisationKind.DOIT, OrganisationKind.KC_CENTRE, OrganisationKind.COMMUNE_PC) \
            and "province" in clean and province is None:
        raise InvalidInput(_("A provincial organisation needs its province."), field="province")
    return clean


def organisation_create(*, actor: User, data: dict) -> Organisation:
    """Registers an organisation (a DoIT, a KC centre, a commune People's Committee…) in the directory."""
    # A missing name, kind or province is checked like an empty one.
    data = _clean_organisation_data({"name": "", "kind": "", "province": None, **data})
    province: AdminUnit | None = data.get("province")
    decision = can_create_organisation(actor, province.pk if province else None)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        if Organisation.objects.filter(province=province, kind=data["kind"], name=data["name"]).exists():
            raise InvalidInput(_("An organisation with this name already exists in this province."), field="name")
        organisation = Organisation(**{k: v for k, v in data.items() if k in ORGANISATION_FIELDS})
        organisation.name_folded = fold(organisation.name)
        organisation.save()
        audit_record(actor=actor, action="organisation.create", obj=organisation,
                     changes={k: [None, v] for k, v in data.items()})
    return organisation


def organisation_update(*, actor: User, organisation: Organisation, data: dict, version: int) -> Organisation:
    """Edits an organisation; refuses if someone else saved it since `version` was read."""
    decision = can_edit_organisation(actor, organisation)
    if not decision:
        raise PermissionDenied(decision.reason)
    data = _clean_organisation_data({k: v for k, v in data.items() if k in ORGANISATION_FIELDS})
    if "province" in data:
        target = data["province"]
        moved = can_create_organisation(actor, target.pk if target else None)
        if not moved:
            raise PermissionDenied(moved.reason)
    if "province" in data or "commune" in data:
        province = data.get("province", organisation.province)
        commune = data.get("commune", organisation.commune)
        if commune is not None and province is not None and commune.parent_id != province.pk:
            raise InvalidInput(_("The commune is not in the chosen province."), field="commune")
    with transaction.atomic():
        changes = field_changes(organisation, data)
        if not changes:
            return organisation
        if {"province", "kind", "name"} & changes.keys():
            same = {k: data.get(k, getattr(organisation, k)) for k in ("province", "kind", "name")}
            if Organisation.objects.filter(**same).exclude(pk=organisation.pk).exists():
                raise InvalidInput(_("An organisation with this name already exists in this province."), field="name")
        for key, value in data.items():
            setattr(organisation, key, value)
        organisation.name_folded = fold(organisation.name)
        versioned_update(organisation, {**{k: getattr(organisation, k) for k in data},
                                        "name_folded": organisation.name_folded}, version, conflict=_(
            "Someone else changed this organisation after you opened it. Reload to see their changes; your input "
            "is kept below."))
        organisation.refresh_from_db()
        audit_record(actor=actor, action="organisation.update", obj=organisation, changes=changes)
    return organisation


def api_token_create(*, actor: User, user: User, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Issues an API token for integrations, valid for `days` (one of `tokens.lifetime_choices()`; 90 by default).
    The raw token is returned once; only its digest is kept."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(_("You can only create tokens for yourself."))
    if not user.is_active:
        raise InvalidInput(_("The account is disabled."))
    days = default_lifetime() if days is None else days
    choices = lifetime_choices()
    if days not in choices:
        raise InvalidInput(
            _("A token is valid for %(choices)s days.") % {"choices": ", ".join(str(d) for d in choices)},
            field="days",
        )
    raw = new_raw_token()
    with transaction.atomic():
        # The password as stored now, not as `user` was read: a token must not be issued under a password just
        # replaced (the account page's user object may predate a change made in another tab or by an administrator).
        stored = User.objects.select_for_update().only("password", "is_active").get(pk=user.pk)
        if not stored.is_active:
            raise InvalidInput(_("The account is disabled."))
        token = ApiToken.objects.create(
            user=user, name=normalize_text(name)[:100], prefix=raw[:TOKEN_PREFIX_LEN + 3], digest=token_digest(raw),
            password_fingerprint=password_fingerprint(stored), expires_at=expiry_for(days),
        )
        # The prefix identifies the token on the account page; neither the token nor its digest is recorded.
        audit_record(actor=actor, action="api_token.create", obj=token, changes={
            "user": [None, user.username], "name": [None, token.name], "expires_at": [None, token.expires_at],
        })
    return token, raw


def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """The owner (or a system administrator) withdraws a token: it stops working at once."""
    token = ApiToken.objects.filter(pk=token_id).select_related("user").first()
    if token is None or (token.user_id != actor.pk and not actor.is_superuser):
        raise NotFound(_("Token not found."))
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_reason = TokenRevocation.BY_USER
            token.save(update_fields=["revoked_at", "revoked_reason"])
            audit_record(actor=actor, action="api_token.revoke", obj=token,
                         changes={"revoked_reason": [None, token.revoked_reason]})
    return token


def api_tokens_revoke_stale(*, user: User) -> list[ApiToken]:
    """Marks revoked the user's tokens that its account no longer allows: all of them once the user is disabled,
    those issued under another password once it changed. The API refuses them already (`tokens.token_state`); this
    records why, for the account page and the audit trail, and keeps them revoked if the account is enabled again.
    Called whenever a user's password or active flag is saved (accounts/token_signals.py), so it has no actor."""
    live = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    if user.is_active:
        stale = [t for t in live if not fingerprint_matches(t, user)]
        reason = TokenRevocation.PASSWORD_CHANGED
    else:
        stale, reason = live, TokenRevocation.ACCOUNT_DISABLED
    if not stale:
        return []
    now = timezone.now()
    with transaction.atomic():
        ApiToken.objects.filter(pk__in=[t.pk for t in stale], revoked_at__isnull=True).update(
            revoked_at=now, revoked_reason=reason)
        for token in stale:
            token.revoked_at, token.revoked_reason = now, reason
            audit_record(actor=None, action="api_token.revoke", obj=token, changes={"revoked_reason": [None, reason]})
    return stale


def api_tokens_follow_hash_upgrade(*, user: User, old_hash: str) -> int:
    """Django re-hashed the user's (unchanged) password at sign-in: the tokens issued under the old hash are
    re-stamped with the new one. Tokens already stale stay so. Nothing is audited: nothing changed for the user."""
    if not is_hash_upgrade(old_hash):
        return 0
    old = User(password=old_hash)
    matching = [t.pk for t in ApiToken.objects.filter(user=user, revoked_at__isnull=True)
                if fingerprint_matches(t, old)]
    return ApiToken.objects.filter(pk__in=matching).update(password_fingerprint=password_fingerprint(user))
