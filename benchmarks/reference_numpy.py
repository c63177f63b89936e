"""An independent plain-numpy implementation of the forecast model (data wall off).

Written from SPEC.md sections 2-3, 5-6 only: it shares no code with
``agi_timelines.model``/``axes``/``forecast`` (it reads a :class:`~agi_timelines.Scenario`
object for its numbers, nothing else).  The tests compare the library's arrival-year
distribution with this one; the benchmark uses it as the speed baseline.

Model (OOMs above the reference run at ``t_ref``)::

    g(t)  = min(cap, rate * (min(t, s) - t_ref)^+ + late * (t - max(s, t_ref))^+)   per axis
    E(t)  = c(t) + a(t) + u(t)          (c = one trend, or spending + hardware)
    T     = inf{t >= t_ref : E(t) >= R}, inf if E(horizon) < R

``T`` is found by vectorised bisection on ``[t_ref, horizon]`` to below 1e-6 yr (``E`` is
non-decreasing in ``t``).  Priors are sampled with numpy's ``Generator``; a ``ci90`` is the
log-normal (or normal) whose 5th/95th percentiles are ``lo``/``hi``.

Examples
--------
>>> import sys; sys.path.insert(0, "benchmarks")
>>> import agi_timelines as agt
>>> from reference_numpy import reference_forecast
>>> s = agt.Scenario.from_dict({"compute": {"rate": 0.5}, "requirement": {"ooms": 2.0}})
>>> round(float(reference_forecast(s, draws=3, seed=0)[0]), 4)  # 2 OOMs at 0.5 OOM/yr
2027.2
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["Z95", "reference_forecast", "sample_prior"]

Z95 = 1.6448536269514722
"""Standard-normal 95th percentile: a central 90% interval is ``mean +/- Z95 * sd``."""

TOL_YEARS = 1e-6
"""Bisection tolerance on the arrival year (yr)."""


def sample_prior(prior: Any, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` draws of one prior of the scenario schema, by its ``kind`` (numpy only).

    Parameters
    ----------
    prior : agi_timelines prior object
        Read through its fields (``kind``, ``mu``, ``lo`` ...), nothing else.
    n : int
        Number of draws.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)``, float64.
    """
    kind = prior.kind
    if kind == "point":
        return np.full(n, float(prior.value))
    if kind == "normal":
        return prior.mu + prior.sigma * rng.standard_normal(n)
    if kind == "lognormal":
        return np.exp(prior.mu + prior.sigma * rng.standard_normal(n))
    if kind == "uniform":
        return prior.lower + (prior.upper - prior.lower) * rng.random(n)
    if kind == "beta":
        return rng.beta(prior.alpha, prior.beta, n)
    if kind == "ci90":
        z = rng.standard_normal(n)
        if prior.dist_family == "lognormal":
            lo, hi = math.log(prior.lo), math.log(prior.hi)
            return np.exp((lo + hi) / 2 + (hi - lo) / (2 * Z95) * z)
        return (prior.lo + prior.hi) / 2 + (prior.hi - prior.lo) / (2 * Z95) * z
    if kind == "mixture":
        weights = np.asarray(prior.weights, dtype=float)
        which = rng.choice(len(weights), size=n, p=weights / weights.sum())
        out = np.empty(n)
        for k, comp in enumerate(prior.components):
            sel = which == k
            out[sel] = sample_prior(comp, int(sel.sum()), rng)
        return out
    raise ValueError(f"reference_numpy: unsupported prior kind {kind!r}")


def _axis_draws(axis: Any, n: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """(rate, slowdown_year, late_rate, cap) draws of one axis (missing fields: defaults)."""
    defaults = {"slowdown_year": math.inf, "late_rate": 0.0, "cap": math.inf}
    out = []
    for name in ("rate", "slowdown_year", "late_rate", "cap"):
        prior = getattr(axis, name, None)
        if prior is None:
            out.append(np.full(n, defaults[name]))
        else:
            out.append(sample_prior(prior, n, rng))
    return tuple(out)


def _gain(t: np.ndarray, t0: float, rate, slow, late, cap) -> np.ndarray:
    """OOMs gained on one axis by year ``t`` (SPEC section 3)."""
    early = rate * np.maximum(np.minimum(t, slow) - t0, 0.0)
    with np.errstate(invalid="ignore"):  # late = 0 times an infinite span never happens:
        # slow = inf makes t - max(slow, t0) = -inf, clipped to 0 first.
        later = late * np.maximum(t - np.maximum(slow, t0), 0.0)
    return np.minimum(early + later, cap)


def reference_forecast(
    scenario: Any, draws: int, seed: int, chunk_size: int = 250_000
) -> np.ndarray:
    """Arrival years of ``draws`` Monte Carlo draws of ``scenario`` (``inf``: censored).

    Parameters
    ----------
    scenario : agi_timelines.Scenario
        Must have the data wall off (``scenario.data_wall.enabled`` false).
    draws : int
        Number of draws.
    seed : int
        Seed of the numpy generator (not comparable with the library's seeds).
    chunk_size : int
        Draws solved at once (bounds memory).

    Returns
    -------
    numpy.ndarray
        Arrival years, shape ``(draws,)``; ``inf`` when ``E(horizon) < R``.  ``not_before``
        removes the earlier draws, like the library.
    """
    if scenario.data_wall.enabled:
        raise ValueError("reference_numpy models the data wall off only")
    rng = np.random.default_rng(seed)
    t0 = float(scenario.reference.year)
    horizon = float(scenario.horizon)
    n = int(draws)

    comp = scenario.compute
    if comp.spending is not None:
        axis_list = [comp.spending, comp.hardware]
    else:
        axis_list = [comp]
    axis_list += [scenario.algorithms, scenario.unhobbling]
    params = [_axis_draws(axis, n, rng) for axis in axis_list]
    req = scenario.requirement
    if req.ooms is not None:
        R = sample_prior(req.ooms, n, rng)
    else:
        R = sample_prior(req.log10_flop, n, rng) - math.log10(scenario.reference.flop)

    steps = math.ceil(math.log2((horizon - t0) / TOL_YEARS)) + 1
    arrival = np.empty(n)
    for start in range(0, n, chunk_size):
        sl = slice(start, min(start + chunk_size, n))
        pars = [tuple(x[sl] for x in axis) for axis in params]
        r = R[sl]

        def E(t: np.ndarray, pars=pars) -> np.ndarray:
            return sum(_gain(t, t0, *axis) for axis in pars)

        lo = np.full(r.shape, t0)
        hi = np.full(r.shape, horizon)
        at_start = E(lo) >= r
        reached = E(hi) >= r
        for _ in range(steps):  # invariant: E(lo) < R <= E(hi) (where it matters)
            mid = 0.5 * (lo + hi)
            up = E(mid) >= r
            hi = np.where(up, mid, hi)
            lo = np.where(up, lo, mid)
        arrival[sl] = np.where(at_start, t0, np.where(reached, hi, np.inf))
    if scenario.not_before is not None:
        arrival = arrival[arrival >= scenario.not_before]
    return arrival
