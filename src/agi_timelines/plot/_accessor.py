"""``fc.plot``: the figures of one forecast, as methods (pymc-marketing's plot-suite pattern).

Each method draws the :mod:`agi_timelines.plot` function of the same figure for this
forecast and returns what it returns, ``(fig, ax)``; keyword arguments are passed on
unchanged.  There is one way to draw each figure: ``fc.plot.fan()`` is
``plot.fan(fc)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import arrival, trajectory

# the functions, not the modules: the package re-exports each under its module's name
from .data_wall import data_wall as _data_wall
from .horizons import horizons as _horizons
from .parameters import parameters as _parameters

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..result import Forecast

__all__ = ["ForecastPlots"]


class ForecastPlots:
    """The figures of one :class:`~agi_timelines.Forecast` (``fc.plot``).

    Parameters
    ----------
    fc : Forecast
        The forecast every method draws.

    Examples
    --------
    >>> import agi_timelines as agt, matplotlib.pyplot as plt
    >>> fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=2000, seed=0)
    >>> fig, ax = fc.plot.cdf()
    >>> fig, ax = fc.plot.fan(ax=ax)  # onto given axes
    >>> plt.close("all")
    """

    def __init__(self, fc: Forecast) -> None:
        self._fc = fc

    def __repr__(self) -> str:
        names = ", ".join(f".{m}()" for m in _METHODS)
        return f"<plots of {self._fc.scenario.name!r}: {names}>"

    def cdf(self, ax: Axes | None = None, **kwargs: Any) -> tuple[Any, Any]:
        """P(arrived by year): :func:`agi_timelines.plot.arrival_cdf` of this forecast."""
        return arrival.arrival_cdf(self._fc, ax, **kwargs)

    def pdf(self, ax: Axes | None = None, **kwargs: Any) -> tuple[Any, Any]:
        """Arrival-year density: :func:`agi_timelines.plot.arrival_pdf` of this forecast."""
        return arrival.arrival_pdf(self._fc, ax, **kwargs)

    def fan(self, ax: Axes | None = None, **kwargs: Any) -> tuple[Any, Any]:
        """Bands of E(t) against the requirement: :func:`agi_timelines.plot.fan`."""
        return trajectory.fan(self._fc, ax, **kwargs)

    def axes(self, ax: Axes | None = None, **kwargs: Any) -> tuple[Any, Any]:
        """Each growth axis's contribution to E(t): :func:`agi_timelines.plot.axes_stack`."""
        return trajectory.axes_stack(self._fc, ax, **kwargs)

    def error_bars(self, ax: Axes | None = None, **kwargs: Any) -> tuple[Any, Any]:
        """Interval widths with the data wall on and off: :func:`agi_timelines.plot.error_bars`."""
        return trajectory.error_bars(self._fc, ax, **kwargs)

    def parameters(self, var_names: Any = None, **kwargs: Any) -> tuple[Any, Any]:
        """Return the sampled priors, one panel each: :func:`agi_timelines.plot.parameters`."""
        return _parameters(self._fc, var_names, **kwargs)

    def data_wall(self, **kwargs: Any) -> tuple[Any, Any]:
        """Return the data wall's effect on the same draws: :func:`agi_timelines.plot.data_wall`."""
        return _data_wall(self._fc, **kwargs)

    def horizons(self, ax: Axes | None = None, **kwargs: Any) -> tuple[Any, Any]:
        """METR's time horizons, extended by this forecast: :func:`agi_timelines.plot.horizons`."""
        return _horizons(self._fc, ax, **kwargs)


_METHODS = ("cdf", "pdf", "fan", "axes", "error_bars", "parameters", "data_wall", "horizons")
