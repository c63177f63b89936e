"""Tests for agi_timelines.plot: every figure runs, shows what it claims, saves, and closes."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.patches import Rectangle

import agi_timelines as agt
from agi_timelines import plot
from agi_timelines.model import solve
from agi_timelines.plot.trajectory import contributions
from agi_timelines.result import Forecast

DRAWS = 20_000


@pytest.fixture(scope="module")
def fc() -> Forecast:
    """Return the preset (data wall on), compiled once."""
    return agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=DRAWS, seed=3)


@pytest.fixture(scope="module")
def slow(fc: Forecast) -> Forecast:
    """Return a forecast of the same structure, other numbers (reuses the compiled sampler)."""
    scn = fc.scenario.replace({"compute.rate": agt.ci90(0.2, 0.4), "name": "slow"})
    return agt.forecast(scn, draws=DRAWS, seed=4)


def _numpy_forecast(scenario: agt.Scenario, draws: int, seed: int) -> Forecast:
    """Return a forecast drawn with numpy through the model's own formulas (no compilation)."""
    rng = np.random.default_rng(seed)
    p = {
        path: prior.ppf(rng.uniform(size=draws)) for path, prior in scenario.prior_fields().items()
    }
    with np.errstate(invalid="ignore", divide="ignore"):  # inf caps in numpy arithmetic
        out = solve(
            scenario,
            p,
            scenario.reference.year,
            scenario.horizon,
            math.log10(scenario.reference.flop),
        )
    draws_ = {k: v for k, v in p.items() if scenario.prior_fields()[k].is_random}
    draws_ |= {k: np.broadcast_to(np.asarray(v, float), (draws,)).copy() for k, v in out.items()}
    attrs = {"scenario": scenario.to_toml_string(), "seed": seed, "versions": "{}"}
    return Forecast.from_draws(draws_, attrs)


@pytest.fixture(scope="module")
def split() -> Forecast:
    """Compute split into spending + hardware, absolute requirement, no data wall."""
    scn = agt.Scenario.from_dict(
        {
            "name": "split",
            "compute": {
                "spending": {"rate": agt.ci90(0.3, 0.5), "slowdown_year": 2030.0, "cap": 3.0},
                "hardware": {"rate": agt.ci90(0.1, 0.15)},
            },
            "algorithms": {"rate": agt.ci90(0.3, 0.5), "cap": 3.0},
            "requirement": {"log10_flop": agt.ci90(29.0, 33.0, dist="normal")},
        }
    )
    return _numpy_forecast(scn, 5000, seed=1)


@pytest.fixture(autouse=True)
def _no_leak():
    """Every test closes what it opens."""
    before = set(plt.get_fignums())
    yield
    leaked = set(plt.get_fignums()) - before
    plt.close("all")
    assert not leaked, f"open figures left behind: {leaked}"


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _legend(ax) -> list[str]:
    """Texts of every legend of ``ax`` (the current one last)."""
    from matplotlib.legend import Legend

    legends = [*ax.figure.legends, *(a for a in ax.artists if isinstance(a, Legend))]
    legends.append(ax.get_legend())
    return [t.get_text() for leg in legends for t in leg.get_texts()]


def _year_ticks_are_integers(ax) -> None:
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels, "no year tick labels"
    for label in labels:
        assert label.isdigit() and 1900 < int(label) < 2300, label


def _check_saves(fig, tmp_path, name: str) -> None:
    pdf, png = plot.save(fig, tmp_path / name)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([pdf.name, png.name])
    plt.close(fig)


