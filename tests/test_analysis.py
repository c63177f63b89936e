"""Sensitivity analysis, scenario comparison and parameter sweeps.

Two small scenario structures keep compilation cheap: ``ONE`` (only ``compute.rate``
random; arrival ``= 2023.2 + R / rate`` exactly) and ``TWO`` (adds a random compute cap
that is never reached, so it has no effect).  Sweeping ``compute.cap`` of ``TWO`` gives
``ONE``'s structure.  The preset (data wall on) is compiled once for the wall checks.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import agi_timelines as agt
from agi_timelines.compare import compare
from agi_timelines.sensitivity import sensitivity, tornado_table
from agi_timelines.sweep import sweep, sweepable_fields

T0 = 2023.2
RATE = agt.ci90(0.4, 0.75)
ONE = agt.Scenario(compute={"rate": RATE}, requirement={"ooms": 6.0})
TWO = agt.Scenario(compute={"rate": RATE, "cap": agt.ci90(500, 1000)}, requirement={"ooms": 6.0})
WALL = TWO.replace({"data_wall.enabled": True, "data_wall.stock_tokens": agt.ci90(3e13, 1e15)})
N = 20_000


@pytest.fixture(scope="module")
def preset() -> agt.Scenario:
    return agt.Scenario.preset("aschenbrenner-2024")


# -- sensitivity -----------------------------------------------------------------------------
def test_only_random_parameter_gets_all_sensitivity():
    ds = sensitivity(ONE, draws=N, seed=3)
    assert ds.parameter.values.tolist() == ["compute.rate"]
    lo, hi = (float(RATE.ppf(p)) for p in (0.05, 0.95))
    np.testing.assert_allclose(ds.value.values, [[lo, hi]])
    # with the only random parameter fixed, every draw arrives at 2023.2 + 6 / rate
    np.testing.assert_allclose(ds.median_arrival.values, [[T0 + 6 / lo, T0 + 6 / hi]], rtol=1e-12)
    assert ds.p_arrived.values.tolist() == [[0.0, 0.0]]  # both after 2030
    assert float(ds.s1[0]) > 0.97  # the arrival rank is a smooth function of the rate
    assert float(ds.spearman[0]) == pytest.approx(-1.0, abs=1e-12)  # faster, earlier
    assert ds.swing_median.values[0] == pytest.approx(6 / lo - 6 / hi)
    assert ds.units.values.tolist() == ["OOM/yr"]


def test_parameter_without_effect_gets_zero():
    ds = sensitivity(TWO, draws=N, seed=3)
    assert ds.parameter.values.tolist() == ["compute.rate", "compute.cap"]  # sorted by s1
    cap = ds.sel(parameter="compute.cap")
    # the cap (>= 500 OOMs) is never reached: fixing it changes nothing, exactly
    assert float(cap.swing_median) == 0.0 and float(cap.swing_p_arrived) == 0.0
    assert np.all(cap.median_shift.values == 0.0)
    assert abs(float(cap.s1)) < 0.01
    assert abs(float(cap.spearman)) < 4 / math.sqrt(N)  # 4 standard errors of noise
    rate = ds.sel(parameter="compute.rate")
    assert float(rate.s1) > 0.97 and float(rate.spearman) < -0.999
    assert ds.attrs["s1_sum"] == pytest.approx(1.0, abs=0.03)


def test_sensitivity_base_run_is_the_forecast():
    scn = TWO.replace({"not_before": 2031.0})
    ds = sensitivity(scn, draws=5000, seed=11)
    fc = agt.forecast(scn, draws=5000, seed=11)
    assert float(ds.median_arrival_base) == float(fc.quantile(0.5))
    assert float(ds.p_arrived_base) == fc.prob_by(2030)
    assert ds.attrs["draws_used"] == fc.arrival.size < 5000
    # every one-at-a-time run is conditioned the same way: none arrives before 2031
    assert float(ds.p_arrived.min()) == 0.0 == float(ds.p_arrived_base)


@pytest.mark.parametrize("name", sorted(agt.Scenario.presets()))
def test_sensitivity_base_run_is_the_forecast_for_every_preset(name):
    """The unchanged run equals forecast(), calibrated presets included.

    The unchanged run draws compute.rate (epoch-trends) and a horizon route's (D, h_ref)
    (metr-horizons) from their posteriors, as forecast() does.
    """
    scn = agt.Scenario.preset(name)
    ds = sensitivity(scn, draws=2000, seed=3, resamples=2)
    fc = agt.forecast(scn, draws=2000, seed=3)
    assert float(ds.median_arrival_base) == float(fc.quantile(0.5))
    assert float(ds.p_arrived_base) == fc.prob_by(2030)
    assert ds.attrs["censored_fraction"] == fc.censored_fraction


def test_sensitivity_keeps_censored_draws():
    scn = TWO.replace({"horizon": 2035.0})  # arrival after 2035 iff rate < 6 / 11.8
    ds = sensitivity(scn, draws=N, seed=5, year=2033.0)
    p_cens = float(RATE.scipy().cdf(6 / (2035.0 - T0)))
    assert ds.attrs["censored_fraction"] == pytest.approx(p_cens, abs=4 * math.sqrt(p_cens / N))
    rate = ds.sel(parameter="compute.rate")
    assert float(rate.median_arrival.sel(setting="low")) == math.inf  # 0.4 OOM/yr: too slow
    assert float(rate.p_arrived.sel(setting="low")) == 0.0
    assert float(rate.median_shift.sel(setting="low")) == math.inf
    # censored draws tie at the top rank: the rate still explains (nearly) everything
    assert float(rate.s1) > 0.9 and float(rate.spearman) < -0.9


def test_sensitivity_orders_and_table():
    ds = sensitivity(TWO, draws=2000, seed=0, sort_by="swing_p_arrived", percentiles=(0.1, 0.9))
    assert ds.attrs["sorted_by"] == "swing_p_arrived"
    assert np.all(np.diff(ds.swing_p_arrived.values) <= 0)
    assert ds.percentile.values.tolist() == [0.1, 0.9]
    table = tornado_table(ds)
    assert isinstance(table, pd.DataFrame) and table.index.name == "parameter"
    assert list(table.index) == ds.parameter.values.tolist()
    assert table.loc["compute.rate", "median_low"] == float(
        ds.median_arrival.sel(parameter="compute.rate", setting="low")
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"year": 2101.0}, "year must lie in"),
        ({"percentiles": (0.9, 0.1)}, "0 < low < high < 1"),
        ({"percentiles": (0.05,)}, "two numbers"),
        ({"sort_by": "size"}, "sort_by must be one of"),
        ({"draws": 10}, "draws must be an integer >= 500"),
        ({"resamples": 1}, "resamples"),
    ],
)
def test_sensitivity_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sensitivity(TWO, **kwargs)


def test_sensitivity_needs_a_random_parameter():
    fixed = agt.Scenario(compute={"rate": 0.5}, requirement={"ooms": 6.0})
    with pytest.raises(ValueError, match="no random parameter"):
        sensitivity(fixed, draws=1000)


def test_sensitivity_on_preset(preset):
    ds = sensitivity(preset, draws=4000, seed=0, resamples=5)
    assert set(ds.parameter.values) == set(preset.random_fields())
    assert np.all(np.diff(ds.s1.values) <= 0)
    # the requirement is among the two most important assumptions
    assert "requirement.ooms" in ds.parameter.values[:2]
    assert float(ds.sel(parameter="requirement.ooms").spearman) > 0.3  # harder, later
    assert 0 < ds.attrs["s1_sum"] < 1.1


# -- compare ---------------------------------------------------------------------------------
def test_compare_identical_scenarios_identical_rows():
    table, tree, fcs = compare({"a": TWO, "b": TWO}, draws=5000, seed=2)
    np.testing.assert_array_equal(table.loc["a"].values, table.loc["b"].values)
    fc = agt.forecast(TWO, draws=5000, seed=2)
    assert table.loc["a", "arrival_q50"] == float(fc.quantile(0.5))
    assert table.loc["a", "p_by_2035"] == fc.prob_by(2035)
    assert list(table.columns) == [
        "arrival_q5",
        "arrival_q25",
        "arrival_q50",
        "arrival_q75",
        "arrival_q95",
        "p_by_2027",
        "p_by_2030",
        "p_by_2035",
        "p_by_2040",
        "p_by_2050",
        "data_wall",
        "censored_share",
        "wall_binding_share",
        "draws",
    ]
    assert table.attrs["units"]["arrival_q50"] == "year"
    assert set(tree.children) == {"a", "b"} and set(fcs) == {"a", "b"}
    assert tree["a/prior/arrival_year"].equals(fc.arrival)
    assert tree["arrival_quantile"].sel(scenario="b", quantile=0.5) == table.loc["b", "arrival_q50"]


def test_compare_common_random_numbers():
    harder = TWO.replace({"requirement.ooms": 7.0})
    table, tree, _ = compare(
        {"6": TWO, "7": harder}, draws=5000, seed=1, quantiles=[0.5], years=[2035.0]
    )
    a6, a7 = tree["6/prior/arrival_year"].values, tree["7/prior/arrival_year"].values
    # same rate draws: each draw needs 1/rate more years for the 7th OOM
    np.testing.assert_allclose(a7 - a6, 1 / tree["6/prior/compute_rate"].values, rtol=1e-9)
    assert list(table.columns) == ["arrival_q50", "p_by_2035", *table.columns[2:]]
    assert table.loc["7", "p_by_2035"] < table.loc["6", "p_by_2035"]


def test_compare_wall_binding_share():
    more = WALL.replace({"data_wall.stock_tokens": agt.ci90(3e14, 1e16)})
    table, tree, fcs = compare({"wall": WALL, "more data": more, "no wall": TWO}, draws=4000)
    d = fcs["wall"].draws
    expect = float(np.mean(d["wall_year"].values < d["arrival_year_no_wall"].values))
    assert table.loc["wall", "wall_binding_share"] == expect
    assert 0 < expect < 1
    assert table.loc["wall", "data_wall"] == WALL.data_wall.binds == "pretraining"
    assert table.loc["no wall", "data_wall"] == "off"
    assert str(tree["data_wall"].sel(scenario="no wall").values) == "off"
    assert table.loc["more data", "wall_binding_share"] < expect
    assert table.loc["no wall", "wall_binding_share"] == 0.0
    assert float(tree["wall_binding_share"].sel(scenario="wall")) == expect


@pytest.mark.parametrize(
    ("scenarios", "kwargs", "match"),
    [
        ({}, {}, "non-empty mapping"),
        ({"a/b": TWO}, {}, "without '/'"),
        ({"a": TWO}, {"years": [2150.0]}, "horizon"),
        ({"a": TWO}, {"quantiles": [1.5]}, r"\[0, 1\]"),
        ({"a": TWO}, {"draws": 0}, "draws"),
    ],
)
def test_compare_rejects_bad_input(scenarios, kwargs, match):
    with pytest.raises(ValueError, match=match):
        compare(scenarios, **kwargs)


# -- sweep -----------------------------------------------------------------------------------
GRID = {
    "compute.late_rate": [0.0, 0.1, 0.2],
    "requirement.ooms": [5.0, 6.0, 8.0],
    "compute.slowdown_year": [2030.0, 2035.0],
}


@pytest.fixture(scope="module")
def swept_sync() -> xr.Dataset:
    return sweep(TWO, GRID, draws=N, seed=4, scheduler="sync")


def test_sweep_layout_and_values(swept_sync):
    ds = swept_sync
    assert ds.median_arrival.dims == tuple(GRID)
    assert ds.arrival_quantile.dims == (*GRID, "quantile")
    assert ds.p_arrived.dims == (*GRID, "year")
    assert ds["compute.late_rate"].attrs == {"units": "OOM/yr", "field": "compute.late_rate"}
    # a grid point equals the forecast of that variant with the same seed
    point = {"compute.late_rate": 0.1, "requirement.ooms": 8.0, "compute.slowdown_year": 2030.0}
    fc = agt.forecast(TWO.replace(point), draws=N, seed=4)
    sel = ds.sel(point)
    assert float(sel.median_arrival) == float(fc.quantile(0.5))
    np.testing.assert_array_equal(sel.p_arrived.values, fc.cdf(ds.year.values).values)
    assert float(sel.censored_fraction) == fc.censored_fraction
    # no growth after the slowdown and 8 OOMs: only draws reaching 8 by 2030 arrive
    stuck = ds.sel(
        {"compute.late_rate": 0.0, "requirement.ooms": 8.0, "compute.slowdown_year": 2030.0}
    )
    p_fast = 1 - float(RATE.scipy().cdf(8 / (2030.0 - T0)))
    assert float(stuck.censored_fraction) == pytest.approx(1 - p_fast, abs=4 * math.sqrt(0.25 / N))


@pytest.mark.parametrize("workers", [1, 2])
def test_sweep_threads_identical_to_sync(swept_sync, workers):
    ds = sweep(TWO, GRID, draws=N, seed=4, scheduler="threads", num_workers=workers)
    xr.testing.assert_identical(ds, swept_sync)


def test_sweep_random_field_becomes_point():
    ds = sweep(TWO, {"compute.cap": [2.0, 800.0], "requirement.ooms": [1.0, 3.0]}, draws=2000)
    # a 2-OOM cap blocks a 3-OOM requirement; with 1 OOM needed nothing blocks anything
    assert float(ds.censored_fraction.sel({"compute.cap": 2.0, "requirement.ooms": 3.0})) == 1.0
    assert float(ds.censored_fraction.sel({"compute.cap": 800.0, "requirement.ooms": 3.0})) == 0.0
    assert math.isinf(float(ds.median_arrival.sel({"compute.cap": 2.0, "requirement.ooms": 3.0})))


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        ({"compute.speed": [1.0]}, "'compute.speed'"),
        ({"compute.rate": [0.5], "algorithms.spede": [1.0]}, "'algorithms.spede'"),
        ({"data_wall.stock_tokens": [1e14]}, "'data_wall.stock_tokens'.*data wall is off"),
        ({"compute.spending.rate": [1.0]}, "'compute.spending.rate'.*one trend"),
        ({"compute.rate": []}, "compute.rate: the list of values is empty"),
        ({"compute.rate": ["fast"]}, "compute.rate: values must be numbers"),
        ({"compute.rate": [True]}, "compute.rate: values must be numbers"),
        ({"compute.rate": 0.5}, "compute.rate: values must be a list"),
        ({"compute.rate": [0.5, 0.5]}, "compute.rate: values must be distinct"),
        ({"compute.rate": [math.nan]}, "compute.rate: values must not be NaN"),
        ({"compute.rate": [-0.5]}, "compute.rate = -0.5 is not allowed"),
        ({}, "non-empty mapping"),
    ],
)
def test_sweep_rejects_bad_grid(grid, match):
    with pytest.raises(ValueError, match=match):
        sweep(TWO, grid, draws=10)


def test_sweep_rejects_bad_scheduler():
    with pytest.raises(ValueError, match="scheduler must be one of"):
        sweep(TWO, {"compute.rate": [0.5]}, draws=10, scheduler="gpu")
    with pytest.raises(ValueError, match="num_workers"):
        sweep(TWO, {"compute.rate": [0.5]}, draws=10, num_workers=0)
    with pytest.raises(ValueError, match="horizon"):
        sweep(TWO, {"horizon": [2040.0]}, draws=10, years=[2050.0])


def test_sweepable_fields_lists_units():
    fields = sweepable_fields(WALL)
    assert fields["data_wall.stock_tokens"] == "tokens"
    assert fields["compute.late_rate"] == "OOM/yr"
    assert "data_wall.stock_tokens" not in sweepable_fields(TWO)
    assert fields["data_wall.binds"] == "pretraining | physical"
    assert "data_wall.binds" not in sweepable_fields(TWO)


def test_sweep_over_what_the_wall_binds():
    ds = sweep(WALL, {"data_wall.binds": ["pretraining", "physical"]}, draws=2000, scheduler="sync")
    assert ds["data_wall.binds"].values.tolist() == ["pretraining", "physical"]
    for binds in ("pretraining", "physical"):
        fc = agt.forecast(WALL.replace({"data_wall.binds": binds}), draws=2000, seed=0)
        got = float(ds.median_arrival.sel({"data_wall.binds": binds}))
        assert got == float(fc.quantile(0.5))
    with pytest.raises(ValueError, match=r"data_wall\.binds: values must be among"):
        sweep(WALL, {"data_wall.binds": ["data"]}, draws=10)


@pytest.mark.slow
def test_sweep_processes_identical_to_sync(swept_sync):
    ds = sweep(TWO, GRID, draws=N, seed=4, scheduler="processes", num_workers=2)
    xr.testing.assert_identical(ds, swept_sync)


@pytest.mark.slow
def test_sweep_distributed_client_identical_to_sync(swept_sync):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster,
        distributed.Client(cluster) as client,
    ):
        ds = sweep(TWO, GRID, draws=N, seed=4, scheduler=client)
        with pytest.raises(ValueError, match="num_workers cannot be set"):
            sweep(TWO, GRID, draws=N, scheduler=client, num_workers=2)
    xr.testing.assert_identical(ds, swept_sync)


def test_sweep_netcdf_roundtrip(swept_sync, tmp_path):
    path = tmp_path / "sweep.nc"
    swept_sync.to_netcdf(path, engine="h5netcdf")
    with xr.open_dataset(path, engine="h5netcdf") as back:
        xr.testing.assert_identical(back.load(), swept_sync)


def test_sensitivity_warns_that_global_indices_assume_independence():
    scn = agt.Scenario.preset("aschenbrenner-2024").correlate(
        "compute.rate", "algorithms.rate", 0.5
    )
    with pytest.warns(UserWarning, match=r"compute\.rate ~ algorithms\.rate"):
        sensitivity(scn, draws=2000, seed=0)
