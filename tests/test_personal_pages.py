"""Each admitted participant's own page: their group, people and dates, readable only with their link."""
from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from markupsafe import escape

from generator.pipeline import BuildOptions, gather
from generator.progress.personal import Mate, Placement, PersonalView, personal_views
from generator.progress.report import progress
from generator.render.personal import FOLDER, carried, locate, open_sealed, page_id, page_key
from generator.render.templating import render
from generator.validate.tokens import example_address, page_secret
from tests.conftest import BUILD_DAY, EXAMPLES
from tests.helpers import tab_rows, write_tab

DURING = {"circles": dt.date(2022, 3, 1), "pairs": dt.date(2025, 2, 1)}


def links(gathered) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(gathered.staff["links.csv"]))
    return {r["email"]: r["link"] for r in rows if r["form"] == "Personal page"}


def opened(gathered, link: str, site: Path | None = None) -> str:
    """The page behind a personal link, decrypted: from the built site, or from what gather kept."""
    path, key = locate(link)
    shell = (site / path).read_text(encoding="utf-8") if site else gathered.assets[path]
    sealed = json.loads(re.search(r'<script id="sealed" type="application/json">(.*?)</script>', shell, re.S).group(1))
    return open_sealed(base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)), sealed["id"], sealed["data"])


@pytest.fixture(scope="module")
def during():
    return {name: gather(BuildOptions(program=EXAMPLES[name], today=DURING[name], run_mkdocs=False))
            for name in ("circles", "pairs")}


@pytest.mark.parametrize("name", ["circles", "pairs"])
def test_everyone_admitted_gets_one_page_and_one_link(during, name):
    g = during[name]
    admitted = {s.email for s in g.screenings if s.admitted}
    mine = links(g)
    assert set(mine) == admitted and len(admitted) >= 40
    pages = [p for p in g.assets if p.startswith("me/") and p.endswith(".html")]
    assert len(pages) == len(admitted)
    assert all("#" in link and not link.startswith("/") for link in mine.values())


def test_a_circle_member_reads_their_circle_people_and_next_meeting(during):
    g = during["circles"]
    circle = g.matching.circles.circles[0]
    member = next(m for m in circle.members if m not in circle.facilitators)
    text = opened(g, links(g)[member])
    assert g.matching.people[member].name in text and f"circle {circle.id}" in text
    for other in circle.members:
        if other != member:  # everyone in the circle, listed publicly or not, with their work email
            assert g.matching.people[other].name in text and other in text
    assert "Tuesday, March 8, 2022, 12:00-1:00 PM" in text  # the next meeting after March 1
    carried = re.search(r'<template id="my-calendar" data-type="text/calendar;charset=utf-8">(.*?)</template>', text, re.S)
    assert carried and html.unescape(carried.group(1)).encode("utf-8") == g.calendars[member], \
        "the page carries the person's calendar file (the one their announcement attaches) byte for byte, CRLF line ends too"
    assert 'data-file="my-calendar"' in text
    assert "participants/checkin.html?email=" in text and "If you must stop" in text
    assert re.search(r"Quarterly check-in</a> \(Q1 due April 7, 2022\)", text)  # as the schedule dates it
    # In March the program runs to September: what is missing so far, not a to-do "the program has not ended".
    standing = next(r for r in csv.DictReader(io.StringIO(g.staff["progress.csv"])) if r["email"] == member)
    assert standing["in_progress"] == "True" and standing["missing"]
    assert f"So far: {standing['missing']}." in text and "has not ended" not in text and "Not completed" not in text


@pytest.mark.parametrize("name", ["circles", "pairs"])
def test_every_page_carries_its_persons_own_calendar_though_bodies_are_escaped_once_for_all_who_share_them(
        during, name):
    """Pages are sealed body by body, each calendar body escaped once for everyone who shares it;
    opened, every page holds its own person's file, name and all, byte for byte (but the page of
    someone who withdrew, which has no dates)."""
    g = during[name]
    names = {a.email: a.full_name for a in g.responses.records.applications}
    gone = set(g.responses.records.withdrawal_of())
    for email, link in links(g).items():
        text = opened(g, link)
        held = re.findall(r'<template id="my-calendar" data-type="text/calendar;charset=utf-8">(.*?)</template>', text, re.S)
        if email in gone:
            assert held == []
            continue
        assert len(held) == 1 and html.unescape(held[0]).encode("utf-8") == g.calendars[email]
        assert str(escape(names[email])) in text.split("<template")[0] and "\x00" not in text
    assert set(links(g)) - gone, "some pages hold a calendar"


def test_a_pairs_participant_sees_their_partner_per_round_once_announced(during):
    g = during["pairs"]
    q1 = [r for r in g.matching.rows if r.round == "Q1" and r.group_id and r.status == "announced"]
    person = q1[0]
    groups = {r.group_id for r in q1 if r.person_id == person.person_id}
    partners = [r for r in q1 if r.group_id in groups and r.person_id != person.person_id]
    text = opened(g, links(g)[person.person_id])
    assert all(f"Your role: {person.role} (pair {group})" in text for group in groups)
    assert partners and all(p.name in text for p in partners)
    assert "Q2: peer round" in text and "Matches for this round are made after the previous round" in text


def test_an_approved_but_unannounced_pair_is_not_shown(during):
    g = during["pairs"]
    waiting = next(r for r in g.matching.rows if r.round == "Q1" and r.status == "approved")
    text = opened(g, links(g)[waiting.person_id])
    mates = [r.name for r in g.matching.rows if r.round == "Q1" and r.group_id == waiting.group_id
             and r.person_id != waiting.person_id]
    assert "Your group will be announced" in text and not any(name in text for name in mates)


def test_another_persons_key_opens_nothing(during):
    g = during["circles"]
    a, b = list(links(g).values())[:2]
    path_a, _ = locate(a)
    _, key_b = locate(b)
    with pytest.raises(InvalidTag):
        opened(g, f"{path_a}#{key_b}")


def test_sealed_pages_hold_no_personal_data_and_stay_the_same_across_rebuilds(during):
    g = during["circles"]
    again = gather(BuildOptions(program=EXAMPLES["circles"], today=DURING["circles"], run_mkdocs=False))
    sealed = {p: c for p, c in g.assets.items() if p.startswith("me/")}
    assert sealed == {p: c for p, c in again.assets.items() if p.startswith("me/")}
    assert links(g) == links(again)
    names = [p.name for p in g.matching.people.values()]
    emails = list(g.matching.people)
    for path, content in sealed.items():
        assert not any(n in content for n in names + emails)
        if path.endswith(".html"):
            assert '<meta name="robots" content="noindex, nofollow, noarchive">' in content
            assert '<meta name="referrer" content="no-referrer">' in content and "<noscript>" in content


def test_a_new_secret_changes_every_link(during):
    g = during["circles"]
    other = gather(BuildOptions(program=EXAMPLES["circles"], today=DURING["circles"], run_mkdocs=False,
                                env={"CRP_PAGE_SECRET": "a-real-secret-for-this-program-only"}))
    old, new = links(g), links(other)
    assert set(old) == set(new) and not set(old.values()) & set(new.values())
    assert "DEMO secret" not in other.staff["index.html"] and "DEMO secret" in g.staff["index.html"]


def test_the_staff_overview_gives_each_note_as_a_sentence(during):
    """The build's notes come from several stages, some whole sentences and some not: the
    overview shows them as sentences, not run together (".;" and ".." were seen)."""
    from generator.render.staff import sentences

    page = during["circles"].staff["index.html"]
    assert isinstance(page, str)
    note = page.split('role="alert">', 1)[1].split("</p>", 1)[0]
    assert "Personal pages use the example&#39;s DEMO secret" in note and note.endswith("instead.")
    assert ".;" not in note and ".." not in note
    assert "As of March 1, 2022: " in note  # the build's day as every page writes it, not 2022-03-01
    assert sentences(["built from the snapshot sheet/2022-03-30, taken 2022-03-30 14:00 UTC, 3 days old", "",
                      "As of 2022-04-01: 2 rows submitted or dated later are not counted.", "  "]) == (
        "Built from the snapshot sheet/2022-03-30, taken 2022-03-30 14:00 UTC, 3 days old. "
        "As of 2022-04-01: 2 rows submitted or dated later are not counted.")


def test_without_a_secret_no_personal_pages_and_staff_are_told():
    assert page_secret({}, None, True) == (None, "No personal pages are built: set CRP_PAGE_SECRET or CRP_FORM_SECRET "
                                                 "to give each participant one.")
    secret, note = page_secret({}, "demo-only-x", from_folder=False)
    assert secret is None and "the demo secret in program.yml is public" in note
    assert page_secret({"CRP_FORM_SECRET": "s"}, "demo-only-x", True) == ("s", "")
    assert page_id("s", "p", "A@x.edu") == page_id("s", "p", "a@x.edu") != page_id("t", "p", "a@x.edu")
    assert len(page_key("s", "p", "a@x.edu")) == 32


def test_example_addresses_are_the_ones_nobody_can_have():
    for email in ("brandy.boone1@ufhealth.example.edu", "a@example.com", "a@EXAMPLE.org.", "b@hospital.example",
                  "c@x.test", "d@site.invalid", "e@localhost"):
        assert example_address(email), email
    for email in ("nurse@ufl.edu", "a@examples.com", "a@myexample.org", "coordinator@example-health.org", "x@test.com",
                  "no-at-sign"):
        assert not example_address(email), email


