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

import hashlib
import io
from importlib.resources import files
from os import PathLike

import numpy as np
import pandas as pd

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
    if path is None:
        raw = files("agi_timelines.data").joinpath(_BUNDLED).read_bytes()
        attrs = {
            "source": "METR, Time Horizon 1.1 (benchmark_results_1_1.yaml)",
            "licence": "METR's published results; cite METR (see time_horizons_README.md)",
            "citation": METR_CITATION,
            "version": METR_VERSION,
            "file": _BUNDLED,
        }
    else:
        with open(path, "rb") as handle:
            raw = handle.read()
        attrs = {
            "source": str(path),
            "licence": "unknown (user-supplied file)",
            "citation": str(path),
            "version": "sha256:" + hashlib.sha256(raw).hexdigest()[:16],
            "file": str(path),
        }
    frame = _parse(raw, attrs["file"])
    frame.attrs.update(attrs)
    return frame


def _parse(raw: bytes, name: str) -> pd.DataFrame:
    """Read and validate CSV bytes; errors name ``name``, the file line and the column."""
    from . import decimal_year

    try:
        text = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ValueError(f"{name}: not a readable CSV file ({err})") from err
    text.columns = [str(col).strip() for col in text.columns]
    missing = [col for col in TIME_HORIZON_COLUMNS if col not in text.columns]
    if missing:
        raise ValueError(
            f"{name}: missing column(s) {missing}; required {list(TIME_HORIZON_COLUMNS)}, "
            f"found {list(text.columns)}"
        )
    if text.empty:
        raise ValueError(f"{name}: no data rows")
    text = text.apply(lambda col: col.str.strip())
    lines = np.arange(len(text)) + 2  # line 1 is the header

    def fail(bad: np.ndarray, column: str, problem: str) -> None:
        if bad.any():
            rows = [
                f"line {lines[i]} (model {text['model'].iloc[i]!r}): {text[column].iloc[i]!r}"
                for i in np.flatnonzero(bad)[:5]
            ]
            more = f" and {int(bad.sum()) - 5} more" if bad.sum() > 5 else ""
            raise ValueError(f"{name}: column {column!r} {problem} at " + "; ".join(rows) + more)

    fail((text["model"] == "").to_numpy(), "model", "is empty")
    released = pd.to_datetime(text["release_date"], format="ISO8601", errors="coerce")
    fail(released.isna().to_numpy(), "release_date", "is not an ISO date (YYYY-MM-DD)")
    minutes = {}
    for column in _MINUTES:
        values = pd.to_numeric(text[column], errors="coerce").to_numpy(float)
        with np.errstate(invalid="ignore"):
            fail(~(np.isfinite(values) & (values > 0)), column, "is not a positive number")
        minutes[column] = values
    for level in ("p50", "p80"):
        est, low, high = (minutes[f"{level}_{k}"] for k in ("minutes", "ci_low", "ci_high"))
        fail(~((low <= est) & (est <= high)), f"{level}_minutes", "lies outside its interval")
    flag = text["is_sota_p50"].str.lower()
    fail(~flag.isin(_TRUE | _FALSE).to_numpy(), "is_sota_p50", "is not true/false")

    def optional(column: str) -> pd.Series:
        values = text.get(column, pd.Series("", index=text.index))
        return values.replace("", pd.NA).astype("string")

    frame = pd.DataFrame(
        {
            "model": text["model"].astype("string"),
            "metr_key": optional("metr_key"),
            "release_date": released,
            "date": decimal_year(released),
            **minutes,
            "is_sota": flag.isin(_TRUE).to_numpy(),
            "suite": optional("suite"),
        }
    )
    return frame.sort_values("release_date", kind="stable").reset_index(drop=True)
