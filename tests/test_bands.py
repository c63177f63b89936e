"""E(t) and its bands against the straightforward implementation.

One year at a time on all draws (:func:`agi_timelines.model.effective_compute`), then
``numpy.quantile`` per year; and against the blocked numpy evaluation the compiled loop
replaced.

The fast path (:mod:`agi_timelines.bands`, the compiled
:func:`agi_timelines._solver.effective_grid`) must give the same numbers bit for bit,
whatever the chunk sizes and draw ranges; its speed is measured in
``benchmarks/bench_bands.py``.
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
from agi_timelines.model import effective_compute, wall_line

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


def blocked_numpy(fc: agt.Forecast, years, wall=None, block=2**16) -> np.ndarray:
    """E(t) as ``bands.trajectory`` computed it before the compiled loop.

    Numpy on blocks of draws at all years at once (the wall's line once per call).
    """
    scn = fc.scenario
    params = fc.parameters()
    years = np.asarray(years, dtype=float).reshape(-1)
    n = len(params[next(iter(params))])
    out = np.empty((len(years), n))
    t0, log10_ref = scn.reference.year, float(np.log10(scn.reference.flop))
    wall_on = scn.data_wall.enabled if wall is None else wall
    line = wall_line(params, log10_ref) if wall_on else None
    step = max(1024, block // max(len(years), 1))
    for start in range(0, n, step):
        part = slice(start, start + step)
        p = {k: v[part] for k, v in params.items()}
        ln = None if line is None else (line[0][part], line[1][part])
        out[:, part] = effective_compute(
            scn.structure(),
            p,
            years[:, None],
            t0,
            log10_ref,
            wall=wall,
            breakthrough_year=p.get("breakthrough_year", np.inf),
            line=ln,
        )
    return out


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
    np.testing.assert_array_equal(blocked_numpy(million, years, wall), expected)
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
    chunk=st.sampled_from([1, 9000, 4_000_000]),
    wall=st.sampled_from([None, False]),
)
def test_any_years_levels_and_chunk_sizes_give_the_same_numbers(
    small, years, levels, chunk, wall, monkeypatch_module
):
    monkeypatch_module.setattr(bands, "CHUNK_ELEMENTS", chunk)
    fc = agt.Forecast(small.tree)
    expected = straightforward(fc, years, wall)
    np.testing.assert_array_equal(fc.trajectory(years, wall=wall), expected)
    np.testing.assert_array_equal(blocked_numpy(fc, years, wall), expected)
    got = fc.effective_ooms(years, levels, wall=wall).values
    np.testing.assert_array_equal(got, np.quantile(expected, levels, axis=1).T)


@settings(max_examples=10, deadline=None)
@given(
    lo=st.integers(0, 7_919),
    size=st.integers(0, 7_919),
    wall=st.sampled_from([True, False]),
)
def test_the_compiled_loop_fills_only_its_draws(small, lo, size, wall):
    """Any range of draws (what one thread fills) gives those draws' E(t).

    The rest of the array is left untouched.
    """
    years = np.array([2023.2, 2029.9, 2041.0, 2100.0])
    params = small.parameters()
    hi = min(lo + size, 7_919)
    grid = bands._Grid(small.scenario, params, wall)
    out = np.full((len(years), 7_919), -1.0)
    grid.fill(years, out, lo, hi)
    expected = straightforward(small, years, wall)
    np.testing.assert_array_equal(out[:, lo:hi], expected[:, lo:hi])
    assert np.all(out[:, :lo] == -1.0) and np.all(out[:, hi:] == -1.0)


@pytest.mark.parametrize(
    ("preset", "changes"),
    [
        ("metr-horizons", {}),
        ("epoch-trends", {}),
        ("aschenbrenner-2024", {"data_wall.binds": "physical"}),
        ("aschenbrenner-2024", {"data_wall.enabled": False}),
    ],
)
def test_other_structures_match_the_straightforward_numbers(preset, changes):
    """Other structures give the same numbers as the numpy model.

    Other requirement routes and axes, the wall on physical compute only (other axis
    groups) and the wall off.
    """
    scn = agt.Scenario.preset(preset).replace(changes) if changes else agt.Scenario.preset(preset)
    fc = agt.forecast(scn, draws=3_001, seed=5)
    years = np.linspace(2023.2, 2100.0, 23)
    for wall in (True, False) if scn.data_wall.enabled else (None,):
        expected = straightforward(fc, years, wall)
        np.testing.assert_array_equal(fc.trajectory(years, wall=wall), expected)
        np.testing.assert_array_equal(
            fc.effective_ooms(years, LEVELS, wall=wall).values,
            np.quantile(expected, LEVELS, axis=1).T,
        )


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_bad_levels_name_the_parameter(small):
    with pytest.raises(ValueError, match=r"probs must be quantile levels in \[0, 1\]"):
        small.effective_ooms([2030.0], (0.5, 1.5))


_ROW_VALUES = st.one_of(
    st.floats(-1e6, 1e6),
    st.sampled_from([0.0, -0.0, 1.0, 1.0 + 2**-52, np.inf, -np.inf, np.nan]),
)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.lists(_ROW_VALUES, min_size=1, max_size=40),
        min_size=1,
        max_size=4,
    ).filter(lambda r: len({len(x) for x in r}) == 1),
    levels=st.lists(
        st.one_of(st.floats(0.0, 1.0), st.sampled_from([0.0, 0.05, 0.5, 0.95, 1.0])),
        min_size=1,
        max_size=6,
    ),
)
def test_linear_quantiles_are_numpys_bit_for_bit(rows, levels):
    """Ties, infinities and NaN rows included, any number of draws.

    Equal values are interchangeable, so a tie of 0.0 and -0.0 may come out with either sign
    (numpy's partition and its sort order such a tie differently); ``assert_array_equal``
    counts them equal.
    """
    values = np.array(rows, dtype=float)
    q = np.array(levels)
    with np.errstate(invalid="ignore"):  # inf - inf, as in numpy
        expected = np.quantile(values, q, axis=1)
        got = bands.linear_quantiles(values.copy(), q)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)  # NaN where numpy gives NaN


def test_linear_quantiles_of_a_million_draws_are_numpys():
    rng = np.random.default_rng(5)
    values = rng.lognormal(2.0, 1.5, (3, 1_000_000))
    levels = np.array([0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0, 1 / 3])
    expected = np.quantile(values, levels, axis=1)
    np.testing.assert_array_equal(bands.linear_quantiles(values, levels), expected)
