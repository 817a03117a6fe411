"""The outbox across the program year: which messages are due, to whom, and what they say."""
from __future__ import annotations

import csv
import datetime as dt
import email
import io
import re
from email import policy
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest

from generator.messages.due import Due, KINDS
from generator.messages.ledger import Ledger, read_ledger
from generator.messages.outbox import plan
from generator.sources.table import Table
from generator.sources.workbook import append_row
from generator.messages.ledger import COLUMNS
from generator.validate.tokens import verify
from tests.helpers import tab_rows, write_tab
from tests.messages.conftest import gathered_on, program_copy

#: Dates across each program year, and the kinds each must have due (tests pick the dates).
YEAR = {
    "circles": [
        (dt.date(2021, 10, 20), {"application-received"}),
        (dt.date(2021, 11, 20), {"application-received", "eligibility", "supervisor-request"}),
        (dt.date(2021, 12, 16), {"announcement", "eligibility"}),
        (dt.date(2022, 3, 15), {"announcement", "meeting-reminder", "modules-behind"}),
        (dt.date(2022, 5, 12), {"evaluation-reminder", "modules-behind"}),
    ],
    "pairs": [
        (dt.date(2024, 10, 10), {"application-received"}),
        (dt.date(2024, 11, 1), {"application-received", "eligibility", "supervisor-request"}),
        (dt.date(2024, 12, 13), {"announcement", "unmatched", "supervisor-request"}),
        (dt.date(2025, 3, 24), {"announcement", "meeting-reminder"}),
        (dt.date(2025, 3, 30), {"checkin-reminder"}),
        (dt.date(2025, 6, 25), {"evaluation-reminder"}),
        (dt.date(2025, 7, 10), {"meetings-unlogged"}),
    ],
}


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def body(msg, kind: str) -> str:
    """A part's text with the wire's CRLF line ends read as newlines."""
    return msg.get_body((kind,)).get_content().replace("\r\n", "\n")


def outbox(g) -> dict[str, bytes]:
    return {name: content for name, content in g.staff.items() if name.startswith("outbox/") and name.endswith(".eml")}


@pytest.mark.parametrize("name", ["circles", "pairs"])
def test_every_kind_is_due_at_its_time_and_each_eml_parses_back(name, tmp_path):
    program = program_copy(name, tmp_path)
    seen: set[str] = set()
    for day, expected in YEAR[name]:
        g = gathered_on(program, day)
        kinds = {o.due.kind for o in g.outbox.outgoing}
        assert expected <= kinds, (day, kinds)
        files = outbox(g)
        assert len(files) == len(g.outbox.outgoing)
        for (fname, raw), out in zip(sorted(files.items()), g.outbox.outgoing):
            msg = parsed(raw)
            assert msg["To"].addresses[0].addr_spec == out.due.email
            assert msg["From"].addresses[0].addr_spec == g.loaded.program.contact.email
            assert msg["Subject"] and msg["Message-ID"] and msg["Date"]
            text, html = body(msg, "plain"), body(msg, "html")
            assert f"Dear {out.due.name}," in text and "Dear" in html and "<html lang=\"en\">" in html
            assert g.loaded.program.contact.email in text
        seen |= kinds
    must = set(KINDS) - ({"modules-behind", "checkin-reminder"} if name == "pairs"
                         else {"checkin-reminder", "unmatched", "meetings-unlogged"})
    assert must <= seen


def test_the_announcement_names_the_circle_its_people_dates_and_carries_the_calendar(tmp_path):
    g = gathered_on(program_copy("circles", tmp_path), dt.date(2021, 12, 16))
    out = next(o for o in g.outbox.outgoing if o.due.kind == "announcement")
    raw = outbox(g)[next(n for n in outbox(g) if "announcement" in n and out.due.email.replace(".", "-").split("@")[0] in n)]
    msg = parsed(raw)
    circle = dict(out.due.facts)["group"]
    assert circle in msg["Subject"]
    text = body(msg, "plain")
    rows = [r for r in g.matching.rows if r.group_id == circle and r.person_id != out.due.email]
    assert all(r.name in text for r in rows)  # everyone else in the circle, by name
    assert "2nd and 4th Tuesday" in text and "Kickoff: Monday, January 10, 2022" in text
    # The personal page link is absolute (the program's site_url) and it is this person's.
    link = next(l.link for l in g.links if l.email == out.due.email)
    assert link.startswith("https://crp-mentoring.example.org/circles/me/") and link in text
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename() == "calendar.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    titles = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert f"Circle {circle} meeting" in titles and "Kickoff" in titles
    assert g.staff[f"calendars/people/{out.due.email}.ics"] == attachment.get_payload(decode=True)


