"""Writes of the study app that do more than save one form."""

from __future__ import annotations

from django.db import transaction

from portal.access import Actor
from portal.rules import require

from . import appstat_upload
from .models import StudyAppStat


@transaction.atomic
def appstat_upload_apply(*, actor: Actor, plan: appstat_upload.UploadPlan) -> dict[str, int]:
    """Write every row of a valid 学习强国 plan, or nothing if any row is bad.

    Actions are worked out again under row locks, so two confirmations of the
    same preview update rather than duplicate, and the counts are true.
    """
    require(actor, "study.upload_appstat")
    if not plan.valid:
        raise ValueError("an invalid upload plan cannot be applied")
    months = {row.month for row in plan.rows}
    list(StudyAppStat.objects.select_for_update().filter(committee=actor.committee, month__in=months))
    appstat_upload.set_actions(actor.committee, plan.rows)
    for row in plan.rows:
        if row.action == appstat_upload.UNCHANGED:
            continue
        stat = StudyAppStat.objects.filter(committee=actor.committee, month=row.month, branch=row.branch).first()
        if stat is None:
            stat = StudyAppStat(committee=actor.committee, created_by=actor.user, month=row.month, branch=row.branch)
        stat.activity_rate = row.activity_rate
        stat.avg_score = row.avg_score
        stat._change_reason = "学习强国数据表导入"
        stat.save()
    return plan.counts
