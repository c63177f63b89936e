"""Messages of scenario validation: pydantic errors as one line, and the warnings.

:func:`explain` turns a :class:`pydantic.ValidationError` into one line that names each
failing field by its dotted path (``"compute.rate: ..."``), as a scenario file spells it.
:class:`InputWarning` and :class:`CorrelationWarning` flag legal values that are almost
surely a mistake; :data:`SKIP_PREFIXES` makes them point at the user's line.
"""

from __future__ import annotations

from pathlib import Path

import pydantic

__all__ = ["SKIP_PREFIXES", "CorrelationWarning", "InputWarning", "explain"]

TAGS = {"point", "normal", "lognormal", "uniform", "beta", "ci90", "mixture", "function-before"}
"""Location parts pydantic adds for a union member (a prior's kind) or a validator; they are
not fields, so messages leave them out."""

SKIP_PREFIXES = (
    str(Path(__file__).parent.parent),
    str(Path(pydantic.__file__).parent),
)
"""Source folders a warning skips so that it points at the user's line (this package,
pydantic)."""


class InputWarning(UserWarning):
    """A value that is legal but almost surely a mistake; the message names the field.

    E.g. a requirement the reference run already meets, or a slowdown year before the
    reference year.  Filter it like any warning: ``warnings.simplefilter("error",
    agt.InputWarning)`` makes it an error.
    """


class CorrelationWarning(InputWarning):
    """A listed correlation is ignored (it names a point mass or an unused field)."""


def explain(err: pydantic.ValidationError) -> str:
    """Rewrite ``err`` as one line naming every distinct failure by its field path.

    Parameters
    ----------
    err : pydantic.ValidationError
        The error of validating a scenario's nested dict.

    Returns
    -------
    str
        ``"invalid scenario: <path>: <message>; ..."``, each failure once.
    """
    lines = []
    for e in err.errors():
        loc = (
            ".".join(str(p) for p in e["loc"] if not (isinstance(p, str) and p in TAGS))
            or "scenario"
        )
        msg = e["msg"].removeprefix("Value error, ")
        head, sep, rest = msg.partition(": ")
        if sep and (head == loc or head.startswith(loc + ".")):
            loc, msg = head, rest  # the message names the field itself
        elif sep and head.isidentifier() and head not in TAGS and loc != "scenario":
            loc, msg = f"{loc}.{head}", rest  # "algorithms" + "late_rate: ..."
        if e["type"] == "extra_forbidden":
            msg = "unknown field"
        lines.append(f"{loc}: {msg}")
    # pydantic lists a failure per member of a union; keep the distinct ones
    uniq = list(dict.fromkeys(lines))
    return "invalid scenario: " + "; ".join(uniq)
