"""Prior distributions as small, validated, serialisable objects.

A prior is a frozen pydantic model with a ``kind`` tag, so it round-trips through TOML
exactly (``{ kind = "ci90", lo = 0.4, hi = 0.75 }``; a bare number is a point mass).
Each prior knows its support, its quantile function (:meth:`ppf`) and how to become a
PyMC distribution (:meth:`to_pymc`).  Parameters are named for what they are, never
positional guesses: ``lognormal(mu, sigma)`` takes the mean and standard deviation of
``ln x``, exactly as :class:`pymc.LogNormal` does; ``ci90(lo, hi)`` is the forecaster's
"90% sure it is between lo and hi".

Examples
--------
>>> import agi_timelines as agt
>>> p = agt.ci90(0.4, 0.75)
>>> [round(float(x), 3) for x in p.ppf([0.05, 0.5, 0.95])]
[0.4, 0.548, 0.75]
>>> agt.uniform(2, 1)
Traceback (most recent call last):
...
ValueError: uniform: lower (2.0) must be below upper (1.0)
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal, override

import numpy as np
import pymc as pm
import pytensor
import pytensor.tensor as pt
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_validator,
    model_validator,
)
from pytensor.scan.utils import until
from scipy import stats

from .constants import Z90

TAIL_Z = 10.0
"""Normal scores a prior's draws are checked to ``|z| <= TAIL_Z`` at construction (a draw
beyond it has probability ~1.5e-23): a prior whose value there is not a finite float64
(overflow to ``inf``, underflow of a positive quantity to 0, or NaN) is rejected."""

_LOG_MAX = 700.0
"""Largest ``|ln x|`` of a log-normal draw at :data:`TAIL_Z` (``exp(709.8)`` overflows)."""
_ABS_MAX = 1e300
"""Largest ``|x|`` of a normal or uniform draw at :data:`TAIL_Z`."""


def _real(value: Any) -> Any:
    """Refuse booleans and strings where a number is expected (pydantic would coerce them)."""
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"must be a number, got a boolean {value!r}")
    if isinstance(value, str | bytes):
        raise ValueError(f"must be a number, got a string {value!r}")
    return value


Real = Annotated[float, BeforeValidator(_real)]
"""A float field that refuses booleans and strings."""

__all__ = [
    "CI90",
    "Beta",
    "LogNormal",
    "Mixture",
    "Normal",
    "Point",
    "Prior",
    "Uniform",
    "beta",
    "ci90",
    "lognormal",
    "mixture",
    "normal",
    "point",
    "uniform",
]


class _PriorBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nan(cls, value: Any, info: Any) -> Any:
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(f"{info.field_name} is NaN; give a number")
        return value

    # -- interface -----------------------------------------------------------------------
    @property
    def is_random(self) -> bool:
        """Whether the prior is a real distribution (everything except a point mass)."""
        return True

    @property
    def support(self) -> tuple[float, float]:
        """Closed bounds ``(lower, upper)`` of the values the prior can take."""
        raise NotImplementedError

    def hyper(self) -> dict[str, Any]:
        """Numeric parameters of the PyMC distribution, by PyMC's parameter names."""
        raise NotImplementedError

    def tails(self) -> tuple[float, float]:
        """Return the values at normal scores ``-TAIL_Z`` and ``+TAIL_Z``: bounds of every draw.

        (Bounded priors: their support.)  A scenario checks these against each field's
        finite range; a draw outside them has probability below 1e-22.
        """
        return self.support

    def signature(self) -> tuple[Any, ...]:
        """Return the prior's structure without its numbers (the compiled-graph cache key)."""
        return (type(self).__name__,)

    def scipy(self) -> Any:
        """Return the equivalent frozen :mod:`scipy.stats` distribution."""
        raise NotImplementedError

    def ppf(self, q: Any) -> np.ndarray:
        """Quantile function: the value below which a fraction ``q`` of the mass lies."""
        return np.asarray(self.scipy().ppf(q), dtype=float)

    def median(self) -> float:
        """Return the median (closed form where there is one; cheaper than ``ppf(0.5)``)."""
        return float(self.ppf(0.5))

    def dist(self, hyper: dict[str, Any] | None = None, shape: Any = None) -> Any:
        """Return an unnamed PyMC distribution (``pm.X.dist``).

        Its parameters are ``hyper``, numeric or symbolic (default :meth:`hyper`).
        """
        raise NotImplementedError

    def to_pymc(self, name: str, size: int | tuple[int, ...] | None = None, hyper: Any = None):
        """Register the prior as a named random variable in the current ``pm.Model``.

        Parameters
        ----------
        name : str
            Variable name in the model.
        size : int or tuple of int, optional
            Shape of the draws (``None``: scalar).
        hyper : dict, optional
            Replacement parameters (e.g. pytensor shared variables); default :meth:`hyper`.
        """
        shape = (size,) if isinstance(size, int) else size
        return pm.modelcontext(None).register_rv(self.dist(hyper, shape), name)

    def from_normal_score(self, z: Any, hyper: Any = None) -> Any:
        """Return the prior's quantile at standard-normal score ``z``: ``F^-1(Phi(z))`` (symbolic).

        Pushing standard-normal draws through it gives draws of exactly this prior; a
        Gaussian copula pushes correlated ones (see :meth:`Scenario.correlate
        <agi_timelines.Scenario.correlate>`).

        Parameters
        ----------
        z : pytensor variable
            Standard-normal scores (dimensionless), any shape.
        hyper : dict, optional
            Parameters as in :meth:`to_pymc` (default :meth:`hyper`).

        Returns
        -------
        pytensor variable
            Values in the prior's units, shaped like ``z``.
        """
        return pm.icdf(self.dist(hyper), normal_cdf(z))


