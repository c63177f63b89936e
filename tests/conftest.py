"""Shared fixtures: the preset with the data wall off and one forecast of it.

Forecasts compile once per scenario *structure* per process (seconds), so fixtures that
many tests use are session-scoped and scenarios are built with ``replace`` (same
structure, other numbers) wherever possible.
"""

from __future__ import annotations

import pytest
from hypothesis import settings

import agi_timelines as agt
from agi_timelines.scenario import Scenario

# No per-example time limit: these are correctness properties, and a 2-core CI machine that
# is busy elsewhere would otherwise fail them at random. Speed is measured in `make bench`.
settings.register_profile("agi_timelines", deadline=None)
settings.load_profile("agi_timelines")


def preset_wall_off() -> Scenario:
    """Return the aschenbrenner-2024 preset with the data wall switched off.

    (If the preset has it on.)
    """
    s = Scenario.preset("aschenbrenner-2024")
    if s.data_wall.enabled:
        s = s.replace({"data_wall.enabled": False})
    assert not s.data_wall.enabled
    return s


@pytest.fixture(scope="session")
def preset_off() -> Scenario:
    """aschenbrenner-2024 with the data wall off."""
    return preset_wall_off()


@pytest.fixture(scope="session")
def preset_fc(preset_off: Scenario) -> agt.Forecast:
    """20,000 draws of :func:`preset_off`, seed 1 (treat as read-only)."""
    return agt.forecast(preset_off, draws=20_000, seed=1)
