"""Tests for the data-wall mechanism (docs/model.md, "The data wall")."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from agi_timelines import data_wall as dw
from agi_timelines.constants import (
    CHINCHILLA_A,
    CHINCHILLA_ALPHA,
    CHINCHILLA_B,
    CHINCHILLA_BETA,
    GPT4_FLOP,
)
from agi_timelines.data_wall import ceiling_ooms, effective_ooms, optimal_tokens, wall_ooms

REF = GPT4_FLOP  # 2.1e25 FLOP


# --- Independent brute-force versions of the definitions ------------------------------------
def _loss(n_params: float, d_tokens: float) -> float:
    """Reducible part of the Chinchilla loss, L(N, D) - E."""
    return CHINCHILLA_A * n_params**-CHINCHILLA_ALPHA + CHINCHILLA_B * d_tokens**-CHINCHILLA_BETA


def _optimal_log10_n(flop: float) -> float:
    """log10 N minimising L(N, C/(6N)) by numerical search (no closed form)."""
    res = minimize_scalar(
        lambda log_n: _loss(10**log_n, flop / (6 * 10**log_n)),
        bounds=(0.0, 30.0),
        method="bounded",
        options={"xatol": 1e-10},
    )
    return res.x


def _optimal_loss(flop: float) -> float:
    log_n = _optimal_log10_n(flop)
    return _loss(10**log_n, flop / (6 * 10**log_n))


# --- Spec numbers -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("d_max", "wall", "ceiling"),
    [(3e14, 3.3, 5.0), (1e15, 4.3, 6.1), (5e15, 5.8, 7.5)],
)
def test_spec_wall_and_ceiling(d_max: float, wall: float, ceiling: float) -> None:
    assert wall_ooms(d_max, REF) == pytest.approx(wall, abs=0.1)
    assert ceiling_ooms(d_max, REF) == pytest.approx(ceiling, abs=0.1)


def test_spec_diminishing_returns_past_the_wall() -> None:
    wall = wall_ooms(3e14, REF)
    increments = np.diff(effective_ooms(wall + np.arange(5.0), 3e14, REF))
    np.testing.assert_allclose(increments, [0.81, 0.47, 0.25, 0.12], atol=0.1)
    # tighter: these are properties of the exponents only, independent of D_max
    np.testing.assert_allclose(increments, [0.809, 0.474, 0.247, 0.120], atol=0.001)


def test_optimal_tokens_gpt4_scale() -> None:
    assert optimal_tokens(2e25) == pytest.approx(7.5e12, rel=0.1)


# --- Closed forms against the definitions -------------------------------------------------
@pytest.mark.parametrize("flop", [1e20, 2e25, 1e30])
def test_optimal_tokens_matches_numerical_optimum(flop: float) -> None:
    log_d = math.log10(flop / 6) - _optimal_log10_n(flop)
    assert math.log10(optimal_tokens(flop)) == pytest.approx(log_d, abs=1e-6)


@pytest.mark.parametrize("flop", [1e20, 2e25, 1e30])
def test_optimal_loss_constant_k(flop: float) -> None:
    closed = 10**dw._LOG10_K * flop**-dw._GAMMA
    assert closed == pytest.approx(_optimal_loss(flop), rel=1e-9)


@pytest.mark.parametrize("d_max", [1e13, 3e14, 1e16])
@pytest.mark.parametrize("past", [0.3, 1.0, 4.0, 12.0])
def test_effective_compute_matches_definition(d_max: float, past: float) -> None:
    """C_eff is the unconstrained compute whose *optimal* loss equals the capped run's loss."""
    physical = wall_ooms(d_max, REF) + past
    flop = REF * 10**physical
    capped_loss = _loss(flop / (6 * d_max), d_max)
    eff_flop = REF * 10 ** effective_ooms(physical, d_max, REF)
    assert _optimal_loss(eff_flop) == pytest.approx(capped_loss, rel=1e-8)
    # and at the wall the compute-optimal run uses exactly D_max tokens
    assert optimal_tokens(REF * 10 ** wall_ooms(d_max, REF)) == pytest.approx(d_max, rel=1e-12)


