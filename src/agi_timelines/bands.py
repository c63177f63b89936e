"""Effective compute E(t) on every draw, and its quantile bands, fast on millions of draws.

:meth:`Forecast.trajectory <agi_timelines.Forecast.trajectory>` and
:meth:`Forecast.effective_ooms <agi_timelines.Forecast.effective_ooms>` are thin wrappers
of this module.  The values are exactly those of evaluating
:func:`agi_timelines.model.effective_compute` one year at a time on all draws and taking
``numpy.quantile`` of each year's row; what makes it fast is

* E(t) is evaluated by one compiled loop (:func:`agi_timelines._solver.effective_grid`,
  the arrival solver's own per-draw E(t)) that fills a years x draws array, each draw's
  parameters read once for all years, in the same order of operations as
  :func:`~agi_timelines.model.effective_compute` (so bit for bit the same numbers);
* the data wall's line (:func:`~agi_timelines.model.wall_line`), which does not depend on
  the year, is computed once per forecast;
* quantiles are ``numpy.quantile``'s (linear) read off each chunk of years x draws sorted
  in place (:func:`linear_quantiles`: numpy's SIMD sort takes half the time of the partition
  ``numpy.quantile`` runs), and chunks bound the memory (:data:`CHUNK_ELEMENTS`); the
  chunks of one call run on a thread pool (the compiled loop and numpy's sort release the
  GIL), each writing only its own years;
* :class:`BandCache` keeps each ``(wall, year, level)`` quantile a forecast has computed,
  so the fan chart, the bands with the wall off and the error bars of one figure evaluate
  E(t) once per year grid.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from ._solver import FREE, N_AXES, WALLED, Layout, effective_grid
from .model import wall_line
from .scenario import Scenario

__all__ = ["CHUNK_ELEMENTS", "BandCache", "linear_quantiles", "trajectory"]

CHUNK_ELEMENTS = 4_000_000
"""Years x draws held at once when only quantiles are wanted (32 MB of float64)."""


def trajectory(
    scenario: Scenario,
    params: dict[str, np.ndarray],
    years: np.ndarray,
    *,
    wall: bool | None = None,
    out: np.ndarray | None = None,
    line: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """E(t) for every draw, OOMs above the reference run.

    Parameters
    ----------
    scenario : Scenario
        The forecast's scenario.
    params : dict of str to numpy.ndarray
        Every prior field's draws by path, plus ``breakthrough_year`` when the wall is on
        (:meth:`Forecast.parameters <agi_timelines.Forecast.parameters>`).
    years : numpy.ndarray
        Decimal years, 1-D.
    wall : bool, optional
        Force the data wall on or off (default: as the scenario says).
    out : numpy.ndarray, optional
        Array of shape ``(len(years), draws)`` to write into.
    line : (numpy.ndarray, numpy.ndarray), optional
        The draws' :func:`~agi_timelines.model.wall_line` ``(w0, slope)``, if already
        computed (it does not depend on the year).

    Returns
    -------
    numpy.ndarray
        Shape ``(len(years), draws)``.
    """
    years = np.asarray(years, dtype=float).reshape(-1)
    n = len(params[next(iter(params))])
    if out is None:
        out = np.empty((len(years), n))
    wall_on = scenario.data_wall.enabled if wall is None else bool(wall)
    grid = _Grid(scenario, params, wall_on, line)
    grid.fill(years, out)
    return out


class _Grid:
    """One wall setting's inputs of :func:`~agi_timelines._solver.effective_grid`."""

    def __init__(
        self,
        scenario: Scenario,
        params: dict[str, np.ndarray],
        wall_on: bool,
        line: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        structure = scenario.structure()
        layout = Layout(scenario)
        fields = scenario.prior_fields()
        walled, _ = structure.split_axes(wall_on)  # the groups model.effective_compute sums
        self.mode = np.zeros(N_AXES, dtype=np.int64)
        for k, spec in enumerate(structure.axis_specs):
            if layout.mode[k]:  # else identically zero: adding it adds +0.0
                self.mode[k] = WALLED if spec.prefix in walled else FREE
        axis_slots = range(4 * N_AXES)
        random: list[tuple[int, str]] = []
        for k in axis_slots:
            path = layout.paths[k]
            if path is not None and self.mode[k // 4] and fields[path].is_random:
                random.append((k, path))
        self.n = len(params[next(iter(params))])
        self.slot = np.array([k for k, _ in random], dtype=np.int64)
        self.values = np.empty((len(random), self.n))
        for r, (_, path) in enumerate(random):
            self.values[r] = params[path]
        self.const = np.array([float(layout.constants[k][0]) for k in axis_slots])
        self.t0 = float(scenario.reference.year)
        self.line: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        if wall_on:
            if line is None:
                line = wall_line(params, float(np.log10(scenario.reference.flop)))
            by = np.broadcast_to(np.asarray(params.get("breakthrough_year", np.inf)), (self.n,))
            self.line = (
                np.broadcast_to(line[0], (self.n,)),
                np.broadcast_to(line[1], (self.n,)),
                by,
            )

    def fill(self, years: np.ndarray, out: np.ndarray, lo: int = 0, hi: int | None = None) -> None:
        """E(t) of draws ``lo:hi`` at ``years`` into ``out[:, lo:hi]``."""
        effective_grid(
            self.values, self.slot, self.const, self.mode, self.t0, years, self.line, out, lo, hi
        )


def linear_quantiles(values: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Return ``numpy.quantile(values, levels, axis=1)`` bit for bit; sorts ``values`` in place.

    The default (``"linear"``) method, read off each sorted row with numpy's own steps:
    virtual index ``(n - 1) q``, its floor and the next index (both the last when the index
    reaches it), and the interpolation ``a + (b - a) g``, or ``b - (b - a) (1 - g)`` when
    ``g >= 0.5``.  A row holding NaN gives NaN, as in numpy; a tie of ``0.0`` and ``-0.0``
    may come out with the other sign.  ``numpy.quantile`` partitions each row instead, which
    on a million draws takes about twice as long as numpy's sort.

    Parameters
    ----------
    values : numpy.ndarray
        float64, shape ``(rows, n)``, ``n >= 1``; overwritten (each row sorted).
    levels : numpy.ndarray
        Probabilities in ``[0, 1]``, 1-D.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(levels), rows)``.

    Examples
    --------
    >>> x = np.array([[3.0, 1.0, 2.0, 10.0], [0.5, 0.25, 4.0, 1.0]])
    >>> levels = np.array([0.05, 0.5, 0.9])
    >>> linear_quantiles(x.copy(), levels).round(4).tolist()
    [[1.15, 0.2875], [2.5, 0.75], [7.9, 3.1]]
    >>> bool(np.array_equal(linear_quantiles(x.copy(), levels), np.quantile(x, levels, axis=1)))
    True
    """
    n = values.shape[1]
    values.sort(axis=1)
    virtual = (n - 1) * np.asarray(levels, dtype=float)
    below = np.floor(virtual)
    above = below + 1
    last = virtual >= n - 1
    below[last] = above[last] = -1
    lo, hi = below.astype(np.intp), above.astype(np.intp)
    gamma = virtual - lo
    a, b = values[:, lo].T, values[:, hi].T
    diff = b - a
    out = a + diff * gamma[:, None]
    np.subtract(b, diff * (1 - gamma)[:, None], out=out, where=(gamma >= 0.5)[:, None])
    out[:, np.isnan(values[:, -1])] = np.nan
    return out


def _chunks(count: int, draws: int) -> Iterator[slice]:
    step = max(1, CHUNK_ELEMENTS // max(draws, 1))
    for start in range(0, count, step):
        yield slice(start, min(start + step, count))


class BandCache:
    """Quantiles of E(t) per ``(wall, year, level)``, computed on demand and kept.

    Parameters
    ----------
    scenario : Scenario
        The forecast's scenario.
    params : callable
        Returns the draws as :func:`trajectory` takes them (called only on a cache miss).
    """

    def __init__(self, scenario: Scenario, params: Any) -> None:
        self._scenario = scenario
        self._params = params
        self._values: dict[tuple[bool, float, float], float] = {}
        self._grids: dict[bool, _Grid] = {}  # one per wall setting: the wall line computed once

    def __len__(self) -> int:
        return len(self._values)

    def quantiles(self, years: np.ndarray, levels: np.ndarray, wall: bool | None) -> np.ndarray:
        """``numpy.quantile`` (linear interpolation) of E(t) over the draws, bit for bit.

        Returns an array of shape ``(len(years), len(levels))``.
        """
        years = np.asarray(years, dtype=float).reshape(-1)
        levels = np.asarray(levels, dtype=float).reshape(-1)
        key_wall = self._scenario.data_wall.enabled if wall is None else bool(wall)
        missing = [
            i
            for i, y in enumerate(years)
            if any((key_wall, float(y), float(q)) not in self._values for q in levels)
        ]
        if missing:
            todo = years[missing]
            params = self._params()
            n = len(params[next(iter(params))])
            grid = self._grids.get(key_wall)
            if grid is None:
                grid = self._grids[key_wall] = _Grid(self._scenario, params, key_wall)

            def bands(part: slice) -> np.ndarray:
                values = np.empty((part.stop - part.start, n))
                grid.fill(todo[part], values)
                return linear_quantiles(values, levels)

            parts = list(_chunks(len(todo), n))
            workers = min(len(parts), os.cpu_count() or 1, 2)  # 2: memory of 2 chunks
            if workers > 1:
                with ThreadPoolExecutor(workers) as pool:
                    results = list(pool.map(bands, parts))
            else:
                results = [bands(part) for part in parts]
            for part, q in zip(parts, results, strict=True):
                for j, year in enumerate(todo[part]):
                    for k, level in enumerate(levels):
                        self._values[(key_wall, float(year), float(level))] = float(q[k, j])
        return np.array(
            [[self._values[(key_wall, float(y), float(q))] for q in levels] for y in years]
        ).reshape(len(years), len(levels))
