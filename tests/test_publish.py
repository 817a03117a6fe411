"""publish-matches adds new proposals to the Matches tab and never touches rows staff edited."""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace

import vcr

from generator.pipeline import BuildOptions
from generator.publish import publish_matches
from generator.sources import sheets
from tests.conftest import BUILD_DAY, EXAMPLES

#: Staff publish proposed circles the day before they announce them: every application is in.
BEFORE_ANNOUNCEMENT = dt.date(2021, 12, 14)
from tests.sources.cassettes import HERE, KEY
from tests.sources.test_sheets import http_client

NOW = dt.datetime(2021, 12, 10, 16, 0)


def copy_of(name: str, tmp_path):
    folder = tmp_path / name
    shutil.copytree(EXAMPLES[name].parent, folder)
    return folder


def pairs_after_q1(tmp_path):
    """The pairs example as staff left it after announcing Q1: the example's Matches tab records
    every round as announced, so here the later rounds are still to be proposed."""
    folder = copy_of("pairs", tmp_path)
    path = folder / "data" / "Matches.csv"
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(b"\r\n".join(line for line in lines if b",Q2," not in line and b",Q3," not in line
                                   and b",Q4," not in line))
    return folder


def test_dry_run_shows_the_change_and_writes_nothing(tmp_path):
    folder = pairs_after_q1(tmp_path)
    before = (folder / "data" / "Matches.csv").read_bytes()
    said: list[str] = []
    result = publish_matches(BuildOptions(program=folder / "program.yml", run_mkdocs=False, today=dt.date(2026, 1, 1)),
                             dry_run=True, say=said.append, now=NOW)
    assert (folder / "data" / "Matches.csv").read_bytes() == before
    assert said[0].startswith(f"Would append {len(result.rows)} proposed rows to the Matches tab")
    assert said[-1] == "Dry run: nothing was written. Run again without --dry-run to append."
    assert result.rows and {r["round"] for r in result.rows} == {"Q2", "Q3", "Q4"}  # Q1 was announced already
    # Each proposed row names the person as well as their address, so staff can read the pairs.
    first = result.rows[0]
    name = next(line for line in said if first["email"] in line)
    assert name.endswith(f"<{first['email']}>") and len(name.split("<")[0].split(first["role"], 1)[1].strip()) > 3


def test_publishing_appends_once_and_keeps_staff_rows_byte_for_byte(tmp_path):
    folder = pairs_after_q1(tmp_path)
    path = folder / "data" / "Matches.csv"
    before = path.read_bytes()
    options = BuildOptions(program=folder / "program.yml", run_mkdocs=False, today=dt.date(2026, 1, 1))
    first = publish_matches(options, dry_run=False, say=lambda _: None, now=NOW)
    after = path.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + len(first.rows)
    again = publish_matches(options, dry_run=False, say=lambda _: None, now=NOW)
    assert again.rows == [] and path.read_bytes() == after


def test_rows_published_as_of_a_past_day_are_read_by_that_days_build(tmp_path):
    """Publishing Q2 "as of April 4, 2025" stamped the rows with the real time, so the build of
    April 4 still read Q2 as unpublished proposals. Rows are stamped no later than --today."""
    from generator.pipeline import gather

    folder = pairs_after_q1(tmp_path)
    options = BuildOptions(program=folder / "program.yml", run_mkdocs=False, today=dt.date(2025, 4, 4))
    result = publish_matches(options, dry_run=False, say=lambda _: None, now=dt.datetime(2026, 11, 25, 9, 30))
    assert result.rows and {r["round"] for r in result.rows} == {"Q2"}
    assert {r["submitted_at"] for r in result.rows} == {"2025-04-04 23:59:59"}
    decisions = gather(options).responses.records.decisions
    assert sum(d.status == "proposed" and d.round == "Q2" for d in decisions) == len(result.rows)
    today = publish_matches(replace(options, today=dt.date(2026, 11, 25)), dry_run=True, say=lambda _: None,
                            now=dt.datetime(2026, 11, 25, 9, 30))
    assert {r["round"] for r in today.rows} == {"Q3", "Q4"}  # Q2 is published already, whatever the day


