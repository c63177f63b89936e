"""Bayesian calibration of the frontier training-compute trend on observed runs.

A robust (Student-t) regression of log10 training FLOP of frontier runs on their publication
date, fitted by NUTS (nutpie when importable, else PyMC's sampler). The forecast takes the
posterior of ``slope`` (OOM/yr) as the early rate of the compute axis, and optionally
``level`` (OOMs of the trend above the reference run at the reference date) as its start.

Examples
--------
>>> import warnings
>>> with warnings.catch_warnings():  # a short fit may not pass every convergence check
...     warnings.simplefilter("ignore")
...     cal = calibrate(draws=300, tune=300, chains=2, seed=1)
>>> lo, hi = cal.growth_factor_interval(0.9)   # yearly growth factor of frontier FLOP
>>> 3.5 < lo < hi < 6.5
True
"""

from __future__ import annotations

import logging
import math
import os
import threading
import warnings
import zlib
from collections.abc import Hashable
from dataclasses import dataclass
from importlib.util import find_spec
from numbers import Integral, Real
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd
import pymc as pm
import pytensor.tensor as pt
import xarray as xr

from ._checks import check_instance, check_int, check_prob, check_real
from ._io import read_tree, write_netcdf
from ._provenance import provenance as provenance_attrs
from ._seeds import resample
from .constants import GPT4_FLOP, GPT4_YEAR
from .data import frontier_runs

__all__ = [
    "Calibration",
    "CalibrationWarning",
    "PosteriorFit",
    "build_calibration_model",
    "calibrate",
]

MIN_RUNS = 5
"""Fewest runs (after the ``since`` filter) the linear trend is fitted to."""
MIN_RUNS_BREAKPOINT = 10
"""Fewest runs the trend with a change of slope is fitted to."""
BREAK_WIDTH_YEARS = 0.5
"""Width ``w`` of the smooth hinge, years: 80% of the slope change happens within +-2.2 w."""
R_HAT_MAX = 1.01
"""Largest acceptable rank-normalized split R-hat (Vehtari et al. 2021)."""
ESS_PER_CHAIN_MIN = 100
"""Smallest acceptable bulk ESS per chain (Vehtari et al. 2021)."""
UNITS = {
    "level": "OOM above the reference run, at the reference year",
    "intercept": "log10 FLOP, at the reference year",
    "slope": "OOM/yr (after break_year when breakpoint=True)",
    "slope_early": "OOM/yr, before break_year",
    "break_year": "decimal year",
    "sigma": "OOM (scale of the Student-t scatter around the trend)",
    "nu": "dimensionless (Student-t degrees of freedom)",
    "log10_flop": "log10 FLOP",
}
"""Units of the model's variables, also written to the tree's variable attrs."""
_RESAMPLE_KEY = zlib.crc32(b"calibration")
"""Stream key of the slope's resampling for a forecast (see :meth:`Calibration.resample`)."""
_TOL = 1e-4
"""Bisection tolerance of :meth:`Calibration.predictive_quantiles`, OOM (0.02% in FLOP)."""

_COMPILED: dict[Hashable, Any] = {}
"""nutpie models compiled once per structure (key: ``breakpoint``, or a name for other
fits); data are swapped in."""
_COMPILE_LOCK = threading.Lock()
"""Held while a model is compiled for :data:`_COMPILED` (other threads wait for it)."""


class CalibrationWarning(RuntimeWarning):
    """The sampler's diagnostics fail a check (R-hat, divergences or ESS)."""