def test_the_supervisor_gets_a_link_signed_for_them_not_for_the_participant(tmp_path):
    g = gathered_on(program_copy("pairs", tmp_path), dt.date(2024, 11, 1))
    requests = [o for o in g.outbox.outgoing if o.due.kind == "supervisor-request"]
    apps = g.responses.records.application_of()
    confirmed = {s.email for s in g.responses.records.support if s.confirmed}
    admitted = {s.email for s in g.screenings if s.admitted}
    assert {o.due.about for o in requests} == admitted - confirmed
    secret = g.loaded.program.personal_pages.demo_secret
    for o in requests:
        assert o.due.email == apps[o.due.about].supervisor_email
        url = urlsplit(o.due.context["link"])
        assert url.geturl().startswith("https://crp-mentoring.example.org/pairs/supervisors/supervisor_support.html?")
        query = parse_qs(url.query)
        assert query["email"] == [o.due.about]
        assert verify(secret, g.loaded.program.slug, o.due.about, query["token"][0], "supervisor")
        assert not verify(secret, g.loaded.program.slug, o.due.about, query["token"][0])
    # The supervisors' form is a page of the site, with the participant's email filled in from the link.
    assert any(p.path == "supervisors/supervisor_support.md" for p in g.pages)



def test_a_supervisor_is_told_by_when_while_the_pairs_wait_for_them(tmp_path):
    """Before the announcement the request says by when; after it there is no date to meet, and
    a changed sentence sends nothing again (only the facts are compared)."""
    from generator.messages.compose import Composer

    folder = program_copy("pairs", tmp_path)
    for day, says in ((dt.date(2024, 11, 1), True), (dt.date(2024, 12, 13), False)):
        g = gathered_on(folder, day)
        out = next(o for o in g.outbox.outgoing if o.due.kind == "supervisor-request")
        _, text, html = Composer(g.loaded.program, g.loaded.templates_path).parts(out, day)
        date = "please confirm it before matches are announced on December 13, 2024."
        assert (date in " ".join(text.split())) is says and (date in html) is says
        assert "What taking part asks of them: At least 12 hours of conversation" in " ".join(text.split())


def test_reminders_go_only_to_those_who_have_not_done_it(tmp_path):
    g = gathered_on(program_copy("pairs", tmp_path), dt.date(2025, 3, 30))
    reminded = {o.due.email for o in g.outbox.outgoing if o.due.kind == "checkin-reminder"}
    answered = {c.email for c in g.responses.records.checkins if c.quarter == "Q1"}
    withdrawn = {w.email for w in g.responses.records.withdrawals if w.date <= dt.date(2025, 3, 30)}
    in_q1 = {r.person_id for r in g.matching.rows if r.round == "Q1" and r.status == "announced"}
    # And those whose Q1 pair was never announced: Q2's plan needs their answer to match them.
    q2 = next(plan for plan in g.matching.rounds if plan.quarter.name == "Q2")
    assert reminded and not reminded & answered
    assert reminded == (in_q1 | set(q2.to_do)) - answered - withdrawn
    assert {o.due.email for o in g.outbox.outgoing if o.due.kind == "checkin-reminder"
            and not o.due.context["placed"]} == set(q2.to_do) - in_q1 - answered - withdrawn != set()
    # The link opens the check-in on the quarter it reminds of.
    assert all("token=" in o.due.context["link"] and o.due.context["link"].endswith("&quarter=Q1")
               for o in g.outbox.outgoing if o.due.kind == "checkin-reminder")
    # It read 'The q1 check-in due is due on April 4, 2025' (the event's title, lowercased).
    for name, raw in outbox(g).items():
        if "-checkin-reminder-" in name:
            msg = parsed(raw)
            for part in (body(msg, "plain").replace("\n", " "), body(msg, "html")):
                assert "Your Q1 check-in is due on" in part and "check-in due is due" not in part


