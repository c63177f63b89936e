"""The typer app, the options commands share, and the mapping of errors to exit statuses.

User errors (:class:`UserError`, ``ValueError``, ``OSError``, ``MemoryError``) print one
``error:`` line on stderr and exit with :data:`EXIT_USER_ERROR`; ``--debug`` re-raises
them.  Ctrl-C exits with :data:`EXIT_INTERRUPTED` after one line; library warnings print as
one ``warning:`` line each.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from .._io import OutputError
from ._interrupts import INTERRUPTS
from ._text import printable

__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_USER_ERROR",
    "AsJson",
    "Debug",
    "ScenarioArg",
    "UserError",
    "WallBinds",
    "Years",
    "app",
    "one_line",
    "user_errors",
]

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
"""The ``agi-timelines`` command group (:mod:`agi_timelines.cli` adds the commands)."""

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


@app.callback()
def _main(debug: Debug = False) -> None:
    _STATE["debug"] = debug


@contextlib.contextmanager
def user_errors(debug: bool) -> Iterator[None]:
    """Turn user errors into one line on stderr and exit status 2 (unless ``--debug``).

    Also: Ctrl-C exits with status 130 after one line (whatever exception the interrupt
    surfaced as), and library warnings print as one ``warning:`` line each.

    Parameters
    ----------
    debug : bool
        The command's ``--debug``: re-raise instead (so does the group's ``--debug``).

    Yields
    ------
    None
    """
    with INTERRUPTS.installed(), warnings.catch_warnings():
        warnings.showwarning = _show_warning
        _SHOWN.clear()
        try:
            yield
        except typer.Exit:
            raise
        except BaseException as err:
            if INTERRUPTS.seen or isinstance(err, KeyboardInterrupt):
                if debug or _STATE["debug"]:
                    raise
                INTERRUPTS.report()
                raise typer.Exit(EXIT_INTERRUPTED) from None
            if not isinstance(err, UserError | ValueError | OSError | MemoryError):
                raise
            if debug or _STATE["debug"]:
                raise
            typer.echo(f"error: {one_line(err)}", err=True)
            raise typer.Exit(EXIT_USER_ERROR) from None
        if INTERRUPTS.seen:  # a library swallowed the KeyboardInterrupt: still report it
            INTERRUPTS.report()
            raise typer.Exit(EXIT_INTERRUPTED)


def one_line(err: BaseException) -> str:
    r"""Return the one printable line that reports ``err`` to the user.

    Parameters
    ----------
    err : BaseException
        The error (an ``OSError`` reads as its cause and file name).

    Returns
    -------
    str
        Its message on one line, control characters escaped; its type name when empty.

    Examples
    --------
    >>> one_line(ValueError("draws must be\n  at least 1"))
    'draws must be at least 1'
    >>> one_line(FileNotFoundError(2, "No such file or directory", "a.toml"))
    'No such file or directory: a.toml'
    """
    if isinstance(err, MemoryError):
        return "not enough memory for this many draws; use fewer --draws"
    if isinstance(err, OutputError):
        text = str(err)
    elif isinstance(err, OSError) and err.strerror:
        where = f" {err.filename}" if err.filename else ""
        text = f"{err.strerror}:{where}".rstrip(":")
    else:
        text = str(err)
    text = printable(" ".join(text.split()))
    return text or type(err).__name__


def _show_warning(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
    """``warnings.showwarning`` for the command line: one line on stderr, each text once."""
    text = one_line(Exception(str(message)))
    if text not in _SHOWN:
        _SHOWN.add(text)
        typer.echo(f"warning: {text}", err=True)


_SHOWN: set[str] = set()
"""Warnings printed by the running command (a scenario is validated more than once)."""
