"""The demo generator is deterministic, realistic and shaped like the two pilots."""
from __future__ import annotations

from collections import Counter

from generator.demo.generate import generate, write_demo
from generator.sources.workbook import read_workbook
from generator.validate.workbook import validate_workbook
from generator.sources.table import Workbook
from tests.conftest import BUILD_DAY


def rows_of(tables, tab):
    t = tables[tab]
    return [dict(zip(t.header, r)) for r in t.rows]


def test_same_seed_same_workbook_other_seed_other_people(circles):
    assert generate(circles, 49, seed=1) == generate(circles, 49, seed=1)
    names = lambda s: {r["full_name"] for r in rows_of(generate(circles, 49, seed=s), "Applications")}
    assert names(1) != names(2)


def test_written_files_read_back_identically(circles, tmp_path):
    write_demo(circles, tmp_path, 49, seed=1)
    tabs = [circles.tab_of(f) for f in circles.forms]
    assert read_workbook(tmp_path, tabs).tabs == generate(circles, 49, seed=1)


def test_the_circles_pilot_shape(circles):
    tables = generate(circles, 49, seed=1, bad_rows=False)
    responses = validate_workbook(circles, Workbook(tables, "demo"))
    assert responses.issues == ()
    apps = responses.of("application")
    assert len(apps) == 49 + 1  # 49 participants and one applicant who is not eligible
    facilitators = [a for a in apps if a["preferred_role"] == "Mentor or facilitator"]
    assert len(facilitators) >= 7
    assert Counter(w["reason"] for w in responses.of("withdrawal")) == {"Left the institution": 2, "Scheduling conflict": 2,
                                                                         "Workload": 1}
    assert {r["code"] for r in responses.of("focus_group")} == {"Situation", "Knowledge", "Learning", "Relationships"}
    assert {a["campus"] for a in apps} <= {"Gainesville", "Jacksonville", "Remote"}
    assert len({a["department"] for a in apps}) >= 10
    assert {m["module"] for m in responses.of("module_progress")} == {m.id for m in circles.program.curriculum}


def test_some_applicants_supervise_others(circles):
    apps = rows_of(generate(circles, 49, seed=1), "Applications")
    emails = {a["email"] for a in apps}
    assert any(a["supervisor_email"] in emails for a in apps)


def test_the_pairs_pilot_has_opt_outs_between_rounds(pairs):
    tables = generate(pairs, 40, seed=2, bad_rows=False)
    responses = validate_workbook(pairs, Workbook(tables, "demo"))
    assert responses.issues == ()
    checkins = responses.of("checkin")
    assert {c["quarter"] for c in checkins} == {"Q1", "Q2", "Q3", "Q4"}
    quitters = {c["email"] for c in checkins if not c["wants_to_continue"]}
    assert quitters
    for email in quitters:
        stopped = min(c["quarter"] for c in checkins if c["email"] == email and not c["wants_to_continue"])
        assert all(c["quarter"] <= stopped for c in checkins if c["email"] == email)
    assert responses.of("midpoint") and responses.of("final")


def test_bad_rows_are_planted_for_the_data_issues_report(circles):
    responses = validate_workbook(circles, Workbook(generate(circles, 49, seed=1), "demo"))
    reasons = " | ".join(i.reason for i in responses.issues)
    for expected in ("duplicate submission", "is not an email address", "is not a date", "612 words; at most 500 are allowed",
                     "a required answer is missing", "is not one of the options", "is not a module of the curriculum"):
        assert expected in reasons


def test_scales_to_five_thousand(circles):
    tables = generate(circles, 5000, seed=3, bad_rows=False, announce=False)
    assert len(tables["Applications"].rows) == 5000 + 200
    assert len({r[2] for r in tables["Applications"].rows}) == 5200  # unique emails


