"""Effective compute over time: the fan chart, the growth axes' contributions, error bars.

All three work on ``fc.trajectory(years)`` (E(t) per draw, OOMs above the reference run)
and on per-axis gains (:func:`agi_timelines.model.contributions`) from ``fc.parameters()``.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.legend_handler import HandlerTuple
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import stats
from .._checks import check_bool, check_prob, check_probs
from ..constants import REFERENCE_RUNS
from ..model import contributions as model_contributions
from ._common import (
    check_forecast,
    closes_on_error,
    intervals,
    label_run,
    new_axes,
    reference_name,
    requirement_draws,
    year_axis,
    year_grid,
)
from ._style import COLORS, styled

if TYPE_CHECKING:
    from ..result import Forecast

__all__ = ["axes_stack", "error_bars", "fan"]

_ALPHAS = {1: [0.3], 2: [0.18, 0.38], 3: [0.12, 0.25, 0.4]}
"""Band opacity by number of bands, widest first."""


@closes_on_error
def fan(
    fc: Forecast,
    ax: Axes | None = None,
    *,
    years: Any = None,
    probs: Any = (0.5, 0.9),
    requirement: bool = True,
    shade_wall: bool = True,
    runs: bool = True,
    flop_axis: bool = True,
) -> tuple[Any, Axes]:
    """Fan chart of effective compute E(t) against the requirement.

    Draws the median of E(t) (OOMs above the reference run) with central bands, the
    requirement's median and bands as horizontal bands, where the data wall binds (grey
    shade, darker where more draws have hit the wall), frontier training runs with GPT-2,
    GPT-3, GPT-4 and the largest later run labelled (physical FLOP, Epoch AI data), and a
    secondary axis in effective FLOP.

    Parameters
    ----------
    fc : Forecast
        The forecast.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into.
    years : array_like, optional
        Increasing decimal years within ``[reference.year, horizon]`` (default: the
        reference year to 2050, four points a year).
    probs : sequence of float
        Masses of the central bands (1 to 3 values in (0, 1)).
    requirement : bool
        Draw the requirement bands.
    shade_wall : bool
        Shade where the data wall binds (when the scenario has the wall on).
    runs : bool
        Draw the observed frontier runs (from :func:`agi_timelines.frontier_runs`).
    flop_axis : bool
        Add a right-hand axis in effective FLOP.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> import agi_timelines as agt, matplotlib.pyplot as plt
    >>> from agi_timelines import plot
    >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=2000, seed=0)
    >>> fig, ax = plot.fan(fc, years=range(2024, 2041))
    >>> ax.get_ylabel()
    'Effective compute (OOMs above GPT-4)'
    >>> plt.close(fig)
    """
    fc = check_forecast(fc)
    probs = check_probs("probs", probs)
    shade_wall = check_bool("shade_wall", shade_wall)
    grid = year_grid(fc, years)
    scn = fc.scenario
    t0 = scn.reference.year
    log10_ref = math.log10(scn.reference.flop)
    levels = [q for p in probs for q in ((1 - p) / 2, (1 + p) / 2)] + [0.5]
    q = fc.effective_ooms(grid, levels).values.T  # bounded memory, cached on the forecast
    bands = q[:-1].reshape(len(probs), 2, len(grid))
    median = q[-1]
    with styled():
        fig, ax = new_axes(ax)
        color = COLORS["forecast"]
        key = ", ".join(f"{p:.0%}" for p in probs)
        handles: list[Any] = []
        fills = []
        for (lo, hi), alpha in zip(bands[::-1], _ALPHAS[len(probs)], strict=True):
            fills.append(ax.fill_between(grid, lo, hi, color=color, alpha=alpha, lw=0))
        (line,) = ax.plot(grid, median, color=color)
        handles.append(((*fills, line), "effective compute"))
        if requirement:
            handles.append((_requirement_bands(ax, fc, probs), "AGI requirement"))
        x_lo = t0
        if runs:
            start = math.floor(min(REFERENCE_RUNS["GPT-2"][0], t0)) - 1
            handles.append(
                (_frontier(ax, fc, start=start, end=grid[-1]), "frontier runs (physical)")
            )
            x_lo = start
        ax.set_xlim(x_lo, grid[-1])
        if shade_wall and scn.data_wall.enabled and "wall_year" in fc.draws:
            handles.append(_wall_shade(ax, fc, grid))
        year_axis(ax.xaxis)
        ax.set_xlabel("Year")
        ax.set_ylabel(f"Effective compute (OOMs above {reference_name(fc)})")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.axhline(0, color=COLORS["muted"], lw=0.4, zorder=0)
        if flop_axis:
            _flop_axis(ax, log10_ref)
        ax.legend(
            [h for h, _ in handles],
            [lab for _, lab in handles],
            loc="lower right",
            handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
            handlelength=2.0,
            markerscale=1.8,
            title=f"median; {key} bands",
            title_fontsize="small",
        )
    return fig, ax


@closes_on_error
def axes_stack(
    fc: Forecast,
    ax: Axes | None = None,
    *,
    years: Any = None,
    prob: float = 0.9,
    kind: str = "bands",
) -> tuple[Any, Axes]:
    """Return what each growth axis contributes to E(t), and what the data wall takes away.

    Contributions are OOMs above the reference run: physical compute (or spending and
    hardware when compute is split), algorithms, unhobbling, and the wall's loss
    ``E(t) with the wall − E(t) without it`` (<= 0; only when the scenario's wall is on).

    Parameters
    ----------
    fc : Forecast
        The forecast.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into.
    years : array_like, optional
        Decimal years (default: the reference year to 2050, four points a year).
    prob : float
        Mass of the central band around each median (``kind="bands"``).
    kind : {"bands", "stacked"}
        ``"bands"``: each contribution's median and central ``prob`` band, on one axes
        (the total's median in black).  ``"stacked"``: stacked *means* of the
        contributions (means add up, so the stack's top is the mean of E(t), drawn in
        black; medians would not add up).

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> import agi_timelines as agt, matplotlib.pyplot as plt
    >>> from agi_timelines import plot
    >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=2000, seed=0)
    >>> fig, ax = plot.axes_stack(fc, years=range(2024, 2041))
    >>> sorted(t.get_text() for t in ax.get_legend().get_texts())[:3]
    ['algorithms', 'compute', 'data wall (loss)']
    >>> plt.close(fig)
    """
    fc = check_forecast(fc)
    prob = check_prob("prob", prob)
    if kind not in ("bands", "stacked"):
        raise ValueError(f'kind must be "bands" or "stacked", got {kind!r}')
    grid = year_grid(fc, years)
    levels = [(1 - prob) / 2, (1 + prob) / 2, 0.5] if kind == "bands" else []

    def parts_and_total(t: np.ndarray) -> dict[str, np.ndarray]:
        parts = contributions(fc, t)
        total = functools.reduce(operator.add, parts.values())  # a + b + ..., in order
        return parts | {"total E(t)": total}

    stats = _chunked(grid, fc.arrival.size, parts_and_total, levels)
    total = stats.pop("total E(t)")
    colors = {a.label: a.color for a in fc.scenario.structure().axis_specs}
    with styled():
        fig, ax = new_axes(ax)
        if kind == "bands":
            for name, st in stats.items():
                color = colors.get(name, COLORS["wall"])
                ax.fill_between(grid, st["q"][0], st["q"][1], color=color, alpha=0.18, lw=0)
                ax.plot(grid, st["q"][2], color=color, label=name)
            ax.plot(grid, total["q"][2], color="black", lw=1.0, label="total E(t)")
            title = f"medians and central {prob:.0%} bands"
        else:
            pos = {k: v["mean"] for k, v in stats.items() if not k.startswith("data")}
            ax.stackplot(
                grid,
                *pos.values(),
                labels=list(pos),
                colors=[colors[k] for k in pos],
                alpha=0.75,
                lw=0,
            )
            for name, st in stats.items():
                if name.startswith("data"):
                    ax.fill_between(
                        grid,
                        st["mean"],
                        0,
                        color=COLORS["wall"],
                        alpha=0.45,
                        lw=0,
                        label=name,
                    )
            ax.plot(grid, total["mean"], color="black", lw=1.0, label="total E(t)")
            title = "means (stacked: they add up to the mean of E(t))"
        ax.axhline(0, color="black", lw=0.4, zorder=0)
        ax.set_xlim(grid[0], grid[-1])
        year_axis(ax.xaxis)
        ax.set_xlabel("Year")
        ax.set_ylabel(f"OOMs above {reference_name(fc)}")
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncols=3,
            borderaxespad=0.1,
            columnspacing=1.0,
            handlelength=1.4,
            title=title,
            title_fontsize="small",
            alignment="left",
        )
    return fig, ax


@closes_on_error
def error_bars(
    fc: Forecast,
    ax: Axes | None = None,
    *,
    prob: float = 0.9,
    years: Any = None,
) -> tuple[Any, Axes]:
    """How the data wall widens the error bars.

    Width of the central ``prob`` interval of E(t), with the wall on and off, from the same draws.

    The legend gives each case's arrival-year interval.

    Parameters
    ----------
    fc : Forecast
        A forecast of a scenario with ``data_wall.enabled = true``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into.
    prob : float
        Mass of the central interval.
    years : array_like, optional
        Decimal years (default: the reference year to 2050, four points a year).

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Raises
    ------
    ValueError
        If the scenario has the data wall switched off (nothing to compare).

    Examples
    --------
    >>> import agi_timelines as agt, matplotlib.pyplot as plt
    >>> from agi_timelines import plot
    >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=2000, seed=0)
    >>> fig, ax = plot.error_bars(fc, years=range(2024, 2041))
    >>> [line.get_label().split(" (")[0] for line in ax.get_lines()]
    ['wall on', 'wall off']
    >>> plt.close(fig)
    """
    fc = check_forecast(fc)
    prob = check_prob("prob", prob)
    if not fc.scenario.data_wall.enabled:
        raise ValueError(
            "error_bars compares the data wall on and off, but this scenario has "
            "data_wall.enabled = false"
        )
    grid = year_grid(fc, years)
    width = fc.error_bars(prob, grid)["ooms_width"]
    horizon = fc.scenario.horizon
    with styled():
        fig, ax = new_axes(ax)
        styles = {"on": (COLORS["wall"], "-"), "off": (COLORS["wall_off"], "--")}
        for case in ("on", "off"):
            lo, hi = fc.arrival_interval(prob, wall=case == "on")
            span = f"{_yr(lo, horizon)} to {_yr(hi, horizon)}"
            color, ls = styles[case]
            ax.plot(
                grid,
                width.sel(wall=case).values,
                color=color,
                ls=ls,
                label=f"wall {case} (arrival {prob:.0%} interval: {span})",
            )
        on, off = width.sel(wall="on").values, width.sel(wall="off").values
        ax.fill_between(grid, off, on, color=COLORS["wall"], alpha=0.15, lw=0)
        ax.set_xlim(grid[0], grid[-1])
        ax.set_ylim(bottom=0)
        year_axis(ax.xaxis)
        ax.set_xlabel("Year")
        ax.set_ylabel(f"Width of {prob:.0%} interval of E(t) (OOMs)")
        ax.legend(loc="lower right", handlelength=2.0)
    return fig, ax


# -- data --------------------------------------------------------------------------------------
def contributions(fc: Forecast, years: np.ndarray) -> dict[str, np.ndarray]:
    """Per-draw contributions to E(t), OOMs, each of shape ``(len(years), draws)``.

    Keys: each growth axis's label (``compute``, or ``spending`` and ``hardware`` when
    compute is split, ``algorithms``, ``unhobbling``) and, when the scenario's wall is on,
    ``data wall (loss)`` (``E with wall − E without``, <= 0); see
    :func:`agi_timelines.model.contributions`.
    """
    scn = fc.scenario
    shape = scn.structure()
    with_wall = fc.trajectory(years, wall=True) if shape.wall else None
    return model_contributions(shape, fc.parameters(), years, scn.reference.year, with_wall)


_CHUNK_ELEMENTS = 4_000_000
"""Years x draws evaluated at once (32 MB per float64 array): bounds memory for big runs."""


def _chunked(
    years: np.ndarray,
    draws: int,
    values: Callable[[np.ndarray], dict[str, np.ndarray]],
    levels: Sequence[float],
) -> dict[str, dict[str, np.ndarray]]:
    """Return per-year quantiles and means of each array ``values(years_chunk)`` returns.

    Quantiles under ``"q"``, shape ``(len(levels), len(years))``, means under ``"mean"``; computed a
    few years at a time.
    """
    step = max(1, _CHUNK_ELEMENTS // max(draws, 1))
    out: dict[str, dict[str, list[np.ndarray]]] = {}
    for start in range(0, len(years), step):
        for name, arr in values(years[start : start + step]).items():
            slot = out.setdefault(name, {"q": [], "mean": []})
            if levels:
                slot["q"].append(np.quantile(arr, levels, axis=1))
            slot["mean"].append(arr.mean(axis=1))
    return {
        name: {
            "q": np.concatenate(slot["q"], axis=1) if levels else np.empty((0, len(years))),
            "mean": np.concatenate(slot["mean"]),
        }
        for name, slot in out.items()
    }


# -- pieces ------------------------------------------------------------------------------------
def _yr(year: float, horizon: float) -> str:
    return f">{horizon:g}" if math.isinf(year) else f"{year:.0f}"


def _requirement_bands(ax: Axes, fc: Forecast, probs: tuple[float, ...]) -> tuple[Any, ...]:
    """Horizontal bands and a dashed median of the requirement; returns legend handles."""
    req = requirement_draws(fc)
    color = COLORS["requirement"]
    spans = []
    if np.ptp(req) > 0:
        for (lo, hi), alpha in zip(intervals(req, probs)[::-1], _ALPHAS[len(probs)], strict=True):
            spans.append(ax.axhspan(lo, hi, color=color, alpha=alpha * 0.6, lw=0, zorder=0))
    line = ax.axhline(float(np.median(req)), color=color, lw=0.9, ls="--", zorder=1)
    return (*spans, line)


def _frontier(ax: Axes, fc: Forecast, *, start: float, end: float) -> Any:
    """Observed frontier runs (physical FLOP) from ``start``.

    Labels GPT-2/3/4 and the largest later run.  Returns the scatter (legend handle).
    """
    from ..data import frontier_runs

    log10_ref = math.log10(fc.scenario.reference.flop)
    runs = frontier_runs()
    runs = runs[(runs["date"] >= start) & (runs["date"] <= end)]
    dots = ax.scatter(
        runs["date"],
        runs["log10_flop"] - log10_ref,
        s=5,
        color=COLORS["data"],
        alpha=0.55,
        lw=0,
        zorder=2,
    )
    named = {name: (year, math.log10(flop)) for name, (year, flop) in REFERENCE_RUNS.items()}
    later = runs[runs["date"] > fc.scenario.reference.year + 0.5]
    if len(later):
        top = later.iloc[int(np.argmax(later["log10_flop"].to_numpy()))]
        named[str(top["model"])] = (float(top["date"]), float(top["log10_flop"]))
    for name, (year, lflop) in named.items():
        if not start <= year <= end:
            continue
        label_run(ax, year, lflop - log10_ref, name)
    return dots


def _wall_shade(ax: Axes, fc: Forecast, grid: np.ndarray) -> tuple[Any, str]:
    """Grey shade, darker where more draws have hit the data wall by year t.

    Returns a legend handle and label.
    """
    wall_year = fc.draws["wall_year"].values.ravel()
    x = np.linspace(*ax.get_xlim(), 200)
    share = stats.prob_by(wall_year, x)
    rgb = to_rgb(COLORS["wall"])
    cmap = LinearSegmentedColormap.from_list("wall", [(*rgb, 0.0), (*rgb, 0.3)])
    ax.pcolormesh(
        np.append(x, x[-1] + (x[-1] - x[-2])) - (x[1] - x[0]) / 2,
        [0, 1],
        share[None, :],
        cmap=cmap,
        vmin=0,
        vmax=1,
        shading="flat",
        transform=ax.get_xaxis_transform(),
        zorder=0,
        rasterized=True,
    )
    end = float(grid[-1])
    by_end = float(np.mean(wall_year <= end))
    patch = Patch(color=COLORS["wall"], alpha=0.25, lw=0)
    return patch, f"data wall hit: {by_end:.0%} by {end:.0f}"


def _flop_axis(ax: Axes, log10_ref: float) -> None:
    sec = ax.secondary_yaxis(
        "right",
        functions=(lambda e: np.asarray(e) + log10_ref, lambda f: np.asarray(f) - log10_ref),
    )
    sec.yaxis.set_major_locator(MaxNLocator(integer=True))
    sec.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"$10^{{{v:.0f}}}$"))
    sec.set_ylabel("Effective FLOP")
