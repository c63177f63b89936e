r"""The requirement: OOMs of effective compute above the reference needed for AGI.

A requirement is stated in one of three ways (the *routes*, one field each of the
scenario's ``[requirement]`` table):

* ``ooms``: relative to the reference run;
* ``log10_flop``: absolutely, log10 FLOP at reference-year algorithms (as bio-anchors are);
* ``horizon_hours``: as capability, the length of task (hours of a skilled human's work)
  AGI must complete with 50% or 80% reliability.  Per draw, with ``D`` (doublings of the
  time horizon per year) and ``h_ref`` (log2 minutes at the reference year) from a
  calibration on METR's measurements (:func:`agi_timelines.calibrate_horizon`) and
  ``r_E`` the sum of the growth axes' early rates (OOM/yr), each OOM of effective compute
  buys ``beta = D / r_E`` doublings of horizon and

  .. math:: R = \frac{\log_2(60\,H_{req}) - h_{ref}}{\beta}

  OOMs above the reference (:func:`horizon_ooms`); forward,
  ``log2 H(t) = h_ref + beta E(t)`` minutes (:func:`horizon_minutes`).

:data:`agi_timelines.structure.ROUTES` declares each route (units, conversion to ``R``,
the per-draw outputs it adds to a forecast); this module holds the conversions.  The
functions work elementwise on numpy arrays and pytensor tensors alike.

Examples
--------
>>> from agi_timelines.requirement import to_relative, to_absolute, horizon_ooms
>>> round(float(to_relative(30.0, reference_flop=2.1e25)), 3)
4.678
>>> round(float(to_absolute(4.678, reference_flop=2.1e25)), 3)
30.0
>>> # a 40-hour task, horizon 4 min at the reference, 2 doublings/yr, 1 OOM/yr of growth:
>>> round(float(horizon_ooms(40.0, doublings_per_year=2.0, h_ref=2.0, early_rate=1.0)), 4)
4.6144
"""

from __future__ import annotations

import math

from ._backend import TensorLike, xp_of

__all__ = [
    "HORIZON_DRAWS",
    "doublings_per_oom",
    "horizon_minutes",
    "horizon_ooms",
    "to_absolute",
    "to_relative",
]

MINUTES_PER_HOUR = 60.0
HORIZON_DRAWS = ("horizon.doublings_per_year", "horizon.h_ref")
"""Per-draw inputs of the horizon route that come from its calibration, not from a prior:
``D`` (doublings/yr) and ``h_ref`` (log2 minutes at the reference year)."""


def to_relative(log10_flop: TensorLike, reference_flop: float) -> TensorLike:
    """Absolute requirement (log10 FLOP) to OOMs above a run of ``reference_flop`` FLOP."""
    return log10_flop - math.log10(reference_flop)


def to_absolute(ooms: TensorLike, reference_flop: float) -> TensorLike:
    """OOMs above a reference run of ``reference_flop`` FLOP to absolute log10 FLOP."""
    return ooms + math.log10(reference_flop)


def doublings_per_oom(doublings_per_year: TensorLike, early_rate: TensorLike) -> TensorLike:
    """``beta = D / r_E``: doublings of horizon per OOM of effective compute.

    Parameters
    ----------
    doublings_per_year : array_like
        ``D``, doublings of the time horizon per year in the calibration window.
    early_rate : array_like
        ``r_E``, OOM/yr: effective compute's growth rate in that window (sum of the axes'
        early rates), > 0.
    """
    return doublings_per_year / early_rate


def horizon_ooms(
    horizon_hours: TensorLike,
    doublings_per_year: TensorLike,
    h_ref: TensorLike,
    early_rate: TensorLike,
) -> TensorLike:
    """Return the requirement in OOMs above the reference for a horizon of ``horizon_hours``.

    ``R = (log2(60 H_req) - h_ref) / beta`` with ``beta = D / r_E``
    (:func:`doublings_per_oom`).

    Parameters
    ----------
    horizon_hours : array_like
        ``H_req``, hours of skilled-human work, > 0.
    doublings_per_year : array_like
        ``D``, doublings/yr, > 0.
    h_ref : array_like
        Log2 of the horizon (minutes) at the reference year.
    early_rate : array_like
        ``r_E``, OOM/yr, > 0.

    Returns
    -------
    array_like
        OOMs of effective compute above the reference (negative: reached before it).
    """
    xp = xp_of(horizon_hours, doublings_per_year, h_ref, early_rate)
    gap = xp.log2(horizon_hours * MINUTES_PER_HOUR) - h_ref  # doublings still to go
    return gap / doublings_per_oom(doublings_per_year, early_rate)


def horizon_minutes(
    effective_ooms: TensorLike, doublings_per_oom: TensorLike, h_ref: TensorLike
) -> TensorLike:
    """Return the time horizon ``H = 2**(h_ref + beta E)`` (minutes).

    At effective compute ``E`` (OOMs above the reference).
    """
    return 2.0 ** (h_ref + doublings_per_oom * effective_ooms)
