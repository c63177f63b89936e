"""Fast, seeded, chunked Monte Carlo sampling of a scenario: :func:`forecast`.

Sampling has two compiled pieces per scenario *structure* (cached for the process):

1. a PyMC forward sampler of the random parameters for one seed block of
   :data:`SEED_BLOCK` draws; parameter ``path`` in block ``j`` is seeded from
   ``(seed, j, crc32(path))``, so a draw of a parameter depends only on the seed, the
   draw's index and the parameter's name -- not on the chunk size, nor on which other
   parameters the scenario has (common random numbers across scenarios).  Correlated
   parameters (``[[correlations]]``, a Gaussian copula) share one stream per copula
   group, seeded from ``(seed, j, crc32("copula:" + ",".join(group paths)))``;
2. the deterministic solver (trajectory → arrival year), elementwise per draw, run on
   chunks of ``chunk_size`` draws.

Hence results do not depend on the chunk size, and equal-structure scenarios (a sweep, a
sensitivity run, a repeated forecast) reuse both compiled functions: their numbers are
shared variables.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import threading
import zlib
from collections.abc import Callable, Iterator
from importlib import metadata
from typing import TYPE_CHECKING, Any

import numpy as np
import pymc as pm
import pytensor
import pytensor.tensor as pt
from pymc.pytensorf import compile as compile_pymc
from pymc.pytensorf import find_rng_nodes, reseed_rngs

from .horizons import forecast_inputs
from .model import Graph, var_name
from .scenario import Scenario, check_calibratable

if TYPE_CHECKING:
    from .calibrate import Calibration
    from .horizons import HorizonCalibration
    from .result import Forecast

__all__ = ["SEED_BLOCK", "forecast"]

SEED_BLOCK = 2**15
"""Draws per seed block (fixed: changing it changes every draw)."""

SAMPLER_MODE = "FAST_COMPILE"
"""PyTensor mode of the prior sampler (the solver uses PyTensor's default backend)."""

DEFAULT_CHUNK = 2**18
"""Default draws per call of the compiled solver (bounds temporary memory)."""

_ENGINES: dict[Any, _Engine] = {}
_LOCK = threading.Lock()


class _Engine:
    """The compiled sampler and solver of one scenario structure."""

    def __init__(self, scenario: Scenario) -> None:
        self.lock = threading.RLock()  # held from loading numbers until outputs are read
        self.graph = Graph(scenario)
        self.paths = self.graph.random_paths()
        with pm.Model():
            rvs = self.graph.random_variables(SEED_BLOCK)
        outs = [rvs[p] for p in self.paths]
        # The sampler is a handful of numpy Generator calls per block: the Python linker
        # runs it nearly as fast as numba and skips seconds of JIT compilation.
        self._draw = compile_pymc([], outs, random_seed=0, mode=SAMPLER_MODE) if outs else None
        # one seed per random stream: a parameter's path, or a copula group's key (its
        # correlated parameters share one draw of normals)
        streams: dict[str, list[Any]] = {}
        for p, rv in zip(self.paths, outs, strict=True):
            streams.setdefault(self.graph.seed_key(p), []).append(rv)
        self._rngs = [(zlib.crc32(k.encode()), find_rng_nodes(v)) for k, v in streams.items()]
        inputs = {p: pt.dvector(var_name(p)) for p in self.paths}
        solved = self.graph.outputs(inputs)
        if scenario.data_wall.enabled:
            off = self.graph.outputs(inputs, wall=False)
            solved["arrival_year_no_wall"] = off["arrival_year"]
        self.output_names = [k for k in solved if k.startswith("arrival_year") or _per_draw(k)]
        self._solve = pytensor.function(
            list(inputs.values()),
            [pt.as_tensor(solved[k]).astype("float64") for k in self.output_names],
            on_unused_input="ignore",
        )

    def draw(self, draws: int, seed: int) -> dict[str, np.ndarray]:
        """Parameters for ``draws`` draws: block ``j`` from seed ``(seed, j)``."""
        out = {p: np.empty(draws) for p in self.paths}
        if self._draw is None:  # every prior is a point mass
            return out
        for j, start, stop in seed_blocks(draws):
            for key, rngs in self._rngs:
                reseed_rngs(rngs, [seed, j, key])
            for p, values in zip(self.paths, self._draw(), strict=True):  # type: ignore[misc]
                out[p][start:stop] = values[: stop - start]
        return out

    def solve(
        self,
        params: dict[str, np.ndarray],
        draws: int,
        chunk_size: int,
        progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, np.ndarray]:
        """Deterministic outputs for ``params``, ``chunk_size`` draws per call."""
        out = {k: np.empty(draws) for k in self.output_names}
        for start in range(0, draws, chunk_size):
            stop = min(start + chunk_size, draws)
            args = [params[p][start:stop] for p in self.paths]
            for k, values in zip(self.output_names, self._solve(*args), strict=True):
                out[k][start:stop] = values
            if progress is not None:
                progress(stop, draws)
        return out


def _per_draw(name: str) -> bool:
    return name in {"requirement", "wall_year", "breakthrough_year", "horizon_doublings_per_oom"}


@contextlib.contextmanager
def loaded_engine(scenario: Scenario) -> Iterator[_Engine]:
    """The compiled engine of ``scenario``'s structure, holding ``scenario``'s numbers.

    The engine keeps a scenario's numbers in shared variables, so everything from
    loading them to reading the outputs runs under the engine's (re-entrant) lock:
    threads running equal-structure scenarios take turns, different structures run
    concurrently.
    """
    key = scenario.structure()
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = _Engine(scenario)
    with engine.lock:
        engine.graph.set_numbers(scenario)
        yield engine


def _check_int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _correlation_records(scenario: Scenario) -> list[dict[str, Any]]:
    """The scenario's correlations for the forecast's attrs: pair, target rank, the copula's
    Pearson parameter, and whether it was used (pairs naming point masses are not)."""
    active = scenario.active_correlations()
    return [
        {"between": list(c.between), "rank": c.rank, "pearson": c.pearson, "used": c in active}
        for c in scenario.correlations
    ]


def versions() -> dict[str, str]:
    """Versions of this library and the dependencies that shape its numbers."""
    names = ["agi_timelines", "pymc", "pytensor", "arviz", "numpy", "scipy", "xarray"]
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "unknown"
    return out


def forecast(
    scenario: Scenario,
    draws: int = 100_000,
    seed: int = 0,
    chunk_size: int | None = None,
    *,
    calibration: Calibration | None = None,
    horizon_calibration: HorizonCalibration | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Forecast:
    """Sample the arrival-year distribution of ``scenario``.

    Parameters
    ----------
    scenario : Scenario
        The assumptions (see :class:`~agi_timelines.Scenario`).
    draws : int
        Monte Carlo draws (>= 1).
    seed : int
        Seed (>= 0).  The same scenario and seed give the same numbers, whatever
        ``chunk_size``.
    chunk_size : int, optional
        Draws per call of the compiled solver (default 262144); bounds temporary memory.
    calibration : Calibration, optional
        A fit of the frontier compute trend (:func:`~agi_timelines.calibrate`): each draw's
        ``compute.rate`` (OOM/yr) is a posterior draw of its ``slope`` instead of a prior
        draw; every other parameter keeps its prior.  Default: none, unless the scenario
        has a ``[calibration]`` table, which fits one (once per process and settings).
    horizon_calibration : HorizonCalibration, optional
        For a ``horizon_hours`` requirement: the time-horizon fit
        (:func:`~agi_timelines.calibrate_horizon`) whose posterior gives each draw's
        ``D`` and ``h_ref``.  Default: the fit of the requirement's settings on the
        bundled METR data (once per process and settings).
    progress : callable, optional
        Called as ``progress(done, total)`` after each chunk.

    Returns
    -------
    Forecast
        Draws of the parameters and ``arrival_year`` (``inf`` when censored) in a
        DataTree, with summaries.

    Examples
    --------
    >>> import agi_timelines as agt
    >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=20_000, seed=1)
    >>> 2026 < float(fc.quantile(0.5)) < 2031
    True
    """
    from .result import Forecast

    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be an agi_timelines.Scenario, got {type(scenario)}")
    draws = _check_int("draws", draws, 1)
    seed = _check_int("seed", seed, 0)
    chunk = DEFAULT_CHUNK if chunk_size is None else _check_int("chunk_size", chunk_size, 1)
    if calibration is None and scenario.calibration is not None:
        calibration = _fitted(scenario.calibration.since, scenario.calibration.seed)
    if calibration is not None:
        check_calibratable(scenario)
    horizon_draws, horizon_attrs = forecast_inputs(scenario, draws, seed, horizon_calibration)
    with loaded_engine(scenario) as engine:
        params = engine.draw(draws, seed)
        if calibration is not None:
            params["compute.rate"] = posterior_rates(calibration, draws, seed)
        params |= horizon_draws
        outputs = engine.solve(params, draws, chunk, progress)
    removed = 0
    if scenario.not_before is not None:
        keep = outputs["arrival_year"] >= scenario.not_before
        removed = int(draws - keep.sum())
        if removed == draws:
            raise ValueError(
                f"not_before={scenario.not_before:g}: every draw arrives earlier; "
                "nothing is left to condition on"
            )
        params = {k: v[keep] for k, v in params.items()}
        outputs = {k: v[keep] for k, v in outputs.items()}
    attrs = {
        "scenario": scenario.to_toml_string(),
        "correlations": json.dumps(_correlation_records(scenario)),
        "scenario_name": scenario.name,
        "seed": seed,
        "draws_requested": draws,
        "not_before_removed": removed,
        "horizon": scenario.horizon,
        "versions": json.dumps(versions()),
    }
    if calibration is not None:
        attrs["calibration"] = json.dumps(_describe(calibration))
    attrs |= horizon_attrs
    # the breakthrough's uniform is an internal device: breakthrough_year carries its result
    params.pop("data_wall.breakthrough_u", None)
    return Forecast.from_draws({**params, **outputs}, attrs)


def posterior_rates(calibration: Calibration, draws: int, seed: int) -> np.ndarray:
    """``draws`` posterior draws of the trend's slope (OOM/yr), resampled per seed block.

    Block ``j`` is resampled with seed ``(seed, j, crc32("calibration"))``, so the rates,
    like every other parameter, do not depend on the chunk size and a shorter run is a
    prefix of a longer one.
    """
    slope = calibration.slope.to_numpy().reshape(-1)
    out = np.empty(draws)
    for j, start, stop in seed_blocks(draws):
        rng = np.random.default_rng([seed, j, _CALIBRATION_KEY])
        out[start:stop] = slope[rng.integers(0, slope.size, SEED_BLOCK)[: stop - start]]
    return out


_CALIBRATION_KEY = zlib.crc32(b"calibration")


def seed_blocks(draws: int) -> Iterator[tuple[int, int, int]]:
    """``(j, start, stop)`` of each seed block: block ``j`` holds draws ``start:stop``."""
    for j, start in enumerate(range(0, draws, SEED_BLOCK)):
        yield j, start, min(start + SEED_BLOCK, draws)


@functools.cache
def _fitted(since: float, seed: int) -> Calibration:
    from .calibrate import calibrate

    return calibrate(since=since, seed=seed)


def _describe(calibration: Calibration) -> dict[str, Any]:
    attrs = calibration.tree.attrs
    lo, hi = calibration.growth_factor_interval(0.9)
    return {
        "replaces": "compute.rate",
        "data_file": str(attrs.get("data_file")),
        "data_version": calibration.data_version,
        "since": float(attrs["since"]),
        "n_runs": int(attrs["n_runs"]),
        "seed": int(attrs["seed"]),
        "slope_median_oom_per_year": float(calibration.slope.median()),
        "growth_factor_90": [lo, hi],
        **calibration.diagnostics,
    }


def clear_cache() -> None:
    """Forget compiled samplers (mainly for benchmarks of cold starts)."""
    with _LOCK:
        _ENGINES.clear()


def censored_fraction(arrival: np.ndarray) -> float:
    """Share of draws with no arrival by the horizon."""
    return float(np.mean(np.isinf(arrival))) if arrival.size else math.nan
