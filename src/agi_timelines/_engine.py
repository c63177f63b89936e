"""The forecasting pipeline: seeded, chunked Monte Carlo sampling of a scenario.

:func:`run` is the one path from a scenario to its draws: :func:`~agi_timelines.forecast`,
:func:`~agi_timelines.sensitivity`, :func:`~agi_timelines.compare` and
:func:`~agi_timelines.sweep` all call it.  It applies, once,

* the defaults (``chunk_size``, ``workers``, the storage dtype) and the memory check;
* the calibrations: ``compute.rate`` from a compute-trend fit (given, or the scenario's
  ``[calibration]`` table), a horizon route's ``D`` and ``h_ref`` from its time-horizon
  fit (:meth:`Calibration.resample <agi_timelines.Calibration.resample>`,
  :meth:`HorizonCalibration.resample <agi_timelines.HorizonCalibration.resample>`);
* the caller's ``overrides`` (full-length columns replacing drawn parameters);
* ``not_before`` conditioning, and the provenance attrs (:mod:`agi_timelines._provenance`).

Per scenario *structure* (cached for the process) an engine holds:

1. the scenario's PyMC random variables for one seed block of
   :data:`~agi_timelines._seeds.SEED_BLOCK` draws, drawn by
   :class:`~agi_timelines._sampler.BlockSampler` straight from each variable's numpy
   generator call; parameter ``path`` in block ``j`` is seeded from
   ``(seed, j, crc32(path))``, so a draw of a parameter depends only on the seed, the
   draw's index and the parameter's name -- not on the chunk size, the number of
   ``workers``, nor on which other parameters the scenario has (common random numbers
   across scenarios).  Correlated parameters (``[[correlations]]``, a Gaussian copula)
   share one stream per copula group, seeded from
   ``(seed, j, crc32("copula:" + ",".join(group paths)))``;
2. where the scenario's parameters go in the arrival-year solver, one compiled per-draw
   loop shared by every structure (:mod:`agi_timelines._solver`), run on chunks of at
   most ``chunk_size`` draws of a block.

Seed blocks are drawn and solved on a thread pool (both pieces release the GIL), so
results do not depend on the chunk size or the number of workers, and equal-structure
scenarios (a sweep, a sensitivity run, a repeated forecast) reuse the engine: their
numbers are shared variables.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pymc as pm

from ._checks import check_callable, check_instance, check_int
from ._once import once_per_key
from ._provenance import provenance, versions
from ._sampler import CACHE_BYTES, BlockSampler
from ._seeds import SEED_BLOCK, seed_blocks
from ._solver import Layout as solver_layout
from ._solver import solve_chunk
from .calibrate import Calibration
from .horizons import HorizonCalibration, forecast_inputs
from .model import Graph, var_name
from .scenario import Scenario, check_calibratable
from .structure import ROUTES

__all__ = ["DEFAULT_CHUNK", "SEED_BLOCK", "Run", "loaded_engine", "run", "seed_blocks", "versions"]


DEFAULT_CHUNK = 2**18
"""Default draws per call of the compiled solver (bounds temporary memory)."""

_ENGINES: dict[Any, _Engine] = {}
_LOCK = threading.Lock()


class _Engine:
    """The sampler and solver of one scenario structure."""

    def __init__(self, scenario: Scenario) -> None:
        self.lock = threading.RLock()  # held from loading numbers until outputs are read
        self.graph = Graph(scenario)
        self.paths = self.graph.random_paths()
        with pm.Model():
            rvs = self.graph.random_variables(SEED_BLOCK)
        self.sampler = BlockSampler(
            self.paths, [rvs[p] for p in self.paths], self.graph.seed_key, SEED_BLOCK
        )
        self.output_names = output_names(scenario)
        self.scenario = scenario
        self.loaded: Scenario | None = None  # whose numbers the shared variables hold

    def load(self, scenario: Scenario) -> None:
        """Take ``scenario``'s numbers (same structure).

        Nothing to do when the last load was this very scenario (scenarios are immutable):
        the runs of a sensitivity analysis reuse its numbers.  Callers hold :attr:`lock`.
        """
        if scenario is self.loaded:
            return
        self.loaded = None  # a load that fails part way leaves no stale claim
        self.graph.set_numbers(scenario)
        self.sampler.load()
        self.scenario = scenario
        self.layout = solver_layout(scenario)
        self.loaded = scenario

    def run(
        self,
        draws: int,
        seed: int,
        chunk_size: int,
        *,
        workers: int = 1,
        overrides: dict[str, np.ndarray] | None = None,
        keep: Collection[str] | None = None,
        dtype: Any = np.float64,
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Draw and solve ``draws`` draws, one seed block per task on ``workers`` threads.

        Block ``j`` (draws ``j * SEED_BLOCK`` onwards) is drawn from seed ``(seed, j)``,
        ``overrides`` (full-length arrays) replace drawn parameters, and the block is
        solved in calls of at most ``chunk_size`` draws.  Parameters in ``keep`` (default
        all but the breakthrough uniform) are stored as ``dtype``; the solver always sees
        the float64 draws.  Returns ``(parameters, outputs)``.

        Raises
        ------
        ValueError
            If any stored value is NaN (:func:`_check_no_nan`; each task checks its own
            block, in parallel, so a run without NaN costs no single-threaded pass).
        """
        overrides = overrides or {}
        stored = [p for p in self.paths if p != _BREAKTHROUGH_U]
        stored += [p for p in overrides if p not in stored]
        if keep is not None:
            stored = [p for p in stored if p in keep]
        params = {p: np.empty(draws, dtype=dtype) for p in stored}
        outputs = {k: np.empty(draws) for k in self.output_names}
        layout = self.layout
        blocks = list(seed_blocks(draws))
        cache = len(blocks) * self.sampler.block_bytes() <= CACHE_BYTES

        done = [0]
        report = threading.Lock()
        nan_seen = threading.Event()

        def task(block: tuple[int, int, int]) -> None:
            j, start, stop = block
            values = self.sampler.draw(seed, j, stop - start, cache=cache)
            for p, arr in overrides.items():
                values[p] = arr[start:stop]
            for k, v in layout.route(values, stop - start).items():
                values[k] = outputs[k][start:stop] = v
            for p in stored:
                params[p][start:stop] = values[p][: stop - start]
            for lo in range(start, stop, chunk_size):
                hi = min(lo + chunk_size, stop)
                cols = layout.columns(values, lo - start, hi - start)
                out = {k: v[lo:hi] for k, v in outputs.items()}
                solve_chunk(cols, layout.mode, out=out, **layout.scalars)
                if progress is not None:
                    with report:  # one call at a time, ``done`` increasing
                        done[0] += hi - lo
                        progress(done[0], draws)
            if _has_nan(params, outputs, start, stop):
                nan_seen.set()

        for _ in _map(task, blocks, workers):
            pass
        if nan_seen.is_set():
            _check_no_nan(params, outputs)  # names the first NaN draw
        return params, outputs

    def draw(self, draws: int, seed: int, workers: int = 1) -> dict[str, np.ndarray]:
        """Every random parameter's ``draws`` draws (float64): block ``j`` from ``(seed, j)``."""
        out = {p: np.empty(draws) for p in self.paths}

        def task(block: tuple[int, int, int]) -> None:
            j, start, stop = block
            for p, values in self.sampler.draw(seed, j, stop - start).items():
                out[p][start:stop] = values[: stop - start]

        for _ in _map(task, list(seed_blocks(draws)), workers):
            pass
        return out

    def solve(
        self,
        params: dict[str, np.ndarray],
        draws: int,
        chunk_size: int,
        progress: Callable[[int, int], None] | None = None,
        workers: int = 1,
    ) -> dict[str, np.ndarray]:
        """Deterministic outputs for ``params`` (full-length arrays), ``chunk_size`` per call."""
        outputs = {k: np.empty(draws) for k in self.output_names}
        layout = self.layout
        chunks = [(lo, min(lo + chunk_size, draws)) for lo in range(0, draws, chunk_size)]

        def task(chunk: tuple[int, int]) -> int:
            lo, hi = chunk
            values = {k: v[lo:hi] for k, v in params.items()}
            for k, v in layout.route(values, hi - lo).items():
                values[k] = outputs[k][lo:hi] = v
            out = {k: v[lo:hi] for k, v in outputs.items()}
            solve_chunk(layout.columns(values, 0, hi - lo), layout.mode, out=out, **layout.scalars)
            return hi

        for hi in _map(task, chunks, workers):
            if progress is not None:
                progress(hi, draws)
        return outputs