def test_a_superseded_proposal_is_left_in_place_and_named(tmp_path):
    folder = pairs_after_q1(tmp_path)
    path = folder / "data" / "Matches.csv"
    options = BuildOptions(program=folder / "program.yml", run_mkdocs=False, today=dt.date(2026, 1, 1))
    publish_matches(options, dry_run=False, say=lambda _: None, now=NOW)
    text = path.read_text()
    q2 = next(line for line in text.splitlines() if ",Q2,Q2-001," in line)
    path.write_text(text.replace(q2, q2.replace("Q2-001", "Q2-999")))  # staff moved someone by hand
    said: list[str] = []
    result = publish_matches(options, dry_run=True, say=said.append, now=NOW)
    assert any("left as it is, the new proposal is Q2-001" in n for n in result.notes)
    assert path.read_text().count("Q2-999") == 1


def test_publishing_to_the_sheet_is_one_raw_append(circles, tmp_path):
    folder = copy_of("circles", tmp_path)
    http = http_client()
    sent: list[dict] = []
    real_append = http.values_append
    http.values_append = lambda key, rng, params, body: (sent.append({"range": rng, "params": params, **body}),
                                                         real_append(key, rng, params, body))[1]
    options = BuildOptions(program=folder / "program.yml", run_mkdocs=False, today=BEFORE_ANNOUNCEMENT,
                           env={sheets.SHEET_KEY: KEY}, http=http)
    replay = vcr.VCR(cassette_library_dir=str(HERE), record_mode="none", serializer="json",
                     match_on=["method", "scheme", "host", "path", "query"])
    with replay.use_cassette("publish.json") as cassette:
        result = publish_matches(options, dry_run=False, say=lambda _: None, now=NOW)
        assert cassette.play_count == 3 and cassette.all_played  # metadata, batch read, one append
    (call,) = sent
    assert call["range"] == "'Matches'!A1" and call["params"]["valueInputOption"] == "RAW"
    assert len(result.rows) == 49 and len(call["values"]) == 49
    assert call["values"][0][1:6] == ["circles", result.rows[0]["group_id"], result.rows[0]["email"], result.rows[0]["role"], "proposed"]


def test_publishing_writes_by_the_tabs_own_header_and_never_shifts_a_value(tmp_path):
    """Staff reordered the Matches tab and named its columns by question text: every value still
    lands in its own column, and the build reads the proposals back as written."""
    import csv

    from generator.pipeline import gather

    folder = pairs_after_q1(tmp_path)
    path = folder / "data" / "Matches.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    labels = {"submitted_at": "Timestamp", "round": "Round", "group_id": "Circle or pair id", "email": "Work email",
              "role": "Role in the group", "status": "Status", "note": "Staff note"}
    order = ["status", "email", "note", "round", "submitted_at", "role", "group_id"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([labels[c] for c in order])
        writer.writerows([r[c] for c in order] for r in rows)
    options = BuildOptions(program=folder / "program.yml", run_mkdocs=False, today=dt.date(2026, 1, 1))
    result = publish_matches(options, dry_run=False, say=lambda _: None, now=NOW)
    assert result.rows
    back = list(csv.reader(path.open(encoding="utf-8")))
    assert back[0] == [labels[c] for c in order]
    appended = back[-len(result.rows):]
    for row, wanted in zip(appended, result.rows):
        assert dict(zip(order, row)) == {c: wanted.get(c, "") for c in order}
    decisions = gather(options).responses.records.decisions
    assert sum(d.status == "proposed" for d in decisions) >= len(result.rows)


def test_the_bundled_example_is_never_written_to_its_dry_run_still_shows(capsys):
    """publish-matches on the pairs example appended 27 rows to examples/pairs/data/Matches.csv."""
    from generator.cli import main

    matches = EXAMPLES["pairs"].parent / "data" / "Matches.csv"
    before = matches.read_bytes()
    argv = ["publish-matches", "--program", str(EXAMPLES["pairs"]), "--today", "2025-06-30"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "is a bundled example, kept as shipped" in err and "add --dry-run" in err and "cp -r" in err
    assert matches.read_bytes() == before
    assert main([*argv, "--dry-run"]) == 0
    assert "Dry run: nothing was written" in capsys.readouterr().out and matches.read_bytes() == before
