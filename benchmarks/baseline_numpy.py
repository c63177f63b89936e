"""The speed baseline: the forecast model solved in closed form with plain numpy.

The model of ``docs/model.md`` as a competent numpy user would write it.  Every axis
is linear between its breakpoints (slowdown and cap years, and the breakthrough year), so
the breakpoints, sorted, bracket the arrival; without the wall a linear interpolation is
exact, with it vectorised Newton steps (analytic derivative of the loss) from the
bracket's left end.  Sampling and the model's pieces come from the tests' independent
numpy reference (``tests/reference_numpy.py``, whose bisection solver is the tests'
oracle), so the two solvers share them rather than repeat them.

Examples
--------
>>> import sys; sys.path[:0] = ["benchmarks", "tests"]
>>> import agi_timelines as agt
>>> from baseline_numpy import baseline_forecast
>>> s = agt.Scenario.from_dict({"compute": {"rate": 0.5}, "requirement": {"ooms": 2.0}})
>>> round(float(baseline_forecast(s, draws=3, seed=0)[0]), 4)  # 2 OOMs at 0.5 OOM/yr
2027.2
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

TESTS = Path(__file__).resolve().parents[1] / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from reference_numpy import Draws, reference_forecast  # noqa: E402

__all__ = ["baseline_forecast", "solve_closed_form"]

NEWTON_STEPS = 10
"""Newton steps from the bracket's left end (the wall on)."""


def _breakthrough(d: Draws) -> tuple[np.ndarray, np.ndarray]:
    wy = _wall_year(d, d.breakpoints(walled_only=True))
    return wy, np.where(d.broke, wy + d.tau, np.inf)


def solve_closed_form(
    scenario: Any, params: dict[str, np.ndarray], wall: bool | None = None
) -> dict[str, np.ndarray]:
    """Return the arrival years of the baseline, wall on or off.

    With the wall also ``wall_year`` and ``breakthrough_year``; by brackets and interpolation (wall
    off) or Newton (wall on); ``wall=False`` ignores the wall.
    """
    d = Draws(scenario, params)
    if wall is False:
        d.wall = False
    out: dict[str, np.ndarray] = {}
    bps = d.breakpoints()
    broke_at = np.full(d.n, np.inf)
    if d.wall:
        out["wall_year"], broke_at = _breakthrough(d)
        out["breakthrough_year"] = broke_at
        bps.append(np.clip(broke_at, d.t0, d.horizon))
    grid = np.sort(np.stack([np.full(d.n, d.t0), *bps, np.full(d.n, d.horizon)]), axis=0)
    e = np.stack([d.effective(g, broke_at) for g in grid])
    reached = e >= d.R
    first = np.argmax(reached, axis=0)
    found = reached.any(axis=0)
    idx = np.arange(d.n)
    k = np.maximum(first, 1)
    t_lo, t_hi = grid[k - 1, idx], grid[k, idx]
    e_lo, e_hi = e[k - 1, idx], e[k, idx]
    if not d.wall:
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.clip((d.R - e_lo) / (e_hi - e_lo), 0.0, 1.0)
        crossing = t_lo + np.where(e_hi > e_lo, frac, 0.0) * (t_hi - t_lo)
    else:
        crossing = _newton(d, t_lo, t_hi, broke_at)
    arrival = np.where(found, crossing, np.inf)
    out["arrival_year"] = np.where(reached[0], d.t0, arrival)
    return out


def _newton(d: Draws, t_lo: np.ndarray, t_hi: np.ndarray, broke_at: np.ndarray) -> np.ndarray:
    """Root of E(t) = R on [t_lo, t_hi] (E concave there), Newton from the left."""
    span = t_hi - t_lo
    safe = np.where(span > 0, span, 1.0)
    w_lo, f_lo = d.sums(t_lo)
    w_hi, f_hi = d.sums(t_hi)
    k_w, k_f = (w_hi - w_lo) / safe, (f_hi - f_lo) / safe
    free = t_lo >= broke_at
    t = t_lo.copy()
    for _ in range(NEWTON_STEPS):
        walled = w_lo + k_w * (t - t_lo)
        eff, d_x, d_logd = d.walled_effective(walled, t)
        e = np.where(free, walled, eff) + f_lo + k_f * (t - t_lo)
        de = np.where(free, k_w, d_x * k_w + d_logd * d.log10_growth) + k_f
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(de > 0, (d.R - e) / de, span)
        t = np.minimum(t + np.maximum(step, 0.0), t_hi)
    return t


def _wall_year(d: Draws, breakpoints: list[np.ndarray]) -> np.ndarray:
    """Return the first year the walled sum reaches the wall.

    Exact: both are linear between the walled breakpoints.
    """
    grid = np.sort(
        np.stack([np.full(d.n, d.t0), *breakpoints, np.full(d.n, d.horizon)]),
        axis=0,
    )
    gap = np.stack([d.sums(g)[0] - d.wall_line(g) for g in grid])
    crossed = gap >= 0
    first = np.argmax(crossed, axis=0)
    anywhere = crossed.any(axis=0)
    idx = np.arange(d.n)
    k = np.maximum(first, 1)
    t_a, t_b = grid[k - 1, idx], grid[k, idx]
    g_a, g_b = gap[k - 1, idx], gap[k, idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        interp = t_a - g_a * (t_b - t_a) / (g_b - g_a)
    year = np.where(crossed[0], d.t0, interp)
    return np.where(anywhere, year, np.inf)


def baseline_forecast(scenario: Any, draws: int, seed: int, chunk_size: int = 2**16) -> np.ndarray:
    """Return the arrival years of ``draws`` draws of ``scenario`` (``inf``: censored).

    Solved by :func:`solve_closed_form`, sampled as :func:`reference_numpy.reference_forecast`
    does.
    """
    return reference_forecast(scenario, draws, seed, chunk_size, solve=solve_closed_form)
