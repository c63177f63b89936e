"""The claim of the library in one figure: how the error bars widen when the data wall bites.

:func:`data_wall` draws, from one forecast's draws (common random numbers), the arrival-year
distribution with the data wall and with it switched off -- the probability the wall moves
later shaded between the two curves, the 50% and 90% intervals as bars under them -- above
the effective-compute fan with and without the wall, the requirement band and the region
where the wall binds.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .._checks import check_probs
from ._common import check_forecast, closes_on_error, year_grid
from ._style import COLORS, ONE_COLUMN_IN, styled
from .arrival import (
    _STRIP,
    _censored_bracket,
    _finish,
    _strip,
    _strip_handles,
    _xlim,
    _zero_frac,
)
from .trajectory import fan

if TYPE_CHECKING:
    from ..result import Forecast

__all__ = ["data_wall"]

_ON = COLORS["forecast"]
_OFF = COLORS["wall_off"]


@closes_on_error
def data_wall(
    fc: Forecast,
    *,
    probs: Any = (0.5, 0.9),
    years: Any = None,
    xlim: tuple[float, float] | None = None,
) -> tuple[Any, np.ndarray]:
    """How the data wall widens the error bars.

    Arrival year and effective compute, wall on and off, from the same draws.

    Top panel: P(AGI has arrived by year t) with the wall (solid) and without it (dashed);
    the shaded area between them is the probability the wall moves later.  Under the curves
    one strip each marks the median (dot) and the central intervals (thick: the first of
    ``probs``, thin: the second), and the legend gives the widths of the first interval both
    ways (an end in the censored mass, no arrival by the horizon, is an arrow).  Bottom
    panel: :func:`~agi_timelines.plot.fan` of E(t) with the wall (bands, requirement,
    shaded where the wall binds) and, dashed, the median and outer band without it.

    Parameters
    ----------
    fc : Forecast
        A forecast of a scenario with ``data_wall.enabled = true``.
    probs : sequence of float
        Masses of the central intervals and bands (1 to 3 values in (0, 1)).
    years : array_like, optional
        Years of the fan (default: the reference year to 2050, two points a year).
    xlim : (float, float), optional
        Year range of the arrival panel (default: up to the year by which almost every
        arriving draw has arrived, at most the horizon).

    Returns
    -------
    (matplotlib.figure.Figure, numpy.ndarray of Axes)
        The figure and its two axes ``[arrival, fan]``.

    Raises
    ------
    ValueError
        If the scenario has the data wall switched off (nothing to compare).

    Examples
    --------
    >>> import agi_timelines as agt, matplotlib.pyplot as plt
    >>> from agi_timelines import plot
    >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=4000, seed=0)
    >>> fig, (top, bottom) = plot.data_wall(fc)
    >>> top.get_ylabel(), bottom.get_xlabel()
    ('P(arrived by year)', 'Year')
    >>> plt.close(fig)
    """
    fc = check_forecast(fc)
    probs = check_probs("probs", probs)
    off = fc.without_wall()  # raises when the wall is off
    grid = year_grid(fc, years, per_year=2)  # two bands a year: smooth, and half the cost
    with styled():
        fig, axes = plt.subplots(
            2,
            1,
            figsize=(ONE_COLUMN_IN, 5.4),
            height_ratios=(1.0, 1.15),
            layout="constrained",
        )
        top, bottom = axes
        _arrival_panel(top, fc, off, probs, xlim)
        _fan_panel(bottom, fc, grid, probs)
        top.set_title("a   When AGI arrives", loc="left", fontweight="bold")
        bottom.set_title("b   Effective compute", loc="left", fontweight="bold")
    return fig, axes


def _arrival_panel(
    ax: Axes, fc: Forecast, off: Forecast, probs: tuple[float, ...], xlim: Any
) -> None:
    lo, hi = _xlim([("on", fc), ("off", off)], xlim)
    scn = fc.scenario
    grid = np.linspace(scn.reference.year, min(hi, scn.horizon), 1500)
    cdf_on, cdf_off = fc.cdf(grid).values, off.cdf(grid).values
    ax.fill_between(
        grid, cdf_on, cdf_off, step="post", color=COLORS["wall"], alpha=0.2, lw=0, zorder=1
    )
    ax.plot(grid, cdf_off, color=_OFF, ls="--", drawstyle="steps-post", zorder=2)
    ax.plot(grid, cdf_on, color=_ON, drawstyle="steps-post", zorder=3)
    for row, (case, color) in enumerate(((fc, _ON), (off, _OFF))):
        _strip(ax, case, probs, y=-(row + 0.8) * _STRIP, color=color, xmax=hi)
    _finish(ax, lo, hi, 2, top=1.0)
    for row, (case, color) in enumerate(((fc, _ON), (off, _OFF))):
        _censored_bracket(ax, case, color, offset=row, annotate=False)
    ax.axhline(1.0, color=COLORS["muted"], lw=0.5, ls=":", zorder=0)
    ax.set_ylabel("P(arrived by year)")
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_yticklabels(["0", "0.25", "0.5", "0.75", "1"])
    first = probs[0]
    widths = [_width(case, first) for case in (fc, off)]
    shift = float(np.mean(fc.arrival_draws(True) > fc.arrival_draws(False)))
    handles = [
        Line2D([], [], color=_ON, label=f"wall on: {first:.0%} interval {widths[0]}"),
        Line2D([], [], color=_OFF, ls="--", label=f"wall off: {widths[1]}"),
        Patch(color=COLORS["wall"], alpha=0.3, lw=0, label=f"delayed by the wall ({shift:.0%})"),
    ]
    ax.legend(
        handles=handles + _strip_handles(probs),
        loc="lower right",
        bbox_to_anchor=(1.0, _zero_frac(ax)),
        title="same draws",
        title_fontsize="small",
    )


def _fan_panel(ax: Axes, fc: Forecast, grid: np.ndarray, probs: tuple[float, ...]) -> None:
    fan(fc, ax, years=grid, probs=probs)
    outer = max(probs)
    bands = fc.effective_ooms(grid, ((1 - outer) / 2, 0.5, (1 + outer) / 2), wall=False).values
    ax.plot(grid, bands[:, 1], color=_OFF, ls="--", lw=1.0, zorder=4)
    for k in (0, 2):
        ax.plot(grid, bands[:, k], color=_OFF, ls=":", lw=0.9, zorder=4)
    fan_legend = ax.get_legend()
    ax.legend(
        handles=[
            Line2D([], [], color=_OFF, ls="--", lw=1.0, label="median"),
            Line2D([], [], color=_OFF, ls=":", lw=0.9, label=f"{outer:.0%} band"),
        ],
        loc="upper left",
        title="wall off",
        title_fontsize="small",
    )
    if fan_legend is not None:
        ax.add_artist(fan_legend)


def _width(fc: Forecast, prob: float) -> str:
    lo, hi = fc.interval(prob)
    if math.isinf(hi):
        return f"{lo:.1f} to after {fc.scenario.horizon:g}"
    return f"{hi - lo:.1f} yr"
