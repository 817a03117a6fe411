"""Demo cohorts for the benchmarks, made with the same generator as the examples."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.config.program import Admission, LoadedProgram, load_program
from generator.demo.generate import generate
from generator.matching.people import Participant, participants
from generator.screen.eligibility import screen
from generator.sources.table import Workbook
from generator.validate.workbook import validate_workbook

REPO = Path(__file__).resolve().parents[1]


def program(model: str) -> LoadedProgram:
    """The example's program, admitting every eligible applicant (the circles example has 49 places)."""
    name = "circles" if model == "circles" else "pairs"
    loaded = load_program(REPO / "examples" / name / "program.yml", REPO / "forms")
    return loaded.model_copy(update={"program": loaded.program.model_copy(update={"admission": Admission()})})


def cohort(loaded: LoadedProgram, n: int, seed: int = 1) -> tuple[Participant, ...]:
    """n eligible participants, as the matcher sees them on the first day of the program."""
    responses = validate_workbook(loaded, Workbook(generate(loaded, n, seed, bad_rows=False, announce=False), "bench"))
    people, _ = participants(responses, screen(loaded.program, responses.of("application")),
                             loaded.program.dates.cohort_start - dt.timedelta(days=1),
                             loaded.program.pairs.mentor_training_module)
    return people
