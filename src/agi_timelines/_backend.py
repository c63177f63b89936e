"""Pick numpy or pytensor for array math, so one formula serves both.

The axes, the data wall and the requirement are written once against the small
subset of functions that :mod:`numpy` and :mod:`pytensor.tensor` share
(``minimum``, ``maximum``, ``where``, ``log10``, ``power``, ``exp``, ``isinf``...).
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from pytensor.tensor.variable import TensorVariable

__all__ = ["TensorLike", "xp_of"]

type TensorLike = np.ndarray | float | TensorVariable
"""A value the shared formulas take: a numpy array, a Python/numpy float or a pytensor tensor.

Units are those of the quantity (years, OOMs, OOM/yr ...); the functions broadcast.
"""


def xp_of(*values: object) -> ModuleType:
    """Return :mod:`pytensor.tensor` if any value is a pytensor variable, else :mod:`numpy`."""
    for value in values:
        if type(value).__module__.startswith("pytensor"):
            import pytensor.tensor as pt

            return pt
    return np
