"""The admin site leaves the same audit trail as the services: one event per save, inline row and deletion, with the
changed fields' old and new values, JSON-safe, secrets never written."""

import datetime
import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.forms import MultiWidget
from django.test import RequestFactory

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, User
from khuyencong.accounts.tests.factories import PASSWORD, OrganisationFactory, make_user, province
from khuyencong.core.admin import AuditedModelAdmin
from khuyencong.core.models import AuditEvent
from khuyencong.network.models import Collaborator, Coverage, FeeSheet
from khuyencong.network.tests.factories import make_collaborator, make_fee_sheet
from khuyencong.rules.models import AuthorityRule

pytestmark = pytest.mark.django_db

# Admins registered by other libraries, not wrapped, and why their changes are audited all the same.
THIRD_PARTY = {
    "axes": "sign-in throttling records, written by django-axes itself; the sign-ins and failures they count are "
            "audited by accounts/signals.py",
    "otp_totp": "second-factor devices: adding, confirming and removing one is audited by accounts/signals.py "
                "(post_save/post_delete), whatever the path, the admin site included",
    "otp_static": "recovery codes: audited like the TOTP devices, by accounts/signals.py",
    "django_tasks_database": "the background queue's own bookkeeping (results of tasks), not a record of the "
                             "project; the writes the tasks make go through the audited services",
}


def test_every_admin_of_the_project_is_audited():
    project, unaudited = [], []
    for model, model_admin in admin.site._registry.items():
        ours = model.__module__.startswith("khuyencong.") or model is Group
        if not ours:
            assert model._meta.app_label in THIRD_PARTY, (
                f"{model._meta.label}: a third-party admin must be wrapped in AuditedModelAdmin or listed with the "
                f"reason its changes are audited"
            )
            continue
        project.append(model)
        if not isinstance(model_admin, AuditedModelAdmin):
            unaudited.append(model._meta.label)
    assert len(project) > 20  # the walk sees the project's admins
    assert User in project and Group in project and FeeSheet in project
    assert not unaudited, f"admins that do not derive from AuditedModelAdmin: {unaudited}"


# --- driving the admin's own views (the site's login and second-factor gate are not what is tested here)

def _request(user, method="get", data=None):
    request = getattr(RequestFactory(), method)("/admin/", data or {})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._dont_enforce_csrf_checks = True
    return request


def _post_value(bound_field):
    value = bound_field.value()
    widget = bound_field.field.widget
    if isinstance(widget, MultiWidget):
        parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
        return {f"{bound_field.html_name}_{i}": "" if part is None else str(part) for i, part in enumerate(parts)}
    if isinstance(value, bool):
        return {bound_field.html_name: "on"} if value else {}
    if value is None:
        return {bound_field.html_name: ""}
    if isinstance(value, (list, tuple)):
        return {bound_field.html_name: [str(v) for v in value]}
    return {bound_field.html_name: str(value)}


def _form_data(form) -> dict:
    data = {}
    for bound_field in form:
        if bound_field.field.disabled:
            continue
        data.update(_post_value(bound_field))
    return data


def change_form_data(model_admin, user, obj=None) -> dict:
    """What the admin's change (or add) page would post back unchanged: the form and every inline formset."""
    response = model_admin.changeform_view(_request(user), str(obj.pk) if obj else None)
    context = response.context_data
    data = _form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({formset.management_form.add_prefix(name): value
                     for name, value in formset.management_form.initial.items()})
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def admin_change(model, user, obj, **changes):
    model_admin = admin.site._registry[model]
    data = {**change_form_data(model_admin, user, obj), **changes}
    response = model_admin.changeform_view(_request(user, "post", data), str(obj.pk))
    assert response.status_code == 302, response.context_data["adminform"].form.errors
    return response


@pytest.fixture
def system_admin():
    return make_user(Role.SYSTEM_ADMIN, None, username="quantri")


def test_fee_sheet_moved_back_from_paid_to_draft_is_audited_with_old_and_new_values(system_admin):
    sheet = make_fee_sheet(12, status="paid")
    sheet.paid_on = datetime.date(2026, 4, 10)
    sheet.payment_reference = "UNC 15/2026"
    sheet.prepared_by = system_admin
    sheet.save()

    admin_change(FeeSheet, system_admin, sheet, status="draft", paid_on="", payment_reference="")

    sheet.refresh_from_db()
    assert sheet.status == "draft"
    event = AuditEvent.objects.get(action="admin.change")
    assert event.actor == system_admin
    assert event.obj == sheet
    assert event.changes == {"status": ["paid", "draft"], "paid_on": ["2026-04-10", None],
                             "payment_reference": ["UNC 15/2026", ""]}


def test_collaborator_province_changed_in_the_admin_is_audited(system_admin):
    collaborator = make_collaborator(12)
    lai_chau, tay_ninh = province(12), province(80)

    admin_change(Collaborator, system_admin, collaborator, province=str(tay_ninh.pk))

    event = AuditEvent.objects.get(action="admin.change")
    assert event.obj == collaborator
    assert event.changes == {"province": [str(lai_chau), str(tay_ninh)]}
    # Nothing else was touched: the unchanged coverage row leaves no event.
    assert AuditEvent.objects.filter(action__startswith="admin.").count() == 1


