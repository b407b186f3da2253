"""Forms that clean the input of consulting's pages for the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import StyledFormMixin, VndField
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment

from .catalogue import certificate_names
from .models import ServiceLine


class PrefixedIds:
    """The forms of the contract page share one page: each gives its fields their own ids (the names stay)."""

    ids = "%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.ids}_%s")
        super().__init__(*args, **kwargs)


class ClientForm(StyledFormMixin, forms.Form):
    establishment = forms.ModelChoiceField(Establishment.objects.none(), label=_("Establishment in the registry"),
                                           required=False)
    name = forms.CharField(label=_("Name"), max_length=250, required=False)
    tax_code = forms.CharField(label=_("Tax code"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    representative = forms.CharField(label=_("Representative"), max_length=150, required=False)

    def __init__(self, *args, establishments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if establishments is not None:
            self.fields["establishment"].queryset = establishments


class CertificateForm(StyledFormMixin, forms.Form):
    engineer = forms.ModelChoiceField(None, label=_("Engineer"))
    kind = forms.ChoiceField(label=_("Certificate"))
    number = forms.CharField(label=_("Certificate number"), max_length=60)
    issued_on = forms.DateField(label=_("Issued on"))
    expires_on = forms.DateField(label=_("Expires on"))

    def __init__(self, *args, engineers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engineer"].queryset = engineers
        self.fields["kind"].choices = list(certificate_names().items())


class QuotationForm(StyledFormMixin, forms.Form):
    client = forms.ModelChoiceField(None, label=_("Client"))
    service_line = forms.ModelChoiceField(ServiceLine.objects.all(), label=_("Service line"))
    scope = forms.CharField(label=_("Scope of work"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    price_vnd = VndField(label=_("Price before VAT (đồng)"))
    vat_percent = forms.IntegerField(label=_("VAT (%)"), min_value=0, max_value=100, initial=10)
    valid_until = forms.DateField(label=_("Valid until"))

    def __init__(self, *args, clients=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients


class ContractForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=40)
    work = forms.CharField(label=_("Work"), max_length=300)
    site_commune = forms.ModelChoiceField(AdminUnit.objects.none(), label=_("Site (commune)"))
    site_address = forms.CharField(label=_("Site address"), max_length=300, required=False)
    value_vnd = VndField(label=_("Contract value incl. VAT (đồng)"))
    start_date = forms.DateField(label=_("Start"))
    end_date = forms.DateField(label=_("End"))

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site_commune"].queryset = communes


class AssignForm(PrefixedIds, StyledFormMixin, forms.Form):
    ids = "assign"
    engineer = forms.ModelChoiceField(None, label=_("Engineer"))
    task = forms.CharField(label=_("Task"), max_length=200, required=False)

    def __init__(self, *args, engineers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engineer"].queryset = engineers


class VisitForm(PrefixedIds, StyledFormMixin, forms.Form):
    ids = "visit"
    visited_on = forms.DateField(label=_("Visit date"))
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    issue = forms.CharField(label=_("Issue to follow up (if any)"), max_length=500, required=False)
    photo = forms.FileField(label=_("Photo"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))


class NoteForm(PrefixedIds, StyledFormMixin, forms.Form):
    ids = "note"
    note = forms.CharField(label=_("Note"), max_length=500)


class AddendumForm(PrefixedIds, StyledFormMixin, forms.Form):
    ids = "addendum"
    number = forms.CharField(label=_("Addendum number"), max_length=40)
    extra_vnd = VndField(label=_("Added value (đồng)"))
    reason = forms.CharField(label=_("Reason"), max_length=500)


class InvoiceForm(PrefixedIds, StyledFormMixin, forms.Form):
    ids = "invoice"
    number = forms.CharField(label=_("Invoice number"), max_length=40)
    issued_on = forms.DateField(label=_("Invoice date"))
    amount_vnd = VndField(label=_("Amount (đồng)"))


class PaymentForm(PrefixedIds, StyledFormMixin, forms.Form):
    ids = "payment"
    received_on = forms.DateField(label=_("Received on"))
    amount_vnd = VndField(label=_("Amount received (đồng)"))
    reference = forms.CharField(label=_("Voucher"), max_length=120, required=False)
