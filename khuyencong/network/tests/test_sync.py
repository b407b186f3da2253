"""The collaborator's phone outbox: the working set it keeps, and the sync endpoint that records each item once
(client id), through the online forms' services, turning a survey of an older copy into a flagged change request."""

import base64
import datetime
import json
import uuid
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.tests.factories import commune_of
from khuyencong.core.models import AuditEvent
from khuyencong.projects.tests.factories import make_establishment
from khuyencong.registry.models import Establishment

from ..models import CollaboratorTask, EstablishmentProposal, FieldRecord, SyncReceipt, TaskStatus
from ..services import sync
from .conftest import LAI_CHAU
from .factories import PNG, make_announcement, make_field_collaborator, make_task

pytestmark = pytest.mark.django_db

PHOTO = "data:image/png;base64," + base64.b64encode(PNG).decode()


def _sync(client, **item):
    item.setdefault("client_id", str(uuid.uuid4()))
    return client.post("/api/v1/field-app/sync", data=json.dumps(item), content_type="application/json")


@pytest.fixture
def phone(client, regulation):
    collaborator, user = make_field_collaborator(LAI_CHAU)
    client.force_login(user)
    return collaborator, user


def test_a_retry_returns_the_first_answer_and_records_nothing_twice(client, phone):
    establishment = make_establishment(LAI_CHAU, commune=commune_of(LAI_CHAU, 1), representative="Cũ")
    item = {"client_id": str(uuid.uuid4()), "kind": "survey", "establishment": establishment.pk,
            "base_version": establishment.version, "changes": {"representative": "Lò Thị Mới"},
            "latitude": "22.396", "longitude": "103.458", "photo": PHOTO}
    first = _sync(client, **item)
    assert first.status_code == 200, first.content
    again = _sync(client, **item)
    assert again.status_code == 200
    assert first.json()["first_time"] is True and again.json()["first_time"] is False
    assert again.json()["object_url"] == first.json()["object_url"]
    record = FieldRecord.objects.get()
    assert record.proposed_changes["representative"] == "Lò Thị Mới" and record.photo
    assert record.base_version == establishment.version and not first.json()["conflict"]
    assert SyncReceipt.objects.count() == 1
    assert AuditEvent.objects.filter(action="network.field_survey").count() == 1


