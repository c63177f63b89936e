"""Tests for the ``agi-timelines`` command line, driven through typer's CliRunner."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

import agi_timelines as agt
from agi_timelines import cli
from agi_timelines.cli import app

PRESET = "aschenbrenner-2024"
DRAWS = 2000


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def preset() -> agt.Scenario:
    return agt.Scenario.preset(PRESET)


@pytest.fixture(scope="module")
def direct(preset):
    """Return the library's own forecast with the CLI's draws and seed, for comparison."""
    return agt.forecast(preset, draws=DRAWS, seed=3)


def _json(runner, *args):
    result = runner.invoke(app, ["forecast", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # stdout holds the JSON and nothing else


# -- presets and show ------------------------------------------------------------------------
def test_presets_lists_every_preset_with_its_description(runner):
    result = runner.invoke(app, ["presets"])
    assert result.exit_code == 0
    for name, description in agt.Scenario.presets().items():
        assert name in result.stdout
        assert description.split()[0] in result.stdout


def test_show_prints_every_prior_with_its_quantiles(runner, preset):
    result = runner.invoke(app, ["show", PRESET])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for path, prior in preset.prior_fields().items():
        row = next(line for line in lines if line.split()[:1] == [path])
        q5, q50, q95 = prior.ppf(np.array([0.05, 0.5, 0.95]))
        for shown, exact in zip(row.split()[-3:], (q5, q50, q95), strict=True):
            # printed to 3 significant digits (years to 0.1): off by at most half a last digit
            half_digit = 0.05 if "year" in path else 0.5 * 10 ** (math.floor(math.log10(exact)) - 2)
            assert abs(float(shown) - exact) <= half_digit * (1 + 1e-9), (path, shown, exact)
    # a ci90 prior's 5% and 95% are its stated bounds
    rate = next(line for line in lines if line.split()[:1] == ["compute.rate"])
    assert "ci90(0.4, 0.75)" in rate and rate.split()[-3:] == ["0.4", "0.548", "0.75"]


def test_show_reads_a_toml_file_like_the_preset(runner, preset, tmp_path):
    path = tmp_path / "mine.toml"
    preset.to_toml(path)
    from_file = runner.invoke(app, ["show", str(path)])
    from_name = runner.invoke(app, ["show", PRESET])
    assert from_file.exit_code == 0, from_file.output
    assert from_file.stdout == from_name.stdout


def test_show_lists_calibration_and_correlations(runner, preset, tmp_path):
    path = tmp_path / "corr.toml"
    preset.correlate("compute.rate", "algorithms.rate", -0.3).to_toml(path)
    result = runner.invoke(app, ["show", str(path)])
    assert result.exit_code == 0, result.output
    assert "rank correlation compute.rate ~ algorithms.rate: -0.30" in result.stdout
    assert "calibration" not in result.stdout
    result = runner.invoke(app, ["show", "epoch-trends"])
    assert "compute.rate drawn from a calibration on frontier runs since 2018" in result.stdout


def test_no_arguments_prints_help(runner):
    result = runner.invoke(app, [])
    assert "presets" in result.output and "forecast" in result.output


# -- user errors: one line on stderr, exit status 2, no traceback, no files -----------------
BAD_TOML = 'name = "x"\n[compute\nrate = 0.5\n'
BAD_FIELD = '[compute]\nrate = { kind = "ci90", lo = -1, hi = 2 }\n[requirement]\nooms = 5\n'
UNKNOWN_FIELD = "[compute]\nrat = 0.5\n[requirement]\nooms = 5\n"


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({}, ["show", "missing.toml"], "unknown scenario 'missing.toml': not a preset"),
        ({"bad.toml": BAD_TOML}, ["show", "bad.toml"], "bad.toml: not valid TOML"),
        ({"f.toml": BAD_FIELD}, ["show", "f.toml"], "compute.rate: ci90: a log-normal"),
        ({"u.toml": UNKNOWN_FIELD}, ["show", "u.toml"], "compute.rat: unknown field"),
        ({"d/x": ""}, ["show", "d"], "is a directory"),
        ({}, ["forecast", PRESET, "--out", "nodir/r.nc"], "directory nodir does not exist"),
        ({}, ["forecast", PRESET, "--plot", "nodir/f.pdf"], "directory nodir does not exist"),
        ({}, ["forecast", PRESET, "--plot", "f.xyz"], "unknown figure format '.xyz'"),
        ({}, ["forecast", PRESET, "--draws", "0"], "--draws must be at least 1"),
        ({}, ["forecast", PRESET, "--year", "2150"], "--year 2150 is outside"),
        ({"f.toml": BAD_FIELD}, ["forecast", "f.toml", "--out", "r.nc"], "compute.rate"),
    ],
)
def test_user_errors_are_one_line_with_status_2(
    runner, tmp_path, monkeypatch, files, args, message
):
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # no output, no temp files


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_exception(runner, tmp_path, where):
    path = tmp_path / "u.toml"
    path.write_text(UNKNOWN_FIELD)
    args = ["--debug", "show", str(path)] if where == "before" else ["show", str(path), "--debug"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert isinstance(result.exception, ValueError)
    assert "compute.rat: unknown field" in str(result.exception)


def test_bad_draws_is_a_usage_error(runner):
    result = runner.invoke(app, ["forecast", PRESET, "--draws", "1.5"])
    assert result.exit_code == 2
    assert "not a whole number" in result.output


def test_failed_figure_leaves_no_output_files(runner, tmp_path, monkeypatch):
    def broken(fc):
        raise ValueError("figure failed")

    monkeypatch.setattr(cli._forecast, "_arrival_figure", broken)
    out, plot = tmp_path / "r.nc", tmp_path / "f.pdf"
    result = runner.invoke(
        app, ["forecast", PRESET, "-n", "500", "--out", str(out), "--plot", str(plot)]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: figure failed"
    assert list(tmp_path.iterdir()) == []  # the netCDF written first was not kept either


# -- forecast ------------------------------------------------------------------------------
def test_forecast_json_matches_the_library(runner, direct):
    data = _json(runner, PRESET, "--draws", str(DRAWS), "--seed", "3")
    assert data["scenario"] == PRESET and data["seed"] == 3 and data["draws"] == DRAWS
    assert data["data_wall"] is True
    assert data["versions"]["agi_timelines"] == agt.__version__
    assert data["censored_fraction"] == pytest.approx(direct.censored_fraction)
    for level, value in data["arrival_year_quantiles"].items():
        expected = float(direct.quantile(float(level)))
        if math.isinf(expected):
            assert value is None
        else:
            assert value == pytest.approx(expected, abs=1e-9)
    years = [float(y) for y in data["p_arrived_by"]]
    assert years == sorted(years) and years[-1] == 2100.0
    assert list(data["p_arrived_by"].values()) == pytest.approx(direct.cdf(years).values)
    assert data["outputs"] == {"netcdf": None, "plot": None}
    if "arrival_year_no_wall" in direct.draws:  # the same draws with the wall switched off
        off = data["arrival_year_quantiles_wall_off"]
        values = direct.draws["arrival_year_no_wall"].values.ravel()
        assert off["0.5"] == pytest.approx(np.quantile(values, 0.5, method="inverted_cdf"))
        assert off["0.5"] <= data["arrival_year_quantiles"]["0.5"]  # the wall only delays


def test_forecast_draws_accepts_scientific_notation_and_chunks_do_not_matter(runner):
    a = _json(runner, PRESET, "--draws", "2e3", "--seed", "3")
    b = _json(runner, PRESET, "--draws", "2_000", "--seed", "3", "--chunk-size", "300")
    assert a["draws"] == b["draws"] == DRAWS
    assert a["arrival_year_quantiles"] == b["arrival_year_quantiles"]


def test_forecast_years_option(runner, direct):
    data = _json(runner, PRESET, "-n", str(DRAWS), "-s", "3", "-y", "2031", "-y", "2028.5")
    assert list(data["p_arrived_by"]) == ["2028.5", "2031"]
    assert data["p_arrived_by"]["2031"] == pytest.approx(direct.prob_by(2031))


def test_no_wall_switches_the_data_wall_off(runner, preset):
    data = _json(runner, PRESET, "-n", "1000", "-s", "2", "--no-wall")
    expected = agt.forecast(preset.replace({"data_wall.enabled": False}), draws=1000, seed=2)
    assert data["data_wall"] is False
    assert data["p_arrived_by"]["2030"] == pytest.approx(expected.prob_by(2030))


def test_wall_binds_option_sets_what_the_wall_acts_on(runner, preset):
    data = _json(runner, PRESET, "-n", "1000", "-s", "2", "--wall-binds", "physical")
    expected = agt.forecast(preset.replace({"data_wall.binds": "physical"}), draws=1000, seed=2)
    assert data["data_wall_binds"] == "physical"
    assert data["p_arrived_by"]["2030"] == pytest.approx(expected.prob_by(2030))
    assert _json(runner, PRESET, "-n", "1000")["data_wall_binds"] == "pretraining"
    bad = runner.invoke(app, ["forecast", PRESET, "-n", "100", "--wall-binds", "data"])
    assert bad.exit_code == 2
    assert "data_wall.binds" in bad.stderr and "physical" in bad.stderr
    both = runner.invoke(app, ["forecast", PRESET, "--no-wall", "--wall-binds", "physical"])
    assert both.exit_code == 2 and "contradict" in both.stderr
    shown = runner.invoke(app, ["show", PRESET])
    assert "data wall on, binds pretraining compute" in shown.stdout


def test_forecast_prints_summary_and_probabilities(runner, direct):
    result = runner.invoke(app, ["forecast", PRESET, "-n", str(DRAWS), "-s", "3"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    median = float(direct.quantile(0.5))
    assert f"median {median:.1f}" in text
    assert f"P(not by 2100) = {direct.censored_fraction:.1%}" in text
    assert "P(arrived by year)" in text
    assert f"{direct.prob_by(2030):.1%}" in text
    row = next(line for line in text.splitlines() if "compute_rate" in line)
    q = np.quantile(direct.draws["compute_rate"].values.ravel(), [0.05, 0.5, 0.95])
    assert f"{q[1]:.3g}" in row


def test_forecast_writes_netcdf_and_figure(runner, tmp_path, direct):
    out, plot = tmp_path / "r.nc", tmp_path / "f.pdf"
    result = runner.invoke(
        app,
        ["forecast", PRESET, "-n", str(DRAWS), "-s", "3", "--out", str(out), "--plot", str(plot)],
    )
    assert result.exit_code == 0, result.output
    assert f"wrote draws: {out}" in result.stdout
    loaded = agt.Forecast.from_netcdf(out)
    np.testing.assert_array_equal(loaded.arrival.values, direct.arrival.values)
    assert loaded.seed == 3 and loaded.scenario == direct.scenario
    assert plot.read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.pdf", "r.nc"]  # no temp files


def test_progress_bar_reports_every_chunk(runner):
    result = runner.invoke(
        app, ["forecast", PRESET, "-n", "900", "--chunk-size", "300", "--progress", "--json"]
    )
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # the bar goes to stderr only
    assert "900/900" in result.stderr


def test_progress_callback_is_called_per_chunk(monkeypatch):
    """The bar is fed by forecast's progress callback: (done, total) after each chunk."""
    import io

    import rich.console

    calls = []
    console = rich.console.Console(file=io.StringIO(), width=80)
    with cli._forecast._progress_bar(console, 900, True) as callback:
        fc = agt.forecast(
            agt.Scenario.preset(PRESET),
            draws=900,
            chunk_size=300,
            progress=lambda d, t: (calls.append((d, t)), callback(d, t)),
        )
    assert calls == [(300, 900), (600, 900), (900, 900)]
    assert fc.arrival.sizes["draw"] == 900


