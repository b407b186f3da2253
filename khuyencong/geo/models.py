"""Administrative units of both schemes and the succession between them.

Identity is (scheme, level, code): province code 80 is Long An in the legacy scheme and Tây Ninh in the
current one. Attributes that change over time (a province becoming a centrally-run city) live in
AdminUnitPeriod rows; the unit row holds today's values.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

REFORM_DATE = datetime.date(2025, 7, 1)
LEGACY_END = datetime.date(2025, 6, 30)


class Scheme(models.TextChoices):
    CURRENT = "current", _("Current (since 1/7/2025)")
    LEGACY = "legacy", _("Legacy (before 1/7/2025)")


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class UnitKind(models.TextChoices):
    PROVINCE = "tinh", _("Province (tỉnh)")
    CITY = "thanh_pho_tw", _("Centrally-run city")
    URBAN_DISTRICT = "quan", _("Urban district (quận)")
    RURAL_DISTRICT = "huyen", _("Rural district (huyện)")
    TOWN = "thi_xa", _("Town (thị xã)")
    PROVINCIAL_CITY = "thanh_pho", _("Provincial city")
    COMMUNE = "xa", _("Commune (xã)")
    WARD = "phuong", _("Ward (phường)")
    TOWNLET = "thi_tran", _("Township (thị trấn)")
    SPECIAL_ZONE = "dac_khu", _("Special zone (đặc khu)")


class AdminUnitQuerySet(models.QuerySet):
    def current(self):
        return self.filter(scheme=Scheme.CURRENT)

    def legacy(self):
        return self.filter(scheme=Scheme.LEGACY)

    def provinces(self):
        return self.filter(level=Level.PROVINCE)

    def communes(self):
        return self.filter(level=Level.COMMUNE)


class AdminUnit(models.Model):
    scheme = models.CharField(_("scheme"), max_length=10, choices=Scheme.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.PositiveIntegerField(_("code"))
    kind = models.CharField(_("type"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=120)  # "Tỉnh Lai Châu", "Phường Ba Đình"
    short_name = models.CharField(_("short name"), max_length=100)  # "Lai Châu", "Ba Đình"
    name_folded = models.CharField(max_length=120, db_index=True)  # "lai chau": accent-insensitive lookup
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    province = models.ForeignKey(
        "self", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["scheme", "level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "level", "code"], name="geo_unit_identity"),
        ]
        indexes = [
            models.Index(fields=["scheme", "level", "name_folded"], name="geo_unit_lookup_idx"),
            models.Index(fields=["scheme", "level", "parent"], name="geo_unit_children_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def code_str(self) -> str:
        """The official zero-padded code: "12" for Lai Châu, "00004" for a commune."""
        width = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}[self.level]
        return f"{self.code:0{width}d}"

    def period_on(self, on_date: datetime.date) -> "AdminUnitPeriod | None":
        for period in self.periods.all():
            if period.covers(on_date):
                return period
        return None

    def kind_on(self, on_date: datetime.date) -> str:
        """The unit's type on a date (Đồng Nai: province until 29/4/2026, centrally-run city after)."""
        period = self.period_on(on_date)
        return period.kind if period else self.kind

    def name_on(self, on_date: datetime.date) -> str:
        period = self.period_on(on_date)
        return period.name if period else self.name


class AdminUnitPeriod(models.Model):
    """A span of time during which a unit had a given type and name."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(_("type"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=120)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit period")
        verbose_name_plural = _("unit periods")
        ordering = ["unit", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["unit", "valid_from"], name="geo_period_start")]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y}–{self.valid_to or ''})"

    def covers(self, on_date: datetime.date) -> bool:
        return self.valid_from <= on_date and (self.valid_to is None or on_date <= self.valid_to)


class Succession(models.Model):
    """A legacy unit's territory that passed (whole or in part) to a current unit on 1/7/2025."""

    legacy = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successors")
    current = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="predecessors")
    partial = models.BooleanField(
        _("partial"), default=False, help_text=_("Only part of the legacy unit went to this current unit.")
    )
    effective_date = models.DateField(_("effective date"), default=REFORM_DATE)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [models.UniqueConstraint(fields=["legacy", "current"], name="geo_succession_pair")]

    def __str__(self) -> str:
        return f"{self.legacy} → {self.current}{' (một phần)' if self.partial else ''}"


class DatasetVersion(models.Model):
    """Which version of the administrative-unit data is loaded, so reloading can be skipped."""

    name = models.CharField(max_length=50, unique=True)
    version = models.CharField(max_length=50)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
