"""Writes to the registry: create, edit, merge, supports, eligibility; each refusal with its Vietnamese message."""

import datetime
import unicodedata

import pytest
from django.utils.translation import gettext as tr

from khuyencong.core.audit import audit_events_for
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.core.models import AuditEvent
from khuyencong.registry import services
from khuyencong.registry.models import Artisan, Establishment, EstablishmentMerge, Sector, SupportRecord

from .helpers import (
    HA_NOI,
    LAI_CHAU,
    TAY_NINH,
    DjangoMessage,
    current_commune,
    make_establishment,
    make_village,
    tax_code,
)

pytestmark = pytest.mark.django_db

AFTER_235 = datetime.date(2026, 3, 1)  # Decree 235/2025 in force since 15/10/2025
BEFORE_235 = datetime.date(2025, 10, 14)


def _data(**fields) -> dict:
    values = {"name": "Cơ sở bánh tráng Tư Hòa", "entity_type": "household", "commune": current_commune(TAY_NINH),
              "representative": "Nguyễn Văn Tư", "main_products": "Bánh tráng phơi sương", "address": "Ấp 3"}
    return {**values, **fields}


# --- create -------------------------------------------------------------------------------------------------------


def test_create_registers_the_establishment_with_its_derived_fields(staff):
    food = Sector.objects.get(code="agro_food_processing")
    nfd_name = unicodedata.normalize("NFD", "  Cơ sở bánh tráng   Tư Hòa ")
    e = services.establishment_create(actor=staff, data=_data(name=nfd_name, tax_code="0300588569"), sectors=[food])
    e.refresh_from_db()
    assert e.name == "Cơ sở bánh tráng Tư Hòa"  # NFC, spaces collapsed
    assert e.name_folded == "co so banh trang tu hoa"
    assert e.province.code == TAY_NINH
    assert "banh trang phoi suong" in e.search_text and "nguyen van tu" in e.search_text
    assert "0300588569" in e.search_text
    assert e.eligible is True  # a household in a xã of a province
    assert e.eligibility_checked_on is not None
    assert list(e.sectors.all()) == [food]
    [event] = audit_events_for(e)
    assert event.action == "establishment.create"
    assert event.actor == staff
    assert event.changes["name"] == [None, "Cơ sở bánh tráng Tư Hòa"]
    assert event.changes["tax_code"] == [None, "0300588569"]


def test_a_viewer_cannot_create(viewer):
    with pytest.raises(PermissionDenied) as exc:
        services.establishment_create(actor=viewer, data=_data())
    assert exc.value.message == "Vai trò của bạn chỉ được xem sổ cơ sở."
    assert not Establishment.objects.exists()


def test_lai_chau_staff_cannot_create_in_tay_ninh(laichau_staff):
    with pytest.raises(PermissionDenied) as exc:
        services.establishment_create(actor=laichau_staff, data=_data(commune=current_commune(TAY_NINH)))
    assert exc.value.message == "Địa điểm này nằm ngoài địa bàn của bạn."
    assert not Establishment.objects.exists()
    services.establishment_create(actor=laichau_staff, data=_data(commune=current_commune(LAI_CHAU)))


def test_same_tax_code_is_refused_in_vietnamese(staff):
    services.establishment_create(actor=staff, data=_data(tax_code="0300588569"))
    with pytest.raises(InvalidInput) as exc:
        services.establishment_create(actor=staff, data=_data(name="Công ty khác", entity_type="sme",
                                                              sme_size="small", tax_code="0300588569"))
    assert exc.value.field == "tax_code"
    assert exc.value.message == ("Mã số thuế 0300588569 đã thuộc về “Cơ sở bánh tráng Tư Hòa”: cùng mã số thuế là "
                                 "cùng một cơ sở.")
    assert Establishment.objects.count() == 1


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"name": "   "}, "name", "Cần nhập tên cơ sở."),
    ({"commune": None}, "commune", "Chọn xã/phường nơi cơ sở hoạt động."),
    ({"ocop_stars": 6}, "ocop_stars", "Sao OCOP từ 1 đến 5."),
    ({"ocop_stars": 0}, "ocop_stars", "Sao OCOP từ 1 đến 5."),
    ({"entity_type": "sme", "sme_size": ""}, "sme_size", "Chọn quy mô doanh nghiệp (siêu nhỏ, nhỏ hoặc vừa)."),
    ({"entity_type": "trang_trai"}, "entity_type",
     DjangoMessage("Value %(value)r is not a valid choice.", value="trang_trai")),
    ({"entity_type": ""}, "entity_type", DjangoMessage("This field cannot be blank.")),
    ({"name": "Cơ sở " * 60}, "name", "250"),
    ({"status": "deleted"}, "status", "deleted"),
    ({"email": "khong-phai-email"}, "email", DjangoMessage("Enter a valid email address.")),
    ({"employees": -3}, "employees",
     DjangoMessage("Ensure this value is greater than or equal to %(limit_value)s.", limit_value=0)),
    ({"employees": 5_000_000}, "employees",
     DjangoMessage("Ensure this value is less than or equal to %(limit_value)s.", limit_value=1_000_000)),
    ({"latitude": 123}, "latitude",
     DjangoMessage("Ensure this value is less than or equal to %(limit_value)s.", limit_value=90)),
    ({"woman_owned": None}, "woman_owned", DjangoMessage("This field cannot be null.")),
])
def test_bad_input_is_refused_with_its_field(staff, fields, field, message):
    with pytest.raises(InvalidInput) as exc:
        services.establishment_create(actor=staff, data=_data(**fields))
    assert exc.value.field == field
    assert str(message) in exc.value.message
    assert not Establishment.objects.exists()


