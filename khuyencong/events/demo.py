"""Demo events, lessons learned and model practices. Deterministic and idempotent: an event, lesson or practice that
exists (same title, same organiser or province) is left alone.

The two source stories are records here, on the units of their time with today's units shown:

* Lai Châu's KC and trade-promotion centre visits Hải Phòng, Quảng Ninh and Yên Bái, 28/11–6/12/2016 (Yên Bái is
  today part of Lào Cai). The news report gives the dates, the composition of the delegation and the topics; the
  split of the days between the three hosts, the people's names and the budget are illustrative.
* Bình Dương's KC and industrial-development consulting centre visits Long An and Hậu Giang, 17–18/5/2018, to learn
  how they run their collaborator networks (today: Bình Dương is part of TP Hồ Chí Minh, Long An of Tây Ninh, Hậu
  Giang of Cần Thơ). The head of the delegation is named in the report; the 10 collaborators are linked to records of
  today's TP Hồ Chí Minh network when the network module has them.

Around them: a few years of trainings (with signed attendance, certificates and confirmed employment), fairs with
booths quoted by the rules, study tours and a review conference across the demo provinces (12, 80, 92, 79), lessons
and model practices. Decision numbers are fictitious. Everything goes through the services, as the demo users of each
role, on the dates of the time.
"""

import datetime
import random

from django.core.files.base import ContentFile

from khuyencong.accounts.models import Organisation, OrganisationKind, User
from khuyencong.core.documents import in_sentence
from khuyencong.core.errors import DomainError
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import CraftVillage, Establishment

from . import services
from .models import Event, Lesson, ModelPractice, Participant
from .vocab import Audience, EventKind, LineKind, Topic

D = datetime.date

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai"]
FAMILY_NORTH_WEST = ["Lò", "Tòng", "Vàng", "Giàng", "Sùng", "Tẩn", "Lù", "Đèo", "Lường", "Nguyễn", "Lê", "Hoàng"]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Công", "A"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Hồng", "Bích"]
GIVEN_MALE = ["Hùng", "Dũng", "Tuấn", "Phúc", "Lộc", "Sơn", "Tâm", "Thành", "Khoa", "Nam", "Hải", "Tú", "Bình",
              "Trung", "Kiên", "Long", "Nghĩa", "Quang", "Thắng", "Vinh", "Páo", "Dính"]
GIVEN_FEMALE = ["Lan", "Hoa", "Mai", "Hương", "Thảo", "Nhung", "Trang", "Xuân", "Hạnh", "Duyên", "Ngân", "Yến",
                "Linh", "Vân", "Thủy", "Phương"]

# A one-page PDF: what a scanned signed list looks like to the upload check (the demo has no real scans).
SCAN = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

# Demo users by (province, role); "admin" acts where a province has no demo user of the role.
ACTORS = {
    12: {"staff": "ttkc.laichau", "manager": "ld.sct.laichau", "finance": "ketoan.laichau"},
    80: {"staff": "ttkc.tayninh", "manager": "ld.sct.tayninh", "finance": "ketoan.tayninh"},
    92: {"staff": "ttkc.cantho", "manager": "admin", "finance": "admin"},
    79: {"staff": "ttkc.hcm", "manager": "admin", "finance": "admin"},
}