def test_a_copied_example_with_real_answers_gets_no_pages_keyed_from_the_public_demo_secret(tmp_path):
    """A coordinator copies the circles example and puts the program's own answers in its folder;
    program.yml still carries the demo secret, which anyone can read. One real address is enough:
    no personal pages, no links for staff to send, and the overview says why and what to set."""
    folder = tmp_path / "our-program"
    shutil.copytree(EXAMPLES["circles"].parent, folder, ignore=shutil.ignore_patterns("build", "site", "staff"))
    rows = tab_rows(folder / "data" / "Applications.csv")
    rows[3]["email"] = "jane.doe@ufl.edu"
    write_tab(folder / "data" / "Applications.csv", rows)
    g = gather(BuildOptions(program=folder / "program.yml", today=dt.date(2022, 3, 1), run_mkdocs=False, env={}))
    assert not g.links and not any(path.startswith(FOLDER + "/") and path.endswith(".html") for path in g.assets)
    note = g.staff["index.html"]
    assert isinstance(note, str)
    assert ("No personal pages are built: the demo secret in program.yml is public, and these answers have real "
            "addresses (at ufl.edu); set CRP_PAGE_SECRET or CRP_FORM_SECRET.") in note.replace("&#39;", "'")
    # With a real secret the same data gets its pages.
    secret = gather(BuildOptions(program=folder / "program.yml", today=dt.date(2022, 3, 1), run_mkdocs=False,
                                 env={"CRP_PAGE_SECRET": "a real secret, long enough to be one"}))
    assert len(secret.links) > 40 and any(path.startswith(FOLDER + "/") and path.endswith(".html")
                                          for path in secret.assets)


def test_the_roster_and_pages_wait_for_the_announcement():
    before = gather(BuildOptions(program=EXAMPLES["circles"], today=dt.date(2021, 12, 1), run_mkdocs=False))
    roster = next(p for p in before.pages if p.path == "participants/circles.md").content
    assert "Circles will be announced on December 15, 2021." in roster
    assert not any(p.name in roster for p in before.matching.people.values())
    text = opened(before, next(iter(links(before).values())))
    assert "Your group will be announced on December 15, 2021." in text and "You are a member" not in text


def test_a_circle_nobody_announced_is_not_on_the_roster(during):
    g = during["circles"]
    from generator.matching.stage import announced
    from generator.render.site import roster

    nothing_announced = g.matching.__class__(**{**g.matching.__dict__, "rows": tuple(
        r.__class__(**{**r.__dict__, "status": "proposed"}) for r in g.matching.rows)})
    assert not announced(g.loaded.program, nothing_announced, DURING["circles"])
    assert roster(g.loaded.program, nothing_announced, DURING["circles"]) == []
    assert len(roster(g.loaded.program, g.matching, DURING["circles"])) == 7


def test_text_people_typed_is_escaped_on_the_opened_page(circles):
    hostile = '<img src=x onerror=alert(1)>"Robert"'
    view = PersonalView("a@x.edu", hostile, "active", (Placement("circles", "", "circle", "announced", "C01", "member",
                        (Mate(hostile, "b@x.edu", "facilitator", "<b>Dept</b>"),), "", ""),), "", "", "", (), (), (),
                        None, "every module", False, False, "C01")
    html = render("personal/content.html.j2", p=circles.program, v=view, as_of="March 1, 2022", forms=[], calendar="",
                  running=True)
    assert "<img" not in html and "<b>Dept" not in html and "&lt;img src=x" in html
    # A meeting place typed into the Matches tab reaches the page inside the carried calendar.
    calendar = b"LOCATION:Room 2</template><img src=x onerror=alert(1)>\r\nEND:VEVENT\r\n"
    html = render("personal/content.html.j2", p=circles.program, v=view, as_of="March 1, 2022", forms=[], running=True,
                  calendar=carried(calendar))
    held = re.search(r'<template id="my-calendar"[^>]*>(.*?)</template>', html, re.S).group(1)
    assert "<img" not in html and html.count("</template>") == 1
    assert held == "LOCATION:Room 2&lt;/template&gt;&lt;img src=x onerror=alert(1)&gt;&#13;\nEND:VEVENT&#13;\n"


def test_a_withdrawn_participant_gets_no_survey_links_and_no_dates(built):
    """Their page says they left, when and why, and what they took part in; not that they wait
    for a circle ('You were not matched: no circle has a place for you yet'), nor dates, what is still to do to complete, or
    how to stop."""
    g = built["circles"].gathered
    email, w = next(iter(g.responses.records.withdrawal_of().items()))
    text = opened(g, links(g)[email], built["circles"].site_dir)
    assert f"You withdrew on {w.date:%B} {w.date.day}, {w.date.year} ({w.reason}). Thank you for taking part." in text
    for gone in ("Your surveys", "Next dates", "Add my dates", "no circle has a place", "will tell you when a place",
                 "So far:", "Not completed:", "If you must stop"):
        assert gone not in text, gone
    assert "If this is not right, or for anything else, write to" in text


def test_a_participant_not_matched_in_a_round_reads_why_in_their_own_words():
    """Not the staff's wording ('(see the note for this round); first in line next round', no
    stop): why, then what comes next, each once."""
    g = gather(BuildOptions(program=EXAMPLES["pairs"], today=dt.date(2024, 12, 20), run_mkdocs=False))
    (row,) = [r for r in g.matching.rows if r.round == "Q1" and r.status == "unmatched"]
    assert row.reasons == "no mentor available this round; first in line next round"  # as staff read it
    text = opened(g, links(g)[row.person_id])
    assert "<p>You were not matched in Q1: no mentor available this round.</p>\n<p>You have priority in Q2, which starts on April 7, 2025: you are among the first matched.</p>" in text
    assert "first in line" not in text and "note for this round" not in text


def test_a_participant_sitting_a_round_out_reads_why_as_you_not_they():
    """Staff read 'has not answered the Q2 check-in; not matched until they say they want to
    continue'; the person's own page said the same, about 'they'. It now speaks to them, and
    says what to do; staff keep their wording."""
    g = gather(BuildOptions(program=EXAMPLES["pairs"], today=dt.date(2025, 7, 10), run_mkdocs=False))
    out = [r for r in g.matching.rows if r.round == "Q3" and r.status == "sitting out"]
    silent = next(r for r in out if r.reasons.startswith("has not answered"))
    assert silent.reasons == "has not answered the Q2 check-in; not matched until they say they want to continue"
    text = opened(g, links(g)[silent.person_id])
    assert ("<p>You are not taking part in this round: you have not answered the Q2 check-in.</p>\n"
            "<p>Answer the Q2 check-in (under Your surveys), saying you want to continue, to be matched.</p>") in text
    assert "they say" not in text
    said_no = [r for r in out if r.reasons.startswith("said in the")]
    assert said_no
    for row in said_no:
        assert "you said in the Q2 check-in that you do not want to continue." in opened(g, links(g)[row.person_id])
    # Once Q3 is over, there is nothing left to do about it: the page says why, not what to do.
    later = gather(BuildOptions(program=EXAMPLES["pairs"], today=dt.date(2025, 10, 20), run_mkdocs=False))
    text = opened(later, links(later)[silent.person_id])
    q3 = text[text.index("Q3: mentor and mentee round"):text.index("Q4:")]
    assert "you have not answered the Q2 check-in." in q3 and "Answer the Q2 check-in" not in q3


def test_a_round_someone_sits_out_or_was_not_matched_in_is_not_on_their_calendar():
    """'Q3: meet with your mentor or mentee' was on the calendar and next dates of someone who had not
    answered the Q2 check-in (so sits Q3 out), and Q1's window on the one person not matched in Q1.
    Their calendars (on their page and attached to their messages) now hold only the rounds they take part in."""
    g = gather(BuildOptions(program=EXAMPLES["pairs"], today=dt.date(2025, 7, 10), run_mkdocs=False))
    q3 = {r.person_id: r.status for r in g.matching.rows if r.round == "Q3"}
    in_q1 = {r.person_id for r in g.matching.rows if r.round == "Q1" and r.status == "announced"}
    out = next(p for p, status in q3.items() if status == "sitting out" and p in in_q1
               and p not in g.responses.records.withdrawal_of())
    inside = next(p for p, status in q3.items() if status not in ("sitting out", "unmatched") and p in in_q1)
    for person, has in ((out, False), (inside, True)):
        text = opened(g, links(g)[person])
        calendar = g.calendars[person]
        assert isinstance(calendar, bytes)
        assert (b"UID:round-Q3@" in calendar) == has and (b"UID:round-Q1@" in calendar)
        assert ("Q3: meet with your mentor or mentee" in text) == has
    early = gather(BuildOptions(program=EXAMPLES["pairs"], today=dt.date(2024, 12, 20), run_mkdocs=False))
    (unmatched,) = [r.person_id for r in early.matching.rows if r.round == "Q1" and r.status == "unmatched"]
    calendar = early.calendars[unmatched]
    assert isinstance(calendar, bytes) and b"UID:round-Q1@" not in calendar and b"UID:round-Q2@" in calendar


def test_a_pairs_participant_who_withdrew_sees_the_rounds_they_took_part_in_and_no_later_one():
    """Kathy left on April 14, a week into Q2, whose pairs were announced on April 4: her page in
    July keeps her Q1 and Q2 pairs, and no Q3 she is 'not taking part in', no Q4 'made after the
    check-in', nothing 'to be announced'."""
    g = gather(BuildOptions(program=EXAMPLES["pairs"], today=dt.date(2025, 7, 1), run_mkdocs=False))
    email, w = next((e, w) for e, w in g.responses.records.withdrawal_of().items() if w.date.month == 4)
    text = opened(g, links(g)[email])
    assert "Q1: mentor and mentee round" in text and "Your mentor" in text  # she was a mentee in Q1
    assert "Q2: peer round" in text and "(pair Q2-" in text
    for gone in ("Q3:", "Q4:", "will be announced", "not taking part in this round",
                 "made after the previous round", "So far:", "Not completed:", "If you must stop"):
        assert gone not in text, gone
    assert f"You withdrew on April {w.date.day}, 2025 ({w.reason})." in text
    # Q1 is behind her: it is over, not a round to meet in.
    assert "This round is over." in text and "choose when you meet" not in text