# -- arrival ------------------------------------------------------------------------------------
def test_arrival_cdf_shows_censored_mass_median_and_intervals(fc, tmp_path):
    fig, ax = plot.arrival_cdf(fc)
    assert fig is ax.figure
    cens = fc.censored_fraction
    assert 0.01 < cens < 0.5  # the preset has a censored tail: the test needs one
    # the curve is the CDF itself: not renormalised
    curve = ax.get_lines()[0]
    x, y = curve.get_xdata(), curve.get_ydata()
    np.testing.assert_allclose(y[::97], fc.cdf(x[::97]).values)
    assert y.max() <= 1 - cens + 1e-12
    # the censored mass: a labelled bracket from P(by horizon) to 1
    assert f"not by 2100: {cens:.0%}" in _texts(ax)
    brackets = [
        ln
        for ln in ax.get_lines()
        if len(ln.get_ydata()) == 2 and np.allclose(ln.get_ydata(), [1 - cens, 1.0])
    ]
    assert len(brackets) == 1
    # median marked on the curve and in the strip; strip bars span the quantiles
    med = float(fc.quantile(0.5))
    dots = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
    assert any(np.isclose(d.get_xdata()[0], med) for d in dots)
    lo50, hi50 = fc.interval(0.5)
    bars = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 2 and ln.get_ydata()[0] < 0]
    assert any(np.allclose(b.get_xdata(), [lo50, hi50]) for b in bars)
    assert _legend(ax) == ["median", "50% interval", "90% interval"]
    assert ax.get_ylabel() == "P(arrived by year)"
    _year_ticks_are_integers(ax)
    _check_saves(fig, tmp_path, "cdf")


def test_arrival_cdf_several_forecasts_names_and_censoring_in_legend(fc, slow):
    fig, ax = plot.arrival_cdf([fc, slow], labels=["preset", "slow compute"])
    legend = _legend(ax)
    assert f"slow compute: not by 2100: {slow.censored_fraction:.0%}" in legend
    assert f"preset: not by 2100: {fc.censored_fraction:.0%}" in legend
    colors = {ln.get_color() for ln in ax.get_lines() if ln.get_drawstyle() == "steps-post"}
    assert len(colors) == 2
    assert len(ax.figure.legends) == 1  # long names: legend below the axes, not over curves
    # slower compute arrives later: its median dot is to the right
    meds = sorted(
        ln.get_xdata()[0]
        for ln in ax.get_lines()
        if ln.get_marker() == "o" and ln.get_mfc() == "white"
    )
    np.testing.assert_allclose(meds, sorted([float(fc.quantile(0.5)), float(slow.quantile(0.5))]))
    plt.close(fig)


def test_arrival_pdf_area_is_share_arrived(fc, tmp_path):
    fig, ax = plot.arrival_pdf(fc, bin_width=0.5)
    line = ax.get_lines()[0]
    x, y = line.get_xdata(), line.get_ydata()
    area = float(np.sum(np.diff(x)[::2] * y[::2]))  # steps: (edge, edge) pairs
    assert area == pytest.approx(1 - fc.censored_fraction, abs=1e-9)
    assert f"not by 2100: {fc.censored_fraction:.0%}" in _texts(ax)
    assert any(isinstance(c, PolyCollection) for c in ax.collections)
    _year_ticks_are_integers(ax)
    _check_saves(fig, tmp_path, "pdf")


def test_compare_rows_are_named_with_censored_share(fc, slow, split, tmp_path):
    fcs = {"preset": fc, "slow compute": slow, "split": split}
    fig, ax = plot.compare(fcs)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(fcs)
    texts = _texts(ax)
    for f in fcs.values():
        assert f"{f.censored_fraction:.0%}" in texts
    assert "not by\n2100" in texts
    _year_ticks_are_integers(ax)
    _check_saves(fig, tmp_path, "compare")
    fig, ax = plot.compare(fcs, kind="cdf")
    assert len([ln for ln in ax.get_lines() if ln.get_drawstyle() == "steps-post"]) == 3
    plt.close(fig)


