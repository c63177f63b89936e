"""Wall time of :func:`agi_timelines.calibrate`, cold and warm.

Run in a fresh process (``python benchmarks/bench_calibrate.py [--breakpoint]``), so the
first call pays for building and compiling the model (nutpie/numba); later calls with the
same model structure reuse the compiled model and pay only for NUTS and the posterior
predictive draws. Default settings: bundled data, ``since=2018``, 4 chains x 1000 draws
(+1000 tuning). Target: cold fit under 30 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--breakpoint", action="store_true", help="fit the change-of-slope model")
    parser.add_argument("--warm", type=int, default=3, help="number of warm repetitions")
    args = parser.parse_args()

    start = time.perf_counter()
    from agi_timelines import calibrate

    imported = time.perf_counter() - start

    def fit(seed: int):  # -> (seconds, Calibration)
        begin = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # diagnostics are printed below
            cal = calibrate(seed=seed, breakpoint=args.breakpoint)
        return time.perf_counter() - begin, cal

    cold, cal = fit(0)
    warm = [fit(seed)[0] for seed in range(1, args.warm + 1)]
    low, high = cal.growth_factor_interval(0.9)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, breakpoint={args.breakpoint}")
    print(f"import agi_timelines.calibration : {imported:6.2f} s")
    print(f"cold calibrate() (compile+fit) : {cold:6.2f} s   (with import {imported + cold:.2f} s)")
    print(f"warm calibrate(), median of {len(warm)}  : {statistics.median(warm):6.2f} s")
    print(
        f"slope median {float(cal.slope.median()):.3f} OOM/yr = "
        f"{10 ** float(cal.slope.median()):.2f}x/yr, 90% [{low:.2f}x, {high:.2f}x]; "
        f"{cal.diagnostics}"
    )


if __name__ == "__main__":
    main()