@dataclass(frozen=True, eq=False)
class PosteriorFit:
    """What every NUTS fit of this library has: its tree, diagnostics and posterior draws.

    Attributes
    ----------
    tree : xarray.DataTree
        Groups ``posterior``, ``sample_stats``, ``posterior_predictive``,
        ``observed_data`` and ``constant_data``; root attrs hold the data version and
        source, the fit's settings and the diagnostics (``max_r_hat``, ``min_ess_bulk``,
        ``divergences``).
    model : pymc.Model or None
        The fitted model (``None`` for a fit loaded from disk).
    """

    tree: xr.DataTree
    model: pm.Model | None = None

    _WHAT: ClassVar[str] = "posterior fit"
    """What the fit is called in messages (and its tree's ``kind`` attr)."""
    _NEEDS: ClassVar[str] = ""
    """A posterior variable a tree of this kind of fit has."""

    @staticmethod
    def _central_interval(draws: xr.DataArray, prob: float) -> tuple[float, float]:
        """Central (equal-tailed) interval of a posterior variable's draws holding ``prob``."""
        prob = check_prob("prob", prob)
        low, high = np.quantile(draws.to_numpy(), [(1 - prob) / 2, (1 + prob) / 2])
        return float(low), float(high)

    def to_netcdf(self, path: str | os.PathLike[str]) -> Path:
        """Write the tree to netCDF (h5netcdf), atomically; returns the path.

        Parameters
        ----------
        path : str or path-like
            Output file (its directory must exist and be writable).  A failed write raises
            :class:`~agi_timelines._io.OutputError` naming ``path`` and leaves no partial
            file (an existing file stays intact).
        """
        check_instance("path", path, str | os.PathLike, "a file path (str or pathlib.Path)")
        return write_netcdf(self.tree, path, compression=None)

    @classmethod
    def from_netcdf(cls, path: str | os.PathLike[str]) -> Self:
        """Read a fit written by :meth:`to_netcdf` (or by ``fit.tree.to_netcdf(path)``).

        Raises
        ------
        ValueError
            If there is no such file, it is not netCDF, or it holds another kind of fit.
        """
        check_instance("path", path, str | os.PathLike, "a file path (str or pathlib.Path)")
        loaded = read_tree(path, cls._WHAT)
        if "posterior" not in loaded.children or cls._NEEDS not in loaded.posterior:
            raise ValueError(f"{path} holds no {cls._WHAT} (no posterior {cls._NEEDS})")
        return cls(tree=loaded)

    @property
    def data_version(self) -> str:
        """Version of the data fitted (e.g. ``"2026-08-05"`` for the bundled Epoch file)."""
        return str(self.tree.attrs["data_version"])

    @property
    def diagnostics(self) -> dict[str, float | int]:
        """``max_r_hat`` (NaN with one chain), ``min_ess_bulk`` and ``divergences``."""
        attrs = self.tree.attrs
        return {
            "max_r_hat": float(attrs["max_r_hat"]),
            "min_ess_bulk": float(attrs["min_ess_bulk"]),
            "divergences": int(attrs["divergences"]),
        }

    def summary(self, **kwargs: Any) -> pd.DataFrame:
        """ArviZ summary of the posterior, unrounded (years print as years).

        Defaults to a 90% equal-tailed interval and ``round_to="none"``: ArviZ 1 otherwise
        prints interval bounds to 2 significant digits (an intercept of 24.37 log10 FLOP as
        24, a year 2021.7 as 2e+03). Any keyword of :func:`arviz_stats.summary` overrides
        these defaults.
        """
        import arviz_stats as azs  # here: importing it costs ~0.5 s, a forecast never needs it

        options = {"ci_prob": 0.9, "ci_kind": "eti", "round_to": "none", **kwargs}
        return azs.summary(self.tree, **options)

    def posterior_draws(self, name: str, n: int, seed: int | None = None) -> np.ndarray:
        """``n`` posterior draws of ``name``, resampled with replacement.

        The resampled (chain, draw) indices depend only on ``seed`` and ``n``, so calls
        with one seed give **joint** draws: ``posterior_draws("slope", n, s)`` and
        ``posterior_draws("level", n, s)`` keep their posterior correlation.

        Parameters
        ----------
        name : str
            A posterior variable, e.g. ``"slope"`` (OOM/yr) or ``"level"`` (OOM above the
            reference run at the reference year); see the fit's ``UNITS``.
        n : int
            Number of draws, >= 0.
        seed : int, optional
            Seed of the resampling.

        Returns
        -------
        numpy.ndarray
            Shape ``(n,)``.
        """
        posterior = self.tree.posterior
        if name not in posterior:
            raise KeyError(f"no posterior variable {name!r}; have {sorted(posterior.data_vars)}")
        if not isinstance(n, Integral) or n < 0:
            raise ValueError(f"n must be an integer >= 0, got {n!r}")
        values = posterior[name].to_numpy().reshape(-1)
        index = np.random.default_rng(seed).integers(0, values.size, size=int(n))
        return values[index]


