"""Reading the data tables, shipped or the user's: one safe reader and one row validator.

Every loader of :mod:`agi_timelines.data` reads its bytes with :func:`source` (the bundled
file with its provenance, or a user file, refused when it is not a regular UTF-8 text file
of sane size) and validates rows with a :class:`Table`, whose errors name the file, the line
and the column.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from importlib.resources import files
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._io import read_input

MAX_CSV_BYTES = 64 * 2**20
"""Largest user CSV read (64 MiB; the bundled files are about 100 KB)."""


def source(
    bundled: str, path: str | PathLike[str] | None, provenance: dict[str, str]
) -> tuple[bytes, dict[str, str]]:
    """Return the bytes of the bundled file ``bundled`` (``path=None``) or of the user's ``path``.

    And the ``attrs`` describing them (``source``, ``licence``, ``citation``, ``version``, ``file``;
    for a user file ``version`` is the SHA-256 of its bytes).
    """
    if path is None:
        raw = files("agi_timelines.data").joinpath(bundled).read_bytes()
        return raw, {**provenance, "file": bundled}
    raw = read_bytes(path)
    return raw, {
        "source": str(path),
        "licence": "unknown (user-supplied file)",
        "citation": str(path),
        "version": "sha256:" + hashlib.sha256(raw).hexdigest()[:16],
        "file": str(path),
    }


def read_bytes(path: str | PathLike[str]) -> bytes:
    """Return a user CSV's bytes; ``ValueError`` naming the file if it cannot be read as one."""
    if not isinstance(path, str | PathLike):
        raise TypeError(f"path must be a file path (str or pathlib.Path) or None, got {path!r}")
    return read_input(
        Path(path),
        what="data CSV",
        limit=MAX_CSV_BYTES,
        limit_text=f"{MAX_CSV_BYTES // 2**20} MiB",
    )


@dataclass
class Table:
    """A CSV read as stripped strings, with row checks whose errors name file, line, column."""

    name: str
    text: pd.DataFrame

    @classmethod
    def read(cls, raw: bytes, name: str, required: tuple[str, ...]) -> Table:
        """Parse ``raw``.

        ``ValueError`` if it is not CSV, lacks a ``required`` column or has no row.
        """
        try:
            text = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
            raise ValueError(f"{name}: not a readable CSV file ({err})") from err
        text.columns = [str(col).strip() for col in text.columns]
        missing = [col for col in required if col not in text.columns]
        if missing:
            raise ValueError(
                f"{name}: missing column(s) {missing}; required {list(required)}, "
                f"found {list(text.columns)}"
            )
        if text.empty:
            raise ValueError(f"{name}: no data rows")
        table = cls(name, text.apply(lambda col: col.str.strip()))
        table.fail((table.text["model"] == "").to_numpy(), "model", "is empty")
        return table

    def fail(self, bad: np.ndarray, column: str, problem: str) -> None:
        """Raise naming up to five offending rows (file line, model, value) if any is bad."""
        if not bad.any():
            return
        text, lines = self.text, np.arange(len(self.text)) + 2  # line 1 is the header
        rows = [
            f"line {lines[i]} (model {text['model'].iloc[i]!r}): {text[column].iloc[i]!r}"
            for i in np.flatnonzero(bad)[:5]
        ]
        more = f" and {int(bad.sum()) - 5} more" if bad.sum() > 5 else ""
        raise ValueError(f"{self.name}: column {column!r} {problem} at " + "; ".join(rows) + more)

    def dates(self, column: str) -> pd.Series:
        """Return an ISO-date column as datetimes (a row that is not one fails)."""
        parsed = pd.to_datetime(self.text[column], format="ISO8601", errors="coerce")
        self.fail(parsed.isna().to_numpy(), column, "is not an ISO date (YYYY-MM-DD)")
        return parsed

    def positive(self, column: str) -> np.ndarray:
        """Return a column of finite positive numbers (a row that is not one fails)."""
        values = pd.to_numeric(self.text[column], errors="coerce").to_numpy(float)
        with np.errstate(invalid="ignore"):
            self.fail(~(np.isfinite(values) & (values > 0)), column, "is not a positive number")
        return values

    def flags(self, column: str, true: Any, false: Any, shown: str) -> pd.Series:
        """Return a true/false column, lower-cased (a missing column reads as empty strings)."""
        flag = self.text.get(column, pd.Series("", index=self.text.index)).str.lower()
        self.fail(~flag.isin(true | false).to_numpy(), column, f"is not {shown}")
        return flag

    def optional(self, column: str) -> pd.Series:
        """Return a column that may be absent or empty, as pandas strings with ``<NA>`` gaps."""
        values = self.text.get(column, pd.Series("", index=self.text.index))
        return values.mask(values == "").astype("string")  # "" -> <NA>


def decimal_year(dates: pd.Series) -> pd.Series:
    """Dates as decimal calendar years: ``year + (day of year - 1) / days in that year``.

    Examples
    --------
    >>> decimal_year(pd.Series(pd.to_datetime(["2023-03-15", "2024-01-01"]))).round(3).tolist()
    [2023.2, 2024.0]
    """
    dates = pd.to_datetime(dates)
    days = np.where(dates.dt.is_leap_year, 366.0, 365.0)
    return (dates.dt.year + (dates.dt.day_of_year - 1) / days).astype(float)
