"""The mkdocs config for a program's site, derived from the base mkdocs.yml (mkdocs itself runs in
generator/mkdocs_worker.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.config._messages import FAST_LOADER


def site_config(base: Path, overrides: dict[str, Any]) -> str:
    """The base mkdocs.yml with the program's name, folders and navigation; plain YAML."""
    config = yaml.load(base.read_text(encoding="utf-8"), Loader=FAST_LOADER)
    config.update(overrides)
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
