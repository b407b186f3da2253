"""A messy spreadsheet written the way staff write: abbreviated entity types ("Hộ KD", "HKD", "DNNVV", "Cty TNHH",
"Cty CP") and places ("P. I", "TP. Tân An", "tinh long an", "H.Long Mỹ", "TX.Thủ Dầu Một"), read through the shared
reader of Vietnamese names (geo.names)."""

import pytest

from khuyencong.registry.importer import Importer, read_sheet
from khuyencong.registry.models import Establishment
from khuyencong.registry.parsing import parse_entity_type

from .helpers import CAN_THO, HO_CHI_MINH, TAY_NINH, current_named, legacy_commune, tax_code, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["Tên cơ sở", "Loại hình", "MST", "Xã/phường", "Quận/huyện", "Tỉnh/TP"]
ROWS = [
    ["Cơ sở bánh tráng Hai Lành", "Hộ KD", "", "P. Phú Cường", "TX.Thủ Dầu Một", "T. Bình Dương"],
    ["Cơ sở bánh phồng Ba Tư", "HKD", "", "P. I", "TP. Tân An", "tinh long an"],
    ["Công ty TNHH Mắm Tân An", "Cty TNHH (siêu nhỏ)", tax_code(11), "Phuong 01", "Tp Tan An", "LONG AN"],
    ["Công ty cổ phần Khô cá Thuận Hưng", "Cty CP (vừa)", tax_code(12), "X. Thuận Hưng", "H.Long Mỹ", "Hậu Giang"],
    ["Doanh nghiệp nhỏ Long Mỹ", "DNNVV - nhỏ", tax_code(13), "xa thuan hung", "huyen long my", "hau giang"],
]
EXPECTED = {
    "Cơ sở bánh tráng Hai Lành": ("household", "", HO_CHI_MINH, "Phường Thủ Dầu Một",
                                  ("Tỉnh Bình Dương", "Thành phố Thủ Dầu Một", "Phường Phú Cường")),
    "Cơ sở bánh phồng Ba Tư": ("household", "", TAY_NINH, "Phường Long An",
                               ("Tỉnh Long An", "Thành phố Tân An", "Phường 1")),
    "Công ty TNHH Mắm Tân An": ("sme", "micro", TAY_NINH, "Phường Long An",
                                ("Tỉnh Long An", "Thành phố Tân An", "Phường 1")),
    "Công ty cổ phần Khô cá Thuận Hưng": ("sme", "medium", CAN_THO, "Xã Xà Phiên",
                                          ("Tỉnh Hậu Giang", "Huyện Long Mỹ", "Xã Thuận Hưng")),
    "Doanh nghiệp nhỏ Long Mỹ": ("sme", "small", CAN_THO, "Xã Xà Phiên",
                                 ("Tỉnh Hậu Giang", "Huyện Long Mỹ", "Xã Thuận Hưng")),
}


@pytest.mark.parametrize(("typed", "expected"), [
    ("Hộ KD", ("household", "")), ("HKD", ("household", "")), ("hộ kd cá thể", ("household", "")),
    ("Hộ SX", ("household", "")), ("DNNVV", ("sme", "")), ("DN nhỏ và vừa - vừa", ("sme", "medium")),
    ("Cty TNHH", ("sme", "")), ("Cty TNHH MTV", ("sme", "")), ("Cty CP", ("sme", "")), ("CTCP", ("sme", "")),
    ("Cty TNHH (siêu nhỏ)", ("sme", "micro")), ("DNTN", ("sme", "")), ("HTX", ("cooperative", "")),
    ("THT", ("cooperative_group", "")), ("LHHTX", ("cooperative_union", "")),
])
def test_entity_type_spellings(typed, expected):
    assert parse_entity_type(typed) == expected


def test_messy_spellings_land_on_todays_units(tmp_path, admin):
    path = write_xlsx(tmp_path, HEADERS, ROWS)
    importer = Importer(actor=admin)
    report = importer.validate(read_sheet(path))
    assert not report.errors, [(e.row, e.column, e.message) for e in report.errors]
    importer.commit(report, good_rows=True)
    for name, (entity, size, code, commune, legacy) in EXPECTED.items():
        e = Establishment.objects.get(name=name)
        assert (e.entity_type, e.sme_size) == (entity, size), name
        assert e.province.code == code, name
        assert e.commune == current_named(code, commune), name
        assert e.legacy_unit == legacy_commune(*legacy), name
