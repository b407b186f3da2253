"""Text folding and normalisation: the search form of Vietnamese names."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.core.text import fold, normalize_text


@pytest.mark.parametrize(
    "variant", ["Đông", "dong", "ĐÔNG", "đông", unicodedata.normalize("NFD", "Đông"), "  Đông ", "DONG"]
)
def test_fold_treats_every_spelling_of_dong_as_one_word(variant):
    assert fold(variant) == "dong"


def test_fold_nfd_input_equals_nfc_input():
    nfd = unicodedata.normalize("NFD", "Đông")
    assert nfd != "Đông"  # the test input really is decomposed
    assert fold(nfd) == fold("Đông")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hà Nội", "ha noi"),
        ("Thành phố Hồ Chí Minh", "thanh pho ho chi minh"),
        ("Trung tâm Khuyến công", "trung tam khuyen cong"),
        ("Ủy ban nhân dân xã Sìn Hồ", "uy ban nhan dan xa sin ho"),
        ("  Lai   Châu\t\n", "lai chau"),
        ("Hà \u0300Nội", "ha noi"),  # a stray tone mark typed after the space
        ("0\r\u0300\r0", "0 0"),
        ("Nội \u0301", "noi"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_examples(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Hà   Nội ", "Hà Nội"),
        ("Lai\tChâu\n\nmới", "Lai Châu mới"),
        ("\u00a0Tây\u00a0Ninh\u00a0", "Tây Ninh"),
        (None, ""),
        ("", ""),
    ],
)
def test_normalize_text_trims_and_collapses_whitespace(text, expected):
    assert normalize_text(text) == expected


def test_normalize_text_composes_nfd_input():
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Thu Hà")
    result = normalize_text(nfd)
    assert result == "Nguyễn Thị Thu Hà"
    assert len(result) < len(nfd)


def test_normalize_text_keeps_case_and_diacritics():
    assert normalize_text("ĐÔNG Hà") == "ĐÔNG Hà"


def test_normalize_text_accepts_non_strings():
    assert normalize_text(123) == "123"


# Vietnamese letters and marks are over-represented so the properties exercise the interesting cases.
_VIETNAMESE = "ĐđÐðăâêôơưĂÂÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_COMBINING = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
texts = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(list(_VIETNAMESE + _COMBINING + "aeiouyd AEIOUYD\t\n"))),
)


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(texts)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(texts)
def test_fold_ignores_normalisation_form(text):
    assert fold(unicodedata.normalize("NFC", text)) == fold(unicodedata.normalize("NFD", text))


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(texts)
def test_fold_output_has_no_combining_marks_and_no_d_stroke(text):
    folded = fold(text)
    assert not any(unicodedata.combining(ch) for ch in folded)
    assert "đ" not in folded
    assert "Đ" not in folded


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(texts)
def test_fold_output_is_lowercase_and_trimmed(text):
    folded = fold(text)
    assert folded == folded.strip()
    assert "  " not in folded
    assert folded == folded.lower()


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(texts)
def test_normalize_text_output_is_nfc(text):
    result = normalize_text(text)
    assert unicodedata.is_normalized("NFC", result)


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(texts)
def test_normalize_text_is_idempotent(text):
    assert normalize_text(normalize_text(text)) == normalize_text(text)


def test_choice_labels_follow_the_language_and_unknown_values_pass_through():
    """get_<field>_display() reads the labels kept per language (core.choices), as Django's own would answer."""
    from django.utils import translation

    from khuyencong.projects.models import Project, ProjectStatus

    project = Project(status=ProjectStatus.IN_PROGRESS)
    with translation.override("en"):
        assert project.get_status_display() == str(ProjectStatus.IN_PROGRESS.label) == "In progress"
    with translation.override("vi"):
        assert project.get_status_display() == str(ProjectStatus.IN_PROGRESS.label) != "In progress"
    project.status = "no_such_status"
    assert project.get_status_display() == "no_such_status"
