"""Bayesian calibration of the compute trend: recovery, shipped data, diagnostics, errors."""

from __future__ import annotations

import importlib
import math
import warnings

import arviz_stats as azs
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from scipy import stats

from agi_timelines.calibrate import Calibration, CalibrationWarning, calibrate
from agi_timelines.constants import GPT4_FLOP, GPT4_YEAR
from agi_timelines.data import frontier_runs

calibrate_module = importlib.import_module("agi_timelines.calibrate")  # not the function

TRUTH = {"slope": 0.65, "level": -0.8, "sigma": 0.45, "nu": 6.0}
"""Simulation truth, close to the shipped data's fit (OOM/yr, OOM, OOM, dof)."""


def simulate(seed: int, truth: dict[str, float] = TRUTH) -> pd.DataFrame:
    """Run at the shipped frontier dates since 2018, log10 FLOP from a known Student-t trend."""
    rng = np.random.default_rng(seed)
    date = frontier_runs().query("date >= 2018")["date"].to_numpy()
    trend = math.log10(GPT4_FLOP) + truth["level"] + truth["slope"] * (date - GPT4_YEAR)
    noise = truth["sigma"] * rng.standard_t(truth["nu"], size=date.size)
    return pd.DataFrame({"date": date, "log10_flop": trend + noise})


def interval(cal: Calibration, name: str, prob: float = 0.9) -> tuple[float, float]:
    low, high = np.quantile(cal.tree.posterior[name], [(1 - prob) / 2, (1 + prob) / 2])
    return float(low), float(high)


