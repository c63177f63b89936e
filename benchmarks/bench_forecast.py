"""Benchmark of :func:`agi_timelines.forecast` (SPEC section 7 budgets).

Prints one table, from one run:

* warm library time per 1e6 draws (second call in the process) and the independent numpy
  reference (``reference_numpy.py``) per 1e6, and their ratio (aschenbrenner-2024, wall off;
  the preset as shipped too if it turns the wall on);
* the first forecast in a fresh process (graph build + compilation; target < 10 s), with the
  default compile cache as found -- the table says whether it was warm (no new cache files)
  -- and again right after (warm cache for sure); ``--cold`` adds a run with an empty
  temporary compile cache;
* naive ``pm.sample_prior_predictive`` on a scalar model (``build_model(s, draws=1)``),
  time per 1e5 draws and the ratio to the library's per-1e5 time (target >= 20x);
* 1e7 draws in chunks in a subprocess: wall time and peak resident memory
  (``resource.getrusage`` max RSS; target < 2 GiB).

Usage::

    python benchmarks/bench_forecast.py [--naive-draws 100000] [--big-draws 10000000] [--cold]
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

GIB = 2**30
PRESET = "aschenbrenner-2024"

_SCENARIO_CODE = f"""
import time
_T_START = time.perf_counter()
import agi_timelines as agt
_T_IMPORTED = time.perf_counter()
def scenario(wall):
    s = agt.Scenario.preset({PRESET!r})
    if not wall and s.data_wall.enabled:
        s = s.replace({{"data_wall.enabled": False}})
    return s
"""


def _run_child(code: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; it prints one JSON line last."""
    full = textwrap.dedent(_SCENARIO_CODE) + textwrap.dedent(code)
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


def _cache_files(base: Path) -> int:
    path = base / "numba"
    return sum(len(files) for _, _, files in os.walk(path)) if path.exists() else 0


