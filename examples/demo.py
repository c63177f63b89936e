"""``make demo``: the quickstart and the data-wall examples in one process.

The two examples share one forecast of the shipped preset (``data_wall.py`` reuses the
quickstart's instead of sampling the same draws again) and pay the imports once.  Figures
are written as PNG only (the README shows PNGs; ``make figures`` writes the paper PDFs, and
each example run on its own writes both).  Its options are the examples' own::

    MPLBACKEND=Agg python examples/demo.py                 # 1e6 draws
    python examples/demo.py --draws 100000 --out /tmp/demo   # quicker
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data_wall  # examples/data_wall.py
import quickstart  # examples/quickstart.py


def main(argv: list[str] | None = None) -> None:
    """Run the quickstart, then the data-wall example on its forecast."""
    # PNG unless asked otherwise: argparse keeps the last --formats given
    argv = ["--formats", "png", *(sys.argv[1:] if argv is None else argv)]
    fc = quickstart.main(argv)
    print()
    data_wall.main(argv, reuse=fc)


if __name__ == "__main__":
    main()