class Point(_PriorBase):
    """A point mass: the quantity is known (``inf`` is allowed, e.g. "no cap")."""

    kind: Literal["point"] = "point"
    value: Real

    @property
    @override
    def is_random(self) -> bool:
        return False

    @property
    @override
    def support(self) -> tuple[float, float]:
        return (self.value, self.value)

    @override
    def hyper(self) -> dict[str, Any]:
        return {"value": self.value}

    @override
    def ppf(self, q: Any) -> np.ndarray:
        return np.full(np.shape(q), self.value, dtype=float)

    @override
    def median(self) -> float:
        return self.value

    @override
    def scipy(self) -> Any:
        raise TypeError("a point mass has no scipy distribution")

    @override
    def dist(self, hyper: dict[str, Any] | None = None, shape: Any = None) -> Any:
        raise TypeError("a point mass is a constant, not a PyMC distribution")

    @override
    def from_normal_score(self, z: Any, hyper: Any = None) -> Any:
        raise TypeError("a point mass is a constant; it cannot be correlated")


class _MuSigma(_PriorBase):
    """A location ``mu`` (finite) and a scale ``sigma`` (> 0)."""

    kind: str  # set by each subclass; declared first so it leads in repr and TOML
    mu: Real
    sigma: Real = Field(gt=0)

    @field_validator("mu", "sigma")
    @classmethod
    def _finite(cls, v: float, info: Any) -> float:
        if not math.isfinite(v):
            raise ValueError(f"{info.field_name} must be finite, got {v!r}")
        return v


class Normal(_MuSigma):
    """Normal distribution with mean ``mu`` and standard deviation ``sigma`` (same units as x)."""

    kind: Literal["normal"] = "normal"

    @model_validator(mode="after")
    def _draws_finite(self) -> Normal:
        if abs(self.mu) + TAIL_Z * self.sigma > _ABS_MAX:
            raise ValueError(
                f"normal: draws would overflow float64: need |mu| + {TAIL_Z:g} sigma <= "
                f"{_ABS_MAX:g}, got mu={self.mu:g}, sigma={self.sigma:g}"
            )
        return self

    @property
    @override
    def support(self) -> tuple[float, float]:
        return (-math.inf, math.inf)

    @override
    def tails(self) -> tuple[float, float]:
        return (self.mu - TAIL_Z * self.sigma, self.mu + TAIL_Z * self.sigma)

    @override
    def median(self) -> float:
        return self.mu

    @override
    def hyper(self) -> dict[str, Any]:
        return {"mu": self.mu, "sigma": self.sigma}

    @override
    def scipy(self) -> Any:
        return stats.norm(self.mu, self.sigma)

    @override
    def dist(self, hyper: dict[str, Any] | None = None, shape: Any = None) -> Any:
        return pm.Normal.dist(**(hyper or self.hyper()), shape=shape)

    @override
    def from_normal_score(self, z: Any, hyper: Any = None) -> Any:
        h = hyper or self.hyper()
        return h["mu"] + h["sigma"] * z


