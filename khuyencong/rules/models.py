"""Legal rules as versioned data: the KC content catalogue, support rates, eligibility clauses, calendar deadlines,
advance rules and approval authorities.

Every rule row carries its legal basis (instrument and article), the dates it is in force (effective_to may be open),
its scope (national, or a current province code for a province's own rule) and how well the fact is verified (✅ read in
the legal text / ⚠️ a secondary source / ❓ the sources are silent). Rows for the same scope and item must not overlap
in time: for any date there is at most one answer. A project keeps the rules in force on the date it was approved, so
callers always pass a date.

Rows come from `khuyencong/rules/data/*.json` (`manage.py load_rules`) and may be edited in the admin by a system
administrator; a row edited there is marked `origin=admin` and the loader no longer overwrites it.
"""

import calendar
import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import TrackedModel

# --- vocabularies -------------------------------------------------------------------------------------------------


class Mark(models.TextChoices):
    """How the fact was verified: ✅ read in the primary legal text, ⚠️ from a secondary source (press, a provincial
    resolution quoting the rule) or an instrument whose status is not confirmed, ❓ the sources are silent."""

    VERIFIED = "verified", _("Verified (primary text)")
    SECONDARY = "secondary", _("Secondary source")
    UNVERIFIED = "unverified", _("Unverified")


MARK_SYMBOLS = {Mark.VERIFIED: "✅", Mark.SECONDARY: "⚠️", Mark.UNVERIFIED: "❓"}


class RowOrigin(models.TextChoices):
    """Where a rule row's values come from: the data file, or an edit in the admin (kept over the file)."""

    FILE = "file", _("Data file")
    ADMIN = "admin", _("Edited in the admin")


class FundSource(models.TextChoices):
    NATIONAL = "national", _("National KC fund")
    LOCAL = "local", _("Local KC fund")


class RateUnit(models.TextChoices):
    """What one cap amount is counted per."""

    MODEL = "model", _("per model")
    ESTABLISHMENT = "establishment", _("per establishment")
    ENTERPRISE = "enterprise", _("per enterprise")
    BRAND = "brand", _("per brand")
    ROUND = "round", _("per round")
    PRODUCT = "product", _("per product")
    CLUSTER = "cluster", _("per industrial cluster")
    LINKAGE_CLUSTER = "linkage_cluster", _("per business linkage cluster")
    ASSOCIATION = "association", _("per association")
    PERSON = "person", _("per person")
    PROJECT = "project", _("per project")


class EntityType(models.TextChoices):
    SME = "sme", _("Small or medium enterprise")
    COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
    COOPERATIVE = "cooperative", _("Cooperative")
    COOPERATIVE_UNION = "cooperative_union", _("Union of cooperatives")
    HOUSEHOLD = "household", _("Household business")
    OTHER = "other", _("Other (large enterprise or other)")


