"""The command line's output files: checked before any work, then all written or none.

Every command that writes files calls :func:`check_output` for each target before it
starts, and :func:`write_all` once at the end: each file goes to a temporary file beside
its target (:func:`agi_timelines._io.atomic_write`) and all are moved into place only when
every one was written, so a failure (or Ctrl-C, which waits until the files are in place)
leaves the old files, or none, and never some of the new ones.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .._io import OutputError, atomic_write, check_target
from ._app import UserError
from ._interrupts import INTERRUPTS

if TYPE_CHECKING:
    import xarray as xr
    from matplotlib.figure import Figure

__all__ = [
    "Writer",
    "check_out_and_plot",
    "check_output",
    "close",
    "figure_writer",
    "files_agg",
    "netcdf_writer",
    "plot_format",
    "write_all",
    "write_figure",
]

Writer = Callable[[Path], None]
"""Writes one output's content to the (temporary) path it is given."""


def check_output(path: Path | None, what: str) -> None:
    """Fail before any work if an output file cannot be written where asked.

    Parameters
    ----------
    path : Path or None
        The target (None: no such output).
    what : str
        The option that names it, for the message (``"--out"``).

    Raises
    ------
    UserError
        A missing or read-only directory; a target that is a symbolic link, directory or
        device.
    """
    if path is None:
        return
    try:
        check_target(path)
    except OutputError as err:
        raise UserError(f"cannot write {what} {path}: {err.strerror}") from None


def check_out_and_plot(out: Path | None, plot: Path | None) -> str | None:
    """Check a command's ``--out`` (netCDF) and ``--plot`` (figure) before any work.

    Parameters
    ----------
    out, plot : Path or None
        The targets (None: not asked for).

    Returns
    -------
    str or None
        The figure format (:func:`plot_format`), or None without ``--plot``.

    Raises
    ------
    UserError
        As :func:`check_output` and :func:`plot_format`, or both options naming one file.
    """
    check_output(out, "--out")
    check_output(plot, "--plot")
    figure_format = plot_format(plot) if plot is not None else None
    if out is not None and plot is not None and out.resolve() == plot.resolve():
        raise UserError("--out and --plot must be different files")
    return figure_format


def plot_format(path: Path) -> str:
    """Return the figure format of ``path`` from its suffix, if matplotlib can write it.

    Parameters
    ----------
    path : Path
        The ``--plot`` target.

    Returns
    -------
    str
        The format (``"pdf"``, ``"png"``, ...).

    Raises
    ------
    UserError
        An unknown suffix (the message lists the known ones).
    """
    from matplotlib.figure import Figure

    formats = Figure().canvas.get_supported_filetypes()
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in formats:
        raise UserError(
            f"--plot {path}: unknown figure format {path.suffix or '(none)'!r}; "
            f"use one of {', '.join('.' + f for f in sorted(formats))}"
        )
    return fmt


def write_all(outputs: Sequence[tuple[Path | None, Writer]]) -> None:
    """Write every output, or none: the one writer of the command line's files.

    Parameters
    ----------
    outputs : sequence of (Path or None, callable)
        Each target and the function that writes its content to the temporary path it is
        given; a target of None is skipped.  They run in order; the files are moved into
        place once all have been written.

    Raises
    ------
    Exception
        Whatever a writer raised (an ``OSError`` as :class:`~agi_timelines._io.OutputError`
        naming the target); then no new file is in place and no temporary file is left.
    """
    # Ctrl-C waits until the files are in place (or all removed)
    with INTERRUPTS.deferred(), contextlib.ExitStack() as stack:
        for path, write in outputs:
            if path is not None:
                write(stack.enter_context(atomic_write(path)))


def write_figure(fig: Figure, path: Path, fmt: str | None) -> None:
    """Save ``fig`` with the examples' settings (house style, 300 dpi, tight bounding box).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    path : Path
        Where to write it.
    fmt : str or None
        The format (default ``"png"``).
    """
    from ..plot._style import write

    write(fig, path, fmt or "png")


def close(fig: Figure) -> None:
    """Release a figure pyplot may be tracking (repeated runs in one process).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    """
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        plt.close(fig)


def figure_writer(draw: Callable[[], Figure], fmt: str | None) -> Writer:
    """Return a :data:`Writer` that draws a figure, saves it and releases it.

    Parameters
    ----------
    draw : callable
        ``draw()`` returns the figure (called only when the file is written).
    fmt : str or None
        The figure format (:func:`plot_format`).

    Returns
    -------
    callable
        The writer.
    """

    def write(path: Path) -> None:
        fig = draw()
        try:
            write_figure(fig, path, fmt)
        finally:
            close(fig)

    return write


def netcdf_writer(tree: xr.DataTree) -> Writer:
    """Return a :data:`Writer` of ``tree`` as netCDF (default compression, serialised in memory).

    Parameters
    ----------
    tree : xarray.DataTree
        A forecast's or a comparison's tree.

    Returns
    -------
    callable
        The writer.
    """

    def write(path: Path) -> None:
        from .._io import write_buffer
        from .._netcdf import DEFAULT_COMPRESSION, compressed_buffer

        write_buffer(path, compressed_buffer(tree, DEFAULT_COMPRESSION))

    return write


def files_agg() -> None:
    """Use matplotlib's file-only Agg backend unless pyplot is already loaded (no window)."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")  # files only: no window, no GUI toolkit needed
