"""Where the defaults live (forms, site_src, the base mkdocs.yml, the examples): beside the
package in a checkout, inside it (generator/bundled/, copied by setup.py) in an installed wheel.

Imports nothing heavy: the command line reads it before deciding what to load.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BUNDLED = PACKAGE / "bundled"
#: What a wheel carries besides the code, each overridable per program (--forms, messages.templates, ...).
SHIPPED = ("forms", "site_src", "mkdocs.yml", "examples")


def resource(name: str) -> Path:
    """A shipped default: the installed copy when there is one, else the checkout's own."""
    inside = BUNDLED / name
    return inside if inside.exists() else PACKAGE.parent / name


FORMS = resource("forms")
SITE_SRC = resource("site_src")
BASE_CONFIG = resource("mkdocs.yml")
EXAMPLES = resource("examples")
TEMPLATES = PACKAGE / "render" / "templates"


def bundled_example(program: Path) -> bool:
    """Whether a program.yml is one of the shipped examples: the README, the tests and a bare
    `python build.py` read their data as shipped, so no command writes into it (serve works on a copy)."""
    return program.resolve().is_relative_to(EXAMPLES.resolve())


def kept_as_shipped(program: Path, instead: str) -> str:
    """What to say when a command would write into a shipped example."""
    return (f"{program} is a bundled example, kept as shipped (the README, the tests and `build.py` read its data): "
            f"{instead}, or copy its folder (cp -r {program.parent} my-program) and run this on the copy")
