"""The network's scoped records: a user of one province neither sees nor changes another province's collaborators,
applications, field records, tasks, announcements, fee sheets, regulation or coverage."""

from khuyencong.accounts.tests.factories import commune_of, province
from khuyencong.geo.models import AdminUnit
from khuyencong.testing.scope import ScopedCase, register, unscoped

from ..models import Coverage
from .factories import (
    make_announcement,
    make_application,
    make_collaborator,
    make_fee_sheet,
    make_proposal,
    make_record,
    make_regulation,
    make_task,
)


def _collaborator(code: int):
    return make_collaborator(code, name=f"Cộng tác viên phạm vi {code}", communes=[commune_of(code, 4)])


register(ScopedCase(
    name="network_collaborator",
    make=_collaborator,
    marker=lambda c: c.full_name,
    list_urls=["/network/collaborators/", "/network/collaborators/?q=pham+vi", "/network/collaborators/export.xlsx",
               "/network/coverage/", "/network/coverage/export.xlsx", "/network/performance/",
               "/api/v1/collaborators?limit=200", "/api/v1/collaborators?q=pham+vi"],
    detail_urls=lambda c: [f"/network/collaborators/{c.pk}/", f"/network/collaborators/{c.pk}/edit/",
                           f"/network/collaborators/{c.pk}/decision/", f"/network/collaborators/{c.pk}/appoint/",
                           f"/api/v1/collaborators/{c.pk}",
                           f"/api/v1/collaborator-performance?province={c.province.code}&period=2026-Q1"],
    change_requests=lambda c: [
        ("POST", f"/network/collaborators/{c.pk}/edit/", {"full_name": "Bị sửa", "gender": "male",
                                                          "birth_year": 1980, "phone": "0912000000",
                                                          "version": c.version}),
        ("POST", f"/network/collaborators/{c.pk}/status/", {"status": "ended", "reason": "x", "version": c.version}),
        ("POST", f"/network/collaborators/{c.pk}/appoint/", {"decision_number": "9/QĐ", "decision_date": "2026-01-02",
                                                             "communes": [commune_of(12, 0).pk],
                                                             "version": c.version}),
        ("POST", f"/network/collaborators/{c.pk}/coverage/", {"commune": commune_of(80, 7).pk}),
        ("POST", f"/network/coverage/{c.coverages.first().pk}/end/", {"reason": "x"}),
        ("POST", "/network/tasks/new/?province=80", {"collaborator": c.pk, "title": "x", "due_date": "2099-01-01"}),
    ],
    covers=["network_collaborator_list", "network_collaborator_export", "network_coverage",
            "network_coverage_export", "network_performance", "network_collaborator_detail",
            "network_collaborator_edit", "network_collaborator_status", "network_collaborator_appoint",
            "network_coverage_add", "network_coverage_end", "network_decision_letter",
            "api:collaborator_list", "api:collaborator_detail", "api:collaborator_performance"],
))


register(ScopedCase(
    name="network_application",
    make=lambda code: make_application(code, name=f"Người đăng ký phạm vi {code}"),
    marker=lambda a: a.full_name,
    list_urls=["/network/applications/?status=all", "/network/applications/", "/network/",
               "/api/v1/collaborator-applications?limit=200"],
    detail_urls=lambda a: [f"/network/applications/{a.pk}/"],
    change_requests=lambda a: [
        ("POST", f"/network/applications/{a.pk}/accept/", {"decision_number": "9/QĐ", "decision_date": "2026-01-02",
                                                           "communes": [c.pk for c in a.communes.all()],
                                                           "version": a.version}),
        ("POST", f"/network/applications/{a.pk}/refuse/", {"reason": "x", "version": a.version}),
    ],
    covers=["network_home", "network_application_list", "network_application_detail", "network_application_accept",
            "network_application_refuse", "api:collaborator_application_list"],
))


