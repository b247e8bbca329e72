"""Celery tasks of the reports app. Tasks take ids, load the row through a
service and keep their state in it; they are started only through
portal.jobs (reports.services.build_enqueue), never imported by services."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import translation

from . import services

logger = logging.getLogger(__name__)

# Database connection blips are worth another try; anything else (a template
# error, a WeasyPrint failure) would fail the same way again.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
STALE_MINUTES = getattr(settings, "REPORT_BUILD_STALE_MINUTES", 10)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=3,
    retry_backoff=5,
    retry_jitter=False,
    soft_time_limit=services.SOFT_TIME_LIMIT,
    time_limit=services.TIME_LIMIT,
)
def build_report(self, build_id: int) -> None:
    if (self.request.delivery_info or {}).get("redelivered"):
        services.build_reclaim_redelivered(build_id=build_id)
    try:
        with translation.override("zh-hans"):
            services.build_run(build_id=build_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            services.build_fail(build_id=build_id, error=services.error_text(exc))
        else:
            services.build_release(build_id=build_id)
        raise
    except SoftTimeLimitExceeded:
        services.build_fail(build_id=build_id, error="生成超时，请稍后重试。")
    except Exception as exc:
        logger.exception("report build %s failed", build_id)
        services.build_fail(build_id=build_id, error=services.error_text(exc))


@shared_task
def requeue_stale_builds(minutes: int | None = None) -> int:
    """Publish again the builds still queued after ``minutes`` (the broker was
    down, or the message was lost) and those whose worker died mid-run."""
    count = 0
    for build_id in services.stale_builds(minutes=STALE_MINUTES if minutes is None else minutes):
        if not services.build_enqueue(build_id=build_id):
            break  # Redis is still down: the next sweep tries again, each build once
        count += 1
    return count
