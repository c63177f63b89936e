"""The time-horizon requirement route.

Scenario schema, conversion, forecast, closed form, properties and errors.
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
import xarray as xr
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import agi_timelines as agt
from agi_timelines import CalibrationWarning
from agi_timelines._seeds import SEED_BLOCK
from agi_timelines.horizons import HorizonCalibration, calibrate_horizon, forecast_draws
from agi_timelines.requirement import horizon_minutes, horizon_ooms
from agi_timelines.structure import ROUTES

T0 = 2023.2


def point_calibration(
    rate: float | np.ndarray, h_ref: float | np.ndarray, reliability: float = 0.5
) -> HorizonCalibration:
    """Return a calibration whose posterior is the given draws (a point mass for scalars)."""
    rate = np.broadcast_to(np.asarray(rate, float), np.broadcast(rate, h_ref).shape or (4,))
    h_ref = np.broadcast_to(np.asarray(h_ref, float), rate.shape)
    posterior = xr.Dataset(
        {
            "doublings_per_year": (("chain", "draw"), rate.reshape(1, -1)),
            "h_ref": (("chain", "draw"), h_ref.reshape(1, -1)),
            "doubling_time_days": (("chain", "draw"), 365.25 / rate.reshape(1, -1)),
        }
    )
    tree = xr.DataTree.from_dict({"posterior": posterior})
    tree.attrs.update(
        reliability=reliability,
        since=2019.0,
        sota_only=1,
        max_minutes=960.0,
        reference_year=T0,
        seed=0,
        n_points=0,
        data_file="test",
        data_version="test",
        max_r_hat=1.0,
        min_ess_bulk=1e9,
        divergences=0,
    )
    return HorizonCalibration(tree=tree)


def constant_scenario(
    hours: float = 40.0, compute: float = 0.5, algorithms: float = 0.4, unhobbling: float = 0.1
) -> agt.Scenario:
    """Point-mass axes (no slowdown, no cap), wall off, a point-mass horizon requirement."""
    return agt.Scenario.from_dict(
        {
            "compute": {"rate": compute},
            "algorithms": {"rate": algorithms},
            "unhobbling": {"rate": unhobbling},
            "requirement": {"horizon_hours": hours},
        }
    )


@pytest.fixture(scope="module")
def metr() -> agt.Scenario:
    return agt.Scenario.preset("metr-horizons")


@pytest.fixture(scope="module")
def default_fit(metr) -> HorizonCalibration:
    from agi_timelines.horizons import scenario_calibration

    return scenario_calibration(metr)


# --- schema ---------------------------------------------------------------------------------
def test_preset_and_toml_round_trip(metr) -> None:
    req = metr.requirement
    assert req.field == "horizon_hours" and metr.name == "metr-horizons"
    np.testing.assert_allclose(req.horizon_hours.ppf([0.05, 0.95]), [40.0, 2000.0])
    assert req.horizon_settings() == {
        "reliability": 0.5,
        "since": 2019.0,
        "sota_only": True,
        "max_minutes": 960.0,
        "seed": 0,
    }
    assert agt.Scenario.from_toml_string(metr.to_toml_string()) == metr
    # growth axes and data wall are aschenbrenner-2024's
    base = agt.Scenario.preset("aschenbrenner-2024")
    for part in ("reference", "compute", "algorithms", "unhobbling", "data_wall"):
        assert getattr(metr, part) == getattr(base, part), part
    assert "requirement.horizon_hours" in metr.prior_fields()
    assert metr.structure() != base.structure()


def test_defaults_fill_in_and_other_routes_are_unchanged() -> None:
    s = constant_scenario()
    assert s.requirement.horizon_settings()["reliability"] == 0.5
    assert "reliability" not in s.to_dict()["requirement"]  # unset fields stay unset
    base = agt.Scenario.preset("aschenbrenner-2024")
    assert set(base.to_dict()["requirement"]) == {"ooms"}
    assert ROUTES["ooms"].outputs == () and ROUTES["log10_flop"].outputs == ("requirement",)


@pytest.mark.parametrize(
    ("requirement", "match"),
    [
        ({"horizon_hours": 0.0}, r"requirement.horizon_hours: must be positive"),
        ({"horizon_hours": -5.0}, r"requirement.horizon_hours: a task length \(hours\) must lie"),
        (
            {"horizon_hours": {"kind": "normal", "mu": 40.0, "sigma": 10.0}},
            r"requirement.horizon_hours: a task length \(hours\) must lie in \[0, inf\]",
        ),
        (
            {"horizon_hours": 40.0, "reliability": 0.7},
            r"requirement.reliability: must be 0.5 or 0.8",
        ),
        (
            {"horizon_hours": 40.0, "ooms": 5.0},
            "exactly one of 'ooms', 'log10_flop' or 'horizon_hours', got ooms and horizon_hours",
        ),
        ({}, "exactly one of 'ooms', 'log10_flop' or 'horizon_hours'"),
        ({"ooms": 5.0, "reliability": 0.5}, "requirement.reliability: is a setting of the time"),
        ({"horizon_hours": 40.0, "max_minutes": 0.0}, "requirement.max_minutes"),
        ({"horizon_hours": 40.0, "since": 1800.0}, "requirement.since"),
    ],
)
def test_bad_requirements_are_named(requirement, match) -> None:
    with pytest.raises(ValueError, match=match):
        agt.Scenario.from_dict({"compute": {"rate": 0.5}, "requirement": requirement})


def test_zero_early_growth_is_refused() -> None:
    with pytest.raises(
        ValueError,
        match=r"requirement.horizon_hours: the time-horizon route "
        r"needs early growth.*compute.rate \+ algorithms.rate \+ unhobbling.rate",
    ):
        constant_scenario(compute=0.0, algorithms=0.0, unhobbling=0.0)
    split = {
        "compute": {"spending": {"rate": 0.0}, "hardware": {"rate": 0.0}},
        "requirement": {"horizon_hours": 40.0},
    }
    with pytest.raises(ValueError, match=r"compute.spending.rate \+ compute.hardware.rate"):
        agt.Scenario.from_dict(split)


def test_mismatched_or_misplaced_calibration_is_refused(metr) -> None:
    cal = point_calibration(2.0, 2.0, reliability=0.8)
    with pytest.raises(ValueError, match=r"fitted with reliability=0\.8, but the scenario has"):
        agt.forecast(metr, draws=10, horizon_calibration=cal)
    base = agt.Scenario.preset("aschenbrenner-2024")
    with pytest.raises(ValueError, match="requirement is not a time horizon"):
        agt.forecast(base, draws=10, horizon_calibration=cal)
    with pytest.raises(ValueError, match="must be a HorizonCalibration"):
        agt.forecast(metr, draws=10, horizon_calibration="fit")  # type: ignore[arg-type]


# --- closed forms -------------------------------------------------------------------------
@pytest.mark.parametrize("hours", [2.0, 40.0, 2000.0])
def test_constant_rates_give_the_closed_form(hours: float) -> None:
    rate, h_ref = 1.8, 2.3
    scn = constant_scenario(hours)
    fc = agt.forecast(scn, draws=7, seed=0, horizon_calibration=point_calibration(rate, h_ref))
    r_e = 0.5 + 0.4 + 0.1
    beta = rate / r_e
    R = (math.log2(60 * hours) - h_ref) / beta
    np.testing.assert_allclose(fc.draws["requirement"], R, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fc.draws["horizon_doublings_per_oom"], beta, rtol=0, atol=1e-12)
    # no slowdown: the arrival is the calendar-time extrapolation t0 + doublings / D
    expected = T0 + (math.log2(60 * hours) - h_ref) / rate
    np.testing.assert_allclose(fc.arrival, expected, rtol=0, atol=1e-9)
    # the horizon at the arrival year is the requirement
    at = fc.horizon([float(fc.arrival[0, 0])], probs=[0.5]).values[0, 0]
    assert at == pytest.approx(hours, rel=1e-9)
    np.testing.assert_allclose(fc.horizon([T0], probs=[0.5]), 2**h_ref / 60, rtol=1e-12)


def test_slowdown_and_cap_act_on_horizons() -> None:
    """Compute slows in 2026 to 0.1 OOM/yr and algorithms are capped at 1 OOM.

    The arrival, by hand, is later than the calendar-time extrapolation.
    """
    rate, h_ref, hours = 2.0, 2.0, 40.0
    scn = agt.Scenario.from_dict(
        {
            "compute": {"rate": 0.6, "slowdown_year": 2026.0, "late_rate": 0.1},
            "algorithms": {"rate": 0.4, "cap": 1.0},
            "requirement": {"horizon_hours": hours},
        }
    )
    fc = agt.forecast(scn, draws=3, horizon_calibration=point_calibration(rate, h_ref))
    r_e = 1.0
    R = (math.log2(60 * hours) - h_ref) / (rate / r_e)  # 4.6 OOMs
    # E(t): 1.0/yr until 2025.7 (algorithms capped, +1 OOM), then 0.6/yr until 2026,
    # then 0.1/yr: E(2025.7) = 2.5, E(2026) = 2.68
    e_2026 = 2.5 + 0.6 * 0.3
    expected = 2026.0 + (R - e_2026) / 0.1
    np.testing.assert_allclose(fc.draws["requirement"], R, atol=1e-9)
    np.testing.assert_allclose(fc.arrival, expected, rtol=0, atol=1e-9)
    assert expected > T0 + (math.log2(60 * hours) - h_ref) / rate


def test_conversion_matches_the_numbers_in_the_docs() -> None:
    """One work-week ~ +5 OOMs, one work-year ~ +8 OOMs, as the docs say.

    At the essay's early growth (~1.05 OOM/yr) and METR's all-time rate (1.95/yr, h_ref ~2 log2
    min).
    """
    week = float(horizon_ooms(40.0, 1.95, 2.0, 1.05))
    year = float(horizon_ooms(2000.0, 1.95, 2.0, 1.05))
    assert week == pytest.approx(4.97, abs=0.01) and year == pytest.approx(8.01, abs=0.01)
    assert float(horizon_minutes(week, 1.95 / 1.05, 2.0)) == pytest.approx(2400.0, rel=1e-12)


# --- forecast: posterior draws, seeding, outputs --------------------------------------------
def test_forecast_draws_are_joint_posterior_draws_and_chunk_invariant(metr, default_fit) -> None:
    n = SEED_BLOCK + 500
    a = agt.forecast(metr, draws=n, seed=3)
    b = agt.forecast(metr, draws=n, seed=3, chunk_size=4099)
    short = agt.forecast(metr, draws=300, seed=3)
    for name in ("arrival_year", "requirement", "horizon_doublings_per_year", "horizon_h_ref"):
        np.testing.assert_array_equal(a.draws[name], b.draws[name])
        np.testing.assert_array_equal(a.draws[name].values[:, :300], short.draws[name].values)
    pairs = set(
        zip(
            default_fit.doublings_per_year.values.ravel(),
            default_fit.h_ref.values.ravel(),
            strict=True,
        )
    )
    drawn = zip(
        a.draws["horizon_doublings_per_year"].values.ravel(),
        a.draws["horizon_h_ref"].values.ravel(),
        strict=True,
    )
    assert all(pair in pairs for pair in drawn)  # (D, h_ref) resampled jointly
    other = agt.forecast(metr, draws=300, seed=4)
    assert not np.array_equal(other.draws["horizon_h_ref"], short.draws["horizon_h_ref"])
    record = json.loads(a.tree.attrs["horizon_calibration"])
    assert record["reliability"] == 0.5 and record["n_points"] == 17
    assert record["data_version"] == default_fit.data_version


def test_forecast_outputs_follow_the_formula(metr) -> None:
    fc = agt.forecast(metr, draws=5000, seed=0)
    d = {k: fc.draws[k].values.ravel() for k in fc.draws.data_vars}
    r_e = d["compute_rate"] + d["algorithms_rate"] + d["unhobbling_rate"]
    beta = d["horizon_doublings_per_year"] / r_e
    np.testing.assert_allclose(d["horizon_doublings_per_oom"], beta, rtol=1e-12)
    R = (np.log2(60 * d["requirement_horizon_hours"]) - d["horizon_h_ref"]) / beta
    np.testing.assert_allclose(d["requirement"], R, rtol=1e-12)
    assert fc.draws["requirement"].attrs["units"] == "OOM above reference"
    assert fc.draws["horizon_doublings_per_oom"].attrs["units"].startswith("doublings")
    assert fc.draws["requirement_horizon_hours"].attrs["units"].startswith("hours")
    # horizon bands, hours: from E(t) per draw, wall on and off
    years = [2025.0, 2030.0, 2040.0]
    bands = fc.horizon(years)
    assert bands.dims == ("year", "quantile") and bands.attrs["units"].startswith("hours")
    traj = fc.trajectory(years)
    manual = np.quantile(2 ** (d["horizon_h_ref"] + beta * traj) / 60, bands["quantile"], axis=1).T
    np.testing.assert_allclose(bands, manual, rtol=1e-12)
    assert (np.diff(bands.values, axis=0) >= 0).all()  # horizons only grow
    off = fc.horizon(years, wall=False)
    assert (off.sel(year=2040.0) >= bands.sel(year=2040.0) - 1e-9).all()
    with pytest.raises(ValueError, match="no time-horizon requirement"):
        agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=10).horizon([2030])


def test_netcdf_round_trip_of_a_horizon_forecast(metr, tmp_path) -> None:
    fc = agt.forecast(metr, draws=2000, seed=1)
    back = agt.Forecast.from_netcdf(fc.to_netcdf(tmp_path / "fc.nc"))
    xr.testing.assert_identical(back.horizon([2030.0]), fc.horizon([2030.0]))


def test_build_model_fills_the_calibrated_draws(metr, default_fit) -> None:
    model = agt.build_model(metr, draws=50)
    rate = model["horizon_doublings_per_year"].eval()
    assert rate.shape == (50,) and np.isin(rate, default_fit.doublings_per_year.values).all()
    assert np.isfinite(model["requirement"].eval()).all()
    assert "requirement" in model.named_vars and "horizon_doublings_per_oom" in model.named_vars


# --- properties ---------------------------------------------------------------------------
PROPERTY_SETTINGS = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# Monotone to the solver's accuracy, as the other draw-by-draw monotonicity properties are:
# the arrival year is a root found to 1e-9 yr, so a requirement one ulp lower can come out
# one ulp of the year later (hypothesis found shift = 1 + 2**-52: one draw 2.3e-13 yr later).
SOLVER_TOL = 1e-9


@PROPERTY_SETTINGS
@given(factor=st.floats(1.0, 50.0), shift=st.floats(1.0, 3.0))
@example(factor=1.0, shift=1.0000000000000002)
def test_arrival_monotone_in_the_horizon_and_its_growth(metr, default_fit, factor, shift) -> None:
    """Per draw (common random numbers): a longer required horizon never arrives earlier.

    A faster-growing horizon (every posterior D times ``shift``) never arrives later.
    """
    draws = 4000
    base = agt.forecast(metr, draws=draws, seed=7, horizon_calibration=default_fit)
    longer = metr.replace({"requirement.horizon_hours": agt.ci90(40.0 * factor, 2000.0 * factor)})
    harder = agt.forecast(longer, draws=draws, seed=7, horizon_calibration=default_fit)
    assert (harder.arrival.values >= base.arrival.values - SOLVER_TOL).all()
    post = default_fit.tree.posterior
    faster = point_calibration(
        post["doublings_per_year"].values.ravel() * shift, post["h_ref"].values.ravel()
    )
    quick = agt.forecast(metr, draws=draws, seed=7, horizon_calibration=faster)
    np.testing.assert_array_equal(
        quick.draws["requirement_horizon_hours"], base.draws["requirement_horizon_hours"]
    )
    assert (quick.arrival.values <= base.arrival.values + SOLVER_TOL).all()


@PROPERTY_SETTINGS
@given(rate=st.floats(0.3, 4.0), h_ref=st.floats(-2.0, 5.0), hours=st.floats(0.5, 5000.0))
def test_wall_never_makes_the_horizon_arrive_earlier(metr, rate, h_ref, hours) -> None:
    scn = metr.replace({"requirement.horizon_hours": agt.ci90(hours, hours * 10)})
    fc = agt.forecast(scn, draws=3000, seed=2, horizon_calibration=point_calibration(rate, h_ref))
    # where the wall never binds the two solvers (Newton steps with the wall, linear
    # interpolation without) agree to a few ulps of the year, not bit for bit
    assert (fc.arrival_draws(True) >= fc.arrival_draws(False) - SOLVER_TOL).all()


def test_forecast_draws_are_a_prefix_of_longer_runs(default_fit) -> None:
    long = forecast_draws(default_fit, 2 * SEED_BLOCK + 3, seed=9)
    short = forecast_draws(default_fit, 1000, seed=9)
    for k, v in short.items():
        np.testing.assert_array_equal(long[k][:1000], v)


def test_default_preset_fit_passes_its_diagnostics(default_fit) -> None:
    diag = default_fit.diagnostics
    assert diag["max_r_hat"] <= 1.01 and diag["divergences"] == 0


def test_explicit_calibration_equals_the_default(metr) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", CalibrationWarning)
        cal = calibrate_horizon(reference_year=metr.reference.year)
    a = agt.forecast(metr, draws=1000, seed=0, horizon_calibration=cal)
    b = agt.forecast(metr, draws=1000, seed=0)
    np.testing.assert_array_equal(a.arrival, b.arrival)


def test_sensitivity_uses_the_calibrated_draws(metr) -> None:
    """The one-at-a-time runs re-solve the forecast's own draws, (D, h_ref) included."""
    from agi_timelines import sensitivity

    ds = sensitivity(metr, draws=4000, seed=5)
    fc = agt.forecast(metr, draws=4000, seed=5)
    assert float(ds.median_arrival_base) == float(fc.quantile(0.5))
    assert ds.attrs["censored_fraction"] == pytest.approx(fc.censored_fraction)
    assert "requirement.horizon_hours" in ds.parameter.values
    low, high = ds.median_arrival.sel(parameter="requirement.horizon_hours").values
    assert low < float(fc.quantile(0.5)) < high  # a longer required horizon arrives later


