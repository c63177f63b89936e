"""netCDF encodings shared by every writer: lossless zlib compression with byte shuffling."""

from __future__ import annotations

from typing import Any

import xarray as xr

__all__ = ["DEFAULT_COMPRESSION", "netcdf_encoding"]

DEFAULT_COMPRESSION = 1
"""zlib level used unless the caller says otherwise: on a million draws of the preset,
higher levels shrink the file by under 1% more and take longer to write."""

CHUNK_ELEMENTS = 2**18
"""Values per HDF5 chunk of a compressed array (2 MiB of float64): h5py's automatic chunks
are ~30 KB, and a few hundred of them per variable make compression several times slower."""


def netcdf_encoding(tree: xr.DataTree, compression: int | None) -> dict[str, dict[str, Any]]:
    """``to_netcdf(encoding=...)`` for every array of every group of ``tree``.

    Parameters
    ----------
    tree : xarray.DataTree
        The tree to write.
    compression : int or None
        zlib level 0-9 (``0`` or ``None``: no compression).  Compression is lossless, with
        the HDF5 byte-shuffle filter (which groups the bytes of float64 values by
        significance, so zlib finds the repeats).

    Returns
    -------
    dict
        ``{group path: {variable: encoding}}``; the encoding of every variable is set, so
        a tree read from a compressed file can be written uncompressed and vice versa.

    Raises
    ------
    ValueError
        If ``compression`` is not ``None`` or an integer in [0, 9].
    """
    if compression is None:
        compression = 0
    if (
        isinstance(compression, bool)
        or not isinstance(compression, int)
        or not 0 <= compression <= 9
    ):
        raise ValueError(
            f"compression must be a zlib level, an integer in [0, 9] (0 or None: off), "
            f"got {compression!r}"
        )
    if compression:
        spec: dict[str, Any] = {"zlib": True, "complevel": compression, "shuffle": True}
    else:
        spec = {"zlib": False, "shuffle": False}
    out: dict[str, dict[str, Any]] = {}
    for node in tree.subtree:
        own = node.to_dataset(inherit=False).variables  # not the coordinates of a parent
        if own:
            out[node.path] = {
                str(name): spec | _chunks(var.shape) if compression and var.shape else dict(spec)
                for name, var in own.items()
            }
    return out


def _chunks(shape: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
    """Chunk sizes of at most :data:`CHUNK_ELEMENTS` values, whole along leading dims."""
    lead = 1
    for size in shape[:-1]:
        lead *= max(size, 1)
    if lead > CHUNK_ELEMENTS:
        return {"chunksizes": (*(1 for _ in shape[:-1]), min(shape[-1], CHUNK_ELEMENTS))}
    last = max(1, min(shape[-1], CHUNK_ELEMENTS // lead))
    return {"chunksizes": (*(max(s, 1) for s in shape[:-1]), last)}