# -- compare -------------------------------------------------------------------------------
def test_compare_json_matches_the_library(runner, preset, tmp_path):
    from agi_timelines import compare

    slower = preset.replace({"compute.rate": agt.ci90(0.3, 0.6)}).model_copy(
        update={"name": "slower"}
    )
    path = tmp_path / "slower.toml"
    slower.to_toml(path)
    result = runner.invoke(
        app, ["compare", PRESET, str(path), "-n", "1000", "-s", "4", "-y", "2030", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data["scenarios"]) == [PRESET, "slower"]
    table, _, _ = compare(
        {PRESET: preset, "slower": slower},
        draws=1000,
        seed=4,
        quantiles=(0.05, 0.5, 0.95),
        years=[2030],
    )
    for name in (PRESET, "slower"):
        row = data["scenarios"][name]
        assert row["p_by_2030"] == pytest.approx(table.loc[name, "p_by_2030"])
        assert row["arrival_q50"] == pytest.approx(table.loc[name, "arrival_q50"])
        assert row["censored_share"] == pytest.approx(table.loc[name, "censored_share"])
    # a slower compute trend arrives later, draw for draw (common random numbers)
    assert data["scenarios"]["slower"]["p_by_2030"] < data["scenarios"][PRESET]["p_by_2030"]


def test_compare_prints_a_row_per_scenario_and_writes_outputs(runner, preset, tmp_path):
    copy = tmp_path / "copy.toml"
    preset.model_copy(update={"name": "copy"}).to_toml(copy)
    out, plot = tmp_path / "c.nc", tmp_path / "c.png"
    args = ["compare", PRESET, str(copy), "-n", "500", "--no-wall", "--out", str(out)]
    result = runner.invoke(app, [*args, "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    rows = [line for line in lines if PRESET in line or "copy " in line]
    assert len(rows) == 2
    # same numbers under another name: identical rows (common random numbers)
    assert rows[0].split()[2:] == rows[1].split()[2:]
    assert plot.read_bytes()[:4] == b"\x89PNG"
    import xarray as xr

    with xr.open_datatree(out, engine="h5netcdf") as tree:
        assert tree["p_arrived"].sizes["scenario"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([PRESET], "error: compare needs at least two scenarios"),
        ([PRESET, PRESET], "error: scenario 'aschenbrenner-2024' is given twice"),
        ([PRESET, "nope.toml"], "error: unknown scenario 'nope.toml'"),
        ([PRESET, "c.toml", "--out", "x/c.nc"], "error: cannot write --out x/c.nc: directory x"),
        ([PRESET, "c.toml", "--year", "2101"], "error: --year 2101 is outside"),
    ],
)
def test_compare_user_errors(runner, preset, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    preset.model_copy(update={"name": "c"}).to_toml("c.toml")
    result = runner.invoke(app, ["compare", *args])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]


# -- calibrate -----------------------------------------------------------------------------
def test_calibrate_reports_the_trend_and_flags_an_unchecked_fit(runner, tmp_path):
    out = tmp_path / "cal.nc"
    args = ["calibrate", "-n", "150", "--tune", "150", "--chains", "1", "--out", str(out)]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # Epoch AI: frontier compute grows 4-5x/yr (docs/references.md)
    assert 3.5 < data["growth_factor_median"] < 6.0
    assert data["growth_factor_90"][0] < data["growth_factor_median"] < data["growth_factor_90"][1]
    assert data["data"]["runs"] > 50 and data["seed"] == 0
    # one chain: R-hat is undefined, so the CLI must not call the fit converged
    assert data["converged"] is False and data["diagnostics"]["max_r_hat"] is None
    assert result.stderr.startswith("warning: calibration diagnostics")
    import xarray as xr

    with xr.open_datatree(out, engine="h5netcdf") as tree:
        assert "slope" in tree["posterior"].data_vars


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "nope.csv"], "--data nope.csv: no such file"),
        (["--since", "2030"], "since=2030.0 is after the latest run"),
        (["--out", "nodir/cal.nc"], "directory nodir does not exist"),
    ],
)
def test_calibrate_user_errors(runner, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["calibrate", *args])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []
