"""The ``agi_timelines.cli`` package: a light import, and one all-or-none writer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agi_timelines import cli
from agi_timelines.cli import app
from agi_timelines.cli._outputs import write_all


def test_importing_the_command_line_loads_no_numerical_stack():
    """``agi-timelines --help`` and ``presets`` stay fast: no numpy, PyMC or matplotlib."""
    code = (
        "import sys, agi_timelines.cli; "
        "print(sorted(m for m in ('numpy', 'pymc', 'matplotlib', 'xarray', 'scipy') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_python_dash_m_runs_the_command_line():
    done = subprocess.run(
        [sys.executable, "-m", "agi_timelines.cli", "presets"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "aschenbrenner-2024" in done.stdout


def _text(content: str):
    def write(path: Path) -> None:
        path.write_text(content)

    return write


def _broken(path: Path) -> None:
    path.write_text("half")
    raise ValueError("writer failed")


def test_write_all_writes_every_file(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    write_all([(a, _text("A")), (None, _broken), (b, _text("B"))])
    assert a.read_text() == "A" and b.read_text() == "B"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]  # no temporaries


@pytest.mark.parametrize("failing", [0, 1, 2])
def test_write_all_writes_nothing_when_one_output_fails(tmp_path, failing):
    paths = [tmp_path / f"{i}.txt" for i in range(3)]
    paths[1].write_text("old")  # an existing output stays as it was
    writers = [_text("new")] * 3
    writers[failing] = _broken
    with pytest.raises(ValueError, match="writer failed"):
        write_all(list(zip(paths, writers, strict=True)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.txt"]
    assert paths[1].read_text() == "old"


def test_compare_with_a_failing_figure_leaves_no_file(tmp_path, monkeypatch):
    def broken(forecasts):
        raise ValueError("figure failed")

    monkeypatch.setattr(cli._compare, "_compare_figure", broken)
    out, plot = tmp_path / "c.nc", tmp_path / "c.png"
    args = ["compare", "aschenbrenner-2024", "epoch-trends", "-n", "300"]
    result = CliRunner().invoke(app, [*args, "--out", str(out), "--plot", str(plot)])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: figure failed"
    assert list(tmp_path.iterdir()) == []
