"""Summary tables that display each number in its own units, and keep every digit.

:class:`SummaryTable` is a :class:`pandas.DataFrame` (one row per variable) whose values
are unrounded floats, like any ArviZ summary; only its *display* is formatted, row by row
from each variable's units:

* years as years (``2029.0``), and an arrival that is censored as ``not by 2100``;
* token counts and FLOP in scientific notation with 3 significant digits (``6.71e+13``);
* logarithms (``log10 FLOP``) with 2 decimals, every other number (rates, OOMs,
  probabilities) with 3 significant digits;
* spreads (``mad``, ``sd``) with 3 significant digits in the variable's units;
* the ``censored`` share as a percentage;
* a number that cannot be computed (NaN, e.g. the spread of a mostly censored variable)
  as a blank.

``print(table)``, ``table.to_string()``, the notebook display (``_repr_html_``),
:meth:`SummaryTable.to_markdown` and :meth:`SummaryTable.to_latex` all use that format;
:meth:`SummaryTable.formatted` returns it as a DataFrame of strings.  A column or row
(``table["median"]``, ``table.loc["arrival_year"]``) is a plain :class:`pandas.Series` of the
full-precision numbers; a selection of rows (``table.loc[["arrival_year"]]``) is again a
``SummaryTable``, and ``pd.DataFrame(table)`` a plain DataFrame.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["SummaryTable", "format_value"]


def _is_location(column: str) -> bool:
    return column in ("median", "mean") or column.startswith(("eti", "hdi"))


def format_value(
    value: Any, unit: str = "", column: str = "median", horizon: float = 2100.0
) -> str:
    """One summary number as text, by the variable's ``unit`` and the ``column``.

    Parameters
    ----------
    value : float
        The number (``inf``: censored, ``NaN``: not computable).
    unit : str
        The variable's units (``"year"``, ``"tokens"``, ``"OOM/yr"``, ...).
    column : str
        The summary column (``median``, ``mad``, ``eti90_lb``, ``censored``, ...).
    horizon : float
        The forecast horizon, year (for ``not by <horizon>``).

    Returns
    -------
    str

    Examples
    --------
    >>> format_value(2029.04, "year"), format_value(float("inf"), "year")
    ('2029.0', 'not by 2100')
    >>> format_value(6.705e13, "tokens"), format_value(0.549037, "OOM/yr")
    ('6.71e+13', '0.549')
    >>> format_value(float("nan"), "year", "mad"), format_value(0.0506, "", "censored")
    ('', '5.1%')
    """
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return ""
    if column == "censored":
        return f"{x:.1%}"
    if column.startswith("ess"):
        return f"{x:.0f}"
    if column == "r_hat":
        return f"{x:.3f}"
    if math.isinf(x):
        if x > 0 and unit == "year" and _is_location(column):
            return f"not by {horizon:g}"
        return "inf" if x > 0 else "-inf"
    if unit == "year" and _is_location(column):
        return f"{x:.1f}"
    if unit.startswith("log10") and _is_location(column):
        return f"{x:.2f}"  # a log: 3 significant digits would drop the hundredths of 24.37
    if unit == "tokens" or unit.endswith("FLOP"):
        return f"{x:.2e}"
    return f"{x:.3g}"


class SummaryTable(pd.DataFrame):
    """A summary :class:`pandas.DataFrame` that displays years as years (see the module).

    ``attrs["units"]`` maps each row (variable) to its units and ``attrs["horizon"]`` is the
    forecast horizon (year).  The values are never rounded.
    """

    @property
    def _constructor(self) -> type[SummaryTable]:
        return SummaryTable  # selections (``table.loc[rows]``) keep the display and attrs

    @classmethod
    def wrap(
        cls, table: pd.DataFrame, units: dict[str, str], horizon: float = 2100.0
    ) -> SummaryTable:
        """``table`` as a :class:`SummaryTable` with each row's ``units``."""
        out = cls(table)
        out.attrs = {**table.attrs, "units": dict(units), "horizon": float(horizon)}
        return out

    def formatted(self) -> pd.DataFrame:
        """Return the table as text, formatted row by row (what every display shows)."""
        units = self.attrs.get("units", {})
        horizon = float(self.attrs.get("horizon", 2100.0))
        data = {
            column: [
                format_value(v, units.get(str(row), ""), str(column), horizon)
                for row, v in zip(self.index, self[column], strict=True)
            ]
            for column in self.columns
        }
        out = pd.DataFrame(data, index=self.index.copy(), columns=self.columns.copy())
        return out

    # -- displays ----------------------------------------------------------------------------
    def __repr__(self) -> str:
        return self.to_string()

    def to_string(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        """Text table; with ``formatters`` or ``float_format``, pandas' own formatting."""
        if args or {"formatters", "float_format", "buf"} & set(kwargs):
            return pd.DataFrame(self).to_string(*args, **kwargs)
        return self.formatted().to_string(justify="right", **kwargs)

    def _repr_html_(self) -> str | None:
        # pandas-stubs does not declare DataFrame._repr_html_ (it reads it as a column)
        return self.formatted()._repr_html_()  # type: ignore[operator]

    def to_markdown(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        """Return a GitHub-flavoured markdown table (numbers right-aligned)."""
        if args or kwargs:
            raise TypeError("SummaryTable.to_markdown takes no options")
        text = self.formatted()
        head = [str(self.index.name or "variable"), *map(str, text.columns)]
        lines = [
            "| " + " | ".join(head) + " |",
            "|" + "|".join([":---", *("---:" for _ in text.columns)]) + "|",
        ]
        for row, values in text.iterrows():
            lines.append("| " + " | ".join([str(row), *values]) + " |")
        return "\n".join(lines)

    def to_latex(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        r"""Return a LaTeX ``tabular`` with booktabs rules (``\usepackage{booktabs}``)."""
        if args or kwargs:
            raise TypeError("SummaryTable.to_latex takes no options")
        text = self.formatted()
        head = [str(self.index.name or "variable"), *map(str, text.columns)]
        lines = [
            r"\begin{tabular}{l" + "r" * len(text.columns) + "}",
            r"\toprule",
            " & ".join(map(_latex, head)) + r" \\",
            r"\midrule",
        ]
        for row, values in text.iterrows():
            lines.append(" & ".join(_latex(c) for c in [str(row), *values]) + r" \\")
        lines += [r"\bottomrule", r"\end{tabular}"]
        return "\n".join(lines)


_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_"}
_LATEX |= {"{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _latex(text: str) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in text)