class LogNormal(_MuSigma):
    """Log-normal: ``ln x ~ Normal(mu, sigma)`` (PyMC's parameterisation; median ``exp(mu)``)."""

    kind: Literal["lognormal"] = "lognormal"

    @model_validator(mode="after")
    def _draws_finite(self) -> LogNormal:
        if abs(self.mu) + TAIL_Z * self.sigma > _LOG_MAX:
            raise ValueError(
                f"lognormal: draws would overflow to inf or underflow to 0: need |mu| + "
                f"{TAIL_Z:g} sigma <= {_LOG_MAX:g}, got mu={self.mu:g}, sigma={self.sigma:g}"
            )
        return self

    @property
    @override
    def support(self) -> tuple[float, float]:
        return (0.0, math.inf)

    @override
    def tails(self) -> tuple[float, float]:
        return (math.exp(self.mu - TAIL_Z * self.sigma), math.exp(self.mu + TAIL_Z * self.sigma))

    @override
    def median(self) -> float:
        return math.exp(self.mu)

    @override
    def hyper(self) -> dict[str, Any]:
        return {"mu": self.mu, "sigma": self.sigma}

    @override
    def scipy(self) -> Any:
        return stats.lognorm(s=self.sigma, scale=math.exp(self.mu))

    @override
    def dist(self, hyper: dict[str, Any] | None = None, shape: Any = None) -> Any:
        return pm.LogNormal.dist(**(hyper or self.hyper()), shape=shape)

    @override
    def from_normal_score(self, z: Any, hyper: Any = None) -> Any:
        h = hyper or self.hyper()
        return pt.exp(h["mu"] + h["sigma"] * z)


class Uniform(_PriorBase):
    """Uniform on ``[lower, upper]``."""

    kind: Literal["uniform"] = "uniform"
    lower: Real
    upper: Real

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not (math.isfinite(self.lower) and math.isfinite(self.upper)):
            raise ValueError(f"uniform: bounds must be finite, got [{self.lower}, {self.upper}]")
        if self.lower >= self.upper:
            raise ValueError(f"uniform: lower ({self.lower}) must be below upper ({self.upper})")
        if max(abs(self.lower), abs(self.upper)) > _ABS_MAX:
            raise ValueError(
                f"uniform: bounds must lie in [-{_ABS_MAX:g}, {_ABS_MAX:g}] (their width "
                f"overflows float64), got [{self.lower:g}, {self.upper:g}]"
            )
        return self

    @property
    @override
    def support(self) -> tuple[float, float]:
        return (self.lower, self.upper)

    @override
    def median(self) -> float:
        return 0.5 * (self.lower + self.upper)

    @override
    def hyper(self) -> dict[str, Any]:
        return {"lower": self.lower, "upper": self.upper}

    @override
    def scipy(self) -> Any:
        return stats.uniform(self.lower, self.upper - self.lower)

    @override
    def dist(self, hyper: dict[str, Any] | None = None, shape: Any = None) -> Any:
        return pm.Uniform.dist(**(hyper or self.hyper()), shape=shape)

    @override
    def from_normal_score(self, z: Any, hyper: Any = None) -> Any:
        h = hyper or self.hyper()
        return h["lower"] + (h["upper"] - h["lower"]) * normal_cdf(z)


