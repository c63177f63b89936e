"""An independent plain-numpy implementation of the forecast model, with and without the wall.

Written from the model's description (``docs/model.md``): it shares no code with
``agi_timelines`` (it reads a :class:`~agi_timelines.Scenario` object for its numbers,
nothing else).  The tests compare the library with it; the benchmark uses it as the speed
baseline a competent numpy user would write.

Model (OOMs above the reference run at ``t_ref``)::

    g(t)  = min(cap, rate * (min(t, s) - t_ref)^+ + late * (t - max(s, t_ref))^+)   per axis
    E(t)  = W(c(t) + a(t)) + u(t)   (binds = "pretraining")
    E(t)  = W(c(t)) + a(t) + u(t)   (binds = "physical"; c = one trend or spending + hardware)
    T     = inf{t >= t_ref : E(t) >= R}, inf if E(horizon) < R

``W`` is the identity with the wall off.  With it on, a run of ``x`` walled OOMs trains on
at most ``D_max(t) = stock * repetition * (1 + growth)^(t - t_ref)`` tokens: past the
compute whose Chinchilla-optimal run wants exactly ``D_max`` tokens (the wall), it keeps
``D = D_max`` and ``N = C / (6 D_max)``, and its *effective* compute is the unconstrained
compute reaching the same loss ``L = E + A/N^alpha + B/D^beta``.  With probability
``p_break`` the wall lifts ``tau`` years after the walled sum first reaches it.

Solvers:

* :func:`solve_closed_form` (the speed baseline): every axis is linear between the
  breakpoints (slowdown and cap years, and the breakthrough year), so the breakpoints,
  sorted, bracket the arrival; without the wall a linear interpolation is exact, with it
  vectorised Newton steps (analytic derivative of the loss) from the bracket's left end.
* :func:`solve_bisection` (the correctness oracle): bisection on ``E(t)`` to below
  1e-9 yr; the wall year by a 1/256-yr scan and bisection.

Priors are sampled with numpy's ``Generator``; a ``ci90`` is the log-normal (or normal)
whose 5th/95th percentiles are ``lo``/``hi``.

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

from agi_timelines.structure import AXES

__all__ = [
    "Z95",
    "reference_forecast",
    "sample_params",
    "sample_prior",
    "solve_bisection",
    "solve_closed_form",
]

Z95 = 1.6448536269514722
"""Standard-normal 95th percentile: a central 90% interval is ``mean +/- Z95 * sd``."""

TOL_YEARS = 1e-9
"""Bisection tolerance on the arrival year (yr)."""

# Chinchilla loss, Epoch AI's 2024 replication; C = 6 N D
LOSS_A, LOSS_B, ALPHA, BETA = 482.01, 2085.43, 0.3478, 0.3658
FLOP_PER_PARAM_TOKEN = 6.0
_GAMMA = ALPHA * BETA / (ALPHA + BETA)
# compute-optimal split: N = G (C/6)^(beta/s), D = (C/6)^(alpha/s) / G, s = alpha + beta
_LOG10_G = math.log10(ALPHA * LOSS_A / (BETA * LOSS_B)) / (ALPHA + BETA)
# reducible loss of the optimal run: K C^-gamma, log10 K =
_LOG10_K = math.log10(
    LOSS_A * 10 ** (-ALPHA * _LOG10_G) + LOSS_B * 10 ** (BETA * _LOG10_G)
) + _GAMMA * math.log10(FLOP_PER_PARAM_TOKEN)
_LN10 = math.log(10.0)
NEWTON_STEPS = 10


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
        return rng.normal(prior.mu, prior.sigma, n)
    if kind == "lognormal":
        return rng.lognormal(prior.mu, prior.sigma, n)
    if kind == "uniform":
        return rng.uniform(prior.lower, prior.upper, n)
    if kind == "beta":
        return rng.beta(prior.alpha, prior.beta, n)
    if kind == "ci90":
        if prior.dist_family == "lognormal":
            lo, hi = math.log(prior.lo), math.log(prior.hi)
            return rng.lognormal((lo + hi) / 2, (hi - lo) / (2 * Z95), n)
        return rng.normal((prior.lo + prior.hi) / 2, (prior.hi - prior.lo) / (2 * Z95), n)
    if kind == "mixture":
        weights = np.asarray(prior.weights, dtype=float)
        which = rng.choice(len(weights), size=n, p=weights / weights.sum())
        out = np.empty(n)
        for k, comp in enumerate(prior.components):
            sel = which == k
            out[sel] = sample_prior(comp, int(sel.sum()), rng)
        return out
    raise ValueError(f"reference_numpy: unsupported prior kind {kind!r}")


def _axes(scenario: Any) -> list[tuple[str, Any, bool]]:
    """``(prefix, axis, walled)`` of every axis in use; ``walled``: behind the data wall.

    Only the axes' names and grouping come from the library's registry
    (:data:`agi_timelines.structure.AXES`); every formula here is written out again.
    """
    binds = getattr(scenario.data_wall, "binds", "physical")
    out = []
    for spec in AXES:
        node = scenario
        for part in spec.name.split("."):
            node = getattr(node, part, None)
        if node is not None and getattr(node, "rate", None) is not None:
            out.append((spec.prefix, node, binds in spec.walled_by))
    return out


_AXIS_FIELDS = ("rate", "slowdown_year", "late_rate", "cap")
_AXIS_DEFAULTS = {"slowdown_year": math.inf, "late_rate": 0.0, "cap": math.inf}
_WALL_FIELDS = ("stock_tokens", "stock_growth", "repetition", "p_break", "tau")


def sample_params(scenario: Any, draws: int, seed: int) -> dict[str, np.ndarray]:
    """Every parameter's draws by path (point masses as full arrays), one numpy stream.

    With the wall on, ``data_wall.breakthrough_u`` is a uniform(0, 1) draw: the wall lifts
    when it is below ``p_break``.
    """
    rng = np.random.default_rng(seed)
    n = int(draws)
    out: dict[str, np.ndarray] = {}
    for prefix, axis, _ in _axes(scenario):
        for name in _AXIS_FIELDS:
            prior = getattr(axis, name, None)
            out[prefix + name] = (
                np.full(n, _AXIS_DEFAULTS[name]) if prior is None else sample_prior(prior, n, rng)
            )
    req = scenario.requirement
    if req.ooms is not None:
        out["requirement.ooms"] = sample_prior(req.ooms, n, rng)
    else:
        out["requirement.log10_flop"] = sample_prior(req.log10_flop, n, rng)
    if scenario.data_wall.enabled:
        for name in _WALL_FIELDS:
            out["data_wall." + name] = sample_prior(getattr(scenario.data_wall, name), n, rng)
        out["data_wall.breakthrough_u"] = rng.random(n)
    return out


# -- the model's pieces ---------------------------------------------------------------------
def _gain(t: Any, t0: float, rate, slow, late, cap) -> np.ndarray:
    early = rate * np.maximum(np.minimum(t, slow) - t0, 0.0)
    span = np.maximum(t - np.maximum(slow, t0), 0.0)
    later = np.where(span > 0, late * np.where(span > 0, span, 1.0), 0.0)
    return np.minimum(early + later, cap)


def _cap_year(t0: float, rate, slow, late, cap) -> np.ndarray:
    """First year the axis reaches its cap (inf: never)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        before = rate * np.maximum(slow - t0, 0.0)  # gain at the slowdown
        early = np.where(rate > 0, t0 + cap / rate, np.inf)
        late_year = np.where(late > 0, np.maximum(slow, t0) + (cap - before) / late, np.inf)
    return np.where(cap <= before, early, late_year)


