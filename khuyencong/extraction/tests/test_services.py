"""Submit, accept (creates or merges an event with places and lessons), reject: permissions, versions, audit."""

import datetime

import pytest

from khuyencong.core.audit import AuditEvent
from khuyencong.core.errors import Conflict, InvalidInput, PermissionDenied
from khuyencong.events.models import Event, Lesson
from khuyencong.extraction import services
from khuyencong.extraction.models import ExtractionStatus

from .conftest import BINH_DUONG, LAI_CHAU_ARTICLE, seed

pytestmark = pytest.mark.django_db
D = datetime.date


def test_submit_keeps_a_pending_record_in_the_organisers_province(admin_units, lc_staff):
    extraction = services.extraction_submit(actor=lc_staff, text=seed(LAI_CHAU_ARTICLE), source_title="Báo Lai Châu",
                                            source_url="https://example.org/bai-viet")
    assert extraction.status == ExtractionStatus.PENDING
    assert extraction.province.code == 12
    assert extraction.published_on == D(2016, 11, 29)
    assert extraction.record["organiser"]["value"]["province_code_now"] == 12
    assert AuditEvent.objects.filter(action="extraction.submit").count() == 1
    assert not Event.objects.exists()  # never written without review


def test_submit_refuses_empty_text_bad_links_and_non_staff(admin_units, lc_staff, lc_viewer):
    with pytest.raises(InvalidInput):
        services.extraction_submit(actor=lc_staff, text="   ")
    with pytest.raises(InvalidInput):
        services.extraction_submit(actor=lc_staff, text="Bài", source_url="javascript:alert(1)")
    with pytest.raises(PermissionDenied):
        services.extraction_submit(actor=lc_viewer, text=seed(LAI_CHAU_ARTICLE))


def test_accept_creates_the_event_with_places_and_lessons(admin_units, lc_staff):
    extraction = services.extraction_submit(actor=lc_staff, text=seed(LAI_CHAU_ARTICLE))
    services.extraction_accept(actor=lc_staff, extraction=extraction, version=extraction.version)
    extraction.refresh_from_db()
    event = extraction.event
    assert extraction.status == ExtractionStatus.ACCEPTED and not extraction.merged
    assert (event.kind, event.start_date, event.end_date) == ("study_tour_domestic", D(2016, 11, 28), D(2016, 12, 6))
    assert event.organiser.province.code == 12 and event.content.code == "kc_capacity"
    assert sorted(event.places.values_list("unit__code", flat=True)) == [15, 22, 31]
    assert set(event.places.values_list("unit__scheme", flat=True)) == {"legacy"}
    lessons = Lesson.objects.filter(event=event)
    assert lessons.count() == 3
    assert {lesson.province.code for lesson in lessons} == {15, 22, 31}  # today's provinces (Yên Bái → Lào Cai 15)
    assert AuditEvent.objects.filter(action="extraction.accept").count() == 1


def test_accept_of_a_merged_centre_names_it_as_it_was(admin_units, hcm_staff):
    extraction = services.extraction_submit(actor=hcm_staff, text=seed(BINH_DUONG))
    assert extraction.province.code == 79  # Bình Dương is today part of TP Hồ Chí Minh
    services.extraction_accept(actor=hcm_staff, extraction=extraction, version=extraction.version)
    event = Event.objects.get()
    assert event.organiser_unit_then.code == 74 and event.organiser_unit_then.scheme == "legacy"
    assert event.organiser_name_then == "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Bình Dương"
    assert event.audience == "officials"
    assert sorted(event.places.values_list("unit__code", flat=True)) == [80, 93]


def test_a_second_article_on_the_same_event_merges(admin_units, lc_staff):
    first = services.extraction_submit(actor=lc_staff, text=seed(LAI_CHAU_ARTICLE))
    services.extraction_accept(actor=lc_staff, extraction=first, version=first.version)
    second = services.extraction_submit(actor=lc_staff, text=seed(LAI_CHAU_ARTICLE))
    services.extraction_accept(actor=lc_staff, extraction=second, version=second.version)
    second.refresh_from_db()
    assert second.merged and second.event_id == first.event_id
    assert Event.objects.count() == 1 and Lesson.objects.count() == 3


def test_review_is_version_checked_and_once(admin_units, lc_staff):
    extraction = services.extraction_submit(actor=lc_staff, text=seed(LAI_CHAU_ARTICLE))
    with pytest.raises(Conflict):
        services.extraction_accept(actor=lc_staff, extraction=extraction, version=extraction.version + 5)
    assert not Event.objects.exists()  # nothing half done
    services.extraction_reject(actor=lc_staff, extraction=extraction, version=extraction.version, reason="Trùng")
    with pytest.raises(InvalidInput):
        services.extraction_accept(actor=lc_staff, extraction=extraction, version=extraction.version)
    extraction.refresh_from_db()
    assert extraction.status == ExtractionStatus.REJECTED and extraction.reason == "Trùng"


def test_reject_needs_a_reason(admin_units, lc_staff):
    extraction = services.extraction_submit(actor=lc_staff, text=seed(LAI_CHAU_ARTICLE))
    with pytest.raises(InvalidInput):
        services.extraction_reject(actor=lc_staff, extraction=extraction, version=extraction.version, reason=" ")


def test_another_province_cannot_review(admin_units, lc_staff, tn_staff):
    extraction = services.extraction_submit(actor=lc_staff, text=seed(LAI_CHAU_ARTICLE))
    with pytest.raises(PermissionDenied):
        services.extraction_accept(actor=tn_staff, extraction=extraction, version=extraction.version)


def test_reviewer_corrections_win(admin_units, lc_staff):
    extraction = services.extraction_submit(actor=lc_staff, text=seed(LAI_CHAU_ARTICLE))
    services.extraction_accept(actor=lc_staff, extraction=extraction, version=extraction.version,
                               data={"title": "Đoàn Lai Châu đi Hải Phòng", "end_date": D(2016, 12, 5),
                                     "lessons": False})
    event = Event.objects.get()
    assert event.title == "Đoàn Lai Châu đi Hải Phòng" and event.end_date == D(2016, 12, 5)
    assert not Lesson.objects.exists()
