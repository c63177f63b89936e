"""Sample outputs in the docs, generated from the code: regenerate them, or check them.

A sample is a fenced block right after a marker comment naming the command::

    <!-- sample: forecast aschenbrenner-2024 --draws 1e5 --seed 0 | keep: ^(arr|P) -->
    ```text
    $ agi-timelines forecast aschenbrenner-2024 --draws 1e5 --seed 0
    ...
    ```

The block holds ``$ agi-timelines <arguments>`` and what that command prints (stdout, then
stderr).  Options after ``|``:

``keep: REGEX``
    abridge: keep the lines matching ``REGEX`` (Python ``re.search``); each run of
    dropped lines becomes one ``...`` line (blank lines are dropped without one).
``json``
    the command prints JSON: show it with the ``versions`` shortened (they depend on the
    machine) and ``seconds`` as measured.

Run times (``(16.8 s)``, ``"seconds": 15.7``) differ from run to run and are ignored when
checking.  Usage (from the repository root; ``make docs-samples`` runs the first)::

    python docs/samples.py            # rewrite every sample block in docs/
    python docs/samples.py --check    # exit 1 and show the differences if any is stale
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

DOCS = Path(__file__).resolve().parent

MARKER = re.compile(
    r"^<!-- sample: (?P<spec>.+?) -->\n(?P<fence>```[a-z]*)\n(?P<body>.*?)^```$",
    re.M | re.S,
)


def _mine_toml() -> str:
    """The scenario file of the error example: the preset with an impossible compute.rate."""
    from agi_timelines.presets import text

    good = 'rate = { kind = "ci90", lo = 0.4, hi = 0.75 }'
    preset = text("aschenbrenner-2024")
    assert preset.count(good) == 1, "the preset's compute.rate line changed; update samples.py"
    return preset.replace(good, 'rate = { kind = "ci90", lo = -1.0, hi = 0.75 }')


FILES: dict[str, Callable[[], str]] = {"mine.toml": _mine_toml}
"""Files a sample command reads, created in its temporary working directory."""


@dataclass
class Sample:
    """One sample block of a page."""

    page: Path
    command: str
    options: list[str]
    fence: str
    body: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{self.page.relative_to(DOCS)}: agi-timelines {self.command}"


def samples(pages: list[Path] | None = None) -> Iterator[Sample]:
    """Every sample block of the docs' pages, in order."""
    for page in pages or sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts):
        text = page.read_text(encoding="utf-8")
        for m in MARKER.finditer(text):
            parts = re.split(r" \| (?=keep:|json\b)", m.group("spec"))
            command, *options = (part.strip() for part in parts)
            body_start = m.start("body")
            yield Sample(
                page, command, options, m.group("fence"), m.group("body"), body_start, m.end("body")
            )


def run(command: str) -> str:
    """What ``agi-timelines <command>`` prints (stdout, then stderr), run in-process."""
    from typer.testing import CliRunner

    from agi_timelines.cli import app

    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in FILES.items():
            Path(tmp, name).write_text(content(), encoding="utf-8")
        os.chdir(tmp)
        try:
            result = CliRunner().invoke(app, shlex.split(command))
        finally:
            os.chdir(cwd)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise RuntimeError(f"agi-timelines {command} failed: {result.exception!r}")
    return result.stdout + result.stderr


def render(sample: Sample, output: str) -> str:
    """The block's text for ``output`` of its command (options applied)."""
    lines = [line.rstrip() for line in output.rstrip("\n").splitlines()]
    for option in sample.options:
        if option == "json":
            data = json.loads(output)
            if "versions" in data:
                data["versions"] = {
                    "agi_timelines": data["versions"]["agi_timelines"],
                    "...": "...",
                }
            lines = json.dumps(data, indent=2).splitlines()
        elif option.startswith("keep:"):
            pattern = re.compile(option.removeprefix("keep:").strip())
            kept: list[str] = []
            for line in lines:
                if pattern.search(line):
                    kept.append(line)
                elif line.strip() and (not kept or kept[-1] != " ..."):
                    kept.append(" ...")  # blank lines go without a mark
            lines = kept
        else:
            raise ValueError(f"{sample.label}: unknown sample option {option!r}")
    while lines and not lines[-1]:
        lines.pop()
    prompt = [] if "json" in sample.options else [f"$ agi-timelines {sample.command}"]
    return "\n".join([*prompt, *lines]) + "\n"


_VOLATILE = [
    (re.compile(r"\d+(\.\d+)? s\)"), "<seconds> s)"),
    (re.compile(r'"seconds": [\d.]+'), '"seconds": <seconds>'),
    (re.compile(r'"agi_timelines": "[^"]+"'), '"agi_timelines": "<version>"'),
]


def normalize(text: str) -> str:
    """``text`` with run times and the version masked (they change without a code change)."""
    for pattern, repl in _VOLATILE:
        text = pattern.sub(repl, text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def regenerate(sample: Sample) -> str:
    """The up-to-date text of ``sample``'s block."""
    return render(sample, run(sample.command))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if stale")
    args = parser.parse_args(argv)
    stale = 0
    by_page: dict[Path, list[tuple[Sample, str]]] = {}
    for sample in samples():
        new = regenerate(sample)
        if normalize(new) != normalize(sample.body):
            stale += 1
            if args.check:
                sys.stdout.writelines(
                    difflib.unified_diff(
                        sample.body.splitlines(True), new.splitlines(True), sample.label, "now"
                    )
                )
        by_page.setdefault(sample.page, []).append((sample, new))
    if args.check:
        print(f"{stale} stale sample block(s)" if stale else "every sample block is up to date")
        return 1 if stale else 0
    for page, blocks in by_page.items():
        text = page.read_text(encoding="utf-8")
        for sample, new in sorted(blocks, key=lambda b: b[0].start, reverse=True):
            text = text[: sample.start] + new + text[sample.end :]
        page.write_text(text, encoding="utf-8")
    print(f"rewrote {sum(len(b) for b in by_page.values())} sample block(s) ({stale} had changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
