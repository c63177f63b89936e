"""The data wall: how the error bars change when training text runs out.

One forecast of the aschenbrenner-2024 preset (data wall on) carries, for the same draws,
the arrival year with the wall (``arrival_year``) and without it
(``arrival_year_no_wall``): common random numbers, so every difference below is the
wall's doing and not Monte Carlo noise.  Writes

* ``examples/output/data_wall.txt`` -- per year 2024-2040, the 90% band of effective
  compute E(t) with the wall on and off and its width; the arrival-year intervals both ways;
  P(AGI by year) both ways; how often the wall binds before arrival;
* ``examples/output/data_wall_fan.{pdf,png}`` -- E(t) bands with the wall on (shaded
  bands) and off (dashed), the requirement band and the wall region shaded (top); the width
  of the 90% interval of E(t) with the wall on and off (bottom).

Run from the repository root (``make demo`` does)::

    MPLBACKEND=Agg python examples/data_wall.py                 # 1e6 draws
    python examples/data_wall.py --draws 100000 --out /tmp/dw   # quicker
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import matplotlib

matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))

import matplotlib.pyplot as plt
import numpy as np

import agi_timelines as agt
from agi_timelines import plot
from agi_timelines.analysis import wall_binding_share

YEARS = np.arange(2024, 2041)
"""Years of the table (decimal years, start of each year)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="aschenbrenner-2024")
    parser.add_argument("--draws", type=float, default=1e6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("examples/output"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    scenario = agt.Scenario.preset(args.preset)
    if not scenario.data_wall.enabled:
        scenario = scenario.replace({"data_wall.enabled": True})
    fc = agt.forecast(scenario, draws=int(args.draws), seed=args.seed)
    bars = fc.error_bars(0.9, years=YEARS)
    on, off = bars.sel(wall="on"), bars.sel(wall="off")

    lines = [
        f"scenario {scenario.name!r}, {fc.arrival.size:,} draws, seed {args.seed}",
        "",
        "Effective compute E(t), OOMs above GPT-4: central 90% band with the data wall on",
        "and off (same draws), its width, and P(AGI by t) both ways",
        f"{'year':>6} {'on: 5%':>7} {'95%':>6} {'width':>6}   {'off: 5%':>7} {'95%':>6} "
        f"{'width':>6}   {'P on':>5} {'P off':>5}",
    ]
    for y in YEARS:
        a, b = on.sel(year=y), off.sel(year=y)
        lines.append(
            f"{y:>6} {float(a.ooms_lower):>7.2f} {float(a.ooms_upper):>6.2f} "
            f"{float(a.ooms_width):>6.2f}   {float(b.ooms_lower):>7.2f} "
            f"{float(b.ooms_upper):>6.2f} {float(b.ooms_width):>6.2f}   "
            f"{float(a.p_arrived):>5.3f} {float(b.p_arrived):>5.3f}"
        )
    lines += ["", "Arrival year (inf: not by the horizon)"]
    for prob in (0.5, 0.9):
        for wall in ("on", "off"):
            lo, hi = fc.arrival_interval(prob, wall)
            width = hi - lo
            lines.append(
                f"  wall {wall:<3} {prob:.0%} interval [{lo:.2f}, {hi:.2f}]  width {width:.2f} yr"
            )
    t_on, t_off = fc.arrival_draws("on"), fc.arrival_draws("off")
    lines += [
        f"  median: on {np.quantile(t_on, 0.5, method='inverted_cdf'):.2f}, "
        f"off {np.quantile(t_off, 0.5, method='inverted_cdf'):.2f}",
        f"  P(not by {scenario.horizon:g}): on {np.isinf(t_on).mean():.3f}, "
        f"off {np.isinf(t_off).mean():.3f}",
        f"  draws the wall delays: {np.mean(t_on > t_off):.3f}; "
        f"wall binds before arrival in {wall_binding_share(fc):.3f} of draws",
    ]
    text = "\n".join(lines)
    print(text)
    (args.out / "data_wall.txt").write_text(text + "\n", encoding="utf-8")

    with plot.style():
        fig, (top, bottom) = plt.subplots(
            2, 1, figsize=(4.5, 5.2), height_ratios=(2, 1), layout="constrained"
        )
    fc.plot_fan(top)  # wall on: bands, requirement, wall region shaded, frontier runs
    grid = np.linspace(scenario.reference.year, 2050.0, 108)
    off_bands = fc.effective_ooms(grid, (0.05, 0.5, 0.95), wall=False).values
    color = plot.COLORS["wall_off"]
    top.plot(grid, off_bands[:, 1], color=color, ls="--", lw=1.0, label="wall off: median")
    for k, label in ((0, "wall off: 90% band"), (2, None)):
        top.plot(grid, off_bands[:, k], color=color, ls=":", lw=0.9, label=label)
    fan_legend = top.get_legend()
    top.legend(
        handles=top.get_lines()[-3:-1],
        loc="upper left",
        fontsize=6,
        title="same draws",
        title_fontsize=6,
    )
    if fan_legend is not None:
        top.add_artist(fan_legend)  # keep the fan's own key too
    fc.plot_error_bars(bottom, years=grid)
    bottom.set_xlim(top.get_xlim())
    plot.save(fig, args.out / "data_wall_fan")
    plt.close(fig)
    print(f"\nwrote {args.out}/data_wall.txt and data_wall_fan.pdf/.png")


if __name__ == "__main__":
    main()
