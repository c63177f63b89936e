"""The scenario schema: the pydantic models of a scenario's sections and their validators.

:class:`Scenario` and its sections (:class:`Reference`, :class:`Axis`,
:class:`ComputeAxis`, :class:`DataWall`, :class:`Requirement`,
:class:`CalibrationSettings`, :class:`Correlation`) with the range checks of every field.
Paths, correlation algebra, files and error messages live in the package's other modules.
"""

from __future__ import annotations

import copy
import math
import os
import warnings
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)

from .. import structure as registry
from .._checks import check_instance, check_mapping
from ..constants import GPT4_FLOP, GPT4_YEAR
from ..priors import TAIL_Z, Prior, Real, _real, point
from ..structure import AxisSpec, Structure
from . import _correlations, _io, _paths
from ._errors import SKIP_PREFIXES, CorrelationWarning, InputWarning, explain
from ._paths import Section as _Strict

__all__ = [
    "Axis",
    "ComputeAxis",
    "Correlation",
    "CorrelationWarning",
    "DataWall",
    "InputWarning",
    "Reference",
    "Requirement",
    "Scenario",
]

_NONNEG = (0.0, math.inf)
_no_bool = _real

# Finite range of every prior field (units as in docs/howto/scenario-files.md): each prior's
# values at normal scores +-TAIL_Z (every draw it can make) must lie inside; a point mass at
# inf is allowed only where it means "never" / "none" (allow_inf).
#        key: (lower, upper, allow_inf, what)
FIELD_RANGES: dict[str, tuple[float, float, bool, str]] = {
    "rate": (0.0, 1e4, False, "a growth rate (OOM/yr)"),
    "late_rate": (0.0, 1e4, False, "a growth rate (OOM/yr)"),
    "slowdown_year": (1000.0, 1e4, True, "a year (inf: never)"),
    "cap": (0.0, 1e6, True, "a cap (OOMs; inf: none)"),
    **{route.name: route.range for route in registry.ROUTES.values()},
    "stock_tokens": (0.0, 1e100, False, "a token count"),
    "stock_growth": (0.0, 100.0, False, "a yearly growth (fraction/yr)"),
    "repetition": (0.0, 1e6, False, "a data multiplier"),
    "p_break": (0.0, 1.0, False, "a probability"),
    "tau": (0.0, 1e4, False, "a delay (years)"),
}
"""``{field name: (lower, upper, inf allowed, description)}``: the finite range of each prior
field, checked when a scenario is built."""

HORIZON_MAX = 5000.0
"""Latest allowed ``horizon`` (year)."""


def _check_support(path: str, prior: Any, allowed: tuple[float, float], what: str) -> None:
    lo, hi = prior.support
    if lo < allowed[0] or hi > allowed[1]:
        raise ValueError(
            f"{path}: {what} must lie in [{allowed[0]:g}, {allowed[1]:g}], but the "
            f"{prior.kind} prior allows [{lo:g}, {hi:g}]"
            + ("; use a log-normal (ci90) or a uniform on a positive range" if lo < 0 else "")
        )
    _check_range(path, prior)


def _check_range(path: str, prior: Any) -> None:
    """``ValueError`` unless every draw of ``prior`` lies in the field's finite range."""
    name = path.rsplit(".", 1)[-1]
    route = registry.ROUTES.get(name) if path.startswith("requirement.") else None
    lower, upper, allow_inf, what = route.range if route else FIELD_RANGES[name]
    where = f"[{lower:g}, {upper:g}]" + (" or inf" if allow_inf else "")
    if not prior.is_random:
        v = prior.value
        if not (lower <= v <= upper or (allow_inf and v == math.inf)):
            hint = ""
            if path == "data_wall.stock_tokens" and v == math.inf:
                hint = "; to have no data wall set data_wall.enabled = false"
            raise ValueError(f"{path}: {what} must lie in {where}, got {v:g}{hint}")
        return
    lo, hi = prior.tails()
    if not (lower <= lo and hi <= upper):
        raise ValueError(
            f"{path}: {what} must lie in {where}, but the {prior.kind} prior's draws reach "
            f"[{lo:.3g}, {hi:.3g}] (its values at {TAIL_Z:g} standard deviations); "
            "narrow the prior"
        )


