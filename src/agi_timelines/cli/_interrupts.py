"""Ctrl-C (SIGINT) handling of the command line: interrupt at once, or defer to a checkpoint."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType

import typer

__all__ = ["INTERRUPTS", "Interrupts"]


class Interrupts:
    """SIGINT handling of the command line.

    Outside :meth:`deferred` a SIGINT raises ``KeyboardInterrupt`` at once (as Python's
    default handler does) and is remembered, so an exception it surfaced as (e.g. a
    ``SystemError`` from inside a C extension) is still reported as an interruption.  Inside
    :meth:`deferred` (sampling, where compiled code must not be interrupted, and writing the
    outputs) it waits until the section ends or the next :meth:`checkpoint` (each solver
    chunk), so a file is either left as it was or completely replaced.  A SIGINT that lands in
    a callback whose exceptions Python ignores (a weakref callback during garbage collection)
    waits for the next checkpoint too, instead of being lost with a traceback on stderr.

    Attributes
    ----------
    seen : bool
        A SIGINT arrived while :meth:`installed` was active.
    reported : bool
        The one ``error: interrupted`` line has been printed.
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
        """Handle SIGINT as described above while the block runs (main thread only).

        Yields
        ------
        None
        """
        if threading.current_thread() is not threading.main_thread():
            yield  # signal handlers can only be set from the main thread
            return
        self.seen, self.reported, self._pending, self._depth = False, False, False, 0
        previous = signal.signal(signal.SIGINT, self._handle)
        previous_hook = sys.unraisablehook

        def unraisable(info: sys.UnraisableHookArgs) -> None:
            # A SIGINT that lands while Python runs a callback whose exceptions it ignores (a
            # weakref callback, a __del__) raises there and is lost, with its traceback on
            # stderr: keep it for the next checkpoint instead, and print nothing.
            if isinstance(info.exc_value, KeyboardInterrupt):
                self._pending = True
                return
            previous_hook(info)

        sys.unraisablehook = unraisable
        try:
            yield
        finally:
            sys.unraisablehook = previous_hook
            signal.signal(signal.SIGINT, previous)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
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
        """Wrap a ``progress`` callback so that it also is a :meth:`checkpoint`.

        Parameters
        ----------
        callback : callable or None
            ``callback(done, total)`` (draws), or None for checkpoints only.

        Returns
        -------
        callable
            The ``progress(done, total)`` callback to give the forecast.
        """

        def progress(done: int, total: int) -> None:
            self.checkpoint()
            if callback is not None:
                callback(done, total)

        return progress

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Defer a SIGINT to the next :meth:`checkpoint` or the end of the block.

        Yields
        ------
        None
        """
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth and self._pending:
                self._pending = False
                raise KeyboardInterrupt


INTERRUPTS = Interrupts()
"""The command line's one SIGINT handler state."""
