"""The tables of awards: rounds at four levels, their council and jury, entries from the registry, dossier files,
jurors' scoring sheets, certificates, complaints and the holders' annual reports (TT 26/2014/TT-BCT as amended by
TT 14/2018 and TT 38/2025, VBHN 46/VBHN-BCT)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.core.models import TrackedModel
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment


class Level(models.TextChoices):
    COMMUNE = "commune", _("Commune level")
    PROVINCE = "province", _("Province level")
    REGION = "region", _("Region level")
    NATIONAL = "national", _("National level")


NEXT_LEVEL = {Level.COMMUNE: Level.PROVINCE, Level.PROVINCE: Level.REGION, Level.REGION: Level.NATIONAL}


class RoundStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("awards", "Planned")
    COUNCIL_SET = "council_set", _("Council set")
    INTAKE_OPEN = "intake_open", _("Taking entries")
    JUDGING = "judging", _("Judging")
    RECOGNISED = "recognised", _("Results recognised")
    COMPLAINTS = "complaints", _("Complaint window")
    CLOSED = "closed", _("Closed")


class ProductGroup(models.TextChoices):
    HANDICRAFT = "handicraft", _("Handicrafts and fine arts")
    FOOD = "food", _("Processed agricultural and food products")
    MACHINERY = "machinery", _("Machinery, equipment and mechanical parts")
    OTHER = "other", _("Other products")


class BandsStatus(models.TextChoices):
    DRAFT = "draft", _("Draft of the jury head")
    PROPOSED = "proposed", _("Proposed to the council chair")
    APPROVED = "approved", _("Approved by the council chair")


class Round(TrackedModel):
    """One award round (đợt bình chọn) of one level, organised by one unit for one year."""

    name = models.CharField(_("name"), max_length=250)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(AdminUnit, verbose_name=_("commune"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    region = models.CharField(_("region"), max_length=120, blank=True)
    unit_name = models.CharField(_("organising unit"), max_length=250)
    year = models.PositiveSmallIntegerField(_("year"))
    plan_reference = models.CharField(_("plan reference"), max_length=120, blank=True)
    budget_vnd = models.BigIntegerField(_("budget (đồng)"), default=0)
    intake_start = models.DateField(_("entries from"))
    intake_end = models.DateField(_("entries until"))
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.PLANNED)
    criteria = models.JSONField(_("scoring bands"), default=list)
    bands_status = models.CharField(_("state of the scoring bands"), max_length=10, choices=BandsStatus.choices,
                                    default=BandsStatus.DRAFT)
    bands_proposed_by = models.CharField(_("bands proposed by"), max_length=150, blank=True)
    bands_approved_by = models.CharField(_("bands approved by"), max_length=150, blank=True)
    bands_approved_on = models.DateField(_("bands approved on"), null=True, blank=True)
    decision_number = models.CharField(_("recognition decision"), max_length=60, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("award round")
        constraints = [
            models.CheckConstraint(condition=Q(intake_end__gte=models.F("intake_start")),
                                   name="awards_round_intake_order"),
            models.CheckConstraint(condition=Q(budget_vnd__gte=0), name="awards_round_budget_positive"),
            models.CheckConstraint(condition=Q(level__in=["region", "national"]) | Q(province__isnull=False),
                                   name="awards_round_local_has_province"),
        ]

    def __str__(self) -> str:
        return self.name


class Body(models.TextChoices):
    COUNCIL = "council", _("Council")
    JURY = "jury", _("Jury")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Standing vice-chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")
    HEAD = "head", _("Head of the jury")


class Member(TrackedModel):
    """A member of the round's council or jury. A jury member linked to a user is the one who scores."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="members")
    body = models.CharField(pgettext_lazy("awards", "body"), max_length=8, choices=Body.choices)
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="award_memberships")

    class Meta:
        ordering = ["body", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "body", "user"], condition=Q(user__isnull=False),
                                    name="awards_member_user_once"),
        ]

    def __str__(self) -> str:
        return self.full_name


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SCREENED = "screened", _("Dossier accepted")
    SCORED = "scored", _("Scored")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Did not pass")
    CERTIFIED = "certified", pgettext_lazy("awards", "Certified")
    NOT_SELECTED = "not_selected", _("Not selected")
    NOMINATED = "nominated", _("Nominated to the next level")


