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

from importlib import metadata as _metadata

from .calibrate import Calibration, CalibrationWarning, calibrate
from .compare import Comparison, compare
from .data import frontier_runs, time_horizons
from .forecast import forecast
from .horizons import HorizonCalibration, calibrate_horizon
from .model import build_model
from .priors import beta, ci90, lognormal, mixture, normal, point, uniform
from .result import Forecast
from .scenario import Scenario
from .sensitivity import sensitivity, tornado_table
from .sweep import sweep, sweepable_fields

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
    "Scenario",
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
