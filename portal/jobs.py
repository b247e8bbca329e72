"""Background jobs: long work runs after the response, in every setup.

``enqueue(task, *ids)`` runs a Celery task (the task object or its name) with
these ids once the current transaction commits:

- with Redis (``CELERY_TASK_ALWAYS_EAGER`` off) it is published for a Celery
  worker. The request waits at most ``PORTAL_JOBS_PUBLISH_TIMEOUT`` seconds for
  the broker, however Redis fails (refused, hung, unresolvable), and results
  are never stored (``CELERY_TASK_IGNORE_RESULT``): the web process does not
  touch the result backend at all.
- without Redis (the embedded mode) it runs in a small pool of threads of this
  process (``PORTAL_JOBS_THREADS``), after the response, so the page polls its
  progress exactly as with a worker.
- in tests (``PORTAL_JOBS_INLINE``) it runs in the calling thread at commit.

The job's state lives in its app's row (queued/running/done/failed, progress,
error), and the task claims that row with one conditional UPDATE: a job
dispatched twice (a retry, a sweep, a redelivered message) runs once. Long
work is never run inside a request, so an app never calls a task directly.

``dispatch(task, *ids)`` is the same without waiting for a commit; it returns
False when the broker did not take the job in time, so the caller can mark
its row (see ``reports.services.build_enqueue``) for a periodic sweep to hand
over again. In the embedded mode there is no Celery beat: ``start_sweeps``
(called by the web server's WSGI module) runs the sweeps of
``PORTAL_JOBS_SWEEPS`` in this process instead.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections, transaction

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_running: set[Future] = set()
_sweeper: threading.Thread | None = None
_sweeps_stop = threading.Event()


# Database blips are worth another try; anything else would fail the same way again.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


def job_task(*, soft_time_limit: int, time_limit: int):
    """The Celery task decorator of a job: bound, acknowledged only once done
    (a worker that dies hands the message back), retried on a database blip,
    bounded in time. The task keeps its state in its row."""
    return shared_task(
        bind=True,
        acks_late=True,
        reject_on_worker_lost=True,
        autoretry_for=TRANSIENT_ERRORS,
        max_retries=3,
        retry_backoff=5,
        retry_jitter=False,
        soft_time_limit=soft_time_limit,
        time_limit=time_limit,
    )


def enqueue(task: Task | str, *ids: int) -> None:
    """Run ``task(*ids)`` in the background once the current transaction commits."""
    transaction.on_commit(partial(dispatch, task, *ids), robust=True)


def dispatch(task: Task | str, *ids: int) -> bool:
    """Hand ``task(*ids)`` to the background now; False when the broker did not take it."""
    task = _task(task)
    if uses_broker():
        return _publish(task, ids)
    if getattr(settings, "PORTAL_JOBS_INLINE", False):
        _run(task, ids)
    else:
        future = _executor().submit(_run_in_thread, task, ids)
        with _lock:
            _running.add(future)
        future.add_done_callback(_forget)
    return True


def uses_broker() -> bool:
    from portal.celery import app

    return not app.conf.task_always_eager


def _task(task: Task | str) -> Task:
    """The task object of a name like "reports.tasks.build_report". A web
    process has not imported the apps' task modules (Celery autodiscovers them
    only in a worker), so the name's module is imported here."""
    if not isinstance(task, str):
        return task
    from portal.celery import app

    if task not in app.tasks:
        importlib.import_module(task.rpartition(".")[0])
    return app.tasks[task]


def _publish(task: Task, ids: tuple) -> bool:
    """Publish from a helper thread and wait a bounded time: kombu's own
    timeouts and retries add up to many seconds when Redis hangs, and a request
    must answer. A publish that succeeds after the wait still delivers the
    job; the caller's row says "queued" until a worker claims it."""
    outcome: dict[str, bool] = {}

    def send():
        try:
            task.apply_async(args=list(ids))
            outcome["ok"] = True
        except Exception:  # kombu/redis raise several unrelated types when Redis is unreachable
            logger.warning("could not publish %s%r", task.name, ids, exc_info=True)
            outcome["ok"] = False

    sender = threading.Thread(target=send, name=f"publish-{task.name}", daemon=True)
    sender.start()
    sender.join(settings.PORTAL_JOBS_PUBLISH_TIMEOUT)
    if sender.is_alive():
        timeout = settings.PORTAL_JOBS_PUBLISH_TIMEOUT
        logger.warning("publishing %s%r takes longer than %ss; going on", task.name, ids, timeout)
    return outcome.get("ok", False)


def _run(task: Task, ids: tuple) -> None:
    result = task.apply(args=list(ids))  # Celery's eager execution: its retries and failure handling
    if result.failed():
        logger.error("job %s%r failed: %r", task.name, ids, result.result)


def _run_in_thread(task: Task, ids: tuple) -> None:
    close_old_connections()
    try:
        _run(task, ids)
    except Exception:
        logger.exception("job %s%r crashed", task.name, ids)
    finally:
        connections.close_all()  # this thread's connections only


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=settings.PORTAL_JOBS_THREADS, thread_name_prefix="portal-job")
        return _pool


def _forget(future: Future) -> None:
    with _lock:
        _running.discard(future)


def wait_idle(timeout: float) -> bool:
    """Wait until this process runs no in-process job (tests, shutdown); False on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        with _lock:
            pending = list(_running)
        remaining = deadline - time.monotonic()
        if not pending or remaining <= 0:
            return not pending
        wait(pending, timeout=remaining)  # a job may start another: look again


def start_sweeps() -> None:
    """Embedded mode only: run the periodic sweeps that Celery beat runs with a
    worker (a build queued by a process that has since stopped is handed over
    again). Each sweep is dispatched like any job, at start and then every
    interval seconds."""
    global _sweeper
    if uses_broker() or not settings.PORTAL_JOBS_SWEEPS:
        return
    with _lock:
        if _sweeper is not None:
            return
        _sweeps_stop.clear()
        _sweeper = threading.Thread(target=_sweep_until_stopped, name="portal-job-sweeps", daemon=True)
    _sweeper.start()


def stop_sweeps() -> None:
    global _sweeper
    with _lock:
        sweeper, _sweeper = _sweeper, None
    if sweeper is not None:
        _sweeps_stop.set()
        sweeper.join()


def _sweep_until_stopped() -> None:
    last: dict[str, float] = {}
    try:
        while True:
            now = time.monotonic()
            for name, interval in settings.PORTAL_JOBS_SWEEPS.items():
                if name not in last or now - last[name] >= interval:
                    last[name] = now
                    try:
                        dispatch(name)
                    except Exception:
                        logger.exception("sweep %s could not start", name)
            if _sweeps_stop.wait(1):
                return
    finally:
        # A sweep dispatched inline (tests) used the ORM in this thread: a
        # connection left open would outlive the thread and hold the database.
        connections.close_all()
