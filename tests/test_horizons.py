"""METR's time horizons: the bundled table, its loader and the NUTS calibration of the trend."""

from __future__ import annotations

import math
import warnings
from importlib.resources import files

import numpy as np
import pandas as pd
import pytest

import agi_timelines as agt
from agi_timelines.calibrate import CalibrationWarning
from agi_timelines.constants import (
    DAYS_PER_YEAR,
    GPT4_YEAR,
    METR_DOUBLING_DAYS_2019,
    METR_DOUBLING_DAYS_2023,
)
from agi_timelines.data import METR_VERSION, time_horizons
from agi_timelines.horizons import (
    HorizonCalibration,
    calibrate_horizon,
    measurement_sd,
    select_points,
)

CSV = files("agi_timelines.data").joinpath("time_horizons.csv").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return time_horizons()


@pytest.fixture(scope="module")
def since_2019() -> HorizonCalibration:
    with warnings.catch_warnings():
        warnings.simplefilter("error", CalibrationWarning)  # the default fit must pass
        return calibrate_horizon()


@pytest.fixture(scope="module")
def since_2023() -> HorizonCalibration:
    with warnings.catch_warnings():
        warnings.simplefilter("error", CalibrationWarning)
        return calibrate_horizon(since=2023.0)


# --- the bundled table ----------------------------------------------------------------------
def test_table_schema_values_and_provenance(table: pd.DataFrame) -> None:
    assert len(table) == 25
    assert table["date"].is_monotonic_increasing and table["date"].dtype == np.float64
    assert table["is_sota"].dtype == bool and int(table["is_sota"].sum()) == 17
    for level in ("p50", "p80"):
        est, lo, hi = (table[f"{level}_{k}"] for k in ("minutes", "ci_low", "ci_high"))
        assert ((lo <= est) & (est <= hi) & (lo > 0)).all()
    assert (table["p80_minutes"] < table["p50_minutes"]).all()  # 80% tasks are shorter
    row = table.set_index("model").loc["GPT-4"]
    assert row["date"] == pytest.approx(2023.2, abs=0.005) and row["p50_minutes"] == 3.987428
    assert table.attrs["version"] == METR_VERSION and "METR" in table.attrs["citation"]
    readme = files("agi_timelines.data").joinpath("time_horizons_README.md").read_text()
    assert "METR" in readme and "arXiv:2503.14499" in readme  # attribution ships with it


def test_selection_reproduces_metr_ols(table: pd.DataFrame) -> None:
    """Independent check of the fitted points.

    An OLS of ln p50 on date over them gives METR's published doubling times (the data README's
    check: 187.8 and 128.7 days).
    """
    for since, published in (
        (2019.0, METR_DOUBLING_DAYS_2019),
        (2023.0, METR_DOUBLING_DAYS_2023[0]),
    ):
        points = select_points(table, 0.5, since, True, 960.0)
        days = (points["release_date"] - pd.Timestamp("2019-01-01")).dt.days.to_numpy(float)
        slope = np.polyfit(days, np.log(points["p50_minutes"].to_numpy()), 1)[0]
        assert math.log(2) / slope == pytest.approx(published, abs=0.15)


def test_user_file_is_validated_with_file_line_and_column(tmp_path) -> None:
    good = tmp_path / "th.csv"
    good.write_text(CSV)
    loaded = time_horizons(good)
    assert len(loaded) == 25 and loaded.attrs["version"].startswith("sha256:")
    lines = CSV.splitlines()
    cases = {
        "p50_minutes": lines[4].replace(",3.987428,", ",,"),  # GPT-4: empty horizon
        "release_date": lines[4].replace("2023-03-14", "March 2023"),
        "is_sota_p50": lines[4].replace(",true,", ",maybe,"),
    }
    for column, line in cases.items():
        bad = tmp_path / f"bad_{column}.csv"
        bad.write_text("\n".join([*lines[:4], line, *lines[5:]]))
        with pytest.raises(ValueError, match=rf"bad_{column}.csv: column '{column}'.*line 5"):
            time_horizons(bad)
    outside = tmp_path / "outside.csv"
    outside.write_text("\n".join([*lines[:4], lines[4].replace(",1.93292,", ",5.0,"), *lines[5:]]))
    with pytest.raises(ValueError, match="'p50_minutes' lies outside its interval at line 5"):
        time_horizons(outside)
    missing = tmp_path / "missing.csv"
    missing.write_text("\n".join(line.rsplit(",", 2)[0] for line in lines))
    with pytest.raises(ValueError, match=r"missing column\(s\) \['is_sota_p50'\]"):
        time_horizons(missing)


