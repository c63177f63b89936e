"""Helpers shared by the plotting modules: axes, year ticks, inputs, the requirement."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeGuard

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from ..constants import REFERENCE_RUNS

if TYPE_CHECKING:
    from ..result import Forecast


def closes_on_error[F: Callable[..., Any]](func: F) -> F:
    """Close the figures ``func`` opened if it raises: a failed plot leaves nothing open."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        before = set(plt.get_fignums())
        try:
            return func(*args, **kwargs)
        except BaseException:
            for num in set(plt.get_fignums()) - before:
                plt.close(num)
            raise

    return wrapper  # type: ignore[return-value]


def label_run(ax: Axes, x: float, y: float, name: str, dx: float = -2) -> None:
    """Mark a labelled reference run (open circle, name up and to the left by ``dx`` pt)."""
    ax.plot(x, y, "o", mfc="white", mec="black", mew=0.8, ms=3.5, zorder=4)
    ax.annotate(
        name,
        xy=(x, y),
        xytext=(dx, 3),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize="small",
    )


def new_axes(
    ax: Axes | None, figsize: tuple[float, float] | None = None, layout: str | None = None
) -> tuple[Any, Axes]:
    """``(figure, ax)``: the given axes' figure, or a new one-panel figure."""
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout=layout)
        return fig, ax
    if not isinstance(ax, Axes):
        raise ValueError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax.figure, ax


def year_axis(axis: Any, nbins: int | Literal["auto"] = "auto") -> None:
    """Integer years on ``axis`` (``ax.xaxis``): ``2030``, never ``2.03e3`` or ``2030.0``."""
    axis.set_major_locator(MaxNLocator(nbins=nbins, integer=True, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(StrMethodFormatter("{x:.0f}"))


def fmt_year(year: float, horizon: float | None = None) -> str:
    """Return a year for labels: ``2031``, or ``>2100`` when censored."""
    if math.isinf(year):
        return f">{horizon:g}" if horizon is not None else "never"
    return f"{year:.0f}"


def as_forecasts(
    forecasts: Forecast | Sequence[Forecast] | Mapping[str, Forecast],
    labels: Sequence[str] | None = None,
) -> list[tuple[str, Forecast]]:
    """Return ``[(label, forecast)]`` from one or several forecasts.

    ``forecasts`` is one forecast, a sequence, a ``{label: forecast}`` dict or a
    :class:`~agi_timelines.Comparison` (its ``forecasts``).
    """
    if isinstance(getattr(forecasts, "forecasts", None), Mapping):
        forecasts = forecasts.forecasts  # type: ignore[union-attr]
    items: list[tuple[Any, Any]]  # checked below
    if is_forecast(forecasts):
        items = [(forecasts.scenario.name, forecasts)]
    elif isinstance(forecasts, Mapping):
        items = [(str(k), v) for k, v in forecasts.items()]
    elif isinstance(forecasts, Iterable) and not isinstance(forecasts, str | bytes):
        items = [(getattr(f, "scenario", None) and f.scenario.name, f) for f in forecasts]
    else:
        raise ValueError(
            "forecasts must be a Forecast, a sequence of Forecasts or a {name: Forecast} "
            f"dict, got {type(forecasts).__name__}"
        )
    if not items:
        raise ValueError("forecasts is empty: give at least one Forecast")
    for label, fc in items:
        if not is_forecast(fc):
            raise ValueError(
                f"forecasts: {label!r} is a {type(fc).__name__}, not an agi_timelines Forecast"
            )
    if labels is not None:
        labels = list(labels)
        if len(labels) != len(items):
            raise ValueError(f"labels: got {len(labels)} labels for {len(items)} forecasts")
        items = [(str(lab), fc) for lab, (_, fc) in zip(labels, items, strict=True)]
    names = [lab for lab, _ in items]
    if len(set(names)) < len(names):
        # same scenario name twice: number them rather than hide one
        items = [(f"{lab} ({i + 1})", fc) for i, (lab, fc) in enumerate(items)]
    return items


def is_forecast(obj: Any) -> TypeGuard[Forecast]:
    """Whether ``obj`` is an :class:`~agi_timelines.Forecast` (or behaves as one).

    Checked by the class's attributes, not by ``isinstance``: the plots import
    :class:`~agi_timelines.Forecast` for typing only, so that the result module may import
    them (its ``fc.plot`` accessor) without an import cycle.
    """
    cls = type(obj)
    return all(hasattr(cls, a) for a in ("arrival", "scenario", "draws", "cdf", "quantile"))


def check_forecast(fc: Any, name: str = "fc") -> Forecast:
    """``fc`` if it is a forecast; ``ValueError`` naming ``name`` otherwise."""
    if not is_forecast(fc):
        raise ValueError(f"{name} must be an agi_timelines Forecast, got {type(fc).__name__}")
    return fc


def year_grid(fc: Forecast, years: Any, end: float = 2050.0, per_year: int = 4) -> np.ndarray:
    """Years to evaluate trajectories at.

    ``years`` checked against the scenario, or a default grid from the reference year to ``min(end,
    horizon)``, ``per_year`` points/yr.
    """
    scn = fc.scenario
    t0, horizon = scn.reference.year, scn.horizon
    if years is None:
        stop = min(end, horizon)
        n = max(2, round((stop - t0) * per_year) + 1)
        return np.linspace(t0, stop, n)
    out = np.atleast_1d(np.asarray(years, dtype=float))
    if out.ndim != 1 or out.size < 2 or not np.all(np.isfinite(out)):
        raise ValueError("years must be at least two finite decimal years")
    if np.any(np.diff(out) <= 0):
        raise ValueError("years must be strictly increasing")
    if out[0] < t0 or out[-1] > horizon:
        raise ValueError(
            f"years must lie in [reference.year, horizon] = [{t0:g}, {horizon:g}], "
            f"got {out[0]:g} to {out[-1]:g}"
        )
    return out


def requirement_draws(fc: Forecast) -> np.ndarray:
    """Return the requirement per draw, OOMs above the reference (point masses broadcast)."""
    scn = fc.scenario
    route = scn.structure().route_spec
    if route.solver is None:  # from several draws: converted per draw by the forecast
        return np.asarray(fc.draws["requirement"].values.ravel(), dtype=float)
    p = fc.parameters()
    values = route.convert(p, math.log10(scn.reference.flop), None)["requirement"]
    return np.asarray(values, dtype=float)


def reference_name(fc: Forecast) -> str:
    """``GPT-4`` when the reference is a known run, else ``the 2023 reference run``."""
    ref = fc.scenario.reference
    for name, (year, flop) in REFERENCE_RUNS.items():
        if abs(year - ref.year) < 0.05 and math.isclose(flop, ref.flop, rel_tol=1e-6):
            return name
    return f"the {ref.year:.0f} reference run"


def intervals(values: np.ndarray, probs: Sequence[float], axis: int = -1) -> np.ndarray:
    """Return central intervals ``(len(probs), 2, ...)`` from interpolated quantiles.

    For finite data, for smooth bands over a grid.
    """
    levels = [q for p in probs for q in ((1 - p) / 2, (1 + p) / 2)]
    out = np.quantile(values, levels, axis=axis)
    return out.reshape(len(probs), 2, *out.shape[1:])