def test_someone_sitting_a_round_out_is_asked_for_its_check_in_to_be_matched_in_the_next(tmp_path):
    """Crystal Landry said in the Q1 check-in she did not want to continue, and sits Q2 out. Her
    page says to answer the Q2 check-in to be matched in Q3; at the end of June she is reminded of
    it too (no reminder went: it was only for those announced in Q2), told to leave the question
    about a match blank, and the form lets her. Nobody is asked for Q4's to be matched in a
    round after it."""
    program = program_copy("pairs", tmp_path)
    g = gathered_on(program, dt.date(2025, 6, 30))
    crystal = "crystal.landry5@tuftsmedicine.example.org"
    assert any(r.person_id == crystal and r.round == "Q2" and r.status == "sitting out" for r in g.matching.rows)
    (due,) = [o.due for o in g.outbox.outgoing if o.due.kind == "checkin-reminder" and o.due.email == crystal]
    assert (due.round, due.context["placed"], due.context["next"]) == ("Q2", False, "Q3")
    eml = next(raw for name, raw in outbox(g).items() if "-checkin-reminder-crystal-landry5-" in name)
    for part in (" ".join(body(parsed(eml), "plain").split()), re.sub("<[^>]+>", "", body(parsed(eml), "html"))):
        assert "Your Q2 check-in is due on July 4, 2025" in part
        assert "asks whether you want to be matched in Q3" in part
        assert "even if you did not meet a partner in Q2: leave the question about your match blank" in part
    satisfaction = next(f for f in g.loaded.forms["checkin"].fields if f.id == "satisfaction")
    assert not satisfaction.required and "no match" in satisfaction.help
    # She answers, leaving it blank: she is in Q3's plan, and the check-in counts (no data issue).
    tab = program.parent / "data" / "Check-ins.csv"
    write_tab(tab, tab_rows(tab) + [{"submitted_at": "7/1/2025 09:00:00", "email": crystal, "quarter": "Q2",
                                     "meetings_held": "0", "satisfaction": "", "wants_to_continue": "Yes",
                                     "comments": "", "token": ""}])
    after = gathered_on(program, dt.date(2025, 7, 2))
    assert not [i for i in after.responses.issues if i.tab == "Check-ins" and crystal in i.value]
    assert any(c.email == crystal and c.quarter == "Q2" and c.satisfaction is None for c in after.responses.records.checkins)
    q3 = next(plan for plan in after.matching.rounds if plan.quarter.name == "Q3")
    assert crystal not in dict(q3.sitting_out) and crystal not in q3.to_do


def test_a_circle_member_is_reminded_of_the_quarterly_check_in_as_the_schedule_dates_it(tmp_path):
    """Circles answer a quarterly check-in too, but it had no date in the schedule: no reminder went,
    the personal page gave no due date, and the evaluation page dated it on its own. The Q1 check-in
    is due a week after the cohort's first quarter (April 7, 2022); in the week before, everyone in
    a circle who has not answered Q1 is reminded, and the page names the same day."""
    g = gathered_on(program_copy("circles", tmp_path), dt.date(2022, 4, 2))
    due = {e.key: e.start for e in g.schedule.program if e.kind == "checkin"}
    assert due == {"checkin-Q1": dt.date(2022, 4, 7), "checkin-Q2": dt.date(2022, 7, 7), "checkin-Q3": dt.date(2022, 10, 7)}
    reminded = {o.due.email for o in g.outbox.outgoing if o.due.kind == "checkin-reminder"}
    answered = {c.email for c in g.responses.records.checkins if c.quarter == "Q1"}
    withdrawn = {w.email for w in g.responses.records.withdrawals if w.date <= dt.date(2022, 4, 2)}
    in_circles = {r.person_id for r in g.matching.rows if r.group_id and r.status in ("announced", "locked")}
    assert reminded and reminded == in_circles - answered - withdrawn
    assert {o.due.title for o in g.outbox.outgoing if o.due.kind == "checkin-reminder"} == {"Check-in reminder, Q1"}


