"""Results computed once per process and key, safe under concurrent first use.

:func:`once_per_key` is :func:`functools.cache` for expensive fits (NUTS calibrations):
when several threads ask for the same key at once, the first computes it and the others
wait for its result -- one computation per key, never two racing ones (two NUTS
compilations at once can hang in numba).  Different keys run concurrently.  A call that
raises caches nothing; the next caller tries again.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["once_per_key"]


def once_per_key[F: Callable[..., Any]](fn: F) -> F:
    """Decorate ``fn`` (hashable arguments) to run once per distinct call, thread-safely.

    The wrapper has ``cache_clear()``, as a :func:`functools.cache` function does.
    """
    results: dict[Hashable, Any] = {}
    locks: dict[Hashable, threading.Lock] = {}
    guard = threading.Lock()  # guards ``locks`` only (held for microseconds)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = (args, tuple(sorted(kwargs.items())))
        with guard:
            lock = locks.setdefault(key, threading.Lock())
        with lock:
            if key not in results:
                results[key] = fn(*args, **kwargs)
            return results[key]

    def cache_clear() -> None:
        with guard:
            results.clear()
            locks.clear()

    wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
