"""The ``forecast`` command: sample a scenario, print its report, write draws and figure."""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._app import AsJson, Debug, ScenarioArg, UserError, WallBinds, Years, user_errors
from ._inputs import load, parse_count, report_years, with_wall
from ._interrupts import INTERRUPTS
from ._outputs import check_out_and_plot, figure_writer, files_agg, netcdf_writer, write_all
from ._text import console, fmt, safe, table, year

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from rich.console import Console, JustifyMethod

    from ..result import Forecast
    from ..scenario import Scenario

__all__ = ["forecast", "json_number", "print_forecast"]


def forecast(
    scenario: ScenarioArg,
    draws: Annotated[
        int,
        typer.Option(
            "--draws",
            "-n",
            parser=parse_count,
            metavar="N",
            help="Monte Carlo draws (e.g. 1000000 or 1e6).",
        ),
    ] = 1_000_000,
    seed: Annotated[int, typer.Option("--seed", "-s", min=0, metavar="S", help="Random seed.")] = 0,
    no_wall: Annotated[
        bool, typer.Option("--no-wall", help="Switch the data wall off.", show_default=False)
    ] = False,
    wall_binds: WallBinds = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the draws to this netCDF file.", metavar="FILE"),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot", help="Write an arrival-CDF figure (.pdf, .png, .svg, ...).", metavar="FILE"
        ),
    ] = None,
    as_json: AsJson = False,
    years: Years = None,
    chunk_size: Annotated[
        int | None,
        typer.Option(
            "--chunk-size",
            parser=parse_count,
            metavar="N",
            help="Draws per solver call (memory bound; results do not depend on it).",
        ),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Progress bar on stderr (default: when stderr is a terminal).",
            show_default=False,
        ),
    ] = None,
    debug: Debug = False,
) -> None:
    """Sample the arrival year of SCENARIO; print its summary and P(arrived by year)."""
    with user_errors(debug):
        scn = with_wall(load(scenario), no_wall, wall_binds)
        _forecast(scn, draws, seed, out, plot, as_json, years, chunk_size, progress)


def _forecast(
    scn: Scenario,
    draws: int,
    seed: int,
    out: Path | None,
    plot: Path | None,
    as_json: bool,
    years: list[float] | None,
    chunk_size: int | None,
    progress: bool | None,
) -> None:
    from .. import forecast as run_forecast

    if draws < 1:
        raise UserError(f"--draws must be at least 1, got {draws}")
    if chunk_size is not None and chunk_size < 1:
        raise UserError(f"--chunk-size must be at least 1, got {chunk_size}")
    chosen = report_years(scn, years)
    figure_format = check_out_and_plot(out, plot)

    err = console(stderr=True)
    show_progress = err.is_terminal if progress is None else progress
    start = time.perf_counter()
    # Ctrl-C takes effect between chunks (or once compiled), never inside compiled code
    with INTERRUPTS.deferred(), _progress_bar(err, draws, show_progress) as callback:
        fc = run_forecast(
            scn,
            draws=draws,
            seed=seed,
            chunk_size=chunk_size,
            progress=INTERRUPTS.checkpointed(callback),
        )
    seconds = time.perf_counter() - start

    write_all(
        [
            (out, netcdf_writer(fc.tree)),
            (plot, figure_writer(lambda: _arrival_figure(fc), figure_format)),
        ]
    )

    if as_json:
        payload = _json_payload(fc, chosen, seconds, out, plot)
        typer.echo(json.dumps(payload, indent=2, allow_nan=False))
        return
    stdout = console()
    print_forecast(stdout, fc, chosen, seconds)
    for label, path in (("draws", out), ("figure", plot)):
        if path is not None:
            stdout.print(f"wrote {label}: {safe(path)}")


@contextlib.contextmanager
def _progress_bar(
    err: Console, total: int, enabled: bool
) -> Iterator[Callable[[int, int], None] | None]:
    """Show a rich progress bar of the forecast's chunks on stderr; yield its callback."""
    if not enabled:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=err.is_terminal,
    )
    with bar:
        task = bar.add_task("compiling and drawing parameters", total=total)

        def callback(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description="solving arrival years")

        yield callback


