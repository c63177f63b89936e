"""A forecast's report: the numbers ``agi-timelines forecast`` prints, as a plain dict.

:meth:`Forecast.report <agi_timelines.Forecast.report>` calls :func:`forecast_report`; the
command line only formats its result (a text table, or JSON with ``inf`` written as
``null``).  Every statistic comes from :mod:`agi_timelines.stats` (inverted-CDF quantiles,
so a level inside the censored mass is ``inf``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import stats
from ._checks import check_years
from ._provenance import requested_draws

if TYPE_CHECKING:
    from .result import Forecast

__all__ = [
    "DEFAULT_YEARS",
    "QUANTILES",
    "VARIABLE_QUANTILES",
    "default_years",
    "forecast_report",
    "variable_rows",
]

QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
"""Arrival-year quantile levels of a report."""

VARIABLE_QUANTILES = (0.05, 0.5, 0.95)
"""Quantile levels of each variable in a report's ``variables`` table."""

DEFAULT_YEARS = (2025, 2027, 2030, 2035, 2040, 2050, 2075, 2100)
"""Years for P(arrived by year), clipped to ``(reference.year, horizon]`` (plus the horizon)."""

NOTES = "quantiles are null where they fall in the censored mass (no arrival by horizon)"
"""What the JSON form of a report says about censored quantiles."""


def default_years(t0: float, horizon: float) -> list[float]:
    """Return the report years: :data:`DEFAULT_YEARS` in ``(t0, horizon]``, and the horizon.

    Parameters
    ----------
    t0, horizon : float
        The reference year and the horizon (decimal years).

    Returns
    -------
    list of float
        Sorted decimal years in ``(t0, horizon]``; the horizon is always one.
    """
    chosen = {float(y) for y in DEFAULT_YEARS if t0 < y <= horizon} | {float(horizon)}
    return sorted(chosen)


def _key(level: float) -> str:
    return f"{level:g}"


def variable_rows(fc: Forecast) -> dict[str, dict[str, Any]]:
    """Units, 5/50/95% quantiles and censored share of every variable, arrival year first.

    Parameters
    ----------
    fc : Forecast
        The forecast whose draws are summarised.

    Returns
    -------
    dict
        ``{name: {"units": str, "quantiles": {"0.05": float, "0.5": float, "0.95": float},
        "censored_share": float}}``; quantiles in the variable's units (``inf`` inside the
        censored mass), the censored share a probability.
    """
    ds = fc.draws
    names = ["arrival_year"] + [str(v) for v in ds.data_vars if v != "arrival_year"]
    rows: dict[str, dict[str, Any]] = {}
    for name in names:
        values = ds[name].values.ravel()
        q = stats.quantile(values, VARIABLE_QUANTILES)
        rows[name] = {
            "units": ds[name].attrs.get("units", ""),
            "quantiles": {_key(p): float(v) for p, v in zip(VARIABLE_QUANTILES, q, strict=True)},
            "censored_share": stats.censored_share(values),
        }
    return rows


def _wall_off(fc: Forecast) -> dict[str, Any]:
    """With the data wall on, the same draws' arrival quantiles with the wall switched off."""
    if "arrival_year_no_wall" not in fc.draws:
        return {}
    values = fc.draws["arrival_year_no_wall"].values.ravel()
    q = stats.quantile(values, QUANTILES)
    return {
        "arrival_year_quantiles_wall_off": {
            _key(p): float(v) for p, v in zip(QUANTILES, q, strict=True)
        },
        "censored_fraction_wall_off": stats.censored_share(values),
    }


def forecast_report(
    fc: Forecast, years: Sequence[float] | None = None, *, variables: bool = True
) -> dict[str, Any]:
    """Compute the report of :meth:`Forecast.report <agi_timelines.Forecast.report>`.

    Parameters
    ----------
    fc : Forecast
        The forecast.
    years : sequence of float, optional
        Decimal years for ``p_arrived_by``, distinct, in ``[reference.year, horizon]``
        (default: :func:`default_years`).
    variables : bool
        Include ``variables`` (three quantiles of every variable: about a second on a
        million draws; ``forecast --json`` leaves them out).

    Returns
    -------
    dict
        See :meth:`Forecast.report <agi_timelines.Forecast.report>`.
    """
    scn = fc.scenario
    if years is None:
        chosen = default_years(scn.reference.year, scn.horizon)
    else:
        chosen = check_years(years, scn).tolist()
    n = int(fc.arrival.sizes["draw"])
    attrs = fc.tree.attrs
    arrival = fc.arrival.values.ravel()
    q = stats.quantile(arrival, QUANTILES)
    wall = bool(scn.data_wall.enabled)
    wall_off = _wall_off(fc)
    units = {
        "reference_year": "year",
        "horizon": "year",
        "arrival_year_quantiles": "year",
        "p_arrived_by": "probability",
        "censored_fraction": "probability",
    }
    if wall_off:
        units |= {
            "arrival_year_quantiles_wall_off": "year",
            "censored_fraction_wall_off": "probability",
        }
    return {
        "scenario": scn.name,
        "draws": n,
        "draws_requested": requested_draws(attrs, n),
        "not_before_removed": int(attrs.get("not_before_removed", 0)),
        "seed": fc.seed,
        "data_wall": wall,
        "data_wall_binds": scn.data_wall.binds if wall else None,
        "reference_year": scn.reference.year,
        "horizon": scn.horizon,
        "arrival_year_quantiles": {_key(p): float(v) for p, v in zip(QUANTILES, q, strict=True)},
        "p_arrived_by": {
            _key(y): float(p) for y, p in zip(chosen, stats.prob_by(arrival, chosen), strict=True)
        },
        "censored_fraction": stats.censored_share(arrival),
        **wall_off,
        **({"variables": variable_rows(fc)} if variables else {}),
        "units": units,
        "versions": fc.versions,
        "notes": NOTES,
    }