@dataclass(frozen=True, eq=False)
class Calibration(PosteriorFit):
    """Posterior of the frontier compute trend, as returned by :func:`calibrate`.

    Everything (draws, data, settings, diagnostics) lives in :attr:`tree`, so
    :meth:`from_netcdf` restores a calibration saved with :meth:`to_netcdf` (or with
    ``cal.tree.to_netcdf(path)``).

    Attributes
    ----------
    tree : xarray.DataTree
        Groups ``posterior``, ``sample_stats``, ``posterior_predictive``, ``observed_data``
        and ``constant_data`` (dims ``chain``, ``draw``, ``run``); root attrs hold the data
        version and source, ``since``, ``seed``, the reference run, sampler settings and the
        diagnostics (``max_r_hat``, ``min_ess_bulk``, ``divergences``).
    model : pymc.Model or None
        The fitted model (``None`` for a calibration loaded from disk).
    """

    _WHAT: ClassVar[str] = "compute-trend calibration"
    _NEEDS: ClassVar[str] = "slope"

    @property
    def slope(self) -> xr.DataArray:
        """Posterior draws of the trend's slope, OOM/yr (dims ``chain``, ``draw``)."""
        return self.tree.posterior["slope"]

    def resample(self, draws: int, seed: int) -> np.ndarray:
        """``draws`` posterior draws of the slope (OOM/yr) for a forecast's ``compute.rate``.

        Resampled with replacement per seed block: block ``j`` (32768 draws) with seed
        ``(seed, j, crc32("calibration"))``, so the rates, like every other parameter of a
        forecast, do not depend on the chunk size and a shorter run is a prefix of a
        longer one.

        Parameters
        ----------
        draws : int
            Draws wanted (>= 0).
        seed : int
            The forecast's seed (>= 0).

        Returns
        -------
        numpy.ndarray
            Shape ``(draws,)``, OOM/yr.
        """
        check_int("draws", draws, 0)
        check_int("seed", seed, 0)
        return resample([self.slope.to_numpy().reshape(-1)], draws, seed, _RESAMPLE_KEY)[0]

    def provenance(self) -> dict[str, Any]:
        """Return what a forecast records of this calibration (its ``calibration`` attr, as JSON).

        Keys: ``replaces`` (the parameter it draws), ``data_file``, ``data_version``,
        ``since``, ``n_runs``, ``seed``, ``slope_median_oom_per_year`` (OOM/yr),
        ``growth_factor_90`` (90% interval of ``10**slope``, x/yr) and the diagnostics.
        """
        attrs = self.tree.attrs
        lo, hi = self.growth_factor_interval(0.9)
        return {
            "replaces": "compute.rate",
            "data_file": str(attrs.get("data_file")),
            "data_version": self.data_version,
            "since": float(attrs["since"]),
            "n_runs": int(attrs["n_runs"]),
            "seed": int(attrs["seed"]),
            "slope_median_oom_per_year": float(self.slope.median()),
            "growth_factor_90": [lo, hi],
            **self.diagnostics,
        }

    def trend(self, dates: Any) -> np.ndarray:
        """Return the trend ``mu(t)`` (log10 FLOP) of every posterior draw at ``dates``.

        The calibration model's mean function: linear, or with the smooth hinge when it was
        fitted with ``breakpoint=True`` (see :func:`calibrate`).

        Parameters
        ----------
        dates : float or array-like
            Decimal years.

        Returns
        -------
        numpy.ndarray
            Shape ``(draws, len(dates))`` (all chains' draws), log10 FLOP.
        """
        post = self.tree.posterior
        t = np.atleast_1d(np.asarray(dates, dtype=float))[None, :]
        t_ref = float(self.tree["constant_data"]["reference_year"])

        def draw(name: str) -> np.ndarray:
            return post[name].values.ravel()[:, None]

        if "break_year" not in post:
            return draw("intercept") + draw("slope") * (t - t_ref)
        w = BREAK_WIDTH_YEARS

        def hinge(z: np.ndarray) -> np.ndarray:  # w * softplus(z / w), as in the model
            return w * np.logaddexp(0.0, z / w)

        bend = hinge(t - draw("break_year")) - hinge(t_ref - draw("break_year"))
        early = draw("slope_early")
        return draw("intercept") + early * (t - t_ref) + (draw("slope") - early) * bend

    def predictive_quantiles(self, dates: Any, levels: Any) -> np.ndarray:
        """Quantiles of the posterior predictive of log10 FLOP at ``dates``, exactly.

        The predictive at date ``t`` is the mixture over posterior draws ``s`` of
        Student-t(``nu_s``, ``mu_s(t)``, ``sigma_s``); its CDF is the mean of theirs,
        inverted by bisection to 1e-4 OOM.  No Monte Carlo noise, so bands are smooth.

        Parameters
        ----------
        dates : float or array-like
            Decimal years.
        levels : float or array-like
            Quantile levels in (0, 1).

        Returns
        -------
        numpy.ndarray
            Shape ``(len(levels), len(dates))``, log10 FLOP.
        """
        from scipy.stats import t as student_t

        post = self.tree.posterior
        mu = self.trend(dates)  # (draws, dates)
        sigma = post["sigma"].values.ravel()[:, None]
        nu = post["nu"].values.ravel()[:, None]
        levels = np.atleast_1d(np.asarray(levels, dtype=float))
        if np.any((levels <= 0) | (levels >= 1)):
            raise ValueError(f"levels must lie in (0, 1), got {levels.tolist()}")
        q = levels[:, None]
        # the mixture quantile lies between the components' quantiles
        comp = mu[None] + sigma[None] * student_t.ppf(q[..., None], nu[None])
        lo, hi = comp.min(axis=1), comp.max(axis=1)  # (levels, dates)
        for _ in range(60):
            if np.max(hi - lo) < _TOL:
                break
            mid = 0.5 * (lo + hi)
            cdf = student_t.cdf((mid[:, None, :] - mu[None]) / sigma[None], nu[None]).mean(axis=1)
            below = cdf < q
            lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
        return 0.5 * (lo + hi)

    def growth_factor_interval(self, prob: float = 0.9) -> tuple[float, float]:
        """Central (equal-tailed) credible interval of the growth factor ``10**slope``, x/yr."""
        low, high = self._central_interval(self.slope, prob)
        return float(10**low), float(10**high)

    def _repr_html_(self) -> str:
        """Notebook display: data, trend and growth factor, diagnostics, the summary."""
        from ._html import calibration_html

        return calibration_html(self)

    def __repr__(self) -> str:
        attrs = self.tree.attrs
        median = float(self.slope.median())
        low, high = self.growth_factor_interval()
        return (
            f"Calibration(data={attrs['data_file']!s} v{self.data_version}, "
            f"since={attrs['since']}, runs={attrs['n_runs']}, "
            f"breakpoint={bool(attrs['breakpoint'])}, slope median {median:.3f} OOM/yr "
            f"= {10**median:.2f}x/yr [90%: {low:.2f}x, {high:.2f}x], {self.diagnostics})"
        )


