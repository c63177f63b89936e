"""Compare scenarios side by side, with common random numbers: :func:`compare`.

Every scenario is forecast with the same seed and number of draws.  A parameter's draws
depend only on the seed, the draw's index and the parameter's path, so a parameter two
scenarios share with the same prior has the same draws in both, and a changed
hyper-parameter moves each draw monotonically (common random numbers): differences
between rows are the scenarios' differences, not Monte Carlo noise.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import xarray as xr

from . import stats
from ._checks import check_draws_seed, check_int, check_quantiles, check_years
from ._engine import run
from ._provenance import provenance, requested_draws
from .analysis import DEFAULT_QUANTILES, DEFAULT_YEARS
from .result import Forecast
from .scenario import Scenario

__all__ = ["Comparison", "compare", "quantile_column", "year_column"]


class Comparison(NamedTuple):
    """What :func:`compare` returns (unpacks as ``table, tree, forecasts``).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per scenario (index ``scenario``, in the order given).  Columns:
        ``arrival_q<100 q>`` (e.g. ``arrival_q50``; arrival-year quantile, ``inf`` inside
        the censored mass), ``p_by_<year>`` (e.g. ``p_by_2030``; P(arrived by year)),
        ``data_wall`` (``"off"``, or what the wall binds: ``"pretraining"`` or
        ``"physical"``), ``censored_share`` (P(no arrival by the horizon)),
        ``wall_binding_share`` (share
        of draws whose data wall binds before arrival; 0 with the wall off), ``draws``
        (draws used, after ``not_before`` conditioning).  ``table.attrs["units"]`` maps
        columns to units.
    tree : xarray.DataTree
        Root dataset: the table as variables over dims ``scenario``, ``quantile``,
        ``year`` (``arrival_quantile``, ``p_arrived``, ``data_wall``, ``censored_share``,
        ``wall_binding_share``, ``draws``); one child per scenario, named by its key,
        holding that forecast's tree (group ``prior`` with the draws; scenario TOML, seed
        and versions in its attrs).  Root attrs: the provenance keys (``kind`` =
        ``"comparison"``, ``format_version``, ``seed``, ``draws``, ``versions``; the
        scenarios' own in their nodes), ``scenarios`` (JSON list of the names) and
        ``common_random_numbers``.
    forecasts : dict of str to Forecast
        The forecasts by name.
    """

    table: pd.DataFrame
    tree: xr.DataTree
    forecasts: dict[str, Forecast]

    def __repr__(self) -> str:
        names = ", ".join(repr(name) for name in self.forecasts)
        draws = requested_draws(self.tree.attrs, 0)
        return (
            f"<Comparison of {len(self.forecasts)} scenarios ({names}): {draws} draws each, "
            f"seed {self.tree.attrs.get('seed')}>"
        )

    def _repr_html_(self) -> str:
        """Notebook display: one row per scenario and their arrival CDFs overlaid."""
        from ._html import comparison_html

        return comparison_html(self)


def quantile_column(q: float) -> str:
    """Column name of arrival quantile ``q`` in :func:`compare`'s table (``arrival_q50``)."""
    return f"arrival_q{100 * q:g}"


def year_column(year: float) -> str:
    """Column name of P(arrived by ``year``) in :func:`compare`'s table (``p_by_2030``)."""
    return f"p_by_{year:g}"


def compare(
    scenarios: Mapping[str, Scenario],
    draws: int = 20_000,
    seed: int = 0,
    *,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    years: Sequence[float] = DEFAULT_YEARS,
    chunk_size: int | None = None,
) -> Comparison:
    """Forecast several scenarios with common random numbers and tabulate them.

    Parameters
    ----------
    scenarios : mapping of str to Scenario
        Scenarios by name (non-empty; names are table rows and tree node names, so they
        must be non-empty and contain no ``/``).
    draws : int
        Monte Carlo draws per scenario (>= 1).
    seed : int
        The seed every scenario uses (>= 0); each row equals
        ``forecast(scenario, draws, seed)``.
    quantiles : sequence of float
        Arrival-year quantile levels in [0, 1] (inverted empirical CDF; ``inf`` where a
        level falls in the censored mass).
    years : sequence of float
        Decimal years for P(arrived by year); each within every scenario's
        ``[reference.year, horizon]``.
    chunk_size : int, optional
        Draws per call of the compiled solver (results do not depend on it).

    Returns
    -------
    Comparison
        ``(table, tree, forecasts)``; see :class:`Comparison` for the layout.

    Examples
    --------
    >>> import agi_timelines as agt
    >>> from agi_timelines.compare import compare
    >>> base = agt.Scenario(
    ...     compute={"rate": agt.ci90(0.4, 0.75), "cap": agt.ci90(500, 1000)},
    ...     requirement={"ooms": 6.0},
    ... )
    >>> harder = base.replace({"requirement.ooms": 7.0})
    >>> table, tree, _ = compare({"6 OOMs": base, "7 OOMs": harder}, draws=2000, years=[2030])
    >>> table["arrival_q50"].round(2).to_dict()
    {'6 OOMs': 2034.12, '7 OOMs': 2035.94}
    >>> bool((tree["7 OOMs/prior/arrival_year"] >= tree["6 OOMs/prior/arrival_year"]).all())
    True
    """
    if not isinstance(scenarios, Mapping) or not scenarios:
        raise ValueError(
            "scenarios must be a non-empty mapping {name: Scenario}, "
            f"got {type(scenarios).__name__}"
        )
    for name, scn in scenarios.items():
        if not isinstance(name, str) or not name or "/" in name:
            raise ValueError(f"scenario names must be non-empty strings without '/', got {name!r}")
        if not isinstance(scn, Scenario):
            raise TypeError(
                f"scenarios[{name!r}] must be an agi_timelines.Scenario, got {type(scn)}"
            )
    draws, seed = check_draws_seed(draws, seed)
    q = check_quantiles(quantiles)
    for scn in scenarios.values():
        y_arr = check_years(years, scn)
    if chunk_size is not None:
        check_int("chunk_size", chunk_size, 1)

    forecasts = {}
    for name, scn in scenarios.items():  # each row is forecast(scn, draws, seed)
        result = run(scn, draws, seed, chunk_size=chunk_size)
        forecasts[name] = Forecast.from_draws(result.draws, result.attrs)
    names = list(forecasts)
    qv = np.array([fc.quantile(q).values for fc in forecasts.values()])
    pv = np.array([fc.cdf(y_arr).values for fc in forecasts.values()])
    cens = np.array([fc.censored_fraction for fc in forecasts.values()])
    wall = np.array([stats.wall_binding_share(fc.draws) for fc in forecasts.values()])
    used = np.array([fc.arrival.size for fc in forecasts.values()])

    columns: dict[str, np.ndarray | list[str]]
    columns = {quantile_column(level): qv[:, i] for i, level in enumerate(q)}
    columns |= {year_column(year): pv[:, i] for i, year in enumerate(y_arr)}
    walls = [_wall_label(scn) for scn in scenarios.values()]
    columns |= {"data_wall": walls}
    columns |= {"censored_share": cens, "wall_binding_share": wall, "draws": used}
    table = pd.DataFrame(columns, index=pd.Index(names, name="scenario"))
    table.attrs["units"] = (
        {quantile_column(level): "year" for level in q}
        | {year_column(year): "probability" for year in y_arr}
        | {"data_wall": "off | pretraining | physical"}
        | {"censored_share": "probability", "wall_binding_share": "probability", "draws": "1"}
    )
    table.attrs["seed"] = seed

    root = xr.Dataset(
        {
            "arrival_quantile": (("scenario", "quantile"), qv, {"units": "year"}),
            "p_arrived": (("scenario", "year"), pv, {"units": "probability"}),
            "data_wall": ("scenario", np.array(walls, dtype=str)),
            "censored_share": ("scenario", cens, {"units": "probability"}),
            "wall_binding_share": ("scenario", wall, {"units": "probability"}),
            "draws": ("scenario", used, {"units": "1"}),
        },
        coords={"scenario": names, "quantile": q, "year": ("year", y_arr, {"units": "year"})},
        attrs={
            **provenance("comparison", seed=seed, draws=draws),
            "scenarios": json.dumps(names),
            "common_random_numbers": "every scenario forecast with the same seed",
        },
    )
    tree = xr.DataTree(root)
    for name, fc in forecasts.items():
        tree[name] = fc.tree
    return Comparison(table, tree, forecasts)


def _wall_label(scenario: Scenario) -> str:
    """``"off"``, or what the data wall binds (``"pretraining"`` or ``"physical"``)."""
    return scenario.data_wall.binds if scenario.data_wall.enabled else "off"
