"""Locks hold everywhere: every write service, walked against every state that promises "no more changes", refuses
with the lock's Vietnamese reason (RecordLocked, HTTP 409) and leaves every row of the module as it was.

The locks (`core/locks.py`, declared next to each flow):

- `event.closed`: an event reported, settled or cancelled. What was reported is the record: its description, places,
  itinerary and site visits, participants and results, curriculum, budget lines and what each cost ("Đã ghi số thực
  chi" could still be saved once reported: the known bug), signed lists, booths and exhibitors' certification, the
  mission report. Only the flow's own step remains (a reported event is settled by finance).
- `event.budget_approved`: an approved event's budget lines (the approval decision's money).
- `event.mission_report_signed`: a signed mission report's text.
- `project.settled`: a project settled or archived: ledger entries and their reversal, documents, contents,
  beneficiaries, progress reports, visits and their follow-up, acceptance minutes, adjustments, councils. Only the
  flow's own step remains (archiving), and, while settled and not yet balanced, the one payment or refund the
  settlement leaves due (`flows.settled_payment_check`; test_ledger walks it: archiving needs the money balanced).
- `project.council_concluded`: the signed minutes of an appraisal council: its members' score sheets and its
  conclusion.
- `report.locked`: a locked periodic report: its narrative (only its unlocker unlocks it, with the reason).
- `network.fee_sheet_paid`: a paid fee sheet: computing it again, signing off, returning, paying again.
- `network.regulation_applied`: a regulation under which fees were signed off: every field but its end date.
- `awards.round_closed`: a closed award round: its council and jury, scoring bands, entries and dossiers, jurors'
  sheets, certifying, complaints, and nominations into it (walked in `awards/tests/test_round_lock.py`).

Writes outside every lock, each with the reason (`NOT_LOCKED`): a record that starts a new life (creating an event,
a project, a plan…), the lifecycle steps themselves (the flows say which actions a state still offers), and the
records no lock covers. A new public service must be placed in one list or the other: `test_every_write_service_is_
placed` fails otherwise.

There is no API write endpoint for events, periodic reports or fee sheets; the projects API is walked per lock
(HTTP 409 with the reason). The event page is checked for its hidden action (recording what was spent).
"""

import datetime
import importlib
import inspect

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import make_user, province
from khuyencong.core.locks import LOCKS, RecordLocked
from khuyencong.core.models import AuditEvent
from khuyencong.events import services as event_services
from khuyencong.events.models import Event, EventStatus
from khuyencong.events.tests.helpers import centre
from khuyencong.network import services as network_services
from khuyencong.network.models import FeeSheetStatus
from khuyencong.network.selectors import fee_sheet_period
from khuyencong.network.tests.factories import make_fee_sheet
from khuyencong.projects import services as project_services
from khuyencong.projects.models import (
    AppraisalCouncil,
    CouncilMember,
    LedgerEntry,
    Project,
    ProjectBeneficiary,
    ProjectStatus,
    SupervisionVisit,
)
from khuyencong.projects.tests.factories import attach_monitoring, make_establishment, make_plan, make_project
from khuyencong.reporting import services as report_services
from khuyencong.reporting.models import ReportStatus
from khuyencong.reporting.tests.scope_cases_reports import make_report

D = datetime.date
PDF = b"%PDF-1.4\n%test\n%%EOF\n"
LAI_CHAU = 12
pytestmark = pytest.mark.django_db

SERVICE_PACKAGES = ("events", "projects", "network", "reporting", "registry", "accounts", "rules", "awards")

