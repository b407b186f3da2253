"""A collaborator proposes a new establishment found in the field; the centre of the province adds it to the registry
(through the registry's own service) or rejects it with a reason; the collaborator reads the outcome."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.tests.factories import commune_of
from khuyencong.core.audit import AuditEvent
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.projects.tests.factories import make_establishment
from khuyencong.registry.models import Establishment, Sector

from .. import services
from ..models import EstablishmentProposal, ProposalStatus
from .conftest import LAI_CHAU, TAY_NINH
from .factories import PNG, make_field_collaborator, make_proposal

pytestmark = pytest.mark.django_db


def data(**overrides) -> dict:
    return {"name": "Cơ sở dệt thổ cẩm Sìn Hồ", "entity_type": "household", "representative": "Lò Thị Mai",
            "phone": "0914 222 333", "commune": commune_of(LAI_CHAU, 0), "address": "Bản Nậm Tăm",
            "main_products": "Khăn, túi thổ cẩm", "latitude": "22.349040", "longitude": "103.363069", **overrides}


@pytest.fixture
def field():
    return make_field_collaborator(LAI_CHAU)


def test_a_collaborator_proposes_an_establishment_in_their_commune(field):
    collaborator, user = field
    textile = Sector.objects.order_by("order").first()
    proposal = services.establishment_propose(actor=user, data=data(), sectors=[textile])
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and proposal.collaborator == collaborator
    assert proposal.province_id == commune_of(LAI_CHAU, 0).province_id and proposal.phone == "0914222333"
    assert list(proposal.sectors.all()) == [textile] and str(proposal.latitude) == "22.349040"
    assert not Establishment.objects.filter(name="Cơ sở dệt thổ cẩm Sìn Hồ").exists()  # nothing in the registry yet
    event = AuditEvent.objects.get(action="network.establishment_propose")
    assert event.changes["name"] == [None, "Cơ sở dệt thổ cẩm Sìn Hồ"]


@pytest.mark.parametrize(("overrides", "field_name", "message"), [
    ({"name": "  "}, "name", "Cần nhập tên cơ sở."),
    ({"entity_type": "shop"}, "entity_type", "Chọn loại hình cơ sở."),
    ({"entity_type": "sme"}, "sme_size", "Chọn quy mô doanh nghiệp"),
    ({"representative": ""}, "representative", "Nhập tên chủ cơ sở hoặc người đại diện."),
    ({"phone": "12"}, "phone", "10"),
    ({"longitude": None}, "latitude", "cả vĩ độ và kinh độ"),
])
def test_bad_input_is_refused_in_vietnamese(field, overrides, field_name, message):
    _, user = field
    with pytest.raises(InvalidInput) as refused:
        services.establishment_propose(actor=user, data=data(**overrides))
    assert refused.value.field == field_name and message in refused.value.message
    assert not EstablishmentProposal.objects.exists()


def test_only_in_a_commune_the_collaborator_covers(field):
    _, user = field
    with pytest.raises(PermissionDenied) as refused:
        services.establishment_propose(actor=user, data=data(commune=commune_of(LAI_CHAU, 9)))
    assert "không thuộc các xã bạn phụ trách" in refused.value.message


def test_staff_do_not_propose_they_register(staff):
    with pytest.raises(PermissionDenied) as refused:
        services.establishment_propose(actor=staff, data=data())
    assert "cộng tác viên" in refused.value.message


def test_a_name_the_registry_holds_in_the_commune_is_a_survey_not_a_proposal(field):
    _, user = field
    make_establishment(LAI_CHAU, name="Co so det tho cam Sin Ho", commune=commune_of(LAI_CHAU, 0))
    with pytest.raises(InvalidInput) as refused:
        services.establishment_propose(actor=user, data=data())
    assert refused.value.field == "name" and "ghi phiếu khảo sát" in refused.value.message


def test_the_centre_adds_it_through_the_registry_service(field, staff):
    _, user = field
    proposal = services.establishment_propose(actor=user, data=data(), sectors=list(Sector.objects.all()[:2]))
    establishment = services.establishment_proposal_accept(actor=staff, proposal=proposal, version=proposal.version,
                                                           note="Đã xác minh")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.establishment == establishment
    assert proposal.reviewed_by == staff and proposal.review_note == "Đã xác minh"
    # Made by the registry's create service: folded name, search text, eligibility worked out, its own audit event.
    assert establishment.name_folded == "co so det tho cam sin ho" and "lo thi mai" in establishment.search_text
    assert establishment.eligible is not None and establishment.sectors.count() == 2
    assert establishment.commune == commune_of(LAI_CHAU, 0) and establishment.phone == "0914222333"
    assert AuditEvent.objects.filter(action="establishment.create", object_id=str(establishment.pk)).exists()
    assert AuditEvent.objects.filter(action="network.establishment_proposal_accept").exists()
    with pytest.raises(InvalidInput) as again:
        services.establishment_proposal_accept(actor=staff, proposal=proposal, version=proposal.version)
    assert "đã được xử lý" in again.value.message
    assert Establishment.objects.filter(name_folded="co so det tho cam sin ho").count() == 1


def test_accepting_a_duplicate_is_refused_and_nothing_changes(field, staff):
    _, user = field
    proposal = services.establishment_propose(actor=user, data=data())
    make_establishment(LAI_CHAU, name="CƠ SỞ DỆT THỔ CẨM SÌN HỒ", commune=commune_of(LAI_CHAU, 0))  # meanwhile
    with pytest.raises(InvalidInput) as refused:
        services.establishment_proposal_accept(actor=staff, proposal=proposal, version=proposal.version)
    assert "trùng" in refused.value.message
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and Establishment.objects.count() == 1


def test_a_stale_version_is_refused(field, staff):
    _, user = field
    proposal = services.establishment_propose(actor=user, data=data())
    with pytest.raises(Conflict):
        services.establishment_proposal_accept(actor=staff, proposal=proposal, version=proposal.version + 1)
    assert not Establishment.objects.filter(name_folded="co so det tho cam sin ho").exists()


def test_who_may_decide(field, other_staff, viewer):
    _, user = field
    proposal = services.establishment_propose(actor=user, data=data())
    for actor in (other_staff, viewer, user):
        with pytest.raises(PermissionDenied):
            services.establishment_proposal_accept(actor=actor, proposal=proposal, version=proposal.version)
    assert not Establishment.objects.exists()


def test_a_rejection_needs_a_reason_and_the_collaborator_reads_it(client, field, staff):
    _, user = field
    proposal = services.establishment_propose(actor=user, data=data())
    with pytest.raises(InvalidInput) as refused:
        services.establishment_proposal_reject(actor=staff, proposal=proposal, version=proposal.version, note=" ")
    assert "Ghi lý do" in refused.value.message
    services.establishment_proposal_reject(actor=staff, proposal=proposal, version=proposal.version,
                                           note="Cơ sở đã chuyển sang tỉnh khác")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED and not Establishment.objects.exists()
    client.force_login(user)
    page = client.get(f"/network/establishments/proposed/{proposal.pk}/").content.decode()
    assert "Không chấp thuận ngày" in page and "Cơ sở đã chuyển sang tỉnh khác" in page
    assert "Thêm vào cơ sở dữ liệu" not in page  # no button for the collaborator
    mine = client.get("/network/establishments/proposed/").content.decode()
    assert "Cơ sở dệt thổ cẩm Sìn Hồ" in mine and "Cơ sở đã chuyển sang tỉnh khác" in mine


def test_the_phone_form_sends_a_proposal_with_a_photo(client, field):
    _, user = field
    client.force_login(user)
    page = client.get("/network/establishments/propose/").content.decode()
    assert 'name="name"' in page and "Thêm vị trí GPS" in page
    photo = SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    sector = Sector.objects.order_by("order").first()
    form = {**data(commune=commune_of(LAI_CHAU, 1).pk, sectors=[sector.pk]), "photo": photo}
    response = client.post("/network/establishments/propose/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = EstablishmentProposal.objects.get()
    assert proposal.photo and proposal.commune == commune_of(LAI_CHAU, 1) and list(proposal.sectors.all()) == [sector]
    assert client.get(f"/network/establishments/proposed/{proposal.pk}/photo/")["Content-Type"] == "image/jpeg"


def test_the_form_keeps_the_input_and_lists_the_errors_at_the_top(client, field):
    _, user = field
    client.force_login(user)
    response = client.post("/network/establishments/propose/",
                           data(commune=commune_of(LAI_CHAU, 0).pk, name="", entity_type="sme"))
    assert response.status_code == 422
    body = response.content.decode()
    summary = body.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert 'href="#id_name"' in summary and "Trường này là bắt buộc." in summary
    assert 'value="Lò Thị Mai"' in body and not EstablishmentProposal.objects.exists()


def test_the_centre_list_shows_its_province_and_the_review_page_warns_of_a_match(client, field, staff):
    _, user = field
    proposal = services.establishment_propose(actor=user, data=data())
    other, _ = make_field_collaborator(TAY_NINH)
    make_proposal(other, name="Cơ sở ở Tây Ninh")
    make_establishment(LAI_CHAU, name="Cơ sở khác cùng điện thoại", commune=commune_of(LAI_CHAU, 2),
                       phone="0914222333")
    client.force_login(staff)
    listing = client.get("/network/establishments/proposed/").content.decode()
    assert "Cơ sở dệt thổ cẩm Sìn Hồ" in listing and "Cơ sở ở Tây Ninh" not in listing
    page = client.get(f"/network/establishments/proposed/{proposal.pk}/").content.decode()
    assert "Cơ sở khác cùng điện thoại" in page and "Thêm vào cơ sở dữ liệu" in page
    response = client.post(f"/network/establishments/proposed/{proposal.pk}/review/",
                           {"decision": "accept", "note": "", "version": proposal.version})
    assert response.status_code == 302
    assert Establishment.objects.filter(name="Cơ sở dệt thổ cẩm Sìn Hồ").exists()


def test_the_list_makes_the_same_queries_whatever_the_rows(client, field, staff):
    collaborator, _ = field
    client.force_login(staff)
    make_proposal(collaborator, name="Một")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/network/establishments/proposed/").status_code == 200
    for n in range(6):
        make_proposal(collaborator, name=f"Cơ sở {n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/network/establishments/proposed/").status_code == 200
    assert len(many) == len(few)


def test_the_api_proposes_and_the_centre_decides(client, field, staff):
    _, user = field
    client.force_login(user)
    sector = Sector.objects.order_by("order").first()
    payload = {"name": "Lò rèn Phong Thổ", "entity_type": "household", "representative": "Vàng A Páo",
               "commune": commune_of(LAI_CHAU, 1).code, "sectors": [sector.code]}
    response = client.post("/api/v1/establishment-proposals", data=json.dumps(payload),
                           content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "proposed" and body["status_label"] == "Đã đề xuất, chờ Trung tâm xem xét"
    assert body["sectors"] == [sector.code]
    outside = client.post("/api/v1/establishment-proposals", data=json.dumps(
        {**payload, "commune": commune_of(LAI_CHAU, 9).code}), content_type="application/json")
    assert outside.status_code == 403
    client.force_login(staff)
    accepted = client.post(f"/api/v1/establishment-proposals/{body['id']}/accept",
                           data=json.dumps({"version": body["version"]}), content_type="application/json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["establishment"]["name"] == "Lò rèn Phong Thổ"
