"""Run mkdocs (strict) on the generated docs folder with a config derived from mkdocs.yml."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

from generator.errors import GeneratorError


def site_config(base: Path, overrides: dict[str, Any]) -> str:
    """The base mkdocs.yml with the program's name, folders and navigation; plain YAML."""
    config = yaml.safe_load(base.read_text(encoding="utf-8"))
    config.update(overrides)
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def run_mkdocs(config_file: Path) -> None:
    """`mkdocs build --strict`: any warning (a broken link, a missing page) fails the build."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file), strict=True)
        build(config)
    except (Abort, ConfigurationError) as exc:
        raise GeneratorError(f"mkdocs build failed (strict mode): {exc}") from None