def test_a_message_sent_once_is_not_due_again_and_a_changed_one_says_what_changed(tmp_path):
    program = program_copy("circles", tmp_path)
    day = dt.date(2021, 12, 16)
    first = gathered_on(program, day)
    announcements = [o for o in first.outbox.outgoing if o.due.kind == "announcement"]
    same, moved = announcements[0].due, announcements[1].due
    ledger = program.parent / "data" / "Sent.csv"
    for d, facts in ((same, same.facts), (moved, (("group", "C09"),) + moved.facts[1:])):
        digest = Due(d.kind, d.email, d.name, d.about, d.round, facts).digest
        append_row(ledger, COLUMNS, ["2021-12-16 14:00:00 UTC", "sent", d.kind, d.email, d.about, d.round, d.key, digest,
                                     "<x@example.edu>", __import__("json").dumps(dict(facts)), ""])
    again = gathered_on(program, day)
    keys = {o.due.key: o for o in again.outbox.outgoing}
    assert same.key not in keys and again.outbox.already == 1
    update = keys[moved.key]
    assert update.changes == (f"group: C09 -> {dict(moved.facts)['group']}",)
    name = next(n for n in outbox(again) if moved.email.split("@")[0].replace(".", "-") in n and "announcement" in n)
    msg = parsed(outbox(again)[name])
    assert msg["Subject"].startswith("Update: ")
    assert f"What changed:\n  - group: C09 -> {dict(moved.facts)['group']}" in body(msg, "plain")


def test_a_mentor_with_two_mentees_gets_one_announcement_per_pair_and_neither_goes_again(tmp_path):
    """Allison Hughes mentors two mentees in Q1. Both announcements had one key, so once both were
    sent each looked like the other had changed: every send re-sent one as an "Update" (with:
    Michelle Gibson -> Rebecca Black). Each pair is now its own message; sent once, neither is due again."""
    import json

    program = program_copy("pairs", tmp_path)
    day = dt.date(2024, 12, 20)
    first = gathered_on(program, day)
    mine = [o.due for o in first.outbox.outgoing if o.due.kind == "announcement"
            and o.due.email == "allison.hughes36@tuftsmedicine.example.org"]
    assert sorted(dict(d.facts)["group"] for d in mine) == ["Q1-001", "Q1-002"]
    assert len({d.key for d in mine}) == 2 and all("Michelle Gibson" in dict(d.facts)["with"]
                                                   or "Rebecca Black" in dict(d.facts)["with"] for d in mine)
    # Staff and she can tell the two apart: the report's title names the pair, the subject the mentee.
    assert sorted(d.title for d in mine) == ["Match announced, Q1, pair Q1-001", "Match announced, Q1, pair Q1-002"]
    subjects = sorted(parsed(raw)["Subject"] for name, raw in outbox(first).items()
                      if "announcement-allison-hughes36" in name)
    assert subjects == ["Clinical Research Staff Peer Mentoring, Q1: your mentoring match with Michelle Gibson",
                        "Clinical Research Staff Peer Mentoring, Q1: your mentoring match with Rebecca Black"]
    ledger = program.parent / "data" / "Sent.csv"
    for d in mine:
        append_row(ledger, COLUMNS, ["2024-12-20 14:00:00 UTC", "sent", d.kind, d.email, d.about, d.round, d.key, d.digest,
                                     "<x@example.edu>", json.dumps(dict(d.facts)), ""])
    for _ in range(2):  # a second send, then a third: nothing for her either time
        again = gathered_on(program, day)
        assert not [o for o in again.outbox.outgoing if o.due.email == mine[0].email and o.due.kind == "announcement"]
        assert again.outbox.already == 2


def test_a_mentee_added_to_a_mentors_round_is_one_new_message_not_an_update(tmp_path):
    """Allison Hughes was told of her first mentee (Q1-001); her second pair (Q1-002) came later.
    She gets the second as a new message; the first is not sent again, and nothing tells her that
    her mentee changed."""
    import json

    program = program_copy("pairs", tmp_path)
    day = dt.date(2024, 12, 20)
    mine = sorted((o.due for o in gathered_on(program, day).outbox.outgoing if o.due.kind == "announcement"
                   and o.due.email == "allison.hughes36@tuftsmedicine.example.org"), key=lambda d: dict(d.facts)["group"])
    told = mine[0]
    assert dict(told.facts)["group"] == "Q1-001" and told.key.endswith("/Q1")  # the round's first pair keeps the key
    append_row(program.parent / "data" / "Sent.csv", COLUMNS,
               ["2024-12-13 16:00:00 UTC", "sent", told.kind, told.email, told.about, told.round, told.key, told.digest,
                "<x@example.edu>", json.dumps(dict(told.facts)), ""])
    again = [o for o in gathered_on(program, day).outbox.outgoing
             if o.due.kind == "announcement" and o.due.email == told.email]
    assert [(dict(o.due.facts)["group"], o.changes) for o in again] == [("Q1-002", ())]


