"""The ``compare`` command: several scenarios with common random numbers, in one table."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._app import AsJson, Debug, UserError, WallBinds, Years, user_errors
from ._forecast import json_number
from ._inputs import common_years, load, parse_count, with_wall
from ._interrupts import INTERRUPTS
from ._outputs import check_out_and_plot, figure_writer, files_agg, netcdf_writer, write_all
from ._text import console, safe, table, year

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from rich.console import Console

    from ..result import Forecast
    from ..scenario import Scenario

__all__ = ["compare"]


def compare(
    scenarios: Annotated[
        list[str],
        typer.Argument(
            help="Two or more presets or scenario TOML files.",
            metavar="SCENARIO",
            show_default=False,
        ),
    ],
    draws: Annotated[
        int,
        typer.Option(
            "--draws",
            "-n",
            parser=parse_count,
            metavar="N",
            help="Monte Carlo draws per scenario (e.g. 100000 or 1e5).",
        ),
    ] = 100_000,
    seed: Annotated[
        int, typer.Option("--seed", "-s", min=0, metavar="S", help="Seed shared by every scenario.")
    ] = 0,
    no_wall: Annotated[
        bool,
        typer.Option("--no-wall", help="Switch the data wall off everywhere.", show_default=False),
    ] = False,
    wall_binds: WallBinds = None,
    years: Years = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write the comparison (every forecast) to netCDF.", metavar="FILE"
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write a side-by-side arrival figure.", metavar="FILE"),
    ] = None,
    as_json: AsJson = False,
    debug: Debug = False,
) -> None:
    """Forecast several scenarios with common random numbers and tabulate them."""
    with user_errors(debug):
        _compare(scenarios, draws, seed, no_wall, wall_binds, years, out, plot, as_json)


def _compare(
    names: list[str],
    draws: int,
    seed: int,
    no_wall: bool,
    wall_binds: str | None,
    years: list[float] | None,
    out: Path | None,
    plot: Path | None,
    as_json: bool,
) -> None:
    from .. import compare as run_compare

    if draws < 1:
        raise UserError(f"--draws must be at least 1, got {draws}")
    if len(names) < 2:
        raise UserError("compare needs at least two scenarios")
    scenarios: dict[str, Scenario] = {}
    for arg in names:
        scn = load(arg)
        if no_wall or scn.data_wall.enabled:  # --wall-binds leaves wall-off scenarios alone
            scn = with_wall(scn, no_wall, wall_binds)
        key = scn.name if scn.name not in scenarios else arg
        if key in scenarios:
            raise UserError(f"scenario {arg!r} is given twice")
        scenarios[key] = scn
    report_years = common_years(list(scenarios.values()), years)
    figure_format = check_out_and_plot(out, plot)

    err = console(stderr=True)
    start = time.perf_counter()
    status = (
        err.status(f"forecasting {len(scenarios)} scenarios")
        if err.is_terminal
        else contextlib.nullcontext()
    )
    with INTERRUPTS.deferred(), status:  # Ctrl-C takes effect once the forecasts are done
        rows, tree, forecasts = run_compare(
            scenarios, draws=draws, seed=seed, quantiles=(0.05, 0.5, 0.95), years=report_years
        )
    seconds = time.perf_counter() - start

    write_all(
        [
            (out, netcdf_writer(tree)),
            (plot, figure_writer(lambda: _compare_figure(forecasts), figure_format)),
        ]
    )

    if as_json:
        from .._provenance import versions

        payload = {
            "scenarios": {
                name: {
                    col: v if isinstance(v, str) else json_number(float(v))
                    for col, v in row.items()
                }
                for name, row in rows.iterrows()
            },
            "draws": draws,
            "seed": seed,
            "data_wall_forced_off": no_wall,
            "data_wall_binds_forced": wall_binds,
            "units": rows.attrs.get("units", {}),
            "seconds": round(seconds, 3),
            "outputs": {
                "netcdf": None if out is None else str(out),
                "plot": None if plot is None else str(plot),
            },
            "versions": versions(),
            "notes": "null arrival quantiles fall in the censored mass (no arrival by horizon)",
        }
        typer.echo(json.dumps(payload, indent=2, allow_nan=False))
        return
    stdout = console()
    _print_comparison(stdout, scenarios, rows, report_years, seconds, draws, seed)
    for label, path in (("comparison", out), ("figure", plot)):
        if path is not None:
            stdout.print(f"wrote {label}: {safe(path)}")


def _print_comparison(
    stdout: Console,
    scenarios: dict[str, Scenario],
    rows: Any,
    report_years: list[float],
    seconds: float,
    draws: int,
    seed: int,
) -> None:
    """Print the comparison table (one row per scenario)."""
    from .._compare import quantile_column, year_column

    stdout.print(
        f"{len(scenarios)} scenarios, {draws:,} draws each, seed {seed} "
        f"(common random numbers; {seconds:.1f} s)"
    )
    out_table = table()
    out_table.add_column("scenario", no_wrap=True, min_width=max(len(k) for k in scenarios))
    for head in ("5%", "median", "95%"):
        out_table.add_column(head, justify="right", no_wrap=True)
    for y in report_years:
        out_table.add_column(f"P({y:g})", justify="right", no_wrap=True)
    out_table.add_column("data wall", justify="left", no_wrap=True)
    out_table.add_column("censored", justify="right", no_wrap=True)
    out_table.add_column("wall binds", justify="right", no_wrap=True)
    for name, row in rows.iterrows():
        horizon = scenarios[name].horizon
        cells = [year(float(row[quantile_column(q)]), horizon) for q in (0.05, 0.5, 0.95)]
        cells += [f"{row[year_column(y)]:.1%}" for y in report_years]
        cells += [
            str(row["data_wall"]),
            f"{row['censored_share']:.1%}",
            f"{row['wall_binding_share']:.1%}",
        ]
        out_table.add_row(safe(name), *cells)
    if not stdout.is_terminal:  # a file or a pipe: as wide as the table, never truncated
        wide = stdout.options.update(max_width=1000)
        stdout.width = max(stdout.width, stdout.measure(out_table, options=wide).maximum)
    stdout.print(out_table)


def _compare_figure(forecasts: dict[str, Forecast]) -> Figure:
    """Arrival intervals side by side (:func:`agi_timelines.plot.compare`), for a file."""
    files_agg()
    from ..plot import compare as plot_compare

    fig, _ = plot_compare(forecasts)
    return fig