# Public functions of the services packages that are no write, or whose write no lock concerns, with the reason.
NOT_LOCKED = {
    # helpers that read or compute
    "events.current_province_of": "reads", "events.event_search_text": "reads", "events.lesson_search_text": "reads",
    "events.practice_search_text": "reads", "events.quote_line": "reads", "events.unit_for_date": "reads",
    "projects.council_result": "reads", "network.add_months": "reads", "network.new_password": "reads",
    "network.photo_kind": "reads", "network.username_for": "reads", "registry.eligibility_of": "reads",
    "registry.search_text_of": "reads",
    # a record that starts a new life
    "events.event_create": "a new event", "events.study_tour_draft": "a new event",
    "projects.project_create": "a new project", "projects.plan_create": "a new plan",
    "projects.programme_create": "a new programme", "reporting.report_create": "a new report",
    "reporting.export_start": "a new export",
    # the lifecycle steps: the flow's table says what a state still offers (settle a reported event, archive a
    # settled project, unlock a locked report); every other action is refused by the state
    "events.event_transition": "flow", "projects.project_transition": "flow", "projects.project_submit": "flow",
    "reporting.report_transition": "flow", "reporting.report_submit": "flow", "reporting.report_approve": "flow",
    "reporting.report_lock": "flow", "reporting.report_return": "flow", "reporting.report_unlock": "flow",
    # later outcomes and shared knowledge, their own records: not part of what the event reported
    "events.trainee_employment_set": "employment is confirmed months after the course, by design",
    "events.lesson_create": "a lesson is its own record", "events.lesson_update": "a lesson is its own record",
    "events.followup_add": "a lesson's follow-up", "events.followup_update": "a lesson's follow-up",
    "events.practice_create": "a model practice", "events.practice_update": "a model practice",
    # plans: an approved plan changes only by an adjustment decision (its own service)
    "projects.plan_approve": "refused when approved", "projects.plan_adjust": "an adjustment decision",
    # the network: applications, collaborators, tasks, field records and proposals end by their flows; a
    # collaborator's appointment decision is written once by `collaborator_appoint` (the flow refuses it again)
    "network.application_submit": "public form", "network.application_accept": "flow",
    "network.application_refuse": "flow", "network.collaborator_create": "a new collaborator",
    "network.collaborator_update": "personal details, corrected at any time",
    "network.collaborator_appoint": "flow", "network.collaborator_set_status": "flow",
    "network.coverage_add": "coverage history", "network.coverage_end": "coverage history",
    "network.coverage_reassign": "coverage history", "network.task_create": "a new task",
    "network.task_complete": "flow", "network.task_cancel": "flow",
    "network.announcement_publish": "a new announcement", "network.announcement_mark_read": "a reader's mark",
    "network.field_record_create": "a new record",
    "network.sync_item": "the phone's outbox, sent through the online forms' services, which refuse what they lock",
    "network.field_record_review": "flow",
    "network.need_convert": "flow", "network.establishment_propose": "a new proposal",
    "network.establishment_proposal_accept": "flow", "network.establishment_proposal_reject": "flow",
    "network.regulation_create": "a new regulation",
    # the registry, accounts and rules have no state that promises no more changes
    "registry.establishment_create": "no lock", "registry.establishment_update": "no lock",
    "registry.establishment_merge": "no lock", "registry.merge_review": "no lock",
    "registry.eligibility_refresh": "no lock", "registry.refresh_derived": "no lock",
    "registry.support_record_add": "no lock",
    "accounts.api_token_create": "no lock", "accounts.api_token_revoke": "no lock",
    "accounts.api_tokens_follow_hash_upgrade": "no lock", "accounts.api_tokens_revoke_stale": "no lock",
    "accounts.organisation_create": "no lock", "accounts.organisation_update": "no lock",
    "rules.rule_delete": "no lock", "rules.rule_save": "no lock", "rules.rules_load": "no lock",
    # awards: a new round; the round's steps (a closed round has none); reads; what outlives the round
    "awards.round_create": "a new round", "awards.round_act": "flow", "awards.can_manage": "reads",
    "awards.can_score": "reads", "awards.can_approve_bands": "reads", "awards.juror_of": "reads",
    "awards.compute": "reads", "awards.minutes": "reads", "awards.clean_bands": "reads",
    "awards.certificate_revoke": "a certificate is revoked during its validity, after its round closed (Art 17)",
    "awards.holder_report_add": "holders report every year of the certificate's validity (Art 22.2)",
}


def public_services() -> set[str]:
    names = set()
    for app in SERVICE_PACKAGES:
        module = importlib.import_module(f"khuyencong.{app}.services")
        for name, value in vars(module).items():
            if inspect.isfunction(value) and not name.startswith("_") and value.__module__.startswith(module.__name__):
                names.add(f"{app}.{name}")
    return names


def snapshot(*app_labels: str, audit: bool = True) -> dict:
    """Every row of the apps' tables and (unless a sign-in is recorded meanwhile) the audit trail, as stored."""
    rows = {}
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    if audit:
        rows["audit"] = list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True))
    return rows


