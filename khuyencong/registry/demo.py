"""Demo registry: several hundred believable establishments per demo province, craft villages, artisans, past
supports and a few planted duplicates. Deterministic (seeded) and idempotent."""

import datetime
import random

from django.utils import timezone

from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit
from khuyencong.rules import engine

from .models import Artisan, CraftVillage, Establishment, Sector, SupportRecord
from .parsing import make_tax_code
from .services import search_text_of

PER_PROVINCE = 300

# (name pattern, products, sector code, VSIC) — trades seen in the provinces' KC reports.
TRADES = [
    ("Cơ sở bánh tráng {n}", "Bánh tráng phơi sương, bánh tráng nướng", "agro_food_processing", "1079"),
    ("Cơ sở chế biến chè {n}", "Chè xanh, chè Shan tuyết", "agro_food_processing", "1077"),
    ("Cơ sở mây tre đan {n}", "Giỏ, làn, bàn ghế mây tre", "handicrafts", "1629"),
    ("Xưởng cơ khí {n}", "Máy tuốt lúa, khung nhà thép, sửa chữa máy nông nghiệp", "mechanical_electrical", "2592"),
    ("Hợp tác xã dệt thổ cẩm {n}", "Vải thổ cẩm, túi, khăn thổ cẩm", "handicrafts", "1311"),
    ("Cơ sở mộc {n}", "Bàn ghế, tủ gỗ, cửa gỗ", "consumer_export_goods", "3100"),
    ("Cơ sở sản xuất nước mắm {n}", "Nước mắm truyền thống", "agro_food_processing", "1079"),
    ("Cơ sở chế biến hạt điều {n}", "Nhân điều rang muối", "agro_food_processing", "1030"),
    ("Cơ sở gạch không nung {n}", "Gạch block, gạch không nung", "agri_chemicals_building_materials", "2395"),
    ("Cơ sở nấu rượu {n}", "Rượu ngô, rượu gạo men lá", "agro_food_processing", "1101"),
    ("Cơ sở chế biến tinh bột {n}", "Tinh bột sắn, bún khô", "agro_food_processing", "1062"),
    ("Cơ sở may mặc {n}", "Quần áo bảo hộ, đồng phục", "consumer_export_goods", "1410"),
    ("Cơ sở sấy nông sản {n}", "Chuối sấy, xoài sấy, mít sấy", "agro_food_processing", "1030"),
    ("Cơ sở đan lục bình {n}", "Thảm, giỏ lục bình xuất khẩu", "handicrafts", "1629"),
    ("Cơ sở in bao bì {n}", "Bao bì giấy, nhãn mác", "consumer_export_goods", "1702"),
]
VILLAGES = {
    12: [("Làng nghề dệt thổ cẩm bản Lướt", "dệt thổ cẩm"), ("Làng nghề rèn Sìn Hồ", "rèn nông cụ")],
    80: [("Làng nghề bánh tráng Hậu Nghĩa", "bánh tráng"), ("Làng nghề đan đát Tân Hòa", "đan lục bình, mây tre")],
    92: [("Làng nghề bánh tráng Thuận Hưng", "bánh tráng"), ("Làng nghề đóng ghe xuồng Long Mỹ", "đóng ghe xuồng")],
    79: [("Làng nghề sơn mài Tương Bình Hiệp", "sơn mài"), ("Làng nghề gốm Lái Thiêu", "gốm sứ")],
}
ENTITY_MIX = [("household", "", 60), ("sme", "micro", 15), ("sme", "small", 8), ("sme", "medium", 2),
              ("cooperative", "", 9), ("cooperative_group", "", 5), ("other", "", 1)]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Lò", "Tòng", "Vàng", "Giàng"]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Công"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Hồng"]
GIVEN_MALE = ["Hùng", "Dũng", "Tuấn", "Phúc", "Lộc", "Sơn", "Tâm", "Thành", "Khoa", "Nam", "Hải", "Tú", "Páo", "Dính"]
GIVEN_FEMALE = ["Lan", "Hoa", "Mai", "Hương", "Thảo", "Nhung", "Trang", "Xuân", "Hạnh", "Duyên", "Ngân", "Yến"]


def person(rng: random.Random, female: bool) -> str:
    middle, given = (MIDDLE_FEMALE, GIVEN_FEMALE) if female else (MIDDLE_MALE, GIVEN_MALE)
    return f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}"


FIRST_NAMES = ["Tư Hòa", "Ba Lan", "Út Mai", "Hai Thành", "Sáu Phúc", "Minh Tâm", "Thanh Bình", "Hồng Nhung",
               "Phúc Lộc", "Kim Ngân", "Quang Vinh", "Đức Thịnh", "Tân Phát", "Hoàng Gia", "Bảo An", "Ngọc Sơn",
               "Vàng A Páo", "Lò Văn Sơn", "Tòng Thị Xuân", "Năm Đông"]


def _eligibility_cache(on_date):
    cache = {}

    def eligible(entity_type, sme_size, commune, craft, cleaner=False):
        key = (entity_type, sme_size, commune.pk, craft, cleaner)
        if key not in cache:
            try:
                cache[key] = engine.eligibility(entity_type, sme_size or None, commune, on_date,
                                                craft_village=craft, cleaner_production=cleaner).eligible
            except Exception:
                cache[key] = None
        return cache[key]

    return eligible


