"""The daily reminders: everyone who has something to do is told, in the portal and by
e-mail, once a day per kind; Celery beat runs them daily, and without Redis the web
process's sweep does."""

import copy
import datetime

import pytest
from celery.schedules import crontab
from django.core import mail
from django.utils import timezone

from portal.models import Notification
from responsibility import notifications, services
from responsibility.tasks import send_reminders
from tests import factories as f
from tests.responsibility.conftest import sign_kwargs

TODAY = datetime.date(2020, 7, 10)  # Q2 of 2020 has ended and is due by 15 July; earlier quarters are overdue


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def reminders(user) -> dict[str, Notification]:
    rows = Notification.objects.filter(recipient__user=user, kind__startswith="reminder.")
    return {n.kind.removeprefix("reminder."): n for n in rows}


@pytest.fixture
def year_in_progress(world, actors, issued):
    """Branch A: its letter waits for sec_a, no analyses. Branch B: its letter is signed by sec_b
    and waits for the leader's countersignature; its analyses are all in. The office: one task overdue."""
    letter_b = services.letter_create(actor=actors.office, branch=world.other_branch, year=2020)
    letter_b = services.letter_issue(actor=actors.office, letter=letter_b)
    services.letter_sign(actor=actors.other_sec, **sign_kwargs(letter_b))
    for year, quarter in ((2019, 3), (2019, 4), (2020, 1), (2020, 2)):
        f.TrendAnalysisFactory(committee=world.committee, branch=world.other_branch, year=year, quarter=quarter)
    f.MonthlyTaskFactory(committee=world.committee, month=datetime.date(2020, 5, 1), task="更新宣传栏")
    f.MonthlyTaskFactory(committee=world.committee, month=datetime.date(2020, 5, 1), task="已销号", done_on=TODAY)
    f.MonthlyTaskFactory(committee=world.committee, month=datetime.date(2020, 7, 1), task="本月任务")
    f.give_email(world.office, world.leader, world.branch_secretary, world.other_secretary)
    return issued, letter_b


def test_everyone_is_reminded_of_what_waits_for_them(world, year_in_progress, django_capture_on_commit_callbacks):
    letter_a, letter_b = year_in_progress
    with django_capture_on_commit_callbacks(execute=True):
        created = notifications.reminders_send(today=TODAY)
    sec_a = reminders(world.branch_secretary)
    assert set(sec_a) == {"letters_to_sign", "analyses_due"}
    assert sec_a["letters_to_sign"].message == f"《{letter_a.title}》待您签字"
    assert sec_a["letters_to_sign"].link == f"/responsibility/letter/{letter_a.pk}/"
    due = sec_a["analyses_due"].message.splitlines()
    assert due == [
        "2019年第3季度思想动态分析尚未报送，已超过报送期限（2019年10月15日）",
        "2019年第4季度思想动态分析尚未报送，已超过报送期限（2020年1月15日）",
        "2020年第1季度思想动态分析尚未报送，已超过报送期限（2020年4月15日）",
        "2020年第2季度思想动态分析尚未报送，请于2020年7月15日前报送",
    ]
    assert reminders(world.other_secretary) == {}  # signed and up to date
    leader = reminders(world.leader)
    assert set(leader) == {"letters_to_countersign"}
    assert leader["letters_to_countersign"].message == f"《{letter_b.title}》待您会签"
    office = reminders(world.office)
    assert set(office) == {"overdue_tasks", "analyses_missing"}
    assert office["overdue_tasks"].message == "2020年5月 党委：更新宣传栏（逾期未销号）"
    assert office["overdue_tasks"].link == "/responsibility/task/month/?month=2020-05"
    # Missing means past the deadline, as on the matrix page: 2020 Q2 is still due, not missing.
    assert office["analyses_missing"].message.splitlines() == [
        "第一党支部 2019年第3季度思想动态分析逾期未报送",
        "第一党支部 2019年第4季度思想动态分析逾期未报送",
        "第一党支部 2020年第1季度思想动态分析逾期未报送",
    ]
    assert office["analyses_missing"].link == "/responsibility/analysis/matrix/?year=2019"
    assert created == 5 + 1  # and the other committee's office, of its own branch
    # Each reminder is also an e-mail to its person.
    mailed = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert [to for to, _subject in mailed] == [
        "leader@example.invalid", "office@example.invalid", "office@example.invalid",
        "sec_a@example.invalid", "sec_a@example.invalid",
    ]


