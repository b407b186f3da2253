"""Readers for the values real spreadsheets hold: tax codes, phones, dates, numbers, yes/no, entity types.

Each parser returns the clean value or raises ValueError with a Vietnamese message for the error report.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from khuyencong.core.text import fold, normalize_text

_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_TAX_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015]")


def tax_code_check_digit(first_nine: str) -> int | None:
    """The 10th digit of a tax code (mã số thuế) from the first nine; None when no digit can be valid."""
    total = sum(int(d) * w for d, w in zip(first_nine, _TAX_WEIGHTS, strict=True))
    check = 10 - total % 11
    return None if check == 10 else check % 10 if check == 11 else check


def parse_tax_code(value) -> str:
    """ "0101 234 567", "0101-234-567", "0101234567-001", "0101234567 – 001" → "0101234567" / "0101234567-001".

    Spaces, dots and dashes (Word turns "-" into "–") are only separators: the digits decide, 10 for the
    enterprise, 13 for a branch."""
    text = _TAX_SEPARATORS.sub("", normalize_text(value if value is not None else ""))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = f"{int(value):010d}"
    match = re.fullmatch(r"(\d{10})(\d{3})?", text)
    if not match:
        raise ValueError("Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số kèm '-' và 3 chữ số của chi nhánh.")
    main, branch = match.groups()
    if tax_code_check_digit(main[:9]) != int(main[9]):
        raise ValueError(f"Mã số thuế {main} sai chữ số kiểm tra.")
    if branch == "000":
        raise ValueError("Mã chi nhánh (3 số cuối) không được là 000.")
    return f"{main}-{branch}" if branch else main


def make_tax_code(first_nine: str) -> str | None:
    check = tax_code_check_digit(first_nine)
    return None if check is None else f"{first_nine}{check}"


def parse_phone(value) -> str:
    """ "+84 912 345 678", "0912.345.678", "84912345678", "(0213) 387 6543", 912345678 → "0912345678"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value))
    digits = re.sub(r"\D", "", normalize_text(value))
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits  # Excel drops the leading zero of a number cell
    if not re.fullmatch(r"0\d{9,10}", digits):
        raise ValueError(f"Số điện thoại '{normalize_text(value)}' không đúng (cần 10 số, ví dụ 0912345678).")
    return digits


def parse_date(value) -> datetime.date:
    """dd/mm/yyyy, d-m-yyyy, yyyy-mm-dd, Excel serial numbers and date cells."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 100000:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise ValueError(f"Ngày '{value}' không đúng.")
    text = normalize_text(value)
    for pattern in (r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})"):
        match = re.fullmatch(pattern, text)
        if match:
            a, b, c = (int(x) for x in match.groups())
            day, month, year = (a, b, c) if len(match.group(1)) <= 2 else (c, b, a)
            try:
                return datetime.date(year, month, day)
            except ValueError:
                break
    raise ValueError(f"Ngày '{text}' không đúng (ghi theo dạng dd/mm/yyyy).")


def parse_int(value) -> int:
    """ "1.234", "1,234", "1 234", 1234.0 → 1234."""
    if isinstance(value, bool):
        raise ValueError("Cần một số nguyên.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"'{value}' không phải số nguyên.")
    text = re.sub(r"[\s.,]", "", normalize_text(value))
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError(f"'{normalize_text(value)}' không phải số nguyên.")
    return int(text)


def parse_decimal(value) -> Decimal:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    text = normalize_text(value).replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"'{text}' không phải số.") from None


_YES = {"x", "co", "yes", "y", "1", "true", "dung", "v", "✓", "c"}
_NO = {"", "khong", "no", "n", "0", "false", "k", "-"}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    folded = fold(value)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise ValueError(f"'{normalize_text(value)}': ghi 'x' hoặc 'có' nếu đúng, để trống nếu không.")


_ENTITY_WORDS = [
    ("cooperative_union", ("lien hiep hop tac xa", "lien hiep htx", "lhhtx")),
    ("cooperative_group", ("to hop tac", "tht")),
    ("cooperative", ("hop tac xa", "htx")),
    ("household", ("ho kinh doanh", "ho gia dinh", "hkd", "ho ca the", "co so san xuat", "ho kd", "ho sx",
                   "ho san xuat", "ho sxkd", "hsxkd")),
    ("sme", ("doanh nghiep nho va vua", "dnnvv", "dn nho va vua", "cong ty", "cty", "ct", "ctcp",
             "doanh nghiep tu nhan", "dntn", "tnhh", "co phan", "doanh nghiep", "dn")),
    ("other", ("doanh nghiep lon", "khac")),
]
_SIZE_WORDS = {"sieu nho": "micro", "nho": "small", "vua": "medium"}


def parse_entity_type(value) -> tuple[str, str]:
    """ "Hộ kinh doanh", "HTX", "Công ty TNHH (nhỏ)", "DNNVV - siêu nhỏ" → (entity_type, sme_size)."""
    folded = fold(value)
    if not folded:
        raise ValueError("Thiếu loại hình (hộ kinh doanh, hợp tác xã, tổ hợp tác, doanh nghiệp nhỏ và vừa…).")
    if folded.startswith("doanh nghiep lon"):
        return "other", ""
    for code, words in _ENTITY_WORDS:
        if any(folded == w or folded.startswith(w + " ") or f" {w}" in f" {folded}" for w in words):
            size = ""
            if code == "sme":
                for word, size_code in _SIZE_WORDS.items():
                    if re.search(rf"\b{word}\b", folded.replace("nho va vua", "")):
                        size = size_code
                        break
            return code, size
    raise ValueError(f"Loại hình '{normalize_text(value)}' không rõ.")
