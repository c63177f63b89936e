"""Summaries display each number in its units (years as years) and keep every digit."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import agi_timelines as agt
from agi_timelines.summary import SummaryTable, format_value

E_NOTATION = re.compile(r"\d[eE][+-]?\d")


@pytest.fixture(scope="module")
def wall_fc() -> agt.Forecast:
    """Return the shipped preset (data wall on), where breakthrough_year is mostly censored."""
    return agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=20_000, seed=0)


def _row(text: str, name: str) -> str:
    return next(line for line in text.splitlines() if re.match(rf"\W*{name}\b", line))


def _year_rows(table: SummaryTable) -> list[str]:
    return [name for name, unit in table.attrs["units"].items() if unit == "year"]


@pytest.mark.parametrize("render", ["str", "to_string", "html", "markdown", "latex"])
def test_year_rows_read_as_years_everywhere(wall_fc, render):
    table = wall_fc.summary()
    text = {
        "str": str,
        "to_string": SummaryTable.to_string,
        "html": SummaryTable._repr_html_,
        "markdown": SummaryTable.to_markdown,
        "latex": SummaryTable.to_latex,
    }[render](table)
    if render == "latex":
        text = text.replace(r"\_", "_")
    if render == "html":  # one line per table row, cells separated by spaces
        rows = re.findall(r"<tr>(.*?)</tr>", text, re.S)
        text = "\n".join(" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in rows)
    median = float(wall_fc.quantile(0.5))
    assert f"{median:.1f}" in _row(text, "arrival_year")  # e.g. 2029.0
    for name in _year_rows(table):
        line = _row(text, name)
        assert not E_NOTATION.search(line), line
        assert "nan" not in line.lower(), line
    assert re.search(r"\d\.\d\de\+1\d", _row(text, "data_wall_stock_tokens"))  # tokens: 6.71e+13


def test_returned_numbers_keep_full_precision(wall_fc):
    table = wall_fc.summary()
    assert isinstance(table, pd.DataFrame)
    assert table["median"].dtype == np.float64
    assert table.loc["arrival_year", "median"] == float(wall_fc.quantile(0.5))
    rate = table.loc["compute_rate", "median"]
    assert rate == pytest.approx(np.median(wall_fc.draws["compute_rate"]), rel=1e-12)
    assert rate != float(f"{rate:.3g}")  # not rounded to what is displayed
    assert table.loc["arrival_year", "censored"] == wall_fc.censored_fraction
    assert isinstance(table.loc[["arrival_year"]], SummaryTable)  # a selection keeps the format


def test_censored_median_reads_not_by_horizon_and_nan_spread_is_blank(wall_fc):
    table = wall_fc.summary()
    assert np.isposinf(table.loc["breakthrough_year", "median"])  # >50% never break through
    assert np.isnan(table.loc["breakthrough_year", "mad"])
    shown = table.formatted().loc["breakthrough_year"]
    assert shown["median"] == "not by 2100"
    assert shown["mad"] == ""
    line = _row(str(table), "breakthrough_year")
    assert "inf" not in line and "NaN" not in line


def test_pandas_formatting_on_request(wall_fc):
    table = wall_fc.summary()
    text = table.to_string(float_format=lambda x: f"{x:.6g}")
    assert "inf" in _row(text, "breakthrough_year")  # the raw numbers, as pandas prints them


def test_calibration_style_columns():
    table = SummaryTable.wrap(
        pd.DataFrame(
            {"mean": [0.61], "sd": [0.0312], "ess_bulk": [1873.4], "r_hat": [1.0012]},
            index=pd.Index(["slope"], name="variable"),
        ),
        {"slope": "OOM/yr"},
    )
    assert table.to_markdown().splitlines()[2] == "| slope | 0.61 | 0.0312 | 1873 | 1.001 |"


@given(st.floats(1900.0, 2200.0))
def test_any_year_prints_with_one_decimal(year):
    text = format_value(year, "year")
    assert text == f"{year:.1f}"
    assert abs(float(text) - year) <= 0.05 + 1e-9


@given(st.floats(1e-12, 1e30))
def test_other_numbers_have_three_significant_digits(x):
    text = format_value(x, "OOM/yr")
    assert float(text) == pytest.approx(x, rel=5e-3)
    assert len(re.sub(r"e.*|[^0-9]", "", text).lstrip("0")) <= 3


def _arviz_summary(fc: agt.Forecast, prob: float) -> pd.DataFrame:
    """Return the implementation summary() replaced.

    ArviZ's summary, censored rows from the inverted empirical CDF (the independent reference of its
    numbers).
    """
    import warnings

    import arviz_stats

    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        table = arviz_stats.summary(
            fc.tree,
            group="prior",
            kind="stats_median",
            ci_prob=prob,
            ci_kind="eti",
            round_to="none",
        )
    table = table.astype(float)
    lb, ub = (c for c in table.columns if c.startswith("eti"))
    censored = []
    for name in table.index:
        values = fc.draws[name].values.ravel()
        share = float(np.isinf(values).mean())
        if share > 0:
            q = np.quantile(values, [0.5, (1 - prob) / 2, (1 + prob) / 2], method="inverted_cdf")
            table.loc[name, ["median", lb, ub]] = q
        censored.append(share)
    table["censored"] = censored
    return table


@pytest.mark.parametrize("prob", [0.9, 0.5, 0.95, 0.8])
def test_numbers_are_arviz_summary_bit_for_bit(wall_fc, prob):
    ours = pd.DataFrame(wall_fc.summary(prob))
    ours.attrs = {}
    assert ours["censored"].gt(0).sum() >= 3  # censored rows take the inverted-CDF path
    pd.testing.assert_frame_equal(ours, _arviz_summary(wall_fc, prob), check_exact=True)


def test_numbers_are_arviz_summary_for_float32_draws_and_subsets(wall_fc):
    small = agt.forecast(
        agt.Scenario.preset("aschenbrenner-2024"), draws=4_001, seed=3, dtype="float32"
    )
    assert small.draws["compute_rate"].dtype == np.float32  # odd count: one middle draw
    for fc in (small, wall_fc.given(wall_binds=True), wall_fc.without_wall()):
        ours = pd.DataFrame(fc.summary())
        ours.attrs = {}
        pd.testing.assert_frame_equal(ours, _arviz_summary(fc, 0.9), check_exact=True)


_ATTRS = {"scenario": agt.Scenario.preset("aschenbrenner-2024").to_toml_string(), "seed": 0}


@given(
    st.lists(
        st.one_of(
            st.floats(-1e6, 1e6, allow_nan=False, width=32),
            st.sampled_from([0.0, 1.0, 2.5, float("inf")]),  # ties and censored draws
        ),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from([0.5, 0.9, 0.95]),
    st.sampled_from([np.float64, np.float32]),
)
def test_row_statistics_match_arviz_on_any_draws(values, prob, dtype):
    x = np.asarray(values, dtype=dtype)
    fc = agt.Forecast.from_draws({"arrival_year": x}, _ATTRS)
    ours = pd.DataFrame(fc.summary(prob))
    ours.attrs = {}
    pd.testing.assert_frame_equal(ours, _arviz_summary(fc, prob), check_exact=True)


def test_bad_prob_names_the_parameter(wall_fc):
    for bad in (0, 1, 1.5, -0.1):
        with pytest.raises(ValueError, match="prob must lie in"):
            wall_fc.summary(bad)
