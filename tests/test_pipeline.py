"""The one forecasting pipeline (``_engine.run``), the calibrations' plumbing and provenance.

* ``forecast``, ``sensitivity``, ``compare`` and ``sweep`` all go through ``_engine.run``:
  the unchanged sensitivity run, every comparison row and every sweep point equal
  ``forecast(scenario, draws, seed)`` bit for bit (calibrated presets included), and a
  one-at-a-time run equals the forecast of the scenario with that parameter a point mass
  (common random numbers: the other parameters keep their draws).
* ``Calibration.resample`` keeps the seeding contract (checked against the formula in plain
  numpy); both calibrations round-trip through netCDF, a calibration read back gives the
  same forecast.
* Every result carries the same provenance keys and format version; files of format 1
  (``draws_requested``, no ``format_version``) still load.
"""

from __future__ import annotations

import json
import sys
import warnings
import zlib

import numpy as np
import pytest
import xarray as xr

import agi_timelines as agt
from agi_timelines import Calibration, Comparison, _engine, compare, sensitivity, sweep
from agi_timelines._provenance import FORMAT_VERSION, PROVENANCE_KEYS, requested_draws, versions
from agi_timelines._seeds import SEED_BLOCK, seed_blocks
from agi_timelines.horizons import HorizonCalibration, scenario_calibration
from agi_timelines.model import var_name

PRESETS = sorted(agt.Scenario.presets())
ONE = agt.Scenario(compute={"rate": agt.ci90(0.4, 0.75)}, requirement={"ooms": 6.0})


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _flat(fc: agt.Forecast) -> dict[str, np.ndarray]:
    return {str(k): v.values.ravel() for k, v in fc.draws.data_vars.items()}


@pytest.fixture(scope="module")
def compute_fit() -> Calibration:
    """Return the epoch-trends preset's own fit (fitted once per process)."""
    table = agt.Scenario.preset("epoch-trends").calibration
    return _engine._fitted(table.since, table.seed)


@pytest.fixture(scope="module")
def horizon_fit() -> HorizonCalibration:
    """Return the metr-horizons preset's own fit (fitted once per process)."""
    return scenario_calibration(agt.Scenario.preset("metr-horizons"))


