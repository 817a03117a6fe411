"""Bad rows are normal: each becomes a located issue, and none stops the build."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from generator.sources.table import Table, Workbook
from generator.validate import issues as act
from generator.validate.header import letter
from generator.validate.rows import keep_latest, validate_row, validate_tab
from generator.validate.workbook import validate_workbook
from tests.helpers import application, table


@pytest.fixture
def form(circles):
    return circles.forms["application"]


def run(form, rows, header=None):
    return validate_tab(form, "circles", "Applications", table(form, "circles", rows, header))


def only_issue(result):
    assert len(result.issues) == 1, result.issues
    return result.issues[0]


def test_a_good_row_is_accepted_with_typed_values(form):
    result = run(form, [application()])
    assert result.issues == ()
    (rec,) = result.records
    assert rec.row == 2 and rec["research_experience_years"] == 4.0 and rec["mandated_training_done"] is True
    assert rec["primary_responsibilities"] == ("Recruitment and consent", "Study coordination")


@pytest.mark.parametrize("column, value, reason", [
    ("job_title", "", "a required answer is missing"),
    ("employment_start", "next spring", "is not a date (use YYYY-MM-DD or MM/DD/YYYY)"),
    ("campus", "Jax", 'is not one of the options: "Gainesville", "Jacksonville" or "Remote"'),
    ("statement_of_interest", "word " * 600, "600 words; at most 500 are allowed"),
    ("email", "maria at ufl", "is not an email address (like name@example.edu)"),
    ("submitted_at", "yesterday", "submission time is not a date and time"),
])
def test_bad_required_answer_leaves_the_row_out_and_says_where(form, column, value, reason):
    result = run(form, [application(), application(**{"email": "ben@ufhealth.example.edu", column: value})])
    issue = only_issue(result)
    assert (issue.tab, issue.row, issue.column, issue.reason, issue.action) == ("Applications", 3, column, reason, act.ROW_LEFT_OUT)
    assert issue.value == value.strip()[:119] + ("…" if len(value.strip()) > 120 else "")
    assert [r.row for r in result.records] == [2]


def test_bad_optional_answer_keeps_the_row_without_the_value(form):
    result = run(form, [application(letter_of_support_sent="sent it last week")])
    issue = only_issue(result)
    assert (issue.column, issue.reason, issue.action) == ("letter_of_support_sent", "is not Yes or No", act.VALUE_IGNORED)
    assert result.records[0]["letter_of_support_sent"] is None


def test_every_problem_of_a_row_is_listed(form):
    result = run(form, [application(job_title="", campus="Jax", email="nope")])
    assert {i.column for i in result.issues} == {"job_title", "campus", "email"}
    assert result.records == ()


def test_duplicate_submission_latest_counts_and_earlier_is_listed(form):
    first = application(submitted_at="10/12/2021 9:30:00", goals="First draft.")
    second = application(submitted_at="10/14/2021 16:05:00", goals="Final goals.", email="Ana.Rivera@ufhealth.example.edu")
    result = run(form, [second, first])  # row order must not matter: the time decides
    (rec,) = result.records
    assert rec["goals"] == "Final goals." and rec.row == 2
    issue = only_issue(result)
    assert (issue.row, issue.action) == (3, act.SUPERSEDED)
    assert issue.reason == "duplicate submission (email ana.rivera@ufhealth.example.edu); row 2 is the latest and counts"


def test_same_person_may_check_in_once_per_quarter(circles):
    form = circles.forms["checkin"]
    rows = [{"submitted_at": "3/30/2022 9:00:00", "email": "ana.rivera@ufhealth.example.edu", "quarter": q,
             "meetings_held": "3", "satisfaction": "4", "wants_to_continue": "Yes"} for q in ("Q1", "Q2", "Q1")]
    rows[2]["submitted_at"] = "4/2/2022 9:00:00"
    result = validate_tab(form, "circles", "Check-ins", table(form, "circles", rows))
    assert sorted(r.row for r in result.records) == [3, 4]
    assert only_issue(result).row == 2


def test_blank_row_in_the_middle_is_reported_and_skipped(form):
    result = run(form, [application(), {}, application(email="ben@ufhealth.example.edu")])
    issue = only_issue(result)
    assert (issue.row, issue.reason, issue.action) == (3, "row is blank", act.ROW_SKIPPED)
    assert [r.row for r in result.records] == [2, 4]


def test_issues_come_in_row_order_with_blank_rows_among_them(form):
    """Columns are read one after another; the report still lists row by row, each row's problems
    in the form's column order, and a row left out is left out whole."""
    rows = [application(campus="Jax", email="a@ufhealth.example.edu"), {}, application(submitted_at="yesterday",
            job_title="", email="b@ufhealth.example.edu"), {}, application(email="c@ufhealth.example.edu")]
    result = run(form, rows)
    assert [i.row for i in result.issues] == [2, 3, 4, 4, 5]
    assert [(i.row, i.column, i.action) for i in result.issues if i.row == 4] == \
        [(4, "submitted_at", act.ROW_LEFT_OUT), (4, "job_title", act.ROW_LEFT_OUT)]
    assert (result.issues[0].column, result.issues[0].action) == ("campus", act.ROW_LEFT_OUT)
    assert [r.row for r in result.records] == [6]


