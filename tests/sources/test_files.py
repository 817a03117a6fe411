"""Files as people make them: Excel's Unicode text, a latin-1 row, a runaway cell, numbers that
could mean two things, cells beyond the header, and paths that leave the program's folder."""
from __future__ import annotations

import csv
import io
import shutil

import pytest
from hypothesis import given, settings, strategies as st

from generator.config.program import load_program
from generator.errors import ConfigError
from generator.sources.workbook import read_table, read_workbook, tab_path
from generator.validate.workbook import validate_workbook
from tests.conftest import EXAMPLES, FORMS
from tests.helpers import application


def write_apps(folder, circles, rows, encoding="utf-8", delimiter=",", header=None):
    columns = header or circles.forms["application"].columns_for("circles")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    writer.writerows([r.get(c, "") for c in columns] for r in rows)
    folder.mkdir(parents=True, exist_ok=True)
    tab_path(folder, "Applications").write_bytes(out.getvalue().encode(encoding))


def build_from(folder, circles):
    book = read_workbook(folder, ["Applications"])
    return book, validate_workbook(circles.model_copy(update={"forms": {"application": circles.forms["application"]}}), book)


def test_excel_unicode_text_is_read_and_said(circles, tmp_path):
    rows = [application(full_name="Zoë Ñúñez", email="zoe@ufhealth.example.edu", department="Neurology")]
    write_apps(tmp_path, circles, rows, encoding="utf-16", delimiter="\t")
    book, responses = build_from(tmp_path, circles)
    (app,) = responses.of("application")
    assert app["full_name"] == "Zoë Ñúñez"
    (said,) = [i for i in responses.issues if "Applications.csv is UTF-16" in i.reason]
    assert said.tab == "Applications" and "save it as CSV UTF-8" in said.reason


def test_excel_csv_with_semicolons_is_read_and_said(circles, tmp_path):
    """Excel saves "CSV" with semicolons where the comma is the decimal mark: every column was
    "missing" and every row left out, five issues a row. Now the rows are read, and said once."""
    rows = [application(full_name="Zoë Ñúñez", email="zoe@ufhealth.example.edu", goals="Learn; grow, and lead"),
            application(email="b@ufhealth.example.edu")]
    write_apps(tmp_path, circles, rows, delimiter=";")
    _, responses = build_from(tmp_path, circles)
    assert [a["full_name"] for a in responses.of("application")] == ["Zoë Ñúñez", "Ana Rivera"]
    assert responses.of("application")[0]["goals"] == "Learn; grow, and lead"
    (said,) = responses.issues
    assert (said.tab, said.row, said.value) == ("Applications", None, ";")
    assert "Applications.csv separates its columns with semicolons" in said.reason and "CSV UTF-8" in said.reason


def test_a_question_with_semicolons_in_a_comma_separated_tab_keeps_its_columns():
    """Separators are counted outside quotes: a two-column tab whose question has three semicolons."""
    from generator.sources.workbook import parse_text

    table, issues = parse_text('email,"Topics (any; up to 3; or none; say which)"\r\na@b.edu,"Ethics; budgets"\r\n', "T")
    assert table.header == ("email", "Topics (any; up to 3; or none; say which)") and not issues
    assert table.rows == (("a@b.edu", "Ethics; budgets"),)


@pytest.mark.parametrize("saved_as", ["Applications.xlsx", "applications.csv", "Applications .csv"])
def test_a_tab_saved_under_another_name_or_format_is_named_beside_the_missing_tab(circles, tmp_path, saved_as):
    write_apps(tmp_path, circles, [application()])
    tab_path(tmp_path, "Applications").rename(tmp_path / saved_as)
    _, responses = build_from(tmp_path, circles)
    assert responses.of("application") == ()
    said = sorted(i.reason for i in responses.issues if i.tab == "Applications")
    assert said == [f"{saved_as} is not read: the tab's file must be named Applications.csv, saved as CSV UTF-8",
                    "tab for the Application form was not found"], said


def test_a_latin_1_row_is_read_and_located(circles, tmp_path):
    write_apps(tmp_path, circles, [application(email="a@ufhealth.example.edu"),
                                   application(email="b@ufhealth.example.edu", full_name="José Peña")])
    path = tab_path(tmp_path, "Applications")
    path.write_bytes(path.read_bytes().replace("José Peña".encode(), "José Peña".encode("latin-1")))
    _, responses = build_from(tmp_path, circles)
    assert {a["full_name"] for a in responses.of("application")} == {"Ana Rivera", "José Peña"}
    (said,) = [i for i in responses.issues if "Windows-1252" in i.reason]
    assert said.row == 3 and "Applications.csv" in said.reason


def test_a_cell_over_the_csv_field_limit_is_a_located_issue(circles, tmp_path):
    write_apps(tmp_path, circles, [application(goals="x" * 200_000)])
    _, responses = build_from(tmp_path, circles)
    (issue,) = [i for i in responses.issues if i.column == "goals"]
    assert issue.row == 2 and "200,000 characters long" in issue.reason and len(issue.value) <= 120


