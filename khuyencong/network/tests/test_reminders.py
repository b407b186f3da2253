"""Task reminders: who gets an e-mail, about which tasks, and nothing when nothing is due."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from khuyencong.accounts.tests.factories import make_user

from ..models import CollaboratorStatus
from ..reminders import send_all, send_task_reminders_task
from .factories import make_collaborator, make_task

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


def test_each_collaborator_gets_one_email_with_the_tasks_due_soon_or_late():
    mai = make_collaborator(12, name="Lò Thị Mai")
    mai.email = "mai@example.vn"
    mai.save(update_fields=["email"])
    make_task(mai, title="Khảo sát cơ sở dệt", due_date=TODAY - datetime.timedelta(days=2))
    make_task(mai, title="Họp dân xã", due_date=TODAY + datetime.timedelta(days=3))
    make_task(mai, title="Việc còn xa", due_date=TODAY + datetime.timedelta(days=10))
    make_task(mai, title="Đã xong", due_date=TODAY, status="done")
    via_account = make_collaborator(80, user=make_user(role="collaborator", province_code=80, email="tam@example.vn"))
    make_task(via_account, title="Cập nhật phiếu", due_date=TODAY)
    no_address = make_collaborator(12)
    make_task(no_address, title="Không gửi được", due_date=TODAY)
    ended = make_collaborator(12, status=CollaboratorStatus.SUSPENDED)
    ended.email = "nghi@example.vn"
    ended.save(update_fields=["email"])
    make_task(ended, title="Không nhắc người đã tạm dừng", due_date=TODAY)

    # Tâm signs in: the tasks are in the work inbox and its daily e-mail (web.inbox), not in this one too.
    assert send_all(TODAY) == {"emails": 1, "items": 2}
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"mai@example.vn"}
    mai_mail = by_address["mai@example.vn"]
    assert mai_mail.subject == "[KC] 2 việc đến hạn (1 việc quá hạn)"
    assert "Khảo sát cơ sở dệt — QUÁ HẠN 18/11/2026" in mai_mail.body
    assert "Họp dân xã — đến hạn 23/11/2026" in mai_mail.body
    assert "Việc còn xa" not in mai_mail.body and "Đã xong" not in mai_mail.body


def test_nothing_due_sends_nothing_and_the_command_runs_every_digest(capsys):
    make_task(make_collaborator(12), title="Việc còn xa", due_date=TODAY + datetime.timedelta(days=30))
    assert send_all(TODAY) == {"emails": 0, "items": 0} and mail.outbox == []
    call_command("send_reminders", "--date", TODAY.isoformat())
    assert "0 e-mails, 0 items" in capsys.readouterr().out
    assert send_task_reminders_task.enqueue(TODAY.isoformat()).return_value == {"emails": 0, "items": 0}