def test_a_hand_mangled_ledger_row_is_a_located_issue_and_counts_as_not_sent():
    table = Table(COLUMNS, (("2021-12-16", "snet", "announcement", "a@x.edu", "a@x.edu", "circles", "k", "d", "", "{}", ""),
                            ("2021-12-16", "sent", "announcement", "a@x.edu", "a@x.edu", "circles", "k2", "d", "", "{bad", "")))
    ledger, issues = read_ledger(table, "Sent")
    assert [(i.tab, i.row, i.column, i.value) for i in issues] == [("Sent", 2, "status", "snet"), ("Sent", 3, "facts", "{bad")]
    assert [e.key for e in ledger.entries] == ["k2"]


def test_no_valid_address_is_held_with_what_to_do():
    d = Due("eligibility", "not-an-address", "Kim", "not-an-address", "", (("outcome", "admitted"),))
    result = plan([d], Ledger(()))
    assert not result.outgoing and "no valid email address (not-an-address)" in result.held[0].why


def test_people_text_is_escaped_in_html_and_the_mail_merge_is_formula_safe(tmp_path):
    program = program_copy("circles", tmp_path)
    path = program.parent / "data" / "Applications.csv"
    rows = tab_rows(path)
    rows[0]["full_name"] = "=HYPERLINK(\"http://x\")<script>alert(1)</script>"
    write_tab(path, rows)
    g = gathered_on(program, dt.date(2021, 11, 20))
    (name,) = [n for n in outbox(g) if rows[0]["email"].split("@")[0].replace(".", "-") in n and "eligibility" in n]
    msg = parsed(outbox(g)[name])
    html = body(msg, "html")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    merged = list(csv.DictReader(io.StringIO(g.staff["outbox/mail-merge.csv"])))
    (row,) = [r for r in merged if r["email"] == rows[0]["email"] and r["kind"] == "eligibility"]
    assert row["name"].startswith("'=HYPERLINK")
    assert all(not r[c].startswith(("=", "+", "-", "@")) for r in merged for c in r)


def test_the_outbox_is_the_same_bytes_on_a_rebuild(tmp_path):
    program = program_copy("pairs", tmp_path)
    a, b = gathered_on(program, dt.date(2024, 12, 13)), gathered_on(program, dt.date(2024, 12, 13))
    assert outbox(a) == outbox(b) and a.staff["outbox/mail-merge.csv"] == b.staff["outbox/mail-merge.csv"]


def test_staff_can_replace_a_template(tmp_path):
    program = program_copy("circles", tmp_path, "  templates: my-messages\n")
    folder = program.parent / "my-messages"
    folder.mkdir()
    (folder / "application-received.txt.j2").write_text("Subject: Got it, {{ to_name }}\n\nThanks, {{ to_name }}.\n")
    g = gathered_on(program, dt.date(2021, 10, 20))
    msg = parsed(next(iter(outbox(g).values())))
    assert msg["Subject"].startswith("Got it, ") and body(msg, "plain").startswith("Thanks, ")
    assert "Thank you for applying" in body(msg, "html")  # the bundled HTML part stays


def test_a_welcome_sent_after_the_program_started_does_not_promise_a_past_announcement(tmp_path):
    """Eligibility outcomes stay due until the program ends (a waiting-list place can open after a
    withdrawal): a welcome composed in March said 'matches are announced on December 15, 2021,
    and we will write to you then'. It now says what is true on its day, in both parts; and once a
    person's circle has been announced to them, a welcome never sent is not due any more."""
    program = program_copy("circles", tmp_path)
    # Staff took Ana's rows out of the Matches tab: admitted, but in no announced circle in March.
    matches = program.parent / "data" / "Matches.csv"
    rows = tab_rows(matches)
    late = rows[0]["email"]
    write_tab(matches, [r for r in rows if r["email"] != late])
    name = next(a["full_name"] for a in tab_rows(program.parent / "data" / "Applications.csv") if a["email"] == late)

    def welcomes(day: dt.date) -> list[tuple[str, str]]:
        found = [parsed(raw) for name, raw in outbox(gathered_on(program, day)).items() if "-eligibility-" in name]
        return [(body(m, "plain"), body(m, "html")) for m in found if m["Subject"].startswith("Welcome to")]

    before, during = welcomes(dt.date(2021, 11, 20)), welcomes(dt.date(2022, 3, 15))
    assert len(before) > 40  # before the announcement: every admitted applicant
    assert len(during) == 1 and f"Dear {name}," in during[0][0]  # in March: only the one not placed and told
    for plain, html in before:
        assert "matches are announced on December 15, 2021" in plain.replace("\n", " ")
        assert "matches are announced on December 15, 2021" in html
    for plain, html in during:
        for part in (plain.replace("\n", " "), html):
            assert "The program started on January 10, 2022" in part and "as soon as you are placed" in part
            assert "announced on" not in part and "starts on" not in part


