"""Users act for an organisation, in a role, within a geographic scope."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import TrackedModel
from khuyencong.geo.models import AdminUnit


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def get_short_name(self) -> str:
        return (self.full_name.split()[-1] if self.full_name else "") or self.username


class OrganisationKind(models.TextChoices):
    MINISTRY_AGENCY = "ministry_agency", _("Ministry agency (Cục ĐCK)")
    DOIT = "doit", _("Department of Industry and Trade")
    KC_CENTRE = "kc_centre", _("Provincial industrial promotion centre")
    COMMUNE_PC = "commune_pc", _("Commune People's Committee")
    OTHER = "other", _("Other")


class Organisation(TrackedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("official name"), max_length=250)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    name_folded = models.CharField(max_length=250, editable=False, db_index=True)
    province = models.ForeignKey(
        AdminUnit, verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="organisations", help_text=_("Empty for a national organisation."),
        limit_choices_to={"scheme": "current", "level": "province"},
    )
    commune = models.ForeignKey(
        AdminUnit, verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"scheme": "current", "level": "commune"},
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("governing body"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["province__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "kind", "name"], name="accounts_org_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.province_id is None


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    MINISTRY_OFFICER = "ministry_officer", _("Ministry officer")
    DOIT_OFFICER = "doit_officer", _("DoIT officer")
    DOIT_MANAGER = "doit_manager", _("DoIT manager")
    CENTRE_STAFF = "centre_staff", _("Centre staff")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    COLLABORATOR = "collaborator", _("Collaborator")
    VIEWER = "viewer", _("Viewer / auditor")


class ScopeLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("One province")
    COMMUNES = "communes", _("Listed communes")


class RoleAssignment(TrackedModel):
    """A user's role for an organisation within a scope. A user may hold several."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="assignments")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    scope_level = models.CharField(_("scope"), max_length=10, choices=ScopeLevel.choices)
    province = models.ForeignKey(
        AdminUnit, verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"scheme": "current", "level": "province"},
    )
    communes = models.ManyToManyField(
        AdminUnit, verbose_name=_("communes"), blank=True, related_name="+",
        limit_choices_to={"scheme": "current", "level": "commune"},
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope_level="national", province__isnull=True)
                | Q(scope_level__in=["province", "communes"], province__isnull=False),
                name="accounts_assignment_scope_province",
            ),
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="accounts_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class TokenRevocation(models.TextChoices):
    """Why a token stopped working before its expiry."""

    BY_USER = "revoked", _("revoked")
    PASSWORD_CHANGED = "password_changed", _("revoked: the password was changed")
    ACCOUNT_DISABLED = "account_disabled", _("revoked: the account was disabled")


class ApiToken(models.Model):
    """A per-user token for integrations; only its SHA-256 digest is stored.

    It works until `expires_at`, and only while the user is active and the user's password hash is the one it was
    issued under (`password_fingerprint`, see accounts/tokens.py): a password changed anywhere (the account page, a
    reset, the admin site, `set_password` in a shell) ends it."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("token"), max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    password_fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=20, choices=TokenRevocation.choices,
                                      blank=True, default="")

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