def build_calibration_model(
    date: np.ndarray,
    log10_flop: np.ndarray,
    *,
    breakpoint: bool = False,
    reference_year: float = GPT4_YEAR,
    reference_flop: float = GPT4_FLOP,
) -> pm.Model:
    """Return the PyMC model of :func:`calibrate` (see there for the likelihood and priors).

    Every number that depends on the data or the reference run enters as ``pm.Data``
    (``date``, ``observed_log10_flop``, ``reference_year``, ``log10_reference_flop``,
    ``break_lower``, ``break_upper``), so one compiled model serves any data set.
    """
    date = np.asarray(date, dtype=float)
    span = float(date.max() - date.min())
    with pm.Model(coords={"run": np.arange(date.size)}) as model:
        date_ = pm.Data("date", date, dims="run")
        observed = pm.Data("observed_log10_flop", np.asarray(log10_flop, float), dims="run")
        t_ref = pm.Data("reference_year", float(reference_year))
        log10_ref = pm.Data("log10_reference_flop", math.log10(reference_flop))
        level = pm.Normal("level", mu=0.0, sigma=2.0)
        intercept = pm.Deterministic("intercept", log10_ref + level)
        slope = pm.TruncatedNormal("slope", mu=0.5, sigma=0.5, lower=0.0)
        sigma = pm.HalfNormal("sigma", sigma=1.0)
        nu = pm.Gamma("nu", alpha=2.0, beta=0.1)
        if breakpoint:
            lower = pm.Data("break_lower", float(date.min()) + 0.1 * span)
            upper = pm.Data("break_upper", float(date.max()) - 0.1 * span)
            slope_early = pm.TruncatedNormal("slope_early", mu=0.5, sigma=0.5, lower=0.0)
            break_year = pm.Uniform("break_year", lower=lower, upper=upper)

            def hinge(z: Any) -> Any:  # smooth max(z, 0), years
                return BREAK_WIDTH_YEARS * pt.softplus(z / BREAK_WIDTH_YEARS)

            bend = hinge(date_ - break_year) - hinge(t_ref - break_year)
            mu = intercept + slope_early * (date_ - t_ref) + (slope - slope_early) * bend
        else:
            mu = intercept + slope * (date_ - t_ref)
        pm.StudentT("log10_flop", nu=nu, mu=mu, sigma=sigma, observed=observed, dims="run")
    return model


