"""Forms of the extraction pages: the article pasted, the event confirmed by the reviewer, the reason of a rejection."""

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts.models import Organisation, OrganisationKind
from khuyencong.accounts.scope import acting_province_ids
from khuyencong.core.forms import StyledFormMixin
from khuyencong.events.vocab import Audience, EventKind
from khuyencong.rules.models import FundSource

from .permissions import STAFF
from .services import MAX_TEXT


class PasteForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Text of the article"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 10}))
    source_title = forms.CharField(label=_("Source (newspaper or portal)"), max_length=300, required=False)
    source_url = forms.URLField(label=_("Link to the article"), max_length=500, required=False, assume_scheme="https")
    published_on = forms.DateField(label=_("Published on"), required=False)


class ReviewForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Name of the event"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of event"), choices=[("", "—"), *EventKind.choices])
    audience = forms.ChoiceField(label=_("For whom (study tours)"), choices=[("", "—"), *Audience.choices],
                                 required=False)
    fund = forms.ChoiceField(label=_("Fund"), choices=FundSource.choices)
    organiser = forms.ModelChoiceField(label=_("Organiser (today)"), queryset=Organisation.objects.none())
    start_date = forms.DateField(label=_("From"))
    end_date = forms.DateField(label=_("Until"))
    lessons = forms.BooleanField(label=_("Record a lesson for each host province"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = acting_province_ids(user, STAFF)
        qs = Organisation.objects.filter(kind__in=(OrganisationKind.KC_CENTRE, OrganisationKind.DOIT),
                                         is_active=True).select_related("province")
        if provinces is not None:
            qs = qs.filter(province_id__in=provinces)
        self.fields["organiser"].queryset = qs.order_by("province__name", "kind", "name")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return data


class RejectForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
