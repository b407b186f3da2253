"""The collaborator's field work without signal, on a phone: three surveys (one with a photo) captured with the network
cut, the page reloaded from the service worker's cache with the outbox intact, then sent once the signal returns,
each exactly once, and accepted by the centre. A retry after a dropped answer records nothing twice, and a survey of
an establishment changed on the server meanwhile becomes a flagged change request — in a page without the APIs an
older iPhone's Safari lacks (Background Sync, BroadcastChannel, crypto.randomUUID, replaceChildren, storage.persist)."""

import io

import pytest
from django.db.models import F
from PIL import Image
from playwright.sync_api import expect

from khuyencong.accounts.models import Role
from khuyencong.accounts.tests.factories import PASSWORD, commune_of, make_user
from khuyencong.network import services
from khuyencong.network.models import FieldRecord, RecordStatus, SyncReceipt
from khuyencong.network.tests.factories import centre as centre_of
from khuyencong.network.tests.factories import make_field_collaborator, make_regulation
from khuyencong.projects.tests.factories import make_establishment
from khuyencong.registry.models import Establishment

from .conftest import login, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), (180, 120, 60)).save(out, "JPEG")
    return out.getvalue()


def _collaborator():
    make_regulation(12)
    collaborator, user = make_field_collaborator(12)
    user.set_password(PASSWORD)
    user.save()
    names = ["Cơ sở mây tre Bản Giang", "Cơ sở dệt Sìn Hồ", "Cơ sở rèn Phong Thổ"]
    establishments = [make_establishment(12, name=n, commune=commune_of(12, 0), representative="Cũ") for n in names]
    return collaborator, user, establishments


def _capture_survey(page, establishment, representative, photo=None):
    page.locator("[data-new=survey]").click()
    page.locator("#f-establishment").select_option(str(establishment.pk))
    page.locator("#f-rep").fill(representative)
    if photo:
        page.locator("[data-photo-input]").set_input_files({"name": "anh.jpg", "mimeType": "image/jpeg",
                                                            "buffer": photo})
        expect(page.locator("[data-photo-preview]")).to_be_visible()
    page.get_by_role("button", name="Lưu trên điện thoại").click()
    expect(page.locator("[data-capture]")).to_be_hidden()


def _phone(browser, **options):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True,
                                  has_touch=True, device_scale_factor=2, **options)
    page = context.new_page()
    return context, page, watch_csp(page)


def test_three_surveys_offline_survive_a_reload_and_sync_once(live_server, browser, screenshot, admin_units):
    _collaborator_row, user, establishments = _collaborator()
    context, page, violations = _phone(browser)
    login(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server.url}/network/field/app/")
    expect(page.locator("[data-freshness]")).to_contain_text("3 cơ sở")
    # The service worker has cached the app shell once it is activated.
    assert page.evaluate("""navigator.serviceWorker.ready.then(r => new Promise(done => {
        const w = r.active;
        if (w.state === "activated") done(w.state);
        else w.addEventListener("statechange", () => w.state === "activated" && done(w.state));
    }))""") == "activated"
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    expect(page.locator("#kc-field-app[data-ready]")).to_be_attached()

    context.set_offline(True)
    expect(page.locator("[data-net]")).to_contain_text("Mất sóng")
    _capture_survey(page, establishments[0], "Lò Thị Mai", photo=_photo())
    _capture_survey(page, establishments[1], "Giàng A Tủa")
    _capture_survey(page, establishments[2], "Vàng Thị Dua")
    expect(page.locator("[data-outbox-count]")).to_have_text("3")
    # Closing and reopening the page without signal: the service worker serves it, IndexedDB keeps the outbox.
    page.reload()
    expect(page.locator("[data-outbox-item]")).to_have_count(3)
    expect(page.locator("[data-outbox]")).to_contain_text("chờ gửi từ")
    expect(page.locator("[data-freshness]")).to_contain_text("3 cơ sở")
    # Signing out with items waiting asks first (dismissed here).
    page.once("dialog", lambda dialog: (setattr(page, "_kc_dialog", dialog.message), dialog.dismiss()))
    page.evaluate("document.querySelector('form[action=\"/logout/\"]').requestSubmit()")
    page.wait_for_timeout(300)
    assert "chưa được gửi" in page._kc_dialog
    screenshot(page, "offline-01-outbox-without-signal")
    assert FieldRecord.objects.count() == 0

    context.set_offline(False)
    expect(page.locator("[data-outbox-count]")).to_have_text("0", timeout=15000)
    expect(page.locator("[data-sent-item]")).to_have_count(3)
    screenshot(page, "offline-02-synchronised")
    records = list(FieldRecord.objects.order_by("id"))
    assert [r.proposed_changes["representative"] for r in records] == ["Lò Thị Mai", "Giàng A Tủa", "Vàng Thị Dua"]
    assert bool(records[0].photo) and not records[1].photo and SyncReceipt.objects.count() == 3
    # Sending again changes nothing; the centre accepts the three surveys.
    page.locator("[data-sync-now]").click()
    expect(page.locator("[data-sync-status]")).to_contain_text("Không có gì")
    staff = centre_staff()
    for record in records:
        services.field_record_review(actor=staff, record=record, accept=True, version=record.version)
    assert FieldRecord.objects.filter(status=RecordStatus.ACCEPTED).count() == 3
    assert Establishment.objects.get(pk=establishments[1].pk).representative == "Giàng A Tủa"
    context.close()
    assert violations == [], "the page broke the Content-Security-Policy"