# -- trajectories -------------------------------------------------------------------------------
def test_fan_draws_bands_requirement_wall_and_runs(fc, tmp_path):
    years = np.linspace(2023.2, 2045, 60)
    fig, ax = plot.fan(fc, years=years)
    traj = fc.trajectory(years)
    median = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == len(years)]
    np.testing.assert_allclose(median[0].get_ydata(), np.median(traj, axis=1))
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) >= 2  # 50% and 90%
    band90 = bands[0].get_paths()[0].vertices
    assert band90[:, 1].max() == pytest.approx(np.quantile(traj, 0.95, axis=1).max())
    req = fc.draws["requirement_ooms"].values.ravel()
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert dashed[0].get_ydata()[0] == pytest.approx(np.median(req))
    spans = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(spans) == 2  # requirement 50% and 90%
    labels = [t.get_text() for t in ax.texts]
    assert {"GPT-2", "GPT-3", "GPT-4"} <= set(labels)
    # and the largest later run of the shipped data, by name
    from agi_timelines.data import frontier_runs

    shipped = frontier_runs()
    later = shipped[(shipped["date"] > 2023.2 + 0.5) & (shipped["date"] <= 2045)]
    assert str(later.loc[later["log10_flop"].idxmax(), "model"]) in labels
    runs = next(c for c in ax.collections if isinstance(c, PathCollection))
    gpt4 = runs.get_offsets()
    assert np.nanmin(np.abs(gpt4[:, 1])) < 0.05  # GPT-4 itself sits at 0 OOMs
    legend = _legend(ax)
    assert "effective compute" in legend and "AGI requirement" in legend
    by_end = float(np.mean(fc.draws["wall_year"].values <= 2045))
    assert f"data wall hit: {by_end:.0%} by 2045" in legend
    assert ax.get_ylabel() == "Effective compute (OOMs above GPT-4)"
    sec = [c for c in ax.child_axes]
    assert sec and sec[0].get_ylabel() == "Effective FLOP"
    _year_ticks_are_integers(ax)
    _check_saves(fig, tmp_path, "fan")


def test_fan_without_wall_or_runs(split):
    fig, ax = plot.fan(split, runs=False, flop_axis=False)
    assert not any("data wall" in t for t in _legend(ax))
    assert not ax.child_axes
    # absolute requirement: converted to OOMs above the reference
    req = split.draws["requirement_log10_flop"].values.ravel() - math.log10(2.1e25)
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert dashed[0].get_ydata()[0] == pytest.approx(np.median(req))
    assert ax.get_xlim()[0] == pytest.approx(2023.2)
    plt.close(fig)


def test_contributions_add_up_to_effective_compute(fc, split):
    years = np.array([2024.0, 2030.0, 2040.0])
    for f in (fc, split):
        parts = contributions(f, years)
        np.testing.assert_allclose(sum(parts.values()), f.trajectory(years), atol=1e-9)
    assert list(contributions(split, years)) == ["spending", "hardware", "algorithms", "unhobbling"]
    assert (contributions(fc, years)["data wall (loss)"] <= 1e-12).all()


def test_axes_stack_bands_and_stacked(fc, split, tmp_path):
    years = np.linspace(2023.2, 2040, 40)
    fig, ax = plot.axes_stack(fc, years=years)
    assert _legend(ax) == ["compute", "algorithms", "unhobbling", "data wall (loss)", "total E(t)"]
    parts = contributions(fc, years)
    line = next(ln for ln in ax.get_lines() if ln.get_label() == "algorithms")
    np.testing.assert_allclose(line.get_ydata(), np.median(parts["algorithms"], axis=1))
    _year_ticks_are_integers(ax)
    _check_saves(fig, tmp_path, "stack")
    fig, ax = plot.axes_stack(fc, years=years, kind="stacked")
    total = next(ln for ln in ax.get_lines() if ln.get_label() == "total E(t)")
    np.testing.assert_allclose(total.get_ydata(), fc.trajectory(years).mean(axis=1))
    plt.close(fig)
    fig, ax = plot.axes_stack(split, years=years)
    assert _legend(ax)[:2] == ["spending", "hardware"]
    plt.close(fig)