def test_a_legacy_commune_is_refused(staff):
    from khuyencong.geo.models import AdminUnit

    old = AdminUnit.objects.legacy().communes().filter(province__code=80).first()  # old Long An
    with pytest.raises(InvalidInput) as exc:
        services.establishment_create(actor=staff, data=_data(commune=old))
    assert exc.value.message == "Xã/phường phải là đơn vị cấp xã hiện nay."


def test_a_craft_village_of_another_province_is_refused(staff):
    village = make_village(current_commune(LAI_CHAU), "Làng nghề dệt thổ cẩm bản Lướt")
    with pytest.raises(InvalidInput) as exc:
        services.establishment_create(actor=staff, data=_data(craft_village=village))
    assert exc.value.message == "Làng nghề thuộc tỉnh khác."


# --- update -------------------------------------------------------------------------------------------------------


def test_update_saves_the_change_and_its_audit_event(staff):
    e = services.establishment_create(actor=staff, data=_data())
    services.establishment_update(actor=staff, establishment=e, version=e.version,
                                  data={"main_products": "Bánh tráng nướng, bánh tráng phơi sương"})
    e.refresh_from_db()
    assert e.main_products == "Bánh tráng nướng, bánh tráng phơi sương"
    assert e.version == 2
    assert "banh trang nuong" in e.search_text
    event = audit_events_for(e).first()
    assert event.action == "establishment.update"
    assert event.changes == {"main_products": ["Bánh tráng phơi sương", "Bánh tráng nướng, bánh tráng phơi sương"]}


def test_update_without_a_change_writes_nothing(staff):
    e = services.establishment_create(actor=staff, data=_data())
    services.establishment_update(actor=staff, establishment=e, version=e.version,
                                  data={"name": "Cơ sở bánh tráng Tư Hòa"})
    e.refresh_from_db()
    assert e.version == 1
    assert audit_events_for(e).count() == 1


def test_update_records_the_sectors_it_changes(staff):
    food, crafts = Sector.objects.get(code="agro_food_processing"), Sector.objects.get(code="handicrafts")
    e = services.establishment_create(actor=staff, data=_data(), sectors=[food])
    services.establishment_update(actor=staff, establishment=e, version=e.version, data={}, sectors=[food, crafts])
    assert set(e.sectors.all()) == {food, crafts}
    assert audit_events_for(e).first().changes == {"sectors": [[food.pk], sorted([food.pk, crafts.pk])]}


def test_a_stale_version_is_a_conflict_and_the_first_edit_is_kept(staff, colleague):
    created = services.establishment_create(actor=staff, data=_data())
    mine = Establishment.objects.get(pk=created.pk)
    theirs = Establishment.objects.get(pk=created.pk)
    services.establishment_update(actor=colleague, establishment=theirs, version=theirs.version,
                                  data={"main_products": "Bánh tráng nướng"})
    with pytest.raises(Conflict) as exc:
        services.establishment_update(actor=staff, establishment=mine, version=mine.version,
                                      data={"main_products": "Bánh phồng"})
    assert exc.value.message.startswith("Người khác đã sửa cơ sở này sau khi bạn mở.")
    created.refresh_from_db()
    assert created.main_products == "Bánh tráng nướng"
    assert created.version == 2
    assert [ev.action for ev in audit_events_for(created)] == ["establishment.update", "establishment.create"]


