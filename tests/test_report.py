"""``Forecast.report()``: the numbers the command line prints, checked against plain numpy."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import agi_timelines as agt
from agi_timelines.cli import app

PRESET = "aschenbrenner-2024"  # data wall on: the report has the wall-off quantiles too


@pytest.fixture(scope="module")
def walled() -> agt.Forecast:
    # 3001 draws: q * draws is never a whole number, so the order statistic is unambiguous
    return agt.forecast(agt.Scenario.preset(PRESET), draws=3001, seed=5)


def _order_statistic(values: np.ndarray, q: float) -> float:
    """Inverted empirical CDF by hand: the smallest draw x with #(draws <= x) >= q n."""
    x = np.sort(values.ravel())
    k = max(int(np.ceil(q * x.size)), 1)
    return float(x[k - 1])


def test_report_numbers_match_plain_numpy(walled):
    report = walled.report(years=[2027, 2030, 2040])
    arrival = walled.draws["arrival_year"].values.ravel()
    for key, value in report["arrival_year_quantiles"].items():
        assert value == _order_statistic(arrival, float(key))
    for key, value in report["p_arrived_by"].items():
        assert value == np.mean(arrival <= float(key))
    assert report["censored_fraction"] == np.mean(np.isinf(arrival))
    no_wall = walled.draws["arrival_year_no_wall"].values.ravel()
    for key, value in report["arrival_year_quantiles_wall_off"].items():
        assert value == _order_statistic(no_wall, float(key))
    assert report["censored_fraction_wall_off"] == np.mean(np.isinf(no_wall))
    assert next(iter(report["variables"])) == "arrival_year"
    assert set(report["variables"]) == set(walled.draws.data_vars)
    for name, row in report["variables"].items():
        values = walled.draws[name].values.ravel()
        assert row["units"] == walled.draws[name].attrs.get("units", "")
        for key, value in row["quantiles"].items():
            assert value == _order_statistic(values, float(key))
        assert row["censored_share"] == np.mean(np.isinf(values))


def test_report_provenance_and_defaults(walled):
    report = walled.report()
    scn = walled.scenario
    assert report["scenario"] == scn.name and report["seed"] == 5
    assert report["draws"] == report["draws_requested"] == 3001
    assert report["data_wall"] is True and report["data_wall_binds"] == scn.data_wall.binds
    years = [float(k) for k in report["p_arrived_by"]]
    assert years == sorted(years) and years[-1] == scn.horizon
    assert all(scn.reference.year < y <= scn.horizon for y in years)
    assert report["units"]["p_arrived_by"] == "probability"
    assert report["versions"] == walled.versions
    json.dumps(report)  # plain Python values (inf written as Infinity)


def test_report_without_wall_has_no_wall_off_numbers(preset_fc):
    report = preset_fc.report()
    assert report["data_wall"] is False and report["data_wall_binds"] is None
    assert "arrival_year_quantiles_wall_off" not in report
    assert "arrival_year_no_wall" not in report["variables"]


@pytest.mark.parametrize("years", [[1900.0], [2300.0], [2030.0, 2030.0], ["x"], []])
def test_report_refuses_bad_years(walled, years):
    with pytest.raises(ValueError, match="years"):
        walled.report(years=years)


def test_cli_json_is_the_report(walled):
    result = CliRunner().invoke(app, ["forecast", PRESET, "-n", "3001", "-s", "5", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    report = walled.report()
    for key, value in printed.items():
        if key in ("seconds", "outputs"):
            continue
        if key.startswith("arrival_year_quantiles"):
            expected = {k: (v if np.isfinite(v) else None) for k, v in report[key].items()}
            assert value == expected
        else:
            assert value == report[key], key
    assert set(report) - set(printed) == {"variables", "units"}
