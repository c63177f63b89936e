"""The arrival-year solver as one compiled per-draw loop (Numba, releases the GIL).

:func:`agi_timelines.model.solve` states the mathematics once, symbolically, for the PyMC
model.  Sampling a forecast runs the same steps here, draw by draw, in a loop Numba
compiles once for every scenario structure (a fixed slot layout, see :data:`SLOTS`):

1. each axis' breakpoints (slowdown year, cap year) clipped to ``[t0, horizon]``;
2. with the data wall on: the wall as a line in time, the first year the walled axes'
   sum crosses it (exact, on the sorted walled breakpoints) and the breakthrough year;
3. the bracket ``[t_lo, t_hi]`` between consecutive breakpoints that holds the crossing
   ``E(t) = R``; on it every axis is linear, so without the wall a linear interpolation
   is exact and with it Newton steps from the left end converge monotonically (``E`` is
   concave there).

Work a draw does not need is skipped: unused axes, breakpoints outside ``(t0, horizon)``,
the bracket when ``E(t0) >= R``, Newton steps once they stop moving the root.  The loop
runs without fastmath, so results do not depend on the machine's vector width, and it
releases the GIL, so chunks of draws solve in parallel threads.
"""

from __future__ import annotations

import math
from typing import Any, TypedDict

import numba
import numpy as np

from . import data_wall
from . import structure as registry
from .structure import Structure

__all__ = ["N_AXES", "SLOTS", "Layout", "effective_grid", "solve_chunk"]

N_AXES = registry.max_axes()
"""Axis slots: the most growth axes a scenario uses at once (one compute trend, or
spending + hardware, then algorithms and unhobbling: 4).  The compiled loop reads it as a
constant, and numba's on-disk cache does not notice when it changes (the registry lives in
another file), so :func:`solve_chunk` checks the cached value (:func:`_compiled_n_axes`)."""

SLOTS = N_AXES * 4 + 7
"""Parameter slots: ``4 k + (rate, slowdown_year, late_rate, cap)`` for axis ``k``, then
``requirement``, ``stock_tokens``, ``repetition``, ``stock_growth``, ``p_break``, ``tau``,
``breakthrough_u``."""

REQ, STOCK, REPETITION, GROWTH, P_BREAK, TAU, U = range(N_AXES * 4, SLOTS)

NEWTON_STEPS = 8
"""Most Newton steps on the bracket (the symbolic solver's fixed count)."""

NEWTON_TOL = 1e-8
"""A Newton step shorter than this (yr) ends the iteration.  Newton from the left converges
quadratically, so the next step -- the error left -- is of order ``NEWTON_TOL**2`` yr."""

# axis modes
UNUSED, WALLED, FREE = 0, 1, 2

_WALL_SLOPE = data_wall._WALL_SLOPE
_WALL_OFFSET = data_wall._WALL_OFFSET
_R = data_wall._R
_EFF_RATE = data_wall._EFF_RATE
_EFF_SCALE = data_wall._EFF_SCALE
_CEILING_GAP = data_wall._CEILING_GAP

_jit = numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy")
"""Every kernel function compiles once, for one signature: the calls between them pass no
literal constants (``True``, ``0``), which Numba would type as ``Literal`` and compile a
separate specialisation for each -- the cold compile was ~40% longer that way (see
``tests/test_solver_kernels.py``)."""


def _into_grid(expr: Any, caller: Any, callee: Any) -> bool:
    """Numba's inlining cost model: inline a helper where it is called from :func:`_grid`.

    :func:`_grid` calls :func:`_effective` once per year and draw, and inlined there (with
    the helpers it calls) the E(t) grid takes 0.6x the time.  The arrival loop keeps plain
    calls: inlined at its many call sites, the cold compile took 2 s longer.
    """
    return bool(caller.func_id.func_qualname == "_grid")  # the caller's untyped IR


_NO_NRT: dict[str, Any] = {"_nrt": False}  # a target option numba's type stubs do not list

