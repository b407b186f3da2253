"""The half-yearly report forms of TT 14/2024/TT-BCT (Art 3, Phụ lục I): every form has the columns TT, chỉ tiêu,
ĐVT, kết quả, ghi chú. Biểu 01 (each production project) and Biểu 02 (the infrastructure investor) are entered
(`FormReport`); Biểu 03 (per commune) and Biểu 04 (per province) are computed from them and the register, never typed
twice, with occupancy recomputed from the summed land, not summed. Periods: the half-year runs 15/12–14/6, the year
15/12–14/12; the days each form is due after the period ends are rule rows (`clusters-due-…`)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core import badges
from khuyencong.core.errors import InvalidInput
from khuyencong.core.exports import write_table
from khuyencong.core.flows import Flow, Transition
from khuyencong.rules import engine

from .flows import EDITORS
from .models import (
    Cluster,
    ClusterDecision,
    ClusterStatus,
    ClusterType,
    ComponentKind,
    ComponentStatus,
    DecisionKind,
    FormKind,
    FormReport,
    FormStatus,
    Infrastructure,
    LandSnapshot,
    Tenant,
    TenantStatus,
)
from .permissions import form_permission
from .selectors import occupancy

# --- periods


@dataclass(frozen=True)
class ReportPeriod:
    year: int
    half: bool  # True: the half-year 15/12–14/6; False: the year 15/12–14/12

    @classmethod
    def parse(cls, text: str) -> "ReportPeriod":
        text = (text or "").strip().upper()
        try:
            if text.endswith("-H1"):
                year, half = int(text[:-3]), True
            else:
                year, half = int(text), False
        except ValueError:
            raise InvalidInput(_("The period is a half-year (2026-H1) or a year (2026)."), field="period") from None
        if not 2000 <= year <= 2100:
            raise InvalidInput(_("The period is a half-year (2026-H1) or a year (2026)."), field="period")
        return cls(year, half)

    @property
    def key(self) -> str:
        return f"{self.year}-H1" if self.half else str(self.year)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year - 1, 12, 15)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 6, 14) if self.half else datetime.date(self.year, 12, 14)

    @property
    def label(self) -> str:
        return (_("6 months of %(year)s") if self.half else _("Year %(year)s")) % {"year": self.year}

    def due(self, form: str) -> datetime.date:
        """The day the form is due (sent before it), from the rule row of TT 14/2024 Art 3."""
        group = {"01": "01-02", "02": "01-02"}.get(form, form)
        days = engine.parameter(f"clusters-due-{group}-{'half' if self.half else 'year'}", self.end).as_int
        return self.end + datetime.timedelta(days=days)

    @classmethod
    def recent(cls, today: datetime.date, count: int = 4) -> list["ReportPeriod"]:
        periods, year = [], today.year + (1 if today >= datetime.date(today.year, 12, 15) else 0)
        while len(periods) < count:
            for p in (cls(year, False), cls(year, True)):
                if p.start <= today:
                    periods.append(p)
            year -= 1
        return periods[:count]


# --- the rows of each form: (code, label, unit, kind) with kind "int", "vnd", "ha", "pct" or "yes_no"

Row = tuple[str, str, str, str]
MILLION = gettext_lazy("million đồng")
HA = "ha"
COUNT = gettext_lazy("count")
PERSONS = gettext_lazy("persons")

FORM_01: list[Row] = [
    ("revenue", gettext_lazy("Revenue"), MILLION, "vnd"),
    ("budget", gettext_lazy("Paid to the state budget"), MILLION, "vnd"),
    ("workers", gettext_lazy("Workers under contract"), PERSONS, "int"),
    ("income", gettext_lazy("Average income of a worker"), gettext_lazy("million đồng a month"), "vnd"),
]
FORM_02: list[Row] = [
    ("approved_investment", gettext_lazy("Approved infrastructure investment"), MILLION, "vnd"),
    ("paid", gettext_lazy("Investment paid"), MILLION, "vnd"),
    ("serviced_ha", gettext_lazy("Serviced industrial land"), HA, "ha"),
    ("leased_ha", gettext_lazy("Leased industrial land"), HA, "ha"),
    ("occupancy", gettext_lazy("Occupancy"), "%", "pct"),
    ("projects", gettext_lazy("Production projects"), COUNT, "int"),
    ("fdi_projects", gettext_lazy("Foreign-invested projects"), COUNT, "int"),
    ("operating_projects", gettext_lazy("Projects in operation"), COUNT, "int"),
    ("revenue", gettext_lazy("Revenue"), MILLION, "vnd"),
    ("budget", gettext_lazy("Paid to the state budget"), MILLION, "vnd"),
    ("workers", gettext_lazy("Workers"), PERSONS, "int"),
    ("income", gettext_lazy("Average income of a worker"), gettext_lazy("million đồng a month"), "vnd"),
    ("wastewater_built", gettext_lazy("Wastewater treatment plant built (1 yes, 0 no)"), "1/0", "yes_no"),
    ("wastewater_ok", gettext_lazy("Wastewater treatment meets the standard (1 yes, 0 no)"), "1/0", "yes_no"),
]
FORM_ROWS = {FormKind.TENANT: FORM_01, FormKind.INVESTOR: FORM_02}
COMPUTED_02 = {"occupancy"}  # recomputed from the leased and serviced land, never typed

# Biểu 03/04 (TT 14/2024/TT-BCT Phụ lục I, as consolidated in 55/VBHN-BCT with the amendments of TT 38/2025/TT-BCT):
# issue 16 says the two forms share 27 cumulative rows and enumerates them under I (plan), II (establishment) and
# III (operation). The form's own text was not found (searched 12/2026), and the enumeration cannot be read as 27
# rows: taken literally (each "count and ha" two rows, the operating clusters by decision, craft-village and
# specialised with the areas the issue names) it gives the 30 figures below. Unverified against the form, so kept
# as the issue words them: the areas of the operating clusters (op_ha, opx_ha), the split of capital into approved
# and paid (capital, capital_paid) and the count of FDI projects (fdi) are the rows most likely to differ. Correcting
# them is a change of this table only: the xlsx, the PDF, the API and the roll-up all read it.
SUMMARY: list[tuple[str, str, str, str]] = [
    ("I", gettext_lazy("Clusters in the provincial plan"), "", ""),
    ("plan_n", gettext_lazy("Clusters in the plan"), COUNT, "int"),
    ("plan_ha", gettext_lazy("Area in the plan"), HA, "ha"),
    ("II", gettext_lazy("Establishment and investment"), "", ""),
    ("est_n", gettext_lazy("Clusters established"), COUNT, "int"),
    ("est_ha", gettext_lazy("Area established"), HA, "ha"),
    ("new_n", gettext_lazy("Clusters established in the period"), COUNT, "int"),
    ("new_ha", gettext_lazy("Area established in the period"), HA, "ha"),
    ("inv_n", gettext_lazy("Clusters built by an investor enterprise"), COUNT, "int"),
    ("inv_ha", gettext_lazy("Area built by an investor enterprise"), HA, "ha"),
    ("dp_n", gettext_lazy("Clusters with an approved detailed plan"), COUNT, "int"),
    ("dp_ha", gettext_lazy("Area with an approved detailed plan"), HA, "ha"),
    ("ip_n", gettext_lazy("Clusters with an approved infrastructure project"), COUNT, "int"),
    ("ip_ha", gettext_lazy("Area with an approved infrastructure project"), HA, "ha"),
    ("capital", gettext_lazy("Infrastructure capital approved"), MILLION, "vnd"),
    ("capital_paid", gettext_lazy("Infrastructure capital paid"), MILLION, "vnd"),
    ("III", gettext_lazy("Operation"), "", ""),
    ("op_n", gettext_lazy("Operating clusters with an establishment decision"), COUNT, "int"),
    ("op_ha", gettext_lazy("Area of operating clusters with a decision"), HA, "ha"),
    ("opx_n", gettext_lazy("Operating clusters without an establishment decision"), COUNT, "int"),
    ("opx_ha", gettext_lazy("Area of operating clusters without a decision"), HA, "ha"),
    ("craft_n", gettext_lazy("Operating craft-village clusters"), COUNT, "int"),
    ("spec_n", gettext_lazy("Operating specialised clusters"), COUNT, "int"),
    ("industrial_ha", gettext_lazy("Industrial land of operating clusters"), HA, "ha"),
    ("leased_ha", gettext_lazy("Industrial land leased"), HA, "ha"),
    ("occupancy", gettext_lazy("Average occupancy"), "%", "pct"),
    ("projects", gettext_lazy("Production projects"), COUNT, "int"),
    ("fdi", gettext_lazy("Foreign-invested projects"), COUNT, "int"),
    ("revenue", gettext_lazy("Revenue"), MILLION, "vnd"),
    ("budget", gettext_lazy("Paid to the state budget"), MILLION, "vnd"),
    ("workers", gettext_lazy("Workers"), PERSONS, "int"),
    ("ww_built", gettext_lazy("Wastewater treatment plants built"), COUNT, "int"),
    ("ww_ok", gettext_lazy("Wastewater treatment plants meeting the standard"), COUNT, "int"),
]
SUMMARY_CODES = [code for code, _l, _u, kind in SUMMARY if kind]  # 30 figures under the three headings


def clean_values(form: str, data: dict) -> dict:
    """The form's values from what was typed: whole numbers (đồng, persons), hectares, 1/0; refused in words."""
    values = {}
    for code, label, _unit, kind in FORM_ROWS[form]:
        if code in COMPUTED_02 and form == FormKind.INVESTOR:
            continue
        raw = data.get(code)
        if raw in (None, ""):
            values[code] = None
            continue
        try:
            if kind == "ha":
                number = Decimal(str(raw).replace(",", "."))
                if not number.is_finite() or not 0 <= number <= 100_000:
                    raise ValueError
                values[code] = str(number.quantize(Decimal("0.01")))
            else:
                number = int(str(raw).replace(".", "").replace(" ", ""))
                if (kind == "yes_no" and number not in (0, 1)) or not 0 <= number <= 10**15:
                    raise ValueError
                values[code] = number
        except (ValueError, ArithmeticError):
            raise InvalidInput(_("“%(row)s”: give a number (1 or 0 for yes or no).") % {"row": label},
                               field=code) from None
    if form == FormKind.INVESTOR:
        values["occupancy"] = None
    return values


