"""Domain errors the CLI turns into one clean message and an exit code."""
from __future__ import annotations

from generator.words import counted


class GeneratorError(Exception):
    """Base class: something a coordinator must fix before the build can run."""


class ConfigError(GeneratorError):
    """program.yml or a form definition is invalid; the message lists every problem."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path} has {counted(len(problems), 'problem')}:\n{lines}")


class SourceError(GeneratorError):
    """The data source could not be read at all (not: a bad row, which is a DataIssue)."""


class ReleaseError(GeneratorError):
    """The public pages would let someone compute a group smaller than the program's minimum."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"The evaluation results were not published: {counted(len(problems), 'figure')} would expose "
                         f"a small group:\n{lines}\nNothing was written. This is a bug in the suppression, "
                         f"please report it with the lines above.")
