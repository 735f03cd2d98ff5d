"""How the ONNX models run: single-threaded calls, several at once, one per core.

Each model call (a detection tile, a line) is independent of the others, so the page's
calls are spread over a pool of Python threads, each running one call at a time on one core;
onnxruntime releases the GIL while it runs, and one thread's resizing and decoding overlaps the
other's inference. Measured on a shared 2-core machine against one call at a time on two
onnxruntime threads: a quarter less CPU for the same output (no threads waiting on each other
inside an operator, none spinning while Python works), and the wall time of two cores.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import TypeVar

import onnxruntime as ort

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """The cores this process may use (a container's CPU set, not the host's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def parallel_calls(threads: int | None = None) -> int:
    """Model calls run at once: `threads`, else LAYOUTKIT_THREADS, else one per core."""
    return max(1, threads or int(os.environ.get("LAYOUTKIT_THREADS", "0")) or cores())


def make_session(path: Path, threads: int | None = None) -> ort.InferenceSession:
    """A session whose calls run on `threads` onnxruntime threads: by default the calling thread
    alone, as for the models run from the pool; sessions are thread-safe."""
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or 1
    opts.inter_op_num_threads = 1
    # Threads that spin between operators take the CPU Python and the other calls need.
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # Values below 1e-38 read as 0: the CPU's slow path for them cost 12 % of detection and 16 %
    # of recognition, and no output changed (probabilities equal to four decimals, the same text).
    opts.add_session_config_entry("session.set_denormal_as_zero", "1")
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # The arena keeps buffers from call to call. Without it every call maps fresh memory: measured
    # over 12 detection tiles, 2 at a time, 1.2 s more system time (a fifth of the CPU). The
    # detector's buffers then stay while the lines are read: a 4000x5800 page's peak 1.04 GB -> 1.13.
    opts.enable_cpu_mem_arena = True
    opts.log_severity_level = 3
    return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])


@cache
def _pool(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(workers, thread_name_prefix="layoutkit-model")


def run_all(fn: Callable[[T], R], items: Iterable[T], threads: int | None = None) -> list[R]:
    """`fn` over `items`, `parallel_calls(threads)` at a time, results in the items' order.
    `fn` must not call run_all itself: the pool's threads would wait on their own queue."""
    todo = list(items)
    workers = parallel_calls(threads)
    if workers <= 1 or len(todo) <= 1:
        return [fn(item) for item in todo]
    return list(_pool(workers).map(fn, todo))
