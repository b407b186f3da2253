"""The error summary every form page shows at its top (components/error_summary.html, drawn by form_fields.html):
each error with a link to its field, focusable so that the static script can move the focus to it."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from khuyencong.core.forms import StyledFormMixin
from khuyencong.network.tests.factories import make_regulation


class SampleForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="Tên cơ sở", max_length=10)
    on = forms.DateField(label="Ngày")
    kinds = forms.MultipleChoiceField(label="Ngành nghề", choices=[("a", "A"), ("b", "B")],
                                      widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Hồ sơ đã bị người khác sửa.")


def test_no_error_no_summary():
    assert "data-error-summary" not in render_to_string("components/form_fields.html", {"form": SampleForm()})


def test_each_error_is_listed_with_a_link_to_its_field():
    form = SampleForm(data={"name": "", "on": "31/02/2026", "kinds": [], "version": "x"})
    with translation.override("vi"):
        assert not form.is_valid()
        html = render_to_string("components/form_fields.html", {"form": form})
    summary, fields = html.split("</ul>", 1)
    assert summary.index("data-error-summary") < summary.index("<ul")
    assert 'tabindex="-1"' in summary and 'role="alert"' in summary and "Chưa lưu được" in summary
    assert "<li>Hồ sơ đã bị người khác sửa.</li>" in summary  # the form's own error, no field to link to
    assert '<a class="alert-link" href="#id_name">Tên cơ sở</a>: Trường này là bắt buộc.' in summary
    assert '<a class="alert-link" href="#id_on">Ngày</a>: Nhập ngày theo dạng dd/mm/yyyy' in summary
    assert 'href="#id_kinds_0"' in summary  # a group of boxes: its first box
    assert "<li>Nhập một số" in summary and 'href="#id_version"' not in summary  # a hidden field: no link
    assert 'id="id_name"' in fields and 'id="id_on"' in fields  # the targets exist


@pytest.mark.django_db
def test_the_public_application_page_puts_the_summary_above_the_form(client, admin_units):
    make_regulation(12)
    body = client.post("/network/apply/?province=12",
                       {"province": "12", "full_name": "Giàng Thị Pằng"}).content.decode()
    assert body.index("data-error-summary") < body.index('<form method="post"')
    assert 'href="#id_birth_year"' in body and 'href="#id_communes_0"' in body and 'id="id_communes_0"' in body
