"""The compiled solver's kernels compile once each: one signature, no literal types.

Numba types a literal argument (``True``, ``0``) at a call between jitted functions as
``Literal[...]`` and compiles a separate specialisation of the callee for each value; the
solver's cold compile was ~40% longer that way.  Here fresh, uncached copies of every
kernel are compiled from the top-level loop's signature, so every call between them is
typed anew (nothing comes from a cache).
"""

from __future__ import annotations

import types

import numba
from numba.core import types as nbtypes

import agi_timelines as agt
from agi_timelines import _solver

KERNELS = ("_sums", "_response", "_effective", "_first_crossing", "_sort", "_solve")


def _fresh_kernels() -> dict[str, numba.core.registry.CPUDispatcher]:
    """Uncached copies of the kernels, calling one another (not the module's)."""
    namespace = dict(vars(_solver))
    fresh = {}
    for name in KERNELS:
        py = getattr(_solver, name).py_func
        fn = types.FunctionType(py.__code__, namespace, name, py.__defaults__)
        fresh[name] = namespace[name] = numba.njit(fn, cache=False, nogil=True, error_model="numpy")
    return fresh


def test_each_kernel_has_one_signature_without_literals():
    preset = agt.Scenario.preset("aschenbrenner-2024")
    agt.forecast(preset, draws=50, seed=0)  # the shipped loop, compiled or from the cache
    (signature,) = _solver._solve.signatures
    fresh = _fresh_kernels()
    fresh["_solve"].compile(signature)
    for name, kernel in fresh.items():
        sigs = kernel.signatures
        assert len(sigs) == 1, (name, sigs)
        assert not any(isinstance(t, nbtypes.Literal) for t in sigs[0]), (name, sigs)