def form_occupancy(report: FormReport, industrial_ha: Decimal | None) -> Decimal | None:
    values = report.values or {}
    return occupancy(industrial_ha, values.get("leased_ha"), 0)


# --- the flow of Biểu 01/02


def _stamp(name):
    def effect(act):
        return act.set(**{name: act.on_date})

    effect.__name__ = f"stamp_{name}"
    return effect


APPROVERS = ("system_admin", "doit_manager")
FORM_TRANSITIONS = [
    Transition("submit", gettext_lazy("Submit"), (FormStatus.DRAFT,), FormStatus.SUBMITTED, EDITORS,
               effects=(_stamp("submitted_on"),)),
    Transition("return", gettext_lazy("Return for correction"), (FormStatus.SUBMITTED,), FormStatus.DRAFT,
               APPROVERS, needs=("reason",), style="outline-secondary"),
    Transition("approve", gettext_lazy("Approve and lock"), (FormStatus.SUBMITTED,), FormStatus.APPROVED,
               APPROVERS, effects=(_stamp("approved_on"),)),
]
form_flow = Flow(FORM_TRANSITIONS, permission=form_permission,
                 wrong_state=lambda obj, label: _("“%(action)s” is not possible while the form is “%(status)s”.")
                 % {"action": label, "status": obj.get_status_display()},
                 province_of=lambda obj: obj.cluster.province_id)
