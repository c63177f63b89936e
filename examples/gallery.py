"""Every figure of ``agi_timelines.plot`` for the aschenbrenner-2024 preset, as PDF and PNG.

Writes into ``figures/`` (created if missing; each file replaced atomically):

* ``arrival_cdf`` -- P(AGI by year), censored mass labelled;
* ``arrival_pdf`` -- arrival-year density (area = share arriving by 2100);
* ``fan`` -- effective compute E(t) against the requirement, data-wall shading, frontier runs;
* ``axes_stack`` / ``axes_stack_means`` -- what compute, algorithms, unhobbling add and the
  data wall takes away (medians and bands / stacked means);
* ``error_bars`` -- width of the 90% interval of E(t) with the data wall on and off;
* ``data_wall`` -- arrival CDF with the wall on and off (intervals below) over the E(t) fan;
* ``compare`` / ``compare_cdf`` -- the preset against three variants (common random numbers);
* ``parameters`` -- the input distributions (drawn by ArviZ);
* ``tornado`` / ``tornado_p2030`` -- one-at-a-time sensitivity (median arrival; P(AGI by
  2030)), with the global first-order index;
* ``sweep_heatmap`` -- median arrival over late compute growth x stock of usable text;
* ``calibration`` -- frontier runs with the calibrated trend and posterior-predictive band
  (a short NUTS fit; skip it with ``--no-calibration``);
* ``horizons`` -- METR's time horizons and their trend, extended by the ``metr-horizons``
  preset's horizon fan against its required horizon (a NUTS fit of the horizon trend; skipped
  with ``--no-calibration`` too).

The sensitivity, sweep and calibration runs are smaller than the forecast (see the constants
below) so the whole gallery stays under a minute on 2 cores.

Run from the repository root (``make figures``)::

    MPLBACKEND=Agg python examples/gallery.py                 # 2e5 draws, < 1 min on 2 cores
    python examples/gallery.py --draws 50000 --out /tmp/figs  # quicker
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))

import matplotlib.pyplot as plt

import agi_timelines as agt
from agi_timelines import CalibrationWarning, calibrate, compare, plot, sensitivity, sweep

PRESET = "aschenbrenner-2024"
VARIANTS = {
    "slower compute (0.3-0.5 OOM a year)": {"compute.rate": agt.ci90(0.3, 0.5)},
    "harder requirement (6-12 OOMs)": {"requirement.ooms": agt.ci90(6.0, 12.0)},
    "less text (5e12-1e14 tokens)": {"data_wall.stock_tokens": agt.ci90(5e12, 1e14)},
}
"""Variants of the preset for the comparison figures: one changed assumption each."""
SWEEP = {
    "compute.late_rate": [0.0, 0.05, 0.1, 0.2, 0.3],  # OOM/yr after the slowdown
    "data_wall.stock_tokens": [3e12, 1e13, 3e13, 1e14, 3e14],  # usable text, tokens
}
"""The two-field sweep of the heat map."""
ANALYSIS_DRAWS = 20_000
"""Draws per sensitivity run and per sweep grid point."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=200_000, help="Monte Carlo draws")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("figures"), help="output folder")
    parser.add_argument(
        "--no-calibration", action="store_true", help="skip the NUTS fits and their figures"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    scenario = agt.Scenario.preset(PRESET)
    fc = agt.forecast(scenario, draws=args.draws, seed=args.seed)
    print(f"{fc}  [{time.perf_counter() - start:.1f} s]")

    def write(name: str, draw: Callable[[], tuple[Any, Any]]) -> None:
        t = time.perf_counter()
        fig, _ = draw()
        paths = plot.save(fig, args.out / name)
        plt.close(fig)
        print(f"wrote {', '.join(str(p) for p in paths)}  [{time.perf_counter() - t:.1f} s]")

    write("arrival_cdf", lambda: plot.arrival_cdf(fc))
    write("arrival_pdf", lambda: plot.arrival_pdf(fc))
    write("fan", lambda: plot.fan(fc))
    write("axes_stack", lambda: plot.axes_stack(fc))
    write("axes_stack_means", lambda: plot.axes_stack(fc, kind="stacked"))
    write("error_bars", lambda: plot.error_bars(fc))
    write("data_wall", lambda: plot.data_wall(fc))
    write("parameters", lambda: plot.parameters(fc))

    scenarios = {"preset": scenario} | {
        name: scenario.replace(changes) for name, changes in VARIANTS.items()
    }
    comparison = compare(scenarios, draws=args.draws // 4, seed=args.seed)
    write("compare", lambda: plot.compare(comparison))
    write("compare_cdf", lambda: plot.compare(comparison, kind="cdf"))

    ds = sensitivity(scenario, draws=ANALYSIS_DRAWS, seed=args.seed)
    write("tornado", lambda: plot.tornado(ds))
    write("tornado_p2030", lambda: plot.tornado(ds, metric="p_arrived"))
    grid = sweep(scenario, SWEEP, draws=ANALYSIS_DRAWS, seed=args.seed, scheduler="sync")
    write("sweep_heatmap", lambda: plot.sweep_heatmap(grid))

    if not args.no_calibration:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CalibrationWarning)  # short run; figure only
            cal = calibrate(draws=500, chains=2, tune=500, seed=args.seed)
        write("calibration", lambda: plot.calibration(cal))
        horizon_fc = agt.forecast(
            agt.Scenario.preset("metr-horizons"), draws=args.draws // 4, seed=args.seed
        )
        write("horizons", lambda: plot.horizons(horizon_fc))
    print(f"total {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
