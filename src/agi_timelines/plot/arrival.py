"""When does AGI arrive: the arrival-year CDF, its density, and scenarios side by side.

Censoring is shown, not hidden: draws with no arrival by the horizon keep their mass, so a
CDF ends below 1 (the gap is labelled "not by 2100: 23%") and a density's area is the
share of draws that arrive.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .. import stats
from .._checks import check_probs
from ._common import (
    as_forecasts,
    closes_on_error,
    fmt_year,
    new_axes,
    year_axis,
)
from ._style import COLORS, PALETTE, styled

if TYPE_CHECKING:
    from ..result import Forecast

__all__ = ["arrival_cdf", "arrival_pdf", "compare"]

type Forecasts = Forecast | Sequence[Forecast] | Mapping[str, Forecast]

_STRIP = 0.075
"""Height of one interval strip below a CDF or density, as a fraction of the y range."""
_STRIP_WIDTHS = {1: [1.0], 2: [3.2, 1.0], 3: [4.5, 2.5, 1.0]}
"""Line widths of the interval bars of a strip, widest (narrowest interval) first."""


@closes_on_error
def arrival_cdf(
    forecasts: Forecasts,
    ax: Axes | None = None,
    *,
    labels: Sequence[str] | None = None,
    probs: Sequence[float] = (0.5, 0.9),
    xlim: tuple[float, float] | None = None,
) -> tuple[Any, Axes]:
    """P(AGI has arrived by year t), for one or several forecasts.

    Each curve ends at P(arrived by the horizon): the censored mass (draws with no arrival
    by the horizon) is marked by a bracket up to 1 and labelled ("not by 2100: 5%"), not
    renormalised away.  When the year range stops before the horizon (the default stops
    where almost every arriving draw has arrived), a dashed rise at the right edge shows
    what the curve still gains up to the horizon ("+4% by 2100").  Under the curves, one
    strip per forecast marks the median (dot) and the central intervals (thick: 50%, thin:
    90%); an interval that runs past the horizon ends in an arrow.

    Parameters
    ----------
    forecasts : Forecast, sequence of Forecast or dict of {str: Forecast}
        What to plot; names default to the scenario names (dict keys for a dict).
    ax : matplotlib.axes.Axes, optional
        Axes to draw into (default: a new one-column figure).
    labels : sequence of str, optional
        Legend names, one per forecast.
    probs : sequence of float
        Masses of the central intervals to mark (1 to 3 values in (0, 1)).
    xlim : (float, float), optional
        Year range (default: the earliest reference year to the year by which almost
        every arriving draw has arrived, at most the horizon).

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> import agi_timelines as agt, matplotlib.pyplot as plt
    >>> from agi_timelines import plot
    >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=2000, seed=0)
    >>> fig, ax = plot.arrival_cdf(fc)
    >>> ax.get_ylabel()
    'P(arrived by year)'
    >>> plt.close(fig)
    """
    items = as_forecasts(forecasts, labels)
    probs = check_probs("probs", probs)
    with styled():
        several = len(items) > 1
        outside = several and ax is None and _long(items)
        fig, ax = new_axes(ax, *_outside_layout(items) if outside else ())
        lo, hi = _xlim(items, xlim)
        for i, (label, fc) in enumerate(items):
            color = COLORS["forecast"] if not several else PALETTE[i % len(PALETTE)]
            scn = fc.scenario
            grid = np.linspace(scn.reference.year, min(hi, scn.horizon), 1200)
            cdf = fc.cdf(grid).values
            cens = fc.censored_fraction
            name = f"{label}: not by {scn.horizon:g}: {cens:.0%}" if several else label
            ax.plot(grid, cdf, color=color, label=name, drawstyle="steps-post")
            med = float(fc.quantile(0.5))
            if math.isfinite(med):
                ax.plot(med, float(fc.prob_by(med)), "o", color=color, ms=3, zorder=3)
            _strip(ax, fc, probs, y=-(i + 0.8) * _STRIP, color=color, xmax=hi)
        _finish(ax, lo, hi, len(items), top=1.0)
        for i, (_, fc) in enumerate(items):
            color = COLORS["forecast"] if not several else PALETTE[i % len(PALETTE)]
            _censored_bracket(ax, fc, color, offset=i, annotate=not several)
            _cut_mark(ax, fc, color, offset=i, annotate=not several)
        ax.axhline(1.0, color=COLORS["muted"], lw=0.5, ls=":", zorder=0)
        ax.set_ylabel("P(arrived by year)")
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
        ax.set_yticklabels(["0", "0.25", "0.5", "0.75", "1"])
        if several:
            _names_legend(ax, outside, loc="lower right", bbox_to_anchor=(1.0, _zero_frac(ax)))
            _key_above(ax, probs)
        else:
            _strip_key(ax, probs, loc="lower right", bbox_to_anchor=(1.0, _zero_frac(ax)))
    return fig, ax


@closes_on_error
def arrival_pdf(
    forecasts: Forecasts,
    ax: Axes | None = None,
    *,
    labels: Sequence[str] | None = None,
    probs: Sequence[float] = (0.5, 0.9),
    bin_width: float = 0.5,
    xlim: tuple[float, float] | None = None,
) -> tuple[Any, Axes]:
    """Probability density of the arrival year (histogram, per year).

    The density is *not* renormalised: its area is the share of draws arriving by the
    horizon, and the censored share is written on the plot ("not by 2100: 5%").
    Interval strips under the curves as in :func:`arrival_cdf`.

    Parameters
    ----------
    forecasts : Forecast, sequence of Forecast or dict of {str: Forecast}
        What to plot.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into.
    labels : sequence of str, optional
        Legend names, one per forecast.
    probs : sequence of float
        Masses of the central intervals to mark.
    bin_width : float
        Histogram bin width, years (0.05 to 10).
    xlim : (float, float), optional
        Year range (default as in :func:`arrival_cdf`).

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> import agi_timelines as agt, matplotlib.pyplot as plt
    >>> from agi_timelines import plot
    >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=2000, seed=0)
    >>> fig, ax = plot.arrival_pdf(fc, bin_width=1.0)
    >>> ax.get_ylabel()
    'Probability per year'
    >>> plt.close(fig)
    """
    items = as_forecasts(forecasts, labels)
    probs = check_probs("probs", probs)
    bin_width = float(bin_width)
    if not 0.05 <= bin_width <= 10:
        raise ValueError(f"bin_width must lie in [0.05, 10] years, got {bin_width:g}")
    with styled():
        several = len(items) > 1
        outside = several and ax is None and _long(items)
        fig, ax = new_axes(ax, *_outside_layout(items) if outside else ())
        lo, hi = _xlim(items, xlim)
        top = 0.0
        for i, (label, fc) in enumerate(items):
            color = COLORS["forecast"] if not several else PALETTE[i % len(PALETTE)]
            scn = fc.scenario
            arrival = fc.arrival.values.ravel()
            t0 = scn.reference.year
            edges = t0 + bin_width * np.arange(math.ceil((scn.horizon - t0) / bin_width) + 1)
            counts, _ = np.histogram(arrival[np.isfinite(arrival)], bins=edges)
            density = counts / (arrival.size * bin_width)
            top = max(top, float(density.max(initial=0.0)))
            cens = fc.censored_fraction
            name = f"{label}: not by {scn.horizon:g}: {cens:.0%}" if several else label
            x = np.repeat(edges, 2)[1:-1]
            y = np.repeat(density, 2)
            ax.plot(x, y, color=color, lw=1.0, label=name)
            ax.fill_between(x, y, color=color, alpha=0.15 if several else 0.25, lw=0)
            if not several:
                ax.text(
                    0.98,
                    0.95,
                    f"not by {scn.horizon:g}: {cens:.0%}",
                    transform=ax.transAxes,
                    ha="right",
                    va="top",
                    color=color,
                )
        top = top * 1.08 if top > 0 else 1.0
        for i, (_, fc) in enumerate(items):
            color = COLORS["forecast"] if not several else PALETTE[i % len(PALETTE)]
            _strip(ax, fc, probs, y=-(i + 0.8) * _STRIP * top, color=color, xmax=hi)
        _finish(ax, lo, hi, len(items), top=top)
        ax.set_ylabel("Probability per year")
        if several:
            _names_legend(ax, outside, loc="upper right", bbox_to_anchor=(1.0, 1.0))
            _key_above(ax, probs)
        else:
            _strip_key(ax, probs, loc="center right", bbox_to_anchor=(1.0, 0.6))
    return fig, ax


@closes_on_error
def compare(
    forecasts: Forecasts,
    ax: Axes | None = None,
    *,
    kind: str = "intervals",
    labels: Sequence[str] | None = None,
    probs: Sequence[float] = (0.5, 0.9),
    xlim: tuple[float, float] | None = None,
) -> tuple[Any, Axes]:
    """Several scenarios' arrival distributions side by side, with their names.

    Parameters
    ----------
    forecasts : sequence of Forecast, dict of {str: Forecast} or Comparison
        The scenarios (names: the dict keys, else the scenario names); the result of
        :func:`agi_timelines.compare` is accepted as is.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into (default: a new figure, taller with more scenarios).
    kind : {"intervals", "cdf"}
        ``"intervals"``: one row per scenario with the median (dot), the central
        intervals (thick: 50%, thin: 90%) and the censored share at the right;
        ``"cdf"``: the CDFs on one axes (:func:`arrival_cdf`).
    labels : sequence of str, optional
        Names, one per forecast.
    probs : sequence of float
        Masses of the central intervals.
    xlim : (float, float), optional
        Year range.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> import agi_timelines as agt, matplotlib.pyplot as plt
    >>> from agi_timelines import plot
    >>> s = agt.Scenario.preset("aschenbrenner-2024")
    >>> slow = s.replace({"compute.rate": agt.ci90(0.2, 0.4)})
    >>> fcs = {"preset": agt.forecast(s, 2000), "slow compute": agt.forecast(slow, 2000)}
    >>> fig, ax = plot.compare(fcs)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['preset', 'slow compute']
    >>> plt.close(fig)
    """
    if kind not in ("intervals", "cdf"):
        raise ValueError(f'kind must be "intervals" or "cdf", got {kind!r}')
    if kind == "cdf":
        return arrival_cdf(forecasts, ax, labels=labels, probs=probs, xlim=xlim)
    items = as_forecasts(forecasts, labels)
    probs = check_probs("probs", probs)
    with styled():
        width = mpl.rcParams["figure.figsize"][0]
        lines = sum(_wrap(label).count("\n") + 1 for label, _ in items)
        fig, ax = new_axes(ax, figsize=(width, 0.8 + 0.2 * lines + 0.12 * len(items)))
        lo, hi = _xlim(items, xlim)
        ys = np.arange(len(items))[::-1].astype(float)
        for y, (_, fc) in zip(ys, items, strict=True):
            _strip(ax, fc, probs, y=y, color=COLORS["forecast"], xmax=hi)
            ax.annotate(
                f"{fc.censored_fraction:.0%}",
                xy=(1.0, y),
                xycoords=("axes fraction", "data"),
                xytext=(16, 0),
                textcoords="offset points",
                ha="center",
                va="center",
            )
        horizons = {fc.scenario.horizon for _, fc in items}
        head = f"not by\n{horizons.pop():g}" if len(horizons) == 1 else "censored"
        ax.annotate(  # the column's head, above its top entry (below, it hit the year ticks)
            head,
            xy=(1.0, ys[0]),
            xycoords=("axes fraction", "data"),
            xytext=(16, 6),
            textcoords="offset points",
            ha="center",
            va="bottom",
            color=COLORS["muted"],
            fontsize="small",
            linespacing=1.0,
        )
        ax.set_yticks(ys, [_wrap(label) for label, _ in items])
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_ylim(-0.6, len(items) - 0.4)
        ax.set_xlim(lo, hi)
        year_axis(ax.xaxis, nbins=6)
        ax.set_xlabel("Arrival year")
        _key_above(ax, probs, suffix=" int.")
    return fig, ax


# -- pieces ------------------------------------------------------------------------------------
_WRAP = 24
"""Characters per line of scenario names in tick labels and legends."""
_INSIDE_MAX = 28
"""Longest legend label kept inside the axes; longer ones go below the axes."""


def _wrap(label: str) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(label, _WRAP, break_long_words=False)) or label


def _long(items: list[tuple[str, Forecast]]) -> bool:
    """Whether legend labels ("name: not by 2100: 5%") are too long to sit inside."""
    return max(len(label) for label, _ in items) + 20 > _INSIDE_MAX


def _outside_layout(items: list[tuple[str, Forecast]]) -> tuple[tuple[float, float], str]:
    """Figure size and layout for a figure with the names legend below the axes."""
    width, height = mpl.rcParams["figure.figsize"]
    return (width, height + 0.16 * len(items) + 0.1), "constrained"


def _names_legend(ax: Axes, outside: bool, **inside: Any) -> None:
    """Legend of the forecasts' curves.

    Inside the axes, or below them (a figure legend) when the labels are long and the figure is
    ours.
    """
    if not outside:
        ax.legend(**inside)
        return
    handles, labels = ax.get_legend_handles_labels()
    ax.figure.legend(handles, labels, loc="outside lower left", frameon=False)


def _xlim(items: list[tuple[str, Forecast]], xlim: Any) -> tuple[float, float]:
    if xlim is not None:
        try:
            lo, hi = (float(v) for v in xlim)
        except (TypeError, ValueError):
            raise ValueError(f"xlim must be two years (lo, hi), got {xlim!r}") from None
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ValueError(f"xlim must be two finite years with lo < hi, got {xlim!r}")
        return lo, hi
    lo = min(fc.scenario.reference.year for _, fc in items)
    horizon = max(fc.scenario.horizon for _, fc in items)
    ends = []
    for _, fc in items:
        finite = fc.arrival.values[np.isfinite(fc.arrival.values)]
        if finite.size:
            ends.append(float(np.quantile(finite, 0.95)))
    end = max(ends, default=horizon)
    hi = min(horizon, 5 * math.ceil((end + 1) / 5))
    return math.floor(lo), max(hi, math.floor(lo) + 5)


def _strip(
    ax: Axes,
    fc: Forecast,
    probs: tuple[float, ...],
    *,
    y: float,
    color: str,
    xmax: float,
    scale: float = 1.0,
) -> None:
    """Median dot and nested interval bars at height ``y`` (thicker = narrower interval).

    A median past ``xmax`` (or censored) is written at the right end.
    """
    for prob, lw in zip(probs, _STRIP_WIDTHS[len(probs)], strict=True):
        lo, hi = stats.interval(fc.arrival.values, prob)
        lo_c = min(float(lo), xmax)
        hi_c = min(float(hi), xmax)
        ax.plot(
            [lo_c, hi_c], [y, y], color=color, lw=lw * scale, solid_capstyle="butt", clip_on=False
        )
        if hi > xmax:  # runs past the plotted range (or censored): arrow out
            ax.plot(xmax, y, marker=">", color=color, ms=3 * scale, clip_on=False)
    med = float(fc.quantile(0.5))
    if math.isfinite(med) and med <= xmax:
        ax.plot(
            med, y, "o", mfc="white", mec=color, mew=1.0, ms=3.5 * scale, zorder=3, clip_on=False
        )
    else:  # the median itself is past the plotted range, or censored
        ax.annotate(
            f"median {fmt_year(med, fc.scenario.horizon)}",
            xy=(xmax, y),
            xytext=(-6, 0),
            textcoords="offset points",
            va="center",
            ha="right",
            color=color,
            fontsize="small",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
            zorder=4,
        )


def _strip_handles(probs: tuple[float, ...], suffix: str = " interval") -> list[Line2D]:
    """Legend handles of the strips: the median dot, then one bar per interval."""
    return [
        Line2D(
            [], [], marker="o", mfc="white", mec="black", mew=1.0, ls="", ms=3.5, label="median"
        ),
        *(
            Line2D([], [], color="black", lw=lw, solid_capstyle="butt", label=f"{p:.0%}{suffix}")
            for p, lw in zip(probs, _STRIP_WIDTHS[len(probs)], strict=True)
        ),
    ]


def _strip_key(
    ax: Axes, probs: tuple[float, ...], *, suffix: str = " interval", **legend_kw: Any
) -> None:
    """Return a legend keying the strips (median dot, interval bars); keeps any existing legend."""
    handles = _strip_handles(probs, suffix)
    old = ax.get_legend()
    if old is not None:
        ax.add_artist(old)
        old.set_clip_on(False)  # add_artist clips to the axes; this legend may sit outside
    ax.legend(handles=handles, **legend_kw)


def _censored_bracket(ax: Axes, fc: Forecast, color: str, *, offset: int, annotate: bool) -> None:
    """Return the censored mass.

    A dotted level at P(arrived by the horizon), and at the right edge a bracket from there up to 1,
    labelled with the censored share when ``annotate``.
    """
    cens = fc.censored_fraction
    if cens <= 0:
        return
    reached = 1.0 - cens
    lo, hi = ax.get_xlim()
    x = hi - 0.008 * (hi - lo) * (1 + 2 * offset)
    ax.axhline(reached, color=color, lw=0.5, ls=(0, (1, 2)), zorder=1)
    ax.plot([x, x], [reached, 1.0], color=color, lw=2.0, solid_capstyle="butt", zorder=3)
    if annotate:
        ax.annotate(
            f"not by {fc.scenario.horizon:g}: {cens:.0%}",
            xy=(x, reached + cens / 2),
            xytext=(-4, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            color=color,
            fontsize="small",
        )


def _cut_mark(ax: Axes, fc: Forecast, color: str, *, offset: int, annotate: bool) -> None:
    """Where the x axis stops before the horizon, what the curve still gains up to it.

    A dashed rise at the right edge from P(by the cut) to P(by the horizon), labelled ("+4% by
    2100") when ``annotate``.
    """
    lo, hi = ax.get_xlim()
    horizon = fc.scenario.horizon
    if hi >= horizon:
        return
    at_cut, at_horizon = (float(p) for p in fc.cdf([hi, horizon]).values)
    if at_horizon <= at_cut:
        return
    x = hi - 0.008 * (hi - lo) * (1 + 2 * offset)
    ax.plot([x, x], [at_cut, at_horizon], color=color, lw=1.0, ls=(0, (2, 1.5)), zorder=3)
    if annotate:
        ax.annotate(
            f"+{at_horizon - at_cut:.0%} by {horizon:g}",
            xy=(x, at_cut),
            xytext=(-2, -7),  # below the curve's end, clear of the censored label above
            textcoords="offset points",
            ha="right",
            va="top",
            color=color,
            fontsize="small",
        )


def _key_above(ax: Axes, probs: tuple[float, ...], suffix: str = " interval") -> None:
    """Return the strip key in one row above the axes."""
    _strip_key(
        ax,
        probs,
        suffix=suffix,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=len(probs) + 1,
        borderaxespad=0.1,
        columnspacing=1.2,
        handlelength=1.4,
    )


def _zero_frac(ax: Axes) -> float:
    """Height of y = 0 as a fraction of the axes."""
    ymin, ymax = ax.get_ylim()
    return (0.0 - ymin) / (ymax - ymin)


def _finish(ax: Axes, lo: float, hi: float, rows: int, *, top: float) -> None:
    """Year axis, y range with room for ``rows`` strips below zero, spine up to ``top``."""
    ax.set_xlim(lo, hi)
    year_axis(ax.xaxis)
    ax.set_xlabel("Year")
    ax.set_ylim(-(rows + 0.3) * _STRIP * top, top * 1.02)
    ax.spines["left"].set_bounds(0, top)
    ax.axhline(0, color="black", lw=0.4, zorder=0)