_jit_leaf = numba.njit(
    cache=True, nogil=True, fastmath=False, error_model="numpy", inline=_into_grid, **_NO_NRT
)
""":data:`_jit` for the helpers the loop calls per breakpoint (they allocate nothing): without
Numba's reference-counting runtime, a call no longer increfs and decrefs every array it is
passed.  Those atomic counter updates were a third of the loop's time (wall off 230 -> 145 ms,
wall on 880 -> 565 ms per 1e6 draws, one thread), at no cost in compile time
(``tests/test_solver_kernels.py`` checks the option is still honoured).  Inlined where
:func:`_into_grid` says."""


@_jit
def _compiled_n_axes() -> int:
    """:data:`N_AXES` as the cached compiled code has it (compiled with the loop)."""
    return N_AXES


@_jit_leaf
def _sums(t: float, v: np.ndarray, mode: np.ndarray, t0: float) -> tuple[float, float]:
    """OOMs of the walled and the free axes at year ``t`` (``axes.gain`` per axis)."""
    walled, free = 0.0, 0.0
    for k in range(N_AXES):
        if mode[k] == UNUSED:
            continue
        rate, slow, late, cap = v[4 * k], v[4 * k + 1], v[4 * k + 2], v[4 * k + 3]
        gain = rate * max(min(t, slow) - t0, 0.0)
        later = max(t - max(slow, t0), 0.0)
        if later > 0.0:  # late * 0 stays 0 even for an infinite late rate
            gain += late * later
        gain = min(gain, cap)
        if mode[k] == WALLED:
            walled += gain
        else:
            free += gain
    return walled, free


@_jit_leaf
def _response(x: float) -> tuple[float, float]:
    """Effective OOMs past the wall and their slope (``data_wall.wall_response``)."""
    if x <= 0.0:
        return x, 1.0
    decay = _R * math.exp(-_EFF_RATE * x)
    return _CEILING_GAP - _EFF_SCALE * math.log1p(decay), _EFF_SCALE * _EFF_RATE * decay / (
        1.0 + decay
    )


@_jit_leaf
def _effective(
    t: float,
    v: np.ndarray,
    mode: np.ndarray,
    t0: float,
    w0: float,
    k_w: float,
    broke_at: float,
) -> float:
    """Effective OOMs at year ``t``.

    The wall ``w0 + k_w (t - t0)`` binds the walled axes before ``broke_at``; ``broke_at = -inf`` is
    no wall at all.
    """
    walled, free = _sums(t, v, mode, t0)
    if t >= broke_at:
        return walled + free
    w = w0 + k_w * (t - t0)
    return w + _response(walled - w)[0] + free


@_jit_leaf
def _first_crossing(
    v: np.ndarray,
    mode: np.ndarray,
    t0: float,
    horizon: float,
    R: float,
    e0: float,
    bps: np.ndarray,
    nb: int | np.integer,
    w0: float,
    k_w: float,
    broke_at: float,
) -> float:
    """Return the arrival year of one draw, given ``E(t0) = e0 < R``.

    ``bps`` holds the ``nb`` breakpoints; ``broke_at = -inf``: no wall, linear interpolation; else
    Newton.

    ``E`` is non-decreasing, so walking the breakpoints in increasing order up to the
    first one at or above ``R`` finds the same bracket as testing them all.
    """
    _sort(bps, nb)
    t_lo, e_lo = t0, e0
    t_hi, e_hi = math.inf, math.inf
    for j in range(nb + 1):
        b = bps[j] if j < nb else horizon
        if b <= t_lo or (j < nb and b >= horizon):
            continue  # clipped to an end (the horizon comes last)
        eb = _effective(b, v, mode, t0, w0, k_w, broke_at)
        if eb < R:
            t_lo, e_lo = b, eb
        else:
            t_hi, e_hi = b, eb
            break
    if math.isinf(t_hi):
        return math.inf
    if broke_at == -math.inf:  # no wall: E is linear on the bracket
        span = e_hi - e_lo if e_hi > e_lo else 1.0
        frac = min(max((R - e_lo) / span, 0.0), 1.0)
        return t_lo + frac * (t_hi - t_lo)
    # Newton from the left end: E is concave and increasing on the bracket
    span = t_hi - t_lo
    safe = span if span > 0 else 1.0
    c_lo, o_lo = _sums(t_lo, v, mode, t0)
    c_hi, o_hi = _sums(t_hi, v, mode, t0)
    k_c, k_o = (c_hi - c_lo) / safe, (o_hi - o_lo) / safe
    w_lo = w0 + k_w * (t_lo - t0)
    free = t_lo >= broke_at
    tau = 0.0
    for _ in range(NEWTON_STEPS):
        c = c_lo + k_c * tau
        if free:
            e, de = c, k_c
        else:
            w = w_lo + k_w * tau
            f, df = _response(c - w)
            e, de = w + f, k_w + df * (k_c - k_w)
        e += o_lo + k_o * tau
        de += k_o
        step = (R - e) / de if de > 0 else span
        new = min(tau + max(step, 0.0), span)
        moved = new - tau
        tau = new
        if moved <= NEWTON_TOL:
            break
    return t_lo + tau


