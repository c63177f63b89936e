"""Seed blocks: draws are generated in fixed blocks, each from its own seed.

Block ``j`` holds draws ``j * SEED_BLOCK`` onwards and is drawn from the seed
``(seed, j, key)``, so a run of any size is a prefix of a longer one and the draws do
not depend on the chunk size or the number of cores.  The forecast's sampler and the
calibrations' resampling (:mod:`agi_timelines.forecast`, :mod:`agi_timelines.horizons`)
share these blocks.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["SEED_BLOCK", "seed_blocks"]

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
