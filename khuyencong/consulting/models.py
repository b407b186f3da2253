"""The tables of consulting: the KC centre's fee-based services (dịch vụ tư vấn), kept apart from the subsidised
KC consulting content (a project content in `projects`).

Service lines are data (`data/service_lines.json`, loaded by the migration and by `catalogue.load_service_lines`),
each naming the certificate its engineer must hold. A centre quotes a client, signs a contract, assigns engineers
whose certificates hold on the work dates, logs site visits and issues, invoices and records money received.
Amounts are integer đồng."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.accounts.models import Organisation
from khuyencong.core.models import TrackedModel
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment

CURRENT_PROVINCE = {"scheme": "current", "level": "province"}
CURRENT_COMMUNE = {"scheme": "current", "level": "commune"}


class ServiceLine(models.Model):
    """A kind of fee-based service and the certificate its engineer must hold (configuration, unverified)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("service line"), max_length=200)
    certificate = models.SlugField(_("certificate required"), max_length=40, blank=True)
    certificate_name = models.CharField(_("certificate required"), max_length=250, blank=True)
    kc_contents = models.JSONField(_("KC contents of the same work"), default=list, blank=True)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    mark = models.CharField(_("verification"), max_length=12, default="unverified")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("service line")
        verbose_name_plural = _("service lines")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Client(TrackedModel):
    """Who buys a service from a centre: an establishment of the registry or any organisation with a tax code."""

    centre = models.ForeignKey(Organisation, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    establishment = models.ForeignKey(Establishment, verbose_name=_("establishment"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="consulting_clients")
    name = models.CharField(_("name"), max_length=250)
    name_folded = models.CharField(max_length=250, editable=False, default="")
    tax_code = models.CharField(_("tax code"), max_length=14)
    address = models.CharField(_("address"), max_length=300, blank=True)
    representative = models.CharField(_("representative"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name_folded", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "tax_code"], name="consulting_client_tax_once"),
            models.CheckConstraint(condition=~Q(tax_code=""), name="consulting_client_tax_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Certificate(TrackedModel):
    """A professional certificate held by an engineer of a centre (a centre staff user)."""

    engineer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("engineer"), on_delete=models.PROTECT,
                                 related_name="consulting_certificates")
    centre = models.ForeignKey(Organisation, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    kind = models.SlugField(_("certificate"), max_length=40)
    number = models.CharField(_("certificate number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["expires_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gte=F("issued_on")), name="consulting_cert_dates"),
            models.UniqueConstraint(fields=["engineer", "kind", "number"], name="consulting_cert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number}"


class QuotationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", pgettext_lazy("quotation", "Sent")
    ACCEPTED = "accepted", pgettext_lazy("quotation", "Accepted")
    REJECTED = "rejected", pgettext_lazy("quotation", "Rejected")
    EXPIRED = "expired", _("Expired")


class Quotation(TrackedModel):
    centre = models.ForeignKey(Organisation, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="quotations")
    service_line = models.ForeignKey(ServiceLine, verbose_name=_("service line"), on_delete=models.PROTECT,
                                     related_name="+")
    number = models.CharField(_("quotation number"), max_length=40)
    scope = models.TextField(_("scope of work"))
    price_vnd = models.BigIntegerField(_("price before VAT (đồng)"))
    vat_percent = models.PositiveSmallIntegerField(_("VAT (%)"), default=10)
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=12, choices=QuotationStatus.choices,
                              default=QuotationStatus.DRAFT, db_index=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    status_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="consulting_quotation_number_once"),
            models.CheckConstraint(condition=Q(price_vnd__gt=0), name="consulting_quotation_price"),
            models.CheckConstraint(condition=Q(vat_percent__lte=100), name="consulting_quotation_vat"),
        ]

    def __str__(self) -> str:
        return f"Báo giá {self.number}"

    @property
    def vat_vnd(self) -> int:
        return self.price_vnd * self.vat_percent // 100

    @property
    def total_vnd(self) -> int:
        return self.price_vnd + self.vat_vnd


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SIGNED = "signed", _("Signed")
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTED = "accepted", _("Accepted")
    LIQUIDATED = "liquidated", _("Liquidated")


class Contract(TrackedModel):
    centre = models.ForeignKey(Organisation, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="contracts")
    quotation = models.ForeignKey(Quotation, verbose_name=_("quotation"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="contracts")
    service_line = models.ForeignKey(ServiceLine, verbose_name=_("service line"), on_delete=models.PROTECT,
                                     related_name="+")
    number = models.CharField(_("contract number"), max_length=40)
    work = models.CharField(_("work"), max_length=300)
    site_commune = models.ForeignKey(AdminUnit, verbose_name=_("site (commune)"), on_delete=models.PROTECT,
                                     related_name="+", limit_choices_to=CURRENT_COMMUNE)
    site_address = models.CharField(_("site address"), max_length=300, blank=True)
    value_vnd = models.BigIntegerField(_("contract value incl. VAT (đồng)"))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=12, choices=ContractStatus.choices,
                              default=ContractStatus.DRAFT, db_index=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    liquidated_on = models.DateField(_("liquidated on"), null=True, blank=True)
    conflict_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("conflict reviewed by"),
                                             null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    conflict_note = models.CharField(_("director's note on the conflict"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="consulting_contract_number_once"),
            models.CheckConstraint(condition=Q(value_vnd__gt=0), name="consulting_contract_value"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="consulting_contract_dates"),
        ]

    def __str__(self) -> str:
        return f"Hợp đồng {self.number}"


class Assignment(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="assignments")
    engineer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("engineer"), on_delete=models.PROTECT,
                                 related_name="consulting_assignments")
    certificate = models.ForeignKey(Certificate, verbose_name=_("certificate"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    task = models.CharField(_("task"), max_length=200, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["contract", "engineer"], name="consulting_assignment_once")]

    def __str__(self) -> str:
        return str(self.engineer)


class SiteVisit(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visit date"))
    engineer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("engineer"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    findings = models.TextField(_("findings"))
    photo = models.FileField(_("photo"), upload_to="consulting/photos/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.visited_on:%d/%m/%Y}"


class SiteIssue(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="issues")
    visit = models.ForeignKey(SiteVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="issues")
    description = models.CharField(_("issue"), max_length=500)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.CharField(_("how it was closed"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("site issue")
        verbose_name_plural = _("site issues")
        ordering = ["opened_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                                              name="consulting_issue_dates")]

    def __str__(self) -> str:
        return self.description[:80]


class Addendum(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="addenda")
    number = models.CharField(_("addendum number"), max_length=40)
    extra_vnd = models.BigIntegerField(_("added value (đồng)"))
    reason = models.CharField(_("reason"), max_length=500)
    approved = models.BooleanField(_("approved"), default=False)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="consulting_addendum_once"),
            models.CheckConstraint(condition=Q(extra_vnd__gt=0), name="consulting_addendum_value"),
        ]

    def __str__(self) -> str:
        return f"Phụ lục {self.number}"


class Invoice(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField(_("invoice number"), max_length=40)
    issued_on = models.DateField(_("invoice date"))
    amount_vnd = models.BigIntegerField(_("amount (đồng)"))

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="consulting_invoice_once"),
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="consulting_invoice_amount"),
        ]

    def __str__(self) -> str:
        return f"Hóa đơn {self.number}"


class Payment(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="payments")
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    received_on = models.DateField(_("received on"))
    amount_vnd = models.BigIntegerField(_("amount received (đồng)"))
    reference = models.CharField(_("voucher"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="consulting_payment_amount")]

    def __str__(self) -> str:
        return f"{self.received_on:%d/%m/%Y}"
