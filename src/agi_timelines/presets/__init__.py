"""The shipped scenario presets (TOML files in this folder).

Listing them reads only the TOML files, without the modelling stack, so the command
line's ``presets`` answers at once.
"""

from __future__ import annotations

import tomllib
from importlib import resources

__all__ = ["available", "text"]


def available() -> dict[str, str]:
    """Shipped presets: ``{name: description}``, sorted by name."""
    out = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=str):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            out[entry.name.removesuffix(".toml")] = data.get("description", "")
    return out


def text(name: str) -> str:
    """Return the TOML text of preset ``name`` (one of :func:`available`)."""
    return (resources.files(__name__) / f"{name}.toml").read_text(encoding="utf-8")
