"""The sampling engine (issue 15): seeded results, threads, chunks, memory, accuracy.

* Seeded draws are those of the engine before the per-draw solver and the thread pool
  (``data/seeded_draws.npz``, recorded from that code): parameters bit for bit, derived
  years within 1e-9 yr (the old solver ran with Numba fastmath, which reassociates sums,
  so its last bits cannot be reproduced by any other formulation; measured: 2 ulp).
* Results are bit-identical for any ``workers`` and ``chunk_size`` (hypothesis).
* The compiled per-draw solver agrees with the independent bisection oracle
  (``benchmarks/reference_numpy.py``) to 1e-6 yr, both ``binds`` settings.
* A request too large for memory fails at once, naming ``draws`` and the memory.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import agi_timelines as agt
from agi_timelines.calibrate import calibrate
from agi_timelines.forecast import available_memory, loaded_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from reference_numpy import solve_bisection

GOLDEN = Path(__file__).with_name("data") / "seeded_draws.npz"
sys.path.insert(0, str(GOLDEN.parent))
from seeded_scenarios import GOLDEN_DRAWS, GOLDEN_SEED, scenarios  # noqa: E402

YEAR_NAMES = {"arrival_year", "arrival_year_no_wall", "wall_year", "breakthrough_year"}


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.tobytes() == b.tobytes()


def _assert_years_close(new: np.ndarray, old: np.ndarray, name: str) -> None:
    """Assert the same censoring, and finite years within 1e-9 yr."""
    assert np.array_equal(np.isinf(new), np.isinf(old)), name
    fin = np.isfinite(old)
    assert np.max(np.abs(new[fin] - old[fin]), initial=0.0) <= 1e-9, name


@pytest.fixture(scope="module")
def golden() -> dict[str, np.ndarray]:
    with np.load(GOLDEN) as data:
        return dict(data)


@pytest.mark.parametrize("name", list(scenarios()))
def test_seeded_draws_are_unchanged(golden, name):
    """Same scenario and seed as before this engine: parameters bit for bit, years to 1e-9."""
    scn = scenarios()[name]
    fc = agt.forecast(scn, draws=GOLDEN_DRAWS, seed=GOLDEN_SEED)
    idx = golden["idx"]
    recorded = sorted(k.split("/", 1)[1] for k in golden if k.startswith(name + "/"))
    assert recorded and sorted(fc.draws.data_vars) == recorded
    for var in recorded:
        new, old = fc.draws[var].values.ravel()[idx], golden[f"{name}/{var}"]
        if var in YEAR_NAMES or var == "requirement":
            _assert_years_close(new, old, var)
        else:
            assert _same(new, old), var


def test_physical_binds_match_the_old_wall(golden):
    """``binds = "physical"`` is the wall of the first version: same draws as before."""
    scn = scenarios()["preset_wall_on"].replace({"data_wall.binds": "physical"})
    fc = agt.forecast(scn, draws=GOLDEN_DRAWS, seed=GOLDEN_SEED)
    idx = golden["idx"]
    for var in ("arrival_year", "wall_year", "arrival_year_no_wall"):
        new, old = fc.draws[var].values.ravel()[idx], golden[f"physical_wall_on/{var}"]
        _assert_years_close(new, old, var)


# -- threads and chunks -----------------------------------------------------------------------
PRESET = agt.Scenario.preset("aschenbrenner-2024")
VARIANTS = {
    "wall_on": PRESET,
    "wall_off": PRESET.replace({"data_wall.enabled": False}),
    "physical": PRESET.replace({"data_wall.binds": "physical"}),
    "correlated": PRESET.correlate("compute.rate", "algorithms.rate", 0.6).correlate(
        "data_wall.tau", "algorithms.rate", -0.4
    ),
}


@pytest.fixture(scope="module")
def cal():
    return calibrate(draws=200, tune=200, chains=2, seed=3)


def _all_arrays(fc: agt.Forecast) -> dict[str, np.ndarray]:
    return {k: v.values for k, v in fc.draws.data_vars.items()}


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    variant=st.sampled_from([*VARIANTS, "calibrated"]),
    workers=st.sampled_from([2, 3]),
    chunk=st.sampled_from([1, 7, 1000, 32_767, 32_768, 40_000, 2**18]),
    draws=st.integers(1, 70_000),
    seed=st.integers(0, 2**32),
)
def test_results_do_not_depend_on_workers_or_chunks(cal, variant, workers, chunk, draws, seed):
    if chunk == 1:
        draws = min(draws, 300)  # one solver call per draw: keep it short
    scn = VARIANTS.get(variant, PRESET.replace({"data_wall.enabled": False}))
    kw = {"calibration": cal} if variant == "calibrated" else {}
    base = _all_arrays(agt.forecast(scn, draws=draws, seed=seed, workers=1, **kw))
    other = _all_arrays(
        agt.forecast(scn, draws=draws, seed=seed, workers=workers, chunk_size=chunk, **kw)
    )
    assert base.keys() == other.keys()
    for k in base:
        assert _same(base[k], other[k]), k


def test_progress_reaches_the_total():
    seen = []
    agt.forecast(
        VARIANTS["wall_off"],
        draws=100_001,
        seed=0,
        workers=2,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[-1] == (100_001, 100_001)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


# -- accuracy against the bisection oracle -----------------------------------------------------
def _solver_vs_oracle(scn: agt.Scenario, draws: int, seed: int) -> None:
    with loaded_engine(scn) as eng:
        params = eng.draw(draws, seed)
        lib = eng.solve(params, draws, 512)
    full = {
        path: np.full(draws, float(prior.value))
        for path, prior in scn.prior_fields().items()
        if not prior.is_random
    } | params
    ref = solve_bisection(scn, full)
    for key, want in ref.items():
        got = lib[key]
        assert np.array_equal(np.isinf(got), np.isinf(want)), key
        fin = np.isfinite(want)
        assert np.max(np.abs(got[fin] - want[fin]), initial=0.0) <= 1e-6, key


@pytest.mark.parametrize("variant", ["wall_on", "wall_off", "physical"])
def test_solver_agrees_with_bisection(variant):
    _solver_vs_oracle(VARIANTS[variant], 3000, 11)


@settings(max_examples=8, deadline=None)
@given(
    stock=st.floats(1e12, 1e16),
    growth=st.floats(0.0, 0.3),
    rate=st.floats(0.05, 1.5),
    late=st.floats(0.0, 0.3),
    req=st.floats(0.5, 14.0),
    binds=st.sampled_from(["pretraining", "physical"]),
    seed=st.integers(0, 1000),
)
def test_solver_agrees_with_bisection_everywhere(stock, growth, rate, late, req, binds, seed):
    """The compiled solver matches the oracle with random wall, compute trend and requirement.

    The other priors stay random too.
    """
    scn = PRESET.replace(
        {
            "data_wall.stock_tokens": agt.ci90(stock / 5, stock * 5),
            "data_wall.stock_growth": growth,
            "data_wall.binds": binds,
            "compute.rate": agt.ci90(rate / 2, rate * 2),
            "compute.late_rate": late,
            "requirement.ooms": agt.ci90(req / 2, req * 2),
        }
    )
    _solver_vs_oracle(scn, 400, seed)


def test_unused_axes_cost_nothing_and_change_nothing():
    """An identically-zero axis is skipped by the solver; the arrival is the closed form."""
    scn = agt.Scenario.from_dict(
        {
            "compute": {"rate": {"kind": "ci90", "lo": 0.4, "hi": 0.75}},
            "algorithms": {"rate": {"kind": "ci90", "lo": 0.25, "hi": 0.65}},
            "requirement": {"ooms": {"kind": "ci90", "lo": 4.0, "hi": 9.0}},
        }
    )
    with loaded_engine(scn) as eng:
        assert eng.layout.mode.tolist().count(0) == 2  # unhobbling and the spare slot
    fc = agt.forecast(scn, draws=5000, seed=4)
    p = fc.parameters()
    want = scn.reference.year + p["requirement.ooms"] / (p["compute.rate"] + p["algorithms.rate"])
    want = np.where(want <= scn.horizon, want, np.inf)
    got = fc.arrival.values.ravel()
    assert np.array_equal(np.isinf(got), np.isinf(want))
    fin = np.isfinite(want)
    np.testing.assert_allclose(got[fin], want[fin], rtol=0, atol=1e-9)


# -- memory -----------------------------------------------------------------------------------
def test_keep_and_float32_store_less_and_change_no_year():
    scn = VARIANTS["wall_on"]
    full = agt.forecast(scn, draws=3000, seed=2)
    small = agt.forecast(scn, draws=3000, seed=2, keep=["compute.rate", "requirement_ooms"])
    f32 = agt.forecast(scn, draws=3000, seed=2, dtype="float32")
    assert set(small.draws.data_vars) == {
        "compute_rate",
        "requirement_ooms",
        "wall_year",
        "breakthrough_year",
        "arrival_year",
        "arrival_year_no_wall",
    }
    for name in ("arrival_year", "arrival_year_no_wall", "wall_year"):
        assert _same(small.draws[name].values, full.draws[name].values)
        assert _same(f32.draws[name].values, full.draws[name].values)
    assert f32.draws["compute_rate"].dtype == np.float32
    assert f32.draws["arrival_year"].dtype == np.float64
    np.testing.assert_array_equal(
        f32.draws["compute_rate"].values, full.draws["compute_rate"].values.astype(np.float32)
    )
    assert full.draws["compute_rate"].dtype == np.float64  # "auto" keeps float64 when small
    # what needs every parameter says which one was not kept
    with pytest.raises(ValueError, match="did not keep the draws of"):
        small.effective_ooms([2030.0])


def test_bad_keep_and_dtype_name_the_argument():
    with pytest.raises(ValueError, match=r"keep: 'compute\.speed'.*compute\.rate"):
        agt.forecast(VARIANTS["wall_off"], draws=10, keep=["compute.speed"])
    with pytest.raises(ValueError, match="dtype must be"):
        agt.forecast(VARIANTS["wall_off"], draws=10, dtype="float16")
    with pytest.raises(ValueError, match="workers must be an integer >= 1"):
        agt.forecast(VARIANTS["wall_off"], draws=10, workers=0)


@pytest.mark.parametrize("draws", [10**10, 10**13])
def test_too_many_draws_fail_fast_naming_draws_and_memory(draws):
    """Too many draws fail fast, in a fresh process (nothing compiled or fitted yet).

    The call fails in under a second, before any allocation (the clock excludes importing the
    modelling stack).
    """
    code = f"""
import json, time
import agi_timelines as agt
s = agt.Scenario.preset("aschenbrenner-2024")
run = agt.forecast  # the package imports lazily: import PyMC before the clock starts
t = time.perf_counter()
try:
    run(s, draws={draws}, seed=0)
except MemoryError as err:
    print(json.dumps({{"secs": time.perf_counter() - t, "msg": str(err)}}))
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["secs"] < 1.0
    msg = out["msg"]
    assert f"draws={draws:,}" in msg
    need = float(msg.split("needs about ")[1].split(" GiB")[0].replace(",", ""))
    # "auto" stores the 18 parameters as float32 at this size, the 4 years as float64
    assert math.isclose(need, draws * (18 * 4 + 4 * 8) / 2**30, rel_tol=1e-3)
    free = available_memory()
    assert free is not None and need > free / 2**30
    assert "GiB of memory available" in msg