def test_a_pairs_announcement_says_the_role_in_words(tmp_path):
    """'you are matched as mentee' and, in a peer round, 'as peer with a peer' were seen: a mentee
    reads 'as a mentee', a peer 'with a peer from another department', in both parts."""
    program = program_copy("pairs", tmp_path)
    # Staff announce the Q2 peer pairs the build proposed, so Q2 has announcements too.
    proposed = [r for r in gathered_on(program, dt.date(2025, 4, 1)).matching.rows if r.round == "Q2" and r.group_id]
    assert proposed
    with (program.parent / "data" / "Matches.csv").open("a", encoding="utf-8", newline="") as tab:
        csv.writer(tab).writerows(["4/1/2025 9:00:00", r.round, r.group_id, r.person_id, r.role, "announced", ""]
                                  for r in proposed)
    said = set()
    for day in (dt.date(2024, 12, 13), dt.date(2025, 4, 8)):
        for name, raw in outbox(gathered_on(program, day)).items():
            if "-announcement-" in name:
                msg = parsed(raw)
                plain, html = body(msg, "plain").replace("\n", " "), body(msg, "html")
                for part, ways in ((plain, ("as a mentor", "as a mentee", "with a peer from another department")),
                                   (html, ("as a <strong>mentor</strong>", "as a <strong>mentee</strong>",
                                           "with a peer from another department"))):
                    found = [w for w in ways if "you are matched " + w in part]
                    assert len(found) == 1, part[:300]
                    said.update(found)
                assert "as mentee" not in plain and "as peer" not in plain
    assert {"as a mentor", "as a mentee", "with a peer from another department"} <= said


def test_a_facilitator_reads_how_many_modules_each_member_behind_has_completed(tmp_path):
    """'Alexander Weaver: 0 of 1' read as if the program had one module: each member behind is
    listed with the modules they completed, under how many the circle would have done by now."""
    g = gathered_on(program_copy("circles", tmp_path), dt.date(2022, 3, 15))
    messages = [parsed(raw) for name, raw in outbox(g).items() if "-modules-behind-" in name]
    assert messages
    for msg in messages:
        plain = body(msg, "plain")
        assert "By now, members would have completed about 1 of the 5 e-learning modules." in plain.replace("\n", " ")
        lines = [line.strip() for line in plain.splitlines() if line.startswith("  - ")]
        assert lines and all(line.endswith(" 0 completed") for line in lines), lines
        assert " of 1" not in plain and " of 1<" not in body(msg, "html")
        # The facilitator's own page, where every member's modules and the circle's gaps are.
        page = next(link.link for link in g.links if link.email == email.utils.parseaddr(msg["To"])[1])
        assert f"  {page}" in plain and f'href="{page}"' in body(msg, "html")


def test_a_meeting_reminder_links_to_the_log_with_the_persons_email(tmp_path):
    g = gathered_on(program_copy("circles", tmp_path), dt.date(2022, 3, 15))
    reminders = [o for o in g.outbox.outgoing if o.due.kind == "meeting-reminder"]
    assert reminders
    for o in reminders:
        url = urlsplit(o.due.context["log_link"])
        assert url.path.endswith("/participants/meeting_log.html") and parse_qs(url.query) == {"email": [o.due.email]}