def test_pages_handed_out_as_sealed_match_the_kept_ones_and_a_failed_write_stops_the_build(during):
    g = during["circles"]
    handed: dict[str, str] = {}
    again = gather(BuildOptions(program=EXAMPLES["circles"], today=DURING["circles"], run_mkdocs=False),
                   personal=handed.__setitem__)
    assert handed == {p: c for p, c in g.assets.items() if p.startswith("me/")} and len(handed) > 40
    assert not any(p.startswith("me/") for p in again.assets) and links(again) == links(g)

    def disk_full(path: str, content: str) -> None:
        if len(handed) > 10:
            raise OSError(28, "No space left on device", path)
        handed[path] = content

    handed.clear()
    with pytest.raises(OSError, match="No space left"):
        gather(BuildOptions(program=EXAMPLES["circles"], today=DURING["circles"], run_mkdocs=False), personal=disk_full)


@pytest.mark.parametrize("name", ["circles", "pairs"])
def test_each_persons_calendar_holds_exactly_the_events_their_page_lists_under_their_own_name(during, name):
    """People who see the same events share one serialized calendar body; each file still names
    its own person, and a facilitator's or mentor's file has their extra events, nobody else's."""
    from icalendar import Calendar

    g = during[name]
    report = progress(g.loaded.program, g.responses, g.screenings, g.matching, DURING[name])
    views = personal_views(g.loaded.program, g.responses.records, g.matching, report, g.schedule, DURING[name],
                           [s.email for s in g.screenings if s.admitted])
    kinds = set()
    for v in views:
        calendar = Calendar.from_ical(g.calendars[v.email])
        assert calendar["X-WR-CALNAME"] == f"{g.loaded.program.name}: {v.name}"
        held = sorted((str(e["SUMMARY"]).removeprefix("Cancelled: ").removesuffix(" (optional)"),
                       e.decoded("DTSTART").isoformat()[:10]) for e in calendar.walk("VEVENT"))
        assert held == sorted((e.title, e.start.isoformat()) for e in v.events)
        kinds.add((v.circle, v.mentor, v.facilitator))
    assert len(kinds) >= 2, "people with different events are in the example"


def test_each_survey_link_says_when_its_next_answer_is_due():
    """May 10, 2025 in the pairs year: the Q2 check-in, the mid-program and the final evaluation,
    each with its next due date beside its link (the dates list shows only the next few events)."""
    g = gather(BuildOptions(program=EXAMPLES["pairs"], today=dt.date(2025, 5, 10), run_mkdocs=False))
    view = next(v for v in personal_views_of(g, dt.date(2025, 5, 10)) if v.status == "active")
    assert dict(view.surveys_due) == {"checkin": "July 4, 2025", "midpoint": "June 30, 2025", "final": "December 19, 2025"}
    text = opened(g, links(g)[view.email])
    assert re.search(r'>Quarterly check-in</a> \(Q1 (answered [A-Z][a-z]+ \d+|not answered yet: it was due April 4), 2025; '
                     r'Q2 due July 4, 2025\)</li>', text)
    assert '>Mid-program evaluation</a> (next due June 30, 2025)</li>' in text


def test_a_round_behind_a_person_is_not_still_to_be_announced(tmp_path):
    """In May, Allison's Q1 pair was still waiting for a supervisor when Q1 ended: her page said
    "Your group will be announced once staff have confirmed it" of a round over for two months.
    It says the round ended first, and whom to write to; Q2, running, is still to be announced."""
    g = gather(BuildOptions(program=EXAMPLES["pairs"], today=dt.date(2025, 5, 20), run_mkdocs=False))
    email = "allison.weaver6@tuftsmedicine.example.org"
    q1 = next(r for r in g.matching.rows if r.person_id == email and r.round == "Q1")
    assert q1.status == "approved"  # never announced
    text = opened(g, links(g)[email])
    q1_part = text[text.index("Q1: mentor and mentee round"):text.index("Q2: peer round")]
    assert "This round ended before your group was confirmed. If that is not right, write to crs-peer-mentoring@example.org." in q1_part
    assert "will be announced" not in q1_part
    view = next(v for v in personal_views_of(g, dt.date(2025, 5, 20)) if v.email == email)
    assert [pl.state for pl in view.placements[:2]] == ["never confirmed", "to be announced"]  # Q1 behind, Q2 running
    q2_part = text[text.index("Q2: peer round"):text.index("Q3:")]
    assert "Your group will be announced once staff have confirmed it" in q2_part