def test_a_viewer_cannot_edit(staff, viewer):
    e = services.establishment_create(actor=staff, data=_data())
    with pytest.raises(PermissionDenied) as exc:
        services.establishment_update(actor=viewer, establishment=e, version=e.version, data={"name": "Bị sửa"})
    assert exc.value.message == "Vai trò của bạn chỉ được xem sổ cơ sở."
    e.refresh_from_db()
    assert e.name == "Cơ sở bánh tráng Tư Hòa"


def test_another_province_cannot_edit_nor_receive_the_record(staff, laichau_staff):
    e = services.establishment_create(actor=staff, data=_data())
    with pytest.raises(PermissionDenied):
        services.establishment_update(actor=laichau_staff, establishment=e, version=e.version, data={"name": "X"})
    with pytest.raises(PermissionDenied) as exc:
        services.establishment_update(actor=staff, establishment=e, version=e.version,
                                      data={"commune": current_commune(LAI_CHAU)})
    assert exc.value.message == "Địa điểm này nằm ngoài địa bàn của bạn."
    e.refresh_from_db()
    assert e.province.code == TAY_NINH


def test_update_refuses_a_tax_code_of_another_establishment(staff):
    services.establishment_create(actor=staff, data=_data(name="Hợp tác xã Tân Hòa", entity_type="cooperative",
                                                          tax_code="0100109106"))
    e = services.establishment_create(actor=staff, data=_data())
    with pytest.raises(InvalidInput, match="Mã số thuế 0100109106 đã thuộc về “Hợp tác xã Tân Hòa”"):
        services.establishment_update(actor=staff, establishment=e, version=e.version, data={"tax_code": "0100109106"})


def test_turning_into_an_sme_needs_a_size(staff):
    e = services.establishment_create(actor=staff, data=_data())
    with pytest.raises(InvalidInput) as exc:
        services.establishment_update(actor=staff, establishment=e, version=e.version, data={"entity_type": "sme"})
    assert exc.value.field == "sme_size"
    services.establishment_update(actor=staff, establishment=e, version=e.version,
                                  data={"entity_type": "sme", "sme_size": "micro"})
    e.refresh_from_db()
    assert (e.entity_type, e.sme_size) == ("sme", "micro")


def test_leaving_sme_clears_the_size(staff):
    e = services.establishment_create(actor=staff, data=_data(entity_type="sme", sme_size="small"))
    services.establishment_update(actor=staff, establishment=e, version=e.version, data={"entity_type": "cooperative"})
    e.refresh_from_db()
    assert (e.entity_type, e.sme_size) == ("cooperative", "")


# --- eligibility --------------------------------------------------------------------------------------------------


def test_an_sme_in_a_hanoi_ward_is_not_eligible_after_decree_235(hanoi_staff):
    ward = current_commune(HA_NOI, "phuong")
    e = services.establishment_create(actor=hanoi_staff, data=_data(entity_type="sme", sme_size="small",
                                                                    commune=ward))
    result = services.eligibility_of(e, AFTER_235)
    assert result.eligible is False
    assert ward.name in result.reasons[0]
    assert "làng nghề" in result.reasons[0]
    assert result.basis[0].startswith("NĐ 235/2025/NĐ-CP")
    assert e.eligible is False  # stored for the list filter (today is after 15/10/2025)


def test_the_same_sme_in_a_recognised_craft_village_is_eligible(hanoi_staff):
    ward = current_commune(HA_NOI, "phuong")
    village = make_village(ward, "Làng nghề gốm Bát Tràng", recognised=datetime.date(2010, 5, 1))
    e = services.establishment_create(actor=hanoi_staff, data=_data(entity_type="sme", sme_size="small",
                                                                    commune=ward, craft_village=village))
    result = services.eligibility_of(e, AFTER_235)
    assert result.eligible is True
    assert "làng nghề được Ủy ban nhân dân cấp tỉnh công nhận" in result.reasons[0]
    assert e.eligible is True


def test_a_village_recognised_later_does_not_count_yet(hanoi_staff):
    ward = current_commune(HA_NOI, "phuong")
    village = make_village(ward, "Làng nghề mới", recognised=datetime.date(2026, 6, 1))
    e = services.establishment_create(actor=hanoi_staff, data=_data(entity_type="sme", sme_size="small",
                                                                    commune=ward, craft_village=village))
    assert services.eligibility_of(e, AFTER_235).eligible is False
    assert services.eligibility_of(e, datetime.date(2026, 6, 1)).eligible is True


