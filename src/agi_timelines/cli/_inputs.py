"""Reading the command line's inputs: scenarios by name or file, counts, wall options, years."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ._app import UserError

if TYPE_CHECKING:
    from ..scenario import Scenario

__all__ = ["common_years", "load", "parse_count", "report_years", "with_wall"]


def load(name_or_path: str) -> Scenario:
    """Load a scenario from a preset name or a TOML path, with errors that say which it tried.

    Parameters
    ----------
    name_or_path : str
        A preset name (``agi-timelines presets``) or the path of a scenario TOML file.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    UserError
        Neither a preset nor an existing file, or a directory.
    """
    from .. import Scenario

    presets = Scenario.presets()
    if name_or_path in presets:
        return Scenario.preset(name_or_path)
    path = Path(name_or_path)
    if not path.exists():
        raise UserError(
            f"unknown scenario {name_or_path!r}: not a preset (available: "
            f"{', '.join(presets)}) and no such file"
        )
    if path.is_dir():
        raise UserError(f"scenario {name_or_path!r} is a directory, not a TOML file")
    return Scenario.from_toml(path)


def parse_count(value: str) -> int:
    """Parse an integer written as ``1000000``, ``1_000_000`` or ``1e6``.

    Parameters
    ----------
    value : str
        The option's text.

    Returns
    -------
    int
        The count.

    Raises
    ------
    typer.BadParameter
        Not a whole number.

    Examples
    --------
    >>> parse_count("1e6"), parse_count("20_000")
    (1000000, 20000)
    """
    text = str(value).replace("_", "").strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a whole number") from None
    if not math.isfinite(number) or number != int(number):
        raise typer.BadParameter(f"{value!r} is not a whole number")
    return int(number)


def with_wall(scn: Scenario, no_wall: bool, wall_binds: str | None) -> Scenario:
    """Apply ``--no-wall`` / ``--wall-binds`` to a loaded scenario.

    Parameters
    ----------
    scn : Scenario
        The scenario.
    no_wall : bool
        ``--no-wall``: switch the data wall off.
    wall_binds : str or None
        ``--wall-binds``: ``"pretraining"`` or ``"physical"`` (checked by the scenario).

    Returns
    -------
    Scenario
        The scenario with the options applied (``scn`` itself when there are none).
    """
    if no_wall and wall_binds is not None:
        raise UserError("--no-wall and --wall-binds contradict each other; give one")
    if no_wall:
        return scn.replace({"data_wall.enabled": False})
    if wall_binds is not None:
        if not scn.data_wall.enabled:
            raise UserError(f"--wall-binds: the data wall of {scn.name!r} is off")
        return scn.replace({"data_wall.binds": wall_binds})
    return scn


def report_years(scn: Scenario, years: Sequence[float] | None) -> list[float]:
    """Return the years for P(arrived by year): ``--year`` values, or the defaults.

    Parameters
    ----------
    scn : Scenario
        Gives ``reference.year`` and ``horizon``.
    years : sequence of float or None
        The ``--year`` values (decimal years), or None for
        :func:`agi_timelines._report.default_years`.

    Returns
    -------
    list of float
        Sorted distinct decimal years.

    Raises
    ------
    UserError
        A ``--year`` outside ``[reference.year, horizon]``.
    """
    from .._report import default_years

    t0, horizon = scn.reference.year, scn.horizon
    if years:
        bad = [y for y in years if not (t0 <= y <= horizon)]
        if bad:
            raise UserError(
                f"--year {bad[0]:g} is outside [reference.year, horizon] = [{t0:g}, {horizon:g}]"
            )
        return sorted(set(years))
    return default_years(t0, horizon)


def common_years(scenarios: Sequence[Scenario], years: Sequence[float] | None) -> list[float]:
    """Return report years valid for every scenario (``--year`` values are checked for each).

    Parameters
    ----------
    scenarios : sequence of Scenario
        The compared scenarios.
    years : sequence of float or None
        The ``--year`` values (decimal years), or None for the years of
        :func:`agi_timelines.compare` (:data:`agi_timelines.analysis.DEFAULT_YEARS`) inside
        every scenario's range (or the earliest horizon when none is).

    Returns
    -------
    list of float
        Sorted distinct decimal years.
    """
    if years:
        for scn in scenarios:
            report_years(scn, years)
        return sorted(set(years))
    from ..analysis import DEFAULT_YEARS  # constants only: nothing heavy to import

    t0 = max(s.reference.year for s in scenarios)
    horizon = min(s.horizon for s in scenarios)
    chosen = {float(y) for y in DEFAULT_YEARS if t0 < y <= horizon}
    return sorted(chosen or {float(horizon)})
