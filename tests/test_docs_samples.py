"""Every sample output in docs/ is what the command prints now.

``make docs-samples`` rewrites them; see ``docs/samples.py``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
sys.path.insert(0, str(DOCS))

import samples  # noqa: E402  (docs/samples.py)

SAMPLES = list(samples.samples())


def test_there_are_samples_and_every_output_block_is_one():
    assert len(SAMPLES) >= 6
    marked = {(s.page, s.start) for s in SAMPLES}
    for page in sorted(DOCS.rglob("*.md")):
        if "_build" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r"^```(text|json)\n", text, re.M):
            assert (page, m.end()) in marked, (
                f"{page.relative_to(DOCS)}: a {m.group(1)} block without a "
                "'<!-- sample: ... -->' marker (output in the docs must be generated)"
            )


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.label for s in SAMPLES])
def test_sample_matches_what_the_command_prints(sample, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    now = samples.regenerate(sample)
    assert samples.normalize(now) == samples.normalize(sample.body), (
        f"{sample.label} is stale: run `make docs-samples`\n--- now ---\n{now}"
    )


def test_abridging_and_masking():
    sample = samples.Sample(DOCS / "cli.md", "x", ["keep: ^(a|c)"], "```text", "", 0, 0)
    assert samples.render(sample, "a\nb\n\nb\nc\n") == "$ agi-timelines x\na\n ...\nc\n"
    assert samples.normalize("run (16.8 s)") == samples.normalize("run (0.4 s)")
    assert samples.normalize("median 2029.0") != samples.normalize("median 2029.1")
