"""netCDF encodings shared by every writer: lossless zlib compression with byte shuffling.

:func:`compressed_buffer` writes such a file with the chunks deflated by ISA-L
(:mod:`isal.isal_zlib`, ~15x faster than zlib at level 1 on the preset's draws and no
larger) instead of by HDF5's own zlib filter: xarray lays the file out (groups,
variables, attributes, filters) with placeholder data, then every chunk of the real data is
byte-shuffled and deflated here and stored with HDF5's direct chunk write.  The file is an
ordinary netCDF-4 file with the shuffle and deflate filters; any reader inflates it.
"""

from __future__ import annotations

import io
import itertools
import zlib
from collections.abc import Iterator
from typing import Any, cast

import numpy as np
import xarray as xr

__all__ = ["DEFAULT_COMPRESSION", "compressed_buffer", "netcdf_encoding"]

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


def compressed_buffer(tree: xr.DataTree, compression: int | None) -> io.BytesIO:
    """``tree`` as a netCDF-4 file in memory, compressed as :func:`netcdf_encoding` says.

    Parameters
    ----------
    tree : xarray.DataTree
        The tree to write.
    compression : int or None
        zlib level 0-9 (``0`` or ``None``: no compression).  Levels 1-3 deflate with
        ISA-L's levels 1-3, higher levels with zlib's (ISA-L has nothing stronger).

    Returns
    -------
    io.BytesIO
        The file's bytes.  Every array reads back bit for bit.

    Raises
    ------
    ValueError
        If ``compression`` is not ``None`` or an integer in [0, 9].
    """
    import h5py

    encoding = netcdf_encoding(tree, compression)
    direct = {  # numeric data variables with chunks: written here; the rest by xarray
        (path, name): spec["chunksizes"]
        for path, specs in encoding.items()
        for name, spec in specs.items()
        if "chunksizes" in spec and _fixed_size(_group(tree, path).to_dataset(inherit=False), name)
    }
    buffer = io.BytesIO()
    _placeholders(tree, direct).to_netcdf(buffer, engine="h5netcdf", encoding=encoding)
    deflate = _deflater(int(compression or 0))
    with h5py.File(buffer, "r+") as f:
        for (path, name), chunks in direct.items():
            values = np.ascontiguousarray(tree[path][name].values)
            target = f[f"{path.rstrip('/')}/{name}"].id
            if target.dtype != values.dtype:  # never store bytes of another type
                raise RuntimeError(f"{path}{name}: stored as {target.dtype}, not {values.dtype}")
            for offset, block in _blocks(values, chunks):
                target.write_direct_chunk(offset, deflate(_shuffled(block)), filter_mask=0)
    return buffer


def _fixed_size(ds: xr.Dataset, name: str) -> bool:
    """Return whether ``name``'s chunks can be written directly, compressed here.

    True for a data variable of fixed-size numbers (strings and objects are variable-length in HDF5:
    their chunks hold references), stored as they are in memory (booleans and CF-packed variables
    are converted by xarray): the rest is left to HDF5's own filter.
    """
    if name not in ds.data_vars or ds[name].dtype.kind not in "iuf":
        return False
    enc = ds[name].encoding  # a tree read from a file may carry CF packing: xarray's job
    return enc.get("dtype", ds[name].dtype) == ds[name].dtype and not (
        {"scale_factor", "add_offset"} & set(enc)
    )


def _group(tree: xr.DataTree, path: str) -> xr.DataTree:
    """Return the group at ``path`` (``tree[path]``, typed as the group the encoding names)."""
    return cast(xr.DataTree, tree[path])


def _placeholders(tree: xr.DataTree, direct: dict[tuple[str, str], Any]) -> xr.DataTree:
    """Return a copy of ``tree`` whose ``direct`` variables hold zeros (same shape, dtype, attrs).

    Xarray lays out the file, and zeros deflate in no time.
    """
    out = tree.copy(deep=False)
    for path in {p for p, _ in direct}:
        ds = _group(out, path).to_dataset(inherit=False)
        zeros = {
            name: ds[name].copy(deep=False, data=np.zeros(ds[name].shape, ds[name].dtype))
            for p, name in direct
            if p == path
        }
        out[path].dataset = ds.assign(zeros)
    return out


def _blocks(
    values: np.ndarray, chunks: tuple[int, ...]
) -> Iterator[tuple[tuple[int, ...], np.ndarray]]:
    """Every chunk of ``values`` with its offset.

    Edge chunks padded with zeros to the full chunk shape (HDF5 stores whole chunks and never reads
    past the array's extent).
    """
    ranges = [range(0, max(size, 1), step) for size, step in zip(values.shape, chunks, strict=True)]
    for offset in itertools.product(*ranges):
        index = tuple(slice(o, o + c) for o, c in zip(offset, chunks, strict=True))
        block = values[index]
        if block.shape != tuple(chunks):
            padded = np.zeros(chunks, values.dtype)
            padded[tuple(slice(0, n) for n in block.shape)] = block
            block = padded
        yield offset, block


def _shuffled(block: np.ndarray) -> bytes:
    """HDF5's shuffle filter: byte ``k`` of every value, for ``k`` = 0, 1, ..."""
    raw = np.ascontiguousarray(block).reshape(-1).view(np.uint8)
    return raw.reshape(-1, block.dtype.itemsize).T.tobytes()


def _deflater(level: int) -> Any:
    """Return a zlib-format deflate at ``level`` (ISA-L for 1-3, zlib above)."""
    if level <= 3:
        from isal import isal_zlib

        return lambda data: isal_zlib.compress(data, level)
    return lambda data: zlib.compress(data, level)
