"""Parameter sweeps: a grid of scenario variants, evaluated in parallel with Dask.

:func:`sweep` fixes one or more scenario fields at every combination of the given
values (a field that is random in the scenario becomes a known point value: "what if we
knew it was x?"), forecasts every variant with the same seed (common random numbers)
and returns an :class:`xarray.Dataset` with one dimension per swept field.

Each grid point is a pure function of (variant, draws, seed), so results are bitwise
identical whatever the scheduler and the number of workers.

Parallelism
-----------
``scheduler="threads"`` (default), ``"sync"`` and ``"processes"`` use Dask's local
schedulers; a :class:`distributed.Client` is used as is (its cluster decides where tasks
run, e.g. on remote machines).  A compiled engine holds its scenario's numbers while it
samples, so threads take turns on each engine (one lock per scenario structure, see
``loaded_engine`` in :mod:`agi_timelines.forecast`), but each forecast runs its seed blocks
on every core (``workers``), and variants of one structure share the draws of every field
the grid leaves alone (same seed: the engine keeps recent seed blocks), so a sweep in
threads uses both cores and draws each unswept parameter once.  Worker *processes* (the
``"processes"`` scheduler or a distributed cluster) each build the engine once, so they pay
off for large grids on many machines.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from . import stats
from ._checks import check_draws_seed, check_int, check_quantiles, check_years
from ._engine import run
from ._provenance import provenance
from .analysis import DEFAULT_QUANTILES, DEFAULT_YEARS
from .model import units, var_name
from .result import Forecast
from .scenario import Scenario

__all__ = ["LOCAL_SCHEDULERS", "sweep", "sweepable_fields"]

LOCAL_SCHEDULERS = ("threads", "sync", "processes")
"""Dask local schedulers :func:`sweep` accepts by name."""

_PLAIN_FIELDS = {"reference.year": "year", "reference.flop": "FLOP", "horizon": "year"}

_CHOICE_FIELDS = {"data_wall.binds": ("pretraining", "physical")}
"""Fields that take one of a few words rather than a number: ``{path: allowed values}``."""


def sweepable_fields(scenario: Scenario) -> dict[str, str]:
    """Fields of ``scenario`` a sweep can set, with their units: ``{path: units}``.

    Every prior the scenario uses (random or point; data-wall fields only when the wall
    is on) plus ``reference.year``, ``reference.flop`` and ``horizon``; with the wall on
    also ``data_wall.binds``, whose values are words (its "units" list them).
    """
    out = {path: units(var_name(path)) for path in scenario.prior_fields()}
    if scenario.data_wall.enabled:
        out |= {path: " | ".join(words) for path, words in _CHOICE_FIELDS.items()}
    return out | dict(_PLAIN_FIELDS)


def sweep(
    scenario: Scenario,
    grid: Mapping[str, Sequence[float]],
    draws: int = 20_000,
    seed: int = 0,
    *,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    years: Sequence[float] = DEFAULT_YEARS,
    scheduler: Any = "threads",
    num_workers: int | None = None,
    chunk_size: int | None = None,
) -> xr.Dataset:
    """Forecast every combination of ``grid`` values of ``scenario``'s fields.

    Parameters
    ----------
    scenario : Scenario
        The base scenario.
    grid : mapping of str to sequence of float
        ``{field path: values}``, e.g. ``{"compute.late_rate": [0.05, 0.1],
        "data_wall.stock_tokens": [1e14, 1e15]}``.  Paths are those of
        :func:`sweepable_fields` (the scenario must use the field: data-wall fields need
        ``data_wall.enabled``).  Values: non-empty lists of distinct numbers, each a
        valid value of the field (a prior becomes a point mass at it); for
        ``data_wall.binds`` the words ``"pretraining"`` and/or ``"physical"``.
    draws : int
        Monte Carlo draws per grid point (>= 1).
    seed : int
        Seed of every grid point (>= 0; common random numbers).
    quantiles : sequence of float
        Arrival-year quantile levels in [0, 1].
    years : sequence of float
        Decimal years for P(arrived by year), within ``[reference.year, horizon]`` of
        every variant.
    scheduler : {"threads", "sync", "processes"} or distributed.Client
        Dask local scheduler by name, or a ``distributed.Client`` (used as is).
    num_workers : int, optional
        Workers of a local ``"threads"``/``"processes"`` scheduler (default: Dask's,
        the number of cores).  Not allowed with a client (its cluster decides).
    chunk_size : int, optional
        Draws per call of the compiled solver (results do not depend on it).

    Returns
    -------
    xarray.Dataset
        One dimension per swept field, named by its path, in ``grid`` order, with the
        values as coordinates (``units`` and ``field`` attrs); plus ``quantile`` and
        ``year``.  Variables (each over the field dims, plus the one noted):

        * ``median_arrival`` -- median arrival year (``inf`` when half or more of the
          draws are censored);
        * ``arrival_quantile`` (+ ``quantile``) -- arrival-year quantiles (inverted CDF);
        * ``p_arrived`` (+ ``year``) -- P(arrived by year);
        * ``censored_fraction`` -- P(no arrival by the horizon);
        * ``wall_binding_share`` -- share of draws whose data wall binds before arrival
          (0 with the wall off);
        * ``draws_used`` -- draws left after ``not_before`` conditioning.

        Attributes: the provenance keys (``kind`` = ``"sweep"``, ``format_version``,
        ``scenario`` (the base scenario's TOML), ``scenario_name``, ``seed``, ``draws``,
        ``versions``; see docs/api.md) and ``fields`` (JSON list of the swept paths, in dim
        order).

    Raises
    ------
    ValueError
        Naming the path: unknown field, a field the scenario does not use, empty or
        non-numeric values, duplicates, or a value the field does not allow.

    Examples
    --------
    >>> import agi_timelines as agt
    >>> from agi_timelines.sweep import sweep
    >>> s = agt.Scenario(
    ...     compute={"rate": agt.ci90(0.4, 0.75), "cap": agt.ci90(500, 1000)},
    ...     requirement={"ooms": 6.0},
    ... )
    >>> ds = sweep(s, {"compute.rate": [0.5, 1.0], "requirement.ooms": [5.0, 6.0]}, draws=500)
    >>> ds.median_arrival.sel({"compute.rate": 0.5}).values.tolist()  # 2023.2 + R / 0.5
    [2033.2, 2035.2]
    >>> sweep(s, {"compute.speed": [1.0]})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: sweep: unknown field path 'compute.speed': 'compute' has no field 'speed' ...
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be an agi_timelines.Scenario, got {type(scenario)}")
    draws, seed = check_draws_seed(draws, seed)
    if chunk_size is not None:
        check_int("chunk_size", chunk_size, 1)
    q = check_quantiles(quantiles)
    values = _check_grid(scenario, grid)
    paths = list(values)
    variants = []
    for combo in itertools.product(*values.values()):
        try:
            variant = scenario.replace(dict(zip(paths, combo, strict=True)))
        except ValueError as err:
            point = ", ".join(f"{p}={_label(v)}" for p, v in zip(paths, combo, strict=True))
            raise ValueError(f"sweep: grid point {point}: {err}") from None
        y = check_years(years, variant)
        variants.append(variant)
    run = _runner(scheduler, num_workers)
    results = run([(v, draws, seed, chunk_size, q, y) for v in variants])

    shape = tuple(len(v) for v in values.values())
    dims = tuple(paths)
    field_units = sweepable_fields(scenario)

    def stack(key: str) -> np.ndarray:
        arr = np.array([r[key] for r in results])
        return arr.reshape(shape + arr.shape[1:])

    quant = stack("quantiles")
    median = np.array([r["median"] for r in results]).reshape(shape)
    coords: dict[str, Any] = {
        p: (p, values[p], {"units": field_units[p], "field": p}) for p in paths
    }
    coords |= {"quantile": q, "year": ("year", y, {"units": "year"})}
    return xr.Dataset(
        {
            "median_arrival": (dims, median, {"units": "year"}),
            "arrival_quantile": ((*dims, "quantile"), quant, {"units": "year"}),
            "p_arrived": ((*dims, "year"), stack("p_arrived"), {"units": "probability"}),
            "censored_fraction": (dims, stack("censored"), {"units": "probability"}),
            "wall_binding_share": (dims, stack("wall"), {"units": "probability"}),
            "draws_used": (dims, stack("draws_used"), {"units": "1"}),
        },
        coords=coords,
        attrs={
            **provenance("sweep", seed=seed, draws=draws, scenario=scenario),
            "fields": json.dumps(paths),
        },
    )


def _point(
    scenario: Scenario,
    draws: int,
    seed: int,
    chunk_size: int | None,
    quantiles: np.ndarray,
    years: np.ndarray,
) -> dict[str, Any]:
    """Summaries of one grid point (runs in a Dask worker).

    Of ``forecast(scenario, draws, seed)``, through the same pipeline.
    """
    result = run(scenario, draws, seed, chunk_size=chunk_size)
    fc = Forecast.from_draws(result.draws, result.attrs)
    return {
        "quantiles": fc.quantile(quantiles).values,
        "median": float(fc.quantile(0.5)),
        "p_arrived": fc.cdf(years).values,
        "censored": fc.censored_fraction,
        "wall": stats.wall_binding_share(fc.draws),
        "draws_used": int(fc.arrival.size),
    }


def _runner(scheduler: Any, num_workers: int | None) -> Any:
    """Return a function running a list of ``_point`` argument tuples with the chosen scheduler."""
    if num_workers is not None and (
        isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 1
    ):
        raise ValueError(f"num_workers must be an integer >= 1, got {num_workers!r}")
    if isinstance(scheduler, str):
        if scheduler not in LOCAL_SCHEDULERS:
            raise ValueError(
                f"scheduler must be one of {', '.join(LOCAL_SCHEDULERS)} or a "
                f"distributed.Client, got {scheduler!r}"
            )

        def run_local(tasks: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
            import dask

            delayed = [dask.delayed(_point, pure=False)(*t) for t in tasks]
            kwargs = {} if num_workers is None else {"num_workers": num_workers}
            return list(dask.compute(*delayed, scheduler=scheduler, **kwargs))

        return run_local
    if not (hasattr(scheduler, "submit") and hasattr(scheduler, "gather")):
        raise ValueError(
            f"scheduler must be one of {', '.join(LOCAL_SCHEDULERS)} or a "
            f"distributed.Client, got {type(scheduler).__name__}"
        )
    if num_workers is not None:
        raise ValueError("num_workers cannot be set with a distributed.Client: its cluster decides")

    def run_client(tasks: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        futures = [scheduler.submit(_point, *t, pure=False) for t in tasks]
        return list(scheduler.gather(futures))

    return run_client


def _check_grid(scenario: Scenario, grid: Any) -> dict[str, np.ndarray]:
    """Validate the grid; errors name the field path."""
    if not isinstance(grid, Mapping) or not grid:
        raise ValueError(
            f"grid must be a non-empty mapping {{field path: list of values}}, got {grid!r}"
        )
    allowed = sweepable_fields(scenario)
    out: dict[str, np.ndarray] = {}
    for path, raw in grid.items():
        if not isinstance(path, str):
            raise ValueError(f"sweep: field paths must be strings, got {path!r}")
        if path not in allowed:
            _explain_unknown(scenario, path, allowed)
        if isinstance(raw, str | bytes) or not isinstance(raw, Sequence | np.ndarray):
            raise ValueError(f"sweep: {path}: values must be a list of numbers, got {raw!r}")
        obj = np.asarray(raw, dtype=object)
        if obj.ndim != 1:
            raise ValueError(f"sweep: {path}: values must be a flat list, got {raw!r}")
        items = list(obj)
        if not items:
            raise ValueError(f"sweep: {path}: the list of values is empty")
        if path in _CHOICE_FIELDS:
            out[path] = _check_choices(path, items)
            continue
        for v in items:
            if isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.number):
                raise ValueError(f"sweep: {path}: values must be numbers, got {v!r}")
        arr = np.array(items, dtype=float)
        if np.any(np.isnan(arr)):
            raise ValueError(f"sweep: {path}: values must not be NaN, got {arr.tolist()}")
        if len(set(arr.tolist())) != arr.size:
            raise ValueError(f"sweep: {path}: values must be distinct, got {arr.tolist()}")
        for v in arr:
            try:
                scenario.replace({path: float(v)})
            except ValueError as err:
                raise ValueError(f"sweep: {path} = {v:g} is not allowed: {err}") from None
        out[path] = arr
    return out


def _check_choices(path: str, items: list[Any]) -> np.ndarray:
    """Values of a word-valued field (:data:`_CHOICE_FIELDS`): known and distinct."""
    allowed = _CHOICE_FIELDS[path]
    for v in items:
        if v not in allowed:
            raise ValueError(
                f"sweep: {path}: values must be among {', '.join(map(repr, allowed))}, got {v!r}"
            )
    if len(set(items)) != len(items):
        raise ValueError(f"sweep: {path}: values must be distinct, got {items}")
    return np.array(items, dtype=str)


def _label(value: Any) -> str:
    return value if isinstance(value, str) else f"{value:g}"


def _explain_unknown(scenario: Scenario, path: str, allowed: dict[str, str]) -> None:
    """Raise the error for a path :func:`sweepable_fields` does not list."""
    try:
        scenario.replace({path: 0.0})
    except ValueError as err:
        if "unknown field path" in str(err):
            raise ValueError(f"sweep: {err}") from None
    hint = ""
    if path.startswith("data_wall.") and not scenario.data_wall.enabled:
        hint = " (the data wall is off: set data_wall.enabled = true)"
    elif path.startswith("compute."):
        form = "spending + hardware" if scenario.compute.is_split else "one trend"
        hint = f" (its compute is given as {form})"
    raise ValueError(
        f"sweep: field {path!r} is not a number the scenario {scenario.name!r} uses"
        f"{hint}; sweepable fields: {', '.join(allowed)}"
    )
