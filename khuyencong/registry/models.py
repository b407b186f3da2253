"""The registry of rural industrial establishments (cơ sở công nghiệp nông thôn, CNNT), craft villages and artisans.

Every other module (projects, collaborators, trainings, study tours, reports) points at these records.
An establishment sits on a current commune; when its data came from an address before 1/7/2025 the legacy unit is
kept beside it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import TrackedModel
from khuyencong.geo.models import AdminUnit
from khuyencong.rules.models import EntityType, FundSource, SmeSize

CURRENT_COMMUNE = {"scheme": "current", "level": "commune"}
CURRENT_PROVINCE = {"scheme": "current", "level": "province"}
MAX_EMPLOYEES = 1_000_000  # beyond any establishment of the registry, far below the database's integer limit


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class EstablishmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Sector(models.Model):
    """A KC sector of Decree 45/2012 Art 5 as amended by Decree 235/2025 (loaded from data/sectors.json)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=250)
    basis = models.CharField(_("legal basis"), max_length=200)
    mark = models.CharField(_("verification"), max_length=12, default="verified")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class CraftVillage(TrackedModel):
    """A craft village (làng nghề); recognised when the provincial People's Committee decided so."""

    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    commune = models.ForeignKey(AdminUnit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+",
                                limit_choices_to=CURRENT_COMMUNE)
    crafts = models.CharField(_("crafts"), max_length=250, blank=True)
    recognition_decision = models.CharField(_("recognition decision"), max_length=120, blank=True)
    recognition_date = models.DateField(_("recognition date"), null=True, blank=True)

    class Meta:
        verbose_name = _("craft village")
        verbose_name_plural = _("craft villages")
        ordering = ["province__code", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="registry_village_unique")]

    def __str__(self) -> str:
        return self.name

    def recognised_on(self, on_date) -> bool:
        recognised = self.recognition_date
        return bool(self.recognition_decision) and recognised is not None and recognised <= on_date


