"""Extreme-but-legal scenarios never give NaN; writes, interrupts and first use are safe.

* a hypothesis property over scenarios the validators accept, with values drawn up to the
  ends of every field's documented range;
* a real full filesystem (a tiny tmpfs) under the writer, in a subprocess;
* concurrent first use of a calibrated preset (one fit per key);
* SIGINT sent to a command-line forecast at several moments.
"""

from __future__ import annotations

import importlib
import math
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import agi_timelines as agt
from agi_timelines import InputWarning, Scenario
from agi_timelines.scenario._schema import FIELD_RANGES, HORIZON_MAX

# --- hypothesis: extreme but legal values --------------------------------------------------


def _in_range(name: str, *, inf: bool = True) -> st.SearchStrategy[float]:
    lower, upper, allow_inf, _ = FIELD_RANGES[name]
    ends = [lower, upper, lower + (upper - lower) * 1e-12, upper * (1 - 1e-12)]
    if lower == 0:
        ends += [5e-324, 1e-300]
    values = st.one_of(
        st.sampled_from(ends), st.floats(lower, upper, allow_nan=False, allow_infinity=False)
    )
    if allow_inf and inf:
        values = st.one_of(values, st.just(math.inf))
    if lower == 0 and name in ("stock_tokens", "repetition"):
        values = values.filter(lambda v: v > 0)
    return values


@st.composite
def _scenarios(draw: st.DrawFn, wall: bool) -> Scenario:
    year = draw(st.sampled_from([1950.0, 2023.2, 2200.0]) | st.floats(1950, 2200))
    horizon = draw(st.sampled_from([year + 1e-6, year + 1, HORIZON_MAX]))
    assume(horizon <= HORIZON_MAX)
    lo = draw(st.floats(1e-6, 1e3))
    hi = lo * draw(st.floats(1.0001, 1e3))

    def axis() -> dict[str, float]:
        return {
            "rate": draw(_in_range("rate")),
            "slowdown_year": draw(_in_range("slowdown_year")),
            "late_rate": draw(_in_range("late_rate")),
            "cap": draw(_in_range("cap")),
        }

    data = {
        "reference": {"year": year, "flop": draw(st.sampled_from([1e10, 2.1e25, 1e50]))},
        "horizon": horizon,
        "compute": {**axis(), "rate": {"kind": "ci90", "lo": lo, "hi": hi}},
        "algorithms": axis(),
        "unhobbling": axis(),
        "requirement": {"ooms": draw(_in_range("ooms"))},
    }
    if wall:
        data["data_wall"] = {"enabled": True} | {
            k: draw(_in_range(k))
            for k in ("stock_tokens", "stock_growth", "repetition", "p_break", "tau")
        }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InputWarning)
            return Scenario.from_dict(data)
    except ValueError:
        assume(False)
        raise


def _check_forecast(scn: Scenario) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        _check_outputs(scn, agt.forecast(scn, draws=300, seed=0))


def _check_outputs(scn: Scenario, fc: agt.Forecast) -> None:
    t0 = scn.reference.year
    arrival = fc.arrival.values.ravel()
    finite = np.isfinite(arrival)
    assert np.all(finite | (arrival == np.inf)), arrival[~finite]
    assert np.all(arrival[finite] >= t0) and np.all(arrival[finite] <= scn.horizon)
    for name, var in fc.draws.data_vars.items():
        assert not np.isnan(var.values).any(), name
    summary = [*fc.quantile([0.05, 0.5, 0.95]).values, fc.censored_fraction, fc.prob_by(t0)]
    assert not np.isnan(summary).any()


def _property(examples: int) -> settings:
    return settings(
        max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
    )


@_property(25)
@given(_scenarios(wall=False))
def test_extreme_legal_values_never_give_nan(scn):
    _check_forecast(scn)


@_property(12)
@given(_scenarios(wall=True))
def test_extreme_legal_values_never_give_nan_with_the_wall(scn):
    _check_forecast(scn)


@pytest.mark.slow
@_property(300)
@given(_scenarios(wall=True) | _scenarios(wall=False))
def test_many_extreme_legal_values_never_give_nan(scn):
    _check_forecast(scn)


