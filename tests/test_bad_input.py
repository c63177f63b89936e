"""Bad input never yields a number: one table of cases through the API, TOML files and the CLI.

Each case asserts the exception type (or, on the command line, exit status 2 and a single
line on stderr) and that the message names the field, parameter or file.  The cases cover
the classes of failure of issue 16: values that pass validation and give nonsense, unsafe
output paths, files that are not TOML, wrong Python argument types and unprintable text.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import agi_timelines as agt
from agi_timelines import InputWarning, Scenario
from agi_timelines._io import OutputError, OutputPathError
from agi_timelines.cli import app, main

INF = math.inf

BASE_TOML = """\
[compute]
rate = { kind = "ci90", lo = 0.4, hi = 0.75 }
[requirement]
ooms = { kind = "ci90", lo = 4.0, hi = 9.0 }
"""


@pytest.fixture(scope="module")
def base() -> Scenario:
    return Scenario.from_toml_string(BASE_TOML)


@pytest.fixture(scope="module")
def fc(base: Scenario) -> agt.Forecast:
    return agt.forecast(base, draws=500, seed=0)


# --- API ----------------------------------------------------------------------------------
# (id, call(base, fc, tmp_path), exception type, regex the message must match)
def _replace(changes: dict[str, Any]) -> Callable[..., Any]:
    return lambda base, fc, tmp: base.replace(changes)


def _symlink(tmp: Path) -> Path:
    (tmp / "target.nc").write_text("old", encoding="utf-8")
    link = tmp / "link.nc"
    link.symlink_to(tmp / "target.nc")
    return link


API_CASES: list[tuple[str, Callable[..., Any], type[BaseException], str]] = [
    # values that used to pass validation and give nonsense
    ("rate-inf", _replace({"compute.rate": INF}), ValueError, r"compute\.rate: .*\[0, 10000\]"),
    (
        "rate-ci90-1e-300-1e300",
        lambda b, f, t: agt.ci90(1e-300, 1e300),
        ValueError,
        r"ci90: lo=1e-300 and hi=1e\+300 .*overflow",
    ),
    (
        "requirement-normal-sigma-inf",
        lambda b, f, t: agt.normal(6, INF),
        ValueError,
        r"normal\.sigma: sigma must be finite",
    ),
    (
        "stock-tokens-inf",
        _replace({"data_wall.enabled": True, "data_wall.stock_tokens": INF}),
        ValueError,
        r"data_wall\.stock_tokens: inf is not allowed.*data_wall\.enabled = false",
    ),
    (
        "rate-ci90-too-wide",
        _replace({"compute.rate": agt.ci90(0.001, 1000)}),
        ValueError,
        r"compute\.rate: .*draws reach.*narrow the prior",
    ),
    ("late-rate-huge", _replace({"algorithms.late_rate": 1e5}), ValueError, r"late_rate"),
    ("cap-negative-inf", _replace({"compute.cap": -INF}), ValueError, r"compute\.cap"),
    ("cap-huge", _replace({"unhobbling.cap": 1e7}), ValueError, r"unhobbling\.cap"),
    (
        "slowdown-minus-inf",
        _replace({"compute.slowdown_year": -INF}),
        ValueError,
        r"compute\.slowdown_year: a year",
    ),
    (
        "slowdown-normal-wide",
        _replace({"compute.slowdown_year": agt.normal(2030, 1e4)}),
        ValueError,
        r"compute\.slowdown_year",
    ),
    ("requirement-huge", _replace({"requirement.ooms": 1e5}), ValueError, r"requirement\.ooms"),
    (
        "log10-flop-inf",
        lambda b, f, t: b.replace({"requirement": {"log10_flop": INF}}),
        ValueError,
        r"requirement\.log10_flop",
    ),
    ("reference-flop-inf", _replace({"reference.flop": INF}), ValueError, r"reference\.flop"),
    ("reference-flop-tiny", _replace({"reference.flop": 1e-300}), ValueError, r"reference\.flop"),
    ("horizon-huge", _replace({"horizon": 1e6}), ValueError, r"horizon"),
    (
        "stock-growth-huge",
        _replace({"data_wall.stock_growth": 1e3}),
        ValueError,
        r"data_wall\.stock_growth",
    ),
    ("tau-inf", _replace({"data_wall.tau": INF}), ValueError, r"data_wall\.tau"),
    ("repetition-huge", _replace({"data_wall.repetition": 1e9}), ValueError, r"repetition"),
    (
        "lognormal-overflows",
        lambda b, f, t: agt.lognormal(0.0, 100.0),
        ValueError,
        r"lognormal: draws would overflow",
    ),
    (
        "uniform-width-overflows",
        lambda b, f, t: agt.uniform(-1e308, 1e308),
        ValueError,
        r"uniform: bounds",
    ),
    (
        "ci90-normal-overflows",
        lambda b, f, t: agt.ci90(-1e308, 1e308, dist="normal"),
        ValueError,
        r"ci90: lo=.*overflow",
    ),
    ("normal-mu-inf", lambda b, f, t: agt.normal(-INF, 1.0), ValueError, r"normal\.mu"),
    ("beta-alpha-inf", lambda b, f, t: agt.beta(INF, 1.0), ValueError, r"beta\.alpha"),
    # bools and strings are not numbers
    ("ci90-bool", lambda b, f, t: agt.ci90(True, 2), ValueError, r"ci90\.lo: .*boolean"),
    ("point-bool", lambda b, f, t: agt.point(True), ValueError, r"point\.value: .*boolean"),
    ("normal-string", lambda b, f, t: agt.normal("1", 2), ValueError, r"normal\.mu: .*string"),
    (
        "mixture-bool-weights",
        lambda b, f, t: agt.mixture([agt.ci90(1, 2), agt.ci90(3, 4)], [True, False]),
        ValueError,
        r"mixture\.weights",
    ),
    ("prob-by-bool", lambda b, f, t: f.prob_by(True), ValueError, r"years .*boolean"),
    ("cdf-string", lambda b, f, t: f.cdf("2030"), ValueError, r"years .*2030"),
    ("quantile-bool", lambda b, f, t: f.quantile(True), ValueError, r"quantile levels"),
    ("horizon-bool", _replace({"horizon": True}), ValueError, r"horizon"),
    ("wall-enabled-string", _replace({"data_wall.enabled": "yes"}), ValueError, r"enabled"),
    (
        "correlate-rank-bool",
        lambda b, f, t: b.replace({"algorithms.rate": agt.ci90(0.1, 0.2)}).correlate(
            "compute.rate", "algorithms.rate", True
        ),
        ValueError,
        r"rank",
    ),
    # wrong Python argument types fail at the boundary
    ("replace-list", lambda b, f, t: b.replace([1]), TypeError, r"changes must be a dict"),
    ("replace-int-key", lambda b, f, t: b.replace({1: 2}), TypeError, r"changes: keys"),
    (
        "from-toml-string-none",
        lambda b, f, t: Scenario.from_toml_string(None),
        TypeError,
        r"text must be TOML text",
    ),
    ("from-toml-int", lambda b, f, t: Scenario.from_toml(5), TypeError, r"path must be"),
    ("from-dict-str", lambda b, f, t: Scenario.from_dict("x"), TypeError, r"data must be"),
    (
        "forecast-progress-int",
        lambda b, f, t: agt.forecast(b, draws=10, progress=5),
        TypeError,
        r"progress must be a callable",
    ),
    (
        "forecast-calibration-str",
        lambda b, f, t: agt.forecast(b, draws=10, calibration="yes"),
        TypeError,
        r"calibration must be an agi_timelines\.Calibration",
    ),
    (
        "forecast-seed-bool",
        lambda b, f, t: agt.forecast(b, draws=10, seed=True),
        ValueError,
        r"seed must be an integer",
    ),
    (
        "forecast-draws-float",
        lambda b, f, t: agt.forecast(b, draws=1.5e8),
        ValueError,
        r"draws must be an integer",
    ),
    ("forecast-dict", lambda b, f, t: agt.forecast({}, draws=1), TypeError, r"scenario must be"),
    # unsafe output paths
    ("netcdf-dev-null", lambda b, f, t: f.to_netcdf(os.devnull), OutputPathError, r"/dev/null"),
    ("toml-dev-null", lambda b, f, t: b.to_toml(os.devnull), OutputPathError, r"character"),
    (
        "netcdf-symlink",
        lambda b, f, t: f.to_netcdf(_symlink(t)),
        OutputPathError,
        r"link\.nc: it is a symbolic link",
    ),
    ("toml-directory", lambda b, f, t: b.to_toml(t), OutputPathError, r"it is a directory"),
    (
        "netcdf-parent-is-file",
        lambda b, f, t: (t / "file").write_text("x") and f.to_netcdf(t / "file" / "fc.nc"),
        OutputPathError,
        r"fc\.nc: Not a directory",
    ),
    # loaders of observed data name the file
    (
        "frontier-runs-utf16",
        lambda b, f, t: (
            (t / "runs.csv").write_bytes("model,publication_date\n".encode("utf-16"))
            and agt.frontier_runs(t / "runs.csv")
        ),
        ValueError,
        r"runs\.csv: is UTF-16",
    ),
    (
        "frontier-runs-int",
        lambda b, f, t: agt.frontier_runs(5),
        TypeError,
        r"path must be a file path",
    ),
    (
        "frontier-runs-directory",
        lambda b, f, t: agt.frontier_runs(t),
        ValueError,
        r"cannot read .*: not a regular file",
    ),
    (
        "frontier-runs-binary",
        lambda b, f, t: (
            (t / "runs.csv").write_bytes(b"\x00\xff\xfe" * 50) and agt.frontier_runs(t / "runs.csv")
        ),
        ValueError,
        r"runs\.csv",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "pattern"), [pytest.param(c, e, p, id=i) for i, c, e, p in API_CASES]
)
def test_api_bad_input(base, fc, tmp_path, call, error, pattern):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        with pytest.raises(error, match=pattern) as info:
            call(base, fc, tmp_path)
    assert "\n" not in str(info.value)


def test_symlink_target_left_intact(fc, tmp_path):
    link = _symlink(tmp_path)
    with pytest.raises(OSError, match="symbolic link"):
        fc.to_netcdf(link)
    assert link.is_symlink() and (tmp_path / "target.nc").read_text() == "old"


def test_output_errors_are_os_errors_naming_the_path(fc, tmp_path):
    with pytest.raises(OSError) as info:
        fc.to_netcdf(os.devnull)
    assert isinstance(info.value, OutputError) and info.value.filename == os.devnull
    assert Path(os.devnull).is_char_device()


# --- TOML files ---------------------------------------------------------------------------
def _toml(extra: str) -> str:
    return BASE_TOML.replace("[requirement]", extra + "\n[requirement]", 1)


# (id, file bytes, regex after the file name)
TOML_CASES: list[tuple[str, bytes, str]] = [
    ("binary", b"\x00\x01\x02rate = 1\n" * 10, r"binary file"),
    ("utf16", BASE_TOML.encode("utf-16"), r"UTF-16"),
    ("latin1", ("name = 'caf\u00e9'\n" + BASE_TOML).encode("latin-1"), r"not UTF-8 .*0xe9"),
    ("deep-nesting", ("a = " + "[" * 5000 + "]" * 5000 + "\n").encode(), r"nested too deeply"),
    ("not-toml", b"rate = = 1\n", r"not valid TOML"),
    ("empty", b"", r"compute: Field required"),
    ("too-large", b"# " + b"x" * (2**20) + b"\n", r"larger than 1024 KiB"),
    ("rate-inf", BASE_TOML.replace("rate = {", "late_rate = inf\nrate = {").encode(), r"late_r"),
    ("rate-nan", b"[compute]\nrate = nan\n[requirement]\nooms = 5.0\n", r"compute\.rate.*NaN"),
    ("rate-point-inf", b"[compute]\nrate = inf\n[requirement]\nooms = 5.0\n", r"compute\.rate"),
    ("horizon-bool", ("horizon = true\n" + BASE_TOML).encode(), r"horizon"),
    ("horizon-string", ("horizon = '2100'\n" + BASE_TOML).encode(), r"horizon.*string"),
    ("horizon-huge", ("horizon = 1e9\n" + BASE_TOML).encode(), r"horizon"),
    ("enabled-string", _toml("[data_wall]\nenabled = 'yes'").encode(), r"data_wall\.enabled"),
    (
        "stock-inf",
        _toml("[data_wall]\nenabled = true\nstock_tokens = inf").encode(),
        r"data_wall\.stock_tokens: inf is not allowed",
    ),
    (
        "ci90-lo-bool",
        b"[compute]\nrate = { kind = 'ci90', lo = true, hi = 2 }\n[requirement]\nooms = 5.0\n",
        r"compute\.rate\.lo.*boolean",
    ),
    (
        "ci90-absurd",
        b"[compute]\nrate = { kind = 'ci90', lo = 1e-300, hi = 1e300 }\n"
        b"[requirement]\nooms = 5.0\n",
        r"compute\.rate.*overflow",
    ),
    (
        "normal-sigma-inf",
        b"[compute]\nrate = 0.5\n[requirement]\nooms = { kind = 'normal', mu = 6, sigma = inf }\n",
        r"requirement\.ooms\.sigma",
    ),
    ("flop-zero", ("[reference]\nflop = 0\n" + BASE_TOML).encode(), r"reference\.flop"),
    ("flop-inf", ("[reference]\nflop = inf\n" + BASE_TOML).encode(), r"reference\.flop"),
    ("cap-minus-inf", _toml("cap = -inf").encode(), r"compute\.cap"),
    ("slowdown-minus-inf", _toml("slowdown_year = -inf").encode(), r"compute\.slowdown_year"),
    (
        "log10-flop-huge",
        b"[compute]\nrate = 0.5\n[requirement]\nlog10_flop = 1e6\n",
        r"requirement\.log10_flop",
    ),
    ("tau-inf", _toml("[data_wall]\ntau = inf").encode(), r"data_wall\.tau"),
    (
        "growth-huge",
        _toml("[data_wall]\nstock_growth = 1e4").encode(),
        r"data_wall\.stock_growth",
    ),
    (
        "calibration-seed-bool",
        (BASE_TOML + "[calibration]\nseed = true\n").encode(),
        r"calibration\.seed",
    ),
    (
        "calibration-since-string",
        (BASE_TOML + "[calibration]\nsince = '2018'\n").encode(),
        r"calibration\.since",
    ),
    (
        "mixture-weight-bool",
        b"[compute]\nrate = 0.5\n[requirement]\nooms = { kind = 'mixture', weights = [true, 0.5],"
        b" components = [{ kind = 'ci90', lo = 1, hi = 2 }, { kind = 'ci90', lo = 3, hi = 4 }] }\n",
        r"requirement\.ooms\.weights",
    ),
    (
        "rank-one",
        b"[compute]\nrate = { kind = 'ci90', lo = 0.4, hi = 0.7 }\n"
        b"[algorithms]\nrate = { kind = 'ci90', lo = 0.1, hi = 0.2 }\n[requirement]\nooms = 5.0\n"
        b"[[correlations]]\nbetween = ['compute.rate', 'algorithms.rate']\nrank = 1.0\n",
        r"rank 1 must lie strictly between",
    ),
]


@pytest.mark.parametrize(("raw", "pattern"), [pytest.param(r, p, id=i) for i, r, p in TOML_CASES])
def test_toml_bad_input(tmp_path, raw, pattern):
    path = tmp_path / "scenario.toml"
    path.write_bytes(raw)
    with pytest.raises(ValueError, match=rf"^{re.escape(str(path))}: .*{pattern}") as info:
        Scenario.from_toml(path)
    assert "\n" not in str(info.value)


def test_toml_with_a_byte_order_mark_reads(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE_TOML.encode())
    assert Scenario.from_toml(path) == Scenario.from_toml_string(BASE_TOML)


def test_toml_from_a_fifo_is_refused_without_blocking(tmp_path):
    path = tmp_path / "fifo.toml"
    os.mkfifo(path)
    with pytest.raises(ValueError, match=r"fifo\.toml: not a regular file"):
        Scenario.from_toml(path)


# --- legal but almost surely a mistake: a warning naming the field --------------------------
WARN_CASES = [
    ("requirement-met", {"requirement.ooms": -1.0}, r"requirement\.ooms: .*already met"),
    ("requirement-zero", {"requirement.ooms": 0.0}, r"requirement\.ooms"),
    ("slowdown-before-ref", {"compute.slowdown_year": 2000.0}, r"compute\.slowdown_year: "),
    ("rate-absurd", {"compute.rate": 50.0}, r"compute\.rate: 50 OOM/yr"),
]


@pytest.mark.parametrize(
    ("changes", "pattern"), [pytest.param(c, p, id=i) for i, c, p in WARN_CASES]
)
def test_suspicious_values_warn(base, changes, pattern):
    with pytest.warns(InputWarning, match=pattern):
        base.replace(changes)


def test_sensible_scenarios_do_not_warn(base):
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        for name in Scenario.presets():
            Scenario.preset(name)
        base.replace({"compute.slowdown_year": 2030.0})


# --- CLI ----------------------------------------------------------------------------------
FILES = {
    "binary.toml": b"\x00\x01\x02" * 20,
    "utf16.toml": BASE_TOML.encode("utf-16"),
    "latin1.toml": ("name = 'caf\u00e9'\n" + BASE_TOML).encode("latin-1"),
    "deep.toml": ("a = " + "[" * 5000 + "]" * 5000 + "\n").encode(),
    "bom-bad.toml": b"\xef\xbb\xbf" + b"[compute]\nrate = inf\n[requirement]\nooms = 5.0\n",
    "rate-inf.toml": b"[compute]\nrate = inf\n[requirement]\nooms = 5.0\n",
    "absurd.toml": b"[compute]\nrate = { kind = 'ci90', lo = 1e-300, hi = 1e300 }\n"
    b"[requirement]\nooms = 5.0\n",
    "stock-inf.toml": _toml("[data_wall]\nenabled = true\nstock_tokens = inf").encode(),
    "good.toml": BASE_TOML.encode(),
    "runs.csv": b"\x00\xff" * 40,
}

# (id, argv with {d} for the directory of FILES, regex for the one stderr line)
CLI_CASES = [
    ("show-missing", ["show", "{d}/nope.toml"], r"unknown scenario"),
    ("show-binary", ["show", "{d}/binary.toml"], r"binary\.toml: is a binary file"),
    ("show-utf16", ["show", "{d}/utf16.toml"], r"utf16\.toml: is UTF-16"),
    ("show-latin1", ["show", "{d}/latin1.toml"], r"latin1\.toml: is not UTF-8"),
    ("show-deep", ["show", "{d}/deep.toml"], r"deep\.toml: .*nested too deeply"),
    ("show-bom-bad", ["show", "{d}/bom-bad.toml"], r"bom-bad\.toml: .*compute\.rate"),
    ("show-directory", ["show", "{d}"], r"is a directory"),
    ("forecast-rate-inf", ["forecast", "{d}/rate-inf.toml"], r"compute\.rate"),
    ("forecast-absurd", ["forecast", "{d}/absurd.toml"], r"compute\.rate.*overflow"),
    ("forecast-stock-inf", ["forecast", "{d}/stock-inf.toml"], r"data_wall\.stock_tokens"),
    (
        "out-dev-null",
        ["forecast", "{d}/good.toml", "-n", "10", "--out", "/dev/null"],
        r"--out /dev/null: it is a character device",
    ),
    (
        "out-symlink",
        ["forecast", "{d}/good.toml", "-n", "10", "--out", "{d}/link.nc"],
        r"link\.nc: it is a symbolic link",
    ),
    (
        "out-directory",
        ["forecast", "{d}/good.toml", "-n", "10", "--out", "{d}"],
        r"it is a directory",
    ),
    (
        "out-missing-dir",
        ["forecast", "{d}/good.toml", "-n", "10", "--out", "{d}/no/fc.nc"],
        r"--out .*fc\.nc: directory .* does not exist",
    ),
    (
        "plot-dev-null",
        ["forecast", "{d}/good.toml", "-n", "10", "--plot", "/dev/null"],
        r"--plot /dev/null",
    ),
    (
        "plot-bad-format",
        ["forecast", "{d}/good.toml", "-n", "10", "--plot", "{d}/f.xyz"],
        r"unknown figure format",
    ),
    ("draws-zero", ["forecast", "{d}/good.toml", "-n", "0"], r"--draws must be at least 1"),
    ("chunk-zero", ["forecast", "{d}/good.toml", "--chunk-size", "0"], r"--chunk-size"),
    ("year-outside", ["forecast", "{d}/good.toml", "-n", "10", "-y", "1900"], r"--year 1900"),
    (
        "compare-out-dev-null",
        ["compare", "{d}/good.toml", "aschenbrenner-2024", "--out", "/dev/null"],
        r"--out /dev/null",
    ),
    ("compare-one", ["compare", "{d}/good.toml"], r"at least two scenarios"),
    ("calibrate-missing-data", ["calibrate", "--data", "{d}/none.csv"], r"none\.csv"),
    ("calibrate-binary-data", ["calibrate", "--data", "{d}/runs.csv"], r"runs\.csv"),
    (
        "calibrate-out-dev-null",
        ["calibrate", "--out", "/dev/null"],
        r"--out /dev/null: it is a character device",
    ),
]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("cli")
    for name, raw in FILES.items():
        (d / name).write_bytes(raw)
    (d / "link.nc").symlink_to(d / "good.toml")
    return d


@pytest.mark.parametrize(("argv", "pattern"), [pytest.param(a, p, id=i) for i, a, p in CLI_CASES])
def test_cli_bad_input(files, argv, pattern):
    result = CliRunner().invoke(app, [a.format(d=files) for a in argv])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert re.search(pattern, lines[0]), lines[0]
    assert result.stdout == ""
    assert (files / "link.nc").is_symlink() and Path(os.devnull).is_char_device()


# usage errors come from the option parser, reached through the console entry point
USAGE_CASES = [
    ("draws-not-a-number", ["forecast", "x", "-n", "abc"], r"'--draws' / '-n': 'abc' is not a"),
    ("draws-fraction", ["forecast", "x", "-n", "1.5"], r"'--draws'.*'1.5' is not a whole"),
    ("seed-negative", ["forecast", "x", "--seed", "-1"], r"'--seed'.*greater than or equal"),
    ("unknown-option", ["forecast", "x", "--bogus"], r"No such option: --bogus"),
    ("missing-scenario", ["show"], r"Missing argument 'SCENARIO'"),
    ("unknown-command", ["fly"], r"No such command 'fly'"),
]


@pytest.mark.parametrize(("argv", "pattern"), [pytest.param(a, p, id=i) for i, a, p in USAGE_CASES])
def test_cli_usage_errors_are_one_line(capsys, argv, pattern):
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), captured.err
    assert re.search(pattern, lines[0]), lines[0]
    assert captured.out == ""


def test_show_escapes_control_characters(tmp_path):
    path = tmp_path / "evil.toml"
    path.write_text(
        'name = "evil\\u0000\\u202e[red]x"\ndescription = "a\\u001b[2Jb"\n'
        "[compute]\nrate = 0.5\n[requirement]\n"
        'ooms = { kind = \'mixture\', weights = [0.5, 0.5], names = ["m\\u0007", "n\\u2066"], '
        "components = [{ kind = 'ci90', lo = 3, hi = 5 }, { kind = 'ci90', lo = 6, hi = 8 }] }\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["show", str(path)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for raw in ("\x00", "\u202e", "\x1b", "\x07", "\u2066"):
        assert raw not in out
    for shown in (r"evil\x00\u202e[red]x", r"a\x1b[2Jb", r"m\x07", r"n\u2066"):
        assert shown in out


def test_cli_warning_is_one_line(files, tmp_path):
    path = tmp_path / "met.toml"
    path.write_text("[compute]\nrate = 0.5\n[requirement]\nooms = -1.0\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["show", str(path)])
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: requirement.ooms: "), result.stderr


def test_table_size():
    """The issue asks for at least 60 cases across API, TOML and CLI."""
    assert len(API_CASES) + len(TOML_CASES) + len(CLI_CASES) + len(USAGE_CASES) >= 60
    assert len({c[0] for c in API_CASES}) == len(API_CASES)
    assert len({c[0] for c in TOML_CASES}) == len(TOML_CASES)
    assert len({c[0] for c in CLI_CASES}) == len(CLI_CASES)
