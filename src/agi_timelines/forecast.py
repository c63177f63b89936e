"""The public entry point of sampling a scenario: :func:`forecast`.

It checks the arguments and wraps the draws of the one pipeline,
:func:`agi_timelines._engine.run` (seed blocks, threads, chunks, calibrated draws,
``not_before``, provenance), in a :class:`~agi_timelines.Forecast`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from ._checks import check_int
from ._engine import (
    AUTO_FLOAT32_BYTES,
    available_memory,
    calibrated_inputs,
    loaded_engine,
    output_names,
    run,
)
from ._provenance import versions
from ._seeds import SEED_BLOCK, seed_blocks
from .scenario import Scenario

if TYPE_CHECKING:
    from .calibrate import Calibration
    from .horizons import HorizonCalibration
    from .result import Forecast

__all__ = ["SEED_BLOCK", "forecast"]

# the engine's names callers import from here (tests, the CLI, older code)
_REEXPORTED = (
    AUTO_FLOAT32_BYTES,
    available_memory,
    calibrated_inputs,
    loaded_engine,
    output_names,
    seed_blocks,
    versions,
)


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
    from .result import Forecast

    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be an agi_timelines.Scenario, got {type(scenario)}")
    draws = check_int("draws", draws, 1)
    seed = check_int("seed", seed, 0)
    result = run(
        scenario,
        draws,
        seed,
        chunk_size=chunk_size,
        workers=workers,
        calibration=calibration,
        horizon_calibration=horizon_calibration,
        keep=keep,
        dtype=dtype,
        progress=progress,
    )
    return Forecast.from_draws(result.draws, result.attrs)
