"""The time-horizon figure.

METR's measurements, their calendar-time trend, and the horizon the forecast's effective compute
implies, against the required horizon.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, NullLocator

from .._checks import check_bool, check_probs
from ..data import time_horizons
from ..horizons import select_points
from ._common import check_forecast, closes_on_error, intervals, new_axes, year_axis, year_grid
from ._style import COLORS, styled
from .trajectory import _ALPHAS  # one band opacity per number of bands, as the fan's

if TYPE_CHECKING:
    from ..result import Forecast

__all__ = ["LABELLED_MODELS", "horizons"]

LABELLED_MODELS = (
    "GPT-2",
    "davinci-002 (GPT-3)",
    "GPT-4",
    "o1",
    "GPT-5",
    "Claude Opus 4.6",
)
"""Models named on the figure (METR's names; ``davinci-002 (GPT-3)`` is shown as GPT-3)."""
_SHORT = {"davinci-002 (GPT-3)": "GPT-3"}
_TICKS = {
    1 / 60: "1 s",
    1.0: "1 min",
    15.0: "15 min",
    60.0: "1 h",
    8 * 60.0: "8 h",
    40 * 60.0: "1 week",
    167 * 60.0: "1 month",
    2000 * 60.0: "1 year",
    20_000 * 60.0: "10 years",
}
"""Y ticks, minutes -> label; a week, month and year are of work: 40 h, 167 h, 2000 h."""


@closes_on_error
def horizons(
    fc: Forecast,
    ax: Axes | None = None,
    *,
    years: Any = None,
    probs: Any = (0.5, 0.9),
    wall_off_median: bool = True,
    requirement: bool = True,
    trend: bool = True,
    data: Any = None,
    label_models: bool = True,
) -> tuple[Any, Axes]:
    """METR's time horizons against date, extended by the model's effective compute.

    Draws METR's measured horizons (minutes of human work at the scenario's reliability,
    log axis) with their 95% intervals (filled: the points fitted; open: models that are
    not state of the art, or outside the fitted window), the fitted calendar-time trend
    ``log2 H = h_ref + D (t - t_ref)`` (median and 90% band over the data, dashed beyond:
    the straight-line extrapolation), the forecast's fan of ``H(t) = 2**(h_ref + beta E(t))``
    from the scenario's effective compute (median and ``probs`` bands; with the data wall
    on, the wall-off median dotted), and the required horizon's median and bands.

    Parameters
    ----------
    fc : Forecast
        A forecast with a ``horizon_hours`` requirement.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into.
    years : array_like, optional
        Increasing decimal years of the fan within ``[reference.year, horizon]``
        (default: the reference year to 2040, four points a year).
    probs : sequence of float
        Masses of the central bands (1 to 3 values in (0, 1)).
    wall_off_median : bool
        Also draw the wall-off median (when the scenario has the wall on).
    requirement : bool
        Draw the required horizon's bands.
    trend : bool
        Draw the calendar-time trend and its extrapolation.
    data : pandas.DataFrame or path, optional
        The time-horizon table (default: the bundled METR table).
    label_models : bool
        Name the models of :data:`LABELLED_MODELS`.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> import agi_timelines as agt, matplotlib.pyplot as plt
    >>> from agi_timelines import plot
    >>> fc = agt.forecast(agt.Scenario.preset("metr-horizons"), draws=2000, seed=0)
    >>> fig, ax = plot.horizons(fc)
    >>> ax.get_yscale()
    'log'
    >>> plt.close(fig)
    """
    fc = check_forecast(fc)
    if "horizon_doublings_per_oom" not in fc.draws:
        raise ValueError(
            "fc has no time-horizon requirement (requirement.horizon_hours); plot.horizons "
            "needs one, e.g. the metr-horizons preset"
        )
    probs = check_probs("probs", probs)
    wall_off_median = check_bool("wall_off_median", wall_off_median)
    grid = year_grid(fc, years, end=2040.0)
    scn = fc.scenario
    settings = json.loads(fc.tree.attrs["horizon_calibration"])
    level = "p50" if settings["reliability"] == 0.5 else "p80"
    table = time_horizons(data) if data is None or not hasattr(data, "columns") else data
    fitted = select_points(
        table,
        settings["reliability"],
        settings["since"],
        settings["sota_only"],
        settings["max_minutes"],
    )
    used = table.index.isin(fitted.index)
    draws = fc.draws
    rate = draws["horizon_doublings_per_year"].values.ravel()
    h_ref = draws["horizon_h_ref"].values.ravel()
    levels = [q for p in probs for q in ((1 - p) / 2, (1 + p) / 2)] + [0.5]
    fan = fc.horizon(grid, levels).values.T * 60.0  # (levels, years), minutes
    with styled():
        fig, ax = new_axes(ax, figsize=(3.4, 2.8))
        handles: list[tuple[Any, str]] = []
        color = COLORS["forecast"]
        start = float(np.floor(min(table["date"].min(), scn.reference.year)))
        if requirement:
            handles.append((_requirement(ax, fc, probs), "required horizon"))
        if trend:
            handles.append(_trend(ax, rate, h_ref, scn.reference.year, table, fitted, grid))
        fills = [
            ax.fill_between(grid, lo, hi, color=color, alpha=alpha, lw=0)
            for (lo, hi), alpha in zip(
                fan[:-1].reshape(len(probs), 2, -1)[::-1], _ALPHAS[len(probs)], strict=True
            )
        ]
        (line,) = ax.plot(grid, fan[-1], color=color)
        handles.append(((*fills, line), "model: H from effective compute"))
        if wall_off_median and scn.data_wall.enabled:
            off = fc.horizon(grid, [0.5], wall=False).values[:, 0] * 60.0
            (dotted,) = ax.plot(grid, off, color=COLORS["wall_off"], lw=1.0, ls=":")
            handles.append((dotted, "model, data wall off"))
        handles += _points(ax, table, used, level, label_models)
        ax.set_yscale("log")
        top = max(2.0 * float(np.nanmax(fan[:-1])), 3 * 2000 * 60.0)
        bottom = 0.5 * float(table[f"{level}_ci_low"].min())
        ax.set_ylim(bottom, min(top, 1e9))
        ticks = [m for m in _TICKS if bottom <= m <= ax.get_ylim()[1]]
        ax.yaxis.set_major_locator(FixedLocator(ticks))
        ax.yaxis.set_major_formatter(lambda v, _: _TICKS.get(v, ""))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlim(start, grid[-1])
        year_axis(ax.xaxis)
        ax.set_xlabel("Release date")
        ax.set_ylabel(f"Task length (human time), {settings['reliability']:.0%} success")
        days = np.quantile(365.25 / rate, [0.05, 0.5, 0.95])
        beta = np.quantile(draws["horizon_doublings_per_oom"].values, [0.05, 0.5, 0.95])
        ax.set_title(
            f"doubling time {days[1]:.0f} d (90%: {days[0]:.0f}-{days[2]:.0f}); "
            f"{beta[1]:.2f} doublings per OOM",
            fontsize="small",
            color=COLORS["muted"],
        )
        ax.legend(
            [h for h, _ in handles],
            [lab for _, lab in handles],
            loc="lower right",
            handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
            handlelength=2.0,
            fontsize="x-small",
        )
    return fig, ax


def _requirement(ax: Axes, fc: Forecast, probs: tuple[float, ...]) -> Any:
    hours = fc.parameters()["requirement.horizon_hours"]  # a point mass broadcast
    color = COLORS["requirement"]
    spans = []
    bands = intervals(hours * 60.0, probs)[::-1]
    for (lo, hi), alpha in zip(bands, _ALPHAS[len(probs)], strict=True):
        spans.append(ax.axhspan(lo, hi, color=color, alpha=alpha * 0.6, lw=0, zorder=0))
    median = ax.axhline(float(np.median(hours)) * 60.0, color=color, lw=0.8, zorder=1)
    return (*spans, median)


def _trend(
    ax: Axes,
    rate: np.ndarray,
    h_ref: np.ndarray,
    t_ref: float,
    table: Any,
    fitted: Any,
    grid: np.ndarray,
) -> tuple[Any, str]:
    first, last = float(fitted["date"].min()), float(fitted["date"].max())
    inside = np.linspace(first, last, 60)
    beyond = np.linspace(last, grid[-1], 60)
    n = min(rate.size, 4000)  # the band's quantiles need no more draws than this
    log2 = h_ref[:n, None] + rate[:n, None] * (inside[None, :] - t_ref)
    lo, mid, hi = 2.0 ** np.quantile(log2, [0.05, 0.5, 0.95], axis=0)
    color = COLORS["data"]
    band = ax.fill_between(inside, lo, hi, color=color, alpha=0.25, lw=0)
    (line,) = ax.plot(inside, mid, color=color, lw=0.9)
    ext = 2.0 ** np.median(h_ref[:n, None] + rate[:n, None] * (beyond[None, :] - t_ref), axis=0)
    ax.plot(beyond, ext, color=color, lw=0.9, ls="--")
    return (band, line), "fit (90%), extrapolated in calendar time"


def _points(
    ax: Axes, table: Any, used: np.ndarray, level: str, label_models: bool
) -> list[tuple[Any, str]]:
    date = table["date"].to_numpy(float)
    value = table[f"{level}_minutes"].to_numpy(float)
    err = np.vstack(
        [value - table[f"{level}_ci_low"].to_numpy(float), table[f"{level}_ci_high"] - value]
    )
    color = COLORS["data"]
    out = []
    for mask, face, label in ((used, color, "METR, fitted"), (~used, "white", "METR, not fitted")):
        if not mask.any():
            continue
        ax.errorbar(
            date[mask],
            value[mask],
            yerr=err[:, mask],
            fmt="none",
            ecolor=color,
            elinewidth=0.5,
            alpha=0.7,
            zorder=3,
        )
        ax.plot(date[mask], value[mask], "o", ms=2.6, mfc=face, mec=color, mew=0.6, zorder=4)
        out.append((Line2D([], [], ls="", marker="o", ms=2.6, mfc=face, mec=color), label))
    if label_models:
        names = table["model"].astype(str).to_numpy()
        for name in LABELLED_MODELS:
            hit = np.flatnonzero(names == name)
            if hit.size:
                i = hit[0]
                ax.annotate(
                    _SHORT.get(name, name),
                    xy=(date[i], value[i]),
                    xytext=(-3, 3),
                    textcoords="offset points",
                    ha="right",
                    va="bottom",
                    fontsize=5.5,
                    zorder=5,
                )
    return out
