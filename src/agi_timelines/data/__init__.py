"""Observed training runs shipped with the package (Epoch AI, CC-BY 4.0).

Two CSV files from Epoch AI's "Data on Notable AI Models" (download of 2026-08-05) are
bundled; ``README.md`` next to them gives the source, licence, filters and trend fits:

* ``frontier_models.csv`` (121 rows): runs published since 2010 that were in the running
  top 10 by training compute at their publication date;
* ``notable_models.csv`` (534 rows): every notable model with a date and a positive
  training-compute value.

METR's measured time horizons of 25 frontier models (``time_horizons.csv``, with
``time_horizons_README.md``) are read by :func:`time_horizons`.

:func:`frontier_runs` and :func:`notable_runs` return them as tidy :class:`pandas.DataFrame`
objects, validated row by row, with the provenance in ``DataFrame.attrs``. Both also read a
user CSV of the same schema.

Examples
--------
>>> runs = frontier_runs()
>>> len(runs), runs.attrs["licence"]
(121, 'CC-BY 4.0')
>>> gpt4 = runs.set_index("model").loc["GPT-4 (Mar 2023)"]
>>> round(gpt4["date"], 2), gpt4["training_compute_flop"]
(np.float64(2023.2), np.float64(2.1e+25))
"""

from __future__ import annotations

import hashlib
import io
from importlib.resources import files
from os import PathLike

import numpy as np
import pandas as pd

from ._metr import METR_CITATION, METR_VERSION, time_horizons

__all__ = [
    "EPOCH_CITATION",
    "EPOCH_VERSION",
    "METR_CITATION",
    "METR_VERSION",
    "decimal_year",
    "frontier_runs",
    "notable_runs",
    "time_horizons",
]

EPOCH_VERSION = "2026-08-05"
"""Dataset version of the bundled files: the Epoch AI download of this date."""
EPOCH_CITATION = (
    'Epoch AI, "Data on Notable AI Models", https://epoch.ai/data/notable-ai-models '
    f"(CC-BY 4.0), download of {EPOCH_VERSION}"
)
"""How to cite the bundled data (CC-BY 4.0 requires attribution)."""

REQUIRED_COLUMNS = ("model", "publication_date", "training_compute_flop")
"""Columns a CSV must have."""
OPTIONAL_COLUMNS = ("organization", "domain", "frontier_model", "confidence")
"""Columns read when present (missing values allowed), else filled with ``<NA>``/``False``."""
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no", ""})


def frontier_runs(path: str | PathLike[str] | None = None) -> pd.DataFrame:
    """Frontier training runs: training compute against publication date.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV with at least the columns ``model``, ``publication_date`` (ISO date,
        e.g. ``2023-03-15``) and ``training_compute_flop`` (FLOP, > 0); ``organization``,
        ``domain``, ``frontier_model`` and ``confidence`` are optional. ``None`` (default)
        reads the bundled ``frontier_models.csv`` (121 runs, 2010-06 to 2026-05).

    Returns
    -------
    pandas.DataFrame
        One row per run, sorted by date, with columns ``model``, ``organization``,
        ``publication_date`` (datetime64), ``date`` (decimal year, e.g. 2023.2 for
        2023-03-15), ``training_compute_flop`` (FLOP), ``log10_flop`` (log10 FLOP),
        ``domain``, ``confidence`` (Epoch's: Confident / Likely / Speculative) and
        ``frontier_model`` (Epoch's own frontier flag, bool). ``attrs`` holds ``source``,
        ``licence``, ``citation``, ``version`` and ``file``; for a user file ``version`` is
        the SHA-256 of its bytes.

    Raises
    ------
    ValueError
        If a required column is missing, or a row has an empty model name, a date that is
        not an ISO date, or a training compute that is missing, not finite or not positive.
        The message names the file, the line and the column.
    """
    return _load("frontier_models.csv", path)


def notable_runs(path: str | PathLike[str] | None = None) -> pd.DataFrame:
    """All notable models with a training-compute value (534 rows, 1950 to 2026).

    Same schema, validation and ``attrs`` as :func:`frontier_runs`; ``None`` reads the
    bundled ``notable_models.csv``.
    """
    return _load("notable_models.csv", path)


def _load(bundled: str, path: str | PathLike[str] | None) -> pd.DataFrame:
    if path is None:
        raw = files(__name__).joinpath(bundled).read_bytes()
        attrs = {
            "source": "Epoch AI, Data on Notable AI Models, https://epoch.ai/data/notable-ai-models",
            "licence": "CC-BY 4.0",
            "citation": EPOCH_CITATION,
            "version": EPOCH_VERSION,
            "file": bundled,
        }
    else:
        raw = _read(path)
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


MAX_CSV_BYTES = 64 * 2**20
"""Largest user CSV read (64 MiB; the bundled files are about 100 KB)."""


def _read(path: str | PathLike[str]) -> bytes:
    """A user CSV's bytes; ``ValueError`` naming the file if it cannot be read."""
    from pathlib import Path

    if not isinstance(path, str | PathLike):
        raise TypeError(f"path must be a file path (str or pathlib.Path) or None, got {path!r}")
    target = Path(path)
    try:
        if target.exists() and not target.is_file():  # a FIFO or device would block
            raise ValueError(f"cannot read {target}: not a regular file")
        with open(target, "rb") as handle:
            raw = handle.read(MAX_CSV_BYTES + 1)
    except OSError as err:
        raise ValueError(f"cannot read {target}: {err.strerror or err}") from None
    if len(raw) > MAX_CSV_BYTES:
        raise ValueError(f"{target}: larger than {MAX_CSV_BYTES // 2**20} MiB; not a runs CSV")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError(f"{target}: is UTF-16 text; save it as UTF-8")
    if b"\x00" in raw:
        raise ValueError(f"{target}: is a binary file (it contains NUL bytes), not a CSV")
    return raw


def _parse(raw: bytes, name: str) -> pd.DataFrame:
    """Read and validate CSV bytes; errors name ``name``, the file line and the column."""
    try:
        text = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ValueError(f"{name}: not a readable CSV file ({err})") from err
    text.columns = [str(col).strip() for col in text.columns]
    missing = [col for col in REQUIRED_COLUMNS if col not in text.columns]
    if missing:
        raise ValueError(
            f"{name}: missing column(s) {missing}; required {list(REQUIRED_COLUMNS)}, "
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
    published = pd.to_datetime(text["publication_date"], format="ISO8601", errors="coerce")
    fail(published.isna().to_numpy(), "publication_date", "is not an ISO date (YYYY-MM-DD)")
    flop = pd.to_numeric(text["training_compute_flop"], errors="coerce").to_numpy(float)
    with np.errstate(invalid="ignore"):
        fail(~(np.isfinite(flop) & (flop > 0)), "training_compute_flop", "is not a positive number")
    flag = text.get("frontier_model", pd.Series("", index=text.index)).str.lower()
    fail(~flag.isin(_TRUE | _FALSE).to_numpy(), "frontier_model", "is not True/False")

    def optional(column: str) -> pd.Series:
        values = text.get(column, pd.Series("", index=text.index))
        return values.replace("", pd.NA).astype("string")

    frame = pd.DataFrame(
        {
            "model": text["model"].astype("string"),
            "organization": optional("organization"),
            "publication_date": published,
            "date": decimal_year(published),
            "training_compute_flop": flop,
            "log10_flop": np.log10(flop),
            "domain": optional("domain"),
            "confidence": optional("confidence"),
            "frontier_model": flag.isin(_TRUE).to_numpy(),
        }
    )
    return frame.sort_values("publication_date", kind="stable").reset_index(drop=True)


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