def test_meetings_a_check_in_reports_but_the_log_lacks_are_asked_for_once_until_logged(tmp_path):
    """In July, Pamela Smith's Q2 check-in reports 2 meetings and the log has one from Q2: she is
    asked to log them, with her own link to the meeting log, once (sent, it is not due again);
    when she logs the missing meeting, dated in Q2, nothing more is due for Q2."""
    program = program_copy("pairs", tmp_path)
    day = dt.date(2025, 7, 10)
    g = gathered_on(program, day)
    asked = [o for o in g.outbox.outgoing if o.due.kind == "meetings-unlogged"]
    pamela = next(o for o in asked if o.due.email.startswith("pamela.smith"))
    assert pamela.due.round == "Q2" and pamela.due.title == "Meetings to log, Q2"
    msg = parsed(next(raw for name, raw in outbox(g).items() if "-meetings-unlogged-" in name and "pamela" in name))
    plain = " ".join(body(msg, "plain").split())
    assert msg["Subject"].endswith(": your Q2 meetings are not all logged")
    assert ("Your Q2 check-in reports 2 meetings, and the meeting log has 1 from Q2. A round counts toward completing "
            "the program with 2 meetings logged in it: the meeting log is what counts, not the check-in.") in plain
    url = urlsplit(pamela.due.context["log_link"])
    assert url.path.endswith("/participants/meeting_log.html") and parse_qs(url.query) == {"email": [pamela.due.email]}
    assert f'href="{pamela.due.context["log_link"]}"' in body(msg, "html").replace("&amp;", "&")
    # Every one asked is someone progress names: their row says which round and what the check-in reported.
    people = {p.email: p for p in progress_of(g, day)}
    assert all(people[o.due.email].unlogged and "the check-in reports" in people[o.due.email].missing for o in asked)

    d = pamela.due
    append_row(program.parent / "data" / "Sent.csv", COLUMNS,
               ["2025-07-10 14:00:00 UTC", "sent", d.kind, d.email, d.about, d.round, d.key, d.digest, "<x@example.edu>",
                __import__("json").dumps(dict(d.facts)), ""])
    again = gathered_on(program, day)
    assert d.key not in {o.due.key for o in again.outbox.outgoing} and again.outbox.already >= 1

    log = program.parent / "data" / "Meeting log.csv"
    rows = tab_rows(log)
    rows.append({**rows[-1], "submitted_at": "7/11/2025 9:00:00", "email": d.email, "meeting_date": "2025-05-20"})
    write_tab(log, rows)
    later = dt.date(2025, 7, 12)
    logged = gathered_on(program, later)
    assert not [o for o in logged.outbox.outgoing + logged.outbox.held
                if o.due.kind == "meetings-unlogged" and o.due.email == d.email]
    assert not {p.email: p for p in progress_of(logged, later)}[d.email].unlogged


def test_a_circle_member_whose_check_ins_report_the_meetings_the_log_lacks_is_asked_to_log_them(tmp_path):
    """Circles count meetings over the program (9 in the example). A member with 7 logged whose
    check-ins say 5 a quarter is asked, after the end while late answers count, to log them: the
    totals, the rule, and until when."""
    program = program_copy("circles", tmp_path)
    day = dt.date(2022, 10, 5)
    short = next(p for p in progress_of(gathered_on(program, day), day) if p.can_complete and p.meetings == 7)
    tab = program.parent / "data" / "Check-ins.csv"
    rows = [{**r, "meetings_held": "5"} if r["email"] == short.email else r for r in tab_rows(tab)]
    write_tab(tab, rows)
    reported = 5 * sum(r["email"] == short.email for r in rows)
    assert reported >= 9
    g = gathered_on(program, day)
    asked = [o for o in g.outbox.outgoing if o.due.kind == "meetings-unlogged"]
    assert [o.due.email for o in asked] == [short.email] and asked[0].due.title == "Meetings to log"
    msg = parsed(next(raw for name, raw in outbox(g).items() if "-meetings-unlogged-" in name))
    plain = " ".join(body(msg, "plain").split())
    assert f"Your check-ins report {reported} meetings, and the meeting log has 7. Completing the program takes 9 " \
           "meetings logged: the meeting log is what counts, not the check-ins." in plain
    assert "a meeting logged late still counts, until October 30, 2022" in plain


def progress_of(g, day: dt.date):
    from generator.progress.report import progress
    return progress(g.loaded.program, g.responses, g.screenings, g.matching, day).people


def test_the_staff_messages_page_names_each_message_in_words(tmp_path):
    """It listed "meeting-reminder ... 2022-03" and "announcement ... circles": the kind's key and
    the ledger's round. Staff read what the message is, and its month, round or survey."""
    from generator.pipeline import BuildOptions, build

    program = program_copy("circles", tmp_path)
    result = build(BuildOptions(program=program, today=dt.date(2022, 3, 15), run_mkdocs=False,
                                out=tmp_path / "site", staff_out=tmp_path / "staff", work=tmp_path / "build"))
    page = (result.staff_dir / "messages.html").read_text()
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>", page)
    titles = {title for title, _ in rows}
    assert {"Meeting reminder, March 2022", "Application outcome"} <= titles, titles
    assert any(re.fullmatch(r"Match announced, circle C0\d", t) for t in titles), titles
    assert not any(kind in titles for kind in KINDS)
    assert "<td>circles</td>" not in page and "<td>2022-03</td>" not in page
    assert [d.title for d in (Due("evaluation-reminder", "a@x.edu", "A", "a@x.edu", "midpoint", (),
                                  {"title": "Mid-program evaluation"}),
                              Due("checkin-reminder", "a@x.edu", "A", "a@x.edu", "Q2", ()))] == [
        "Evaluation reminder, Mid-program evaluation", "Check-in reminder, Q2"]