def calibrate(
    data: pd.DataFrame | str | os.PathLike[str] | None = None,
    since: float = 2018.0,
    seed: int = 0,
    draws: int = 1000,
    chains: int = 4,
    breakpoint: bool = False,
    *,
    tune: int = 1000,
    reference_year: float = GPT4_YEAR,
    reference_flop: float = GPT4_FLOP,
) -> Calibration:
    r"""Fit the frontier compute trend to observed training runs by NUTS.

    Model, for run ``i`` published at decimal year :math:`t_i` with training compute
    :math:`y_i` (log10 FLOP), reference run at :math:`t_{ref}` with :math:`C_{ref}` FLOP:

    .. math::

        y_i \sim \mathrm{StudentT}(\nu,\ \mu(t_i),\ \sigma), \qquad
        \mu(t) = \log_{10} C_{ref} + \mathrm{level} + \mathrm{slope}\,(t - t_{ref}).

    So ``intercept = log10(C_ref) + level`` is the trend's log10 FLOP at the reference date
    (default GPT-4, 2023.2, 2.1e25 FLOP). Priors:

    * ``level ~ Normal(0, 2)`` OOM: the trend at the reference date lies within ~4 OOM of
      the reference run (95%); weak next to the data (posterior sd ~0.07 OOM).
    * ``slope ~ TruncatedNormal(0.5, 0.5, lower=0)`` OOM/yr: centred on Aschenbrenner's
      ~0.5 OOM/yr; 95% of the mass in 0.03-1.45 OOM/yr (1.1x-28x per year), covering
      Moore's law (~0.15) up to the fastest scale-ups on record (~1 OOM/yr, 2012-2018).
      Positive support because the forecast uses these draws as a growth rate, which
      docs/model.md, "The growth axes", requires to be non-negative; far from 0 the
      truncation changes nothing.
    * ``sigma ~ HalfNormal(1)`` OOM: scatter of frontier runs around the trend (observed
      ~0.45 OOM); 95% prior mass below 2 OOM.
    * ``nu ~ Gamma(2, 0.1)``: Student-t degrees of freedom (Juárez & Steel 2010; mean 20),
      robust to outliers such as speculative estimates and fine-tunes counted with their base.

    With ``breakpoint=True`` the slope changes from ``slope_early`` (same prior as ``slope``)
    to ``slope`` at ``break_year ~ Uniform(t_min + 0.1 span, t_max - 0.1 span)``, through a
    smooth hinge :math:`h(z) = w\,\mathrm{softplus}(z/w)`, :math:`w` =
    :data:`BREAK_WIDTH_YEARS` = 0.5 yr:
    :math:`\mu(t) = \mathrm{intercept} + \mathrm{slope\_early}\,(t - t_{ref}) +
    (\mathrm{slope} - \mathrm{slope\_early})\,[h(t - t_b) - h(t_{ref} - t_b)]`.
    A hard switch has a likelihood that is flat-then-jumping in ``break_year``, which NUTS
    handles badly; the smooth hinge keeps it differentiable. ``slope`` is then the recent
    rate (after the break), which is what a forecast extrapolates. NUTS uses
    ``target_accept=0.95`` for this model (0.8 otherwise). The break year is only weakly
    identified (it is often bimodal), so check the diagnostics.

    Parameters
    ----------
    data : pandas.DataFrame, str or path-like, optional
        Runs with columns ``date`` (decimal year) and ``log10_flop`` (log10 FLOP), as
        returned by :func:`agi_timelines.data.frontier_runs`; a path is read with that
        function. ``None`` (default): the bundled Epoch frontier runs.
    since : float, default 2018.0
        Only runs dated on or after this decimal year are fitted. 2018, not 2010: the
        frontier rows of 2010-2017 are mostly vision, games and speech systems, whereas
        65 of the 75 rows since 2018 are language/multimodal models, the lineage the
        forecast extrapolates (and where Epoch's data README starts its fits). The slope
        hardly differs (OLS 0.675 vs 0.684 OOM/yr), but the 2010 fit mixes two populations
        and its interval is too narrow for the LLM era. Earlier ``since`` is allowed
        (e.g. with ``breakpoint=True``); ``since`` must not exceed the latest date.
    seed : int, default 0
        Seed of NUTS and of the posterior predictive draws; same seed, same result.
    draws, chains : int, default 1000, 4
        Posterior draws per chain, and chains (run in parallel on the available cores).
    breakpoint : bool, default False
        Add a change of slope at an unknown year (see above).
    tune : int, default 1000
        Warm-up iterations per chain (discarded), >= 1.
    reference_year : float, default 2023.2
        Decimal year the trend is centred on (GPT-4's release).
    reference_flop : float, default 2.1e25
        Training FLOP of the reference run (GPT-4); ``level`` is measured from it.

    Returns
    -------
    Calibration
        Posterior, posterior predictive, diagnostics and provenance.

    Raises
    ------
    ValueError
        On ``draws < 1``, ``chains < 1``, ``tune < 1``, missing ``date``/``log10_flop``
        columns, NaN or infinite values, ``since`` after the latest run or not finite, or
        fewer than :data:`MIN_RUNS` runs (:data:`MIN_RUNS_BREAKPOINT` with a breakpoint) left.

    Warns
    -----
    CalibrationWarning
        If max R-hat > 1.01 (or R-hat is undefined, as with one chain), any divergent
        transition, or bulk ESS below 100 per chain.

    Notes
    -----
    The bundled data are the running top 10 by compute, not only the record run, so the
    trend at 2023.2 lies ~0.8 OOM below GPT-4 (``level`` ~ -0.8): it describes a typical
    frontier run, and GPT-4 sat at the top of the pack.
    """
    check_int("draws", draws, 1)
    check_int("chains", chains, 1)
    check_int("tune", tune, 1)  # nutpie's adaptation panics with tune=0
    check_int("seed", seed, 0)
    check_real("since", since)
    check_real("reference_year", reference_year)
    check_real("reference_flop", reference_flop)
    if not (math.isfinite(reference_year) and math.isfinite(reference_flop) and reference_flop > 0):
        raise ValueError(
            f"reference_year must be finite and reference_flop finite and > 0, "
            f"got {reference_year}, {reference_flop}"
        )
    runs = _select_runs(data, since, MIN_RUNS_BREAKPOINT if breakpoint else MIN_RUNS)
    date, log10_flop = runs["date"].to_numpy(float), runs["log10_flop"].to_numpy(float)
    model = build_calibration_model(
        date,
        log10_flop,
        breakpoint=breakpoint,
        reference_year=reference_year,
        reference_flop=reference_flop,
    )
    target_accept = 0.95 if breakpoint else 0.8
    tree, sampler = _sample(model, breakpoint, draws, tune, chains, seed, target_accept)

    pymc_logger = logging.getLogger("pymc")
    log_level = pymc_logger.level
    pymc_logger.setLevel(logging.WARNING)  # silence "Sampling: [log10_flop]"
    try:
        predictive = pm.sample_posterior_predictive(
            tree,
            model=model,
            var_names=["log10_flop"],
            freeze_vars=[var.name for var in model.free_RVs],  # keep the posterior draws
            random_seed=seed,
            progressbar=False,
        )
    finally:
        pymc_logger.setLevel(log_level)
    names = ("run", runs["model"].astype(str).to_numpy()) if "model" in runs else None
    for group in ("posterior_predictive", "observed_data", "constant_data"):
        dataset = predictive[group].to_dataset()
        tree[group] = dataset.assign_coords(model=names) if names else dataset
    for group in ("posterior", "posterior_predictive", "observed_data", "constant_data"):
        for name, variable in tree[group].data_vars.items():
            if name in UNITS:
                variable.attrs["units"] = UNITS[name]

    diagnostics = _diagnostics(tree)
    attrs = runs.attrs
    tree.attrs.update(
        **provenance_attrs("compute-trend calibration", seed=seed, draws=draws),
        data_version=str(attrs.get("version", "unknown")),
        data_source=str(attrs.get("source", "user-supplied DataFrame")),
        data_licence=str(attrs.get("licence", "unknown")),
        data_file=str(attrs.get("file", "DataFrame")),
        since=float(since),
        n_runs=len(runs),
        breakpoint=int(breakpoint),
        reference_year=float(reference_year),
        reference_flop=float(reference_flop),
        sampler=sampler,
        tune=int(tune),
        chains=int(chains),
        target_accept=target_accept,
        **diagnostics,
    )
    _warn_if_unconverged(diagnostics, chains)
    return Calibration(tree=tree, model=model)


