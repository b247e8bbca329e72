"""Celery tasks of the portal: the e-mails of notifications, and workbook imports
(portal.ledger.services). They take ids, keep their state in their rows and are
started only through portal.jobs, never called from a request."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import jobs, notifications
from portal.ledger import services

logger = logging.getLogger(__name__)


@shared_task(name="portal.tasks.send_notification_emails")
def send_notification_emails(*ids: int) -> int:
    """After the commit that created them (portal.notifications.notify)."""
    with translation.override("zh-hans"), timezone.override(settings.TIME_ZONE):
        return notifications.send_emails(ids)


@shared_task(name="portal.tasks.send_stale_notification_emails")
def send_stale_notification_emails() -> int:
    """Periodic: the e-mails whose job never ran (the broker was down when they were created)."""
    with translation.override("zh-hans"), timezone.override(settings.TIME_ZONE):
        return notifications.send_emails(notifications.stale_email_ids())


@jobs.job_task(soft_time_limit=services.SOFT_TIME_LIMIT, time_limit=services.TIME_LIMIT)
def run_import(self, job_id: int) -> None:
    if (self.request.delivery_info or {}).get("redelivered"):
        services.import_requeue(job_id=job_id)
    try:
        with translation.override("zh-hans"):
            services.import_run(job_id=job_id)
    except jobs.TRANSIENT_ERRORS:
        if self.request.retries >= self.max_retries:
            services.import_fail(job_id=job_id, error=_("数据库暂时不可用，导入未完成，未写入任何数据，请稍后重新上传。"))
        else:
            services.import_requeue(job_id=job_id)
        raise
    except SoftTimeLimitExceeded:
        services.import_fail(job_id=job_id, error=_("导入超时，未写入任何数据。"))
    except Exception:
        logger.exception("import job %s failed", job_id)
        services.import_fail(job_id=job_id, error=_("导入时出现意外错误，未写入任何数据，请联系管理员。"))


@shared_task
def requeue_stale_imports(minutes: int | None = None) -> int:
    """Hand over again the jobs left queued; fail the ones whose worker died."""
    queued, lost = services.stale_imports(**({"minutes": minutes} if minutes is not None else {}))
    for job_id in lost:
        services.import_fail(job_id=job_id, error=_("导入中断，未写入任何数据，请重新上传。"))
    count = 0
    for job_id in queued:
        if not jobs.dispatch(run_import, job_id):
            break  # the broker is still down: the next sweep tries again
        count += 1
    return count
