"""Effective compute E(t) on every draw, and its quantile bands, fast on millions of draws.

:meth:`Forecast.trajectory <agi_timelines.Forecast.trajectory>` and
:meth:`Forecast.effective_ooms <agi_timelines.Forecast.effective_ooms>` are thin wrappers
of this module.  The values are exactly those of evaluating
:func:`agi_timelines.model.effective_compute` one year at a time on all draws and taking
``numpy.quantile`` of each year's row; what makes it fast is

* the data wall's line (:func:`~agi_timelines.model.wall_line`), which does not depend on
  the year, is computed once per call instead of once per year;
* E(t) is evaluated for a block of draws at all years of a chunk at once (broadcasting a
  column of years against a row of draws), with blocks small enough that the temporaries of
  each elementwise operation stay in the processor's cache;
* quantiles are taken by one ``numpy.quantile`` call on each 2-D chunk of years x draws,
  and chunks bound the memory (:data:`CHUNK_ELEMENTS`); the chunks of one call run on a
  thread pool (numpy releases the GIL in its loops), each writing only its own years;
* :class:`BandCache` keeps each ``(wall, year, level)`` quantile a forecast has computed,
  so the fan chart, the bands with the wall off and the error bars of one figure evaluate
  E(t) once per year grid, and the wall's line once per forecast.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from .model import effective_compute, wall_line
from .scenario import Scenario

__all__ = ["BLOCK_ELEMENTS", "CHUNK_ELEMENTS", "BandCache", "trajectory"]

BLOCK_ELEMENTS = 2**16
"""Years x draws per evaluation block (512 KiB per float64 temporary, which stays in the
processor's cache; measured 2-3x faster than whole rows of a million draws)."""

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
    t0 = scenario.reference.year
    log10_ref = float(np.log10(scenario.reference.flop))
    wall_on = scenario.data_wall.enabled if wall is None else wall
    if not wall_on:
        line = None
    elif line is None:
        line = wall_line(params, log10_ref)
    column = years[:, None]
    shape = scenario.structure()
    step = max(1024, BLOCK_ELEMENTS // max(len(years), 1))
    for start in range(0, n, step):
        block = slice(start, start + step)
        p = {k: v[block] for k, v in params.items()}
        by = p.get("breakthrough_year", np.inf)
        ln = None if line is None else (line[0][block], line[1][block])
        out[:, block] = effective_compute(
            shape, p, column, t0, log10_ref, wall=wall, breakthrough_year=by, line=ln
        )
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
        self._line: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self._values)

    def quantiles(self, years: np.ndarray, levels: np.ndarray, wall: bool | None) -> np.ndarray:
        """``numpy.quantile`` (linear interpolation) of E(t) over the draws.

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
            line = self._wall_line(params) if key_wall else None

            def bands(part: slice) -> np.ndarray:
                values = trajectory(self._scenario, params, todo[part], wall=key_wall, line=line)
                return np.quantile(values, levels, axis=1)

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

    def _wall_line(self, params: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Return the draws' wall line, computed on first use (it depends on no year)."""
        if self._line is None:
            log10_ref = float(np.log10(self._scenario.reference.flop))
            self._line = wall_line(params, log10_ref)
        return self._line
