"""Double-support detection: reads only, a fixed handful of queries per project whatever the size of the data.

Who the beneficiary is: the same establishment, or another record with its tax code, its business registration, a
merge in the registry's history (either way), its folded name in the same commune (today's, or the former unit it was
entered with) or its phone. What the cost item is: the KC content, the item (the folded description) and the year;
at settlement, the invoices behind the cost items (`CostInvoice`): the supplier's tax code and the invoice number's key,
with the date when both sides have one, matched against every other project of any fund and any year.

Each check has its severity: *block* refuses the money step (submit, approve, contract, settle) until a finding on
it is cleared or upheld; *review* is shown to the appraiser. The figures (look-back window, overseas fairs a year)
are rule rows of `data/parameters.json`.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from khuyencong.core.errors import InvalidInput
from khuyencong.core.money import format_vnd
from khuyencong.core.permissions import ALLOW, Decision, deny
from khuyencong.core.text import fold
from khuyencong.events.models import Booth
from khuyencong.projects.models import ProjectBeneficiary, ProjectContent, ProjectStatus
from khuyencong.registry.models import Establishment, EstablishmentMerge, SupportRecord
from khuyencong.rules import engine

from .models import CheckCode, CostInvoice, Finding, FindingStatus, Severity

# A project counts as support once it left the centre's hands (drafts and refused projects do not).
NOT_SUPPORT = (ProjectStatus.DRAFT, ProjectStatus.RETURNED, ProjectStatus.REJECTED)
# An invoice counts once its project's settlement dossier was submitted; a settled project is closed.
IN_SETTLEMENT = (ProjectStatus.SETTLEMENT_SUBMITTED, ProjectStatus.SETTLED, ProjectStatus.ARCHIVED)
SETTLED = (ProjectStatus.SETTLED, ProjectStatus.ARCHIVED)
OVERSEAS_FAIR = "fair_overseas"
DEMO_NEW = "demo_model_new"
DEMO_CONTENTS = ("demo_model_new", "demo_model_replication")
RESOLVED = (FindingStatus.CLEARED, FindingStatus.UPHELD)

BASIS = {
    CheckCode.SAME_ITEM: ("TTLT 26/2014/TTLT-BTC-BCT, Điều 7 khoản 4 (giữ nguyên theo Thông tư 28/2018/TT-BTC, "
                          "chưa xác minh)"),
    CheckCode.WINDOW: "TT 36/2013/TT-BCT, Điều 9 khoản 4; thời gian xem lại là cấu hình (chưa xác minh)",
    CheckCode.NATIONAL_LOCAL: "TTLT 26/2014/TTLT-BTC-BCT, Điều 4 khoản 1",
    CheckCode.OVERSEAS_FAIRS: "Thông tư 46/2012/TT-BCT, Điều 4 khoản 1 điểm b",
    CheckCode.DEMO_REPEAT: "Thông tư 46/2012/TT-BCT, Điều 4 khoản 2 điểm a (địa bàn sau 2025 chưa xác minh)",
    CheckCode.SAME_INVOICE: ("TTLT 26/2014/TTLT-BTC-BCT, Điều 7 khoản 4 (giữ nguyên theo Thông tư 28/2018/TT-BTC, "
                             "chưa xác minh)"),
}
SEVERITY = {CheckCode.SAME_ITEM: Severity.BLOCK, CheckCode.WINDOW: Severity.REVIEW,
            CheckCode.NATIONAL_LOCAL: Severity.REVIEW, CheckCode.OVERSEAS_FAIRS: Severity.BLOCK,
            CheckCode.DEMO_REPEAT: Severity.REVIEW, CheckCode.SAME_INVOICE: Severity.BLOCK}


@dataclass(frozen=True)
class Hit:
    check: str
    other_key: str
    establishment_id: int | None
    amount: int
    this_side: dict
    other_side: dict
    reason: str

    @property
    def severity(self) -> str:
        return SEVERITY[self.check]

    @property
    def basis(self) -> str:
        return BASIS[self.check]

    @property
    def blocks(self) -> bool:
        return self.severity == Severity.BLOCK


@dataclass
class Identity:
    """The records that are the same establishment as a beneficiary, and why."""

    why: dict[int, str] = field(default_factory=dict)  # establishment id → how it matches


def _param(code: str, on_date: datetime.date, default: int) -> int:
    try:
        return engine.parameter(code, on_date).as_int
    except InvalidInput:  # a rule missing from the database: the documented default, never a crash of a guard
        return default


def identities(ids: set[int]) -> dict[int, Identity]:
    """For each beneficiary id, the establishments that are the same one (itself included), in three queries."""
    result = {pk: Identity(why={pk: _("the same record")}) for pk in ids}
    if not ids:
        return result
    base = list(Establishment.objects.filter(pk__in=ids).values(
        "id", "tax_code", "business_reg_no", "name_folded", "commune_id", "legacy_unit_id", "phone", "merged_into_id"))
    merges = list(EstablishmentMerge.objects.filter(Q(survivor_id__in=ids) | Q(merged_id__in=ids))
                  .values_list("survivor_id", "merged_id"))
    # Records merged into a beneficiary come from the merge history (the registry's merge writes both): a
    # `merged_into IN (...)` term would make SQLite scan the table, its statistics counting NULLs as one value.
    q = Q(pk__in=[])
    for row in base:
        if row["tax_code"]:
            q |= Q(tax_code=row["tax_code"])
        if row["business_reg_no"]:
            q |= Q(business_reg_no=row["business_reg_no"])
        if row["phone"] and len(row["phone"]) >= 8:
            q |= Q(phone=row["phone"])
        if row["name_folded"]:
            q |= Q(name_folded=row["name_folded"], commune_id=row["commune_id"])
            if row["legacy_unit_id"]:
                q |= Q(name_folded=row["name_folded"], legacy_unit_id=row["legacy_unit_id"])
        if row["merged_into_id"]:
            q |= Q(pk=row["merged_into_id"])
    merged_ids = {pk for pair in merges for pk in pair} - ids
    if merged_ids:
        q |= Q(pk__in=merged_ids)
    others = list(Establishment.objects.filter(q).exclude(pk__in=ids).order_by().values(
        "id", "tax_code", "business_reg_no", "name_folded", "commune_id", "legacy_unit_id", "phone", "merged_into_id"))
    for row in base:
        me = result[row["id"]]
        linked = {s for s, m in merges if m == row["id"]} | {m for s, m in merges if s == row["id"]}
        for other in others:
            why = ""
            if row["tax_code"] and other["tax_code"] == row["tax_code"]:
                why = _("the same tax code")
            elif row["business_reg_no"] and other["business_reg_no"] == row["business_reg_no"]:
                why = _("the same business registration")
            elif other["id"] in linked or other["merged_into_id"] == row["id"] or row["merged_into_id"] == other["id"]:
                why = _("merged in the registry")
            elif row["name_folded"] and other["name_folded"] == row["name_folded"] and (
                    other["commune_id"] == row["commune_id"]
                    or (row["legacy_unit_id"] and other["legacy_unit_id"] == row["legacy_unit_id"])):
                why = _("the same name in the same commune")
            elif row["phone"] and len(row["phone"]) >= 8 and other["phone"] == row["phone"]:
                why = _("the same phone")
            if why:
                me.why[other["id"]] = why
    return result


def _side_content(row: dict, who: str) -> dict:
    return {"kind": "project", "project_id": row["project_id"], "code": row["project__code"],
            "title": row["project__title"], "year": row["project__year"], "fund": row["project__plan__fund"],
            "content": row["content__name"], "content_code": row["content__code"],
            "item": row["description"], "amount": row["requested_support_vnd"], "who": who}


CONTENT_FIELDS = ("id", "project_id", "project__code", "project__title", "project__year", "project__plan__fund",
                  "content__code", "content__name", "description", "requested_support_vnd", "establishment_id",
                  "establishment__name", "establishment__commune_id")


def hits_for(project, on_date: datetime.date | None = None) -> list[Hit]:
    """Every double-support hit of the project's cost items, in at most ten queries."""
    on_date = on_date or datetime.date.today()
    own = list(ProjectContent.objects.filter(project=project).values(*CONTENT_FIELDS))
    if not own:
        return []
    invoice_hits = _invoice_hits(project, own)
    linked = list(ProjectBeneficiary.objects.filter(project=project).values_list("establishment_id", flat=True))
    beneficiaries = {row["establishment_id"] for row in own if row["establishment_id"]} | set(linked)
    if not beneficiaries:
        return invoice_hits
    idents = identities(beneficiaries)
    every = {pk for ident in idents.values() for pk in ident.why}
    owner = {pk: ben for ben, ident in idents.items() for pk in ident.why}
    year = project.year
    fund = project.plan.fund
    has_fairs = any(r["content__code"] == OVERSEAS_FAIR for r in own)

    others = list(ProjectContent.objects.filter(Q(establishment_id__in=every) | Q(
        establishment__isnull=True, project__beneficiary_links__establishment_id__in=every))
        .exclude(project=project).exclude(project__status__in=NOT_SUPPORT)
        .values(*CONTENT_FIELDS, "project__beneficiary_links__establishment_id"))
    records = list(SupportRecord.objects.filter(establishment_id__in=every).values(
        "id", "establishment_id", "establishment__name", "year", "fund", "content_code", "description", "amount"))
    booths = list(Booth.objects.filter(establishment_id__in=every, event__content__code=OVERSEAS_FAIR,
                                       event__start_date__year=year).exclude(event__status="cancelled")
                  .values("id", "establishment_id", "event_id", "event__title", "event__fair_name", "support_vnd")
                  ) if has_fairs else []
    # The figures are read only when something may need them (a clean project reads neither).
    window = _param("settlement-lookback-years", on_date, 3) if others or records else 0
    max_fairs = _param("settlement-overseas-fairs-max", on_date, 2) if has_fairs else 0

    hits: list[Hit] = []

    def own_rows_for(ben: int) -> list[dict]:
        return [r for r in own if r["establishment_id"] == ben or (r["establishment_id"] is None and ben in linked)]

    def this_side(row: dict) -> dict:
        return {"kind": "project", "project_id": project.pk, "code": project.code, "title": project.title,
                "year": year, "fund": fund, "content": row["content__name"], "content_code": row["content__code"],
                "item": row["description"], "amount": row["requested_support_vnd"]}

    seen: set[tuple] = set()
    for other in others:
        est = other["establishment_id"] or other["project__beneficiary_links__establishment_id"]
        ben = owner.get(est)
        if ben is None:
            continue
        who = idents[ben].why.get(est, "")
        for mine in own_rows_for(ben):
            if mine["content__code"] != other["content__code"]:
                continue
            same_item = bool(fold(mine["description"])) and fold(mine["description"]) == fold(other["description"])
            if same_item:
                check = CheckCode.SAME_ITEM
            elif other["project__year"] == year and other["project__plan__fund"] != fund:
                check = CheckCode.NATIONAL_LOCAL
            elif year - window <= other["project__year"] <= year:
                check = CheckCode.WINDOW
            else:
                continue
            key = (check, f"content:{other['id']}", mine["id"])
            if key in seen:
                continue
            seen.add(key)
            hits.append(Hit(check, f"content:{other['id']}:{mine['id']}", ben,
                            min(mine["requested_support_vnd"], other["requested_support_vnd"]), this_side(mine),
                            _side_content(other, who), _reason(check, mine, other["project__code"], who)))
    for record in records:
        ben = owner.get(record["establishment_id"])
        if ben is None:
            continue
        who = idents[ben].why.get(record["establishment_id"], "")
        for mine in own_rows_for(ben):
            if not record["content_code"] or mine["content__code"] != record["content_code"]:
                continue
            same_item = bool(fold(mine["description"])) and fold(mine["description"]) == fold(record["description"])
            if same_item:
                check = CheckCode.SAME_ITEM
            elif record["year"] == year and record["fund"] != fund:
                check = CheckCode.NATIONAL_LOCAL
            elif year - window <= record["year"] <= year:
                check = CheckCode.WINDOW
            else:
                continue
            other_side = {"kind": "support", "record_id": record["id"], "year": record["year"],
                          "fund": record["fund"], "content_code": record["content_code"],
                          "content": mine["content__name"],
                          "item": record["description"], "amount": record["amount"] or 0,
                          "establishment": record["establishment__name"], "who": who}
            hits.append(Hit(check, f"support:{record['id']}:{mine['id']}", ben,
                            min(mine["requested_support_vnd"], record["amount"] or mine["requested_support_vnd"]),
                            this_side(mine), other_side,
                            _reason(check, mine, _("a support of %(year)s in the registry") % {"year": record["year"]},
                                    who)))
    # Overseas fairs: this project's, other projects', booths at events and past supports, per establishment.
    for ben in beneficiaries:
        mine = [r for r in own_rows_for(ben) if r["content__code"] == OVERSEAS_FAIR]
        if not mine:
            continue
        ids = set(idents[ben].why)
        count = len(mine)
        count += len({o["id"] for o in others if o["content__code"] == OVERSEAS_FAIR and o["project__year"] == year
                      and (o["establishment_id"] or o["project__beneficiary_links__establishment_id"]) in ids})
        count += len({b["id"] for b in booths if b["establishment_id"] in ids})
        count += len([r for r in records if r["content_code"] == OVERSEAS_FAIR and r["year"] == year
                      and r["establishment_id"] in ids])
        if count > max_fairs:
            hits.append(Hit(CheckCode.OVERSEAS_FAIRS, f"fairs:{ben}:{year}", ben,
                            sum(r["requested_support_vnd"] for r in mine), this_side(mine[0]),
                            {"kind": "count", "year": year, "count": count, "limit": max_fairs},
                            _("%(count)s overseas fairs supported in %(year)s for this establishment, more than "
                              "the %(limit)s allowed.") % {"count": count, "year": year, "limit": max_fairs}))
    hits.extend(_demo_hits(project, own, this_side))
    return hits + invoice_hits


