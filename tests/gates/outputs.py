"""Every page of every output a build produces: the gates walk these, so new pages are covered."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.pipeline import BuildResult


@dataclass(frozen=True)
class Output:
    name: str  # e.g. "circles-site", "circles-staff"
    root: Path

    def pages(self) -> list[str]:
        """Every page; of the sealed personal pages (one template, a different payload each) the first.

        Opened personal pages are checked with their keys in tests/browser/test_personal_pages.py."""
        pages = sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))
        sealed = [p for p in pages if p.startswith("me/")]
        return [p for p in pages if not p.startswith("me/")] + sealed[:1]


def outputs_of(results: dict[str, BuildResult]) -> list[Output]:
    out = []
    for name, result in results.items():
        out += [Output(f"{name}-site", result.site_dir), Output(f"{name}-staff", result.staff_dir)]
    return out