def test_a_second_run_the_same_day_adds_nothing_and_the_next_day_reminds_again(
    world, year_in_progress, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.reminders_send(today=TODAY) == 6
        assert notifications.reminders_send(today=TODAY) == 0
    assert len(mail.outbox) == 5  # the other committee's office has no address
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.reminders_send(today=TODAY + datetime.timedelta(days=1)) == 6
    assert len(mail.outbox) == 10


def test_only_the_years_signers_are_reminded_of_letters(world, actors, signers):
    # A 2021 letter, and 2021 has no 责任分工: nobody is reminded to sign it.
    letter = services.letter_create(actor=actors.office, branch=world.branch, year=2021)
    services.letter_issue(actor=actors.office, letter=letter)
    notifications.reminders_send(today=TODAY)
    assert "letters_to_sign" not in reminders(world.branch_secretary)
    assert all("letters" not in kind for user in (world.leader, world.office) for kind in reminders(user))


def test_reminders_stay_in_their_committee(world, year_in_progress):
    notifications.reminders_send(today=TODAY)
    # The other committee's office hears of its own branch, never of this committee's.
    outsider = reminders(world.outsider)
    assert set(outsider) == {"analyses_missing"}
    assert "乙局第一党支部" in outsider["analyses_missing"].message
    assert "第一党支部 " not in outsider["analyses_missing"].message.replace("乙局第一党支部", "")
    assert {n.committee for n in Notification.objects.filter(recipient__user=world.outsider)} == {world.other_committee}


def test_nothing_to_do_no_reminder(world, signers):
    for branch in (world.branch, world.other_branch):
        for year, quarter in ((2019, 3), (2019, 4), (2020, 1), (2020, 2)):
            f.TrendAnalysisFactory(committee=world.committee, branch=branch, year=year, quarter=quarter)
    notifications.reminders_send(today=TODAY)
    assert not Notification.objects.filter(committee=world.committee).exists()


# -- the schedule ------------------------------------------------------------------------


def test_beat_runs_the_reminders_once_a_day_at_the_reminder_hour(settings):
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["daily-reminders"]
    assert entry["task"] == "responsibility.tasks.send_reminders" and entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.hour == {settings.PORTAL_REMINDER_HOUR} == {8} and schedule.minute == {0}
    assert schedule.day_of_week == set(range(7)) and schedule.day_of_month == set(range(1, 32))
    # Run at 08:00, it is due again at 08:00 the next day, not before.
    last = timezone.make_aware(datetime.datetime(2020, 7, 10, 8, 0))
    for now, expected in ((last + datetime.timedelta(minutes=1), False), (last + datetime.timedelta(hours=23), False),
                          (last + datetime.timedelta(days=1), True)):
        clocked = copy.copy(schedule)
        clocked.nowfun = lambda now=now: now
        assert clocked.is_due(last).is_due is expected, now
    clocked.nowfun = lambda: last + datetime.timedelta(minutes=1)
    assert last + datetime.timedelta(minutes=1) + clocked.remaining_estimate(last) == last + datetime.timedelta(days=1)


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_twice_in_a_day_gives_one_notification_each(world, settings):
    settings.PORTAL_REMINDER_HOUR = 0  # whenever this test runs
    f.give_email(world.office, world.branch_secretary, world.other_secretary, world.outsider)
    f.MonthlyTaskFactory(committee=world.committee, month=datetime.date(2000, 1, 1), task="旧任务")
    # Each secretary: analyses due; the office: the overdue task and missing analyses;
    # the other committee's office: its branch's missing analyses.
    assert send_reminders.delay().get() == 5
    assert send_reminders.delay().get() == 0
    counted = list(Notification.objects.values_list("recipient", "kind"))
    assert len(counted) == len(set(counted)) == 5
    assert len(mail.outbox) == 5  # jobs ran at each commit: one mail per notification


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_waits_for_the_reminder_hour(world, settings):
    f.MonthlyTaskFactory(committee=world.committee, month=datetime.date(2000, 1, 1), task="旧任务")
    settings.PORTAL_REMINDER_HOUR = timezone.localtime().hour + 1
    if settings.PORTAL_REMINDER_HOUR > 23:
        pytest.skip("no later hour today")
    assert send_reminders.delay().get() == 0 and not Notification.objects.exists()


def test_without_redis_the_web_process_sweeps_the_reminders_hourly(settings):
    assert settings.PORTAL_JOBS_SWEEPS["responsibility.tasks.send_reminders"] <= 3600
    assert "portal.tasks.send_stale_notification_emails" in settings.PORTAL_JOBS_SWEEPS


@pytest.mark.django_db(transaction=True)
def test_the_embedded_sweep_sends_the_days_reminders(world, settings):
    """No Redis, no beat: the web process's sweeps (portal.jobs) send them, once."""
    from portal import jobs
    from tests.security.processes import wait_until

    f.MonthlyTaskFactory(committee=world.committee, month=datetime.date(2000, 1, 1), task="旧任务")
    settings.PORTAL_REMINDER_HOUR = 0
    settings.PORTAL_JOBS_INLINE = False
    settings.PORTAL_JOBS_SWEEPS = {"responsibility.tasks.send_reminders": 3600}
    jobs.start_sweeps()
    try:
        office = lambda: Notification.objects.filter(recipient__user=world.office, kind="reminder.overdue_tasks")  # noqa: E731
        wait_until(lambda: office().exists(), 60, interval=0.2, what="the swept reminders")
    finally:
        jobs.stop_sweeps()
        assert jobs.wait_idle(30)
    assert office().count() == 1 and "旧任务" in office().get().message
