"""Scenario files: TOML reading and writing, the shipped presets, file checks.

Reading goes through :func:`agi_timelines._io.read_input` (size limit, a clear error
naming the file) and writing through :func:`agi_timelines._io.write_bytes` (atomic: no
partial file on failure).  This module deals in text and plain nested dicts; validating
them into a :class:`~agi_timelines.Scenario` is the schema's job.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from .. import presets
from .._io import read_input, write_bytes

__all__ = [
    "MAX_FILE_BYTES",
    "dumps",
    "loads",
    "preset_names",
    "preset_text",
    "read_text",
    "source_of",
    "write_text",
]

MAX_FILE_BYTES = 2**20
"""Largest scenario file read (1 MiB; the presets are about 5 KB)."""


def read_text(path: Path) -> str:
    """Read a scenario file's text (UTF-8, a leading byte-order mark allowed, <= 1 MiB).

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    str

    Raises
    ------
    ValueError
        Naming the file, if it is not UTF-8 text (or too large, or not readable: see
        :func:`agi_timelines._io.read_input`).
    """
    raw = read_input(path, what="scenario file", limit=MAX_FILE_BYTES, limit_text="1024 KiB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"{path}: is not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start}); "
            "save it as UTF-8"
        ) from None


def loads(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text into a nested dict.

    Parameters
    ----------
    text : str
        TOML (a leading byte-order mark is dropped).
    source : str
        How messages name the text (a file name, ``"preset <name>"``, ...).

    Returns
    -------
    dict

    Raises
    ------
    ValueError
        ``"<source>: not valid TOML: ..."``.
    """
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{source}: not valid TOML: {err}") from None
    except RecursionError:
        raise ValueError(f"{source}: not valid TOML: arrays or tables nested too deeply") from None


def dumps(data: dict[str, Any]) -> str:
    """TOML text of a scenario's plain nested dict.

    Parameters
    ----------
    data : dict

    Returns
    -------
    str
    """
    return tomli_w.dumps(data)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically.

    Parameters
    ----------
    path : pathlib.Path
    text : str

    Raises
    ------
    OSError
        Naming ``path`` (see :func:`agi_timelines._io.write_bytes`).
    """
    write_bytes(path, text.encode("utf-8"))


def preset_names() -> dict[str, str]:
    """List the shipped presets.

    Returns
    -------
    dict of str to str
        ``{name: one-line description}``.
    """
    return presets.available()


def preset_text(name: str) -> str:
    """Return the TOML text of the shipped preset ``name``.

    Parameters
    ----------
    name : str

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If there is no such preset; the message lists the available ones.
    """
    names = preset_names()
    if name not in names:
        raise ValueError(f"unknown preset {name!r}; available: {', '.join(names)}")
    return presets.text(name)


def source_of(name_or_path: str | Path) -> str | Path:
    """Tell whether ``name_or_path`` names a preset or a scenario file.

    Parameters
    ----------
    name_or_path : str or pathlib.Path

    Returns
    -------
    str or pathlib.Path
        The preset name (``str``), or the file (``Path``).

    Raises
    ------
    ValueError
        If it is neither a preset nor an existing file.
    """
    names = preset_names()
    if str(name_or_path) in names:
        return str(name_or_path)
    if not Path(name_or_path).exists():
        raise ValueError(
            f"{str(name_or_path)!r} is neither a preset ({', '.join(names)}) nor an "
            "existing scenario file"
        )
    return Path(name_or_path)
