"""Benchmark of :func:`agi_timelines.forecast`: every figure of the performance table, one run.

Rows (library / reference ratios are measured in this same run; best of a few repeats, the
library's and the reference's alternating):

* the preset (aschenbrenner-2024) with the wall on and off, 1e6 draws, compiled engine warm,
  against a plain-numpy baseline (``baseline_numpy.py``: closed-form brackets and
  interpolation without the wall, vectorised Newton with it; it samples with the tests'
  independent reference, ``tests/reference_numpy.py``);
* a 3-prior model (``compute.rate``, ``algorithms.rate``, ``requirement.ooms``; no slowdown,
  no cap), 1e6 draws, against plain numpy of the same expression
  ``t0 + R / (r_c + r_a)``;
* the first forecast in a new process, wall on: with empty compile caches (a fresh
  ``HOME``, an empty PyTensor compiledir and an empty Numba cache directory) and again
  with the caches that run left behind;
* 1e7 draws with the wall on, default settings: time and peak resident memory;
* 1 vs 2 workers on a 1e6 forecast (bit-identical results checked);
* a sweep of 100 variants x 1e5 draws of the preset (threads);
* naive ``pm.sample_prior_predictive`` on a scalar model, per 1e5 draws, against the library.

Prints the table (and a Markdown version for the README) and writes it as JSON.

Usage::

    python benchmarks/bench_forecast.py [--json benchmarks/bench_forecast.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _timing import best, best_pair  # noqa: E402 (benchmarks/ is on the path from here)

GIB = 2**30
PRESET = "aschenbrenner-2024"
Z95 = 1.6448536269514722

_CHILD_HEAD = f"""
import json, resource, time
_T_START = time.perf_counter()
import agi_timelines as agt
_T_IMPORTED = time.perf_counter()
PRESET = agt.Scenario.preset({PRESET!r})
"""


def _run_child(code: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; it prints one JSON line last."""
    full = textwrap.dedent(_CHILD_HEAD) + textwrap.dedent(code)
    proc = subprocess.run(
        [sys.executable, "-c", full],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def three_prior_scenario() -> Any:
    import agi_timelines as agt

    return agt.Scenario.from_dict(
        {
            "name": "three-priors",
            "compute": {"rate": {"kind": "ci90", "lo": 0.4, "hi": 0.75}},
            "algorithms": {"rate": {"kind": "ci90", "lo": 0.25, "hi": 0.65}},
            "unhobbling": {"rate": 0.0},
            "requirement": {"ooms": {"kind": "ci90", "lo": 4.0, "hi": 9.0}},
        }
    )


def plain_numpy_three(draws: int, seed: int) -> np.ndarray:
    """Return the 3-prior model in plain numpy.

    Arrival ``t0 + R / (r_c + r_a)`` (censored at 2100).
    """
    rng = np.random.default_rng(seed)

    def ci90(lo: float, hi: float) -> np.ndarray:
        a, b = np.log(lo), np.log(hi)
        return rng.lognormal((a + b) / 2, (b - a) / (2 * Z95), draws)

    rc, ra, req = ci90(0.4, 0.75), ci90(0.25, 0.65), ci90(4.0, 9.0)
    t = 2023.2 + req / (rc + ra)
    return np.where(t <= 2100.0, t, np.inf)


def thread_control() -> float:
    """Speed-up of ``np.exp`` (releases the GIL) from 1 to 2 threads.

    What the machine's free cores allow right now.
    """
    from concurrent.futures import ThreadPoolExecutor

    x = np.random.default_rng(0).standard_normal(2**21)

    def work(_: int) -> None:
        for _ in range(4):
            np.exp(x)

    def run(workers: int) -> None:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(work, range(8)))

    return best(lambda: run(1), 3) / best(lambda: run(2), 3)


def first_forecast(env: dict[str, str]) -> dict[str, Any]:
    """Import, first and second forecast (10,000 draws, wall on) in a fresh process."""
    return _run_child(
        """
        t2 = time.perf_counter()
        agt.forecast(PRESET, draws=10_000, seed=0)
        t3 = time.perf_counter()
        agt.forecast(PRESET, draws=10_000, seed=1)
        t4 = time.perf_counter()
        print(json.dumps({"import": _T_IMPORTED - _T_START, "first": t3 - t2,
                          "second": t4 - t3}))
        """,
        env,
    )


