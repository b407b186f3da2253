from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import DateInput, StyledFormMixin
from khuyencong.core.uploads import spreadsheet_max_bytes, spreadsheet_max_columns, spreadsheet_max_rows
from khuyencong.geo.models import AdminUnit
from khuyencong.rules.models import EntityType, SmeSize

from .models import CraftVillage, EstablishmentStatus, Gender, Sector
from .parsing import parse_phone, parse_tax_code


class CheckboxList(forms.CheckboxSelectMultiple):
    """One Bootstrap checkbox per choice. Its input_type is not "checkbox": the shared form template renders a widget
    of that type as one lone yes/no box, which posts "on" instead of the chosen ids."""

    input_type = "checkbox-list"
    template_name = "registry/widgets/checkbox_list.html"


class EstablishmentForm(StyledFormMixin, forms.Form):
    """Input for establishment_create / establishment_update; domain checks live in the services."""

    name = forms.CharField(label=_("Name"), max_length=250)
    entity_type = forms.ChoiceField(label=_("Entity type"), choices=EntityType.choices)
    sme_size = forms.ChoiceField(label=_("Enterprise size (SMEs)"), choices=[("", "—"), *SmeSize.choices],
                                 required=False)
    tax_code = forms.CharField(label=_("Tax code"), max_length=20, required=False,
                               help_text=_("10 digits, or 10 digits-3 digits for a branch."))
    business_reg_no = forms.CharField(label=_("Business registration number"), max_length=40, required=False)
    business_reg_date = forms.DateField(label=_("Registration date"), required=False,
                                        widget=DateInput())
    representative = forms.CharField(label=_("Representative"), max_length=150, required=False)
    representative_gender = forms.ChoiceField(label=_("Representative's gender"),
                                              choices=[("", "—"), *Gender.choices], required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    woman_owned = forms.BooleanField(label=_("Owned by a woman"), required=False)
    ethnic_minority = forms.BooleanField(label=_("Owned by or employing ethnic minorities"), required=False)
    employees = forms.IntegerField(label=_("Employees"), min_value=0, required=False)
    sectors = forms.ModelMultipleChoiceField(label=_("KC sectors"), queryset=Sector.objects.all(), required=False,
                                             widget=CheckboxList)
    vsic_code = forms.CharField(label=_("VSIC code"), max_length=10, required=False)
    main_products = forms.CharField(label=_("Main products"), max_length=300, required=False)
    ocop_stars = forms.IntegerField(label=_("OCOP stars"), min_value=1, max_value=5, required=False)
    cleaner_production = forms.BooleanField(label=_("Applies cleaner production"), required=False)
    # "—" as the other selects: Django's "- Select an option -" has no Vietnamese translation.
    province = forms.ModelChoiceField(label=_("Province"), queryset=AdminUnit.objects.none(), required=True,
                                      empty_label="—")
    commune = forms.ModelChoiceField(label=_("Commune / ward"), queryset=AdminUnit.objects.none(), empty_label="—")
    craft_village = forms.ModelChoiceField(label=_("Craft village"), queryset=CraftVillage.objects.none(),
                                           required=False, empty_label="—")
    address = forms.CharField(label=_("Address (village, street)"), max_length=300, required=False)
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=EstablishmentStatus.choices, initial="active")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = provinces if provinces is not None else AdminUnit.objects.current().provinces()
        self.fields["province"].queryset = provinces.order_by("name")
        province_id = self.data.get("province") or (self.initial.get("province") and getattr(
            self.initial["province"], "pk", self.initial["province"]))
        if not province_id and provinces.count() == 1:
            province_id = provinces.first().pk
            self.initial.setdefault("province", province_id)
        communes = AdminUnit.objects.current().communes().filter(province_id=province_id or 0).order_by("name")
        self.fields["commune"].queryset = communes
        self.fields["craft_village"].queryset = CraftVillage.objects.filter(province_id=province_id or 0)
        self.fields["province"].widget.attrs.update(
            {"hx-get": reverse_lazy("establishment_place_options"), "hx-target": "#id_commune", "hx-trigger": "change"}
        )

    def clean_tax_code(self):
        value = self.cleaned_data.get("tax_code", "")
        if not value:
            return None
        try:
            return parse_tax_code(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        if not value:
            return ""
        try:
            return parse_phone(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        if data.get("entity_type") == "sme" and not data.get("sme_size"):
            self.add_error("sme_size", _("Choose the size of the enterprise (micro, small or medium)."))
        commune, province = data.get("commune"), data.get("province")
        if commune and province and commune.province_id != province.pk:
            self.add_error("commune", _("The commune is not in the chosen province."))
        return data

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "province", "sectors")}
        for key in ("ocop_stars", "employees", "latitude", "longitude", "business_reg_date"):
            data.setdefault(key, None)
        return data


class ImportUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx, .xls, .ods)"))
    province = forms.ModelChoiceField(label=_("Province of the file"), queryset=AdminUnit.objects.none(),
                                      required=False, empty_label=_("— written in the file —"))

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = (provinces if provinces is not None
                                            else AdminUnit.objects.current().provinces()).order_by("name")
        self.fields["file"].help_text = _("At most %(mb)s MB, %(rows)s rows and %(columns)s columns.") % {
            "mb": spreadsheet_max_bytes() // 1024 // 1024, "rows": f"{spreadsheet_max_rows():,}".replace(",", "."),
            "columns": spreadsheet_max_columns()}


class SupportRecordForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    fund = forms.ChoiceField(label=_("Fund"), choices=[("national", _("National KC fund")),
                                                       ("local", _("Local KC fund"))])
    description = forms.CharField(label=_("What was supported"), max_length=300)
    amount = forms.IntegerField(label=_("Support (đồng)"), min_value=0, required=False)