badges.register("cluster_form", {FormStatus.SUBMITTED: "text-bg-info", FormStatus.APPROVED: "text-bg-success"})


# --- Biểu 03 and 04, computed


@dataclass
class Summary:
    figures: dict = field(default_factory=dict)
    industrial: Decimal = Decimal(0)
    leased_or_approved: Decimal = Decimal(0)

    def add(self, code: str, value) -> None:
        self.figures[code] = self.figures.get(code, 0) + value

    def finish(self) -> "Summary":
        self.figures["occupancy"] = occupancy(self.industrial, self.leased_or_approved, 0)
        return self

    def merge(self, other: "Summary") -> None:
        for code, value in other.figures.items():
            if code != "occupancy":
                self.add(code, value)
        self.industrial += other.industrial
        self.leased_or_approved += other.leased_or_approved


def summarise(clusters: QuerySet[Cluster], period: ReportPeriod) -> Summary:
    """The figures of Biểu 03/04 for these clusters at the end of the period, from the register, the latest land
    snapshot on or before the end, and the Biểu 01 forms of the period (submitted or approved)."""
    end = period.end
    clusters = list(clusters.prefetch_related("components").select_related("infrastructure"))
    ids = [c.pk for c in clusters]
    est_dates: dict[int, datetime.date] = {}
    for d in ClusterDecision.objects.filter(cluster_id__in=ids, kind=DecisionKind.ESTABLISH, decided_on__lte=end):
        est_dates[d.cluster_id] = min(est_dates.get(d.cluster_id, d.decided_on), d.decided_on)
    snapshots: dict[int, LandSnapshot] = {}
    for s in LandSnapshot.objects.filter(cluster_id__in=ids, on_date__lte=end).order_by("cluster_id", "on_date"):
        snapshots[s.cluster_id] = s
    tenants: dict[int, list[Tenant]] = {}
    for t in Tenant.objects.filter(cluster_id__in=ids):
        tenants.setdefault(t.cluster_id, []).append(t)
    form01: dict[int, dict] = {}
    for r in FormReport.objects.filter(cluster_id__in=ids, form=FormKind.TENANT, period=period.key,
                                       status__in=(FormStatus.SUBMITTED, FormStatus.APPROVED)):
        acc = form01.setdefault(r.cluster_id, {"revenue": 0, "budget": 0, "workers": 0})
        for code in acc:
            acc[code] += int((r.values or {}).get(code) or 0)
    s = Summary()
    for c in clusters:
        if c.status == ClusterStatus.REMOVED:
            continue
        area = max(c.planned_ha, c.established_ha)
        s.add("plan_n", 1)
        s.add("plan_ha", c.planned_ha)
        established = c.pk in est_dates
        if established:
            s.add("est_n", 1)
            s.add("est_ha", c.established_ha)
            if est_dates[c.pk] >= period.start:
                s.add("new_n", 1)
                s.add("new_ha", c.established_ha)
            if c.investor:
                s.add("inv_n", 1)
                s.add("inv_ha", c.established_ha)
        if c.detailed_plan_on and c.detailed_plan_on <= end:
            s.add("dp_n", 1)
            s.add("dp_ha", area)
        infra: Infrastructure | None = getattr(c, "infrastructure", None) if hasattr(c, "infrastructure") else None
        if infra and infra.approved_on and infra.approved_on <= end:
            s.add("ip_n", 1)
            s.add("ip_ha", area)
            s.add("capital", infra.approved_total_vnd)
            s.add("capital_paid", infra.paid_vnd)
        if c.status in (ClusterStatus.OPERATING, ClusterStatus.UNESTABLISHED):
            if c.status == ClusterStatus.OPERATING:
                s.add("op_n", 1)
                s.add("op_ha", c.established_ha)
            else:
                s.add("opx_n", 1)
                s.add("opx_ha", area)
            if c.kind == ClusterType.CRAFT_VILLAGE:
                s.add("craft_n", 1)
            if c.kind == ClusterType.SPECIALISED:
                s.add("spec_n", 1)
            snap = snapshots.get(c.pk)
            if snap is not None:
                s.add("industrial_ha", snap.industrial_ha)
                s.add("leased_ha", snap.leased_ha)
                s.industrial += snap.industrial_ha
                s.leased_or_approved += snap.leased_ha + snap.approved_ha
            mine = [t for t in tenants.get(c.pk, []) if t.status != TenantStatus.STOPPED]
            s.add("projects", len(mine))
            s.add("fdi", sum(1 for t in mine if t.is_fdi))
            money = form01.get(c.pk, {})
            s.add("revenue", money.get("revenue", 0))
            s.add("budget", money.get("budget", 0))
            s.add("workers", money.get("workers", 0))
            plant = next((w for w in c.components.all() if w.kind == ComponentKind.WASTEWATER), None)
            built = plant is not None and plant.status == ComponentStatus.DONE
            s.add("ww_built", 1 if built else 0)
            s.add("ww_ok", 1 if built and plant.discharge_compliant else 0)
    for code in SUMMARY_CODES:
        s.figures.setdefault(code, 0)
    return s.finish()


