"""The forecast's input distributions, drawn by ArviZ (arviz-plots ``plot_dist``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import xarray as xr

from .._checks import check_prob
from ..model import units, var_name
from ._common import check_forecast, closes_on_error, year_axis
from ._style import COLORS, ONE_COLUMN_IN, styled

if TYPE_CHECKING:
    from ..result import Forecast

__all__ = ["parameters"]

_KINDS = ("kde", "hist", "ecdf")


@closes_on_error
def parameters(
    fc: Forecast,
    var_names: Sequence[str] | None = None,
    *,
    kind: Literal["auto", "kde", "hist", "dot", "ecdf"] = "kde",
    ci_prob: float = 0.9,
    cols: int = 3,
) -> tuple[Any, np.ndarray]:
    """Marginal distributions of the forecast's random inputs, one panel each.

    A thin wrapper of ``arviz_plots.plot_dist`` (density, median and equal-tailed
    ``ci_prob`` interval per variable) on the forecast's ``prior`` group, with the
    scenario's field paths and units as panel titles, the median written out (years
    as years), integer years on year axes, and each x axis cut to the central 99% of
    the draws.  Positive inputs spread over more than ~1.5 orders of magnitude (e.g.
    token stocks) are drawn as log10.

    Parameters
    ----------
    fc : Forecast
        The forecast.
    var_names : sequence of str, optional
        Field paths (``"compute.rate"``) or variable names (``"compute_rate"``); default:
        every random field of the scenario.
    kind : {"kde", "hist", "ecdf"}
        How ArviZ draws each marginal.
    ci_prob : float
        Mass of the credible interval ArviZ marks.
    cols : int
        Panels per row (1 to 6).

    Returns
    -------
    (matplotlib.figure.Figure, numpy.ndarray of matplotlib.axes.Axes)
        The axes of the panels, in the order of ``var_names``.

    Examples
    --------
    >>> import agi_timelines as agt, matplotlib.pyplot as plt
    >>> from agi_timelines import plot
    >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=2000, seed=0)
    >>> fig, axes = plot.parameters(fc, ["compute.rate", "algorithms.rate"])
    >>> [ax.get_title(loc="left") for ax in axes]
    ['compute.rate (OOM/yr)', 'algorithms.rate (OOM/yr)']
    >>> plt.close(fig)
    """
    import arviz_plots as azp

    fc = check_forecast(fc)
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}")
    ci_prob = check_prob("ci_prob", ci_prob)
    if isinstance(cols, bool) or not isinstance(cols, int) or not 1 <= cols <= 6:
        raise ValueError(f"cols must be an integer in [1, 6], got {cols!r}")
    paths = _paths(fc, var_names)
    names = [var_name(p) for p in paths]
    draws = fc.draws[names]
    logged = [n for n in names if _spans_decades(draws[n].values)]
    for name in logged:
        draws[name] = np.log10(draws[name])
    rows = math.ceil(len(names) / cols)
    ncols = min(cols, len(names))
    with styled():
        width = ONE_COLUMN_IN * (2 if ncols > 2 else 1) + 0.2 * (ncols > 2)
        pc = azp.plot_dist(
            xr.DataTree.from_dict({"/prior": draws}),
            group="prior",
            var_names=names,
            kind=kind,
            ci_prob=ci_prob,
            point_estimate="median",
            backend="matplotlib",
            col_wrap=cols,
            figure_kwargs={"figsize": (width, 1.05 * rows + 0.1)},
            visuals={
                "dist": {"color": COLORS["forecast"]},
                "credible_interval": {"color": "black"},
                "point_estimate": {"color": "black"},
                "point_estimate_text": False,  # ArviZ rounds 2030.2 to "2000.0"
            },
        )
        fig = pc.viz["figure"].item()
        axes = np.array([pc.viz["plot"][name].item() for name in names])
        for ax, path, name in zip(axes, paths, names, strict=True):
            unit = units(name)
            short = "OOM" if unit.startswith("OOM above") else unit  # titles sit side by side
            values = draws[name].values.ravel()
            title = f"{path} ({short})" if short else path
            ax.set_title(f"log10 {title}" if name in logged else title, loc="left")
            lo, hi = np.quantile(values, [0.005, 0.995])
            if hi > lo:
                pad = 0.05 * (hi - lo)
                ax.set_xlim(lo - pad, hi + pad)
            median = float(np.median(values))
            # In a top corner, where the curve is low: at the median the text would cross the
            # steep side of a skewed density.  An ECDF is low only at the left.
            x_lo, x_hi = ax.get_xlim()
            right = kind != "ecdf" and median - x_lo <= 0.5 * (x_hi - x_lo)
            ax.annotate(
                f"median {_fmt(median, unit)}",
                xy=(0.99 if right else 0.01, 0.97),
                xycoords="axes fraction",
                ha="right" if right else "left",
                va="top",
                fontsize="small",
                color=COLORS["muted"],
            )
            if unit == "year":
                year_axis(ax.xaxis, nbins=4)
            ax.tick_params(axis="x", labelsize="small")
    return fig, axes


def _spans_decades(values: np.ndarray) -> bool:
    """Positive draws spread over > 1.5 orders of magnitude (1st to 99th pct): log10."""
    values = values.ravel()
    if values.size == 0 or np.any(values <= 0) or not np.all(np.isfinite(values)):
        return False
    lo, hi = np.quantile(values, [0.01, 0.99])
    return bool(hi / lo > 30)


def _fmt(value: float, unit: str) -> str:
    if unit == "year":
        return f"{value:.1f}"
    return f"{value:.3g}"


def _paths(fc: Forecast, var_names: Sequence[str] | None) -> list[str]:
    """Field paths to draw, checked against the forecast's draws."""
    random = list(fc.scenario.random_fields())
    if var_names is None:
        return random
    if isinstance(var_names, str):
        var_names = [var_names]
    by_name = {var_name(p): p for p in random}
    out = []
    for name in var_names:
        path = by_name.get(str(name), str(name))
        if path not in random:
            raise ValueError(
                f"var_names: {name!r} is not a random field of this forecast; "
                f"choose from {', '.join(random)}"
            )
        out.append(path)
    if not out:
        raise ValueError("var_names is empty: give at least one field path")
    return out