class Reference(_Strict):
    """The reference training run that OOMs are counted from (default: GPT-4)."""

    year: Real = Field(default=GPT4_YEAR, ge=1950, le=2200, description="decimal year")
    flop: Real = Field(default=GPT4_FLOP, ge=1e10, le=1e50, description="training FLOP")


class Axis(_Strict):
    """One growth axis: OOMs gained since the reference, piecewise linear with a cap.

    ``rate`` (OOM/yr) applies until ``slowdown_year``, then ``late_rate`` (OOM/yr); the
    total gain never exceeds ``cap`` (OOMs; ``inf`` for none).
    """

    rate: Prior
    slowdown_year: Prior = point(math.inf)
    late_rate: Prior = point(0.0)
    cap: Prior = point(math.inf)

    @model_validator(mode="after")
    def _ranges(self) -> Axis:
        _check_axis(self.rate, self.late_rate, self.cap, self.slowdown_year)
        return self


def _check_axis(rate: Any, late_rate: Any, cap: Any, slowdown_year: Any = None) -> None:
    _check_support("rate", rate, _NONNEG, "a growth rate (OOM/yr)")
    if late_rate is not None:
        _check_support("late_rate", late_rate, _NONNEG, "a growth rate (OOM/yr)")
    if cap is not None:
        _check_support("cap", cap, _NONNEG, "a cap (OOMs)")
    if slowdown_year is not None:
        _check_range("slowdown_year", slowdown_year)


class ComputeAxis(_Strict):
    """Physical training compute: one trend, or ``spending`` + ``hardware`` sub-axes.

    ``spending`` is in log10 dollars and ``hardware`` in log10 FLOP/$.

    Give either ``rate`` (and optionally ``slowdown_year``, ``late_rate``, ``cap``) or
    both sub-axes ``spending`` and ``hardware``, each an :class:`Axis` with its own cap.
    """

    rate: Prior | None = None
    slowdown_year: Prior | None = None
    late_rate: Prior | None = None
    cap: Prior | None = None
    spending: Axis | None = None
    hardware: Axis | None = None

    @model_validator(mode="after")
    def _one_form(self) -> ComputeAxis:
        trend = [self.rate, self.slowdown_year, self.late_rate, self.cap]
        split = self.spending is not None or self.hardware is not None
        if split:
            if any(v is not None for v in trend):
                raise ValueError(
                    "give compute either as one trend (rate, ...) or as spending + hardware, "
                    "not both"
                )
            if self.spending is None or self.hardware is None:
                raise ValueError("compute split into sub-axes needs both spending and hardware")
        elif self.rate is None:
            raise ValueError("compute needs a rate (or spending + hardware sub-axes)")
        else:
            _check_axis(self.rate, self.late_rate, self.cap, self.slowdown_year)
        return self

    @property
    def is_split(self) -> bool:
        return self.spending is not None

    def trend_fields(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "slowdown_year": self.slowdown_year,
            "late_rate": self.late_rate,
            "cap": self.cap,
        }

    def axes(self) -> dict[str, Axis]:
        """Sub-axes making up compute: ``{"": axis}`` or ``{"spending": .., "hardware": ..}``."""
        if self.is_split:
            return {"spending": self.spending, "hardware": self.hardware}  # type: ignore[dict-item]
        return {"": Axis(**{k: v for k, v in self.trend_fields().items() if v is not None})}