@pytest.mark.parametrize(("draws", "workers", "count"), [(10, 1, 1), (40_000, 2, 2)])
def test_a_nan_draw_raises_naming_its_parameters(monkeypatch, draws, workers, count):
    """The last guard: NaN from the solver makes the forecast raise.

    If the solver ever produced NaN, the forecast raises, naming values (each seed block is checked
    by its worker thread; 40,000 draws are two blocks).
    """
    fmod = importlib.import_module("agi_timelines._engine")

    scn = Scenario.from_dict(
        {"compute": {"rate": {"kind": "ci90", "lo": 0.4, "hi": 0.7}}, "requirement": {"ooms": 5}}
    )
    solve = fmod.solve_chunk

    def poisoned(*args, out, **kwargs):  # the solver's output, before the engine checks it
        solve(*args, out=out, **kwargs)
        out["arrival_year"][3] = np.nan

    monkeypatch.setattr(fmod, "solve_chunk", poisoned)
    with pytest.raises(
        ValueError, match=rf"arrival_year is NaN in {count} draw.*draw 3,.*compute\.rate="
    ):
        agt.forecast(scn, draws=draws, seed=0, workers=workers)


# --- a real full filesystem ------------------------------------------------------------------
FULL_FS = textwrap.dedent(
    """
    import os, subprocess, sys, tempfile
    from pathlib import Path
    mnt = Path(tempfile.mkdtemp())
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(mnt)],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as err:
        print("NOMOUNT", getattr(err, "stderr", b"").decode().strip() or err)
        sys.exit(0)
    try:
        import agi_timelines as agt
        from typer.testing import CliRunner
        from agi_timelines.cli import app
        target = mnt / "fc.nc"
        target.write_bytes(b"old")
        fc = agt.forecast(agt.Scenario.preset("aschenbrenner-2024"), draws=20_000, seed=0)
        try:
            fc.to_netcdf(target)
        except OSError as err:
            assert str(target) in str(err) and "No space left" in str(err), str(err)
            assert "\\n" not in str(err)
        else:
            raise AssertionError("no error on a full filesystem")
        assert target.read_bytes() == b"old"
        assert sorted(p.name for p in mnt.iterdir()) == ["fc.nc"]
        r = CliRunner().invoke(app, ["forecast", "aschenbrenner-2024", "-n", "20000",
                                     "--out", str(target)])
        assert r.exit_code == 2, r.output
        assert r.stderr == f"error: cannot write {target}: No space left on device\\n", r.stderr
        assert target.read_bytes() == b"old"
        assert sorted(p.name for p in mnt.iterdir()) == ["fc.nc"]
        # a read-only directory is found before sampling (1e9 draws would take minutes)
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        r = CliRunner().invoke(app, ["forecast", "aschenbrenner-2024", "-n", "1e9",
                                     "--out", str(target)])
        assert r.exit_code == 2, r.output
        assert r.stderr == f"error: cannot write --out {target}: Read-only file system\\n", r.stderr
        print("OK")
    finally:
        subprocess.run(["umount", str(mnt)], check=False)
        mnt.rmdir()
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tmpfs is Linux-only")
def test_full_filesystem_keeps_the_old_file_and_raises_one_error():
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    proc = subprocess.run(
        [sys.executable, "-c", FULL_FS], capture_output=True, text=True, timeout=600
    )
    if proc.stdout.startswith("NOMOUNT"):
        pytest.skip(f"cannot mount a tmpfs here: {proc.stdout.strip()}")
    # a segfault (-11) or an HDF5 crash fails here
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("OK"), proc.stdout + proc.stderr


# --- concurrent first use ---------------------------------------------------------------------
def test_one_fit_per_calibration_key_the_others_wait(monkeypatch):
    fmod = importlib.import_module("agi_timelines._engine")

    calls = []

    def slow_fit(since, seed):
        calls.append((since, seed))
        time.sleep(0.3)
        return object()

    monkeypatch.setattr(sys.modules["agi_timelines.calibration"], "calibrate", slow_fit)
    fmod._fitted.cache_clear()
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda s=s: results.append(fmod._fitted(2018.0 + s, 0)))
        for s in (0, 0, 0, 1)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 4
    assert sorted(calls) == [(2018.0, 0), (2019.0, 0)]  # one fit per key
    first = fmod._fitted(2018.0, 0)  # cached: no new call
    assert len(calls) == 2 and sum(r is first for r in results) == 3
    fmod._fitted.cache_clear()  # forget the fake fits


CONCURRENT = textwrap.dedent(
    """
    import sys, threading, time
    import agi_timelines as agt
    scn = agt.Scenario.preset("epoch-trends")
    start = time.perf_counter()
    if sys.argv[1] == "sequential":
        agt.forecast(scn, draws=2000, seed=0)
    else:
        out = []
        threads = [threading.Thread(target=lambda: out.append(agt.forecast(scn, draws=2000)))
                   for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(600)
        assert len(out) == 2, "a thread did not finish"
        a, b = (fc.arrival.values for fc in out)
        assert (a == b).all()
    print(time.perf_counter() - start)
    """
)


@pytest.mark.slow
def test_two_threads_first_use_of_a_calibrated_preset():
    seconds = {}
    for mode in ("sequential", "threads"):
        proc = subprocess.run(
            [sys.executable, "-c", CONCURRENT, mode], capture_output=True, text=True, timeout=900
        )
        assert proc.returncode == 0, proc.stderr
        seconds[mode] = float(proc.stdout.split()[-1])
    assert seconds["threads"] <= 3 * seconds["sequential"], seconds


# --- SIGINT -----------------------------------------------------------------------------------
CLI = textwrap.dedent(
    """
    import sys
    from agi_timelines.cli import entry_point
    print("ready", flush=True)
    sys.exit(entry_point())  # what the agi-timelines script runs
    """
)


def _interrupt(tmp_path: Path, delay: float) -> None:
    target = tmp_path / "fc.nc"
    target.write_bytes(b"old")
    args = ["forecast", "aschenbrenner-2024", "-n", "300000", "--out", str(target)]
    proc = subprocess.Popen(
        [sys.executable, "-c", CLI, *args],  # sys.argv[1:] are the command's arguments
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=600)
    if proc.returncode == 0:  # finished before the signal: the complete new file
        assert agt.Forecast.from_netcdf(target).arrival.sizes["draw"] == 300_000
        return
    assert proc.returncode == 130, (proc.returncode, err)
    assert err == "error: interrupted\n", err
    raw = target.read_bytes()
    if raw != b"old":  # interrupted while writing: the write completed first
        assert agt.Forecast.from_netcdf(target).arrival.sizes["draw"] == 300_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fc.nc"]


def test_sigint_during_a_cli_forecast(tmp_path):
    _interrupt(tmp_path, 1.0)


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.2, 0.5, 2.0, 4.0, 6.0, 8.0])
def test_sigint_at_several_moments(tmp_path, delay):
    _interrupt(tmp_path, delay)


def test_once_per_key_caches_results_not_failures():
    from agi_timelines._once import once_per_key

    calls = []

    @once_per_key
    def fit(x, fail=False):
        calls.append(x)
        if fail:
            raise ValueError("no fit")
        return [x]

    assert fit(1) is fit(1) and calls == [1]
    for _ in range(2):
        with pytest.raises(ValueError, match="no fit"):
            fit(2, fail=True)
    assert calls == [1, 2, 2]
    fit.cache_clear()
    fit(1)
    assert calls == [1, 2, 2, 1]


# The console script, run as is, with a SIGINT sent to itself when it first imports `module`:
# the moment is fixed by the import, not by a sleep that a fast machine outruns.
INTERRUPTED_AT_IMPORT = textwrap.dedent(
    """
    import os, runpy, signal, sys

    script, module = sys.argv[1], sys.argv[2]

    class SigintAt:
        def find_spec(self, name, path=None, target=None):
            if name == module:
                sys.meta_path.remove(self)
                os.kill(os.getpid(), signal.SIGINT)
            return None

    sys.meta_path.insert(0, SigintAt())
    sys.argv = [script, *sys.argv[3:]]
    runpy.run_path(script, run_name="__main__")
    """
)


@pytest.mark.parametrize(
    "module",
    [
        "agi_timelines.cli",  # the script's first import, once the package's own has run
        "agi_timelines.cli._show",  # halfway through the command line's imports
        "rich.table",  # inside `presets`, once main() has taken over
    ],
)
def test_ctrl_c_while_the_console_script_starts_is_one_line(module):
    """Before main() runs, the console script is still importing its libraries.

    A Ctrl-C then is one line and status 130 too, not an import traceback.
    """
    script = Path(sys.executable).parent / "agi-timelines"
    assert script.exists(), f"no console script next to {sys.executable}: install the package"
    proc = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_AT_IMPORT, str(script), module, "presets"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 130, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == ["error: interrupted"]
    assert proc.stdout == ""