class Establishment(TrackedModel):
    name = models.CharField(_("name"), max_length=250)
    entity_type = models.CharField(_("entity type"), max_length=20, choices=EntityType.choices)
    sme_size = models.CharField(_("enterprise size"), max_length=10, choices=SmeSize.choices, blank=True)
    tax_code = models.CharField(_("tax code"), max_length=14, null=True, blank=True, unique=True)
    business_reg_no = models.CharField(_("business registration number"), max_length=40, blank=True)
    business_reg_date = models.DateField(_("business registration date"), null=True, blank=True)
    representative = models.CharField(_("representative"), max_length=150, blank=True)
    representative_gender = models.CharField(_("representative's gender"), max_length=10, choices=Gender.choices,
                                             blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    woman_owned = models.BooleanField(_("owned by a woman"), default=False)
    ethnic_minority = models.BooleanField(_("owned by or employing ethnic minorities"), default=False)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="establishments")
    vsic_code = models.CharField(_("VSIC code"), max_length=10, blank=True)
    main_products = models.CharField(_("main products"), max_length=300, blank=True)
    ocop_stars = models.PositiveSmallIntegerField(_("OCOP stars"), null=True, blank=True)
    craft_village = models.ForeignKey(CraftVillage, verbose_name=_("craft village"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="establishments")
    cleaner_production = models.BooleanField(_("applies cleaner production"), default=False)
    address = models.CharField(_("address (village, street)"), max_length=300, blank=True)
    commune = models.ForeignKey(AdminUnit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+",
                                limit_choices_to=CURRENT_COMMUNE)
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    legacy_unit = models.ForeignKey(AdminUnit, verbose_name=_("former unit (before 1/7/2025)"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    legacy_address = models.CharField(_("address as recorded before 1/7/2025"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EstablishmentStatus.choices,
                              default=EstablishmentStatus.ACTIVE)
    # Derived, kept for filters and search; refreshed by the services on every write.
    name_folded = models.CharField(max_length=250, editable=False)
    search_text = models.TextField(editable=False, default="")
    eligible = models.BooleanField(_("eligible (CNNT)"), null=True, editable=False)
    eligibility_checked_on = models.DateField(null=True, editable=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, editable=False, on_delete=models.PROTECT,
                                    related_name="merged_from")

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["name_folded", "id"]
        indexes = [
            models.Index(fields=["name_folded", "id"], name="registry_est_name"),  # national lists, in order
            models.Index(fields=["province", "name_folded"], name="registry_est_prov_name"),
            models.Index(fields=["commune", "name_folded"], name="registry_est_commune_name"),
            models.Index(fields=["province", "entity_type"], name="registry_est_prov_type"),
            models.Index(fields=["province", "eligible"], name="registry_est_prov_elig"),
            # identity of a beneficiary by its registration number (the double-support checks, merges)
            models.Index(fields=["business_reg_no"], name="registry_est_reg_no"),
            # reporting: "establishments in the registry" by province, an index-only count of the open records
            models.Index(fields=["province", "commune", "id"], name="registry_est_open_prov",
                         condition=Q(merged_into__isnull=True) & ~Q(status="closed")),
        ]

    @property
    def operating(self) -> bool:
        """Active (not suspended or closed): the lists mark the others."""
        return self.status == EstablishmentStatus.ACTIVE

    def __str__(self) -> str:
        return self.name

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class Artisan(TrackedModel):
    class Title(models.TextChoices):
        PEOPLE = "people", _("People's Artisan (Nghệ nhân nhân dân)")
        MERITORIOUS = "meritorious", _("Meritorious Artisan (Nghệ nhân ưu tú)")
        OTHER = "other", _("Other recognised artisan")

    full_name = models.CharField(_("full name"), max_length=150)
    title = models.CharField(_("title"), max_length=20, choices=Title.choices)
    recognition_year = models.PositiveSmallIntegerField(_("year recognised"), null=True, blank=True)
    crafts = models.CharField(_("crafts"), max_length=200, blank=True)
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    establishments = models.ManyToManyField(Establishment, verbose_name=_("establishments"), blank=True,
                                            related_name="artisans")

    class Meta:
        verbose_name = _("artisan")
        verbose_name_plural = _("artisans")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class SupportRecord(TrackedModel):
    """A KC support the establishment received, entered by hand or imported from the centre's past lists.

    Projects approved in this system add their own rows (source "project") when that module lands.
    """

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        IMPORT = "import", _("Imported")

    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="supports")
    year = models.PositiveSmallIntegerField(_("year"))
    fund = models.CharField(_("fund"), max_length=10, choices=FundSource.choices)
    content_code = models.CharField(_("content"), max_length=60, blank=True)
    description = models.CharField(_("description"), max_length=300)
    amount = models.BigIntegerField(_("support (đồng)"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        verbose_name = _("support received")
        verbose_name_plural = _("supports received")
        ordering = ["-year", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0) | Q(amount__isnull=True),
                                              name="registry_support_amount_positive")]

    def __str__(self) -> str:
        return f"{self.year}: {self.description}"


class EstablishmentMerge(models.Model):
    """A merge of a duplicate into the record kept; the duplicate's data stays as a snapshot for review."""

    survivor = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="merges")
    merged = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(default=dict)
    moved = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"#{self.merged_id} → #{self.survivor_id}"


class ImportJob(models.Model):
    """An upload of an establishment spreadsheet: validated first (preview), then imported in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        VALIDATING = "validating", _("Checking")
        VALIDATED = "validated", _("Checked, waiting for confirmation")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=250)
    province = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The last sign of life of the worker holding it: every save and every progress step (core.jobs reaps a job
    # left running without progress).
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    good_rows = models.BooleanField(default=False)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    splits = models.JSONField(default=list, blank=True)  # rows whose legacy commune was split: candidates to choose
    choices = models.JSONField(default=dict, blank=True)  # row number → chosen current commune id
    result = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def progress_percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def running(self) -> bool:
        """The worker is still reading or writing it: the page follows its progress."""
        return self.status in (self.Status.PENDING, self.Status.VALIDATING, self.Status.IMPORTING)

    @property
    def writing(self) -> bool:
        return self.status == self.Status.IMPORTING

    @property
    def awaiting_confirmation(self) -> bool:
        """Checked: the user confirms which rows to import (and where a divided commune's rows go)."""
        return self.status == self.Status.VALIDATED

    @property
    def counted(self) -> bool:
        """Its rows are counted (valid, with errors): checked or imported."""
        return self.status in (self.Status.VALIDATED, self.Status.DONE)

    @property
    def done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def failed(self) -> bool:
        return self.status == self.Status.FAILED