@_jit_leaf
def _sort(a: np.ndarray, n: int | np.integer) -> None:
    for i in range(1, n):
        x = a[i]
        j = i - 1
        while j >= 0 and a[j] > x:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = x


@_jit
def _solve(
    values: np.ndarray,
    slot: np.ndarray,
    const: np.ndarray,
    mode: np.ndarray,
    t0: float,
    horizon: float,
    log10_ref: float,
    req_is_flop: bool,
    wall: bool,
    twin: bool,
    arrival: np.ndarray,
    arrival_no_wall: np.ndarray,
    wall_year: np.ndarray,
    breakthrough_year: np.ndarray,
    requirement: np.ndarray,
) -> None:
    n = arrival.size
    v = const.copy()
    bps = np.empty(2 * N_AXES + 1)
    walled_bps = np.empty(2 * N_AXES)
    for i in range(n):
        for r in range(slot.size):  # the draws; constants stay in place
            v[slot[r]] = values[r, i]
        R = v[REQ] - log10_ref if req_is_flop else v[REQ]
        if req_is_flop:
            requirement[i] = R
        nb, nw = np.int64(0), np.int64(0)  # not literal 0: see _jit
        for k in range(N_AXES):
            if mode[k] == UNUSED:
                continue
            rate, slow, late, cap = v[4 * k], v[4 * k + 1], v[4 * k + 2], v[4 * k + 3]
            # the cap year (axes.cap_year), then both breakpoints clipped to [t0, horizon]
            at_slow = rate * max(slow - t0, 0.0) if rate > 0 else 0.0
            if cap <= at_slow:
                cy = t0 + cap / rate if rate > 0 else math.inf
            elif late > 0:
                cy = max(slow, t0) + (cap - at_slow) / late
            else:
                cy = math.inf
            s = min(max(slow, t0), horizon)
            cy = min(max(cy, t0), horizon)
            bps[nb], bps[nb + 1] = s, cy
            nb += 2
            if mode[k] == WALLED:
                walled_bps[nw], walled_bps[nw + 1] = s, cy
                nw += 2
        if twin or not wall:
            e0 = _effective(t0, v, mode, t0, 0.0, 0.0, -math.inf)
            if e0 >= R:
                y = t0
            else:
                y = _first_crossing(v, mode, t0, horizon, R, e0, bps, nb, 0.0, 0.0, -math.inf)
            if not wall:
                arrival[i] = y
                continue
            arrival_no_wall[i] = y
        # the wall as a line in time: w0 + k_w (t - t0), physical OOMs above the reference
        d0 = v[STOCK] * v[REPETITION]
        w0 = _WALL_SLOPE * math.log10(d0) + _WALL_OFFSET - log10_ref
        w1 = _WALL_SLOPE * math.log10(d0 * (1.0 + v[GROWTH])) + _WALL_OFFSET - log10_ref
        k_w = w1 - w0
        # first year the walled axes' sum reaches the wall: exact on the sorted breakpoints
        _sort(walled_bps, nw)
        prev_t = t0
        prev_g = _sums(t0, v, mode, t0)[0] - w0
        wy = t0 if prev_g >= 0 else math.inf
        j = 0
        while math.isinf(wy) and j <= nw:
            t_k = walled_bps[j] if j < nw else horizon
            g_k = _sums(t_k, v, mode, t0)[0] - (w0 + k_w * (t_k - t0))
            if prev_g < 0 and g_k >= 0:
                wy = prev_t - prev_g * (t_k - prev_t) / (g_k - prev_g)
            prev_t, prev_g = t_k, g_k
            j += 1
        by = wy + v[TAU] if v[U] < v[P_BREAK] else math.inf
        wall_year[i] = wy
        breakthrough_year[i] = by
        bps[nb] = min(max(by, t0), horizon)
        e0 = _effective(t0, v, mode, t0, w0, k_w, by)
        if e0 >= R:
            arrival[i] = t0
        else:
            arrival[i] = _first_crossing(v, mode, t0, horizon, R, e0, bps, nb + 1, w0, k_w, by)