def _select_runs(data: Any, since: float, minimum: int) -> pd.DataFrame:
    """Validate ``data`` and keep the runs dated on or after ``since``."""
    if data is None or isinstance(data, str | os.PathLike):
        data = frontier_runs(data)
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame or a path, got {type(data).__name__}")
    missing = [col for col in ("date", "log10_flop") if col not in data.columns]
    if missing:
        raise ValueError(
            f"data is missing column(s) {missing}: calibrate needs 'date' (decimal year) and "
            f"'log10_flop' (log10 training FLOP); got columns {list(data.columns)}"
        )
    values = data[["date", "log10_flop"]].apply(pd.to_numeric, errors="coerce")
    bad = ~np.isfinite(values.to_numpy(float))
    if bad.any():
        rows, cols = np.nonzero(bad)
        where = [
            f"row {data.index[r]!r} column {values.columns[c]!r}"
            for r, c in zip(rows, cols, strict=True)
        ]
        raise ValueError(
            f"data has {bad.sum()} NaN, infinite or non-numeric value(s): {', '.join(where[:5])}"
        )
    if not isinstance(since, Real) or not math.isfinite(since):
        raise ValueError(f"since must be a finite decimal year, got {since!r}")
    first, last = float(values["date"].min()), float(values["date"].max())
    if since > last:
        raise ValueError(
            f"since={since} is after the latest run (data span {first:.2f}-{last:.2f})"
        )
    keep = (values["date"] >= since).to_numpy()
    runs = data.iloc[np.flatnonzero(keep)].copy()  # positional: safe with duplicate labels
    runs[["date", "log10_flop"]] = values.to_numpy(float)[keep]
    runs.attrs = dict(data.attrs)
    if len(runs) < minimum:
        raise ValueError(
            f"only {len(runs)} run(s) dated >= {since} (data span {first:.2f}-{last:.2f}); "
            f"need at least {minimum}"
        )
    return runs