def print_forecast(out: Console, fc: Forecast, years: list[float], seconds: float) -> None:
    """Print a forecast's report (:meth:`Forecast.report`) as text tables.

    Parameters
    ----------
    out : rich.console.Console
        Where to print.
    fc : Forecast
        The forecast.
    years : list of float
        Decimal years for P(arrived by year).
    seconds : float
        Wall time of the forecast, s.
    """
    scn = fc.scenario
    report = fc.report(years)
    horizon = report["horizon"]
    wall = f"on, binds {report['data_wall_binds']} compute" if report["data_wall"] else "off"
    out.print(
        f"[bold]{safe(report['scenario'])}[/bold]: {report['draws']:,} draws, seed "
        f"{report['seed']}, data wall {wall} ({seconds:.1f} s)"
    )
    removed = report["not_before_removed"]
    if removed:
        out.print(f"conditioning on no arrival before {scn.not_before:g} removed {removed:,}")
    arrival = report["arrival_year_quantiles"]
    lo, med, hi = (arrival[k] for k in ("0.05", "0.5", "0.95"))
    out.print(
        f"arrival year: median {year(med, horizon)}, 90% interval "
        f"{year(lo, horizon)} to {year(hi, horizon)}; "
        f"P(not by {horizon:g}) = {report['censored_fraction']:.1%}"
    )

    intervals = table(title="90% intervals of every variable")
    columns: list[tuple[str, JustifyMethod]] = [
        ("variable", "left"),
        ("units", "left"),
        ("5%", "right"),
        ("median", "right"),
        ("95%", "right"),
        ("censored", "right"),
    ]
    for name, justify in columns:
        intervals.add_column(name, justify=justify, no_wrap=True)
    for name, row in report["variables"].items():
        unit = row["units"]
        q = row["quantiles"].values()
        if unit == "year" or name.endswith("_year") or "_year_" in name:
            cells = [year(v, horizon) for v in q]
        else:
            cells = [fmt(v, unit) for v in q]
        cens = row["censored_share"]
        intervals.add_row(name, unit, *cells, f"{cens:.1%}" if cens else "")
    out.print(intervals)

    prob = table(title="P(arrived by year)")
    for y in years:
        prob.add_column(f"{y:g}", justify="right")
    prob.add_row(*(f"{p:.1%}" for p in report["p_arrived_by"].values()))
    out.print(prob)


def json_number(x: float) -> float | None:
    """Return ``x`` for JSON: ``None`` (``null``) when not finite (a censored quantile).

    Parameters
    ----------
    x : float
        The number.

    Returns
    -------
    float or None
        ``x``, or None.
    """
    return None if not math.isfinite(x) else float(x)


def _json_payload(
    fc: Forecast, years: list[float], seconds: float, out: Path | None, plot: Path | None
) -> dict[str, Any]:
    """Return the ``forecast --json`` output: :meth:`Forecast.report` made JSON.

    That is ``inf`` as ``null``, without ``variables`` and ``units``, and with the run's
    ``seconds`` and ``outputs`` before ``versions``.
    """
    from .._report import forecast_report

    report = forecast_report(fc, years, variables=False)
    last = ("units", "versions", "notes")
    payload: dict[str, Any] = {k: v for k, v in report.items() if k not in last}
    for key in ("arrival_year_quantiles", "arrival_year_quantiles_wall_off"):
        if key in payload:
            payload[key] = {p: json_number(v) for p, v in payload[key].items()}
    payload["seconds"] = round(seconds, 3)
    payload["outputs"] = {
        "netcdf": None if out is None else str(out),
        "plot": None if plot is None else str(plot),
    }
    payload["versions"] = report["versions"]
    payload["notes"] = report["notes"]
    return payload


def _arrival_figure(fc: Forecast) -> Figure:
    """Draw the arrival CDF of :func:`agi_timelines.plot.arrival_cdf` for a file."""
    files_agg()
    from ..plot import arrival_cdf

    fig, _ = arrival_cdf(fc)
    return fig
