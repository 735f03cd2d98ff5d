"""Seconds, CPU seconds and peak memory per stage of a page, taken only while a profile runs.

The pipeline and the recogniser mark their stages with `stage(name)` and their counts with
`count(name, value)`; with no profile active each mark is one global look-up, so the marks stay in
the code users run and `benchmarks/profile.py` measures that very code. CPU seconds (user + system,
all threads) are what a shared machine cannot steal; wall seconds are what a user waits.

A stage marked in one of the model threads (ocr.runtime) is filed under the stage the profiling
thread has open; its seconds are that thread's, summed over the threads, and its CPU seconds the
thread's own. Peak memory is the process's resident high-water mark (Linux `VmHWM`), reset at every mark through
`/proc/self/clear_refs`, so each stage reports the most it held while it ran, models included.
Where `/proc` cannot be written, peaks are left out rather than guessed.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass(slots=True)
class StageTime:
    wall: float = 0.0
    cpu: float = 0.0
    peak_mb: float = 0.0
    calls: int = 0


@dataclass(slots=True)
class Profile:
    """Stages in the order first entered; a nested stage is named `outer/inner`."""

    stages: dict[str, StageTime] = field(default_factory=dict)
    counts: dict[str, float] = field(default_factory=dict)
    thread: threading.Thread = field(default_factory=threading.current_thread)
    _open: list[tuple[str, StageTime]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _touch_peaks(self) -> None:
        """Fold the high-water mark since the last mark into every open stage, then reset it."""
        hwm = _high_water_mb()
        for _, st in self._open:
            st.peak_mb = max(st.peak_mb, hwm)
        _reset_high_water()


_active: Profile | None = None


@contextlib.contextmanager
def profiled() -> Iterator[Profile]:
    """Record every stage marked while the block runs (one profile at a time, in this process)."""
    global _active
    previous, _active = _active, Profile()
    try:
        yield _active
    finally:
        _active = previous


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    profile = _active
    if profile is None:
        yield
        return
    if threading.current_thread() is not profile.thread:
        with _thread_stage(profile, name):
            yield
        return
    full = "/".join([*(n for n, _ in profile._open[-1:]), name])
    st = profile.stages.setdefault(full, StageTime())
    profile._touch_peaks()
    profile._open.append((full, st))
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        st.wall += time.perf_counter() - wall
        st.cpu += time.process_time() - cpu
        st.calls += 1
        profile._touch_peaks()
        profile._open.pop()


@contextlib.contextmanager
def _thread_stage(profile: Profile, name: str) -> Iterator[None]:
    """A stage in a model thread: its own seconds, under the stage open in the profiling thread."""
    full = "/".join([*(n for n, _ in profile._open[-1:]), name])
    wall, cpu = time.perf_counter(), time.thread_time()
    try:
        yield
    finally:
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        with profile._lock:
            st = profile.stages.setdefault(full, StageTime())
            st.wall += wall
            st.cpu += cpu
            st.calls += 1


def count(name: str, value: float) -> None:
    if _active is not None:
        with _active._lock:
            _active.counts[name] = _active.counts.get(name, 0.0) + value


def _high_water_mb() -> float:
    try:
        for line in STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _reset_high_water() -> None:
    with contextlib.suppress(OSError):
        CLEAR_REFS.write_text("5")
