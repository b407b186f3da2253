"""Drive a project through its lifecycle with the services, as the people of each role would."""

import datetime

from khuyencong.accounts.models import OrganisationKind
from khuyencong.accounts.tests.factories import organisation_for, province

from .. import checklists, services
from ..flows import APPRAISAL_LEVELS, project_flow
from ..ledger import project_balances
from ..models import Project

# (action, who, inputs) of the national and local happy paths.
NATIONAL_STEPS = [
    ("submit", "centre", {}),
    ("appraise_base", "doit", {}),
    ("register", "manager", {"reference": "125/SCT-QLCN"}),
    ("appraise_ministry", "ministry", {}),
    ("approve", "ministry", {"reference": "3396/QĐ-BCT"}),
    ("contract", "finance", {"reference": "HĐ 15/2027/HĐ-KCQG"}),
    ("start", "centre", {}),
    ("accept", "doit", {}),
    ("submit_settlement", "finance", {}),
    ("settle", "ministry", {"amount": None}),  # None: the contracted amount
    ("archive", "centre", {}),
]
LOCAL_STEPS = [
    ("submit", "centre", {}),
    ("appraise_council", "doit", {}),
    ("approve", "manager", {"reference": "45/QĐ-UBND"}),
    ("contract", "finance", {"reference": "HĐ 03/2027"}),
    ("start", "centre", {}),
    ("accept", "doit", {}),
    ("submit_settlement", "finance", {}),
    ("settle", "manager", {"amount": None}),
    ("archive", "centre", {}),
]


def draft(users, plan, establishment=None, *, content="machinery", cost=600_000_000, support=300_000_000,
          kind="standard", title="Hỗ trợ máy sao chè", province_code=12, actor="centre") -> Project:
    project = services.project_create(
        actor=users[actor], plan=plan, province=province(province_code),
        data={"title": title, "kind": kind, "end_date": datetime.date(2027, 10, 31),
              "implementing_org": organisation_for(OrganisationKind.KC_CENTRE, province_code)},
    )
    if establishment is not None:
        services.project_beneficiary_add(actor=users[actor], project=project, establishment=establishment)
    if content:
        services.project_content_add(actor=users[actor], project=project, content=content, eligible_cost=cost,
                                     requested_support=support, counterpart=cost - support,
                                     establishment=establishment)
    return project


def receive(project: Project, actor, action: str) -> None:
    """Marks the documents the action needs as received."""
    codes = project.contents.values_list("content__code", flat=True)
    for spec in checklists.required_documents(fund=project.plan.fund, kind=project.kind, content_codes=codes):
        if spec.stage == action:
            services.project_document_mark(actor=actor, project=project, code=spec.code, reference="số 01")


def record_acceptance(project: Project, actor, *, on_date=None, conclusion="passed"):
    """Acceptance minutes that accept every content of the project."""
    results = [{"content_id": row.pk, "indicator": row.content.name, "planned": "1", "achieved": "1", "met": True}
               for row in project.contents.select_related("content")]
    return services.acceptance_record(
        actor=actor, project=project, minutes_date=on_date or datetime.date.today(), conclusion=conclusion,
        members=["Nguyễn Văn A — Phó Giám đốc Sở Công Thương", "Trần Thị B — Giám đốc Trung tâm Khuyến công"],
        results=results, reference="BB 01/NT", site="Xã Tam Đường",
        conclusion_text="" if conclusion == "passed" else "Hoàn thiện hồ sơ trước khi thanh toán.")


COUNCIL_MEMBERS = [
    {"name": "Nguyễn Văn An", "position": "Phó Giám đốc Sở Công Thương", "role": "chair"},
    {"name": "Trần Thị Bình", "position": "Chuyên viên Phòng Quản lý công nghiệp", "role": "secretary"},
    {"name": "Lê Văn Cường", "position": "Phòng Kế hoạch – Tài chính", "role": "member"},
]
PASSING_SCORES = {"principles": 13, "effectiveness": 30, "capacity": 20, "integration": 8, "dossier": 14}  # 85
FAILING_SCORES = {"principles": 8, "effectiveness": 20, "capacity": 15, "integration": None, "dossier": 10}  # 59.44


def seat_council(project: Project, actor, *, scores=None, conclude: str | None = "approve",
                 on_date: datetime.date | None = None):
    """Sets up the appraisal council the project waits for, enters every member's sheet and concludes."""
    on_date = on_date or datetime.date.today()
    council = services.council_create(actor=actor, project=project, decision_number="12/QĐ-HĐTĐ",
                                      decision_date=on_date, members=COUNCIL_MEMBERS, signer="Giám đốc Sở")
    for member in council.members.all():
        services.score_sheet_save(actor=actor, project=project, council_id=council.pk, member_id=member.pk,
                                  scores=scores or PASSING_SCORES, comment="Đồng ý")
    if conclude:
        council.refresh_from_db()
        council = services.council_conclude(actor=actor, project=project, council_id=council.pk,
                                            conclusion=conclude, minutes="Hội đồng thống nhất kết luận.",
                                            version=council.version, on_date=on_date)
    return council


def step(project: Project, users, action: str, who: str, inputs: dict | None = None, *, docs_by="centre"):
    receive(project, users[docs_by], action)
    if action in APPRAISAL_LEVELS and not project.councils.filter(level=APPRAISAL_LEVELS[action],
                                                                   conclusion__in=["approve", "approve_changes"]):
        seat_council(project, users["ministry" if action == "appraise_ministry" else "doit"])
    if action == "accept" and not project.acceptances.filter(conclusion="passed").exists():
        record_acceptance(project, users["doit"])
    inputs = dict(inputs or {})
    if "amount" in inputs and inputs["amount"] is None:
        inputs["amount"] = project_balances(project).contracted
    if action == "archive":  # pay what the settlement leaves due, or take back what was paid beyond it
        balances = project_balances(project)
        if balances.to_pay:
            services.ledger_record(actor=users["finance"], project=project, kind="DISBURSEMENT",
                                   amount=balances.to_pay, reference="UNC 88")
        if balances.to_refund:
            services.ledger_record(actor=users["finance"], project=project, kind="REFUND",
                                   amount=balances.to_refund, reference="GNT 12")
    return services.project_transition(project=project, action=action, actor=users[who], **inputs)


def walk(project: Project, users, *, until: str | None = None, steps=None) -> Project:
    """Takes the happy-path steps up to and including `until` (all of them without it)."""
    steps = steps or (NATIONAL_STEPS if project.is_national else LOCAL_STEPS)
    started = False
    for action, who, inputs in steps:
        started = started or project_flow.transition_for(project, action) is not None
        if not started:
            continue
        project = step(project, users, action, who, inputs)
        if action == until:
            break
    return project
