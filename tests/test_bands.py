"""E(t) and its bands against the straightforward implementation.

One year at a time on all draws (:func:`agi_timelines.model.effective_compute`), then
``numpy.quantile`` per year.

The fast path (:mod:`agi_timelines.bands`) must give the same numbers bit for bit, whatever
the block and chunk sizes; its speed is measured in ``benchmarks/bench_bands.py``.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import agi_timelines as agt
from agi_timelines import bands
from agi_timelines.model import effective_compute

LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)


def straightforward(fc: agt.Forecast, years, wall=None) -> np.ndarray:
    """E(t), shape (years, draws): a plain loop over years, as the library first did."""
    scn = fc.scenario
    p = fc.parameters()
    t0, log10_ref = scn.reference.year, float(np.log10(scn.reference.flop))
    by = p.get("breakthrough_year", np.inf)
    return np.stack(
        [
            effective_compute(scn, p, float(y), t0, log10_ref, wall=wall, breakthrough_year=by)
            for y in years
        ]
    )


@pytest.fixture(scope="module")
def million() -> agt.Forecast:
    """1e6 draws of the shipped preset, as the demo draws them."""
    return agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=1_000_000, seed=0)


@pytest.fixture(scope="module")
def small() -> agt.Forecast:
    """Return a draw count that is not a multiple of any block size."""
    return agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=7_919, seed=3)


@pytest.mark.parametrize("wall", [None, True, False])
def test_million_draws_match_the_straightforward_quantiles(million, wall):
    years = np.array([2023.2, 2025.0, 2027.5, 2030.0, 2036.25, 2050.0])
    expected = straightforward(million, years, wall)
    np.testing.assert_array_equal(million.trajectory(years, wall=wall), expected)
    got = million.effective_ooms(years, LEVELS, wall=wall)
    np.testing.assert_array_equal(got.values, np.quantile(expected, LEVELS, axis=1).T)


def test_fan_draws_the_straightforward_quantiles(million):
    grid = np.linspace(2023.2, 2040.0, 9)
    levels = [(1 - 0.9) / 2, (1 - 0.5) / 2, 0.5]  # the fan's default bands: 90% and 50%
    expected = np.quantile(straightforward(million, grid), levels, axis=1)
    fig, ax = million.plot.fan(years=grid, runs=False, requirement=False)
    median = ax.get_lines()[0]
    np.testing.assert_array_equal(median.get_xdata(), grid)
    np.testing.assert_array_equal(median.get_ydata(), expected[2])
    for band, level in zip(ax.collections[:2], expected[:2], strict=True):  # widest first
        lower = band.get_paths()[0].vertices[1 : len(grid) + 1, 1]
        np.testing.assert_array_equal(lower, level)
    plt.close(fig)


def test_cache_reuses_and_does_not_mix_wall_settings(small):
    fc = agt.Forecast(small.tree)  # a fresh cache
    years = np.array([2025.0, 2030.0])
    on = fc.effective_ooms(years, (0.5,), wall=True).values
    assert len(fc._bands) == 2
    off = fc.effective_ooms(years, (0.5,), wall=False).values
    assert len(fc._bands) == 4
    again = fc.effective_ooms(years, (0.5,)).values  # the preset has the wall on
    assert len(fc._bands) == 4
    np.testing.assert_array_equal(again, on)
    assert np.all(on <= off)
    np.testing.assert_array_equal(
        off[:, 0], np.quantile(straightforward(fc, years, False), 0.5, axis=1)
    )


@settings(max_examples=25, deadline=None)
@given(
    years=st.lists(st.floats(2023.2, 2100.0), min_size=1, max_size=12),
    levels=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=5),
    block=st.sampled_from([1, 1024, 5000, 2**16]),
    chunk=st.sampled_from([1, 9000, 4_000_000]),
)
def test_any_years_levels_and_block_sizes_give_the_same_numbers(
    small, years, levels, block, chunk, monkeypatch_module
):
    monkeypatch_module.setattr(bands, "BLOCK_ELEMENTS", block)
    monkeypatch_module.setattr(bands, "CHUNK_ELEMENTS", chunk)
    fc = agt.Forecast(small.tree)
    expected = straightforward(fc, years)
    np.testing.assert_array_equal(fc.trajectory(years), expected)
    got = fc.effective_ooms(years, levels).values
    np.testing.assert_array_equal(got, np.quantile(expected, levels, axis=1).T)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_bad_levels_name_the_parameter(small):
    with pytest.raises(ValueError, match=r"probs must be quantile levels in \[0, 1\]"):
        small.effective_ooms([2030.0], (0.5, 1.5))
