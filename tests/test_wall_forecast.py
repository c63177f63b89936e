"""The data wall inside the forecast (issue 4): exactness, monotonicity, error bars.

Every comparison is draw by draw: each parameter is seeded from ``(seed, block, name)``
(common random numbers), so two scenarios that differ in one number see the same draws of
everything else, and a shift of a log-normal's ``mu`` (or a uniform's bounds) moves every
draw of that parameter by the same monotone map.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import agi_timelines as agt
from agi_timelines import data_wall as dw
from agi_timelines.model import effective_compute, physical_and_other
from agi_timelines.scenario import Scenario

DRAWS = 2_000
TOL = 1e-6
"""Years; the wall-on arrival comes from 8 Newton steps (exact to ~1e-11 yr, see below)."""

PROPERTY = settings(
    max_examples=15,
    deadline=None,  # the first example compiles the sampler
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


_DEFAULTS = {"stock_mu": math.log(1e14), "rep_mu": math.log(5.0)}


def _wall(
    stock_mu: float = _DEFAULTS["stock_mu"],
    rep_mu: float = _DEFAULTS["rep_mu"],
    p_lo: float = 0.2,
    tau_mu: float = math.log(3.0),
    p_break: bool = True,
) -> Scenario:
    """The preset with a wall whose four priors can be shifted monotonically."""
    wall = {
        "enabled": True,
        "stock_tokens": agt.lognormal(stock_mu, 1.0),
        "repetition": agt.lognormal(rep_mu, 0.4),
        "p_break": agt.uniform(p_lo, p_lo + 0.3) if p_break else 0.0,
        "tau": agt.lognormal(tau_mu, 0.6),
    }
    data = agt.Scenario.preset("aschenbrenner-2024").to_dict()
    data["data_wall"] = data["data_wall"] | wall
    return Scenario.from_dict(data)


def _arrival(scn: Scenario, seed: int, draws: int = DRAWS) -> np.ndarray:
    return agt.forecast(scn, draws=draws, seed=seed).arrival.values.ravel()


def _not_later(a: np.ndarray, b: np.ndarray) -> bool:
    """Every draw of ``a`` arrives no later than the same draw of ``b`` (inf == inf)."""
    both_inf = np.isinf(a) & np.isinf(b)
    return bool(np.all(both_inf | (a <= b + TOL)))


# -- the switch and the shared draws ---------------------------------------------------------
def test_disabled_wall_equals_the_core_forecast_exactly():
    preset = agt.Scenario.preset("aschenbrenner-2024")
    off = preset.replace({"data_wall.enabled": False})
    data = preset.to_dict()
    del data["data_wall"]
    core = Scenario.from_dict(data)
    assert not core.data_wall.enabled
    a = agt.forecast(off, draws=40_000, seed=7)
    b = agt.forecast(core, draws=40_000, seed=7)
    assert sorted(a.draws.data_vars) == sorted(b.draws.data_vars)
    assert "wall_year" not in a.draws and "arrival_year_no_wall" not in a.draws
    for name in a.draws.data_vars:
        np.testing.assert_array_equal(a.draws[name].values, b.draws[name].values)


def test_wall_off_arrivals_of_a_wall_run_are_the_core_forecast():
    preset = agt.Scenario.preset("aschenbrenner-2024")
    on = agt.forecast(preset, draws=40_000, seed=3)
    core = agt.forecast(preset.replace({"data_wall.enabled": False}), draws=40_000, seed=3)
    np.testing.assert_allclose(
        on.arrival_draws("off"), core.arrival.values.ravel(), rtol=0, atol=1e-9
    )
    for name in core.draws.data_vars:  # the shared parameters are the very same draws
        if name != "arrival_year":
            np.testing.assert_array_equal(on.draws[name].values, core.draws[name].values)


def test_the_wall_never_brings_arrival_forward():
    fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=100_000, seed=0)
    t_on, t_off = fc.arrival_draws("on"), fc.arrival_draws("off")
    assert _not_later(t_off, t_on)
    assert np.mean(t_on > t_off + 1e-3) > 0.05  # and it does bind in the preset
    # hence every quantile with the wall is at or after the one without
    q = np.linspace(0.01, 0.99, 99)
    q_on = np.quantile(t_on, q, method="inverted_cdf")
    q_off = np.quantile(t_off, q, method="inverted_cdf")
    assert np.all(q_on >= q_off)


# -- monotonicity (hypothesis, draw by draw) -------------------------------------------------
@PROPERTY
@given(
    field=st.sampled_from(["stock_mu", "rep_mu"]),
    delta=st.floats(0.05, 2.0),
    seed=st.integers(0, 2**16),
)
def test_more_data_never_delays_arrival_without_breakthroughs(field, delta, seed):
    base = _wall(p_break=False)
    more = _wall(p_break=False, **{field: _DEFAULTS[field] + delta})
    assert _not_later(_arrival(more, seed), _arrival(base, seed))


@PROPERTY
@given(delta=st.floats(0.01, 0.5), seed=st.integers(0, 2**16))
def test_likelier_breakthrough_never_delays_arrival(delta, seed):
    assert _not_later(_arrival(_wall(p_lo=0.2 + delta), seed), _arrival(_wall(), seed))


@PROPERTY
@given(delta=st.floats(0.05, 2.0), seed=st.integers(0, 2**16))
def test_longer_breakthrough_delay_never_brings_arrival_forward(delta, seed):
    base = _wall()
    slower = _wall(tau_mu=math.log(3.0) + delta)
    assert _not_later(_arrival(base, seed), _arrival(slower, seed))


def test_more_data_can_delay_a_breakthrough():
    """SPEC section 4 times the breakthrough from the year the wall binds, so with a
    breakthrough more data is *not* always better: a later wall means a later
    breakthrough.  One deterministic case, computed by hand: compute grows 1 OOM/yr from
    GPT-4 (2023.2), nothing else grows, R = 6 OOMs, tau = 3 yr, p_break = 1.

    * 1e13 tokens: the wall binds at once (+0.25 OOM), the breakthrough lifts it in
      ~2026.5, and E = c reaches 6 in 2029.2.
    * 3e14 tokens: the wall binds at +3.27 OOM (2026.47), the breakthrough comes in
      2029.47; before it the walled E stays below 6, so AGI arrives at 2029.47.
    """
    ref = 2.1e25
    base = {
        "compute": {"rate": 1.0},
        "requirement": {"ooms": 6.0},
        "data_wall": {
            "enabled": True,
            "stock_growth": 0.0,
            "repetition": 1.0,
            "p_break": 1.0,
            "tau": 3.0,
        },
    }

    def arrival(stock: float) -> float:
        data = base | {"data_wall": base["data_wall"] | {"stock_tokens": stock}}
        return float(_arrival(Scenario.from_dict(data), seed=0, draws=1)[0])

    wall_small = float(dw.wall_ooms(1e13, ref))
    wall_large = float(dw.wall_ooms(3e14, ref))
    assert wall_small < 0.5 and 3.2 < wall_large < 3.35
    assert arrival(1e13) == pytest.approx(2029.2, abs=1e-9)
    assert arrival(3e14) == pytest.approx(2023.2 + wall_large + 3.0, abs=1e-9)
    assert arrival(3e14) > arrival(1e13)


def test_without_breakthrough_effective_compute_stays_below_the_ceiling():
    scn = _wall(p_break=False, stock_mu=math.log(3e13))
    fc = agt.forecast(scn, draws=20_000, seed=11)
    p = fc.parameters()
    t0, ref = scn.reference.year, scn.reference.flop
    binding = []
    for year in (2026.0, 2030.0, 2040.0, 2060.0, 2100.0):
        c, o = physical_and_other(scn, p, year, t0)
        e = effective_compute(scn, p, year, t0, math.log10(ref))
        d_max = (
            p["data_wall.stock_tokens"]
            * (1 + p["data_wall.stock_growth"]) ** (year - t0)
            * p["data_wall.repetition"]
        )
        ceiling = dw.ceiling_ooms(d_max, ref)
        assert np.all(e - o <= ceiling + 1e-9)
        assert np.all(e - o <= c + 1e-9)  # and never above physical compute
        binding.append(np.mean(e - o < c - 0.5))
    assert max(binding) > 0.1  # the check is not vacuous: the wall does bind


# -- exactness of the solver -----------------------------------------------------------------
def test_newton_arrival_matches_bisection():
    scn = agt.Scenario.preset("aschenbrenner-2024")
    fc = agt.forecast(scn, draws=20_000, seed=5)
    p = fc.parameters()
    by = p["breakthrough_year"]
    R = p["requirement.ooms"]
    t0, log10_ref = scn.reference.year, math.log10(scn.reference.flop)
    arrival = fc.arrival.values.ravel()
    done = np.isfinite(arrival) & (arrival > t0)
    lo = np.full(done.sum(), t0)
    hi = np.full(done.sum(), scn.horizon)
    q = {k: v[done] for k, v in p.items()}
    for _ in range(60):  # E is non-decreasing: bisection for the first t with E(t) >= R
        mid = 0.5 * (lo + hi)
        e = effective_compute(scn, q, mid, t0, log10_ref, breakthrough_year=by[done])
        reached = e >= R[done]
        hi, lo = np.where(reached, mid, hi), np.where(reached, lo, mid)
    assert np.max(np.abs(arrival[done] - hi)) < 1e-6  # the issue asks <= 1e-3 yr
    # censored draws really do not reach R by the horizon
    cens = np.isinf(arrival)
    qc = {k: v[cens] for k, v in p.items()}
    e_h = effective_compute(scn, qc, scn.horizon, t0, log10_ref, breakthrough_year=by[cens])
    assert np.all(e_h < R[cens])


# -- error bars --------------------------------------------------------------------------------
def test_arrival_interval_widens_once_the_wall_can_bind():
    """Where the interval starts before any draw's wall binds, the lower end is the same with
    and without the wall and the upper end can only move later: never narrower."""
    scn = _wall().replace(
        {"data_wall.stock_tokens": agt.ci90(3e14, 1e15), "data_wall.repetition": agt.ci90(2, 4)}
    )
    fc = agt.forecast(scn, draws=50_000, seed=2)
    earliest_wall = float(np.min(fc.draws["wall_year"].values))
    checked = 0
    for prob in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95):
        lo_off, hi_off = fc.arrival_interval(prob, "off")
        lo_on, hi_on = fc.arrival_interval(prob, "on")
        assert lo_on >= lo_off and hi_on >= hi_off
        if lo_off < earliest_wall:
            checked += 1
            assert lo_on == lo_off
            assert hi_on - lo_on >= hi_off - lo_off
    assert checked >= 2, f"earliest wall year {earliest_wall:.2f} precedes too few intervals"


def test_preset_arrival_interval_widens_with_the_wall():
    fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=200_000, seed=0)
    lo_on, hi_on = fc.arrival_interval(0.5, "on")
    lo_off, hi_off = fc.arrival_interval(0.5, "off")
    assert (hi_on - lo_on) - (hi_off - lo_off) > 0.2  # years (measured ~0.35 at 1e6 draws)
    assert fc.prob_by(2035) < float((fc.arrival_draws("off") <= 2035).mean())


def test_error_bars_dataset():
    fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=20_000, seed=0)
    years = np.arange(2024.0, 2041.0)
    ds = fc.error_bars(0.9, years=years)
    assert dict(ds.sizes) == {"year": years.size, "wall": 2}
    assert list(ds.wall.values) == ["on", "off"]
    on, off = ds.sel(wall="on"), ds.sel(wall="off")
    np.testing.assert_allclose(ds.ooms_width, ds.ooms_upper - ds.ooms_lower)
    # the wall only takes effective compute away, and only delays arrival
    assert np.all(on.ooms_upper <= off.ooms_upper + 1e-12)
    assert np.all(on.ooms_lower <= off.ooms_lower + 1e-12)
    assert np.all(on.p_arrived <= off.p_arrived)
    # P(arrived by t) is what fc.cdf says, with its Monte Carlo standard error
    np.testing.assert_allclose(on.p_arrived, fc.cdf(years).values)
    n = fc.arrival.size
    np.testing.assert_allclose(on.p_arrived_se, np.sqrt(on.p_arrived * (1 - on.p_arrived) / n))
    assert ds.ooms_width.attrs["units"] == "OOM"


def test_error_bars_need_the_wall():
    fc = agt.forecast(
        agt.Scenario.preset("aschenbrenner-2024").replace({"data_wall.enabled": False}),
        draws=1000,
        seed=0,
    )
    with pytest.raises(ValueError, match=r"data_wall\.enabled = false"):
        fc.error_bars()
    assert fc.arrival_interval(0.9, "off") == fc.arrival_interval(0.9, "on")  # no wall
    with pytest.raises(ValueError, match='wall must be "on" or "off"'):
        fc.arrival_interval(0.9, "both")


def test_summary_includes_the_wall_variables():
    fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=5000, seed=0)
    table = fc.summary()
    for name in ("wall_year", "breakthrough_year", "arrival_year_no_wall", "data_wall_tau"):
        assert name in table.index
    assert 2024 < table.loc["wall_year", "eti90_lb"] < 2040
