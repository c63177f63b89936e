"""The result of a forecast: draws in an ``xarray.DataTree`` plus the summaries users want.

Censoring is honest everywhere: a draw with no arrival by the horizon has
``arrival_year = inf``; it counts in every probability (``P(by 2100) < 1`` is a result)
and in quantiles (a quantile inside the censored mass is ``inf``).
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd
import xarray as xr

from . import stats
from ._checks import check_bool, check_instance, check_prob, check_reals
from ._io import read_tree, write_netcdf
from ._netcdf import DEFAULT_COMPRESSION
from .bands import BandCache, trajectory
from .model import units, var_name
from .scenario import CorrelationWarning, Scenario
from .summary import SummaryTable

if TYPE_CHECKING:
    from .plot._accessor import ForecastPlots

__all__ = ["Forecast"]

_GROUP = "prior"
_ERROR_BAR_VARS = {
    "ooms_lower": "OOM above reference",
    "ooms_upper": "OOM above reference",
    "ooms_width": "OOM",
    "ooms_width_50": "OOM",
    "p_arrived": "probability",
    "p_arrived_se": "probability",
}
_ARRIVAL_BAR_VARS = {
    "arrival_lower": "year",
    "arrival_upper": "year",
    "arrival_width": "yr",
    "arrival_width_50": "yr",
    "arrival_median": "year",
}


class Forecast:
    """Draws of a scenario's parameters and arrival year, with summaries.

    Build it with :func:`agi_timelines.forecast` or :meth:`from_netcdf`.

    Attributes
    ----------
    tree : xarray.DataTree
        Group ``prior`` (dims ``chain`` = 1, ``draw``) with one variable per random
        parameter (units in each variable's ``units`` attr), ``requirement`` (OOMs above
        the reference) and ``arrival_year`` (``inf`` when censored).  Root attrs carry the
        scenario (TOML), seed, and library and dependency versions.
    """

    def __init__(self, tree: xr.DataTree) -> None:
        if _GROUP not in tree.children or "arrival_year" not in tree[_GROUP].data_vars:
            raise ValueError("not a forecast: the tree needs group 'prior' with 'arrival_year'")
        self.tree = tree

    @classmethod
    def from_draws(cls, draws: dict[str, np.ndarray], attrs: dict[str, Any]) -> Forecast:
        """Wrap flat draws ``{path or name: array}`` into a tree (no copies)."""
        n = len(draws["arrival_year"])
        # fastpath: the arrays are numpy already, and xarray's duck-array check would import
        # dask (~0.4 s) on the first forecast of a process; so would indexes built from arrays
        data = {}
        for key, values in draws.items():
            name = var_name(key)
            data[name] = xr.Variable(
                ("chain", "draw"), values.reshape(1, n), {"units": units(name)}, fastpath=True
            )
        coords = {
            "chain": xr.IndexVariable(("chain",), pd.Index(np.array([0]))),
            "draw": xr.IndexVariable(("draw",), pd.Index(np.arange(n))),
        }
        ds = xr.Dataset(data, coords=coords)
        tree = xr.DataTree.from_dict({f"/{_GROUP}": ds})
        tree.attrs.update(attrs)
        return cls(tree)

    # -- metadata ------------------------------------------------------------------------
    @cached_property
    def scenario(self) -> Scenario:
        """The scenario the draws came from (parsed from the tree's attrs)."""
        with warnings.catch_warnings():  # ignored correlations were reported when it was built
            warnings.simplefilter("ignore", CorrelationWarning)
            return Scenario.from_toml_string(self.tree.attrs["scenario"], source="forecast attrs")

    @property
    def seed(self) -> int:
        """The random seed the draws were made with."""
        return int(self.tree.attrs["seed"])

    @property
    def versions(self) -> dict[str, str]:
        """Versions of the packages that made the forecast, ``{package: version}``."""
        return json.loads(self.tree.attrs["versions"])

    @property
    def draws(self) -> xr.Dataset:
        """The ``prior`` group as a Dataset."""
        return self.tree[_GROUP].to_dataset()

    @cached_property
    def model(self) -> Any:
        """The scenario's ``pm.Model`` (built on first access)."""
        from .model import build_model

        return build_model(self.scenario, draws=self.arrival.sizes["draw"])

    @property
    def arrival(self) -> xr.DataArray:
        """Arrival year per draw (``inf``: not by the horizon)."""
        return cast(xr.DataArray, self.tree[_GROUP]["arrival_year"])  # a variable, not a group

    def __repr__(self) -> str:
        n = self.arrival.sizes["draw"]
        q = self.quantile([0.05, 0.5, 0.95]).values
        return (
            f"<Forecast {self.scenario.name!r}: {n} draws, seed {self.seed}; arrival median "
            f"{q[1]:.1f} (90%: {q[0]:.1f}-{q[2]:.1f}), P(not by {self.scenario.horizon:g}) "
            f"= {self.censored_fraction:.1%}>"
        )

    def _repr_html_(self) -> str:
        """Notebook display.

        Scenario, draws, seed, arrival median and intervals, P(by year), the censored share, an
        inline CDF, and every variable folded away.
        """
        return self._html

    @cached_property
    def _html(self) -> str:
        from ._html import forecast_html

        return forecast_html(self)

    # -- arrival summaries ---------------------------------------------------------------
    @property
    def censored_fraction(self) -> float:
        """Share of draws with no arrival by the horizon."""
        return stats.censored_share(self.arrival.values)

    def cdf(self, years: Any) -> xr.DataArray:
        """P(arrived by ``year``) for each year (censored draws count as not arrived).

        Years past the horizon are rejected: the model says nothing about them.
        """
        years = check_reals("years", years, finite=False)
        years = np.atleast_1d(np.asarray(years, dtype=float))
        if np.any(~np.isfinite(years)):
            raise ValueError("years must be finite numbers")
        horizon = self.scenario.horizon
        if np.any(years > horizon):
            raise ValueError(
                f"years must be <= the horizon ({horizon:g}); arrivals later are censored"
            )
        prob = stats.prob_by(self.arrival.values, years)
        return xr.DataArray(prob, coords={"year": years}, dims="year", name="p_arrived")

    def prob_by(self, year: Any) -> Any:
        """P(arrived by ``year``): a float for one year, a DataArray over ``year`` for several."""
        out = self.cdf(year)
        return float(out[0]) if np.ndim(year) == 0 else out

    def quantile(self, q: Any) -> xr.DataArray:
        """Arrival-year quantiles; ``inf`` where ``q`` falls in the censored mass.

        Uses the inverted empirical CDF (no interpolation), which is well defined when
        draws are ``inf``.
        """
        check_reals("quantile levels", q, finite=False)
        q_arr = np.atleast_1d(np.asarray(q, dtype=float))
        if np.any((q_arr < 0) | (q_arr > 1) | np.isnan(q_arr)):
            raise ValueError(f"quantile levels must lie in [0, 1], got {q}")
        values = stats.quantile(self.arrival.values.ravel(), q_arr)
        out = xr.DataArray(values, coords={"quantile": q_arr}, dims="quantile")
        return out[0] if np.ndim(q) == 0 else out

    def interval(self, prob: float = 0.9) -> tuple[float, float]:
        """Central ``prob`` interval of the arrival year (an end may be ``inf``)."""
        return stats.interval(self.arrival.values.ravel(), check_prob("prob", prob))

    # -- trajectories --------------------------------------------------------------------
    def parameters(self) -> dict[str, np.ndarray]:
        """Every prior field's draws by path (point masses broadcast), as flat arrays.

        Raises ``ValueError`` when the forecast was made with ``keep=`` and dropped a random
        parameter that is needed here (trajectories, bands and their plots need them all).
        """
        ds = self.draws
        n = ds.sizes["draw"]
        out = {}
        for path, prior in self.scenario.prior_fields().items():
            name = var_name(path)
            if name in ds:
                out[path] = ds[name].values.ravel()
            elif not prior.is_random:
                out[path] = np.full(n, prior.value)
            else:
                raise ValueError(
                    f"this forecast did not keep the draws of {path!r} (forecast(..., keep=...) "
                    "stores only the parameters named); trajectories and bands need every "
                    "random parameter: forecast again with keep=None"
                )
        for extra in ("breakthrough_year", "wall_year"):
            if extra in ds:
                out[extra] = ds[extra].values.ravel()
        return out

    def effective_ooms(
        self,
        years: Any,
        probs: Any = (0.05, 0.25, 0.5, 0.75, 0.95),
        *,
        wall: bool | None = None,
    ) -> xr.DataArray:
        """Quantile bands of effective compute E(t), OOMs above the reference.

        Parameters
        ----------
        years : array_like
            Decimal years.
        probs : sequence of float
            Quantile levels.
        wall : bool, optional
            ``True``: E(t) with the data wall, ``False``: without it (default: as the
            scenario says).  ``True`` on a forecast with the wall off raises ``ValueError``.

        Returns
        -------
        xarray.DataArray
            Dims ``(year, quantile)``: ``numpy.quantile`` (linear interpolation) of each
            year's E(t) over the draws.

        Notes
        -----
        E(t) is evaluated a few years at a time (bounded memory) and each quantile is
        remembered, so later calls for the same years, levels and wall setting (the fan
        chart, the error bars) cost nothing.
        """
        years = np.atleast_1d(np.asarray(years, dtype=float))
        probs = np.atleast_1d(np.asarray(probs, dtype=float))
        if probs.ndim != 1 or np.any(~((probs >= 0) & (probs <= 1))):
            raise ValueError(f"probs must be quantile levels in [0, 1], got {probs.tolist()}")
        self._check_wall_arg(wall)
        bands = self._bands.quantiles(years, probs, wall)
        return xr.DataArray(
            bands,
            coords={"year": years, "quantile": probs},
            dims=("year", "quantile"),
            name="effective_ooms",
            attrs={"units": "OOM above reference"},
        )

    def horizon(
        self,
        years: Any,
        probs: Any = (0.05, 0.25, 0.5, 0.75, 0.95),
        *,
        wall: bool | None = None,
    ) -> xr.DataArray:
        """Quantile bands of the time horizon H(t), hours, for a ``horizon_hours`` requirement.

        Per draw ``log2 H(t) = h_ref + beta E(t)`` (minutes), with ``h_ref`` and ``D``
        from the time-horizon calibration, ``beta = D / r_E`` and ``E(t)`` the draw's
        effective compute (:meth:`trajectory`): the horizon slows when compute slows,
        hits its caps or meets the data wall.

        Parameters
        ----------
        years : array_like
            Decimal years.
        probs : sequence of float
            Quantile levels.
        wall : bool, optional
            ``True``: E(t) with the data wall, ``False``: without it (default: as the
            scenario says).  ``True`` on a forecast with the wall off raises ``ValueError``.

        Returns
        -------
        xarray.DataArray
            Dims ``(year, quantile)``, hours of skilled-human work.
        """
        from .requirement import horizon_minutes

        ds = self.draws
        if "horizon_doublings_per_oom" not in ds:
            raise ValueError(
                "this forecast has no time-horizon requirement (requirement.horizon_hours); "
                f"its requirement is requirement.{self.scenario.requirement.field}"
            )
        years = np.atleast_1d(np.asarray(years, dtype=float))
        probs = np.asarray(probs, dtype=float)
        beta = ds["horizon_doublings_per_oom"].values.ravel()
        h_ref = ds["horizon_h_ref"].values.ravel()
        hours = horizon_minutes(self.trajectory(years, wall=wall), beta, h_ref) / 60.0
        bands = np.quantile(hours, probs, axis=1).T
        return xr.DataArray(
            bands,
            coords={"year": years, "quantile": probs},
            dims=("year", "quantile"),
            name="horizon",
            attrs={"units": "hours of skilled-human work"},
        )

    def trajectory(self, years: Any, *, wall: bool | None = None) -> np.ndarray:
        """E(t) for every draw: array of shape ``(len(years), draws)``, OOMs above the reference.

        ``wall=True`` on a forecast whose scenario has the data wall off raises
        ``ValueError`` (its draws have no wall parameters).  Evaluated in cache-sized blocks
        of draws (:func:`agi_timelines.bands.trajectory`); for quantile bands use
        :meth:`effective_ooms`, which needs only bounded memory and remembers what it has
        computed.
        """
        self._check_wall_arg(wall)
        years = np.atleast_1d(np.asarray(years, dtype=float))
        return trajectory(self.scenario, self.parameters(), years, wall=wall)

    def _check_wall_arg(self, wall: bool | None) -> None:
        if wall is not None:
            check_bool("wall", wall)
        if wall and not self.scenario.data_wall.enabled:
            raise ValueError(
                "wall=True, but this forecast's scenario has the data wall switched off "
                "(data_wall.enabled = false): there are no wall draws; use wall=False or None"
            )

    @cached_property
    def _bands(self) -> BandCache:
        return BandCache(self.scenario, self.parameters)

    # -- the data wall: the same draws with the wall on and off -------------------------
    def wall_binds(self) -> np.ndarray:
        """Per draw, whether the data wall binds before the wall-off arrival (bool array).

        A draw counts when its ``wall_year`` (the first year the walled compute outgrows the
        usable data) is earlier than the year AGI would arrive without the wall
        (``arrival_year_no_wall``; for a draw that never arrives without the wall: when the
        wall binds by the horizon).  A wall that binds later cannot delay the arrival, so
        the complement is exactly the draws the wall leaves alone.
        """
        self._require_wall()
        ds = self.draws
        return stats.wall_binds(ds["wall_year"].values, ds["arrival_year_no_wall"].values)

    def subset(self, mask: Any, label: str = "subset") -> Forecast:
        """Return the forecast restricted to the draws where ``mask`` is true.

        Every summary (:meth:`quantile`, :meth:`interval`, :meth:`prob_by`, :meth:`cdf`,
        :meth:`error_bars`, :meth:`summary`, the plots) then describes that subset.  The
        attrs record ``subset`` (``label``), ``subset_draws`` and ``parent_draws``.

        Parameters
        ----------
        mask : array_like of bool
            One entry per draw.
        label : str
            What the subset is (e.g. ``"wall binds before arrival"``).

        Raises
        ------
        ValueError
            If ``mask`` is not a boolean array with one entry per draw, or selects no draw.
        """
        mask = np.asarray(mask)
        n = self.arrival.size
        if mask.dtype != bool or mask.shape != (n,):
            raise ValueError(
                f"mask must be a boolean array with one entry per draw ({n}), got "
                f"dtype {mask.dtype} and shape {mask.shape}"
            )
        kept = int(mask.sum())
        if kept == 0:
            raise ValueError(f"the subset {label!r} holds no draw")
        ds = self.draws.isel(draw=np.flatnonzero(mask))
        ds = ds.assign_coords(draw=np.arange(kept))
        tree = xr.DataTree.from_dict({f"/{_GROUP}": ds})
        tree.attrs.update(self.tree.attrs)
        tree.attrs.update({"subset": label, "subset_draws": kept, "parent_draws": n})
        return type(self)(tree)

    def given(self, *, wall_binds: bool) -> Forecast:
        """Return the draws in which the data wall binds before arrival (``wall_binds=True``).

        Or the others (``False``): :meth:`subset` of :meth:`wall_binds`.

        The two subsets partition the draws (common random numbers: wall on and wall off
        are the same draws within each).

        Examples
        --------
        >>> import agi_timelines as agt
        >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=20_000, seed=0)
        >>> bites, spared = fc.given(wall_binds=True), fc.given(wall_binds=False)
        >>> bites.arrival.size + spared.arrival.size == fc.arrival.size
        True
        >>> bool(bites.quantile(0.5) > spared.quantile(0.5))
        True
        """
        if not isinstance(wall_binds, bool | np.bool_):
            raise TypeError(f"wall_binds must be True or False, got {wall_binds!r}")
        mask = self.wall_binds()
        label = "wall binds before arrival" if wall_binds else "wall does not bind before arrival"
        return self.subset(mask if wall_binds else ~mask, label)

    def without_wall(self) -> Forecast:
        """Return the same draws with the data wall switched off, as a forecast of its own.

        ``arrival_year`` becomes the draws' ``arrival_year_no_wall`` and the wall's variables
        are dropped; the scenario in the attrs has ``data_wall.enabled = false``.  It equals
        ``forecast(scenario with the wall off, draws, seed)`` (to ~1e-12 yr: the solver is
        the same up to floating-point fusion), which is what common random numbers mean.
        """
        self._require_wall()
        ds = self.draws
        drop = [
            name
            for name in ds.data_vars
            if str(name).startswith("data_wall_")
            or name in ("wall_year", "breakthrough_year", "arrival_year_no_wall")
        ]
        off = ds.drop_vars(drop).assign(arrival_year=ds["arrival_year_no_wall"])
        tree = xr.DataTree.from_dict({f"/{_GROUP}": off})
        tree.attrs.update(self.tree.attrs)
        scenario = self.scenario.replace({"data_wall.enabled": False})
        tree.attrs["scenario"] = scenario.to_toml_string()
        tree.attrs["wall_switched_off"] = 1
        return type(self)(tree)

    def wall_effect(self, prob: float = 0.9) -> pd.Series:
        """Return what the data wall does to this forecast's draws (same draws, wall on vs off).

        Parameters
        ----------
        prob : float
            Mass of the central interval of the delay (default 0.9).

        Returns
        -------
        pandas.Series
            ``draws``; ``binds`` (share of draws in which the wall binds before the
            wall-off arrival, :meth:`wall_binds`); ``broken_through`` (share in which it
            binds and a breakthrough lifts it by the horizon); ``delayed`` (share arriving
            later with the wall than without); and among the delayed draws the delay in
            years, ``delay_median``, ``delay_lower`` and ``delay_upper`` (central ``prob``
            interval; ``inf`` where the delayed draws never arrive with the wall, NaN when
            no draw is delayed).  Shares are of all draws.
        """
        self._require_wall()
        prob = check_prob("prob", prob)
        ds = self.draws
        on, off = self.arrival_draws(True), self.arrival_draws(False)
        binds = self.wall_binds()
        broke = binds & (ds["breakthrough_year"].values.ravel() <= self.scenario.horizon)
        delayed = on > off
        with np.errstate(invalid="ignore"):  # inf - inf cannot occur: on > off
            delay = on[delayed] - off[delayed]
        q = stats.quantile(delay, [0.5, (1 - prob) / 2, (1 + prob) / 2])  # NaN: none delayed
        n = on.size
        return pd.Series(
            {
                "draws": n,
                "binds": binds.mean(),
                "broken_through": broke.mean(),
                "delayed": delayed.mean(),
                "delay_median": q[0],
                "delay_lower": q[1],
                "delay_upper": q[2],
            },
            name=f"data wall effect (delay interval {prob:.0%})",
        )

    def _require_wall(self) -> None:
        if "arrival_year_no_wall" not in self.draws:
            raise ValueError(
                "this forecast has the data wall switched off (data_wall.enabled = false); "
                "there is no wall-on/wall-off comparison"
            )

    def arrival_draws(self, wall: bool = True) -> np.ndarray:
        """Arrival years per draw with the data wall (``wall=True``) or without it (same draws).

        On a forecast whose scenario has the wall off, both are its arrival years.
        """
        if not check_bool("wall", wall) and self.scenario.data_wall.enabled:
            self._require_wall()
            return self.draws["arrival_year_no_wall"].values.ravel()
        return self.arrival.values.ravel()

    def arrival_interval(self, prob: float = 0.9, wall: bool = True) -> tuple[float, float]:
        """Return the central ``prob`` interval of the arrival year, with or without the wall.

        ``wall=True``: with the data wall; ``False``: without it.

        Both come from the same draws (common random numbers); an end may be ``inf``.
        """
        return stats.interval(self.arrival_draws(wall), check_prob("prob", prob))

    def error_bars(self, prob: float = 0.9, years: Any = None) -> xr.Dataset:
        """How the error bars widen when the data wall bites, per year, from the same draws.

        Parameters
        ----------
        prob : float
            Mass of the central interval (e.g. 0.9; the 50% band is always included).
        years : array_like, optional
            Decimal years (default: every year from the reference to 2060); empty
            (``[]``): only the arrival-year variables, without evaluating E(t).

        Returns
        -------
        xarray.Dataset
            Dims ``year`` and ``wall`` (``"on"``, ``"off"``) with ``ooms_lower``,
            ``ooms_upper`` and ``ooms_width`` (the central ``prob`` interval of E(t), OOMs),
            ``ooms_width_50`` (the 50% band), ``p_arrived`` (P(arrived by t)) and
            ``p_arrived_se`` (its Monte Carlo standard error); and over ``wall`` alone the
            arrival year's ``arrival_lower``, ``arrival_upper`` and ``arrival_width`` (its
            central ``prob`` interval, years), ``arrival_width_50`` (the 50% interval) and
            ``arrival_median``.  Arrival quantiles are inverted-CDF quantiles: an end that
            falls in the censored mass (no arrival by the horizon) is ``inf``, and so is the
            width of that interval.

        Examples
        --------
        >>> import agi_timelines as agt
        >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=20_000, seed=0)
        >>> ds = fc.error_bars(0.9, years=[2027, 2030])
        >>> w = ds["arrival_width_50"]
        >>> bool(w.sel(wall="on") > w.sel(wall="off"))
        True
        """
        self._require_wall()
        prob = check_prob("prob", prob)
        scn = self.scenario
        if years is None:
            years = np.arange(np.ceil(scn.reference.year), min(2060, scn.horizon) + 1)
        years = np.atleast_1d(np.asarray(years, dtype=float))
        probs = [(1 - prob) / 2, (1 + prob) / 2, 0.25, 0.75]
        data: dict[str, list[np.ndarray]] = {k: [] for k in _ERROR_BAR_VARS}
        arrival: dict[str, list[float]] = {k: [] for k in _ARRIVAL_BAR_VARS}
        levels = [(1 - prob) / 2, (1 + prob) / 2, 0.25, 0.75, 0.5]
        n = self.arrival.size
        for wall in (True, False):  # the Dataset's ``wall`` coordinate: "on", "off"
            q = self.effective_ooms(years, probs, wall=wall).values.T  # bounded memory
            years_sorted = np.sort(self.arrival_draws(wall))
            p_arr = stats.prob_by(years_sorted, years, presorted=True)
            data["ooms_lower"].append(q[0])
            data["ooms_upper"].append(q[1])
            data["ooms_width"].append(q[1] - q[0])
            data["ooms_width_50"].append(q[3] - q[2])
            data["p_arrived"].append(p_arr)
            data["p_arrived_se"].append(np.sqrt(p_arr * (1 - p_arr) / n))
            lo, hi, q25, q75, med = stats.quantile(years_sorted, levels)
            arrival["arrival_width"].append(stats.interval_width(lo, hi))
            arrival["arrival_width_50"].append(stats.interval_width(q25, q75))
            arrival["arrival_lower"].append(lo)
            arrival["arrival_upper"].append(hi)
            arrival["arrival_median"].append(med)
        variables: dict[str, Any] = {
            k: (("wall", "year"), np.stack(v), {"units": _ERROR_BAR_VARS[k]})
            for k, v in data.items()
        }
        variables |= {
            k: (("wall",), np.asarray(v), {"units": _ARRIVAL_BAR_VARS[k]})
            for k, v in arrival.items()
        }
        ds = xr.Dataset(
            variables,
            coords={"wall": ["on", "off"], "year": years},
            attrs={"prob": prob, "draws": n},
        )
        return ds.transpose("year", "wall")

    # -- summaries -----------------------------------------------------------------------
    def summary(self, prob: float = 0.9) -> SummaryTable:
        """Return ArviZ's summary statistics of every variable.

        Median, MAD and the equal-tailed ``prob`` interval.

        The numbers are those of ``arviz_stats.summary(tree, group="prior",
        kind="stats_median", ci_prob=prob, ci_kind="eti")`` bit for bit, computed directly
        from each variable's sorted draws (prior draws need none of the MCMC diagnostics
        that call also prepares), except that a variable with censored (``inf``) draws takes
        its median and interval ends from the inverted empirical CDF.

        Parameters
        ----------
        prob : float
            Mass of the central interval, in (0, 1).

        Returns
        -------
        SummaryTable
            A :class:`pandas.DataFrame`, one row per variable, with columns ``median``,
            ``mad``, ``eti<100 prob>_lb``, ``eti<100 prob>_ub`` (in each variable's units,
            ``attrs["units"]``) and ``censored`` (the variable's share of ``inf`` draws).
            The numbers are unrounded; a censored quantile is ``inf`` and a spread that
            cannot be computed is ``NaN``.  Printed, in a notebook, or exported with
            ``to_markdown()``/``to_latex()``, years read as years (``2029.0``, ``not by
            2100``), token counts in scientific notation, other numbers with 3
            significant digits and a NaN as a blank (:mod:`agi_timelines.summary`).

        Examples
        --------
        >>> import agi_timelines as agt
        >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=20_000, seed=0)
        >>> table = fc.summary()
        >>> print(table.loc[["arrival_year"]])  # doctest: +ELLIPSIS
                      median  mad eti90_lb     eti90_ub censored
        arrival_year  20...   ...   20...   not by 2100     ...%
        >>> float(table.loc["arrival_year", "median"]) == float(fc.quantile(0.5))  # unrounded
        True
        """
        prob = check_prob("prob", prob)
        ds = self.draws
        names = list(ds.data_vars)
        rows = [_summary_row(ds[name].values, prob) for name in names]
        percent = int(prob * 100)  # ArviZ's column names: eti90_lb, eti90_ub
        columns = ["median", "mad", f"eti{percent}_lb", f"eti{percent}_ub", "censored"]
        table = pd.DataFrame(rows, index=pd.Index(names, dtype=str), columns=columns)
        units = {str(name): ds[name].attrs.get("units", "") for name in table.index}
        return SummaryTable.wrap(table, units, self.scenario.horizon)

    def report(self, years: Sequence[float] | None = None) -> dict[str, Any]:
        """Return the numbers ``agi-timelines forecast`` prints, as a plain dict.

        Parameters
        ----------
        years : sequence of float, optional
            Decimal years for ``p_arrived_by``: distinct, in ``[reference.year, horizon]``.
            Default: 2025, 2027, 2030, 2035, 2040, 2050, 2075 and 2100 where they fall in
            ``(reference.year, horizon]``, and the horizon.

        Returns
        -------
        dict
            Plain Python values (``str``, ``int``, ``float``, ``bool``, ``None``, dicts):

            * provenance: ``scenario`` (name), ``draws`` (kept), ``draws_requested``
              (before ``not_before``), ``not_before_removed``, ``seed``, ``versions``;
            * the setting: ``data_wall`` (bool), ``data_wall_binds`` (``"pretraining"``,
              ``"physical"`` or ``None`` when the wall is off), ``reference_year`` and
              ``horizon`` (decimal years);
            * ``arrival_year_quantiles``: level (``"0.05"`` ... ``"0.95"``) -> year, by the
              inverted empirical CDF, ``inf`` inside the censored mass;
            * ``p_arrived_by``: year (``"2030"``) -> probability;
            * ``censored_fraction``: probability of no arrival by the horizon;
            * with the data wall on, ``arrival_year_quantiles_wall_off`` and
              ``censored_fraction_wall_off``: the same draws with the wall switched off;
            * ``variables``: every variable (arrival year first) -> ``units``,
              ``quantiles`` (``"0.05"``, ``"0.5"``, ``"0.95"``, in those units) and
              ``censored_share``;
            * ``units``: the units of the top-level numbers; ``notes``: one sentence.

            ``agi-timelines forecast --json`` prints it with ``inf`` as ``null``, without
            ``variables`` and ``units``, and with the run's ``seconds`` and ``outputs``.

        Examples
        --------
        >>> import agi_timelines as agt
        >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=20_000, seed=0)
        >>> report = fc.report(years=[2030])
        >>> report["p_arrived_by"]["2030"] == fc.prob_by(2030)
        True
        >>> report["arrival_year_quantiles"]["0.5"] == float(fc.quantile(0.5))
        True
        >>> report["variables"]["arrival_year"]["units"]
        'year'
        """
        from ._report import forecast_report

        return forecast_report(self, years)

    def rank_correlations(self, paths: Sequence[str] | None = None) -> pd.DataFrame:
        """Realized Spearman rank correlations between the sampled parameters.

        Parameters
        ----------
        paths : sequence of str, optional
            Dotted field paths (default: every random prior of the scenario).

        Returns
        -------
        pandas.DataFrame
            Square matrix indexed and labelled by path (dimensionless, in [-1, 1]).
            Independent priors show Monte Carlo noise of about ``1/sqrt(draws)``; the
            scenario's ``correlations`` are compared with their targets by
            :meth:`correlation_check`.

        Examples
        --------
        >>> import agi_timelines as agt
        >>> s = agt.Scenario.preset("aschenbrenner-2024")
        >>> s = s.correlate("compute.rate", "algorithms.rate", 0.5)
        >>> fc = agt.forecast(s, draws=20_000, seed=0)
        >>> rho = fc.rank_correlations(["compute.rate", "algorithms.rate"])
        >>> round(float(rho.loc["compute.rate", "algorithms.rate"]), 1)
        0.5
        """
        from scipy.stats import rankdata

        params = self.parameters()
        names = list(self.scenario.random_fields()) if paths is None else list(paths)
        unknown = [p for p in names if p not in params]
        if unknown:
            raise ValueError(
                f"no sampled parameter {unknown[0]!r}; parameters: {', '.join(params)}"
            )
        ranks = rankdata(np.column_stack([params[p] for p in names]), axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):  # constant columns: nan
            rho = np.atleast_2d(np.corrcoef(ranks, rowvar=False))
        return pd.DataFrame(rho, index=pd.Index(names, name="path"), columns=names)

    def correlation_check(self) -> pd.DataFrame:
        """Target versus realized rank correlation of each pair in the scenario's ``correlations``.

        Returns
        -------
        pandas.DataFrame
            One row per pair (index ``"a ~ b"``) with ``target`` and ``realized``
            Spearman correlations, ``error`` (realized - target) and ``used`` (False for
            a pair the forecast ignored, e.g. one naming a point mass).  Empty when the
            scenario lists no correlations.
        """
        scenario = self.scenario
        active = scenario.active_correlations()
        rows = []
        for c in scenario.correlations:
            realized = float(self.rank_correlations(list(c.between)).to_numpy()[0, 1])
            rows.append((c.label, c.rank, realized, realized - c.rank, c in active))
        columns = ["pair", "target", "realized", "error", "used"]
        return pd.DataFrame(rows, columns=columns).set_index("pair")

    # -- figures -----------------------------------------------------------------------
    @property
    def plot(self) -> ForecastPlots:
        """The figures of this forecast.

        ``fc.plot.cdf()``, ``.pdf()``, ``.fan()``, ``.axes()``, ``.error_bars()``,
        ``.parameters()``, ``.data_wall()``, ``.horizons()``.

        Each draws the :mod:`agi_timelines.plot` function of that figure for this forecast
        and returns ``(fig, ax)``; keyword arguments are passed on
        (:class:`~agi_timelines.plot._accessor.ForecastPlots`).
        """
        from .plot._accessor import ForecastPlots

        return ForecastPlots(self)

    # -- files ---------------------------------------------------------------------------
    def to_netcdf(self, path: str | Path, *, compression: int | None = DEFAULT_COMPRESSION) -> Path:
        """Write the tree to netCDF (HDF5 via h5netcdf), atomically; returns the path.

        Parameters
        ----------
        path : str or Path
            Output file (its directory must exist and be writable; not a symbolic link or
            a device).  A failed write raises one :class:`~agi_timelines._io.OutputError`
            (an ``OSError``) naming ``path`` and leaves an existing file intact.
        compression : int or None
            zlib (gzip) level 0-9 with the byte-shuffle filter, lossless: the file reads
            back bit for bit.  ``0`` or ``None`` writes uncompressed (faster to write,
            about a third larger).  The default, level 1, shrinks a million draws of the
            preset by a quarter; higher levels gain under 1% more (random draws leave zlib
            little to find).  Levels 1-3 are deflated with ISA-L (a million draws in ~0.3 s
            of CPU instead of ~5 s with HDF5's zlib), into the same standard format.

        Returns
        -------
        Path
        """
        return write_netcdf(self.tree, path, compression=compression)

    @classmethod
    def from_netcdf(cls, path: str | Path) -> Forecast:
        """Read a forecast written by :meth:`to_netcdf`."""
        check_instance("path", path, str | os.PathLike, "a file path (str or pathlib.Path)")
        return cls(read_tree(path, "forecast"))


def _summary_row(values: np.ndarray, prob: float) -> tuple[float, float, float, float, float]:
    """Median, MAD, equal-tailed ``prob`` interval and censored share of one variable's draws.

    The numbers are those of ``arviz_stats.summary(kind="stats_median", ci_kind="eti")``
    (``numpy.median``, ``scipy.stats.median_abs_deviation`` with ``scale=1`` and
    ``numpy.quantile`` with linear interpolation at ``(1 - prob) / 2`` and
    ``1 - (1 - prob) / 2``), bit for bit, without the MCMC machinery prior draws do not
    need: the draws are sorted once and every order statistic is read from the sorted copy
    (the median's middle draws, the MAD's by :func:`_kth_deviation`; the interval's
    selection on sorted data is linear).  A variable with ``inf`` draws (censored) takes
    its median and interval ends from the inverted empirical CDF instead, which is ``inf``
    inside the censored mass where interpolation gives NaN.

    Parameters
    ----------
    values : numpy.ndarray
        The draws (any shape; float32 or float64), in the variable's units.
    prob : float
        Mass of the central interval, in (0, 1).

    Returns
    -------
    tuple of float
        ``(median, mad, lower, upper, censored share)``.
    """
    x = np.sort(values, axis=None)
    n = x.size
    edge = (1 - prob) / 2
    middle = [n // 2] if n % 2 else [n // 2 - 1, n // 2]  # the order statistics np.median means
    with np.errstate(invalid="ignore"):  # inf - inf in the MAD of a censored variable
        if n == 0 or np.isnan(x[-1]) or np.isinf(x[n // 2]):  # NaN sorts last: numpy's path
            median = np.median(x)
            mad = np.median(np.abs(x - median))
        else:
            median = np.median(x[middle])
            mad = np.median(np.array([_kth_deviation(x, median, k) for k in middle], x.dtype))
        lower, upper = np.quantile(x, [edge, 1 - edge])
    censored = stats.censored_share(x)
    if censored > 0:
        median, lower, upper = stats.quantile(x, [0.5, edge, (1 + prob) / 2])
    return float(median), float(mad), float(lower), float(upper), censored


def _kth_deviation(x: np.ndarray, center: Any, k: int) -> Any:
    """Return the ``k``-th smallest (0-based) of ``abs(x - center)`` for sorted ``x``, in O(log n).

    The deviations are two sorted runs, ``center - x`` left of ``center`` (read backwards)
    and ``x - center`` right of it (``abs(x - c)`` rounds as ``c - x`` does), so the k-th is
    found by bisecting how many of the k + 1 smallest come from the left run, as in merging
    two sorted arrays, without forming the n deviations.
    """
    split = int(np.searchsorted(x, center, side="left"))
    n_left, n_right = split, x.size - split

    def left(i: int) -> Any:  # i-th smallest deviation left of the center
        return center - x[split - 1 - i]

    def right(j: int) -> Any:
        return x[split + j] - center

    lo, hi = max(0, k + 1 - n_right), min(k + 1, n_left)
    while True:
        i = (lo + hi) // 2  # deviations taken from the left run
        j = k + 1 - i
        if i > 0 and j < n_right and left(i - 1) > right(j):
            hi = i - 1
        elif j > 0 and i < n_left and right(j - 1) > left(i):
            lo = i + 1
        else:
            candidates = ([left(i - 1)] if i > 0 else []) + ([right(j - 1)] if j > 0 else [])
            return max(candidates)
