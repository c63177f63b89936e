"""The structure registry: axes, routes, outputs, and the solvers' Structure.

Every registry entry is checked against the schema, the plots and the units; the
acceptance criterion of the registry -- a new axis is one entry plus one schema field, a new
route one entry (plus its field) -- is shown by extending both in a test and forecasting,
solving and plotting with the extension.
"""

from __future__ import annotations

import math
import warnings

import matplotlib
import numpy as np
import pytest
from pydantic import Field

import agi_timelines as agt
from agi_timelines import result, structure
from agi_timelines._solver import N_AXES
from agi_timelines.forecast import output_names
from agi_timelines.model import contributions, solve, units, var_name
from agi_timelines.plot import COLORS
from agi_timelines.priors import Prior
from agi_timelines.scenario import Axis, ComputeAxis, Requirement, Scenario, _zero_axis
from agi_timelines.structure import AXES, OUTPUTS, ROUTES, AxisSpec, RouteSpec, Structure

matplotlib.use("Agg")

PRESETS = list(Scenario.presets())


def _schema_node(path: str) -> type:
    """Return the pydantic model class of the schema field at dotted ``path``."""
    node: type = Scenario
    for part in path.split("."):
        assert part in node.model_fields, f"{path}: no schema field {part!r}"
        annotation = node.model_fields[part].annotation
        args = [a for a in getattr(annotation, "__args__", (annotation,)) if a is not type(None)]
        node = args[0]
    return node


# -- the registries ------------------------------------------------------------------------
@pytest.mark.parametrize("spec", AXES, ids=lambda a: a.name)
def test_every_axis_has_a_schema_field_a_colour_and_a_label(spec: AxisSpec) -> None:
    node = _schema_node(spec.name)
    assert node in (Axis, ComputeAxis)
    assert all(f in node.model_fields for f in structure.AXIS_FIELDS)
    assert spec.label and COLORS[spec.label] == spec.color
    assert matplotlib.colors.is_color_like(spec.color)
    assert set(spec.walled_by) <= set(structure.WALL_BINDS)


def test_wall_groups_are_as_documented() -> None:
    # binds = "pretraining": compute and algorithms behind the wall; "physical": compute only
    walled = {b: [a.name for a in AXES if b in a.walled_by] for b in structure.WALL_BINDS}
    assert walled["pretraining"] == [
        "compute",
        "compute.spending",
        "compute.hardware",
        "algorithms",
    ]
    assert walled["physical"] == ["compute", "compute.spending", "compute.hardware"]
    assert [a.name for a in AXES if a.physical] == walled["physical"]


def test_solver_slots_derive_from_the_registry() -> None:
    # one compute trend or its two parts, algorithms, unhobbling
    assert structure.max_axes() == N_AXES == 4


@pytest.mark.parametrize("route", ROUTES.values(), ids=lambda r: r.name)
def test_every_route_converts_and_lists_its_outputs_and_units(route: RouteSpec) -> None:
    assert route.name in Requirement.model_fields and route.units
    assert len(route.calibrated) == len(route.calibrated_units)
    rng = np.random.default_rng(0)
    p = {route.path: rng.uniform(1.0, 30.0, 50)}
    p |= {path: rng.uniform(0.5, 3.0, 50) for path in route.calibrated}
    log10_ref, r_e = math.log10(2.1e25), rng.uniform(0.5, 2.0, 50)
    out = route.convert(p, log10_ref, r_e if route.needs_early_rate else None)
    # closed forms, written out independently of the library's conversions
    x = p[route.path]
    expected = {
        "ooms": x,
        "log10_flop": x - log10_ref,
        "horizon_hours": (np.log2(60 * x) - p.get("horizon.h_ref", 0))
        * r_e
        / p.get("horizon.doublings_per_year", 1),
    }[route.name]
    np.testing.assert_allclose(out["requirement"], expected, rtol=1e-12)
    assert set(route.outputs) <= set(out) and set(route.outputs) <= {o.name for o in OUTPUTS}
    for name in (*route.outputs, var_name(route.path), *map(var_name, route.calibrated)):
        assert units(name), name


def test_the_time_horizon_route_is_one_entry() -> None:
    calibrated = [r.name for r in ROUTES.values() if r.calibrated or r.needs_early_rate]
    assert calibrated == ["horizon_hours"]
    assert ROUTES["horizon_hours"].outputs == ("requirement", "horizon_doublings_per_oom")


