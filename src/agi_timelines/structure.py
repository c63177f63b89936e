"""The model's structure, declared once: growth axes, requirement routes, outputs.

Every site that needs to know which axes, routes or outputs exist reads these registries:
the scenario's prior fields (:meth:`~agi_timelines.Scenario.prior_fields`), the symbolic
solver (:mod:`agi_timelines.model`), the compiled solver's slot layout, the units of every
variable, the plots' colours and contributions, and the plain-numpy reference.

* :data:`AXES`: the growth axes (:class:`AxisSpec`), in the order their priors are
  sampled.  An axis named ``a.b`` is a *part* of axis ``a``: a scenario uses either the
  parent (one trend) or its parts (``compute`` or ``compute.spending`` +
  ``compute.hardware``).
* :data:`ROUTES`: the ways of stating the requirement (:class:`RouteSpec`), one
  ``[requirement]`` field each; exactly one is given per scenario.
* :data:`OUTPUTS`: the derived per-draw variables a forecast computes (:class:`OutputSpec`).
* :data:`UNITS`: units of every variable, by the last part of its name, read from the three.
* :class:`Structure`: what the solvers need of a scenario, without its numbers
  (:meth:`Structure.of`); equal structures share one compiled graph.

Adding an axis is one :data:`AXES` entry plus one ``Axis`` field of
:class:`~agi_timelines.Scenario`; adding a route is one :data:`ROUTES` entry (plus its
conversion function and its ``Requirement`` field).  See ``docs/model.md``, "Adding an
axis or a route".

Examples
--------
>>> import agi_timelines as agt
>>> from agi_timelines.structure import AXES, ROUTES, Structure
>>> [a.name for a in AXES]
['compute', 'compute.spending', 'compute.hardware', 'algorithms', 'unhobbling']
>>> s = Structure.of(agt.Scenario.preset("aschenbrenner-2024"))
>>> s.axes, s.route
(('compute.', 'algorithms.', 'unhobbling.'), 'ooms')
>>> ROUTES["log10_flop"].outputs
('requirement',)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from . import requirement

__all__ = [
    "AXES",
    "AXIS_FIELDS",
    "OUTPUTS",
    "ROUTES",
    "UNITS",
    "WALL_BINDS",
    "AxisSpec",
    "OutputSpec",
    "RouteSpec",
    "Structure",
    "axis",
    "max_axes",
    "output_names",
    "units",
]

WALL_BINDS = ("pretraining", "physical")
"""Settings of ``data_wall.binds``: which group of axes the data wall acts on."""

AXIS_FIELDS = ("rate", "slowdown_year", "late_rate", "cap")
"""An axis's parameters, in sampling and solver-slot order (units in :data:`UNITS`)."""

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class AxisSpec:
    """One growth axis: OOMs of effective compute gained over time (see :mod:`.growth`).

    Attributes
    ----------
    name : str
        Dotted path of the axis in the scenario (``"algorithms"``, ``"compute.spending"``).
        Its priors are ``<name>.rate`` (OOM/yr), ``<name>.slowdown_year`` (year),
        ``<name>.late_rate`` (OOM/yr) and ``<name>.cap`` (OOM).
    label : str
        Short label in figures and the key of its contribution to E(t).
    color : str
        Plot colour, ``"#RRGGBB"``; the same in every figure.
    walled_by : tuple of str
        The ``data_wall.binds`` settings (:data:`WALL_BINDS`) under which the data wall
        acts on this axis; under the others it is free (added after the wall).
    physical : bool
        Part of physical training compute (the wall-off split ``E = c + (a + u)``).
    """

    name: str
    label: str
    color: str
    walled_by: tuple[str, ...] = ()
    physical: bool = False

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z_]+(\.[a-z_]+)?", self.name):
            raise ValueError(f"axis name must be a dotted lower-case path, got {self.name!r}")
        if not self.label:
            raise ValueError(f"axis {self.name!r}: needs a label")
        if not isinstance(self.color, str) or not _HEX.fullmatch(self.color):
            raise ValueError(f"axis {self.name!r}: color must be '#RRGGBB', got {self.color!r}")
        bad = [b for b in self.walled_by if b not in WALL_BINDS]
        if bad:
            raise ValueError(
                f"axis {self.name!r}: walled_by must name settings of data_wall.binds "
                f"({', '.join(WALL_BINDS)}), got {', '.join(bad)}"
            )

    @property
    def prefix(self) -> str:
        """Prefix of the axis's prior paths (``"compute."``)."""
        return self.name + "."

    @property
    def parent(self) -> str | None:
        """The axis this one is a part of (``"compute"`` for ``"compute.hardware"``)."""
        return self.name.rpartition(".")[0] or None