def seed(stdout=None) -> None:
    today = timezone.localdate()
    eligible = _eligibility_cache(today)
    sectors = {s.code: s for s in Sector.objects.all()}
    for code, villages in VILLAGES.items():
        province = AdminUnit.objects.current().provinces().get(code=code)
        if Establishment.objects.filter(province=province).exists():
            continue
        rng = random.Random(code)
        communes = list(AdminUnit.objects.current().communes().filter(province=province)
                        .prefetch_related("periods", "province__periods").order_by("code"))
        village_objs = []
        for i, (name, crafts) in enumerate(villages):
            commune = communes[(i * 7 + 3) % len(communes)]
            village, _ = CraftVillage.objects.get_or_create(
                commune=commune, name=name,
                defaults={"name_folded": fold(name), "province": province, "crafts": crafts,
                          "recognition_decision": f"{1200 + i * 37}/QĐ-UBND",
                          "recognition_date": datetime.date(2012 + i * 3, 6, 15)},
            )
            village_objs.append(village)
        establishments, links = [], []
        types = [t for t in ENTITY_MIX for _ in range(t[2])]
        for n in range(PER_PROVINCE):
            pattern, products, sector_code, vsic = TRADES[rng.randrange(len(TRADES))]
            entity_type, size, _w = types[rng.randrange(len(types))]
            village = village_objs[n % len(village_objs)] if n % 9 == 0 else None
            commune = village.commune if village else communes[rng.randrange(len(communes))]
            label = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))] if n % 3 == 0 else person(rng, rng.random() < 0.5)
            name = pattern.format(n=label)
            if entity_type == "cooperative":
                name = name.replace("Cơ sở", "Hợp tác xã").replace("Xưởng", "Hợp tác xã")
            elif entity_type == "sme":
                name = name.replace("Cơ sở", "Công ty TNHH").replace("Xưởng", "Công ty TNHH")
            if entity_type == "cooperative" and not name.startswith("Hợp tác xã"):
                name = f"Hợp tác xã {name}"
            tax = make_tax_code(f"{code:02d}{rng.randrange(10**7):07d}") if entity_type != "household" else None
            woman = rng.random() < 0.35
            e = Establishment(
                name=name, name_folded=fold(name), entity_type=entity_type, sme_size=size, tax_code=tax,
                business_reg_no=f"{code:02d}A{rng.randrange(10**6):06d}",
                business_reg_date=datetime.date(2005 + rng.randrange(20), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                representative=person(rng, woman),
                representative_gender="female" if woman else "male", woman_owned=woman,
                ethnic_minority=code == 12 and rng.random() < 0.6,
                phone=f"09{rng.randrange(10**8):08d}", employees=rng.choice([3, 5, 8, 12, 20, 35, 60, 120]),
                vsic_code=vsic, main_products=products, ocop_stars=rng.choice([None] * 7 + [3, 3, 4, 5]),
                craft_village=village,
                address=f"Thôn {rng.randrange(1, 12)}" if code == 12 else f"Ấp {rng.randrange(1, 9)}",
                commune=commune, province=province,
                latitude=None, longitude=None,
                status=rng.choice(["active"] * 18 + ["suspended", "closed"]),
                eligible=eligible(entity_type, size, commune, village is not None), eligibility_checked_on=today,
            )
            e.search_text = search_text_of(e, commune)
            establishments.append(e)
            links.append(sectors.get(sector_code))
        if code == 80:  # the seed story: Long An's rice paper, now in Tây Ninh
            establishments[0].name = "Cơ sở bánh tráng Tư Hòa"
            establishments[0].name_folded = fold(establishments[0].name)
            establishments[0].main_products = "Bánh tráng phơi sương"
            establishments[0].search_text = search_text_of(establishments[0], establishments[0].commune)
        # Planted duplicates: the same establishment typed twice (same name and commune; same phone).
        for original in establishments[5:8]:
            twin = Establishment(**{f.attname: getattr(original, f.attname) for f in Establishment._meta.concrete_fields
                                    if f.attname not in ("id", "tax_code")})
            twin.representative = original.representative.upper()
            establishments.append(twin)
            links.append(None)
        Establishment.objects.bulk_create(establishments, batch_size=500)
        through = Establishment.sectors.through
        through.objects.bulk_create([through(establishment_id=e.pk, sector_id=s.pk)
                                     for e, s in zip(establishments, links, strict=True) if s], batch_size=1000)
        supports = []
        for e in establishments[::6]:
            year = 2016 + rng.randrange(10)
            fund = rng.choice(["national", "local", "local"])
            kind = rng.choice([("machinery", "Hỗ trợ ứng dụng máy móc thiết bị"),
                               ("training", "Đào tạo nghề, truyền nghề cho lao động"),
                               ("fair_domestic_participate", "Hỗ trợ tham gia hội chợ trong nước"),
                               ("demo_model_new", "Xây dựng mô hình trình diễn kỹ thuật")])
            supports.append(SupportRecord(establishment=e, year=year, fund=fund, content_code=kind[0],
                                          description=kind[1], amount=rng.choice([30, 50, 80, 120, 200]) * 1_000_000,
                                          source="import"))
        SupportRecord.objects.bulk_create(supports)
        artisan = Artisan.objects.create(full_name=person(rng, False), title=Artisan.Title.MERITORIOUS,
                                         recognition_year=2019, crafts=villages[0][1], province=province)
        artisan.establishments.add(establishments[0])
        if stdout:
            stdout.write(f"  Sổ cơ sở {province.name}: {len(establishments)} cơ sở, {len(village_objs)} làng nghề.")