@_jit
def _grid(
    values: np.ndarray,
    slot: np.ndarray,
    const: np.ndarray,
    mode: np.ndarray,
    t0: float,
    years: np.ndarray,
    wall: bool,
    w0: np.ndarray,
    k_w: np.ndarray,
    broke_at: np.ndarray,
    lo: int,
    hi: int,
    out: np.ndarray,
) -> None:
    v = const.copy()
    for i in range(lo, hi):
        for r in range(slot.size):  # the draws; constants stay in place
            v[slot[r]] = values[r, i]
        if wall:
            a, k, b = w0[i], k_w[i], broke_at[i]
        else:
            a, k, b = 0.0, 0.0, -math.inf
        for j in range(years.size):
            out[j, i] = _effective(years[j], v, mode, t0, a, k, b)


def effective_grid(
    values: np.ndarray,
    slot: np.ndarray,
    const: np.ndarray,
    mode: np.ndarray,
    t0: float,
    years: np.ndarray,
    line: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
    out: np.ndarray,
    lo: int = 0,
    hi: int | None = None,
) -> None:
    """E(t) of draws ``lo:hi`` at every year into ``out[:, lo:hi]`` (compiled, no GIL).

    Parameters
    ----------
    values : numpy.ndarray
        float64, shape ``(len(slot), draws)``: the random axis parameters' draws.
    slot : numpy.ndarray
        int64, the axis slot (``4 k + field``) of each row of ``values``.
    const : numpy.ndarray
        float64, ``4 N_AXES`` (or more) slot values for the parameters that are constant.
    mode : numpy.ndarray
        int64, per axis slot: 0 unused, 1 summed into the walled group, 2 into the free
        group (with the wall off: 1 is physical compute, as ``model.physical_and_other``).
    t0 : float
        Reference year.
    years : numpy.ndarray
        float64 decimal years, 1-D.
    line : (numpy.ndarray, numpy.ndarray, numpy.ndarray) or None
        The draws' wall line ``(w0, slope)`` (OOMs, OOM/yr) and breakthrough year; ``None``:
        the wall off.
    out : numpy.ndarray
        float64, C-contiguous, shape ``(len(years), draws)``.
    lo, hi : int
        The draws to evaluate (default: all).
    """
    n = out.shape[1]
    hi = n if hi is None else hi
    if values.shape[1] != n or not out.flags.c_contiguous or out.shape[0] != years.size:
        raise ValueError("effective_grid: values, years and out do not match")
    if line is None:
        dummy = np.empty(0)
        w0, k_w, broke_at = dummy, dummy, dummy
    else:
        w0, k_w, broke_at = (np.ascontiguousarray(x, dtype=float) for x in line)
    _grid(
        values,
        np.ascontiguousarray(slot, dtype=np.int64),
        np.ascontiguousarray(const, dtype=float),
        np.ascontiguousarray(mode, dtype=np.int64),
        float(t0),
        np.ascontiguousarray(years, dtype=float),
        line is not None,
        w0,
        k_w,
        broke_at,
        int(lo),
        int(hi),
        out,
    )


