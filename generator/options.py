"""What a build is asked to do: the program, the folders, the day it is built as of, the secrets.

Kept apart from the pipeline so a command can decide (say, that nothing changed) without
loading the pipeline's libraries."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from generator.resources import BASE_CONFIG, EXAMPLES, FORMS, SITE_SRC


@dataclass(frozen=True)
class BuildOptions:
    program: Path = EXAMPLES / "circles" / "program.yml"
    forms_dir: Path = FORMS
    site_src: Path = SITE_SRC
    base_config: Path = BASE_CONFIG
    out: Path = Path("site")
    staff_out: Path = Path("staff")
    work: Path = Path("build")
    today: dt.date = field(default_factory=dt.date.today)
    receiver_url: str | None = None
    run_mkdocs: bool = True
    #: Where credentials and the sheet key come from (os.environ on the command line).
    env: Mapping[str, str] = field(default_factory=dict)
    #: A ready Sheets HTTP client instead of one made from the credentials (recorded-traffic tests).
    http: Any = None
    #: Where the build says what it waits for (a retry of the sheet); the CLI prints it.
    say: Callable[[str], None] = field(default=lambda _: None, compare=False)


def staff_apart(options: BuildOptions) -> str | None:
    """Why the staff folder may not be where it was asked to be: in the public site, everything is
    published, and staff reports hold people's data, their private links and the outbox."""
    out, staff = options.out.resolve(), options.staff_out.resolve()
    if staff == out or staff.is_relative_to(out):
        return (f"--staff-out {options.staff_out} is inside the public site (--out {options.out}): everything in the "
                "site is published, and the staff reports hold people's data and private links; choose a staff "
                "folder outside it (nothing was written)")
    return None