class Requirement(_Strict):
    """OOMs of effective compute needed for AGI.

    Give exactly one of ``ooms`` (above the reference run), ``log10_flop`` (absolute,
    log10 FLOP at reference-year algorithms; either may be a mixture of named anchors) or
    ``horizon_hours`` (hours of skilled-human work AGI must complete, at ``reliability``
    0.5 or 0.8; converted to OOMs through a calibration on METR's time horizons,
    :func:`~agi_timelines.calibrate_horizon`, with ``since``, ``sota_only``,
    ``max_minutes`` and ``seed`` as its settings).
    """

    ooms: Prior | None = None
    log10_flop: Prior | None = None
    horizon_hours: Prior | None = None
    reliability: Real | None = None
    since: Real | None = Field(None, ge=1950.0, le=2100.0, allow_inf_nan=False)
    sota_only: StrictBool | None = None
    max_minutes: Real | None = Field(None, gt=0, allow_inf_nan=False)
    seed: Annotated[int, BeforeValidator(_no_bool)] | None = Field(None, ge=0, le=2**32 - 1)

    @model_validator(mode="after")
    def _one(self) -> Requirement:
        routes = registry.ROUTES
        missing = [k for k in routes if k not in type(self).model_fields]
        if missing:
            raise TypeError(
                f"requirement route {missing[0]!r} (agi_timelines.structure.ROUTES) has no "
                f"field in {type(self).__name__}; add `{missing[0]}: Prior | None = None`"
            )
        given = [k for k in routes if getattr(self, k) is not None]
        if len(given) != 1:
            names = [f"'{k}'" for k in routes]
            raise ValueError(
                f"requirement needs exactly one of {', '.join(names[:-1])} or {names[-1]}"
                + (f", got {' and '.join(given)}" if given else "")
            )
        settings = [k for k in HORIZON_DEFAULTS if getattr(self, k) is not None]
        if self.horizon_hours is None and settings:
            raise ValueError(
                f"requirement.{settings[0]}: is a setting of the time-horizon route; give "
                "it only with requirement.horizon_hours"
            )
        if self.horizon_hours is not None:
            _check_support(
                "requirement.horizon_hours", self.horizon_hours, _NONNEG, "a task length (hours)"
            )
            if self.horizon_hours.support[1] <= 0:
                raise ValueError(
                    "requirement.horizon_hours: must be positive (hours of skilled-human "
                    f"work), got {self.horizon_hours.support[1]:g}"
                )
            if self.reliability is not None and self.reliability not in (0.5, 0.8):
                raise ValueError(
                    "requirement.reliability: must be 0.5 or 0.8 (the task success "
                    f"probabilities METR reports a horizon for), got {self.reliability:g}"
                )
        _check_range(f"requirement.{self.field}", self.prior)
        return self

    @property
    def field(self) -> str:
        """The route: ``"ooms"``, ``"log10_flop"`` or ``"horizon_hours"``."""
        return next(k for k in registry.ROUTES if getattr(self, k) is not None)

    @property
    def prior(self) -> Any:
        return getattr(self, self.field)

    def horizon_settings(self) -> dict[str, Any]:
        """Return the horizon route's calibration settings, defaults filled in.

        The defaults: ``reliability`` (0.5), ``since`` (2019.0), ``sota_only`` (True),
        ``max_minutes`` (960.0), ``seed`` (0).
        """
        return {
            k: d if getattr(self, k) is None else getattr(self, k)
            for k, d in HORIZON_DEFAULTS.items()
        }


HORIZON_DEFAULTS: dict[str, Any] = {
    "reliability": 0.5,
    "since": 2019.0,
    "sota_only": True,
    "max_minutes": 960.0,
    "seed": 0,
}
"""Defaults of the horizon route's calibration settings (see :func:`calibrate_horizon`)."""


def check_horizon_growth(scenario: Scenario) -> None:
    """Raise ``ValueError`` if a horizon route's early growth ``r_E`` is 0 in every draw."""
    early = early_rate_paths(scenario)
    rates = {path: prior for path, prior in scenario.prior_fields().items() if path in early}
    if all(prior.support[1] <= 0 for prior in rates.values()):
        raise ValueError(
            "requirement.horizon_hours: the time-horizon route needs early growth, "
            "beta = D / r_E with r_E = " + " + ".join(rates) + ", which is 0 OOM/yr here; "
            "give at least one positive early rate"
        )


def early_rate_paths(scenario: Scenario) -> list[str]:
    """Paths of the axes' early rates, whose sum is ``r_E`` (OOM/yr)."""
    return [spec.prefix + "rate" for spec, _ in scenario.growth_axes()]


