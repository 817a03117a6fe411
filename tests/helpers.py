"""Small, readable cohorts and rows for tests."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from generator.config.forms import Form
from generator.sources.table import Table


def application(**overrides: Any) -> dict[str, str]:
    """A complete, eligible circles application, as the sheet holds it; override any answer."""
    row = {
        "submitted_at": "10/12/2021 9:30:00", "full_name": "Ana Rivera", "email": "ana.rivera@ufhealth.example.edu",
        "employment_start": "2019-03-01", "mandated_training_done": "Yes", "human_subjects_research": "Yes",
        "certification_intent": "Within 12 months", "job_title": "Clinical Research Coordinator II",
        "role_family": "Clinical Research Coordinator", "department": "Neurology", "campus": "Gainesville",
        "attendance": "In person or virtual", "circle_preference": "", "degrees": "Bachelor's degree", "field_of_study": "Biology",
        "primary_responsibilities": "Recruitment and consent, Study coordination", "research_experience_years": "4",
        "other_experience": "", "resume_link": "", "statement_of_interest": "I want to prepare for the CCRC exam.",
        "goals": "Pass the exam.", "preferred_role": "Mentee or member", "expertise_areas": "",
        "career_interests": "Certification preparation", "career_plans": "", "plans_to_stay": "Yes",
        "supervisor_name": "Lee Chen", "supervisor_email": "lee.chen@ufhealth.example.edu",
        "letter_of_support_sent": "Yes", "accepts_expectations": "Yes", "consent_to_list": "No",
    }
    row.update(overrides)
    return row


def table(form: Form, model: str, rows: list[dict[str, str]], header: list[str] | None = None) -> Table:
    """A sheet tab with the form's columns (or the given header) holding these rows."""
    columns = header or form.columns_for(model)
    return Table(tuple(columns), tuple(tuple(r.get(c, "") for c in columns) for r in rows))


def tab_rows(path: Path) -> list[dict[str, str]]:
    """A bundled workbook tab's rows, by column."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_tab(path: Path, rows: list[dict[str, str]]) -> None:
    """Write rows back as staff would after editing the tab (same columns, in order)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