def _map(fn: Callable[[Any], Any], items: list[Any], workers: int) -> Iterator[Any]:
    """``fn`` of each item on ``workers`` threads.

    Yields the results in order as they finish (inline for one worker).  Every item runs even if the
    results are not read.
    """
    if workers == 1 or len(items) <= 1:
        results = [fn(item) for item in items]
        yield from results
        return
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        futures = [pool.submit(fn, item) for item in items]
        for future in futures:
            yield future.result()


_BREAKTHROUGH_U = "data_wall.breakthrough_u"


def output_names(scenario: Scenario) -> list[str]:
    """Return the derived per-draw years (and absolute requirement) a forecast stores.

    In the order the symbolic solver (:func:`agi_timelines.model.solve`) lists them.
    """
    return scenario.structure().outputs


@contextlib.contextmanager
def loaded_engine(scenario: Scenario) -> Iterator[_Engine]:
    """Return the compiled engine of ``scenario``'s structure, holding ``scenario``'s numbers.

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
        engine.load(scenario)
        yield engine


def _correlation_records(scenario: Scenario) -> list[dict[str, Any]]:
    """Return the scenario's correlations for the forecast's attrs.

    Pair, target rank, the copula's Pearson parameter, and whether it was used (pairs naming point
    masses are not).
    """
    active = scenario.active_correlations()
    return [
        {"between": list(c.between), "rank": c.rank, "pearson": c.pearson, "used": c in active}
        for c in scenario.correlations
    ]


def calibrated_inputs(
    scenario: Scenario,
    draws: int,
    seed: int,
    calibration: Calibration | None = None,
    horizon_calibration: HorizonCalibration | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Return the draws that calibrations give instead of priors, and their provenance attrs.

    ``compute.rate`` from a compute-trend calibration (``calibration``, or the scenario's
    ``[calibration]`` table, fitted once per process and settings), and a horizon route's
    ``D`` and ``h_ref`` from its time-horizon fit; each resampled per seed block, so they
    are chunk-size invariant.  :func:`run` takes them from here, so every analysis sees
    the same draws.

    Returns
    -------
    (dict, dict)
        ``{path: draws}`` to override the engine's prior draws with, and the attrs
        (``calibration``, the horizon fit's) describing them.
    """
    if calibration is None and scenario.calibration is not None:
        calibration = _fitted(scenario.calibration.since, scenario.calibration.seed)
    if calibration is not None:
        check_calibratable(scenario)
    horizon_draws, horizon_attrs = forecast_inputs(scenario, draws, seed, horizon_calibration)
    overrides: dict[str, np.ndarray] = {}
    attrs: dict[str, Any] = {}
    if calibration is not None:
        overrides["compute.rate"] = calibration.resample(draws, seed)
        attrs["calibration"] = json.dumps(calibration.provenance())
    overrides |= horizon_draws
    return overrides, attrs | horizon_attrs