class DataWall(_Strict):
    """Usable training text caps effective compute (docs/model.md, "The data wall").

    ``D_max(t) = stock_tokens * (1 + stock_growth)**(t - reference.year) * repetition``.
    With probability ``p_break`` synthetic data / self-play / RL lift the cap ``tau``
    years after the wall binds.

    ``binds`` says which compute the wall acts on: ``"pretraining"`` (default) the
    pretraining effective compute ``c + a`` (physical compute times algorithmic
    efficiency: a run made 10x more efficient by better algorithms still wants the data of
    a 10x larger run), so ``E = W(c + a) + u``; ``"physical"`` physical compute alone,
    ``E = W(c) + a + u`` (algorithmic gains escape the wall).  Unhobbling never consumes
    pretraining text.
    """

    PRIORS: ClassVar[tuple[str, ...]] = (
        "stock_tokens",
        "stock_growth",
        "repetition",
        "p_break",
        "tau",
    )
    """The fields that are priors: a forecast samples them while the wall is enabled."""

    enabled: StrictBool = False
    binds: Literal["pretraining", "physical"] = "pretraining"
    stock_tokens: Prior = point(3e14)
    stock_growth: Prior = point(0.07)
    repetition: Prior = point(4.0)
    p_break: Prior = point(0.0)
    tau: Prior = point(5.0)

    @model_validator(mode="after")
    def _ranges(self) -> DataWall:
        _check_support("data_wall.stock_tokens", self.stock_tokens, _NONNEG, "a token count")
        if self.stock_tokens.support[0] == 0 and not self.stock_tokens.is_random:
            raise ValueError("data_wall.stock_tokens: must be positive (tokens)")
        _check_support("data_wall.stock_growth", self.stock_growth, _NONNEG, "a yearly growth")
        _check_support("data_wall.repetition", self.repetition, _NONNEG, "a data multiplier")
        if self.repetition.support[0] == 0 and not self.repetition.is_random:
            raise ValueError("data_wall.repetition: must be positive (multiplier)")
        _check_support("data_wall.p_break", self.p_break, (0, 1), "a probability")
        _check_support("data_wall.tau", self.tau, _NONNEG, "a delay (years)")
        return self

    @field_validator("stock_tokens")
    @classmethod
    def _no_infinite_stock(cls, value: Any) -> Any:
        if not value.is_random and value.value == math.inf:
            raise ValueError(
                "data_wall.stock_tokens: inf is not allowed (it is not a number of tokens); "
                "to have no data wall set data_wall.enabled = false"
            )
        return value


class CalibrationSettings(_Strict):
    """Draw the compute axis's early rate from a calibration on frontier runs.

    With this table in a scenario, :func:`~agi_timelines.forecast` fits the frontier
    compute trend (:func:`~agi_timelines.calibrate` on the bundled Epoch AI data, runs
    published since ``since``) and replaces the prior of ``compute.rate`` by the posterior
    of the trend's slope (OOM/yr).  The fit is done once per process and settings.
    """

    since: Real = Field(2018.0, ge=1950.0, le=2030.0, allow_inf_nan=False)
    seed: Annotated[int, BeforeValidator(_no_bool)] = Field(0, ge=0, le=2**32 - 1)


def check_calibratable(scenario: Scenario) -> None:
    """Raise ``ValueError`` unless a calibration can replace ``compute.rate``'s prior."""
    if scenario.compute.is_split:
        raise ValueError(
            "calibration: replaces compute.rate, which a compute axis split into "
            "spending + hardware does not have; use a single compute axis"
        )
    if scenario.compute.rate is None or not scenario.compute.rate.is_random:
        raise ValueError(
            "calibration: compute.rate must be a distribution, not a point mass (the "
            "calibration's posterior replaces it draw by draw), e.g. ci90(0.6, 0.7)"
        )
    for corr in scenario.active_correlations():
        if "compute.rate" in corr.between:
            raise ValueError(
                f"calibration: correlation {corr.label} would be lost, because the "
                "calibration's posterior replaces compute.rate draw by draw; drop the "
                "correlation or the calibration"
            )


def _zero_axis() -> Axis:
    return Axis(rate=point(0.0))


