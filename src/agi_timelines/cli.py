"""The ``agi-timelines`` command line: list presets, show a scenario, run a forecast.

Commands
--------
``agi-timelines presets``
    The shipped presets, one line each.
``agi-timelines show SCENARIO``
    A scenario's priors with their 5/50/95% values (``SCENARIO``: a preset name or a
    TOML file).
``agi-timelines forecast SCENARIO [--draws N] [--seed S] [--no-wall] [--out F.nc]
[--plot F.pdf] [--json]``
    Sample the arrival year; print the summary and P(arrived by year); write the draws
    (netCDF) and an arrival-CDF figure.

User errors (a missing file, bad TOML, an invalid field, a missing output directory) print
one line on stderr and exit with status 2; ``--debug`` shows the traceback instead.  A
failed run writes no output file.  Ctrl-C (SIGINT) prints one line and exits with status
130, leaving either the old output file or the complete new one.  Control characters in
printed text (scenario names, file names) are shown escaped (``\\x00``, ``\\u202e``).

Examples
--------
>>> from typer.testing import CliRunner
>>> from agi_timelines.cli import app
>>> result = CliRunner().invoke(app, ["presets"])
>>> result.exit_code, "aschenbrenner-2024" in result.stdout
(0, True)
>>> result = CliRunner().invoke(app, ["show", "no-such-scenario"])
>>> result.exit_code
2
>>> print(result.stderr.strip())  # doctest: +ELLIPSIS
error: unknown scenario 'no-such-scenario': not a preset (available: ...) and no such file
"""

from __future__ import annotations

import contextlib
import json
import math
import signal
import sys
import threading
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from . import stats
from ._io import OutputError, atomic_write, check_target, netcdf_buffer, write_buffer
from ._provenance import requested_draws

__all__ = ["app"]

QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
"""Arrival-year quantile levels reported by ``forecast``."""

DEFAULT_YEARS = (2025, 2027, 2030, 2035, 2040, 2050, 2075, 2100)
"""Years for P(arrived by year), clipped to ``(reference.year, horizon]`` (plus the horizon)."""

EXIT_USER_ERROR = 2
"""Exit status for a user error (as for a command-line usage error)."""

EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C (SIGINT), as shells report it (128 + 2)."""

app = typer.Typer(
    name="agi-timelines",
    help=(
        "Probabilistic 'counting the OOMs' forecasts of AGI arrival.\n\n"
        "SCENARIO is a preset name (see `agi-timelines presets`) or a scenario TOML file."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

_STATE = {"debug": False}

Debug = Annotated[
    bool, typer.Option("--debug", help="Show the full traceback on errors.", show_default=False)
]
AsJson = Annotated[
    bool,
    typer.Option(
        "--json", help="Print machine-readable JSON on stdout, nothing else.", show_default=False
    ),
]
Years = Annotated[
    list[float] | None,
    typer.Option("--year", "-y", metavar="YEAR", help="Year for P(arrived by year); repeatable."),
]
ScenarioArg = Annotated[
    str,
    typer.Argument(
        help="Preset name or path to a scenario TOML file.", metavar="SCENARIO", show_default=False
    ),
]
WallBinds = Annotated[
    str | None,
    typer.Option(
        "--wall-binds",
        metavar="pretraining|physical",
        help=(
            "What the data wall acts on: pretraining effective compute (physical x "
            "algorithms; the default) or physical compute alone."
        ),
        show_default=False,
    ),
]


class UserError(Exception):
    """A mistake in the command line or its inputs: reported in one line, exit status 2."""


# -- plumbing --------------------------------------------------------------------------------
@app.callback()
def _main(debug: Debug = False) -> None:
    _STATE["debug"] = debug


@contextlib.contextmanager
def _user_errors(debug: bool) -> Iterator[None]:
    """Turn user errors into one line on stderr and exit status 2 (unless ``--debug``).

    Also: Ctrl-C exits with status 130 after one line (whatever exception the interrupt
    surfaced as), and library warnings print as one ``warning:`` line each.
    """
    with _INTERRUPTS.installed(), warnings.catch_warnings():
        warnings.showwarning = _show_warning
        _SHOWN.clear()
        try:
            yield
        except typer.Exit:
            raise
        except BaseException as err:
            if _INTERRUPTS.seen or isinstance(err, KeyboardInterrupt):
                if debug or _STATE["debug"]:
                    raise
                _INTERRUPTS.report()
                raise typer.Exit(EXIT_INTERRUPTED) from None
            if not isinstance(err, UserError | ValueError | OSError | MemoryError):
                raise
            if debug or _STATE["debug"]:
                raise
            typer.echo(f"error: {_one_line(err)}", err=True)
            raise typer.Exit(EXIT_USER_ERROR) from None
        if _INTERRUPTS.seen:  # a library swallowed the KeyboardInterrupt: still report it
            _INTERRUPTS.report()
            raise typer.Exit(EXIT_INTERRUPTED)


def _one_line(err: BaseException) -> str:
    if isinstance(err, MemoryError):
        return "not enough memory for this many draws; use fewer --draws"
    if isinstance(err, OutputError):
        text = str(err)
    elif isinstance(err, OSError) and err.strerror:
        where = f" {err.filename}" if err.filename else ""
        text = f"{err.strerror}:{where}".rstrip(":")
    else:
        text = str(err)
    text = _printable(" ".join(text.split()))
    return text or type(err).__name__


def _show_warning(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
    """``warnings.showwarning`` for the command line: one line on stderr, each text once."""
    text = _one_line(Exception(str(message)))
    if text not in _SHOWN:
        _SHOWN.add(text)
        typer.echo(f"warning: {text}", err=True)


_SHOWN: set[str] = set()
"""Warnings printed by the running command (a scenario is validated more than once)."""


def _printable(text: Any) -> str:
    """``text`` with control and format characters (NUL, ESC, right-to-left override, ...)
    written as Python escapes, so printed text cannot move the cursor or reorder a line."""
    out = []
    for ch in str(text):
        if unicodedata.category(ch) in _UNPRINTABLE:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _safe(text: Any) -> str:
    """User text for ``rich``: :func:`_printable`, and ``[...]`` not read as markup."""
    from rich.markup import escape

    return escape(_printable(text))


class _Interrupts:
    """SIGINT handling of the command line.

    Outside :meth:`deferred` a SIGINT raises ``KeyboardInterrupt`` at once (as Python's
    default handler does) and is remembered, so an exception it surfaced as (e.g. a
    ``SystemError`` from inside a C extension) is still reported as an interruption.  Inside
    :meth:`deferred` (sampling, where compiled code must not be interrupted, and writing the
    outputs) it waits until the section ends or the next :meth:`checkpoint` (each solver
    chunk), so a file is either left as it was or completely replaced.
    """

    def __init__(self) -> None:
        self.seen = False
        self.reported = False
        self._depth = 0
        self._pending = False

    def report(self) -> None:
        """Print the one line of an interruption (once)."""
        if not self.reported:
            self.reported = True
            typer.echo("error: interrupted", err=True)

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield  # signal handlers can only be set from the main thread
            return
        self.seen, self.reported, self._pending, self._depth = False, False, False, 0
        previous = signal.signal(signal.SIGINT, self._handle)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)

    def _handle(self, signum: int, frame: Any) -> None:
        self.seen = True
        if self._depth:
            self._pending = True
            return
        raise KeyboardInterrupt

    def checkpoint(self) -> None:
        """Raise the deferred ``KeyboardInterrupt`` now, if a SIGINT is pending."""
        if self._pending:
            self._pending = False
            raise KeyboardInterrupt

    def checkpointed(
        self, callback: Callable[[int, int], None] | None
    ) -> Callable[[int, int], None]:
        """A ``progress`` callback that also is a :meth:`checkpoint`."""

        def progress(done: int, total: int) -> None:
            self.checkpoint()
            if callback is not None:
                callback(done, total)

        return progress

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth and self._pending:
                self._pending = False
                raise KeyboardInterrupt


_INTERRUPTS = _Interrupts()


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    # Created per call: the test runner swaps sys.stdout/sys.stderr.  Output piped to a file
    # gets 120 columns rather than rich's default 80, so tables do not wrap.
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal:
        console = Console(stderr=stderr, highlight=False, width=120)
    return console


def _load(name_or_path: str) -> Any:
    """A scenario from a preset name or a TOML path, with errors that say which it tried."""
    from .scenario import Scenario

    presets = Scenario.presets()
    if name_or_path in presets:
        return Scenario.preset(name_or_path)
    path = Path(name_or_path)
    if not path.exists():
        raise UserError(
            f"unknown scenario {name_or_path!r}: not a preset (available: "
            f"{', '.join(presets)}) and no such file"
        )
    if path.is_dir():
        raise UserError(f"scenario {name_or_path!r} is a directory, not a TOML file")
    return Scenario.from_toml(path)


def _parse_count(value: str) -> int:
    """Integers written as ``1000000``, ``1_000_000`` or ``1e6``."""
    text = str(value).replace("_", "").strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a whole number") from None
    if not math.isfinite(number) or number != int(number):
        raise typer.BadParameter(f"{value!r} is not a whole number")
    return int(number)


def _fmt(x: float, unit: str = "") -> str:
    """A number for a table: years as years, huge/tiny numbers in scientific notation."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "none" if x > 0 else "-inf"
    if unit == "year":
        return f"{x:.1f}"
    return f"{x:.3g}"


