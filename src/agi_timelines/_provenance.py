"""Provenance attrs: what every saved result says about how it was made.

:func:`provenance` writes the same keys on every result -- a forecast, a sensitivity
analysis, a comparison, a sweep and both calibrations -- and :func:`requested_draws` reads
them back, also from files written before these keys were unified.

Keys
----
``kind``
    What the result is: ``"forecast"``, ``"sensitivity"``, ``"comparison"``, ``"sweep"``,
    ``"compute-trend calibration"`` or ``"time-horizon calibration"``.
``format_version``
    :data:`FORMAT_VERSION`, the layout of the attrs (files without the key are version 1).
``scenario``, ``scenario_name``
    The scenario as TOML (``Scenario.from_toml_string`` reads it back) and its name; on
    results of one scenario (a sweep: its base scenario; a comparison: in each
    scenario's node, not at the root).
``seed``
    The seed of the call (int).
``draws``
    The ``draws`` argument of the call (int): Monte Carlo draws requested, before any
    ``not_before`` conditioning; posterior draws per chain for a calibration.  Format 1
    forecasts and comparisons called it ``draws_requested``.
``versions``
    JSON object of the versions of this library and of the packages that shape its numbers.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Hashable, Mapping
from importlib import metadata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .scenario import Scenario

__all__ = ["FORMAT_VERSION", "KINDS", "provenance", "requested_draws", "versions"]

FORMAT_VERSION = 2
"""Layout of the provenance attrs.  1: before ``kind``/``format_version`` existed (a
forecast's ``draws`` was ``draws_requested``); 2: the keys of :func:`provenance`."""

KINDS = (
    "forecast",
    "sensitivity",
    "comparison",
    "sweep",
    "compute-trend calibration",
    "time-horizon calibration",
)
"""The values of the ``kind`` attr."""

PROVENANCE_KEYS = ("kind", "format_version", "seed", "draws", "versions")
"""Keys every result carries (plus ``scenario`` and ``scenario_name`` on one-scenario results)."""


def provenance(
    kind: str, *, seed: int, draws: int, scenario: Scenario | None = None
) -> dict[str, Any]:
    """Return the provenance attrs of a result (see the module docstring for the keys).

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    seed : int
        The call's seed.
    draws : int
        The call's ``draws`` argument.
    scenario : Scenario, optional
        The scenario of a one-scenario result (adds ``scenario`` and ``scenario_name``).

    Returns
    -------
    dict
        ``{key: value}``, values netCDF can store (str and int).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    out: dict[str, Any] = {"kind": kind, "format_version": FORMAT_VERSION}
    if scenario is not None:
        out["scenario"] = scenario.to_toml_string()
        out["scenario_name"] = scenario.name
    out["seed"] = int(seed)
    out["draws"] = int(draws)
    out["versions"] = json.dumps(versions())
    return out


def requested_draws(attrs: Mapping[Hashable, Any], default: int | None = None) -> int | None:
    """Return the ``draws`` a result was made with, from its attrs (format 1: ``draws_requested``).

    ``default`` if neither key is there.
    """
    for key in ("draws", "draws_requested"):
        if key in attrs:
            return int(attrs[key])
    return default


def versions() -> dict[str, str]:
    """Versions of this library and the dependencies that shape its numbers."""
    return dict(_versions())


@functools.cache
def _versions() -> tuple[tuple[str, str], ...]:  # reading package metadata costs ~10 ms
    names = ["agi_timelines", "pymc", "pytensor", "arviz", "numpy", "scipy", "xarray"]
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "unknown"
    return tuple(out.items())