class SmeSize(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")


# The law's own words, used inside the Vietnamese reason sentences of eligibility rules (domain data, not UI text).
ENTITY_NAMES_VI = {
    "sme": "doanh nghiệp nhỏ và vừa",
    "cooperative_group": "tổ hợp tác",
    "cooperative": "hợp tác xã",
    "cooperative_union": "liên hiệp hợp tác xã",
    "household": "hộ kinh doanh",
    "other": "doanh nghiệp lớn hoặc loại hình khác",
}
SME_SIZE_NAMES_VI = {"micro": "siêu nhỏ", "small": "nhỏ", "medium": "vừa"}
UNIT_KIND_NAMES_VI = {
    "tinh": "tỉnh",
    "thanh_pho_tw": "thành phố trực thuộc trung ương",
    "xa": "xã",
    "phuong": "phường",
    "dac_khu": "đặc khu",
    "thi_tran": "thị trấn",
    "quan": "quận",
    "huyen": "huyện",
    "thi_xa": "thị xã",
    "thanh_pho": "thành phố thuộc tỉnh",
}


class EligibilityOutcome(models.TextChoices):
    INCLUDE = "include", _("Eligible")
    EXCLUDE = "exclude", _("Not eligible")
    REVIEW = "review", _("Needs manual review")


class DeadlineKind(models.TextChoices):
    FIXED = "fixed", _("Fixed date relative to the plan year")
    MONTHLY = "monthly", _("Every month")
    AFTER_EVENT = "after_event", _("Days after an event")


class AdvanceKind(models.TextChoices):
    FIRST_ADVANCE = "first_advance", _("First advance")
    TREASURY_CAP = "treasury_cap", _("Treasury cap on advances")


class RuleProjectKind(models.TextChoices):
    """The project kinds an authority rule tells apart (TT 36/2013/TT-BCT Điều 2)."""

    STANDARD = "standard", _("Project for a named beneficiary")
    FLAGSHIP = "flagship", _("Flagship project")
    GROUP = "group", _("Group project")


class AuthorityMatter(models.TextChoices):
    """The matters whose deciding authority the rules name: changes to an approved national plan
    (TT 36/2013/TT-BCT Điều 11) and a few time-bounded powers."""

    INCREASE_BUDGET = "increase_budget", _("Increase the total support")
    CHANGE_CONTENT = "change_content", _("Change the KC content")
    EXTEND_NEXT_YEAR = "extend_next_year", _("Extend into the next year")
    ADD_PROJECT = "add_project", _("Add a project")
    STOP_PROJECT = "stop_project", _("Stop a project")
    CHANGE_LOCATION = "change_location", _("Change the location")
    CHANGE_BENEFICIARY = "change_beneficiary", _("Change the beneficiary")
    CHANGE_PARTNER = "change_partner", _("Change the partner")
    CHANGE_TIMING = "change_timing", _("Change the timing within the budget year")
    REDUCE_BUDGET = "reduce_budget", _("Reduce or keep the total support")
    OTHER_CHANGE = "other_change", _("Other changes")
    APPROVE_PROGRAMME = "approve_programme", _("Approve the national KC programme")
    CCN_INFRASTRUCTURE_SUPPORT = "ccn_infrastructure_support", _("Decide support for cluster infrastructure")


# --- the common shape of a rule row -------------------------------------------------------------------------------


class RuleRow(TrackedModel):
    """A rule with its citation, validity and verification mark.

    `overlap_fields` names the fields that identify "the same scope and item": two rows agreeing on all of them may
    not be in force on the same day.
    """

    overlap_fields: tuple[str, ...] = ()

    key = models.CharField(
        _("stable key"), max_length=120, unique=True, blank=True,
        help_text=_("Identifies the row across reloads of the data file; filled in automatically when empty."),
    )
    basis = models.CharField(_("legal basis"), max_length=300, help_text=_("Instrument number and article."))
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True, help_text=_("Empty: open-ended."))
    province_code = models.PositiveSmallIntegerField(
        _("province code"), null=True, blank=True, help_text=_("Empty for a national rule; a current province code.")
    )
    mark = models.CharField(_("verification"), max_length=12, choices=Mark.choices, default=Mark.UNVERIFIED)
    note = models.TextField(_("note"), blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=RowOrigin.choices, default=RowOrigin.FILE,
                              editable=False)

    class Meta:
        abstract = True

    @property
    def mark_symbol(self) -> str:
        return MARK_SYMBOLS.get(self.mark, "")

    @property
    def is_national(self) -> bool:
        return self.province_code is None

    def covers(self, on_date: datetime.date) -> bool:
        return self.effective_from <= on_date and (self.effective_to is None or on_date <= self.effective_to)

    def overlaps(self, other: "RuleRow") -> bool:
        """Whether the two validity intervals share a day (both ends inclusive, None = open)."""
        starts_before_other_ends = other.effective_to is None or self.effective_from <= other.effective_to
        other_starts_before_self_ends = self.effective_to is None or other.effective_from <= self.effective_to
        return starts_before_other_ends and other_starts_before_self_ends

    def overlap_key(self) -> tuple:
        return tuple(getattr(self, f"{name}_id", None) if self._is_fk(name) else getattr(self, name)
                     for name in self.overlap_fields)

    @classmethod
    def _is_fk(cls, name: str) -> bool:
        return isinstance(cls._meta.get_field(name), models.ForeignKey)

    def validate_rule(self) -> None:
        """Checks that need no database: the dates' order and the row's own consistency."""
        if self.effective_to is not None and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError(
                {"effective_to": gettext("The end of validity cannot be before its start.")}
            )

    def overlapping_rows(self) -> models.QuerySet:
        """Stored rows of the same scope and item whose validity shares a day with this row."""
        lookup = {}
        for name in self.overlap_fields:
            attname = f"{name}_id" if self._is_fk(name) else name
            lookup[attname] = getattr(self, attname)
        qs = type(self).objects.filter(**lookup)
        if self.effective_to is not None:
            qs = qs.filter(effective_from__lte=self.effective_to)
        qs = qs.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from))
        if self.pk:
            qs = qs.exclude(pk=self.pk)
        return qs

    def clean(self) -> None:
        if not self.key:
            # Rows created in the admin get a key of their own so a reload of the data file never matches them.
            self.key = f"admin-{uuid.uuid4().hex[:16]}"
        self.validate_rule()
        if not self.overlap_fields or self.effective_from is None:
            return
        clash = self.overlapping_rows().first()
        if clash is not None:
            raise ValidationError(overlap_message(self, clash))