def refused(call, lock: str, obj, *apps_touched: str) -> None:
    """The call is refused with the lock's reason, and nothing of the module changed."""
    before = snapshot(*apps_touched)
    with pytest.raises(RecordLocked) as exc:
        call()
    assert exc.value.code == "locked" and exc.value.http_status == 409
    # the lock's reason (a settled project's ledger adds what the settlement still leaves due)
    assert exc.value.message.startswith(str(LOCKS[lock].reason(obj))) and exc.value.message
    assert snapshot(*apps_touched) == before


@pytest.fixture
def people(db, admin_units, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return {
        "staff": make_user(role=Role.CENTRE_STAFF, province_code=LAI_CHAU, username="lk.ttkc"),
        "finance": make_user(role=Role.FINANCE_OFFICER, province_code=LAI_CHAU, username="lk.ketoan"),
        "doit": make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU, username="lk.sct"),
        "manager": make_user(role=Role.DOIT_MANAGER, province_code=LAI_CHAU, username="lk.ldsct"),
        "ministry": make_user(role=Role.MINISTRY_OFFICER, province_code=None, username="lk.cuc"),
        "admin": make_user(role=Role.SYSTEM_ADMIN, province_code=None, username="lk.quantri"),
    }


def test_every_write_service_is_placed():
    """Each public service is walked against the locks below or is listed, with its reason, as outside them."""
    walked = {name for names in WALKED.values() for name in names}
    unplaced = public_services() - walked - set(NOT_LOCKED)
    assert not unplaced, f"services neither walked against a lock nor listed in NOT_LOCKED: {sorted(unplaced)}"
    assert not (walked & set(NOT_LOCKED))
    assert set(WALKED) == set(LOCKS), "every declared lock is walked"


# --- events ---------------------------------------------------------------------------------------------------------


def _events(people) -> dict:
    """A training course, a study tour and a fair, with a row of everything a service writes, approved."""
    staff, admin = people["staff"], people["admin"]
    made = {}

    def event(kind, title, content, **extra):
        return event_services.event_create(actor=staff, data={
            "kind": kind, "title": title, "organiser": centre(LAI_CHAU), "content": content, "fund": "local",
            "start_date": D(2026, 3, 2), "end_date": D(2026, 3, 2), **extra})

    course = made["course"] = event("training", "Lớp dệt thổ cẩm", "training", venue="Bản Lướt",
                                    occupation="Dệt thổ cẩm")
    made["line"] = event_services.budget_line_add(actor=staff, event=course, kind="teachers", unit_cost=1_000_000,
                                                  support=1_000_000)
    made["trainee"] = event_services.participant_add(actor=staff, event=course, data={
        "full_name": "Lò Thị Học", "role": "trainee", "origin": "other"})
    made["item"] = event_services.curriculum_item_add(actor=staff, event=course, subject="Kỹ thuật dệt",
                                                      theory_hours=4)
    tour = made["tour"] = event("study_tour_domestic", "Đoàn học tập kinh nghiệm", "kc_capacity",
                                audience="officials")
    made["place"] = event_services.event_place_add(actor=staff, event=tour, unit=province(80))
    made["day"] = event_services.itinerary_day_add(actor=staff, event=tour, day=D(2026, 3, 2),
                                                   host_province=province(80), host_name="Sở Công Thương Tây Ninh")
    made["visit"] = event_services.site_visit_add(actor=staff, day=made["day"], kind="other", name="Làng nghề")
    made["head"] = event_services.participant_add(actor=staff, event=tour, data={
        "full_name": "Phan Thị Duyên", "role": "head", "origin": "centre"})
    event_services.budget_line_add(actor=staff, event=tour, kind="transport", unit_cost=1_000, support=1_000)
    fair = made["fair"] = event("fair_attended", "Hội chợ Hà Nội", "fair_domestic_participate", audience="",
                                venue="Hà Nội")
    made["establishment"] = make_establishment(LAI_CHAU)
    made["booth"] = event_services.booth_add(actor=staff, event=fair, establishment=made["establishment"],
                                             number="A1", price=10_000_000)
    event_services.budget_line_add(actor=staff, event=fair, kind="booth_rent", unit_cost=10_000_000)
    for key in ("course", "tour", "fair"):
        event_services.event_transition(actor=admin, event=made[key], action="approve", on_date=D(2026, 2, 1),
                                        inputs={"reference": "1/QĐ"})
    made["report"] = event_services.mission_report_prepare(actor=staff, event=tour, on_date=D(2026, 3, 5))
    return made