@pytest.mark.parametrize("output", OUTPUTS, ids=lambda o: o.name)
def test_every_output_has_units(output: structure.OutputSpec) -> None:
    assert output.units
    name = "compute_" + output.name if output.when == "axis" else output.name
    assert units(name) == output.units


@pytest.mark.parametrize("preset", PRESETS)
def test_every_stored_variable_has_units(preset: str) -> None:
    scn = Scenario.preset(preset)
    names = [var_name(p) for p in scn.prior_fields()] + output_names(scn)
    assert all(units(n) for n in names), [n for n in names if not units(n)]


# -- the Structure -------------------------------------------------------------------------
def _variants() -> list[Scenario]:
    base = Scenario.preset("aschenbrenner-2024")
    return [
        base,
        base.replace({"requirement.ooms": agt.normal(7.0, 1.0)}),  # same structure
        base.replace({"requirement.ooms": 7.0}),  # a point mass: another structure
        base.replace({"data_wall.enabled": True}),
        base.replace({"data_wall.enabled": True, "data_wall.binds": "physical"}),
        base.replace({"data_wall.binds": "physical"}),  # wall off: binds does not matter
        base.correlate("compute.rate", "algorithms.rate", 0.4),
        *map(Scenario.preset, PRESETS),
    ]


def test_structure_equality_and_hash_are_the_tuples() -> None:
    scenarios = _variants()
    shapes = [s.structure() for s in scenarios]
    for s, a in zip(scenarios, shapes, strict=True):
        assert isinstance(a, Structure) and a == Structure.of(s)
        for b in shapes:
            assert (a == b) is (a.as_tuple() == b.as_tuple())
            if a == b:
                assert hash(a) == hash(b)
    assert len(set(shapes)) == len({s.as_tuple() for s in shapes}) < len(shapes)


def test_structure_axes_and_groups() -> None:
    split = Scenario.from_dict(
        {
            "compute": {"spending": {"rate": 0.3}, "hardware": {"rate": 0.1}},
            "algorithms": {"rate": 0.2},
            "requirement": {"ooms": 5.0},
            "data_wall": {"enabled": True, "binds": "physical"},
        }
    ).structure()
    assert split.axes == ("compute.spending.", "compute.hardware.", "algorithms.", "unhobbling.")
    assert split.walled == ("compute.spending.", "compute.hardware.")
    assert split.split_axes(False) == (list(split.walled), ["algorithms.", "unhobbling."])
    assert split.outputs == [
        "wall_year",
        "breakthrough_year",
        "arrival_year",
        "arrival_year_no_wall",
    ]
    metr = Scenario.preset("metr-horizons").structure()
    assert metr.outputs[:2] == ["requirement", "horizon_doublings_per_oom"]
    assert metr.random_paths[-2:] == list(ROUTES["horizon_hours"].calibrated)


# -- acceptance: a new axis is one entry plus one schema field, a new route one entry -------
ROBOTICS = AxisSpec("robotics", "robotics", "#E69F00", ("pretraining",))


class _RoboticsScenario(Scenario):
    robotics: Axis = Field(default_factory=_zero_axis)


def _robotics(rate: object) -> _RoboticsScenario:
    return _RoboticsScenario.model_validate(
        {
            "compute": {"rate": 0.5},
            "algorithms": {"rate": 0.3},
            "robotics": {"rate": rate},
            "requirement": {"ooms": agt.normal(6.0, 1.0)},
            "horizon": 2100.0,
        }
    )