def test_error_bars_wall_on_off(fc, split, tmp_path):
    years = np.arange(2024.0, 2046.0)
    fig, ax = plot.error_bars(fc, years=years)
    widths = fc.error_bars(0.9, years)["ooms_width"]
    on, off = ax.get_lines()
    np.testing.assert_allclose(on.get_ydata(), widths.sel(wall="on").values)
    np.testing.assert_allclose(off.get_ydata(), widths.sel(wall="off").values)
    lo, hi = fc.arrival_interval(0.9, wall=True)
    hi_txt = ">2100" if math.isinf(hi) else f"{hi:.0f}"
    assert on.get_label() == f"wall on (arrival 90% interval: {lo:.0f} to {hi_txt})"
    _year_ticks_are_integers(ax)
    _check_saves(fig, tmp_path, "error_bars")
    with pytest.raises(ValueError, match=r"data_wall\.enabled = false"):
        plot.error_bars(split)


# -- style, saving, inputs -------------------------------------------------------------------------
def test_style_applies_and_switches_off(fc):
    fig, ax = plot.arrival_cdf(fc)
    assert ax.xaxis.label.get_fontsize() == 8
    assert not ax.spines["top"].get_visible()
    plt.close(fig)
    from matplotlib.font_manager import FontProperties

    with plot.style(False):
        fig, ax = plot.arrival_cdf(fc)
        own = FontProperties(size=matplotlib.rcParams["axes.labelsize"]).get_size_in_points()
    assert own != 8  # matplotlib's default (10 pt), not the house style
    assert ax.xaxis.label.get_fontsize() == own
    assert ax.spines["top"].get_visible()
    plt.close(fig)
    assert matplotlib.rcParams["font.size"] == matplotlib.rcParamsDefault["font.size"]


def test_compare_takes_a_comparison(fc):
    from agi_timelines.compare import compare

    scn = fc.scenario
    result = compare({"a": scn, "b": scn.replace({"requirement.ooms": agt.ci90(6.0, 12.0)})}, 2000)
    fig, ax = plot.compare(result)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    plt.close(fig)


def test_all_censored_and_none_censored(split):
    scn = split.scenario
    never = _numpy_forecast(scn.replace({"requirement.log10_flop": agt.ci90(45.0, 46.0)}), 500, 2)
    assert never.censored_fraction == 1.0
    fig, ax = plot.arrival_cdf(never)
    assert "not by 2100: 100%" in _texts(ax) and "median >2100" in _texts(ax)
    assert ax.get_lines()[0].get_ydata().max() == 0.0
    plt.close(fig)
    always = _numpy_forecast(scn.replace({"requirement.log10_flop": agt.ci90(26.0, 27.0)}), 500, 2)
    assert always.censored_fraction == 0.0
    fig, ax = plot.arrival_cdf(always)
    assert not any(t.startswith("not by") for t in _texts(ax))
    assert not [ln for ln in ax.get_lines() if ln.get_marker() == ">"]  # nothing runs off
    plt.close(fig)


def test_draws_into_given_axes(fc, slow):
    fig, axes = plt.subplots(1, 2)
    out_fig, out_ax = plot.arrival_cdf(fc, ax=axes[1])
    assert out_fig is fig and out_ax is axes[1]
    assert not axes[0].lines and axes[1].lines
    plt.close(fig)


def test_save_rejects_bad_input_and_writes_nothing(fc, tmp_path):
    fig, _ = plot.arrival_cdf(fc)
    with pytest.raises(ValueError, match="formats"):
        plot.save(fig, tmp_path / "x", formats=("pdf", "jpeg"))
    with pytest.raises(ValueError, match="dpi"):
        plot.save(fig, tmp_path / "x", dpi=10)
    with pytest.raises(ValueError, match="does not exist"):
        plot.save(fig, tmp_path / "missing" / "x")
    assert list(tmp_path.iterdir()) == []
    assert [p.name for p in plot.save(fig, tmp_path / "x.pdf", formats=["svg"])] == ["x.svg"]
    plt.close(fig)