def _year(x: float, horizon: float) -> str:
    return f"after {horizon:g}" if math.isinf(x) else f"{x:.1f}"


def _describe(prior: Any) -> str:
    """A prior in the words of the scenario file."""
    kind = prior.kind
    if kind == "point":
        return "fixed"
    if kind == "ci90":
        family = "" if prior.dist_family == "lognormal" else ", normal"
        return f"ci90({prior.lo:g}, {prior.hi:g}{family})"
    if kind == "mixture":
        names = f": {', '.join(prior.names)}" if prior.names else ""
        return f"mixture of {len(prior.components)}{names}"
    hyper = ", ".join(f"{k}={v:g}" for k, v in prior.hyper().items())
    return f"{kind}({hyper})"


def _check_output(path: Path | None, what: str) -> None:
    """Fail before any work if an output file cannot be written where asked (a missing or
    read-only directory; a target that is a symbolic link, directory or device)."""
    if path is None:
        return
    try:
        check_target(path)
    except OutputError as err:
        raise UserError(f"cannot write {what} {path}: {err.strerror}") from None


def _plot_format(path: Path) -> str:
    from matplotlib.figure import Figure

    formats = Figure().canvas.get_supported_filetypes()
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in formats:
        raise UserError(
            f"--plot {path}: unknown figure format {path.suffix or '(none)'!r}; "
            f"use one of {', '.join('.' + f for f in sorted(formats))}"
        )
    return fmt


# -- commands --------------------------------------------------------------------------------
@app.command()
def presets(debug: Debug = False) -> None:
    """List the shipped presets with one-line descriptions."""
    from rich.table import Table

    from .presets import available  # reads the TOML files only: no PyMC to import

    with _user_errors(debug):
        table = Table(box=None, show_header=True, header_style="bold")
        table.add_column("preset", no_wrap=True)
        table.add_column("description")
        for name, description in available().items():
            table.add_row(_safe(name), _safe(description))
        _console().print(table)


@app.command()
def show(scenario: ScenarioArg, debug: Debug = False) -> None:
    """Print a scenario's priors with their 5%, 50% and 95% values."""
    with _user_errors(debug):
        scn = _load(scenario)
        console = _console()
        for line in _scenario_header(scn):
            console.print(line)
        console.print(_prior_table(scn))


