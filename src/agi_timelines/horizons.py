r"""Bayesian calibration of METR's time-horizon trend, and its draws for the forecast.

The time horizon ``H`` of a model is the length of task (minutes of a skilled human's
work) it completes with 50% (or 80%) reliability.  :func:`calibrate_horizon` fits

.. math::

    \log_2 H_i \sim \mathrm{StudentT}\bigl(\nu,\ h_{ref} + D\,(t_i - t_{ref}),\
    \sqrt{s_i^2 + \sigma^2}\bigr)

by NUTS over METR's state-of-the-art models, with ``s_i`` the measurement error of point
``i`` from METR's 95% interval (log2 units) and ``sigma`` a fitted scatter.  ``D`` is in
doublings per year, ``h_ref`` in log2 minutes at the reference year.  A scenario with a
``horizon_hours`` requirement draws ``(D, h_ref)`` jointly from this posterior
(:func:`forecast_draws`) and converts them to a requirement in OOMs
(:mod:`agi_timelines.requirement`).

Examples
--------
>>> import warnings
>>> with warnings.catch_warnings():  # a short fit may not pass every convergence check
...     warnings.simplefilter("ignore")
...     cal = calibrate_horizon(draws=300, tune=300, chains=2, seed=1)
>>> 150 < float(cal.doubling_time.median()) < 230   # days; METR: 187.8 since 2019
True
"""

from __future__ import annotations

import json
import logging
import math
import os
import zlib
from dataclasses import dataclass
from numbers import Real
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
import pymc as pm
import pytensor.tensor as pt
import xarray as xr

from ._checks import check_int
from ._once import once_per_key
from ._provenance import provenance as provenance_attrs
from ._seeds import resample
from .calibration import PosteriorFit, _diagnostics, _sample, _warn_if_unconverged
from .constants import DAYS_PER_YEAR, GPT4_YEAR
from .data import time_horizons
from .requirement import HORIZON_DRAWS

if TYPE_CHECKING:
    from .scenario import Scenario

__all__ = [
    "RELIABILITIES",
    "HorizonCalibration",
    "build_horizon_model",
    "calibrate_horizon",
    "forecast_draws",
]

RELIABILITIES = (0.5, 0.8)
"""Reliabilities METR reports a horizon for (the task success probability)."""
MIN_POINTS = 4
"""Fewest models (after the filters) the trend is fitted to."""
Z95 = 1.959963984540054
"""Standard-normal quantile of 0.975: a central 95% interval is +-Z95 standard errors."""
UNITS = {
    "h_ref": "log2 minutes (time horizon at the reference year)",
    "doublings_per_year": "doublings/yr",
    "doubling_time_days": "days",
    "sigma": "log2 minutes (scatter around the trend, beyond measurement error)",
    "nu": "dimensionless (Student-t degrees of freedom)",
    "log2_minutes": "log2 minutes",
    "measurement_sd": "log2 minutes",
    "date": "decimal year",
}
"""Units of the calibration model's variables, also written to the tree's variable attrs."""
_KEY = zlib.crc32(b"horizon calibration")
_COMPILE_KEY = "horizon"


