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


MODEL = ROOT / "docs" / "model.md"
CITATION = re.compile(r"docs/model\.md`{0,2}")
PART = re.compile(r'^\s*(?:[,:]\s*|\s+)(?:sections?\s+)?(?P<what>"[^"]+"|\S+)')
"""What follows a citation when it names a part: a comma, a colon or ``section``, then a
quoted heading (or, wrongly, anything else)."""
QUOTED = re.compile(r'^\s*(?:,|and|or)\s*"(?P<name>[^"]+)"')
CONTINUATION = re.compile(r"\s*\n\s*(?:#+|\*|>>>|\.\.\.)?\s*")
"""A line break inside a citation, with the next line's comment or doctest marks."""


def model_headings() -> set[str]:
    """Return the headings of docs/model.md, as written (without the ``#`` marks)."""
    text = MODEL.read_text(encoding="utf-8")
    return {m.group(1).strip() for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", text, re.M)}


def cited_parts(tail: str) -> list[str | None] | None:
    """Return the parts of docs/model.md that the text right after a citation names.

    ``None`` for the file as a whole; a list of quoted headings; ``[None]`` for a part named
    otherwise (a number, an unquoted word).
    """
    tail = CONTINUATION.sub(" ", tail)
    starts_part = re.match(r"^\s*(?:[,:]|sections?\b)", tail)
    if starts_part is None:
        return None
    first = PART.match(tail)
    if first is None or not first.group("what").startswith('"'):
        return [None]
    names = [first.group("what").strip('"')]
    rest = tail[first.end() :]
    while (more := QUOTED.match(rest)) is not None:
        names.append(more.group("name"))
        rest = rest[more.end() :]
    return names


def model_citations() -> list[tuple[str, str | None]]:
    """Return ``(file:line, heading)`` of every citation of a part of docs/model.md.

    Read in the tracked files; ``heading`` is None where the part is not named by a quoted
    heading.
    """
    out = []
    for path in _tracked_text_files():
        if not path.is_file() or path == MODEL or path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in CITATION.finditer(text):
            parts = cited_parts(text[m.end() : m.end() + 200])
            line = text.count("\n", 0, m.start()) + 1
            out += [(f"{path.relative_to(ROOT)}:{line}", name) for name in parts or []]
    return out


def test_the_citation_reader_is_not_blind():
    """Each form of citation is recognised, a line break inside one included."""
    assert cited_parts(', "The data wall".') == ["The data wall"]
    assert cited_parts(' section "A" and "B")') == ["A", "B"]
    assert cited_parts(", section 3 requires") == [None]  # a number: not a heading
    assert cited_parts(", Arrival)") == [None]  # unquoted
    assert cited_parts(": growth axes, requirement)") == [None]
    assert cited_parts(" (the user docs).") is None  # the file as a whole
    assert cited_parts(', "Adding an\n    # axis or a route".') == ["Adding an axis or a route"]
    assert {"The data wall", "Where the wall binds", "Arrival and censoring"} <= model_headings()
    assert ("Adding an axis or a route") in {name for _, name in model_citations()}


def test_every_model_citation_names_a_heading_that_exists():
    """A citation of a part of docs/model.md (``docs/model.md, "X"``) names an existing heading.

    So that a reader can find it; numbers and unquoted names are not allowed.
    """
    headings = model_headings()
    bad = [
        f"{where}: {name!r}" if name else f"{where}: name the part by its quoted heading"
        for where, name in model_citations()
        if name not in headings
    ]
    assert not bad, "citations of docs/model.md that resolve to no heading:\n" + "\n".join(bad)
