import datetime

from portal.models import Notification
from reports.assessment import notifications, services
from reports.assessment.tasks import send_reminders
from reports.assessment.models import AssessmentItem, Rectification

from .conftest import as_actor

TODAY = datetime.date(2021, 3, 1)


def finalised(tree, assessment):
    manual = AssessmentItem.objects.get(assessment=assessment, rubric_item__code="3.1")
    services.item_self_assess(actor=as_actor(tree.world.office), item=manual, self_score="4")
    services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment)
    services.assessment_finalise(actor=as_actor(tree.assessor), assessment=assessment)


def test_overdue_rectifications_are_reminded_to_both_sides_once_a_day(tree, assessment):
    finalised(tree, assessment)
    Rectification.objects.update(due_date=datetime.date(2099, 1, 1))
    assert notifications.reminders_send(today=TODAY) == 0
    Rectification.objects.filter(item__rubric_item__code="3.1").update(due_date=datetime.date(2021, 2, 1))
    assert notifications.reminders_send(today=TODAY) == 3  # the unit's office; the parent's office and assessor
    assert notifications.reminders_send(today=TODAY) == 0
    reminders = Notification.objects.filter(kind="assessment_rectification").select_related("recipient__user")
    told = {n.recipient.user.username: n.message for n in reminders}
    assert set(told) == {"office", "p_office", "assessor"}
    assert "3.1 阵地管理：已逾期" in told["office"] and "甲局党委" in told["assessor"]
    assert notifications.reminders_send(today=TODAY + datetime.timedelta(days=1)) == 3


def test_closed_rectifications_are_not_reminded(tree, assessment):
    finalised(tree, assessment)
    Rectification.objects.update(due_date=datetime.date(2021, 2, 1), state=Rectification.State.CLOSED)
    assert notifications.reminders_send(today=TODAY) == 0


def test_the_reminders_are_scheduled_daily_and_swept_without_redis(settings):
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["daily-rectification-reminders"]
    assert entry["task"] == send_reminders.name and entry["task"] in app.tasks
    assert entry["schedule"].hour == {settings.PORTAL_REMINDER_HOUR}
    assert settings.PORTAL_JOBS_SWEEPS["reports.assessment.tasks.send_reminders"] <= 3600


def test_each_step_tells_the_other_side(tree, assessment):
    manual = AssessmentItem.objects.get(assessment=assessment, rubric_item__code="3.1")
    services.item_self_assess(actor=as_actor(tree.world.office), item=manual, self_score="4")
    services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment)
    told = lambda: sorted(Notification.objects.values_list("recipient__user__username", flat=True))  # noqa: E731
    assert told() == ["assessor", "p_office"]
    services.assessment_return(actor=as_actor(tree.assessor), assessment=assessment, comment="补材料")
    assert told() == ["assessor", "office", "p_office"]
    services.assessment_submit(actor=as_actor(tree.world.office), assessment=assessment)
    services.assessment_finalise(actor=as_actor(tree.p_office), assessment=assessment)
    # round 2 submitted: the assessor is told again, the office that finalised is not; the unit is
    assert told() == ["assessor", "assessor", "office", "office", "p_office", "p_office"]
    assert "已评定" in Notification.objects.filter(recipient__user__username="office").latest("pk").message
