"""Correlations between a scenario's priors: copula groups, matrices and their checks.

A scenario lists target rank (Spearman) correlations between pairs of its priors
(``[[correlations]]``); the forecast samples each connected group of correlated priors
through one Gaussian copula.  This module holds the algebra -- which pairs are active,
the groups, each group's Pearson matrix -- and the checks that run when a scenario is
built.  It reads scenarios through their methods and the path walker only.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _paths
from ._errors import SKIP_PREFIXES, CorrelationWarning

if TYPE_CHECKING:
    from ._schema import Correlation, Scenario

__all__ = ["active", "check", "groups", "matrix", "pearson", "why_not_prior"]


def pearson(rank: float) -> float:
    """Return the copula's Pearson correlation that gives rank correlation ``rank``.

    Parameters
    ----------
    rank : float
        Spearman rank correlation, dimensionless, in (-1, 1).

    Returns
    -------
    float
        ``2 sin(pi * rank / 6)``.
    """
    return 2.0 * math.sin(math.pi * rank / 6.0)


def active(scenario: Scenario) -> list[Correlation]:
    """Return the listed correlations the forecast uses: both fields random and in use.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    list of Correlation
        In the listed order.
    """
    random = scenario.random_fields()
    return [c for c in scenario.correlations if all(p in random for p in c.between)]


def groups(scenario: Scenario) -> list[tuple[str, ...]]:
    """Return the paths sampled jointly by one copula: groups of the active pairs.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    list of tuple of str
        Each group in :meth:`~agi_timelines.Scenario.prior_fields` order; the groups in
        the order of their first member's root.
    """
    order = list(scenario.random_fields())
    pairs = active(scenario)
    parent = {p: p for c in pairs for p in c.between}

    def root(p: str) -> str:
        while parent[p] != p:
            p = parent[p]
        return p

    for c in pairs:
        parent[root(c.between[0])] = root(c.between[1])
    found: dict[str, list[str]] = {}
    for p in sorted(parent, key=order.index):
        found.setdefault(root(p), []).append(p)
    return [tuple(g) for g in found.values()]


def matrix(scenario: Scenario, group: tuple[str, ...]) -> np.ndarray:
    """Return the Pearson matrix of the copula's standard normals for ``group``.

    Parameters
    ----------
    scenario : Scenario
    group : tuple of str
        One of :func:`groups`.

    Returns
    -------
    numpy.ndarray
        ``(len(group), len(group))``: :func:`pearson` of each listed pair, 0 for pairs not
        listed, 1 on the diagonal.
    """
    index = {p: i for i, p in enumerate(group)}
    out = np.eye(len(group))
    for c in active(scenario):
        a, b = c.between
        if a in index and b in index:
            out[index[a], index[b]] = out[index[b], index[a]] = c.pearson
    return out


def check(scenario: Scenario) -> None:
    """Validate ``scenario.correlations``: errors and warnings name the pair.

    A pair naming a point mass or a data-wall field while the wall is off is ignored
    with a :class:`~agi_timelines.CorrelationWarning`.

    Parameters
    ----------
    scenario : Scenario

    Raises
    ------
    ValueError
        A path that is not a prior field of the scenario, a pair listed twice, or a
        correlation matrix that is not positive definite.
    """
    priors = scenario.prior_fields()
    wall_off = {f"data_wall.{k}" for k in scenario.data_wall.PRIORS} - set(priors)
    seen: dict[frozenset[str], Any] = {}
    for c in scenario.correlations:
        for path in c.between:
            if path not in priors and path not in wall_off:
                raise ValueError(f"correlation {c.label}: {why_not_prior(scenario, path)}")
        key = frozenset(c.between)
        if key in seen:
            raise ValueError(
                f"correlations: the pair {c.label} is listed twice (ranks {seen[key].rank:g} "
                f"and {c.rank:g}); list each pair once"
            )
        seen[key] = c
        for path in c.between:
            if path in wall_off:
                reason = f"{path!r} is not used while data_wall.enabled is false"
            elif not priors[path].is_random:
                reason = f"{path!r} is a point mass (a known value)"
            else:
                continue
            warnings.warn(
                f"correlation {c.label}: {reason}; the correlation is ignored",
                CorrelationWarning,
                skip_file_prefixes=SKIP_PREFIXES,  # the user's line, as InputWarning
            )
            break
    for group in groups(scenario):
        m = matrix(scenario, group)
        smallest = float(np.linalg.eigvalsh(m)[0])
        if smallest <= 1e-10:
            pairs = ", ".join(
                f"{c.label} ({c.rank:g})" for c in active(scenario) if c.between[0] in group
            )
            raise ValueError(
                f"correlations {pairs} contradict each other: their copula correlation "
                f"matrix is not positive definite (smallest eigenvalue {smallest:.3g}); "
                "weaken some of them"
            )


def why_not_prior(scenario: Scenario, path: str) -> str:
    """Say why ``path`` cannot be correlated: unknown, a section, not a prior, not set.

    Parameters
    ----------
    scenario : Scenario
    path : str
        A dotted path that is not one of the scenario's prior fields.

    Returns
    -------
    str
        The reason, naming ``path``.
    """
    model = type(scenario)
    try:
        kind = _paths.locate(model, path)
    except _paths.PathError:
        known = ", ".join(scenario.prior_fields())
        return f"unknown prior field {path!r} (prior fields: {known})"
    if kind != "leaf":
        return f"{path!r} is a section, not a prior field"
    if not _paths.is_prior_type(_paths.annotation(model, path)):
        return f"{path!r} is not a prior (an uncertain assumption); only priors correlate"
    return f"{path!r} is not set in this scenario"
