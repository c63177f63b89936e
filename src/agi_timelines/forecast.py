"""The public entry point of sampling a scenario: :func:`forecast`.

The sampler and solver behind it (seed blocks, threads, chunks, calibrated draws) live in
:mod:`agi_timelines._engine`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

import numpy as np

from . import requirement
from ._checks import check_callable, check_instance, check_int
from ._engine import (
    AUTO_FLOAT32_BYTES,
    DEFAULT_CHUNK,
    SEED_BLOCK,
    _check_keep,
    _check_no_nan,
    _correlation_records,
    _storable,
    _storage_dtype,
    available_memory,
    calibrated_inputs,
    check_memory,
    default_workers,
    loaded_engine,
    output_names,
    seed_blocks,
    versions,
)
from .model import var_name
from .scenario import Scenario

if TYPE_CHECKING:
    from .calibrate import Calibration
    from .horizons import HorizonCalibration
    from .result import Forecast

__all__ = ["SEED_BLOCK", "forecast"]

# re-exported: the engine's names that callers import from here
_REEXPORTED = (AUTO_FLOAT32_BYTES, available_memory, output_names, seed_blocks)


def forecast(
    scenario: Scenario,
    draws: int = 100_000,
    seed: int = 0,
    chunk_size: int | None = None,
    *,
    calibration: Calibration | None = None,
    horizon_calibration: HorizonCalibration | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    keep: Collection[str] | None = None,
    dtype: str = "auto",
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
        ``chunk_size`` and ``workers``.
    chunk_size : int, optional
        Draws per call of the compiled solver (default 262144; a call never spans more
        than one seed block of 32768 draws); bounds temporary memory.
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
        Called as ``progress(done, total)`` after each chunk is solved, one call at a time
        (from the worker threads when ``workers > 1``); ``done`` increases to ``total``.
    workers : int, optional
        Threads drawing and solving seed blocks (>= 1; default: every core this process
        may use).  Results are bit-identical for any number.
    keep : collection of str, optional
        Parameters to store, by path (``"compute.rate"``) or variable name
        (``"compute_rate"``); default all.  The derived years (``arrival_year``, and
        ``requirement``, ``wall_year``, ``breakthrough_year``, ``arrival_year_no_wall``
        where the scenario has them) are always stored.  Dropped parameters still shape
        every draw; only their values are not kept, so :meth:`Forecast.trajectory
        <agi_timelines.Forecast.trajectory>` and the figures built on it need them all.
    dtype : {"auto", "float64", "float32"}
        Storage type of the parameters (years are always float64; the solver always
        sees float64 draws).  ``"auto"``: float64 unless the stored draws would pass
        :data:`AUTO_FLOAT32_BYTES` in float64, float32 beyond (e.g. 1e7 draws of the
        preset with the data wall).

    Returns
    -------
    Forecast
        Draws of the parameters and ``arrival_year`` (``inf`` when censored) in a
        DataTree, with summaries.

    Raises
    ------
    MemoryError
        Before sampling, when the stored draws would not fit in the memory available to
        the process; the message names ``draws``, the estimate and the memory available.

    Examples
    --------
    >>> import agi_timelines as agt
    >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=20_000, seed=1)
    >>> 2026 < float(fc.quantile(0.5)) < 2031
    True
    """
    from .calibrate import Calibration
    from .result import Forecast

    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be an agi_timelines.Scenario, got {type(scenario)}")
    draws = check_int("draws", draws, 1)
    seed = check_int("seed", seed, 0)
    chunk = DEFAULT_CHUNK if chunk_size is None else check_int("chunk_size", chunk_size, 1)
    workers = default_workers() if workers is None else check_int("workers", workers, 1)
    check_callable("progress", progress)
    if calibration is not None:
        check_instance(
            "calibration", calibration, Calibration, "an agi_timelines.Calibration or None"
        )
    calibrated = calibration is not None or scenario.calibration is not None
    calibrated += len(requirement.ROUTES[scenario.requirement.field].calibrated)
    stored = _check_keep(scenario, keep)
    n_years = len(output_names(scenario))
    store = _storage_dtype(dtype, draws, len(stored), n_years)
    check_memory(  # before anything is compiled, fitted or allocated
        draws,
        len(stored) * store.itemsize + n_years * 8 + 8 * calibrated,
        copies=2 if scenario.not_before is not None else 1,
    )
    overrides, calibration_attrs = calibrated_inputs(
        scenario, draws, seed, calibration, horizon_calibration
    )
    with loaded_engine(scenario) as engine:
        params, outputs = engine.run(
            draws,
            seed,
            min(chunk, SEED_BLOCK),
            workers=workers,
            overrides=overrides,
            keep=stored,
            dtype=store,
            progress=progress,
        )
    _check_no_nan(params, outputs)
    removed = 0
    if scenario.not_before is not None:
        kept = outputs["arrival_year"] >= scenario.not_before
        removed = int(draws - kept.sum())
        if removed == draws:
            raise ValueError(
                f"not_before={scenario.not_before:g}: every draw arrives earlier; "
                "nothing is left to condition on"
            )
        if removed:
            params = {k: v[kept] for k, v in params.items()}
            outputs = {k: v[kept] for k, v in outputs.items()}
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
    if store != np.float64:
        attrs["parameter_dtype"] = store.name
    dropped = [var_name(p) for p in _storable(scenario) if p not in stored]
    if dropped:
        attrs["parameters_not_kept"] = json.dumps(dropped)
    attrs |= calibration_attrs
    return Forecast.from_draws({**params, **outputs}, attrs)