def _event_writes(m, people) -> dict:
    staff, finance = people["staff"], people["finance"]

    def upload():
        return SimpleUploadedFile("ky.pdf", PDF, content_type="application/pdf")

    return {
        "events.event_update": (m["course"], lambda: event_services.event_update(
            actor=staff, event=m["course"], data={"title": "Tên khác"}, version=m["course"].version)),
        "events.budget_line_add": (m["course"], lambda: event_services.budget_line_add(
            actor=staff, event=m["course"], kind="venue", unit_cost=1_000)),
        "events.budget_line_remove": (m["course"], lambda: event_services.budget_line_remove(
            actor=staff, line=m["line"])),
        "events.budget_line_spent": (m["course"], lambda: event_services.budget_line_spent(
            actor=finance, line=m["line"], spent=900_000)),
        "events.participant_add": (m["course"], lambda: event_services.participant_add(
            actor=staff, event=m["course"], data={"full_name": "Muộn", "role": "trainee", "origin": "other"})),
        "events.participant_update": (m["course"], lambda: event_services.participant_update(
            actor=staff, participant=m["trainee"], data={"full_name": "Tên khác"}, version=m["trainee"].version)),
        "events.participant_remove": (m["course"], lambda: event_services.participant_remove(
            actor=staff, participant=m["trainee"])),
        "events.attendance_record": (m["course"], lambda: event_services.attendance_record(
            actor=staff, event=m["course"], day=D(2026, 3, 2), upload=upload(), present=[m["trainee"]])),
        "events.trainee_result_set": (m["course"], lambda: event_services.trainee_result_set(
            actor=staff, participant=m["trainee"], result="passed")),
        "events.curriculum_item_add": (m["course"], lambda: event_services.curriculum_item_add(
            actor=staff, event=m["course"], subject="Thêm", theory_hours=1)),
        "events.curriculum_item_remove": (m["course"], lambda: event_services.curriculum_item_remove(
            actor=staff, item=m["item"])),
        "events.event_place_add": (m["tour"], lambda: event_services.event_place_add(
            actor=staff, event=m["tour"], unit=province(92))),
        "events.event_place_remove": (m["tour"], lambda: event_services.event_place_remove(
            actor=staff, place=m["place"])),
        "events.itinerary_day_add": (m["tour"], lambda: event_services.itinerary_day_add(
            actor=staff, event=m["tour"], day=D(2026, 3, 2), host_province=province(92))),
        "events.itinerary_day_remove": (m["tour"], lambda: event_services.itinerary_day_remove(
            actor=staff, day=m["day"])),
        "events.site_visit_add": (m["tour"], lambda: event_services.site_visit_add(
            actor=staff, day=m["day"], kind="other", name="Thêm")),
        "events.site_visit_remove": (m["tour"], lambda: event_services.site_visit_remove(
            actor=staff, visit=m["visit"])),
        "events.mission_report_prepare": (m["tour"], lambda: event_services.mission_report_prepare(
            actor=staff, event=m["tour"])),
        "events.mission_report_regenerate": (m["tour"], lambda: event_services.mission_report_regenerate(
            actor=staff, report_obj=m["report"])),
        "events.mission_report_update": (m["tour"], lambda: event_services.mission_report_update(
            actor=staff, report_obj=m["report"], data={"number": "9/BC"}, version=m["report"].version)),
        "events.mission_report_sign": (m["tour"], lambda: event_services.mission_report_sign(
            actor=staff, report_obj=m["report"])),
        "events.booth_add": (m["fair"], lambda: event_services.booth_add(
            actor=staff, event=m["fair"], establishment=m["establishment"], number="B2", price=1_000_000)),
        "events.booth_remove": (m["fair"], lambda: event_services.booth_remove(actor=staff, booth=m["booth"])),
        "events.booth_certify": (m["fair"], lambda: event_services.booth_certify(
            actor=staff, booth=m["booth"], certified=True)),
    }