def test_a_survey_of_an_older_copy_becomes_a_flagged_change_request(client, phone, staff):
    establishment = make_establishment(LAI_CHAU, commune=commune_of(LAI_CHAU, 0), representative="Cũ")
    copy_version = establishment.version
    Establishment.objects.filter(pk=establishment.pk).update(representative="Staff sửa", version=F("version") + 1)
    response = _sync(client, kind="survey", establishment=establishment.pk, base_version=copy_version,
                     changes={"phone": "0912000111"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["conflict"] is True and "yêu cầu thay đổi" in body["message"]
    establishment.refresh_from_db()
    assert establishment.representative == "Staff sửa" and establishment.phone != "0912000111"
    record = FieldRecord.objects.get()
    assert record.base_version == copy_version and record.proposed_changes == {"phone": "0912000111"}
    client.force_login(staff)
    page = client.get(f"/network/field/{record.pk}/").content.decode()
    assert "đã thay đổi" in page or "đã được sửa" in page


def test_a_refused_item_leaves_no_receipt_and_can_be_sent_again(client, phone):
    establishment = make_establishment(LAI_CHAU, commune=commune_of(LAI_CHAU, 1))
    client_id = str(uuid.uuid4())
    refused = _sync(client, client_id=client_id, kind="need", establishment=establishment.pk)
    assert refused.status_code == 422 and refused.json()["code"] and "nội dung" in refused.json()["detail"]
    assert not SyncReceipt.objects.exists() and not FieldRecord.objects.exists()
    fixed = _sync(client, client_id=client_id, kind="need", establishment=establishment.pk,
                  content_code="machinery", expected_cost_vnd=50_000_000)
    assert fixed.status_code == 200, fixed.content
    assert FieldRecord.objects.get().expected_cost_vnd == 50_000_000
    outside = make_establishment(LAI_CHAU, commune=commune_of(LAI_CHAU, 9))
    assert _sync(client, kind="survey", establishment=outside.pk).status_code == 422
    assert _sync(client, kind="nonsense").status_code == 422
    assert _sync(client, kind="survey", establishment=establishment.pk, photo="data:text/html;base64,PGI+")\
        .status_code == 422


def test_new_establishments_and_task_reports(client, phone):
    collaborator, _user = phone
    response = _sync(client, kind="establishment", commune=commune_of(LAI_CHAU, 0).code, name="Cơ sở dệt Sìn Hồ",
                     entity_type="household", representative="Giàng Thị Say", photo=PHOTO)
    assert response.status_code == 200, response.content
    assert EstablishmentProposal.objects.get().name == "Cơ sở dệt Sìn Hồ"
    far = _sync(client, kind="establishment", commune=commune_of(LAI_CHAU, 9).code, name="X", entity_type="household",
                representative="Y")
    assert far.status_code == 422
    task = make_task(collaborator)
    item = {"client_id": str(uuid.uuid4()), "kind": "task_report", "task": task.pk, "version": task.version,
            "note": "Đã khảo sát 5 cơ sở"}
    assert _sync(client, **item).status_code == 200
    assert _sync(client, **item).json()["first_time"] is False
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completion_note == "Đã khảo sát 5 cơ sở"
    other, _ = make_field_collaborator(LAI_CHAU, communes=[commune_of(LAI_CHAU, 5)])
    assert _sync(client, kind="task_report", task=make_task(other).pk).status_code == 422


def test_a_task_report_on_a_task_changed_closed_or_given_away_meanwhile_is_refused_with_the_reason(client, phone):
    """Never a silent overwrite: the report stays on the phone with the server's reason, nothing is recorded, and a
    report saved again on the fresh copy goes through once."""
    collaborator, _user = phone
    changed, closed, given = make_task(collaborator), make_task(collaborator), make_task(collaborator)
    copied = changed.version
    CollaboratorTask.objects.filter(pk=changed.pk).update(due_date=datetime.date(2026, 4, 1),
                                                          version=F("version") + 1)
    CollaboratorTask.objects.filter(pk=closed.pk).update(status=TaskStatus.CANCELLED, version=F("version") + 1)
    other, _ = make_field_collaborator(LAI_CHAU, communes=[commune_of(LAI_CHAU, 5)])
    CollaboratorTask.objects.filter(pk=given.pk).update(collaborator=other, version=F("version") + 1)
    client_id = str(uuid.uuid4())
    answers = {
        "changed": _sync(client, client_id=client_id, kind="task_report", task=changed.pk, version=copied, note="Xong"),
        "closed": _sync(client, kind="task_report", task=closed.pk, version=closed.version, note="Xong"),
        "given": _sync(client, kind="task_report", task=given.pk, version=given.version, note="Xong"),
        "no version": _sync(client, kind="task_report", task=changed.pk, note="Xong"),
    }
    assert {k: r.status_code for k, r in answers.items()} == {"changed": 409, "closed": 409, "given": 422,
                                                                "no version": 409}
    assert "đã sửa nhiệm vụ" in answers["changed"].json()["detail"]
    assert "đã bị đóng" in answers["closed"].json()["detail"] and "Đã hủy" in answers["closed"].json()["detail"]
    assert "không còn là của bạn" in answers["given"].json()["detail"]
    assert not SyncReceipt.objects.exists()
    assert not CollaboratorTask.objects.filter(status=TaskStatus.DONE).exists()
    assert not AuditEvent.objects.filter(action="network.task_done").exists()
    changed.refresh_from_db()
    again = _sync(client, client_id=client_id, kind="task_report", task=changed.pk, version=changed.version,
                  note="Xong")
    assert again.status_code == 200, again.content
    changed.refresh_from_db()
    assert changed.status == TaskStatus.DONE and SyncReceipt.objects.count() == 1


def test_staff_and_strangers_get_no_working_set(client, staff):
    client.force_login(staff)
    assert client.get("/api/v1/field-app/working-set").status_code == 403
    assert _sync(client, kind="survey").status_code == 403
    client.logout()
    assert client.get("/api/v1/field-app/working-set").status_code == 401


def _count(client, url, method="get", **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 200, response.content
    return len(queries), response


def test_working_set_and_sync_queries_stay_flat(client, phone):
    collaborator, _user = phone
    make_establishment(LAI_CHAU, commune=commune_of(LAI_CHAU, 0))
    make_task(collaborator)
    make_announcement(LAI_CHAU)
    few, response = _count(client, "/api/v1/field-app/working-set")
    data = response.json()
    assert len(data["establishments"]) == 1 and len(data["tasks"]) == 1 and data["choices"]["contents"]
    for i in range(15):
        make_establishment(LAI_CHAU, commune=commune_of(LAI_CHAU, i % 2))
        make_task(collaborator)
        make_announcement(LAI_CHAU, title=f"Tin {i}")
    many, response = _count(client, "/api/v1/field-app/working-set")
    assert len(response.json()["establishments"]) == 16
    assert many == few

    establishment = Establishment.objects.filter(commune=commune_of(LAI_CHAU, 0)).first()
    body = json.dumps({"client_id": str(uuid.uuid4()), "kind": "survey", "establishment": establishment.pk,
                       "changes": {"representative": "A"}})
    first, _ = _count(client, "/api/v1/field-app/sync", "post", data=body, content_type="application/json")
    retry, _ = _count(client, "/api/v1/field-app/sync", "post", data=body, content_type="application/json")
    assert retry < first and retry <= 4
    body = json.dumps({"client_id": str(uuid.uuid4()), "kind": "survey", "establishment": establishment.pk,
                       "changes": {"representative": "B"}})
    second, _ = _count(client, "/api/v1/field-app/sync", "post", data=body, content_type="application/json")
    assert second == first


def test_the_app_shell_service_worker_and_manifest(client, phone, staff):
    page = client.get("/network/field/app/")
    assert page.status_code == 200 and b"kc-field-app" in page.content and b"field-app.js" in page.content
    worker = client.get("/network/field/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/network/field/"
    manifest = client.get("/network/field/app.webmanifest").json()
    assert manifest["lang"] == "vi" and manifest["start_url"] == "/network/field/app/"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    # Safari on iPhone adds it to the home screen from these tags (it ignores the manifest's icons).
    html = page.content.decode()
    for tag in ('name="apple-mobile-web-app-capable" content="yes"', 'rel="apple-touch-icon"',
                'name="apple-mobile-web-app-title" content="CTV khuyến công"', 'rel="manifest"'):
        assert tag in html, tag
    assert "/static/vendor/" not in html  # the shell loads no library: bench/field_app.py measures it
    assert b"/network/field/app/" in client.get("/network/").content
    client.force_login(staff)
    assert client.get("/network/field/app/").status_code == 302


def test_two_sends_at_once_keep_one_record(phone, monkeypatch):
    """The second of two simultaneous sends did not see the first's receipt: the unique constraint stops it, nothing
    of it is kept, and it answers with the first one's receipt."""
    _collaborator, user = phone
    establishment = make_establishment(LAI_CHAU, commune=commune_of(LAI_CHAU, 1))
    client_id = uuid.uuid4()
    data = {"establishment": establishment.pk, "changes": {"representative": "A"}}
    first, new = sync.sync_item(actor=user, client_id=client_id, kind="survey", data=data)
    assert new is True
    real = sync._earlier
    calls = []

    def blind_once(actor, cid):
        calls.append(cid)
        return None if len(calls) == 1 else real(actor, cid)

    monkeypatch.setattr(sync, "_earlier", blind_once)
    again, new = sync.sync_item(actor=user, client_id=client_id, kind="survey", data=data)
    assert new is False and again.pk == first.pk
    assert FieldRecord.objects.count() == 1 and SyncReceipt.objects.count() == 1


def test_our_own_code_of_the_app_shell_stays_small(client, phone):
    script = sum(Path(finders.find(f"network/field-app.{ext}")).stat().st_size for ext in ("js", "css"))
    page = len(client.get("/network/field/app/").content)
    worker = len(client.get("/network/field/sw.js").content)
    assert script + page + worker < 200 * 1024


def test_support_staff_read_what_a_phone_sent_in_the_admin(client, phone):
    from khuyencong.accounts.tests.factories import make_user

    establishment = make_establishment(LAI_CHAU, commune=commune_of(LAI_CHAU, 1), name="Cơ sở mây tre Bản Giang")
    client_id = str(uuid.uuid4())
    assert _sync(client, client_id=client_id, kind="survey", establishment=establishment.pk,
                 base_version=establishment.version, changes={"representative": "A"}).status_code == 200
    receipt = SyncReceipt.objects.get()
    client.force_login(make_user(role="system_admin", province_code=None))
    listing = client.get(f"/admin/network/syncreceipt/?q={client_id}")
    assert listing.status_code == 200 and "Cơ sở mây tre Bản Giang" in listing.content.decode()
    detail = client.get(f"/admin/network/syncreceipt/{receipt.pk}/change/").content.decode()
    assert client_id in detail and f'href="{receipt.object_url}"' in detail
    assert client.get("/admin/network/syncreceipt/add/").status_code == 403
    client.post(f"/admin/network/syncreceipt/{receipt.pk}/delete/", {"post": "yes"})
    assert SyncReceipt.objects.filter(pk=receipt.pk).exists()
