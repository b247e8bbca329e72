"""Celery tasks of the reports app. Tasks take ids, load the row through a
service and keep their state in it; they are started only through
portal.jobs (reports.services.build_enqueue), never imported by services."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone, translation

from portal import jobs

from . import services
from .binder import services as binder_services

logger = logging.getLogger(__name__)

# Database connection blips are worth another try (portal.jobs.job_task); anything
# else (a template error, a WeasyPrint failure) would fail the same way again.
TRANSIENT_ERRORS = jobs.TRANSIENT_ERRORS
STALE_MINUTES = getattr(settings, "REPORT_BUILD_STALE_MINUTES", 10)


@jobs.job_task(soft_time_limit=services.SOFT_TIME_LIMIT, time_limit=services.TIME_LIMIT)
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


# -- the evidence binder (reports.binder) ------------------------------------------------


@jobs.job_task(soft_time_limit=binder_services.SOFT_TIME_LIMIT, time_limit=binder_services.TIME_LIMIT)
def build_binder(self, committee_id: int, year: int, user_id: int = 0) -> None:
    """The binder of a committee and year, asked for by ``user_id`` (its queued row names them)."""
    if (self.request.delivery_info or {}).get("redelivered"):
        binder_services.binder_requeue(committee_id=committee_id, year=year)
    try:
        with translation.override("zh-hans"), timezone.override(settings.TIME_ZONE):
            binder_services.binder_run(committee_id=committee_id, year=year)
    except jobs.TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            _binder_fail(committee_id, year, binder_services.error_text(exc))
        else:
            binder_services.binder_requeue(committee_id=committee_id, year=year)
        raise
    except SoftTimeLimitExceeded:
        _binder_fail(committee_id, year, "生成超时，请稍后重试。")
    except Exception as exc:
        logger.exception("binder of committee %s, %s failed", committee_id, year)
        _binder_fail(committee_id, year, binder_services.error_text(exc))


def _binder_fail(committee_id: int, year: int, error: str) -> None:
    build_id = binder_services.running_build_id(committee_id=committee_id, year=year)
    if build_id is not None:
        binder_services.binder_fail(build_id=build_id, error=error)


@shared_task
def requeue_stale_binders() -> int:
    """Hand over again the binders left queued (the broker was down when they were asked for)."""
    count = 0
    for build_id in binder_services.stale_binders():
        if not binder_services.binder_enqueue(build_id=build_id):
            break  # Redis is still down: the next sweep tries again
        count += 1
    return count