def test_a_row_with_text_only_in_a_second_column_of_one_name_is_blank(form):
    """Of two columns with one header, the first is the one read: a row with text only in the
    second has nothing the build reads, and is reported as blank, not as missing answers."""
    header = form.columns_for("circles") + ["Notes", "Notes"]
    rows = [application(), {"Notes": ""}]
    tab = table(form, "circles", rows, header)
    tab = Table(tab.header, (tab.rows[0], tab.rows[1][:-1] + ("seen only by staff",)))
    result = validate_tab(form, "circles", "Applications", tab)
    assert [(i.row, i.reason) for i in result.issues if i.row > 1] == [(3, "row is blank")]
    assert [r.row for r in result.records] == [2]


def test_missing_extra_and_duplicate_columns_are_reported_on_the_header(form):
    header = [c for c in form.columns_for("circles") if c != "field_of_study"] + ["Notes from Pat", "email"]
    result = run(form, [application()], header=header)
    by_column = {(i.column, i.reason) for i in result.issues}
    assert ("field_of_study", "expected column is missing") in by_column
    notes = f"{letter(len(header) - 2)} (Notes from Pat)"
    assert (notes, "column is not a question of the Application form") in by_column
    assert any(c == "email" and r.startswith("2 columns hold this question") for c, r in by_column)
    assert {i.row for i in result.issues if i.reason.startswith(("column", "expected", "2 columns"))} == {1}
    # the missing column is a required answer, so the row itself is also left out, and said so
    assert ("field_of_study", "a required answer is missing") in by_column


def test_missing_tab_and_unknown_applicant_are_reported(circles):
    app_form = circles.forms["application"]
    checkin = {"submitted_at": "3/30/2022 9:00:00", "email": "stranger@example.edu", "quarter": "Q1",
               "meetings_held": "3", "satisfaction": "4", "wants_to_continue": "Yes"}
    workbook = Workbook(tabs={"Applications": table(app_form, "circles", [application()]),
                              "Check-ins": table(circles.forms["checkin"], "circles", [checkin])},
                        origin="test")
    responses = validate_workbook(circles, workbook)
    reasons = {(i.tab, i.reason) for i in responses.issues}
    assert ("Check-ins", "no accepted application has this email") in reasons
    assert ("Withdrawals", "tab for the Withdrawal form was not found") in reasons
    assert len(responses.of("application")) == 1 and responses.of("checkin") == ()


def test_rows_of_a_person_whose_application_was_left_out_say_where_to_fix_it(circles):
    """Kim's application has a bad start date, so it is left out; her check-in is left out with
    it, and says so and where (it read 'no accepted application has this email', as if the
    check-in were wrong). A stranger's check-in still says no application has the email."""
    kim = application(email="Kim.Lee@ufhealth.example.edu ", full_name="Kim Lee", employment_start="next spring")
    checkin = {"submitted_at": "3/30/2022 9:00:00", "quarter": "Q1", "meetings_held": "3", "satisfaction": "4",
               "wants_to_continue": "Yes"}
    workbook = Workbook(tabs={"Applications": table(circles.forms["application"], "circles", [application(), kim]),
                              "Check-ins": table(circles.forms["checkin"], "circles",
                                                 [{**checkin, "email": "kim.lee@ufhealth.example.edu"},
                                                  {**checkin, "email": "stranger@example.edu"}])},
                        origin="test")
    responses = validate_workbook(circles, workbook)
    found = {(i.tab, i.row, i.reason) for i in responses.issues if i.tab in ("Applications", "Check-ins")}
    assert ("Applications", 3, "is not a date (use YYYY-MM-DD or MM/DD/YYYY)") in found
    assert ("Check-ins", 2, "this person's application was left out (Applications row 3): fix that row and this "
                            "one counts") in found
    assert ("Check-ins", 3, "no accepted application has this email") in found
    assert responses.of("checkin") == ()


