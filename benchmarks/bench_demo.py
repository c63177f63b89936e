"""What ``make demo`` spends on summaries and the netCDF file, against what they replaced.

Prints, from one run (best of ``--repeat``, wall seconds; ratios from the same run):

* ``Forecast.summary()`` of a 1e6-draw forecast of aschenbrenner-2024 next to
  ``arviz_stats.summary(kind="stats_median")`` on the same tree (the numbers are the same,
  ``tests/test_summary.py``);
* ``Forecast.to_netcdf`` (ISA-L deflate, direct chunk writes) next to xarray writing the same
  tree and encoding through HDF5's zlib filter, with both files' sizes.

Usage::

    python benchmarks/bench_demo.py [--draws 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import warnings
from pathlib import Path

import numpy as np
from _timing import best

import agi_timelines as agt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=float, default=1e6)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    draws, repeat = int(args.draws), args.repeat
    fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=draws, seed=0)

    import arviz_stats

    def arviz() -> object:
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return arviz_stats.summary(
                fc.tree, group="prior", kind="stats_median", ci_prob=0.9, round_to="none"
            )

    ours = best(fc.summary, repeat)
    theirs = best(arviz, repeat)

    from agi_timelines._netcdf import DEFAULT_COMPRESSION, netcdf_encoding

    with tempfile.TemporaryDirectory() as tmp:
        mine, plain = Path(tmp) / "fc.nc", Path(tmp) / "xarray.nc"
        write = best(lambda: fc.to_netcdf(mine), repeat)
        encoding = netcdf_encoding(fc.tree, DEFAULT_COMPRESSION)
        hdf5 = best(lambda: fc.tree.to_netcdf(plain, engine="h5netcdf", encoding=encoding), repeat)
        sizes = mine.stat().st_size / 1e6, plain.stat().st_size / 1e6

    print(f"{'measure':<52} {'seconds':>8} {'ratio':>6}")
    print(f"{f'Forecast.summary(), {draws:.0e} draws':<52} {ours:>8.3f} {ours / theirs:>6.2f}")
    print(f"{'arviz_stats.summary(kind=stats_median), same tree':<52} {theirs:>8.3f}")
    print(
        f"{f'Forecast.to_netcdf (ISA-L), {sizes[0]:.1f} MB':<52} {write:>8.3f} {write / hdf5:>6.2f}"
    )
    print(f"{f'xarray + HDF5 zlib filter, same encoding, {sizes[1]:.1f} MB':<52} {hdf5:>8.3f}")


if __name__ == "__main__":
    main()