def test_a_new_axis_is_sampled_solved_and_plotted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(structure, "AXES", (*AXES, ROBOTICS))
    # the schema field: a subclass stands in for adding the field to Scenario itself
    monkeypatch.setattr(result, "Scenario", _RoboticsScenario)
    scn = _robotics(0.2)
    assert [a.name for a in scn.structure().axis_specs][-1] == "robotics"
    assert "robotics.rate" in scn.prior_fields()
    fc = agt.forecast(scn, draws=2000, seed=0)
    # solved: with point-mass rates and no caps, E(t) = 1.0 (t - t0), so T = t0 + R / 1.0
    R = fc.parameters()["requirement.ooms"]
    t0 = scn.reference.year
    expected = np.where(R <= 0, t0, t0 + R / (0.5 + 0.3 + 0.2))
    np.testing.assert_allclose(fc.arrival.values.ravel(), expected, rtol=0, atol=1e-9)
    # sampled: a random rate is a stored parameter with its own stream
    fc2 = agt.forecast(_robotics(agt.uniform(0.18, 0.22)), draws=500, seed=1)
    rate = fc2.parameters()["robotics.rate"]
    assert rate.std() > 0.005 and abs(rate.mean() - 0.2) < 0.005
    # the symbolic solver agrees with the compiled one
    p = {k: np.asarray(v, dtype=float) for k, v in fc2.parameters().items()}
    sym = solve(
        fc2.scenario.structure(), p, t0, fc2.scenario.horizon, math.log10(scn.reference.flop)
    )
    np.testing.assert_allclose(sym["arrival_year"], fc2.arrival.values.ravel(), rtol=0, atol=1e-9)
    assert "robotics_cap_year" in sym
    # plotted: its contribution, colour and legend entry
    years = np.linspace(t0, 2040.0, 5)
    parts = contributions(fc2.scenario, p, years, t0)
    assert list(parts) == ["compute", "algorithms", "unhobbling", "robotics"]
    np.testing.assert_allclose(sum(parts.values()), fc2.trajectory(years), atol=1e-12)
    from agi_timelines import plot

    fig, ax = plot.axes_stack(fc2, years=years)
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    colors = {line.get_label(): line.get_color() for line in ax.get_lines()}
    assert "robotics" in legend and colors["robotics"] == ROBOTICS.color
    matplotlib.pyplot.close(fig)


def test_an_axis_without_its_schema_field_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(structure, "AXES", (*AXES, ROBOTICS))
    with pytest.raises(TypeError, match=r"growth axis 'robotics'.*no field 'robotics'"):
        Scenario.preset("aschenbrenner-2024")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"color": ""}, "color must be"),
        ({"color": "blue"}, "color must be"),
        ({"label": ""}, "needs a label"),
        ({"walled_by": ("always",)}, "walled_by must name"),
    ],
)
def test_an_axis_without_colour_or_label_fails_loudly(kwargs: dict, match: str) -> None:
    args = {"name": "robotics", "label": "robotics", "color": "#E69F00"} | kwargs
    with pytest.raises(ValueError, match=match):
        AxisSpec(**args)


class _DoublingsRequirement(Requirement):
    doublings: Prior | None = None  # doublings of effective compute above the reference


class _DoublingsScenario(Scenario):
    requirement: _DoublingsRequirement


def test_a_new_route_is_one_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    def convert(p: dict, log10_ref: object, early_rate: object) -> dict:
        return {"requirement": p["requirement.doublings"] * math.log10(2.0)}

    route = RouteSpec(
        "doublings",
        "doublings above reference",
        convert,
        ("requirement",),
        range=(0, 1e4, False, "doublings"),
    )
    monkeypatch.setitem(structure.ROUTES, "doublings", route)
    monkeypatch.setattr(result, "Scenario", _DoublingsScenario)
    scn = _DoublingsScenario.model_validate(
        {
            "compute": {"rate": 0.5},
            "requirement": {"doublings": agt.uniform(10.0, 30.0)},
        }
    )
    assert scn.requirement.field == "doublings"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fc = agt.forecast(scn, draws=1000, seed=0)
    d = fc.parameters()["requirement.doublings"]
    R = d * math.log10(2.0)
    np.testing.assert_allclose(fc.draws["requirement"].values.ravel(), R, rtol=1e-12)
    np.testing.assert_allclose(
        fc.arrival.values.ravel(), scn.reference.year + R / 0.5, rtol=0, atol=1e-9
    )
    with pytest.raises(
        ValueError, match="exactly one of 'ooms', 'log10_flop', 'horizon_hours' or 'doublings'"
    ):
        _DoublingsScenario.model_validate({"compute": {"rate": 0.5}, "requirement": {}})
    # a route without its Requirement field is refused, not ignored
    with pytest.raises(TypeError, match=r"route 'doublings'.*no field"):
        Scenario.preset("aschenbrenner-2024")


def test_a_stale_compiled_solver_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # the compiled loop keeps the slot count it was compiled with; a registry that needs
    # another (a stale numba cache after adding an axis) must not solve with wrong slots
    from agi_timelines import _solver

    monkeypatch.setattr(_solver, "N_AXES", _solver.N_AXES + 1)
    cols = tuple(np.zeros(1) for _ in range(_solver.SLOTS))
    out = {"arrival_year": np.empty(1)}
    with pytest.raises(RuntimeError, match="axis slots"):
        _solver.solve_chunk(
            cols,
            np.zeros(4, dtype=np.int64),
            t0=2023.0,
            horizon=2100.0,
            log10_ref=25.0,
            req_is_flop=False,
            wall=False,
            twin=False,
            out=out,
        )
