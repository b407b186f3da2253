import datetime
from collections import Counter

import pytest
import vietnam_provinces as vp
from vietnam_provinces.legacy import base as legacy

from khuyencong.geo.loader import load_admin_units, unit_counts
from khuyencong.geo.models import AdminUnit, Succession

pytestmark = pytest.mark.django_db


def test_package_holds_the_official_lists():
    provinces = list(vp.Province.iter_all())
    wards = list(vp.Ward.iter_all())
    assert len(provinces) == 34
    assert len(wards) == 3321
    kinds = Counter(w.division_type for w in wards)
    assert kinds[vp.VietNamDivisionType.XA] == 2621
    assert kinds[vp.VietNamDivisionType.PHUONG] == 687
    assert kinds[vp.VietNamDivisionType.DAC_KHU] == 13
    assert len(list(legacy.Province.iter_all())) == 63
    assert len(list(legacy.District.iter_all())) == 696
    assert len(list(legacy.Ward.iter_all())) == 10051


def test_counts_of_both_schemes(admin_units):
    counts = unit_counts()
    assert counts["current_province"] == 34
    assert counts["current_commune"] == 3321
    assert "current_district" not in counts
    assert counts["legacy_province"] == 63
    assert counts["legacy_district"] == 696
    assert counts["legacy_commune"] == 10051


def test_current_commune_kinds(admin_units):
    kinds = Counter(AdminUnit.objects.current().communes().values_list("kind", flat=True))
    assert kinds == {"xa": 2621, "phuong": 687, "dac_khu": 13}


def test_code_80_is_tay_ninh_now_and_long_an_before(admin_units):
    assert AdminUnit.objects.current().provinces().get(code=80).name == "Tỉnh Tây Ninh"
    assert AdminUnit.objects.legacy().provinces().get(code=80).name == "Tỉnh Long An"


def test_every_unit_knows_its_province(admin_units):
    assert not AdminUnit.objects.filter(province__isnull=True).exists()
    assert not AdminUnit.objects.exclude(level="province").filter(parent__isnull=True).exists()
    province = AdminUnit.objects.legacy().provinces().get(code=80)
    assert province.province_id == province.pk
    ward = AdminUnit.objects.legacy().communes().get(code=27694)  # Phường 1, Thành phố Tân An
    assert (ward.parent.name, ward.province.name) == ("Thành phố Tân An", "Tỉnh Long An")


def test_dong_nai_became_a_centrally_run_city_on_30_april_2026(admin_units):
    dong_nai = AdminUnit.objects.current().provinces().get(code=75)
    assert dong_nai.kind_on(datetime.date(2026, 4, 29)) == "tinh"
    assert dong_nai.kind_on(datetime.date(2026, 4, 30)) == "thanh_pho_tw"
    assert dong_nai.name_on(datetime.date(2026, 4, 29)) == "Tỉnh Đồng Nai"
    assert dong_nai.name == "Thành phố Đồng Nai"
    # A unit with no recorded history keeps today's values on any date.
    lai_chau = AdminUnit.objects.current().provinces().get(code=12)
    assert lai_chau.kind_on(datetime.date(2025, 7, 1)) == lai_chau.kind == "tinh"


def test_successions_reach_every_level(admin_units):
    levels = Counter(Succession.objects.values_list("legacy__level", flat=True))
    # 63 old provinces, one row each: each went whole into one current province. The package's province table also
    # maps Tiền Giang to Tây Ninh, but all its communes went to Đồng Tháp; the loader follows the communes.
    assert levels["province"] == 63
    assert not AdminUnit.objects.legacy().provinces().filter(successors__isnull=True).exists()
    assert levels["district"] > 600
    assert levels["commune"] > 10000
    assert Succession.objects.count() == 14264
    assert not Succession.objects.exclude(legacy__scheme="legacy").exists()
    assert not Succession.objects.exclude(current__scheme="current").exists()


def test_reloading_is_idempotent(admin_units):
    ids = {(u.scheme, u.level, u.code): u.pk for u in AdminUnit.objects.only("scheme", "level", "code")}
    before = unit_counts()
    successions = set(Succession.objects.values_list("legacy_id", "current_id", "partial"))

    assert load_admin_units()["skipped"] is True  # same dataset version: nothing to do
    result = load_admin_units(force=True)

    assert result["skipped"] is False
    assert unit_counts() == before
    assert {(u.scheme, u.level, u.code): u.pk for u in AdminUnit.objects.only("scheme", "level", "code")} == ids
    assert set(Succession.objects.values_list("legacy_id", "current_id", "partial")) == successions