def _record(code: int):
    collaborator = make_collaborator(code, communes=[commune_of(code, 4)])
    return make_record(collaborator, "need", topic=f"Ghi nhận phạm vi {code}", content_code="machinery",
                       expected_cost_vnd=100_000_000, photo=True,
                       establishment=None, commune=commune_of(code, 4))


register(ScopedCase(
    name="network_field_record",
    make=_record,
    marker=lambda r: r.topic,
    list_urls=["/network/field/", "/network/field/?kind=need", "/api/v1/field-records?limit=200"],
    detail_urls=lambda r: [f"/network/field/{r.pk}/", f"/network/field/{r.pk}/photo/",
                           f"/api/v1/field-records/{r.pk}"],
    change_requests=lambda r: [
        ("POST", f"/network/field/{r.pk}/review/", {"decision": "reject", "note": "x", "version": r.version}),
        ("POST", f"/network/field/{r.pk}/convert/", {"plan": 1, "version": r.version}),
    ],
    covers=["network_field_list", "network_field_detail", "network_field_photo", "network_field_review",
            "network_field_convert", "api:field_record_list", "api:field_record_detail"],
))


def _proposal(code: int):
    collaborator = make_collaborator(code, communes=[commune_of(code, 4)])
    return make_proposal(collaborator, name=f"Cơ sở đề xuất phạm vi {code}", photo=True)


register(ScopedCase(
    name="network_establishment_proposal",
    make=_proposal,
    marker=lambda p: p.name,
    list_urls=["/network/establishments/proposed/", "/network/establishments/proposed/?status=",
               "/api/v1/establishment-proposals?limit=200"],
    detail_urls=lambda p: [f"/network/establishments/proposed/{p.pk}/",
                           f"/network/establishments/proposed/{p.pk}/photo/",
                           f"/api/v1/establishment-proposals/{p.pk}"],
    change_requests=lambda p: [
        ("POST", f"/network/establishments/proposed/{p.pk}/review/",
         {"decision": "accept", "note": "", "version": p.version}),
        ("POST", f"/network/establishments/proposed/{p.pk}/review/",
         {"decision": "reject", "note": "x", "version": p.version}),
        ("POST", f"/api/v1/establishment-proposals/{p.pk}/accept", {"version": p.version}),
        ("POST", f"/api/v1/establishment-proposals/{p.pk}/reject", {"version": p.version, "note": "x"}),
    ],
    covers=["network_proposal_list", "network_proposal_detail", "network_proposal_photo", "network_proposal_review",
            "api:establishment_proposal_list", "api:establishment_proposal_detail",
            "api:establishment_proposal_accept", "api:establishment_proposal_reject"],
))


def _task(code: int):
    return make_task(make_collaborator(code, communes=[commune_of(code, 4)]), title=f"Nhiệm vụ phạm vi {code}")


register(ScopedCase(
    name="network_task",
    make=_task,
    marker=lambda t: t.title,
    list_urls=["/network/tasks/", "/network/tasks/?status=open", "/api/v1/collaborator-tasks?limit=200"],
    detail_urls=lambda t: [],
    change_requests=lambda t: [
        ("POST", f"/network/tasks/{t.pk}/done/", {"note": "x", "version": t.version}),
        ("POST", f"/network/tasks/{t.pk}/cancel/", {"reason": "x", "version": t.version}),
    ],
    covers=["network_task_list", "network_task_done", "network_task_cancel", "api:collaborator_task_list"],
))


register(ScopedCase(
    name="network_announcement",
    make=lambda code: make_announcement(code, title=f"Thông báo phạm vi {code}"),
    marker=lambda a: a.title,
    list_urls=["/network/announcements/"],
    detail_urls=lambda a: [f"/network/announcements/{a.pk}/"],
    covers=["network_announcement_list", "network_announcement_detail"],
    # A collaborator reads their own province's announcements.
    sees_province=("doit_officer", "doit_manager", "centre_staff", "finance_officer", "viewer", "collaborator"),
))