class Beta(_PriorBase):
    """Beta distribution on ``[0, 1]`` with shape parameters ``alpha`` and ``beta``."""

    kind: Literal["beta"] = "beta"
    alpha: Real = Field(gt=0, allow_inf_nan=False)
    beta: Real = Field(gt=0, allow_inf_nan=False)

    @property
    @override
    def support(self) -> tuple[float, float]:
        return (0.0, 1.0)

    @override
    def hyper(self) -> dict[str, Any]:
        return {"alpha": self.alpha, "beta": self.beta}

    @override
    def scipy(self) -> Any:
        return stats.beta(self.alpha, self.beta)

    @override
    def dist(self, hyper: dict[str, Any] | None = None, shape: Any = None) -> Any:
        return pm.Beta.dist(**(hyper or self.hyper()), shape=shape)


class CI90(_PriorBase):
    """A "90% sure it is between ``lo`` and ``hi``" prior: a log-normal (default) or normal.

    ``lo`` and ``hi`` are the 5th and 95th percentiles.  ``dist="lognormal"`` needs
    ``0 < lo``; it puts the median at ``sqrt(lo * hi)``.  ``dist="normal"`` puts it at
    the midpoint.
    """

    kind: Literal["ci90"] = "ci90"
    lo: Real = Field(allow_inf_nan=False)
    hi: Real = Field(allow_inf_nan=False)
    dist_family: Literal["lognormal", "normal"] = Field("lognormal", alias="dist")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self) -> CI90:
        if self.lo >= self.hi:
            raise ValueError(f"ci90: lo ({self.lo}) must be below hi ({self.hi})")
        if self.dist_family == "lognormal" and self.lo <= 0:
            raise ValueError(
                f"ci90: a log-normal interval needs lo > 0 (got lo={self.lo}); "
                'use dist="normal" for quantities that can be negative'
            )
        if self.dist_family == "lognormal":
            ratio = math.log(self.hi) - math.log(self.lo)
            spread = 0.5 * (abs(math.log(self.hi) + math.log(self.lo)) + TAIL_Z * ratio / Z90)
            if spread > _LOG_MAX:
                raise ValueError(
                    f"ci90: lo={self.lo:g} and hi={self.hi:g} are too far apart: the "
                    "log-normal's draws would overflow to inf or underflow to 0 (keep "
                    f"|ln lo + ln hi| / 2 + {TAIL_Z:g} (ln hi - ln lo) / {2 * Z90:.3g} <= "
                    f"{_LOG_MAX:g})"
                )
        elif 0.5 * (abs(self.lo + self.hi) + TAIL_Z * (self.hi - self.lo) / Z90) > _ABS_MAX:
            raise ValueError(
                f"ci90: lo={self.lo:g} and hi={self.hi:g} are too far apart: the normal's "
                "draws would overflow float64"
            )
        return self

    def as_base(self) -> Normal | LogNormal:
        """Return the equivalent :class:`LogNormal` or :class:`Normal`."""
        if self.dist_family == "lognormal":
            lo, hi = math.log(self.lo), math.log(self.hi)
            return LogNormal(mu=(lo + hi) / 2, sigma=(hi - lo) / (2 * Z90))
        return Normal(mu=(self.lo + self.hi) / 2, sigma=(self.hi - self.lo) / (2 * Z90))

    @property
    @override
    def support(self) -> tuple[float, float]:
        return self.as_base().support

    @override
    def tails(self) -> tuple[float, float]:
        return self.as_base().tails()

    @override
    def median(self) -> float:
        return self.as_base().median()

    @override
    def hyper(self) -> dict[str, Any]:
        return self.as_base().hyper()

    @override
    def signature(self) -> tuple[Any, ...]:
        return self.as_base().signature()

    @override
    def scipy(self) -> Any:
        return self.as_base().scipy()

    @override
    def dist(self, hyper: dict[str, Any] | None = None, shape: Any = None) -> Any:
        return self.as_base().dist(hyper, shape)

    @override
    def from_normal_score(self, z: Any, hyper: Any = None) -> Any:
        return self.as_base().from_normal_score(z, hyper)