def test_a_plot_failing_midway_closes_its_figure_only(fc, monkeypatch):
    import agi_timelines.plot.arrival as arrival

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(arrival, "_censored_bracket", broken)  # after the figure exists
    before = set(plt.get_fignums())
    with pytest.raises(RuntimeError, match="drawing failed"):
        plot.arrival_cdf(fc)
    assert set(plt.get_fignums()) == before
    own, ax = plt.subplots()  # a figure of the caller's stays open
    with pytest.raises(RuntimeError, match="drawing failed"):
        plot.arrival_cdf(fc, ax=ax)
    assert plt.fignum_exists(own.number)
    plt.close(own)


def test_closing_leaves_no_open_figures(fc):
    before = len(plt.get_fignums())
    for fn in (plot.arrival_cdf, plot.arrival_pdf, plot.compare):
        fig, _ = fn(fc)
        plt.close(fig)
    fig, _ = plot.fan(fc, years=[2024, 2030])
    plt.close(fig)
    assert len(plt.get_fignums()) == before


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda f: plot.arrival_cdf(f, probs=(0.5, 1.2)), "probs must lie in"),
        (lambda f: plot.arrival_cdf([]), "forecasts is empty"),
        (lambda f: plot.arrival_cdf([f, "x"]), "not an agi_timelines Forecast"),
        (lambda f: plot.arrival_cdf(f, labels=["a", "b"]), "labels: got 2 labels for 1"),
        (lambda f: plot.arrival_cdf(f, xlim=(2040, 2030)), "xlim"),
        (lambda f: plot.arrival_pdf(f, bin_width=0), "bin_width"),
        (lambda f: plot.compare([f], kind="violin"), "kind must be"),
        (lambda f: plot.fan(f, years=[2000, 2030]), r"years must lie in \[reference.year"),
        (lambda f: plot.fan(f, years=[2030, 2025]), "strictly increasing"),
        (lambda f: plot.fan(f, ax="ax"), "ax must be a matplotlib Axes"),
        (lambda f: plot.axes_stack(f, kind="pie"), "kind must be"),
        (lambda f: plot.error_bars(f, prob=1.0), "prob must lie in"),
        (lambda f: plot.fan("fc"), "fc must be an agi_timelines Forecast"),
    ],
)
def test_bad_input_is_named(fc, call, match):
    with pytest.raises(ValueError, match=match):
        call(fc)


# -- Forecast's plot methods -------------------------------------------------------------------
def _assert_same_drawing(ax, ref) -> None:
    """Two axes show the same thing: labels, texts, legends, line data, artists."""
    assert (ax.get_xlabel(), ax.get_ylabel()) == (ref.get_xlabel(), ref.get_ylabel())
    assert _texts(ax) == _texts(ref)
    assert (ax.get_legend() is None) == (ref.get_legend() is None)
    if ax.get_legend() is not None:
        assert _legend(ax) == _legend(ref)
        assert ax.get_legend().get_title().get_text() == ref.get_legend().get_title().get_text()
    assert len(ax.get_lines()) == len(ref.get_lines())
    for line, ref_line in zip(ax.get_lines(), ref.get_lines(), strict=True):
        np.testing.assert_array_equal(line.get_xydata(), ref_line.get_xydata())
    assert len(ax.collections) == len(ref.collections)
    for coll, ref_coll in zip(ax.collections, ref.collections, strict=True):  # bands, dots
        paths, ref_paths = coll.get_paths(), ref_coll.get_paths()
        assert len(paths) == len(ref_paths)
        for path, ref_path in zip(paths, ref_paths, strict=True):
            np.testing.assert_array_equal(path.vertices, ref_path.vertices)
    assert len(ax.patches) == len(ref.patches)


YEARS = np.linspace(2023.2, 2035.0, 12)


