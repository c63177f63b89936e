"""The one dotted-path walker over the scenario schema: ``"compute.spending.rate"``.

A scenario is a tree of :class:`Section` models; a *path* names a field by the sections
leading to it, joined by dots, as a scenario file's tables spell it.  Everything that
takes a path from a user -- :meth:`~agi_timelines.Scenario.replace`, a correlation's
``between``, a sweep's grid -- and everything that lists or looks up fields by path goes
through this module, so that a path means the same everywhere and an unknown one gets the
same message.

Two kinds of walk share :func:`fields`: over the *schema* (model classes:
:func:`schema_paths`, :func:`annotation`, :func:`locate`) and over a *scenario* (an
instance, or its plain nested dict: :func:`paths`, :func:`get`, :func:`set_in`).
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..priors import Point

__all__ = [
    "PathError",
    "Section",
    "annotation",
    "fields",
    "get",
    "is_prior_type",
    "locate",
    "paths",
    "schema_paths",
    "set_in",
]


class Section(BaseModel):
    """Base of every section of a scenario: immutable, unknown fields rejected.

    The walker descends into the fields whose type is a :class:`Section` (or an optional
    one, or a tuple of them); every other field is a leaf.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


class PathError(ValueError):
    """A path names a field the schema does not have.

    Parameters
    ----------
    path : str
        The whole dotted path.
    index : int
        Position (0-based) of the first unknown part in ``path.split(".")``.
    known : list of str
        The fields the section at that position has.
    owner : type or None
        The section (model class) that lacks the part; ``None`` past a leaf.
    """

    def __init__(self, path: str, index: int, known: list[str], owner: Any) -> None:
        parts = path.split(".")
        self.path = path
        self.part = parts[index]
        self.where = ".".join(parts[:index]) or "scenario"
        self.known = known
        self.owner = owner
        super().__init__(
            f"unknown field path {path!r}: {self.where!r} has no field {self.part!r} "
            f"(fields: {', '.join(known)})"
        )


def fields(model: Any) -> Mapping[str, type[Section] | None]:
    """Return the fields of a section by name, each with its sub-section (``None``: a leaf).

    Parameters
    ----------
    model : type
        A :class:`Section` subclass; anything else (a leaf) has no fields.

    Returns
    -------
    mapping of str to type or None
        ``{field name (its alias if it has one): sub-section class or None}``, in the
        schema's order (read-only, computed once per class).
    """
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return _NO_FIELDS
    return _section_fields(model)


_NO_FIELDS: Mapping[str, type[Section] | None] = MappingProxyType({})


@functools.cache  # the schema is fixed once its classes exist; every path walk asks
def _section_fields(model: type[BaseModel]) -> Mapping[str, type[Section] | None]:
    out: dict[str, type[Section] | None] = {}
    for name, info in model.model_fields.items():
        ann = info.annotation
        sub = [a for a in typing.get_args(ann) if isinstance(a, type) and issubclass(a, Section)]
        if isinstance(ann, type) and issubclass(ann, Section):
            sub = [ann]
        out[info.alias or name] = sub[0] if sub else None
    return MappingProxyType(out)  # shared by every caller: read-only


def schema_paths(model: Any, prefix: str = "") -> list[str]:
    """List every leaf path of the schema rooted at ``model``, set or not, in schema order.

    Fields holding a tuple of sections (``correlations``) are leaves: their entries have
    no path.

    Parameters
    ----------
    model : type
        The root section, e.g. :class:`~agi_timelines.Scenario`.
    prefix : str
        Prepended to every path (used by the recursion).

    Returns
    -------
    list of str
    """
    out = []
    for name, sub in fields(model).items():
        if sub is not None and not _is_sequence(model, name):
            out += schema_paths(sub, f"{prefix}{name}.")
        else:
            out.append(prefix + name)
    return out


