"""Figures for papers: every function takes a result, an optional ``ax``, returns ``(fig, ax)``.

The house style (``STYLE``: Okabe-Ito colours, 8 pt text at one-column width, no chart
junk) is applied by each function; switch it off with ``with plot.style(False): ...``.
:func:`save` writes vector PDF and PNG.

Examples
--------
>>> import agi_timelines as agt, matplotlib.pyplot as plt
>>> from agi_timelines import plot
>>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=2000, seed=0)
>>> fig, ax = plot.arrival_cdf(fc)
>>> plt.close(fig)
"""

from ._accessor import ForecastPlots
from ._calibration import calibration
from ._data_wall import data_wall
from ._horizons import horizons
from ._parameters import parameters
from ._style import COLORS, PALETTE, STYLE, save, style
from .analysis import sweep_heatmap, tornado
from .arrival import arrival_cdf, arrival_pdf, compare
from .trajectory import axes_stack, error_bars, fan

__all__ = [
    "COLORS",
    "PALETTE",
    "STYLE",
    "ForecastPlots",
    "arrival_cdf",
    "arrival_pdf",
    "axes_stack",
    "calibration",
    "compare",
    "data_wall",
    "error_bars",
    "fan",
    "horizons",
    "parameters",
    "save",
    "style",
    "sweep_heatmap",
    "tornado",
]
