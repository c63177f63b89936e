"""Scenarios: every assumption of a forecast, validated, in one TOML-serialisable object.

A :class:`Scenario` holds the reference run, the growth axes, the data wall, the
requirement and the horizon.  Every number is a prior (a bare number is a point mass).
Scenarios are immutable; :meth:`Scenario.replace` returns a changed copy.

Examples
--------
>>> import agi_timelines as agt
>>> s = agt.Scenario.preset("aschenbrenner-2024")
>>> s.reference.flop
2.1e+25
>>> s2 = s.replace({"compute.rate": agt.ci90(0.3, 0.6)})
>>> s2.compute.rate
CI90(kind='ci90', lo=0.3, hi=0.6, dist_family='lognormal')
>>> s.replace({"compute.speed": 1.0})
Traceback (most recent call last):
...
ValueError: unknown field path 'compute.speed': 'compute' has no field 'speed' (fields: ...)
"""

from __future__ import annotations

import copy
import math
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .constants import GPT4_FLOP, GPT4_YEAR
from .priors import Prior, point

__all__ = ["Axis", "ComputeAxis", "DataWall", "Reference", "Requirement", "Scenario"]

_NONNEG = (0.0, math.inf)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


def _check_support(path: str, prior: Any, allowed: tuple[float, float], what: str) -> None:
    lo, hi = prior.support
    if lo < allowed[0] or hi > allowed[1]:
        raise ValueError(
            f"{path}: {what} must lie in [{allowed[0]:g}, {allowed[1]:g}], but the "
            f"{prior.kind} prior allows [{lo:g}, {hi:g}]"
            + ("; use a log-normal (ci90) or a uniform on a positive range" if lo < 0 else "")
        )


class Reference(_Strict):
    """The reference training run that OOMs are counted from (default: GPT-4)."""

    year: float = Field(GPT4_YEAR, ge=1950, le=2200, description="decimal year")
    flop: float = Field(GPT4_FLOP, gt=0, allow_inf_nan=False, description="training FLOP")


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
        _check_axis(self.rate, self.late_rate, self.cap)
        return self