class _Draws:
    """One scenario's parameter draws, with the trajectory and wall helpers."""

    def __init__(self, scenario: Any, p: dict[str, np.ndarray]) -> None:
        self.t0 = float(scenario.reference.year)
        self.horizon = float(scenario.horizon)
        self.log10_ref = math.log10(scenario.reference.flop)
        self.wall = bool(scenario.data_wall.enabled)
        self.axes = [
            (tuple(p[prefix + f] for f in _AXIS_FIELDS), walled)
            for prefix, _, walled in _axes(scenario)
        ]
        if "requirement.ooms" in p:
            self.R = p["requirement.ooms"]
        else:
            self.R = p["requirement.log10_flop"] - self.log10_ref
        self.n = self.R.size
        if self.wall:
            d0 = p["data_wall.stock_tokens"] * p["data_wall.repetition"]
            self.log10_d0 = np.log10(d0)
            self.log10_growth = np.log10(1.0 + p["data_wall.stock_growth"])
            self.tau = p["data_wall.tau"]
            self.broke = p["data_wall.breakthrough_u"] < p["data_wall.p_break"]

    def sums(self, t: Any) -> tuple[np.ndarray, np.ndarray]:
        """(walled, free) OOMs at ``t`` (``t`` broadcasts against the draws)."""
        walled, free = np.zeros(self.n), np.zeros(self.n)
        for params, behind in self.axes:
            g = _gain(t, self.t0, *params)
            if behind:
                walled = walled + g
            else:
                free = free + g
        return walled, free

    def breakpoints(self, walled_only: bool = False) -> list[np.ndarray]:
        out = []
        for params, behind in self.axes:
            if walled_only and not behind:
                continue
            out += [params[1], _cap_year(self.t0, *params)]
        return [np.clip(b, self.t0, self.horizon) for b in out]

    # the wall
    def log10_dmax(self, t: Any) -> np.ndarray:
        return self.log10_d0 + self.log10_growth * (t - self.t0)

    def wall_line(self, t: Any) -> np.ndarray:
        """Walled OOMs above the reference at which the wall starts to bite, at ``t``."""
        log10_c = math.log10(FLOP_PER_PARAM_TOKEN) + (ALPHA + BETA) / ALPHA * (
            self.log10_dmax(t) + _LOG10_G
        )
        return log10_c - self.log10_ref

    def walled_effective(self, x: np.ndarray, t: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Effective OOMs of ``x`` walled OOMs at ``t``.

        And their derivatives in ``x`` and in ``log10 D_max``, from the data-constrained loss.
        """
        wall = self.wall_line(t)
        log10_d = self.log10_dmax(t)
        past = x > wall
        log10_n = np.where(past, x, wall) + self.log10_ref - math.log10(FLOP_PER_PARAM_TOKEN)
        log10_n = log10_n - log10_d
        term_n = LOSS_A * 10.0 ** (-ALPHA * log10_n)
        term_d = LOSS_B * 10.0 ** (-BETA * log10_d)
        excess = term_n + term_d
        eff = (_LOG10_K - np.log10(excess)) / _GAMMA - self.log10_ref
        d_x = ALPHA * term_n / (_GAMMA * excess)
        d_logd = (BETA * term_d - ALPHA * term_n) / (_GAMMA * excess)
        return (
            np.where(past, eff, x),
            np.where(past, d_x, 1.0),
            np.where(past, d_logd, 0.0),
        )

    def wall_year(self, breakpoints: list[np.ndarray]) -> np.ndarray:
        """First year the walled sum reaches the wall.

        Exact: both are linear between the walled breakpoints.
        """
        grid = np.sort(
            np.stack([np.full(self.n, self.t0), *breakpoints, np.full(self.n, self.horizon)]),
            axis=0,
        )
        gap = np.stack([self.sums(g)[0] - self.wall_line(g) for g in grid])
        crossed = gap >= 0
        first = np.argmax(crossed, axis=0)
        anywhere = crossed.any(axis=0)
        idx = np.arange(self.n)
        k = np.maximum(first, 1)
        t_a, t_b = grid[k - 1, idx], grid[k, idx]
        g_a, g_b = gap[k - 1, idx], gap[k, idx]
        with np.errstate(divide="ignore", invalid="ignore"):
            interp = t_a - g_a * (t_b - t_a) / (g_b - g_a)
        year = np.where(crossed[0], self.t0, interp)
        return np.where(anywhere, year, np.inf)

    def effective(self, t: Any, broke_at: np.ndarray) -> np.ndarray:
        walled, free = self.sums(t)
        if not self.wall:
            return walled + free
        eff = self.walled_effective(walled, t)[0]
        return np.where(t >= broke_at, walled, eff) + free


def _breakthrough(d: _Draws) -> tuple[np.ndarray, np.ndarray]:
    wy = d.wall_year(d.breakpoints(walled_only=True))
    return wy, np.where(d.broke, wy + d.tau, np.inf)


def solve_closed_form(
    scenario: Any, params: dict[str, np.ndarray], wall: bool | None = None
) -> dict[str, np.ndarray]:
    """Arrival years of the reference, wall on or off.

    With the wall also ``wall_year`` and ``breakthrough_year``; by brackets and interpolation (wall
    off) or Newton (wall on); ``wall=False`` ignores the wall.
    """
    d = _Draws(scenario, params)
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


def _newton(d: _Draws, t_lo: np.ndarray, t_hi: np.ndarray, broke_at: np.ndarray) -> np.ndarray:
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


def solve_bisection(
    scenario: Any, params: dict[str, np.ndarray], wall: bool | None = None
) -> dict[str, np.ndarray]:
    """Return the oracle: like :func:`solve_closed_form`, by bisection (E is non-decreasing)."""
    d = _Draws(scenario, params)
    if wall is False:
        d.wall = False
    out: dict[str, np.ndarray] = {}
    broke_at = np.full(d.n, np.inf)
    if d.wall:
        # wall year: the earliest of the first 1/256-yr scan point and the first walled
        # breakpoint (where the piecewise-linear gap peaks) at or past the wall, then
        # bisection back to the latest scan point or breakpoint before it
        def gap(t: Any) -> np.ndarray:
            return d.sums(t)[0] - d.wall_line(t)

        step = 1 / 256
        grid = np.append(np.arange(d.t0, d.horizon, step), d.horizon)
        hi = np.full(d.n, np.inf)
        for g in grid:
            hi = np.where(np.isinf(hi) & (gap(g) >= 0), g, hi)
        walled_bps = d.breakpoints(walled_only=True)
        for b in walled_bps:
            hi = np.where((gap(b) >= 0) & (b < hi), b, hi)
        at_start = gap(d.t0) >= 0
        has = np.isfinite(hi) & ~at_start
        hi = np.where(has, hi, d.t0)
        k = np.ceil((hi - d.t0) / step) - 1
        lo = np.clip(d.t0 + np.maximum(k, 0) * step, d.t0, hi)
        for b in walled_bps:
            lo = np.where((b < hi) & (b > lo), b, lo)
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            up = gap(mid) >= 0
            lo, hi = np.where(up, lo, mid), np.where(up, mid, hi)
        wy = np.where(at_start, d.t0, np.where(has, hi, np.inf))
        broke_at = np.where(d.broke, wy + d.tau, np.inf)
        out["wall_year"], out["breakthrough_year"] = wy, broke_at
    lo, hi = np.full(d.n, d.t0), np.full(d.n, d.horizon)
    at_start = d.effective(lo, broke_at) >= d.R
    reached = d.effective(hi, broke_at) >= d.R
    steps = math.ceil(math.log2((d.horizon - d.t0) / TOL_YEARS)) + 1
    for _ in range(steps):  # invariant: E(lo) < R <= E(hi) (where it matters)
        mid = 0.5 * (lo + hi)
        up = d.effective(mid, broke_at) >= d.R
        hi, lo = np.where(up, mid, hi), np.where(up, lo, mid)
    out["arrival_year"] = np.where(at_start, d.t0, np.where(reached, hi, np.inf))
    return out


def reference_forecast(
    scenario: Any,
    draws: int,
    seed: int,
    chunk_size: int = 2**16,
    solver: str = "closed_form",
) -> np.ndarray:
    """Arrival years of ``draws`` Monte Carlo draws of ``scenario`` (``inf``: censored).

    Parameters
    ----------
    scenario : agi_timelines.Scenario
        Any scenario with uncorrelated priors.
    draws : int
        Number of draws.
    seed : int
        Seed of the numpy generator (not comparable with the library's seeds).
    chunk_size : int
        Draws solved at once (bounds memory).
    solver : {"closed_form", "bisection"}
        :func:`solve_closed_form` (fast) or :func:`solve_bisection` (the oracle).

    Returns
    -------
    numpy.ndarray
        Arrival years, shape ``(draws,)``; ``inf`` when ``E(horizon) < R``.  ``not_before``
        removes the earlier draws, like the library.
    """
    solve = {"closed_form": solve_closed_form, "bisection": solve_bisection}[solver]
    params = sample_params(scenario, draws, seed)
    arrival = np.empty(int(draws))
    for start in range(0, int(draws), chunk_size):
        sl = slice(start, min(start + chunk_size, int(draws)))
        arrival[sl] = solve(scenario, {k: v[sl] for k, v in params.items()})["arrival_year"]
    if scenario.not_before is not None:
        arrival = arrival[arrival >= scenario.not_before]
    return arrival
