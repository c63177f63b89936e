"""Scenarios: every assumption of a forecast, validated, in one TOML-serialisable object.

A :class:`Scenario` holds the reference run, the growth axes, the data wall, the
requirement and the horizon.  Every number is a prior (a bare number is a point mass).
Scenarios are immutable; :meth:`Scenario.replace` returns a changed copy.

The package's modules, each with one job (all private; this module is the public face):

* ``_schema`` -- the pydantic models and their validators;
* ``_paths`` -- the one dotted-path walker (``"compute.rate"``) over the schema;
* ``_correlations`` -- copula groups, correlation matrices and their checks;
* ``_io`` -- TOML reading and writing, presets, file checks;
* ``_errors`` -- pydantic errors rewritten as one-line messages, and the warnings.

Examples
--------
>>> import agi_timelines as agt
>>> s = agt.Scenario.preset("aschenbrenner-2024")
>>> s.reference.flop
2.1e+25
>>> s2 = s.replace({"compute.rate": agt.ci90(0.3, 0.6)})
>>> s2.compute.rate
CI90(kind='ci90', lo=0.3, hi=0.6, dist_family='lognormal')
>>> s.replace({"compute.speed": 1.0})
Traceback (most recent call last):
...
ValueError: unknown field path 'compute.speed': 'compute' has no field 'speed' (fields: ...)
"""

from __future__ import annotations

from ._schema import (
    Axis,
    ComputeAxis,
    Correlation,
    CorrelationWarning,
    DataWall,
    InputWarning,
    Reference,
    Requirement,
    Scenario,
)

__all__ = [
    "Axis",
    "ComputeAxis",
    "Correlation",
    "CorrelationWarning",
    "DataWall",
    "InputWarning",
    "Reference",
    "Requirement",
    "Scenario",
]