def test_a_household_in_a_hanoi_xa_is_eligible(hanoi_staff):
    xa = current_commune(HA_NOI, "xa")
    e = services.establishment_create(actor=hanoi_staff, data=_data(commune=xa))
    result = services.eligibility_of(e, AFTER_235)
    assert result.eligible is True
    assert xa.name in result.reasons[0]
    assert result.basis


def test_eligibility_refresh_recomputes_what_was_checked_on_another_day(staff):
    e = make_establishment(commune=current_commune(TAY_NINH))
    Establishment.objects.filter(pk=e.pk).update(eligible=None, eligibility_checked_on=datetime.date(2020, 1, 1))
    assert services.eligibility_refresh(province_id=e.province_id, on_date=AFTER_235) == 1
    e.refresh_from_db()
    assert (e.eligible, e.eligibility_checked_on) == (True, AFTER_235)
    assert services.eligibility_refresh(province_id=e.province_id, on_date=AFTER_235) == 0  # already checked


# --- supports -----------------------------------------------------------------------------------------------------


def test_support_record_add(staff, viewer):
    e = services.establishment_create(actor=staff, data=_data())
    record = services.support_record_add(actor=staff, establishment=e, data={
        "year": 2023, "fund": "local", "description": "Hỗ trợ máy tráng bánh", "amount": 80_000_000})
    assert list(e.supports.all()) == [record]
    assert audit_events_for(e).first().changes == {"support": [None, "2023: Hỗ trợ máy tráng bánh"]}
    with pytest.raises(InvalidInput, match="Số tiền không được âm"):
        services.support_record_add(actor=staff, establishment=e, data={
            "year": 2023, "fund": "local", "description": "x", "amount": -1})
    with pytest.raises(PermissionDenied):
        services.support_record_add(actor=viewer, establishment=e, data={
            "year": 2023, "fund": "local", "description": "x"})
    assert e.supports.count() == 1


# --- merge --------------------------------------------------------------------------------------------------------


@pytest.fixture
def pair(staff):
    """The same rice-paper maker typed twice: the record kept has no phone nor tax code, the duplicate has both."""
    commune = current_commune(TAY_NINH)
    food, crafts = Sector.objects.get(code="agro_food_processing"), Sector.objects.get(code="handicrafts")
    survivor = services.establishment_create(actor=staff, data=_data(commune=commune, representative=""),
                                             sectors=[food])
    duplicate = services.establishment_create(actor=staff, data=_data(
        commune=commune, name="CƠ SỞ BÁNH TRÁNG TƯ HÒA", phone="0912345678", tax_code=tax_code(1),
        representative="Nguyễn Văn Tư", main_products="Bánh tráng"), sectors=[crafts])
    support = SupportRecord.objects.create(establishment=duplicate, year=2021, fund="national",
                                           description="Hỗ trợ máy sấy", amount=50_000_000)
    artisan = Artisan.objects.create(full_name="Nguyễn Văn Tư", title=Artisan.Title.MERITORIOUS,
                                     province=commune.province)
    artisan.establishments.add(duplicate)
    return survivor, duplicate, support, artisan, food, crafts


def test_merge_moves_everything_and_keeps_the_duplicate_closed(staff, pair):
    survivor, duplicate, support, artisan, food, crafts = pair
    duplicate_tax = duplicate.tax_code
    merge = services.establishment_merge(actor=staff, survivor=survivor, duplicate=duplicate)

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    support.refresh_from_db()
    assert support.establishment == survivor
    assert list(survivor.artisans.all()) == [artisan]
    assert not duplicate.artisans.exists()
    assert set(survivor.sectors.all()) == {food, crafts}
    # Empty fields filled from the duplicate; the survivor's own products win.
    assert survivor.phone == "0912345678"
    assert survivor.tax_code == duplicate_tax
    assert survivor.representative == "Nguyễn Văn Tư"
    assert survivor.main_products == "Bánh tráng phơi sương"
    assert "0912345678" in survivor.search_text
    # The duplicate is never deleted: closed, pointing at the survivor, its tax code freed.
    assert Establishment.objects.filter(pk=duplicate.pk).exists()
    assert duplicate.merged_into == survivor
    assert duplicate.status == "closed"
    assert duplicate.tax_code is None
    assert merge.snapshot["tax_code"] == duplicate_tax
    assert merge.snapshot["name"] == "CƠ SỞ BÁNH TRÁNG TƯ HÒA"
    assert merge.moved["supports"] == [support.pk]
    assert merge.moved["artisans"] == [artisan.pk]
    assert sorted(merge.moved["filled"]) == ["phone", "representative", "tax_code"]

    survivor_event = audit_events_for(survivor).first()
    assert survivor_event.action == "establishment.merge"
    assert survivor_event.changes["merged"] == [None, f"#{duplicate.pk} CƠ SỞ BÁNH TRÁNG TƯ HÒA"]
    duplicate_event = audit_events_for(duplicate).first()
    assert duplicate_event.action == "establishment.merged_into"
    assert duplicate_event.changes == {"merged_into": [None, f"#{survivor.pk} Cơ sở bánh tráng Tư Hòa"]}


