"""The data wall: how the error bars widen when training text runs out.

One forecast of the aschenbrenner-2024 preset (data wall on, binding pretraining effective
compute) carries, for the same draws, the arrival year with the wall (``arrival_year``) and
without it (``arrival_year_no_wall``): common random numbers, so every difference below is
the wall's doing and not Monte Carlo noise.  Writes

* ``examples/output/data_wall.txt`` -- the arrival-year intervals and P(AGI by year) with
  the wall on and off, and given that the wall binds before arrival; what the wall does
  (how often it binds, breaks through, delays, and by how much); the same for the weaker
  variant in which the wall binds physical compute only; and per year 2024-2040 the 90%
  band of effective compute E(t) both ways;
* ``examples/output/data_wall_fan.{pdf,png}`` -- :func:`agi_timelines.plot.data_wall`: the
  arrival distribution wall on vs off with its intervals (top) and the E(t) fan with and
  without the wall (bottom) (``--formats png``, as ``make demo`` asks: the PNG only).

Run from the repository root (``make demo`` runs it after ``quickstart.py`` in one process,
``examples/demo.py``, and reuses the quickstart's forecast when it is the same run)::

    MPLBACKEND=Agg python examples/data_wall.py                 # 1e6 draws
    python examples/data_wall.py --draws 100000 --out /tmp/dw   # quicker
"""

from __future__ import annotations

import os

import matplotlib

matplotlib.use(os.environ.get("MPLBACKEND", "Agg"))

import matplotlib.pyplot as plt
import numpy as np
from quickstart import parser  # the same options (examples/quickstart.py, beside this file)

import agi_timelines as agt
from agi_timelines import plot, stats

YEARS = np.arange(2024, 2041)
"""Years of the E(t) table (decimal years, start of each year)."""

P_YEARS = (2027.0, 2030.0, 2035.0, 2050.0)
"""Years of the P(AGI by year) columns."""


def _year(x: float, horizon: float) -> str:
    return f"after {horizon:g}" if np.isinf(x) else f"{x:.2f}"


def _rows(fc: agt.Forecast, label: str) -> list[str]:
    """One line per wall setting: median, 50% and 90% intervals, P(by year)."""
    horizon = fc.scenario.horizon
    bars = fc.error_bars(0.9, years=[])  # the arrival variables only: no E(t) bands
    lines = []
    for wall, on in (("on", True), ("off", False)):
        b = bars.sel(wall=wall)
        q25, q75 = fc.arrival_interval(0.5, on)
        p_by = stats.prob_by(fc.arrival_draws(on), P_YEARS)
        probs = "  ".join(f"{p:.3f}" for p in p_by)
        lines.append(
            f"  {label:<22} wall {wall:<3}  median {_year(float(b.arrival_median), horizon):>10}"
            f"  50% [{_year(q25, horizon)}, {_year(q75, horizon)}] width "
            f"{float(b.arrival_width_50):5.2f}  90% [{_year(float(b.arrival_lower), horizon)}, "
            f"{_year(float(b.arrival_upper), horizon)}]   P {probs}"
        )
    return lines


def _effect(fc: agt.Forecast, label: str) -> str:
    e = fc.wall_effect()
    return (
        f"  {label:<22} binds before arrival {e['binds']:.3f}, broken through by the horizon "
        f"{e['broken_through']:.3f}, delays {e['delayed']:.3f} of draws; delay among the "
        f"delayed: median {e['delay_median']:.2f} yr, 90% [{e['delay_lower']:.2f}, "
        f"{_year(e['delay_upper'], fc.scenario.horizon)}]"
    )


def main(argv: list[str] | None = None, reuse: agt.Forecast | None = None) -> None:
    """Run the example.

    ``reuse``: a forecast of the same scenario, draws and seed (the quickstart's), used
    instead of sampling it again.
    """
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    formats = [f for f in args.formats.split(",") if f]

    scenario = agt.Scenario.preset(args.preset)
    if not scenario.data_wall.enabled:
        scenario = scenario.replace({"data_wall.enabled": True})
    draws = int(args.draws)
    same = (
        reuse is not None
        and reuse.scenario == scenario
        and reuse.arrival.size == draws
        and reuse.seed == args.seed
    )
    fc = reuse if same else agt.forecast(scenario, draws=draws, seed=args.seed)
    physical = agt.forecast(
        scenario.replace({"data_wall.binds": "physical"}), draws=draws, seed=args.seed
    )
    bites = fc.given(wall_binds=True)

    head = "  ".join(f"{y:g}" for y in P_YEARS)
    lines = [
        f"scenario {scenario.name!r}, {fc.arrival.size:,} draws, seed {args.seed}; "
        f"the wall binds {scenario.data_wall.binds} compute by default",
        "",
        f"Arrival year (same draws, wall on vs off); P = P(AGI by {head})",
        *_rows(fc, "binds pretraining"),
        *_rows(bites, f"given it binds ({bites.arrival.size / fc.arrival.size:.0%})"),
        *_rows(physical, "binds physical only"),
        "",
        "What the wall does",
        _effect(fc, "binds pretraining"),
        _effect(physical, "binds physical only"),
        "",
        "Effective compute E(t), OOMs above GPT-4: central 90% band with the data wall on",
        "and off (same draws), its width, and P(AGI by t) both ways (binds pretraining)",
        f"{'year':>6} {'on: 5%':>7} {'95%':>6} {'width':>6}   {'off: 5%':>7} {'95%':>6} "
        f"{'width':>6}   {'P on':>5} {'P off':>5}",
    ]
    bars = fc.error_bars(0.9, years=YEARS)
    on, off = bars.sel(wall="on"), bars.sel(wall="off")
    for y in YEARS:
        a, b = on.sel(year=y), off.sel(year=y)
        lines.append(
            f"{y:>6} {float(a.ooms_lower):>7.2f} {float(a.ooms_upper):>6.2f} "
            f"{float(a.ooms_width):>6.2f}   {float(b.ooms_lower):>7.2f} "
            f"{float(b.ooms_upper):>6.2f} {float(b.ooms_width):>6.2f}   "
            f"{float(a.p_arrived):>5.3f} {float(b.p_arrived):>5.3f}"
        )
    text = "\n".join(lines)
    print(text)
    (args.out / "data_wall.txt").write_text(text + "\n", encoding="utf-8")

    fig, _ = plot.data_wall(fc)
    plot.save(fig, args.out / "data_wall_fan", formats)
    plt.close(fig)
    print(f"\nwrote {args.out}/data_wall.txt and data_wall_fan.{'/.'.join(formats)}")


if __name__ == "__main__":
    main()