def big_run(draws: int) -> dict[str, Any]:
    """``draws`` draws of the preset (wall on), default settings, in a fresh process."""
    return _run_child(
        f"""
        agt.forecast(PRESET, draws=1_000, seed=0)  # compile first
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        t = time.perf_counter()
        fc = agt.forecast(PRESET, draws={draws}, seed=0)
        secs = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        nbytes = sum(v.nbytes for v in fc.draws.data_vars.values())
        print(json.dumps({{"seconds": secs, "peak": peak, "before": before, "result": nbytes,
                          "p2030": fc.prob_by(2030), "nvars": len(fc.draws.data_vars),
                          "dtype": str(fc.draws["compute_rate"].dtype)}}))
        """
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=HERE / "bench_forecast.json")
    parser.add_argument("--big-draws", type=int, default=10_000_000)
    parser.add_argument("--naive-draws", type=int, default=10_000)
    args = parser.parse_args(argv)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    rows: list[dict[str, Any]] = []

    def row(figure: str, value: str, target: str, note: str = "", **numbers: Any) -> None:
        rows.append({"figure": figure, "value": value, "target": target, "note": note, **numbers})
        print(f"  {figure}: {value}  (target {target}) {note}", file=sys.stderr, flush=True)

    # 1. first forecast in a new process: empty caches, then the caches it left behind
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "HOME": tmp,
            "PYTENSOR_FLAGS": f"base_compiledir={tmp}/pytensor",
            "NUMBA_CACHE_DIR": f"{tmp}/numba",
        }
        cold = first_forecast(env)
        warm = first_forecast(env)
    row(
        "first forecast in a new process, wall on, empty compile caches",
        f"{cold['first']:.2f} s",
        "<= 5 s",
        f"fresh HOME, PyTensor compiledir and Numba cache; import {cold['import']:.1f} s more",
        seconds=cold["first"],
        import_seconds=cold["import"],
    )
    row(
        "same, warm compile cache",
        f"{warm['first']:.2f} s",
        "<= 1.5 s",
        f"second forecast {warm['second'] * 1e3:.0f} ms (10k draws)",
        seconds=warm["first"],
    )

    # 2. warm 1e6 against the numpy reference, wall on and off; the 3-prior model
    from baseline_numpy import baseline_forecast

    import agi_timelines as agt

    preset = agt.Scenario.preset(PRESET)
    for label, scn in (("on", preset), ("off", preset.replace({"data_wall.enabled": False}))):
        agt.forecast(scn, draws=100_000, seed=0)
        lib, ref = best_pair(
            lambda scn=scn: agt.forecast(scn, draws=1_000_000, seed=1),
            lambda scn=scn: baseline_forecast(scn, draws=1_000_000, seed=1),
            5,
        )
        row(
            f"preset, wall {label}, warm 1e6 draws",
            f"{lib:.3f} s = {lib / ref:.2f}x numpy ({ref:.3f} s)",
            "<= 0.5x numpy",
            "numpy: closed-form brackets + interpolation"
            + (", Newton with the wall" if label == "on" else ""),
            seconds=lib,
            numpy_seconds=ref,
            ratio=lib / ref,
        )
    three = three_prior_scenario()
    agt.forecast(three, draws=100_000, seed=0)
    lib, ref = best_pair(
        lambda: agt.forecast(three, draws=1_000_000, seed=1),
        lambda: plain_numpy_three(1_000_000, 1),
        5,
    )
    row(
        "3-prior model, warm 1e6 draws",
        f"{lib:.3f} s = {lib / ref:.2f}x plain numpy ({ref:.3f} s)",
        "<= 2x plain numpy",
        "compute.rate, algorithms.rate, requirement.ooms; no slowdown, no cap",
        seconds=lib,
        numpy_seconds=ref,
        ratio=lib / ref,
    )

    # 3. 1e7 draws, wall on, default settings: peak memory
    big = big_run(args.big_draws)
    row(
        f"{args.big_draws:.0e} draws, wall on, peak memory",
        f"{big['peak'] / GIB:.2f} GiB",
        "<= 1.5 GiB with default settings",
        f"{big['seconds']:.1f} s; stored draws {big['result'] / GIB:.2f} GiB "
        f"({big['nvars']} variables, parameters {big['dtype']}); process before "
        f"{big['before'] / GIB:.2f} GiB",
        peak_bytes=big["peak"],
        seconds=big["seconds"],
    )

    # 4. both cores
    try:
        one = agt.forecast(preset, draws=1_000_000, seed=3, workers=1)
    except TypeError:  # a library without workers=
        row("both cores: 1 -> 2 workers, preset 1e6", "n/a (no workers=)", ">= 1.6x")
    else:
        two = agt.forecast(preset, draws=1_000_000, seed=3, workers=2)
        same = all(
            one.draws[k].values.tobytes() == two.draws[k].values.tobytes()
            for k in one.draws.data_vars
        )
        t1 = best(lambda: agt.forecast(preset, draws=1_000_000, seed=1, workers=1), 3)
        t2 = best(lambda: agt.forecast(preset, draws=1_000_000, seed=1, workers=2), 3)
        control = thread_control()
        row(
            "both cores: 1 -> 2 workers, preset 1e6",
            f"{t1 / t2:.2f}x ({t1:.3f} s -> {t2:.3f} s)",
            ">= 1.6x, bit-identical",
            ("bit-identical" if same else "RESULTS DIFFER")
            + f"; control, np.exp on 1 -> 2 threads: {control:.2f}x (what the machine allows)",
            speedup=t1 / t2,
            bit_identical=same,
            control_speedup=control,
        )

    # 5. sweep of 100 variants x 1e5 draws
    from agi_timelines import sweep

    grid = {
        "compute.late_rate": np.linspace(0.02, 0.2, 10).tolist(),
        "requirement.ooms": np.linspace(4.0, 9.0, 10).tolist(),
    }
    sweep(preset, {"compute.late_rate": [0.05, 0.1]}, draws=1_000)
    t = time.perf_counter()
    sweep(preset, grid, draws=100_000, seed=0)
    secs = time.perf_counter() - t
    row(
        "sweep, 100 variants x 1e5 draws, preset",
        f"{secs:.1f} s",
        "<= 10 s",
        "threads",
        seconds=secs,
    )

    # 6. naive prior predictive on a scalar model
    import pymc as pm

    off = preset.replace({"data_wall.enabled": False})
    lib_1e5 = best(lambda: agt.forecast(off, draws=100_000, seed=2), 5)
    model = agt.build_model(off, draws=1)
    with model:
        t = time.perf_counter()
        pm.sample_prior_predictive(draws=args.naive_draws, random_seed=0)
        naive = (time.perf_counter() - t) * 1e5 / args.naive_draws
    row(
        "naive pm.sample_prior_predictive, wall off, per 1e5 draws",
        f"{naive:.1f} s = {naive / lib_1e5:.0f}x the library ({lib_1e5 * 1e3:.0f} ms)",
        ">= 20x",
        seconds=naive,
        ratio=naive / lib_1e5,
    )

    import pytensor

    env_line = (
        f"python {sys.version.split()[0]}, {cores} cores, agi_timelines {agt.__version__}, "
        f"pymc {pm.__version__}, pytensor {pytensor.__version__}"
    )
    width = max(len(r["figure"]) for r in rows)
    vwidth = max(len(r["value"]) for r in rows)
    print(f"\n{'figure':<{width}}  {'value':<{vwidth}}  target")
    print("-" * (width + vwidth + 30))
    for r in rows:
        print(f"{r['figure']:<{width}}  {r['value']:<{vwidth}}  {r['target']}")
    print(f"\n({env_line})\n\nMarkdown:\n\n| figure | measured | target |\n|---|---|---|")
    for r in rows:
        print(f"| {r['figure']} | {r['value']} | {r['target']} |")
    args.json.write_text(
        json.dumps({"environment": env_line, "cores": cores, "rows": rows}, indent=1)
    )
    print(f"\nwritten {args.json}")


if __name__ == "__main__":
    main()