def _demo_hits(project, own: list[dict], this_side) -> list[Hit]:
    demos = [r for r in own if r["content__code"] == DEMO_NEW and fold(r["description"])]
    if not demos:
        return []
    communes = {r["establishment__commune_id"] for r in demos if r["establishment__commune_id"]}
    if project.commune_id:
        communes.add(project.commune_id)
    if not communes:
        return []
    wanted = {fold(r["description"]) for r in demos}
    rows = list(ProjectContent.objects.filter(content__code__in=DEMO_CONTENTS)
                .filter(Q(establishment__commune_id__in=communes) | Q(project__commune_id__in=communes))
                .exclude(project=project).exclude(project__status__in=NOT_SUPPORT)
                .values(*CONTENT_FIELDS, "project__commune_id")[:200])
    hits = []
    for other in rows:
        if fold(other["description"]) not in wanted:
            continue
        for mine in demos:
            if fold(mine["description"]) == fold(other["description"]):
                hits.append(Hit(CheckCode.DEMO_REPEAT, f"demo:{other['id']}:{mine['id']}", mine["establishment_id"],
                                0, this_side(mine), _side_content(other, _("the same commune")),
                                _("The technology “%(item)s” was already demonstrated in the same commune "
                                  "(project %(code)s).") % {"item": mine["description"],
                                                            "code": other["project__code"]}))
    return hits


