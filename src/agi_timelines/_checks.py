"""Checks of public arguments: one helper per kind of value, errors that name the parameter.

Every public function and method checks its arguments here, before any work starts, so a
wrong type fails at the call with a message naming the parameter and what it accepts --
never deep inside PyMC or after sampling.  Booleans are not numbers: ``True`` is refused
wherever a number is expected.

"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

__all__ = [
    "check_callable",
    "check_instance",
    "check_int",
    "check_mapping",
    "check_real",
    "check_reals",
]


def _kind(value: Any) -> str:
    return "a boolean" if isinstance(value, bool | np.bool_) else type(value).__name__


def is_real(value: Any) -> bool:
    """Whether ``value`` is a real number (int or float, numpy included), not a boolean."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def check_int(name: str, value: Any, minimum: int, maximum: int | None = None) -> int:
    """``value`` as an ``int`` in ``[minimum, maximum]``; ``ValueError`` naming ``name``."""
    ok = isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)
    if not ok or value < minimum or (maximum is not None and value > maximum):
        upper = "" if maximum is None else f" and <= {maximum}"
        raise ValueError(f"{name} must be an integer >= {minimum}{upper}, got {value!r}")
    return int(value)


def check_real(
    name: str,
    value: Any,
    lower: float = -math.inf,
    upper: float = math.inf,
    *,
    finite: bool = True,
) -> float:
    """``value`` as a ``float`` in ``[lower, upper]`` (finite unless ``finite=False``)."""
    if not is_real(value):
        raise ValueError(f"{name} must be a number, got {_kind(value)} {value!r}")
    x = float(value)
    if math.isnan(x) or (finite and math.isinf(x)) or not lower <= x <= upper:
        what = "a finite number" if finite else "a number"
        raise ValueError(f"{name} must be {what} in [{lower:g}, {upper:g}], got {x!r}")
    return x


def check_reals(
    name: str,
    value: Any,
    lower: float = -math.inf,
    upper: float = math.inf,
    *,
    finite: bool = True,
) -> Any:
    """A number or a sequence of numbers (no booleans, no strings; finite unless
    ``finite=False``; in ``[lower, upper]``).

    Returns a float array of the same shape (0-d for a scalar).
    """
    if isinstance(value, str | bytes):
        raise ValueError(f"{name} must be a number or a list of numbers, got {value!r}")
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiu" and value.size:
        arr = value.astype(float)
        ok = ~np.isnan(arr) & (arr >= lower) & (arr <= upper)
        if finite:
            ok &= np.isfinite(arr)
        if not ok.all():
            check_real(name, arr[~ok].flat[0], lower, upper, finite=finite)  # raises
        return arr
    arr = np.asarray(value, dtype=object)
    flat = arr.reshape(-1)
    if flat.size == 0:
        raise ValueError(f"{name} must not be empty")
    for item in flat:
        check_real(name, item, lower, upper, finite=finite)
    return np.asarray(arr, dtype=float)


def check_callable(name: str, value: Any) -> Callable[..., Any] | None:
    """``value`` if it is ``None`` or callable."""
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be a callable or None, got {_kind(value)} {value!r}")
    return value


def check_instance(name: str, value: Any, cls: type, what: str) -> Any:
    """``value`` if it is an instance of ``cls``; ``TypeError`` saying ``what`` it must be."""
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be {what}, got {_kind(value)} {_short(value)}")
    return value


def check_mapping(name: str, value: Any) -> Mapping[str, Any]:
    """``value`` if it is a mapping with string keys."""
    if not isinstance(value, Mapping):
        raise TypeError(
            f"{name} must be a dict of {{'field.path': value}}, got {_kind(value)} {_short(value)}"
        )
    for key in value:
        if not isinstance(key, str):
            raise TypeError(f"{name}: keys must be dotted field paths (str), got {key!r}")
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
