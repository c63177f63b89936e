"""Tests of :mod:`agi_timelines.growth`: one axis' piecewise-linear, capped gain.

The checks are independent of the formula's code: the gain is compared with a plain
integral of the slope, and its properties (monotone in time and in every rate and cap, capped,
linear between breakpoints) are tested with hypothesis.
"""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agi_timelines import growth

T0 = 2023.0
HORIZON = 2100.0

rates = st.one_of(st.just(0.0), st.floats(1e-3, 3.0))  # OOM/yr; no subnormal rates
years = st.floats(T0 - 5.0, HORIZON + 5.0)
slowdowns = st.one_of(st.floats(T0 - 5.0, HORIZON + 5.0), st.just(math.inf))
caps = st.one_of(st.floats(0.0, 20.0), st.just(math.inf))


def integrated(t, rate, slow, late, cap, n=2_000):
    """Integrate the slope from T0 to t, then cap it.

    The midpoint rule on a grid with the slowdown as an edge is exact for the step-function
    slope, up to rounding.
    """
    if t <= T0:
        return 0.0
    edges = np.unique(np.r_[np.linspace(T0, t, n + 1), min(max(slow, T0), t)])
    mid = (edges[:-1] + edges[1:]) / 2
    slope = np.where(mid < slow, rate, late)
    return min(float(np.sum(slope * np.diff(edges))), cap)


@settings(max_examples=200, deadline=None)
@given(years, rates, slowdowns, rates, caps)
def test_gain_is_the_integral_of_its_slope(t, rate, slow, late, cap):
    got = float(growth.gain(t, rate, slow, late, cap, T0))
    assert got == pytest.approx(integrated(t, rate, slow, late, cap), abs=1e-3)


@settings(max_examples=200, deadline=None)
@given(years, years, rates, slowdowns, rates, caps)
def test_gain_is_non_decreasing_in_time_and_capped(t1, t2, rate, slow, late, cap):
    lo, hi = sorted((t1, t2))
    g_lo = float(growth.gain(lo, rate, slow, late, cap, T0))
    g_hi = float(growth.gain(hi, rate, slow, late, cap, T0))
    assert 0.0 <= g_lo <= g_hi <= cap


@settings(max_examples=200, deadline=None)
@given(years, rates, slowdowns, rates, caps, st.floats(0.0, 1.0), st.sampled_from(range(3)))
def test_gain_is_non_decreasing_in_every_rate_and_cap(t, rate, slow, late, cap, more, which):
    base = [rate, late, cap]
    bigger = list(base)
    bigger[which] += more
    g = float(growth.gain(t, base[0], slow, base[1], base[2], T0))
    g_more = float(growth.gain(t, bigger[0], slow, bigger[1], bigger[2], T0))
    assert g_more >= g


@settings(max_examples=200, deadline=None)
@given(rates, slowdowns, rates, st.one_of(st.floats(1e-3, 20.0), st.just(math.inf)))
def test_cap_year_is_the_first_year_at_the_cap(rate, slow, late, cap):
    """A positive cap (a zero cap is met from the start; its cap year is degenerate)."""
    year = float(growth.cap_year(rate, slow, late, cap, T0))
    if math.isinf(year):  # never capped: below the cap at every finite year
        for t in (T0 + 10.0, T0 + 1e3):
            assert float(growth.gain(t, rate, slow, late, cap, T0)) < cap or cap == math.inf
        return
    assert float(growth.gain(year, rate, slow, late, cap, T0)) == pytest.approx(cap, abs=1e-9)
    if year > T0 + 1e-6:
        assert float(growth.gain(year - 1e-6, rate, slow, late, cap, T0)) < cap


@settings(max_examples=200, deadline=None)
@given(rates, slowdowns, rates, caps, st.floats(0.0, 1.0))
def test_gain_is_linear_between_breakpoints(rate, slow, late, cap, frac):
    points = sorted(
        {T0, HORIZON, *(float(b) for b in growth.breakpoints(rate, slow, late, cap, T0, HORIZON))}
    )
    for a, b in itertools.pairwise(points):
        t = a + frac * (b - a)
        g = [float(growth.gain(x, rate, slow, late, cap, T0)) for x in (a, t, b)]
        assert g[1] == pytest.approx(g[0] + frac * (g[2] - g[0]), abs=1e-9)


def test_breakpoints_are_clipped_to_the_window():
    slow, cap_at = growth.breakpoints(0.5, 2010.0, 0.1, 100.0, T0, HORIZON)
    assert float(slow) == T0  # a slowdown before the reference year acts from it
    assert float(cap_at) == HORIZON  # the cap is reached after the horizon


def test_numpy_arrays_broadcast():
    t = np.array([2023.0, 2025.0, 2030.0])
    got = growth.gain(t, np.array([0.5]), 2028.0, 0.1, 3.0, T0)
    np.testing.assert_allclose(got, [0.0, 1.0, 2.7])
