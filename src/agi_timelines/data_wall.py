r"""The data wall: how a cap on usable training tokens turns compute into *effective* compute.

See docs/model.md, "The data wall". The model is the Chinchilla-style loss (Epoch AI's 2024
replication, constants in :mod:`agi_timelines.constants`)

.. math:: L(N, D) = E + A N^{-\alpha} + B D^{-\beta}, \qquad C = 6 N D,

with ``N`` parameters, ``D`` training tokens and ``C`` training FLOP.

Closed forms used here (``s = α + β``, ``γ = αβ/s``, ``r = β/α``):

* compute-optimal split: ``N_opt = G (C/6)^(β/s)``, ``D_opt = (C/6)^(α/s) / G`` with
  ``G = (αA / (βB))^(1/s)``;
* optimal loss: ``L*(C) = E + K C^(-γ)`` with ``K = 6^γ (A G^(-α) + B G^β)``.  At the optimum the
  two reducible terms keep the fixed ratio ``A N^(-α) : B D^(-β) = β : α`` (first-order condition),
  so also ``L*(C) − E = (1 + r) B D_opt(C)^(-β)``;
* the wall: a run first needs more than ``D_max`` tokens at ``C_wall`` where
  ``D_opt(C_wall) = D_max``, i.e. ``log10 C_wall = log10 6 + (s/α) (log10 D_max + log10 G)``;
* past the wall the best a run can do is ``D = D_max``, ``N = C / (6 D_max)``; with
  ``t = log10(C / C_wall) ≥ 0`` its loss is ``L_c − E = B D_max^(-β) (1 + r 10^(-α t))``;
* effective compute ``C_eff = ((L_c − E) / K)^(-1/γ)`` (the unconstrained compute reaching
  ``L_c``) is then, in OOMs,

  .. math:: \log_{10} C_\mathrm{eff} = \log_{10} C_\mathrm{wall}
            + \frac{\log_{10}(1 + r) - \log_{10}(1 + r\,10^{-\alpha t})}{\gamma}.

  It equals ``log10 C`` at the wall with slope 1 there (the curve is C¹ and concave everywhere),
  and tends to the ceiling ``log10 C_wall + log10(1 + r)/γ`` as ``C → ∞``, which is the compute
  whose optimal loss is ``E + B D_max^(-β)``.  The ceiling therefore sits a fixed
  ``log10(1 + r)/γ ≈ 1.75`` OOMs above the wall whatever ``D_max`` is, and every OOM of ``D_max``
  moves both by ``s/α ≈ 2.05`` OOMs.

Everything is computed in log10 space from constants folded at import time, so no power of a
large number is ever formed.  The functions broadcast, and take numpy arrays (validated) or
pytensor tensors (not validated, dispatched with :func:`agi_timelines._backend.xp_of`).

``d_max_tokens = inf`` means *no data wall*: :func:`wall_ooms` and :func:`ceiling_ooms` are
``inf`` and :func:`effective_ooms` is the identity.  The model uses this to switch the wall off.
"""

from __future__ import annotations

import math
from types import ModuleType

import numpy as np

from agi_timelines._backend import TensorLike, xp_of
from agi_timelines.constants import (
    CHINCHILLA_A,
    CHINCHILLA_ALPHA,
    CHINCHILLA_B,
    CHINCHILLA_BETA,
    FLOP_PER_PARAM_TOKEN,
)

__all__ = ["ceiling_ooms", "effective_ooms", "optimal_tokens", "wall_ooms", "wall_response"]

# --- Constants folded once (Python floats; they enter a pytensor graph as scalars) ----------
_ALPHA = CHINCHILLA_ALPHA
_BETA = CHINCHILLA_BETA
_S = _ALPHA + _BETA
_GAMMA = _ALPHA * _BETA / _S
"""Exponent of the optimal loss, ``L*(C) − E = K C^(-γ)``."""
_R = _BETA / _ALPHA
_LN10 = math.log(10.0)
_LOG10_G = math.log10(_ALPHA * CHINCHILLA_A / (_BETA * CHINCHILLA_B)) / _S
_LOG10_K = _GAMMA * math.log10(FLOP_PER_PARAM_TOKEN) + math.log10(
    CHINCHILLA_A * 10.0 ** (-_ALPHA * _LOG10_G) + CHINCHILLA_B * 10.0 ** (_BETA * _LOG10_G)
)
"""log10 of ``K`` in ``L*(C) = E + K C^(-γ)`` (``C`` in FLOP)."""

