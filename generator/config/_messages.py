"""Turn pydantic errors into sentences a program coordinator can act on."""
from __future__ import annotations

from pydantic import ValidationError


def describe(exc: ValidationError) -> list[str]:
    """One line per problem: where it is, what was found, what is wrong."""
    lines = []
    for err in exc.errors():
        loc = _location(err["loc"])
        value = err.get("input")
        shown = "" if isinstance(value, (dict, list)) or value is None else f" (found {value!r})"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "is required but missing"
        elif err["type"] == "extra_forbidden":
            msg = "is not a known setting (check the spelling)"
        lines.append(f"{loc}{shown}: {msg}")
    return lines


def _location(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item + 1}]")
        elif parts:
            parts.append(f".{item}")
        else:
            parts.append(str(item))
    return "'" + "".join(parts) + "'" if parts else "the file"
