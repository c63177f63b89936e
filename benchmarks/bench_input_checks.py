"""Cost of the input checks: the NaN guard of a forecast and a scenario's validation.

Prints, from one run (best of ``--repeat``):

* a warm 1e6-draw forecast of aschenbrenner-2024 with its NaN guard (every draw's outputs
  and parameters scanned for NaN) and with the guard switched off, and their ratio;
* a warm 1e6-draw netCDF write (serialised in memory, then written atomically) next to
  xarray writing the same tree, same compression, straight to a file, and their ratio;
* one ``Scenario.replace`` (the validation a sweep pays per grid point) and one
  ``Scenario.preset`` load, in milliseconds.

Usage::

    python benchmarks/bench_input_checks.py [--draws 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
from pathlib import Path

from _timing import best

import agi_timelines as agt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=float, default=1e6)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    draws, repeat = int(args.draws), args.repeat
    fmod = importlib.import_module("agi_timelines._engine")  # the engine calls the guard
    scn = agt.Scenario.preset("aschenbrenner-2024")

    def run() -> agt.Forecast:
        return agt.forecast(scn, draws=draws, seed=0)

    fc = run()  # compile
    guarded = best(run, repeat)
    guard = fmod._has_nan  # each seed block's check; the full pass runs only after a hit
    fmod._has_nan = lambda *a: False
    try:
        unguarded = best(run, repeat)
    finally:
        fmod._has_nan = guard

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "fc.nc"
        safe = best(lambda: fc.to_netcdf(target), repeat)
        from agi_timelines._netcdf import DEFAULT_COMPRESSION, netcdf_encoding

        encoding = netcdf_encoding(fc.tree, DEFAULT_COMPRESSION)  # what to_netcdf writes
        direct = best(
            lambda: fc.tree.to_netcdf(target, engine="h5netcdf", encoding=encoding), repeat
        )

    replace = best(lambda: scn.replace({"compute.rate": agt.ci90(0.3, 0.6)}), 20 * repeat)
    preset = best(lambda: agt.Scenario.preset("aschenbrenner-2024"), 20 * repeat)

    print(f"{'measure':<44} {'seconds':>10} {'ratio':>7}")
    print(f"{f'forecast {draws:.0e} draws, NaN guard on':<44} {guarded:>10.4f} {'':>7}")
    print(
        f"{f'forecast {draws:.0e} draws, NaN guard off':<44} {unguarded:>10.4f} "
        f"{guarded / unguarded:>7.3f}"
    )
    print(f"{'to_netcdf (in memory, then atomic)':<44} {safe:>10.4f} {'':>7}")
    print(f"{'xarray to_netcdf straight to the file':<44} {direct:>10.4f} {safe / direct:>7.3f}")
    print(f"{'Scenario.replace (one field)':<44} {replace:>10.4f}")
    print(f"{'Scenario.preset':<44} {preset:>10.4f}")


if __name__ == "__main__":
    main()