def test_measurement_error_is_the_95_interval_in_log2_units(table: pd.DataFrame) -> None:
    row = table.iloc[[3]]  # GPT-4
    expected = (math.log2(7.995283) - math.log2(1.93292)) / (2 * 1.959963984540054)
    assert measurement_sd(row, 0.5)[0] == pytest.approx(expected, rel=1e-12)


# --- the calibration on the shipped data ----------------------------------------------------
def test_doubling_time_since_2019_matches_metr(since_2019: HorizonCalibration) -> None:
    median = float(since_2019.doubling_time.median())
    assert median == pytest.approx(METR_DOUBLING_DAYS_2019, rel=0.15)
    low, high = since_2019.doubling_time_interval(0.9)
    assert low < median < high
    assert since_2019.tree.attrs["n_points"] == 17
    diag = since_2019.diagnostics
    assert diag["max_r_hat"] <= 1.01 and diag["divergences"] == 0


def test_doubling_time_since_2023_inside_metr_interval(since_2023: HorizonCalibration) -> None:
    _, low, high = METR_DOUBLING_DAYS_2023
    assert low <= float(since_2023.doubling_time.median()) <= high
    assert since_2023.tree.attrs["n_points"] == 14
    diag = since_2023.diagnostics
    assert diag["max_r_hat"] <= 1.01 and diag["divergences"] == 0


def test_tree_units_settings_and_derived_quantities(since_2019: HorizonCalibration) -> None:
    tree = since_2019.tree
    post = tree.posterior
    np.testing.assert_allclose(
        post["doubling_time_days"], DAYS_PER_YEAR / post["doublings_per_year"]
    )
    assert post["doublings_per_year"].attrs["units"] == "doublings/yr"
    assert post["h_ref"].attrs["units"].startswith("log2 minutes")
    assert since_2019.settings == {
        "reliability": 0.5,
        "since": 2019.0,
        "sota_only": True,
        "max_minutes": 960.0,
        "reference_year": GPT4_YEAR,
        "seed": 0,
    }
    assert since_2019.data_version == METR_VERSION
    assert list(tree.observed_data["model"].values[:2]) == ["GPT-2", "davinci-002 (GPT-3)"]
    # h_ref: the trend at GPT-4's date sits near GPT-4's measured 4-minute horizon
    assert 2 ** float(post["h_ref"].median()) == pytest.approx(4.0, rel=0.35)
    # the posterior predictive covers the observed points about as often as it should
    pp = tree.posterior_predictive["log2_minutes"]
    low, high = np.quantile(pp, [0.05, 0.95], axis=(0, 1))
    observed = tree.observed_data["log2_minutes"].values
    assert 0.75 <= np.mean((observed >= low) & (observed <= high)) <= 1.0
    assert "doubling time median" in repr(since_2019)


def test_reliability_80_uses_the_80_columns_and_is_seeded() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalibrationWarning)
        a = calibrate_horizon(reliability=0.8, draws=200, tune=200, chains=2, seed=4)
        b = calibrate_horizon(reliability=0.8, draws=200, tune=200, chains=2, seed=4)
    expected = np.log2(select_points(None, 0.8, 2019.0, True, 960.0)["p80_minutes"])
    np.testing.assert_array_equal(a.tree.observed_data["log2_minutes"], expected)
    np.testing.assert_array_equal(a.doublings_per_year, b.doublings_per_year)
    assert a.settings["reliability"] == 0.8
    # the 80% horizon at GPT-4 is ~1 minute, shorter than the 50% horizon (~4 minutes)
    assert 2 ** float(a.h_ref.median()) < 2.0


