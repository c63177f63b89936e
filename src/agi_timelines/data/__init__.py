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

from os import PathLike

import numpy as np
import pandas as pd

from ._csv import Table, decimal_year, source
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


_EPOCH = {
    "source": "Epoch AI, Data on Notable AI Models, https://epoch.ai/data/notable-ai-models",
    "licence": "CC-BY 4.0",
    "citation": EPOCH_CITATION,
    "version": EPOCH_VERSION,
}


def _load(bundled: str, path: str | PathLike[str] | None) -> pd.DataFrame:
    raw, attrs = source(bundled, path, _EPOCH)
    frame = _parse(raw, attrs["file"])
    frame.attrs.update(attrs)
    return frame


def _parse(raw: bytes, name: str) -> pd.DataFrame:
    """Read and validate CSV bytes; errors name ``name``, the file line and the column."""
    table = Table.read(raw, name, REQUIRED_COLUMNS)
    published = table.dates("publication_date")
    flop = table.positive("training_compute_flop")
    flag = table.flags("frontier_model", _TRUE, _FALSE, "True/False")
    frame = pd.DataFrame(
        {
            "model": table.text["model"].astype("string"),
            "organization": table.optional("organization"),
            "publication_date": published,
            "date": decimal_year(published),
            "training_compute_flop": flop,
            "log10_flop": np.log10(flop),
            "domain": table.optional("domain"),
            "confidence": table.optional("confidence"),
            "frontier_model": flag.isin(_TRUE).to_numpy(),
        }
    )
    return frame.sort_values("publication_date", kind="stable").reset_index(drop=True)