# optimal_tokens: D_opt = exp(_D_SLOPE * ln C + _D_OFFSET)
_D_SLOPE = _ALPHA / _S
_D_OFFSET = -_D_SLOPE * math.log(FLOP_PER_PARAM_TOKEN) - _LOG10_G * _LN10
# wall: log10 C_wall = _WALL_SLOPE * log10 D_max + _WALL_OFFSET
_WALL_SLOPE = _S / _ALPHA
_WALL_OFFSET = math.log10(FLOP_PER_PARAM_TOKEN) + _WALL_SLOPE * _LOG10_G
# ceiling - wall, in OOMs
_CEILING_GAP = math.log10(1.0 + _R) / _GAMMA
# effective_ooms past the wall: wall + _CEILING_GAP - _EFF_SCALE * log1p(_R * exp(-_EFF_RATE * t))
_EFF_SCALE = 1.0 / (_GAMMA * _LN10)
_EFF_RATE = _ALPHA * _LN10


# --- Validation (numpy inputs only) ----------------------------------------------------------
def _is_symbolic(value: TensorLike) -> bool:
    return type(value).__module__.startswith("pytensor")


def _as_float_array(value: TensorLike) -> np.ndarray:
    arr = np.asarray(value)
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    return arr


def _first_bad(arr: np.ndarray, bad: np.ndarray) -> float:
    return float(arr[bad].flat[0]) if arr.ndim else float(arr)


def _check_d_max(value: TensorLike) -> TensorLike:
    """``d_max_tokens`` must be in ``(0, inf]``; NaN is rejected."""
    if _is_symbolic(value):
        return value
    arr = _as_float_array(value)
    bad = ~(arr > 0)  # catches <= 0, -inf and NaN in one pass
    if bad.any():
        raise ValueError(
            "d_max_tokens must be > 0 tokens (finite, or inf for no data wall); "
            f"got {_first_bad(arr, bad)!r}"
        )
    return arr


def _check_flop(value: TensorLike, name: str, *, allow_inf: bool) -> TensorLike:
    """Check that a FLOP count is in ``(0, inf]`` (``(0, inf)`` unless ``allow_inf``).

    NaN is rejected.
    """
    if _is_symbolic(value):
        return value
    arr = _as_float_array(value)
    bad = ~(arr > 0)
    if not allow_inf:
        bad |= np.isinf(arr)
    if bad.any():
        high = "inf]" if allow_inf else "inf)"
        raise ValueError(f"{name} must be in (0, {high} FLOP; got {_first_bad(arr, bad)!r}")
    return arr


def _check_ooms(value: TensorLike) -> TensorLike:
    if _is_symbolic(value):
        return value
    arr = _as_float_array(value)
    bad = np.isnan(arr)
    if bad.any():
        raise ValueError("physical_ooms must be a real number of OOMs (±inf allowed), not NaN")
    return arr


def _unwrap(result: TensorLike) -> TensorLike:
    """Turn a 0-d numpy array into a numpy scalar; leave arrays and tensors alone."""
    return result[()] if isinstance(result, np.ndarray) else result


def _log10_wall(xp: ModuleType, d_max_tokens: TensorLike) -> TensorLike:
    return _WALL_SLOPE * xp.log10(d_max_tokens) + _WALL_OFFSET


