"""The censored-aware statistics (:mod:`agi_timelines.stats`) against plain counting.

The references below never call ``numpy.quantile``: a quantile is the smallest draw whose
empirical CDF (a count) reaches the level, P(by year) is a count, a share is a count.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import agi_timelines as agt
from agi_timelines import stats

INF = math.inf


def counted_quantile(values: list[float], q: float) -> float:
    """Smallest draw ``x`` with ``#{draws <= x} / n >= q``.

    ``inf`` when only censored draws reach it.
    """
    ordered = sorted(values)
    n = len(ordered)
    for x in ordered:
        if sum(v <= x for v in ordered) / n >= q:
            return x
    return ordered[-1]


def counted_prob_by(values: list[float], year: float) -> float:
    return sum(v <= year for v in values) / len(values)


years = st.floats(2020.0, 2100.0, allow_nan=False)
draws = st.lists(st.one_of(years, st.just(INF)), min_size=1, max_size=60)
levels = st.floats(0.0, 1.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(draws, levels)
def test_quantile_is_the_counted_inverted_cdf(values, q):
    n = len(values)
    assume(abs(q * n - round(q * n)) > 1e-9 or q in (0.0, 1.0))  # a level on a step is a tie
    assert stats.quantile(values, [q])[0] == counted_quantile(values, q)


@settings(max_examples=200, deadline=None)
@given(draws, st.lists(levels, min_size=2, max_size=8))
def test_quantile_is_monotone_in_the_level(values, qs):
    qs = sorted(qs)
    out = stats.quantile(values, qs)
    assert np.all(np.diff(out[np.isfinite(out)]) >= 0)
    finite = np.isfinite(out)
    assert not np.any(finite[1:] & ~finite[:-1])  # once censored, censored for higher levels


@settings(max_examples=200, deadline=None)
@given(draws, levels)
def test_quantile_is_censored_exactly_inside_the_censored_mass(values, q):
    """``inf`` when ``q`` exceeds P(arrived at all) = 1 - censored share, finite below."""
    n = len(values)
    arrived = sum(math.isfinite(v) for v in values)
    assume(abs(q * n - arrived) > 1e-9)
    value = stats.quantile(values, [q])[0]
    assert math.isinf(value) == (q * n > arrived)
    assert stats.censored_share(values) == (n - arrived) / n


@settings(max_examples=200, deadline=None)
@given(draws, st.lists(years, min_size=1, max_size=6))
def test_prob_by_counts_arrived_draws(values, ys):
    got = stats.prob_by(values, ys)
    assert got.tolist() == [counted_prob_by(values, y) for y in ys]
    ordered = np.sort(values)
    assert stats.prob_by(ordered, ys, presorted=True).tolist() == got.tolist()
    assert np.all(got <= 1 - stats.censored_share(values) + 1e-15)  # censored never arrive


@settings(max_examples=100, deadline=None)
@given(draws, st.floats(0.01, 0.99))
def test_interval_and_width(values, prob):
    lo, hi = stats.interval(values, prob)
    ref = stats.quantile(values, [(1 - prob) / 2, (1 + prob) / 2])
    assert (lo, hi) == (ref[0], ref[1]) and lo <= hi
    width = stats.interval_width(lo, hi)
    assert width == (hi - lo if math.isfinite(lo) else INF) and not math.isnan(width)


def test_no_draws_give_nan_not_an_error():
    assert np.isnan(stats.quantile([], [0.1, 0.5])).all()
    assert np.isnan(stats.prob_by([], [2030.0])).all()
    assert math.isnan(stats.censored_share([]))


def test_wall_binds_and_its_share():
    wall = np.array([2028.0, 2035.0, INF, 2050.0])
    off = np.array([2030.0, 2031.0, 2040.0, INF])
    assert stats.wall_binds(wall, off).tolist() == [True, False, False, True]
    assert stats.wall_binding_share({"wall_year": wall, "arrival_year_no_wall": off}) == 0.5
    assert stats.wall_binding_share({"arrival_year": off}) == 0.0  # no wall: never binds


@pytest.fixture(scope="module")
def fc():
    return agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=4000, seed=3)


def test_forecast_summaries_are_the_module_functions(fc):
    """Every summary a forecast reports is the stats function of its draws, bit for bit."""
    arrival = fc.arrival.values.ravel()
    q = [0.05, 0.5, 0.95, 0.999]
    np.testing.assert_array_equal(fc.quantile(q).values, stats.quantile(arrival, q))
    np.testing.assert_array_equal(
        fc.cdf([2027.0, 2040.0]).values, stats.prob_by(arrival, [2027, 2040])
    )
    assert fc.censored_fraction == stats.censored_share(arrival) == np.isinf(arrival).mean()
    assert fc.interval(0.8) == stats.interval(arrival, 0.8)
    off = fc.arrival_draws(False)
    assert fc.arrival_interval(0.5, False) == stats.interval(off, 0.5)
    assert stats.wall_binding_share(fc.draws) == fc.wall_binds().mean()
    bars = fc.error_bars(0.9, years=[2030.0])
    row = bars.sel(wall="off")
    assert float(row.arrival_median) == stats.quantile(off, [0.5])[0]
    assert float(row.arrival_width_50) == stats.interval_width(*stats.interval(off, 0.5))
