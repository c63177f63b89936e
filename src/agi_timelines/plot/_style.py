"""The house style: a colour-blind-safe palette, one-column sizes, and how it is switched.

Every plotting function draws inside :func:`style` unless the user switched it off with
``with style(False): ...``; :func:`save` writes vector PDF and PNG with the same settings.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from cycler import cycler

from .._io import atomic_write
from .._provenance import versions
from ..structure import AXES

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = ["COLORS", "PALETTE", "STYLE", "save", "style"]

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
)
"""Okabe & Ito (2008) colours, safe for the common colour-vision deficiencies (yellow left
out: it is unreadable on white)."""

COLORS: dict[str, str] = {
    "forecast": PALETTE[0],
    "requirement": PALETTE[1],
    **{axis.label: axis.color for axis in AXES},  # the growth axes' colours, by label
    "wall": "#4D4D4D",
    "wall_off": PALETTE[4],
    "data": "#4D4D4D",
    "muted": "#8C8C8C",
}
"""Fixed colour per quantity, so a quantity looks the same in every figure (the growth
axes' from :data:`agi_timelines.structure.AXES`)."""

ONE_COLUMN_IN = 3.4
"""Width of one column of a two-column paper, inches (8.6 cm)."""

STYLE: dict[RcKeyType, Any] = {
    "figure.figsize": (ONE_COLUMN_IN, 2.4),
    "figure.dpi": 150,
    "figure.constrained_layout.use": True,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "legend.handlelength": 1.6,
    "legend.borderaxespad": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "axes.grid": False,
    "axes.titlelocation": "left",
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "axes.formatter.useoffset": False,
    "lines.linewidth": 1.2,
    "lines.markersize": 3.5,
    "patch.linewidth": 0.5,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 3,
    "ytick.major.size": 3,
    "xtick.direction": "out",
    "ytick.direction": "out",
    "mathtext.default": "regular",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.02,
}
"""Matplotlib rcParams of the house style: readable at one-column width (8 pt text on a
3.4-inch figure), no top/right spines, no grid, embedded TrueType fonts in PDF.  Use it for
your own figures with ``matplotlib.pyplot.style.use(STYLE)``."""

_ENABLED: contextvars.ContextVar[bool] = contextvars.ContextVar("agi_timelines_style", default=True)


@contextlib.contextmanager
def style(enabled: bool = True) -> Iterator[None]:
    """Draw with the house style (``enabled=True``) or with your own rcParams (``False``).

    The plotting functions of :mod:`agi_timelines.plot` apply the style themselves;
    ``with style(False):`` switches that off for everything inside the block.

    Parameters
    ----------
    enabled : bool
        Apply ``STYLE`` inside the block, or leave matplotlib's rcParams alone.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> from agi_timelines.plot import style
    >>> with style():
    ...     mpl.rcParams["font.size"]
    8.0
    >>> with style(False):
    ...     mpl.rcParams["font.size"] == mpl.rcParamsDefault["font.size"]
    True
    """
    if not isinstance(enabled, bool):
        raise ValueError(f"enabled must be True or False, got {enabled!r}")
    token = _ENABLED.set(enabled)
    try:
        if enabled:
            with mpl.rc_context(STYLE):
                yield
        else:
            yield
    finally:
        _ENABLED.reset(token)


@contextlib.contextmanager
def styled() -> Iterator[None]:
    """Apply :data:`STYLE` unless the user switched it off (used by every plot function)."""
    if _ENABLED.get():
        with mpl.rc_context(STYLE):
            yield
    else:
        yield


_FORMATS = ("pdf", "png", "svg")

DPI = 300
"""Resolution of every raster figure the library writes (examples, ``make figures``, the
command line), dots per inch."""


def save(
    fig: Any, path: str | Path, formats: Iterable[str] = ("pdf", "png"), *, dpi: int = DPI
) -> list[Path]:
    """Write ``fig`` once per format, atomically (no partial file if a write fails).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (e.g. the first item a plotting function returns).
    path : str or Path
        Output path without suffix (``figures/fan``); a ``.pdf``/``.png``/``.svg`` suffix
        is replaced by each format's.
    formats : iterable of {"pdf", "png", "svg"}
        File formats (PDF and SVG are vector).
    dpi : int
        Resolution of raster formats, dots per inch (72 to 1200).

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> from agi_timelines.plot import save
    >>> fig, ax = plt.subplots()
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in save(fig, f"{d}/empty")]
    ['empty.pdf', 'empty.png']
    >>> plt.close(fig)
    """
    formats = [str(f).lower().lstrip(".") for f in formats]
    bad = [f for f in formats if f not in _FORMATS]
    if bad or not formats:
        raise ValueError(f"formats must be a non-empty subset of {_FORMATS}, got {formats}")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 72 <= dpi <= 1200:
        raise ValueError(f"dpi must be an integer in [72, 1200], got {dpi!r}")
    path = Path(path)
    if path.suffix.lower().lstrip(".") in _FORMATS:
        path = path.with_suffix("")
    written = []
    for fmt in formats:
        target = path.with_name(f"{path.name}.{fmt}")
        with atomic_write(target) as tmp:
            write(fig, tmp, fmt, dpi=dpi)
        written.append(target)
    return written


def write(fig: Any, target: Any, fmt: str, *, dpi: int = DPI) -> None:
    """Write ``fig`` to ``target`` (a path or a binary file) in format ``fmt``.

    With the house style's save settings (tight bounding box, ``dpi``) and reproducible metadata (no
    creation date).  Every figure file of the library goes through here.
    """
    version = versions()["agi_timelines"]  # read once per process
    creator = f"agi_timelines {version} (matplotlib {mpl.__version__})"
    by_format: dict[str, dict[str, Any]] = {
        "pdf": {"Creator": creator, "CreationDate": None},
        "png": {"Software": creator},
        "svg": {"Creator": creator, "Date": None},
    }
    meta = by_format.get(fmt, {})
    with styled():
        fig.savefig(target, format=fmt, dpi=dpi, metadata=meta or None)