def _reload(m) -> None:
    for key in ("course", "tour", "fair", "line", "trainee", "item", "place", "day", "visit", "head", "booth",
                "report"):
        m[key].refresh_from_db()
        if hasattr(m[key], "event_id"):
            m[key].event = Event.objects.get(pk=m[key].event_id)
    m["visit"].day = m["day"]


@pytest.mark.parametrize("status", [EventStatus.REPORTED, EventStatus.SETTLED, EventStatus.CANCELLED])
def test_a_closed_event_refuses_every_write(people, status):
    made = _events(people)
    Event.objects.filter(pk__in=[made[k].pk for k in ("course", "tour", "fair")]).update(status=status)
    _reload(made)
    writes = _event_writes(made, people)
    assert set(writes) == set(WALKED["event.closed"])
    for name, (event, call) in writes.items():
        try:
            refused(call, "event.closed", event, "events")
        except AssertionError as exc:  # name the service that let the write through
            raise AssertionError(f"{name}: {exc}") from exc


def test_an_approved_budget_and_a_signed_mission_report_refuse_their_writes(people):
    made = _events(people)
    staff = people["staff"]
    refused(lambda: event_services.budget_line_add(actor=staff, event=made["course"], kind="venue", unit_cost=1_000),
            "event.budget_approved", made["course"], "events")
    refused(lambda: event_services.budget_line_remove(actor=staff, line=made["line"]),
            "event.budget_approved", made["course"], "events")
    Event.objects.filter(pk=made["tour"].pk).update(status=EventStatus.DONE)
    _reload(made)
    event_services.mission_report_update(actor=staff, report_obj=made["report"], data={"number": "9/BC"},
                                         version=made["report"].version)
    made["report"].refresh_from_db()
    event_services.mission_report_sign(actor=staff, report_obj=made["report"])
    _reload(made)
    report = made["report"]
    refused(lambda: event_services.mission_report_update(actor=staff, report_obj=report, data={"body": "Sửa"},
                                                         version=report.version),
            "event.mission_report_signed", report, "events")
    refused(lambda: event_services.mission_report_regenerate(actor=staff, report_obj=report),
            "event.mission_report_signed", report, "events")
    refused(lambda: event_services.mission_report_sign(actor=staff, report_obj=report),
            "event.mission_report_signed", report, "events")


def test_spending_is_recorded_before_reporting_and_the_reported_page_offers_no_spending_form(people, client):
    """The known bug: "Sự kiện đã báo cáo: không thể thay đổi nữa" above a spending form that still saved."""
    made = _events(people)
    course, line, finance = made["course"], made["line"], people["finance"]
    Event.objects.filter(pk=course.pk).update(status=EventStatus.DONE)
    _reload(made)
    client.force_login(finance)
    url = reverse("event_detail", args=[course.pk])
    spent_url = reverse("event_budget_spent", args=[course.pk, line.pk])
    assert spent_url in client.get(url).content.decode()  # held: finance records what was spent
    event_services.budget_line_spent(actor=finance, line=line, spent=950_000)
    Event.objects.filter(pk=course.pk).update(status=EventStatus.REPORTED)
    page = client.get(url).content.decode()
    assert spent_url not in page
    client.force_login(people["staff"])  # the organiser reads why nothing can be changed
    assert str(LOCKS["event.closed"].reason(Event.objects.get(pk=course.pk))) in client.get(url).content.decode()
    client.force_login(finance)
    response = client.post(spent_url, {"spent": "1.000.000", "version": line.version + 1})
    line.refresh_from_db()
    assert line.spent_vnd == 950_000
    assert response.status_code in (200, 302, 409)


# --- projects -------------------------------------------------------------------------------------------------------


