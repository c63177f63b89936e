"""Forecasts whose compute rate is drawn from a calibration's posterior (issue 5, part 3)."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

import agi_timelines as agt
from agi_timelines import calibrate
from agi_timelines._seeds import SEED_BLOCK


@pytest.fixture(scope="module")
def cal():
    with warnings.catch_warnings():  # a short fit; its diagnostics are tested elsewhere
        warnings.simplefilter("ignore")
        return calibrate(draws=300, tune=300, chains=2, seed=3)


@pytest.fixture(scope="module")
def scenario():
    return agt.Scenario.preset("aschenbrenner-2024").replace({"data_wall.enabled": False})


def test_rates_are_posterior_draws_and_the_rest_is_unchanged(cal, scenario):
    n = 3 * SEED_BLOCK // 2
    plain = agt.forecast(scenario, draws=n, seed=5)
    fc = agt.forecast(scenario, draws=n, seed=5, calibration=cal)
    rate = fc.draws["compute_rate"].values.ravel()
    slope = cal.slope.to_numpy().ravel()
    assert np.isin(rate, slope).all()  # resampled posterior draws, nothing invented
    # quantiles of the resample agree with the posterior's (MC error at ~5e4 draws)
    np.testing.assert_allclose(
        np.quantile(rate, [0.05, 0.5, 0.95]), np.quantile(slope, [0.05, 0.5, 0.95]), atol=0.01
    )
    for name in fc.draws.data_vars:
        if name in ("compute_rate", "arrival_year") or name.startswith("compute_"):
            continue
        np.testing.assert_array_equal(fc.draws[name].values, plain.draws[name].values)
    # the posterior is far narrower than the prior, and the arrival years follow it
    assert np.std(rate) < 0.5 * np.std(plain.draws["compute_rate"].values)
    assert not np.array_equal(fc.arrival.values, plain.arrival.values)


def test_calibrated_forecast_is_seeded_and_chunk_invariant(cal, scenario):
    n = SEED_BLOCK + 1000
    a = agt.forecast(scenario, draws=n, seed=2, calibration=cal)
    b = agt.forecast(scenario, draws=n, seed=2, calibration=cal, chunk_size=777)
    short = agt.forecast(scenario, draws=500, seed=2, calibration=cal)
    other = agt.forecast(scenario, draws=500, seed=3, calibration=cal)
    np.testing.assert_array_equal(a.arrival.values, b.arrival.values)
    np.testing.assert_array_equal(a.arrival.values[..., :500], short.arrival.values)
    assert not np.array_equal(short.arrival.values, other.arrival.values)


def test_calibration_is_recorded(cal, scenario):
    fc = agt.forecast(scenario, draws=1000, seed=0, calibration=cal)
    info = json.loads(fc.tree.attrs["calibration"])
    assert info["replaces"] == "compute.rate"
    assert info["data_version"] == cal.data_version
    assert info["n_runs"] == cal.tree.attrs["n_runs"]
    assert info["divergences"] == cal.diagnostics["divergences"]
    lo, hi = info["growth_factor_90"]
    assert 1 < lo < 10 ** info["slope_median_oom_per_year"] < hi
    assert "calibration" not in agt.forecast(scenario, draws=1000, seed=0).tree.attrs


def test_calibration_needs_a_random_single_compute_rate(cal, scenario):
    point = scenario.replace({"compute.rate": agt.point(0.5)})
    with pytest.raises(ValueError, match=r"calibration: compute.rate must be a distribution"):
        agt.forecast(point, draws=100, calibration=cal)
    data = scenario.to_dict()
    data["compute"] = {
        "spending": {"rate": {"kind": "ci90", "lo": 0.3, "hi": 0.5}},
        "hardware": {"rate": {"kind": "ci90", "lo": 0.1, "hi": 0.2}},
    }
    split = agt.Scenario.from_dict(data)
    with pytest.raises(ValueError, match=r"spending \+ hardware"):
        agt.forecast(split, draws=100, calibration=cal)
    data["calibration"] = {"since": 2018.0}
    with pytest.raises(ValueError, match=r"calibration: replaces compute\.rate"):
        agt.Scenario.from_dict(data)


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ({"since": 1800.0}, "calibration.since"),
        ({"seed": -1}, "calibration.seed"),
        ({"chains": 4}, "calibration.chains"),
    ],
)
def test_bad_calibration_table(scenario, table, field):
    data = scenario.to_dict() | {"calibration": table}
    with pytest.raises(ValueError, match=field):
        agt.Scenario.from_dict(data)


def test_calibration_rejects_a_correlated_compute_rate(cal, scenario):
    correlated = scenario.correlate("compute.rate", "algorithms.rate", 0.5)
    with pytest.raises(ValueError, match=r"compute\.rate ~ algorithms\.rate would be lost"):
        agt.forecast(correlated, draws=100, calibration=cal)
    data = correlated.to_dict() | {"calibration": {"since": 2018.0}}
    with pytest.raises(ValueError, match="would be lost"):
        agt.Scenario.from_dict(data)


def test_epoch_trends_preset_calibrates_itself():
    scn = agt.Scenario.preset("epoch-trends")
    assert scn.calibration is not None and scn.data_wall.enabled
    assert agt.Scenario.from_toml_string(scn.to_toml_string()) == scn
    fc = agt.forecast(scn, draws=20_000, seed=0)
    info = json.loads(fc.tree.attrs["calibration"])
    assert info["since"] == scn.calibration.since and info["n_runs"] > 50
    rate = fc.draws["compute_rate"].values
    # Epoch AI (docs/references.md): frontier compute grows 4-5x a year, 0.6-0.7 OOM/yr
    assert 0.6 < np.median(rate) < 0.7
    assert 2026 < float(fc.quantile(0.5)) < 2032