OLD_SAFARI = """
delete window.SyncManager; delete window.BroadcastChannel;
if (window.crypto) Object.defineProperty(window.crypto, "randomUUID", {value: undefined});
delete Element.prototype.replaceChildren; delete DocumentFragment.prototype.replaceChildren;
if (navigator.storage) Object.defineProperty(navigator.storage, "persist", {value: undefined});
"""


def centre_staff():
    centre_of(12)
    return make_user(Role.CENTRE_STAFF, 12, username="ttkc.offline")


def test_dropped_answer_is_not_duplicated_and_a_stale_copy_becomes_a_change_request(
        live_server, browser, screenshot, admin_units):
    _collaborator_row, user, establishments = _collaborator()
    context, page, violations = _phone(browser, service_workers="block")
    # As on an older iPhone's Safari: none of these exist, and the app still captures, sends and retries.
    context.add_init_script(OLD_SAFARI)
    login(page, live_server, user.username, PASSWORD)
    page.goto(f"{live_server.url}/network/field/app/")
    expect(page.locator("[data-freshness]")).to_contain_text("3 cơ sở")

    # The server records the item, then the answer is lost on the way back.
    def drop_answer(route):
        route.fetch()
        route.abort()

    page.route("**/api/v1/field-app/sync", drop_answer)
    _capture_survey(page, establishments[0], "Lò Thị Mai")
    expect(page.locator("[data-sync-status]")).to_contain_text("Mất sóng")
    expect(page.locator("[data-outbox-count]")).to_have_text("1")
    assert FieldRecord.objects.count() == 1
    page.unroute("**/api/v1/field-app/sync")
    page.locator("[data-sync-now]").click()
    expect(page.locator("[data-outbox-count]")).to_have_text("0")
    assert FieldRecord.objects.count() == 1 and SyncReceipt.objects.count() == 1

    # The centre changes an establishment after the phone copied it: the survey becomes a flagged change request.
    target = establishments[1]
    Establishment.objects.filter(pk=target.pk).update(representative="Trung tâm sửa", version=F("version") + 1)
    _capture_survey(page, target, "Giàng A Tủa")
    expect(page.locator("[data-sent-item]").first).to_contain_text("Đã có thay đổi trên hệ thống")
    screenshot(page, "offline-03-conflict-becomes-change-request")
    record = FieldRecord.objects.get(establishment=target)
    assert record.base_version == target.version and record.status == RecordStatus.SUBMITTED
    assert Establishment.objects.get(pk=target.pk).representative == "Trung tâm sửa"

    # A refused item stays on the phone with the server's reason, is corrected there and sent again.
    page.locator("[data-new=need]").click()
    page.locator("#f-establishment").select_option(str(establishments[2].pk))
    page.get_by_role("button", name="Lưu trên điện thoại").click()
    expect(page.locator("[data-refusal]")).to_contain_text("Chọn nội dung khuyến công")
    screenshot(page, "offline-04-refused-item-kept")
    page.locator("[data-outbox-item]").get_by_role("button", name="Sửa").click()
    page.locator("#f-content").select_option("machinery")
    page.locator("#f-cost").fill("50.000.000")
    page.get_by_role("button", name="Lưu trên điện thoại").click()
    expect(page.locator("[data-outbox-count]")).to_have_text("0")
    assert FieldRecord.objects.get(kind="need").expected_cost_vnd == 50_000_000
    # An item captured without signal can be discarded before it goes.
    context.set_offline(True)
    _capture_survey(page, establishments[2], "Bỏ đi")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-outbox-item]").get_by_role("button", name="Bỏ").click()
    expect(page.locator("[data-outbox-count]")).to_have_text("0")
    assert FieldRecord.objects.count() == 3
    context.close()
    assert violations == [], "the page broke the Content-Security-Policy"
