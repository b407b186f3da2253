"""The plan's Mẫu 2 table and a project's settlement workbook (read back with calamine), and the status board."""

import datetime
import io

import pytest
from django.utils.translation import gettext as tr
from python_calamine import CalamineWorkbook

from khuyencong.projects import services
from khuyencong.projects.models import Project
from khuyencong.rules.models import ContentItem

from .factories import make_project
from .journey import draft, walk

pytestmark = pytest.mark.django_db


def _sheets(response) -> list[list[list]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return [workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names]


def _row(sheet, first_cell_contains: str, column: int = 1) -> list:
    return next(row for row in sheet if first_cell_contains in str(row[column]))


def test_plan_export_groups_and_totals_by_content(client, users, national_plan, establishment):
    machinery = draft(users, national_plan, establishment, title="Máy sao chè", cost=600_000_000,
                      support=300_000_000)
    second = draft(users, national_plan, establishment, title="Máy sấy chè", cost=200_000_000, support=100_000_000)
    services.project_content_add(actor=users["centre"], project=second, content="machinery",
                                 eligible_cost=100_000_000, requested_support=50_000_000, counterpart=40_000_000,
                                 other_sources=10_000_000, description="Máy vò chè")
    other = draft(users, national_plan, None, province_code=80, actor="other_centre", title="Đề án Tây Ninh")
    client.force_login(users["viewer"])
    page = client.get(f"/projects/plans/{national_plan.pk}/").content.decode()
    assert f"/projects/plans/{national_plan.pk}/plan.xlsx" in page
    (sheet,) = _sheets(client.get(f"/projects/plans/{national_plan.pk}/plan.xlsx"))
    text = "\n".join(" ".join(str(c) for c in row) for row in sheet)
    assert national_plan.name in text and tr("Unit: đồng. Exported on %(date)s.")[:10] in text
    header = _row(sheet, tr("Project code"))
    assert tr("KC support (đồng)") in header and tr("Counterpart funds (đồng)") in header
    assert machinery.code in text and second.code in text and "Máy vò chè" in text
    assert other.code not in text and "Đề án Tây Ninh" not in text  # a Lai Châu reader sees Lai Châu's lines only
    lines = [row for row in sheet if str(row[1]).startswith("KCQG-")]
    assert len(lines) == 3
    group = _row(sheet, ContentItem.objects.get(code="machinery").name)
    assert group[6:10] == [450_000_000, 440_000_000, 10_000_000, 900_000_000]
    total = next(row for row in sheet if row[0] == tr("TOTAL"))
    assert total[6] == sum(row[6] for row in lines) == 450_000_000
    assert total[9] == sum(row[9] for row in lines)


def test_plan_export_out_of_scope_is_404(client, users, rules):
    from .factories import make_plan

    plan = make_plan(year=2027, fund="local", province_code=80)
    client.force_login(users["viewer"])
    assert client.get(f"/projects/plans/{plan.pk}/plan.xlsx").status_code == 404


def test_settlement_workbook_balances(client, users, national_plan, establishment):
    project = walk(draft(users, national_plan, establishment), users, until="start")
    services.ledger_record(actor=users["finance"], project=project, kind="ADVANCE", amount=100_000_000,
                           reference="UNC 01")
    wrong = services.ledger_record(actor=users["finance"], project=project, kind="ADVANCE", amount=5_000_000,
                                   reference="UNC 02")
    services.ledger_reverse(actor=users["finance"], project=project, entry_id=wrong.pk, note="Nhầm số tiền")
    client.force_login(users["viewer"])
    assert f"/projects/{project.pk}/settlement.xlsx" in client.get(f"/projects/{project.pk}/").content.decode()
    summary, ledger = _sheets(client.get(f"/projects/{project.pk}/settlement.xlsx"))
    text = "\n".join(" ".join(str(c) for c in row) for row in summary)
    assert project.code in text and "HĐ 15/2027/HĐ-KCQG" in text
    assert _row(summary, tr("Advance"))[2] == 100_000_000
    assert _row(summary, tr("Approved support"))[2] == 300_000_000
    assert _row(summary, tr("Paid (advances + disbursements − refunds)"))[2] == 100_000_000
    assert _row(summary, tr("Contracted but not yet paid"))[2] == 200_000_000
    content = next(row for row in summary if row[3] == 300_000_000 and isinstance(row[0], float | int))
    assert content[2] == 600_000_000 and content[4] == 300_000_000
    amounts = [row[3] for row in ledger[1:]]
    assert -5_000_000 in amounts
    assert sorted(amounts) == sorted(project.ledger.values_list("amount_vnd", flat=True))
    assert tr("reversed") in [row[6] for row in ledger[1:]]
    client.force_login(users["other_centre"])
    assert client.get(f"/projects/{project.pk}/settlement.xlsx").status_code == 404


# --- the board -------------------------------------------------------------------------------------------------------


def _late_projects(national_plan, n: int, province_code: int = 12):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    made = []
    for i in range(n):
        made.append(make_project(province_code, plan=national_plan, title=f"Đề án chậm {province_code}-{i}",
                                 status="in_progress", due_date=yesterday, due_label="Nghiệm thu",
                                 report_due_date=yesterday))
        made.append(make_project(province_code, plan=national_plan, title=f"Đề án chờ quyết toán {i}",
                                 status="accepted", due_date=yesterday, due_label="Hồ sơ quyết toán"))
    return made


def test_board_groups_states_money_and_late(client, users, national_plan, establishment):
    running = walk(draft(users, national_plan, establishment), users, until="start")
    services.ledger_record(actor=users["finance"], project=running, kind="ADVANCE", amount=90_000_000)
    draft(users, national_plan, establishment, title="Bản nháp")
    _late_projects(national_plan, 1)
    make_project(80, plan=national_plan, title="Đề án Tây Ninh chậm", status="in_progress",
                 due_date=datetime.date(2020, 1, 1))
    client.force_login(users["doit"])
    response = client.get("/projects/board/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="board-state-in_progress"' in body and 'data-testid="board-state-draft"' in body
    board = response.context
    columns = {c.status: c for c in board["columns"]}
    assert columns["in_progress"].count == 2 and columns["in_progress"].late == 1
    assert columns["in_progress"].balances.approved == 300_000_000
    assert columns["in_progress"].balances.paid == 90_000_000
    assert columns["draft"].count == 1 and columns["draft"].late == 1 and columns["accepted"].late == 1
    # The draft of a 2027 national project missed its registration deadline (a step late).
    assert board["total_count"] == 4 and board["total_late"] == 3
    assert "Đề án Tây Ninh chậm" not in body
    late = {p.title: p.late_reasons for p in board["late"]}
    assert late == {"Đề án chậm 12-0": ["report", "acceptance"], "Đề án chờ quyết toán 0": ["settlement"],
                    "Bản nháp": ["step"]}
    assert 'data-testid="late-settlement"' in body and tr("settlement overdue") in body


def test_board_filters_and_national_provinces(client, users, national_plan, local_plan):
    _late_projects(national_plan, 1)
    make_project(12, plan=local_plan, title="Đề án địa phương")
    make_project(80, plan=national_plan, title="Đề án Tây Ninh")
    client.force_login(users["viewer"])
    local = client.get("/projects/board/?fund=local").context
    assert local["total_count"] == 1 and local["total_late"] == 0
    assert client.get("/projects/board/?kind=group").context["total_count"] == 0
    assert client.get("/projects/board/?year=2026").context["total_count"] == 0
    assert client.get("/projects/board/?province=80").context["total_count"] == 3  # ignored for a provincial user
    client.force_login(users["ministry"])
    everywhere = client.get("/projects/board/").context
    assert everywhere["total_count"] == 4 and everywhere["provinces"]
    assert client.get("/projects/board/?province=80").context["total_count"] == 1
    empty = client.get("/projects/board/?year=2021")
    assert 'data-testid="board-empty"' in empty.content.decode()


def test_board_queries_stay_flat(client, users, national_plan, django_assert_max_num_queries):
    client.force_login(users["doit"])
    _late_projects(national_plan, 2)
    with django_assert_max_num_queries(12):
        assert client.get("/projects/board/").status_code == 200
    _late_projects(national_plan, 20)
    with django_assert_max_num_queries(12):
        response = client.get("/projects/board/")
    assert response.context["total_late"] == 44 and Project.objects.count() == 44