@dataclass(frozen=True, eq=False)
class HorizonCalibration(PosteriorFit):
    """Posterior of the time-horizon trend, as returned by :func:`calibrate_horizon`.

    Attributes
    ----------
    tree : xarray.DataTree
        Groups ``posterior`` (``h_ref``, ``doublings_per_year``, ``doubling_time_days``,
        ``sigma``, ``nu``), ``sample_stats``, ``posterior_predictive``, ``observed_data``
        and ``constant_data`` (dims ``chain``, ``draw``, ``point``); root attrs hold the
        data version and source, the settings (``reliability``, ``since``,
        ``sota_only``, ``max_minutes``, ``reference_year``, ``seed``), the sampler
        settings and the diagnostics.
    model : pymc.Model or None
        The fitted model (``None`` for a calibration loaded from disk).
    """

    _WHAT: ClassVar[str] = "horizon calibration"
    _NEEDS: ClassVar[str] = "doublings_per_year"

    @property
    def doublings_per_year(self) -> xr.DataArray:
        """Posterior draws of ``D``, doublings of the horizon per year (``chain``, ``draw``)."""
        return self.tree.posterior["doublings_per_year"]

    @property
    def h_ref(self) -> xr.DataArray:
        """Posterior draws of ``h_ref``: log2 of the horizon (minutes) at the reference year."""
        return self.tree.posterior["h_ref"]

    @property
    def doubling_time(self) -> xr.DataArray:
        """Posterior draws of the doubling time, days (``365.25 / D``)."""
        return self.tree.posterior["doubling_time_days"]

    def doubling_time_interval(self, prob: float = 0.9) -> tuple[float, float]:
        """Central (equal-tailed) credible interval of the doubling time, days."""
        return self._central_interval(self.doubling_time, prob)

    @property
    def settings(self) -> dict[str, Any]:
        """The fit's settings: reliability, since, sota_only, max_minutes, reference_year, seed."""
        attrs = self.tree.attrs
        return {
            "reliability": float(attrs["reliability"]),
            "since": float(attrs["since"]),
            "sota_only": bool(attrs["sota_only"]),
            "max_minutes": float(attrs["max_minutes"]),
            "reference_year": float(attrs["reference_year"]),
            "seed": int(attrs["seed"]),
        }

    def resample(self, draws: int, seed: int) -> dict[str, np.ndarray]:
        """Joint posterior draws of ``D`` and ``h_ref`` for a forecast, resampled per seed block.

        Block ``j`` of 32768 draws is resampled with seed ``(seed, j, crc32("horizon
        calibration"))``, so the draws do not depend on the chunk size, a shorter run is a
        prefix of a longer one, and the horizon's stream is independent of the compute
        calibration's.

        Parameters
        ----------
        draws : int
            Draws wanted (>= 0).
        seed : int
            The forecast's seed (>= 0).

        Returns
        -------
        dict
            ``{"horizon.doublings_per_year": D (doublings/yr), "horizon.h_ref": h_ref
            (log2 minutes)}``, each of shape ``(draws,)``.
        """
        check_int("draws", draws, 0)
        check_int("seed", seed, 0)
        columns = [v.to_numpy().reshape(-1) for v in (self.doublings_per_year, self.h_ref)]
        return dict(zip(HORIZON_DRAWS, resample(columns, draws, seed, _KEY), strict=True))

    def provenance(self) -> dict[str, Any]:
        """Return what a forecast records of this calibration.

        Its ``horizon_calibration`` attr, as JSON: ``replaces``, ``data_file``, ``data_version``,
        the :attr:`settings`, ``n_points``, the doubling time's median and 90% interval (days) and
        the diagnostics.
        """
        lo, hi = self.doubling_time_interval(0.9)
        attrs = self.tree.attrs
        return {
            "replaces": "horizon.doublings_per_year, horizon.h_ref",
            "data_file": str(attrs.get("data_file")),
            "data_version": self.data_version,
            **self.settings,
            "n_points": int(attrs["n_points"]),
            "doubling_time_days_median": float(self.doubling_time.median()),
            "doubling_time_days_90": [lo, hi],
            **self.diagnostics,
        }

    def __repr__(self) -> str:
        attrs = self.tree.attrs
        median = float(self.doubling_time.median())
        low, high = self.doubling_time_interval()
        return (
            f"HorizonCalibration(data={attrs['data_file']!s} v{self.data_version}, "
            f"reliability={attrs['reliability']:g}, since={attrs['since']}, "
            f"points={attrs['n_points']}, doubling time median {median:.1f} days "
            f"[90%: {low:.1f}, {high:.1f}], {self.diagnostics})"
        )


def build_horizon_model(
    date: np.ndarray,
    log2_minutes: np.ndarray,
    measurement_sd: np.ndarray,
    *,
    reference_year: float = GPT4_YEAR,
) -> pm.Model:
    """Return the PyMC model of :func:`calibrate_horizon` (see there for likelihood and priors).

    The data and the reference year enter as ``pm.Data`` (``date``,
    ``observed_log2_minutes``, ``measurement_sd``, ``reference_year``), so one compiled
    model serves every data set and window.
    """
    date = np.asarray(date, dtype=float)
    with pm.Model(coords={"point": np.arange(date.size)}) as model:
        date_ = pm.Data("date", date, dims="point")
        observed = pm.Data("observed_log2_minutes", np.asarray(log2_minutes, float), dims="point")
        sd = pm.Data("measurement_sd", np.asarray(measurement_sd, float), dims="point")
        t_ref = pm.Data("reference_year", float(reference_year))
        h_ref = pm.Normal("h_ref", mu=0.0, sigma=5.0)
        rate = pm.TruncatedNormal("doublings_per_year", mu=1.5, sigma=1.5, lower=0.0)
        pm.Deterministic("doubling_time_days", DAYS_PER_YEAR / rate)
        sigma = pm.HalfNormal("sigma", sigma=1.0)
        nu = pm.Gamma("nu", alpha=2.0, beta=0.1)
        pm.StudentT(
            "log2_minutes",
            nu=nu,
            mu=h_ref + rate * (date_ - t_ref),
            sigma=pt.sqrt(sd**2 + sigma**2),
            observed=observed,
            dims="point",
        )
    return model


