"""Input forms of settlement: they parse what people type; the services make the domain checks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import StyledFormMixin, VndField

from .models import Instrument, ObstacleKind, ObstacleOutcome


class CheckboxList(forms.CheckboxSelectMultiple):
    """One checkbox per choice (the events module's widget template)."""

    input_type = "checkbox-list"
    template_name = "events/widgets/checkbox_list.html"


class ObstacleForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Obstacle"), choices=ObstacleKind.choices)
    description = forms.CharField(label=_("Description"), max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label=_("Who deals with it"), max_length=200)
    raised_on = forms.DateField(label=_("Raised on"))
    due_on = forms.DateField(label=_("To be solved by"), required=False)


class ObstacleCloseForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ObstacleOutcome.choices)
    resolution = forms.CharField(label=_("Resolution"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    settled_part = VndField(label=_("Part settled (đồng), for a partial settlement"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)


class InvoiceForm(StyledFormMixin, forms.Form):
    content = forms.ChoiceField(label=_("Cost item"), required=False)
    supplier_tax_code = forms.CharField(label=_("Supplier's tax code"), max_length=20)
    supplier_name = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    number = forms.CharField(label=_("Invoice number"), max_length=40)
    issued_on = forms.DateField(label=_("Invoice date"), required=False)
    amount = VndField(label=_("Amount of the invoice (đồng)"))

    def __init__(self, *args, contents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contents = {str(row.pk): row for row in contents}
        self.fields["content"].choices = [("", "—")] + [
            (str(row.pk), f"{row.content.name}{' — ' + row.description if row.description else ''}")
            for row in contents]

    def domain_data(self) -> dict:
        return {**self.cleaned_data, "content": self.contents.get(self.cleaned_data.get("content") or "")}


class ProposalForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title of the proposal"), max_length=300)
    problem = forms.CharField(label=_("Problem to solve"), max_length=12000, widget=forms.Textarea(attrs={"rows": 4}))
    instrument = forms.ChoiceField(label=_("Instrument targeted"), choices=Instrument.choices)
    proposed_text = forms.CharField(label=_("Text proposed"), max_length=12000,
                                    widget=forms.Textarea(attrs={"rows": 4}))
    indicator_codes = forms.CharField(label=_("Indicators (codes, separated by commas)"), max_length=500,
                                      required=False)
    obstacles = forms.MultipleChoiceField(label=_("Obstacles"), required=False,
                                          widget=CheckboxList)
    findings = forms.MultipleChoiceField(label=_("Double-support findings"), required=False,
                                         widget=CheckboxList)
    lessons = forms.MultipleChoiceField(label=_("Lessons learned"), required=False,
                                        widget=CheckboxList)

    def __init__(self, *args, obstacles=(), findings=(), lessons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obstacles"].choices = [(str(o.pk), f"{o.project.code} — {o.get_kind_display()}")
                                            for o in obstacles]
        self.fields["findings"].choices = [(str(f.pk), f"{f.project.code} — {f.get_check_code_display()}")
                                           for f in findings]
        self.fields["lessons"].choices = [(str(lesson.pk), lesson.title) for lesson in lessons]