def test_an_inline_row_changed_in_the_admin_gets_its_own_event(system_admin):
    collaborator = make_collaborator(12, start=datetime.date(2025, 1, 1))
    coverage = Coverage.objects.get(collaborator=collaborator)
    model_admin = admin.site._registry[Collaborator]
    data = change_form_data(model_admin, system_admin, collaborator)
    field = next(name for name in data if name.endswith("-start_date"))
    data[field] = "01/02/2025"

    response = model_admin.changeform_view(_request(system_admin, "post", data), str(collaborator.pk))

    assert response.status_code == 302
    events = list(AuditEvent.objects.filter(action__startswith="admin."))
    assert [(e.action, e.obj, e.changes) for e in events] == [
        ("admin.change", coverage, {"start_date": ["2025-01-01", "2025-02-01"]}),
        ("admin.change", collaborator, {}),  # the collaborator's own form saved unchanged
    ]


def test_an_object_added_in_the_admin_is_audited_with_its_values(system_admin):
    model_admin = admin.site._registry[Organisation]
    data = {**_form_data(model_admin.get_form(_request(system_admin), None)()),
            "name": "Trung tâm Khuyến công tỉnh Lai Châu", "kind": OrganisationKind.KC_CENTRE,
            "province": str(province(12).pk)}

    response = model_admin.changeform_view(_request(system_admin, "post", data), None)

    assert response.status_code == 302, response.context_data["adminform"].form.errors
    organisation = Organisation.objects.get(name="Trung tâm Khuyến công tỉnh Lai Châu")
    event = AuditEvent.objects.get(action="admin.add")
    assert event.obj == organisation
    assert event.changes["name"] == [None, "Trung tâm Khuyến công tỉnh Lai Châu"]
    assert event.changes["province"] == [None, str(province(12))]


def test_a_user_added_in_the_admin_never_writes_the_password(system_admin):
    model_admin = admin.site._registry[User]
    secret = "Mật-khẩu-rất-dài-2026"
    data = {**change_form_data(model_admin, system_admin), "username": "canbo.moi", "password1": secret,
            "password2": secret, "usable_password": "true"}

    response = model_admin.changeform_view(_request(system_admin, "post", data), None)

    assert response.status_code == 302, response.context_data["adminform"].form.errors
    user = User.objects.get(username="canbo.moi")
    event = AuditEvent.objects.get(action="admin.add")
    assert event.obj == user
    stored = json.dumps(event.changes, ensure_ascii=False)
    assert secret not in stored and user.password not in stored


def test_deleting_in_the_admin_is_audited(system_admin):
    organisation = OrganisationFactory(name="Đơn vị sẽ xoá", province=province(12))
    model_admin = admin.site._registry[Organisation]

    response = model_admin.delete_view(_request(system_admin, "post", {"post": "yes"}), str(organisation.pk))

    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    event = AuditEvent.objects.get(action="admin.delete")
    assert (event.object_id, event.object_repr, event.actor) == (str(organisation.pk), "Đơn vị sẽ xoá", system_admin)


def test_the_bulk_delete_action_records_one_event_per_record(system_admin):
    kept = OrganisationFactory(name="Đơn vị giữ lại", province=province(12))
    gone = [OrganisationFactory(name=f"Đơn vị xoá {n}", province=province(12)) for n in range(3)]
    model_admin = admin.site._registry[Organisation]
    data = {"action": "delete_selected", "_selected_action": [str(o.pk) for o in gone], "post": "yes"}

    response = model_admin.changelist_view(_request(system_admin, "post", data))

    assert response.status_code == 302
    events = AuditEvent.objects.filter(action="admin.delete")
    assert sorted(events.values_list("object_repr", flat=True)) == [o.name for o in gone]
    assert Organisation.objects.filter(pk=kept.pk).exists()


def test_django_group_admin_is_audited_too(system_admin):
    group = Group.objects.create(name="Kiểm toán")

    admin_change(Group, system_admin, group, name="Kiểm toán nội bộ")

    event = AuditEvent.objects.get(action="admin.change")
    assert event.changes == {"name": ["Kiểm toán", "Kiểm toán nội bộ"]}
    assert PASSWORD  # the factories' password is what the other tests sign in with


def test_a_rule_edited_in_the_admin_is_audited_once_by_its_service_with_the_old_value(system_admin):
    call_command("load_rules", verbosity=0)
    rule = AuthorityRule.objects.get(key="authority:tt36-2013:change_timing:any")
    old_note = rule.note

    admin_change(AuthorityRule, system_admin, rule, note="Đã đối chiếu lại văn bản.")

    event = AuditEvent.objects.get(action__in=["rules.authorityrule.change", "admin.change"])
    assert event.action == "rules.authorityrule.change"
    assert event.changes == {"note": [old_note, "Đã đối chiếu lại văn bản."]}