AXES: tuple[AxisSpec, ...] = (
    AxisSpec("compute", "compute", "#0072B2", WALL_BINDS, physical=True),
    AxisSpec("compute.spending", "spending", "#0072B2", WALL_BINDS, physical=True),
    AxisSpec("compute.hardware", "hardware", "#56B4E9", WALL_BINDS, physical=True),
    AxisSpec("algorithms", "algorithms", "#009E73", ("pretraining",)),
    AxisSpec("unhobbling", "unhobbling", "#CC79A7"),
)
"""The growth axes, in the order their priors are sampled (this order fixes the compiled
graph's shared variables and so the seeded draws: append, never reorder)."""


def axis(name: str) -> AxisSpec:
    """Return the :data:`AXES` entry called ``name`` (a path, with or without the trailing dot)."""
    name = name.rstrip(".")
    for spec in AXES:
        if spec.name == name:
            return spec
    raise KeyError(f"no growth axis {name!r}; axes: {', '.join(a.name for a in AXES)}")


def max_axes() -> int:
    """Most axes a scenario can use at once: each top-level axis, or all its parts."""
    return sum(
        max(1, sum(a.parent == top.name for a in AXES)) for top in AXES if top.parent is None
    )


Convert = Callable[[Mapping[str, Any], Any, Any], dict[str, Any]]


@dataclass(frozen=True)
class RouteSpec:
    """One way of stating the requirement: a field of the scenario's ``[requirement]``.

    Attributes
    ----------
    name : str
        The ``[requirement]`` field holding the prior (also the route's name).
    units : str
        Units of that prior.
    convert : callable
        ``convert(p, log10_ref, early_rate) -> {"requirement": R, **outputs}``: the
        requirement in OOMs above the reference (and the route's other outputs) from draws
        ``p`` by path, the reference's log10 FLOP and ``r_E`` (OOM/yr, the sum of the
        axes' early rates; ``None`` unless ``needs_early_rate``).  Elementwise on numpy
        arrays and pytensor tensors alike.
    outputs : tuple of str
        Per-draw outputs the route adds to a forecast (besides ``arrival_year``), in order;
        each an :data:`OUTPUTS` name, all returned by ``convert``.
    calibrated : tuple of str
        Per-draw inputs drawn from a calibration's posterior instead of a prior (paths).
    calibrated_units : tuple of str
        Units of each ``calibrated`` input.
    range : (float, float, bool, str)
        ``(lower, upper, inf allowed, description)``: the finite range every draw of the
        prior must lie in, checked when a scenario is built.
    needs_early_rate : bool
        ``convert`` needs ``r_E``.
    solver : {"ooms", "log10_flop", None}
        How the compiled solver takes R: the draw itself (``"ooms"``), the draw minus the
        reference's log10 FLOP (``"log10_flop"``), or ``None``: ``convert`` computes it per
        block of draws before the loop.
    """

    name: str
    units: str
    convert: Convert
    outputs: tuple[str, ...] = ()
    calibrated: tuple[str, ...] = ()
    calibrated_units: tuple[str, ...] = ()
    range: tuple[float, float, bool, str] = (-1e4, 1e4, False, "a requirement")
    needs_early_rate: bool = False
    solver: Literal["ooms", "log10_flop"] | None = None

    @property
    def field(self) -> str:
        """The ``[requirement]`` field (same as :attr:`name`)."""
        return self.name

    @property
    def path(self) -> str:
        """The prior's dotted path, ``requirement.<name>``."""
        return "requirement." + self.name


def _ooms(p: Mapping[str, Any], log10_ref: Any, early_rate: Any) -> dict[str, Any]:
    return {"requirement": p["requirement.ooms"]}