def _scenario_header(scn: Any) -> list[str]:
    ref = scn.reference
    wall = f"on, binds {scn.data_wall.binds} compute" if scn.data_wall.enabled else "off"
    lines = [f"[bold]{_safe(scn.name)}[/bold]"]
    if scn.description:
        lines.append(_safe(scn.description))
    lines.append(
        f"reference: {ref.year:g}, {ref.flop:.3g} FLOP; horizon {scn.horizon:g}; "
        f"data wall {wall}"
        + (f"; conditioned on no arrival before {scn.not_before:g}" if scn.not_before else "")
    )
    if scn.calibration is not None:
        lines.append(
            f"compute.rate drawn from a calibration on frontier runs since "
            f"{scn.calibration.since:g} (seed {scn.calibration.seed}), not from its prior"
        )
    for corr in scn.correlations:
        used = corr in scn.active_correlations()
        lines.append(
            f"rank correlation {_safe(corr.label)}: {corr.rank:+.2f}"
            + ("" if used else " (ignored)")
        )
    return lines


def _table(**kwargs: Any) -> Any:
    """A table in the command line's one style (a rule under the bold header, no box)."""
    from rich import box
    from rich.table import Table

    return Table(
        header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, **kwargs
    )


def _prior_table(scn: Any) -> Any:
    from rich import box
    from rich.table import Table

    from .model import units, var_name

    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for name, justify in [
        ("field", "left"),
        ("prior", "left"),
        ("units", "left"),
        ("5%", "right"),
        ("50%", "right"),
        ("95%", "right"),
    ]:
        table.add_column(
            name, justify=justify, no_wrap=name != "units", min_width=6 if name == "units" else None
        )  # type: ignore[arg-type]
    for path, prior in scn.prior_fields().items():
        unit = units(var_name(path))
        q = np.asarray(prior.ppf(np.array([0.05, 0.5, 0.95])), dtype=float)
        cells = [_fmt(float(v), unit) for v in q]
        table.add_row(_safe(path), _safe(_describe(prior)), unit, *cells)
    return table


