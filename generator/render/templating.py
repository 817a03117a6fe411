"""The one Jinja2 environment: strict about missing keys, escaping every value."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from generator.dates import long_date
from generator.words import counted, listed

__all__ = ["TEMPLATES", "environment", "long_date", "render"]

TEMPLATES = Path(__file__).parent / "templates"


#: How templates are compiled; part of the compiled-template cache's file names, with Jinja's version.
_SETTINGS: dict[str, Any] = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}


class _Cache(FileSystemBytecodeCache):
    """Jinja's file cache, except that a cache it cannot write (a full disk) costs only time."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def compiled_cache() -> BytecodeCache | None:
    """Compiled templates kept between builds, as Python keeps .pyc files: compiling our 52
    templates is 0.16 s, a fifth of a 49-person build; loading them compiled takes 7 ms. Jinja's
    own per-user cache folder (private to the user, checked by Jinja); each entry is checked
    against its template's source when loaded, and the file names carry Jinja's version and
    these settings, so an edited template, a new Jinja or new settings never meet old code.
    None (compile every time) where no private folder can be had."""
    tag = hashlib.sha256(json.dumps([jinja2.__version__, _SETTINGS], sort_keys=True).encode()).hexdigest()[:12]
    try:
        return _Cache(pattern=f"crp-mentoring-{tag}-%s.cache")
    except (OSError, RuntimeError):
        return None


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Autoescape is on for every template, Markdown ones too: values land in HTML blocks."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        bytecode_cache=compiled_cache(),
        **_SETTINGS,
        # A build renders its templates ~12,000 times at 5,000 people; checking each file's time on
        # every use cost as much as a fifth of the rendering. `serve` starts a new environment
        # when a template changes (environment.cache_clear()).
        auto_reload=False,
    )
    env.filters["long_date"] = long_date
    env.filters["breakable"] = breakable
    env.filters["counted"] = counted
    env.filters["listed"] = listed
    return env


def breakable(email: str) -> Markup:
    """An email address, escaped, that a narrow screen may break after its @ and before each dot
    of its domain (<wbr>), rather than widening the page or splitting it letter by letter."""
    local, at, domain = email.rpartition("@")
    if not at:
        return escape(email)
    return escape(local) + Markup("@<wbr>") + Markup("<wbr>.").join(escape(part) for part in domain.split("."))


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