# -- one pipeline ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", PRESETS)
def test_sensitivity_unchanged_run_is_the_forecast_bit_for_bit(name, monkeypatch):
    """Every stored parameter and every year of the unchanged run equal the forecast's."""
    scn = agt.Scenario.preset(name)
    calls = []
    real = _engine.run

    def spy(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append((kwargs, result))
        return result

    monkeypatch.setattr(sys.modules["agi_timelines._sensitivity"], "run", spy)
    ds = sensitivity(scn, draws=1000, seed=5, resamples=2)
    fc = agt.forecast(scn, draws=1000, seed=5)
    kwargs, base = calls[0]
    assert not kwargs.get("overrides")
    assert len(calls) == 1 + 2 * ds.sizes["parameter"]  # the base, then low and high each
    want = _flat(fc)
    for key, values in base.draws.items():
        assert _same(values, want[var_name(key)]), key
    assert set(base.params) == set(scn.random_fields())
    assert float(ds.median_arrival_base) == float(fc.quantile(0.5))
    assert ds.attrs["draws_used"] == fc.arrival.size


def test_a_one_at_a_time_run_is_the_forecast_with_that_parameter_fixed(monkeypatch):
    scn = agt.Scenario.preset("aschenbrenner-2024")
    runs = []
    real = _engine.run

    def spy(*args, **kwargs):
        result = real(*args, **kwargs)
        runs.append((kwargs.get("overrides"), result))
        return result

    monkeypatch.setattr(sys.modules["agi_timelines._sensitivity"], "run", spy)
    ds = sensitivity(scn, draws=1000, seed=2, resamples=2, sort_by="s1")
    path = "algorithms.rate"
    high = float(ds.value.sel(parameter=path, setting="high"))
    (arrival,) = [r.arrival for o, r in runs if o and path in o and o[path][0] == high]
    fixed = agt.forecast(scn.replace({path: high}), draws=1000, seed=2)
    assert _same(arrival, fixed.arrival.values.ravel())
    assert float(ds.median_arrival.sel(parameter=path, setting="high")) == float(
        fixed.quantile(0.5)
    )


def test_compare_rows_are_the_forecasts_bit_for_bit():
    scenarios = {
        name: agt.Scenario.preset(name) for name in ("aschenbrenner-2024", "epoch-trends")
    } | {
        "wall off": agt.Scenario.preset("aschenbrenner-2024").replace({"data_wall.enabled": False})
    }
    q, years = [0.1, 0.5, 0.9], [2028.0, 2035.0]
    table, tree, _ = compare(scenarios, draws=1500, seed=4, quantiles=q, years=years)
    for name, scn in scenarios.items():
        fc = agt.forecast(scn, draws=1500, seed=4)
        for var, values in _flat(fc).items():
            assert _same(tree[f"{name}/prior/{var}"].values.ravel(), values), (name, var)
        row = table.loc[name]
        assert _same(
            row[["arrival_q10", "arrival_q50", "arrival_q90"]].to_numpy(float),
            fc.quantile(q).values,
        )
        assert _same(row[["p_by_2028", "p_by_2035"]].to_numpy(float), fc.cdf(years).values)
        assert row["censored_share"] == fc.censored_fraction and row["draws"] == fc.arrival.size


def test_sweep_points_are_the_forecasts_bit_for_bit():
    base = agt.Scenario.preset("aschenbrenner-2024")
    values = [0.05, 0.2]
    q, years = [0.25, 0.5], [2030.0]
    ds = sweep(
        base,
        {"compute.late_rate": values},
        draws=1500,
        seed=6,
        quantiles=q,
        years=years,
        scheduler="sync",
    )
    for v in values:
        fc = agt.forecast(base.replace({"compute.late_rate": v}), draws=1500, seed=6)
        point = ds.sel({"compute.late_rate": v})
        assert _same(point.arrival_quantile.values, fc.quantile(q).values)
        assert float(point.median_arrival) == float(fc.quantile(0.5))
        assert _same(point.p_arrived.values, fc.cdf(years).values)
        assert float(point.censored_fraction) == fc.censored_fraction
        assert int(point.draws_used) == fc.arrival.size


def test_run_applies_overrides_and_not_before_once():
    over = _engine.run(ONE, 700, 3, overrides={"compute.rate": np.full(700, 0.5)})
    assert np.all(over.params["compute.rate"] == 0.5)
    np.testing.assert_allclose(over.arrival, 2023.2 + 6.0 / 0.5, rtol=1e-12)
    early = ONE.replace({"requirement.ooms": 1.0, "not_before": 2030.0})  # all by ~2025.7
    with pytest.raises(ValueError, match="not_before=2030: every draw arrives earlier"):
        _engine.run(early, 700, 3)
    with pytest.raises(ValueError, match="not_before=2030: every draw arrives earlier"):
        sensitivity(early, draws=700, seed=3)  # before: an all-NaN table
    empty = _engine.run(early, 700, 3, allow_empty=True)
    assert empty.arrival.size == 0 and empty.attrs["not_before_removed"] == 700


# -- calibrations ------------------------------------------------------------------------------
def test_resample_keeps_the_seeding_contract(compute_fit, horizon_fit):
    """Block j of the slope's draws is rows default_rng([seed, j, crc32(key)]).integers(...)."""
    n, seed = SEED_BLOCK + 77, 3

    def rows(size: int, key: bytes) -> np.ndarray:
        parts = []
        for j, start, stop in seed_blocks(n):
            rng = np.random.default_rng([seed, j, zlib.crc32(key)])
            parts.append(rng.integers(0, size, SEED_BLOCK)[: stop - start])
        return np.concatenate(parts)

    slope = compute_fit.slope.values.reshape(-1)
    assert _same(compute_fit.resample(n, seed), slope[rows(slope.size, b"calibration")])
    assert _same(compute_fit.resample(1000, seed), compute_fit.resample(n, seed)[:1000])
    d = horizon_fit.doublings_per_year.values.reshape(-1)
    h = horizon_fit.h_ref.values.reshape(-1)
    got = horizon_fit.resample(n, seed)
    index = rows(d.size, b"horizon calibration")
    assert _same(got["horizon.doublings_per_year"], d[index])
    assert _same(got["horizon.h_ref"], h[index])
    with pytest.raises(ValueError, match="draws must be an integer >= 0"):
        compute_fit.resample(-1, 0)


def test_calibration_round_trips_through_netcdf(compute_fit, preset_off, tmp_path):
    path = compute_fit.to_netcdf(tmp_path / "cal.nc")
    back = Calibration.from_netcdf(path)
    assert back.model is None
    for group in ("posterior", "posterior_predictive", "observed_data", "constant_data"):
        xr.testing.assert_identical(
            back.tree[group].to_dataset(), compute_fit.tree[group].to_dataset()
        )
    assert back.provenance() == compute_fit.provenance()
    assert _same(back.resample(5000, 1), compute_fit.resample(5000, 1))
    a = agt.forecast(preset_off, draws=2000, seed=1, calibration=compute_fit)
    b = agt.forecast(preset_off, draws=2000, seed=1, calibration=back)
    assert all(_same(v, _flat(b)[k]) for k, v in _flat(a).items())
    assert a.tree.attrs["calibration"] == b.tree.attrs["calibration"]
    # a tree saved with xarray alone (the documented way before to_netcdf) reads too
    compute_fit.tree.to_netcdf(tmp_path / "plain.nc", engine="h5netcdf")
    assert Calibration.from_netcdf(tmp_path / "plain.nc").provenance() == back.provenance()


def test_calibration_files_are_checked(compute_fit, horizon_fit, tmp_path):
    with pytest.raises(ValueError, match="no compute-trend calibration file"):
        Calibration.from_netcdf(tmp_path / "absent.nc")
    horizon = horizon_fit.to_netcdf(tmp_path / "h.nc")
    with pytest.raises(ValueError, match="holds no compute-trend calibration"):
        Calibration.from_netcdf(horizon)
    with pytest.raises(ValueError, match="holds no horizon calibration"):
        HorizonCalibration.from_netcdf(compute_fit.to_netcdf(tmp_path / "c.nc"))
    with pytest.raises(TypeError, match="path must be a file path"):
        compute_fit.to_netcdf(3)
    with pytest.raises(ValueError, match=r"directory .* does not exist"):
        compute_fit.to_netcdf(tmp_path / "no" / "such" / "dir.nc")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.nc", "h.nc"]  # no partial file


# -- provenance ------------------------------------------------------------------------------
def _check(attrs, kind: str, seed: int, draws: int, scenario: agt.Scenario | None) -> None:
    assert attrs["kind"] == kind
    assert int(attrs["format_version"]) == FORMAT_VERSION
    assert int(attrs["seed"]) == seed and int(attrs["draws"]) == draws
    assert json.loads(attrs["versions"]) == versions()
    assert "draws_requested" not in attrs
    if scenario is None:
        assert "scenario" not in attrs and "scenario_name" not in attrs
    else:
        assert attrs["scenario"] == scenario.to_toml_string()
        assert attrs["scenario_name"] == scenario.name
    assert set(PROVENANCE_KEYS) <= set(attrs)


def test_every_result_carries_the_same_provenance(compute_fit, horizon_fit, tmp_path):
    scn = ONE.replace({"not_before": 2030.0})
    fc = agt.forecast(scn, draws=600, seed=2)
    _check(fc.tree.attrs, "forecast", 2, 600, scn)
    back = agt.Forecast.from_netcdf(fc.to_netcdf(tmp_path / "fc.nc"))
    _check(back.tree.attrs, "forecast", 2, 600, scn)
    assert fc.arrival.size < 600  # draws is the request, before not_before
    _check(sensitivity(scn, draws=600, seed=2).attrs, "sensitivity", 2, 600, scn)
    cmp = compare({"a": scn, "b": ONE}, draws=600, seed=2, years=[2040])
    _check(cmp.tree.attrs, "comparison", 2, 600, None)
    assert json.loads(cmp.tree.attrs["scenarios"]) == ["a", "b"]
    _check(cmp.tree["a"].attrs, "forecast", 2, 600, scn)
    _check(cmp.tree["b"].attrs, "forecast", 2, 600, ONE)
    assert "600 draws each, seed 2" in repr(cmp)
    sw = sweep(
        ONE, {"requirement.ooms": [5.0, 6.0]}, draws=600, seed=2, years=[2040], scheduler="sync"
    )
    _check(sw.attrs, "sweep", 2, 600, ONE)
    _check(compute_fit.tree.attrs, "compute-trend calibration", 0, 1000, None)
    _check(
        horizon_fit.tree.attrs, "time-horizon calibration", horizon_fit.settings["seed"], 1000, None
    )


def test_format_1_files_still_load(preset_fc, tmp_path):
    """Before format 2 a forecast had ``draws_requested`` and no kind/format_version."""
    old = preset_fc.tree.copy()
    for key in ("kind", "format_version"):
        del old.attrs[key]
    old.attrs["draws_requested"] = old.attrs.pop("draws")
    old.to_netcdf(tmp_path / "old.nc", engine="h5netcdf")
    fc = agt.Forecast.from_netcdf(tmp_path / "old.nc")
    assert requested_draws(fc.tree.attrs) == 20_000
    assert fc.seed == 1 and fc.scenario.to_toml_string() == preset_fc.scenario.to_toml_string()
    assert _same(fc.arrival.values, preset_fc.arrival.values)
    old_root = xr.DataTree(xr.Dataset(attrs={"seed": 3, "draws_requested": 500}))
    assert "500 draws each, seed 3" in repr(Comparison(None, old_root, {}))
    assert requested_draws({}, 7) == 7


def test_cli_json_reads_old_and_new_draws(preset_fc):
    from agi_timelines.cli._forecast import _json_payload

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        new = _json_payload(preset_fc, [2030.0], 0.0, None, None)
    assert new["draws_requested"] == 20_000 == new["draws"]


def test_an_engine_reloads_whenever_the_scenario_changes():
    """The engine skips reloading only the very scenario it holds.

    Alternating scenarios of one structure each get their own numbers.
    """
    other = ONE.replace({"requirement.ooms": 7.0})
    first = agt.forecast(ONE, draws=600, seed=1).arrival.values
    moved = agt.forecast(other, draws=600, seed=1).arrival.values
    again = agt.forecast(ONE, draws=600, seed=1).arrival.values
    assert _same(first, again) and not np.array_equal(first, moved)
    rate = agt.forecast(ONE, draws=600, seed=1).draws["compute_rate"].values
    np.testing.assert_allclose(moved, first + 1.0 / rate, rtol=1e-12)  # one more OOM
