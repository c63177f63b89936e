"""METR's measured time horizons of frontier models, shipped with the package.

``time_horizons.csv`` (25 models, 2019-02 to 2026-03) holds, per model, the length of
task in minutes of a skilled human's time that the model completes with 50% and with 80%
probability, with METR's 95% confidence intervals, the release date and METR's "state of
the art at release" flag; ``time_horizons_README.md`` next to it gives the source and
how to cite it (the numbers are METR's, unchanged).

Examples
--------
>>> from agi_timelines.data import time_horizons
>>> th = time_horizons()
>>> len(th), int(th["is_sota"].sum())
(25, 17)
>>> gpt4 = th.set_index("model").loc["GPT-4"]
>>> round(gpt4["date"], 2), round(gpt4["p50_minutes"], 2)
(np.float64(2023.2), np.float64(3.99))
"""

from __future__ import annotations

from os import PathLike

import pandas as pd

from ._csv import Table, decimal_year, source

__all__ = ["METR_CITATION", "METR_VERSION", "TIME_HORIZON_COLUMNS", "time_horizons"]

METR_VERSION = "time-horizon-1.1@c59c78bf"
"""Version of the bundled table: METR's Time Horizon 1.1 results (2026-01-29) as kept in
``IAPS-AI/METR-Time-Horizons`` at commit ``c59c78bf`` (latest release date 2026-03-05)."""
METR_CITATION = (
    'T. Kwa, B. West et al. (METR), "Measuring AI Ability to Complete Long Tasks", '
    'arXiv:2503.14499 (2025); METR, "Time Horizon 1.1" (2026-01-29)'
)
"""How to cite the bundled time horizons."""

TIME_HORIZON_COLUMNS = (
    "model",
    "release_date",
    "p50_minutes",
    "p50_ci_low",
    "p50_ci_high",
    "p80_minutes",
    "p80_ci_low",
    "p80_ci_high",
    "is_sota_p50",
)
"""Columns a time-horizon CSV must have (``metr_key`` and ``suite`` are optional)."""
_MINUTES = TIME_HORIZON_COLUMNS[2:8]
_BUNDLED = "time_horizons.csv"
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


def time_horizons(path: str | PathLike[str] | None = None) -> pd.DataFrame:
    """METR's time horizons: task length (minutes of human work) against release date.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV with the columns of :data:`TIME_HORIZON_COLUMNS`: ``model``,
        ``release_date`` (ISO date), the 50% and 80% horizons with their 95% interval
        (``p50_minutes``, ``p50_ci_low``, ``p50_ci_high``, ``p80_*``; minutes, > 0) and
        ``is_sota_p50`` (true/false). ``None`` (default): the bundled METR table.

    Returns
    -------
    pandas.DataFrame
        One row per model, sorted by release date, with columns ``model``, ``metr_key``,
        ``release_date`` (datetime64), ``date`` (decimal year), the six horizon columns
        (minutes), ``is_sota`` (bool, METR's state-of-the-art flag for the 50% horizon)
        and ``suite``.  ``attrs`` holds ``source``, ``licence``, ``citation``,
        ``version`` (:data:`METR_VERSION`; for a user file the SHA-256 of its bytes) and
        ``file``.

    Raises
    ------
    ValueError
        If a column is missing, or a row has an empty model name, a date that is not an
        ISO date, a horizon or bound that is missing, not finite or not positive, an
        interval that does not contain its estimate, or a flag that is not true/false.
        The message names the file, the line and the column.
    """
    raw, attrs = source(_BUNDLED, path, _METR)
    frame = _parse(raw, attrs["file"])
    frame.attrs.update(attrs)
    return frame


_METR = {
    "source": "METR, Time Horizon 1.1 (benchmark_results_1_1.yaml)",
    "licence": "METR's published results; cite METR (see time_horizons_README.md)",
    "citation": METR_CITATION,
    "version": METR_VERSION,
}


def _parse(raw: bytes, name: str) -> pd.DataFrame:
    """Read and validate CSV bytes; errors name ``name``, the file line and the column."""
    table = Table.read(raw, name, TIME_HORIZON_COLUMNS)
    released = table.dates("release_date")
    minutes = {}
    for column in _MINUTES:
        minutes[column] = table.positive(column)
    for level in ("p50", "p80"):
        est, low, high = (minutes[f"{level}_{k}"] for k in ("minutes", "ci_low", "ci_high"))
        table.fail(~((low <= est) & (est <= high)), f"{level}_minutes", "lies outside its interval")
    flag = table.flags("is_sota_p50", _TRUE, _FALSE, "true/false")

    frame = pd.DataFrame(
        {
            "model": table.text["model"].astype("string"),
            "metr_key": table.optional("metr_key"),
            "release_date": released,
            "date": decimal_year(released),
            **minutes,
            "is_sota": flag.isin(_TRUE).to_numpy(),
            "suite": table.optional("suite"),
        }
    )
    return frame.sort_values("release_date", kind="stable").reset_index(drop=True)