def commune_of(cluster: Cluster):
    """The commune a cluster is reported under in Biểu 03: the first of its communes today (a cluster over several
    communes is counted once)."""
    communes = sorted(cluster.communes.all(), key=lambda u: u.code)
    return communes[0] if communes else None


def by_commune(province_clusters: QuerySet[Cluster], period: ReportPeriod) -> list[tuple[object, Summary]]:
    """Biểu 03 of every commune of the province that has a cluster (one summary each)."""
    groups: dict = {}
    for cluster in province_clusters.prefetch_related("communes"):
        unit = commune_of(cluster)
        groups.setdefault(unit, []).append(cluster.pk)
    rows = []
    for unit, ids in sorted(groups.items(), key=lambda kv: kv[0].name if kv[0] else "~"):
        rows.append((unit, summarise(Cluster.objects.filter(pk__in=ids), period)))
    return rows


def province_summary(province_clusters: QuerySet[Cluster], period: ReportPeriod) -> tuple[Summary, bool]:
    """Biểu 04 of the province = Σ Biểu 03 of its communes (occupancy recomputed from the summed land); returns the
    summary and whether it agrees with the province's clusters read directly."""
    total = Summary()
    for _unit, summary in by_commune(province_clusters, period):
        total.merge(summary)
    for code in SUMMARY_CODES:
        total.figures.setdefault(code, 0)
    total.finish()
    direct = summarise(province_clusters, period)
    return total, direct.figures == total.figures