def test_engine_alone_gives_nan_not_a_number(metr) -> None:
    """Without the calibration's draws the engine's placeholders give NaN.

    A caller that forgets them gets no silent answer.
    """
    from agi_timelines._engine import loaded_engine

    with loaded_engine(metr) as engine:
        params = engine.draw(16, 0)
        out = engine.solve(params, 16, 16)
    assert np.isnan(params["horizon.doublings_per_year"]).all()
    assert np.isnan(out["requirement"]).all() and np.isnan(out["arrival_year"]).all()


def test_calibration_settings_that_leave_too_few_models_are_named() -> None:
    scn = constant_scenario().replace({"requirement.since": 2026.0})
    with pytest.raises(ValueError, match=r"requirement \(time-horizon calibration\): only 1 model"):
        agt.forecast(scn, draws=10)


def test_scenario_defaults_are_calibrate_horizons_defaults() -> None:
    """The [requirement] table's defaults are declared in the scenario (which knows no PyMC).

    They must stay those of calibrate_horizon.
    """
    import inspect

    from agi_timelines.scenario._schema import HORIZON_DEFAULTS

    params = inspect.signature(calibrate_horizon).parameters
    assert HORIZON_DEFAULTS == {k: params[k].default for k in HORIZON_DEFAULTS}
