"""Coverage, the reorganisation plan and the scoped lists, on hand-checked cases."""

import datetime

import pytest

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import commune_of, make_user, province
from khuyencong.geo.models import AdminUnit, Succession
from khuyencong.projects.tests.factories import make_establishment

from .. import selectors
from ..models import CollaboratorStatus, Coverage
from .conftest import LAI_CHAU, TAY_NINH
from .factories import legacy_commune_of, make_collaborator, make_field_collaborator, make_record, make_task

pytestmark = pytest.mark.django_db


def test_coverage_of_lai_chau(db):
    c = [commune_of(LAI_CHAU, i) for i in range(5)]
    a = make_collaborator(LAI_CHAU, name="Lò Văn An", communes=[c[0], c[1]])
    b = make_collaborator(LAI_CHAU, name="Tòng Thị Bình", communes=[c[1]])
    ended = make_collaborator(LAI_CHAU, communes=[c[2]], status=CollaboratorStatus.ENDED)
    Coverage.objects.filter(collaborator=ended).update(end_date=datetime.date(2025, 6, 1))
    make_collaborator(LAI_CHAU, communes=[c[3]], status=CollaboratorStatus.SUSPENDED)
    for commune, n in ((c[2], 3), (c[4], 5), (c[0], 2)):
        for _i in range(n):
            make_establishment(LAI_CHAU, commune=commune)
    summary = selectors.coverage_summary(province(LAI_CHAU))
    assert (summary.total, summary.covered) == (38, 2)
    assert [row.commune for row in summary.gaps[:2]] == [c[4], c[2]]
    assert [(row.establishments) for row in summary.gaps[:2]] == [5, 3]
    assert [row.commune for row in summary.overlaps] == [c[1]]
    assert {x.full_name for x in next(r for r in summary.communes if r.commune == c[1]).collaborators} == {
        a.full_name, b.full_name}
    # Lai Châu was not merged: the former province passed whole to today's, 2 of its 38 communes covered.
    [former] = summary.legacy_provinces
    assert (former.unit.name, former.total, former.covered) == ("Tỉnh Lai Châu", 38, 2)
    district_of_c0 = Succession.objects.filter(current=c[0], legacy__level="district").first().legacy
    row = next(r for r in summary.legacy_districts if r.unit == district_of_c0)
    expected = set(Succession.objects.filter(legacy=district_of_c0).values_list("current_id", flat=True))
    assert row.total == len(expected) and row.covered == len(expected & {c[0].pk, c[1].pk})


def test_coverage_rate_per_former_province_after_the_merger(db):
    # A commune of today's Tây Ninh formed only from former Long An communes.
    long_an_only = next(
        unit for unit in AdminUnit.objects.current().communes().filter(province__code=TAY_NINH).order_by("code")
        if set(Succession.objects.filter(current=unit, legacy__level="commune")
               .values_list("legacy__province__name_folded", flat=True)) == {"long an"})
    make_collaborator(TAY_NINH, communes=[long_an_only])
    summary = selectors.coverage_summary(province(TAY_NINH))
    rates = {r.unit.name: (r.covered, r.total) for r in summary.legacy_provinces}
    assert rates["Tỉnh Long An"][0] == 1 and rates["Tỉnh Tây Ninh"][0] == 0
    assert summary.covered == 1


def test_reassignment_plan_shows_candidates_overlaps_and_gaps(db):
    unit = legacy_commune_of("binh duong", 79)
    target = unit.successors.get().current
    former_network = make_collaborator(79, name="Trần Văn Cũ", communes=[])
    Coverage.objects.create(collaborator=former_network, unit=unit, province=province(79),
                            start_date=datetime.date(2023, 1, 1))
    plan, gaps = selectors.reassignment_plan(province(79))
    [row] = plan
    assert [(c.commune, c.proposed, c.covered_by) for c in row.candidates] == [(target, True, [])]
    assert target not in gaps and len(gaps) == 167
    make_collaborator(79, name="Lê Thị Mới", communes=[target])
    plan, gaps = selectors.reassignment_plan(province(79))
    assert [(c.proposed, c.covered_by) for c in plan[0].candidates] == [(False, ["Lê Thị Mới"])]


def test_a_collaborator_sees_only_their_own_records_and_tasks(db):
    me, user = make_field_collaborator(LAI_CHAU)
    colleague = make_collaborator(LAI_CHAU, communes=[commune_of(LAI_CHAU, 0)])
    mine = make_record(me, topic="của tôi")
    make_record(colleague, topic="của đồng nghiệp", commune=commune_of(LAI_CHAU, 0))
    make_task(me, title="việc của tôi")
    make_task(colleague, title="việc của đồng nghiệp")
    assert list(selectors.field_record_list(user=user)) == [mine]
    assert [t.title for t in selectors.task_list(user=user)] == ["việc của tôi"]
    assert list(selectors.collaborator_list(user=user)) == [me]
    staff = make_user(Role.CENTRE_STAFF, LAI_CHAU)
    assert selectors.field_record_list(user=staff).count() == 2


def test_list_queries_do_not_grow_with_rows(db):
    staff = make_user(Role.CENTRE_STAFF, LAI_CHAU)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            seen = []
            for c in selectors.collaborator_list(user=staff):
                seen.extend(cov.unit.name for cov in c.open_coverages)
            for r in selectors.field_record_list(user=staff):
                seen.append((r.collaborator.full_name, r.commune.name))
            for t in selectors.task_list(user=staff):
                seen.append((t.collaborator.full_name, t.commune))
            selectors.coverage_summary(province(LAI_CHAU))
        return len(ctx.captured_queries)

    first = make_collaborator(LAI_CHAU, communes=[commune_of(LAI_CHAU, 0), commune_of(LAI_CHAU, 1)])
    make_record(first)
    make_task(first)
    count()  # the user's scope is computed once per request (cached on the user)
    few = count()
    for i in range(6):
        c = make_collaborator(LAI_CHAU, communes=[commune_of(LAI_CHAU, 2 + i)])
        make_record(c)
        make_task(c)
    assert count() == few


def test_a_commune_is_proposed_to_one_former_collaborator_only(db):
    unit = legacy_commune_of("binh duong", 79)
    target = unit.successors.get().current
    first = make_collaborator(79, name="Trần Văn Một", communes=[])
    second = make_collaborator(79, name="Trần Văn Hai", communes=[])
    for collaborator in (first, second):
        Coverage.objects.create(collaborator=collaborator, unit=unit, province=province(79),
                                start_date=datetime.date(2023, 1, 1))
    plan, gaps = selectors.reassignment_plan(province(79))
    # Rows come by name: Trần Văn Hai first gets the proposal, Trần Văn Một sees it is proposed to Hai.
    assert [(row.coverage.collaborator, row.candidates[0].proposed, row.candidates[0].also_for) for row in plan] == [
        (second, True, []), (first, False, ["Trần Văn Hai"])]
    assert target not in gaps and len(gaps) == 167