def missing_forms(clusters: QuerySet[Cluster], period: ReportPeriod) -> dict[str, list]:
    """Biểu 01 of every active tenant and Biểu 02 of every operating cluster not yet submitted for the period."""
    live = clusters.filter(status__in=(ClusterStatus.OPERATING, ClusterStatus.UNESTABLISHED, ClusterStatus.BUILDING))
    sent = Q(status__in=(FormStatus.SUBMITTED, FormStatus.APPROVED), period=period.key)
    done01 = set(FormReport.objects.filter(sent, form=FormKind.TENANT, cluster__in=live).values_list("tenant_id",
                                                                                                   flat=True))
    done02 = set(FormReport.objects.filter(sent, form=FormKind.INVESTOR, cluster__in=live).values_list("cluster_id",
                                                                                                     flat=True))
    tenants = Tenant.objects.filter(cluster__in=live).exclude(status=TenantStatus.STOPPED).exclude(
        pk__in=done01).select_related("cluster")
    return {"01": list(tenants), "02": list(live.exclude(pk__in=done02).filter(status=ClusterStatus.OPERATING))}


# --- the official layout (TT, chỉ tiêu, ĐVT, kết quả, ghi chú)


def _cell(kind: str, value):
    if value is None:
        return ""
    if kind == "vnd":  # in millions, as the forms count money; an income of 7.500.000 đồng is "7,5"
        millions = Decimal(value) / 1_000_000
        if millions == millions.to_integral_value():
            return int(millions)
        return f"{millions.quantize(Decimal('0.01')).normalize():f}".replace(".", ",")
    if kind in ("ha", "pct"):
        return f"{Decimal(value).normalize():f}".replace(".", ",")
    return int(value)


def summary_rows(summary: Summary) -> list[list]:
    rows, n = [], 0
    for code, label, unit, kind in SUMMARY:
        if not kind:
            rows.append([code, str(label), "", "", ""])
            continue
        n += 1
        rows.append([n, str(label), str(unit), _cell(kind, summary.figures.get(code)), ""])
    return rows


def form_rows(report: FormReport, industrial_ha=None) -> list[list]:
    rows = []
    for n, (code, label, unit, kind) in enumerate(FORM_ROWS[report.form], start=1):
        value = (report.values or {}).get(code)
        if code == "occupancy":
            value = form_occupancy(report, industrial_ha)
        rows.append([n, str(label), str(unit), _cell(kind, value), ""])
    return rows


HEADERS = ("TT", "Chỉ tiêu", "ĐVT", "Kết quả", "Ghi chú")


def xlsx(title: str, rows: list[list], notes=()) -> bytes:
    return write_table(title=title, headers=HEADERS, rows=rows, notes=list(notes), sheet_name="Biểu",
                       widths=[6, 60, 16, 18, 24])
