"""The compiled solver's kernels: one signature each, helpers without reference counting.

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
        options = {**getattr(_solver, name).targetoptions, "cache": False}
        options.pop("nopython", None)
        fresh[name] = namespace[name] = numba.njit(fn, **options)
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


LEAVES = ("_sums", "_response", "_effective", "_first_crossing", "_sort")


def test_per_breakpoint_helpers_compile_without_refcounting():
    """The per-breakpoint helpers run without Numba's reference-counting runtime.

    They allocate nothing, so they need none; with it, every call increfs and decrefs each
    array argument (a third of the loop's time).  The loop itself allocates.
    """
    for name in LEAVES:
        assert getattr(_solver, name).targetoptions.get("_nrt") is False, name
    assert _solver._solve.targetoptions.get("_nrt", True) is not False
    # the test above compiles fresh copies with these options: numba still accepts ``_nrt``
