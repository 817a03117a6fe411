"""The one Jinja2 environment: strict about missing keys, escaping every value."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.dates import long_date

__all__ = ["TEMPLATES", "environment", "long_date", "render"]

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Autoescape is on for every template, Markdown ones too: values land in HTML blocks."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A build renders its templates ~12,000 times at 5,000 people; checking each file's time on
        # every use cost as much as a fifth of the rendering. `serve` starts a new environment
        # when a template changes (environment.cache_clear()).
        auto_reload=False,
    )
    env.filters["long_date"] = long_date
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
