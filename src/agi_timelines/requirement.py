"""The requirement: OOMs of effective compute above the reference needed for AGI.

A requirement is stated either relative to the reference run (``ooms``) or absolutely
(``log10_flop``, log10 FLOP at reference-year algorithms, as bio-anchors are).  Both may
be mixtures of named anchors.

Examples
--------
>>> from agi_timelines.requirement import to_relative, to_absolute
>>> round(float(to_relative(30.0, reference_flop=2.1e25)), 3)
4.678
>>> round(float(to_absolute(4.678, reference_flop=2.1e25)), 3)
30.0
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["to_absolute", "to_relative"]


def to_relative(log10_flop: Any, reference_flop: float) -> Any:
    """Absolute requirement (log10 FLOP) to OOMs above a run of ``reference_flop`` FLOP."""
    return log10_flop - math.log10(reference_flop)


def to_absolute(ooms: Any, reference_flop: float) -> Any:
    """OOMs above a reference run of ``reference_flop`` FLOP to absolute log10 FLOP."""
    return ooms + math.log10(reference_flop)
