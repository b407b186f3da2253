"""A national-size dataset for the benchmarks: `manage.py seed_demo --scale national` (or a fraction, `--scale 0.1`).

At scale 1 ("national"): about 200,000 establishments on current communes (those registered before 1/7/2025 also
carry the former commune and address they were recorded with), 40,000 KC projects over 2012–2026 in every state with
their contents, beneficiaries and ledgers, 3,000 collaborators with their coverage and 300,000 field records, 6,000
events (those before 1/7/2025 named with the organiser's former province) with 250,000 participants.

Rows are written with multi-row INSERTs of precomputed values (ids assigned here so children can point at their
parents without reading them back), not through the per-row services. Every row is what the services would have
written for the same history:

- derived columns (folded names, search text, today's CNNT eligibility, project codes, event search text) are
  computed with the same functions the services use;
- project states are reachable states of the flow, with the dates of the steps passed; contents are quoted by the
  rules engine for the application date (years with no verified rate in the catalogue get no approved projects);
- each ledger satisfies the ledger's invariants: approved ≤ the plan's envelope (raised by a recorded plan
  adjustment when the generated approvals exceed a demo plan's envelope), contracted ≤ approved, settled ≤
  contracted, payments ≤ contracted and, once settled, ≤ settled; only positive, unreversed entries.

Not written: audit events (generated history has no actor), photos and files. The random generator is seeded
(`--seed`), so the same scale and seed give the same rows on an empty database. The generator refuses to run twice
on the same database (rebuild it instead), so generated rows are never mixed up with edited ones.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from khuyencong.accounts.demo import _org
from khuyencong.accounts.models import Organisation, OrganisationKind
from khuyencong.core.errors import InvalidInput
from khuyencong.core.text import fold
from khuyencong.events.models import Event, EventPlace, Participant
from khuyencong.events.vocab import allowed_contents
from khuyencong.geo.models import AdminUnit, Succession
from khuyencong.network.models import Collaborator, CollaboratorStatusChange, Coverage, FieldRecord
from khuyencong.projects import checks
from khuyencong.projects.models import (
    AnnualPlan,
    LedgerEntry,
    PlanAdjustment,
    Project,
    ProjectBeneficiary,
    ProjectContent,
    ProjectKind,
)
from khuyencong.projects.services import CODE_PREFIX
from khuyencong.registry.models import Establishment, Sector
from khuyencong.registry.parsing import make_tax_code
from khuyencong.rules import engine
from khuyencong.rules.models import ContentItem

NATIONAL = {
    "establishments": 200_000,
    "projects": 40_000,
    "collaborators": 3_000,
    "field_records": 300_000,
    "events": 6_000,
    "participants": 250_000,
}
MARKER = "SC-"  # business registration numbers of generated establishments start with this
REFORM = datetime.date(2025, 7, 1)
FIRST_YEAR, LAST_YEAR = 2012, 2026
BATCH = 5000

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Lò", "Vàng", "Tẩn", "Giàng"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Đức", "Ngọc", "Quốc", "Kim", "Thu"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Minh", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến"]
TRADES = [
    ("bánh tráng", "1079"), ("chè", "1076"), ("mây tre đan", "1629"), ("cơ khí", "2592"), ("dệt thổ cẩm", "1312"),
    ("mộc dân dụng", "3100"), ("nước mắm", "1020"), ("hạt điều", "1030"), ("gạch không nung", "2395"),
    ("gốm", "2393"), ("rượu truyền thống", "1101"), ("bún phở", "1074"), ("chổi đót", "3290"), ("sơn mài", "3290"),
    ("nón lá", "1410"), ("cà phê", "1077"), ("mật ong", "1079"), ("đồ gỗ mỹ nghệ", "1629"), ("in ấn", "1811"),
    ("may mặc", "1410"),
]
PREFIXES = {"household": "Hộ kinh doanh", "sme": "Công ty TNHH", "cooperative": "Hợp tác xã",
            "cooperative_group": "Tổ hợp tác", "other": "Công ty cổ phần"}


# --- writing ----------------------------------------------------------------------------------------------------------


class Table:
    """Rows of one model, with ids assigned here; flushed in batches by one prepared INSERT each."""

    def __init__(self, model: type[models.Model], columns: Iterable[str]):
        self.model = model
        self.fields = [model._meta.get_field(name) for name in columns]
        # Columns other modules add later get the value the model gives a new row (its default).
        named = {f.name for f in self.fields}
        others = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in named]
        self.fields += others
        self.defaults = [timezone.now() if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                         else f.get_default() for f in others]
        self.next_id = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.rows: list[list] = []
        self.count = 0
        self.seconds = 0.0
        quote = connection.ops.quote_name
        self.sql = (f"INSERT INTO {quote(model._meta.db_table)} "
                    f"({', '.join(quote(f.column) for f in [model._meta.pk, *self.fields])}) "
                    f"VALUES ({', '.join(['%s'] * (len(self.fields) + 1))})")
        self.converters = [(i + 1, c) for i, f in enumerate(self.fields) if (c := _converter(f)) is not None]

    def add(self, *values) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows.append([pk, *values, *self.defaults])
        if len(self.rows) >= BATCH:
            self.flush()
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        started = time.perf_counter()
        for row in self.rows:
            for i, convert in self.converters:
                if row[i] is not None:
                    row[i] = convert(row[i])
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, self.rows)
        self.count += len(self.rows)
        self.rows = []
        self.seconds += time.perf_counter() - started


def _converter(field: models.Field) -> Callable | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    if isinstance(field, models.JSONField):
        return lambda v: json.dumps(v, ensure_ascii=False)
    return None


TRACKED = ("created_at", "updated_at", "version")


# --- the generator --------------------------------------------------------------------------------------------------


class Generator:
    def __init__(self, scale: float, seed: int, stdout=None, *, top_up: bool = False):
        self.scale = scale
        self.rng = random.Random(seed)
        self.stdout = stdout
        self.counts = {name: max(1, round(n * scale)) for name, n in NATIONAL.items()}
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.timings: dict[str, dict] = {}
        self.top_up = top_up  # the benchmark grows one database 1% → 10% → 100% by adding the difference
        self.offset = 0

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)

    def run(self) -> dict:
        self.offset = Establishment.objects.filter(business_reg_no__startswith=MARKER).count()
        if self.offset and not self.top_up:
            raise RuntimeError("Cơ sở dữ liệu này đã có dữ liệu quy mô lớn; hãy tạo lại cơ sở dữ liệu trước khi "
                               "sinh lại.")
        started = time.perf_counter()
        self._load_geography()
        for step in (self.establishments, self.projects, self.collaborators, self.events):
            with transaction.atomic():
                step()
        self._reset_sequences()
        self.timings["total"] = {"rows": sum(t["rows"] for t in self.timings.values()),
                                 "seconds": round(time.perf_counter() - started, 1)}
        return self.timings

    def _record(self, name: str, table: Table, built: float) -> None:
        table.flush()
        self.timings[name] = {"rows": table.count, "seconds": round(built + table.seconds, 2),
                              "insert_seconds": round(table.seconds, 2)}
        self.say(f"  {name}: {table.count:,} dòng trong {built + table.seconds:.1f} s")

    def _reset_sequences(self) -> None:
        if connection.vendor != "postgresql":
            return

        sql = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)

    # --- places ---

    def _load_geography(self) -> None:
        self.provinces = {u.id: u for u in AdminUnit.objects.current().provinces().order_by("code")}
        communes = list(AdminUnit.objects.current().communes().order_by("code").values_list("id", "province_id",
                                                                                             "name"))
        self.communes = communes
        self.communes_of: dict[int, list] = defaultdict(list)
        for row in communes:
            self.communes_of[row[1]].append(row)
        legacy = defaultdict(list)
        pairs = (Succession.objects.filter(legacy__level="commune", partial=False)
                 .values_list("current_id", "legacy_id", "legacy__name", "legacy__parent__name",
                              "legacy__province__name"))
        for current_id, legacy_id, name, district, province in pairs:
            legacy[current_id].append((legacy_id, f"{name}, {district}, {province}"))
        self.legacy_communes = legacy
        legacy_provinces = defaultdict(list)
        for current_id, legacy_id, name in (Succession.objects.filter(legacy__level="province")
                                            .values_list("current_id", "legacy_id", "legacy__name")):
            legacy_provinces[current_id].append((legacy_id, name))
        self.legacy_provinces = legacy_provinces

    def _date(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange(max(1, (end - start).days)))

    def _person(self, female: bool | None = None) -> tuple[str, str]:
        female = self.rng.random() < 0.5 if female is None else female
        middle = "Thị" if female else self.rng.choice(MIDDLE)
        return f"{self.rng.choice(FAMILY)} {middle} {self.rng.choice(GIVEN)}", "female" if female else "male"

    # --- registry ---

    def establishments(self) -> None:
        started = time.perf_counter()
        n = self.counts["establishments"]
        table = Table(Establishment, [
            "name", "entity_type", "sme_size", "tax_code", "business_reg_no", "business_reg_date", "representative",
            "representative_gender", "phone", "email", "woman_owned", "ethnic_minority", "employees", "vsic_code",
            "main_products", "ocop_stars", "craft_village", "cleaner_production", "address", "commune", "province",
            "legacy_unit", "legacy_address", "latitude", "longitude", "status", "name_folded", "search_text",
            "eligible", "eligibility_checked_on", "merged_into", *TRACKED])
        sectors = list(Sector.objects.values_list("id", flat=True))
        links = Table(Establishment.sectors.through, ["establishment", "sector"]) if sectors else None
        units = {u.id: u for u in AdminUnit.objects.current().communes().select_related("province")}
        eligibility: dict[tuple, bool | None] = {}
        facts: dict[int, tuple] = {}
        types = ["household"] * 60 + ["sme"] * 25 + ["cooperative"] * 8 + ["cooperative_group"] * 4 + ["other"] * 3
        rng = self.rng
        by_type: dict[int, list[tuple[int, str]]] = defaultdict(list)  # province → (id, folded name) of eligible
        for i in range(n):
            commune_id, province_id, commune_name = rng.choice(self.communes)
            entity_type = rng.choice(types)
            size = rng.choice(["micro", "micro", "small", "medium"]) if entity_type == "sme" else ""
            trade, vsic = rng.choice(TRADES)
            owner, gender = self._person()
            name = f"{PREFIXES[entity_type]} {trade} {owner}" if entity_type == "household" else \
                f"{PREFIXES[entity_type]} {trade} {commune_name.split(' ', 1)[-1]} {i + 1}"
            tax_code = None if entity_type == "household" else make_tax_code(f"{300000000 + self.offset + i:09d}")
            reg_date = self._date(datetime.date(2005, 1, 1), self.today)
            address = f"Thôn {rng.randrange(1, 15)}"
            legacy_id, legacy_address = None, ""
            if reg_date < REFORM and rng.random() < 0.6 and self.legacy_communes.get(commune_id):
                legacy_id, legacy_text = rng.choice(self.legacy_communes[commune_id])
                legacy_address = f"{address}, {legacy_text}"
            phone = f"09{rng.randrange(10 ** 8):08d}"
            products = f"Sản phẩm {trade}"
            cleaner = rng.random() < 0.05
            if commune_id not in facts:  # what the eligibility depends on besides the establishment itself
                unit = units[commune_id]
                facts[commune_id] = (unit.kind_on(self.today), (unit.province or unit).kind_on(self.today))
            key = (entity_type, size, cleaner, *facts[commune_id])
            if key not in eligibility:
                try:
                    eligibility[key] = engine.eligibility(entity_type, size or None, units[commune_id], self.today,
                                                          cleaner_production=cleaner).eligible
                except InvalidInput:  # the services store "unknown" when no clause decides
                    eligibility[key] = None
            parts = [name, owner, products, address, tax_code or "", phone, commune_name]
            pk = table.add(
                name, entity_type, size, tax_code, f"{MARKER}{self.offset + i + 1:07d}", reg_date, owner, gender,
                phone, "",
                gender == "female", rng.random() < 0.15, rng.randrange(1, 300), vsic, products,
                rng.choice([None] * 12 + [3, 4, 5]), None, cleaner, address, commune_id, province_id, legacy_id,
                legacy_address, None, None, rng.choice(["active"] * 18 + ["suspended", "closed"]), fold(name),
                fold(" | ".join(p for p in parts if p)), eligibility[key], self.today, None, self.now, self.now, 1)
            if links is not None:
                links.add(pk, rng.choice(sectors))
            by_type[province_id].append(pk)
        built = time.perf_counter() - started - table.seconds - (links.seconds if links else 0)
        if links is not None:
            links.flush()
            built += links.seconds
        self._record("registry_establishment", table, built)
        self.establishments_of = by_type

    # --- projects ---

    def projects(self) -> None:
        started = time.perf_counter()
        rng = self.rng
        self.centres = {}
        existing = {o.province_id: o for o in Organisation.objects.filter(kind=OrganisationKind.KC_CENTRE)
                    .order_by("-id")}
        for pid, province in self.provinces.items():
            if pid in existing:
                self.centres[pid] = existing[pid]
                continue
            doit = _org(OrganisationKind.DOIT, f"Sở Công Thương {province.name.lower()[:5]}{province.name[5:]}",
                        province)
            self.centres[pid] = _org(OrganisationKind.KC_CENTRE,
                                     f"Trung tâm Khuyến công {province.name.lower()[:5]}{province.name[5:]}",
                                     province, doit)
        plans = {}
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            plan = AnnualPlan.objects.filter(year=year, fund="national", province__isnull=True).first()
            if plan is None:
                plan = AnnualPlan.objects.create(
                    year=year, fund="national", name=f"Kế hoạch khuyến công quốc gia năm {year}",
                    decision_number=f"{3000 + year % 100}/QĐ-BCT", decision_date=datetime.date(year - 1, 12, 25),
                    signer="Bộ trưởng Bộ Công Thương")
            plans[year] = plan
        items = {c.code: c for c in ContentItem.objects.all()}
        quotes: dict[tuple, object] = {}
        codes = ["machinery", "demo_model_new", "cluster_infrastructure", "award_round_regional", "brand"]
        costs = [400_000_000, 640_000_000, 900_000_000, 1_200_000_000, 2_000_000_000]

        def quote(year, province, code, cost):
            key = (year, code, cost)
            if key not in quotes:
                probe = Project(plan=plans[year], year=year, province=province)
                try:
                    quotes[key] = checks.quote_for(project=probe, content=items[code], eligible_cost=cost,
                                                   on_date=datetime.date(year, 1, 20))
                except InvalidInput:  # no verified rate on that date: the services refuse the content
                    quotes[key] = None
            return quotes[key]

        t_project = Table(Project, [
            "code", "seq", "plan", "year", "kind", "title", "title_folded", "province", "commune", "implementing_org",
            "objectives", "expected_results", "start_date", "end_date", "priority", "status",
            "status_before_suspension", "application_date", "approved_on", "approval_reference",
            "contract_reference", "contract_date", "accepted_on", "settled_on", "due_date", "due_label", "due_basis",
            "rules_frozen", "created_by", *TRACKED])
        t_content = Table(ProjectContent, [
            "project", "content", "variant", "establishment", "description", "eligible_cost_vnd",
            "requested_support_vnd", "counterpart_vnd", "other_sources_vnd", "quote_support_vnd", "quote",
            "quoted_on"])
        t_benef = Table(ProjectBeneficiary, ["project", "establishment", "eligible", "needs_review", "reasons",
                                             "basis", "checked_on", "added_at"])
        t_ledger = Table(LedgerEntry, ["project", "kind", "amount_vnd", "on_date", "reference", "note", "reverses",
                                       "rule", "created_at", "created_by"])
        seq = defaultdict(int)
        for plan_id, province_id, top in (Project.objects.values_list("plan_id", "province_id")
                                            .annotate(m=Max("seq")).values_list("plan_id", "province_id", "m")):
            seq[(plan_id, province_id)] = top
        early = ["draft", "submitted", "returned", "rejected", "base_appraised", "registered", "ministry_appraised"]
        late = ["approved", "contracted", "in_progress", "accepted", "settlement_submitted", "settled", "archived",
                "suspended", "stopped"]
        approved_by_plan = defaultdict(int)
        province_ids = list(self.provinces)
        n = self.counts["projects"]
        for i in range(n):
            year = FIRST_YEAR + i % (LAST_YEAR - FIRST_YEAR + 1)
            plan = plans[year]
            province_id = rng.choice(province_ids)
            province = self.provinces[province_id]
            if year < LAST_YEAR:
                status = rng.choice(["settled"] * 6 + ["archived"] * 6 + ["rejected", "stopped", "suspended"])
            else:
                status = rng.choice(early + late)
            code_name = rng.choice(codes)
            cost = rng.choice(costs)
            q = quote(year, province, code_name, cost)
            if q is None and status not in ("draft", "submitted", "returned", "rejected"):
                status = "rejected"  # no verified rate that year: the content could not be quoted, nothing approved
            seq[(plan.id, province_id)] += 1
            s = seq[(plan.id, province_id)]
            establishments = self.establishments_of.get(province_id) or [None]
            est = rng.choice(establishments)
            commune = rng.choice(self.communes_of[province_id])
            kind = ProjectKind.STANDARD if est else ProjectKind.GROUP
            title = f"Hỗ trợ {items[code_name].name[:120].lower()} tại {commune[2]} năm {year}"
            applied = datetime.date(year, 1, 10) + datetime.timedelta(days=rng.randrange(40))
            approved = applied + datetime.timedelta(days=45) if status in late else None
            contracted = approved + datetime.timedelta(days=20) if approved and status != "approved" else None
            accepted = (datetime.date(year, 10, 15) if status in ("accepted", "settlement_submitted", "settled",
                                                                   "archived") else None)
            settled = datetime.date(year, 12, 10) if status in ("settled", "archived") else None
            if year == LAST_YEAR and accepted and accepted > self.today:
                accepted = self.today - datetime.timedelta(days=10)
            if year == LAST_YEAR and settled and settled > self.today:
                settled = self.today - datetime.timedelta(days=2)
            code = f"{CODE_PREFIX[plan.fund]}-{year}-{province.code:02d}-{s:03d}"
            pk = t_project.add(
                code, s, plan.id, year, kind, title, fold(title), province_id, commune[0], self.centres[province_id].id,
                "Nâng cao năng lực sản xuất, đổi mới công nghệ.", "Cơ sở ứng dụng thiết bị mới, tăng năng suất.",
                datetime.date(year, 3, 1), datetime.date(year, 11, 30), False, status,
                "in_progress" if status == "suspended" else "", applied if status != "draft" else None, approved,
                f"{100 + i % 900}/QĐ-BCT" if approved else "", f"{i + 1}/HĐ-KC" if contracted else "", contracted,
                accepted, settled, None, "", "", {}, None, self.now, self.now, 1)
            if est is not None:
                t_benef.add(pk, est, True, False, [], [], applied, self.now)
            if q is None:
                requested = cost // 4
                t_content.add(pk, items[code_name].id, "", est, "", cost, requested, cost - requested, 0, requested,
                              {}, applied)
                continue
            requested = q.support_vnd
            t_content.add(pk, items[code_name].id, "", est, "", cost, requested, cost - requested, 0, q.support_vnd,
                          checks.jsonable(q.as_dict()), applied)
            if not approved:
                continue
            approved_by_plan[plan.id] += requested
            t_ledger.add(pk, "APPROVED", requested, approved, f"{100 + i % 900}/QĐ-BCT", "", None, {}, self.now, None)
            if not contracted:
                continue
            t_ledger.add(pk, "CONTRACTED", requested, contracted, f"{i + 1}/HĐ-KC", "", None, {}, self.now, None)
            if accepted:
                first = requested * 6 // 10
                t_ledger.add(pk, "DISBURSEMENT", first, accepted + datetime.timedelta(days=5), f"UNC {i}-1", "",
                             None, {}, self.now, None)
                if settled:
                    final = requested - rng.choice([0, 0, 0, requested // 20])
                    t_ledger.add(pk, "SETTLEMENT", final, settled, f"{i + 1}/BB-QT", "", None, {}, self.now, None)
                    t_ledger.add(pk, "DISBURSEMENT", final - first, settled + datetime.timedelta(days=3),
                                 f"UNC {i}-2", "", None, {}, self.now, None)
        built = time.perf_counter() - started - t_project.seconds - t_content.seconds - t_benef.seconds
        built -= t_ledger.seconds
        self._record("projects_project", t_project, built)
        self._record("projects_projectcontent", t_content, 0)
        self._record("projects_projectbeneficiary", t_benef, 0)
        self._record("projects_ledgerentry", t_ledger, 0)
        # The envelopes must cover what is approved: raise a plan's envelope by a recorded adjustment when needed.
        for plan in AnnualPlan.objects.filter(id__in=approved_by_plan):
            total = (LedgerEntry.objects.filter(project__plan=plan, kind="APPROVED").aggregate(s=Sum("amount_vnd"))
                     ["s"] or 0)
            if total <= plan.envelope_vnd:
                continue
            new = -(-total * 105 // 100 // 1_000_000_000) * 1_000_000_000
            if not plan.decision_number:
                plan.initial_envelope_vnd = new
                plan.envelope_vnd = new
                plan.save(update_fields=["envelope_vnd", "initial_envelope_vnd"])
                continue
            PlanAdjustment.objects.create(
                plan=plan, decision_number=f"{plan.year % 100}99/QĐ-BCT", signer="Bộ trưởng Bộ Công Thương",
                decision_date=datetime.date(plan.year, 6, 30), previous_envelope_vnd=plan.envelope_vnd,
                envelope_vnd=new, reason="Điều chỉnh kế hoạch theo số đề án được phê duyệt.")
            plan.envelope_vnd = new
            if not plan.initial_envelope_vnd:
                plan.initial_envelope_vnd = new
            plan.version += 1
            plan.save(update_fields=["envelope_vnd", "initial_envelope_vnd", "version"])
        self.plans = plans

    # --- network ---

    def collaborators(self) -> None:
        started = time.perf_counter()
        rng = self.rng
        t_collab = Table(Collaborator, [
            "full_name", "name_folded", "gender", "birth_year", "phone", "email", "id_number_hash", "id_number_last3",
            "id_number_length", "residence_commune", "address", "education_level", "experience_years",
            "affiliation_kind", "affiliation", "province", "code", "seq", "status", "status_reason", "regulation",
            "decision_number", "decision_date", "decision_authority", "decision_signer", "term_start", "term_end",
            "user", "created_by", *TRACKED])
        t_change = Table(CollaboratorStatusChange, ["collaborator", "status", "on_date", "reason", "actor", "at"])
        t_cover = Table(Coverage, ["collaborator", "unit", "province", "start_date", "end_date", "end_reason",
                                   "moved_from", "ended_by", "created_by_move"])
        t_record = Table(FieldRecord, [
            "collaborator", "province", "commune", "kind", "occurred_on", "establishment", "notes", "latitude",
            "longitude", "photo", "status", "reviewed_by", "reviewed_at", "review_note", "proposed_changes",
            "base_version", "content_code", "expected_cost_vnd", "project", "converted_at", "topic", "participants",
            *TRACKED])
        seq = defaultdict(int)
        for province_id, top in Collaborator.objects.values_list("province_id").annotate(m=Max("seq")):
            seq[province_id] = top
        n = self.counts["collaborators"]
        per = max(1, self.counts["field_records"] // n)
        province_ids = list(self.provinces)
        for i in range(n):
            province_id = province_ids[i % len(province_ids)]
            province = self.provinces[province_id]
            seq[province_id] += 1
            commune = rng.choice(self.communes_of[province_id])
            name, gender = self._person()
            start = self._date(datetime.date(2018, 1, 1), datetime.date(2025, 12, 31))
            status = rng.choice(["active"] * 8 + ["suspended", "ended"])
            cid = t_collab.add(
                name, fold(name), gender, rng.randrange(1965, 2002), f"03{rng.randrange(10 ** 8):08d}", "", "",
                "", 12, commune[0], f"Thôn {rng.randrange(1, 12)}", "upper_secondary", rng.randrange(0, 20), "", "",
                province_id, f"CTV-{province.code:02d}-{seq[province_id]:04d}", seq[province_id], status, "", None,
                f"{i + 1}/QĐ-TTKC", start, f"Trung tâm Khuyến công {province.short_name}", "", start,
                start + datetime.timedelta(days=3 * 365), None, None, self.now, self.now, 1)
            t_change.add(cid, "active", start, "", None, self.now)
            if status != "active":
                t_change.add(cid, status, start + datetime.timedelta(days=400), "Theo đề nghị của trung tâm", None,
                             self.now)
            t_cover.add(cid, commune[0], province_id, start, None, "", None, None, None)
            establishments = self.establishments_of.get(province_id) or [None]
            for _ in range(per):
                kind = rng.choice(["survey", "survey", "need", "communication", "followup"])
                occurred = self._date(start, min(self.today, start + datetime.timedelta(days=3 * 365)))
                record_status = rng.choice(["accepted"] * 6 + ["submitted", "rejected"])
                reviewed = self.now if record_status != "submitted" else None
                t_record.add(
                    cid, province_id, commune[0], kind, occurred,
                    rng.choice(establishments) if kind != "communication" else None, "Ghi nhận tại cơ sở.", None,
                    None, "", record_status, None, reviewed, "", {}, None,
                    "machinery" if kind == "need" else "", rng.randrange(1, 50) * 10_000_000 if kind == "need" else
                    None, None, None, "Chính sách khuyến công" if kind == "communication" else "",
                    rng.randrange(10, 80) if kind == "communication" else None, self.now, self.now, 1)
        built = time.perf_counter() - started - t_collab.seconds - t_change.seconds - t_cover.seconds
        built -= t_record.seconds
        self._record("network_collaborator", t_collab, built)
        self._record("network_collaboratorstatuschange", t_change, 0)
        self._record("network_coverage", t_cover, 0)
        self._record("network_fieldrecord", t_record, 0)

    # --- events ---

    def events(self) -> None:
        started = time.perf_counter()
        rng = self.rng
        items = {c.code: c.id for c in ContentItem.objects.all()}
        kinds = [("training", ""), ("workshop", ""), ("review_conference", ""), ("fair_organised", ""),
                 ("fair_attended", ""), ("study_tour_domestic", "establishments"), ("study_tour_domestic", "officials")]
        t_event = Table(Event, [
            "kind", "audience", "title", "organiser", "province", "organiser_name_then", "organiser_unit_then",
            "purpose", "content", "fund", "plan", "project", "start_date", "end_date", "venue", "status",
            "status_note", "approval_reference", "approved_on", "settlement_reference", "settled_on",
            "planned_state_paid", "planned_non_state", "occupation", "planned_trainees", "fair_name", "search_text",
            "created_by", *TRACKED])
        t_place = Table(EventPlace, ["event", "unit", "order"])
        t_part = Table(Participant, [
            "event", "full_name", "name_folded", "gender", "birth_year", "position", "phone", "role", "origin",
            "state_paid", "organisation", "organisation_name", "establishment", "collaborator", "result",
            "certificate_number", "certificate_issued_on", "employed", "employer", "employer_name",
            "employment_confirmation", "employment_confirmation_file", "employed_from", *TRACKED])
        n = self.counts["events"]
        per = max(1, self.counts["participants"] // n)
        province_ids = list(self.provinces)
        labels = {"training": "Lớp đào tạo nghề {trade}", "workshop": "Hội thảo phát triển nghề {trade}",
                  "review_conference": "Hội nghị tổng kết công tác khuyến công",
                  "fair_organised": "Hội chợ sản phẩm công nghiệp nông thôn tiêu biểu",
                  "fair_attended": "Tham gia hội chợ hàng công nghiệp nông thôn",
                  "study_tour_domestic": "Tham quan học tập mô hình {trade}"}
        for i in range(n):
            province_id = province_ids[i % len(province_ids)]
            province = self.provinces[province_id]
            centre = self.centres[province_id]
            kind, audience = rng.choice(kinds)
            contents = [c for c in allowed_contents(kind, audience) if c in items]
            trade = rng.choice(TRADES)[0]
            title = labels[kind].format(trade=trade) + f" năm {FIRST_YEAR + i % (LAST_YEAR - FIRST_YEAR + 1)}"
            start = self._date(datetime.date(FIRST_YEAR + i % (LAST_YEAR - FIRST_YEAR + 1), 1, 5),
                               datetime.date(FIRST_YEAR + i % (LAST_YEAR - FIRST_YEAR + 1), 12, 20))
            end = start + datetime.timedelta(days=rng.randrange(0, 5))
            name_then, unit_then, unit_then_name = "", None, ""
            if end < REFORM and self.legacy_provinces.get(province_id):
                unit_then, unit_then_name = rng.choice(self.legacy_provinces[province_id])
                name_then = f"Trung tâm Khuyến công {unit_then_name.lower()[:5]}{unit_then_name[5:]}"
            if end < self.today - datetime.timedelta(days=60):
                status = rng.choice(["settled"] * 6 + ["reported", "done", "cancelled"])
            elif end < self.today:
                status = rng.choice(["done", "reported"])
            else:
                status = rng.choice(["planned", "approved"])
            commune = rng.choice(self.communes_of[province_id])
            venue = f"Hội trường {commune[2]}"
            occupation = trade if kind == "training" else ""
            fair_name = title if kind.startswith("fair") else ""
            purpose = "Nâng cao tay nghề và năng lực sản xuất cho cơ sở công nghiệp nông thôn."
            parts = [title, purpose, centre.name, name_then, fair_name, occupation, venue, unit_then_name,
                     commune[2], province.name]
            eid = t_event.add(
                kind, audience, title, centre.id, province_id, name_then, unit_then, purpose,
                items[rng.choice(contents)], "local", None, None, start, end, venue, status, "",
                f"{i + 1}/QĐ-TTKC" if status != "planned" else "", start - datetime.timedelta(days=30)
                if status != "planned" else None, f"{i + 1}/QT" if status == "settled" else "",
                end + datetime.timedelta(days=40) if status == "settled" else None, per // 2, per - per // 2,
                occupation, per if kind == "training" else None, fair_name, fold(" | ".join(p for p in parts if p)),
                None, self.now, self.now, 1)
            t_place.add(eid, commune[0], 0)
            establishments = self.establishments_of.get(province_id) or [None]
            for j in range(per):
                name, gender = self._person()
                est = rng.choice(establishments) if j % 3 else None
                origin = "establishment" if est else "centre"
                role = "trainee" if kind == "training" else ("head" if j == 0 else "member")
                trained = kind == "training" and status in ("done", "reported", "settled")
                t_part.add(
                    eid, name, fold(name), gender, rng.randrange(1960, 2004), "", "", role, origin, est is None,
                    None if est else centre.id, "" if est else centre.name, est, None,
                    rng.choice(["passed"] * 9 + ["failed"]) if trained else "", "", None, False, None, "", "", "",
                    None, self.now, self.now, 1)
        built = time.perf_counter() - started - t_event.seconds - t_place.seconds - t_part.seconds
        self._record("events_event", t_event, built)
        self._record("events_eventplace", t_place, 0)
        self._record("events_participant", t_part, 0)


def parse_scale(value: str) -> float:
    if value == "national":
        return 1.0
    scale = float(value)
    if not 0 < scale <= 1:
        raise ValueError(value)
    return scale


def generate(scale: float, seed: int = 2026, stdout=None, *, top_up: bool = False) -> dict:
    return Generator(scale, seed, stdout, top_up=top_up).run()


def settlement_invoices(seed: int = 2026, stdout=None) -> dict:
    """The invoices behind the cost items of every project whose settlement dossier was submitted (settlement's
    `CostInvoice`), for the double-support check at settlement: one to three invoices per project from a pool of
    suppliers, about one in two hundred the copy of another project's invoice (a planted double claim; one in four
    for a dossier waiting for its settlement). Adds only what is missing: projects that already have invoices are
    left as they are, so it runs after each growth step."""
    from khuyencong.settlement.models import CostInvoice

    started = time.perf_counter()
    rng = random.Random(seed)
    have = set(CostInvoice.objects.values_list("project_id", flat=True).distinct())
    rows = [r for r in ProjectContent.objects.filter(
        project__status__in=("settlement_submitted", "settled", "archived")).order_by("project_id", "id")
        .values_list("project_id", "id", "eligible_cost_vnd", "project__settled_on", "project__end_date",
                     "project__status")
        if r[0] not in have]
    rows.sort(key=lambda r: r[5] == "settlement_submitted")  # the waiting dossiers last: they may repeat any invoice
    suppliers = [make_tax_code(f"{500000000 + i:09d}") for i in range(max(50, len(rows) // 20))]
    suppliers = [code for code in suppliers if code]
    table = Table(CostInvoice, ["project", "content", "supplier_tax_code", "supplier_name", "number", "number_key",
                                "issued_on", "amount_vnd", "created_by", *TRACKED])
    now = timezone.now()
    issued: list[tuple] = []
    serial: dict[str, int] = defaultdict(int)
    seen: set[tuple] = set()
    for project_id, content_id, cost, settled_on, end_date, status in rows:
        day = min([d for d in (settled_on, end_date) if d] or [timezone.localdate()])
        day -= datetime.timedelta(days=rng.randrange(10, 90))
        parts = rng.randrange(1, 4)
        for n in range(parts):
            # a dossier still waiting for its settlement repeats an invoice more often: the case the check is for
            if issued and rng.random() < (0.25 if status == "settlement_submitted" and n == 0 else 0.005):
                supplier, number, key, day_of = rng.choice(issued)
            else:
                supplier = rng.choice(suppliers)
                serial[supplier] += 1
                number = f"{serial[supplier]:07d}"
                key, day_of = number.lstrip("0"), day
                issued.append((supplier, number, key, day_of))
            if (project_id, supplier, key) in seen:
                continue
            seen.add((project_id, supplier, key))
            amount = max(1_000_000, (cost or 0) // parts + (n == 0) * ((cost or 0) % parts))
            table.add(project_id, content_id, supplier, f"Công ty cung ứng {supplier[-4:]}", number, key, day_of,
                      amount, None, now, now, 1)
    table.flush()
    seconds = round(time.perf_counter() - started, 2)
    if stdout is not None:
        stdout.write(f"  settlement_costinvoice: {table.count:,} dòng trong {seconds:.1f} s")
    return {"settlement_costinvoice": {"rows": table.count, "seconds": seconds,
                                       "insert_seconds": round(table.seconds, 2)}}
