"""The form mixin every form uses and the template filters every page uses."""

import datetime
import json
import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.core.forms import DATE_PATTERN, DateInput, StyledFormMixin, date_from_text
from khuyencong.geo.models import AdminUnitPeriod


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


# --- the one date input -------------------------------------------------------------------------------------------


class DatedForm(StyledFormMixin, forms.Form):
    on = forms.DateField(widget=DateInput())
    until = forms.DateField(widget=DateInput(), required=False)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_date_input_renders_day_first_text_for_the_picker(language):
    with translation.override(language):
        html = str(DatedForm(initial={"on": datetime.date(2026, 3, 5)})["on"])
    assert 'type="text"' in html and 'type="date"' not in html  # Chromium's type=date is mm/dd/yyyy in English
    assert 'value="05/03/2026"' in html
    for attr in ('inputmode="numeric"', 'placeholder="dd/mm/yyyy"', 'autocomplete="off"', "data-kc-date",
                 'class="form-control"'):
        assert attr in html


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("typed", ["05/03/2026", "5/3/2026", "05-03-2026", "05.03.2026", "2026-03-05", " 05/03/2026 "])
def test_date_input_reads_day_first_and_iso(language, typed):
    with translation.override(language):
        form = DatedForm(data={"on": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == datetime.date(2026, 3, 5)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31)))
def test_every_date_shown_reads_back_as_the_same_day(day):
    with translation.override("vi"):
        shown = DatedForm(initial={"on": day})["on"].value()
        widget_text = DateInput().format_value(shown)
        form = DatedForm(data={"on": widget_text})
        assert form.is_valid(), (widget_text, form.errors)
    assert widget_text == day.strftime("%d/%m/%Y") and form.cleaned_data["on"] == day


@pytest.mark.parametrize("typed", ["31/02/2026", "03/15/2026", "5/3/26", "hôm nay"])
def test_an_impossible_date_is_refused_in_vietnamese_and_kept_as_typed(typed):
    with translation.override("vi"):
        form = DatedForm(data={"on": typed})
        assert not form.is_valid()
        assert form.errors["on"] == ["Nhập ngày theo dạng dd/mm/yyyy, ví dụ 07/12/2026."]
        html = str(form["on"])
    assert f'value="{typed}"' in html and "is-invalid" in html


class PlainDateForm(forms.Form):
    """A form that says nothing about its date's widget, as any module may write one."""

    on = forms.DateField()


class DatedModelForm(forms.ModelForm):
    class Meta:
        model = AdminUnitPeriod
        fields = ["valid_from"]


@pytest.mark.parametrize("form_class", [PlainDateForm, DatedModelForm])
def test_every_date_field_of_the_project_gets_the_day_first_input(form_class):
    """The default is set once (core.forms.install_date_input): no form has to ask for it."""
    name = next(iter(form_class.base_fields))
    with translation.override("en"):
        html = str(form_class(initial={name: datetime.date(2026, 12, 7)})[name])
        refused = form_class(data={name: "12/31/2026"})
        assert not refused.is_valid()
    assert 'type="text"' in html and 'value="07/12/2026"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert 'inputmode="numeric"' in html and "data-kc-date" in html and f'pattern="{DATE_PATTERN}"' in html
    with translation.override("vi"):
        assert 'title="Ngày theo dạng dd/mm/yyyy, ví dụ 07/12/2026"' in str(form_class()[name])
        assert form_class(data={name: "12/31/2026"}).errors[name] == [
            "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 07/12/2026."]
    assert form_class(data={name: "07/12/2026"}).is_valid()


@pytest.mark.parametrize(("typed", "shape_ok"), [
    ("07/12/2026", True), ("7/12/2026", True), ("07-12-2026", True), ("07.12.2026", True), ("2026-12-07", True),
    (" 07/12/2026 ", True), ("07/12/26", False), ("hôm nay", False), ("2026/12/07", False), ("07/12/2026x", False),
])
def test_the_browser_pattern_accepts_the_shapes_the_server_reads(typed, shape_ok):
    """The pattern only stops a wrong shape before sending; the server still refuses an impossible day."""
    assert bool(re.fullmatch(DATE_PATTERN, typed)) is shape_ok
    if shape_ok:
        assert date_from_text(typed) == datetime.date(2026, 12, 7)


def test_date_input_tag_is_the_same_widget_with_a_row_id():
    html = _render('{% date_input "end_date" v id="end-" id_suffix=7 class="form-control form-control-sm" %}',
                   v=datetime.date(2025, 7, 1))
    assert html == str(DateInput({"id": "end-7", "class": "form-control form-control-sm"}).render(
        "end_date", datetime.date(2025, 7, 1)))
    assert 'id="end-7"' in html and 'value="01/07/2025"' in html and "data-kc-date" in html
    assert 'value=' not in _render('{% date_input "on" None id="on" %}')


def test_date_picker_labels_are_translated():
    with translation.override("vi"):
        html = _render("{% date_picker_labels %}")
    assert html.startswith('<script id="kc-date-labels" type="application/json">')
    labels = json.loads(html.split(">", 1)[1].rsplit("<", 1)[0])
    assert labels.pop("months") == [f"Tháng {number}" for number in range(1, 13)]
    assert labels == {"yearAriaLabel": "Năm", "monthAriaLabel": "Tháng", "scrollTitle": "Cuộn để thay đổi",
                      "previousMonth": "Tháng trước", "nextMonth": "Tháng sau"}


@pytest.mark.parametrize(("text", "expected"), [
    ("10/01/2026", datetime.date(2026, 1, 10)), ("2026-01-10", datetime.date(2026, 1, 10)),
    ("31/02/2026", None), ("", None), (None, None),
])
def test_date_from_text(text, expected):
    assert date_from_text(text) == expected