class Correlation(_Strict):
    """A target rank (Spearman) correlation between two priors of a scenario.

    In TOML an entry of the array of tables ``[[correlations]]``::

        [[correlations]]
        between = ["compute.rate", "algorithms.rate"]
        rank = 0.5

    The forecast samples the pair through a Gaussian copula whose Pearson parameter is
    :attr:`pearson`; each prior's marginal distribution is unchanged.
    """

    between: tuple[str, str]
    rank: Real = Field(description="Spearman rank correlation, (-1, 1)")

    @field_validator("between")
    @classmethod
    def _two_fields(cls, value: tuple[str, str]) -> tuple[str, str]:
        a, b = value
        if a == b:
            raise ValueError(f"correlation {a} ~ {b}: a field cannot be correlated with itself")
        return value

    @model_validator(mode="after")
    def _in_range(self) -> Correlation:
        if not -1 < self.rank < 1:  # also NaN
            raise ValueError(
                f"correlation {self.label}: rank {self.rank:g} must lie strictly between "
                "-1 and 1 (a rank correlation of +-1 would make one field a function of "
                "the other)"
            )
        return self

    @property
    def label(self) -> str:
        """``"a ~ b"``, how messages and tables name the pair."""
        return f"{self.between[0]} ~ {self.between[1]}"

    @property
    def pearson(self) -> float:
        """Pearson correlation of the copula's normals giving this rank correlation.

        ``2 sin(pi * rank / 6)`` (dimensionless).
        """
        return _correlations.pearson(self.rank)