def quiet_calibrate(*args, **kwargs) -> Calibration:
    """Calibrate with diagnostics warnings silenced (for runs that are checked otherwise)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalibrationWarning)
        return calibrate(*args, **kwargs)


@pytest.fixture(scope="module")
def shipped() -> Calibration:
    with warnings.catch_warnings():
        warnings.simplefilter("error", CalibrationWarning)  # the default fit must pass
        return calibrate()


# --- shipped data: the posterior agrees with Epoch's published growth ------------------------


def test_shipped_growth_matches_epoch(shipped: Calibration) -> None:
    median = float(shipped.slope.median())
    assert 4.0 <= 10**median <= 5.6  # Epoch: 4-5x/yr
    # Independent check against the data README's OLS (0.675 OOM/yr, bootstrap 90% CI
    # 0.624-0.730): a robust Bayesian fit of the same 75 rows must land close to it.
    assert median == pytest.approx(0.675, abs=0.03)
    low, high = shipped.growth_factor_interval(0.9)
    assert math.log10(low) == pytest.approx(0.624, abs=0.03)
    assert math.log10(high) == pytest.approx(0.730, abs=0.03)
    assert low < 10**median < high


@pytest.mark.parametrize(
    ("subset", "since", "n_runs", "ols_slope"),
    [
        ("all", 2010.0, 121, 0.684),
        ("all", 2020.0, 60, 0.673),
        ("language/multimodal", 2018.0, 65, 0.694),
        ("until 2024", 2018.0, 68, 0.674),
    ],
)
def test_readme_sensitivity_rows(subset: str, since: float, n_runs: int, ols_slope: float) -> None:
    runs = frontier_runs()
    if subset == "language/multimodal":
        runs = runs[runs["domain"].str.contains("Language|Multimodal")]
    elif subset == "until 2024":
        runs = runs[runs["date"] < 2025]
    cal = quiet_calibrate(runs, since=since, draws=500, chains=2)
    assert cal.tree.attrs["n_runs"] == n_runs
    assert float(cal.slope.median()) == pytest.approx(ols_slope, abs=0.03)


def test_tree_groups_attrs_and_units(shipped: Calibration) -> None:
    tree = shipped.tree
    assert {"posterior", "sample_stats", "posterior_predictive", "observed_data"} <= set(
        tree.children
    )
    assert dict(tree.posterior.sizes) == {"chain": 4, "draw": 1000}
    assert tree.posterior_predictive["log10_flop"].shape == (4, 1000, 75)
    runs = frontier_runs().query("date >= 2018")
    np.testing.assert_array_equal(tree.observed_data["log10_flop"], runs["log10_flop"])
    np.testing.assert_array_equal(tree.constant_data["date"], runs["date"])
    assert list(tree.observed_data["model"].values) == list(runs["model"])
    assert tree.posterior["slope"].attrs["units"].startswith("OOM/yr")
    attrs = tree.attrs
    assert (attrs["data_version"], attrs["since"], attrs["seed"]) == ("2026-08-05", 2018.0, 0)
    assert attrs["data_licence"] == "CC-BY 4.0" and attrs["sampler"].startswith("nutpie")
    assert shipped.data_version == "2026-08-05"
    # intercept = log10 FLOP of the trend at the reference date = log10(C_ref) + level
    np.testing.assert_allclose(
        tree.posterior["intercept"], math.log10(GPT4_FLOP) + tree.posterior["level"]
    )
    # posterior predictive covers the observations about as often as it should
    low, high = np.quantile(tree.posterior_predictive["log10_flop"], [0.05, 0.95], axis=(0, 1))
    inside = np.mean((runs["log10_flop"] >= low) & (runs["log10_flop"] <= high))
    assert 0.8 <= inside <= 0.98


def test_diagnostics_come_from_the_sample_stats(shipped: Calibration) -> None:
    tree = shipped.tree
    posterior = tree.posterior.to_dataset()
    r_hat = azs.rhat(posterior)
    ess = azs.ess(posterior, method="bulk")
    expected = {
        "max_r_hat": max(float(r_hat[v]) for v in r_hat.data_vars),
        "min_ess_bulk": min(float(ess[v]) for v in ess.data_vars),
        "divergences": int(tree.sample_stats["diverging"].sum()),
    }
    assert shipped.diagnostics == pytest.approx(expected)
    assert {k: tree.attrs[k] for k in expected} == pytest.approx(expected)
    assert shipped.diagnostics["max_r_hat"] <= 1.01
    assert shipped.diagnostics["divergences"] == 0


def test_summary_keeps_full_precision(shipped: Calibration) -> None:
    summary = shipped.summary()
    intercept = shipped.tree.posterior["intercept"]
    assert summary.loc["intercept", "mean"] == pytest.approx(float(intercept.mean()), rel=1e-12)
    assert summary.loc["intercept", "eti90_lb"] == pytest.approx(
        float(intercept.quantile(0.05)), abs=1e-9
    )
    assert summary["mean"].dtype == np.float64
    assert f"{float(intercept.mean()):.4f}" in summary.to_string()


def test_growth_factor_interval(shipped: Calibration) -> None:
    low, high = shipped.growth_factor_interval(0.5)
    q = np.quantile(shipped.slope, [0.25, 0.75])
    assert (low, high) == pytest.approx(tuple(10**q))
    wide = shipped.growth_factor_interval(0.99)
    assert wide[0] < low < high < wide[1]
    with pytest.raises(ValueError, match="prob"):
        shipped.growth_factor_interval(1.5)


def test_posterior_draws_are_joint_and_seeded(shipped: Calibration) -> None:
    slope = shipped.posterior_draws("slope", 5000, seed=3)
    level = shipped.posterior_draws("level", 5000, seed=3)
    assert slope.shape == level.shape == (5000,)
    np.testing.assert_array_equal(slope, shipped.posterior_draws("slope", 5000, seed=3))
    assert not np.array_equal(slope, shipped.posterior_draws("slope", 5000, seed=4))
    pairs = set(
        zip(
            shipped.tree.posterior["slope"].values.ravel(),
            shipped.tree.posterior["level"].values.ravel(),
            strict=True,
        )
    )
    assert all(pair in pairs for pair in zip(slope, level, strict=True))
    assert shipped.posterior_draws("slope", 0).shape == (0,)
    with pytest.raises(KeyError, match="no posterior variable 'rate'"):
        shipped.posterior_draws("rate", 10)
    with pytest.raises(ValueError, match="n must be"):
        shipped.posterior_draws("slope", -1)


def test_netcdf_roundtrip(shipped: Calibration, tmp_path) -> None:
    path = tmp_path / "calibration.nc"
    shipped.tree.to_netcdf(path)
    loaded = Calibration(xr.open_datatree(path))
    assert loaded.diagnostics == shipped.diagnostics
    assert loaded.data_version == shipped.data_version
    np.testing.assert_array_equal(loaded.slope, shipped.slope)
    assert "2026-08-05" in repr(loaded)


# --- recovery on simulated data ----------------------------------------------------------------


def test_recovers_known_trend() -> None:
    cal = calibrate(simulate(seed=1), draws=1000, chains=2, seed=1)
    low, high = interval(cal, "slope", 0.9)
    assert low < TRUTH["slope"] < high
    for name in ("level", "sigma"):  # one data set: a 90% interval misses 1 time in 10
        low, high = interval(cal, name, 0.99)
        assert low < TRUTH[name] < high, name
    assert cal.data_version == "unknown"  # a bare DataFrame has no provenance


def test_since_filter_and_duplicate_index_labels() -> None:
    data = simulate(seed=6)
    data.index = np.arange(len(data)) // 2  # labels repeat, as after a careless concat
    cal = quiet_calibrate(data, since=2022.0, draws=200, chains=2)
    kept = data[data["date"] >= 2022.0]
    assert cal.tree.attrs["n_runs"] == len(kept)
    np.testing.assert_array_equal(cal.tree.observed_data["log10_flop"], kept["log10_flop"])


def test_same_seed_same_posterior() -> None:
    data = simulate(seed=2)
    first = calibrate(data, draws=300, chains=2, seed=5)
    again = calibrate(data, draws=300, chains=2, seed=5)
    other = calibrate(data, draws=300, chains=2, seed=6)
    np.testing.assert_array_equal(first.slope, again.slope)
    np.testing.assert_array_equal(
        first.tree.posterior_predictive["log10_flop"], again.tree.posterior_predictive["log10_flop"]
    )
    assert not np.array_equal(first.slope, other.slope)


@pytest.mark.slow  # compiling the breakpoint model costs ~15-20 s
def test_breakpoint_recovers_a_change_of_slope() -> None:
    rng = np.random.default_rng(7)
    date = np.sort(rng.uniform(2006.0, 2026.0, 80))
    early, late, year = 0.3, 0.7, 2015.0
    x = date - GPT4_YEAR
    trend = np.where(date < year, early * (date - year) + late * (year - GPT4_YEAR), late * x)
    data = pd.DataFrame({"date": date, "log10_flop": 25.0 + trend + 0.3 * rng.normal(size=80)})
    cal = calibrate(data, since=2000.0, breakpoint=True, seed=0)
    truth = {
        "slope": late,
        "slope_early": early,
        "break_year": year,
        "level": 25.0 - math.log10(GPT4_FLOP),
    }
    for name, value in truth.items():
        low, high = interval(cal, name)
        assert low < value < high, name
    assert cal.summary().loc["break_year", "mean"] == pytest.approx(year, abs=1.0)
    # the printed table shows the year as a year, to full precision (no e+03, no rounding)
    line = next(x for x in cal.summary().to_string().splitlines() if x.startswith("break_year"))
    assert "e+" not in line
    mean = float(cal.tree.posterior["break_year"].mean())
    assert float(line.split()[1]) == pytest.approx(mean, abs=1e-5)


# --- diagnostics are real ----------------------------------------------------------------------


def test_one_chain_reports_r_hat_as_arviz_does() -> None:
    with pytest.warns(CalibrationWarning, match="R-hat is undefined"):
        cal = calibrate(simulate(seed=3), chains=1, draws=500, seed=0)
    posterior = cal.tree.posterior.to_dataset()
    assert dict(posterior.sizes) == {"chain": 1, "draw": 500}
    arviz_r_hat = np.array([float(v) for v in azs.rhat(posterior).data_vars.values()])
    assert np.isnan(arviz_r_hat).all() and math.isnan(cal.diagnostics["max_r_hat"])
    ess = azs.ess(posterior, method="bulk")
    assert cal.diagnostics["min_ess_bulk"] == pytest.approx(min(float(v) for v in ess.values()))
    assert cal.diagnostics["divergences"] == int(cal.tree.sample_stats["diverging"].sum())


def test_unconverged_run_warns_with_its_real_diagnostics() -> None:
    with pytest.warns(CalibrationWarning, match="R-hat") as record:
        cal = calibrate(simulate(seed=4), tune=1, draws=50, chains=2, seed=0)
    r_hat = azs.rhat(cal.tree.posterior.to_dataset())
    assert cal.diagnostics["max_r_hat"] == pytest.approx(max(float(v) for v in r_hat.values()))
    assert cal.diagnostics["max_r_hat"] > 1.01
    assert f"{cal.diagnostics['max_r_hat']:.3f}" in str(record[0].message)


def _with_nan(data: pd.DataFrame) -> pd.DataFrame:
    data = data.copy()
    data.loc[3, "log10_flop"] = np.nan
    return data


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"draws": 0}, r"draws must be an integer >= 1, got 0"),
        ({"draws": 10.5}, r"draws must be an integer"),
        ({"chains": 0}, r"chains must be an integer >= 1"),
        ({"tune": 0}, r"tune must be an integer >= 1"),
        ({"seed": -1}, r"seed must be an integer >= 0"),
        ({"reference_flop": 0.0}, r"reference_flop"),
        ({"data": _with_nan(simulate(0))}, r"NaN.*row 3 column 'log10_flop'"),
        ({"data": simulate(0).assign(date=np.inf)}, r"infinite.*column 'date'"),
        ({"data": simulate(0).rename(columns={"date": "year"})}, r"missing column\(s\) \['date'\]"),
        ({"data": simulate(0).head(4)}, r"only 4 run\(s\).*need at least 5"),
        ({"data": simulate(0).head(8), "breakpoint": True}, r"only 8 run\(s\).*at least 10"),
        ({"since": 2030.0}, r"since=2030.0 is after the latest run"),
        ({"since": float("nan")}, r"since must be a finite"),
        ({"since": 2026.3}, r"only 1 run\(s\) dated >= 2026.3"),
        ({"data": [1, 2, 3]}, r"data must be a pandas DataFrame or a path"),
    ],
)
def test_bad_input_raises_clear_error(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        calibrate(**kwargs)


def test_bad_csv_path_raises(tmp_path) -> None:
    path = tmp_path / "runs.csv"
    path.write_text("model,publication_date,training_compute_flop\nA,2020-01-01,-1\n")
    with pytest.raises(ValueError, match=r"runs\.csv: column 'training_compute_flop'"):
        calibrate(path)


# --- slow: coverage and the PyMC fallback ------------------------------------------------------


@pytest.mark.slow
def test_interval_coverage_is_nominal() -> None:
    """90% intervals of slope and level cover the truth ~90% of the time over 100 data sets.

    With calibrated intervals the number of hits is Binomial(100, 0.9); the test fails when
    it falls outside that distribution's central 99% (82..97 hits), so intervals that are
    too narrow (e.g. 75% real coverage) or too wide (~100% coverage) fail, honest ones fail
    about 1% of the time. Seeds are fixed, so the result is reproducible.
    """
    n = 100
    lower, upper = stats.binom.ppf([0.005, 0.995], n, 0.9)
    hits = {"slope": 0, "level": 0}
    for seed in range(n):
        cal = quiet_calibrate(simulate(seed=100 + seed), draws=500, chains=2, seed=seed)
        for name in hits:
            low, high = interval(cal, name)
            hits[name] += low < TRUTH[name] < high
    for name, count in hits.items():
        assert lower <= count <= upper, (name, count, (lower, upper))


@pytest.mark.slow
def test_pymc_sampler_fallback(monkeypatch) -> None:
    monkeypatch.setattr(calibrate_module, "_nutpie_available", lambda: False)
    cal = quiet_calibrate(simulate(seed=5), draws=500, chains=2, seed=0)
    assert cal.tree.attrs["sampler"].startswith("pymc")
    low, high = interval(cal, "slope")
    assert low < TRUTH["slope"] < high
    assert cal.diagnostics["divergences"] == int(cal.tree.sample_stats["diverging"].sum())
    assert {"posterior_predictive", "observed_data"} <= set(cal.tree.children)
