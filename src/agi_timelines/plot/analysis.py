"""Figures of the analysis outputs: the sensitivity tornado and the sweep heat map.

:func:`tornado` draws :func:`agi_timelines.sensitivity`'s Dataset;
:func:`sweep_heatmap` draws :func:`agi_timelines.sweep`'s.  Censored results (a median
past the horizon) are drawn as such, never clipped to the horizon.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import matplotlib as mpl
import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ._common import closes_on_error, new_axes, year_axis
from ._style import COLORS, PALETTE, styled

__all__ = ["sweep_heatmap", "tornado"]

_METRICS = {
    "median": ("median_arrival", "median_arrival_base"),
    "p_arrived": ("p_arrived", "p_arrived_base"),
}


@closes_on_error
def tornado(
    ds: xr.Dataset,
    ax: Axes | None = None,
    *,
    metric: str = "median",
    top: int = 12,
    s1: bool = True,
) -> tuple[Any, Axes]:
    """Tornado chart of a sensitivity run: each assumption fixed low / high, others uncertain.

    One row per parameter (most important on top, in the Dataset's order), a bar from the
    unchanged forecast's value to the value with the parameter fixed at its low (blue)
    and at its high (vermillion) percentile.  A median past the horizon (censored) is a
    bar to the right edge ending in an arrow and labelled ``>2100``.  With ``s1=True`` a
    column at the right gives each parameter's global first-order index.

    Parameters
    ----------
    ds : xarray.Dataset
        The output of :func:`agi_timelines.sensitivity`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into (default: a new figure, taller with more rows).
    metric : {"median", "p_arrived"}
        Median arrival year, or P(arrived by the Dataset's ``year`` attribute).
    top : int
        Rows to draw (the first ``top`` parameters, >= 1).
    s1 : bool
        Write the global first-order index ``s1`` at the right of each row.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> import agi_timelines as agt, matplotlib.pyplot as plt
    >>> from agi_timelines import plot
    >>> from agi_timelines.sensitivity import sensitivity
    >>> ds = sensitivity(agt.Scenario.preset("aschenbrenner-2024"), draws=2000, seed=0)
    >>> fig, ax = plot.tornado(ds, top=5)
    >>> len(ax.get_yticklabels())
    5
    >>> plt.close(fig)
    """
    _require(ds, ("median_arrival", "p_arrived", "value", "s1"), "tornado", "sensitivity")
    if metric not in _METRICS:
        raise ValueError(f"metric must be one of {tuple(_METRICS)}, got {metric!r}")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be an integer >= 1, got {top!r}")
    var, base_var = _METRICS[metric]
    ds = ds.isel(parameter=slice(0, top))
    names = [str(p) for p in ds["parameter"].values]
    base = float(ds[base_var])
    horizon = _horizon(ds)
    values = ds[var].transpose("parameter", "setting").values
    finite = values[np.isfinite(values)]
    span = max(np.ptp(np.append(finite, base)), 1e-9 if metric == "p_arrived" else 0.5)
    right_edge = max(finite.max(initial=base), base) + 0.12 * span
    left_edge = min(finite.min(initial=base), base) - 0.12 * span
    if metric == "p_arrived":
        left_edge, right_edge = max(left_edge, -0.02), min(right_edge, 1.02)
    pct = {s: float(p) for s, p in zip(ds["setting"].values, ds["percentile"].values, strict=True)}
    with styled():
        width = mpl.rcParams["figure.figsize"][0]
        fig, ax = new_axes(ax, figsize=(width, 0.75 + 0.2 * len(names)))
        ys = np.arange(len(names))[::-1].astype(float)
        colors = {"low": PALETTE[0], "high": PALETTE[1]}
        for j, setting in enumerate(["low", "high"]):
            col = list(ds["setting"].values).index(setting)
            v = values[:, col]
            shown = np.where(np.isinf(v), right_edge, v)
            ax.barh(
                ys,
                shown - base,
                left=base,
                height=0.62,
                color=colors[setting],
                alpha=0.85,
                lw=0,
                label=f"{setting} ({100 * pct[setting]:g}th pct)",
                zorder=2 + j,
            )
            for y, vi in zip(ys, v, strict=True):
                if math.isinf(vi):
                    ax.plot(right_edge, y, ">", color=colors[setting], ms=3.5, clip_on=False)
                    ax.annotate(
                        f">{horizon:g}",
                        xy=(right_edge, y),
                        xytext=(-4, 0),
                        textcoords="offset points",
                        ha="right",
                        va="center",
                        color="white",
                        fontsize="x-small",
                        zorder=5,
                    )
        ax.axvline(base, color="black", lw=0.8, zorder=4)
        ax.set_yticks(ys, names)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_ylim(-0.6, len(names) - 0.4)
        ax.set_xlim(left_edge, right_edge)
        if metric == "median":
            year_axis(ax.xaxis, nbins=5)
            ax.set_xlabel(f"Median arrival year (unchanged: {base:.1f})")
        else:
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
            ax.set_xlabel(
                f"P(arrived by {float(ds.attrs.get('year', math.nan)):g}) (unchanged: {base:.0%})"
            )
        if s1:
            for y, value in zip(ys, ds["s1"].values, strict=True):
                ax.annotate(
                    f"{value:.2f}".replace("-0.00", "0.00"),  # a tiny negative estimate is 0
                    xy=(1.0, y),
                    xycoords=("axes fraction", "data"),
                    xytext=(17, 0),
                    textcoords="offset points",
                    ha="center",
                    va="center",
                    fontsize="small",
                    color=COLORS["muted"],
                )
            ax.annotate(
                "S1",
                xy=(1.0, 0.0),
                xycoords="axes fraction",
                xytext=(17, -3),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize="small",
                color=COLORS["muted"],
            )
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncols=2,
            borderaxespad=0.1,
            handlelength=1.2,
            columnspacing=1.0,
        )
    return fig, ax


@closes_on_error
def sweep_heatmap(
    ds: xr.Dataset,
    x: str | None = None,
    y: str | None = None,
    ax: Axes | None = None,
    *,
    var: str = "median_arrival",
    sel: Mapping[str, Any] | None = None,
    annotate: bool = True,
) -> tuple[Any, Axes]:
    """Heat map of a sweep result over two swept fields.

    Parameters
    ----------
    ds : xarray.Dataset
        The output of :func:`agi_timelines.sweep`.
    x, y : str, optional
        The swept fields (dimension names, e.g. ``"compute.late_rate"``) on the x and y
        axes; default: the first two swept fields.
    ax : matplotlib.axes.Axes, optional
        Axes to draw into.
    var : {"median_arrival", "censored_fraction", "wall_binding_share", "p_arrived", \
"arrival_quantile"}
        What to colour by.  ``p_arrived`` needs ``sel={"year": ...}`` and
        ``arrival_quantile`` needs ``sel={"quantile": ...}`` when the sweep has several.
    sel : dict, optional
        Values of every other dimension (other swept fields, ``year``, ``quantile``).
    annotate : bool
        Write each cell's value in it (censored medians as ``>2100``).

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)
        Cells are evenly spaced, labelled with the swept values; censored cells are grey.

    Examples
    --------
    >>> import agi_timelines as agt, matplotlib.pyplot as plt
    >>> from agi_timelines import plot
    >>> from agi_timelines.sweep import sweep
    >>> s = agt.Scenario(
    ...     compute={"rate": agt.ci90(0.4, 0.75), "cap": agt.ci90(500, 1000)},
    ...     requirement={"ooms": 6.0},
    ... )
    >>> ds = sweep(s, {"compute.rate": [0.5, 1.0], "requirement.ooms": [5.0, 6.0]}, draws=500)
    >>> fig, ax = plot.sweep_heatmap(ds)
    >>> sorted(t.get_text() for t in ax.texts)
    ['2028.2', '2029.2', '2033.2', '2035.2']
    >>> plt.close(fig)
    """
    _require(ds, ("median_arrival",), "sweep_heatmap", "sweep")
    fields = json.loads(ds.attrs["fields"]) if "fields" in ds.attrs else []
    allowed = (
        "median_arrival",
        "censored_fraction",
        "wall_binding_share",
        "p_arrived",
        "arrival_quantile",
    )
    if var not in allowed or var not in ds:
        raise ValueError(f"var must be one of {allowed} present in the Dataset, got {var!r}")
    if len(fields) < 2:
        raise ValueError(f"sweep_heatmap needs a sweep over two fields; this one has {fields}")
    x = fields[0] if x is None else x
    y = (fields[1] if fields[1] != x else fields[0]) if y is None else y
    for name, value in (("x", x), ("y", y)):
        if value not in fields:
            raise ValueError(f"{name} must be one of the swept fields {fields}, got {value!r}")
    if x == y:
        raise ValueError(f"x and y must be different fields, got {x!r} twice")
    da = ds[var]
    sel = dict(sel or {})
    unknown = [k for k in sel if k not in da.dims]
    if unknown:
        raise ValueError(f"sel: {unknown} not dimensions of {var!r} (dims: {list(da.dims)})")
    da = da.sel(sel)
    extra = [d for d in da.dims if d not in (x, y)]
    lone = {d: da[d].values[0] for d in extra if da.sizes[d] == 1}
    da = da.isel({d: 0 for d in lone})
    extra = [d for d in da.dims if d not in (x, y)]
    if extra:
        raise ValueError(
            f"sel must fix {extra} (values: "
            + "; ".join(f"{d}: {da[d].values.tolist()}" for d in extra)
            + ")"
        )
    grid = da.transpose(y, x).values.astype(float)
    horizon = _horizon(ds)
    is_year = var in ("median_arrival", "arrival_quantile")
    with styled():
        fig, ax = new_axes(ax)
        shown = np.ma.masked_invalid(np.where(np.isinf(grid), np.nan, grid))
        cmap = mpl.colormaps["viridis"].with_extremes(bad="#BFBFBF")
        if is_year:
            cmap = cmap.reversed()  # early arrival = bright
        vmin, vmax = (0.0, 1.0) if not is_year else (None, None)
        im = ax.imshow(
            shown,
            origin="lower",
            cmap=cmap,
            aspect="auto",
            vmin=vmin,
            vmax=vmax,
            interpolation="nearest",
        )
        if annotate:
            norm = im.norm
            for (i, j), value in np.ndenumerate(grid):
                if math.isinf(value) or math.isnan(value):
                    text, dark = (f">{horizon:g}" if is_year else "n/a"), False
                else:
                    text = f"{value:.1f}" if is_year else f"{value:.0%}"
                    r, g, b, _ = cmap(norm(value))  # RGBA
                    dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5
                ax.text(
                    j,
                    i,
                    text,
                    ha="center",
                    va="center",
                    fontsize="x-small",
                    color="white" if dark else "black",
                )
        ax.set_xticks(range(ds.sizes[x]), [_num(v) for v in ds[x].values])
        ax.set_yticks(range(ds.sizes[y]), [_num(v) for v in ds[y].values])
        ax.set_xlabel(_axis_label(ds, x))
        ax.set_ylabel(_axis_label(ds, y))
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        cbar = fig.colorbar(im, ax=ax, pad=0.02, fraction=0.06)
        cbar.outline.set_visible(False)
        label = {
            "median_arrival": "Median arrival year",
            "arrival_quantile": "Arrival-year quantile",
            "censored_fraction": f"P(not by {horizon:g})",
            "wall_binding_share": "Share where the data wall binds",
            "p_arrived": "P(arrived by year)",
        }[var]
        fixed: dict[Any, Any] = {**sel, **lone}
        if "year" in fixed:
            label = f"P(arrived by {float(fixed['year']):g})"
        if "quantile" in fixed:
            label = f"Arrival year, {100 * float(fixed['quantile']):g}th percentile"
        cbar.set_label(label)
        if is_year:
            lo, hi = im.get_clim()  # the norm's vmin, vmax
            digits = 0 if hi - lo >= 4 else 1 if hi - lo >= 0.4 else 2
            ticks = MaxNLocator(nbins=5, steps=[1, 2, 5, 10], integer=digits == 0)
            cbar.ax.yaxis.set_major_locator(ticks)  # no 2.5 steps: labels stay exact
            cbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.{digits}f}"))
        else:
            cbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
        if np.isinf(grid).any() and is_year:
            ax.set_title(
                f"grey: not by {horizon:g}", loc="right", fontsize="small", color=COLORS["muted"]
            )
    return fig, ax


# -- helpers -----------------------------------------------------------------------------------
def _require(ds: Any, names: tuple[str, ...], func: str, producer: str) -> None:
    if not isinstance(ds, xr.Dataset):
        raise ValueError(
            f"{func} needs the xarray.Dataset of agi_timelines.{producer}.{producer}(), "
            f"got {type(ds).__name__}"
        )
    missing = [n for n in names if n not in ds]
    if missing:
        raise ValueError(
            f"{func} needs the Dataset of agi_timelines.{producer}.{producer}(); it lacks {missing}"
        )


def _horizon(ds: xr.Dataset) -> float:
    """Return the scenario's horizon, from the TOML in the attrs (2100 if absent)."""
    from ..scenario import Scenario

    try:
        return Scenario.from_toml_string(ds.attrs["scenario"]).horizon
    except (KeyError, ValueError):
        return 2100.0


def _num(value: float) -> str:
    """Tick label of a swept value: ``0.05``, ``2030``, ``3e14``."""
    value = float(value)
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        mant, exp = f"{value:.0e}".split("e")
        return f"{mant}e{int(exp)}"
    return f"{value:g}"


def _axis_label(ds: xr.Dataset, field: str) -> str:
    unit = ds[field].attrs.get("units", "")
    return f"{field} ({unit})" if unit else field
