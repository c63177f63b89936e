"""Growth axes: monotone, piecewise-linear gains in OOMs with a cap.

An axis gains ``rate`` OOM/yr from the reference year ``t0`` until ``slowdown_year``,
then ``late_rate`` OOM/yr, and never more than ``cap`` OOMs in total:

    g(t) = min(cap, rate * clip(min(t, s) - t0, 0) + late_rate * clip(t - max(s, t0), 0))

The functions broadcast and work on numpy arrays and on pytensor tensors alike, so the
same formula runs inside the compiled PyMC graph and in plain numpy post-processing.

Examples
--------
>>> from agi_timelines.growth import gain, breakpoints
>>> float(gain(2030.0, rate=0.5, slowdown_year=2028.0, late_rate=0.1, cap=3.0, t0=2023.0))
2.7
>>> [float(b) for b in breakpoints(0.5, 2028.0, 0.1, 3.0, t0=2023.0, horizon=2100.0)]
[2028.0, 2033.0]
"""

from __future__ import annotations

import numpy as np

from ._backend import TensorLike, xp_of

__all__ = ["breakpoints", "cap_year", "gain"]


def gain(
    t: TensorLike,
    rate: TensorLike,
    slowdown_year: TensorLike,
    late_rate: TensorLike,
    cap: TensorLike,
    t0: TensorLike,
) -> TensorLike:
    """OOMs gained on one axis between ``t0`` and year ``t``.

    Parameters
    ----------
    t : array_like
        Decimal year(s).
    rate, late_rate : array_like
        Growth before / after the slowdown, OOM/yr (non-negative).
    slowdown_year : array_like
        Year the late rate takes over (``inf``: never).
    cap : array_like
        Largest total gain, OOMs (``inf``: none).
    t0 : float
        Reference year (gain 0).

    Returns
    -------
    array_like
        Gain in OOMs, non-decreasing in ``t`` and in every rate and cap.
    """
    xp = xp_of(t, rate, slowdown_year, late_rate, cap, t0)
    early = rate * xp.maximum(xp.minimum(t, slowdown_year) - t0, 0.0)
    late = late_rate * xp.maximum(t - xp.maximum(slowdown_year, t0), 0.0)
    return xp.minimum(early + late, cap)


def cap_year(
    rate: TensorLike,
    slowdown_year: TensorLike,
    late_rate: TensorLike,
    cap: TensorLike,
    t0: TensorLike,
) -> TensorLike:
    """First year the axis reaches its cap (``inf`` if it never does).

    Units as in :func:`gain`.
    """
    xp = xp_of(rate, slowdown_year, late_rate, cap, t0)
    # 0 * inf (no rate, no slowdown) and inf - inf (infinite cap) are masked by the wheres
    with np.errstate(divide="ignore", invalid="ignore"):
        pos_rate = rate > 0
        at_slowdown = xp.where(pos_rate, rate * xp.maximum(slowdown_year - t0, 0.0), 0.0)
        early = xp.where(pos_rate, t0 + cap / xp.where(pos_rate, rate, 1.0), np.inf)
        pos_late = late_rate > 0
        rest = (cap - at_slowdown) / xp.where(pos_late, late_rate, 1.0)
        late = xp.where(pos_late, xp.maximum(slowdown_year, t0) + rest, np.inf)
        return xp.where(cap <= at_slowdown, early, late)


def breakpoints(
    rate: TensorLike,
    slowdown_year: TensorLike,
    late_rate: TensorLike,
    cap: TensorLike,
    t0: TensorLike,
    horizon: TensorLike,
) -> list[TensorLike]:
    """Return the years where the axis changes slope (slowdown, cap), clipped to ``[t0, horizon]``.

    Between consecutive breakpoints of all axes, the sum of the axes is linear in time,
    which makes the arrival year exact (see :mod:`agi_timelines.model`).
    """
    xp = xp_of(rate, slowdown_year, late_rate, cap, t0, horizon)
    years = [slowdown_year, cap_year(rate, slowdown_year, late_rate, cap, t0)]
    return [xp.minimum(xp.maximum(y, t0), horizon) for y in years]