@pytest.mark.parametrize("d_max", [1e12, 3e14, 1e17])
def test_ceiling_is_the_limit(d_max: float) -> None:
    ceiling = ceiling_ooms(d_max, REF)
    assert effective_ooms(np.inf, d_max, REF) == ceiling
    assert effective_ooms(wall_ooms(d_max, REF) + 60, d_max, REF) == pytest.approx(
        ceiling, abs=1e-12
    )
    # the ceiling's optimal loss is E + B D_max^-beta
    ceiling_loss = 10**dw._LOG10_K * (REF * 10**ceiling) ** -dw._GAMMA
    assert ceiling_loss == pytest.approx(CHINCHILLA_B * d_max**-CHINCHILLA_BETA, rel=1e-12)


def test_wall_is_continuous_and_smooth() -> None:
    d_max = 3e14
    wall = wall_ooms(d_max, REF)
    h = 1e-6
    left, at, right = effective_ooms(np.array([wall - h, wall, wall + h]), d_max, REF)
    assert at == wall
    assert right - at == pytest.approx(h, rel=1e-4)  # slope 1 from the right as well
    assert at - left == pytest.approx(h, rel=1e-6)


# --- Shape properties (hypothesis) --------------------------------------------------------
log_d_max = st.floats(13.0, 17.0)
ooms = st.floats(-3.0, 25.0)


@settings(max_examples=200, deadline=None)
@given(log_d_max, ooms)
def test_identity_below_the_wall(log_d: float, u: float) -> None:
    d_max = 10**log_d
    u = min(u, wall_ooms(d_max, REF))
    assert effective_ooms(u, d_max, REF) == u


@settings(max_examples=200, deadline=None)
@given(log_d_max, ooms, ooms, st.floats(0.0, 1.0))
def test_increasing_concave_bounded(log_d: float, a: float, b: float, w: float) -> None:
    d_max = 10**log_d
    lo, hi = min(a, b), max(a, b)
    mid = min(max(lo + w * (hi - lo), lo), hi)  # rounding may step outside [lo, hi]
    w = (mid - lo) / (hi - lo) if hi > lo else 0.0
    f_lo, f_mid, f_hi = effective_ooms(np.array([lo, mid, hi]), d_max, REF)
    ceiling = ceiling_ooms(d_max, REF)
    assert f_lo <= f_mid <= f_hi <= ceiling
    assert f_lo <= lo + 1e-12 and f_hi <= hi + 1e-12  # never more than physical
    # concave: above the chord
    assert f_mid >= (1 - w) * f_lo + w * f_hi - 1e-9


def test_strictly_increasing_past_the_wall() -> None:
    wall = wall_ooms(1e15, REF)
    eff = effective_ooms(wall + np.linspace(0.0, 20.0, 201), 1e15, REF)
    assert np.all(np.diff(eff) > 0)
    assert np.all(np.diff(eff, 2) < 0)


# --- No wall ------------------------------------------------------------------------------
def test_infinite_d_max_switches_the_wall_off() -> None:
    u = np.linspace(-5.0, 30.0, 71)
    np.testing.assert_array_equal(effective_ooms(u, np.inf, REF), u)
    assert wall_ooms(np.inf, REF) == np.inf
    assert ceiling_ooms(np.inf, REF) == np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert effective_ooms(np.inf, np.inf, REF) == np.inf
        assert effective_ooms(-np.inf, np.inf, REF) == -np.inf