def calibrate_horizon(
    reliability: float = 0.5,
    since: float = 2019.0,
    sota_only: bool = True,
    max_minutes: float = 960.0,
    reference_year: float = GPT4_YEAR,
    seed: int = 0,
    *,
    data: pd.DataFrame | str | os.PathLike[str] | None = None,
    draws: int = 1000,
    tune: int = 1000,
    chains: int = 4,
) -> HorizonCalibration:
    r"""Fit the time-horizon trend to METR's measurements by NUTS.

    Model, for model ``i`` released at decimal year :math:`t_i` with measured horizon
    :math:`H_i` (minutes) and 95% interval :math:`[L_i, U_i]`:

    .. math::

        \log_2 H_i \sim \mathrm{StudentT}\bigl(\nu,\ h_{ref} + D\,(t_i - t_{ref}),\
        \sqrt{s_i^2 + \sigma^2}\bigr), \qquad
        s_i = \frac{\log_2 U_i - \log_2 L_i}{2 \times 1.96}.

    ``s_i`` is the point's measurement error (METR's interval, in log2 units; its
    log-asymmetry is averaged out), ``sigma`` the scatter of models around the trend beyond
    it.  Priors:

    * ``h_ref ~ Normal(0, 5)`` log2 minutes: the horizon at the reference year lies
      between ~0.07 s and ~15 h (95%); weak next to the data (posterior sd ~0.3).
    * ``doublings_per_year ~ TruncatedNormal(1.5, 1.5, lower=0)``: 95% of the mass below
      4.1 doublings/yr (doubling times above ~89 days), covering METR's 1.95 (all models)
      and 2.8 (since 2023); positive because the forecast uses ``D`` as a growth rate.
    * ``sigma ~ HalfNormal(1)`` log2 minutes; ``nu ~ Gamma(2, 0.1)`` (Juárez & Steel 2010),
      robust to outlying models.

    Parameters
    ----------
    reliability : {0.5, 0.8}
        Which horizon: tasks completed with 50% or with 80% probability.
    since : float, default 2019.0
        Only models released on or after this decimal year.
    sota_only : bool, default True
        Only models METR flags as state of the art at release (``is_sota``; METR flags the
        50% horizon, the flag is used for both reliabilities).
    max_minutes : float, default 960
        Leave out measurements above this many minutes (METR: above ~16 hours its task
        suite has too few long tasks with human baselines to measure reliably).
    reference_year : float, default 2023.2
        Decimal year ``t_ref`` at which ``h_ref`` is the trend's horizon (GPT-4's release;
        a scenario passes its own reference year).
    seed : int, default 0
        Seed of NUTS and of the posterior predictive; same seed, same result.
    data : pandas.DataFrame, str or path-like, optional
        A table as returned by :func:`agi_timelines.data.time_horizons` (columns ``date``,
        ``p50_minutes``/``p80_minutes`` with their ``_ci_low``/``_ci_high``, ``is_sota``;
        ``model`` optional); a path is read with that function.  Default: the bundled
        METR table.
    draws, tune, chains : int, default 1000, 1000, 4
        Posterior draws and warm-up iterations per chain, and chains.

    Returns
    -------
    HorizonCalibration

    Raises
    ------
    ValueError
        On a reliability other than 0.5 or 0.8, ``max_minutes`` not positive, a table
        with missing columns or NaN, infinite or non-positive values, fewer than
        :data:`MIN_POINTS` models left by ``since``/``sota_only``/``max_minutes``, or bad
        ``draws``/``tune``/``chains``/``seed``.

    Warns
    -----
    agi_timelines.CalibrationWarning
        If max R-hat > 1.01 (or is undefined, as with one chain), any divergent
        transition, or bulk ESS below 100 per chain.
    """
    reliability = check_reliability("reliability", reliability)
    check_int("draws", draws, 1)
    check_int("chains", chains, 1)
    check_int("tune", tune, 1)
    check_int("seed", seed, 0)
    for name, value in (("since", since), ("reference_year", reference_year)):
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            raise ValueError(f"{name} must be a finite decimal year, got {value!r}")
    if isinstance(max_minutes, bool) or not isinstance(max_minutes, Real) or not max_minutes > 0:
        raise ValueError(f"max_minutes must be a positive number of minutes, got {max_minutes!r}")
    if not isinstance(sota_only, bool):
        raise ValueError(f"sota_only must be True or False, got {sota_only!r}")
    points = select_points(data, reliability, float(since), sota_only, float(max_minutes))
    level = _LEVEL[reliability]
    y = np.log2(points[f"{level}_minutes"].to_numpy(float))
    sd = measurement_sd(points, reliability)
    date = points["date"].to_numpy(float)
    model = build_horizon_model(date, y, sd, reference_year=float(reference_year))
    tree, sampler = _sample(model, _COMPILE_KEY, draws, tune, chains, seed, 0.8)

    pymc_logger = logging.getLogger("pymc")
    log_level = pymc_logger.level
    pymc_logger.setLevel(logging.WARNING)  # silence "Sampling: [log2_minutes]"
    try:
        predictive = pm.sample_posterior_predictive(
            tree,
            model=model,
            var_names=["log2_minutes"],
            freeze_vars=[var.name for var in model.free_RVs],
            random_seed=seed,
            progressbar=False,
        )
    finally:
        pymc_logger.setLevel(log_level)
    names = ("point", points["model"].astype(str).to_numpy()) if "model" in points else None
    for group in ("posterior_predictive", "observed_data", "constant_data"):
        dataset = predictive[group].to_dataset()
        tree[group] = dataset.assign_coords(model=names) if names else dataset
    for group in ("posterior", "posterior_predictive", "observed_data", "constant_data"):
        for name, variable in tree[group].data_vars.items():
            key = "log2_minutes" if name == "observed_log2_minutes" else name
            if key in UNITS:
                variable.attrs["units"] = UNITS[key]

    diagnostics = _diagnostics(tree)
    attrs = points.attrs
    tree.attrs.update(
        **provenance_attrs("time-horizon calibration", seed=seed, draws=draws),
        data_version=str(attrs.get("version", "unknown")),
        data_source=str(attrs.get("source", "user-supplied DataFrame")),
        data_licence=str(attrs.get("licence", "unknown")),
        data_file=str(attrs.get("file", "DataFrame")),
        reliability=reliability,
        since=float(since),
        sota_only=int(sota_only),
        max_minutes=float(max_minutes),
        reference_year=float(reference_year),
        n_points=len(points),
        sampler=sampler,
        tune=int(tune),
        chains=int(chains),
        target_accept=0.8,
        **diagnostics,
    )
    _warn_if_unconverged(diagnostics, chains)
    return HorizonCalibration(tree=tree, model=model)


