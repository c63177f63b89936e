"""Pick numpy or pytensor for array math, so one formula serves both.

The axes, the data wall and the requirement are written once against the small
subset of functions that :mod:`numpy` and :mod:`pytensor.tensor` share
(``minimum``, ``maximum``, ``where``, ``log10``, ``power``, ``exp``, ``isinf``...).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np


def xp_of(*values: Any) -> ModuleType:
    """Return :mod:`pytensor.tensor` if any value is a pytensor variable, else :mod:`numpy`."""
    for value in values:
        if type(value).__module__.startswith("pytensor"):
            import pytensor.tensor as pt

            return pt
    return np