def _nutpie_available() -> bool:
    return find_spec("nutpie") is not None


def _sample(
    model: pm.Model,
    key: Hashable,
    draws: int,
    tune: int,
    chains: int,
    seed: int,
    target_accept: float,
) -> tuple[xr.DataTree, str]:
    """Sample with NUTS: nutpie if available, else PyMC's sampler.

    nutpie's model is compiled once per structure ``key``, with the data swapped in.
    """
    if _nutpie_available():
        import nutpie

        with _COMPILE_LOCK:  # concurrent first compilations hang in numba; one at a time
            compiled = _COMPILED.get(key)
            if compiled is None:
                compiled = _COMPILED[key] = nutpie.compile_pymc_model(model)
        compiled = compiled.with_data(**{var.name: var.get_value() for var in model.data_vars})
        tree = nutpie.sample(
            compiled,
            draws=draws,
            tune=tune,
            chains=chains,
            cores=min(chains, os.cpu_count() or 1),
            seed=seed,
            target_accept=target_accept,
            progress_bar=False,
            save_warmup=False,
        )
        return tree, f"nutpie {nutpie.__version__}"
    tree = pm.sample(
        draws=draws,
        tune=tune,
        chains=chains,
        cores=min(chains, os.cpu_count() or 1),
        random_seed=seed,
        target_accept=target_accept,
        quiet=True,
        compute_convergence_checks=False,
        model=model,
    )
    keep = ("posterior", "sample_stats")
    return xr.DataTree.from_dict({g: tree[g].to_dataset() for g in keep}), f"pymc {pm.__version__}"