INVOICE_FIELDS = ("id", "project_id", "content_id", "supplier_tax_code", "supplier_name", "number", "number_key",
                  "issued_on", "amount_vnd")


def _invoice_side(project: dict, invoice: dict, content: dict | None) -> dict:
    date = invoice["issued_on"].strftime("%d/%m/%Y") if invoice["issued_on"] else ""
    item = _("invoice no. %(number)s of %(supplier)s, tax code %(tax_code)s") % {
        "number": invoice["number"], "supplier": invoice["supplier_name"] or _("the supplier"),
        "tax_code": invoice["supplier_tax_code"]}
    if date:
        item = _("%(item)s, dated %(date)s") % {"item": item, "date": date}
    return {"kind": "invoice", **project, "invoice_id": invoice["id"], "item": item,
            "amount": invoice["amount_vnd"], "content": (content or {}).get("content__name", ""),
            "content_code": (content or {}).get("content__code", "")}


def _invoice_hits(project, own: list[dict]) -> list[Hit]:
    """Invoices of this project already in the settlement dossier of another project (any fund, any year): the same
    cost item supported twice, found by the supplier's tax code and the invoice number's key (the date too when both
    sides have one). A settled project is not checked: the project that came later carries the finding. Two
    queries, the second on the (tax code, number key) index."""
    if project.status in SETTLED:
        return []
    mine = list(CostInvoice.objects.filter(project=project).values(*INVOICE_FIELDS))
    if not mine:
        return []
    q = Q()
    for inv in mine:
        q |= Q(supplier_tax_code=inv["supplier_tax_code"], number_key=inv["number_key"])
    others = list(CostInvoice.objects.filter(q).exclude(project=project).filter(project__status__in=IN_SETTLEMENT)
                  .values(*INVOICE_FIELDS, "project__code", "project__title", "project__year", "project__plan__fund",
                          "content__content__code", "content__content__name")[:200])
    contents = {row["id"]: row for row in own}
    here = {"project_id": project.pk, "code": project.code, "title": project.title, "year": project.year,
            "fund": project.plan.fund}
    hits = []
    for inv in mine:
        for other in others:
            if (other["supplier_tax_code"], other["number_key"]) != (inv["supplier_tax_code"], inv["number_key"]):
                continue
            if inv["issued_on"] and other["issued_on"] and inv["issued_on"] != other["issued_on"]:
                continue  # numbers start again each year and series: another date is another invoice
            there = {"project_id": other["project_id"], "code": other["project__code"],
                     "title": other["project__title"], "year": other["project__year"],
                     "fund": other["project__plan__fund"]}
            other_content = {"content__name": other["content__content__name"] or "",
                             "content__code": other["content__content__code"] or ""}
            this = _invoice_side(here, inv, contents.get(inv["content_id"]))
            reason = _("The invoice no. %(number)s of tax code %(tax_code)s (%(amount)s) is already in the settlement "
                       "of project %(code)s.") % {"number": inv["number"], "tax_code": inv["supplier_tax_code"],
                                                   "amount": format_vnd(inv["amount_vnd"]),
                                                   "code": other["project__code"]}
            establishment = (contents.get(inv["content_id"]) or {}).get("establishment_id")
            hits.append(Hit(CheckCode.SAME_INVOICE, f"invoice:{other['id']}:{inv['id']}", establishment,
                            min(inv["amount_vnd"], other["amount_vnd"]), this,
                            _invoice_side(there, other, other_content), reason))
    return hits