class Scenario(_Strict):
    """Everything a forecast assumes. See the module docstring and docs/model.md.

    Attributes
    ----------
    name, description : str
        Labels (not used in the numbers).
    reference : Reference
        The run OOMs are counted from (year, FLOP).
    compute, algorithms, unhobbling : axes
        Growth axes in OOMs above the reference.
    data_wall : DataWall
        The data-wall mechanism (off unless ``enabled``).
    requirement : Requirement
        OOMs needed for AGI.
    horizon : float
        Last year considered; later arrivals are censored (``inf``).
    not_before : float or None
        Condition on "not arrived before this year"; draws arriving earlier are removed.
    calibration : CalibrationSettings or None
        TOML ``[calibration]``: draw ``compute.rate`` from a fit of the frontier compute
        trend instead of its prior (see :func:`~agi_timelines.calibrate`).
    correlations : tuple of Correlation
        Target rank correlations between pairs of priors (TOML ``[[correlations]]``),
        sampled with a Gaussian copula; see :meth:`correlate`.
    """

    name: str = "custom"
    description: str = ""
    reference: Reference = Reference()
    compute: ComputeAxis
    algorithms: Axis = Field(default_factory=_zero_axis)
    unhobbling: Axis = Field(default_factory=_zero_axis)
    data_wall: DataWall = DataWall()
    requirement: Requirement
    horizon: Real = Field(2100.0, allow_inf_nan=False, le=HORIZON_MAX)
    not_before: Real | None = Field(None, allow_inf_nan=False)
    calibration: CalibrationSettings | None = None
    correlations: tuple[Correlation, ...] = ()

    @model_validator(mode="after")
    def _correlations_valid(self) -> Scenario:
        if self.correlations:
            _correlations.check(self)
        return self

    @model_validator(mode="after")
    def _years(self) -> Scenario:
        if self.calibration is not None:
            check_calibratable(self)
        if registry.ROUTES[self.requirement.field].needs_early_rate:
            check_horizon_growth(self)
        t0 = self.reference.year
        if self.horizon <= t0:
            raise ValueError(
                f"horizon ({self.horizon:g}) must be after reference.year ({t0:g}), e.g. 2100"
            )
        if self.not_before is not None and not (t0 <= self.not_before < self.horizon):
            raise ValueError(
                f"not_before ({self.not_before:g}) must lie in [reference.year, horizon) = "
                f"[{t0:g}, {self.horizon:g})"
            )
        _warn_if_suspicious(self)
        return self

    # -- structure ---------------------------------------------------------------------------
    def prior_fields(self) -> dict[str, Any]:
        """Every prior of the scenario by dotted path (e.g. ``"compute.rate"``)."""
        out: dict[str, Any] = {}
        for spec, axis in self.growth_axes():
            out |= {spec.prefix + k: getattr(axis, k) for k in Axis.model_fields}
        out[f"requirement.{self.requirement.field}"] = self.requirement.prior
        if self.data_wall.enabled:
            for k in DataWall.PRIORS:
                out[f"data_wall.{k}"] = getattr(self.data_wall, k)
        return out

    def random_fields(self) -> dict[str, Any]:
        """Return the priors that are real distributions (not point masses), by dotted path."""
        return {k: v for k, v in self.prior_fields().items() if v.is_random}

    def growth_axes(self) -> list[tuple[AxisSpec, Axis]]:
        """Return the growth axes in use, each with its parameters.

        In :data:`~agi_timelines.structure.AXES` order: the one compute trend or its parts,
        then the other axes.
        """
        return [
            (spec, axis) for spec in registry.AXES if (axis := _axis_of(self, spec)) is not None
        ]

    def structure(self) -> Structure:
        """Return the scenario's shape without its numbers.

        A hashable :class:`~agi_timelines.structure.Structure`: scenarios with equal
        structure share one compiled sampler.
        """
        return Structure.of(self)

    # -- correlations ------------------------------------------------------------------------
    def active_correlations(self) -> list[Correlation]:
        """Return the listed correlations that the forecast uses: both fields random, in use.

        A pair naming a point mass, or a data-wall field while the wall is off, is left
        out (with a :class:`CorrelationWarning` when the scenario is built).
        """
        return _correlations.active(self)

    def correlation_groups(self) -> list[tuple[str, ...]]:
        """Return the paths sampled jointly by one Gaussian copula.

        The connected groups of the active correlations, each in :meth:`prior_fields`
        order.  Part of :meth:`structure`.
        """
        return _correlations.groups(self)

    def correlation_matrix(self, group: tuple[str, ...]) -> np.ndarray:
        """Return the Pearson correlation matrix of the copula's standard normals.

        For ``group`` (one of :meth:`correlation_groups`): ``2 sin(pi * rank / 6)`` per
        listed pair, 0 for pairs not listed, 1 on the diagonal.
        """
        return _correlations.matrix(self, group)

    def correlate(self, a: str, b: str, rank: float) -> Scenario:
        """Return a copy in which ``a`` and ``b`` have rank (Spearman) correlation ``rank``.

        Sampling uses a Gaussian copula: each field keeps its prior exactly; only how
        the draws pair up changes.  If the pair is already listed its rank is replaced
        (a rank of 0 keeps the pair, and so the compiled structure, with no correlation).

        Parameters
        ----------
        a, b : str
            Dotted paths of two random prior fields, e.g. ``"compute.rate"``.
        rank : float
            Target Spearman correlation in (-1, 1), dimensionless.

        Returns
        -------
        Scenario

        Examples
        --------
        >>> import agi_timelines as agt
        >>> s = agt.Scenario.preset("aschenbrenner-2024")
        >>> s.correlate("compute.rate", "algorithms.rate", 0.5).correlations
        (Correlation(between=('compute.rate', 'algorithms.rate'), rank=0.5),)
        >>> s.correlate("compute.rate", "horizon", 0.5)
        Traceback (most recent call last):
        ...
        ValueError: ...compute.rate ~ horizon: 'horizon' is not a prior...
        """
        new = {"between": [a, b], "rank": rank}
        pairs = [c.model_dump() for c in self.correlations]
        same = [i for i, c in enumerate(self.correlations) if set(c.between) == {a, b}]
        if same:
            pairs[same[0]] = new
        else:
            pairs.append(new)
        data = self.to_dict()
        data["correlations"] = pairs
        return type(self).from_dict(data)

    # -- construction and serialisation ------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        """Validate a nested dict (as read from TOML). Errors name the field path."""
        check_mapping("data", data)
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            raise ValueError(explain(err)) from None
        except RecursionError:
            raise ValueError("invalid scenario: nested too deeply") from None

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Read a scenario file (UTF-8, a leading byte-order mark allowed, at most 1 MiB).

        Errors (``ValueError``) name the file, and the field path when the TOML is valid.
        """
        check_instance("path", path, str | os.PathLike, "a file path (str or pathlib.Path)")
        path = Path(path)
        return cls.from_toml_string(_io.read_text(path), source=str(path))

    @classmethod
    def from_toml_string(cls, text: str, source: str = "<string>") -> Scenario:
        """Parse a scenario from TOML text."""
        check_instance("text", text, str, "TOML text (str)")
        check_instance("source", source, str, "a label (str)")
        data = _io.loads(text, source)
        try:
            return cls.from_dict(data)
        except ValueError as err:
            raise ValueError(f"{source}: {err}") from None

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict (point masses as bare numbers, unset fields left out)."""
        data = self.model_dump(mode="python", by_alias=True, exclude_none=True)
        if not data.get("correlations"):
            data.pop("correlations", None)
        return data

    def to_toml_string(self) -> str:
        """TOML text that :meth:`from_toml_string` reads back to an equal scenario."""
        return _io.dumps(self.to_dict())

    def to_toml(self, path: str | Path) -> None:
        """Write the scenario as TOML (atomically: no partial file on failure).

        Raises ``OSError`` naming ``path`` (see :func:`agi_timelines._io.write_bytes`).
        """
        check_instance("path", path, str | os.PathLike, "a file path (str or pathlib.Path)")
        _io.write_text(Path(path), self.to_toml_string())

    def replace(self, changes: dict[str, Any]) -> Scenario:
        """Return a copy with fields changed by path: ``{"compute.rate": ci90(0.3, 0.6)}``."""
        check_mapping("changes", changes)
        data = copy.deepcopy(self.to_dict())
        for path, value in changes.items():
            try:
                _paths.set_in(data, type(self), path, _plain(value))
            except _paths.PathError as err:
                raise ValueError(str(err)) from None  # a plain ValueError, as documented
        return type(self).from_dict(data)

    # -- presets -----------------------------------------------------------------------------
    @staticmethod
    def presets() -> dict[str, str]:
        """Shipped presets: ``{name: description}``."""
        return _io.preset_names()

    @classmethod
    def preset(cls, name: str) -> Scenario:
        """Load a shipped preset by name (see :meth:`presets`)."""
        check_instance("name", name, str, "a preset name (str)")
        return cls.from_toml_string(_io.preset_text(name), source=f"preset {name}")

    @classmethod
    def load(cls, name_or_path: str | Path) -> Scenario:
        """Load a preset by name, or a scenario file by path."""
        check_instance(
            "name_or_path", name_or_path, str | os.PathLike, "a preset name or a file path"
        )
        source = _io.source_of(name_or_path)
        if isinstance(source, str):
            return cls.preset(source)
        return cls.from_toml(source)