@pytest.mark.parametrize("years, why", [
    ("3,5", "is not an unambiguous number in this sheet (its locale en_US writes decimals with '.')"),
    ("1,,2", "is not a number"), ("12,34,5", "is not a number")])
def test_a_number_that_is_not_unambiguous_is_a_data_issue(circles, tmp_path, years, why):
    write_apps(tmp_path, circles, [application(research_experience_years=years)])
    _, responses = build_from(tmp_path, circles)
    (issue,) = [i for i in responses.issues if i.column == "research_experience_years"]
    assert issue.reason.startswith(why) and responses.of("application") == ()


def test_cells_beyond_the_header_are_reported_not_dropped(circles, tmp_path):
    write_apps(tmp_path, circles, [application()])
    path = tab_path(tmp_path, "Applications")
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], lines[1] + ",stray note"]) + "\n")
    _, responses = build_from(tmp_path, circles)
    (issue,) = [i for i in responses.issues if i.value == "stray note"]
    assert issue.row == 2 and issue.column.startswith("column ") and "no header" in issue.reason
    assert len(responses.of("application")) == 1


@pytest.mark.parametrize("setting, value", [("path", "../../etc"), ("snapshots", "/tmp/elsewhere")])
def test_folders_outside_the_program_are_refused(tmp_path, setting, value):
    folder = tmp_path / "program"
    shutil.copytree(EXAMPLES["circles"].parent, folder)
    program = folder / "program.yml"
    text = program.read_text().replace("  path: data\n", "")
    program.write_text(text.replace("source:\n", f"source:\n  {setting}: {value}\n", 1))
    with pytest.raises(ConfigError) as info:
        load_program(program, FORMS)
    assert f"'source.{setting}'" in str(info.value) and "outside the program's folder" in str(info.value)


def test_a_tab_name_cannot_name_another_folder(tmp_path):
    folder = tmp_path / "program"
    shutil.copytree(EXAMPLES["circles"].parent, folder)
    program = folder / "program.yml"
    program.write_text(program.read_text() + "tab_names:\n  withdrawal: ../../../secrets\n")
    with pytest.raises(ConfigError) as info:
        load_program(program, FORMS)
    assert "'tab_names.withdrawal'" in str(info.value)


@pytest.mark.parametrize("cell", ["=1+1", "  =x", "'", "''abc", "'abc", "-2", "\nline", "plain", "", " @x"])
def test_formula_like_cells_are_stored_behind_an_apostrophe_and_read_back_exactly(cell):
    from generator.render.escape import FORMULA_PREFIXES
    from generator.sources.workbook import escape, unescape

    stored = escape(cell)
    assert unescape(stored) == cell
    assert not stored.lstrip(" ").startswith(FORMULA_PREFIXES)  # safe to open in a spreadsheet


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.text(alphabet=st.sampled_from(list("ab '=+-@\t\r\n\uff1d\uff0b\uff0d\uff20\"x,")), max_size=5),
                         min_size=2, max_size=2), max_size=5))
def test_a_written_tab_escapes_exactly_the_cells_escape_does_and_reads_back(tmp_path_factory, rows):
    from generator.sources.table import Table
    from generator.sources.workbook import escape, write_table

    folder = tmp_path_factory.mktemp("tab")
    table = Table(("a", "b"), tuple(tuple(r) for r in rows))
    write_table(folder / "Tab.csv", table)
    written = list(csv.reader(io.StringIO((folder / "Tab.csv").read_bytes().decode("utf-8"), newline="")))
    assert written[1:] == [[escape(c) for c in r] for r in rows]
    assert read_table(folder / "Tab.csv").rows == table.rows


@pytest.mark.parametrize("cells", [["'=1", "plain"], ["plain", "'=1"], ["a\x00'=1", "b"], ["a\x00", "'"], ["", "''=x"]])
def test_a_line_is_unescaped_cell_by_cell_wherever_an_apostrophe_starts_a_cell(cells):
    from generator.sources.workbook import _unescaped, unescape

    assert _unescaped(cells) == tuple(unescape(c) for c in cells)


def test_check_notes_a_tab_read_with_semicolons_and_asks_nothing_of_it(tmp_path):
    """The file reads fine: `check` says how it was read, and the program is still ready to build."""
    import datetime as dt

    from generator.doctor import check
    from generator.options import BuildOptions

    shutil.copytree(EXAMPLES["circles"].parent, tmp_path / "program")
    tab = tmp_path / "program" / "data" / "Withdrawals.csv"
    tab.write_text(tab.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    lines: list[str] = []
    assert check(BuildOptions(program=tmp_path / "program" / "program.yml", today=dt.date(2022, 3, 1)), lines.append)
    assert any(line.startswith("  note  Withdrawals: Withdrawals.csv separates its columns with semicolons")
               for line in lines) and "Ready to build." in lines
