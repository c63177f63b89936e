"""Text for the terminal: escaped user text, the console, numbers and tables in one style."""

from __future__ import annotations

import math
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

__all__ = ["console", "fmt", "printable", "safe", "table", "year"]

_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def printable(text: Any) -> str:
    r"""Return ``text`` with control and format characters written as Python escapes.

    NUL, ESC, the right-to-left override and the like become ``\x00``, ``\u202e``, ...,
    so printed text cannot move the cursor or reorder a line.

    Parameters
    ----------
    text : object
        Anything; it is converted with ``str``.

    Returns
    -------
    str
        The escaped text.

    Examples
    --------
    >>> printable("a\x1b[2Jb")
    'a\\x1b[2Jb'
    """
    out = []
    for ch in str(text):
        if unicodedata.category(ch) in _UNPRINTABLE:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def safe(text: Any) -> str:
    """Return user text for ``rich``: :func:`printable`, and ``[...]`` not read as markup.

    Parameters
    ----------
    text : object
        Anything; it is converted with ``str``.

    Returns
    -------
    str
        Escaped text.
    """
    from rich.markup import escape

    return escape(printable(text))


def console(stderr: bool = False) -> Console:
    """Return a ``rich`` console on stdout (or stderr), 120 columns when not a terminal.

    Parameters
    ----------
    stderr : bool
        Print on stderr instead of stdout.

    Returns
    -------
    rich.console.Console
        A new console (created per call: the test runner swaps ``sys.stdout``).
    """
    from rich.console import Console

    # Output piped to a file gets 120 columns rather than rich's default 80, so tables do
    # not wrap.
    out = Console(stderr=stderr, highlight=False)
    if not out.is_terminal:
        out = Console(stderr=stderr, highlight=False, width=120)
    return out


def fmt(x: float, unit: str = "") -> str:
    """Format a number for a table: years as years, others with 3 significant digits.

    Parameters
    ----------
    x : float
        The number (``inf``: none, e.g. a censored quantile).
    unit : str
        Its units (``"year"`` prints one decimal).

    Returns
    -------
    str
        The text.

    Examples
    --------
    >>> fmt(2029.04, "year"), fmt(6.705e13, "tokens"), fmt(float("inf"))
    ('2029.0', '6.7e+13', 'none')
    """
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "none" if x > 0 else "-inf"
    if unit == "year":
        return f"{x:.1f}"
    return f"{x:.3g}"


def year(x: float, horizon: float) -> str:
    """Format a year with one decimal, or ``after <horizon>`` when censored (``inf``).

    Parameters
    ----------
    x : float
        Decimal year.
    horizon : float
        The forecast horizon, decimal year.

    Returns
    -------
    str
        The text.

    Examples
    --------
    >>> year(2031.27, 2100), year(float("inf"), 2100)
    ('2031.3', 'after 2100')
    """
    return f"after {horizon:g}" if math.isinf(x) else f"{x:.1f}"


def table(**kwargs: Any) -> Table:
    """Return a table in the command line's one style (a rule under the bold header, no box).

    Parameters
    ----------
    **kwargs
        Passed on to :class:`rich.table.Table` (e.g. ``title``).

    Returns
    -------
    rich.table.Table
        An empty table.
    """
    from rich import box
    from rich.table import Table

    return Table(
        header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, **kwargs
    )
