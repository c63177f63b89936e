"""Rich notebook displays (``_repr_html_``) of forecasts, comparisons and calibrations.

Like xarray's and ArviZ's: a header line, the numbers a reader looks for first, a small
inline SVG of the arrival CDF, and the details (every variable, versions) folded away.
Everything is static HTML with inline styles (no scripts), so it renders the same in
Jupyter, VS Code and an exported notebook.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from . import stats
from ._report import default_years
from .summary import format_value

if TYPE_CHECKING:
    from ._compare import Comparison
    from .calibration import Calibration
    from .result import Forecast

__all__ = ["calibration_html", "cdf_svg", "comparison_html", "forecast_html"]

_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
"""The plots' Okabe-Ito palette (:data:`agi_timelines.plot.PALETTE`, without importing
matplotlib)."""

_BOX = (
    "font-family: var(--jp-ui-font-family, system-ui, sans-serif); font-size: 13px; "
    "line-height: 1.4; max-width: 760px"
)
_TABLE = "border-collapse: collapse; margin: 4px 0 8px 0; font-variant-numeric: tabular-nums"
_TH = (
    "padding: 1px 8px; text-align: right; border-bottom: 1px solid #aaa; font-weight: 600; "
    "white-space: nowrap"
)
_TD = "padding: 1px 8px; text-align: right; white-space: nowrap"
_MUTED = "color: #666"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _year(x: float, horizon: float) -> str:
    return format_value(x, "year", "median", horizon)


def _span(lo: float, hi: float, horizon: float) -> str:
    """Return an interval, its censored end as ``after <horizon>`` (as the command line says)."""

    def end(x: float) -> str:
        return f"after {horizon:g}" if math.isinf(x) and x > 0 else _year(x, horizon)

    return f"{end(lo)} to {end(hi)}"


def _pct(p: float) -> str:
    return f"{p:.1%}"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], left_cols: int = 1) -> str:
    left = "padding: 1px 8px; text-align: left; white-space: nowrap"
    cells = []
    for i, h in enumerate(head):
        style = left + "; border-bottom: 1px solid #aaa; font-weight: 600" if i < left_cols else _TH
        cells.append(f'<th style="{style}">{_e(h)}</th>')
    out = [f'<table style="{_TABLE}"><thead><tr>{"".join(cells)}</tr></thead><tbody>']
    for row in rows:
        tds = [
            f'<td style="{left if i < left_cols else _TD}">{_e(c)}</td>' for i, c in enumerate(row)
        ]
        out.append(f"<tr>{''.join(tds)}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _details(summary: str, body: str) -> str:
    return (
        f'<details style="margin: 2px 0"><summary style="cursor: pointer">{_e(summary)}'
        f"</summary>{body}</details>"
    )


def cdf_svg(
    curves: Sequence[tuple[str, np.ndarray]],
    t0: float,
    horizon: float,
    *,
    width: int = 300,
    height: int = 110,
) -> str:
    """Return a small inline SVG of P(arrived by year) from ``t0`` to ``horizon``.

    One line per curve.

    Parameters
    ----------
    curves : sequence of (str, numpy.ndarray)
        A label and the arrival years of the draws (``inf``: censored) per curve.
    t0, horizon : float
        The years the x axis spans (the whole forecast range: nothing is cut off).
    width, height : int
        Size in CSS pixels.

    Returns
    -------
    str
        An ``<svg>`` element.  Each curve ends at its P(by horizon); the gap to 100% is
        its censored share, labelled for a single curve.
    """
    left, right, top, bottom = 34, 10, 8, 20
    w, h = width - left - right, height - top - bottom
    grid = np.linspace(t0, horizon, 241)

    def x(year: float) -> float:
        return left + w * (year - t0) / (horizon - t0)

    def y(p: float) -> float:
        return top + h * (1.0 - p)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" style="font: 10px sans-serif">',
        f"<title>P(arrived by year), {t0:g} to {horizon:g}</title>",
    ]
    for p in (0.0, 0.5, 1.0):
        parts.append(
            f'<line x1="{left}" x2="{left + w}" y1="{y(p):.1f}" y2="{y(p):.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{left - 4}" y="{y(p) + 3:.1f}" text-anchor="end" fill="#666">'
            f"{p:.0%}</text>"
        )
    ticks = [t for t in (2030.0, 2050.0, 2075.0) if t0 + 4 < t < horizon - 8]
    if not ticks or x(ticks[0]) - x(t0) > 28:  # the start year, where its label fits
        ticks.insert(0, t0)
    ticks.append(horizon)
    for t in ticks:
        parts.append(
            f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top + h}" y2="{top + h + 3}" '
            f'stroke="#666"/><text x="{x(t):.1f}" y="{height - 6}" text-anchor="middle" '
            f'fill="#666">{t:g}</text>'
        )
    for i, (label, arrival) in enumerate(curves):
        prob = stats.prob_by(arrival, grid)
        points = " ".join(f"{x(t):.1f},{y(p):.1f}" for t, p in zip(grid, prob, strict=True))
        color = _COLORS[i % len(_COLORS)]
        parts.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="1.6" points="{points}">'
            f"<title>{_e(label)}</title></polyline>"
        )
        if len(curves) == 1:
            end = float(prob[-1])
            parts.append(
                f'<text x="{left + w - 2}" y="{y(end) + 12:.1f}" text-anchor="end" '
                f'fill="#666">not by {horizon:g}: {1 - end:.1%}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def forecast_html(fc: Forecast) -> str:
    """Return the notebook display of a :class:`~agi_timelines.Forecast`."""
    scn = fc.scenario
    horizon, t0 = scn.horizon, scn.reference.year
    n = fc.arrival.sizes["draw"]
    arrival = fc.arrival.values.ravel()
    q = stats.quantile(arrival, [0.05, 0.25, 0.5, 0.75, 0.95])
    wall = "on" if scn.data_wall.enabled else "off"
    removed = int(fc.tree.attrs.get("not_before_removed", 0))
    facts = [
        f"{n:,} draws",
        f"seed {fc.seed}",
        f"data wall {wall}",
        f"reference {t0:g} ({scn.reference.flop:.3g} FLOP)",
        f"horizon {horizon:g}",
    ]
    if removed:
        facts.append(f"conditioned on no arrival before {scn.not_before:g} ({removed:,} removed)")
    rows = [
        [
            "arrival year",
            _year(q[2], horizon),
            _span(q[1], q[3], horizon),
            _span(q[0], q[4], horizon),
            _pct(fc.censored_fraction),
        ]
    ]
    if "arrival_year_no_wall" in fc.draws:
        off = fc.draws["arrival_year_no_wall"].values.ravel()
        qo = stats.quantile(off, [0.05, 0.25, 0.5, 0.75, 0.95])
        rows.append(
            [
                "same draws, wall off",
                _year(qo[2], horizon),
                _span(qo[1], qo[3], horizon),
                _span(qo[0], qo[4], horizon),
                _pct(stats.censored_share(off)),
            ]
        )
    arrival_table = _table(
        ["", "median", "50% interval", "90% interval", f"not by {horizon:g}"], rows
    )
    years = default_years(t0, horizon)
    probs = fc.cdf(years).values
    p_table = _table(
        ["P(arrived by)", *(f"{y:g}" for y in years)],
        [["", *(_pct(p) for p in probs)]],
    )
    versions = ", ".join(f"{k} {v}" for k, v in fc.versions.items())
    body = [
        f'<div style="{_BOX}">',
        f"<div><b>Forecast</b> <code>{_e(scn.name)}</code> "
        f'<span style="{_MUTED}">{_e(" · ".join(facts))}</span></div>',
        '<div style="display: flex; flex-wrap: wrap; gap: 12px; align-items: center">',
        f"<div>{arrival_table}{p_table}</div>",
        f"<div>{cdf_svg([(scn.name, arrival)], t0, horizon)}</div>",
        "</div>",
        _details("every variable (median and 90% interval; fc.summary() for more)", _variables(fc)),
        _details("versions", f'<div style="{_MUTED}">{_e(versions)}</div>'),
        "</div>",
    ]
    return "".join(body)


def _variables(fc: Forecast) -> str:
    """Median and central 90% of every variable (inverted empirical CDF, as the arrival)."""
    horizon = fc.scenario.horizon
    rows = []
    for name, var in fc.draws.data_vars.items():
        values = var.values.ravel()
        unit = str(var.attrs.get("units", ""))
        q = stats.quantile(values, [0.05, 0.5, 0.95])
        cells = [format_value(v, unit, "median", horizon) for v in (q[1], q[0], q[2])]
        rows.append([str(name), unit, *cells, _pct(stats.censored_share(values))])
    return _table(["variable", "units", "median", "5%", "95%", "censored"], rows, left_cols=2)


def comparison_html(comparison: Comparison) -> str:
    """Return the notebook display of a :class:`~agi_timelines.Comparison`."""
    table, _, forecasts = comparison
    first = next(iter(forecasts.values()))
    horizon = min(fc.scenario.horizon for fc in forecasts.values())
    t0 = max(fc.scenario.reference.year for fc in forecasts.values())
    years = default_years(t0, horizon)
    rows = []
    wall_shares = table["wall_binding_share"].astype(float).to_dict()
    for name, fc in forecasts.items():
        h = fc.scenario.horizon
        q = fc.quantile([0.05, 0.5, 0.95]).values
        wall_share = float(wall_shares[name])
        rows.append(
            [
                name,
                _year(q[1], h),
                _span(q[0], q[2], h),
                *(_pct(p) for p in fc.cdf(years).values),
                _pct(fc.censored_fraction),
                _pct(wall_share),
            ]
        )
    head = ["scenario", "median", "90% interval", *(f"P({y:g})" for y in years)]
    head += ["censored", "wall binds"]
    curves = [(name, fc.arrival.values.ravel()) for name, fc in forecasts.items()]
    legend = " ".join(
        f'<span style="color: {_COLORS[i % len(_COLORS)]}">&#9644; {_e(name)}</span>'
        for i, name in enumerate(forecasts)
    )
    n = first.arrival.sizes["draw"]
    return "".join(
        [
            f'<div style="{_BOX}">',
            f"<div><b>Comparison</b> of {len(forecasts)} scenarios "
            f'<span style="{_MUTED}">{n:,} draws each · seed {first.seed} · common random '
            "numbers</span></div>",
            _table(head, rows),
            f"<div>{cdf_svg(curves, t0, horizon, width=360)}</div>",
            f"<div>{legend}</div>",
            "</div>",
        ]
    )


def _posterior(summary: Any) -> str:
    def cell(column: str, v: float) -> str:
        if column.startswith("ess"):
            return f"{v:.0f}"
        return f"{v:.3f}" if column == "r_hat" else f"{v:.4g}"

    columns = [str(c) for c in summary.columns]
    rows = [
        [str(name), *(cell(c, float(v)) for c, v in zip(columns, row, strict=True))]
        for name, row in summary.iterrows()
    ]
    return _table(["variable", *columns], rows)


def calibration_html(cal: Calibration) -> str:
    """Return the notebook display of a :class:`~agi_timelines.Calibration`."""
    attrs = cal.tree.attrs
    slope = float(cal.slope.median())
    low, high = cal.growth_factor_interval(0.9)
    diag = cal.diagnostics
    r_hat = diag["max_r_hat"]
    facts = [
        f"{attrs.get('n_runs')} runs since {float(attrs.get('since', math.nan)):g}",
        f"{attrs.get('data_file')} v{cal.data_version}",
        f"seed {attrs.get('seed')}",
        "with a change of slope" if bool(attrs.get("breakpoint")) else "one slope",
    ]
    rows = [
        [
            "compute trend",
            f"{slope:.3f} OOM/yr",
            f"{10**slope:.2f}x/yr",
            f"{low:.2f}x to {high:.2f}x",
        ]
    ]
    trend = _table(["", "median slope", "growth", "90% interval"], rows)
    diagnostics = _table(
        ["diagnostics", "max R-hat", "min bulk ESS", "divergences"],
        [
            [
                "",
                "n/a (one chain)" if math.isnan(r_hat) else f"{r_hat:.3f}",
                f"{diag['min_ess_bulk']:.0f}",
                f"{diag['divergences']}",
            ]
        ],
    )
    summary = cal.summary()
    settings = ", ".join(
        f"{k} {attrs[k]}" for k in ("draws", "tune", "chains", "sampler") if k in attrs
    )
    return "".join(
        [
            f'<div style="{_BOX}">',
            f"<div><b>Calibration</b> of the frontier compute trend "
            f'<span style="{_MUTED}">{_e(" · ".join(facts))}</span></div>',
            trend,
            diagnostics,
            _details("posterior summary", _posterior(summary)),
            _details("settings", f'<div style="{_MUTED}">{_e(settings)}</div>'),
            "</div>",
        ]
    )