def _reason(check: str, mine: dict, other: str, who: str) -> str:
    item = mine["description"] or mine["content__name"]
    if check == CheckCode.SAME_ITEM:
        text = _("The cost item “%(item)s” (%(amount)s) was already supported: %(other)s.")
    elif check == CheckCode.NATIONAL_LOCAL:
        text = _("“%(item)s” (%(amount)s) is in a national and a local project the same year: %(other)s.")
    else:
        text = _("The same content “%(item)s” (%(amount)s) was supported within the look-back window: %(other)s.")
    sentence = text % {"item": item, "amount": format_vnd(mine["requested_support_vnd"]), "other": other}
    return _("%(sentence)s (identified by %(who)s)") % {"sentence": sentence, "who": who} if who else sentence


def resolved_keys(project) -> set[tuple[str, str]]:
    return set(Finding.objects.filter(project=project, status__in=RESOLVED).values_list("check_code", "other_key"))


def blocking(project, on_date: datetime.date | None = None, hits: list[Hit] | None = None) -> list[Hit]:
    """The block-type hits not yet cleared or upheld by a decision."""
    hits = hits_for(project, on_date) if hits is None else hits
    blocks = [h for h in hits if h.blocks]
    if not blocks:
        return []
    done = resolved_keys(project)
    return [h for h in blocks if (h.check, h.other_key) not in done]


def support_check(ctx, stage: str) -> Decision:
    """The guard registered with projects (`support_checks`): refuses a money step while a block-type double support
    is neither cleared nor upheld. Reads only; the result is kept on the context for the page's other buttons."""
    cached = getattr(ctx, "_settlement_blocking", None)
    if cached is None:
        cached = blocking(ctx.project, ctx.on_date)
        ctx._settlement_blocking = cached
    if not cached:
        return ALLOW
    hit = cached[0]
    return deny(_("Possible double support: %(reason)s Basis: %(basis)s. Run the checks on the settlement page and "
                  "have the finding cleared or upheld first.") % {"reason": hit.reason, "basis": hit.basis})