def test_a_coordinator_recognises_a_real_cohort(circles, pairs):
    """Meetings near the cadence with misses, comments that answer their own question and differ
    between surveys and programs, titles that go with the years, excerpts over the codebook."""
    seen = {}
    for loaded, per_month in ((circles, 2), (pairs, 1)):
        responses = validate_workbook(loaded, Workbook(generate(loaded, 49, seed=1, bad_rows=False), "demo"))
        d = loaded.program.dates
        months = (d.cohort_end - d.cohort_start).days / 30.4
        logged = Counter(m["email"] for m in responses.of("meeting_log"))
        typical = sorted(logged.values())[len(logged) // 2]
        assert 0.6 * per_month * months <= typical <= per_month * months * 1.34  # near the cadence...
        assert min(logged.values()) < typical  # ...with realistic misses
        for fid in ("midpoint", "final"):
            for question in ("most_valuable", "improvements"):
                seen[(loaded.program.model, fid, question)] = {r[question] for r in responses.of(fid) if r.get(question)}
        for app in responses.of("application"):
            years = app["research_experience_years"]
            if app["job_title"].startswith("Senior"):
                assert years >= 4
            if app["role_family"] == "Research Nurse":
                assert app["field_of_study"] in ("Nursing", "Health Science")
    assert all(len(answers) >= 4 for answers in seen.values())
    for (model, fid, question), answers in seen.items():
        for (model2, fid2, question2), others in seen.items():
            if (model, fid, question) != (model2, fid2, question2):
                assert not answers & others, f"{model} {fid} {question} shares comments with {model2} {fid2} {question2}"
    excerpts = validate_workbook(circles, Workbook(generate(circles, 49, seed=1, bad_rows=False), "demo")).of("focus_group")
    codebook = {(c.name, s) for c in circles.program.evaluation.codebook for s in c.subcodes}
    assert {(e["code"], e["subcode"]) for e in excerpts} == codebook



def test_the_announcement_reads_only_the_tabs_the_matcher_reads_and_matches_the_same(circles, pairs, monkeypatch):
    """The demo runs the real matcher on the tabs it reads (MATCHER_READS): the same matches as
    from the whole workbook, for both models (with bad rows and withdrawals planted)."""
    from generator.demo import announce

    for loaded in (circles, pairs):
        tables = generate(loaded, 120, seed=3, announce=False)
        matches, unmatched = announce.announce(loaded, tables)
        with monkeypatch.context() as everything:
            everything.setattr(announce, "MATCHER_READS", tuple(loaded.program.forms))
            assert matches.rows and (matches, unmatched) == announce.announce(loaded, tables)


def test_names_are_the_ones_faker_itself_draws_for_the_seed():
    """The demo draws names from Faker's weighted lists with running weights summed once; it must
    give the names Faker's own first_name_female() and friends give for the same seed, in order."""
    from faker import Faker

    from generator.demo.generate import _Names

    ours, theirs = Faker("en_US"), Faker("en_US")
    ours.seed_instance(7)
    theirs.seed_instance(7)
    name = _Names(ours)
    kinds = ["female", "male", "first", "last"] * 50
    drawn = [name(kind) for kind in kinds]
    expected = [{"female": theirs.first_name_female, "male": theirs.first_name_male, "first": theirs.first_name,
                 "last": theirs.last_name}[kind]() for kind in kinds]
    assert drawn == expected and len(set(drawn)) > 50


def test_surveys_are_answered_in_the_two_weeks_after_the_schedule_dates_them(circles):
    """The circles' mid-program evaluation is scheduled for May 16 (program.yml), not the cohort's
    middle (May 21): demo answers came before the survey's own day, so a bench's response rates and
    reminders read a survey answered before it was sent."""
    import datetime as dt

    responses = validate_workbook(circles, Workbook(generate(circles, 49, seed=1, bad_rows=False), "demo"))
    for fid, day in (("midpoint", dt.date(2022, 5, 16)), ("final", circles.program.dates.cohort_end)):
        days = {r.submitted_at.date() for r in responses.of(fid)}
        assert days and day <= min(days) and max(days) <= day + dt.timedelta(days=14), (fid, min(days), max(days))


def test_the_bundled_examples_are_what_the_documented_command_writes(circles, pairs):
    """`demo-data --seed 1` rewrote the pairs example with a Matches tab of Q1 only (the example
    holds the whole year's rounds, announced as the year went) and both examples' mid-program
    answers on other days. The pairs example is now its output exactly, each later round matched
    and announced the day the previous round's check-in is due; the circles example too, but for
    its Matches tab: its circles were locked by an earlier matcher (facilitators 1-4 a circle;
    the matcher now spreads them 2-3), kept because the example's year happened with them."""
    for loaded, kept in ((pairs, set()), (circles, {"Matches"})):
        tabs = [loaded.tab_of(f) for f in loaded.forms]
        bundled = read_workbook(loaded.data_path, tabs).tabs
        made = generate(loaded, 49, seed=1)
        assert [t for t in tabs if bundled[t] != made[t]] == sorted(kept)
    rounds = Counter(r["round"] for r in rows_of(generate(pairs, 49, seed=1), "Matches"))
    assert sorted(rounds) == ["Q1", "Q2", "Q3", "Q4"]


def test_someone_who_left_a_check_in_unanswered_sits_the_next_round_out_as_the_matcher_has_it(built):
    """The demo had them meet and rate a partner in the round the build said they sat out ("you
    have not answered the Q1 check-in"), or were left without a partner in. Now they log no
    meeting in it; most answer its check-in to come back (no meetings, the match question
    blank), and are matched in the next round."""
    g = built["pairs"].gathered
    spans = {q.name: (q.start, q.end) for q in g.loaded.program.dates.quarters}
    begun = {(r.person_id, r.round) for r in g.matching.rows if spans[r.round][0] <= BUILD_DAY["pairs"]}
    placed = {(r.person_id, r.round) for r in g.matching.rows if r.role}
    unplaced = begun - placed
    unanswered = {(r.person_id, r.round) for r in g.matching.rows
                  if r.status == "sitting out" and "has not answered" in r.reasons} & begun
    assert len(unanswered) >= 5 and {(r.person_id, r.round) for r in g.matching.rows if r.status == "unmatched"}
    for email, quarter in unplaced:
        start, end = spans[quarter]
        assert not [m for m in g.responses.records.meetings if m.email == email and start <= m.date <= end]
        for c in g.responses.records.checkins:
            if c.email == email and c.quarter == quarter:
                assert c.satisfaction is None and c.meetings_held == 0
    quarters = list(spans)
    assert any((email, quarters[quarters.index(q) + 1]) in placed for email, q in unanswered if q != quarters[-1])