# --- Public functions ------------------------------------------------------------------------
def optimal_tokens(flop: TensorLike) -> TensorLike:
    """Compute-optimal number of training tokens for a training run of ``flop`` FLOP.

    ``D_opt(C) = (C/6)^(α/(α+β)) / G`` with ``G = (αA/(βB))^(1/(α+β))`` (Epoch AI's 2024
    Chinchilla replication): each OOM of compute wants ``α/(α+β) ≈ 0.49`` OOM more data.

    Parameters
    ----------
    flop : array_like or pytensor tensor
        Training compute ``C`` in FLOP, in ``(0, inf]``.

    Returns
    -------
    array_like or pytensor tensor
        Compute-optimal training tokens ``D_opt``, same shape as ``flop``.

    Raises
    ------
    ValueError
        If a numpy ``flop`` is not in ``(0, inf]`` (NaN included).

    Examples
    --------
    >>> print(f"{optimal_tokens(2e25):.2e}")
    7.49e+12
    >>> import numpy as np
    >>> print(np.round(np.log10(optimal_tokens([1e24, 1e25, 1e26])), 2))
    [12.24 12.73 13.21]
    """
    xp = xp_of(flop)
    flop = _check_flop(flop, "flop", allow_inf=True)
    return _unwrap(xp.exp(_D_SLOPE * xp.log(flop) + _D_OFFSET))


def wall_ooms(d_max_tokens: TensorLike, reference_flop: TensorLike) -> TensorLike:
    """Physical OOMs above ``reference_flop`` at which the data wall starts to bite.

    The wall is the compute ``C_wall`` whose compute-optimal run needs exactly ``d_max_tokens``
    tokens (``D_opt(C_wall) = D_max``); any larger run is data-constrained.

    Parameters
    ----------
    d_max_tokens : array_like or pytensor tensor
        Cap on usable training tokens ``D_max`` (stock × repetition), in ``(0, inf]``.
        ``inf`` means no wall.
    reference_flop : array_like or pytensor tensor
        Training compute of the reference run in FLOP, in ``(0, inf)`` (e.g. GPT-4's 2.1e25).

    Returns
    -------
    array_like or pytensor tensor
        ``log10(C_wall / reference_flop)`` in OOMs (``inf`` when ``d_max_tokens`` is ``inf``;
        negative when the reference run is already past the wall). Broadcast shape of the inputs.

    Raises
    ------
    ValueError
        If a numpy ``d_max_tokens`` is not in ``(0, inf]`` or ``reference_flop`` not in
        ``(0, inf)`` (NaN included).

    Examples
    --------
    >>> print(f"{wall_ooms(3e14, 2.1e25):.2f}")
    3.27
    >>> print(wall_ooms([1e15, 5e15, float("inf")], 2.1e25).round(2))
    [4.34 5.77  inf]
    """
    xp = xp_of(d_max_tokens, reference_flop)
    d_max_tokens = _check_d_max(d_max_tokens)
    reference_flop = _check_flop(reference_flop, "reference_flop", allow_inf=False)
    return _unwrap(_log10_wall(xp, d_max_tokens) - xp.log10(reference_flop))


def ceiling_ooms(d_max_tokens: TensorLike, reference_flop: TensorLike) -> TensorLike:
    """Effective OOMs above ``reference_flop`` that no amount of physical compute can exceed.

    As physical compute grows without bound at fixed ``D_max`` the loss falls only to
    ``E + B D_max^(-β)``; the ceiling is the unconstrained compute reaching that loss. It lies
    ``log10(1 + β/α) / γ ≈ 1.75`` OOMs above :func:`wall_ooms`.

    Parameters
    ----------
    d_max_tokens : array_like or pytensor tensor
        Cap on usable training tokens, in ``(0, inf]``; ``inf`` means no wall.
    reference_flop : array_like or pytensor tensor
        Training compute of the reference run in FLOP, in ``(0, inf)``.

    Returns
    -------
    array_like or pytensor tensor
        ``log10(C_eff_max / reference_flop)`` in OOMs (``inf`` when ``d_max_tokens`` is ``inf``).

    Raises
    ------
    ValueError
        As :func:`wall_ooms`.

    Examples
    --------
    >>> print(f"{ceiling_ooms(3e14, 2.1e25):.2f}")
    5.02
    >>> print(ceiling_ooms([1e15, 5e15], 2.1e25).round(2))
    [6.09 7.53]
    """
    return wall_ooms(d_max_tokens, reference_flop) + _CEILING_GAP