def _check_axis(rate: Any, late_rate: Any, cap: Any) -> None:
    _check_support("rate", rate, _NONNEG, "a growth rate (OOM/yr)")
    if late_rate is not None:
        _check_support("late_rate", late_rate, _NONNEG, "a growth rate (OOM/yr)")
    if cap is not None:
        _check_support("cap", cap, _NONNEG, "a cap (OOMs)")


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
            _check_axis(self.rate, self.late_rate, self.cap)
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

    Give ``ooms`` (above the reference run) or ``log10_flop`` (absolute, log10 FLOP at
    reference-year algorithms).  Either may be a mixture of named anchors.
    """

    ooms: Prior | None = None
    log10_flop: Prior | None = None

    @model_validator(mode="after")
    def _one(self) -> Requirement:
        if (self.ooms is None) == (self.log10_flop is None):
            raise ValueError("requirement needs exactly one of 'ooms' or 'log10_flop'")
        return self

    @property
    def field(self) -> str:
        return "ooms" if self.ooms is not None else "log10_flop"

    @property
    def prior(self) -> Any:
        return self.ooms if self.ooms is not None else self.log10_flop


class DataWall(_Strict):
    """Usable training text caps effective compute (SPEC section 4).

    ``D_max(t) = stock_tokens * (1 + stock_growth)**(t - reference.year) * repetition``.
    With probability ``p_break`` synthetic data / self-play / RL lift the cap ``tau``
    years after the wall binds.
    """

    enabled: bool = False
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


def _zero_axis() -> Axis:
    return Axis(rate=point(0.0))


class Scenario(_Strict):
    """Everything a forecast assumes. See the module docstring and SPEC.md.

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
    """

    name: str = "custom"
    description: str = ""
    reference: Reference = Reference()
    compute: ComputeAxis
    algorithms: Axis = Field(default_factory=_zero_axis)
    unhobbling: Axis = Field(default_factory=_zero_axis)
    data_wall: DataWall = DataWall()
    requirement: Requirement
    horizon: float = Field(2100.0, allow_inf_nan=False)
    not_before: float | None = Field(None, allow_inf_nan=False)

    @model_validator(mode="after")
    def _years(self) -> Scenario:
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
        return self

    # -- structure ---------------------------------------------------------------------------
    def prior_fields(self) -> dict[str, Any]:
        """Every prior of the scenario by dotted path (e.g. ``"compute.rate"``)."""
        out: dict[str, Any] = {}
        for sub, axis in self.compute.axes().items():
            prefix = f"compute.{sub}." if sub else "compute."
            out |= {prefix + k: getattr(axis, k) for k in Axis.model_fields}
        for name in ("algorithms", "unhobbling"):
            axis = getattr(self, name)
            out |= {f"{name}.{k}": getattr(axis, k) for k in Axis.model_fields}
        out[f"requirement.{self.requirement.field}"] = self.requirement.prior
        if self.data_wall.enabled:
            for k in ("stock_tokens", "stock_growth", "repetition", "p_break", "tau"):
                out[f"data_wall.{k}"] = getattr(self.data_wall, k)
        return out

    def random_fields(self) -> dict[str, Any]:
        """The priors that are real distributions (not point masses), by dotted path."""
        return {k: v for k, v in self.prior_fields().items() if v.is_random}

    def structure(self) -> tuple[Any, ...]:
        """The scenario's shape without its numbers: scenarios with equal structure share
        one compiled sampler."""
        return (
            tuple((k, v.signature()) for k, v in self.prior_fields().items()),
            self.compute.is_split,
            self.data_wall.enabled,
            self.requirement.field,
        )

    # -- construction and serialisation ------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        """Validate a nested dict (as read from TOML). Errors name the field path."""
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            raise ValueError(_explain(err)) from None

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Read a scenario file. Errors name the file and the field path."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise ValueError(f"cannot read scenario file {path}: {err.strerror}") from None
        return cls.from_toml_string(text, source=str(path))

    @classmethod
    def from_toml_string(cls, text: str, source: str = "<string>") -> Scenario:
        """Parse a scenario from TOML text."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"{source}: not valid TOML: {err}") from None
        try:
            return cls.from_dict(data)
        except ValueError as err:
            raise ValueError(f"{source}: {err}") from None

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict (point masses as bare numbers, unset fields left out)."""
        return self.model_dump(mode="python", by_alias=True, exclude_none=True)

    def to_toml_string(self) -> str:
        """TOML text that :meth:`from_toml_string` reads back to an equal scenario."""
        return tomli_w.dumps(self.to_dict())

    def to_toml(self, path: str | Path) -> None:
        """Write the scenario as TOML (atomically: no partial file on failure)."""
        from ._io import atomic_write

        with atomic_write(Path(path)) as tmp:
            tmp.write_text(self.to_toml_string(), encoding="utf-8")

    def replace(self, changes: dict[str, Any]) -> Scenario:
        """A copy with fields changed, by dotted path: ``{"compute.rate": ci90(0.3, 0.6)}``."""
        data = copy.deepcopy(self.to_dict())
        for path, value in changes.items():
            node: Any = data
            parts = path.split(".")
            model: Any = type(self)
            for i, part in enumerate(parts):
                fields = _fields_of(model, node)
                if part not in fields:
                    where = ".".join(parts[:i]) or "scenario"
                    raise ValueError(
                        f"unknown field path {path!r}: {where!r} has no field {part!r} "
                        f"(fields: {', '.join(fields)})"
                    )
                if i == len(parts) - 1:
                    node[part] = _plain(value)
                else:
                    model = fields[part]
                    node = node.setdefault(part, {})
                    if not isinstance(node, dict):
                        raise ValueError(f"field path {path!r}: {part!r} is not a section")
        return type(self).from_dict(data)

    # -- presets -----------------------------------------------------------------------------
    @staticmethod
    def presets() -> dict[str, str]:
        """Shipped presets: ``{name: description}``."""
        out = {}
        for entry in sorted(resources.files("agi_timelines.presets").iterdir(), key=str):
            if entry.name.endswith(".toml"):
                data = tomllib.loads(entry.read_text(encoding="utf-8"))
                out[entry.name.removesuffix(".toml")] = data.get("description", "")
        return out

    @classmethod
    def preset(cls, name: str) -> Scenario:
        """Load a shipped preset by name (see :meth:`presets`)."""
        names = cls.presets()
        if name not in names:
            raise ValueError(f"unknown preset {name!r}; available: {', '.join(names)}")
        entry = resources.files("agi_timelines.presets") / f"{name}.toml"
        return cls.from_toml_string(entry.read_text(encoding="utf-8"), source=f"preset {name}")

    @classmethod
    def load(cls, name_or_path: str | Path) -> Scenario:
        """A preset name or a path to a TOML file."""
        if str(name_or_path) in cls.presets():
            return cls.preset(str(name_or_path))
        return cls.from_toml(name_or_path)


def _fields_of(model: Any, node: Any) -> dict[str, Any]:
    """Sub-models by field name, for path validation in :meth:`Scenario.replace`."""
    import typing

    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return {}
    out = {}
    for name, info in model.model_fields.items():
        ann = info.annotation
        sub = [a for a in typing.get_args(ann) if isinstance(a, type) and issubclass(a, _Strict)]
        if isinstance(ann, type) and issubclass(ann, _Strict):
            sub = [ann]
        out[info.alias or name] = sub[0] if sub else None
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python", by_alias=True, exclude_none=True)
    return value


def _explain(err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        loc = (
            ".".join(str(p) for p in e["loc"] if not (isinstance(p, str) and p in _TAGS))
            or "scenario"
        )
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown field"
        lines.append(f"{loc}: {msg}")
    # pydantic lists a failure per member of a union; keep the distinct ones
    uniq = list(dict.fromkeys(lines))
    return "invalid scenario: " + "; ".join(uniq)


_TAGS = {"point", "normal", "lognormal", "uniform", "beta", "ci90", "mixture", "function-before"}
