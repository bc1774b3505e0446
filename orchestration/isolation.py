"""Steps whose memory grows with the warehouse (the raw load's DuckDB writer, the checks' data
frames, the report, the workbook) run in a process of their own, so that the run process, which
lives for the whole run, stays the size of its code: what a step held is given back when its
process ends."""

import ctypes
import multiprocessing
import os
import queue
import resource
import signal
from concurrent.futures import ProcessPoolExecutor

_messages = None  # in the step's process: where its log lines go


def run_isolated(function, *args, log=None):
    """``function(*args)`` in a new process (spawned: nothing of this one's memory is copied):
    (its result, that process's peak resident MB); its exception is raised here. With ``log``
    (level, text), ``function`` is called with ``log=`` too, and its lines reach ``log`` as they
    are written. ``JIXIAO_ISOLATE_STEPS=0``: in this process (a debugger, a test's patch reach it)."""
    if os.environ.get("JIXIAO_ISOLATE_STEPS", "1") == "0":
        result = function(*args, log=log) if log else function(*args)
        return result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    context = multiprocessing.get_context("spawn")
    messages = context.Queue() if log else None
    with ProcessPoolExecutor(1, mp_context=context, initializer=_started, initargs=(messages,)) as pool:
        future = pool.submit(_measured, function, log is not None, *args)
        while messages is not None:
            try:
                line = messages.get(timeout=0.5)
            except queue.Empty:
                if future.done() and future.exception() is not None:  # died before its last line
                    break
                continue
            if line is None:  # its last line
                break
            log(*line)
        return future.result()


def _started(messages) -> None:
    global _messages
    _messages = messages
    try:  # a step's process does not outlive the run process (killed with it: no orphan writer)
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _say(level: str, text: str) -> None:
    _messages.put((level, text))


def _measured(function, with_log: bool, *args):
    try:
        result = function(*args, log=_say) if with_log else function(*args)
    finally:
        if with_log:
            _messages.put(None)
    return result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