def effective_ooms(
    physical_ooms: TensorLike, d_max_tokens: TensorLike, reference_flop: TensorLike
) -> TensorLike:
    """Effective OOMs above the reference for a run ``physical_ooms`` OOMs above it.

    Below the wall a run trains compute-optimally and effective compute equals physical compute
    (returned unchanged, exactly). Past the wall, with ``t`` physical OOMs beyond it::

        effective = wall + (log10(1 + r) - log10(1 + r * 10**(-α t))) / γ,   r = β/α,

    which is increasing, concave, has slope 1 at the wall and tends to :func:`ceiling_ooms`.

    Parameters
    ----------
    physical_ooms : array_like or pytensor tensor
        ``log10(C / reference_flop)`` of the run, in OOMs; ``±inf`` allowed, NaN not.
    d_max_tokens : array_like or pytensor tensor
        Cap on usable training tokens, in ``(0, inf]``; ``inf`` makes this the identity.
    reference_flop : array_like or pytensor tensor
        Training compute of the reference run in FLOP, in ``(0, inf)``.

    Returns
    -------
    array_like or pytensor tensor
        ``log10(C_eff / reference_flop)`` in OOMs, broadcast shape of the inputs.

    Raises
    ------
    ValueError
        If a numpy ``physical_ooms`` is NaN, or as :func:`wall_ooms`.

    Examples
    --------
    Successive physical OOMs past a 3e14-token wall (GPT-4 reference) buy less and less:

    >>> import numpy as np
    >>> wall = wall_ooms(3e14, 2.1e25)
    >>> eff = effective_ooms(wall + np.arange(5.0), 3e14, 2.1e25)
    >>> print(np.diff(eff).round(2))
    [0.81 0.47 0.25 0.12]
    >>> print(effective_ooms([2.0, 10.0, np.inf], 3e14, 2.1e25).round(2))
    [2.   5.01 5.02]
    >>> print(effective_ooms(10.0, np.inf, 2.1e25))
    10.0
    """
    xp = xp_of(physical_ooms, d_max_tokens, reference_flop)
    physical_ooms = _check_ooms(physical_ooms)
    wall = wall_ooms(d_max_tokens, reference_flop)  # validates the other two
    # Clamp t at 0 so the unselected branch stays finite (no NaN in gradients through where);
    # physical_ooms = wall = inf gives NaN there, which where() discards, hence the errstate.
    with np.errstate(invalid="ignore"):
        past = xp.maximum(physical_ooms - wall, 0.0)
    beyond = wall + wall_response(past)[0]
    return _unwrap(xp.where(physical_ooms <= wall, physical_ooms, beyond))


def wall_response(excess_ooms: TensorLike) -> tuple[TensorLike, TensorLike]:
    """Effective OOMs gained past the wall, and their slope, for a run ``excess_ooms`` past it.

    With ``x`` physical OOMs beyond the wall (``x <= 0``: below it)::

        f(x) = x                                                  (x <= 0)
        f(x) = (log10(1 + r) - log10(1 + r * 10**(-α x))) / γ     (x > 0),   r = β/α

    ``f`` is C¹ (slope 1 at the wall), concave and bounded by ``log10(1 + r)/γ`` ≈ 1.75.
    :func:`effective_ooms` is ``wall + f(physical - wall)``; the slope ``f'(x)`` lets the
    arrival solver take Newton steps.  No validation (hot path); works on numpy and pytensor.

    Parameters
    ----------
    excess_ooms : array_like or pytensor tensor
        Physical OOMs beyond the wall (negative below it).

    Returns
    -------
    tuple
        ``(f(x), f'(x))``: effective OOMs beyond the wall, and effective OOMs per physical OOM.

    Examples
    --------
    >>> import numpy as np
    >>> f, df = wall_response(np.array([-1.0, 0.0, 1.0, 10.0]))
    >>> np.round(f, 3).tolist(), np.round(df, 3).tolist()
    ([-1.0, 0.0, 0.809, 1.75], [1.0, 1.0, 0.626, 0.001])
    """
    xp = xp_of(excess_ooms)
    past = xp.maximum(excess_ooms, 0.0)
    decay = _R * xp.exp(-_EFF_RATE * past)
    gain = _CEILING_GAP - _EFF_SCALE * xp.log1p(decay)
    slope = _EFF_SCALE * _EFF_RATE * decay / (1.0 + decay)
    below = excess_ooms <= 0
    return xp.where(below, excess_ooms, gain), xp.where(below, 1.0, slope)