_LEVEL = {0.5: "p50", 0.8: "p80"}


def check_reliability(name: str, value: Any) -> float:
    """``value`` as 0.5 or 0.8, else a ``ValueError`` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, Real) or float(value) not in _LEVEL:
        raise ValueError(
            f"{name} must be 0.5 or 0.8 (the task success probabilities METR reports a "
            f"horizon for), got {value!r}"
        )
    return float(value)


def measurement_sd(points: pd.DataFrame, reliability: float) -> np.ndarray:
    """Each point's measurement error, log2 minutes.

    The width of its 95% interval in log2 units over ``2 * 1.96``.
    """
    level = _LEVEL[check_reliability("reliability", reliability)]
    low = np.log2(points[f"{level}_ci_low"].to_numpy(float))
    high = np.log2(points[f"{level}_ci_high"].to_numpy(float))
    return (high - low) / (2.0 * Z95)


def select_points(
    data: Any, reliability: float, since: float, sota_only: bool, max_minutes: float
) -> pd.DataFrame:
    """Validate a time-horizon table and keep the points the fit uses.

    Keeps rows dated on or after ``since``, flagged state of the art (if ``sota_only``)
    and with the chosen horizon at most ``max_minutes``.  ``data`` is a table as
    :func:`~agi_timelines.data.time_horizons` returns, a path, or ``None`` (bundled).
    """
    if data is None or isinstance(data, str | os.PathLike):
        data = time_horizons(data)
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame or a path, got {type(data).__name__}")
    level = _LEVEL[check_reliability("reliability", reliability)]
    numeric = ["date", f"{level}_minutes", f"{level}_ci_low", f"{level}_ci_high"]
    missing = [col for col in [*numeric, "is_sota"] if col not in data.columns]
    if missing:
        raise ValueError(
            f"data is missing column(s) {missing}: calibrate_horizon needs 'date' (decimal "
            f"year), '{level}_minutes' with '{level}_ci_low'/'{level}_ci_high' (minutes) and "
            f"'is_sota'; got columns {list(data.columns)}"
        )
    values = data[numeric].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    bad = ~np.isfinite(values)
    with np.errstate(invalid="ignore"):
        bad[:, 1:] |= ~(values[:, 1:] > 0)  # minutes must be positive
    if bad.any():
        rows, cols = np.nonzero(bad)
        where = [
            f"row {data.index[r]!r} column {numeric[c]!r}" for r, c in zip(rows, cols, strict=True)
        ]
        raise ValueError(
            f"data has {bad.sum()} NaN, infinite, non-numeric or non-positive value(s): "
            f"{', '.join(where[:5])}"
        )
    sota = data["is_sota"]
    if sota.isna().any() or not all(isinstance(v, bool | np.bool_) for v in sota):
        raise ValueError("data: column 'is_sota' must hold True/False for every row (no NaN)")
    keep = values[:, 0] >= since
    if sota_only:
        keep &= sota.to_numpy(bool)
    keep &= values[:, 1] <= max_minutes
    points = data.iloc[np.flatnonzero(keep)].copy()  # positional: safe with duplicate labels
    points[numeric] = values[keep]
    points.attrs = dict(data.attrs)
    if len(points) < MIN_POINTS:
        first, last = float(values[:, 0].min()), float(values[:, 0].max())
        raise ValueError(
            f"only {len(points)} model(s) left with since={since:g}, sota_only={sota_only}, "
            f"max_minutes={max_minutes:g} (data span {first:.2f}-{last:.2f}); the trend needs "
            f"at least {MIN_POINTS}"
        )
    return points


# -- draws for the forecast -------------------------------------------------------------------
def forecast_draws(calibration: HorizonCalibration, draws: int, seed: int) -> dict[str, np.ndarray]:
    """Joint posterior draws of ``D`` and ``h_ref`` for a forecast.

    :meth:`HorizonCalibration.resample` (see there for the seeding).

    Returns
    -------
    dict
        ``{"horizon.doublings_per_year": D, "horizon.h_ref": h_ref}``, each ``(draws,)``.
    """
    return calibration.resample(draws, seed)


def scenario_calibration(
    scenario: Scenario, calibration: HorizonCalibration | None = None
) -> HorizonCalibration | None:
    """Return the calibration a scenario's horizon route uses.

    ``calibration`` if given (checked against the scenario's reliability and reference year), else
    the fit of the scenario's settings (cached per process); ``None`` for other routes.
    """
    req = scenario.requirement
    if req.field != "horizon_hours":
        if calibration is not None:
            raise ValueError(
                "horizon_calibration: the scenario's requirement is not a time horizon "
                f"(it gives requirement.{req.field}); drop horizon_calibration"
            )
        return None
    settings = req.horizon_settings()
    if calibration is None:
        try:
            return fitted(**settings, reference_year=scenario.reference.year)
        except ValueError as err:  # e.g. a since that leaves too few models
            raise ValueError(f"requirement (time-horizon calibration): {err}") from None
    if not isinstance(calibration, HorizonCalibration):
        raise ValueError(
            "horizon_calibration must be a HorizonCalibration (calibrate_horizon), "
            f"got {type(calibration).__name__}"
        )
    got = calibration.settings
    for name, want in (
        ("reliability", settings["reliability"]),
        ("reference_year", scenario.reference.year),
    ):
        if not math.isclose(got[name], want, abs_tol=1e-9):
            raise ValueError(
                f"horizon_calibration: fitted with {name}={got[name]:g}, but the scenario "
                f"has {name}={want:g}; refit with calibrate_horizon({name}={want:g})"
            )
    return calibration


@once_per_key  # functools.cache, but one fit per key under concurrent first use
def fitted(
    reliability: float,
    since: float,
    sota_only: bool,
    max_minutes: float,
    seed: int,
    reference_year: float,
) -> HorizonCalibration:
    """:func:`calibrate_horizon` on the bundled data, once per process and settings."""
    return calibrate_horizon(
        reliability=reliability,
        since=since,
        sota_only=sota_only,
        max_minutes=max_minutes,
        reference_year=reference_year,
        seed=seed,
    )


def forecast_inputs(
    scenario: Scenario, draws: int, seed: int, calibration: HorizonCalibration | None = None
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Return what :func:`~agi_timelines.forecast` adds for a horizon route.

    The per-draw ``D``/``h_ref`` (:func:`forecast_draws`) and an attrs record; empty for other
    routes.
    """
    cal = scenario_calibration(scenario, calibration)
    if cal is None:
        return {}, {}
    return cal.resample(draws, seed), {"horizon_calibration": json.dumps(cal.provenance())}
