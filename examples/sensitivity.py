"""Which assumption matters?  Sensitivity of the aschenbrenner-2024 preset.

Prints the tornado table (one-at-a-time effects of fixing each random assumption at its
5th / 95th percentile, plus the global first-order index and rank correlation) and a
sweep table, and writes two figures into ``figures/`` (PDF and PNG):

* ``sensitivity_tornado`` -- median arrival year and P(AGI by 2030) when each
  assumption is fixed low / high, the others uncertain;
* ``sweep_median`` -- median arrival year over a grid of the requirement and the stock
  of usable text (the data wall).

Run from the repository root::

    MPLBACKEND=Agg python examples/sensitivity.py            # ~1-2 min on 2 cores
    python examples/sensitivity.py --draws 100000 --scheduler processes --out /tmp/figs
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

import agi_timelines as agt
from agi_timelines import plot, sensitivity, sweep, tornado_table

FIGURES = Path(__file__).resolve().parent.parent / "figures"
SWEEP = {
    "requirement.ooms": [4.0, 5.0, 6.0, 7.0, 8.0, 9.0],  # OOMs above GPT-4 needed for AGI
    "data_wall.stock_tokens": [1e13, 3e13, 1e14, 3e14, 1e15, 3e15],  # usable text, tokens
}
COLUMNS = {  # tornado_table column: (header, format)
    "low": ("low", "{:.5g}"),
    "high": ("high", "{:.5g}"),
    "median_low": ("median@low", "{:.2f}"),
    "median_high": ("median@high", "{:.2f}"),
    "swing_median": ("swing yr", "{:.2f}"),
    "p_low": ("P2030@low", "{:.3f}"),
    "p_high": ("P2030@high", "{:.3f}"),
    "s1": ("S1", "{:.3f}"),
    "spearman": ("spearman", "{:+.3f}"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=50_000, help="Monte Carlo draws")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scheduler", default="threads", help="threads, sync or processes")
    parser.add_argument("--out", type=Path, default=FIGURES, help="output folder")
    args = parser.parse_args()

    scenario = agt.Scenario.preset("aschenbrenner-2024")
    args.out.mkdir(parents=True, exist_ok=True)

    t = time.perf_counter()
    ds = sensitivity(scenario, draws=args.draws, seed=args.seed)
    t_sens = time.perf_counter() - t
    table = tornado_table(ds)
    shown = pd.DataFrame({head: table[col].map(fmt.format) for col, (head, fmt) in COLUMNS.items()})
    print(f"Sensitivity of {scenario.name} ({args.draws:,} draws, seed {args.seed}):")
    print(
        f"unchanged: median arrival {float(ds.median_arrival_base):.2f}, "
        f"P(AGI by {ds.attrs['year']:g}) = {float(ds.p_arrived_base):.3f}, "
        f"censored {ds.attrs['censored_fraction']:.1%}; sum of S1 = {ds.attrs['s1_sum']:.2f}"
    )
    print(shown.to_string())
    print(f"[sensitivity: {t_sens:.1f} s]")

    with plot.style():  # the house style for the figure itself too (spines, fonts)
        fig, (left, right) = plt.subplots(1, 2, figsize=(7.0, 3.2), sharey=True)
        plot.tornado(ds, ax=left, metric="median", s1=False)
        plot.tornado(ds, ax=right, metric="p_arrived")
        right.get_legend().remove()  # the same key as the left panel's
        print("wrote", *plot.save(fig, args.out / "sensitivity_tornado"))
    plt.close(fig)

    t = time.perf_counter()
    grid = sweep(scenario, SWEEP, draws=max(args.draws // 2, 1), seed=args.seed,
                 scheduler=args.scheduler)  # fmt: skip
    t_sweep = time.perf_counter() - t
    print(f"\nMedian arrival year over {' x '.join(SWEEP)} (inf: not by the horizon):")
    print(grid.median_arrival.round(2).to_pandas().to_string())
    print(f"[sweep of {grid.median_arrival.size} grid points: {t_sweep:.1f} s]")
    fig, _ = plot.sweep_heatmap(grid, x="requirement.ooms", y="data_wall.stock_tokens")
    print("wrote", *plot.save(fig, args.out / "sweep_median"))
    plt.close(fig)


if __name__ == "__main__":
    main()
