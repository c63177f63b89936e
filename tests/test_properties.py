"""Properties of the forecast that must hold for every scenario (hypothesis).

All examples share one scenario *structure* (log-normal rates, late rates and caps, a point
unhobbling cap, normal slowdown years and requirement), so the compiled sampler is built
once and hypothesis only changes numbers.  Shifting a log-normal's ``mu`` (or a normal's
mean) by ``delta`` moves every draw by the same monotone map under the same seed (common
random numbers: the library seeds each parameter from ``(seed, block, name)``), so two
forecasts are comparable draw by draw.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import agi_timelines as agt
from agi_timelines.scenario import Scenario

DRAWS = 2_000
TOL = 1e-9
"""Arrival years are computed by interpolation; a shifted draw may differ by rounding."""

PROPERTY = settings(
    max_examples=25,
    deadline=None,  # the first example compiles the sampler (seconds)
    derandomize=True,  # reproducible in CI
    suppress_health_check=[HealthCheck.too_slow],
)

AXES = ("compute", "algorithms", "unhobbling")
GROWTH_FIELDS = [f"{a}.{f}" for a in AXES for f in ("rate", "late_rate", "cap")]
GROWTH_FIELDS.remove("unhobbling.cap")  # a point in BASE: see test_point_valued_cap_shift


def _base(
    rate_mu: float = math.log(0.5),
    late_mu: float = math.log(0.07),
    cap_mu: float = math.log(4.0),
    slowdown: float = 2030.0,
    req_mu: float = 6.0,
    req_sigma: float = 1.5,
) -> Scenario:
    axis = {
        "rate": agt.lognormal(rate_mu, 0.3),
        "slowdown_year": agt.normal(slowdown, 1.5),
        "late_rate": agt.lognormal(late_mu, 0.4),
        "cap": agt.lognormal(cap_mu, 0.3),
    }
    return Scenario.from_dict(
        {
            "compute": axis,
            "algorithms": axis | {"rate": agt.lognormal(rate_mu - 0.2, 0.3)},
            "unhobbling": axis | {"rate": agt.lognormal(rate_mu - 1.5, 0.5), "cap": 1.5},
            "requirement": {"ooms": agt.normal(req_mu, req_sigma)},
        }
    )


BASE = _base()

scenarios = st.builds(
    _base,
    rate_mu=st.floats(math.log(0.1), math.log(1.0)),
    late_mu=st.floats(math.log(0.01), math.log(0.3)),
    cap_mu=st.floats(math.log(1.0), math.log(10.0)),
    slowdown=st.floats(2024.0, 2060.0),
    req_mu=st.floats(1.0, 20.0),
    req_sigma=st.floats(0.1, 4.0),
)
seeds = st.integers(0, 2**31 - 1)
deltas = st.floats(0.01, 2.0)


def _arrival(fc: agt.Forecast) -> np.ndarray:
    return fc.arrival.values.ravel()


def _shift_mu(scn: Scenario, path: str, delta: float) -> Scenario:
    prior = scn.prior_fields()[path]
    moved = prior.model_copy(update={"mu": prior.mu + delta})
    return scn.replace({path: moved})


def _not_later(after: np.ndarray, before: np.ndarray) -> np.ndarray:
    """``after <= before`` draw by draw (``inf`` counts as latest), up to rounding."""
    with np.errstate(invalid="ignore"):  # inf - inf
        return (after <= before) | (np.isfinite(after) & (after - before <= TOL))


@pytest.mark.parametrize("path", GROWTH_FIELDS)
@PROPERTY
@given(scn=scenarios, delta=deltas, seed=seeds)
def test_arrival_not_later_when_growth_shifts_up(path, scn, delta, seed):
    before = agt.forecast(scn, draws=DRAWS, seed=seed)
    after = agt.forecast(_shift_mu(scn, path, delta), draws=DRAWS, seed=seed)
    # common random numbers: the shifted log-normal is the old draws times exp(delta)
    name = path.replace(".", "_")
    old, new = (fc.draws[name].values.ravel() for fc in (before, after))
    np.testing.assert_allclose(new, old * math.exp(delta), rtol=1e-12)
    ok = _not_later(_arrival(after), _arrival(before))
    assert ok.all(), f"{path} +{delta}: {np.flatnonzero(~ok)[:5]}"
    assert after.censored_fraction <= before.censored_fraction


@PROPERTY
@given(scn=scenarios, delta=deltas, seed=seeds)
def test_arrival_not_earlier_when_requirement_shifts_up(scn, delta, seed):
    before = agt.forecast(scn, draws=DRAWS, seed=seed)
    after = agt.forecast(_shift_mu(scn, "requirement.ooms", delta), draws=DRAWS, seed=seed)
    old, new = (fc.draws["requirement_ooms"].values.ravel() for fc in (before, after))
    np.testing.assert_allclose(new - old, delta, rtol=0, atol=1e-9)
    ok = _not_later(_arrival(before), _arrival(after))
    assert ok.all()
    assert after.censored_fraction >= before.censored_fraction


@PROPERTY
@given(scn=scenarios, delta=st.floats(0.01, 3.0), seed=seeds)
def test_point_valued_cap_shift(scn, delta, seed):
    """A point (constant) cap raised: arrival never later."""
    before = agt.forecast(scn, draws=DRAWS, seed=seed)
    cap = scn.unhobbling.cap.value
    after = agt.forecast(scn.replace({"unhobbling.cap": cap + delta}), draws=DRAWS, seed=seed)
    assert _not_later(_arrival(after), _arrival(before)).all()


@PROPERTY
@given(scn=scenarios, seed=seeds)
def test_same_seed_same_numbers(scn, seed):
    a = agt.forecast(scn, draws=DRAWS, seed=seed)
    b = agt.forecast(scn, draws=DRAWS, seed=seed)
    np.testing.assert_array_equal(_arrival(a), _arrival(b))
    for name in a.draws.data_vars:
        np.testing.assert_array_equal(a.draws[name].values, b.draws[name].values)
    c = agt.forecast(scn, draws=DRAWS, seed=seed + 1)
    assert not np.array_equal(a.draws["compute_rate"].values, c.draws["compute_rate"].values)


def test_chunk_size_does_not_change_the_numbers():
    scn = BASE
    n = 3_000
    ref = agt.forecast(scn, draws=n, seed=123, chunk_size=None)
    for chunk in (1, 7, 1000, 2999, 3000, 10**6):
        fc = agt.forecast(scn, draws=n, seed=123, chunk_size=chunk)
        for name in ref.draws.data_vars:
            a, b = ref.draws[name].values, fc.draws[name].values
            assert a.tobytes() == b.tobytes(), (chunk, name)  # bitwise


def test_prefix_of_a_longer_run_is_the_shorter_run():
    """Draw i depends only on (seed, i).

    1000 draws are the first 1000 of 40000 draws (which cross a seed block of 32768).
    """
    short = agt.forecast(BASE, draws=1_000, seed=9)
    long = agt.forecast(BASE, draws=40_000, seed=9)
    np.testing.assert_array_equal(_arrival(short), _arrival(long)[:1_000])


@PROPERTY
@given(scn=scenarios, seed=seeds)
def test_censored_fraction_is_share_with_E_horizon_below_R(scn, seed):
    fc = agt.forecast(scn, draws=DRAWS, seed=seed)
    horizon = scn.horizon
    e_h = fc.trajectory([horizon])[0]
    req = fc.parameters()["requirement.ooms"]
    arrival = _arrival(fc)
    short = e_h < req
    clear = np.abs(e_h - req) > 1e-9  # away from exact ties
    np.testing.assert_array_equal(np.isinf(arrival)[clear], short[clear])
    assert abs(fc.censored_fraction - short.mean()) <= (~clear).mean()
    # arrived draws lie in [t0, horizon]
    fin = arrival[np.isfinite(arrival)]
    assert np.all((fin >= scn.reference.year) & (fin <= horizon))
