"""The audit trail: one event per write, with old and new values stored as plain JSON."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from khuyencong.accounts.models import Organisation, OrganisationKind
from khuyencong.accounts.tests.factories import OrganisationFactory, UserFactory, province
from khuyencong.core.audit import _plain, audit_events_for, audit_record, field_changes
from khuyencong.core.models import AuditEvent
from khuyencong.geo.models import AdminUnit

pytestmark = pytest.mark.django_db


def test_audit_record_stores_actor_object_and_changes():
    actor = UserFactory()
    org = OrganisationFactory(name="Trung tâm Khuyến công tỉnh Lai Châu", province=province(12))

    event = audit_record(actor=actor, action="organisation.update", obj=org, changes={"phone": ["", "0213 3876 543"]})

    event.refresh_from_db()
    assert event.actor == actor
    assert event.action == "organisation.update"
    assert event.content_type == ContentType.objects.get_for_model(Organisation)
    assert event.object_id == str(org.pk)
    assert event.object_repr == "Trung tâm Khuyến công tỉnh Lai Châu"
    assert event.obj == org
    assert event.changes == {"phone": ["", "0213 3876 543"]}
    assert event.at is not None


def test_audit_record_serialises_dates_models_and_decimals_as_strings():
    actor = UserFactory()
    lai_chau = province(12)
    org = OrganisationFactory(province=lai_chau)

    event = audit_record(
        actor=actor, action="test.values", obj=org,
        changes={
            "province": [None, lai_chau],
            "signed_on": [datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)],
            "at": datetime.datetime(2025, 7, 1, 8, 30, tzinfo=datetime.UTC),
            "rate": Decimal("12.50"),
            "communes": {lai_chau},
        },
    )

    event.refresh_from_db()  # what the database gave back, not the Python objects passed in
    assert event.changes == {
        "province": [None, "Tỉnh Lai Châu"],
        "signed_on": ["2025-06-30", "2025-07-01"],
        "at": "2025-07-01T08:30:00+00:00",
        "rate": "12.50",
        "communes": ["Tỉnh Lai Châu"],
    }


def test_audit_record_without_a_saved_actor_or_object():
    event = audit_record(actor=AnonymousUser(), action="system.start")
    event.refresh_from_db()
    assert event.actor is None
    assert event.content_type is None
    assert event.object_id == ""
    assert event.object_repr == ""
    assert event.changes == {}


def test_audit_record_truncates_long_object_names():
    org = OrganisationFactory(name="Đ" * 250)
    org.name = "Đ" * 400  # unsaved longer name: the repr column holds 300 characters
    event = audit_record(actor=None, action="test.long", obj=org)
    assert event.object_repr == "Đ" * 300


def test_audit_record_keeps_the_event_when_the_actor_is_deleted():
    actor = UserFactory()
    org = OrganisationFactory()
    event = audit_record(actor=actor, action="organisation.update", obj=org)
    actor.delete()
    event.refresh_from_db()
    assert event.actor is None
    assert event.action == "organisation.update"


def test_audit_events_for_lists_only_this_objects_events_newest_first(django_assert_num_queries):
    alice, bob = UserFactory(full_name="Lò Thị Hoa"), UserFactory(full_name="Tẩn Văn Minh")
    org = OrganisationFactory()
    other = OrganisationFactory()
    first = audit_record(actor=alice, action="organisation.create", obj=org)
    audit_record(actor=bob, action="organisation.create", obj=other)
    second = audit_record(actor=bob, action="organisation.update", obj=org)
    # An event of another model with the same primary key is not this object's history.
    AuditEvent.objects.create(
        actor=alice, action="unit.touch", content_type=ContentType.objects.get_for_model(AdminUnit),
        object_id=str(org.pk),
    )

    with django_assert_num_queries(1):  # the content type is cached; the actor comes in the same query
        events = list(audit_events_for(org))
        names = [str(e.actor) for e in events]

    assert [e.pk for e in events] == [second.pk, first.pk]
    assert names == ["Tẩn Văn Minh", "Lò Thị Hoa"]


def test_audit_events_for_an_object_without_history_is_empty():
    assert list(audit_events_for(OrganisationFactory())) == []


def test_field_changes_lists_only_fields_that_differ():
    org = OrganisationFactory(name="Sở Công Thương tỉnh Lai Châu", kind=OrganisationKind.DOIT, phone="")
    changes = field_changes(org, {"name": "Sở Công Thương tỉnh Lai Châu", "phone": "0213 3876 543",
                                  "kind": OrganisationKind.DOIT})
    assert changes == {"phone": ["", "0213 3876 543"]}


def test_field_changes_serialises_models_and_dates():
    lai_chau, tay_ninh = province(12), province(80)
    org = OrganisationFactory(province=lai_chau)
    assert field_changes(org, {"province": tay_ninh}) == {"province": ["Tỉnh Lai Châu", "Tỉnh Tây Ninh"]}
    assert field_changes(org, {"province": lai_chau}) == {}
    assert field_changes(org, {"province": None}) == {"province": ["Tỉnh Lai Châu", None]}

    unit = AdminUnit(scheme="legacy", level="province", code=12, valid_from=datetime.date(2004, 1, 1))
    changes = field_changes(unit, {"valid_from": datetime.date(2004, 1, 1), "valid_to": datetime.date(2025, 6, 30)})
    assert changes == {"valid_to": [None, "2025-06-30"]}
    json.dumps(changes)  # storable as JSON as it is


def test_field_changes_result_round_trips_through_an_event():
    org = OrganisationFactory(province=province(12))
    changes = field_changes(org, {"province": province(80), "name": "Tên mới"})
    event = audit_record(actor=None, action="organisation.update", obj=org, changes=changes)
    assert AuditEvent.objects.get(pk=event.pk).changes == changes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 1, 31), "2026-01-31"),
        (Decimal("1.50"), "1.50"),
        ([datetime.date(2026, 1, 31), 1], ["2026-01-31", 1]),
        ((1, "a"), [1, "a"]),
        ("văn bản", "văn bản"),
        (None, None),
        (True, True),
        (12, 12),
    ],
)
def test_plain(value, expected):
    assert _plain(value) == expected