@pytest.mark.parametrize(
    ("method", "func", "kwargs"),
    [  # kwargs that change the figure: the method must pass them on
        ("cdf", plot.arrival_cdf, {"probs": (0.8,)}),
        ("pdf", plot.arrival_pdf, {"bin_width": 1.0}),
        ("fan", plot.fan, {"years": YEARS, "runs": False}),
        ("axes", plot.axes_stack, {"years": YEARS, "prob": 0.5}),
        ("error_bars", plot.error_bars, {"years": YEARS, "prob": 0.8}),
    ],
)
def test_forecast_plot_methods_are_the_plot_functions(fc, method, func, kwargs):
    fig, ax = getattr(fc.plot, method)(**kwargs)
    assert fig is ax.figure
    ref_fig, ref_ax = func(fc, **kwargs)
    _assert_same_drawing(ax, ref_ax)
    plt.close(fig)
    plt.close(ref_fig)
    own, axes = plt.subplots(1, 2)
    out_fig, out_ax = getattr(fc.plot, method)(axes[1], **kwargs)
    assert out_fig is own and out_ax is axes[1]
    assert not axes[0].lines and axes[1].lines
    plt.close(own)


def test_forecast_plot_data_wall_is_plot_data_wall(fc):
    fig, axes = fc.plot.data_wall(probs=(0.5,))
    ref_fig, ref_axes = plot.data_wall(fc, probs=(0.5,))
    assert len(axes) == len(ref_axes) == 2 and all(a.figure is fig for a in axes)
    for ax, ref in zip(axes, ref_axes, strict=True):
        _assert_same_drawing(ax, ref)
    plt.close(fig)
    plt.close(ref_fig)


def test_forecast_plot_accessor_lists_its_figures(fc):
    names = ("cdf", "pdf", "fan", "axes", "error_bars", "parameters", "data_wall", "horizons")
    assert all(f".{n}()" in repr(fc.plot) for n in names)
    assert not any(name.startswith("plot_") for name in dir(agt.Forecast))  # one way


def test_plot_flags_are_bools(fc):
    with pytest.raises(TypeError, match="shade_wall must be True or False"):
        fc.plot.fan(years=YEARS, shade_wall="no")


def test_forecast_plot_parameters_is_plot_parameters(fc):
    paths = ["compute.rate", "requirement.ooms"]
    fig, axes = fc.plot.parameters(var_names=paths, kind="hist")
    ref_fig, ref_axes = plot.parameters(fc, paths, kind="hist")
    assert len(axes) == len(ref_axes) == 2
    assert all(a.figure is fig for a in axes)
    titles = ["compute.rate (OOM/yr)", "requirement.ooms (OOM)"]
    assert [a.get_title(loc="left") for a in axes] == titles
    for ax, ref in zip(axes, ref_axes, strict=True):
        assert ax.get_title(loc="left") == ref.get_title(loc="left")
        _assert_same_drawing(ax, ref)
    plt.close(fig)
    plt.close(ref_fig)


# -- parameters (ArviZ) -----------------------------------------------------------------------
def test_parameters_panels_titles_medians_and_log_scale(fc, tmp_path):
    paths = ["compute.rate", "compute.slowdown_year", "data_wall.stock_tokens"]
    fig, axes = plot.parameters(fc, paths)
    assert [ax.get_title(loc="left") for ax in axes] == [
        "compute.rate (OOM/yr)",
        "compute.slowdown_year (year)",
        "log10 data_wall.stock_tokens (tokens)",
    ]
    rate = fc.draws["compute_rate"].values.ravel()
    assert f"median {np.median(rate):.3g}" in _texts(axes[0])
    tokens = np.log10(fc.draws["data_wall_stock_tokens"].values.ravel())
    assert f"median {np.median(tokens):.3g}" in _texts(axes[2])
    lo, hi = axes[2].get_xlim()
    assert 12 < lo < np.median(tokens) < hi < 16  # drawn in log10 tokens
    _year_ticks_are_integers(axes[1])
    _check_saves(fig, tmp_path, "parameters")
    with pytest.raises(ValueError, match="not a random field"):
        plot.parameters(fc, ["compute.speed"])


# -- analysis outputs ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sens(fc):
    from agi_timelines.sensitivity import sensitivity

    return sensitivity(fc.scenario, draws=2000, seed=0)


