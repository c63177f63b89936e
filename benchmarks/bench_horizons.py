"""Wall time of the time-horizon route: the NUTS fit (cold and warm) and a forecast's overhead.

Run in a fresh process (``python benchmarks/bench_horizons.py``).  The first fit pays for
building and compiling the model (nutpie/numba); later fits reuse it.  The forecast part
times ``metr-horizons`` against ``aschenbrenner-2024`` (same growth axes and data wall; the
requirement is the only difference) after both are compiled and the fit is cached, and
prints the ratio from the same run.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=3, help="number of warm repetitions")
    parser.add_argument("--draws", type=int, default=1_000_000, help="forecast draws")
    args = parser.parse_args()

    import agi_timelines as agt
    from agi_timelines.horizons import calibrate_horizon

    def fit(**kwargs):  # -> (seconds, HorizonCalibration)
        begin = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # diagnostics are printed below
            cal = calibrate_horizon(**kwargs)
        return time.perf_counter() - begin, cal

    cold, cal = fit()
    warm = [fit(seed=seed)[0] for seed in range(1, args.warm + 1)]
    recent_time, recent = fit(since=2023.0)
    for label, c in (("since 2019", cal), ("since 2023", recent)):
        low, high = c.doubling_time_interval(0.9)
        print(
            f"{label}: doubling time median {float(c.doubling_time.median()):.1f} days "
            f"(90%: {low:.1f}-{high:.1f}), {c.diagnostics}"
        )
    print(
        f"fit: cold {cold:.1f} s, warm median {statistics.median(warm):.1f} s "
        f"({args.warm} runs), since-2023 fit {recent_time:.1f} s"
    )

    scenarios = {
        "aschenbrenner-2024": agt.Scenario.preset("aschenbrenner-2024"),
        "metr-horizons": agt.Scenario.preset("metr-horizons"),
    }
    times: dict[str, list[float]] = {name: [] for name in scenarios}
    for scenario in scenarios.values():
        agt.forecast(scenario, draws=1000, seed=0)  # compile (and fit, for the horizon route)
    for _ in range(args.warm):  # interleaved, so load from other processes hits both alike
        for name, scenario in scenarios.items():
            begin = time.perf_counter()
            agt.forecast(scenario, draws=args.draws, seed=0)
            times[name].append(time.perf_counter() - begin)
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, seconds in medians.items():
        print(f"forecast {name}: {args.draws:,} draws in {seconds:.2f} s (median of {args.warm})")
    ratio = medians["metr-horizons"] / medians["aschenbrenner-2024"]
    print(f"horizon route / ooms route: {ratio:.2f}x")


if __name__ == "__main__":
    main()