class Entry(TrackedModel):
    """A product entered in a round by an establishment of the registry."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="entries")
    establishment = models.ForeignKey(Establishment, verbose_name=_("producer"), on_delete=models.PROTECT,
                                      related_name="award_entries")
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(_("product"), max_length=250)
    search_text = models.CharField(max_length=600, blank=True, editable=False)
    group = models.CharField(_("product group"), max_length=10, choices=ProductGroup.choices)
    is_set = models.BooleanField(_("a set of products"), default=False)
    description = models.TextField(_("description"), blank=True)
    publish_consent = models.BooleanField(_("the producer agrees to publish"), default=False)
    display_consent = models.BooleanField(_("the producer agrees to leave it on display"), default=False)
    judged_on_site = models.BooleanField(_("judged on site (bulky product)"), default=False)
    lower_certificate = models.ForeignKey("Certificate", verbose_name=_("lower-level certificate"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="nominations")
    status = models.CharField(_("status"), max_length=12, choices=EntryStatus.choices,
                              default=EntryStatus.SUBMITTED)
    score = models.DecimalField(_("mean score"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["round", "product_name"]
        verbose_name = _("entry")
        constraints = [
            models.UniqueConstraint(fields=["round", "establishment", "product_name"], name="awards_entry_once"),
            models.CheckConstraint(condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                                   name="awards_entry_score_range"),
        ]

    def __str__(self) -> str:
        return self.product_name


class DocumentKind(models.TextChoices):
    FORM = "form", _("Registration form")
    DESCRIPTION = "description", _("Product description")
    PHOTO_FRONT = "photo_front", _("Colour photo from the front")
    PHOTO_SIDE = "photo_side", _("Colour photo from the side")
    PHOTO_TOP = "photo_top", _("Colour photo from above")
    BUSINESS = "business", _("Business registration")
    CERTIFICATE = "certificate", _("Other certificate")
    NOMINATION = "nomination", _("Nomination list of the lower level")


PHOTO_KINDS = (DocumentKind.PHOTO_FRONT, DocumentKind.PHOTO_SIDE, DocumentKind.PHOTO_TOP)
REQUIRED_KINDS = (DocumentKind.FORM, DocumentKind.DESCRIPTION, *PHOTO_KINDS, DocumentKind.BUSINESS)


class EntryDocument(TrackedModel):
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to="awards/%Y/")
    name = models.CharField(_("file name"), max_length=200)

    class Meta:
        ordering = ["kind", "pk"]


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class ScoreSheet(TrackedModel):
    """One juror's 100-point sheet for one entry: points per band of the round, the four criteria and the total are
    computed from them."""

    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="sheets")
    juror = models.ForeignKey(Member, verbose_name=_("juror"), on_delete=models.PROTECT, related_name="sheets")
    points = models.JSONField(_("points"), default=dict)
    market = models.PositiveSmallIntegerField(_("market fit and production potential"), default=0)
    value = models.PositiveSmallIntegerField(_("economic, technical, social and environmental value"), default=0)
    culture = models.PositiveSmallIntegerField(_("culture and aesthetics"), default=0)
    other = models.PositiveSmallIntegerField(_("other criteria"), default=0)
    total = models.PositiveSmallIntegerField(_("total"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["entry", "juror"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "juror"], name="awards_sheet_once"),
            models.CheckConstraint(condition=Q(market__lte=40) & Q(value__lte=40) & Q(culture__lte=10)
                                   & Q(other__lte=10) & Q(total__lte=100), name="awards_sheet_caps"),
        ]


class Certificate(TrackedModel):
    """The certificate of a rural industrial product of the round's level (Art 17)."""

    entry = models.OneToOneField(Entry, verbose_name=_("entry"), on_delete=models.PROTECT,
                                 related_name="certificate")
    number = models.CharField(pgettext_lazy("awards", "certificate number"), max_length=40)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    decision_number = models.CharField(pgettext_lazy("awards", "decision"), max_length=60)
    issued_on = models.DateField(pgettext_lazy("awards", "issued on"))
    valid_until = models.DateField(pgettext_lazy("awards", "valid until"))
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("issued_on")),
                                   name="awards_certificate_validity"),
        ]

    def __str__(self) -> str:
        return self.number

    def valid_on(self, day) -> bool:
        return self.revoked_on is None and self.issued_on <= day <= self.valid_until


class Complaint(TrackedModel):
    """A complaint about the round's results, received in the window and answered within the deadline (Art 20)."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="complaints")
    complainant = models.CharField(_("complainant"), max_length=200)
    content = models.TextField(_("content"))
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["received_on", "pk"]


class HolderReport(TrackedModel):
    """A certified product's holder reports every year to the DoIT and the commune (Art 22.2)."""

    certificate = models.ForeignKey(Certificate, verbose_name=pgettext_lazy("awards", "certificate"),
                                    on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    output = models.CharField(_("output"), max_length=200, blank=True)
    revenue_vnd = models.BigIntegerField(_("revenue (đồng)"), default=0)
    employees = models.PositiveIntegerField(_("employees"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "year"], name="awards_report_once"),
            models.CheckConstraint(condition=Q(revenue_vnd__gte=0), name="awards_report_revenue_positive"),
        ]
