"""Bad input fails early with a ValueError that names the field or argument."""

from __future__ import annotations

import copy
import math
import re
from typing import Any

import pytest

import agi_timelines as agt
from agi_timelines.scenario import Scenario

BASE: dict[str, Any] = {
    "compute": {"rate": {"kind": "ci90", "lo": 0.4, "hi": 0.75}},
    "requirement": {"ooms": {"kind": "ci90", "lo": 4.0, "hi": 9.0}},
}


def _with(changes: dict[str, Any]) -> dict[str, Any]:
    """Return BASE with ``{"a.b.c": value}`` set (creating sections as needed)."""
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        node = data
        *parents, last = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return data


def _normal(mu: float, sigma: float) -> dict[str, Any]:
    return {"kind": "normal", "mu": mu, "sigma": sigma}


# (case id, scenario dict, regex the message must match)
SCENARIO_CASES = [
    ("unknown-top-level-key", _with({"colour": "blue"}), r"colour: unknown field"),
    ("unknown-nested-key", _with({"compute.speed": 1.0}), r"compute\.speed: unknown field"),
    (
        "unknown-prior-key",
        _with({"compute.rate": {"kind": "ci90", "lo": 0.4, "hi": 0.7, "median": 0.5}}),
        r"compute\.rate\.median: unknown field",
    ),
    ("unknown-prior-kind", _with({"compute.rate": {"kind": "gamma", "a": 1}}), r"compute\.rate"),
    ("wrong-type-horizon", _with({"horizon": "soon"}), r"horizon: .*number"),
    ("wrong-type-prior", _with({"compute.rate": "fast"}), r"compute\.rate"),
    ("boolean-prior", _with({"compute.cap": True}), r"compute\.cap.*boolean"),
    ("wrong-type-reference-flop", _with({"reference.flop": [1, 2]}), r"reference\.flop"),
    (
        "ci90-lo-above-hi",
        _with({"compute.rate": {"kind": "ci90", "lo": 0.75, "hi": 0.4}}),
        r"compute\.rate.*lo \(0\.75\) must be below hi \(0\.4\)",
    ),
    (
        "ci90-lo-equals-hi",
        _with({"algorithms.rate": {"kind": "ci90", "lo": 0.5, "hi": 0.5}}),
        r"algorithms\.rate.*lo .* must be below hi",
    ),
    (
        "ci90-lognormal-lo-zero",
        _with({"compute.rate": {"kind": "ci90", "lo": 0.0, "hi": 0.4}}),
        r"compute\.rate.*lo > 0",
    ),
    (
        "ci90-lognormal-lo-negative",
        _with({"requirement.ooms": {"kind": "ci90", "lo": -1.0, "hi": 4.0}}),
        r"requirement\.ooms.*lo > 0",
    ),
    (
        "uniform-lower-above-upper",
        _with({"compute.cap": {"kind": "uniform", "lower": 5.0, "upper": 3.0}}),
        r"compute\.cap.*lower .* must be below upper",
    ),
    (
        "nan-in-normal",
        _with({"requirement.ooms": _normal(math.nan, 1.0)}),
        r"requirement\.ooms\.mu.*NaN",
    ),
    ("nan-point", _with({"compute.cap": math.nan}), r"compute\.cap.*NaN"),
    (
        "nan-in-ci90",
        _with({"compute.rate": {"kind": "ci90", "lo": math.nan, "hi": 0.4}}),
        r"compute\.rate\.lo",
    ),
    (
        "nonpositive-sigma",
        _with({"compute.rate": {"kind": "lognormal", "mu": 0.0, "sigma": 0.0}}),
        r"compute\.rate\.sigma.*greater than 0",
    ),
    (
        "mixture-weights-not-summing-to-1",
        _with(
            {
                "requirement.ooms": {
                    "kind": "mixture",
                    "components": [_normal(5, 1), _normal(9, 1)],
                    "weights": [0.5, 0.6],
                }
            }
        ),
        r"requirement\.ooms.*weights must sum to 1",
    ),
    (
        "mixture-weights-count",
        _with(
            {
                "requirement.ooms": {
                    "kind": "mixture",
                    "components": [_normal(5, 1), _normal(9, 1)],
                    "weights": [1.0],
                }
            }
        ),
        r"requirement\.ooms.*2 components but 1 weights",
    ),
    (
        "mixture-negative-weight",
        _with(
            {
                "requirement.ooms": {
                    "kind": "mixture",
                    "components": [_normal(5, 1), _normal(9, 1)],
                    "weights": [1.5, -0.5],
                }
            }
        ),
        r"requirement\.ooms.*weights must be positive",
    ),
    (
        "normal-prior-on-a-rate",
        _with({"compute.rate": _normal(0.5, 0.1)}),
        r"compute.*rate.*growth rate.*\[0, inf\]",
    ),
    (
        "negative-late-rate",
        _with({"algorithms.rate": 0.3, "algorithms.late_rate": -0.1}),
        r"algorithms.*late_rate.*growth rate",
    ),
    (
        "negative-cap",
        _with(
            {"unhobbling.rate": 0.1, "unhobbling.cap": {"kind": "uniform", "lower": -1, "upper": 1}}
        ),
        r"unhobbling.*cap.*\[0, inf\]",
    ),
    ("horizon-before-reference", _with({"horizon": 2020.0}), r"horizon \(2020\).*reference\.year"),
    ("horizon-equals-reference", _with({"horizon": 2023.2}), r"horizon .*reference\.year"),
    ("not-before-after-horizon", _with({"not_before": 2150.0}), r"not_before \(2150\)"),
    ("not-before-before-reference", _with({"not_before": 2000.0}), r"not_before \(2000\)"),
    ("reference-year-out-of-range", _with({"reference.year": 1000.0}), r"reference\.year"),
    ("reference-flop-negative", _with({"reference.flop": -1.0}), r"reference\.flop"),
    (
        "requirement-ooms-and-log10-flop",
        _with({"requirement.log10_flop": 30.0}),
        r"requirement.*exactly one of 'ooms', 'log10_flop' or 'horizon_hours', "
        "got ooms and log10_flop",
    ),
    (
        "requirement-missing",
        {"compute": {"rate": 0.5}, "requirement": {}},
        r"requirement.*exactly one",
    ),
    (
        "compute-trend-and-sub-axes",
        _with({"compute.spending": {"rate": 0.3}, "compute.hardware": {"rate": 0.1}}),
        r"compute.*either as one trend .* or as spending \+ hardware",
    ),
    (
        "compute-only-one-sub-axis",
        {"compute": {"spending": {"rate": 0.3}}, "requirement": {"ooms": 5.0}},
        r"compute.*needs both spending and hardware",
    ),
    (
        "p-break-above-1",
        _with({"data_wall.enabled": True, "data_wall.p_break": 1.5}),
        r"data_wall\.p_break.*probability.*\[0, 1\]",
    ),
    (
        "p-break-prior-outside-0-1",
        _with(
            {
                "data_wall.enabled": True,
                "data_wall.p_break": {"kind": "uniform", "lower": 0.5, "upper": 1.5},
            }
        ),
        r"data_wall\.p_break.*\[0, 1\]",
    ),
    ("negative-tau", _with({"data_wall.tau": -2.0}), r"data_wall\.tau.*delay"),
    (
        "negative-stock",
        _with({"data_wall.stock_tokens": -3e14}),
        r"data_wall\.stock_tokens.*token",
    ),
    ("zero-stock", _with({"data_wall.stock_tokens": 0.0}), r"data_wall\.stock_tokens.*positive"),
    (
        "beta-nonpositive-alpha",
        _with({"data_wall.p_break": {"kind": "beta", "alpha": 0.0, "beta": 2.0}}),
        r"data_wall\.p_break\.alpha",
    ),
]


