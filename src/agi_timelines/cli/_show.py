"""The ``presets`` and ``show`` commands: what the shipped presets are, what a scenario says."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._app import Debug, ScenarioArg, user_errors
from ._inputs import load
from ._text import console, fmt, safe

if TYPE_CHECKING:
    from rich.console import JustifyMethod
    from rich.table import Table

    from ..scenario import Scenario

__all__ = ["presets", "prior_table", "scenario_header", "show"]


def presets(debug: Debug = False) -> None:
    """List the shipped presets with one-line descriptions."""
    from rich.table import Table

    from ..presets import available  # reads the TOML files only: no PyMC to import

    with user_errors(debug):
        table = Table(box=None, show_header=True, header_style="bold")
        table.add_column("preset", no_wrap=True)
        table.add_column("description")
        for name, description in available().items():
            table.add_row(safe(name), safe(description))
        console().print(table)


def show(scenario: ScenarioArg, debug: Debug = False) -> None:
    """Print a scenario's priors with their 5%, 50% and 95% values."""
    with user_errors(debug):
        scn = load(scenario)
        out = console()
        for line in scenario_header(scn):
            out.print(line)
        out.print(prior_table(scn))


def scenario_header(scn: Scenario) -> list[str]:
    """Return the lines (``rich`` markup) that introduce a scenario.

    Parameters
    ----------
    scn : Scenario
        The scenario.

    Returns
    -------
    list of str
        Name, description, reference and horizon, data wall, calibration, correlations.
    """
    ref = scn.reference
    wall = f"on, binds {scn.data_wall.binds} compute" if scn.data_wall.enabled else "off"
    lines = [f"[bold]{safe(scn.name)}[/bold]"]
    if scn.description:
        lines.append(safe(scn.description))
    lines.append(
        f"reference: {ref.year:g}, {ref.flop:.3g} FLOP; horizon {scn.horizon:g}; "
        f"data wall {wall}"
        + (f"; conditioned on no arrival before {scn.not_before:g}" if scn.not_before else "")
    )
    if scn.calibration is not None:
        lines.append(
            f"compute.rate drawn from a calibration on frontier runs since "
            f"{scn.calibration.since:g} (seed {scn.calibration.seed}), not from its prior"
        )
    for corr in scn.correlations:
        used = corr in scn.active_correlations()
        lines.append(
            f"rank correlation {safe(corr.label)}: {corr.rank:+.2f}"
            + ("" if used else " (ignored)")
        )
    return lines


def describe(prior: Any) -> str:
    """Describe a prior in the words of the scenario file.

    Parameters
    ----------
    prior : Prior
        The prior (any of :mod:`agi_timelines.priors`).

    Returns
    -------
    str
        ``fixed``, ``ci90(lo, hi)``, ``mixture of 2: ...`` or ``<kind>(<hyperparameters>)``.
    """
    kind = prior.kind
    if kind == "point":
        return "fixed"
    if kind == "ci90":
        family = "" if prior.dist_family == "lognormal" else ", normal"
        return f"ci90({prior.lo:g}, {prior.hi:g}{family})"
    if kind == "mixture":
        names = f": {', '.join(prior.names)}" if prior.names else ""
        return f"mixture of {len(prior.components)}{names}"
    hyper = ", ".join(f"{k}={v:g}" for k, v in prior.hyper().items())
    return f"{kind}({hyper})"


def prior_table(scn: Scenario) -> Table:
    """Return the table of a scenario's priors: path, prior, units, 5/50/95% values.

    Parameters
    ----------
    scn : Scenario
        The scenario.

    Returns
    -------
    rich.table.Table
        One row per prior field, values in the field's units.
    """
    import numpy as np
    from rich import box
    from rich.table import Table

    from ..model import units, var_name

    table = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    columns: list[tuple[str, JustifyMethod]] = [
        ("field", "left"),
        ("prior", "left"),
        ("units", "left"),
        ("5%", "right"),
        ("50%", "right"),
        ("95%", "right"),
    ]
    for name, justify in columns:
        table.add_column(
            name, justify=justify, no_wrap=name != "units", min_width=6 if name == "units" else None
        )
    for path, prior in scn.prior_fields().items():
        unit = units(var_name(path))
        q = np.asarray(prior.ppf(np.array([0.05, 0.5, 0.95])), dtype=float)
        cells = [fmt(float(v), unit) for v in q]
        table.add_row(safe(path), safe(describe(prior)), unit, *cells)
    return table
