"""Sphinx configuration for the agi_timelines documentation.

Build with ``make docs`` (``sphinx-build -W --keep-going -b html docs docs/_build/html``).
Everything is local: no intersphinx, no fetching, so the build works offline.  The API
reference is generated at build time from ``agi_timelines.__all__`` (see ``_api_page``),
so a name added to ``__all__`` appears in the docs without editing them.
"""

from __future__ import annotations

import inspect
import os
import re
from typing import Any

import agi_timelines

os.environ.setdefault("MPLBACKEND", "Agg")

project = "agi_timelines"
author = "the agi_timelines authors"
copyright = "2026, the agi_timelines authors"  # noqa: A001
release = agi_timelines.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
templates_path: list[str] = []

# -- MyST ----------------------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# -- autodoc / numpydoc --------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # numpydoc sections already give types with units
autodoc_default_options = {"members": True, "undoc-members": False}
numpydoc_show_class_members = False  # members are documented by autodoc itself
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# -- HTML ----------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"agi_timelines {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_static_path: list[str] = []
html_show_sourcelink = False

# -- The API reference, generated from agi_timelines.__all__ --------------------------------
API_PLACEHOLDER = "<!-- api: generated from agi_timelines.__all__ -->"
FIGURES_MODULE = "agi_timelines.plot"
"""The figures' module, documented whole on the API page (``from agi_timelines import plot``)."""
BUILDING_BLOCKS = [
    "agi_timelines.stats",
    "agi_timelines.data_wall",
    "agi_timelines.structure",
    "agi_timelines.growth",
    "agi_timelines.requirement",
    "agi_timelines.constants",
]
"""Modules documented whole on the API page although not exported at the top level."""


def _summary(obj: Any) -> str:
    """First line of a docstring, without reST roles (it becomes a Markdown heading)."""
    doc = (inspect.getdoc(obj) or "").strip()
    first = doc.splitlines()[0].rstrip(".:") if doc else ""
    first = re.sub(r":[a-z:]+:`~?([^`]+)`", r"\1", first)
    return first.replace("``", "`")


def _api_page() -> str:
    """MyST text documenting every public name, grouped by the module that defines it."""
    groups: dict[str, list[tuple[str, Any]]] = {}
    for name in agi_timelines.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(agi_timelines, name)
        module = obj.__name__ if inspect.ismodule(obj) else getattr(obj, "__module__", "")
        groups.setdefault(module or "agi_timelines", []).append((name, obj))
    lines = []
    for module in sorted(groups, key=_module_order):
        mod = __import__(module, fromlist=["_"])
        lines += [f"## `{_short(module)}`: {_summary(mod)}", ""]
        rst = []
        for name, obj in groups[module]:
            if inspect.ismodule(obj):
                rst += [f".. automodule:: {obj.__name__}", "   :members:", ""]
            elif inspect.isclass(obj):
                rst += [f".. autoclass:: agi_timelines.{name}", "   :members:", ""]
            elif callable(obj):
                rst += [f".. autofunction:: agi_timelines.{name}", ""]
            else:
                rst += [f".. autodata:: agi_timelines.{name}", ""]
        # autodoc emits reStructuredText: run it through eval-rst, not the Markdown parser
        lines += ["```{eval-rst}", *rst, "```", ""]
    lines += [
        f"## `plot`: {_summary(__import__(FIGURES_MODULE, fromlist=['_']))}",
        "",
        "Import it as `from agi_timelines import plot`.  A forecast's `fc.plot` accessor",
        "(`ForecastPlots`) draws the same figures as methods: `fc.plot.cdf()`, `.pdf()`,",
        "`.fan()`, `.axes()`, `.error_bars()`, `.parameters()`, `.data_wall()`, `.horizons()`.",
        "",
        "```{eval-rst}",
        f".. automodule:: {FIGURES_MODULE}",
        "   :members:",
        "```",
        "",
    ]
    lines += [
        "## Building blocks",
        "",
        "Lower-level modules the model is made of; import them by their module path.",
        "",
    ]
    for module in BUILDING_BLOCKS:
        lines += [f"### `{module}`", "", "```{eval-rst}", f".. automodule:: {module}"]
        lines += ["   :members:", "```", ""]
    return "\n".join(lines)


def _module_headings(app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]):
    """Module docstrings' numpydoc headings ("Examples" + dashes) become rubrics.

    numpydoc rewrites function and class docstrings but leaves module docstrings alone, where
    "Examples" would be a reST section: two on one page collide ("Duplicate ID").
    """
    if what != "module":
        return
    for i in range(len(lines) - 1):
        title, rule = lines[i].strip(), lines[i + 1].strip()
        if title and rule and set(rule) <= {"-", "="} and len(rule) >= len(title):
            lines[i], lines[i + 1] = f".. rubric:: {title}", ""


_PYDANTIC_NOISE = {"model_config", "model_fields", "model_computed_fields"}


def _skip_pydantic_fields(app: Any, what: str, name: str, obj: Any, skip: bool, options: Any):
    """Pydantic fields are listed in the class docstring; don't repeat them as bare names."""
    if what == "class" and (name in _PYDANTIC_NOISE or name in _pydantic_field_names()):
        if not callable(obj):
            return True
    return None


def _pydantic_field_names() -> set[str]:
    from pydantic import BaseModel

    names: set[str] = set()
    for public in agi_timelines.__all__:
        obj = getattr(agi_timelines, public, None)
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            names |= set(obj.model_fields)
    return names


def _no_pydantic_signature(app: Any, what: str, name: str, obj: Any, *args: Any) -> Any:
    """Pydantic models' generated signatures repeat every default; the docstring lists fields."""
    from pydantic import BaseModel

    if what == "class" and isinstance(obj, type) and issubclass(obj, BaseModel):
        return "", None
    return None


def _short(module: str) -> str:
    """A module's heading: its name in the package, without the leading underscore of the
    private modules behind the re-exported functions (``_forecast`` is ``forecast``)."""
    return module.removeprefix("agi_timelines.").lstrip("_")


def _module_order(module: str) -> tuple[int, str]:
    order = ["priors", "scenario", "model", "forecast", "result"]
    short = _short(module)
    return (order.index(short) if short in order else len(order), short)


def _fill_api(app: Any, docname: str, source: list[str]) -> None:
    if docname == "api" and API_PLACEHOLDER in source[0]:
        source[0] = source[0].replace(API_PLACEHOLDER, _api_page())


def _api_always_outdated(app: Any, env: Any, added: Any, changed: Any, removed: Any) -> list[str]:
    """Re-read the API page on every build: its text comes from this file, not from api.md."""
    return ["api"]


def setup(app: Any) -> dict[str, Any]:
    app.connect("source-read", _fill_api)
    app.connect("env-get-outdated", _api_always_outdated)
    app.connect("autodoc-process-signature", _no_pydantic_signature)
    app.connect("autodoc-process-docstring", _module_headings)
    app.connect("autodoc-skip-member", _skip_pydantic_fields)
    return {"parallel_read_safe": True}