def test_broadcasting_and_scalars() -> None:
    u = np.linspace(-5.0, 30.0, 8)[:, None]
    d_max = np.array([1e12, 3e14, 1e17, np.inf])
    assert effective_ooms(u, d_max, REF).shape == (8, 4)
    assert wall_ooms(d_max, np.array([[1e24], [2.1e25]])).shape == (2, 4)
    assert np.ndim(effective_ooms(3.0, 3e14, REF)) == 0
    assert isinstance(float(optimal_tokens(2e25)), float)
    # integer inputs (even beyond int64) are accepted
    assert wall_ooms(10**20, 21 * 10**24) == pytest.approx(wall_ooms(1e20, 2.1e25))


# --- numpy and pytensor agree -------------------------------------------------------------
@pytest.fixture(scope="module")
def compiled():
    import pytensor
    import pytensor.tensor as pt

    u = pt.dvector("u")
    d = pt.dvector("d")
    ref = pt.dscalar("ref")
    eff = effective_ooms(u, d, ref)
    grads = pt.grad(eff.sum(), [u, d])
    return pytensor.function(
        [u, d, ref],
        [eff, wall_ooms(d, ref), ceiling_ooms(d, ref), optimal_tokens(ref * 10**u), *grads],
    )


def test_pytensor_matches_numpy(compiled) -> None:
    rng = np.random.default_rng(0)
    u = rng.uniform(-5.0, 30.0, 500)
    d = 10 ** rng.uniform(12.0, 17.0, 500)
    d[::7] = np.inf
    eff, wall, ceil, tokens, grad_u, grad_d = compiled(u, d, REF)
    np.testing.assert_allclose(eff, effective_ooms(u, d, REF), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(wall, wall_ooms(d, REF), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ceil, ceiling_ooms(d, REF), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(tokens, optimal_tokens(REF * 10**u), rtol=1e-12)
    # gradients are finite everywhere (also with the wall switched off) and sensible
    assert np.all(np.isfinite(grad_u)) and np.all(np.isfinite(grad_d))
    assert np.all((grad_u > 0) & (grad_u <= 1 + 1e-12))
    below = u <= wall
    np.testing.assert_array_equal(grad_u[below], 1.0)
    np.testing.assert_array_equal(grad_d[below], 0.0)
    assert np.all(grad_d[~below] > 0)  # more data helps a capped run


def test_pytensor_mixed_with_numpy_constants() -> None:
    import pytensor
    import pytensor.tensor as pt

    u = pt.dvector("u")
    f = pytensor.function([u], effective_ooms(u, 3e14, REF))
    x = np.array([-2.0, 3.0, 5.0, 9.0])
    np.testing.assert_allclose(f(x), effective_ooms(x, 3e14, REF), rtol=1e-12)


# --- Bad inputs ---------------------------------------------------------------------------
@pytest.mark.parametrize("d_max", [0.0, -1e14, np.nan, -np.inf, [1e14, 0.0]])
def test_bad_d_max(d_max) -> None:
    for call in (
        lambda: wall_ooms(d_max, REF),
        lambda: ceiling_ooms(d_max, REF),
        lambda: effective_ooms(1.0, d_max, REF),
    ):
        with pytest.raises(ValueError, match="d_max_tokens"):
            call()


@pytest.mark.parametrize("ref", [0.0, -2e25, np.nan, np.inf])
def test_bad_reference_flop(ref) -> None:
    with pytest.raises(ValueError, match="reference_flop"):
        wall_ooms(3e14, ref)
    with pytest.raises(ValueError, match="reference_flop"):
        effective_ooms(1.0, 3e14, ref)


def test_bad_physical_ooms_and_flop() -> None:
    with pytest.raises(ValueError, match="physical_ooms"):
        effective_ooms(np.array([1.0, np.nan]), 3e14, REF)
    with pytest.raises(ValueError, match="flop"):
        optimal_tokens(-1.0)
    with pytest.raises(ValueError, match="flop"):
        optimal_tokens(0.0)
    with pytest.raises(ValueError, match="flop"):
        optimal_tokens(np.nan)
