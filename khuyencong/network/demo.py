"""Demo collaborator networks for the four demo provinces. Deterministic (seeded per province) and idempotent: a
province whose demo regulation exists is left alone.

Each province gets its regulation (numbers and amounts are fictitious, for the demo only), 24–55 collaborators with a
year of activity (surveys, needs registrations, communication sessions, follow-up visits, tasks), some suspended or
ended, and communes left uncovered. Two stories of the 2025 mergers are in the data:

* Tây Ninh: collaborators of the former Long An network covered former communes until the centre moved them onto
  today's communes on 1/8/2025 through the reassignment service (the history shows both);
* TP Hồ Chí Minh: the former Bình Dương network still covers former communes and districts, waiting to be moved on
  the "Reorganise after the mergers" page.

The demo user `ctv.laichau` becomes the collaborator Vàng A Dính, with the three communes of their account. Bulk
history (records, tasks, status changes) is written straight to the tables, as an import would; the regulations, the
Tây Ninh move, a few conversions into project proposals and the fee sheets go through the services.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from khuyencong.accounts.demo import DEMO_PASSWORD
from khuyencong.accounts.models import Organisation, OrganisationKind, Role, RoleAssignment, ScopeLevel, User
from khuyencong.core.errors import DomainError
from khuyencong.core.periods import Period, PeriodKind
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit, Succession
from khuyencong.projects.selectors import plans_open_to
from khuyencong.registry.models import Establishment

from . import services
from .identity import protected_id
from .models import (
    Announcement,
    AnnouncementRead,
    Collaborator,
    CollaboratorStatus,
    CollaboratorStatusChange,
    CollaboratorTask,
    Coverage,
    FieldKind,
    FieldRecord,
    RecordStatus,
    Regulation,
    TaskStatus,
)
from .permissions import covered_commune_ids

D = datetime.date

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai"]
FAMILY_NORTH_WEST = ["Lò", "Tòng", "Vàng", "Giàng", "Sùng", "Tẩn", "Lù", "Hoàng", "Nguyễn", "Lê", "Đèo", "Lường"]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Công", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Hồng", "Bích"]
GIVEN_MALE = ["Hùng", "Dũng", "Tuấn", "Phúc", "Lộc", "Sơn", "Tâm", "Thành", "Khoa", "Nam", "Hải", "Tú", "Bình", "Trung",
              "Kiên", "Long", "Nghĩa", "Quang", "Thắng", "Vinh"]
GIVEN_FEMALE = ["Lan", "Hoa", "Mai", "Hương", "Thảo", "Nhung", "Trang", "Xuân", "Hạnh", "Duyên", "Ngân", "Yến", "Liên",
                "Phương", "Thủy", "Vân", "Hà", "Linh"]
# Hmong and Dao names of Lai Châu take "A" / "Seo" / "Láo" as middle names for men, "Thị" / "Mý" for women.
MIDDLE_MALE_NW = ["A", "Seo", "Văn", "Láo"]
MIDDLE_FEMALE_NW = ["Thị", "Mý", "Thị"]
GIVEN_MALE_NW = ["Páo", "Dính", "Chư", "Sử", "Phềnh", "Lử", "Sơn", "Thanh", "Xuân", "Minh", "Chiến", "Hòa"]
GIVEN_FEMALE_NW = ["Mai", "Pằng", "Dua", "Xúa", "Hoa", "Lan", "Thu", "Ly"]

AFFILIATIONS = [("commune_pc", "Ủy ban nhân dân {commune}"), ("association", "Hội Nông dân {commune}"),
                ("association", "Hội Liên hiệp Phụ nữ {commune}"), ("enterprise", "Hợp tác xã dịch vụ {short}"),
                ("independent", "")]
TOPICS = ["Phổ biến chính sách khuyến công theo Nghị định 235/2025/NĐ-CP",
          "Giới thiệu chương trình khuyến công địa phương giai đoạn 2026–2030",
          "Hướng dẫn đăng ký tham gia bình chọn sản phẩm công nghiệp nông thôn tiêu biểu",
          "Hướng dẫn hồ sơ đề nghị hỗ trợ máy móc thiết bị", "Chuyển đổi số cho cơ sở sản xuất nhỏ",
          "Sản xuất sạch hơn và tiết kiệm năng lượng"]
NEED_CONTENTS = ["machinery", "machinery", "demo_model_new", "brand", "consulting", "training",
                 "fair_domestic_participate"]
TASKS = ["Rà soát danh sách cơ sở công nghiệp nông thôn trên địa bàn", "Khảo sát nhu cầu hỗ trợ máy móc thiết bị",
         "Tuyên truyền bình chọn sản phẩm công nghiệp nông thôn tiêu biểu", "Thu thập hồ sơ đề án khuyến công",
         "Theo dõi tiến độ đề án tại cơ sở", "Cập nhật tọa độ GPS các cơ sở trên địa bàn",
         "Báo cáo tình hình sản xuất của cơ sở sau hỗ trợ"]

# Rough bounding boxes (lat, lng) of each province for believable GPS points (synthetic, for the map only).
BOXES = {12: (21.95, 22.75, 102.75, 103.85), 80: (10.55, 11.55, 105.95, 106.55), 92: (9.35, 10.25, 105.45, 106.25),
         79: (10.45, 11.35, 106.45, 107.25)}

REGULATIONS = {
    12: {"number": "15/2024/QĐ-UBND", "issued_on": D(2023, 12, 20), "effective_from": D(2024, 1, 1),
         "issuing_body": "Ủy ban nhân dân tỉnh Lai Châu", "signer": "Lò Văn Thắng",
         "body": "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Lai Châu", "parent": "Sở Công Thương tỉnh Lai Châu",
         "term": 36, "max": 3, "fees": (500_000, 30_000, 300_000, 50_000, 1_500_000), "count": 24},
    80: {"number": "27/2025/QĐ-UBND", "issued_on": D(2025, 7, 28), "effective_from": D(2025, 8, 1),
         "issuing_body": "Ủy ban nhân dân tỉnh Tây Ninh", "signer": "Nguyễn Văn Hòa",
         "body": "Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Tây Ninh", "parent": "Sở Công Thương tỉnh Tây Ninh",
         "term": 24, "max": 3, "fees": (700_000, 40_000, 400_000, 60_000, 2_000_000), "count": 45},
    92: {"number": "08/2025/QĐ-UBND", "issued_on": D(2025, 8, 15), "effective_from": D(2025, 9, 1),
         "issuing_body": "Ủy ban nhân dân thành phố Cần Thơ", "signer": "Trần Minh Khoa",
         "body": "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp thành phố Cần Thơ",
         "parent": "Sở Công Thương thành phố Cần Thơ", "term": 36, "max": 2,
         "fees": (600_000, 35_000, 350_000, 50_000, None), "count": 40},
    79: {"number": "42/2025/QĐ-UBND", "issued_on": D(2025, 8, 25), "effective_from": D(2025, 9, 1),
         "issuing_body": "Ủy ban nhân dân Thành phố Hồ Chí Minh", "signer": "Phạm Quốc Dũng",
         "body": "Trung tâm Khuyến công Thành phố Hồ Chí Minh", "parent": "Sở Công Thương Thành phố Hồ Chí Minh",
         "term": 24, "max": 3, "fees": (800_000, 50_000, 500_000, 70_000, 2_500_000), "count": 40},
}
DUTIES = ("Nắm bắt nhu cầu của cơ sở công nghiệp nông thôn trên địa bàn; lập danh sách, thống kê cơ sở; tuyên "
          "truyền chính sách khuyến công; hướng dẫn cơ sở lập hồ sơ đề nghị hỗ trợ; theo dõi việc thực hiện đề án; "
          "báo cáo định kỳ hằng tháng cho Trung tâm.")
BINH_DUONG_NETWORK = 15  # collaborators of the former Bình Dương network in TP HCM, still on former units
UNCOVERED_COMMUNES = 3  # communes of each province that no demo collaborator covers
LONG_AN_MOVED = 6  # collaborators of the former Long An network in Tây Ninh, moved on 1/8/2025
MOVE_DATE = D(2025, 8, 1)


def _standards(province_code: int) -> list[dict]:
    return [
        {"kind": "age", "label": "Công dân Việt Nam từ đủ 18 tuổi đến 60 tuổi", "min_value": 18, "max_value": 60},
        {"kind": "education", "label": "Tốt nghiệp trung học phổ thông trở lên", "education_level": "upper_secondary"},
        {"kind": "residence", "label": "Cư trú tại xã, phường đăng ký làm cộng tác viên", "min_value": 1},
        {"kind": "experience", "label": "Có ít nhất 1 năm làm việc liên quan đến sản xuất, kinh doanh hoặc quản lý "
                                        "ở cơ sở", "min_value": 1},
        {"kind": "health", "label": "Có đủ sức khỏe để đi cơ sở thường xuyên"},
        {"kind": "endorsement", "label": "Được Ủy ban nhân dân cấp xã nơi cư trú xác nhận, giới thiệu"},
        {"kind": "other", "label": "Có điện thoại thông minh để ghi nhận thông tin tại cơ sở"},
    ]


CRITERIA = [
    {"metric": "surveys", "label": "Số phiếu khảo sát cơ sở được Trung tâm chấp nhận", "weight": 35,
     "monthly_target": 4},
    {"metric": "registrations", "label": "Số nhu cầu hỗ trợ đăng ký", "weight": 20, "monthly_target": 1},
    {"metric": "conversions", "label": "Số đăng ký được xây dựng thành đề án", "weight": 10, "monthly_target": 1},
    {"metric": "reports", "label": "Số buổi tuyên truyền, lượt theo dõi đề án có báo cáo", "weight": 15,
     "monthly_target": 1},
    {"metric": "tasks_on_time", "label": "Tỷ lệ nhiệm vụ hoàn thành đúng hạn", "weight": 20},
]


def _person(rng: random.Random, north_west: bool) -> tuple[str, str]:
    female = rng.random() < 0.45
    if north_west:
        family = rng.choice(FAMILY_NORTH_WEST)
        middle = rng.choice(MIDDLE_FEMALE_NW if female else MIDDLE_MALE_NW)
        given = rng.choice(GIVEN_FEMALE_NW if female else GIVEN_MALE_NW)
    else:
        family = rng.choice(FAMILY)
        middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return f"{family} {middle} {given}", "female" if female else "male"


def _id_digits(rng: random.Random, province_code: int) -> str:
    return f"{province_code:03d}{rng.randint(0, 9)}{rng.randint(60, 99):02d}{rng.randint(0, 999_999):06d}"


def _months_back(today: datetime.date, n: int) -> list[tuple[int, int]]:
    months, year, month = [], today.year, today.month
    for _i in range(n):
        months.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


class _Seeder:
    """Seeds one province."""

    def __init__(self, code: int, today: datetime.date, password_hash: str, stdout=None):
        self.code = code
        self.rng = random.Random(7919 * code)
        self.today = today
        self.password_hash = password_hash
        self.stdout = stdout
        self.province = AdminUnit.objects.current().provinces().get(code=code)
        self.communes = list(AdminUnit.objects.current().communes().filter(province=self.province).order_by("code"))
        self.establishments: dict[int, list[Establishment]] = {}
        for e in Establishment.objects.filter(province=self.province, merged_into__isnull=True).order_by("pk"):
            self.establishments.setdefault(e.commune_id, []).append(e)
        lat0, lat1, lng0, lng1 = BOXES[code]
        self.centres = {c.pk: (self.rng.uniform(lat0, lat1), self.rng.uniform(lng0, lng1)) for c in self.communes}
        self.centre = Organisation.objects.filter(province=self.province, kind=OrganisationKind.KC_CENTRE).first()
        self.staff = self._user("ttkc", code)
        self.seq = 0
        self.collaborators: list[Collaborator] = []
        self.records: list[FieldRecord] = []
        self.tasks: list[CollaboratorTask] = []
        self.changes: list[CollaboratorStatusChange] = []
        self.located: dict[int, tuple[Decimal, Decimal]] = {}

    @staticmethod
    def _user(prefix: str, code: int) -> User | None:
        names = {12: "laichau", 80: "tayninh", 92: "cantho", 79: "hcm"}
        return User.objects.filter(username=f"{prefix}.{names[code]}").first()

    def log(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)

    # --- regulation ---------------------------------------------------------------------------------------------

    def regulation(self) -> Regulation:
        spec = REGULATIONS[self.code]
        base, survey, conversion, report, cap = spec["fees"]
        data = {
            "number": spec["number"], "issued_on": spec["issued_on"], "effective_from": spec["effective_from"],
            "issuing_body": spec["issuing_body"], "signer": spec["signer"],
            "title": f"Quy chế tổ chức và hoạt động của mạng lưới cộng tác viên khuyến công "
                     f"{self.province.name[0].lower()}{self.province.name[1:]}",
            "duties": DUTIES, "term_months": spec["term"], "max_communes": spec["max"],
            "appointing_authority": f"Giám đốc {spec['body']}", "appointing_body": spec["body"],
            "parent_body": spec["parent"], "decision_symbol": "QĐ-TTKC",
            "monthly_base_vnd": base, "per_survey_vnd": survey, "per_conversion_vnd": conversion,
            "per_report_vnd": report, "monthly_cap_vnd": cap, "accepts_applications": True,
        }
        actor = self.staff or User.objects.filter(is_superuser=True).first()
        return services.regulation_create(actor=actor, province=self.province, data=data,
                                          standards=_standards(self.code), criteria=CRITERIA)

    # --- people ---------------------------------------------------------------------------------------------------

    def new_collaborator(self, *, appointed: datetime.date, regulation: Regulation | None, term_months: int,
                         status: str, name: tuple[str, str] | None = None, authority: str = "",
                         residence=None, user: User | None = None) -> Collaborator:
        rng = self.rng
        self.seq += 1
        full_name, gender = name or _person(rng, self.code == 12)
        digits = _id_digits(rng, self.code)
        kind, pattern = rng.choice(AFFILIATIONS)
        residence = residence or rng.choice(self.communes)
        start = appointed + datetime.timedelta(days=rng.randint(0, 10))
        collaborator = Collaborator(
            province=self.province, seq=self.seq, code=f"CTV-{self.code:02d}-{self.seq:04d}", full_name=full_name,
            name_folded=fold(full_name), gender=gender, birth_year=rng.randint(1966, 2001),
            phone=f"09{rng.randint(10_000_000, 99_999_999)}", email="",
            **protected_id(digits), residence_commune=residence,
            address=f"Thôn {rng.randint(1, 12)}" if self.code == 12 else f"Ấp {rng.randint(1, 9)}",
            education_level=rng.choice(["upper_secondary", "upper_secondary", "vocational", "college", "university"]),
            experience_years=rng.randint(1, 20), affiliation_kind=kind,
            affiliation=pattern.format(commune=residence.name, short=residence.short_name),
            status=status, regulation=regulation,
            decision_number=f"{rng.randint(5, 240)}/QĐ-TTKC", decision_date=appointed,
            decision_authority=authority or (regulation.appointing_authority if regulation else ""),
            decision_signer=_person(rng, self.code == 12)[0], term_start=start,
            term_end=services.add_months(start, term_months) - datetime.timedelta(days=1), user=user,
        )
        collaborator.save()
        self.changes.append(CollaboratorStatusChange(collaborator=collaborator, status=CollaboratorStatus.APPLICANT,
                                                     on_date=appointed - datetime.timedelta(days=20)))
        self.changes.append(CollaboratorStatusChange(collaborator=collaborator, status=CollaboratorStatus.ACTIVE,
                                                     on_date=start, reason=collaborator.decision_number))
        self.collaborators.append(collaborator)
        return collaborator

    def finish_status(self, collaborator: Collaborator) -> datetime.date | None:
        """Suspends or ends some collaborators; returns the day their activity stopped."""
        roll = self.rng.random()
        earliest = collaborator.term_start + datetime.timedelta(days=120)
        if roll < 0.08 and earliest < self.today - datetime.timedelta(days=40):
            day = self.today - datetime.timedelta(days=self.rng.randint(20, 70))
            collaborator.status, collaborator.status_reason = CollaboratorStatus.SUSPENDED, "Đi làm ăn xa trong 3 tháng"
        elif roll < 0.2 and earliest < self.today - datetime.timedelta(days=100):
            day = self.today - datetime.timedelta(days=self.rng.randint(90, 200))
            collaborator.status = CollaboratorStatus.ENDED
            collaborator.status_reason = self.rng.choice(["Xin thôi làm cộng tác viên vì lý do gia đình",
                                                          "Chuyển công tác", "Không hoàn thành nhiệm vụ 2 quý liền"])
        else:
            return None
        day = max(day, earliest)
        collaborator.save(update_fields=["status", "status_reason"])
        self.changes.append(CollaboratorStatusChange(collaborator=collaborator, status=collaborator.status,
                                                     on_date=day, reason=collaborator.status_reason))
        return day

    def cover(self, collaborator: Collaborator, units, start: datetime.date, end: datetime.date | None = None,
              reason: str = "") -> None:
        for unit in units:
            Coverage.objects.create(collaborator=collaborator, unit=unit, province=self.province, start_date=start,
                                    end_date=end, end_reason=reason)

    def account(self, collaborator: Collaborator, communes) -> None:
        username = services.username_for(collaborator.full_name, self.province)
        user = User.objects.create(username=username, full_name=collaborator.full_name, password=self.password_hash,
                                   phone=collaborator.phone)
        collaborator.user = user
        collaborator.save(update_fields=["user"])
        assignment = RoleAssignment.objects.create(user=user, organisation=self.centre, role=Role.COLLABORATOR,
                                                   scope_level=ScopeLevel.COMMUNES, province=self.province,
                                                   is_active=collaborator.status == CollaboratorStatus.ACTIVE)
        assignment.communes.set([c for c in communes if c.scheme == "current"])

    # --- activity -------------------------------------------------------------------------------------------------

    def point(self, commune_id: int) -> tuple[Decimal, Decimal]:
        lat, lng = self.centres.get(commune_id, (None, None))
        if lat is None:
            lat0, lat1, lng0, lng1 = BOXES[self.code]
            lat, lng = (lat0 + lat1) / 2, (lng0 + lng1) / 2
        return (Decimal(f"{lat + self.rng.uniform(-0.02, 0.02):.6f}"),
                Decimal(f"{lng + self.rng.uniform(-0.02, 0.02):.6f}"))

    def activity(self, collaborator: Collaborator, communes, start: datetime.date, stop: datetime.date | None) -> None:
        """A year of field records and tasks while the collaborator was active."""
        rng = self.rng
        first = max(start, self.today - datetime.timedelta(days=365))
        last = min(stop or self.today, self.today)
        if first >= last or not communes:
            return
        establishments = [e for c in communes for e in self.establishments.get(c.pk, [])]
        for year, month in _months_back(self.today, 13):
            month_start = D(year, month, 1)
            month_end = (D(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1))
            lo, hi = max(first, month_start), min(last, month_end)
            if lo > hi:
                continue
            recent = (self.today - hi).days < 35

            def day(lo=lo, hi=hi):
                return lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))

            for _i in range(rng.randint(1, 5) if establishments else 0):
                e = rng.choice(establishments)
                status = RecordStatus.SUBMITTED if recent and rng.random() < 0.6 else (
                    RecordStatus.REJECTED if rng.random() < 0.08 else RecordStatus.ACCEPTED)
                lat, lng = self.point(e.commune_id)
                changes = {}
                if e.pk not in self.located and e.latitude is None:
                    changes.update(latitude=str(lat), longitude=str(lng))
                    if status == RecordStatus.ACCEPTED:
                        self.located[e.pk] = (lat, lng)
                if rng.random() < 0.3:
                    changes["employees"] = (e.employees or 3) + rng.randint(1, 6)
                self.records.append(FieldRecord(
                    collaborator=collaborator, province=self.province, commune_id=e.commune_id,
                    kind=FieldKind.SURVEY, occurred_on=day(), establishment=e, latitude=lat, longitude=lng,
                    status=status, proposed_changes=changes, base_version=e.version,
                    reviewed_by=self.staff if status != RecordStatus.SUBMITTED else None,
                    reviewed_at=timezone.now() if status != RecordStatus.SUBMITTED else None,
                    review_note="Thiếu thông tin người đại diện, đề nghị khảo sát lại"
                    if status == RecordStatus.REJECTED else "",
                    notes=rng.choice(["", "Cơ sở hoạt động ổn định.", "Cơ sở có nhu cầu mở rộng nhà xưởng.",
                                      "Chủ cơ sở đề nghị được tập huấn về thương mại điện tử."])))
            if establishments and rng.random() < 0.55:
                e = rng.choice(establishments)
                status = RecordStatus.SUBMITTED if recent else rng.choice(
                    [RecordStatus.ACCEPTED, RecordStatus.ACCEPTED, RecordStatus.ACCEPTED, RecordStatus.REJECTED])
                self.records.append(FieldRecord(
                    collaborator=collaborator, province=self.province, commune_id=e.commune_id, kind=FieldKind.NEED,
                    occurred_on=day(), establishment=e, content_code=rng.choice(NEED_CONTENTS),
                    expected_cost_vnd=rng.randint(10, 160) * 5_000_000, status=status,
                    notes="Cơ sở cần đầu tư thêm máy móc để nâng công suất.",
                    review_note="Cơ sở chưa đủ điều kiện vốn đối ứng" if status == RecordStatus.REJECTED else ""))
            if rng.random() < 0.35:
                commune = rng.choice(communes)
                self.records.append(FieldRecord(
                    collaborator=collaborator, province=self.province, commune=commune,
                    kind=FieldKind.COMMUNICATION, occurred_on=day(), topic=rng.choice(TOPICS),
                    participants=rng.randint(15, 60),
                    status=RecordStatus.SUBMITTED if recent else RecordStatus.ACCEPTED))
            if establishments and rng.random() < 0.25:
                e = rng.choice(establishments)
                self.records.append(FieldRecord(
                    collaborator=collaborator, province=self.province, commune_id=e.commune_id,
                    kind=FieldKind.FOLLOWUP, occurred_on=day(), establishment=e,
                    notes="Máy móc được hỗ trợ đã vận hành, công suất tăng khoảng 20%.",
                    status=RecordStatus.SUBMITTED if recent else RecordStatus.ACCEPTED))
            for _i in range(rng.randint(1, 2)):
                due = lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))
                e = rng.choice(establishments) if establishments and rng.random() < 0.4 else None
                task = CollaboratorTask(province=self.province, collaborator=collaborator,
                                        title=rng.choice(TASKS), due_date=due, assigned_by=self.staff,
                                        commune=e.commune if e else rng.choice(communes), establishment=e)
                if due >= self.today - datetime.timedelta(days=20) and rng.random() < 0.6:
                    task.status = TaskStatus.OPEN
                else:
                    roll = rng.random()
                    if roll < 0.04:
                        task.status, task.completion_note = TaskStatus.CANCELLED, "Trung tâm điều chỉnh kế hoạch"
                    else:
                        late = roll > 0.82
                        task.status = TaskStatus.DONE
                        task.done_on = min(due + datetime.timedelta(days=rng.randint(1, 9) if late
                                                                    else -rng.randint(0, 6)), self.today)
                        task.completion_note = "Đã hoàn thành, gửi báo cáo kèm theo"
                self.tasks.append(task)

    # --- the province -----------------------------------------------------------------------------------------------

    def run(self) -> None:
        rng = self.rng
        regulation = self.regulation()
        spec = REGULATIONS[self.code]
        communes = list(self.communes)
        rng.shuffle(communes)
        # Communes with establishments first: that is where a centre recruits.
        communes.sort(key=lambda c: -len(self.establishments.get(c.pk, [])) + rng.random() * 3)
        queue = list(communes)
        reserved: list[AdminUnit] = []
        if self.code == 12:
            reserved = self._link_demo_collaborator(regulation)
            queue = [c for c in queue if c not in reserved]
        if self.code == 80:
            queue = self._long_an_moved(regulation, queue)
        if self.code == 79:
            self._binh_duong_network()
        # The last communes of the queue (the fewest establishments) are left to no one: every province has gaps to
        # show whatever the day the demo is seeded (the draws below depend on today's date).
        gaps, queue = queue[-UNCOVERED_COMMUNES:], queue[:-UNCOVERED_COMMUNES]
        for _i in range(spec["count"] - (LONG_AN_MOVED if self.code == 80 else 0)):
            earliest = max(regulation.effective_from, self.today - datetime.timedelta(days=3 * 365))
            span = (self.today - datetime.timedelta(days=60) - earliest).days
            appointed = earliest + datetime.timedelta(days=rng.randint(0, max(span, 1)))
            take = [queue.pop(0) for _j in range(min(len(queue), rng.choice([1, 1, 2, 2, 3][:spec["max"] + 2])))]
            if not take:
                # a second collaborator for a busy commune (an overlap)
                take = [rng.choice([c for c in self.communes if c not in gaps])]
            collaborator = self.new_collaborator(appointed=appointed, regulation=regulation,
                                                 term_months=spec["term"], status=CollaboratorStatus.ACTIVE,
                                                 residence=take[0])
            stopped = self.finish_status(collaborator)
            self.cover(collaborator, take, collaborator.term_start,
                       stopped if collaborator.status == CollaboratorStatus.ENDED else None,
                       collaborator.status_reason if collaborator.status == CollaboratorStatus.ENDED else "")
            if collaborator.status == CollaboratorStatus.ENDED:
                queue.extend(take)  # their communes became gaps
            self.account(collaborator, take)
            self.activity(collaborator, take, collaborator.term_start, stopped)
        self._write()
        self._proposals()
        self._announcements()
        self._convert_some()
        self._fee_sheets()
        self.log(f"  Mạng lưới CTV {self.province.name}: {len(self.collaborators)} cộng tác viên, "
                 f"{len(self.records)} phiếu thực địa, {len(self.tasks)} nhiệm vụ.")

    def _link_demo_collaborator(self, regulation) -> list[AdminUnit]:
        """The demo account ctv.laichau becomes the collaborator Vàng A Dính over its three communes."""
        user = User.objects.filter(username="ctv.laichau").first()
        if user is None or Collaborator.objects.filter(user=user).exists():
            return []
        assignment = RoleAssignment.objects.filter(user=user, role=Role.COLLABORATOR).first()
        communes = list(assignment.communes.order_by("code")) if assignment else self.communes[:3]
        collaborator = self.new_collaborator(
            appointed=self.today - datetime.timedelta(days=400), regulation=regulation,
            term_months=REGULATIONS[12]["term"], status=CollaboratorStatus.ACTIVE, name=("Vàng A Dính", "male"),
            residence=communes[0], user=user)
        self.cover(collaborator, communes, collaborator.term_start)
        self.activity(collaborator, communes, collaborator.term_start, None)
        due = self.today + datetime.timedelta(days=5)
        self.tasks.append(CollaboratorTask(
            province=self.province, collaborator=collaborator, title="Khảo sát 5 cơ sở chế biến chè trên địa bàn",
            description="Cập nhật số lao động và tọa độ GPS của cơ sở.", due_date=due, commune=communes[0],
            assigned_by=self.staff))
        return communes

    def _proposals(self) -> None:
        """ctv.laichau proposes two establishments found in the field: one waits for the centre, one was rejected."""
        user = User.objects.filter(username="ctv.laichau").first()
        collaborator = Collaborator.objects.filter(user=user).first() if user else None
        if collaborator is None or collaborator.establishment_proposals.exists():
            return
        communes = list(AdminUnit.objects.filter(pk__in=covered_commune_ids(collaborator)).order_by("code"))
        found = [
            {"name": "Cơ sở rèn dao Phong Thổ", "entity_type": "household", "representative": "Vàng A Páo",
             "phone": "0914 223 344", "main_products": "Dao, cuốc, liềm rèn thủ công", "address": "Bản Lả Dì Thàng"},
            {"name": "Tổ hợp tác dệt thổ cẩm Nậm Tăm", "entity_type": "cooperative_group",
             "representative": "Lò Thị Mai", "main_products": "Khăn, túi thổ cẩm", "address": "Bản Nậm Tăm"},
        ]
        for i, data in enumerate(found):
            try:
                proposal = services.establishment_propose(actor=user, data={**data, "commune": communes[i % len(
                    communes)]})
                if i == 1 and self.staff is not None:
                    services.establishment_proposal_reject(
                        actor=self.staff, proposal=proposal, version=proposal.version,
                        note="Đã có trong cơ sở dữ liệu dưới tên HTX Dệt Nậm Tăm; đề nghị khảo sát cơ sở đó.")
            except (DomainError, ZeroDivisionError) as exc:  # ZeroDivisionError: no commune covered
                self.log(f"  (bỏ qua đề xuất cơ sở mới: {exc})")

    def _long_an_moved(self, regulation, queue) -> list[AdminUnit]:
        """Former Long An collaborators: covered former communes from 2023, moved onto today's communes on
        1/8/2025 by the reassignment service (so the history shows the closed former rows and the new ones)."""
        legacy_province = AdminUnit.objects.legacy().provinces().filter(name_folded__contains="long an").first()
        if legacy_province is None or self.staff is None:
            return queue
        legacy_communes = list(AdminUnit.objects.legacy().communes().filter(province=legacy_province)
                               .filter(successors__current__province=self.province).distinct().order_by("code"))
        self.rng.shuffle(legacy_communes)
        moves = {}
        taken: set[int] = set()
        for i in range(LONG_AN_MOVED):
            unit = legacy_communes[i]
            collaborator = self.new_collaborator(
                appointed=D(2023, 3, 1) + datetime.timedelta(days=30 * i), regulation=None, term_months=48,
                status=CollaboratorStatus.ACTIVE,
                authority="Giám đốc Trung tâm Khuyến công và Tư vấn phát triển công nghiệp tỉnh Long An")
            coverage = Coverage.objects.create(collaborator=collaborator, unit=unit, province=self.province,
                                               start_date=collaborator.term_start)
            targets = [s.current_id for s in Succession.objects.filter(legacy=unit, current__province=self.province)
                       if s.current_id not in taken][:2]
            taken.update(targets)
            moves[coverage.pk] = targets
        CollaboratorStatusChange.objects.bulk_create(self.changes)
        self.changes = []
        batch = services.coverage_reassign(actor=self.staff, province=self.province, moves=moves, on_date=MOVE_DATE,
                                           note="Sắp xếp lại địa bàn sau hợp nhất tỉnh Long An và Tây Ninh")
        for collaborator in self.collaborators:
            communes = [c.unit for c in collaborator.coverages.filter(end_date__isnull=True).select_related("unit")]
            self.account(collaborator, communes)
            self.activity(collaborator, communes, MOVE_DATE, None)
        self.log(f"  Tây Ninh: {batch.summary['former_rows']} địa bàn cũ của mạng lưới Long An đã chuyển sang xã, "
                 f"phường mới.")
        return [c for c in queue if c.pk not in taken]

    def _binh_duong_network(self) -> None:
        """The former Bình Dương network, still on former communes and districts of Bình Dương."""
        legacy_province = AdminUnit.objects.legacy().provinces().filter(name_folded="binh duong").first()
        if legacy_province is None:
            return
        districts = list(AdminUnit.objects.legacy().filter(level="district", province=legacy_province)
                         .order_by("code"))
        legacy_communes = list(AdminUnit.objects.legacy().communes().filter(province=legacy_province)
                               .order_by("code"))
        self.rng.shuffle(legacy_communes)
        authority = "Giám đốc Trung tâm Xúc tiến thương mại và Phát triển công nghiệp tỉnh Bình Dương"
        for i in range(BINH_DUONG_NETWORK):
            appointed = D(2022, 6, 1) + datetime.timedelta(days=45 * i)
            collaborator = self.new_collaborator(appointed=appointed, regulation=None, term_months=60,
                                                 status=CollaboratorStatus.ACTIVE, authority=authority)
            units = [districts[i % len(districts)]] if i < 4 else legacy_communes[2 * i:2 * i + self.rng.randint(1, 2)]
            self.cover(collaborator, units, collaborator.term_start)
            self.account(collaborator, [])
            # Their field work is recorded on today's communes the former units passed to.
            current = list(AdminUnit.objects.filter(predecessors__legacy__in=units,
                                                    province=self.province).distinct()[:3])
            self.activity(collaborator, current, max(collaborator.term_start, D(2025, 7, 1)), None)

    def _write(self) -> None:
        CollaboratorStatusChange.objects.bulk_create(self.changes)
        FieldRecord.objects.bulk_create(self.records, batch_size=2000)
        CollaboratorTask.objects.bulk_create(self.tasks, batch_size=2000)
        located = list(Establishment.objects.filter(pk__in=list(self.located), latitude__isnull=True))
        for e in located:
            e.latitude, e.longitude = self.located[e.pk]
        Establishment.objects.bulk_update(located, ["latitude", "longitude"], batch_size=1000)

    def _announcements(self) -> None:
        rng = self.rng
        items = [
            ("Kế hoạch khảo sát cơ sở công nghiệp nông thôn quý IV", "Đề nghị các cộng tác viên hoàn thành khảo "
             "sát các cơ sở trên địa bàn trước ngày 15/12, chú ý cập nhật số lao động và tọa độ GPS."),
            ("Tập huấn nghiệp vụ cho cộng tác viên khuyến công", "Trung tâm tổ chức tập huấn nghiệp vụ cho cộng tác "
             "viên vào ngày 05/12 tại hội trường Trung tâm. Đề nghị các đồng chí tham dự đầy đủ."),
            ("Hướng dẫn đăng ký nhu cầu hỗ trợ năm 2027", "Các cơ sở có nhu cầu hỗ trợ máy móc thiết bị, xây dựng "
             "mô hình trình diễn năm 2027 cần đăng ký qua cộng tác viên trước ngày 20/5."),
            ("Thông báo chi trả thù lao quý III", "Thù lao cộng tác viên quý III đã được kế toán ký duyệt, sẽ chuyển "
             "khoản trong tuần này."),
        ]
        active = [c for c in self.collaborators if c.status == CollaboratorStatus.ACTIVE]
        for i, (title, body) in enumerate(items):
            announcement = Announcement.objects.create(province=self.province, title=title, body=body,
                                                       author=self.staff)
            published = timezone.now() - datetime.timedelta(days=75 - 20 * i)
            Announcement.objects.filter(pk=announcement.pk).update(published_at=published)
            readers = [c for c in active if rng.random() < (0.85 if i < 3 else 0.4) and c.user_id
                       and c.user.username != "ctv.laichau"]
            reads = AnnouncementRead.objects.bulk_create(AnnouncementRead(announcement=announcement, collaborator=c)
                                                         for c in readers)
            for read in reads:
                read.read_at = published + datetime.timedelta(hours=rng.randint(1, 120))
            AnnouncementRead.objects.bulk_update(reads, ["read_at"])

    def _convert_some(self) -> None:
        """A few accepted registrations become project proposals through the projects module, where a plan is
        open to the province's centre (the projects demo opens them)."""
        if self.staff is None:
            return
        plans = list(plans_open_to(self.staff).filter(Q(province__isnull=True) | Q(province=self.province))
                     .filter(year=self.today.year + 1).order_by("fund"))
        if not plans:
            return
        candidates = list(FieldRecord.objects.filter(province=self.province, kind=FieldKind.NEED,
                                                     status=RecordStatus.ACCEPTED, content_code="machinery")
                          .select_related("establishment", "commune", "province").order_by("-occurred_on")[:3])
        for record in candidates:
            plan = next((p for p in plans if p.province_id == self.province.pk), plans[0])
            try:
                services.need_convert(actor=self.staff, record=record, plan=plan, version=record.version)
            except DomainError as exc:
                self.log(f"  (bỏ qua chuyển đề án: {exc.message})")

    def _fee_sheets(self) -> None:
        if self.staff is None:
            return
        finance = self._user("ketoan", self.code)
        current = Period.containing(self.today)
        previous, before = current.previous(), current.previous().previous()
        sheet = services.fee_sheet_prepare(actor=self.staff, province=self.province, period=before)
        services.fee_sheet_prepare(actor=self.staff, province=self.province, period=previous)
        if finance is not None:
            sheet = services.fee_sheet_sign_off(actor=finance, sheet=sheet, version=sheet.version)
            services.fee_sheet_mark_paid(actor=finance, sheet=sheet, version=sheet.version,
                                         reference=f"UNC-{before.key}-{self.code:02d}",
                                         paid_on=min(self.today, before.end + datetime.timedelta(days=12)))
        quarter = Period.containing(self.today, PeriodKind.QUARTER).previous()
        services.fee_sheet_prepare(actor=self.staff, province=self.province, period=quarter)


def seed(stdout=None) -> None:
    today = timezone.localdate()
    password_hash = make_password(DEMO_PASSWORD)
    for code, spec in REGULATIONS.items():
        if not AdminUnit.objects.current().provinces().filter(code=code).exists():
            continue
        if Regulation.objects.filter(province__code=code, number=spec["number"]).exists():
            continue
        _Seeder(code, today, password_hash, stdout).run()
