"""The command line's SIGINT handling (:mod:`agi_timelines.cli._interrupts`), in process."""

from __future__ import annotations

import gc
import os
import signal
import sys
import weakref

import pytest

from agi_timelines.cli._interrupts import Interrupts


class _Thing:
    pass


def test_a_sigint_inside_an_ignored_callback_is_kept_not_printed(capsys):
    """A Ctrl-C that lands in a weakref callback (whose exceptions Python only prints).

    It must not reach stderr as a traceback nor be lost: the next checkpoint raises it.
    """
    interrupts = Interrupts()
    before = sys.unraisablehook
    with interrupts.installed():
        thing = _Thing()
        ref = weakref.ref(thing, lambda _: os.kill(os.getpid(), signal.SIGINT))
        del thing
        gc.collect()  # the callback runs, the handler raises inside it
        assert ref() is None
        assert interrupts.seen
        assert capsys.readouterr().err == ""
        with pytest.raises(KeyboardInterrupt):
            interrupts.checkpoint()
    assert sys.unraisablehook is before


def test_other_unraisable_errors_still_reach_the_previous_hook():
    seen = []

    def hook(info):
        seen.append(info)

    previous, sys.unraisablehook = sys.unraisablehook, hook
    try:
        interrupts = Interrupts()
        with interrupts.installed():
            thing = _Thing()
            ref = weakref.ref(thing, lambda _: 1 / 0)
            del thing
            gc.collect()
            assert ref() is None
        assert [type(u.exc_value) for u in seen] == [ZeroDivisionError]
        assert sys.unraisablehook is hook  # restored on exit
    finally:
        sys.unraisablehook = previous