def test_tornado_bars_span_base_to_fixed_runs(sens, tmp_path):
    fig, ax = plot.tornado(sens, top=6)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    by_height = sorted(zip(ax.get_yticks(), labels, strict=True))
    top_down = [name for _, name in by_height[::-1]]
    assert top_down == [str(p) for p in sens.parameter.values[:6]]  # most important on top
    base = float(sens.median_arrival_base)
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 12
    lows = sorted((b.get_y() + b.get_height() / 2, b.get_x() + b.get_width()) for b in bars[:6])
    expect = sens.median_arrival.sel(setting="low").values[:6][::-1]
    np.testing.assert_allclose([x for _, x in lows], expect)
    assert all(b.get_x() == pytest.approx(base) for b in bars)
    assert f"{float(sens.s1[0]):.2f}" in _texts(ax)
    assert _legend(ax) == ["low (5th pct)", "high (95th pct)"]
    _year_ticks_are_integers(ax)
    _check_saves(fig, tmp_path, "tornado")
    fig, ax = plot.tornado(sens, metric="p_arrived", top=3)
    assert ax.get_xlabel().startswith("P(arrived by 2030)")
    plt.close(fig)


def test_tornado_censored_median_is_an_arrow_not_a_year(sens):
    ds = sens.copy(deep=True)
    first = str(ds.parameter.values[0])
    ds["median_arrival"].loc[{"parameter": first, "setting": "high"}] = np.inf
    fig, ax = plot.tornado(ds, top=3)
    assert ">2100" in _texts(ax)
    arrows = [ln for ln in ax.get_lines() if ln.get_marker() == ">"]
    assert len(arrows) == 1 and arrows[0].get_xdata()[0] == pytest.approx(ax.get_xlim()[1])
    plt.close(fig)
    with pytest.raises(ValueError, match="sensitivity"):
        plot.tornado(ds.drop_vars("s1"))
    with pytest.raises(ValueError, match="metric"):
        plot.tornado(ds, metric="mean")


def test_sweep_heatmap_cells_show_the_sweep(fc, tmp_path):
    from agi_timelines.sweep import sweep

    grid = {"compute.late_rate": [0.02, 0.2], "requirement.ooms": [5.0, 8.0, 14.0]}
    ds = sweep(fc.scenario, grid, draws=1000, seed=0, scheduler="sync")
    fig, ax = plot.sweep_heatmap(ds)
    med = ds.median_arrival.transpose("requirement.ooms", "compute.late_rate").values
    image = ax.get_images()[0].get_array()
    assert image.shape == med.shape
    np.testing.assert_allclose(image.filled(np.nan), np.where(np.isinf(med), np.nan, med))
    expected = [">2100" if np.isinf(v) else f"{v:.1f}" for v in med.ravel()]
    assert sorted(_texts(ax)) == sorted(expected)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.02", "0.2"]
    assert ax.get_xlabel() == "compute.late_rate (OOM/yr)"
    assert ax.get_ylabel() == "requirement.ooms (OOM above reference)"
    _check_saves(fig, tmp_path, "heatmap")
    fig, ax = plot.sweep_heatmap(ds, var="p_arrived", sel={"year": 2030.0})
    p = ds.p_arrived.sel(year=2030.0).transpose("requirement.ooms", "compute.late_rate")
    assert sorted(_texts(ax)) == sorted(f"{v:.0%}" for v in p.values.ravel())
    plt.close(fig)
    with pytest.raises(ValueError, match="sel must fix"):
        plot.sweep_heatmap(ds, var="p_arrived")
    with pytest.raises(ValueError, match="swept fields"):
        plot.sweep_heatmap(ds, x="compute.rate")