def _diagnostics(tree: xr.DataTree) -> dict[str, float | int]:
    """Max R-hat and min bulk ESS over the posterior variables, and the divergences."""
    import arviz_stats as azs  # here, not at the top: see Calibration.summary

    posterior = tree.posterior.to_dataset()
    r_hat = azs.rhat(posterior)
    ess = azs.ess(posterior, method="bulk")
    return {
        "max_r_hat": float(max(r_hat[name].max() for name in r_hat.data_vars)),
        "min_ess_bulk": float(min(ess[name].min() for name in ess.data_vars)),
        "divergences": int(tree.sample_stats["diverging"].sum()),
    }


def _warn_if_unconverged(diagnostics: dict[str, float | int], chains: int) -> None:
    problems = []
    r_hat = diagnostics["max_r_hat"]
    if math.isnan(r_hat):
        problems.append("R-hat is undefined (it needs >= 2 chains), so convergence is unchecked")
    elif r_hat > R_HAT_MAX:
        problems.append(f"max R-hat {r_hat:.3f} > {R_HAT_MAX}")
    if diagnostics["divergences"]:
        problems.append(f"{diagnostics['divergences']} divergent transition(s)")
    if diagnostics["min_ess_bulk"] < ESS_PER_CHAIN_MIN * chains:
        problems.append(
            f"min bulk ESS {diagnostics['min_ess_bulk']:.0f} < {ESS_PER_CHAIN_MIN * chains} "
            f"({ESS_PER_CHAIN_MIN} per chain)"
        )
    if problems:
        warnings.warn(
            "calibration diagnostics: " + "; ".join(problems) + " (more draws/tune may help)",
            CalibrationWarning,
            stacklevel=3,
        )