def test_a_survey_answered_once_says_when_instead_of_standing_as_a_bare_link():
    """In October a page still listed "Mid-program evaluation" as if it were to do, for someone
    who answered it in June. It says when they answered (and that answering again replaces it);
    someone who has not answered sees the plain link, as before."""
    from generator.dates import long_date

    day = dt.date(2022, 10, 15)
    g = gather(BuildOptions(program=EXAMPLES["circles"], today=day, run_mkdocs=False))
    gone = set(g.responses.records.withdrawal_of())
    latest: dict[str, dt.date] = {}
    for r in g.responses.of("midpoint"):
        latest[r["email"]] = max(latest.get(r["email"], dt.date.min), r.submitted_at.date())
    placed = {r.person_id for r in g.matching.rows if r.group_id} - gone
    answered = next(e for e in sorted(placed) if e in latest)
    silent = next(e for e in sorted(placed) if e not in latest)
    text = opened(g, links(g)[answered])
    assert re.search(rf">Mid-program evaluation</a> \(answered {long_date(latest[answered])}; a new answer replaces it\)</li>",
                     text), answered
    text = opened(g, links(g)[silent])
    assert ">Mid-program evaluation</a></li>" in text


def test_the_check_in_link_says_which_quarter_is_answered_and_which_is_due():
    """In July the check-in link read "(next due October 7)" on every page, for those who had
    answered Q2's (due July 7) and those who had not: the link recurs, so nobody could tell from
    their page that one was still missing. It names the quarter last due, answered when or not
    yet, and the next; one answered before its due day says so instead of asking for it."""
    from generator.dates import long_date

    day = dt.date(2022, 7, 20)
    g = gather(BuildOptions(program=EXAMPLES["circles"], today=day, run_mkdocs=False))
    gone = set(g.responses.records.withdrawal_of())
    q2 = {}
    for c in g.responses.records.checkins:
        if c.quarter == "Q2":
            q2[c.email] = max(q2.get(c.email, dt.date.min), c.submitted_at.date())
    placed = sorted({r.person_id for r in g.matching.rows if r.group_id} - gone)
    answered = next(e for e in placed if e in q2)
    silent = next(e for e in placed if e not in q2)
    due = {e.key: e.start for e in g.schedule.program if e.kind == "checkin"}
    assert due["checkin-Q2"] < day <= due["checkin-Q3"]
    assert (f">Quarterly check-in</a> (Q2 answered {long_date(q2[answered])}; Q3 due {long_date(due['checkin-Q3'])})</li>"
            in opened(g, links(g)[answered]))
    assert (f">Quarterly check-in</a> (Q2 not answered yet: it was due {long_date(due['checkin-Q2'])}; "
            f"Q3 due {long_date(due['checkin-Q3'])})</li>" in opened(g, links(g)[silent]))

    early = dt.date(2022, 7, 6)  # the day before Q2's is due: someone who answered it already
    g = gather(BuildOptions(program=EXAMPLES["circles"], today=early, run_mkdocs=False))
    q2 = {}
    for c in g.responses.records.checkins:
        if c.quarter == "Q2":
            q2[c.email] = max(q2.get(c.email, dt.date.min), c.submitted_at.date())
    ahead = next(e for e in placed if e in q2)
    text = opened(g, links(g)[ahead])
    assert f">Quarterly check-in</a> (Q1 " in text and f"; Q2 answered {long_date(q2[ahead])})</li>" in text


def test_the_check_in_link_chooses_a_quarter_only_once_it_is_asked_for():
    """With Q2's check-in answered, the July link chose Q3, whose check-in is due in October: an
    answer about a quarter just begun. The link chooses a quarter owed (past its due day) or asked
    for (from `remind_before_days` before it is due, when its reminder goes), else none."""
    from urllib.parse import parse_qs, urlsplit

    def quarter_chosen(day: dt.date) -> tuple[dict[str, str], dict[str, set[str]]]:
        """Per person taking part, the quarter their link chooses; per quarter, who answered it."""
        g = gather(BuildOptions(program=EXAMPLES["circles"], today=day, run_mkdocs=False))
        gone = set(g.responses.records.withdrawal_of())
        placed = {r.person_id for r in g.matching.rows if r.group_id} - gone
        chosen = {}
        for email in sorted(placed):
            href = re.search(r'<a href="([^"]+)">Quarterly check-in</a>', opened(g, links(g)[email])).group(1)
            chosen[email] = parse_qs(urlsplit(href.replace("&amp;", "&")).query).get("quarter", [""])[0]
        answered: dict[str, set[str]] = {}
        for c in g.responses.records.checkins:
            answered.setdefault(c.quarter, set()).add(c.email)
        return chosen, answered

    july, answered = quarter_chosen(dt.date(2022, 7, 20))
    assert {q for e, q in july.items() if e in answered["Q2"]} == {""}
    assert {q for e, q in july.items() if e not in answered["Q2"]} == {"Q2"}
    asked = dt.date(2022, 10, 7) - dt.timedelta(days=7)  # Q3's due day, less the default remind_before_days
    before, _ = quarter_chosen(asked - dt.timedelta(days=1))
    assert "Q3" not in before.values()
    september, answered = quarter_chosen(asked)
    owing = {q for e, q in september.items() if e in answered["Q2"] and e not in answered.get("Q3", set())}
    assert owing == {"Q3"}


