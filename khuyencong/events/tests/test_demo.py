"""The demo seeder runs through the services, records the two source stories and is idempotent."""

import io

import pytest
from django.core.management import call_command

from khuyencong.events.models import Event, Lesson, ModelPractice

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_source_stories_and_is_idempotent():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    lai_chau = Event.objects.get(title__startswith="Đoàn học tập kinh nghiệm hoạt động khuyến công tại Hải Phòng")
    assert [p.unit.name for p in lai_chau.places.order_by("order")] == [
        "Thành phố Hải Phòng", "Tỉnh Quảng Ninh", "Tỉnh Yên Bái"]
    assert all(p.unit.scheme == "legacy" for p in lai_chau.places.all())
    assert lai_chau.status == "reported" and lai_chau.mission_report.signed
    assert lai_chau.itinerary.count() == 5 and lai_chau.lessons.count() == 5
    binh_duong = Event.objects.get(organiser_name_then__contains="Bình Dương")
    assert binh_duong.province.code == 79 and binh_duong.organiser_unit_then.name == "Tỉnh Bình Dương"
    assert binh_duong.participants.filter(full_name="Phan Thị Khánh Duyên", role="head").exists()
    assert binh_duong.lessons.filter(topic="collaborator_network").count() == 2
    assert Event.objects.filter(kind="training").count() >= 4
    assert ModelPractice.objects.count() >= 4
    counts = (Event.objects.count(), Lesson.objects.count(), ModelPractice.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Event.objects.count(), Lesson.objects.count(), ModelPractice.objects.count()) == counts
    assert "Sự kiện (" not in text, text  # no step was refused by the services
