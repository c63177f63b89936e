"""Yearly bands of effective compute E(t) on a million draws.

The library against the straightforward implementation, in one run (ratios are what to compare
across machines).

Rows (aschenbrenner-2024, data wall on, 1e6 draws, seed 0):

* ``forecast`` -- drawing the forecast (second call in the process: compiled), the yardstick;
* ``straightforward E(t)`` -- one :func:`~agi_timelines.model.effective_compute` call per year
  on all draws, as ``Forecast.trajectory`` used to be;
* ``fc.trajectory`` -- the compiled loop (``_solver.effective_grid``; same numbers, checked
  here bit for bit);
* ``np.quantile`` -- five levels over the years x draws array, one call; and the same
  numbers from the library's ``bands.linear_quantiles`` (each row sorted in place, then read);
* ``fc.effective_ooms`` -- bands from a fresh forecast (evaluation + quantiles, bounded
  memory), and again (remembered);
* ``plot.fan`` -- the fan chart on its default grid (108 years, a fresh forecast), and again;
* ``wall-on/off error bars`` -- ``fc.error_bars(0.9, years)`` on the same grid.

Usage::

    python benchmarks/bench_bands.py [--draws 1000000] [--years 17]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from _timing import timed  # benchmarks/_timing.py, beside this file

import agi_timelines as agt
from agi_timelines.bands import linear_quantiles

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_bands import LEVELS, straightforward


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=float, default=1e6)
    parser.add_argument("--years", type=int, default=17, help="years of the E(t) rows")
    args = parser.parse_args()
    n = int(args.draws)
    scenario = agt.Scenario.preset("aschenbrenner-2024")
    agt.forecast(scenario, draws=1000, seed=0)  # compile
    t_fc, fc = timed(lambda: agt.forecast(scenario, draws=n, seed=0))
    years = np.arange(2024.0, 2024.0 + args.years)

    t_ref, ref = timed(lambda: straightforward(fc, years))
    t_traj, traj = timed(lambda: fc.trajectory(years))
    assert np.array_equal(traj, ref), "fc.trajectory differs from the straightforward E(t)"
    t_q, q_ref = timed(lambda: np.quantile(ref, LEVELS, axis=1))
    t_sorted, q_sorted = timed(lambda: linear_quantiles(ref, np.array(LEVELS)))  # sorts ref
    assert np.array_equal(q_sorted, q_ref), "linear_quantiles differs from np.quantile"
    fresh = agt.Forecast(fc.tree)
    t_bands, bands = timed(lambda: fresh.effective_ooms(years, LEVELS))
    assert np.array_equal(bands.values, q_ref.T), "effective_ooms differs from np.quantile"
    t_again, _ = timed(lambda: fresh.effective_ooms(years, LEVELS))

    fan_fc = agt.Forecast(fc.tree)
    t_fan, (fig, _) = timed(lambda: fan_fc.plot.fan())
    plt.close(fig)
    t_fan2, (fig, _) = timed(lambda: fan_fc.plot.fan())
    plt.close(fig)
    grid = np.linspace(scenario.reference.year, 2050.0, 108)
    t_eb, _ = timed(lambda: agt.Forecast(fc.tree).error_bars(0.9, grid))

    k = len(years)
    print(f"E(t) bands, aschenbrenner-2024, {n:,} draws, seed 0; load {os.getloadavg()[0]:.1f}")
    rows = [
        ("forecast (compiled)", t_fc, ""),
        (f"straightforward E(t), {k} years", t_ref, ""),
        (f"fc.trajectory, {k} years", t_traj, f"{t_ref / t_traj:.1f}x faster, same bits"),
        (f"np.quantile of {k} x {n:,}", t_q, ""),
        ("same, rows sorted (linear_quantiles)", t_sorted, f"{t_q / t_sorted:.1f}x faster, same"),
        (f"fc.effective_ooms, {k} years", t_bands, f"{(t_ref + t_q) / t_bands:.1f}x faster"),
        ("fc.effective_ooms again", t_again, "remembered"),
        ("plot.fan, 108 years", t_fan, f"{t_fan / t_fc:.1f}x the forecast"),
        ("plot.fan again", t_fan2, ""),
        ("fc.error_bars, 108 years", t_eb, f"{t_eb / t_fc:.1f}x the forecast"),
    ]
    for name, seconds, note in rows:
        print(f"  {name:<36} {seconds:7.2f} s  {note}")
    per_year = t_bands / k
    print(f"  bands per year of {n:,} draws: {per_year * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
