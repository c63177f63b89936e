"""Shared plumbing of the analyses (:mod:`~agi_timelines.sensitivity`,
:mod:`~agi_timelines.compare`, :mod:`~agi_timelines.sweep`).

* **Arrival summaries** computed the way :class:`~agi_timelines.Forecast` computes them
  (inverted-CDF quantiles, ``inf`` inside the censored mass; P(arrived by year) counting
  censored draws as not arrived), on plain arrays.

Examples
--------
>>> import numpy as np
>>> from agi_timelines.analysis import arrival_quantiles, p_arrived
>>> arrival = np.array([2027.0, 2029.0, 2031.0, np.inf])
>>> arrival_quantiles(arrival, [0.5, 0.9]).tolist()
[2029.0, inf]
>>> p_arrived(arrival, [2030.0]).tolist()
[0.5]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .scenario import Scenario

if TYPE_CHECKING:
    from .result import Forecast

__all__ = [
    "DEFAULT_QUANTILES",
    "DEFAULT_YEARS",
    "arrival_quantiles",
    "check_draws_seed",
    "check_quantiles",
    "check_years",
    "p_arrived",
    "wall_binding_share",
]

DEFAULT_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Arrival-year quantile levels reported by :func:`~agi_timelines.compare.compare` and
:func:`~agi_timelines.sweep.sweep`."""

DEFAULT_YEARS = (2027.0, 2030.0, 2035.0, 2040.0, 2050.0)
"""Years of the P(arrived by year) columns."""


# -- summaries on plain arrays ---------------------------------------------------------------
def arrival_quantiles(arrival: np.ndarray, q: Sequence[float]) -> np.ndarray:
    """Inverted-CDF quantiles of arrival years (``inf`` in the censored mass; NaN if empty)."""
    q = np.asarray(q, dtype=float)
    if arrival.size == 0:
        return np.full(q.shape, math.nan)
    return np.quantile(arrival, q, method="inverted_cdf")


def p_arrived(arrival: np.ndarray, years: Sequence[float]) -> np.ndarray:
    """P(arrived by ``year``) for each year; censored (``inf``) draws count as not arrived."""
    years = np.asarray(years, dtype=float)
    if arrival.size == 0:
        return np.full(years.shape, math.nan)
    return np.searchsorted(np.sort(arrival), years, side="right") / arrival.size


def wall_binding_share(fc: Forecast) -> float:
    """Share of draws in which the data wall binds before AGI arrives.

    The mean of :meth:`Forecast.wall_binds <agi_timelines.Forecast.wall_binds>`: a draw
    counts when its ``wall_year`` (the year the walled compute outgrows the usable data) is
    earlier than its wall-off arrival year; for a draw that never arrives without the wall,
    when the wall binds by the horizon.  0 when the scenario's data wall is off (it never
    binds).
    """
    if "wall_year" not in fc.draws:
        return 0.0
    return float(np.mean(fc.wall_binds())) if fc.arrival.size else math.nan


# -- argument checks -------------------------------------------------------------------------
def _is_int(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | np.integer)


def check_draws_seed(draws: Any, seed: Any, min_draws: int = 1) -> tuple[int, int]:
    """Validate ``draws`` (>= ``min_draws``) and ``seed`` (>= 0) before any work starts."""
    if not _is_int(draws) or draws < min_draws:
        raise ValueError(f"draws must be an integer >= {min_draws}, got {draws!r}")
    if not _is_int(seed) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    return int(draws), int(seed)


def _numbers(name: str, values: Any) -> np.ndarray:
    items = np.atleast_1d(np.asarray(values, dtype=object))
    if items.ndim != 1 or items.size == 0:
        raise ValueError(f"{name} must be a non-empty list of numbers, got {values!r}")
    for v in items:
        if isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.number):
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