def _log10_flop(p: Mapping[str, Any], log10_ref: Any, early_rate: Any) -> dict[str, Any]:
    return {"requirement": p["requirement.log10_flop"] - log10_ref}


def _horizon(p: Mapping[str, Any], log10_ref: Any, early_rate: Any) -> dict[str, Any]:
    rate, h_ref = (p[k] for k in requirement.HORIZON_DRAWS)
    return {
        "requirement": requirement.horizon_ooms(
            p["requirement.horizon_hours"], rate, h_ref, early_rate
        ),
        "horizon_doublings_per_oom": requirement.doublings_per_oom(rate, early_rate),
    }


ROUTES: dict[str, RouteSpec] = {
    r.name: r
    for r in (
        RouteSpec(
            "ooms",
            "OOM above reference",
            _ooms,
            range=(-1e4, 1e4, False, "a requirement (OOMs above the reference)"),
            solver="ooms",
        ),
        RouteSpec(
            "log10_flop",
            "log10 FLOP",
            _log10_flop,
            ("requirement",),
            range=(0.0, 1e4, False, "a requirement (log10 FLOP)"),
            solver="log10_flop",
        ),
        RouteSpec(
            "horizon_hours",
            "hours of skilled-human work",
            _horizon,
            ("requirement", "horizon_doublings_per_oom"),
            requirement.HORIZON_DRAWS,
            ("doublings/yr", "log2 minutes at the reference year"),
            range=(0.0, 1e30, False, "a task length (hours)"),
            needs_early_rate=True,
        ),
    )
}
"""The requirement routes by field name, in the order ``Requirement`` lists them."""


@dataclass(frozen=True)
class OutputSpec:
    """One derived variable a forecast computes per draw.

    Attributes
    ----------
    name : str
        Variable name (for ``per_axis`` outputs, the suffix of ``<axis>_<name>``).
    units : str
        Units of its values.
    when : {"always", "wall", "route", "axis"}
        Present in every forecast, only with the data wall on, only when the requirement
        route lists it (:attr:`RouteSpec.outputs`), or once per axis in use (solver
        output, not stored by a forecast).
    per_draw : bool
        One value per draw (else one per forecast).
    """

    name: str
    units: str
    when: Literal["always", "wall", "route", "axis"] = "always"
    per_draw: bool = True


OUTPUTS: tuple[OutputSpec, ...] = (
    OutputSpec("requirement", "OOM above reference", "route"),
    OutputSpec(
        "horizon_doublings_per_oom", "doublings of horizon per OOM of effective compute", "route"
    ),
    OutputSpec("cap_year", "year", "axis"),
    OutputSpec("wall_year", "year", "wall"),
    OutputSpec("breakthrough_year", "year", "wall"),
    OutputSpec("arrival_year", "year"),
    OutputSpec("arrival_year_no_wall", "year", "wall"),
)
"""The output variables, in the order a forecast stores them."""

_OTHER_UNITS = {
    "stock_tokens": "tokens",
    "stock_growth": "fraction/yr",
    "repetition": "data multiplier",
    "p_break": "probability",
    "tau": "yr",
    "breakthrough_u": "uniform(0, 1)",
    "normals": "standard normal",
}


def _units_table() -> dict[str, str]:
    """:data:`UNITS`, read from the registries."""
    out = dict(zip(AXIS_FIELDS, ("OOM/yr", "year", "OOM/yr", "OOM"), strict=True))
    for r in ROUTES.values():
        out[r.name] = r.units
        out |= {
            p.rpartition(".")[2]: u for p, u in zip(r.calibrated, r.calibrated_units, strict=True)
        }
    out |= _OTHER_UNITS
    out |= {o.name: o.units for o in OUTPUTS}
    return out


UNITS: dict[str, str] = _units_table()
"""Units of each variable, by the last part of its name (``compute_rate`` → ``rate``)."""


def units(name: str) -> str:
    """Units of a model variable, from :data:`UNITS` (``""`` if none)."""
    for suffix, unit in UNITS.items():
        if name == suffix or name.endswith("_" + suffix):
            return unit
    return ""


