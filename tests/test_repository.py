"""Repository hygiene that users rely on: every reference in it resolves inside it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tracked_text_files() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: cannot list the tracked files")
    files = []
    for name in out.splitlines():
        path = ROOT / name
        if path.suffix in {".py", ".md", ".toml", ".txt", ".cfg", ".csv"} or path.name in {
            "Makefile",
            "run",
        }:
            files.append(path)
    return files


def test_nothing_points_at_the_internal_specification():
    """The model's specification for users is docs/model.md; no file may cite another."""
    pattern = re.compile(r"\bSPEC\b")
    offenders = [
        f"{path.relative_to(ROOT)}:{i}"
        for path in _tracked_text_files()
        if path.is_file()
        for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not offenders, "references to a file outside the repository: " + ", ".join(offenders)
