"""The daily reminder task: who is mailed, about what, and never twice a day."""

import datetime

from django.core import mail

from responsibility import services
from responsibility.models import ReminderLog
from responsibility.tasks import send_reminders
from tests import factories as f


def test_reminders_mail_letters_and_missing_analyses_once_per_day(world, actors, issued, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.branch_secretary.email = "sec_a@example.invalid"
    world.branch_secretary.save()
    world.other_secretary.person.email = "sec_b@person.invalid"
    world.other_secretary.person.save()
    today = datetime.date(2020, 7, 20)  # Q2 of 2020 and Q3–Q4 of 2019 are past their quarter
    for quarter in (3, 4):
        f.TrendAnalysisFactory(committee=world.committee, branch=world.other_branch, year=2019, quarter=quarter)
    f.TrendAnalysisFactory(committee=world.committee, branch=world.other_branch, year=2020, quarter=1)
    f.TrendAnalysisFactory(committee=world.committee, branch=world.other_branch, year=2020, quarter=2)
    assert services.reminders_send(today=today) == 2
    # sec_a: one mail about the letter, one about the missing analyses; sec_b is up to date.
    assert [m.to for m in mail.outbox] == [["sec_a@example.invalid"]] * 2
    bodies = "".join(m.body for m in mail.outbox)
    assert issued.title in bodies
    assert "2020年第2季度思想动态分析尚未报送" in bodies and "2019年第3季度" in bodies
    assert services.reminders_send(today=today) == 0
    assert len(mail.outbox) == 2 and ReminderLog.objects.count() == 2
    # The next day reminds again, and once sec_b's analysis for Q3 is due and missing, them too.
    assert services.reminders_send(today=datetime.date(2020, 10, 2)) == 3
    assert ["sec_b@person.invalid"] in [m.to for m in mail.outbox]


def test_beat_task_runs_and_is_idempotent(world, issued, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.branch_secretary.email = "sec_a@example.invalid"
    world.branch_secretary.save()
    first = send_reminders.delay().get()
    assert first >= 1 and len(mail.outbox) == first
    assert send_reminders.delay().get() == 0 and len(mail.outbox) == first


def test_no_address_no_mail(world, issued, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.reminders_send(today=datetime.date(2020, 7, 20)) == 0
    assert mail.outbox == []