def locate(model: Any, path: str) -> Literal["section", "sections", "leaf"]:
    """Tell what ``path`` names in the schema rooted at ``model``.

    Parameters
    ----------
    model : type
        The root section.
    path : str
        A dotted path.

    Returns
    -------
    {"section", "sections", "leaf"}
        ``"sections"``: a tuple of sections (``correlations``, TOML's ``[[...]]``), whose
        entries have no path; :func:`schema_paths` lists it as a leaf.

    Raises
    ------
    PathError
        If a part of ``path`` is not a field of the section before it.
    """
    parts = path.split(".")
    owner = model
    for i, part in enumerate(parts):
        known = fields(model)
        if part not in known:
            raise PathError(path, i, list(known), model if known else None)
        owner, model = model, known[part]
        if model is None and i < len(parts) - 1:
            raise PathError(path, i + 1, [], None)
    if model is None:
        return "leaf"
    return "sections" if _is_sequence(owner, parts[-1]) else "section"


def annotation(model: Any, path: str) -> Any:
    """Return the type annotation of the field at ``path`` (a path :func:`locate` accepts).

    Parameters
    ----------
    model : type
        The root section.
    path : str
        A dotted path naming a field.

    Returns
    -------
    object
        The field's annotation, e.g. ``Prior | None``.
    """
    *parents, last = path.split(".")
    for part in parents:
        model = fields(model)[part]
    for name, info in model.model_fields.items():
        if (info.alias or name) == last:
            return info.annotation
    return None


def is_prior_type(ann: Any) -> bool:
    """Tell whether an annotation is a :data:`~agi_timelines.priors.Prior` (or optional one).

    Parameters
    ----------
    ann : object
        A field's type annotation.

    Returns
    -------
    bool
    """
    if ann is Point:
        return True
    return any(is_prior_type(a) for a in typing.get_args(ann))


def paths(obj: Section, prefix: str = "") -> list[str]:
    """List every leaf path that is set (not ``None``) in the scenario or section ``obj``.

    Parameters
    ----------
    obj : Section
        A scenario, or one of its sections.
    prefix : str
        Prepended to every path (used by the recursion).

    Returns
    -------
    list of str
        In schema order; a path of :func:`schema_paths` of ``type(obj)``.
    """
    return list(_leaves(obj, prefix))


def _leaves(obj: Section, prefix: str) -> Iterator[str]:
    for name in fields(type(obj)):
        value = getattr(obj, name)
        if isinstance(value, Section):
            yield from _leaves(value, f"{prefix}{name}.")
        elif value is not None:
            yield prefix + name


def get(obj: Section, path: str) -> Any:
    """Return the value at ``path`` in the scenario or section ``obj``.

    Parameters
    ----------
    obj : Section
        A scenario, or one of its sections.
    path : str
        A dotted path.

    Returns
    -------
    object
        The field's value; ``None`` if it, or a section on the way, is not set.

    Raises
    ------
    PathError
        If ``path`` is not a path of the schema; its ``owner`` is the section lacking the
        part.
    """
    node: Any = obj
    parts = path.split(".")
    for i, part in enumerate(parts):
        known = fields(type(node))
        if part not in known:
            raise PathError(path, i, list(known), type(node) if known else None)
        node = getattr(node, part)
        if node is None:
            return None
    return node


def set_in(data: dict[str, Any], model: Any, path: str, value: Any) -> None:
    """Set the field at ``path`` of a scenario's plain nested dict to ``value``, in place.

    Sections on the way that ``data`` leaves out are created empty.

    Parameters
    ----------
    data : dict
        A scenario as :meth:`~agi_timelines.Scenario.to_dict` gives it.
    model : type
        The schema of ``data`` (the root section).
    path : str
        A dotted path.
    value : object
        The new value, plain (a number, a dict of a prior, ...).

    Raises
    ------
    PathError
        If ``path`` is not a path of the schema.
    ValueError
        If a part before the last names a field of ``data`` that is not a section.
    """
    parts = path.split(".")
    schema = model
    for i, part in enumerate(parts):  # the whole path first: an unknown one gets PathError's
        known = fields(schema)  # message whatever ``data`` holds on the way
        if i and not known:  # through a leaf
            raise ValueError(f"field path {path!r}: {parts[i - 1]!r} is not a section")
        if part not in known:
            raise PathError(path, i, list(known), schema if known else None)
        schema = known[part]
    node: Any = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ValueError(f"field path {path!r}: {part!r} is not a section")
    node[parts[-1]] = value


def _is_sequence(model: Any, name: str) -> bool:
    """Tell whether field ``name`` of ``model`` holds a tuple of sections (not one section)."""
    ann = annotation(model, name)
    return typing.get_origin(ann) is tuple
