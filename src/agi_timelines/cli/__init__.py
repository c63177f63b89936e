r"""The ``agi-timelines`` command line: list presets, show a scenario, run a forecast.

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
printed text (scenario names, file names) are shown escaped (``\x00``, ``\u202e``).

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

import signal
import threading

import typer

from ._app import EXIT_INTERRUPTED, EXIT_USER_ERROR, app, one_line
from ._calibrate import calibrate
from ._compare import compare
from ._forecast import forecast
from ._interrupts import INTERRUPTS
from ._show import presets, show

for _command in (presets, show, forecast, compare, calibrate):  # the order of --help
    app.command()(_command)

__all__ = ["app", "entry_point", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line (the ``agi-timelines`` entry point); returns the exit status.

    Usage errors (an unknown option, a bad option value) print one ``error:`` line and
    return 2, as every other user error does; Ctrl-C before a command starts returns 130.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0, 2 (a user error) or 130 (interrupted).
    """
    from typer.exceptions import TyperException  # typer's (vendored) click errors

    from .. import _interrupted_while_starting

    if signal.getsignal(signal.SIGINT) is _interrupted_while_starting:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # imports done: Python's own
    INTERRUPTS.reported = False
    try:
        status = app(args=argv, prog_name="agi-timelines", standalone_mode=False)
    except (typer.Abort, KeyboardInterrupt):  # Ctrl-C before a command's own handling
        INTERRUPTS.report()
        return EXIT_INTERRUPTED
    except TyperException as err:
        ctx = getattr(err, "ctx", None)
        if type(err).__name__ == "NoArgsIsHelpError" and ctx is not None:
            typer.echo(ctx.get_help(), err=True)
        else:
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            text = err.format_message() if hasattr(err, "format_message") else str(err)
            typer.echo(f"error: {one_line(Exception(text))}{hint}", err=True)
        return int(getattr(err, "exit_code", EXIT_USER_ERROR))
    if status == EXIT_INTERRUPTED:  # typer turns a KeyboardInterrupt into a silent Exit(130)
        INTERRUPTS.report()
    return status if isinstance(status, int) else 0


def entry_point() -> int:
    """Run :func:`main` as the ``agi-timelines`` console script, then ignore Ctrl-C.

    Once the command has finished, SIGINT is ignored: shutting the interpreter down takes
    about 2 s with the numerical stack loaded, and a Ctrl-C then would kill the process
    (status -2, nothing printed) or crash a C extension's teardown (status -11), although
    the work and the outputs were complete.

    Returns
    -------
    int
        The exit status of :func:`main`.
    """
    status = main()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    return status
