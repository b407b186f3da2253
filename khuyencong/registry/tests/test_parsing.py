"""The readers of spreadsheet values: tax codes, phones, numbers, dates, yes/no and entity types."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from khuyencong.registry.parsing import (
    make_tax_code,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_entity_type,
    parse_int,
    parse_phone,
    parse_tax_code,
    tax_code_check_digit,
)

# --- tax codes ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["0100109106", "0300588569"])
def test_real_tax_codes_are_valid(code):
    assert parse_tax_code(code) == code


def test_check_digit_follows_the_weights():
    # 0,1,0,0,1,0,9,1,0 × 31,29,23,19,17,13,7,5,3 = 114; 114 mod 11 = 4; 10 − 4 = 6
    assert tax_code_check_digit("010010910") == 6
    assert make_tax_code("010010910") == "0100109106"


def test_a_sum_divisible_by_eleven_has_no_valid_check_digit():
    nine = next(f"{n:09d}" for n in range(1000) if sum(
        int(d) * w for d, w in zip(f"{n:09d}", (31, 29, 23, 19, 17, 13, 7, 5, 3), strict=True)) % 11 == 0 and n)
    assert tax_code_check_digit(nine) is None
    assert make_tax_code(nine) is None
    for last in "0123456789":
        with pytest.raises(ValueError, match="sai chữ số kiểm tra"):
            parse_tax_code(nine + last)


@pytest.mark.parametrize("typed", ["0100 109 106", " 0100109106 ", "0100.109.106", "0100-109-106", "0100 109\u00a0106"])
def test_tax_code_accepts_spaces_dots_and_dashes(typed):
    assert parse_tax_code(typed) == "0100109106"


@pytest.mark.parametrize("typed", ["0100109106-001", "0100109106 - 001", "0100109106 – 001", "0100109106001",
                                   "0100 109 106-001"])
def test_branch_tax_code(typed):
    assert parse_tax_code(typed) == "0100109106-001"


def test_tax_code_in_a_number_cell_gets_its_leading_zero_back():
    assert parse_tax_code(100109106) == "0100109106"
    assert parse_tax_code(100109106.0) == "0100109106"  # python_calamine reads number cells as floats


def test_wrong_check_digit_is_refused_in_vietnamese():
    with pytest.raises(ValueError) as exc:
        parse_tax_code("0100109107")
    assert str(exc.value) == "Mã số thuế 0100109107 sai chữ số kiểm tra."


@pytest.mark.parametrize("typed", ["", "12345", "01001091061", "01001O9106", "0100109106-01", "MST 0100109106"])
def test_malformed_tax_code_is_refused(typed):
    with pytest.raises(ValueError, match="Mã số thuế phải gồm 10 chữ số"):
        parse_tax_code(typed)


def test_branch_000_is_refused():
    with pytest.raises(ValueError, match="không được là 000"):
        parse_tax_code("0100109106-000")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_made_tax_code_parses_back(nine):
    code = make_tax_code(nine)
    assume(code is not None)
    assert parse_tax_code(code) == code
    assert parse_tax_code(f"{code[:4]} {code[4:7]} {code[7:]}") == code
    assert parse_tax_code(f"{code}-002") == f"{code}-002"


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(min_value=1, max_value=9))
def test_any_other_last_digit_is_refused(nine, shift):
    code = make_tax_code(nine)
    assume(code is not None)
    wrong = f"{nine}{(int(code[9]) + shift) % 10}"
    with pytest.raises(ValueError, match="sai chữ số kiểm tra"):
        parse_tax_code(wrong)


# --- phones -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["+84 912 345 678", "0912.345.678", "84912345678", 912345678, 912345678.0,
                                   "0912 345 678", "(+84) 912-345-678", "0912345678"])
def test_phone_forms_become_ten_digits(typed):
    assert parse_phone(typed) == "0912345678"


def test_landline_with_area_code():
    assert parse_phone("(0213) 387 6543") == "02133876543"


@pytest.mark.parametrize("typed", ["12345", "091234567891234", "không có", "0912 345"])
def test_bad_phone_is_refused_in_vietnamese(typed):
    with pytest.raises(ValueError, match=r"Số điện thoại .* không đúng"):
        parse_phone(typed)


mobile = st.builds(lambda head, rest: head + rest, st.sampled_from("35789"),
                   st.text(alphabet="0123456789", min_size=8, max_size=8))


@given(mobile)
def test_every_written_form_of_a_mobile_number_parses_to_the_same(subscriber):
    expected = "0" + subscriber
    forms = [
        expected,
        f"+84 {subscriber[:3]} {subscriber[3:6]} {subscriber[6:]}",
        f"{expected[:4]}.{expected[4:7]}.{expected[7:]}",
        "84" + subscriber,
        int(subscriber),
        float(subscriber),
        f"(+84) {subscriber}",
        f"0{subscriber[:2]}-{subscriber[2:5]}-{subscriber[5:]}",
    ]
    assert {parse_phone(form) for form in forms} == {expected}


# --- numbers ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "value"), [("1.234.567", 1234567), ("1,234,567", 1234567), ("1 234 567", 1234567),
                                              (1234567, 1234567), (1234567.0, 1234567), ("12", 12), (" 7 ", 7)])
def test_parse_int(typed, value):
    assert parse_int(typed) == value


@pytest.mark.parametrize("typed", ["mười hai", 12.5, True, "", "12 người"])
def test_parse_int_refuses_what_is_not_a_whole_number(typed):
    with pytest.raises(ValueError):
        parse_int(typed)


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_do_not_change_the_number(n):
    dotted = f"{n:,}".replace(",", ".")
    assert parse_int(dotted) == n
    assert parse_int(f"{n:,}") == n
    assert parse_int(f"{n:,}".replace(",", " ")) == n
    assert parse_int(float(n)) == n


def test_parse_decimal():
    assert parse_decimal("10,5") == Decimal("10.5")
    assert parse_decimal(106.25) == Decimal("106.25")
    with pytest.raises(ValueError, match="không phải số"):
        parse_decimal("mười")


# --- dates --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "value"), [
    ("05/03/2019", datetime.date(2019, 3, 5)),
    ("5/3/2019", datetime.date(2019, 3, 5)),
    ("5-3-2019", datetime.date(2019, 3, 5)),
    ("05.03.2019", datetime.date(2019, 3, 5)),
    ("2019-03-05", datetime.date(2019, 3, 5)),
    (43529, datetime.date(2019, 3, 5)),  # an Excel serial number
    (43529.0, datetime.date(2019, 3, 5)),
    (datetime.date(2019, 3, 5), datetime.date(2019, 3, 5)),  # a date cell
    (datetime.datetime(2019, 3, 5, 0, 0), datetime.date(2019, 3, 5)),
])
def test_parse_date(typed, value):
    assert parse_date(typed) == value


@pytest.mark.parametrize("typed", ["31/02/2019", "13/13/2019", "hôm qua", "2019", -5, 10**6])
def test_bad_date_is_refused_in_vietnamese(typed):
    with pytest.raises(ValueError, match=r"Ngày .* không đúng"):
        parse_date(typed)


@given(st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_every_form_of_a_date_reads_back(day):
    serial = (day - datetime.date(1899, 12, 30)).days
    forms = [f"{day.day:02d}/{day.month:02d}/{day.year}", f"{day.day}/{day.month}/{day.year}", day.isoformat(),
             serial, float(serial), day, datetime.datetime.combine(day, datetime.time())]
    assert {parse_date(form) for form in forms} == {day}


# --- yes / no -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["x", "X", "có", "Có", "CÓ", "yes", 1, 1.0, True, "✓"])
def test_yes(typed):
    assert parse_bool(typed) is True


@pytest.mark.parametrize("typed", ["", None, "không", "Không", "0", 0, False, "-"])
def test_no(typed):
    assert parse_bool(typed) is False


def test_neither_yes_nor_no():
    with pytest.raises(ValueError, match="ghi 'x' hoặc 'có'"):
        parse_bool("có lẽ")


# --- entity types -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [
    ("Hộ kinh doanh", ("household", "")),
    ("hộ kinh doanh cá thể", ("household", "")),
    ("HKD", ("household", "")),
    ("HTX", ("cooperative", "")),
    ("Hợp tác xã", ("cooperative", "")),
    ("Tổ hợp tác", ("cooperative_group", "")),
    ("Liên hiệp HTX", ("cooperative_union", "")),
    ("Liên hiệp hợp tác xã", ("cooperative_union", "")),
    ("Công ty TNHH (siêu nhỏ)", ("sme", "micro")),
    ("Công ty TNHH (nhỏ)", ("sme", "small")),
    ("DNNVV - vừa", ("sme", "medium")),
    ("Doanh nghiệp nhỏ và vừa - siêu nhỏ", ("sme", "micro")),
    ("Doanh nghiệp nhỏ và vừa", ("sme", "")),  # no size written: the importer asks for it
    ("Công ty cổ phần", ("sme", "")),
    ("Doanh nghiệp lớn", ("other", "")),
])
def test_entity_type_wordings(typed, expected):
    assert parse_entity_type(typed) == expected


def test_entity_type_in_nfd_and_capitals():
    import unicodedata

    assert parse_entity_type(unicodedata.normalize("NFD", "HỘ KINH DOANH")) == ("household", "")


def test_unknown_or_missing_entity_type():
    with pytest.raises(ValueError, match="Loại hình 'Trang trại' không rõ"):
        parse_entity_type("Trang trại")
    with pytest.raises(ValueError, match="Thiếu loại hình"):
        parse_entity_type("")
