"""Run a function on hostile input in a forked child with a time and memory bound.

Parsing an uploaded PDF's structure (cross-reference streams, object
streams) decompresses data the uploader controls; a small file can expand to
gigabytes or take minutes. The child gets an address-space limit and a CPU
limit, and the parent waits a fixed time, then kills it. The child only
computes on bytes it already has (no database, no files), returns a small
picklable result through a pipe and leaves with ``os._exit``, so it never
closes the parent's database connections.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import resource
import traceback
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Outcome:
    value: Any = None
    error: str = ""  # "timeout", "crashed", "memory" or the exception's text


def outside_event_loop(func: Callable, *args, **kwargs):
    """``func(*args, **kwargs)``, in a helper thread when this thread runs an event loop.

    pyHanko's synchronous API calls ``asyncio.run``, which refuses to start in
    a thread that already runs a loop (an ASGI server's, Playwright's).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args, **kwargs).result()


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _child(conn, func, args, memory_bytes: int, cpu_seconds: int) -> None:
    try:
        limit = _address_space() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        # A loop the parent's thread was running is copied by fork but never runs here.
        result = Outcome(value=outside_event_loop(func, *args))
    except MemoryError:
        result = Outcome(error="memory")
    except Exception as exc:  # reported to the parent, which decides
        result = Outcome(error=f"{type(exc).__name__}: {exc}"[:500] or traceback.format_exc(limit=1))
    try:
        conn.send(result)
    except Exception:
        conn.send(Outcome(error="crashed"))
    conn.close()


def run_bounded(func: Callable, *args, timeout: float, memory_bytes: int) -> Outcome:
    """``func(*args)`` in a child process; its value, or why there is none."""
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    cpu_seconds = max(1, int(timeout) + 1)
    process = ctx.Process(target=_child, args=(sender, func, args, memory_bytes, cpu_seconds), daemon=True)
    process.start()
    sender.close()
    try:
        if receiver.poll(timeout):
            try:
                return receiver.recv()
            except (EOFError, OSError):
                return Outcome(error="crashed")
        return Outcome(error="timeout")
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