def test_netcdf_round_trip(since_2023: HorizonCalibration, tmp_path) -> None:
    path = since_2023.to_netcdf(tmp_path / "h.nc")
    back = HorizonCalibration.from_netcdf(path)
    np.testing.assert_array_equal(back.doublings_per_year, since_2023.doublings_per_year)
    np.testing.assert_array_equal(back.h_ref, since_2023.h_ref)
    assert back.settings == since_2023.settings and back.diagnostics == since_2023.diagnostics
    assert back.model is None
    with pytest.raises(ValueError, match="no horizon calibration file"):
        HorizonCalibration.from_netcdf(tmp_path / "absent.nc")
    with pytest.raises(ValueError, match=r"directory .* does not exist"):
        since_2023.to_netcdf(tmp_path / "no" / "such" / "dir.nc")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.nc"]  # no partial file left


def test_unconverged_fit_warns() -> None:
    with pytest.warns(CalibrationWarning, match="R-hat is undefined"):
        calibrate_horizon(draws=50, tune=50, chains=1, seed=0)


# --- bad inputs --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"reliability": 0.7}, r"reliability must be 0.5 or 0.8 .*got 0.7"),
        ({"reliability": True}, "reliability must be 0.5 or 0.8"),
        ({"since": 2025.9}, r"only 2 model\(s\) left with since=2025.9.*at least 4"),
        ({"since": math.nan}, "since must be a finite decimal year"),
        ({"max_minutes": 0.0}, "max_minutes must be a positive number of minutes"),
        ({"max_minutes": 1.0}, r"only 3 model\(s\) left.*max_minutes=1"),
        ({"draws": 0}, "draws must be an integer >= 1"),
        ({"sota_only": "yes"}, "sota_only must be True or False"),
    ],
)
def test_bad_arguments_are_named(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        calibrate_horizon(**kwargs)


def test_nan_in_a_user_table_is_named(table: pd.DataFrame) -> None:
    bad = table.copy()
    bad.loc[5, "p50_ci_high"] = np.nan
    with pytest.raises(ValueError, match=r"row 5 column 'p50_ci_high'"):
        calibrate_horizon(data=bad)
    with pytest.raises(ValueError, match=r"missing column\(s\) \['is_sota'\]"):
        calibrate_horizon(data=table.drop(columns="is_sota"))
    flags = table.copy()
    flags["is_sota"] = flags["is_sota"].astype(object)
    flags.loc[0, "is_sota"] = None
    with pytest.raises(ValueError, match="'is_sota' must hold True/False"):
        calibrate_horizon(data=flags)
    with pytest.raises(ValueError, match="data must be a pandas DataFrame or a path"):
        calibrate_horizon(data=[1, 2, 3])


def test_exported_from_the_package() -> None:
    assert agt.calibrate_horizon is calibrate_horizon
    assert agt.HorizonCalibration is HorizonCalibration
    assert agt.time_horizons is time_horizons


# --- recovery on synthetic data (slow) -----------------------------------------------------
TRUTH = {"doublings_per_year": 1.9, "h_ref": 2.0, "sigma": 0.6}


@pytest.mark.slow
def test_synthetic_90_interval_covers_the_truth(table: pd.DataFrame) -> None:
    """20 replicates at METR's dates with METR's measurement errors, from a known trend.

    The 90% interval of D and of h_ref covers the truth in >= 80% of them (expected 90%; P(fewer
    than 16 of 20 | 90%) = 4.3%).
    """
    points = select_points(table, 0.5, 2019.0, True, 960.0).reset_index(drop=True)
    sd = measurement_sd(points, 0.5)
    trend = TRUTH["h_ref"] + TRUTH["doublings_per_year"] * (points["date"] - GPT4_YEAR)
    covered = {"doublings_per_year": 0, "h_ref": 0}
    for rep in range(20):
        rng = np.random.default_rng([2026, rep])
        noise = rng.normal(0.0, np.hypot(sd, TRUTH["sigma"]))
        y = 2.0 ** (trend.to_numpy() + noise)
        data = points.copy()
        data["p50_minutes"] = y
        data["p50_ci_low"] = y * 2.0 ** (-1.959963984540054 * sd)
        data["p50_ci_high"] = y * 2.0 ** (1.959963984540054 * sd)
        data["is_sota"] = True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CalibrationWarning)
            cal = calibrate_horizon(data=data, draws=500, tune=500, chains=2, seed=rep)
        for name in covered:
            low, high = np.quantile(cal.tree.posterior[name], [0.05, 0.95])
            covered[name] += int(low <= TRUTH[name] <= high)
    assert covered["doublings_per_year"] >= 16, covered
    assert covered["h_ref"] >= 16, covered
