"""Checks of public arguments: one helper per kind of value, errors that name the parameter.

Every public function and method checks its arguments here, before any work starts, so a
wrong type fails at the call with a message naming the parameter and what it accepts --
never deep inside PyMC or after sampling.  Booleans are not numbers: ``True`` is refused
wherever a number is expected.

"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from types import UnionType
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .scenario import Scenario

__all__ = [
    "check_bool",
    "check_callable",
    "check_draws_seed",
    "check_instance",
    "check_int",
    "check_mapping",
    "check_prob",
    "check_probs",
    "check_quantiles",
    "check_real",
    "check_reals",
    "check_years",
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
    """Check a number or a sequence of numbers against ``[lower, upper]``.

    No booleans, no strings; finite unless ``finite=False``.

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


def check_bool(name: str, value: Any) -> bool:
    """``value`` if it is ``True`` or ``False`` (numpy booleans included)."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {_kind(value)} {_short(value)}")
    return bool(value)


def check_prob(name: str, value: Any) -> float:
    """Return a probability mass strictly between 0 and 1 (an interval's mass), as a ``float``."""
    if not is_real(value):
        raise ValueError(f"{name} must be a number in (0, 1), got {_kind(value)} {value!r}")
    out = float(value)
    if not 0 < out < 1:  # NaN fails too
        raise ValueError(f"{name} must lie in (0, 1), got {value!r}")
    return out


def check_probs(name: str, values: Any) -> tuple[float, ...]:
    """One to three interval masses in (0, 1), sorted (a single number is one mass)."""
    if is_real(values):
        values = (values,)
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValueError(f"{name} must be 1 to 3 numbers in (0, 1), got {values!r}")
    out = tuple(sorted(check_prob(name, v) for v in values))
    if not 1 <= len(out) <= 3:
        raise ValueError(f"{name} must hold 1 to 3 interval masses, got {values!r}")
    return out


def check_draws_seed(draws: Any, seed: Any, min_draws: int = 1) -> tuple[int, int]:
    """Validate ``draws`` (>= ``min_draws``) and ``seed`` (>= 0) before any work starts."""
    return check_int("draws", draws, min_draws), check_int("seed", seed, 0)


def _numbers(name: str, values: Any) -> np.ndarray:
    items = np.atleast_1d(np.asarray(values, dtype=object))
    if items.ndim != 1 or items.size == 0:
        raise ValueError(f"{name} must be a non-empty list of numbers, got {values!r}")
    for v in items:
        if not is_real(v):
            raise ValueError(f"{name} must be numbers, got {v!r} in {values!r}")
    return items.astype(float)


def check_quantiles(quantiles: Any) -> np.ndarray:
    """Quantile levels: a non-empty list of distinct numbers in [0, 1]."""
    q = _numbers("quantiles", quantiles)
    if np.any(np.isnan(q) | (q < 0) | (q > 1)):
        raise ValueError(f"quantiles must lie in [0, 1], got {list(q)}")
    if len(set(q.tolist())) != q.size:
        raise ValueError(f"quantiles must be distinct, got {list(q)}")
    return q


def check_years(years: Any, scenario: Scenario, name: str = "years") -> np.ndarray:
    """Years for P(arrived by year): distinct finite numbers in [reference.year, horizon]."""
    y = _numbers(name, years)
    t0, horizon = scenario.reference.year, scenario.horizon
    if np.any(~np.isfinite(y)) or np.any((y < t0) | (y > horizon)):
        raise ValueError(
            f"{name} must lie in [reference.year, horizon] = [{t0:g}, {horizon:g}] of "
            f"scenario {scenario.name!r} (arrivals after the horizon are censored), "
            f"got {list(y)}"
        )
    if len(set(y.tolist())) != y.size:
        raise ValueError(f"{name} must be distinct, got {list(y)}")
    return y


def check_callable(name: str, value: Any) -> Callable[..., Any] | None:
    """``value`` if it is ``None`` or callable."""
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be a callable or None, got {_kind(value)} {value!r}")
    return value


def check_instance(
    name: str, value: Any, cls: type | UnionType | tuple[type, ...], what: str
) -> Any:
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