@pytest.mark.parametrize("name, day", [("circles", dt.date(2022, 3, 15)), ("pairs", dt.date(2025, 4, 2))])
def test_plain_text_prose_is_wrapped_evenly_whatever_is_put_in(name, day, tmp_path):
    """Templates wrap their sentences before the program's name or a date goes in: the plain part
    read "...cannot offer you a place, because the" (141 characters) over "application does not
    meet these criteria:". Prose now wraps at 76 (a link longer than that keeps its own line);
    lists and the signature keep their lines."""
    from generator.messages.compose import WIDTH

    g = gathered_on(program_copy(name, tmp_path), day)
    for file, raw in outbox(g).items():
        if not file.endswith(".eml"):
            continue
        plain = body(parsed(raw), "plain")
        for line in plain.splitlines():
            assert len(line) <= WIDTH or line.startswith(" ") or " " not in line.strip(), (file, line)
        if "-eligibility-" in file and "cannot offer you a place" in plain:
            assert "cannot offer you a place, because the application does not meet these criteria:" in " ".join(plain.split())
            assert "\n  - " in plain  # the criteria stay a list
        assert "With best wishes,\n" in plain  # the signature keeps its lines
    from generator.messages.compose import reflow

    signed = "With best wishes,\nMendy E. Dunn, Program coordinator\neMentoring for Clinical Research Professionals\n"
    assert reflow(signed) == signed  # a program named in lower case is not run into the line above


def test_composing_an_announcement_day_makes_no_class_per_header(tmp_path):
    """Python's header registry (EmailMessage's) made a new class for every header of every message,
    freed only by the cyclic collector, which a build pauses: 2.7 GB for a 20,000-person
    announcement day. Messages are made with the classic classes now, which leave none behind."""
    import gc

    from generator.messages.compose import Composer

    day = dt.date(2021, 12, 16)
    g = gathered_on(program_copy("circles", tmp_path), day)
    composer = Composer(g.loaded.program, g.loaded.templates_path)
    outgoing = [o for o in g.outbox.outgoing if o.due.kind == "announcement"][:40]
    assert len(outgoing) == 40 and all(o.due.attachments for o in outgoing)
    composer.email(outgoing[0], day).as_bytes()  # whatever a first message loads
    gc.collect()
    gc.disable()
    try:
        before = sum(isinstance(o, type) for o in gc.get_objects())
        for out in outgoing:
            composer.email(out, day).as_bytes()
        after = sum(isinstance(o, type) for o in gc.get_objects())
    finally:
        gc.enable()
    assert after == before


@pytest.mark.parametrize("typed", ['José Peña \u202eevil 🧪, "Jr." <attacker@evil.example>',
                                   'Eve, "Ops" <attacker@evil.example>', "Ana =?utf-8?q?x?= <attacker@evil.example>"])
def test_a_name_typed_as_an_address_never_becomes_a_recipient(tmp_path, typed):
    """People type their own name: one with a comma, quotes and <attacker@...> came out of the
    outbox's .eml with part of it unencoded (folded by EmailMessage), so a mail client read
    To: attacker@evil.example for a message carrying the person's private links. The whole name
    is one display name now, and the only recipient is the person."""
    from dataclasses import replace as changed

    from generator.messages.compose import Composer

    day = dt.date(2021, 12, 16)
    g = gathered_on(program_copy("circles", tmp_path), day)
    out = next(o for o in g.outbox.outgoing if o.due.kind == "announcement")
    hostile = changed(out, due=changed(out.due, name=typed))
    raw = Composer(g.loaded.program, g.loaded.templates_path).email(hostile, day).as_bytes()
    read = email.message_from_bytes(raw, policy=policy.default)
    (to,) = read["To"].addresses
    assert to.addr_spec == out.due.email and to.display_name == typed
    assert [addr for _, addr in email.utils.getaddresses(read.get_all("To"))] == [out.due.email]