def _project(people, status) -> dict:
    """A national project in `status` with a row of everything a service writes (written straight to the tables)."""
    settled = status in (ProjectStatus.SETTLED, ProjectStatus.ARCHIVED)
    project = make_project(LAI_CHAU, plan=make_plan(), status=status, settled_on=D(2026, 12, 1) if settled else None)
    attach_monitoring(project)
    entry = LedgerEntry.objects.create(project=project, kind="ADVANCE", amount_vnd=1_000_000, on_date=D(2026, 5, 1))
    if settled:  # settled at what was paid: the money balances, nothing is due either way
        LedgerEntry.objects.create(project=project, kind="SETTLEMENT", amount_vnd=1_000_000, on_date=D(2026, 12, 1))
    link = ProjectBeneficiary.objects.create(project=project, establishment=make_establishment(LAI_CHAU),
                                             checked_on=D(2026, 4, 1))
    council = AppraisalCouncil.objects.create(project=project, level="base", decision_number="1/QĐ",
                                              decision_date=D(2026, 4, 1))
    member = CouncilMember.objects.create(council=council, name="Nguyễn Văn An")
    return {"project": project, "entry": entry, "link": link, "council": council, "member": member,
            "visit": SupervisionVisit.objects.get(project=project),
            "adjustment": project.adjustments.get()}


def _project_writes(m, people) -> dict:
    p, u = m["project"], people
    return {
        "projects.project_update": lambda: project_services.project_update(
            actor=u["staff"], project=p, data={"title": "Tên khác"}, version=p.version),
        "projects.project_content_add": lambda: project_services.project_content_add(
            actor=u["staff"], project=p, content="machinery", eligible_cost=10_000_000, requested_support=5_000_000),
        "projects.project_content_remove": lambda: project_services.project_content_remove(
            actor=u["staff"], project=p, content_id=1),
        "projects.project_beneficiary_add": lambda: project_services.project_beneficiary_add(
            actor=u["staff"], project=p, establishment=make_establishment(LAI_CHAU)),
        "projects.project_beneficiary_remove": lambda: project_services.project_beneficiary_remove(
            actor=u["staff"], project=p, link_id=m["link"].pk),
        "projects.project_document_mark": lambda: project_services.project_document_mark(
            actor=u["staff"], project=p, code="request_letter", reference="02/CV"),
        "projects.ledger_record": lambda: project_services.ledger_record(
            actor=u["finance"], project=p, kind="DISBURSEMENT", amount=1_000_000, reference="UNC 1"),
        "projects.ledger_reverse": lambda: project_services.ledger_reverse(
            actor=u["finance"], project=p, entry_id=m["entry"].pk, note="Nhầm"),
        "projects.progress_report_submit": lambda: project_services.progress_report_submit(
            actor=u["staff"], project=p, period=D(2026, 11, 1), lines={}, problems="—"),
        "projects.visit_record": lambda: project_services.visit_record(
            actor=u["doit"], project=p, visit_date=D(2026, 11, 2), team="Đoàn", findings="Ổn"),
        "projects.visit_follow_up": lambda: project_services.visit_follow_up(
            actor=u["doit"], project=p, visit_id=m["visit"].pk, follow_up="done", note="Xong",
            version=m["visit"].version),
        "projects.acceptance_record": lambda: project_services.acceptance_record(
            actor=u["doit"], project=p, minutes_date=D(2026, 11, 3), members=["A", "B"], conclusion="passed",
            results=[]),
        "projects.adjustment_request": lambda: project_services.adjustment_request(
            actor=u["staff"], project=p, kind="schedule", reason="Mưa lũ", new_end_date=D(2027, 12, 31)),
        "projects.adjustment_decide": lambda: project_services.adjustment_decide(
            actor=u["ministry"], project=p, request_id=m["adjustment"].pk, approve=True, reference="5/QĐ",
            version=m["adjustment"].version),
        "projects.council_create": lambda: project_services.council_create(
            actor=u["doit"], project=p, decision_number="2/QĐ", decision_date=D(2026, 4, 2),
            members=[{"name": "A", "role": "chair"}, {"name": "B", "role": "secretary"}]),
        "projects.score_sheet_save": lambda: project_services.score_sheet_save(
            actor=u["doit"], project=p, council_id=m["council"].pk, member_id=m["member"].pk, scores={}),
        "projects.council_conclude": lambda: project_services.council_conclude(
            actor=u["doit"], project=p, council_id=m["council"].pk, conclusion="approve", minutes="Kết luận.",
            version=m["council"].version),
    }


@pytest.mark.parametrize("status", [ProjectStatus.SETTLED, ProjectStatus.ARCHIVED])
def test_a_settled_project_refuses_every_write(people, status):
    made = _project(people, status)
    writes = _project_writes(made, people)
    assert set(writes) == set(WALKED["project.settled"])
    for name, call in writes.items():
        try:
            refused(call, "project.settled", made["project"], "projects")
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc


