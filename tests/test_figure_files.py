"""Every figure file has one style and size.

Whoever draws it (the examples' ``plot.save`` or the command line), and the arrival figures show
what they leave out.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.image import imread
from typer.testing import CliRunner

import agi_timelines as agt
from agi_timelines import plot
from agi_timelines.cli import app


@pytest.fixture(scope="module")
def fc() -> agt.Forecast:
    return agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=20_000, seed=0)


def _pixels(path) -> tuple[int, int]:
    return imread(path).shape[:2]


def test_cli_figure_matches_the_examples_figure(fc, tmp_path):
    out = tmp_path / "cli.png"
    result = CliRunner().invoke(
        app, ["forecast", "aschenbrenner-2024", "-n", "20000", "--plot", str(out)]
    )
    assert result.exit_code == 0, result.output
    fig, _ = plot.arrival_cdf(fc)
    (example,) = plot.save(fig, tmp_path / "example", formats=["png"])
    plt.close(fig)
    assert _pixels(out) == _pixels(example)
    _, width = _pixels(out)
    assert width >= 3.3 * plot.STYLE["savefig.dpi"] * 0.95  # one column (3.4 in) at 300 dpi
    assert np.array_equal(imread(out), imread(example))  # same draws, seed: the same picture


def test_compare_column_head_clears_the_year_ticks(fc):
    slow = fc.scenario.replace({"compute.rate": agt.ci90(0.2, 0.4)})
    fig, ax = plot.compare({"preset": fc, "slow": agt.forecast(slow, draws=5_000)})
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    head = next(t for t in ax.texts if t.get_text().startswith("not by"))
    box = head.get_window_extent(renderer)
    for tick in ax.get_xticklabels():
        if tick.get_text():
            assert not box.overlaps(tick.get_window_extent(renderer)), tick.get_text()
    plt.close(fig)


def test_cdf_cut_before_the_horizon_marks_what_is_left_out(fc):
    fig, ax = plot.arrival_cdf(fc, xlim=(2023, 2040))
    at_cut, at_horizon = fc.cdf([2040.0, 2100.0]).values
    rises = [
        line
        for line in ax.get_lines()
        if len(line.get_ydata()) == 2 and np.allclose(line.get_ydata(), [at_cut, at_horizon])
    ]
    assert len(rises) == 1 and rises[0].get_xdata()[0] <= 2040.0
    assert any(t.get_text() == f"+{at_horizon - at_cut:.0%} by 2100" for t in ax.texts)
    plt.close(fig)
    fig, ax = plot.arrival_cdf(fc, xlim=(2023, 2100))  # to the horizon: nothing to mark
    assert not any("by 2100" in t.get_text() and t.get_text().startswith("+") for t in ax.texts)
    plt.close(fig)
