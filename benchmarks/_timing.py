"""Timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import time
from collections.abc import Callable


def timed[T](fn: Callable[[], T]) -> tuple[float, T]:
    """Wall time of one call of ``fn``, seconds, and what it returned."""
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _seconds(fn: Callable[[], object]) -> float:
    return timed(fn)[0]


def best(fn: Callable[[], object], repeat: int) -> float:
    """Shortest wall time of ``repeat`` calls of ``fn``, seconds."""
    return min(_seconds(fn) for _ in range(repeat))


def best_pair(
    first: Callable[[], object], second: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Shortest wall times of ``repeat`` calls of each, seconds, the calls alternating.

    For a ratio of the two: load from other processes, or a change of clock speed, then
    hits both alike instead of one series of repeats.
    """
    times = [(_seconds(first), _seconds(second)) for _ in range(repeat)]
    return min(t[0] for t in times), min(t[1] for t in times)
