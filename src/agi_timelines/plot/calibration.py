"""The calibration figure.

Observed frontier runs with the fitted trend and its posterior-predictive band (from
:func:`agi_timelines.calibrate`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.legend_handler import HandlerTuple
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .._checks import check_probs
from ..constants import REFERENCE_RUNS
from ._common import closes_on_error, label_run, new_axes, year_axis
from ._style import COLORS, styled

if TYPE_CHECKING:
    from matplotlib.artist import Artist

__all__ = ["calibration"]

_ALPHAS = {1: [0.3], 2: [0.15, 0.32], 3: [0.1, 0.2, 0.35]}


@closes_on_error
def calibration(
    cal: Any,
    ax: Axes | None = None,
    *,
    probs: Any = (0.5, 0.9),
    points: int = 120,
    label_runs: bool = True,
) -> tuple[Any, Axes]:
    """Frontier training runs against the calibrated trend and its posterior-predictive band.

    Draws the observed runs (log10 FLOP against date), the median trend with its central
    90% band (uncertainty of the line), and the posterior-predictive bands (where a new
    frontier run would fall: trend plus Student-t scatter, mixed over every posterior
    draw; computed by :meth:`Calibration.predictive_quantiles
    <agi_timelines.Calibration.predictive_quantiles>` without Monte Carlo noise, so the
    bands are smooth and reproducible).  GPT-2, GPT-3 and GPT-4 are labelled when their
    dates are in the fitted range.

    Parameters
    ----------
    cal : agi_timelines.calibrate.Calibration
        The calibration (also one loaded from disk: only its ``tree`` is used).
    ax : matplotlib.axes.Axes, optional
        Axes to draw into.
    probs : sequence of float
        Masses of the posterior-predictive bands (1 to 3 values in (0, 1)).
    points : int
        Dates at which the bands are evaluated, across the fitted range (20 to 2000).
    label_runs : bool
        Label GPT-2, GPT-3 and GPT-4.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from agi_timelines import plot
    >>> from agi_timelines.calibrate import calibrate
    >>> import warnings
    >>> with warnings.catch_warnings():  # a short fit may not pass every convergence check
    ...     warnings.simplefilter("ignore")
    ...     cal = calibrate(draws=200, chains=2, tune=200, seed=1)
    >>> fig, ax = plot.calibration(cal)
    >>> plt.close(fig)
    """
    from ..calibrate import Calibration

    tree = _tree(cal)
    fit = cal if isinstance(cal, Calibration) else Calibration(tree=tree)
    probs = check_probs("probs", probs)
    if isinstance(points, bool) or not isinstance(points, int) or not 20 <= points <= 2000:
        raise ValueError(f"points must be an integer in [20, 2000], got {points!r}")
    date = tree["constant_data"]["date"].values.astype(float)
    observed = tree["observed_data"]["log10_flop"].values.astype(float)
    pad = 0.02 * (date.max() - date.min())
    grid = np.linspace(date.min() - pad, date.max() + pad, points)
    trend_lo, trend_mid, trend_hi = np.quantile(fit.trend(grid), [0.05, 0.5, 0.95], axis=0)
    levels = [q for p in probs[::-1] for q in ((1 - p) / 2, (1 + p) / 2)]
    bands = fit.predictive_quantiles(grid, levels).reshape(len(probs), 2, len(grid))
    slope = tree["posterior"]["slope"].values.ravel()
    s_lo, s_mid, s_hi = np.quantile(slope, [0.05, 0.5, 0.95])
    with styled():
        fig, ax = new_axes(ax)
        color = COLORS["forecast"]
        fills = []
        for (lo, hi), alpha in zip(bands, _ALPHAS[len(probs)], strict=True):
            fills.append(ax.fill_between(grid, lo, hi, color=color, alpha=alpha, lw=0))
        trend_band = ax.fill_between(grid, trend_lo, trend_hi, color=color, alpha=0.6, lw=0)
        (line,) = ax.plot(grid, trend_mid, color=color, lw=1.0)
        runs = ax.scatter(date, observed, s=6, color=COLORS["data"], lw=0, zorder=3)
        if label_runs:
            for name, (year, flop) in REFERENCE_RUNS.items():
                if grid[0] <= year <= grid[-1]:
                    label_run(ax, year, math.log10(flop), name, dx=-3)
        key = ", ".join(f"{p:.0%}" for p in probs)
        handles: list[tuple[Artist | tuple[Artist, ...], str]] = [
            (runs, f"frontier runs ({len(date)})"),
            ((trend_band, line), "trend: median, 90%"),
            (tuple(fills), f"predictive: {key}"),
        ]
        ax.legend(
            [h for h, _ in handles],
            [lab for _, lab in handles],
            loc="upper left",
            handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
            markerscale=1.8,
        )
        which = "recent slope" if "break_year" in tree["posterior"] else "slope"
        ax.set_title(
            f"{which} {s_mid:.2f} OOM/yr ({10**s_mid:.1f}x/yr), 90%: {s_lo:.2f}-{s_hi:.2f}",
            fontsize="small",
            color=COLORS["muted"],
        )
        ax.set_xlim(grid[0], grid[-1])
        year_axis(ax.xaxis)
        ax.set_xlabel("Publication date")
        ax.set_ylabel("Training compute (FLOP)")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"$10^{{{v:.0f}}}$"))
    return fig, ax


def _tree(cal: Any) -> Any:
    tree = getattr(cal, "tree", None)
    needed = ("posterior", "observed_data", "constant_data")
    if tree is None or any(g not in tree.children for g in needed):
        raise ValueError(
            "cal must be an agi_timelines.calibrate.Calibration (groups posterior, "
            f"observed_data, constant_data), got {type(cal).__name__}"
        )
    return tree