def test_after_the_cohort_a_circle_member_reads_that_the_circle_met():
    """On October 15, two weeks after the circles cohort ended, a page still said "Your circle
    meets on the 2nd and 4th Tuesday" with where to join."""
    for day, running in ((dt.date(2022, 9, 30), True), (dt.date(2022, 10, 15), False)):
        g = gather(BuildOptions(program=EXAMPLES["circles"], today=day, run_mkdocs=False))
        gone = set(g.responses.records.withdrawal_of())
        member = next(r.person_id for r in g.matching.rows if r.group_id and r.person_id not in gone)
        text = opened(g, links(g)[member])
        assert ("Your circle meets on the 2nd and 4th Tuesday of the month" in text) == running, day
        assert ("Your circle met on the 2nd and 4th Tuesday of the month, 12:00-1:00 PM, New York time (EST/EDT), "
                "until the program ended on September 30, 2022." in text) == (not running), day


def test_a_mentor_with_two_mentees_reads_the_round_once_with_both_pairs():
    """Amanda Sanchez mentors two mentees in Q3: her page showed "Q3: mentor and mentee round" twice,
    each with "Your partner". One heading per round now, each pair's mentee named as such, and
    the cadence said once."""
    g = gather(BuildOptions(program=EXAMPLES["pairs"], today=dt.date(2025, 8, 10), run_mkdocs=False))
    email = "amanda.sanchez15@tuftsmedicine.example.org"
    pairs = sorted(r.group_id for r in g.matching.rows if r.person_id == email and r.round == "Q3")
    assert len(pairs) == 2
    text = opened(g, links(g)[email])
    assert text.count("Q3: mentor and mentee round</h2>") == 1 and text.count("Q1: mentor and mentee round</h2>") == 1
    q3 = text[text.index("Q3: mentor and mentee round"):text.index("Q4: peer round")]
    for pair in pairs:
        assert f"Your role: mentor (pair {pair})." in q3 and f"Your mentee, pair {pair}" in q3
    assert q3.count("You and each mentee choose when you meet: at least 3 meetings a quarter.") == 1
    assert "Your partner" not in q3
    ids = re.findall(r'<h2 id="([^"]+)"', text)
    assert len(ids) == len(set(ids))
    # A peer round's partner is still "Your partner".
    q2 = text[text.index("Q2: peer round"):text.index("Q3: mentor and mentee round")]
    assert "<caption>Your partner</caption>" in q2 or "Your partner" in q2


def personal_views_of(g, day: dt.date):
    """The views the build made the pages from on `day`, as the build makes them."""
    from generator.progress.personal import answered_days

    report = progress(g.loaded.program, g.responses, g.screenings, g.matching, day)
    return personal_views(g.loaded.program, g.responses.records, g.matching, report, g.schedule, day,
                          [s.email for s in g.screenings if s.admitted], answered_days(g.responses, g.schedule))


def test_how_often_a_pair_meets_is_the_programs_own(tmp_path):
    """"Meet at least 3 times this round" was written into the page and the calendar for every
    pairs program; they say the program's own cadence (dates.meeting_cadence), as the schedule does."""
    import shutil

    folder = tmp_path / "pairs"
    shutil.copytree(EXAMPLES["pairs"].parent, folder)
    config = folder / "program.yml"
    config.write_text(config.read_text().replace("meeting_cadence: at least 3 meetings a quarter",
                                                 "meeting_cadence: at least 4 meetings a quarter, about 45 minutes each"))
    g = gather(BuildOptions(program=config, today=dt.date(2025, 2, 1), run_mkdocs=False, work=tmp_path / "build"))
    text = opened(g, links(g)[next(r.person_id for r in g.matching.rows if r.round == "Q1" and r.status == "announced")])
    cadence = "You and your partner choose when you meet: at least 4 meetings a quarter, about 45 minutes each."
    # (The first announced is Allison Hughes, who mentors two: "You and each mentee choose ...".)
    assert cadence.split("choose", 1)[1] in text and "3 times" not in text
    assert all(e.description.endswith(cadence) for e in g.schedule.program if e.kind == "round")