def solve_chunk(
    cols: tuple[np.ndarray, ...],
    mode: np.ndarray,
    *,
    t0: float,
    horizon: float,
    log10_ref: float,
    req_is_flop: bool,
    wall: bool,
    twin: bool,
    out: dict[str, np.ndarray],
) -> None:
    """Solve one chunk of draws into ``out`` (preallocated float64 arrays of the chunk).

    Parameters
    ----------
    cols : tuple of numpy.ndarray
        :data:`SLOTS` float64 arrays, each the chunk's draws or a length-1 constant.
    mode : numpy.ndarray
        int64, per axis slot: 0 unused (identically zero), 1 behind the data wall, 2 free.
    t0, horizon : float
        Reference year and forecast horizon (year).
    log10_ref : float
        log10 FLOP of the reference run.
    req_is_flop : bool
        The requirement slot holds absolute log10 FLOP (else OOMs above the reference).
    wall : bool
        The data wall is on.
    twin : bool
        Also solve with the wall switched off (``arrival_year_no_wall``).
    out : dict of str to numpy.ndarray
        ``arrival_year`` and, as needed, ``arrival_year_no_wall``, ``wall_year``,
        ``breakthrough_year``, ``requirement``; arrays not needed may be absent.
    """
    if _compiled_n_axes() != N_AXES:
        raise RuntimeError(
            f"the compiled solver in numba's cache has {_compiled_n_axes()} axis slots but "
            f"the registry needs {N_AXES}: delete agi_timelines/__pycache__/_solver*.nbi "
            "and .nbc (or set NUMBA_CACHE_DIR to a new folder) and run again"
        )
    n = out["arrival_year"].size
    if any(c.size not in (1, n) for c in cols):
        raise ValueError(f"solver columns must have 1 or {n} values")
    dummy = np.empty(0)
    full = [k for k, c in enumerate(cols) if c.size > 1 or n == 1]
    values = np.empty((len(full), n))
    for r, k in enumerate(full):
        values[r] = cols[k]
    const = np.array([float(c[0]) if c.size == 1 else 0.0 for c in cols])
    _solve(
        values,
        np.array(full, dtype=np.int64),
        const,
        np.ascontiguousarray(mode, dtype=np.int64),
        float(t0),
        float(horizon),
        float(log10_ref),
        bool(req_is_flop),
        bool(wall),
        bool(twin),
        out["arrival_year"],
        out.get("arrival_year_no_wall", dummy),
        out.get("wall_year", dummy),
        out.get("breakthrough_year", dummy),
        out.get("requirement", dummy),
    )


_WALL_FIELDS = {
    STOCK: "stock_tokens",
    REPETITION: "repetition",
    GROWTH: "stock_growth",
    P_BREAK: "p_break",
    TAU: "tau",
}
_AXIS_FIELDS = registry.AXIS_FIELDS


class SolverScalars(TypedDict):
    """The keyword arguments of :func:`solve_chunk` that are the same for every chunk."""

    t0: float
    horizon: float
    log10_ref: float
    req_is_flop: bool
    wall: bool
    twin: bool


