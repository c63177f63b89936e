"""Which assumption matters: one-at-a-time (tornado) and global sensitivity of the arrival year.

:func:`sensitivity` answers, for every random parameter of a scenario,

* **one at a time** (tornado data): how the median arrival year and P(arrived by
  ``year``) move when the parameter is fixed at its 5th and at its 95th percentile while
  every other parameter keeps its full uncertainty;
* **globally**: how much of the arrival year's variation the parameter explains on its
  own when everything varies together (first-order Sobol index), and in which direction
  (Spearman rank correlation).

Both come from **one** set of Monte Carlo draws: the draws of
:func:`~agi_timelines.forecast` for the same scenario and seed.  The one-at-a-time runs
replace a single parameter's column of those draws by a constant and re-solve, so every
run shares the other parameters' draws (common random numbers: differences are not
Monte Carlo noise) and the compiled graph of the scenario is reused (no recompilation).

:func:`tornado_table` turns the result into a wide :class:`pandas.DataFrame` for printing.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from scipy.stats import rankdata

from . import stats
from ._checks import check_draws_seed, check_int, check_years
from ._engine import run
from ._provenance import provenance
from .model import units, var_name
from .scenario import Scenario

__all__ = ["SORT_KEYS", "sensitivity", "tornado_table"]

SORT_KEYS = ("s1", "swing_median", "swing_p_arrived", "spearman")
"""Orders :func:`sensitivity` can sort parameters by (most important first)."""

_MIN_DRAWS = 500
_RBD_HARMONICS = 10


def sensitivity(
    scenario: Scenario,
    draws: int = 20_000,
    seed: int = 0,
    *,
    year: float = 2030.0,
    percentiles: tuple[float, float] = (0.05, 0.95),
    sort_by: str = "s1",
    resamples: int = 30,
    chunk_size: int | None = None,
) -> xr.Dataset:
    """Sensitivity of the arrival year to every random parameter of ``scenario``.

    **One at a time.** For each random parameter, the draws of the forecast are re-solved
    with that parameter fixed at its low and high ``percentiles`` (default 5th and 95th)
    of its prior, all other parameters keeping their draws.  Reported: the median arrival
    year and P(arrived by ``year``) of each run, next to those of the unchanged forecast.

    **Global.** Two measures from the unchanged forecast's draws:

    * ``s1``: the first-order Sobol index (share of variance explained by the parameter
      alone) of the **rank** of the arrival year, estimated by RBD-FAST / EASI
      (:func:`SALib.analyze.rbd_fast.analyze`, Plischke 2010, with the bias correction of
      Tissot & Prieur 2012), with a bootstrap half-width ``s1_conf``.  RBD-FAST works from
      a given i.i.d. sample, so no special design (e.g. Saltelli) is needed and the
      forecast's own draws serve.  Censoring: a censored draw (no arrival by the horizon,
      ``arrival_year = inf``) has no finite value, and a variance of years would be
      undefined, so the output analysed is the arrival year's rank among the draws with
      every censored draw tied at the top (mid-rank), i.e. the variance decomposition of
      the arrival year's cumulative probability ``F(T)``.  It is invariant to monotone
      re-scaling of years and never drops or clips censored draws.  An ``s1`` below its
      ``s1_conf`` is indistinguishable from 0 (the order among such parameters is noise).
    * ``spearman``: Spearman rank correlation of the parameter with the arrival year
      (censored draws tied at the top rank, as above).  Its sign says the direction:
      negative means "larger value, earlier arrival".

    Parameters
    ----------
    scenario : Scenario
        The assumptions; needs at least one random parameter.
    draws : int
        Monte Carlo draws (>= 500), shared by every run.
    seed : int
        Seed (>= 0); the unchanged run equals ``forecast(scenario, draws, seed)``.
    year : float
        Decimal year of the P(arrived by year) columns; within
        ``[reference.year, horizon]``.
    percentiles : tuple of float
        Low and high prior percentiles for the one-at-a-time runs, ``0 < low < high < 1``.
    sort_by : {"s1", "swing_median", "swing_p_arrived", "spearman"}
        Importance order of the ``parameter`` dimension (descending; ``spearman`` by its
        absolute value; NaN last).  Default: the global first-order index.
    resamples : int
        Bootstrap resamples for ``s1_conf`` (>= 2); cost grows linearly with it.
    chunk_size : int, optional
        Draws per call of the compiled solver (results do not depend on it).

    Returns
    -------
    xarray.Dataset
        Dimensions ``parameter`` (dotted field paths, most important first) and
        ``setting`` (``"low"``, ``"high"``).  Coordinates: ``parameter``, ``setting``,
        ``percentile(setting)`` and ``units(parameter)`` (the parameter's units).
        Variables:

        * ``value(parameter, setting)`` -- the fixed value (parameter's units);
        * ``median_arrival(parameter, setting)`` -- median arrival year of the run
          (``inf`` if at least half the draws are censored);
        * ``p_arrived(parameter, setting)`` -- P(arrived by ``year``);
        * ``median_shift``, ``p_arrived_shift`` -- the same minus the unchanged run
          (years; probability);
        * ``swing_median(parameter)`` -- ``|median(high) - median(low)|`` (years);
          ``swing_p_arrived(parameter)`` -- ``|p(high) - p(low)|``;
        * ``s1``, ``s1_conf`` (parameter) -- global first-order index and its bootstrap
          half-width (95%);
        * ``spearman(parameter)`` -- rank correlation with the arrival year;
        * ``median_arrival_base``, ``p_arrived_base`` -- scalars, the unchanged run.

        Attributes: the provenance keys (``kind`` = ``"sensitivity"``, ``format_version``,
        ``scenario`` (TOML), ``scenario_name``, ``seed``, ``draws``, ``versions``; see
        docs/api.md), ``year``, ``draws_used`` (after ``not_before`` conditioning),
        ``percentiles``, ``sorted_by``, ``s1_sum``, ``censored_fraction``,
        ``global_method``.

    Raises
    ------
    ValueError
        If the scenario has no random parameter, or an argument is out of range.

    Notes
    -----
    With the data wall on, the engine also draws an auxiliary uniform
    (``data_wall.breakthrough_u``, whether a breakthrough happens given ``p_break``).  It
    is not an assumption, so it has no row; it keeps its draws in every run.  Likewise a
    ``horizon_hours`` requirement's ``D`` and ``h_ref``, drawn from the time-horizon
    calibration's posterior as in :func:`~agi_timelines.forecast`.  With a
    ``[calibration]`` table, ``compute.rate`` is drawn from the trend's posterior as in the
    forecast, and its low and high settings are the ``percentiles`` of those posterior
    draws (not of its prior).

    Examples
    --------
    >>> import agi_timelines as agt
    >>> from agi_timelines.sensitivity import sensitivity
    >>> s = agt.Scenario(
    ...     compute={"rate": agt.ci90(0.4, 0.75), "cap": agt.ci90(500, 1000)},
    ...     requirement={"ooms": 6.0},
    ... )
    >>> ds = sensitivity(s, draws=2000, seed=0)
    >>> ds.parameter.values.tolist()  # the cap is never reached: no effect
    ['compute.rate', 'compute.cap']
    >>> float(ds.median_arrival.sel(parameter="compute.rate", setting="low"))  # 2023.2 + 6/0.4
    2038.2
    >>> float(ds.swing_median.sel(parameter="compute.cap"))
    0.0
    """
    if not isinstance(scenario, Scenario):
        raise TypeError(f"scenario must be an agi_timelines.Scenario, got {type(scenario)}")
    draws, seed = check_draws_seed(draws, seed, min_draws=_MIN_DRAWS)
    year = float(check_years([year], scenario, name="year")[0])
    lo_q, hi_q = _check_percentiles(percentiles)
    if sort_by not in SORT_KEYS:
        raise ValueError(f"sort_by must be one of {', '.join(SORT_KEYS)}; got {sort_by!r}")
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 2:
        raise ValueError(f"resamples must be an integer >= 2, got {resamples!r}")
    if chunk_size is not None:
        check_int("chunk_size", chunk_size, 1)
    fields = scenario.random_fields()
    if scenario.active_correlations():
        pairs = ", ".join(c.label for c in scenario.active_correlations())
        warnings.warn(
            f"scenario {scenario.name!r} correlates {pairs}: the global indices (s1) assume "
            "independent inputs, so the pair's shared influence is split between them "
            "arbitrarily; read them with care",
            UserWarning,
            stacklevel=2,
        )
    if not fields:
        raise ValueError(
            f"scenario {scenario.name!r} has no random parameter: every prior is a point "
            "mass, so there is nothing to attribute"
        )
    paths = list(fields)
    settings = {
        path: [float(prior.ppf(lo_q)), float(prior.ppf(hi_q))] for path, prior in fields.items()
    }
    # the unchanged run is forecast(scenario, draws, seed): the same pipeline, so the same
    # calibrated draws (compute.rate of a [calibration], a horizon route's D and h_ref),
    # not_before conditioning and defaults
    base_run = run(scenario, draws, seed, chunk_size=chunk_size, keep=paths, dtype="float64")
    for path, values in base_run.calibrated.items():  # a calibrated parameter is fixed at
        if path in settings:  # the percentiles of its posterior draws, not of its prior
            settings[path] = [float(v) for v in np.quantile(values, [lo_q, hi_q])]
    runs = np.empty((len(paths), 2, 2))  # parameter, setting, (median, p_arrived)
    for i, path in enumerate(paths):
        for j, value in enumerate(settings[path]):
            arrival = run(
                scenario,
                draws,
                seed,
                overrides={path: np.full(draws, value)},
                chunk_size=chunk_size,
                keep=(),
                allow_empty=True,  # a fixed value may put every draw before not_before
            ).arrival
            runs[i, j, 0] = stats.quantile(arrival, [0.5])[0]
            runs[i, j, 1] = stats.prob_by(arrival, [year])[0]

    base = base_run.arrival
    base_median = float(stats.quantile(base, [0.5])[0])
    base_p = float(stats.prob_by(base, [year])[0])
    x = np.column_stack([base_run.params[p] for p in paths])
    s1, s1_conf, rho = _global(paths, x, base, resamples, seed)

    with np.errstate(invalid="ignore"):  # inf - inf when a run is censored past median
        shift_median = runs[..., 0] - base_median
        swing_median = np.abs(runs[:, 1, 0] - runs[:, 0, 0])
    shift_p = runs[..., 1] - base_p
    swing_p = np.abs(runs[:, 1, 1] - runs[:, 0, 1])

    p_units = [units(var_name(p)) for p in paths]
    dims2 = ("parameter", "setting")
    ds = xr.Dataset(
        {
            "value": (dims2, np.array([settings[p] for p in paths]), _a("parameter's units")),
            "median_arrival": (dims2, runs[..., 0], _a("year", "median arrival year")),
            "p_arrived": (dims2, runs[..., 1], _a("probability", f"P(arrived by {year:g})")),
            "median_shift": (dims2, shift_median, _a("yr", "median minus unchanged median")),
            "p_arrived_shift": (dims2, shift_p, _a("probability", "P minus unchanged P")),
            "swing_median": ("parameter", swing_median, _a("yr", "|high - low| median")),
            "swing_p_arrived": ("parameter", swing_p, _a("probability", "|high - low| P")),
            "s1": ("parameter", s1, _a("1", "first-order Sobol index of arrival rank")),
            "s1_conf": ("parameter", s1_conf, _a("1", "bootstrap 95% half-width of s1")),
            "spearman": ("parameter", rho, _a("1", "rank correlation with arrival year")),
            "median_arrival_base": ((), base_median, _a("year", "median, nothing fixed")),
            "p_arrived_base": ((), base_p, _a("probability", f"P(by {year:g}), nothing fixed")),
        },
        coords={
            "parameter": paths,
            "setting": ["low", "high"],
            "percentile": ("setting", [lo_q, hi_q]),
            "units": ("parameter", p_units),
        },
        attrs={
            **provenance("sensitivity", seed=seed, draws=draws, scenario=scenario),
            "year": year,
            "draws_used": int(base.size),
            "percentiles": [lo_q, hi_q],
            "sorted_by": sort_by,
            "s1_sum": float(np.nansum(s1)),
            "censored_fraction": stats.censored_share(base),
            "global_method": (
                "RBD-FAST first-order index (SALib.analyze.rbd_fast, M=10) and Spearman "
                "correlation, both of the arrival year's rank with censored draws tied at "
                "the top"
            ),
        },
    )
    return ds.isel(parameter=_order(ds, sort_by))


def tornado_table(ds: xr.Dataset) -> pd.DataFrame:
    """Return a wide table of :func:`sensitivity` output, one row per parameter (same order).

    Columns: ``units``, ``low``/``high`` (fixed values), ``median_low``/``median_high``
    (median arrival year), ``swing_median`` (years), ``p_low``/``p_high`` (P(arrived by
    the ``year`` attr)), ``swing_p``, ``s1``, ``s1_conf``, ``spearman``.
    """
    return pd.DataFrame(
        {
            "units": ds["units"].values,
            "low": ds["value"].sel(setting="low").values,
            "high": ds["value"].sel(setting="high").values,
            "median_low": ds["median_arrival"].sel(setting="low").values,
            "median_high": ds["median_arrival"].sel(setting="high").values,
            "swing_median": ds["swing_median"].values,
            "p_low": ds["p_arrived"].sel(setting="low").values,
            "p_high": ds["p_arrived"].sel(setting="high").values,
            "swing_p": ds["swing_p_arrived"].values,
            "s1": ds["s1"].values,
            "s1_conf": ds["s1_conf"].values,
            "spearman": ds["spearman"].values,
        },
        index=pd.Index(ds["parameter"].values, name="parameter"),
    )


# -- helpers ---------------------------------------------------------------------------------
def _a(units_: str, long_name: str | None = None) -> dict[str, str]:
    return {"units": units_} | ({"long_name": long_name} if long_name else {})


def _check_percentiles(percentiles: Any) -> tuple[float, float]:
    try:
        lo, hi = (float(p) for p in percentiles)
    except (TypeError, ValueError):
        raise ValueError(
            f"percentiles must be two numbers (low, high), got {percentiles!r}"
        ) from None
    if not (0 < lo < hi < 1):
        raise ValueError(f"percentiles must satisfy 0 < low < high < 1, got ({lo}, {hi})")
    return lo, hi


def _global(
    paths: Sequence[str], x: np.ndarray, arrival: np.ndarray, resamples: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """RBD-FAST first-order indices and Spearman correlations of the arrival rank."""
    from SALib.analyze import rbd_fast

    n, d = x.shape
    nan = np.full(d, math.nan)
    if n < 4 * _RBD_HARMONICS + 2:
        return nan, nan.copy(), nan.copy()
    y = rankdata(arrival) / n  # censored (inf) draws tie at the top mid-rank
    if np.ptp(y) == 0:  # every draw censored, or all identical: nothing to attribute
        return nan, nan.copy(), nan.copy()
    problem = {"num_vars": d, "names": list(paths)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = rbd_fast.analyze(problem, x, y, M=_RBD_HARMONICS, num_resamples=resamples, seed=seed)
    ry = y - y.mean()
    rho = np.empty(d)
    for i in range(d):
        rx = rankdata(x[:, i])
        rx -= rx.mean()
        denom = math.sqrt(float(rx @ rx) * float(ry @ ry))
        rho[i] = float(rx @ ry) / denom if denom > 0 else math.nan
    return np.asarray(res["S1"], float), np.asarray(res["S1_conf"], float), rho


def _order(ds: xr.Dataset, sort_by: str) -> np.ndarray:
    key = ds[sort_by].values.astype(float)
    if sort_by == "spearman":
        key = np.abs(key)
    key = np.where(np.isnan(key), -np.inf, key)
    return np.argsort(-key, kind="stable")
