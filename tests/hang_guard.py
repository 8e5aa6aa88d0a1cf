"""A guard against hangs for tests that run planc in-process: never a speed assertion.

Tests do not assert wall-clock time: CI machines are loaded, and a limit tight enough to say
anything about speed fails at random there.  Speed is measured in bench/.  What a test may do is
stop a true hang (an alias bomb expanded, an endless loop, a lock waited for forever) so the suite
fails with a message instead of running until the CI job is killed.  ``hang_guard`` does that:
the block fails after ``HANG_S`` seconds, a limit no healthy run comes near however loaded the
machine.  Tests that run planc in a subprocess use the subprocess's own timeout the same way.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

import pytest

HANG_S = 60.0  # seconds: only a hang takes this long; not a measure of speed


@contextlib.contextmanager
def hang_guard(what: str, seconds: float = HANG_S) -> Iterator[None]:
    """Fails the test if the block is still running after ``seconds`` (POSIX, main thread; a
    plain block elsewhere)."""
    main = threading.current_thread() is threading.main_thread()
    if not hasattr(signal, "setitimer") or not main:
        yield
        return

    def hung(signum: int, frame: FrameType | None) -> None:
        pytest.fail(f"{what}: still running after {seconds:.0f} s, a hang", pytrace=False)

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
