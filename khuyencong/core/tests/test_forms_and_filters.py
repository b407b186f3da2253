"""The form mixin every form uses and the template filters every page uses."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from khuyencong.core.forms import StyledFormMixin


class SampleForm(StyledFormMixin, forms.Form):
    name = forms.CharField(max_length=5)
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    active = forms.BooleanField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def test_widgets_get_their_bootstrap_class():
    form = SampleForm()
    assert form.fields["name"].widget.attrs["class"] == "form-control"
    assert form.fields["kind"].widget.attrs["class"] == "form-select"
    assert "class" not in form.fields["active"].widget.attrs
    assert "class" not in form.fields["version"].widget.attrs


def test_invalid_fields_are_marked_once():
    form = SampleForm(data={"name": "quá dài", "kind": "a"})
    assert not form.is_valid()
    form.full_clean()
    assert form.fields["name"].widget.attrs["class"].split() == ["form-control", "is-invalid"]
    assert "is-invalid" not in form.fields["kind"].widget.attrs["class"]


def test_errors_added_after_validation_are_marked():
    form = SampleForm(data={"name": "Sở", "kind": "a"})
    assert form.is_valid()
    form.add_error("kind", "Bị từ chối")
    form.add_error(None, "Lỗi chung")
    assert "is-invalid" in form.fields["kind"].widget.attrs["class"]
    assert "is-invalid" not in form.fields["name"].widget.attrs["class"]
    assert 'class="form-select is-invalid"' in str(form["kind"])


def test_forms_do_not_share_widget_classes():
    SampleForm(data={"name": "quá dài", "kind": "a"}).is_valid()
    assert "is-invalid" not in SampleForm().fields["name"].widget.attrs["class"]


def _render(template, **context):
    return Template(template).render(Context(context))


@pytest.mark.parametrize(
    ("template", "value", "expected"),
    [
        ("{{ v|vnd }}", 1234567, "1.234.567 ₫"),
        ("{{ v|vnd }}", None, "—"),
        ("{{ v|vnd_short }}", 12_500_000_000, "12,5 tỷ"),
        ("{{ v|number }}", 3321, "3.321"),
        ("{{ v|number }}", 0, "0"),
        ("{{ v|number }}", None, "—"),
        ("{{ v|number }}", "", "—"),
        ("{{ v|dmy }}", datetime.date(2025, 7, 1), "01/07/2025"),
        ("{{ v|dmy }}", None, "—"),
    ],
)
def test_filters(template, value, expected):
    assert _render(template, v=value) == expected


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dmy_is_day_first_in_every_language(language):
    with translation.override(language):
        assert _render("{{ v|dmy }}", v=datetime.date(2026, 1, 31)) == "31/01/2026"


class NarrowedForm(SampleForm):
    """A form that restricts a field after the mixin's __init__, as scoped forms do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("a", "A")]


def test_validation_waits_for_the_subclass_to_narrow_its_fields():
    form = NarrowedForm(data={"name": "Sở", "kind": "b"})
    assert not form.is_valid()
    assert "kind" in form.errors
    assert "is-invalid" in form.fields["kind"].widget.attrs["class"]