def test_a_concluded_council_refuses_its_sheets_and_a_second_conclusion(people):
    made = _project(people, ProjectStatus.SUBMITTED)
    council = made["council"]
    AppraisalCouncil.objects.filter(pk=council.pk).update(conclusion="approve", minutes="Đã ký.",
                                                          concluded_on=D(2026, 4, 3))
    council.refresh_from_db()
    project, doit = made["project"], people["doit"]
    refused(lambda: project_services.score_sheet_save(actor=doit, project=project, council_id=council.pk,
                                                      member_id=made["member"].pk, scores={}),
            "project.council_concluded", council, "projects")
    before = snapshot("projects")
    with pytest.raises(RecordLocked):
        project_services.council_conclude(actor=doit, project=project, council_id=council.pk, conclusion="reject",
                                          minutes="Khác.", version=council.version)
    assert snapshot("projects") == before


def test_the_projects_api_answers_409_with_the_reason_for_each_lock(people, client):
    made = _project(people, ProjectStatus.SETTLED)
    project = made["project"]
    reason = str(LOCKS["project.settled"].reason(project))
    client.force_login(people["finance"])
    before = snapshot("projects", audit=False)  # the second sign-in below is audited
    response = client.post(f"/api/v1/projects/{project.pk}/ledger", {"kind": "DISBURSEMENT", "amount_vnd": 1_000},
                           content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "locked"
    assert response.json()["detail"].startswith(reason)  # and what the settlement leaves due: nothing to pay
    client.force_login(people["doit"])
    response = client.post(f"/api/v1/projects/{project.pk}/visits/{made['visit'].pk}/follow-up",
                           {"follow_up": "done", "note": "Xong", "version": made["visit"].version},
                           content_type="application/json")
    assert response.status_code == 409 and response.json() == {"code": "locked", "detail": reason}
    assert snapshot("projects", audit=False) == before
    assert not AuditEvent.objects.filter(action__startswith="project.").exists()
    # a concluded council's sheets
    open_made = _project(people, ProjectStatus.SUBMITTED)
    council = open_made["council"]
    AppraisalCouncil.objects.filter(pk=council.pk).update(conclusion="approve", concluded_on=D(2026, 4, 3))
    council.refresh_from_db()
    response = client.post(f"/api/v1/projects/{open_made['project'].pk}/councils/{council.pk}/sheets",
                           {"member_id": open_made["member"].pk, "scores": {}}, content_type="application/json")
    assert response.status_code == 409
    assert response.json() == {"code": "locked", "detail": str(LOCKS["project.council_concluded"].reason(council))}


def test_a_settled_project_page_offers_no_payment_nor_reversal(people, client):
    made = _project(people, ProjectStatus.SETTLED)
    project = made["project"]
    client.force_login(people["finance"])
    page = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert 'data-testid="ledger-form"' not in page
    assert reverse("project_ledger_reverse", args=[project.pk, made["entry"].pk]) not in page
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.IN_PROGRESS)  # the same page, still running
    page = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert 'data-testid="ledger-form"' in page


# --- periodic reports and fee sheets --------------------------------------------------------------------------------


def test_a_locked_report_refuses_its_narrative(people):
    report = make_report(LAI_CHAU, state=ReportStatus.LOCKED)
    officer = make_user(role=Role.DOIT_OFFICER, province_code=LAI_CHAU, username="lk.sct2")
    refused(lambda: report_services.report_update_narrative(actor=officer, report=report,
                                                            data={"results": "Sửa sau khi khóa."},
                                                            version=report.version),
            "report.locked", report, "reporting")


def test_a_paid_fee_sheet_refuses_every_write(people):
    sheet = make_fee_sheet(LAI_CHAU, status=FeeSheetStatus.PAID)
    finance, staff = people["finance"], people["staff"]
    period = fee_sheet_period(sheet)
    writes = {
        "network.fee_sheet_prepare": lambda: network_services.fee_sheet_prepare(
            actor=staff, province=sheet.province, period=period),
        "network.fee_sheet_sign_off": lambda: network_services.fee_sheet_sign_off(
            actor=finance, sheet=sheet, version=sheet.version),
        "network.fee_sheet_return": lambda: network_services.fee_sheet_return(
            actor=finance, sheet=sheet, version=sheet.version, reason="Sửa"),
        "network.fee_sheet_mark_paid": lambda: network_services.fee_sheet_mark_paid(
            actor=finance, sheet=sheet, version=sheet.version, reference="PC 2"),
        "network.fee_sheet_act": lambda: network_services.fee_sheet_act(
            actor=finance, sheet=sheet, action="return", version=sheet.version, reason="Sửa"),
    }
    assert set(writes) == set(WALKED["network.fee_sheet_paid"])
    for name, call in writes.items():
        try:
            refused(call, "network.fee_sheet_paid", sheet, "network")
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc


