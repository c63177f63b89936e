"""Notebook displays: what a reader looks for first, in static HTML; plain repr stays one line."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import agi_timelines as agt
from agi_timelines._html import cdf_svg


@pytest.fixture(scope="module")
def wall_fc() -> agt.Forecast:
    return agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=20_000, seed=0)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_forecast_html_has_the_headline_numbers(wall_fc):
    html = wall_fc._repr_html_()
    text = _text(html)
    assert "aschenbrenner-2024" in text and "20,000 draws" in text and "seed 0" in text
    median = float(wall_fc.quantile(0.5))
    lo, hi = wall_fc.interval(0.5)
    assert f"{median:.1f}" in text
    assert f"{lo:.1f} to {hi:.1f}" in text
    lo90, hi90 = wall_fc.interval(0.9)
    assert np.isposinf(hi90) and f"{lo90:.1f} to after 2100" in text
    assert f"{wall_fc.censored_fraction:.1%}" in text
    for year, p in zip([2030, 2100], wall_fc.prob_by([2030, 2100]).values, strict=True):
        assert f"{year}" in text and f"{p:.1%}" in text
    assert "same draws, wall off" in text
    assert "<script" not in html  # static: renders anywhere
    year_rows = [_text(r) for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if ">year<" in r]
    assert len(year_rows) >= 5  # slowdown years, wall year, breakthrough, arrival (both ways)
    assert not any(re.search(r"\d[eE][+-]?\d|nan|inf", r) for r in year_rows), year_rows


def test_forecast_html_inline_cdf_spans_the_whole_range(wall_fc):
    svg = re.search(r"<svg.*?</svg>", wall_fc._repr_html_(), re.S).group(0)
    root = ET.fromstring(svg)  # well-formed XML
    ns = {"s": "http://www.w3.org/2000/svg"}
    line = root.find("s:polyline", ns)
    points = np.array([p.split(",") for p in line.get("points").split()], dtype=float)
    assert np.all(np.diff(points[:, 0]) > 0)  # left to right
    assert np.all(np.diff(points[:, 1]) <= 0)  # y grows upwards in probability: never falls
    labels = [t.text for t in root.findall("s:text", ns)]
    assert "2100" in labels  # drawn to the horizon, not cut at 2050
    assert f"not by 2100: {wall_fc.censored_fraction:.1%}" in labels


def test_cdf_svg_levels_match_the_empirical_cdf():
    arrival = np.array([2025.0, 2030.0, 2040.0, np.inf])
    svg = cdf_svg([("x", arrival)], 2020.0, 2100.0, width=300, height=110)
    pts = re.search(r'points="([^"]+)"', svg).group(1).split()
    ys = sorted({float(p.split(",")[1]) for p in pts}, reverse=True)
    top, h = 8, 110 - 8 - 20
    np.testing.assert_allclose(ys, [top + h * (1 - p) for p in (0, 0.25, 0.5, 0.75)], atol=0.06)


def test_plain_reprs_stay_one_line(wall_fc):
    assert "\n" not in repr(wall_fc)
    comparison = agt.compare(
        {"a": wall_fc.scenario, "b": wall_fc.scenario.replace({"requirement.ooms": 7.0})},
        draws=2_000,
        years=[2030],
    )
    assert repr(comparison) == "<Comparison of 2 scenarios ('a', 'b'): 2000 draws each, seed 0>"
    text = _text(comparison._repr_html_())
    assert "Comparison of 2 scenarios" in text
    for name, fc in comparison.forecasts.items():
        assert re.search(rf"\b{name} {float(fc.quantile(0.5)):.1f}\b", text)
    _, _, forecasts = comparison  # still unpacks
    assert set(forecasts) == {"a", "b"}


def test_calibration_html():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", agt.CalibrationWarning)  # a short run: only the display
        cal = agt.calibrate(draws=200, tune=200, chains=2, seed=1)
    text = _text(cal._repr_html_())
    slope = float(cal.slope.median())
    low, high = cal.growth_factor_interval(0.9)
    assert f"{slope:.3f} OOM/yr" in text and f"{10**slope:.2f}x/yr" in text
    assert f"{low:.2f}x to {high:.2f}x" in text
    assert f"{cal.diagnostics['divergences']}" in text and "R-hat" in text
    assert "\n" not in repr(cal)
