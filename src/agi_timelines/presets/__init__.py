"""The shipped scenario presets (TOML files in this folder).

Listing them reads only the TOML files, without the modelling stack, so the command
line's ``presets`` answers at once.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

__all__ = ["available", "text"]


def available() -> dict[str, str]:
    """Shipped presets: ``{name: description}``, sorted by name."""
    return dict(_listing())


@functools.cache  # package data: read and parsed once per process, not on every lookup
def _listing() -> tuple[tuple[str, str], ...]:
    out = []
    for entry in sorted(resources.files(__name__).iterdir(), key=str):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            out.append((entry.name.removesuffix(".toml"), data.get("description", "")))
    return tuple(out)


def text(name: str) -> str:
    """Return the TOML text of preset ``name`` (one of :func:`available`)."""
    return (resources.files(__name__) / f"{name}.toml").read_text(encoding="utf-8")