def _axis_of(scenario: Scenario, spec: AxisSpec) -> Axis | None:
    """Return the parameters of growth axis ``spec`` in ``scenario``.

    ``None`` when the scenario uses the axis's parts (or its parent) instead.

    Raises ``TypeError`` when the schema has no field for the axis: a registered axis is
    never silently left unsampled.
    """
    try:
        node = _paths.get(scenario, spec.name)
    except _paths.PathError as err:
        owner = getattr(err.owner, "__name__", "a leaf field")
        raise TypeError(
            f"growth axis {spec.name!r} (agi_timelines.structure.AXES) has no field "
            f"{err.part!r} in {owner}; add `{err.part}: Axis` to the schema"
        ) from None
    if node is None:
        return None
    if isinstance(node, Axis):
        return node
    # an axis that may instead be split into parts (compute): in use when it has a rate
    values = {k: getattr(node, k, None) for k in Axis.model_fields}
    if values["rate"] is None:
        return None
    return Axis(**{k: v for k, v in values.items() if v is not None})


FAST_RATE = 10.0
"""A growth rate (OOM/yr) whose median exceeds this draws an :class:`InputWarning`."""


def _median(prior: Any) -> float:
    return float(prior.median())


def _warn_if_suspicious(scenario: Scenario) -> None:
    """:class:`InputWarning` for legal values that are almost surely a mistake."""
    t0 = scenario.reference.year
    found = []
    for path, prior in scenario.prior_fields().items():
        name = path.rsplit(".", 1)[-1]
        if name == "slowdown_year" and _median(prior) < t0:
            found.append(
                f"{path}: the slowdown year ({_median(prior):g}, median) is before "
                f"reference.year ({t0:g}), so the early rate is mostly unused"
            )
        elif name in ("rate", "late_rate") and _median(prior) > FAST_RATE:
            found.append(
                f"{path}: {_median(prior):g} OOM/yr (median) is more than {FAST_RATE:g} "
                "orders of magnitude a year"
            )
    req = scenario.requirement
    met = 0.0 if req.field == "ooms" else math.log10(scenario.reference.flop)
    if req.field in ("ooms", "log10_flop") and _median(req.prior) <= met:
        found.append(
            f"requirement.{req.field}: the requirement ({_median(req.prior):g}, median) is "
            f"already met by the reference run ({met:g}), so most draws arrive at "
            f"reference.year ({t0:g})"
        )
    for message in found:
        warnings.warn(message, InputWarning, skip_file_prefixes=SKIP_PREFIXES)


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python", by_alias=True, exclude_none=True)
    return value