def test_a_meeting_or_withdrawal_dated_outside_the_program_is_named_and_left_out(circles):
    """A year typed wrong: a meeting on 1900-01-01 counted toward the hours logged, one on
    2099-12-31 was waited for as a later row, and a withdrawal in 2019 (the program ran 2022)
    passed as one. Each is now a located issue; dates inside the program are kept."""
    ana = application()
    meeting = {"submitted_at": "3/30/2022 9:00:00", "email": ana["email"], "minutes": "60", "format": "Virtual"}
    rows = [{**meeting, "meeting_date": day} for day in ("2022-03-29", "1900-01-01", "2099-12-31", "2022-01-10")]
    leaving = {"submitted_at": "3/30/2022 9:00:00", "email": ana["email"], "reason": "Workload",
               "withdrawal_date": "2019-03-30"}
    workbook = Workbook(tabs={"Applications": table(circles.forms["application"], "circles", [ana]),
                              "Meeting log": table(circles.forms["meeting_log"], "circles", rows),
                              "Withdrawals": table(circles.forms["withdrawal"], "circles", [leaving])},
                        origin="test")
    responses = validate_workbook(circles, workbook)
    found = {(i.tab, i.row, i.value, i.reason, i.action) for i in responses.issues if i.tab in ("Meeting log", "Withdrawals")}
    outside = "is outside the program (January 10, 2022 to September 30, 2022): a typo in the date?"
    assert found == {("Meeting log", 3, "1900-01-01", outside, act.ROW_LEFT_OUT),
                     ("Meeting log", 4, "2099-12-31", outside, act.ROW_LEFT_OUT),
                     ("Withdrawals", 2, "2019-03-30", "is outside the program (October 1, 2021 to September 30, 2022): a typo in the "
                                                      "date?", act.ROW_LEFT_OUT)}
    assert [r.row for r in responses.of("meeting_log")] == [2, 5] and responses.of("withdrawal") == ()


def test_text_that_looks_like_numbers_or_nan_survives(form):
    result = run(form, [application(full_name="Nan", job_title="007", department="1,2,3")])
    rec = result.records[0]
    assert (rec["full_name"], rec["job_title"], rec["department"]) == ("Nan", "007", "1,2,3")


def test_a_ragged_short_row_reads_as_blanks(form):
    columns = form.columns_for("circles")
    cells = tuple(application()[c] for c in columns[:5])
    result = validate_tab(form, "circles", "Applications", Table(tuple(columns), (cells + ("",) * (len(columns) - 5),)))
    assert result.records == () and {i.action for i in result.issues} == {act.ROW_LEFT_OUT}


def test_a_google_form_response_sheet_is_read_by_question_text(form):
    """Google Forms names columns after the questions, with Timestamp first, in any order."""
    fields = form.fields_for("circles")
    header = ["Timestamp"] + [f.label for f in reversed(fields)]
    cells = application()
    row = {"Timestamp": cells["submitted_at"], **{f.label: cells[f.id] for f in fields}}
    result = run(form, [row], header=header)
    assert result.issues == ()
    assert result.records[0]["email"] == "ana.rivera@ufhealth.example.edu"


def test_a_renamed_column_is_reported_where_it_is(form):
    header = ["submitted_at"] + ["E-mail address" if c == "email" else c for c in form.columns_for("circles")[1:]]
    row = {("E-mail address" if k == "email" else k): v for k, v in application().items()}
    result = run(form, [row], header=header)
    found = {(i.row, i.column, i.reason) for i in result.issues}
    assert (1, "C (E-mail address)", "column is not a question of the Application form") in found
    assert (1, "email", "expected column is missing") in found


