"""Defaults shared by the analyses (:mod:`~agi_timelines.compare`, :mod:`~agi_timelines.sweep`).

The arrival-year quantile levels and the years of the P(arrived by year) columns they report.

Their statistics come from :mod:`agi_timelines.stats` and their argument checks from
:mod:`agi_timelines._checks`, like every other part of the package.
"""

from __future__ import annotations

__all__ = ["DEFAULT_QUANTILES", "DEFAULT_YEARS"]

DEFAULT_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Arrival-year quantile levels reported by :func:`~agi_timelines.compare.compare` and
:func:`~agi_timelines.sweep.sweep`."""

DEFAULT_YEARS = (2027.0, 2030.0, 2035.0, 2040.0, 2050.0)
"""Years of the P(arrived by year) columns."""