def _point_from_number(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a prior is a number or a table with a 'kind'; got a boolean")
    if isinstance(value, int | float):
        return {"kind": "point", "value": float(value)}
    if not isinstance(value, dict | BaseModel):
        raise ValueError(
            "a prior is a number or a table with a 'kind', e.g. "
            f'{{ kind = "ci90", lo = 0.4, hi = 0.75 }}; got {type(value).__name__} {value!r}'
        )
    return value


def _point_to_number(prior: Any) -> Any:
    if isinstance(prior, Point):
        return prior.value
    return prior.model_dump(by_alias=True, exclude_defaults=False, exclude_none=True)


_Simple = Annotated[Point | Normal | LogNormal | Uniform | Beta | CI90, Field(discriminator="kind")]
SimplePrior = Annotated[
    _Simple, BeforeValidator(_point_from_number), PlainSerializer(_point_to_number)
]


class Mixture(_PriorBase):
    """A weighted mixture of continuous priors, optionally with a name per component.

    Used for "anchors" (e.g. several bio-anchors for the requirement, each a
    distribution, with a weight on each).  Weights must be positive and sum to 1.
    """

    kind: Literal["mixture"] = "mixture"
    components: list[SimplePrior] = Field(min_length=2)
    weights: list[Real]
    names: list[str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Mixture:
        k = len(self.components)
        if len(self.weights) != k:
            raise ValueError(f"mixture: {k} components but {len(self.weights)} weights")
        if self.names is not None and len(self.names) != k:
            raise ValueError(f"mixture: {k} components but {len(self.names)} names")
        if self.names is not None and len(set(self.names)) != k:
            raise ValueError(f"mixture: names must be distinct, got {self.names}")
        w = np.asarray(self.weights, dtype=float)
        if not np.all(np.isfinite(w)) or np.any(w <= 0):
            raise ValueError(f"mixture: weights must be positive numbers, got {self.weights}")
        if abs(w.sum() - 1) > 1e-9:
            raise ValueError(f"mixture: weights must sum to 1, they sum to {w.sum():.6g}")
        for i, c in enumerate(self.components):
            if not c.is_random:
                raise ValueError(
                    f"mixture: component {i} is a point mass; give each anchor a distribution "
                    "(e.g. a narrow ci90)"
                )
        return self

    @property
    @override
    def support(self) -> tuple[float, float]:
        lows, highs = zip(*(c.support for c in self.components), strict=True)
        return (min(lows), max(highs))

    @override
    def tails(self) -> tuple[float, float]:
        lows, highs = zip(*(c.tails() for c in self.components), strict=True)
        return (min(lows), max(highs))

    @override
    def hyper(self) -> dict[str, Any]:
        return {"w": np.asarray(self.weights), "components": [c.hyper() for c in self.components]}

    @override
    def signature(self) -> tuple[Any, ...]:
        return ("Mixture", *(c.signature() for c in self.components))

    def cdf(self, x: Any) -> np.ndarray:
        """Mixture CDF."""
        return sum(w * c.scipy().cdf(x) for w, c in zip(self.weights, self.components, strict=True))

    def ppf(self, q: Any) -> np.ndarray:
        """Quantiles by bracketing root-finding on the mixture CDF (to ~1e-10)."""
        q = np.asarray(q, dtype=float)
        lo = np.min([c.ppf(np.clip(q, 1e-15, 1)) for c in self.components], axis=0)
        hi = np.max([c.ppf(np.clip(q, 0, 1 - 1e-15)) for c in self.components], axis=0)
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            below = self.cdf(mid) < q
            lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
            if np.all(hi - lo <= 1e-10 * np.maximum(1, np.abs(mid))):
                break
        return 0.5 * (lo + hi)

    @override
    def scipy(self) -> Any:
        raise TypeError("a mixture has no single scipy distribution; use cdf/ppf")

    @override
    def dist(self, hyper: dict[str, Any] | None = None, shape: Any = None) -> Any:
        hyper = hyper or self.hyper()
        comps = [c.dist(h) for c, h in zip(self.components, hyper["components"], strict=True)]
        return pm.Mixture.dist(w=hyper["w"], comp_dists=comps, shape=shape)

    def from_normal_score(self, z: Any, hyper: Any = None) -> Any:
        """Mixture quantile at normal score ``z``: the root of ``F(x) = Phi(z)``.

        ``F`` is the mixture CDF.  The components' own quantiles at ``z`` bracket the
        root; safeguarded Newton steps (bisection whenever a step leaves the bracket or
        does not halve) run in a ``scan`` until every draw has converged to ~1e-13
        relative (at most :data:`MIXTURE_MAX_STEPS` steps; typically 5-20).
        """
        hyper = hyper or self.hyper()
        comps = list(zip(self.components, hyper["components"], strict=True))
        quantiles = [c.from_normal_score(z, h) for c, h in comps]
        lo, hi = quantiles[0], quantiles[0]
        for q in quantiles[1:]:
            lo, hi = pt.minimum(lo, q), pt.maximum(hi, q)
        u = normal_cdf(z)
        w = hyper["w"]

        def step(x: Any, lo: Any, hi: Any, dx_old: Any, done: Any, u: Any) -> Any:
            cdf, pdf = 0.0, 0.0
            for k, (c, h) in enumerate(comps):
                cdf_k, pdf_k = _cdf_pdf(c, x, h)
                cdf, pdf = cdf + w[k] * cdf_k, pdf + w[k] * pdf_k
            below = cdf < u
            lo, hi = pt.where(below, x, lo), pt.where(below, hi, x)
            tol = 1e-13 * pt.maximum(1.0, pt.abs(x))
            at_root = done | (pt.abs(cdf - u) <= 1e-14 * u) | (hi - lo <= tol)
            newton = x - (cdf - u) / pdf
            ok = (newton > lo) & (newton < hi) & (2 * pt.abs(cdf - u) < pt.abs(dx_old * pdf))
            new = pt.where(at_root, x, pt.where(ok, newton, 0.5 * (lo + hi)))
            done = at_root | (pt.abs(new - x) <= tol)
            return (new, lo, hi, new - x, done), until(pt.all(done))

        start = [0.5 * (lo + hi), lo, hi, hi - lo, pt.zeros_like(z, dtype="bool")]
        # ``u`` goes in explicitly: captured implicitly, scan would re-draw it per step
        xs, *_ = pytensor.scan(
            step,
            outputs_info=start,
            non_sequences=[u],
            n_steps=MIXTURE_MAX_STEPS,
            return_updates=False,
        )
        return xs[-1]


Prior = Annotated[
    Annotated[
        Point | Normal | LogNormal | Uniform | Beta | CI90 | Mixture, Field(discriminator="kind")
    ],
    BeforeValidator(_point_from_number),
    PlainSerializer(_point_to_number),
]
"""Any prior; in TOML a bare number (point mass) or a table with a ``kind`` key."""


# -- constructors (the public, forecaster-friendly way to make priors) -----------------------
def _make[T: BaseModel](cls: type[T], **fields: Any) -> T:
    """Build a prior, turning pydantic's report into a one-line ``ValueError``."""
    try:
        return cls(**fields)
    except ValidationError as err:
        msgs = []
        for e in err.errors():
            loc = ".".join(str(p) for p in e["loc"])
            msg = e["msg"].removeprefix("Value error, ")
            msgs.append(f"{cls.__name__.lower()}.{loc}: {msg}" if loc else msg)
        raise ValueError("; ".join(dict.fromkeys(msgs))) from None


def point(value: float) -> Point:
    """Return a known value (point mass). ``point(float("inf"))`` means "unbounded"."""
    return _make(Point, value=value)


def normal(mu: float, sigma: float) -> Normal:
    """Return a normal prior with mean ``mu`` and standard deviation ``sigma``.

    Both are in the units of the quantity.
    """
    return _make(Normal, mu=mu, sigma=sigma)


def lognormal(mu: float, sigma: float) -> LogNormal:
    """Log-normal with ``ln x ~ Normal(mu, sigma)`` (as :class:`pymc.LogNormal`).

    Prefer :func:`ci90` unless you think in log-space: ``lognormal(math.log(m), s)``
    has median ``m``.
    """
    return _make(LogNormal, mu=mu, sigma=sigma)


def uniform(lower: float, upper: float) -> Uniform:
    """Uniform on ``[lower, upper]``."""
    return _make(Uniform, lower=lower, upper=upper)


def beta(alpha: float, beta: float) -> Beta:
    """Beta(``alpha``, ``beta``) on [0, 1], e.g. for a probability."""
    return _make(Beta, alpha=alpha, beta=beta)


def ci90(lo: float, hi: float, dist: Literal["lognormal", "normal"] = "lognormal") -> CI90:
    """Return a "90% sure it is between ``lo`` and ``hi``" prior (5th and 95th percentiles).

    Log-normal by default (for positive quantities such as rates); ``dist="normal"``
    for quantities that may be negative or are naturally symmetric (e.g. a year).

    Examples
    --------
    >>> from agi_timelines import ci90
    >>> round(float(ci90(2028, 2032, dist="normal").ppf(0.5)), 1)
    2030.0
    """
    return _make(CI90, lo=lo, hi=hi, dist=dist)


def mixture(components: list[Any], weights: list[float], names: list[str] | None = None) -> Mixture:
    """Weighted mixture of priors (weights positive, summing to 1), optionally named."""
    return _make(Mixture, components=components, weights=weights, names=names)


MIXTURE_MAX_STEPS = 100
"""Most root-finding steps of :meth:`Mixture.from_normal_score` (it stops when converged)."""


def normal_cdf(z: Any) -> Any:
    """Standard-normal CDF ``Phi(z)`` of a pytensor variable (accurate in the lower tail)."""
    return 0.5 * pt.erfc(-z / math.sqrt(2.0))


def _cdf_pdf(prior: Any, x: Any, hyper: Any) -> tuple[Any, Any]:
    """Return the symbolic CDF and density of a mixture component at ``x``.

    Closed forms where PyMC's ``logcdf`` loses digits, e.g. the log-normal's ~1e-9.
    """
    if isinstance(prior, CI90):
        return _cdf_pdf(prior.as_base(), x, hyper)
    if isinstance(prior, Normal | LogNormal):
        log = isinstance(prior, LogNormal)
        pos = x > 0 if log else pt.ones_like(x, dtype="bool")
        y = pt.log(pt.where(pos, x, 1.0)) if log else x
        t = (y - hyper["mu"]) / hyper["sigma"]
        density = pt.exp(-0.5 * t**2 - (y if log else 0.0)) / (hyper["sigma"] * _SQRT_2PI)
        return pt.where(pos, normal_cdf(t), 0.0), pt.where(pos, density, 0.0)
    if isinstance(prior, Uniform):
        width = hyper["upper"] - hyper["lower"]
        inside = (x >= hyper["lower"]) & (x <= hyper["upper"])
        return pt.clip((x - hyper["lower"]) / width, 0.0, 1.0), pt.where(inside, 1.0 / width, 0.0)
    dist = prior.dist(hyper)
    return pt.exp(pm.logcdf(dist, x)), pt.exp(pm.logp(dist, x))


_SQRT_2PI = math.sqrt(2.0 * math.pi)


def shared_hyper(hyper: Any, sink: list[Any]) -> Any:
    """Replace every number in ``hyper`` by a pytensor shared variable (appended to ``sink``)."""
    if isinstance(hyper, dict):
        return {k: shared_hyper(v, sink) for k, v in hyper.items()}
    if isinstance(hyper, list):
        return [shared_hyper(v, sink) for v in hyper]
    var = pytensor.shared(np.asarray(hyper, dtype=float))
    sink.append(var)
    return var


def flat_hyper(hyper: Any) -> list[np.ndarray]:
    """Numbers of ``hyper`` in the same order :func:`shared_hyper` visits them."""
    if isinstance(hyper, dict):
        return [x for v in hyper.values() for x in flat_hyper(v)]
    if isinstance(hyper, list):
        return [x for v in hyper for x in flat_hyper(v)]
    return [np.asarray(hyper, dtype=float)]