def test_a_facilitator_follows_each_members_modules_and_a_member_does_not_see_the_others(during):
    """Facilitators audit each member's e-learning to find the circle's knowledge gaps: their page
    lists each member's modules and meetings, and the modules fewer than 60% have completed, the
    same figures as the staff progress report. A member's page shows only their own."""
    g = during["circles"]
    circle = g.matching.circles.circles[0]
    facilitator = circle.facilitators[0]
    text = opened(g, links(g)[facilitator])
    assert "Your circle&#39;s progress" in text or "Your circle's progress" in text
    report = {r["email"]: r for r in csv.DictReader(io.StringIO(g.staff["progress.csv"]))}
    members = [m for m in circle.members if m not in circle.facilitators]
    # Everyone in the circle, co-facilitators too: the gaps count them all ("3 of 7 completed").
    for m in circle.members:
        row = report[m]
        role = "facilitator" if m in circle.facilitators else "member"
        assert re.search(rf"<td>{re.escape(row['name'])}</td><td>{role}</td><td>{row['modules_done']} of "
                         rf"{row['modules_total']}</td><td>{row['meetings']}</td>", text), row["name"]
    staff_gaps = g.staff["progress.html"].split(f"<td>{circle.id}</td>", 1)[1].split("</tr>", 1)[0]
    gaps = re.findall(r"[A-Z][^;<]+: \d+ of \d+ completed", staff_gaps)
    assert gaps and all(gap in text for gap in gaps), gaps
    assert all(gap.endswith(f"of {len(circle.members)} completed") for gap in gaps)
    member = opened(g, links(g)[members[0]])
    assert "progress</h2>" in member and "Your circle&#39;s progress" not in member and "Your circle's progress" not in member


def test_after_the_program_a_page_keeps_the_record_and_drops_what_is_over():
    """In January after the pairs year, a page still offered "If you must stop" and, once the
    forms had closed, links to surveys and the meeting log that take no answers. While the forms'
    grace days run the links stay (late answers count); after them, only the record is left."""
    for day, forms_open in ((dt.date(2026, 1, 15), True), (dt.date(2026, 2, 20), False)):
        g = gather(BuildOptions(program=EXAMPLES["pairs"], today=day, run_mkdocs=False))
        rows = list(csv.DictReader(io.StringIO(g.staff["progress.csv"])))
        email = next(r["email"] for r in rows if r["status"] == "active")
        text = opened(g, links(g)[email])
        assert "If you must stop" not in text, day
        assert ('<h2 id="links">' in text) == forms_open and ("Log a meeting" in text) == forms_open, day
        assert "To complete the program:" in text and "Meetings logged:" in text, day
        # Someone still missing a rule may still meet it while the forms take answers: "So far",
        # with the last day; after that it is decided, for them and in the staff report.
        behind = next(r for r in rows if r["status"] == "active" and r["complete"] == "False")
        text = opened(g, links(g)[behind["email"]])
        if forms_open:
            assert behind["standing"] == f"Not yet: {behind['missing']}"
            assert f"So far: {html.escape(behind['missing'])}. The forms take late answers until January 18, 2026." in text
            assert "more can still complete it: forms take answers until January 18, 2026." in g.staff["progress.html"]
        else:
            assert behind["standing"] == f"No: {behind['missing']}"
            assert f"Not completed: {html.escape(behind['missing'])}." in text and "late answers" not in text
            assert "more can still complete it" not in g.staff["progress.html"]


def test_a_participant_whose_check_in_reports_meetings_the_log_lacks_is_told_to_log_them():
    """In October, Ashley Yoder's Q3 check-in says she met 3 times and the meeting log has one of
    them: her page says what is missing, what the check-in reported, and links the meeting log
    to add them; someone with no such gap reads no such sentence."""
    day = dt.date(2025, 10, 20)
    g = gather(BuildOptions(program=EXAMPLES["pairs"], today=day, run_mkdocs=False))
    mine = links(g)
    ashley = next(e for e in mine if e.startswith("ashley.yoder"))
    text = opened(g, mine[ashley])
    assert "(meetings logged: 1 of 2 in Q3; the check-in reports 3 in Q3)" in text
    told = re.search(r"Your check-ins report meetings that are not in the meeting log, and completion counts the log: "
                     r'<a href="([^"]+)">log each one</a> with its date, even late\.', text)
    assert told and "meeting_log.html?email=" in told.group(1)
    standing = {r["email"]: r for r in csv.DictReader(io.StringIO(g.staff["progress.csv"]))}
    calm = next(e for e, r in standing.items() if r["in_progress"] == "True" and "check-in" not in r["missing"])
    assert "not in the meeting log" not in opened(g, mine[calm])


@pytest.mark.parametrize("name", ["CRP_PAGE_SECRET", "CRP_FORM_SECRET"])
def test_a_secret_short_enough_to_guess_stops_the_build_and_is_never_shown(tmp_path, capsys, name):
    """Every sealed page is public and its key derives from the secret: "s3cret" can be found by
    trying candidates against any one page, offline, and then opens every page."""
    from generator.cli import main

    code = main(["--program", str(EXAMPLES["pairs"]), "--out", str(tmp_path / "site"), "--staff-out",
                 str(tmp_path / "staff")], env={name: "s3cret-2025"})
    said = capsys.readouterr()
    assert code == 2 and f"{name} is too short to keep personal pages and survey links private: use at least 32 " \
        "random characters, such as the output of python -c" in said.err
    assert "s3cret" not in said.err + said.out and not (tmp_path / "site").exists()
