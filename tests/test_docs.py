"""The documentation builds (warnings are errors) and its examples run.

CI runs ``make test``, so building the Sphinx site here is what keeps the docs building.
"""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import typer.main

import agi_timelines as agt
from agi_timelines.cli import app

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(
    p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if "_build" not in p.parts
)


def test_sphinx_build_has_no_warnings_and_documents_all(tmp_path):
    """``make docs`` as CI would run it, into a temporary folder (offline: no intersphinx)."""
    out = tmp_path / "html"
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-q"]
    cmd += ["-d", str(tmp_path / "doctrees"), str(DOCS), str(out)]
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-5000:]
    api = (out / "api.html").read_text(encoding="utf-8")
    for name in agt.__all__:
        if not name.startswith("__"):
            assert f'id="agi_timelines.{name}"' in api, f"{name} missing from the API page"
    for page in PAGES:
        assert (out / page.replace(".md", ".html")).is_file()


@pytest.mark.parametrize("page", [p for p in PAGES if ">>> " in (DOCS / p).read_text()])
def test_page_examples_run(page, tmp_path, monkeypatch):
    """Every ``>>>`` example in the pages runs and prints what the page says."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testfile(
        str(DOCS / page), module_relative=False, optionflags=flags, verbose=False, report=True
    )
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} example(s) in docs/{page} failed (see above)"


def _toml_blocks() -> list[tuple[str, str]]:
    blocks = []
    for page in PAGES:
        for text in re.findall(r"```toml\n(.*?)```", (DOCS / page).read_text(), re.S):
            blocks.append((page, text))
    return blocks


@pytest.mark.parametrize(("page", "text"), _toml_blocks())
def test_toml_examples_are_valid_scenarios(page, text):
    """Complete TOML examples load; fragments load when added to the preset."""
    if text.startswith("# fragment"):
        base = agt.Scenario.preset("aschenbrenner-2024").to_dict()
        for section, values in tomllib.loads(text).items():
            base[section] = base.get(section, {}) | values if isinstance(values, dict) else values
        scenario = agt.Scenario.from_dict(base)
    else:
        scenario = agt.Scenario.from_toml_string(text, source=page)
    assert scenario.random_fields()


def test_cli_page_covers_every_command_and_option():
    text = (DOCS / "cli.md").read_text()
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert f"## `agi-timelines {name}" in text, f"command {name} is not documented"
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt not in ("--help", "--debug"):
                    assert f"`{opt}" in text or f"{opt} " in text, f"{name} {opt} undocumented"
    assert "--debug" in text


def test_model_page_quotes_the_preset_priors():
    """The model page's table of the preset's 90% intervals matches the shipped preset."""
    preset = agt.Scenario.preset("aschenbrenner-2024")
    text = (DOCS / "model.md").read_text()
    keys = ["rate", "slowdown_year", "late_rate", "cap"]
    for axis in ("compute", "algorithms", "unhobbling"):
        row = re.search(rf"^\| {axis} \|(.*)\|$", text, re.M)
        assert row, f"no row for {axis}"
        cells = [c.strip() for c in row.group(1).split("|")]
        for key, cell in zip(keys, cells, strict=True):
            prior = preset.prior_fields()[f"{axis}.{key}"]
            lo, hi = (float(x) for x in cell.split("–"))
            assert (lo, hi) == (prior.lo, prior.hi), f"{axis}.{key}: page {cell}, preset {prior}"
    req = preset.requirement.ooms
    assert f"90% interval {req.lo:g}–{req.hi:g} OOMs" in text