class Seeder:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.rng = random.Random(2016)
        self.users = {u.username: u for u in User.objects.filter(
            username__in={name for roles in ACTORS.values() for name in roles.values()})}
        self.current = {p.code: p for p in AdminUnit.objects.current().provinces()}
        self.legacy = {p.code: p for p in AdminUnit.objects.legacy().provinces()}
        self.created = 0

    def log(self, text: str) -> None:
        if self.stdout:
            self.stdout.write(text)

    def actor(self, code: int, role: str) -> User | None:
        return self.users.get(ACTORS[code][role]) or self.users.get("admin")

    def org(self, code: int, kind: str = OrganisationKind.KC_CENTRE) -> Organisation | None:
        return Organisation.objects.filter(province=self.current[code], kind=kind).order_by("pk").first()

    def person(self, female: bool, north_west: bool = False) -> tuple[str, str]:
        family = FAMILY_NORTH_WEST if north_west else FAMILY
        middle, given = (MIDDLE_FEMALE, GIVEN_FEMALE) if female else (MIDDLE_MALE, GIVEN_MALE)
        middle_choice = self.rng.choice(middle[:-1] if not north_west and not female else middle)
        return f"{self.rng.choice(family)} {middle_choice} {self.rng.choice(given)}", "female" if female else "male"

    def establishments(self, code: int, n: int, offset: int = 0) -> list[Establishment]:
        return list(Establishment.objects.filter(province=self.current[code], merged_into__isnull=True,
                                                 status="active").order_by("id")[offset:offset + n])

    # --- building blocks ----------------------------------------------------------------------------------------

    def event(self, code: int, data: dict) -> Event | None:
        organiser = data.get("organiser") or self.org(code)
        if organiser is None:
            return None
        if Event.objects.filter(organiser=organiser, title=data["title"]).exists():
            return None
        self.created += 1
        return services.event_create(actor=self.actor(code, "staff"), data={"organiser": organiser, **data})

    def members(self, event: Event, code: int, rows) -> list[Participant]:
        """rows: (role, origin, position, organisation or None, organisation name, establishment, collaborator,
        female, name or None)."""
        staff = self.actor(code, "staff")
        made = []
        for role, origin, position, org, org_name, est, collaborator, female, name in rows:
            full_name, gender = (name, "female" if female else "male") if name else self.person(female, code == 12)
            if collaborator is not None:
                full_name, gender = collaborator.full_name, collaborator.gender
            made.append(services.participant_add(actor=staff, event=event, data={
                "full_name": full_name, "gender": gender, "role": role, "origin": origin, "position": position,
                "organisation": org, "organisation_name": org_name, "establishment": est,
                "collaborator": collaborator, "state_paid": None}))
        return made

    def sign_days(self, event: Event, code: int, people, days=None, absent=()) -> None:
        staff = self.actor(code, "staff")
        for i in range(event.days):
            day = event.start_date + datetime.timedelta(days=i)
            if days is not None and day not in days:
                continue
            present = [p for j, p in enumerate(people) if (j, i) not in absent]
            services.attendance_record(actor=staff, event=event, day=day,
                                       upload=ContentFile(SCAN, name=f"ky-{day:%Y%m%d}.pdf"), present=present)

    def lines(self, event: Event, code: int, rows) -> None:
        for kind, qty, unit, support, description in rows:
            if not qty:  # e.g. no establishment in the registry to send: no per-diem line
                continue
            services.budget_line_add(actor=self.actor(code, "staff"), event=event, kind=kind, quantity=qty,
                                     unit_cost=unit, support=support, description=description)

    def act(self, event: Event, code: int, action: str, on: datetime.date, **inputs) -> None:
        role = {"approve": "manager", "settle": "finance"}.get(action, "staff")
        services.event_transition(actor=self.actor(code, role), event=event, action=action, on_date=on,
                                  inputs=inputs)

    def spend(self, event: Event, code: int, share: float = 0.96) -> None:
        for line in event.budget_lines.all():
            services.budget_line_spent(actor=self.actor(code, "finance"), line=line,
                                       spent=int(line.amount_vnd * share) // 1000 * 1000)

    def lesson(self, code: int, event: Event | None, data: dict, followups=()) -> Lesson | None:
        if Lesson.objects.filter(title=data["title"], province=data["province"]).exists():
            return None
        actor = self.actor(code, "staff")
        return services.lesson_create(actor=actor, data={"event": event, **data},
                                      author_province=self.current[code], followups=list(followups))

    def practice(self, code: int, data: dict) -> None:
        if ModelPractice.objects.filter(province=self.current[code], title=data["title"]).exists():
            return
        services.practice_create(actor=self.actor(code, "staff"), data={"province": self.current[code], **data})

    def report(self, event: Event, code: int, on: datetime.date, number: str) -> None:
        staff = self.actor(code, "staff")
        draft = services.mission_report_prepare(actor=staff, event=event, on_date=on)
        services.mission_report_update(actor=staff, report_obj=draft, data={"number": number},
                                       version=draft.version)
        draft.refresh_from_db()
        services.mission_report_sign(actor=staff, report_obj=draft)

    # --- the two source stories -----------------------------------------------------------------------------------

    def lai_chau_2016(self) -> None:
        code = 12
        hai_phong, quang_ninh, yen_bai = self.legacy[31], self.legacy[22], self.legacy[15]
        event = self.event(code, {
            "kind": EventKind.STUDY_TOUR_DOMESTIC, "audience": Audience.MIXED,
            "title": "Đoàn học tập kinh nghiệm hoạt động khuyến công tại Hải Phòng, Quảng Ninh và Yên Bái",
            "purpose": "Nâng cao kỹ năng, học hỏi kinh nghiệm triển khai các hoạt động khuyến công; quảng bá, giới "
                       "thiệu sản phẩm đặc trưng của tỉnh Lai Châu để thu hút đầu tư, hợp tác, mở rộng thị trường; "
                       "tạo điều kiện cho cơ sở công nghiệp nông thôn tiếp cận các mô hình sản xuất hay của tỉnh bạn.",
            "content": "kc_capacity", "fund": "local", "start_date": D(2016, 11, 28), "end_date": D(2016, 12, 6)})
        if event is None:
            return
        staff = self.actor(code, "staff")
        for unit in (hai_phong, quang_ninh, yen_bai):
            services.event_place_add(actor=staff, event=event, unit=unit)
        doit, centre = self.org(code, OrganisationKind.DOIT), self.org(code)
        establishments = self.establishments(code, 3, offset=10)
        people = self.members(event, code, [
            ("head", "centre", "Phó Giám đốc Trung tâm", centre, "", None, None, False, None),
            ("member", "doit", "Phó Trưởng phòng Quản lý công nghiệp", doit, "", None, None, True, None),
            ("member", "centre", "Trưởng phòng Khuyến công", centre, "", None, None, False, None),
            ("member", "centre", "Chuyên viên", centre, "", None, None, True, None),
            ("member", "commune_office", "Chuyên viên", None, "Phòng Kinh tế thành phố Lai Châu", None, None, False,
             None),
            ("member", "commune_office", "Phó Trưởng phòng", None, "Phòng Kinh tế và Hạ tầng huyện Sìn Hồ", None,
             None, False, None),
            ("member", "commune_office", "Chuyên viên", None, "Phòng Kinh tế và Hạ tầng huyện Than Uyên", None,
             None, True, None),
            *[("member", "establishment", "Chủ cơ sở", None, "", e, None, e.woman_owned, e.representative or None)
              for e in establishments],
        ])
        days = [
            (D(2016, 11, 29), hai_phong, "Sở Công Thương và Trung tâm Khuyến công thành phố Hải Phòng",
             "Làm việc về công tác khuyến công quốc gia và địa phương; quản lý, giám sát triển khai đề án; kinh "
             "nghiệm giải quyết vướng mắc trong thanh quyết toán đề án khuyến công.",
             [Topic.PROJECT_MANAGEMENT, Topic.SUPERVISION, Topic.SETTLEMENT, Topic.CLUSTER_MANAGEMENT],
             [("office", "Buổi làm việc tại Sở Công Thương Hải Phòng", ""),
              ("cluster", "Một cụm công nghiệp của thành phố", "Mô hình quản lý cụm công nghiệp.")]),
            (D(2016, 11, 30), hai_phong, "Trung tâm Khuyến công thành phố Hải Phòng",
             "Tham quan mô hình của các cơ sở công nghiệp nông thôn được hỗ trợ từ chương trình khuyến công.",
             [Topic.DEMONSTRATION_MODELS, Topic.TECHNOLOGY_TRANSFER],
             [("demo_model", "Mô hình trình diễn kỹ thuật tại một cơ sở CNNT được hỗ trợ khuyến công", "")]),
            (D(2016, 12, 1), quang_ninh, "Sở Công Thương và Trung tâm Khuyến công tỉnh Quảng Ninh",
             "Trao đổi về đào tạo nghề, truyền nghề; phát triển sản phẩm công nghiệp nông thôn; tư vấn giám sát điện "
             "và các dịch vụ tư vấn công nghiệp.",
             [Topic.TRAINING, Topic.PRODUCT_DEVELOPMENT, Topic.CONSULTING_SERVICES],
             [("office", "Buổi làm việc tại Trung tâm Khuyến công Quảng Ninh", "")]),
            (D(2016, 12, 2), quang_ninh, "Trung tâm Khuyến công tỉnh Quảng Ninh",
             "Tham quan cơ sở sản xuất sản phẩm công nghiệp nông thôn tiêu biểu.",
             [Topic.PRODUCT_DEVELOPMENT, Topic.TRADE_PROMOTION],
             [("establishment", "Cơ sở sản xuất sản phẩm CNNT tiêu biểu của Quảng Ninh", "")]),
            (D(2016, 12, 4), yen_bai, "Sở Công Thương và Trung tâm Khuyến công tỉnh Yên Bái",
             "Chia sẻ kinh nghiệm đề xuất, tham mưu cơ chế chính sách hỗ trợ cơ sở công nghiệp nông thôn; nâng cao "
             "năng lực quản lý khuyến công; mô hình trình diễn kỹ thuật.",
             [Topic.POLICY, Topic.MANAGEMENT_CAPACITY, Topic.DEMONSTRATION_MODELS],
             [("demo_model", "Mô hình ứng dụng máy móc thiết bị tại cơ sở CNNT của Yên Bái", "")]),
        ]
        for day, host, host_name, activities, topics, visits in days:
            item = services.itinerary_day_add(actor=staff, event=event, day=day, host_province=host,
                                              host_name=host_name, activities=activities, topics=topics)
            for kind, name, note in visits:
                services.site_visit_add(actor=staff, day=item, kind=kind, name=name, note=note)
        people_count = len(people)
        non_state = sum(1 for p in people if not p.state_paid)
        self.lines(event, code, [
            (LineKind.TRANSPORT, 1, 62_000_000, 62_000_000, f"Thuê xe 9 ngày cho đoàn {people_count} người"),
            (LineKind.PER_DIEM, non_state * 9, 150_000, 150_000 * non_state * 9,
             f"{non_state} thành viên không hưởng lương ngân sách × 9 ngày"),
            (LineKind.LODGING, non_state * 8, 300_000, 300_000 * non_state * 8,
             f"{non_state} thành viên không hưởng lương ngân sách × 8 đêm"),
            (LineKind.MATERIALS, 1, 4_000_000, 4_000_000, "Tài liệu, quà lưu niệm giới thiệu sản phẩm Lai Châu"),
        ])
        self.act(event, code, "approve", D(2016, 11, 15), reference="215/QĐ-SCT")
        self.sign_days(event, code, people)
        self.act(event, code, "hold", D(2016, 12, 6))
        lessons = [
            ({"topic": Topic.SETTLEMENT, "province": self.current[31], "place_then": hai_phong,
              "title": "Tháo gỡ vướng mắc trong thanh quyết toán đề án khuyến công",
              "organisation_name": "Sở Công Thương và Trung tâm Khuyến công thành phố Hải Phòng",
              "practice": "Tỉnh bạn chia sẻ kinh nghiệm giải quyết các vướng mắc, khó khăn về thanh quyết toán các "
                          "đề án khuyến công: hồ sơ được rà soát ngay từ khi ký hợp đồng, chứng từ thu thập theo "
                          "từng hạng mục trong quá trình thực hiện.",
              "why_it_works": "Hồ sơ đầy đủ từ đầu nên khi nghiệm thu không phải bổ sung, quyết toán không bị kéo dài.",
              "how_to_apply": "Lập danh mục hồ sơ quyết toán cho từng loại đề án và giao cán bộ theo dõi từ khi ký "
                              "hợp đồng."}, []),
            ({"topic": Topic.CLUSTER_MANAGEMENT, "province": self.current[31], "place_then": hai_phong,
              "title": "Kinh nghiệm quản lý cụm công nghiệp",
              "organisation_name": "Sở Công Thương thành phố Hải Phòng",
              "practice": "Học tập kinh nghiệm quản lý cụm công nghiệp: phân công đơn vị quản lý, thu hút cơ sở vào "
                          "cụm, theo dõi hạ tầng và môi trường.",
              "how_to_apply": "Tham khảo khi Lai Châu lập kế hoạch phát triển các cụm công nghiệp của tỉnh."}, []),
            ({"topic": Topic.CONSULTING_SERVICES, "province": self.current[22], "place_then": quang_ninh,
              "title": "Tư vấn giám sát điện và các dịch vụ tư vấn công nghiệp của trung tâm",
              "organisation_name": "Trung tâm Khuyến công tỉnh Quảng Ninh",
              "practice": "Trung tâm khuyến công cung cấp dịch vụ tư vấn giám sát điện và tư vấn khác cho cơ sở, "
                          "vừa hỗ trợ cơ sở vừa tạo nguồn thu cho đơn vị.",
              "why_it_works": "Cán bộ trung tâm có chuyên môn kỹ thuật và gắn với nhu cầu thực tế của cơ sở.",
              "how_to_apply": "Nghiên cứu bổ sung chức năng tư vấn của Trung tâm Lai Châu."}, []),
            ({"topic": Topic.POLICY, "province": self.current[15], "place_then": yen_bai,
              "title": "Đề xuất, tham mưu cơ chế chính sách hỗ trợ cơ sở công nghiệp nông thôn",
              "organisation_name": "Sở Công Thương tỉnh Yên Bái",
              "practice": "Tỉnh bạn chia sẻ cách đề xuất, tham mưu cho tỉnh cơ chế chính sách hỗ trợ cơ sở công "
                          "nghiệp nông thôn trong tình hình hiện nay, bằng nghị quyết của Hội đồng nhân dân tỉnh.",
              "why_it_works": "Có nghị quyết riêng thì mức hỗ trợ rõ ràng, cơ sở và cán bộ chủ động lập đề án.",
              "how_to_apply": "Sở Công Thương tham mưu UBND tỉnh trình HĐND tỉnh nghị quyết về khuyến công địa "
                              "phương."},
             [{"kind": "policy", "owner": "Sở Công Thương tỉnh Lai Châu", "status": "adopted",
               "proposal": "Tham mưu HĐND tỉnh ban hành nghị quyết quy định nội dung, mức hỗ trợ khuyến công địa "
                           "phương.",
               "outcome": "HĐND tỉnh Lai Châu ban hành Nghị quyết 18/2025/NQ-HĐND ngày 22/4/2025 (hiệu lực 5/5/2025) "
                          "quy định mức hỗ trợ khuyến công địa phương; các mức đã có trong bảng quy định của hệ "
                          "thống."}]),
            ({"topic": Topic.TRAINING, "province": self.current[22], "place_then": quang_ninh,
              "title": "Đào tạo nghề, truyền nghề gắn với nhu cầu của cơ sở",
              "organisation_name": "Trung tâm Khuyến công tỉnh Quảng Ninh",
              "practice": "Lớp đào tạo nghề, truyền nghề mở theo đề nghị của cơ sở, học viên học ngay tại xưởng và "
                          "được cơ sở nhận vào làm sau khóa học.",
              "how_to_apply": "Chọn cơ sở có nhu cầu tuyển lao động trước khi lập đề án đào tạo."},
             [{"kind": "project_idea", "owner": "Trung tâm Khuyến công và XTTM tỉnh Lai Châu",
               "status": "adopted", "proposal": "Đề án đào tạo nghề dệt thổ cẩm gắn với hợp tác xã nhận lao động.",
               "outcome": "Thực hiện lớp đào tạo nghề dệt thổ cẩm năm 2024 (xem sự kiện của Trung tâm)."}]),
        ]
        for data, followups in lessons:
            self.lesson(code, event, data, followups)
        self.report(event, code, D(2016, 12, 12), "45/BC-TTKC")
        self.spend(event, code)  # reporting closes the record: what was spent is recorded first
        self.act(event, code, "report", D(2016, 12, 12))
        self.log("  Đoàn Lai Châu 2016: Hải Phòng, Quảng Ninh, Yên Bái (nay thuộc Lào Cai).")

    def binh_duong_2018(self) -> None:
        code = 79
        long_an, hau_giang = self.legacy[80], self.legacy[93]
        event = self.event(code, {
            "kind": EventKind.STUDY_TOUR_DOMESTIC, "audience": Audience.MIXED,
            "title": "Học tập kinh nghiệm duy trì, nâng cao hiệu quả hoạt động cộng tác viên khuyến công tại "
                     "Long An và Hậu Giang",
            "organiser_name_then": "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Bình Dương",
            "organiser_unit_then": self.legacy[74],
            "purpose": "Thực hiện công tác khuyến công địa phương năm 2018, thuộc chương trình nâng cao năng lực quản "
                       "lý và tổ chức thực hiện các hoạt động khuyến công: học tập kinh nghiệm duy trì, nâng cao hiệu "
                       "quả hoạt động của mạng lưới cộng tác viên khuyến công.",
            "content": "kc_capacity", "fund": "local", "start_date": D(2018, 5, 17), "end_date": D(2018, 5, 18)})
        if event is None:
            return
        staff = self.actor(code, "staff")
        for unit in (long_an, hau_giang):
            services.event_place_add(actor=staff, event=event, unit=unit)
        collaborators = self._binh_duong_collaborators()
        rows = [("head", "centre", "Trưởng đoàn", None, "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp "
                 "Bình Dương", None, None, True, "Phan Thị Khánh Duyên")]
        rows += [("member", "centre", f"Đại diện {dept}", None, "Trung tâm Khuyến công và Tư vấn phát triển công "
                  "nghiệp Bình Dương", None, None, i % 2 == 0, None)
                 for i, dept in enumerate(["phòng Khuyến công", "phòng Tư vấn", "phòng Hành chính - Tổng hợp"])]
        rows += [("member", "collaborator", "Cộng tác viên khuyến công", None, "", None, c, False, None)
                 for c in collaborators]
        people = self.members(event, code, rows)
        for day, host, host_name, activities, topics, visits in [
            (D(2018, 5, 17), long_an, "Sở Công Thương và Trung tâm Khuyến công và Tư vấn phát triển công nghiệp "
             "tỉnh Long An",
             "Trao đổi về hoạt động khuyến công năm qua, cơ cấu mạng lưới cộng tác viên, tiêu chuẩn và cách thức "
             "tham gia mạng lưới, kinh nghiệm quản lý khuyến công; tham quan cùng cộng tác viên địa phương một số "
             "mô hình tiêu biểu.",
             [Topic.COLLABORATOR_NETWORK, Topic.MANAGEMENT_CAPACITY, Topic.DEMONSTRATION_MODELS],
             [("establishment", "Cơ sở CNNT tiêu biểu có đề án khuyến công triển khai hiệu quả (Long An)",
               "Cơ sở bánh tráng được hỗ trợ máy móc từ chương trình khuyến công.")]),
            (D(2018, 5, 18), hau_giang, "Sở Công Thương và Trung tâm Khuyến công và Tư vấn phát triển công nghiệp "
             "tỉnh Hậu Giang",
             "Trao đổi về công tác phối hợp, duy trì, hỗ trợ hệ thống mạng lưới cộng tác viên khuyến công trên địa "
             "bàn tỉnh; những thuận lợi và khó khăn trong quá trình làm công tác khuyến công.",
             [Topic.COLLABORATOR_NETWORK, Topic.PROJECT_MANAGEMENT],
             [("establishment", "Cơ sở CNNT tiêu biểu của Hậu Giang", "")]),
        ]:
            item = services.itinerary_day_add(actor=staff, event=event, day=day, host_province=host,
                                              host_name=host_name, activities=activities, topics=topics)
            for kind, name, note in visits:
                services.site_visit_add(actor=staff, day=item, kind=kind, name=name, note=note)
        non_state = sum(1 for p in people if not p.state_paid)
        self.lines(event, code, [
            (LineKind.TRANSPORT, 1, 9_000_000, 9_000_000, f"Thuê xe 2 ngày cho đoàn {len(people)} người"),
            (LineKind.PER_DIEM, non_state * 2, 200_000, 200_000 * non_state * 2,
             f"{non_state} cộng tác viên × 2 ngày"),
            (LineKind.LODGING, non_state, 350_000, 350_000 * non_state, f"{non_state} cộng tác viên × 1 đêm"),
        ])
        self.act(event, code, "approve", D(2018, 5, 4), reference="36/QĐ-SCT")
        self.sign_days(event, code, people)
        self.act(event, code, "hold", D(2018, 5, 18))
        self.lesson(code, event, {
            "topic": Topic.COLLABORATOR_NETWORK, "province": self.current[80], "place_then": long_an,
            "title": "Cơ cấu mạng lưới cộng tác viên khuyến công, tiêu chuẩn và cách thức tham gia",
            "organisation_name": "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp tỉnh Long An",
            "site": "Các mô hình tiêu biểu do cộng tác viên địa phương giới thiệu",
            "practice": "Long An tổ chức mạng lưới cộng tác viên khuyến công với cơ cấu, tiêu chuẩn và cách thức tham "
                        "gia rõ ràng; cộng tác viên địa phương trực tiếp đưa đoàn đi xem các mô hình tiêu biểu và cơ "
                        "sở CNNT có đề án khuyến công hiệu quả mà họ theo dõi.",
            "why_it_works": "Cộng tác viên nắm cơ sở trên địa bàn, nên đề án được đề xuất từ nhu cầu thật và được "
                            "theo dõi sau hỗ trợ.",
            "how_to_apply": "Rà soát tiêu chuẩn và cách thức tham gia mạng lưới của tỉnh; giao cộng tác viên theo dõi "
                            "các cơ sở đã được hỗ trợ trên địa bàn mình."},
            [{"kind": "network_rule", "owner": "Trung tâm Khuyến công Thành phố Hồ Chí Minh",
              "status": "in_progress",
              "proposal": "Rà soát quy chế mạng lưới cộng tác viên: tiêu chuẩn, cách thức tham gia, nhiệm vụ theo dõi "
                          "cơ sở đã được hỗ trợ.",
              "outcome": "Sau ngày 1/7/2025, mạng lưới cũ của Bình Dương được chuyển cho Trung tâm Khuyến công TP Hồ "
                         "Chí Minh sắp xếp lại theo quy chế mới."}])
        self.lesson(code, event, {
            "topic": Topic.COLLABORATOR_NETWORK, "province": self.current[92], "place_then": hau_giang,
            "title": "Phối hợp, duy trì và hỗ trợ mạng lưới cộng tác viên khuyến công",
            "organisation_name": "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp tỉnh Hậu Giang",
            "practice": "Hậu Giang duy trì mạng lưới cộng tác viên bằng sự phối hợp thường xuyên giữa trung tâm, "
                        "phòng chuyên môn cấp huyện và cộng tác viên; hỗ trợ cộng tác viên trong quá trình làm công "
                        "tác khuyến công, nắm bắt kịp thời thuận lợi và khó khăn.",
            "why_it_works": "Cộng tác viên không làm việc một mình: có đầu mối ở trung tâm và ở địa phương.",
            "how_to_apply": "Phân công mỗi cán bộ trung tâm làm đầu mối cho một nhóm cộng tác viên; họp định kỳ."},
            [{"kind": "other", "owner": "Trung tâm Khuyến công Thành phố Hồ Chí Minh", "status": "proposed",
              "proposal": "Giao cán bộ đầu mối theo dõi từng nhóm cộng tác viên khu vực Bình Dương cũ."}])
        self.lesson(code, event, {
            "topic": Topic.MANAGEMENT_CAPACITY, "province": self.current[80], "place_then": long_an,
            "title": "Thăm cơ sở CNNT có đề án khuyến công hiệu quả để rút kinh nghiệm quản lý",
            "organisation_name": "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp tỉnh Long An",
            "practice": "Đoàn tham quan, khảo sát các cơ sở công nghiệp nông thôn có đề án khuyến công triển khai "
                        "hiệu quả về kinh tế, xã hội, cùng cộng tác viên địa phương.",
            "how_to_apply": "Đưa cán bộ và cộng tác viên mới đi thăm các đề án đã thành công trước khi giao nhiệm vụ."})
        self.report(event, code, D(2018, 5, 25), "52/BC-TTKC")
        self.spend(event, code)
        self.act(event, code, "report", D(2018, 5, 25))
        self.log("  Đoàn Bình Dương 2018 (nay TP Hồ Chí Minh): Long An (nay Tây Ninh), Hậu Giang (nay Cần Thơ).")

    def _binh_duong_collaborators(self):
        try:
            from khuyencong.network.models import Collaborator
        except ImportError:
            return []
        legacy_bd = self.legacy[74]
        qs = Collaborator.objects.filter(province=self.current[79]).order_by("id")
        former = list(qs.filter(coverages__unit__province=legacy_bd).distinct()[:10])
        if len(former) < 10:
            former += list(qs.exclude(pk__in=[c.pk for c in former])[:10 - len(former)])
        if not former:
            self.log("  (Chưa có cộng tác viên của TP Hồ Chí Minh trong dữ liệu mạng lưới: đoàn 2018 không ghi "
                     "10 cộng tác viên.)")
        return former

    # --- trainings, fairs, tours and a conference across the demo provinces -------------------------------------------

    def training(self, code: int, title: str, occupation: str, start: datetime.date, days: int, trainees: int,
                 employed: int, fund: str, finish: str, village_crafts: str) -> None:
        event = self.event(code, {
            "kind": EventKind.TRAINING, "title": title, "occupation": occupation, "planned_trainees": trainees,
            "purpose": f"Đào tạo nghề {occupation.lower()} cho lao động nông thôn, gắn với nhu cầu tuyển dụng của "
                       "các cơ sở trên địa bàn.",
            "content": "training", "fund": fund, "start_date": start,
            "end_date": start + datetime.timedelta(days=days - 1),
            "venue": f"Nhà văn hóa {village_crafts}"})
        if event is None:
            return
        staff = self.actor(code, "staff")
        services.event_place_add(actor=staff, event=event, unit=self.current[code] if start >= D(2025, 7, 1)
                                 else self._legacy_of(code))
        employers = self.establishments(code, 3, offset=20)
        teacher = self.members(event, code, [("teacher", "other", "Nghệ nhân", None, village_crafts, None, None,
                                              True, None)])[0]
        learners = self.members(event, code, [("trainee", "other", "", None, "", None, None, self.rng.random() < .6,
                                               None) for _ in range(trainees)])
        for subject, theory, practice in [("An toàn lao động và quy trình sản xuất", 8, 0),
                                          (f"Kỹ thuật {occupation.lower()} cơ bản", 8, 40),
                                          (f"Kỹ thuật {occupation.lower()} nâng cao, hoàn thiện sản phẩm", 8, 48),
                                          ("Kiểm tra cuối khóa", 0, 8)]:
            services.curriculum_item_add(actor=staff, event=event, subject=subject, theory_hours=theory,
                                         practice_hours=practice, teacher=teacher)
        self.lines(event, code, [
            (LineKind.TEACHERS, days, 500_000, 500_000 * days, "Thù lao giảng viên"),
            (LineKind.MATERIALS, trainees, 1_200_000, 1_200_000 * trainees, "Nguyên vật liệu thực hành"),
            (LineKind.PER_DIEM, trainees * days, 50_000, 50_000 * trainees * days, "Hỗ trợ tiền ăn học viên"),
            (LineKind.VENUE, 1, 3_000_000, 3_000_000, "Thuê hội trường, thiết bị"),
        ])
        self.act(event, code, "approve", start - datetime.timedelta(days=20), reference=f"{self.rng.randint(20, 300)}"
                 f"/QĐ-SCT")
        signing = [teacher, *learners]
        # One trainee left after the first week: absent from the later lists.
        absent = {(len(signing) - 1, i) for i in range(7, days)}
        self.sign_days(event, code, signing, absent=absent)
        end = event.end_date
        if finish == "approved":
            return
        self.act(event, code, "hold", end)
        if finish == "done":
            return
        for i, t in enumerate(learners):
            passed = i < len(learners) - 1
            services.trainee_result_set(actor=staff, participant=t, result="passed" if passed else "dropped",
                                        certificate_number=f"{start.year}/{code:02d}-{i + 1:03d}" if passed else "",
                                        certificate_issued_on=end + datetime.timedelta(days=5) if passed else None)
        for i, t in enumerate(learners[:employed]):
            employer = employers[i % len(employers)] if employers else None
            services.trainee_employment_set(
                actor=staff, participant=t, employed=True, employer=employer,
                employer_name="" if employer else "Hợp tác xã địa phương",
                confirmation=f"Giấy xác nhận số {i + 1:02d}/XN ngày {end + datetime.timedelta(days=60):%d/%m/%Y}",
                employed_from=end + datetime.timedelta(days=15))
        self.spend(event, code)
        self.act(event, code, "report", end + datetime.timedelta(days=10))
        if finish == "reported":
            return
        self.act(event, code, "settle", end + datetime.timedelta(days=40), reference=f"QT-{start.year}-{code}")

    def _legacy_of(self, code: int):
        # The demo provinces' own former units with the same code (Lai Châu, Long An, Cần Thơ, TP HCM).
        return self.legacy[code]

    def fair(self, code: int, kind: str, title: str, fair_name: str, start: datetime.date, days: int, fund: str,
             content: str, booths: int, finish: str) -> None:
        event = self.event(code, {"kind": kind, "title": title, "fair_name": fair_name, "content": content,
                                  "fund": fund, "start_date": start,
                                  "end_date": start + datetime.timedelta(days=days - 1),
                                  "purpose": "Quảng bá, giới thiệu sản phẩm công nghiệp nông thôn tiêu biểu, kết nối "
                                             "tiêu thụ và mở rộng thị trường cho các cơ sở.",
                                  "venue": fair_name})
        if event is None:
            return
        staff = self.actor(code, "staff")
        services.event_place_add(actor=staff, event=event, unit=self.current[code] if start >= D(2025, 7, 1)
                                 else self._legacy_of(code))
        exhibitors = self.establishments(code, booths, offset=40)
        for i, e in enumerate(exhibitors, start=1):
            services.booth_add(actor=staff, event=event, establishment=e, number=f"A{i:02d}", price=12_000_000,
                               products=e.main_products)
        people = self.members(event, code, [("organiser", "centre", "Chuyên viên", self.org(code), "", None, None,
                                             True, None)]
                              + [("exhibitor", "establishment", "Chủ cơ sở", None, "", e, None, e.woman_owned,
                                  e.representative or None) for e in exhibitors])
        self.lines(event, code, [
            (LineKind.BOOTH_RENT, booths, 12_000_000, sum(b.support_vnd for b in event.booths.all()),
             "Thuê gian hàng (mức hỗ trợ theo từng gian hàng)"),
            (LineKind.TRANSPORT, 1, 15_000_000, 0, "Vận chuyển hàng hóa (cơ sở tự chi trả)"),
        ])
        self.act(event, code, "approve", start - datetime.timedelta(days=30), reference=f"{self.rng.randint(20, 300)}"
                 f"/QĐ-SCT")
        if finish == "approved":
            return
        self.sign_days(event, code, people)
        self.act(event, code, "hold", event.end_date)
        for booth in event.booths.all()[: max(1, booths - 1)]:
            services.booth_certify(actor=staff, booth=booth, certified=True,
                                   on_date=event.end_date + datetime.timedelta(days=2))
        self.spend(event, code, share=1.0)
        self.act(event, code, "report", event.end_date + datetime.timedelta(days=7))
        if finish == "reported":
            return
        self.act(event, code, "settle", event.end_date + datetime.timedelta(days=45),
                 reference=f"QT-{start.year}-{code}-HC")

    def tour(self, code: int, title: str, hosts, start: datetime.date, topics, lessons, finish: str,
             audience: str = Audience.OFFICIALS) -> None:
        event = self.event(code, {"kind": EventKind.STUDY_TOUR_DOMESTIC, "audience": audience, "title": title,
                                  "purpose": "Học tập kinh nghiệm: " + ", ".join(
                                      str(Topic(t).label).lower() for t in topics) + ".",
                                  "content": "kc_capacity", "fund": "local", "start_date": start,
                                  "end_date": start + datetime.timedelta(days=len(hosts))})
        if event is None:
            return
        staff = self.actor(code, "staff")
        centre, doit = self.org(code), self.org(code, OrganisationKind.DOIT)
        for host in hosts:
            services.event_place_add(actor=staff, event=event, unit=host)
        people = self.members(event, code, [("head", "doit", "Phó Giám đốc Sở", doit, "", None, None, False, None),
                                            ("member", "centre", "Phó Giám đốc Trung tâm", centre, "", None, None,
                                             True, None),
                                            ("member", "centre", "Chuyên viên", centre, "", None, None, False, None)])
        for i, host in enumerate(hosts):
            host_today = services.current_province_of(host)
            organisation = self.org(host_today.code) if host_today and host.scheme == "current" and \
                host_today.code in ACTORS else None
            services.itinerary_day_add(actor=staff, event=event, day=start + datetime.timedelta(days=i),
                                       host_province=host, host_organisation=organisation,
                                       host_name=organisation.name if organisation else
                                       f"Trung tâm Khuyến công {in_sentence(host.name)}",
                                       activities="Làm việc với Sở Công Thương và Trung tâm Khuyến công; thăm mô hình.",
                                       topics=topics)
        self.lines(event, code, [(LineKind.TRANSPORT, 1, 18_000_000, 18_000_000, "Thuê xe")])
        self.act(event, code, "approve", start - datetime.timedelta(days=14), reference=f"{self.rng.randint(20, 300)}"
                 f"/QĐ-SCT")
        if finish == "approved":
            return
        self.sign_days(event, code, people)
        self.act(event, code, "hold", event.end_date)
        for data, followups in lessons:
            self.lesson(code, event, data, followups)
        self.report(event, code, event.end_date + datetime.timedelta(days=5), f"{self.rng.randint(20, 90)}/BC-TTKC")
        self.spend(event, code)
        self.act(event, code, "report", event.end_date + datetime.timedelta(days=5))
        if finish == "reported":
            return
        self.act(event, code, "settle", event.end_date + datetime.timedelta(days=30),
                 reference=f"QT-{start.year}-{code}-HT")

    def others(self) -> None:
        self.training(12, "Đào tạo nghề dệt thổ cẩm cho lao động nông thôn", "Dệt thổ cẩm", D(2024, 6, 3), 12, 15,
                      9, "local", "settled", "bản Lướt")
        self.training(80, "Truyền nghề làm bánh tráng phơi sương", "Làm bánh tráng", D(2025, 8, 4), 10, 18, 12,
                      "local", "reported", "ấp 3")
        self.training(92, "Đào tạo nghề đan lục bình", "Đan lục bình", D(2023, 9, 11), 10, 20, 13, "local",
                      "settled", "ấp Thạnh Lợi")
        self.training(79, "Đào tạo nghề sơn mài cho lao động nông thôn", "Sơn mài", D(2025, 10, 6), 10, 16, 0,
                      "local", "done", "Tương Bình Hiệp")
        self.fair(12, EventKind.FAIR_ATTENDED, "Tham gia Hội chợ sản phẩm công nghiệp nông thôn tiêu biểu khu vực "
                  "phía Bắc năm 2025", "Hội chợ sản phẩm CNNT tiêu biểu khu vực phía Bắc 2025", D(2025, 11, 12), 5,
                  "local", "fair_domestic_participate", 4, "reported")
        self.fair(80, EventKind.FAIR_ATTENDED, "Tham gia Hội chợ hàng công nghiệp nông thôn tiêu biểu khu vực phía "
                  "Nam năm 2017", "Hội chợ hàng CNNT tiêu biểu khu vực phía Nam 2017", D(2017, 10, 18), 5,
                  "national", "fair_domestic_participate", 5, "settled")
        self.fair(79, EventKind.FAIR_ORGANISED, "Tổ chức Hội chợ sản phẩm công nghiệp nông thôn TP Hồ Chí Minh 2026",
                  "Hội chợ sản phẩm CNNT TP Hồ Chí Minh 2026", D(2026, 11, 20), 4, "local", "fair_domestic_organise",
                  6, "approved")
        # Cần Thơ learns from Long An (now Tây Ninh) about its collaborator network, before the mergers.
        self.tour(92, "Học tập kinh nghiệm xây dựng mạng lưới cộng tác viên khuyến công tại Long An",
                  [self.legacy[80]], D(2024, 10, 9), [Topic.COLLABORATOR_NETWORK, Topic.PROJECT_MANAGEMENT], [
                      ({"topic": Topic.COLLABORATOR_NETWORK, "province": self.current[80],
                        "place_then": self.legacy[80],
                        "title": "Cộng tác viên đăng ký nhu cầu hỗ trợ của cơ sở, làm nguồn đề án khuyến công",
                        "organisation_name": "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp tỉnh Long An",
                        "practice": "Cộng tác viên khảo sát cơ sở và đăng ký nhu cầu hỗ trợ ngay tại xã; trung tâm "
                                    "xét các đăng ký để lập đề án khuyến công của năm sau.",
                        "why_it_works": "Đề án xuất phát từ nhu cầu thật, cộng tác viên được ghi nhận và hưởng thù "
                                        "lao theo kết quả.",
                        "how_to_apply": "Đưa mục đăng ký nhu cầu vào quy chế mạng lưới và thù lao cộng tác viên."},
                       [{"kind": "network_rule", "owner": "Trung tâm Khuyến công và TVPTCN thành phố Cần Thơ",
                         "status": "adopted",
                         "proposal": "Bổ sung thù lao cho đăng ký nhu cầu được chuyển thành đề án vào quy chế mạng "
                                     "lưới cộng tác viên.",
                         "outcome": "Quy chế mạng lưới cộng tác viên của thành phố Cần Thơ năm 2025 có mức thù lao "
                                    "cho mỗi đăng ký được chuyển thành đề án."}])], "settled")
        # Tây Ninh visits Lai Châu on training for ethnic-minority workers, after the mergers (today's units).
        self.tour(80, "Học tập kinh nghiệm đào tạo nghề cho lao động dân tộc thiểu số tại Lai Châu",
                  [self.current[12]], D(2025, 11, 3), [Topic.TRAINING, Topic.PRODUCT_DEVELOPMENT], [
                      ({"topic": Topic.TRAINING, "province": self.current[12],
                        "title": "Lớp dệt thổ cẩm mở tại bản, học viên được hợp tác xã nhận làm",
                        "organisation_name": "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Lai Châu",
                        "practice": "Lớp học mở ngay tại nhà văn hóa bản, giảng viên là nghệ nhân; hợp tác xã cam kết "
                                    "nhận học viên đạt yêu cầu vào làm.",
                        "why_it_works": "Học viên không phải đi xa, có việc làm ngay sau khóa học.",
                        "how_to_apply": "Ký cam kết tuyển dụng với cơ sở trước khi mở lớp."}, [])], "reported")
        # Lai Châu plans a tour to Tây Ninh on the collaborator network (drafted, not yet approved).
        self.tour(12, "Học tập kinh nghiệm quản lý mạng lưới cộng tác viên khuyến công tại Tây Ninh",
                  [self.current[80]], D(2027, 3, 15), [Topic.COLLABORATOR_NETWORK], [], "approved",
                  audience=Audience.MIXED)
        conference = self.event(80, {"kind": EventKind.REVIEW_CONFERENCE, "content": "kc_capacity", "fund": "local",
                                     "title": "Hội nghị tổng kết công tác khuyến công năm 2025",
                                     "start_date": D(2025, 12, 18), "end_date": D(2025, 12, 18),
                                     "venue": "Hội trường Sở Công Thương tỉnh Tây Ninh",
                                     "purpose": "Tổng kết công tác khuyến công năm 2025 sau khi hợp nhất Long An và "
                                                "Tây Ninh; triển khai kế hoạch năm 2026."})
        if conference is not None:
            self.lines(conference, 80, [(LineKind.VENUE, 1, 8_000_000, 8_000_000, "Hội trường, âm thanh"),
                                        (LineKind.MATERIALS, 120, 30_000, 3_600_000, "Tài liệu hội nghị")])
            self.act(conference, 80, "approve", D(2025, 12, 1), reference="412/QĐ-SCT")

    def practices(self) -> None:
        villages = {v.province.code: v for v in CraftVillage.objects.select_related("province").order_by("id")}
        self.practice(80, {"topic": Topic.COLLABORATOR_NETWORK, "title": "Một mạng lưới cộng tác viên cho cả tỉnh "
                           "sau hợp nhất, phủ theo xã mới",
                           "description": "Sau ngày 1/7/2025, cộng tác viên của Long An và Tây Ninh được sắp xếp lại "
                                          "theo các xã mới trong một quy chế chung; mỗi cộng tác viên phụ trách tối "
                                          "đa vài xã liền kề.",
                           "evidence": "Quy chế mạng lưới cộng tác viên ban hành năm 2025; việc chuyển địa bàn ngày "
                                       "1/8/2025 được ghi đầy đủ trong hệ thống (xem trang Cộng tác viên).",
                           "organisation": self.org(80), "since": D(2025, 8, 1)})
        self.practice(92, {"topic": Topic.COLLABORATOR_NETWORK, "title": "Thù lao cộng tác viên theo kết quả: khảo "
                           "sát, đăng ký nhu cầu, đề án",
                           "description": "Cộng tác viên được trả thù lao cơ bản và thêm theo từng khảo sát được chấp "
                                          "nhận, từng đăng ký nhu cầu được chuyển thành đề án.",
                           "evidence": "Quy chế năm 2025; số đăng ký chuyển thành đề án được tính trong hệ thống.",
                           "organisation": self.org(92), "since": D(2025, 9, 1)})
        self.practice(12, {"topic": Topic.TRAINING, "title": "Đào tạo nghề dệt thổ cẩm tại bản gắn với việc làm",
                           "description": "Lớp học mở tại bản, nghệ nhân dạy, hợp tác xã nhận học viên vào làm.",
                           "evidence": "Lớp năm 2024: 15 học viên, 14 được cấp chứng chỉ, 9 có việc làm được cơ sở "
                                       "xác nhận (xem Kết quả đào tạo).",
                           "organisation": self.org(12), "since": D(2024, 6, 3)})
        village = villages.get(79)
        self.practice(79, {"topic": Topic.PRODUCT_DEVELOPMENT, "title": "Phát triển sản phẩm sơn mài theo thị hiếu "
                           "xuất khẩu",
                           "description": "Trung tâm kết nối nghệ nhân làng nghề với nhà thiết kế để làm mẫu mới.",
                           "evidence": f"{village.name if village else 'Làng nghề sơn mài'}: mẫu mới tham gia hội "
                                       "chợ hằng năm.",
                           "organisation": self.org(79), "since": D(2023, 3, 1)})

    def run(self) -> None:
        missing = [code for code in ACTORS if code not in self.current]
        if missing or not self.users:
            self.log("  Sự kiện: thiếu đơn vị hành chính hoặc người dùng demo, bỏ qua.")
            return
        for step in (self.lai_chau_2016, self.binh_duong_2018, self.others, self.practices):
            try:
                step()
            except DomainError as exc:  # a refusal means the demo data disagrees with the rules: say which
                self.log(f"  Sự kiện ({step.__name__}): {exc.message}")
        self.log(f"  Sự kiện: {self.created} sự kiện mới, {Lesson.objects.count()} bài học, "
                 f"{ModelPractice.objects.count()} mô hình tiêu biểu.")


def seed(stdout=None) -> None:
    Seeder(stdout).run()
