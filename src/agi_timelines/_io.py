"""Files in and out, safely: checked targets, atomic replacement, errors naming the path.

Every small input file the library reads (a scenario, a data CSV) is read by
:func:`read_input`, and every netCDF result by :func:`read_tree`.  Every file the library
writes (netCDF, TOML, figures) goes through here:

* the target is checked first (:func:`check_target`): its directory must exist and be
  writable (a probe file is created and removed), and an existing target must be a regular
  file -- a directory, device node (``/dev/null``), FIFO or socket is refused, and so is a
  **symbolic link** (the link is never replaced by a file, nor followed: give the real path);
* the data go to a temporary file beside the target, are flushed to disk, and only then
  renamed over it, so a failed or interrupted write leaves the old file (or nothing) and a
  successful one the complete new file -- never a partial file;
* netCDF is serialised in memory (:func:`write_netcdf`) before anything touches the disk,
  so a full filesystem is an ordinary ``OSError`` from a plain ``write``, never an HDF5
  failure (which can crash the interpreter);
* every failure raises one :class:`OutputError` (an ``OSError``; also a ``ValueError`` for a
  target that cannot be used) whose message names the user's path and the cause, never the
  hidden temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "OutputError",
    "OutputPathError",
    "atomic_write",
    "check_target",
    "netcdf_buffer",
    "write_buffer",
    "write_bytes",
    "write_netcdf",
]


class OutputError(OSError):
    """Writing an output file failed; ``filename`` is the user's path, ``strerror`` the cause."""

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"


class OutputPathError(OutputError, ValueError):
    """The output path cannot be used (missing directory, not a regular file, a symlink)."""


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def check_target(path: str | os.PathLike[str]) -> Path:
    """Check that ``path`` can be written, before any work; returns it as a ``Path``.

    Raises
    ------
    OutputPathError
        If the directory does not exist or is not writable, or ``path`` exists and is a
        symbolic link or not a regular file.  The message names ``path``.
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a file path (str or pathlib.Path), got {path!r}")
    path = Path(path)
    if str(path) == "" or path.name in ("", ".", ".."):
        raise OutputPathError(errno.EINVAL, "not a file name", str(path))
    parent = path.parent
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise OutputPathError(err.errno, err.strerror, str(path)) from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        raise OutputPathError(
            errno.EEXIST,
            f"it is a symbolic link (to {os.readlink(path)}); refusing to replace it, "
            "give the real path",
            str(path),
        )
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputPathError(
            errno.EEXIST, f"it is {_kind(info.st_mode)}; refusing to replace it", str(path)
        )
    if not parent.is_dir():
        raise OutputPathError(errno.ENOENT, f"directory {parent} does not exist", str(path))
    try:  # the only reliable test (root, read-only mounts, ACLs): create a file
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=parent)
    except OSError as err:
        raise OutputPathError(err.errno, err.strerror, str(path)) from None
    os.close(fd)
    os.unlink(probe)
    return path


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only on success.

    ``path`` is checked first (:func:`check_target`).  The temporary file is removed on any
    failure or interruption; an ``OSError`` while writing or renaming is re-raised as
    :class:`OutputError` naming ``path``.
    """
    path = check_target(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(err.errno, err.strerror, str(path)) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)  # mkstemp makes 0600; give the file the usual permissions
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    except OutputError:
        raise
    except OSError as err:
        if err.strerror is None:  # e.g. raised by a library with only a message
            raise OutputError(errno.EIO, str(err), str(path)) from err
        raise OutputError(err.errno, err.strerror, str(path)) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(path: str | os.PathLike[str], data: Any) -> Path:
    """Write ``data`` (bytes-like) to ``path`` atomically (see :func:`atomic_write`)."""
    with atomic_write(path) as tmp, open(tmp, "wb") as handle:
        handle.write(data)
    return Path(path)


def netcdf_buffer(tree: Any, **kwargs: Any) -> io.BytesIO:
    """Return an ``xarray.DataTree`` (or Dataset) serialised as netCDF-4 (h5netcdf) in memory.

    ``kwargs`` (e.g. ``encoding``) go to its ``to_netcdf``.
    """
    buffer = io.BytesIO()
    tree.to_netcdf(buffer, engine="h5netcdf", **kwargs)
    return buffer


def write_buffer(path: Path, buffer: io.BytesIO) -> None:
    """Write the contents of ``buffer`` to ``path`` (no copy of the bytes)."""
    with buffer.getbuffer() as view, open(path, "wb") as handle:
        handle.write(view)


def write_netcdf(tree: Any, path: str | os.PathLike[str], *, compression: int | None) -> Path:
    """Write an ``xarray.DataTree`` as netCDF-4 (h5netcdf) to ``path``.

    Compressed at zlib level ``compression`` (0 or None: off;
    :func:`agi_timelines._netcdf.compressed_buffer`).

    The file is serialised in memory first (so it briefly needs its size in RAM), then
    written atomically (:func:`atomic_write`).
    """
    from ._netcdf import compressed_buffer, netcdf_encoding

    netcdf_encoding(tree, compression)  # a bad level is refused before the target is probed
    path = check_target(path)
    try:
        buffer = compressed_buffer(tree, compression)
    except OSError as err:
        raise OutputError(err.errno or errno.EIO, err.strerror or str(err), str(path)) from err
    with atomic_write(path) as tmp:
        write_buffer(tmp, buffer)
    return path


def read_input(path: Path, *, what: str, limit: int, limit_text: str) -> bytes:
    """Return the bytes of a small input file (a scenario, a data CSV), or ``ValueError`` naming it.

    Refused: a path that is not a regular file (a FIFO or device would block or never end),
    one that cannot be opened, one larger than ``limit`` bytes (``limit_text`` says how much
    that is), UTF-16 text and binary files (NUL bytes).  ``what`` names the kind of file in
    the messages (``"scenario file"``, ``"data CSV"``).
    """
    try:
        if path.exists() and not path.is_file():
            raise ValueError(f"cannot read {what} {path}: not a regular file")
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as err:
        raise ValueError(f"cannot read {what} {path}: {err.strerror or err}") from None
    if len(raw) > limit:
        raise ValueError(f"{path}: larger than {limit_text}; not a {what}")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError(f"{path}: is UTF-16 text; save it as UTF-8")
    if b"\x00" in raw:
        raise ValueError(f"{path}: is a binary file (it contains NUL bytes), not a {what}")
    return raw


def read_tree(path: str | os.PathLike[str], what: str) -> Any:
    """Return an ``xarray.DataTree`` read whole from the netCDF file ``path`` (h5netcdf).

    ``ValueError`` naming the path when there is no file or it is not readable netCDF;
    ``what`` names the expected content in the messages (``"forecast"``, ...).
    """
    import xarray as xr

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"no {what} file at {path}")
    try:
        with xr.open_datatree(path, engine="h5netcdf") as tree:
            return tree.load()
    except (OSError, ValueError) as err:
        raise ValueError(f"{path} is not a readable {what} netCDF file: {err}") from None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