def _dmy(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def overlap_message(row: RuleRow, clash: RuleRow) -> str:
    return gettext(
        "The validity %(start)s–%(end)s overlaps the rule “%(basis)s” (%(other_start)s–%(other_end)s) for the same "
        "scope and item. End one rule before the other starts."
    ) % {
        "start": _dmy(row.effective_from),
        "end": _dmy(row.effective_to),
        "basis": clash.basis,
        "other_start": _dmy(clash.effective_from),
        "other_end": _dmy(clash.effective_to),
    }


def _validity_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")), name=name
    )


# --- content catalogue --------------------------------------------------------------------------------------------


class ContentGroup(RuleRow):
    """A group of KC contents: the nine groups of Decree 45/2012 Art 4, and the additions of Decree 235/2025."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("content group")
        verbose_name_plural = _("content groups")
        ordering = ["sort_order", "code"]
        constraints = [_validity_constraint("rules_group_validity")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class ContentItem(RuleRow):
    """One KC activity content with a stable code (`machinery`, `demo_model_new`…) used by rates, projects, reports.

    The code is unique: rates, projects and reports refer to it. A content's validity says from when the law lists it
    (the contents added by Decree 235/2025 start on 15/10/2025).
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=400)
    group = models.ForeignKey(ContentGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="items")
    version_tag = models.CharField(_("catalogue version"), max_length=20, help_text=_("ND45-2012 or ND235-2025."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("KC content")
        verbose_name_plural = _("KC contents")
        ordering = ["group__sort_order", "sort_order", "code"]
        constraints = [_validity_constraint("rules_content_validity")]

    def __str__(self) -> str:
        return self.name


# --- support rates ------------------------------------------------------------------------------------------------


class SupportRate(RuleRow):
    """The most a KC fund may pay for one content: a percentage of the eligible cost and a cap per unit.

    support = min(floor(max_percent × eligible cost), cap × priority multiplier). A missing percentage means the text
    states only an amount (the support then cannot exceed the cost itself); a missing cap means only a percentage.
    """

    overlap_fields = ("content", "fund", "province_code", "variant")

    content = models.ForeignKey(ContentItem, verbose_name=_("content"), on_delete=models.PROTECT, related_name="rates")
    fund = models.CharField(_("fund"), max_length=10, choices=FundSource.choices)
    variant = models.SlugField(
        _("variant"), max_length=40, blank=True, help_text=_("Empty for the standard case; e.g. technology_line.")
    )
    variant_label = models.CharField(_("variant label"), max_length=200, blank=True)
    max_percent = models.DecimalField(_("maximum percent of cost"), max_digits=5, decimal_places=2, null=True,
                                      blank=True)
    cost_basis = models.CharField(
        _("cost the percent applies to"), max_length=300, blank=True,
        help_text=_("Empty: the eligible cost of the content."),
    )
    max_amount_vnd = models.BigIntegerField(_("cap (đồng)"), null=True, blank=True)
    unit = models.CharField(_("cap per"), max_length=20, choices=RateUnit.choices, blank=True)
    priority_multiplier = models.DecimalField(
        _("priority multiplier"), max_digits=4, decimal_places=2, null=True, blank=True,
        help_text=_("How many times the cap a priority project may receive; empty when the text gives none."),
    )

    class Meta:
        verbose_name = _("support rate")
        verbose_name_plural = _("support rates")
        ordering = ["content__group__sort_order", "content__sort_order", "fund", "province_code", "variant",
                    "effective_from"]
        indexes = [models.Index(fields=["content", "fund", "province_code", "effective_from"],
                                name="rules_rate_lookup_idx")]
        constraints = [
            _validity_constraint("rules_rate_validity"),
            models.CheckConstraint(
                condition=Q(max_percent__isnull=True) | Q(max_percent__gte=0, max_percent__lte=100),
                name="rules_rate_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(max_amount_vnd__isnull=True) | Q(max_amount_vnd__gte=0), name="rules_rate_cap_positive"
            ),
            models.CheckConstraint(
                condition=(Q(fund="national", province_code__isnull=True)
                           | Q(fund="local", province_code__isnull=False)),
                name="rules_rate_fund_scope",
            ),
        ]

    def __str__(self) -> str:
        variant = f" ({self.variant_label or self.variant})" if self.variant else ""
        scope = self.get_fund_display() if self.is_national else f"{self.get_fund_display()} {self.province_code}"
        return f"{self.content_id and self.content.code}{variant} — {scope} — {self.basis}"

    def validate_rule(self) -> None:
        super().validate_rule()
        if self.fund == FundSource.NATIONAL and self.province_code is not None:
            raise ValidationError({"province_code": gettext("A national rate has no province.")})
        if self.fund == FundSource.LOCAL and self.province_code is None:
            raise ValidationError({"province_code": gettext("A local rate needs the province code.")})
        if self.max_percent is None and self.max_amount_vnd is None:
            raise ValidationError(gettext("A rate needs a percentage, a cap, or both."))
        if self.max_percent is not None and not (0 <= self.max_percent <= 100):
            raise ValidationError({"max_percent": gettext("The percentage must be between 0 and 100.")})
        if self.max_amount_vnd is not None and self.max_amount_vnd < 0:
            raise ValidationError({"max_amount_vnd": gettext("The cap cannot be negative.")})
        if self.max_amount_vnd is not None and not self.unit:
            raise ValidationError({"unit": gettext("Say what the cap is counted per.")})
        if self.priority_multiplier is not None and self.priority_multiplier < 1:
            raise ValidationError({"priority_multiplier": gettext("A priority multiplier is at least 1.")})


# --- eligibility --------------------------------------------------------------------------------------------------


class EligibilityRule(RuleRow):
    """One clause of the definition of a rural industrial establishment (cơ sở CNNT) on a date.

    A clause matches when every criterion it sets matches (an empty list means "any"). Evaluation: an `include` clause
    makes the establishment eligible; otherwise the matching `exclude` clauses give the reasons; otherwise matching
    `review` clauses say a person must check; a clause with no criterion at all is the fallback reason.
    """

    overlap_fields = ("code", "province_code")

    code = models.SlugField(_("clause code"), max_length=60)
    label = models.CharField(_("label"), max_length=300)
    outcome = models.CharField(_("outcome"), max_length=10, choices=EligibilityOutcome.choices)
    entity_types = models.JSONField(_("entity types"), default=list, blank=True)
    sme_sizes = models.JSONField(_("SME sizes"), default=list, blank=True,
                                 help_text=_("Only checked for small and medium enterprises."))
    province_kinds = models.JSONField(_("province types"), default=list, blank=True)
    commune_kinds = models.JSONField(_("commune types"), default=list, blank=True)
    district_kinds = models.JSONField(
        _("district types (former scheme)"), default=list, blank=True,
        help_text=_("Only former-scheme communes have a district; a clause that sets it never matches current units."),
    )
    requires_craft_village = models.BooleanField(_("only in a recognised craft village"), default=False)
    requires_cleaner_production = models.BooleanField(_("only when applying cleaner production"), default=False)
    reason = models.TextField(
        _("reason"), help_text=_("Vietnamese sentence; may use {entity}, {commune}, {commune_kind}, {province}, "
                                 "{province_kind}, {date}.")
    )
    priority = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["effective_from", "priority", "code"]
        constraints = [_validity_constraint("rules_eligibility_validity")]

    def __str__(self) -> str:
        return f"{self.code} — {self.basis}"

    @property
    def is_fallback(self) -> bool:
        return not (self.entity_types or self.sme_sizes or self.province_kinds or self.commune_kinds
                    or self.district_kinds or self.requires_craft_village or self.requires_cleaner_production)

    def validate_rule(self) -> None:
        super().validate_rule()
        vocabularies = {
            "entity_types": set(EntityType.values),
            "sme_sizes": set(SmeSize.values),
            "province_kinds": {"tinh", "thanh_pho_tw"},
            "commune_kinds": {"xa", "phuong", "dac_khu", "thi_tran"},
            "district_kinds": {"quan", "huyen", "thi_xa", "thanh_pho"},
        }
        for name, allowed in vocabularies.items():
            values = getattr(self, name)
            if not isinstance(values, list) or not set(values) <= allowed:
                raise ValidationError({name: gettext("Use a list of: %(values)s.") % {
                    "values": ", ".join(sorted(allowed))}})


# --- calendar, advances, authorities ------------------------------------------------------------------------------


class DeadlineRule(RuleRow):
    """A deadline of the KC calendar: a fixed day of the year before/after the plan year, a monthly day, or a number
    of days after an event."""

    overlap_fields = ("code", "fund", "province_code")

    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("label"), max_length=400)
    fund = models.CharField(_("fund"), max_length=10, choices=FundSource.choices, default=FundSource.NATIONAL)
    kind = models.CharField(_("kind"), max_length=12, choices=DeadlineKind.choices)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    year_offset = models.SmallIntegerField(_("years from the plan year"), default=0,
                                           help_text=_("-1: the year before the plan year; 1: the year after."))
    days_after = models.PositiveSmallIntegerField(_("days after the event"), null=True, blank=True)
    event = models.CharField(_("event"), max_length=300, blank=True)
    before = models.BooleanField(
        _("strictly before"), default=False, help_text=_("The act must happen before the date, not on it.")
    )
    rule_text = models.CharField(_("rule as written"), max_length=400)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["sort_order", "code"]
        constraints = [_validity_constraint("rules_deadline_validity")]

    def __str__(self) -> str:
        return f"{self.code} — {self.basis}"

    def validate_rule(self) -> None:
        super().validate_rule()
        if self.kind == DeadlineKind.FIXED:
            if not (self.month and self.day):
                raise ValidationError(gettext("A fixed deadline needs a day and a month."))
            try:
                datetime.date(2024, self.month, self.day)  # a leap year accepts every real day
            except ValueError as exc:
                raise ValidationError(gettext("This day does not exist in that month.")) from exc
        elif self.kind == DeadlineKind.MONTHLY and not self.day:
            raise ValidationError(gettext("A monthly deadline needs its day of the month."))
        elif self.kind == DeadlineKind.AFTER_EVENT and not (self.days_after and self.event):
            raise ValidationError(gettext("A deadline after an event needs the number of days and the event."))

    def due_date(self, plan_year: int) -> datetime.date | None:
        if self.kind != DeadlineKind.FIXED:
            return None
        year = plan_year + self.year_offset
        if (self.month, self.day) == (2, 29) and not calendar.isleap(year):
            return datetime.date(year, 2, 28)  # a 29 February deadline falls on the last day of February
        return datetime.date(year, self.month, self.day)


class AdvanceRule(RuleRow):
    """How much of the support may be advanced: the first advance for a content (or the default for every content
    when no content is set), and the treasury's cap on advances."""

    overlap_fields = ("kind", "content", "province_code")

    kind = models.CharField(_("kind"), max_length=20, choices=AdvanceKind.choices)
    content = models.ForeignKey(
        ContentItem, verbose_name=_("content"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="advance_rules", help_text=_("Empty: the rule for every content without a rule of its own."),
    )
    percent = models.DecimalField(_("percent of the support"), max_digits=5, decimal_places=2, null=True, blank=True,
                                  help_text=_("Empty when the text leaves the rate to a decision."))
    condition = models.TextField(_("condition and documents"), blank=True)

    class Meta:
        verbose_name = _("advance rule")
        verbose_name_plural = _("advance rules")
        ordering = ["kind", "content__group__sort_order", "content__sort_order", "effective_from"]
        constraints = [_validity_constraint("rules_advance_validity")]

    def __str__(self) -> str:
        target = self.content.code if self.content_id else "*"
        return f"{self.get_kind_display()} {target} — {self.basis}"

    def validate_rule(self) -> None:
        super().validate_rule()
        if self.percent is not None and not (0 <= self.percent <= 100):
            raise ValidationError({"percent": gettext("The percentage must be between 0 and 100.")})
        if self.kind == AdvanceKind.TREASURY_CAP and self.content_id is not None:
            raise ValidationError({"content": gettext("The treasury cap applies to every content.")})


class AuthorityRule(RuleRow):
    """Who decides: for a decision (a change to an approved plan, a time-bounded power) and a project kind
    (empty = every kind; a row for the exact kind wins)."""

    overlap_fields = ("decision", "project_kind", "province_code")

    decision = models.CharField(_("decision"), max_length=40, choices=AuthorityMatter.choices)
    project_kind = models.CharField(_("project kind"), max_length=20, choices=RuleProjectKind.choices, blank=True)
    authority = models.SlugField(_("authority code"), max_length=40)
    authority_label = models.CharField(_("authority"), max_length=300)

    class Meta:
        verbose_name = _("authority rule")
        verbose_name_plural = _("authority rules")
        ordering = ["decision", "project_kind", "effective_from"]
        constraints = [_validity_constraint("rules_authority_validity")]

    def __str__(self) -> str:
        return f"{self.decision}/{self.project_kind or '*'} → {self.authority} — {self.basis}"


# --- cost norms ---------------------------------------------------------------------------------------------------


class CostItem(models.TextChoices):
    """The costs of a work trip whose unit rate a norm sets (công tác phí: the Ministry of Finance's norm, or the
    provincial People's Council's own levels)."""

    TRANSPORT = "transport", _("Transport")
    PER_DIEM = "per_diem", _("Per-diem allowance")
    LODGING = "lodging", _("Lodging")
    MATERIALS = "materials", _("Materials and documents")


class NormUnit(models.TextChoices):
    PERSON_DAY = "person_day", _("per person per day")
    PERSON_NIGHT = "person_night", _("per person per night")
    PERSON = "person", _("per person")
    TRIP = "trip", _("per trip")


class CostNorm(RuleRow):
    """A unit rate (định mức chi) for one cost of a work trip, national or set by a province for its own staff.

    `places` lists the current province codes of the destinations where the rate applies (lodging costs more in
    some cities); a row with no place is the rate everywhere else. An empty amount records that the text sets no
    fixed rate (paid on invoice, or left to the province): a quote then asks the user for the figure.
    """

    overlap_fields = ("item", "province_code", "variant")

    item = models.CharField(_("cost"), max_length=20, choices=CostItem.choices)
    variant = models.SlugField(_("variant"), max_length=40, blank=True,
                               help_text=_("Empty for the rate everywhere; e.g. the cities of a higher lodging rate."))
    variant_label = models.CharField(_("variant label"), max_length=200, blank=True)
    places = models.JSONField(_("destinations (province codes)"), default=list, blank=True,
                              help_text=_("Empty: every destination without a row of its own."))
    amount_vnd = models.BigIntegerField(_("unit rate (đồng)"), null=True, blank=True,
                                        help_text=_("Empty when the text sets no fixed rate."))
    unit = models.CharField(_("rate per"), max_length=20, choices=NormUnit.choices)

    class Meta:
        verbose_name = _("cost norm")
        verbose_name_plural = _("cost norms")
        ordering = ["item", "province_code", "variant", "effective_from"]
        constraints = [
            _validity_constraint("rules_costnorm_validity"),
            models.CheckConstraint(condition=Q(amount_vnd__isnull=True) | Q(amount_vnd__gte=0),
                                   name="rules_costnorm_amount_positive"),
        ]

    def __str__(self) -> str:
        variant = f" ({self.variant_label or self.variant})" if self.variant else ""
        return f"{self.item}{variant} — {self.basis}"

    def validate_rule(self) -> None:
        super().validate_rule()
        if self.amount_vnd is not None and self.amount_vnd < 0:
            raise ValidationError({"amount_vnd": gettext("The rate cannot be negative.")})
        if not isinstance(self.places, list) or not all(
                isinstance(code, int) and not isinstance(code, bool) for code in self.places):
            raise ValidationError({"places": gettext("Use a list of current province codes.")})
        if self.places and not self.variant:
            raise ValidationError({"variant": gettext("A rate for some destinations needs a variant code.")})


class ParameterUnit(models.TextChoices):
    PERCENT = "percent", _("percent")
    POINTS = "points", _("points")
    DAYS = "days", _("days")
    WORKING_DAYS = "working_days", _("working days")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")
    HECTARES = "hectares", _("hectares")
    COUNT = "count", _("count")
    VND = "vnd", _("đồng")
    YES_NO = "yes_no", _("yes (1) or no (0)")


class Parameter(RuleRow):
    """One figure the law sets for a module: a threshold, a cap, a deadline, a score to pass (the 30 % cap on state
    support of a cluster's infrastructure, the 70 points a product needs, the working days of a procedure).

    A module asks `engine.parameter(code, on_date, province=...)`; a province's own row wins over the national one.
    Rows come from `khuyencong/rules/data/parameters.json` and from each module's `data/parameters.json`, so a figure
    a later instrument changes is a new row beside the old one, never a change of code.
    """

    overlap_fields = ("code", "province_code")

    code = models.SlugField(_("code"), max_length=80)
    label = models.CharField(_("label"), max_length=300)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=20, choices=ParameterUnit.choices)

    class Meta:
        verbose_name = _("legal parameter")
        verbose_name_plural = _("legal parameters")
        ordering = ["code", "province_code", "effective_from"]
        constraints = [_validity_constraint("rules_parameter_validity")]

    def __str__(self) -> str:
        return f"{self.label} — {self.basis}"


class Holiday(RuleRow):
    """A public holiday (or a day off in lieu) on which no working day is counted. The days of the Labour Code
    (Bộ luật Lao động 2019, Điều 112) fall on lunar dates and weekends move them: each year's days are rows, marked
    as the government's notice for that year was or was not read. Saturdays and Sundays are never working days."""

    overlap_fields = ("effective_from",)

    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["effective_from"]
        constraints = [_validity_constraint("rules_holiday_validity")]

    def __str__(self) -> str:
        return f"{self.effective_from:%d/%m/%Y} {self.name}"

    def validate_rule(self) -> None:
        super().validate_rule()
        if self.effective_to != self.effective_from:
            raise ValidationError({"effective_to": gettext("A holiday is one day: its end is its start.")})


RULE_MODELS: tuple[type[RuleRow], ...] = (
    ContentGroup, ContentItem, SupportRate, EligibilityRule, DeadlineRule, AdvanceRule, AuthorityRule, CostNorm,
    Parameter, Holiday,
)