class Layout:
    """Where each of a scenario's parameters goes in the solver's slots.

    ``columns(values, lo, hi)`` turns one block's draws (``{path: array}``) into the
    :data:`SLOTS` columns of :func:`solve_chunk`: a draw slice for a random parameter, a
    length-1 constant for a point mass or an unused slot.

    Parameters
    ----------
    structure : Structure or Scenario
        The scenario's :class:`~agi_timelines.structure.Structure`; a
        :class:`~agi_timelines.Scenario` gives its structure and its numbers.
    fields : dict of str to Prior, optional
        The scenario's priors by path (``Scenario.prior_fields()``; required with a
        structure).
    t0, horizon : float
        Reference year and forecast horizon (year).
    log10_ref : float
        log10 FLOP of the reference run.
    binds : {"pretraining", "physical"}, optional
        The scenario's ``data_wall.binds`` even when the wall is off (default: the
        structure's, else ``"pretraining"``): with the wall off it only fixes the order in
        which the loop adds the axes, kept as it was for bit-identical results.
    """

    def __init__(
        self,
        structure: Structure | Any,
        fields: dict[str, Any] | None = None,
        *,
        t0: float = 0.0,
        horizon: float = 0.0,
        log10_ref: float = 0.0,
        binds: str | None = None,
    ) -> None:
        if not isinstance(structure, Structure):  # a Scenario: its structure and numbers
            scenario = structure
            structure, fields = scenario.structure(), scenario.prior_fields()
            t0, horizon = float(scenario.reference.year), float(scenario.horizon)
            log10_ref = math.log10(scenario.reference.flop)
            binds = scenario.data_wall.binds
        if fields is None:
            raise TypeError("Layout needs the scenario's prior fields with a Structure")
        binds = binds or structure.binds or "pretraining"
        specs = structure.axis_specs
        if len(specs) > N_AXES:
            raise ValueError(
                f"the scenario uses {len(specs)} growth axes but the compiled solver has "
                f"{N_AXES} axis slots (N_AXES, from agi_timelines.structure.max_axes())"
            )
        self.mode = np.zeros(N_AXES, dtype=np.int64)
        self.paths: list[str | None] = [None] * SLOTS
        self.constants = [np.zeros(1) for _ in range(SLOTS)]
        axis_list = [(a.prefix, WALLED if binds in a.walled_by else FREE) for a in specs]
        for k, (pre, mode) in enumerate(axis_list):
            priors = [fields[pre + f] for f in _AXIS_FIELDS]
            if _identically_zero(*priors):
                continue  # gains nothing: costs nothing
            self.mode[k] = mode
            for i, prior in enumerate(priors):
                self._place(4 * k + i, pre + _AXIS_FIELDS[i], prior)
        self.route_spec = structure.route_spec
        req = self.route_spec.path
        self._route: dict[str, float | None] | None = None
        if self.route_spec.solver is not None:
            self._place(REQ, req, fields[req])
        else:  # R from several draws (the horizon route): computed per block, see route()
            self.paths[REQ] = "requirement"
            self._rates = structure.early_rate_paths
            needed = [req, *self.route_spec.calibrated, *self._rates]
            self._route = {
                path: None if path not in fields or fields[path].is_random else fields[path].value
                for path in needed
            }
        wall = structure.wall
        if wall:
            for slot, name in _WALL_FIELDS.items():
                self._place(slot, "data_wall." + name, fields["data_wall." + name])
            self.paths[U] = "data_wall.breakthrough_u"
        self.scalars: SolverScalars = {
            "t0": float(t0),
            "horizon": float(horizon),
            "log10_ref": float(log10_ref),
            "req_is_flop": self.route_spec.solver == "log10_flop",
            "wall": wall,
            "twin": wall,
        }

    def _place(self, slot: int, path: str, prior: Any) -> None:
        self.paths[slot] = path
        if not prior.is_random:
            self.constants[slot] = np.array([float(prior.value)])

    def route(self, values: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
        """Return the requirement and the route's outputs for the first ``n`` draws of ``values``.

        For a route where R depends on several draws (the route's
        :attr:`~agi_timelines.structure.RouteSpec.convert`, in numpy); ``{}`` for a requirement
        stated directly (the loop handles it).
        """
        if self._route is None:
            return {}
        p = {
            path: values[path][:n] if path in values else np.float64(const)
            for path, const in self._route.items()
        }
        early_rate = sum(p[path] for path in self._rates)  # r_E, OOM/yr, as model.py sums it
        out = self.route_spec.convert(p, self.scalars["log10_ref"], early_rate)
        return {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in out.items()}

    def columns(self, values: dict[str, np.ndarray], lo: int, hi: int) -> tuple[np.ndarray, ...]:
        """Return the slot columns for draws ``lo:hi`` of ``values`` (one block's draws)."""
        return tuple(
            values[p][lo:hi] if p in values else self.constants[k] for k, p in enumerate(self.paths)
        )


def _identically_zero(rate: Any, slowdown: Any, late: Any, cap: Any) -> bool:
    """Return whether an axis's gain is 0 at every year, whatever the draw."""
    if not cap.is_random and cap.value == 0.0:
        return True
    return all(not p.is_random and p.value == 0.0 for p in (rate, late))
