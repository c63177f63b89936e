"""The ``calibrate`` command: fit the frontier compute trend by NUTS and report it."""

from __future__ import annotations

import contextlib
import json
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from ._app import AsJson, Debug, UserError, one_line, user_errors
from ._forecast import json_number
from ._outputs import check_output, write_all
from ._text import console, safe

__all__ = ["calibrate"]


def calibrate(
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="CSV of training runs (default: the shipped Epoch AI frontier runs).",
            metavar="FILE",
        ),
    ] = None,
    since: Annotated[
        float, typer.Option("--since", help="Fit runs published from this decimal year on.")
    ] = 2018.0,
    seed: Annotated[
        int, typer.Option("--seed", "-s", min=0, metavar="S", help="Seed of NUTS.")
    ] = 0,
    draws: Annotated[
        int, typer.Option("--draws", "-n", min=1, help="Posterior draws per chain.")
    ] = 1000,
    tune: Annotated[int, typer.Option("--tune", min=1, help="Warm-up draws per chain.")] = 1000,
    chains: Annotated[int, typer.Option("--chains", min=1, help="Chains.")] = 4,
    breakpoint: Annotated[
        bool,
        typer.Option(
            "--breakpoint", help="Let the slope change at an unknown year.", show_default=False
        ),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the posterior to netCDF.", metavar="FILE"),
    ] = None,
    as_json: AsJson = False,
    debug: Debug = False,
) -> None:
    """Fit the frontier compute trend (OOM/yr) to observed training runs by NUTS."""
    with user_errors(debug):
        _calibrate(data, since, seed, draws, tune, chains, breakpoint, out, as_json)


def _calibrate(
    data: Path | None,
    since: float,
    seed: int,
    draws: int,
    tune: int,
    chains: int,
    breakpoint: bool,
    out: Path | None,
    as_json: bool,
) -> None:
    from .. import CalibrationWarning
    from .. import calibrate as run_calibrate
    from .._io import netcdf_buffer, write_buffer

    if data is not None and not data.is_file():
        raise UserError(f"--data {data}: no such file")
    check_output(out, "--out")
    err = console(stderr=True)
    status = err.status("sampling (NUTS)") if err.is_terminal else contextlib.nullcontext()
    with status, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CalibrationWarning)
        cal = run_calibrate(
            data=data,
            since=since,
            seed=seed,
            draws=draws,
            chains=chains,
            breakpoint=breakpoint,
            tune=tune,
        )
    problems = [str(w.message) for w in caught if issubclass(w.category, CalibrationWarning)]
    for w in caught:
        if not issubclass(w.category, CalibrationWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    for message in problems:
        typer.echo(f"warning: {one_line(Exception(message))}", err=True)
    write_all([(out, lambda path: write_buffer(path, netcdf_buffer(cal.tree)))])

    summary = cal.summary()
    low, high = cal.growth_factor_interval(0.9)
    slope = float(cal.slope.median())
    attrs = cal.tree.attrs
    if as_json:
        from .._provenance import versions

        payload: dict[str, Any] = {
            "slope_median_oom_per_year": slope,
            "growth_factor_median": 10**slope,
            "growth_factor_90": [low, high],
            "diagnostics": {
                k: (int(v) if k == "divergences" else json_number(float(v)))
                for k, v in cal.diagnostics.items()
            },
            "converged": not problems,
            "warnings": problems,
            "summary": {
                name: {col: json_number(float(v)) for col, v in row.items()}
                for name, row in summary.iterrows()
            },
            "data": {
                "file": str(attrs.get("data_file")),
                "version": cal.data_version,
                "runs": int(attrs.get("n_runs", 0)),
                "since": since,
            },
            "seed": seed,
            "draws": draws,
            "chains": chains,
            "breakpoint": breakpoint,
            "outputs": {"netcdf": None if out is None else str(out)},
            "versions": versions(),
        }
        typer.echo(json.dumps(payload, indent=2, allow_nan=False))
        return

    from rich.table import Table

    from ..calibration import UNITS

    stdout = console()
    stdout.print(
        f"{attrs.get('n_runs')} runs since {since:g} ({safe(attrs.get('data_file'))}, "
        f"v{cal.data_version}); {chains} chains x {draws} draws, seed {seed}"
    )
    stdout.print(
        f"frontier compute grows {slope:.3f} OOM/yr = {10**slope:.2f}x/yr "
        f"(90%: {low:.2f}x to {high:.2f}x)"
    )
    table = Table(title="Posterior", header_style="bold")
    table.add_column("variable")
    table.add_column("units")
    columns = [c for c in summary.columns if c in ("mean", "sd", "r_hat", "ess_bulk")]
    columns[2:2] = [c for c in summary.columns if c.startswith("eti")]
    for col in columns:
        table.add_column(col, justify="right")
    for name, row in summary.iterrows():
        cells = [f"{row[c]:.4g}" if c != "ess_bulk" else f"{row[c]:.0f}" for c in columns]
        unit = UNITS.get(str(name), "").split(" (")[0].split(",")[0]
        table.add_row(str(name), unit, *cells)
    stdout.print(table)
    diag = cal.diagnostics
    stdout.print(
        f"diagnostics: max R-hat {diag['max_r_hat']:.3f}, min bulk ESS "
        f"{diag['min_ess_bulk']:.0f}, divergences {diag['divergences']}"
        + ("" if not problems else " [bold]-- see the warning above[/bold]")
    )
    if out is not None:
        stdout.print(f"wrote posterior: {safe(out)}")
