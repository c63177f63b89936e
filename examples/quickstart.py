"""Quickstart: the arrival-year distribution of the aschenbrenner-2024 preset.

Draws one million joint samples of every assumption (growth rates, slowdown years, caps,
the data wall, the requirement), solves each for its arrival year, and writes

* ``examples/output/quickstart.txt`` -- median, intervals, P(AGI by year), the ArviZ
  summary of every parameter, and the run's metadata (scenario, seed, versions);
* ``examples/output/arrival_cdf.{pdf,png}`` -- P(AGI by year), censored mass labelled
  (``--formats png``, as ``make demo`` asks: the PNG only);
* ``examples/output/forecast.nc`` -- every draw, with the scenario in its attributes
  (lossless zlib-compressed netCDF: about 141 MB for 1e6 draws, 184 MB uncompressed).

Run from the repository root (``make demo`` runs it and ``data_wall.py`` in one process,
``examples/demo.py``)::

    MPLBACKEND=Agg python examples/quickstart.py                 # 1e6 draws, seconds
    python examples/quickstart.py --draws 100000 --out /tmp/qs   # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import matplotlib

matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))

import matplotlib.pyplot as plt

import agi_timelines as agt
from agi_timelines import plot

YEARS = (2027, 2030, 2035, 2050, 2100)
"""Years of the P(AGI by year) table."""


def parser(description: str = __doc__.splitlines()[0]) -> argparse.ArgumentParser:
    """Build the examples' command line.

    ``data_wall.py`` uses it too, so ``examples/demo.py`` can pass its arguments to both.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--preset", default="aschenbrenner-2024")
    parser.add_argument("--draws", type=float, default=1e6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("examples/output"))
    parser.add_argument(
        "--formats", default="pdf,png", help="figure file formats, comma-separated (pdf,png)"
    )
    return parser


def main(argv: list[str] | None = None) -> agt.Forecast:
    """Run the example; returns the forecast (``examples/demo.py`` reuses it)."""
    args = parser().parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    formats = [f for f in args.formats.split(",") if f]

    scenario = agt.Scenario.preset(args.preset)
    start = time.perf_counter()
    fc = agt.forecast(scenario, draws=int(args.draws), seed=args.seed)
    seconds = time.perf_counter() - start

    lo50, hi50 = fc.interval(0.5)
    lo90, hi90 = fc.interval(0.9)
    lines = [
        f"scenario {scenario.name!r}: {fc.arrival.size:,} draws, seed {args.seed}, "
        f"{seconds:.1f} s (including compilation, unless already cached)",
        f"median arrival year      {float(fc.quantile(0.5)):.1f}",
        f"50% interval             [{lo50:.1f}, {hi50:.1f}]",
        f"90% interval             [{lo90:.1f}, {hi90:.1f}]   (inf: not by {scenario.horizon:g})",
        f"P(not by {scenario.horizon:g})           {fc.censored_fraction:.3f}",
        "",
        "P(AGI by year)",
        *(f"  {y}  {float(p):.3f}" for y, p in zip(YEARS, fc.prob_by(list(YEARS)), strict=True)),
        "",
        "ArviZ summary (median, MAD, 90% equal-tailed interval; censored share)",
        fc.summary(0.9).to_string(),
        "",
        "versions " + json.dumps(json.loads(fc.tree.attrs["versions"])),
    ]
    text = "\n".join(lines)
    print(text)
    (args.out / "quickstart.txt").write_text(text + "\n", encoding="utf-8")

    fig, _ = fc.plot.cdf()
    plot.save(fig, args.out / "arrival_cdf", formats)
    plt.close(fig)
    fc.to_netcdf(args.out / "forecast.nc")
    files = "/.".join(formats)
    print(f"\nwrote {args.out}/quickstart.txt, arrival_cdf.{files}, forecast.nc")
    return fc


if __name__ == "__main__":
    main()