def test_a_regulation_with_fees_signed_off_refuses_every_change_but_its_end_date(people):
    sheet = make_fee_sheet(LAI_CHAU, status=FeeSheetStatus.SIGNED_OFF)
    regulation = sheet.regulation
    data = {name: getattr(regulation, name) for name in (
        "number", "title", "issued_on", "issuing_body", "signer", "effective_from", "effective_to", "duties",
        "term_months", "max_communes", "appointing_authority", "appointing_body", "parent_body", "decision_symbol",
        "monthly_base_vnd", "per_survey_vnd", "per_conversion_vnd", "per_report_vnd", "monthly_cap_vnd",
        "accepts_applications")}
    writes = {"network.regulation_update": lambda: network_services.regulation_update(
        actor=people["staff"], regulation=regulation, version=regulation.version,
        data={**data, "per_survey_vnd": regulation.per_survey_vnd + 10_000})}
    assert set(writes) == set(WALKED["network.regulation_applied"])
    for name, call in writes.items():
        try:
            refused(call, "network.regulation_applied", regulation, "network")
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from exc


# Which services each lock is walked against (the tests above hold each list to what they call).
WALKED = {
    "event.closed": (
        "events.event_update", "events.budget_line_add", "events.budget_line_remove", "events.budget_line_spent",
        "events.participant_add", "events.participant_update", "events.participant_remove",
        "events.attendance_record", "events.trainee_result_set", "events.curriculum_item_add",
        "events.curriculum_item_remove", "events.event_place_add", "events.event_place_remove",
        "events.itinerary_day_add", "events.itinerary_day_remove", "events.site_visit_add",
        "events.site_visit_remove", "events.mission_report_prepare", "events.mission_report_regenerate",
        "events.mission_report_update", "events.mission_report_sign", "events.booth_add", "events.booth_remove",
        "events.booth_certify"),
    "event.budget_approved": ("events.budget_line_add", "events.budget_line_remove"),
    "event.mission_report_signed": ("events.mission_report_update", "events.mission_report_regenerate",
                                    "events.mission_report_sign"),
    "project.settled": (
        "projects.project_update", "projects.project_content_add", "projects.project_content_remove",
        "projects.project_beneficiary_add", "projects.project_beneficiary_remove", "projects.project_document_mark",
        "projects.ledger_record", "projects.ledger_reverse", "projects.progress_report_submit",
        "projects.visit_record", "projects.visit_follow_up", "projects.acceptance_record",
        "projects.adjustment_request", "projects.adjustment_decide", "projects.council_create",
        "projects.score_sheet_save", "projects.council_conclude"),
    "project.council_concluded": ("projects.score_sheet_save", "projects.council_conclude"),
    "report.locked": ("reporting.report_update_narrative",),
    "consulting.contract_liquidated": (
        "consulting.engineer_assign", "consulting.visit_add", "consulting.issue_close", "consulting.addendum_add",
        "consulting.addendum_approve", "consulting.invoice_add", "consulting.payment_record",
        "consulting.contract_review_conflict"),
    "network.fee_sheet_paid": ("network.fee_sheet_prepare", "network.fee_sheet_sign_off", "network.fee_sheet_return",
                               "network.fee_sheet_mark_paid", "network.fee_sheet_act"),
    "network.regulation_applied": ("network.regulation_update",),
    "awards.round_closed": (
        "awards.member_add", "awards.member_remove", "awards.bands_propose", "awards.bands_approve",
        "awards.entry_create", "awards.document_add", "awards.entry_act", "awards.sheet_for", "awards.sheet_save",
        "awards.complaint_add", "awards.complaint_answer", "awards.nominate"),
}

