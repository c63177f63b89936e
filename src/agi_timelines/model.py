"""The PyMC model: priors → growth axes → effective compute → arrival year.

:func:`build_model` turns a :class:`~agi_timelines.Scenario` into one ``pm.Model`` with
a named random variable per uncertain assumption (``compute_rate`` in OOM/yr, ...) and
deterministics for the trajectory pieces and ``arrival_year``.  Prior hyper-parameters
and point values enter as pytensor shared variables, so scenarios of equal *structure*
share one compiled graph (see :mod:`agi_timelines.forecast`).

Effective compute above the reference, in OOMs, is

    E(t) = W(c(t) + a(t)) + u(t)        (data_wall.binds = "pretraining", the default)
    E(t) = W(c(t)) + a(t) + u(t)        (data_wall.binds = "physical")

with ``c`` physical compute (one trend or spending + hardware), ``a`` algorithms, ``u``
unhobbling and ``W`` the data wall (identity when it is off).  The axes the wall acts on are
the *walled* group (:func:`walled_and_free`).  The arrival year is
``T = inf{t >= t_ref : E(t) >= R}``, censored (``inf``) past the horizon.  Without the
wall, ``E`` is linear between the axes' breakpoints, so ``T`` is found exactly: the
breakpoints bracket the crossing and a linear interpolation solves it.  With the wall,
E is concave on the bracket and Newton steps from its left end converge to it.

Examples
--------
>>> import agi_timelines as agt
>>> model = agt.build_model(agt.Scenario.preset("aschenbrenner-2024"), draws=10)
>>> "arrival_year" in model.named_vars and "compute_rate" in model.named_vars
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, overload

import numpy as np
import pymc as pm
import pytensor
import pytensor.tensor as pt

from . import data_wall, growth
from . import structure as registry
from ._backend import TensorLike, xp_of
from .priors import flat_hyper, shared_hyper
from .scenario import Scenario
from .structure import Structure, units

__all__ = ["UNITS", "build_model", "contributions", "units", "var_name"]

NEWTON_STEPS = 8
"""Newton steps inside the bracketing segment when the data wall is on (see
:func:`_newton_from_left`)."""

UNITS = registry.UNITS
"""Units of each variable, by the last part of its name."""


def var_name(path: str) -> str:
    """Model variable name for a scenario field path (``compute.rate`` → ``compute_rate``)."""
    return path.replace(".", "_")


def _structure(shape: Structure | Scenario) -> Structure:
    """``shape`` as a :class:`~agi_timelines.structure.Structure` (a scenario's structure)."""
    return shape if isinstance(shape, Structure) else shape.structure()


@dataclass
class Graph:
    """The symbolic pieces of a scenario's structure, with shared numbers.

    ``numbers`` lists every shared variable whose value comes from the scenario, in the
    order :meth:`set_numbers` fills them, so one graph serves every scenario of the same
    :meth:`~agi_timelines.Scenario.structure`.
    """

    scenario: Scenario
    numbers: list[Any] = field(default_factory=list)
    t0: Any = None
    horizon: Any = None
    log10_ref: Any = None
    points: dict[str, Any] = field(default_factory=dict)
    hyper: dict[str, Any] = field(default_factory=dict)
    copulas: list[tuple[tuple[str, ...], Any]] = field(default_factory=list)
    calibrated: dict[str, Any] = field(default_factory=dict)
    structure: Structure = field(init=False)

    def __post_init__(self) -> None:
        self.structure = self.scenario.structure()
        self.t0 = self._shared(0.0)
        self.horizon = self._shared(0.0)
        self.log10_ref = self._shared(0.0)
        for path, prior in self.scenario.prior_fields().items():
            if prior.is_random:
                self.hyper[path] = shared_hyper(prior.hyper(), self.numbers)
            else:
                self.points[path] = self._shared(0.0)
        for group in self.scenario.correlation_groups():
            # lower Cholesky factor of the group's copula correlation matrix
            chol = pytensor.shared(np.eye(len(group)))
            self.numbers.append(chol)
            self.copulas.append((group, chol))
        self.set_numbers(self.scenario)

    def _shared(self, value: float) -> Any:
        var = pytensor.shared(np.float64(value))
        self.numbers.append(var)
        return var

    def set_numbers(self, scenario: Scenario) -> None:
        """Load ``scenario``'s numbers into the shared variables (structures must match)."""
        if scenario.structure() != self.structure:
            raise ValueError("scenario structure differs from the compiled graph's")
        values: list[np.ndarray | np.float64] = [
            np.float64(scenario.reference.year),
            np.float64(scenario.horizon),
            np.float64(math.log10(scenario.reference.flop)),
        ]
        for prior in scenario.prior_fields().values():
            values += flat_hyper(prior.hyper()) if prior.is_random else [np.float64(prior.value)]
        for group in scenario.correlation_groups():
            values.append(np.linalg.cholesky(scenario.correlation_matrix(group)))
        for var, value in zip(self.numbers, values, strict=True):
            var.set_value(value)

    def random_variables(self, size: int) -> dict[str, Any]:
        """Register one random variable per random prior in the current model.

        Plus the wall's breakthrough uniform; returns ``{path: variable}``.

        Correlated priors (:meth:`~agi_timelines.Scenario.correlation_groups`) are drawn
        by a Gaussian copula instead: per group one variable ``copula_<i>_normals`` of
        shape ``(size, n)`` of independent standard normals, multiplied by the Cholesky
        factor of the group's correlation matrix, and each column pushed through its
        prior's quantile function (``from_normal_score`` of each prior)
        into a deterministic named like any other parameter.
        """
        out = {}
        correlated = {p for group, _ in self.copulas for p in group}
        for path, prior in self.scenario.random_fields().items():
            if path not in correlated:
                out[path] = prior.to_pymc(var_name(path), size, hyper=self.hyper[path])
        random = self.scenario.random_fields()
        for i, (group, chol) in enumerate(self.copulas):
            normals = pm.Normal(f"copula_{i}_normals", 0.0, 1.0, shape=(size, len(group)))
            scores = pt.dot(normals, chol.T)
            for j, path in enumerate(group):
                value = random[path].from_normal_score(scores[:, j], hyper=self.hyper[path])
                out[path] = pm.Deterministic(var_name(path), value)
        if self.structure.wall:
            out["data_wall.breakthrough_u"] = pm.Uniform(
                "data_wall_breakthrough_u", 0.0, 1.0, shape=(size,)
            )
        for path in self._calibrated():
            # NaN placeholders (a forgotten fill gives NaN, not a number): forecast replaces
            # them with a calibration's draws, build_model fills them (see set_calibrated)
            holder = self.calibrated.setdefault(path, pytensor.shared(np.full(size, np.nan)))
            out[path] = pm.Deterministic(var_name(path), holder)
        return out

    def set_calibrated(self, values: dict[str, np.ndarray]) -> None:
        """Fill the placeholders of :meth:`random_variables` with per-draw values.

        These are the calibrated inputs (a ``horizon_hours`` requirement's ``D`` and ``h_ref``).
        """
        for path, value in values.items():
            self.calibrated[path].set_value(np.asarray(value, dtype=float))

    def _calibrated(self) -> tuple[str, ...]:
        return self.structure.route_spec.calibrated

    def random_paths(self) -> list[str]:
        """Paths of :meth:`random_variables`, in order."""
        return self.structure.random_paths

    def seed_key(self, path: str) -> str:
        """Name whose CRC-32 seeds ``path``'s draws.

        The path itself, or for correlated paths their copula group's ``"copula:a,b,..."`` (one
        random stream per group).
        """
        for group, _ in self.copulas:
            if path in group:
                return "copula:" + ",".join(group)
        return path

    def outputs(
        self, random: dict[str, TensorLike], wall: bool | None = None
    ) -> dict[str, TensorLike]:
        """Deterministic quantities from the random draws (symbolic); see :func:`solve`."""
        p = {**self.points, **random}
        return solve(self.structure, p, self.t0, self.horizon, self.log10_ref, wall=wall)


def _axis_params(
    p: Mapping[str, TensorLike], prefix: str
) -> tuple[TensorLike, TensorLike, TensorLike, TensorLike]:
    return (
        p[prefix + "rate"],
        p[prefix + "slowdown_year"],
        p[prefix + "late_rate"],
        p[prefix + "cap"],
    )


def _grouped_gains(
    shape: Structure | Scenario,
    p: Mapping[str, TensorLike],
    t: TensorLike,
    t0: TensorLike,
    wall_on: bool,
) -> tuple[TensorLike, TensorLike]:
    walled, free = _structure(shape).split_axes(wall_on)
    w = sum(growth.gain(t, *_axis_params(p, pre), t0) for pre in walled)
    o = sum(growth.gain(t, *_axis_params(p, pre), t0) for pre in free)
    return w, o


def physical_and_other(
    shape: Structure | Scenario, p: Mapping[str, TensorLike], t: TensorLike, t0: TensorLike
) -> tuple[TensorLike, TensorLike]:
    """Physical compute ``c(t)`` and ``a(t) + u(t)``, OOMs above the reference.

    ``shape`` is a :class:`~agi_timelines.structure.Structure` (or a scenario, whose
    structure is taken); ``p`` the draws by path; ``t`` and ``t0`` decimal years.
    """
    return _grouped_gains(shape, p, t, t0, wall_on=False)


def walled_and_free(
    shape: Structure | Scenario, p: Mapping[str, TensorLike], t: TensorLike, t0: TensorLike
) -> tuple[TensorLike, TensorLike]:
    """Return the OOMs the data wall acts on, and the rest, at year ``t`` (wall on).

    ``data_wall.binds = "pretraining"`` (default): pretraining effective compute
    ``c(t) + a(t)`` and unhobbling ``u(t)``; ``"physical"``: ``c(t)`` and ``a(t) + u(t)``
    (the groups are the :data:`~agi_timelines.structure.AXES` entries' ``walled_by``).
    """
    return _grouped_gains(shape, p, t, t0, wall_on=True)


@overload
def wall_line(
    p: Mapping[str, np.ndarray], log10_ref: float
) -> tuple[np.ndarray, np.ndarray]: ...  # numpy draws give numpy arrays
@overload
def wall_line(
    p: Mapping[str, TensorLike], log10_ref: TensorLike
) -> tuple[TensorLike, TensorLike]: ...
def wall_line(p: Mapping[str, TensorLike], log10_ref: TensorLike) -> tuple[TensorLike, TensorLike]:
    """Return the wall as a line in time: ``wall_ooms(D_max(t)) = w0 + slope * (t - t0)``.

    ``log10 D_max`` grows linearly (a constant yearly growth of the stock) and the wall is
    linear in ``log10 D_max``, so the wall (physical OOMs above the reference) is linear.
    Returns ``(w0, slope)`` in OOMs and OOM/yr.
    """
    xp = xp_of(log10_ref, *p.values())
    d0 = p["data_wall.stock_tokens"] * p["data_wall.repetition"]
    w0 = data_wall.wall_ooms(d0, 10.0**log10_ref)
    slope = data_wall.wall_ooms(d0 * (1.0 + p["data_wall.stock_growth"]), 10.0**log10_ref) - w0
    return w0, slope + 0.0 * xp.log10(d0)


def effective_compute(
    shape: Structure | Scenario,
    p: Mapping[str, TensorLike],
    t: TensorLike,
    t0: TensorLike,
    log10_ref: TensorLike,
    *,
    wall: bool | None = None,
    breakthrough_year: TensorLike = np.inf,
    line: tuple[TensorLike, TensorLike] | None = None,
) -> TensorLike:
    """E(t) in OOMs above the reference (``wall=None``: as the scenario says).

    With the wall on, ``E = W(x) + o`` where ``(x, o)`` is :func:`walled_and_free`.

    ``breakthrough_year`` (from :func:`solve`) is the year after which the data wall no
    longer binds (``inf``: never).  ``line`` is :func:`wall_line`'s result, if at hand.
    """
    shape = _structure(shape)
    if not (shape.wall if wall is None else wall):
        c, o = physical_and_other(shape, p, t, t0)
        return c + o
    c, o = walled_and_free(shape, p, t, t0)
    xp = xp_of(c, t, breakthrough_year)
    w0, slope = wall_line(p, log10_ref) if line is None else line
    w = w0 + slope * (t - t0)
    walled = w + data_wall.wall_response(c - w)[0]
    return xp.where(t >= breakthrough_year, c, walled) + o


def requirement_ooms(
    shape: Structure | Scenario, p: Mapping[str, TensorLike], log10_ref: TensorLike
) -> TensorLike:
    """Return the requirement R in OOMs above the reference."""
    return requirement_outputs(shape, p, log10_ref)["requirement"]


def requirement_outputs(
    shape: Structure | Scenario, p: Mapping[str, TensorLike], log10_ref: TensorLike
) -> dict[str, TensorLike]:
    """Return R and the route's other outputs.

    R is ``"requirement"``, in OOMs above the reference; the other outputs are the route's
    :attr:`~agi_timelines.structure.RouteSpec.convert`.
    """
    shape = _structure(shape)
    route = shape.route_spec
    rate = None
    if route.needs_early_rate:  # r_E: the sum of the axes' early rates, OOM/yr
        rate = sum(p[path] for path in shape.early_rate_paths)
    return route.convert(p, log10_ref, rate)


def wall_year(
    shape: Structure | Scenario,
    p: Mapping[str, TensorLike],
    t0: TensorLike,
    horizon: TensorLike,
    line: tuple[TensorLike, TensorLike],
) -> TensorLike:
    """First year the walled compute exceeds what the data supports (``inf``: not by horizon).

    The walled compute ``x(t)`` is :func:`walled_and_free`'s first part (``c + a`` when the
    wall binds pretraining, ``c`` when it binds physical compute).  ``x(t) - wall(t)`` is
    piecewise linear in ``t`` (the wall is a line, see :func:`wall_line`), so the first
    crossing is exact: order the breakpoints, take the first segment that crosses zero, and
    interpolate.
    """
    shape = _structure(shape)
    walled, _ = shape.split_axes(wall_on=True)
    xp = xp_of(t0, *p.values())
    inner: list[TensorLike] = []
    for pre in walled:
        inner += growth.breakpoints(*_axis_params(p, pre), t0, horizon)
    w0, slope = line

    def gap(t: TensorLike) -> TensorLike:
        c, _ = walled_and_free(shape, p, t, t0)
        return c - (w0 + slope * (t - t0))

    grid = [t0 + 0.0 * w0, *_sorting_network(xp, inner), horizon + 0.0 * w0]
    prev_t, prev_g = grid[0], gap(grid[0])
    year = xp.where(prev_g >= 0, prev_t, np.inf)
    for t_k in grid[1:]:
        g_k = gap(t_k)
        cross = xp.isinf(year) & (prev_g < 0) & (g_k >= 0)
        safe = xp.where(cross, g_k - prev_g, 1.0)
        year = xp.where(cross, prev_t - prev_g * (t_k - prev_t) / safe, year)
        prev_t, prev_g = t_k, g_k
    return year


def _sorting_network(xp: ModuleType, values: list[TensorLike]) -> list[TensorLike]:
    """Sort a few arrays elementwise with min/max (odd-even transposition; fuses well)."""
    v = list(values)
    for rnd in range(len(v)):
        for i in range(rnd % 2, len(v) - 1, 2):
            v[i], v[i + 1] = xp.minimum(v[i], v[i + 1]), xp.maximum(v[i], v[i + 1])
    return v


def solve(
    shape: Structure | Scenario,
    p: Mapping[str, TensorLike],
    t0: TensorLike,
    horizon: TensorLike,
    log10_ref: TensorLike,
    *,
    wall: bool | None = None,
) -> dict[str, TensorLike]:
    """Deterministic outputs for draws ``p`` (``{path: values}``; numpy or pytensor).

    Returns ``requirement`` (OOMs; for a ``log10_flop`` or ``horizon_hours`` requirement),
    ``horizon_doublings_per_oom`` (doublings/OOM; ``horizon_hours`` only), the
    axes' ``*_cap_year``, ``arrival_year`` (``inf`` when censored) and, with the wall on,
    ``wall_year`` and ``breakthrough_year``.  ``wall=False`` ignores an enabled wall
    (same draws, wall switched off).
    """
    shape = _structure(shape)
    xp = xp_of(t0, horizon, log10_ref, *p.values())
    out: dict[str, TensorLike] = {}
    route = requirement_outputs(shape, p, log10_ref)
    R = route["requirement"]
    out |= {k: route[k] for k in shape.route_spec.outputs}
    bps: list[TensorLike] = []
    for pre in shape.axes:  # every axis, in field order
        slowdown, cap_at = growth.breakpoints(*_axis_params(p, pre), t0, horizon)
        bps += [slowdown, cap_at]
        out[var_name(pre + "cap_year")] = growth.cap_year(*_axis_params(p, pre), t0)

    wall_on = shape.wall if wall is None else wall and shape.wall
    by: TensorLike = np.inf
    line = None
    if wall_on:
        line = wall_line(p, log10_ref)
        wy = wall_year(shape, p, t0, horizon, line)
        broke = p["data_wall.breakthrough_u"] < p["data_wall.p_break"]
        by = xp.where(broke, wy + p["data_wall.tau"], np.inf)
        out["wall_year"], out["breakthrough_year"] = wy, by
        bps.append(xp.minimum(xp.maximum(by, t0), horizon))

    def E(t: TensorLike) -> TensorLike:
        return effective_compute(
            shape, p, t, t0, log10_ref, wall=wall_on, breakthrough_year=by, line=line
        )

    t_lo, e_lo, t_hi, e_hi = bracket(E, R, bps, t0, horizon)
    found = ~xp.isinf(t_hi)
    if wall_on:
        t_hi = xp.where(found, t_hi, t_lo)
        assert line is not None  # set above whenever the wall is on
        crossing = t_lo + _newton_from_left(shape, p, R, t_lo, t_hi, by, t0, line)
    else:
        span = xp.where(found & (e_hi > e_lo), e_hi - e_lo, 1.0)
        frac = xp.minimum(xp.maximum((R - e_lo) / span, 0.0), 1.0)
        crossing = t_lo + frac * (xp.where(found, t_hi, t_lo) - t_lo)
    at_start = E(t0) >= R
    out["arrival_year"] = xp.where(at_start, t0 + 0.0 * R, xp.where(found, crossing, np.inf))
    return out


def bracket(
    E: Callable[[TensorLike], TensorLike],
    R: TensorLike,
    breakpoints: list[TensorLike],
    t0: TensorLike,
    horizon: TensorLike,
) -> tuple[TensorLike, ...]:
    """Bracket the first ``t`` in ``[t0, horizon]`` with ``E(t) >= R`` (``E`` non-decreasing).

    Returns ``(t_lo, E(t_lo), t_hi, E(t_hi))``: ``t_lo`` is the latest breakpoint (or ``t0``)
    still below ``R``, ``t_hi`` the earliest breakpoint (or ``horizon``) at or above it, or
    ``inf`` when ``E(horizon) < R`` (censored).  No breakpoint lies strictly between them,
    so every axis is linear on ``[t_lo, t_hi]``.
    """
    xp = xp_of(t0, horizon, R, *breakpoints)
    t_lo = t0 + 0.0 * R
    e_lo = E(t0) + 0.0 * R
    t_hi = t_lo + np.inf
    e_hi = t_hi
    for b in [*breakpoints, horizon]:
        eb = E(b)
        below = eb < R
        lo = below & (b > t_lo)
        t_lo, e_lo = xp.where(lo, b, t_lo), xp.where(lo, eb, e_lo)
        hi = ~below & (b < t_hi)
        t_hi, e_hi = xp.where(hi, b, t_hi), xp.where(hi, eb, e_hi)
    return t_lo, e_lo, t_hi, e_hi


def _newton_from_left(
    shape: Structure,
    p: Mapping[str, TensorLike],
    R: TensorLike,
    t_lo: TensorLike,
    t_hi: TensorLike,
    breakthrough: TensorLike,
    t0: TensorLike,
    line: tuple[TensorLike, TensorLike],
) -> TensorLike:
    """Years after ``t_lo`` at which E reaches R, with the data wall on.

    On the bracket, the walled compute ``c`` (:func:`walled_and_free`), the other axes
    ``o`` and ``log10 D_max`` are linear in time, so the wall ``w(t)`` is too, and
    ``E = w + f(c - w) + o`` with ``f``
    concave (:func:`~agi_timelines.data_wall.wall_response`): ``E`` is concave and
    increasing.  Newton's method started at the left end then never overshoots the root and
    converges monotonically.  Past a breakthrough ``E = c + o`` is linear and one step is
    exact.
    """
    xp = xp_of(t_lo, t_hi, R)
    span = t_hi - t_lo
    safe = xp.where(span > 0, span, 1.0)
    c_lo, o_lo = walled_and_free(shape, p, t_lo, t0)
    c_hi, o_hi = walled_and_free(shape, p, t_hi, t0)
    k_c, k_o = (c_hi - c_lo) / safe, (o_hi - o_lo) / safe
    w0, k_w = line
    w_lo = w0 + k_w * (t_lo - t0)
    free = t_lo >= breakthrough
    tau = 0.0 * span
    for _ in range(NEWTON_STEPS):
        c = c_lo + k_c * tau
        w = w_lo + k_w * tau
        f, df = data_wall.wall_response(c - w)
        e = xp.where(free, c, w + f) + o_lo + k_o * tau
        de = xp.where(free, k_c, k_w + df * (k_c - k_w)) + k_o
        step = xp.where(de > 0, (R - e) / xp.where(de > 0, de, 1.0), span)
        tau = xp.minimum(tau + xp.maximum(step, 0.0), span)
    return tau


def contributions(
    shape: Structure | Scenario,
    p: Mapping[str, TensorLike],
    years: TensorLike,
    t0: float,
    with_wall: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Per-draw contributions to E(t), OOMs, each of shape ``(len(years), draws)``.

    One entry per growth axis in use, keyed by its :data:`~agi_timelines.structure.AXES`
    label (``compute``, or ``spending`` and ``hardware`` when compute is split, then
    ``algorithms``, ``unhobbling``); with the wall on and ``with_wall`` given (E(t) with the
    wall, same shape), also ``data wall (loss)``: ``E with wall - E without`` (<= 0).

    Parameters
    ----------
    shape : Structure or Scenario
        The model's structure.
    p : dict of str to numpy.ndarray
        Draws by path (``fc.parameters()``), each of length ``draws`` (or a scalar).
    years : array_like
        Decimal years.
    t0 : float
        Reference year.
    with_wall : numpy.ndarray, optional
        E(t) with the data wall, OOMs, ``(len(years), draws)``.
    """
    shape = _structure(shape)
    t = np.asarray(years, dtype=float)[:, None]
    out: dict[str, np.ndarray] = {}
    for spec in shape.axis_specs:
        rate, slowdown, late, cap = (
            np.asarray(p[spec.prefix + k])[None, ...] for k in registry.AXIS_FIELDS
        )
        out[spec.label] = np.asarray(growth.gain(t, rate, slowdown, late, cap, t0))  # no copy
    if shape.wall and with_wall is not None:
        # E with the wall minus E without it; without it, E is the sum of the axes
        out["data wall (loss)"] = with_wall - sum(out.values())
    return out


def build_model(scenario: Scenario, draws: int = 1000) -> pm.Model:
    """Build the PyMC model of ``scenario`` with ``draws`` vectorised draws per variable.

    Every random prior becomes a named random variable (``compute_rate``, ...; units in
    :data:`UNITS`), the trajectory pieces and ``arrival_year`` are deterministics.
    Prior parameters are pytensor shared variables.  A ``horizon_hours`` requirement's
    ``horizon_doublings_per_year`` and ``horizon_h_ref`` hold posterior draws of the
    scenario's time-horizon calibration (fitted once per process; resampled with seed 0).  Use
    :func:`agi_timelines.forecast` for fast, chunked, seeded sampling;
    ``pm.sample_prior_predictive`` also works on this model.

    Parameters
    ----------
    scenario : Scenario
        The assumptions.
    draws : int
        Length of the draw dimension of each variable (>= 1).

    Returns
    -------
    pymc.Model
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be an agi_timelines.Scenario, got {type(scenario)}")
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise ValueError(f"draws must be a positive integer, got {draws!r}")
    graph = Graph(scenario)
    with pm.Model() as model:
        random = graph.random_variables(int(draws))
        if graph.structure.route_spec.calibrated:
            from .horizons import forecast_inputs

            graph.set_calibrated(forecast_inputs(scenario, int(draws), 0)[0])
        for name, value in graph.outputs(random).items():
            pm.Deterministic(name, value * pt.ones((int(draws),)))
    model.agi_graph = graph
    return model