# -- calibration -------------------------------------------------------------------------------
def _synthetic_calibration(draws: int = 4000, breakpoint: bool = False):
    """Return a Calibration tree with known posterior draws (no sampler needed).

    Its posterior predictive is drawn from the calibration model's likelihood.
    """
    import xarray as xr

    from agi_timelines.calibrate import BREAK_WIDTH_YEARS, Calibration
    from agi_timelines.data import frontier_runs

    rng = np.random.default_rng(7)
    runs = frontier_runs()
    runs = runs[runs["date"] >= 2018]
    date = runs["date"].to_numpy()
    t_ref = 2023.2
    post = {
        "intercept": rng.normal(24.45, 0.05, draws),
        "slope": rng.normal(0.68, 0.03, draws),
        "sigma": rng.normal(0.45, 0.02, draws),
        "nu": rng.gamma(40, 0.5, draws),
    }
    mu = post["intercept"][:, None] + post["slope"][:, None] * (date - t_ref)
    if breakpoint:
        post["slope_early"] = rng.normal(0.9, 0.05, draws)
        post["break_year"] = rng.normal(2021.0, 0.3, draws)

        def hinge(z):
            return BREAK_WIDTH_YEARS * np.logaddexp(0, z / BREAK_WIDTH_YEARS)

        by = post["break_year"][:, None]
        bend = hinge(date - by) - hinge(t_ref - by)
        early = post["slope_early"][:, None]
        mu = post["intercept"][:, None] + early * (date - t_ref)
        mu = mu + (post["slope"][:, None] - early) * bend
    pp = mu + post["sigma"][:, None] * rng.standard_t(post["nu"][:, None], mu.shape)
    cd = {"chain": [0], "draw": np.arange(draws)}
    tree = xr.DataTree.from_dict(
        {
            "/posterior": xr.Dataset(
                {k: (("chain", "draw"), v[None]) for k, v in post.items()}, cd
            ),
            "/posterior_predictive": xr.Dataset(
                {"log10_flop": (("chain", "draw", "run"), pp[None])}, cd
            ),
            "/observed_data": xr.Dataset({"log10_flop": ("run", runs["log10_flop"].to_numpy())}),
            "/constant_data": xr.Dataset({"date": ("run", date), "reference_year": t_ref}),
        }
    )
    tree.attrs["seed"] = 7
    return Calibration(tree=tree)


@pytest.mark.parametrize("breakpoint", [False, True])
def test_calibration_band_matches_posterior_predictive(breakpoint):
    cal = _synthetic_calibration(breakpoint=breakpoint)
    date = cal.tree["constant_data"]["date"].values
    exact = cal.predictive_quantiles(date, [0.05, 0.5, 0.95])
    draws = cal.tree["posterior_predictive"]["log10_flop"].values.reshape(-1, date.size)
    empirical = np.quantile(draws, [0.05, 0.5, 0.95], axis=0)
    # Monte Carlo error of the empirical quantiles with 4000 draws is ~0.01-0.015 OOM
    assert np.abs(exact - empirical).mean() < 0.015
    assert np.abs(exact - empirical).max() < 0.08


def test_calibration_figure(tmp_path):
    cal = _synthetic_calibration(draws=1000)
    fig, ax = plot.calibration(cal)
    runs = next(c for c in ax.collections if isinstance(c, PathCollection))
    date = cal.tree["constant_data"]["date"].values
    np.testing.assert_allclose(runs.get_offsets()[:, 0], date)
    assert _legend(ax) == [
        f"frontier runs ({date.size})",
        "trend: median, 90%",
        "predictive: 50%, 90%",
    ]
    assert {"GPT-3", "GPT-4"} <= set(_texts(ax))
    assert ax.get_title(loc="left").startswith("slope 0.68 OOM/yr")
    _year_ticks_are_integers(ax)
    _check_saves(fig, tmp_path, "calibration")
    with pytest.raises(ValueError, match="Calibration"):
        plot.calibration(object())


@pytest.mark.slow
def test_calibration_figure_from_a_real_fit(tmp_path):
    from agi_timelines.calibrate import calibrate

    cal = calibrate(draws=300, chains=2, tune=300, seed=1)
    fig, _ = plot.calibration(cal)
    _check_saves(fig, tmp_path, "calibration")