def test_a_configured_alias_names_a_column(form):
    aliased = form.model_copy(update={"fields": tuple(
        f.model_copy(update={"aliases": ("Dept.",)}) if f.id == "department" else f for f in form.fields)})
    header = [c if c != "department" else "DEPT." for c in form.columns_for("circles")]
    row = {("DEPT." if k == "department" else k): v for k, v in application(department="Oncology").items()}
    result = run(aliased, [row], header=header)
    assert result.issues == () and result.records[0]["department"] == "Oncology"


# Answers people and staff type into a column: good, bad, blank, repeated across rows.
ODD_ANSWERS = {"email": ["maria@ufhealth.example.edu", "ben@ufhealth.example.edu", "maria at ufl", ""],
               "campus": ["Gainesville", "Jax", "", "Remote"],
               "research_experience_years": ["4", "four", "", "-1", "4"],
               "employment_start": ["2019-08-01", "next spring", "", "08/01/2019"],
               "submitted_at": ["2021-10-20 09:00:00", "yesterday", "", "10/21/2021 10:15"],
               "statement_of_interest": ["I coordinate oncology trials.", "", "word " * 600]}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({c: st.sampled_from(v) for c, v in ODD_ANSWERS.items()}), max_size=12))
def test_a_tab_reads_as_its_rows_read_one_by_one(form, typed):
    # A tab parses each distinct answer once for all its rows: the result must be what checking
    # every row on its own gives (issues, their order, the records).
    rows = [application(**answers) for answers in typed]
    result = run(form, rows)
    one_by_one, issues = [], []
    for row, cells in table(form, "circles", rows).records():
        if not any(v.strip() for v in cells.values()):
            issues.append(("blank", row))
            continue
        record, row_issues = validate_row(form, "circles", "Applications", row, cells)
        issues.extend(row_issues)
        one_by_one += [record] if record else []
    kept, duplicates = keep_latest(form, "Applications", one_by_one)
    assert [(r.row, r.submitted_at, dict(r.values)) for r in result.records] == \
        [(r.row, r.submitted_at, dict(r.values)) for r in kept]
    assert [i for i in result.issues if i.action != act.ROW_SKIPPED] == \
        [i for i in issues if not isinstance(i, tuple)] + duplicates


def test_a_circles_check_in_tab_keeping_the_pairs_opt_out_column_says_so_once():
    """A circles sheet made from a pairs template (or from before circles stopped asking it) keeps
    a "wants_to_continue" column: one header note saying which programs ask it, every row read."""
    from generator.config.forms import load_forms
    from tests.conftest import FORMS

    checkin = load_forms(FORMS)["checkin"]
    header = checkin.columns_for("rotating-pairs")
    row = {"submitted_at": "4/2/2022 14:23:25", "email": "ana.rivera@ufhealth.example.edu", "quarter": "Q1",
           "meetings_held": "6", "satisfaction": "4", "wants_to_continue": "Yes", "comments": "", "token": ""}
    result = validate_tab(checkin, "circles", "Check-ins", Table(tuple(header), (tuple(row[c] for c in header),)))
    column = f"{letter(header.index('wants_to_continue'))} (wants_to_continue)"
    assert [(i.row, i.column, i.reason) for i in result.issues] == [
        (1, column, "column is not a question of the Quarterly check-in form in a circles program "
                    "(only rotating-pairs programs ask it)")]
    assert [r["meetings_held"] for r in result.records] == [6] and "wants_to_continue" not in result.records[0].values


def hours_asked_from_april(circles):
    """The check-in as a coordinator changed it in April: a required question no stage reads."""
    from generator.config.forms import Field, FieldType

    form = circles.forms["checkin"]
    hours = Field(id="hours", label="About how many hours did you spend on mentoring?", type=FieldType.number)
    return form.model_copy(update={"fields": (*form.fields, hours)})


def checkins(answers):
    return [{"submitted_at": f"{day} 9:00:00", "email": f"p{n}@ufhealth.example.edu", "quarter": "Q1",
             "meetings_held": "3", "satisfaction": "4", "wants_to_continue": "Yes", "hours": hours}
            for n, (day, hours) in enumerate(answers)]


