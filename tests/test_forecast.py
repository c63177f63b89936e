"""The forecast against closed forms, against an independent numpy implementation.

And the ``Forecast`` result object (docs/model.md: growth axes, requirement, arrival, outputs).

Monte Carlo tolerances are derived, not tuned: a sample ``p``-quantile of ``n`` draws has
standard error ``sqrt(p (1 - p) / n) / f(x_p)`` and a probability ``sqrt(p (1 - p) / n)``;
every comparison allows 4 standard errors (of the difference, for two samples).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pymc as pm
import pytest
import xarray as xr
from reference_numpy import reference_forecast
from scipy import stats

import agi_timelines as agt
from agi_timelines.scenario import Scenario

T0 = 2023.2
QUANTILES = np.array([0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95])


def _quantiles(x: np.ndarray, q: np.ndarray) -> np.ndarray:
    return np.quantile(x, q, method="inverted_cdf")


# --- closed forms ------------------------------------------------------------------------
def test_constant_rate_normal_requirement_is_normal():
    """E(t) = r (t - t0), R ~ N(mu, s)  =>  T ~ N(t0 + mu/r, s/r) (truncation ~1e-23)."""
    r, mu, s = 1.0, 5.0, 0.2
    scn = Scenario.from_dict(
        {"compute": {"rate": r}, "requirement": {"ooms": {"kind": "normal", "mu": mu, "sigma": s}}}
    )
    exact = stats.norm(T0 + mu / r, s / r)
    # truncation: R < 0 (T = t0) or T > horizon is negligible
    assert exact.cdf(T0) < 1e-20 and exact.sf(scn.horizon) < 1e-20
    n = 40_000
    se = np.sqrt(QUANTILES * (1 - QUANTILES) / n) / exact.pdf(exact.ppf(QUANTILES))
    assert 4 * se.max() <= 0.01  # so a 0.01-yr tolerance is at least 4 MC standard errors
    fc = agt.forecast(scn, draws=n, seed=7)
    got = fc.quantile(QUANTILES).values
    np.testing.assert_allclose(got, exact.ppf(QUANTILES), rtol=0, atol=0.01)
    assert fc.censored_fraction == 0.0
    # the arrival is exactly t0 + R/r draw by draw
    req = fc.parameters()["requirement.ooms"]
    np.testing.assert_allclose(fc.arrival.values.ravel(), T0 + req / r, rtol=0, atol=1e-9)


def test_point_requirement_lognormal_rate():
    """R fixed, rate ~ LogNormal(m, s)  =>  T - t0 = R / rate ~ LogNormal(ln R - m, s)."""
    R, m, s = 1.0, math.log(0.5), 0.1
    scn = Scenario.from_dict(
        {
            "compute": {"rate": {"kind": "lognormal", "mu": m, "sigma": s}},
            "requirement": {"ooms": R},
        }
    )
    exact = stats.lognorm(s=s, scale=math.exp(math.log(R) - m), loc=T0)
    assert exact.sf(scn.horizon) < 1e-20
    n = 60_000
    se = np.sqrt(QUANTILES * (1 - QUANTILES) / n) / exact.pdf(exact.ppf(QUANTILES))
    assert 4 * se.max() <= 0.01
    fc = agt.forecast(scn, draws=n, seed=11)
    np.testing.assert_allclose(fc.quantile(QUANTILES).values, exact.ppf(QUANTILES), atol=0.01)
    # draw by draw
    rate = fc.parameters()["compute.rate"]
    np.testing.assert_allclose(fc.arrival.values.ravel(), T0 + R / rate, rtol=0, atol=1e-9)


# Hand computation for the piecewise case (t0 = 2023.2):
#   compute:    0.5 OOM/yr to 2027.2 (2.0 OOMs), then 0.1 OOM/yr, cap 2.5 (reached 2032.2)
#   algorithms: 0.3 OOM/yr, cap 1.0 (reached t0 + 10/3 = 2026.5333...)
#   unhobbling: 0.02 OOM/yr forever
# E is linear between 2023.2, 2026.5333, 2027.2, 2032.2 with slopes 0.82, 0.52, 0.12, 0.02;
# E(2026.5333) = 0.82 * 10/3 = 2.7333..., E(2027.2) = 3.08, E(2032.2) = 3.68, E(2100) = 5.036.
_K1 = T0 + 10 / 3
_E1 = 0.82 * 10 / 3
PIECEWISE_CASES = [
    (0.0, T0),  # E(t0) = 0 >= R: arrives at the reference year
    (2.0, T0 + 2.0 / 0.82),
    (3.0, _K1 + (3.0 - _E1) / 0.52),
    (3.08, 2027.2),
    (3.3, 2027.2 + 0.22 / 0.12),
    (3.8, 2032.2 + 0.12 / 0.02),
    (5.0, 2032.2 + 1.32 / 0.02),
    (5.1, math.inf),  # E(2100) = 5.036 < R: censored
]


def _piecewise(R: float, dummy: bool) -> Scenario:
    data = {
        "compute": {"rate": 0.5, "slowdown_year": 2027.2, "late_rate": 0.1, "cap": 2.5},
        "algorithms": {"rate": 0.3, "cap": 1.0},
        "unhobbling": {"rate": 0.02},
        "requirement": {"ooms": R},
    }
    if dummy:  # one random field that cannot matter (slowdown after the horizon, equal rates)
        data["unhobbling"] |= {
            "slowdown_year": {"kind": "uniform", "lower": 2200.0, "upper": 2300.0},
            "late_rate": 0.02,
        }
    return Scenario.from_dict(data)


@pytest.mark.filterwarnings("ignore::agi_timelines.InputWarning")  # R = 0 is a case
@pytest.mark.parametrize(("R", "expected"), PIECEWISE_CASES)
def test_slowdown_and_cap_exact(R, expected):
    fc = agt.forecast(_piecewise(R, dummy=True), draws=16, seed=3)
    arrival = fc.arrival.values.ravel()
    if math.isinf(expected):
        assert np.all(np.isposinf(arrival))
    else:
        np.testing.assert_allclose(arrival, expected, rtol=0, atol=1e-9)
    # E(t) from the result object agrees with the hand computation at the kinks
    traj = fc.trajectory([T0, _K1, 2027.2, 2032.2, 2100.0])[:, 0]
    np.testing.assert_allclose(traj, [0.0, _E1, 3.08, 3.68, 5.036], rtol=0, atol=1e-12)


def test_all_point_scenario_forecasts():
    """A scenario with no random field at all is a valid (degenerate) forecast."""
    fc = agt.forecast(_piecewise(3.3, dummy=False), draws=5, seed=0)
    np.testing.assert_allclose(fc.arrival.values.ravel(), 2027.2 + 0.22 / 0.12, atol=1e-9)


# --- library vs independent numpy reference (aschenbrenner-2024, wall off) ----------------
@pytest.fixture(scope="module")
def lib_vs_ref(preset_off):
    n = 200_000
    lib = agt.forecast(preset_off, draws=n, seed=2024).arrival.values.ravel()
    ref = reference_forecast(preset_off, draws=n, seed=98765)
    return lib, ref


def _quantile_se(x: np.ndarray, p: float) -> float:
    """Distribution-free SE of the sample p-quantile.

    Half the width of the p +/- 1 SE(p) band of order statistics (avoids estimating the density).
    """
    d = math.sqrt(p * (1 - p) / x.size)
    lo, hi = np.quantile(x, [max(p - d, 0.0), min(p + d, 1.0)], method="inverted_cdf")
    return (hi - lo) / 2


def test_library_matches_numpy_reference_quantiles(lib_vs_ref):
    lib, ref = lib_vs_ref
    checked = 0
    for p in np.round(np.arange(0.05, 0.951, 0.05), 2):
        ql, qr = _quantiles(lib, [p])[0], _quantiles(ref, [p])[0]
        if np.isfinite(ql) and np.isfinite(qr):
            se = math.hypot(_quantile_se(lib, p), _quantile_se(ref, p))
            assert np.isfinite(se)
            assert abs(ql - qr) <= 4 * se, f"q{p}: library {ql:.4f} vs reference {qr:.4f} (SE {se})"
            checked += 1
        else:  # only at the censoring boundary may one be inf: p must be within 4 SE of it
            cens = 1 - 0.5 * (np.isinf(lib).mean() + np.isinf(ref).mean())
            se = math.sqrt(2 * p * (1 - p) / lib.size)
            assert abs(p - cens) <= 4 * se, (p, ql, qr, cens)
    assert checked >= 17
    # the same through the CDF: F_lib at the reference's quantiles
    for p in QUANTILES:
        x = _quantiles(ref, [p])[0]
        if np.isfinite(x):
            f_lib = np.mean(lib <= x)
            assert abs(f_lib - p) <= 4 * math.sqrt(2 * p * (1 - p) / lib.size), (p, f_lib)


@pytest.mark.parametrize("year", [2030.0, 2050.0, 2100.0])
def test_library_matches_numpy_reference_probabilities(lib_vs_ref, year):
    lib, ref = lib_vs_ref
    p_lib, p_ref = np.mean(lib <= year), np.mean(ref <= year)
    p = 0.5 * (p_lib + p_ref)
    se = math.sqrt(p * (1 - p) * (1 / lib.size + 1 / ref.size))
    assert 0 < p < 1
    assert abs(p_lib - p_ref) <= 4 * se, f"P(by {year:g}): {p_lib:.5f} vs {p_ref:.5f}"


def test_censored_share_matches_reference(lib_vs_ref):
    lib, ref = lib_vs_ref
    c_lib, c_ref = np.isinf(lib).mean(), np.isinf(ref).mean()
    c = 0.5 * (c_lib + c_ref)
    assert 0.01 < c < 0.2  # the preset (wall off) leaves a few % not arrived by 2100
    assert abs(c_lib - c_ref) <= 4 * math.sqrt(2 * c * (1 - c) / lib.size)
    assert np.all(lib[np.isfinite(lib)] <= 2100.0) and np.all(lib >= T0)


def test_split_compute_matches_reference():
    scn = Scenario.from_dict(
        {
            "compute": {
                "spending": {
                    "rate": {"kind": "ci90", "lo": 0.3, "hi": 0.5},
                    "slowdown_year": {"kind": "ci90", "lo": 2027.0, "hi": 2031.0, "dist": "normal"},
                    "late_rate": 0.05,
                    "cap": {"kind": "ci90", "lo": 2.0, "hi": 4.0},
                },
                "hardware": {"rate": {"kind": "uniform", "lower": 0.1, "upper": 0.16}},
            },
            "algorithms": {"rate": {"kind": "ci90", "lo": 0.25, "hi": 0.65}, "cap": 3.0},
            "requirement": {
                "log10_flop": {
                    "kind": "mixture",
                    "components": [
                        {"kind": "ci90", "lo": 28.0, "hi": 31.0, "dist": "normal"},
                        {"kind": "ci90", "lo": 32.0, "hi": 36.0, "dist": "normal"},
                    ],
                    "weights": [0.6, 0.4],
                    "names": ["near", "far"],
                }
            },
        }
    )
    n = 50_000
    lib = agt.forecast(scn, draws=n, seed=5).arrival.values.ravel()
    ref = reference_forecast(scn, draws=n, seed=6)
    for year in (2026.0, 2030.0, 2040.0, 2060.0, 2100.0):
        p_lib, p_ref = np.mean(lib <= year), np.mean(ref <= year)
        p = 0.5 * (p_lib + p_ref)
        assert abs(p_lib - p_ref) <= 4 * math.sqrt(2 * p * (1 - p) / n) + 1e-12, year


# --- the Forecast object -----------------------------------------------------------------
def test_tree_structure(preset_fc, preset_off):
    tree = preset_fc.tree
    assert "prior" in tree.children
    ds = tree["prior"].to_dataset()
    assert dict(ds.sizes) == {"chain": 1, "draw": 20_000}
    assert ds["arrival_year"].dims == ("chain", "draw")
    for path in preset_off.random_fields():
        name = path.replace(".", "_")
        assert name in ds, name
        assert ds[name].dims == ("chain", "draw")
    assert ds["compute_rate"].attrs["units"] == "OOM/yr"
    assert ds["arrival_year"].attrs["units"] == "year"
    attrs = tree.attrs
    assert Scenario.from_toml_string(attrs["scenario"]) == preset_off
    assert preset_fc.scenario == preset_off
    assert int(attrs["seed"]) == 1 and preset_fc.seed == 1
    versions = preset_fc.versions
    assert versions["pymc"] == pm.__version__
    assert {"agi_timelines", "pytensor", "numpy", "xarray"} <= set(versions)


def test_prob_by_scalar_and_array(preset_fc):
    arrival = preset_fc.arrival.values.ravel()
    p = preset_fc.prob_by(2030)
    assert isinstance(p, float)
    assert p == np.mean(arrival <= 2030)
    years = [2025.0, 2030.0, 2050.0, 2100.0]
    arr = preset_fc.prob_by(years)
    assert isinstance(arr, xr.DataArray)
    np.testing.assert_array_equal(arr["year"].values, years)
    np.testing.assert_array_equal(arr.values, [np.mean(arrival <= y) for y in years])
    assert np.all(np.diff(arr.values) >= 0)
    assert arr.values[-1] == 1 - preset_fc.censored_fraction


def test_cdf_counts_censored_draws(preset_fc):
    years = np.linspace(2023.2, 2100.0, 50)
    cdf = preset_fc.cdf(years)
    arrival = preset_fc.arrival.values.ravel()
    np.testing.assert_array_equal(cdf.values, [(arrival <= y).mean() for y in years])
    assert cdf.values[-1] < 1.0  # censored mass counts as "not arrived"


def test_quantile_is_inf_in_the_censored_mass(preset_off):
    scn = preset_off.replace({"requirement.ooms": agt.ci90(4.0, 14.0)})
    fc = agt.forecast(scn, draws=20_000, seed=4)
    c = fc.censored_fraction
    assert 0.1 < c < 0.6
    below, above = 1 - c - 0.01, 1 - c + 0.01
    q = fc.quantile([0.05, 0.5 * below, below, above, 1.0])
    assert np.all(np.isfinite(q.values[:3]))
    assert np.isposinf(q.values[3]) and np.isposinf(q.values[4])
    assert q.values[2] <= scn.horizon
    lo, hi = fc.interval(0.98)
    assert np.isfinite(lo) and np.isposinf(hi)
    # a scalar level gives a scalar
    assert np.ndim(fc.quantile(0.5)) == 0
    assert float(fc.quantile(0.5)) == float(fc.quantile([0.5]).values[0])


def test_censored_fraction_is_share_of_inf(preset_fc):
    arrival = preset_fc.arrival.values.ravel()
    assert preset_fc.censored_fraction == np.isinf(arrival).mean()
    assert np.all(np.isposinf(arrival[~np.isfinite(arrival)]))  # no NaN, no -inf


def test_effective_ooms_bands(preset_fc):
    years = np.arange(2024.0, 2061.0, 4.0)
    probs = (0.05, 0.25, 0.5, 0.75, 0.95)
    bands = preset_fc.effective_ooms(years, probs)
    assert bands.dims == ("year", "quantile")
    assert bands.shape == (len(years), len(probs))
    assert np.all(np.diff(bands.values, axis=0) >= 0)  # non-decreasing in year
    assert np.all(np.diff(bands.values, axis=1) >= 0)  # ordered quantiles
    traj = preset_fc.trajectory(years)
    assert traj.shape == (len(years), 20_000)
    assert np.all(np.diff(traj, axis=0) >= -1e-12)
    np.testing.assert_allclose(bands.values[:, 2], np.median(traj, axis=1))
    # E at the reference year is 0 for every draw
    np.testing.assert_array_equal(preset_fc.trajectory([T0]), 0.0)


def test_arrival_consistent_with_trajectory(preset_fc):
    """E(arrival) = R for every arrived draw with arrival > t0 (E continuous)."""
    arrival = preset_fc.arrival.values.ravel()
    req = preset_fc.parameters()["requirement.ooms"]
    idx = np.flatnonzero(np.isfinite(arrival) & (arrival > T0))[:300]
    e = np.array([preset_fc.trajectory([arrival[i]])[0, i] for i in idx])
    np.testing.assert_allclose(e, req[idx], rtol=0, atol=1e-9)


def test_summary_prints_years_as_years(preset_fc):
    table = preset_fc.summary()
    median = table.loc["arrival_year", "median"]
    assert 2028.5 < median < 2029.6  # the preset's median is ~2029.0
    assert abs(median - float(preset_fc.quantile(0.5))) < 0.01
    text = table.to_string()
    line = next(ln for ln in text.splitlines() if ln.startswith("arrival_year"))
    assert re.search(r"\b20[23]\d\.\d", line), line  # e.g. 2029.0, not 2.0e+03 or 2000
    assert "e+03" not in text
    assert table.loc["compute_rate", "median"] == pytest.approx(
        np.median(preset_fc.draws["compute_rate"]), rel=1e-12
    )
    assert table.loc["arrival_year", "censored"] == preset_fc.censored_fraction


def test_summary_interval_in_the_censored_mass_is_inf(preset_off):
    """With >5% of draws censored, the 95th percentile is inf (not NaN, not the horizon)."""
    scn = preset_off.replace({"requirement.ooms": agt.ci90(4.0, 14.0)})
    fc = agt.forecast(scn, draws=20_000, seed=4)
    assert fc.censored_fraction > 0.1
    table = fc.summary(0.9)
    lb, ub = table.loc["arrival_year", "eti90_lb"], table.loc["arrival_year", "eti90_ub"]
    assert np.isfinite(lb)
    assert np.isposinf(ub), f"eti90_ub of arrival_year is {ub}, expected inf"


def test_netcdf_round_trip_is_lossless(preset_fc, tmp_path):
    path = preset_fc.to_netcdf(tmp_path / "fc.nc")
    assert path == tmp_path / "fc.nc"
    back = agt.Forecast.from_netcdf(path)
    xr.testing.assert_identical(back.tree, preset_fc.tree)
    assert back.tree.attrs == preset_fc.tree.attrs
    assert back.scenario == preset_fc.scenario
    np.testing.assert_array_equal(back.arrival.values, preset_fc.arrival.values)  # incl. inf
    assert back.censored_fraction == preset_fc.censored_fraction
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fc.nc"]


def test_netcdf_missing_directory_leaves_nothing(preset_fc, tmp_path):
    target = tmp_path / "no" / "such" / "fc.nc"
    with pytest.raises(ValueError, match="does not exist"):
        preset_fc.to_netcdf(target)
    assert list(tmp_path.iterdir()) == []


def test_failing_write_leaves_no_partial_file(preset_fc, tmp_path, monkeypatch):
    def broken(self, path, *args, **kwargs):
        if hasattr(path, "write"):  # serialised in memory first
            path.write(b"\x89HDF\r\n\x1a\n partial")
        else:
            with open(path, "wb") as fh:
                fh.write(b"\x89HDF\r\n\x1a\n partial")
        raise OSError("disk full")

    monkeypatch.setattr(xr.DataTree, "to_netcdf", broken)
    target = tmp_path / "fc.nc"
    with pytest.raises(OSError, match="disk full"):
        preset_fc.to_netcdf(target)
    assert list(tmp_path.iterdir()) == []


def test_failing_write_keeps_an_existing_file(preset_fc, tmp_path, monkeypatch):
    target = tmp_path / "fc.nc"
    target.write_bytes(b"old")

    def broken(self, path, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(xr.DataTree, "to_netcdf", broken)
    with pytest.raises(OSError):
        preset_fc.to_netcdf(target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["fc.nc"]


def test_not_before_removes_draws_and_counts_them(preset_off, preset_fc):
    cond = agt.forecast(preset_off.replace({"not_before": 2027.0}), draws=20_000, seed=1)
    full = preset_fc.arrival.values.ravel()  # same structure, numbers and seed
    keep = full >= 2027.0
    removed = int((~keep).sum())
    assert 0 < removed < 20_000
    assert int(cond.tree.attrs["not_before_removed"]) == removed
    assert int(cond.tree.attrs["draws"]) == 20_000
    assert cond.arrival.sizes["draw"] == 20_000 - removed
    np.testing.assert_array_equal(cond.arrival.values.ravel(), full[keep])
    np.testing.assert_array_equal(
        cond.draws["compute_rate"].values.ravel(),
        preset_fc.draws["compute_rate"].values.ravel()[keep],
    )
    assert cond.prob_by(2026.9) == 0.0
    assert int(preset_fc.tree.attrs["not_before_removed"]) == 0


def test_model_is_a_pymc_model(preset_fc):
    model = preset_fc.model
    assert isinstance(model, pm.Model)
    assert "arrival_year" in model.named_vars
    assert "compute_rate" in [v.name for v in model.free_RVs]
    assert "arrival_year" in [v.name for v in model.deterministics]


def test_repr_mentions_median_and_censoring(preset_fc):
    text = repr(preset_fc)
    assert "aschenbrenner-2024" in text
    assert f"{float(preset_fc.quantile(0.5)):.1f}" in text