register(ScopedCase(
    name="network_fee_sheet",
    make=lambda code: make_fee_sheet(code, total=code * 1_001_000),
    marker=lambda s: f"{s.total_vnd:,}".replace(",", "."),
    list_urls=["/network/fees/"],
    detail_urls=lambda s: [f"/network/fees/{s.pk}/", f"/network/fees/{s.pk}/export.xlsx"],
    change_requests=lambda s: [
        ("POST", f"/network/fees/{s.pk}/sign_off/", {"version": s.version}),
        ("POST", f"/network/fees/{s.pk}/recompute/", {"version": s.version}),
        ("POST", f"/network/fees/{s.pk}/paid/", {"version": s.version, "reference": "x"}),
        ("POST", "/network/fees/prepare/?province=80", {"period": "2026-03"}),
    ],
    covers=["network_fee_list", "network_fee_detail", "network_fee_export", "network_fee_action",
            "network_fee_prepare"],
))


register(ScopedCase(
    name="network_regulation",
    make=lambda code: make_regulation(code, number=f"{code}/2025/QĐ-UBND-phạm-vi"),
    marker=lambda r: r.number,
    list_urls=["/network/regulation/"],
    detail_urls=lambda r: [f"/network/regulation/{r.pk}/edit/"],
    change_requests=lambda r: [
        ("POST", f"/network/regulation/{r.pk}/edit/", {"number": "Bị sửa", "version": r.version}),
        ("POST", "/network/regulation/new/?province=80", {"number": "x"}),
    ],
    covers=["network_regulation", "network_regulation_edit", "network_regulation_create"],
))


def _legacy_coverage(code: int) -> Coverage:
    collaborator = make_collaborator(code, name=f"Mạng lưới cũ phạm vi {code}", communes=[])
    unit = (AdminUnit.objects.legacy().communes().filter(successors__current__province__code=code)
            .order_by("code").first())
    return Coverage.objects.create(collaborator=collaborator, unit=unit, province=province(code),
                                   start_date=collaborator.term_start)


register(ScopedCase(
    name="network_legacy_coverage",
    make=_legacy_coverage,
    marker=lambda c: c.collaborator.full_name,
    list_urls=["/network/reassign/"],
    detail_urls=lambda c: [],
    change_requests=lambda c: [
        ("POST", "/network/reassign/?province=80",
         {f"move-{c.pk}": [s.current_id for s in c.unit.successors.all()]}),
        ("POST", "/network/reassign/", {f"move-{c.pk}": [s.current_id for s in c.unit.successors.all()]}),
    ],
    covers=["network_reassign"],
))

unscoped("network_apply", "the public application page (no account): it writes only a new application")
unscoped("network_apply_status", "public; shows one application only to whoever gives both its number and its phone")
unscoped("network_apply_sent", "public; shows only the reference kept in the sender's own session")
unscoped("network_collaborator_create", "creates only in a province of the user's scope (?province outside → 404)")
unscoped("network_task_create", "creates only in a province of the user's scope (covered by network_collaborator)")
unscoped("network_announcement_create", "publishes only in a province of the user's scope (test_views)")
unscoped("network_field_new", "a collaborator records only for themselves in their own communes (test_services)")
unscoped("network_field_establishments", "lists only the establishments of the user's own communes (test_views)")
unscoped("network_proposal_new", "a collaborator proposes only for themselves in their own communes (test_proposals)")
unscoped("api:establishment_propose", "a collaborator proposes only in their own communes (test_proposals)")
unscoped("api:field_record_create", "a collaborator records only for themselves in their own communes (test_api)")
unscoped("network_field_app", "the collaborator's own offline page: staff are sent away, data come from the API")
unscoped("network_field_sw", "the service worker's code, the same for everyone; it holds no data")
unscoped("network_field_manifest", "the web app manifest, the same for everyone; it holds no data")
unscoped("api:field_working_set", "only the collaborator's own communes, tasks and province's notices (test_sync)")
unscoped("api:field_sync", "a collaborator records only for themselves in their own communes (test_sync)")
