"""Resource limits for batch runs: one hostile file must not stall a corpus."""
from __future__ import annotations

import signal
from contextlib import contextmanager

FILE_TIME_BUDGET = 120.0  # seconds one file may take in a batch run (extract, index)


class OverBudget(Exception):
    """A file took longer than its time budget."""

    def __init__(self, seconds: float):
        super().__init__(f"took longer than {seconds:g} s; skipped (raise --timeout to allow more)")
        self.seconds = seconds


@contextmanager
def time_budget(seconds: float):
    """Raise ``OverBudget`` if the block runs longer than ``seconds`` (0: no limit).

    Uses SIGALRM, so it works in a process's main thread (the CLI, and each worker
    of a process pool); where the OS has no SIGALRM the block runs unlimited.
    """
    if not seconds or not hasattr(signal, "setitimer"):
        yield
        return

    fired = False

    def on_alarm(signum, frame):  # pragma: no cover - signal handler
        nonlocal fired
        fired = True
        raise OverBudget(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:
        # The alarm went off but its exception never left the block: it was raised
        # inside a finalizer or a GC callback (Python prints and drops those) or caught
        # by a broad ``except``.  The file still ran over its budget.
        raise OverBudget(seconds)