@pytest.mark.parametrize(
    ("data", "pattern"),
    [pytest.param(d, p, id=i) for i, d, p in SCENARIO_CASES],
)
def test_bad_scenario_dict(data, pattern):
    with pytest.raises(ValueError, match=pattern):
        Scenario.from_dict(data)


def test_there_are_at_least_twenty_cases():
    assert len({c[0] for c in SCENARIO_CASES}) >= 20


# --- forecast arguments ------------------------------------------------------------------
@pytest.fixture(scope="module")
def small() -> Scenario:
    return Scenario.from_dict(BASE)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        pytest.param({"draws": 0}, r"draws must be an integer >= 1, got 0", id="draws-zero"),
        pytest.param({"draws": -5}, r"draws must be an integer >= 1", id="draws-negative"),
        pytest.param({"draws": True}, r"draws must be an integer >= 1, got True", id="draws-bool"),
        pytest.param({"draws": 10.0}, r"draws must be an integer", id="draws-float"),
        pytest.param({"seed": -1}, r"seed must be an integer >= 0, got -1", id="seed-negative"),
        pytest.param({"seed": 1.5}, r"seed must be an integer", id="seed-float"),
        pytest.param({"chunk_size": 0}, r"chunk_size must be an integer >= 1", id="chunk-zero"),
        pytest.param({"chunk_size": False}, r"chunk_size must be an integer", id="chunk-bool"),
    ],
)
def test_bad_forecast_arguments(small, kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        agt.forecast(small, **{"draws": 10, **kwargs})


def test_forecast_needs_a_scenario():
    with pytest.raises(TypeError, match=r"scenario must be an agi_timelines\.Scenario"):
        agt.forecast({"compute": {"rate": 0.5}}, draws=10)


@pytest.mark.parametrize("draws", [0, -1, True, 2.5])
def test_build_model_bad_draws(small, draws):
    with pytest.raises(ValueError, match=r"draws must be a positive integer"):
        agt.build_model(small, draws=draws)


# --- files, presets, replace -------------------------------------------------------------
def test_unreadable_toml_syntax(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[compute]\nrate = { kind = "ci90", lo = 0.4\n', encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{re.escape(str(path))}: not valid TOML"):
        Scenario.from_toml(path)


def test_toml_with_bad_field_names_file_and_field(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        "[compute]\nrate = 0.5\nspeed = 2\n[requirement]\nooms = 5.0\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=rf"{re.escape(str(path))}: .*compute\.speed"):
        Scenario.from_toml(path)


def test_missing_toml_file(tmp_path):
    path = tmp_path / "nope.toml"
    with pytest.raises(ValueError, match=rf"cannot read scenario file {re.escape(str(path))}"):
        Scenario.from_toml(path)


def test_unknown_preset():
    with pytest.raises(ValueError, match=r"unknown preset 'no-such-preset'.*aschenbrenner-2024"):
        Scenario.preset("no-such-preset")


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        ("compute.speed", r"'compute\.speed'.*'compute' has no field 'speed'"),
        ("colour", r"'colour'.*has no field 'colour'"),
        ("data_wall.enabled.deep", r"'data_wall\.enabled\.deep'"),
        ("algorithms.rate.lo", r"'algorithms\.rate\.lo'"),
    ],
)
def test_bad_replace_path(path, pattern):
    s = Scenario.from_dict(BASE)
    with pytest.raises(ValueError, match=pattern):
        s.replace({path: 1.0})


def test_replace_with_bad_value_names_field():
    s = Scenario.from_dict(BASE)
    with pytest.raises(ValueError, match=r"compute.*rate.*growth rate"):
        s.replace({"compute.rate": agt.normal(0.5, 0.1)})
    with pytest.raises(ValueError, match=r"horizon"):
        s.replace({"horizon": 2000.0})


def test_netcdf_path_in_missing_directory(preset_fc, tmp_path):
    fc = preset_fc
    target = tmp_path / "missing" / "fc.nc"
    with pytest.raises(ValueError, match=rf"directory {re.escape(str(target.parent))} does not"):
        fc.to_netcdf(target)
    assert not target.parent.exists()


def test_toml_path_in_missing_directory(small, tmp_path):
    target = tmp_path / "missing" / "s.toml"
    with pytest.raises(ValueError, match=r"does not exist"):
        small.to_toml(target)
    assert not target.parent.exists()


def test_missing_netcdf_file(tmp_path):
    with pytest.raises(ValueError, match=r"no forecast file at"):
        agt.Forecast.from_netcdf(tmp_path / "nothing.nc")


def test_not_a_netcdf_file(tmp_path):
    path = tmp_path / "fake.nc"
    path.write_text("not netcdf", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{re.escape(str(path))} is not a readable forecast"):
        agt.Forecast.from_netcdf(path)


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        pytest.param(
            lambda fc: fc.quantile(1.5), r"quantile levels must lie in \[0, 1\]", id="q>1"
        ),
        pytest.param(lambda fc: fc.quantile(math.nan), r"quantile levels", id="q-nan"),
        pytest.param(lambda fc: fc.cdf([2030, 2200]), r"years must be <= the horizon", id="cdf"),
        pytest.param(lambda fc: fc.prob_by(math.inf), r"years must be finite", id="prob-inf"),
        pytest.param(lambda fc: fc.interval(1.0), r"prob must lie in \(0, 1\)", id="interval"),
    ],
)
def test_bad_summary_arguments(preset_fc, call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call(preset_fc)


def test_not_before_removing_everything(preset_off):
    s = preset_off.replace({"requirement.ooms": agt.ci90(0.01, 0.02), "not_before": 2090.0})
    with pytest.raises(ValueError, match=r"not_before=2090.*every draw arrives earlier"):
        agt.forecast(s, draws=100, seed=0)
