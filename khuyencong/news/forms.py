"""Forms of news: the article (with the records it speaks of) and a picture."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.core.forms import StyledFormMixin
from khuyencong.events.models import Event
from khuyencong.projects.models import Project
from khuyencong.registry.models import Establishment

from .models import Article, Category


class ArticleForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=pgettext_lazy("article", "Title"), max_length=300)
    lead = forms.CharField(label=_("Lead paragraph"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label=pgettext_lazy("article", "Body"), required=False, max_length=60000,
                           widget=forms.Textarea(attrs={"rows": 14, "data-news-editor": "1"}),
                           help_text=_("Leave a blank line between paragraphs. Bold, italics, lists, headings and "
                                       "links are kept; anything else is removed."))
    category = forms.ChoiceField(label=pgettext_lazy("article", "Category"), choices=Category.choices)
    byline = forms.CharField(label=_("Byline"), max_length=200, required=False)
    source_name = forms.CharField(label=pgettext_lazy("article", "Source"), max_length=300, required=False,
                                  help_text=_("Cite where the facts come from when they are not our own."))
    source_url = forms.URLField(label=_("Link to the source"), max_length=500, required=False, assume_scheme="https")
    published_on = forms.DateField(label=_("Publication date"), required=False,
                                   help_text=_("Empty: the day it is published."))
    events = forms.ModelMultipleChoiceField(label=_("Events it speaks of"), required=False,
                                            queryset=Event.objects.none(), widget=forms.SelectMultiple(
                                                attrs={"size": 5}))
    projects = forms.ModelMultipleChoiceField(label=_("Projects it speaks of"), required=False,
                                              queryset=Project.objects.none(), widget=forms.SelectMultiple(
                                                  attrs={"size": 5}))
    establishments = forms.ModelMultipleChoiceField(label=_("Establishments it speaks of"), required=False,
                                                    queryset=Establishment.objects.none(),
                                                    widget=forms.SelectMultiple(attrs={"size": 5}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31)

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, model in (("events", Event), ("projects", Project), ("establishments", Establishment)):
            qs = model.objects.all()
            if province is not None:
                qs = qs.filter(province=province)
            self.fields[name].queryset = qs.order_by("-pk")

    @staticmethod
    def initial_for(article: Article) -> dict:
        data = {name: getattr(article, name) for name in ("title", "lead", "body", "category", "byline",
                                                          "source_name", "source_url", "published_on")}
        data.update({name: list(getattr(article, name).all()) for name in ("events", "projects", "establishments")})
        data["version"] = article.version
        return data

    def data_and_links(self) -> tuple[dict, dict]:
        c = self.cleaned_data
        data = {name: c[name] for name in ("title", "lead", "body", "category", "byline", "source_name",
                                           "source_url", "published_on")}
        links = {name: list(c[name]) for name in ("events", "projects", "establishments")}
        return data, links


class NewArticleForm(ArticleForm):
    province = forms.TypedChoiceField(label=_("Province"), coerce=int, empty_value=None)

    def __init__(self, *args, provinces=(), national=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p.code, p.name) for p in provinces]
        if national:
            choices = [(0, _("National news (the ministry)")), *choices]
        self.fields["province"].choices = choices
        self.order_fields(["province"])


class ImageForm(StyledFormMixin, forms.Form):
    image = forms.FileField(label=_("Picture"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    caption = forms.CharField(label=_("Caption"), max_length=300)


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31)
