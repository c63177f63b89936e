"""agi_timelines: probabilistic "counting the OOMs" forecasts of AGI arrival, on PyMC.

Examples
--------
>>> import agi_timelines as agt
>>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=10_000, seed=0)
>>> 0 < fc.prob_by(2030) < 1
True

The analyses are functions of the top-level namespace (``agt.sensitivity``,
``agt.compare``, ``agt.sweep``, ``agt.calibrate``, ``agt.calibrate_horizon``); their modules
(of the same name, or :mod:`agi_timelines.horizons` for the last) are reached with
``from agi_timelines.sweep import ...`` or :func:`importlib.import_module`.
"""

import os as _os
import signal as _signal
import sys as _sys


def _interrupted_while_starting(signum: int, frame: object) -> None:  # pragma: no cover
    """Ctrl-C while the ``agi-timelines`` console script is still importing: one line, 130."""
    _sys.stderr.write("error: interrupted\n")
    _sys.stderr.flush()
    _os._exit(130)  # nothing has been written yet; nothing to clean up


if (
    _os.path.basename(_sys.argv[0] if _sys.argv else "") == "agi-timelines"
    and _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler  # not if ignored
):
    # Only for the console script, never when a program or a test imports the package: its
    # imports take a few tenths of a second, and agi_timelines.cli.main() takes over then.
    _signal.signal(_signal.SIGINT, _interrupted_while_starting)

import importlib as _importlib
import types as _types
from importlib import metadata as _metadata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names below, for type checkers and IDEs
    from .calibrate import Calibration, CalibrationWarning, calibrate
    from .compare import Comparison, compare
    from .data import frontier_runs, time_horizons
    from .forecast import forecast
    from .horizons import HorizonCalibration, calibrate_horizon
    from .model import build_model
    from .priors import beta, ci90, lognormal, mixture, normal, point, uniform
    from .result import Forecast
    from .scenario import InputWarning, Scenario
    from .sensitivity import sensitivity, tornado_table
    from .summary import SummaryTable
    from .sweep import sweep, sweepable_fields

_LAZY = {
    "Calibration": "calibrate",
    "CalibrationWarning": "calibrate",
    "calibrate": "calibrate",
    "Comparison": "compare",
    "compare": "compare",
    "frontier_runs": "data",
    "time_horizons": "data",
    "HorizonCalibration": "horizons",
    "calibrate_horizon": "horizons",
    "forecast": "forecast",
    "build_model": "model",
    **dict.fromkeys(
        ["beta", "ci90", "lognormal", "mixture", "normal", "point", "uniform"], "priors"
    ),
    "Forecast": "result",
    "InputWarning": "scenario",
    "Scenario": "scenario",
    "sensitivity": "sensitivity",
    "tornado_table": "sensitivity",
    "SummaryTable": "summary",
    "sweep": "sweep",
    "sweepable_fields": "sweep",
}
"""Public name -> submodule defining it.  Names are imported on first use (PEP 562), so
``import agi_timelines`` -- and the command line's ``--help`` -- does not load PyMC."""


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


class _Package(_types.ModuleType):
    """The package's module type.

    A submodule named like the function it defines (``compare``, ``forecast``, ``sensitivity``,
    ``sweep``, ``calibrate``) must not replace that function as the package's attribute when the
    import system binds it.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, _types.ModuleType) and _LAZY.get(name) == name:
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package

try:
    __version__ = _metadata.version("agi_timelines")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "Calibration",
    "CalibrationWarning",
    "Comparison",
    "Forecast",
    "HorizonCalibration",
    "InputWarning",
    "Scenario",
    "SummaryTable",
    "__version__",
    "beta",
    "build_model",
    "calibrate",
    "calibrate_horizon",
    "ci90",
    "compare",
    "forecast",
    "frontier_runs",
    "lognormal",
    "mixture",
    "normal",
    "point",
    "sensitivity",
    "sweep",
    "sweepable_fields",
    "time_horizons",
    "tornado_table",
    "uniform",
]
