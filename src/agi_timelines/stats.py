"""Censored-aware statistics of arrival years: the one place they are computed.

An arrival year is ``inf`` when the draw has no arrival by the horizon (censored).  The
censored draws count in every probability -- P(arrived by the horizon) < 1 is a result --
and in every quantile: quantiles are taken by the inverted empirical CDF (an order
statistic, no interpolation), which is well defined with ``inf`` draws and is ``inf`` where
the level falls inside the censored mass.  :class:`~agi_timelines.Forecast`, the analyses
(:func:`~agi_timelines.compare`, :func:`~agi_timelines.sweep`,
:func:`~agi_timelines.sensitivity`), the command line, the notebook display and the plots
all call these functions, so every figure and table reports the same numbers.

Examples
--------
>>> import numpy as np
>>> from agi_timelines import stats
>>> arrival = np.array([2027.0, 2029.0, 2031.0, np.inf])
>>> stats.quantile(arrival, [0.5, 0.9]).tolist()
[2029.0, inf]
>>> stats.prob_by(arrival, [2030.0]).tolist()
[0.5]
>>> stats.censored_share(arrival)
0.25
>>> stats.interval(arrival, 0.5)
(2027.0, 2031.0)
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np

__all__ = [
    "censored_share",
    "interval",
    "interval_width",
    "prob_by",
    "quantile",
    "wall_binding_share",
    "wall_binds",
]


def quantile(values: Any, q: Any, axis: int | None = None) -> np.ndarray:
    """Inverted-CDF quantiles: ``inf`` where a level falls in the censored mass.

    Parameters
    ----------
    values : array_like
        Draws (e.g. arrival years, ``inf`` when censored); sorted or not.
    q : float or array_like of float
        Quantile levels in [0, 1] (not checked here: the public callers check them).
    axis : int, optional
        Axis of the draws (default: all values, flattened).

    Returns
    -------
    numpy.ndarray
        ``numpy.quantile(values, q, axis=axis, method="inverted_cdf")`` (same units as
        ``values``): the smallest draw whose empirical CDF reaches ``q``.  With no draw,
        NaN for each level.

    Examples
    --------
    >>> quantile([2030.0, 2040.0, float("inf")], [0.0, 0.5, 0.9]).tolist()
    [2030.0, 2040.0, inf]
    >>> quantile([], [0.5]).tolist()
    [nan]
    """
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return np.full(np.shape(q), math.nan)
    return np.quantile(values, q, axis=axis, method="inverted_cdf")


def prob_by(values: Any, years: Any, *, presorted: bool = False) -> np.ndarray:
    """P(arrived by ``year``) for each year: the share of draws ``<= year``.

    Parameters
    ----------
    values : array_like
        Arrival years per draw (``inf``: censored, never counted as arrived).
    years : float or array_like of float
        Decimal years.
    presorted : bool
        ``values`` is already a sorted 1-D array (skips the sort).

    Returns
    -------
    numpy.ndarray
        Probabilities (shape of ``years``); NaN for each year when there is no draw.

    Examples
    --------
    >>> prob_by([2028.0, 2031.0, float("inf"), 2029.5], [2030.0, 2100.0]).tolist()
    [0.5, 0.75]
    """
    values = np.asarray(values, dtype=float).ravel()
    years = np.asarray(years, dtype=float)
    if values.size == 0:
        return np.full(years.shape, math.nan)
    ordered = values if presorted else np.sort(values)
    return np.searchsorted(ordered, years, side="right") / values.size


def censored_share(values: Any) -> float:
    """Share of draws that are censored (``inf``: no arrival by the horizon).

    Parameters
    ----------
    values : array_like
        Draws of any shape.

    Returns
    -------
    float
        Probability in [0, 1]; NaN when there is no draw.

    Examples
    --------
    >>> censored_share([2030.0, float("inf"), 2035.0, float("inf")])
    0.5
    """
    values = np.asarray(values)
    if values.size == 0:
        return math.nan
    return float(np.isinf(values).mean())


def interval(values: Any, prob: float) -> tuple[float, float]:
    """Central ``prob`` interval: the inverted-CDF quantiles ``(1 -+ prob) / 2``.

    Parameters
    ----------
    values : array_like
        Draws (``inf`` when censored).
    prob : float
        Mass of the interval in (0, 1) (not checked here).

    Returns
    -------
    tuple of float
        ``(lower, upper)`` in the units of ``values``; an end in the censored mass is
        ``inf``.

    Examples
    --------
    >>> interval([2030.0, 2031.0, 2032.0, float("inf")], 0.5)
    (2030.0, 2032.0)
    """
    lo, hi = quantile(values, [(1 - prob) / 2, (1 + prob) / 2])
    return float(lo), float(hi)


def interval_width(lower: Any, upper: Any) -> Any:
    """Width ``upper - lower`` of an interval, ``inf`` when its lower end is censored.

    Parameters
    ----------
    lower, upper : float or array_like
        The interval's ends (e.g. years; ``inf`` in the censored mass).

    Returns
    -------
    float or numpy.ndarray
        The width in the units of the ends (a float for scalar ends).

    An interval that starts in the censored mass lies in it whole; ``inf - inf`` would be
    NaN, and an unknown width is not what it is.

    Examples
    --------
    >>> interval_width(2030.0, 2040.0), interval_width(float("inf"), float("inf"))
    (10.0, inf)
    """
    lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    finite = np.isfinite(lower)
    width = np.where(finite, upper - np.where(finite, lower, 0.0), np.inf)
    return float(width) if width.ndim == 0 else width


def wall_binds(wall_year: Any, arrival_year_no_wall: Any) -> np.ndarray:
    """Per draw, whether the data wall binds before the wall-off arrival.

    Parameters
    ----------
    wall_year : array_like
        The first year the walled compute outgrows the usable data (``inf``: never by
        the horizon).
    arrival_year_no_wall : array_like
        The same draws' arrival year with the wall off (``inf``: censored).

    Returns
    -------
    numpy.ndarray of bool
        ``wall_year < arrival_year_no_wall``: for a draw that never arrives without the
        wall, whether the wall binds by the horizon.

    Examples
    --------
    >>> wall_binds([2028.0, 2035.0, 2040.0], [2030.0, 2031.0, float("inf")]).tolist()
    [True, False, True]
    """
    return np.asarray(wall_year).ravel() < np.asarray(arrival_year_no_wall).ravel()


def wall_binding_share(draws: Mapping[Hashable, Any]) -> float:
    """Share of draws in which the data wall binds before AGI arrives.

    Parameters
    ----------
    draws : mapping
        A forecast's draws (e.g. :attr:`Forecast.draws <agi_timelines.Forecast.draws>`),
        with ``wall_year`` and ``arrival_year_no_wall`` when the data wall is on.

    Returns
    -------
    float
        The mean of :func:`wall_binds` (probability); 0 when the draws have no data wall
        (it never binds), NaN when there is no draw.

    Examples
    --------
    >>> draws = {"wall_year": [2028.0, 2040.0], "arrival_year_no_wall": [2030.0, 2031.0]}
    >>> wall_binding_share(draws)
    0.5
    >>> wall_binding_share({"arrival_year": [2030.0]})
    0.0
    """
    if "wall_year" not in draws:
        return 0.0
    binds = wall_binds(np.asarray(draws["wall_year"]), np.asarray(draws["arrival_year_no_wall"]))
    return float(np.mean(binds)) if binds.size else math.nan
