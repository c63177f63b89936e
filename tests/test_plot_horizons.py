"""plot.horizons: METR's points, the calendar-time trend, the model's fan and the requirement."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PolyCollection

import agi_timelines as agt
from agi_timelines import plot
from agi_timelines.data import time_horizons
from agi_timelines.result import Forecast


@pytest.fixture(scope="module")
def fc() -> Forecast:
    return agt.forecast(agt.Scenario.preset("metr-horizons"), draws=5000, seed=2)


def test_horizons_figure_shows_points_trend_fan_and_requirement(fc, tmp_path) -> None:
    years = np.linspace(2023.2, 2040.0, 30)
    fig, ax = plot.horizons(fc, years=years)
    assert ax.get_yscale() == "log"
    table = time_horizons()
    # every METR point is drawn at its 50% horizon (minutes): fitted and not-fitted markers
    markers = [
        line for line in ax.get_lines() if line.get_marker() == "o" and len(line.get_xdata()) > 1
    ]
    xs = np.concatenate([m.get_xdata() for m in markers])
    ys = np.concatenate([m.get_ydata() for m in markers])
    assert sorted(zip(xs, ys, strict=True)) == sorted(
        zip(table["date"], table["p50_minutes"], strict=True)
    )
    # the fan's median is fc.horizon's median (minutes)
    median = fc.horizon(years, [0.5]).values[:, 0] * 60
    assert any(
        len(line.get_xdata()) == len(years) and np.allclose(line.get_ydata(), median)
        for line in ax.get_lines()
    )
    # the requirement's median line, minutes
    req = float(np.median(fc.draws["requirement_horizon_hours"])) * 60
    assert any(np.allclose(line.get_ydata(), req) for line in ax.get_lines())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:3] == [
        "required horizon",
        "fit (90%), extrapolated in calendar time",
        "model: H from effective compute",
    ]
    assert "model, data wall off" in labels and "METR, not fitted" in labels
    assert {"GPT-2", "GPT-3", "GPT-4"} <= {t.get_text() for t in ax.texts}
    assert "doubling time" in ax.get_title(loc="left")
    assert any(isinstance(c, PolyCollection) for c in ax.collections)
    paths = plot.save(fig, tmp_path / "horizons")
    assert [p.stat().st_size > 0 for p in paths] == [True, True]
    plt.close(fig)


def test_forecast_plot_horizons_is_plot_horizons(fc) -> None:
    fig, ax = fc.plot.horizons(trend=False)
    ref_fig, ref_ax = plot.horizons(fc, trend=False)
    assert fig is ax.figure
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        t.get_text() for t in ref_ax.get_legend().get_texts()
    ]
    for line, ref in zip(ax.get_lines(), ref_ax.get_lines(), strict=True):
        np.testing.assert_array_equal(line.get_xydata(), ref.get_xydata())
    plt.close(fig)
    plt.close(ref_fig)
    with pytest.raises(TypeError, match="wall_off_median must be True or False"):
        plot.horizons(fc, wall_off_median=1)


def test_horizons_options_and_bad_input(fc) -> None:
    fig, ax = plot.horizons(
        fc, wall_off_median=False, requirement=False, trend=False, label_models=False
    )
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["model: H from effective compute", "METR, fitted", "METR, not fitted"]
    assert not ax.texts
    plt.close(fig)
    plain = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=100, seed=0)
    before = plt.get_fignums()
    with pytest.raises(ValueError, match="no time-horizon requirement"):
        plot.horizons(plain)
    with pytest.raises(ValueError, match="probs"):
        plot.horizons(fc, probs=(0.5, 1.5))
    assert plt.get_fignums() == before
