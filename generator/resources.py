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