def first_call(wall: bool, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Import time, first and second forecast (10,000 draws) in a fresh process."""
    code = f"""
    import json
    import pytensor
    t0, t1 = _T_START, _T_IMPORTED
    s = scenario({wall!r})
    t2 = time.perf_counter()
    agt.forecast(s, draws=10_000, seed=0)
    t3 = time.perf_counter()
    agt.forecast(s, draws=10_000, seed=1)
    t4 = time.perf_counter()
    print(json.dumps({{"import": t1 - t0, "first": t3 - t2, "second": t4 - t3,
                      "base_compiledir": str(pytensor.config.base_compiledir),
                      "wall": s.data_wall.enabled}}))
    """
    return _run_child(code, env)


def big_run(draws: int, wall: bool = False) -> dict[str, Any]:
    """``draws`` draws in the default chunks in a fresh process: time and peak RSS."""
    code = f"""
    import json, resource, time
    import agi_timelines as agt
    s = scenario({wall!r})
    agt.forecast(s, draws=1_000, seed=0)  # compile first
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    t = time.perf_counter()
    fc = agt.forecast(s, draws={draws}, seed=0)
    secs = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    nbytes = sum(v.nbytes for v in fc.draws.data_vars.values())
    print(json.dumps({{"seconds": secs, "peak": peak, "before": before, "result": nbytes,
                      "p2030": fc.prob_by(2030), "wall": s.data_wall.enabled,
                      "nvars": len(fc.draws.data_vars)}}))
    """
    return _run_child(code)


def _best_time(fn: Any, repeat: int) -> float:
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive-draws", type=int, default=100_000)
    parser.add_argument("--big-draws", type=int, default=10_000_000)
    parser.add_argument("--cold", action="store_true", help="also time an empty compile cache")
    args = parser.parse_args(argv)

    rows: list[tuple[str, str, str]] = []

    def row(name: str, value: str, note: str = "") -> None:
        rows.append((name, value, note))
        print(f"  {name}: {value}  {note}", file=sys.stderr, flush=True)

    # 1. first forecast in a fresh process (run before this process compiles anything)
    import pytensor

    base = Path(pytensor.config.base_compiledir)
    for wall in (False, True):
        n0 = _cache_files(base)
        res = first_call(wall)
        if wall and not res["wall"]:
            break  # the preset has no wall: nothing more to time
        new = _cache_files(base) - n0
        state = "warm (no new cache files)" if new == 0 else f"cold-ish ({new} new cache files)"
        label = "wall on" if res["wall"] else "wall off"
        row(
            f"first forecast, fresh process, {label}",
            f"{res['first']:.2f} s",
            f"cache as found: {state}; target < 10 s; import {res['import']:.1f} s",
        )
        res2 = first_call(wall)
        row(
            f"first forecast, fresh process, {label}, warm cache",
            f"{res2['first']:.2f} s",
            f"second call {res2['second'] * 1e3:.0f} ms (10k draws)",
        )
        if args.cold:
            with tempfile.TemporaryDirectory() as tmp:
                res3 = first_call(wall, env={"PYTENSOR_FLAGS": f"base_compiledir={tmp}"})
            row(
                f"first forecast, fresh process, {label}, EMPTY cache",
                f"{res3['first']:.2f} s",
                "fresh temporary compile cache",
            )

    # 2. warm library and numpy reference per 1e6 draws
    from reference_numpy import reference_forecast

    import agi_timelines as agt

    s_off = agt.Scenario.preset(PRESET)
    shipped = s_off
    if s_off.data_wall.enabled:
        s_off = s_off.replace({"data_wall.enabled": False})
    agt.forecast(s_off, draws=1_000_000, seed=0)  # first call: compile
    lib_1e6 = _best_time(lambda: agt.forecast(s_off, draws=1_000_000, seed=1), 3)
    row("library, 1e6 draws (warm), wall off", f"{lib_1e6:.3f} s")
    ref_1e6 = _best_time(lambda: reference_forecast(s_off, draws=1_000_000, seed=1), 3)
    row(
        "numpy reference, 1e6 draws, wall off",
        f"{ref_1e6:.3f} s",
        "vectorised bisection to 1e-6 yr",
    )
    row("ratio numpy reference / library", f"{ref_1e6 / lib_1e6:.1f}x", "> 1: library faster")
    if shipped.data_wall.enabled:
        agt.forecast(shipped, draws=100_000, seed=0)
        wall_1e6 = _best_time(lambda: agt.forecast(shipped, draws=1_000_000, seed=1), 2)
        row(
            "library, 1e6 draws (warm), preset as shipped (wall on)",
            f"{wall_1e6:.3f} s",
            "includes the wall-off re-solve",
        )

    # 3. naive prior predictive on a scalar model
    import pymc as pm

    lib_1e5 = _best_time(lambda: agt.forecast(s_off, draws=100_000, seed=2), 5)
    row("library, 1e5 draws (warm), wall off", f"{lib_1e5 * 1e3:.1f} ms")
    model = agt.build_model(s_off, draws=1)
    with model:
        t = time.perf_counter()
        pm.sample_prior_predictive(draws=10, random_seed=0)
        overhead = time.perf_counter() - t
        t = time.perf_counter()
        pm.sample_prior_predictive(draws=args.naive_draws, random_seed=0)
        naive = time.perf_counter() - t
    per_1e5 = naive * 1e5 / args.naive_draws
    marginal = (naive - overhead) * 1e5 / args.naive_draws
    row(
        f"naive pm.sample_prior_predictive ({args.naive_draws:.0e} draws), per 1e5",
        f"{per_1e5:.1f} s",
        f"of which per-call compile ~{overhead:.1f} s",
    )
    row(
        "ratio naive / library (per 1e5)",
        f"{per_1e5 / lib_1e5:.0f}x",
        f"excluding naive's compile: {marginal / lib_1e5:.0f}x; target >= 20x",
    )

    # 4. 1e7 draws in chunks: peak memory (wall off; and the preset as shipped if wall on)
    for wall in (False, True):
        if wall and not shipped.data_wall.enabled:
            break
        big = big_run(args.big_draws, wall)
        label = "wall on" if wall else "wall off"
        row(
            f"library, {args.big_draws:.0e} draws (chunked), {label}",
            f"{big['seconds']:.1f} s",
            f"P(by 2030) = {big['p2030']:.4f}",
        )
        row(
            f"peak RSS of the process, {args.big_draws:.0e} draws, {label}",
            f"{big['peak'] / GIB:.2f} GiB",
            f"before the run {big['before'] / GIB:.2f} GiB; result arrays "
            f"{big['result'] / GIB:.2f} GiB ({big['nvars']} variables); target < 2 GiB",
        )

    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print()
    print(f"{'measurement':<{width}}  {'value':>{vwidth}}  note")
    print("-" * (width + vwidth + 40))
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>{vwidth}}  {note}")
    print(
        f"\n(python {sys.version.split()[0]}, {os.cpu_count()} CPUs, agi_timelines "
        f"{agt.__version__}, pymc {pm.__version__}, pytensor {pytensor.__version__})"
    )


if __name__ == "__main__":
    main()
