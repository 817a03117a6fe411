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
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))


def outputs_of(results: dict[str, BuildResult]) -> list[Output]:
    out = []
    for name, result in results.items():
        out += [Output(f"{name}-site", result.site_dir), Output(f"{name}-staff", result.staff_dir)]
    return out
