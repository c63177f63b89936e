"""Calibrate the compute trend on Epoch AI's frontier runs, then forecast with it.

Fits the frontier training-compute trend (robust Student-t regression of log10 FLOP on
date, NUTS) on the bundled Epoch AI runs, and forecasts the ``epoch-trends`` preset twice
from the same seed: with ``compute.rate`` drawn from its prior, and from the calibrated
slope's posterior.  Writes

* ``examples/output/calibrate.txt`` -- the posterior summary, the slope in OOM/yr and as
  "x per year" with its 90% interval, the diagnostics, and the arrival-year quantiles
  prior-only vs calibrated;
* ``examples/output/calibration.{pdf,png}`` -- the runs with the posterior-predictive band
  of the frontier, and the calibrated forecast's physical-compute fan beyond the data.

Run from the repository root::

    MPLBACKEND=Agg python examples/calibrate.py                  # ~30 s on 2 cores
    python examples/calibrate.py --draws 100000 --out /tmp/cal   # quicker
"""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path

import matplotlib

matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))

import matplotlib.pyplot as plt
import numpy as np

import agi_timelines as agt
from agi_timelines import plot
from agi_timelines.model import physical_and_other

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
FAN_YEARS = np.linspace(2023.2, 2034.0, 44)  # from the reference run (GPT-4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="epoch-trends")
    parser.add_argument("--draws", type=float, default=1e6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--since", type=float, default=2018.0)
    parser.add_argument("--out", type=Path, default=Path("examples/output"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    cal = agt.calibrate(since=args.since, seed=args.seed)
    scenario = agt.Scenario.preset(args.preset)
    prior_only = scenario.model_copy(update={"calibration": None})
    draws = int(args.draws)
    fc_prior = agt.forecast(prior_only, draws=draws, seed=args.seed)
    fc_cal = agt.forecast(scenario, draws=draws, seed=args.seed, calibration=cal)

    slope = cal.slope.to_numpy().ravel()
    s_lo, s_mid, s_hi = np.quantile(slope, [0.05, 0.5, 0.95])
    g_lo, g_hi = cal.growth_factor_interval(0.9)
    rate_prior = scenario.compute.rate
    lines = [
        repr(cal),
        "",
        cal.summary().to_string(float_format=lambda x: f"{x:.4g}"),
        "",
        f"frontier compute slope: {s_mid:.3f} OOM/yr (90%: {s_lo:.3f}-{s_hi:.3f}) "
        f"= {10**s_mid:.2f}x per year (90%: {g_lo:.2f}x-{g_hi:.2f}x)",
        f"prior it replaces: compute.rate 90% {float(rate_prior.ppf(0.05)):.3f}-"
        f"{float(rate_prior.ppf(0.95)):.3f} OOM/yr",
        "",
        f"arrival year, {scenario.name!r}, {draws:,} draws, seed {args.seed} (inf: not by "
        f"{scenario.horizon:g})",
        f"{'':>12}" + "".join(f"{q:>9.0%}" for q in QUANTILES) + f"{'P(2030)':>9}",
    ]
    for label, fc in (("prior-only", fc_prior), ("calibrated", fc_cal)):
        qs = fc.quantile(list(QUANTILES)).values
        lines.append(
            f"{label:>12}" + "".join(f"{q:>9.2f}" for q in qs) + f"{fc.prob_by(2030):>9.3f}"
        )
    text = "\n".join(lines)
    print(text)
    (args.out / "calibrate.txt").write_text(text + "\n", encoding="utf-8")

    fig, ax = plot.calibration(cal)
    params = {k: v[:100_000] for k, v in fc_cal.parameters().items()}  # enough for bands
    c, _ = physical_and_other(scenario, params, FAN_YEARS[:, None], scenario.reference.year)
    log10_flop = math.log10(scenario.reference.flop) + np.asarray(c)
    lo90, lo50, mid, hi50, hi90 = np.quantile(log10_flop, QUANTILES, axis=1)
    color = plot.COLORS["forecast"]
    ax.fill_between(FAN_YEARS, lo90, hi90, color=color, alpha=0.2, lw=0)
    ax.fill_between(FAN_YEARS, lo50, hi50, color=color, alpha=0.35, lw=0)
    ax.plot(FAN_YEARS, mid, color=color, lw=1.2)
    ax.text(
        FAN_YEARS[-1],
        lo90[-1] - 0.3,
        "forecast from GPT-4\nphysical compute\n(50%, 90%)",
        ha="right",
        va="top",
        color=color,
        fontsize=6,
    )
    ax.autoscale(axis="x")
    plot.save(fig, args.out / "calibration")
    plt.close(fig)
    print(f"\nwrote {args.out}/calibrate.txt and calibration.pdf/.png")


if __name__ == "__main__":
    main()
