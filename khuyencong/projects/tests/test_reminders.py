"""The daily reminder digest, sent through Django's locmem outbox: who gets what, nothing when nothing is due, and
each user's area only."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext as tr

from khuyencong.core.models import AuditEvent
from khuyencong.projects.reminders import digest_for, send_all, send_reminders_task

from .factories import make_plan, make_project

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 6, 10)


def _outbox() -> dict[str, str]:
    """recipient → subject + body."""
    return {message.to[0]: f"{message.subject}\n{message.body}" for message in mail.outbox}


@pytest.fixture
def due(users, national_plan):
    """A running Lai Châu project whose report is due in 3 days and whose acceptance is late; an accepted one whose
    settlement dossier is late; a suspended one waiting for the ministry; one with a pending adjustment; and a
    running Tây Ninh project whose report is late."""
    from khuyencong.projects.models import AdjustmentRequest

    running = make_project(12, plan=national_plan, title="Đề án máy sấy chè", status="in_progress",
                           report_due_date=TODAY + datetime.timedelta(days=3),
                           due_date=TODAY - datetime.timedelta(days=2), due_label="Nghiệm thu đề án")
    accepted = make_project(12, plan=national_plan, title="Đề án mô hình trình diễn", status="accepted",
                            due_date=TODAY - datetime.timedelta(days=1), due_label="Nộp hồ sơ quyết toán")
    far = make_project(12, plan=national_plan, title="Đề án còn xa hạn", status="in_progress",
                       report_due_date=TODAY + datetime.timedelta(days=20),
                       due_date=TODAY + datetime.timedelta(days=60))
    AdjustmentRequest.objects.create(project=far, kind="schedule", summary="Lùi thời gian thực hiện",
                                     reason="Mưa lũ", requested_on=TODAY - datetime.timedelta(days=5),
                                     decision_kind="change_timing", authority="ministry_agency",
                                     authority_label="Cục Công Thương địa phương")
    other = make_project(80, plan=national_plan, title="Đề án Tây Ninh trễ báo cáo", status="in_progress",
                         report_due_date=TODAY - datetime.timedelta(days=4))
    return {"running": running, "accepted": accepted, "far": far, "other": other}


def test_each_user_gets_their_own_digest(users, due):
    result = send_all(TODAY)
    box = _outbox()
    centre, doit, finance = box["ttkc@example.vn"], box["sct@example.vn"], box["ketoan@example.vn"]
    with translation.override("vi"):
        assert tr("Monthly progress reports").upper() in centre and "13/06/2027" in centre
        assert due["running"].code in centre and due["far"].code not in centre  # its report is 20 days away
        assert "Đề án Tây Ninh" not in centre
        # the DoIT accepts: the running project's acceptance is 2 days late
        assert tr("Acceptance (nghiệm thu)").upper() in doit and "08/06/2027" in doit
        assert due["accepted"].code not in doit
        # the finance officer submits the settlement dossier
        assert due["accepted"].code in finance and "Nộp hồ sơ quyết toán" in finance
    ministry = box["cuc@example.vn"]
    assert "Lùi thời gian thực hiện" in ministry and due["far"].code in ministry
    assert due["running"].code not in ministry  # accepting is the DoIT's step, not the ministry's
    assert "Đề án Tây Ninh trễ báo cáo" in box["ttkc.tn@example.vn"]
    assert due["running"].code not in box["ttkc.tn@example.vn"]
    assert "xem@example.vn" not in box  # a viewer takes no step
    assert f"/projects/{due['running'].pk}/" in doit and "/projects/board/" in doit
    assert due["running"].code in box["ldsct@example.vn"]  # the DoIT's leadership may accept too
    assert result["emails"] == len(mail.outbox) == 6
    assert all("Khuyến công" in m.subject or "KC" in m.subject for m in mail.outbox)
    assert AuditEvent.objects.filter(action="projects.reminders_sent", changes__emails=6).exists()


def test_subject_counts_late_items(users, due):
    send_all(TODAY)
    subject = next(m.subject for m in mail.outbox if m.to == ["ttkc.tn@example.vn"])
    with translation.override("vi"):
        assert subject.endswith(tr("(%(late)s late)") % {"late": 1})
        assert "10/06/2027" in subject


def test_nothing_due_sends_nothing(users, national_plan):
    make_project(12, plan=national_plan, title="Đề án chưa có hạn", status="in_progress")
    make_project(12, plan=national_plan, title="Đề án xa hạn", status="contracted",
                 due_date=TODAY + datetime.timedelta(days=30))
    make_project(12, plan=national_plan, title="Đề án đã quyết toán", status="settled",
                 due_date=TODAY - datetime.timedelta(days=30))
    assert send_all(TODAY) == {"emails": 0, "items": 0}
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="projects.reminders_sent").exists()


def test_no_address_no_mail_and_local_adjustments_go_to_the_doit_lead(users, local_plan):
    from khuyencong.projects.models import AdjustmentRequest

    project = make_project(12, plan=local_plan, title="Đề án địa phương", status="contracted")
    AdjustmentRequest.objects.create(project=project, kind="budget", summary="Điều chỉnh kinh phí", reason="Giá tăng",
                                     requested_on=TODAY, decision_kind="change_budget", authority="provincial_pc",
                                     authority_label="UBND tỉnh")
    users["doit"].email = ""
    users["doit"].save()
    assert [item.kind for item in digest_for(users["manager"], TODAY)] == ["adjustment"]
    assert digest_for(users["ministry"], TODAY) == []
    send_all(TODAY)
    assert list(_outbox()) == ["ldsct@example.vn"]


def test_command_and_task(users, due, capsys):
    call_command("send_reminders", "--date", TODAY.isoformat())
    assert "6 e-mails" in capsys.readouterr().out and len(mail.outbox) == 6
    mail.outbox.clear()
    result = send_reminders_task.enqueue(TODAY.isoformat())  # the test settings run tasks at once
    assert result.return_value["emails"] == 6 and len(mail.outbox) == 6
    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "10/06/2027")


def test_plan_fixture_unused_guard(rules):
    # The digest reads deadlines only from projects: a plan alone is nothing to do.
    make_plan(year=2027, fund="local", province_code=12)
    assert send_all(TODAY)["emails"] == 0