AUTO_FLOAT32_BYTES = 2**30
"""``dtype="auto"`` stores parameters as float32 when float64 draws would pass this (bytes)."""


def default_workers() -> int:
    """Cores this process may run on (the default ``workers``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _storable(scenario: Scenario) -> list[str]:
    """Paths of the parameters a forecast of ``scenario`` stores by default.

    The random priors and a requirement route's calibrated inputs.
    """
    calibrated = ROUTES[scenario.requirement.field].calibrated
    return [*scenario.random_fields(), *calibrated]


def _check_keep(scenario: Scenario, keep: Collection[str] | None) -> list[str]:
    """Return the stored parameter paths, from ``keep`` (paths or variable names)."""
    storable = _storable(scenario)
    if keep is None:
        return storable
    if isinstance(keep, str) or not isinstance(keep, Collection):
        raise TypeError(f"keep must be a list of parameter names, got {keep!r}")
    by_name = {var_name(p): p for p in storable} | {p: p for p in storable}
    out = set()
    for k in keep:
        if k not in by_name:
            raise ValueError(
                f"keep: {k!r} is not a random parameter of scenario {scenario.name!r}; "
                f"choose from {', '.join(storable)}"
            )
        out.add(by_name[k])
    return [p for p in storable if p in out]


def _storage_dtype(dtype: Any, draws: int, n_params: int, n_years: int) -> np.dtype:
    if dtype not in ("auto", "float64", "float32"):
        raise ValueError(f"dtype must be 'auto', 'float64' or 'float32', got {dtype!r}")
    if dtype == "auto":
        big = draws * (n_params + n_years) * 8 > AUTO_FLOAT32_BYTES
        dtype = "float32" if big else "float64"
    return np.dtype(dtype)


def check_memory(draws: int, bytes_per_draw: int, copies: int = 1) -> None:
    """Raise ``MemoryError`` if the draws cannot fit in the memory available now.

    ``draws`` draws of ``bytes_per_draw`` bytes each, held ``copies`` times.
    """
    need = draws * bytes_per_draw * copies + _SLACK
    free = available_memory()
    if free is not None and need > free:
        raise MemoryError(
            f"draws={draws:,} needs about {need / 2**30:,.2f} GiB to store its draws "
            f"({bytes_per_draw} bytes per draw{' x 2 for not_before' if copies > 1 else ''}), "
            f"more than the {free / 2**30:,.2f} GiB of memory available; use fewer draws, "
            "keep= fewer parameters or dtype='float32'"
        )


_SLACK = 64 * 2**20  # per-thread blocks, the solver's temporaries, the result's metadata


def available_memory() -> int | None:
    """Bytes of memory this process can still allocate (``None``: unknown).

    The smallest of the kernel's ``MemAvailable``, the cgroup's remaining limit (v2
    ``memory.max - memory.current`` or v1 ``limit_in_bytes - usage_in_bytes``) and the
    address-space limit (``RLIMIT_AS``) not yet used.
    """
    limits = []
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    limits.append(int(line.split()[1]) * 1024)
    except OSError:
        pass
    for limit, usage in (
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
        (
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/memory/memory.usage_in_bytes",
        ),
    ):
        try:
            with open(limit) as fh:
                text = fh.read().strip()
            if text != "max" and int(text) < 2**60:
                with open(usage) as fh:
                    limits.append(int(text) - int(fh.read().strip()))
        except (OSError, ValueError):
            pass
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY:
            with open("/proc/self/statm") as fh:
                used = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            limits.append(soft - used)
    except (ImportError, OSError, ValueError):
        pass
    if not limits:
        try:
            return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):
            return None
    return max(0, min(limits))


@once_per_key
def _fitted(since: float, seed: int) -> Calibration:
    """Return the calibration of ``(since, seed)``, fitted once per process.

    Concurrent first callers of one key wait for the first one's fit
    (:func:`~agi_timelines._once.once_per_key`).
    """
    from .calibrate import calibrate

    return calibrate(since=since, seed=seed)


def _has_nan(
    params: dict[str, np.ndarray], outputs: dict[str, np.ndarray], start: int, stop: int
) -> bool:
    """Whether any stored value of draws ``start:stop`` is NaN (one seed block's check)."""
    return any(np.isnan(a[start:stop]).any() for a in (*params.values(), *outputs.values()))


def _check_no_nan(params: dict[str, np.ndarray], outputs: dict[str, np.ndarray]) -> None:
    """Raise ``ValueError`` naming the draw and its parameters if an output is NaN.

    The scenario validators are meant to make this impossible; it guards the promise that a
    forecast never returns NaN.
    """
    for name, values in {**outputs, **params}.items():
        bad = np.flatnonzero(np.isnan(values))
        if bad.size:
            i = int(bad[0])
            given = ", ".join(f"{p}={v[i]!r}" for p, v in params.items())
            raise ValueError(
                f"{name} is NaN in {bad.size} draw(s); the first, draw {i}, has "
                f"{given or 'no random parameters'} (please report this scenario)"
            )


def clear_cache() -> None:
    """Forget compiled samplers (mainly for benchmarks of cold starts)."""
    with _LOCK:
        _ENGINES.clear()


def censored_fraction(arrival: np.ndarray) -> float:
    """Share of draws with no arrival by the horizon."""
    return float(np.mean(np.isinf(arrival))) if arrival.size else math.nan


# -- the pipeline ------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Run:
    """What :func:`run` returns: one scenario's draws, conditioned, with their attrs.

    Attributes
    ----------
    params : dict of str to numpy.ndarray
        The stored parameters by path (after ``not_before`` conditioning).
    outputs : dict of str to numpy.ndarray
        The derived years (and ``requirement``) by name, after conditioning.
    calibrated : dict of str to numpy.ndarray
        The calibrations' draws by path (``compute.rate``; a horizon route's ``D`` and
        ``h_ref``), all ``draws`` of them, before conditioning (the caller's overrides win
        over them in the solve).
    attrs : dict
        A forecast's root attrs: the provenance keys (:func:`~agi_timelines._provenance.provenance`)
        and ``correlations``, ``not_before_removed``, ``horizon``, the calibrations'
        records, ``parameter_dtype`` and ``parameters_not_kept`` where they apply.
    """

    params: dict[str, np.ndarray]
    outputs: dict[str, np.ndarray]
    calibrated: dict[str, np.ndarray]
    attrs: dict[str, Any]

    @property
    def arrival(self) -> np.ndarray:
        """Arrival year per kept draw (``inf``: not by the horizon)."""
        return self.outputs["arrival_year"]

    @property
    def draws(self) -> dict[str, np.ndarray]:
        """Return the parameters and outputs in one mapping.

        That mapping is what :meth:`Forecast.from_draws <agi_timelines.Forecast.from_draws>`
        takes.
        """
        return {**self.params, **self.outputs}


def run(
    scenario: Scenario,
    draws: int,
    seed: int,
    *,
    overrides: Mapping[str, np.ndarray] | None = None,
    chunk_size: int | None = None,
    workers: int | None = None,
    calibration: Calibration | None = None,
    horizon_calibration: HorizonCalibration | None = None,
    keep: Collection[str] | None = None,
    dtype: Any = "auto",
    progress: Callable[[int, int], None] | None = None,
    allow_empty: bool = False,
) -> Run:
    """Draw and solve ``draws`` draws of ``scenario`` with ``seed``: the one pipeline.

    Parameters
    ----------
    scenario : Scenario
        The assumptions.
    draws, seed : int
        Checked by the caller (``draws >= 1``, ``seed >= 0``).
    overrides : mapping of str to numpy.ndarray, optional
        ``{path: values}`` of ``draws`` values each, replacing a parameter's draws (and a
        calibration's): e.g. one parameter fixed for a one-at-a-time sensitivity run.
    chunk_size : int, optional
        Draws per solver call (>= 1; default :data:`DEFAULT_CHUNK`, at most one seed block).
    workers : int, optional
        Threads (>= 1; default: every core this process may use).
    calibration, horizon_calibration : optional
        As :func:`~agi_timelines.forecast` takes them.
    keep : collection of str, optional
        Parameters to store, by path or variable name (default all); ``()`` stores none.
    dtype : {"auto", "float64", "float32"}
        Storage type of the parameters.
    progress : callable, optional
        ``progress(done, total)`` after each chunk.
    allow_empty : bool
        Return an empty run when ``not_before`` removes every draw (a one-at-a-time
        sensitivity run may); default: raise ``ValueError``.

    Returns
    -------
    Run

    Raises
    ------
    ValueError
        On a bad ``chunk_size``, ``workers``, ``keep`` or ``dtype`` (naming it), a NaN
        output, or (without ``allow_empty``) when ``not_before`` removes every draw.
    MemoryError
        Before sampling, when the stored draws would not fit in memory.
    """
    chunk = DEFAULT_CHUNK if chunk_size is None else check_int("chunk_size", chunk_size, 1)
    workers = default_workers() if workers is None else check_int("workers", workers, 1)
    check_callable("progress", progress)
    if calibration is not None:
        check_instance(
            "calibration", calibration, Calibration, "an agi_timelines.Calibration or None"
        )
    n_calibrated = int(calibration is not None or scenario.calibration is not None)
    n_calibrated += len(ROUTES[scenario.requirement.field].calibrated)
    stored = _check_keep(scenario, keep)
    n_years = len(output_names(scenario))
    store = _storage_dtype(dtype, draws, len(stored), n_years)
    check_memory(  # before anything is compiled, fitted or allocated
        draws,
        len(stored) * store.itemsize + n_years * 8 + 8 * n_calibrated,
        copies=2 if scenario.not_before is not None else 1,
    )
    calibrated, calibration_attrs = calibrated_inputs(
        scenario, draws, seed, calibration, horizon_calibration
    )
    with loaded_engine(scenario) as engine:
        params, outputs = engine.run(
            draws,
            seed,
            min(chunk, SEED_BLOCK),
            workers=workers,
            overrides=calibrated | dict(overrides or {}),
            keep=stored,
            dtype=store,
            progress=progress,
        )
    removed = 0
    if scenario.not_before is not None:
        kept = outputs["arrival_year"] >= scenario.not_before
        removed = int(draws - kept.sum())
        if removed == draws and not allow_empty:
            raise ValueError(
                f"not_before={scenario.not_before:g}: every draw arrives earlier; "
                "nothing is left to condition on"
            )
        if removed:
            params = {k: v[kept] for k, v in params.items()}
            outputs = {k: v[kept] for k, v in outputs.items()}
    attrs = provenance("forecast", seed=seed, draws=draws, scenario=scenario)
    attrs |= {
        "correlations": json.dumps(_correlation_records(scenario)),
        "not_before_removed": removed,
        "horizon": scenario.horizon,
    }
    if store != np.float64:
        attrs["parameter_dtype"] = store.name
    dropped = [var_name(p) for p in _storable(scenario) if p not in stored]
    if dropped:
        attrs["parameters_not_kept"] = json.dumps(dropped)
    attrs |= calibration_attrs
    return Run(params, outputs, calibrated, attrs)