def test_rows_older_than_a_question_added_mid_year_are_kept_without_its_answer(circles):
    """A coordinator added a required 'hours' question in April: March's check-ins, which never saw
    it, were all left out (150 at once in the pairs example). They are kept, said once; a blank
    after the question was first answered is still a missing answer."""
    form = hours_asked_from_april(circles)
    rows = checkins([("3/28/2022", ""), ("3/30/2022", ""), ("4/4/2022", "6"), ("4/6/2022", ""), ("4/7/2022", "2")])
    result = validate_tab(form, "circles", "Check-ins", table(form, "circles", rows),
                          stages_read=frozenset({"email", "quarter", "meetings_held"}))
    assert [(r.row, r["hours"]) for r in result.records] == [(2, None), (3, None), (4, 6.0), (6, 2.0)]
    note, missing = sorted(result.issues, key=lambda i: i.row or 0)
    assert (note.row, note.column, note.action) == (None, "hours", act.KEPT_WITHOUT)
    assert note.reason == ('"About how many hours did you spend on mentoring?" was first answered on April 4, 2022: '
                           "the 2 rows submitted before then predate the question (added to the form later) and are "
                           "kept without its answer")
    assert (missing.row, missing.reason, missing.action) == (5, "a required answer is missing", act.ROW_LEFT_OUT)


def test_a_question_nobody_has_answered_yet_leaves_no_row_out_but_a_new_submission_must_answer_it(circles):
    form = hours_asked_from_april(circles)
    rows = checkins([("3/28/2022", ""), ("3/30/2022", "")])
    kept = validate_tab(form, "circles", "Check-ins", table(form, "circles", rows),
                        stages_read=frozenset({"email", "quarter", "meetings_held"}))
    assert len(kept.records) == 2 and [i.reason.split(":")[0] for i in kept.issues] == \
        ['"About how many hours did you spend on mentoring?" has no answer yet']
    # Without the stages' fields (a receiver checking one new submission), the answer is required.
    one = table(form, "circles", rows[:1])
    record, issues = validate_row(form, "circles", "Check-ins", 2, dict(zip(one.header, one.rows[0])))
    assert record is None and [i.reason for i in issues] == ["a required answer is missing"]


def test_a_field_the_stages_read_is_never_spared(circles):
    """meetings_held is counted per round: a check-in without it is left out, whatever its date."""
    form = hours_asked_from_april(circles)
    rows = checkins([("3/28/2022", "1"), ("4/4/2022", "2")])
    rows[0]["meetings_held"] = ""
    result = validate_tab(form, "circles", "Check-ins", table(form, "circles", rows),
                          stages_read=frozenset({"email", "quarter", "meetings_held"}))
    assert [r.row for r in result.records] == [3]
    assert [(i.row, i.column, i.action) for i in result.issues] == [(2, "meetings_held", act.ROW_LEFT_OUT)]


def test_the_pairs_year_keeps_its_check_ins_when_the_form_gains_a_required_question(tmp_path):
    """End to end, as a coordinator does it: a question added to forms/checkin.yml, the sheet not
    yet showing its column. Every check-in is still counted; the tab says why once."""
    import shutil

    from generator.config.program import load_program
    from generator.sources.workbook import read_workbook
    from tests.conftest import EXAMPLES, FORMS

    forms = tmp_path / "forms"
    shutil.copytree(FORMS, forms)
    checkin = forms / "checkin.yml"
    checkin.write_text(checkin.read_text(encoding="utf-8") + '  - {id: hours, label: "Hours spent on mentoring?", '
                       "type: number, min: 0, max: 200}\n", encoding="utf-8")

    def validated(forms_dir):
        loaded = load_program(EXAMPLES["pairs"], forms_dir)
        return validate_workbook(loaded, read_workbook(loaded.data_path, loaded.tabs))

    before, after = validated(FORMS), validated(forms)
    assert len(after.of("checkin")) == len(before.of("checkin")) > 100
    said = [i for i in after.issues if i.tab == "Check-ins" and i not in before.issues]
    assert sorted((i.column, i.action) for i in said) == [("hours", act.COLUMN_BLANK), ("hours", act.KEPT_WITHOUT)]
    # `check` asks for the column (the sheet should ask the question now) and notes the kept rows.
    from generator.doctor import check
    from generator.options import BuildOptions

    lines: list[str] = []
    assert not check(BuildOptions(program=EXAMPLES["pairs"], forms_dir=forms, today=dt.date(2025, 10, 1)), lines.append)
    assert "  FIX   Check-ins: expected column is missing (hours). column read as blank" in lines
    assert any(line.startswith('  note  Check-ins: "Hours spent on mentoring?" has no answer yet: the ') for line in lines)