@app.command()
def forecast(
    scenario: ScenarioArg,
    draws: Annotated[
        int,
        typer.Option(
            "--draws",
            "-n",
            parser=_parse_count,
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
            parser=_parse_count,
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
    with _user_errors(debug):
        scn = _with_wall(_load(scenario), no_wall, wall_binds)
        _forecast(scn, draws, seed, out, plot, as_json, years, chunk_size, progress)


def _with_wall(scn: Any, no_wall: bool, wall_binds: str | None) -> Any:
    """Apply ``--no-wall`` / ``--wall-binds`` to a loaded scenario."""
    if no_wall and wall_binds is not None:
        raise UserError("--no-wall and --wall-binds contradict each other; give one")
    if no_wall:
        return scn.replace({"data_wall.enabled": False})
    if wall_binds is not None:
        if not scn.data_wall.enabled:
            raise UserError(f"--wall-binds: the data wall of {scn.name!r} is off")
        return scn.replace({"data_wall.binds": wall_binds})
    return scn


def _forecast(
    scn: Any,
    draws: int,
    seed: int,
    out: Path | None,
    plot: Path | None,
    as_json: bool,
    years: list[float] | None,
    chunk_size: int | None,
    progress: bool | None,
) -> None:
    from .forecast import forecast as run_forecast

    if draws < 1:
        raise UserError(f"--draws must be at least 1, got {draws}")
    if chunk_size is not None and chunk_size < 1:
        raise UserError(f"--chunk-size must be at least 1, got {chunk_size}")
    report_years = _report_years(scn, years)
    _check_output(out, "--out")
    _check_output(plot, "--plot")
    plot_format = _plot_format(plot) if plot is not None else None
    if out is not None and plot is not None and out.resolve() == plot.resolve():
        raise UserError("--out and --plot must be different files")

    err = _console(stderr=True)
    show_progress = err.is_terminal if progress is None else progress
    start = time.perf_counter()
    # Ctrl-C takes effect between chunks (or once compiled), never inside compiled code
    with _INTERRUPTS.deferred(), _progress_bar(err, draws, show_progress) as callback:
        fc = run_forecast(
            scn,
            draws=draws,
            seed=seed,
            chunk_size=chunk_size,
            progress=_INTERRUPTS.checkpointed(callback),
        )
    seconds = time.perf_counter() - start

    # all outputs appear together, or none; Ctrl-C waits until they are in place
    with _INTERRUPTS.deferred(), contextlib.ExitStack() as stack:
        if out is not None:
            from ._netcdf import DEFAULT_COMPRESSION, compressed_buffer

            buffer = compressed_buffer(fc.tree, DEFAULT_COMPRESSION)  # in memory first: see _io
            write_buffer(stack.enter_context(atomic_write(out)), buffer)
        if plot is not None:
            fig = _arrival_figure(fc)
            try:
                _write_figure(fig, stack.enter_context(atomic_write(plot)), plot_format)
            finally:
                _close(fig)

    if as_json:
        payload = _json_payload(fc, report_years, seconds, out, plot)
        typer.echo(json.dumps(payload, indent=2, allow_nan=False))
        return
    console = _console()
    _print_forecast(console, fc, report_years, seconds)
    for label, path in (("draws", out), ("figure", plot)):
        if path is not None:
            console.print(f"wrote {label}: {_safe(path)}")


def _report_years(scn: Any, years: list[float] | None) -> list[float]:
    t0, horizon = scn.reference.year, scn.horizon
    if years:
        bad = [y for y in years if not (t0 <= y <= horizon)]
        if bad:
            raise UserError(
                f"--year {bad[0]:g} is outside [reference.year, horizon] = [{t0:g}, {horizon:g}]"
            )
        return sorted(set(years))
    chosen = {float(y) for y in DEFAULT_YEARS if t0 < y <= horizon} | {float(horizon)}
    return sorted(chosen)


@contextlib.contextmanager
def _progress_bar(
    console: Any, total: int, enabled: bool
) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar over the forecast's chunks (on stderr), as a ``progress`` callback."""
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
        console=console,
        transient=console.is_terminal,
    )
    with bar:
        task = bar.add_task("compiling and drawing parameters", total=total)

        def callback(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description="solving arrival years")

        yield callback


def _print_forecast(console: Any, fc: Any, years: list[float], seconds: float) -> None:

    scn = fc.scenario
    horizon = scn.horizon
    n = fc.arrival.sizes["draw"]
    wall = f"on, binds {scn.data_wall.binds} compute" if scn.data_wall.enabled else "off"
    console.print(
        f"[bold]{_safe(scn.name)}[/bold]: {n:,} draws, seed {fc.seed}, data wall {wall} "
        f"({seconds:.1f} s)"
    )
    removed = int(fc.tree.attrs.get("not_before_removed", 0))
    if removed:
        console.print(f"conditioning on no arrival before {scn.not_before:g} removed {removed:,}")
    lo, med, hi = fc.quantile([0.05, 0.5, 0.95]).values
    console.print(
        f"arrival year: median {_year(med, horizon)}, 90% interval "
        f"{_year(lo, horizon)} to {_year(hi, horizon)}; "
        f"P(not by {horizon:g}) = {fc.censored_fraction:.1%}"
    )

    table = _table(title="90% intervals of every variable")
    for name, justify in [
        ("variable", "left"),
        ("units", "left"),
        ("5%", "right"),
        ("median", "right"),
        ("95%", "right"),
        ("censored", "right"),
    ]:
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    ds = fc.draws
    names = ["arrival_year"] + [v for v in ds.data_vars if v != "arrival_year"]
    for name in names:
        values = ds[name].values.ravel()
        unit = ds[name].attrs.get("units", "")
        q = stats.quantile(values, (0.05, 0.5, 0.95))
        cens = stats.censored_share(values)
        if unit == "year" or name.endswith("_year") or "_year_" in name:
            cells = [_year(float(v), horizon) for v in q]
        else:
            cells = [_fmt(float(v), unit) for v in q]
        table.add_row(name, unit, *cells, f"{cens:.1%}" if cens else "")
    console.print(table)

    prob = _table(title="P(arrived by year)")
    cdf = fc.cdf(years).values
    for year in years:
        prob.add_column(f"{year:g}", justify="right")
    prob.add_row(*(f"{p:.1%}" for p in cdf))
    console.print(prob)


@app.command()
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
            parser=_parse_count,
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
    with _user_errors(debug):
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
    from .compare import compare as run_compare

    if draws < 1:
        raise UserError(f"--draws must be at least 1, got {draws}")
    if len(names) < 2:
        raise UserError("compare needs at least two scenarios")
    scenarios: dict[str, Any] = {}
    for arg in names:
        scn = _load(arg)
        if no_wall or scn.data_wall.enabled:  # --wall-binds leaves wall-off scenarios alone
            scn = _with_wall(scn, no_wall, wall_binds)
        key = scn.name if scn.name not in scenarios else arg
        if key in scenarios:
            raise UserError(f"scenario {arg!r} is given twice")
        scenarios[key] = scn
    report_years = _common_years(list(scenarios.values()), years)
    _check_output(out, "--out")
    _check_output(plot, "--plot")
    plot_format = _plot_format(plot) if plot is not None else None
    if out is not None and plot is not None and out.resolve() == plot.resolve():
        raise UserError("--out and --plot must be different files")

    err = _console(stderr=True)
    start = time.perf_counter()
    status = (
        err.status(f"forecasting {len(scenarios)} scenarios")
        if err.is_terminal
        else contextlib.nullcontext()
    )
    with _INTERRUPTS.deferred(), status:  # Ctrl-C takes effect once the forecasts are done
        table, tree, forecasts = run_compare(
            scenarios, draws=draws, seed=seed, quantiles=(0.05, 0.5, 0.95), years=report_years
        )
    seconds = time.perf_counter() - start

    # all outputs appear together, or none; Ctrl-C waits until they are in place
    with _INTERRUPTS.deferred(), contextlib.ExitStack() as stack:
        if out is not None:
            from ._netcdf import DEFAULT_COMPRESSION, compressed_buffer

            buffer = compressed_buffer(tree, DEFAULT_COMPRESSION)  # in memory first: see _io
            write_buffer(stack.enter_context(atomic_write(out)), buffer)
        if plot is not None:
            fig = _compare_figure(forecasts)
            try:
                _write_figure(fig, stack.enter_context(atomic_write(plot)), plot_format)
            finally:
                _close(fig)

    if as_json:
        from .forecast import versions

        rows = {
            name: {
                col: v if isinstance(v, str) else _json_number(float(v)) for col, v in row.items()
            }
            for name, row in table.iterrows()
        }
        payload = {
            "scenarios": rows,
            "draws": draws,
            "seed": seed,
            "data_wall_forced_off": no_wall,
            "data_wall_binds_forced": wall_binds,
            "units": table.attrs.get("units", {}),
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

    from .compare import quantile_column, year_column

    console = _console()
    console.print(
        f"{len(scenarios)} scenarios, {draws:,} draws each, seed {seed} "
        f"(common random numbers; {seconds:.1f} s)"
    )
    out_table = _table()
    out_table.add_column("scenario", no_wrap=True, min_width=max(len(k) for k in scenarios))
    for head in ("5%", "median", "95%"):
        out_table.add_column(head, justify="right", no_wrap=True)
    for year in report_years:
        out_table.add_column(f"P({year:g})", justify="right", no_wrap=True)
    out_table.add_column("data wall", justify="left", no_wrap=True)
    out_table.add_column("censored", justify="right", no_wrap=True)
    out_table.add_column("wall binds", justify="right", no_wrap=True)
    for name, row in table.iterrows():
        horizon = scenarios[name].horizon
        cells = [_year(float(row[quantile_column(q)]), horizon) for q in (0.05, 0.5, 0.95)]
        cells += [f"{row[year_column(y)]:.1%}" for y in report_years]
        cells += [
            str(row["data_wall"]),
            f"{row['censored_share']:.1%}",
            f"{row['wall_binding_share']:.1%}",
        ]
        out_table.add_row(_safe(name), *cells)
    if not console.is_terminal:  # a file or a pipe: as wide as the table, never truncated
        wide = console.options.update(max_width=1000)
        console.width = max(console.width, console.measure(out_table, options=wide).maximum)
    console.print(out_table)
    for label, path in (("comparison", out), ("figure", plot)):
        if path is not None:
            console.print(f"wrote {label}: {_safe(path)}")


def _common_years(scenarios: list[Any], years: list[float] | None) -> list[float]:
    """Report years valid for every scenario (``--year`` values are checked against each)."""
    if years:
        for scn in scenarios:
            _report_years(scn, years)
        return sorted(set(years))
    t0 = max(s.reference.year for s in scenarios)
    horizon = min(s.horizon for s in scenarios)
    chosen = {float(y) for y in (2027, 2030, 2035, 2040, 2050) if t0 < y <= horizon}
    return sorted(chosen or {float(horizon)})


def _compare_figure(forecasts: dict[str, Any]) -> Any:
    """Arrival intervals side by side (:func:`agi_timelines.plot.compare`), for a file."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")  # files only: no window, no GUI toolkit needed
    from .plot import compare as plot_compare

    fig, _ = plot_compare(forecasts)
    return fig


@app.command()
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
    with _user_errors(debug):
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
    import warnings

    from .calibrate import CalibrationWarning
    from .calibrate import calibrate as run_calibrate

    if data is not None and not data.is_file():
        raise UserError(f"--data {data}: no such file")
    _check_output(out, "--out")
    err = _console(stderr=True)
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
        typer.echo(f"warning: {_one_line(Exception(message))}", err=True)
    if out is not None:
        with _INTERRUPTS.deferred(), atomic_write(out) as tmp:
            write_buffer(tmp, netcdf_buffer(cal.tree))

    summary = cal.summary()
    low, high = cal.growth_factor_interval(0.9)
    slope = float(cal.slope.median())
    if as_json:
        from .forecast import versions

        attrs = cal.tree.attrs
        payload = {
            "slope_median_oom_per_year": slope,
            "growth_factor_median": 10**slope,
            "growth_factor_90": [low, high],
            "diagnostics": {
                k: (int(v) if k == "divergences" else _json_number(float(v)))
                for k, v in cal.diagnostics.items()
            },
            "converged": not problems,
            "warnings": problems,
            "summary": {
                name: {col: _json_number(float(v)) for col, v in row.items()}
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

    from .calibrate import UNITS

    console = _console()
    attrs = cal.tree.attrs
    console.print(
        f"{attrs.get('n_runs')} runs since {since:g} ({_safe(attrs.get('data_file'))}, "
        f"v{cal.data_version}); {chains} chains x {draws} draws, seed {seed}"
    )
    console.print(
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
    console.print(table)
    diag = cal.diagnostics
    console.print(
        f"diagnostics: max R-hat {diag['max_r_hat']:.3f}, min bulk ESS "
        f"{diag['min_ess_bulk']:.0f}, divergences {diag['divergences']}"
        + ("" if not problems else " [bold]-- see the warning above[/bold]")
    )
    if out is not None:
        console.print(f"wrote posterior: {_safe(out)}")


def _json_number(x: float) -> float | None:
    return None if not math.isfinite(x) else float(x)


def _json_payload(
    fc: Any, years: list[float], seconds: float, out: Path | None, plot: Path | None
) -> dict[str, Any]:
    scn = fc.scenario
    q = fc.quantile(list(QUANTILES)).values
    return {
        "scenario": scn.name,
        "draws": int(fc.arrival.sizes["draw"]),
        "draws_requested": requested_draws(fc.tree.attrs, int(fc.arrival.sizes["draw"])),
        "not_before_removed": int(fc.tree.attrs.get("not_before_removed", 0)),
        "seed": fc.seed,
        "data_wall": bool(scn.data_wall.enabled),
        "data_wall_binds": scn.data_wall.binds if scn.data_wall.enabled else None,
        "reference_year": scn.reference.year,
        "horizon": scn.horizon,
        "arrival_year_quantiles": {
            f"{p:g}": _json_number(float(v)) for p, v in zip(QUANTILES, q, strict=True)
        },
        "p_arrived_by": {
            f"{y:g}": float(p) for y, p in zip(years, fc.cdf(years).values, strict=True)
        },
        "censored_fraction": fc.censored_fraction,
        **_wall_off_json(fc),
        "seconds": round(seconds, 3),
        "outputs": {
            "netcdf": None if out is None else str(out),
            "plot": None if plot is None else str(plot),
        },
        "versions": fc.versions,
        "notes": "quantiles are null where they fall in the censored mass (no arrival by horizon)",
    }


def _wall_off_json(fc: Any) -> dict[str, Any]:
    """With the data wall on, the same draws' arrival quantiles with the wall switched off."""
    if "arrival_year_no_wall" not in fc.draws:
        return {}
    values = fc.draws["arrival_year_no_wall"].values.ravel()
    q = stats.quantile(values, QUANTILES)
    return {
        "arrival_year_quantiles_wall_off": {
            f"{p:g}": _json_number(float(v)) for p, v in zip(QUANTILES, q, strict=True)
        },
        "censored_fraction_wall_off": stats.censored_share(values),
    }


def _arrival_figure(fc: Any) -> Any:
    """The arrival CDF of :func:`agi_timelines.plot.arrival_cdf`, drawn for a file."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")  # files only: no window, no GUI toolkit needed
    from .plot import arrival_cdf

    fig, _ = arrival_cdf(fc)
    return fig


def _write_figure(fig: Any, path: Path, fmt: str | None) -> None:
    """Save with the examples' settings (house style, 300 dpi, tight bounding box)."""
    from .plot._style import write

    write(fig, path, fmt or "png")


def _close(fig: Any) -> None:
    """Release a figure pyplot may be tracking (repeated runs in one process)."""
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    """Run the command line (the ``agi-timelines`` entry point); returns the exit status.

    Usage errors (an unknown option, a bad option value) print one ``error:`` line and
    return 2, as every other user error does; Ctrl-C before a command starts returns 130.
    """
    from typer.exceptions import TyperException  # typer's (vendored) click errors

    from . import _interrupted_while_starting

    if signal.getsignal(signal.SIGINT) is _interrupted_while_starting:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # imports done: Python's own
    _INTERRUPTS.reported = False
    try:
        status = app(args=argv, prog_name="agi-timelines", standalone_mode=False)
    except (typer.Abort, KeyboardInterrupt):  # Ctrl-C before a command's own handling
        _INTERRUPTS.report()
        return EXIT_INTERRUPTED
    except TyperException as err:
        ctx = getattr(err, "ctx", None)
        if type(err).__name__ == "NoArgsIsHelpError" and ctx is not None:
            typer.echo(ctx.get_help(), err=True)
        else:
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            text = err.format_message() if hasattr(err, "format_message") else str(err)
            typer.echo(f"error: {_one_line(Exception(text))}{hint}", err=True)
        return int(getattr(err, "exit_code", EXIT_USER_ERROR))
    if status == EXIT_INTERRUPTED:  # typer turns a KeyboardInterrupt into a silent Exit(130)
        _INTERRUPTS.report()
    return status if isinstance(status, int) else 0


def entry_point() -> int:
    """The ``agi-timelines`` console script: :func:`main`, then an exit Ctrl-C cannot break.

    Once the command has finished, SIGINT is ignored: shutting the interpreter down takes
    about 2 s with the numerical stack loaded, and a Ctrl-C then would kill the process
    (status -2, nothing printed) or crash a C extension's teardown (status -11), although
    the work and the outputs were complete.
    """
    status = main()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(entry_point())