@dataclass(frozen=True)
class Structure:
    """A scenario's shape without its numbers: what the solvers need, nothing pydantic.

    Equal structures compare and hash equal; they share one compiled sampler.

    Attributes
    ----------
    priors : tuple of (str, tuple)
        ``(path, signature)`` of every prior, in :meth:`~agi_timelines.Scenario.prior_fields`
        order (the signature is the prior's family, without its numbers).
    split : bool
        Physical compute is split into sub-axes (``compute.spending`` + ``compute.hardware``).
    wall : bool
        The data wall is on.
    binds : str or None
        ``data_wall.binds`` when the wall is on, else ``None``.
    route : str
        The requirement route (a key of :data:`ROUTES`).
    correlation_groups : tuple of tuple of str
        Paths sampled jointly by one Gaussian copula.
    random : tuple of str
        Paths of the priors that are real distributions (not point masses); determined by
        the signatures, so not part of equality.
    """

    priors: tuple[tuple[str, tuple[Any, ...]], ...]
    split: bool
    wall: bool
    binds: str | None
    route: str
    correlation_groups: tuple[tuple[str, ...], ...]
    random: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def of(cls, scenario: Any) -> Structure:
        """Return the structure of ``scenario`` (a :class:`~agi_timelines.Scenario`)."""
        fields = scenario.prior_fields()
        wall = bool(scenario.data_wall.enabled)
        return cls(
            priors=tuple((k, v.signature()) for k, v in fields.items()),
            split=bool(scenario.compute.is_split),
            wall=wall,
            binds=scenario.data_wall.binds if wall else None,
            route=scenario.requirement.field,
            correlation_groups=tuple(scenario.correlation_groups()),
            random=tuple(k for k, v in fields.items() if v.is_random),
        )

    @cached_property
    def axis_specs(self) -> tuple[AxisSpec, ...]:
        """The :data:`AXES` entries in use, in sampling order."""
        paths = {p for p, _ in self.priors}
        return tuple(a for a in AXES if a.prefix + "rate" in paths)

    @property
    def axes(self) -> tuple[str, ...]:
        """Prefixes of the axes in use (``"compute."``, ...), in sampling order."""
        return tuple(a.prefix for a in self.axis_specs)

    def split_axes(self, wall_on: bool) -> tuple[list[str], list[str]]:
        """Prefixes of the axes the data wall acts on, and of the others.

        With ``wall_on=False`` the split is physical compute | the rest, so that
        ``E = c + (a + u)`` is summed in the same order whatever ``binds`` says.
        """
        if wall_on and self.binds is not None:
            walled = [a.prefix for a in self.axis_specs if self.binds in a.walled_by]
        else:
            walled = [a.prefix for a in self.axis_specs if a.physical]
        return walled, [a.prefix for a in self.axis_specs if a.prefix not in walled]

    @property
    def walled(self) -> tuple[str, ...]:
        """Prefixes of the axes behind the data wall (``()`` with the wall off)."""
        return tuple(self.split_axes(True)[0]) if self.wall else ()

    @property
    def route_spec(self) -> RouteSpec:
        """The :data:`ROUTES` entry of the requirement route."""
        return ROUTES[self.route]

    @property
    def early_rate_paths(self) -> list[str]:
        """Paths of the axes' early rates, whose sum is ``r_E`` (OOM/yr)."""
        return [pre + "rate" for pre in self.axes]

    @property
    def outputs(self) -> list[str]:
        """The per-draw outputs a forecast stores, in order (:data:`OUTPUTS`)."""
        return output_names(self.route, self.wall)

    @property
    def random_paths(self) -> list[str]:
        """Paths of the sampled inputs.

        Random priors, the wall's breakthrough uniform, the route's calibrated inputs.
        """
        extra = ["data_wall.breakthrough_u"] if self.wall else []
        return [*self.random, *extra, *self.route_spec.calibrated]

    def as_tuple(self) -> tuple[Any, ...]:
        """Return the structure as the plain tuple it was before this class (same equality)."""
        return (
            self.priors,
            self.split,
            self.wall,
            self.binds,
            self.route,
            self.correlation_groups,
        )


def output_names(route: str, wall: bool) -> list[str]:
    """Return the per-draw outputs a forecast of requirement route ``route`` stores, in order."""
    spec = ROUTES[route]
    out = list(spec.outputs)
    for o in OUTPUTS:
        if o.when == "always" or (o.when == "wall" and wall):
            out.append(o.name)
    return out
