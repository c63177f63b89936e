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
from agi_timelines import plot
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
    for name in plot.__all__:  # the figures, and the same figures as Forecast methods
        if callable(getattr(plot, name)):
            assert f'id="agi_timelines.plot.{name}"' in api, f"plot.{name} not in the API"
    for method in FORECAST_PLOT_METHODS:
        assert f'id="agi_timelines.plot.ForecastPlots.{method}"' in api, f"fc.plot.{method}"
    for page in PAGES:
        if page == "api.md":  # docstrings there may name other packages' objects
            continue
        html = (out / page.replace(".md", ".html")).read_text(encoding="utf-8")
        # a {func}/{class}/... role that Sphinx could not resolve renders as code without a link
        dead = [
            re.sub(r"<[^>]+>", "", m.group(2))
            for m in re.finditer(r'(<a [^>]*>)?(<code class="xref py[^"]*">.*?</code>)', html)
            if m.group(1) is None
        ]
        assert not dead, f"docs/{page}: references to nothing: {dead}"


FORECAST_PLOT_METHODS = (
    "cdf",
    "pdf",
    "fan",
    "axes",
    "error_bars",
    "parameters",
    "data_wall",
    "horizons",
)


def test_pages_mention_every_figure_and_plot_method():
    """How-to pages name every figure function and every method of the ``fc.plot`` accessor."""
    text = "\n".join((DOCS / page).read_text() for page in PAGES)
    for name in plot.__all__:
        if callable(getattr(plot, name)) and name not in ("style", "save"):
            assert f"plot.{name}" in text, f"plot.{name} is on no documentation page"
    for method in FORECAST_PLOT_METHODS:
        assert f"fc.plot.{method}(" in text, f"fc.plot.{method} is on no documentation page"
        assert callable(getattr(plot.ForecastPlots, method))


@pytest.mark.parametrize("doc", ["README.md", *(f"docs/{p}" for p in PAGES)])
def test_local_images_exist(doc):
    """Images the README and the pages show are in the repository."""
    path = DOCS.parent / doc
    for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", path.read_text()):
        if "://" not in target:
            assert (path.parent / target).is_file(), f"{doc} shows {target}, which does not exist"


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