def test_a_merged_record_cannot_be_edited_nor_merged_again(staff, pair):
    survivor, duplicate, *_ = pair
    services.establishment_merge(actor=staff, survivor=survivor, duplicate=duplicate)
    duplicate.refresh_from_db()
    with pytest.raises(PermissionDenied, match="Bản ghi này đã được gộp vào bản ghi khác"):
        services.establishment_update(actor=staff, establishment=duplicate, version=duplicate.version,
                                      data={"name": "X"})
    survivor.refresh_from_db()
    with pytest.raises(PermissionDenied, match="Một trong hai bản ghi đã được gộp trước đó"):
        services.establishment_merge(actor=staff, survivor=survivor, duplicate=duplicate)


def test_merge_review_marks_the_merge_reviewed(staff, colleague, pair):
    survivor, duplicate, *_ = pair
    merge = services.establishment_merge(actor=staff, survivor=survivor, duplicate=duplicate)
    services.merge_review(actor=colleague, merge=merge)
    merge.refresh_from_db()
    assert merge.reviewed_by == colleague
    assert merge.reviewed_at is not None
    assert audit_events_for(survivor).first().action == "establishment.merge_review"


def test_a_merge_is_reviewed_by_a_second_person_once(staff, colleague, laichau_staff, pair):
    survivor, duplicate, *_ = pair
    merge = services.establishment_merge(actor=staff, survivor=survivor, duplicate=duplicate)
    with pytest.raises(PermissionDenied, match=tr("The person who merged cannot review their own merge.")):
        services.merge_review(actor=staff, merge=merge)
    with pytest.raises(PermissionDenied, match=tr("This place is outside your area.")):
        services.merge_review(actor=laichau_staff, merge=merge)
    services.merge_review(actor=colleague, merge=merge)
    with pytest.raises(PermissionDenied, match=tr("This merge was already reviewed.")):
        services.merge_review(actor=colleague, merge=merge)


def test_merging_outside_the_area_is_refused(laichau_staff, pair):
    survivor, duplicate, *_ = pair
    with pytest.raises(PermissionDenied) as exc:
        services.establishment_merge(actor=laichau_staff, survivor=survivor, duplicate=duplicate)
    assert exc.value.message == "Cả hai bản ghi phải thuộc địa bàn của bạn."
    assert not EstablishmentMerge.objects.exists()
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_merging_a_record_of_another_province_into_mine_is_refused(staff, laichau_staff, pair):
    survivor, *_ = pair
    foreign = make_establishment(commune=current_commune(LAI_CHAU), name="Cơ sở bánh tráng Tư Hòa")
    with pytest.raises(PermissionDenied, match="Cả hai bản ghi phải thuộc địa bàn của bạn"):
        services.establishment_merge(actor=staff, survivor=survivor, duplicate=foreign)


@pytest.mark.parametrize("role", ["viewer", "collaborator", "finance_officer"])
def test_only_centre_staff_and_doit_merge(pair, role):
    from khuyencong.accounts.tests.factories import make_user

    survivor, duplicate, *_ = pair
    user = make_user(role=role, province_code=TAY_NINH)
    with pytest.raises(PermissionDenied, match="Chỉ cán bộ Trung tâm và Sở Công Thương được gộp bản ghi"):
        services.establishment_merge(actor=user, survivor=survivor, duplicate=duplicate)
    with pytest.raises(PermissionDenied):
        services.merge_review(actor=user, merge=EstablishmentMerge(survivor=survivor, merged=duplicate))


def test_a_record_cannot_be_merged_into_itself(staff, pair):
    survivor, *_ = pair
    with pytest.raises(PermissionDenied, match="Không thể gộp một bản ghi vào chính nó"):
        services.establishment_merge(actor=staff, survivor=survivor, duplicate=survivor)
    assert AuditEvent.objects.filter(action="establishment.merge").count() == 0
