"""Seed blocks: draws are generated in fixed blocks, each from its own seed.

Block ``j`` holds draws ``j * SEED_BLOCK`` onwards and is drawn from the seed
``(seed, j, key)``, so a run of any size is a prefix of a longer one and the draws do
not depend on the chunk size or the number of cores.  The forecast's sampler and the
calibrations' resampling (:mod:`agi_timelines._engine`, :func:`resample`) share these
blocks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

__all__ = ["SEED_BLOCK", "resample", "seed_blocks"]

SEED_BLOCK = 2**15
"""Draws per seed block (fixed: changing it changes every draw)."""


def seed_blocks(draws: int) -> Iterator[tuple[int, int, int]]:
    """``(j, start, stop)`` of each seed block: block ``j`` holds draws ``start:stop``.

    Examples
    --------
    >>> list(seed_blocks(SEED_BLOCK + 5))
    [(0, 0, 32768), (1, 32768, 32773)]
    """
    for j, start in enumerate(range(0, draws, SEED_BLOCK)):
        yield j, start, min(start + SEED_BLOCK, draws)


def resample(columns: Sequence[np.ndarray], draws: int, seed: int, key: int) -> list[np.ndarray]:
    """``draws`` joint draws, with replacement, of the rows of equal-length ``columns``.

    Block ``j`` picks its rows with ``default_rng([seed, j, key]).integers(0, n,
    SEED_BLOCK)`` (the first ``stop - start`` of them), the same rows for every column,
    so the columns keep their joint (posterior) distribution.

    Parameters
    ----------
    columns : sequence of numpy.ndarray
        1-d arrays of one length ``n`` >= 1 (e.g. posterior draws, flattened).
    draws : int
        Draws wanted (>= 0).
    seed : int
        The run's seed.
    key : int
        The stream's key (e.g. ``zlib.crc32(b"calibration")``).

    Returns
    -------
    list of numpy.ndarray
        One float64 array of shape ``(draws,)`` per column.
    """
    n = columns[0].size
    out = [np.empty(draws) for _ in columns]
    for j, start, stop in seed_blocks(draws):
        rng = np.random.default_rng([seed, j, key])
        index = rng.integers(0, n, SEED_BLOCK)[: stop - start]
        for target, column in zip(out, columns, strict=True):
            target[start:stop] = column[index]
    return out
