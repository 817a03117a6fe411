"""Run mkdocs (strict) on the generated docs folder with a config derived from mkdocs.yml."""
from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Any

import yaml

from generator.config._messages import FAST_LOADER
from generator.errors import GeneratorError


def site_config(base: Path, overrides: dict[str, Any]) -> str:
    """The base mkdocs.yml with the program's name, folders and navigation; plain YAML."""
    config = yaml.load(base.read_text(encoding="utf-8"), Loader=FAST_LOADER)
    config.update(overrides)
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def run_mkdocs(config_file: Path, site_dir: Path | None = None, today: dt.date | None = None) -> None:
    """`mkdocs build --strict`: any warning (a broken link, a missing page) fails the build.

    `site_dir` overrides the config's (the build makes the site aside, then copies only what
    changed); `today` is the date mkdocs stamps (sitemap, its gzip header), so the site is the
    same bytes whenever it is rebuilt as of that day."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    overrides = {"site_dir": str(site_dir)} if site_dir else {}
    before = os.environ.get(EPOCH)
    if today:
        os.environ[EPOCH] = str(int(dt.datetime.combine(today, dt.time(), dt.timezone.utc).timestamp()))
    try:
        config = load_config(str(config_file), strict=True, **overrides)
        build(config)
    except (Abort, ConfigurationError) as exc:
        raise GeneratorError(f"mkdocs build failed (strict mode): {exc}") from None
    finally:
        if before is None:
            os.environ.pop(EPOCH, None)
        else:
            os.environ[EPOCH] = before


#: The reproducible-builds variable mkdocs reads for the build date.
EPOCH = "SOURCE_DATE_EPOCH"
