"""Cost of :func:`agi_timelines.sensitivity` going through the one pipeline.

Each one-at-a-time run is a full ``_engine.run`` (the seed blocks are drawn again -- from the
engine's cache of recent blocks while the run fits in it -- the calibrations resampled, then
solved).  The reference is the loop sensitivity had before: draw every parameter once, then
only re-solve with one column replaced (plus the same global indices).  Prints, from one
run (best of ``--repeat``), both wall times for each ``--draws`` and their ratio, and checks
that both give the same medians bit for bit.

Usage::

    python benchmarks/bench_sensitivity.py [--draws 20000 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from _timing import best

import agi_timelines as agt
from agi_timelines import sensitivity, stats
from agi_timelines._engine import calibrated_inputs, loaded_engine


def draw_once_solve_many(scn: agt.Scenario, draws: int, seed: int) -> np.ndarray:
    """Median arrival of each one-at-a-time run, the way sensitivity ran them before.

    And the same global indices (so both sides do the same work but for the draws).
    """
    fields = scn.random_fields()
    settings = {p: [float(f.ppf(0.05)), float(f.ppf(0.95))] for p, f in fields.items()}
    calibrated, _ = calibrated_inputs(scn, draws, seed)
    out = []
    with loaded_engine(scn) as eng:
        params = eng.draw(draws, seed) | calibrated
        base = eng.solve(params, draws, 2**18)["arrival_year"]
        for path in fields:
            for value in settings[path]:
                fixed = {**params, path: np.full(draws, value)}
                out.append(stats.quantile(eng.solve(fixed, draws, 2**18)["arrival_year"], [0.5]))
    x = np.column_stack([params[p] for p in fields])
    sys.modules["agi_timelines._sensitivity"]._global(list(fields), x, base, 2, seed)
    return np.concatenate(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=float, nargs="+", default=[2e4, 2e5])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scn = agt.Scenario.preset("aschenbrenner-2024")
    print(f"{'draws':>9}  {'pipeline s':>10}  {'draw-once s':>11}  ratio")
    for draws in (int(d) for d in args.draws):

        def pipeline(draws: int = draws) -> np.ndarray:
            ds = sensitivity(scn, draws=draws, seed=0, resamples=2)
            return ds.median_arrival.sel(parameter=list(scn.random_fields())).values.ravel()

        assert np.array_equal(pipeline(), draw_once_solve_many(scn, draws, 0))  # and warm
        new = best(pipeline, args.repeat)
        old = best(lambda draws=draws: draw_once_solve_many(scn, draws, 0), args.repeat)
        print(f"{draws:>9,}  {new:>10.2f}  {old:>11.2f}  {new / old:.2f}")


if __name__ == "__main__":
    main()
