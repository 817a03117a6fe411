"""Completion and hours on hand-made cohorts: what each person did, per model's rules."""
from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings, strategies as st
from pypdf import PdfReader
import io
import unicodedata

import pytest

from generator.matching.stage import Matching, MatchRow
from generator.progress.report import progress
from generator.render.certificates import completion_records
from generator.render.staff import staff_outputs
from generator.screen.eligibility import Screening
from generator.validate.rows import Record
from generator.validate.workbook import Responses

AFTER_THE_YEAR = dt.date(2026, 1, 15)
QUARTERS = {"Q1": dt.date(2025, 1, 6), "Q2": dt.date(2025, 4, 7), "Q3": dt.date(2025, 7, 7), "Q4": dt.date(2025, 10, 6)}


def rec(form: str, day: dt.date, **values: Any) -> Record:
    return Record(form, 2, dt.datetime.combine(day, dt.time(9)), values)


def person(email: str, name: str) -> Record:
    return rec("application", dt.date(2024, 10, 1), email=email, full_name=name, department="Neurology",
               role_family="Clinical Research Coordinator", research_experience_years=3, preferred_role="Either",
               supervisor_name="Lee Chen", supervisor_email="lee.chen@example.org", consent_to_list=False)


def meetings(email: str, rounds: list[str], per_round: int) -> list[Record]:
    return [rec("meeting_log", QUARTERS[q] + dt.timedelta(days=10 * i), email=email,
                meeting_date=QUARTERS[q] + dt.timedelta(days=10 * i), minutes=60) for q in rounds for i in range(per_round)]


def cohort(ana: str = "Ana Rivera"):
    """Ana does everything (named `ana`); Ben opts out after Q1 having logged nothing; Cy is matched all year and
    logs nothing; Dee meets all year but withdraws in December, in the last round."""
    people = {"ana@example.org": ana, "ben@example.org": "Ben Okafor", "cy@example.org": "Cy Lam",
              "dee@example.org": "Dee Park"}
    rounds = {"ana@example.org": list(QUARTERS), "ben@example.org": ["Q1"], "cy@example.org": list(QUARTERS),
              "dee@example.org": list(QUARTERS)}
    rows = tuple(MatchRow(q, f"{q}-001", email, people[email], "peer", "announced", 1.0, "confirmed", "")
                 for email, qs in rounds.items() for q in qs)
    by_form = {
        "application": tuple(person(e, n) for e, n in people.items()),
        "meeting_log": tuple(meetings("ana@example.org", list(QUARTERS), 3) + meetings("dee@example.org", list(QUARTERS), 3)),
        "withdrawal": (rec("withdrawal", dt.date(2025, 12, 1), email="dee@example.org", withdrawal_date=dt.date(2025, 12, 1),
                           reason="Workload"),),
        "checkin": (rec("checkin", dt.date(2025, 3, 28), email="ben@example.org", quarter="Q1", satisfaction=3,
                        wants_to_continue=False, meetings_held=0),),
        "final": tuple(rec("final", dt.date(2025, 12, 20), email=e) for e in ("ana@example.org", "cy@example.org")),
    }
    screenings = tuple(Screening(e, True, (), admitted=True) for e in people)
    return Responses(by_form, ()), screenings, Matching("rotating-pairs", {}, None, (), rows, ())


def test_rotating_pairs_completion_follows_what_each_person_did(pairs):
    responses, screenings, matching = cohort()
    report = {p.name: p for p in progress(pairs.program, responses, screenings, matching, AFTER_THE_YEAR).people}
    assert report["Ana Rivera"].complete and report["Ana Rivera"].rounds == 4
    assert report["Ana Rivera"].hours == 12.0 and report["Ana Rivera"].meeting_hours == 12.0
    ben = report["Ben Okafor"]
    assert not ben.complete and ben.rounds == 0 and ben.hours == 0
    # Q1 was his only round, and he logged nothing in it: even a late log would leave one round
    # of three, so it is decided although the forms still take late answers (through January 18).
    assert ben.missing == ("took part in 0 of the 3 rounds needed (meetings logged: 0 of 2 in Q1), with no round "
                           "left; final evaluation not answered")
    assert ben.out_of_reach and ben.standing == "No: " + ben.missing
    cy = report["Cy Lam"]
    # Matched all year with nothing logged: late logs of the meetings held could still make it.
    assert not cy.complete and cy.meetings == 0 and not cy.out_of_reach
    assert cy.standing == ("Not yet: took part in 0 of the 3 rounds needed (meetings logged: 0 of 2 in Q1, 0 of 2 in Q2, "
                           "0 of 2 in Q3, 0 of 2 in Q4)")
    dee = report["Dee Park"]
    assert not dee.complete and dee.rounds == 3 and dee.missing.startswith("withdrew")


def test_completion_is_final_once_the_forms_stop_taking_answers(pairs):
    """The final evaluation is due on the year's last day and the forms take late answers for 30
    days more: on the last day nobody has completed yet (Ana answers the day after), through
    January 18 whoever is missing something reads "Not yet", and from January 19 "No"."""
    responses, screenings, matching = cohort()
    last_day = progress(pairs.program, responses, screenings, matching, dt.date(2025, 12, 19))
    assert not last_day.finished and last_day.completed == 0
    assert last_day.answers_close == dt.date(2026, 1, 18)
    for day, word in ((dt.date(2026, 1, 18), "Not yet"), (dt.date(2026, 1, 19), "No")):
        report = progress(pairs.program, responses, screenings, matching, day)
        assert report.finished and report.completed == 1
        standing = {p.name: p.standing for p in report.people}
        assert standing["Ana Rivera"] == "Yes"
        assert standing["Cy Lam"].startswith(f"{word}: took part in 0 of the 3 rounds needed (meetings logged: ")
        assert standing["Ben Okafor"].startswith("No: ")  # out of reach: decided before the forms close
        assert standing["Dee Park"].startswith("No: withdrew")  # leaving decides it at once
        assert report.taking_part == (2 if word == "Not yet" else 0)  # Ben and Cy
        assert report.can_still_complete == (1 if word == "Not yet" else 0)  # Cy


def test_before_the_year_ends_nobody_has_completed(pairs):
    """In November nobody has completed and nobody has failed: Ana meets every rule so far and reads
    "Not yet", not "No: the program has not ended" (her page said "Still to do: the program has
    not ended"); Ben, behind, reads what is missing so far; Dee withdrew later, in December."""
    responses, screenings, matching = cohort()
    report = progress(pairs.program, responses.as_of(dt.date(2025, 11, 1)), screenings, matching, dt.date(2025, 11, 1))
    assert not any(p.complete for p in report.people) and not report.finished
    people = {p.name: p for p in report.people}
    assert people["Ana Rivera"].rounds == 3  # Q4 is not over yet
    assert people["Ana Rivera"].standing == "Not yet: final evaluation not answered"
    # Ben opted out after Q1 (nothing logged in it) and only Q4 is left: three rounds are out of
    # his reach already, and his row says so instead of "Not yet".
    assert people["Ben Okafor"].standing == ("No: took part in 0 of the 3 rounds needed (meetings logged: 0 of 2 in Q1), "
                                             "with only 1 round left; final evaluation not answered")
    assert all(p.in_progress for p in report.people) and (report.taking_part, report.on_track) == (4, 0)
    assert report.cannot_complete == 1
    page = staff_outputs(pairs, responses.as_of(dt.date(2025, 11, 1)), screenings, matching, report, "origin",
                         "November 1, 2025")["progress.html"]
    assert "so far 0 of the 4 taking part meet every rule. 1 can no longer complete it" in page
    after = progress(pairs.program, responses, screenings, matching, AFTER_THE_YEAR)
    assert after.finished and after.completed == 1 and after.taking_part == 2  # Ben and Cy may still answer late
    assert {p.name: p.standing for p in after.people}["Ana Rivera"] == "Yes"


def test_certificates_state_hours_logged_beside_hours_expected(pairs):
    responses, screenings, matching = cohort()
    report = progress(pairs.program, responses, screenings, matching, AFTER_THE_YEAR)
    files, lacking = completion_records(pairs.program, report)
    assert lacking == []
    assert sorted(files) == ["certificates/ana-rivera.html", "certificates/ana-rivera.pdf", "training-records.csv"]
    html = files["certificates/ana-rivera.html"]
    assert isinstance(html, str)
    assert "12 hours of training logged in 12 meetings over 4 rounds." in html
    assert "The program expects about 13 hours." in html and pairs.program.signatory.name in html
    pdf = files["certificates/ana-rivera.pdf"]
    assert isinstance(pdf, bytes)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    text = page.extract_text()
    assert "Ana Rivera" in text and "Certificate of completion" in text
    assert "12 hours of training logged in 12 meetings over 4 rounds." in text, "the PDF says what the HTML says"
    fonts = {f.get_object()["/BaseFont"] for f in page["/Resources"]["/Font"].values()}
    assert fonts == {"/Times-Roman", "/Times-Bold"}, "only the fonts the certificate uses"
    record = files["training-records.csv"]
    assert isinstance(record, str)
    assert "Ana Rivera,ana@example.org" in record and ",12.0,12.0,12,0,0,13.0,certificates/ana-rivera.pdf" in record


def test_a_circle_member_with_every_module_but_too_few_meetings_logged_has_not_completed(built, circles):
    g = built["circles"].gathered
    report = progress(circles.program, g.responses.as_of(dt.date(2022, 10, 15)), g.screenings, g.matching, dt.date(2022, 10, 15))
    done = [p for p in report.people if p.complete]
    assert done and all(p.meetings >= 9 and p.modules_done == 5 and p.status == "active" for p in done)
    short = [p for p in report.people if p.modules_done == 5 and p.meetings < 9 and p.status == "active"]
    assert all(not p.complete and f"{p.meetings} of 9 meetings logged" in p.missing for p in short)


def test_certificate_files_are_named_by_person_short_and_unique():
    from generator.render.certificates import file_stem

    taken: set[str] = set()
    assert file_stem("José O'Neil", taken) == "jose-o-neil"
    assert file_stem("José O'Neil", taken) == "jose-o-neil-2"
    assert file_stem("x" * 5000, taken) == "x" * 60
    assert file_stem("<script>", taken) == "script" and file_stem("李雷", taken) == "participant"


def _drawn(pdf: bytes) -> tuple[list[tuple[str, float, float, float, str]], dict[str, str]]:
    """What a PDF shows: each line's text, position, size and font, and its title and author
    (read strictly, so a wrong cross-reference offset fails)."""
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    shown: list[tuple[str, float, float, float, str]] = []

    def seen(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            # ReportLab writes the bullet as code 127, which WinAnsiEncoding also shows as a bullet.
            shown.append((text.rstrip("\n").replace("\x7f", "\u2022"), round(tm[4], 3), round(tm[5], 3), size, font["/BaseFont"]))

    reader.pages[0].extract_text(visitor_text=seen)
    meta = reader.metadata or {}
    return shown, {key: meta.get(key) for key in ("/Title", "/Author")}


WINDOWS_1252 = "".join(c for c in map(chr, range(32, 0x2200)) if c.isprintable() and c.encode("cp1252", "ignore"))


@settings(max_examples=60, deadline=None)
@given(name=st.text(alphabet=WINDOWS_1252, min_size=1, max_size=40).filter(str.strip),
       organization=st.text(alphabet=WINDOWS_1252, max_size=30))
def test_a_certificate_written_directly_shows_what_reportlab_drew(name, organization):
    """The directly written PDF (`pdf_page`) puts the same words in the same fonts at the same
    places as ReportLab did, with parentheses, backslashes and accents in names, and the same
    title and author."""
    from generator.render.certificates import _reportlab_pdf, certificate_pdf

    context = {"name": name, "program": "Co-Mentoring Circles (CRP)", "organization": organization,
               "start": "October 1, 2021", "end": "September 30, 2022", "issued": "September 30, 2022",
               "hours": "24 hours of training logged \\ 18 meeting(s).", "expected": "The program expects about 30 hours.",
               "rounds": None, "signatory": "Dr. Zoë Ng", "signatory_title": "Director"}
    direct = certificate_pdf(context)
    assert not direct.startswith(b"%PDF-1.3\n%\x93\x8c\x8b\x9e ReportLab"), "the usual names need no ReportLab document"
    assert _drawn(direct) == _drawn(_reportlab_pdf(f"Certificate of completion - {name}", context))


def test_a_name_outside_the_standard_fonts_is_drawn_by_reportlab():
    from generator.render.certificates import certificate_pdf

    context = {"name": "Дмитрий Ли", "program": "P", "organization": "O", "start": "a", "end": "b", "issued": "c",
               "hours": "h", "expected": "e", "rounds": None, "signatory": "S", "signatory_title": "T"}
    pdf = certificate_pdf(context)
    assert b"ReportLab" in pdf and _drawn(pdf)[1]["/Title"] == "Certificate of completion - Дмитрий Ли"


def _name_line(pdf: bytes) -> list[tuple[str, str]]:
    """The certificate's third line (the name) as drawn: (text, font) pieces, and whether each
    font's file is embedded."""
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    lines: list[list[tuple[str, str]]] = [[]]

    def seen(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            descriptor = font.get("/DescendantFonts", [font])[0].get_object().get("/FontDescriptor", {})
            embedded = "/FontFile2" in descriptor
            lines[-1].append((text.rstrip("\n"), f"{font['/BaseFont']}{' (embedded)' if embedded else ''}"))
        if text.endswith("\n"):
            lines.append([])

    reader.pages[0].extract_text(visitor_text=seen)
    return lines[2]


@pytest.mark.parametrize("name, fonts", [
    ("Nguyễn Thị Hồng", {"/AAAAAA+DejaVuSerif-Bold (embedded)"}),  # Vietnamese
    ("Łukasz Wałęsa", {"/AAAAAA+DejaVuSerif-Bold (embedded)"}),  # Polish
    ("Şükrü Yılmaz", {"/AAAAAA+DejaVuSerif-Bold (embedded)"}),  # Turkish
    ("Ștefan Dvořák", {"/AAAAAA+DejaVuSerif-Bold (embedded)"}),  # Romanian, Czech
    ("Дмитрий Ли", {"/AAAAAA+DejaVuSerif-Bold (embedded)"}),  # Russian
    ("Γιώργος Παπαδόπουλος", {"/AAAAAA+DejaVuSerif-Bold (embedded)"}),  # Greek
    ("王秀英", {"/STSong-Light"}),  # Chinese
    ("山田はなこ", {"/HeiseiMin-W3"}),  # Japanese: its ideographs in the Japanese font too
    ("김민준", {"/HYSMyeongJo-Medium"}),  # Korean
    ("Ana 王 Rivera", {"/AAAAAA+DejaVuSerif-Bold (embedded)", "/STSong-Light"}),
    ("Nguye\u0302\u0303n", {"/AAAAAA+DejaVuSerif-Bold (embedded)"}),  # accents typed as separate marks
])
def test_a_name_outside_the_standard_fonts_is_printed_in_fonts_that_have_its_letters(name, fonts):
    """Not boxes: every letter of the name is drawn in a font that has it (a letter a font lacks
    extracts as code 0), the Latin, Greek and Cyrillic ones in the bundled serif, embedded."""
    from generator.render.certificates import certificate_pdf, unprintable

    context = {"name": name, "program": "P", "organization": "O", "start": "a", "end": "b", "issued": "c",
               "hours": "h", "expected": "e", "rounds": None, "signatory": "Dr. Zoë Ng", "signatory_title": "T"}
    pdf = certificate_pdf(context)
    drawn = _name_line(pdf)
    assert "".join(text for text, _ in drawn) == unicodedata.normalize("NFC", name)
    assert {font for _, font in drawn} == fonts
    assert unprintable(context) == ""
    assert certificate_pdf(context) == pdf, "the same bytes every build"
    assert _drawn(pdf)[1]["/Title"] == f"Certificate of completion - {name}"


HEBREW, ARABIC, SERIF = ("/AAAAAA+NotoSerifHebrew-Bold (embedded)", "/AAAAAA+NotoNaskhArabic-Bold (embedded)",
                         "/AAAAAA+DejaVuSerif-Bold (embedded)")


@pytest.mark.parametrize("name, pieces", [
    ("דוד כהן", [("כהן", HEBREW), ("דוד", HEBREW)]),  # the surname leftmost: the line reads from the right
    ("לֵאָה", [("לֵאָה", HEBREW)]),  # with its vowel points
    ("محمد علي", [("علي", ARABIC), ("محمد", ARABIC)]),
    ("پرویز رضایی", [("رضایی", ARABIC), ("پرویز", ARABIC)]),  # Persian letters
    ("Dana כהן-לוי", [("Dana", SERIF), ("לוי", HEBREW), ("-", SERIF), ("כהן", HEBREW)]),  # a left-to-right line
    # Brackets at a right-to-left level are mirrored: "(2)" still opens on the left.
    ("فاطمة الزهراء (2)", [("(", SERIF), ("2", SERIF), (")", SERIF), ("الزهراء", ARABIC), ("فاطمة", ARABIC)]),
])
def test_a_right_to_left_name_is_printed_in_display_order_with_its_arabic_letters_joined(name, pieces):
    """Drawn left to right as a reader sees it (each word extracts as typed), in fonts that have
    its letters (none missing, which extracts as code 0), Arabic letters in their joined forms
    (initial, medial, final: shaped), and nothing reported to staff as unprintable."""
    from generator.render.certificates import certificate_pdf, unprintable

    context = {"name": name, "program": "P", "organization": "O", "start": "a", "end": "b", "issued": "c",
               "hours": "h", "expected": "e", "rounds": None, "signatory": "Dr. Zoë Ng", "signatory_title": "T"}
    pdf = certificate_pdf(context)
    drawn = [(unicodedata.normalize("NFKC", text).strip(), font) for text, font in _name_line(pdf) if text.strip()]
    assert drawn == pieces
    raw = "".join(text for text, _ in _name_line(pdf))
    assert "\x00" not in raw
    if any(font == ARABIC for _, font in pieces):
        assert any(form in unicodedata.name(c, "") for c in raw for form in ("INITIAL FORM", "MEDIAL FORM")), raw
    assert unprintable(context) == ""
    assert certificate_pdf(context) == pdf, "the same bytes every build"


def test_an_arabic_ligature_prints_without_missing_letters():
    """Lam-alef and the name of God in Abdullah are single glyphs (ligatures) in the Arabic font:
    drawn, not boxes, and nothing reported to staff."""
    from generator.render.certificates import certificate_pdf, unprintable
    from generator.render.pdf_fonts import drawn

    for name in ("عبد الله", "لا إله", "سلام"):
        context = {"name": name, "program": "P", "organization": "O", "start": "a", "end": "b", "issued": "c",
                   "hours": "h", "expected": "e", "rounds": None, "signatory": "S", "signatory_title": "T"}
        pieces, width = drawn("Times-Bold", 26, name)
        assert all(font == "NotoNaskhArabic-Bold" for font, text in pieces if text.strip()), pieces
        assert 0 < width < 26 * len(name)
        assert "\x00" not in "".join(text for text, _ in _name_line(certificate_pdf(context)))
        assert unprintable(context) == ""


def test_a_certificate_the_pdf_cannot_print_is_named_on_the_staff_progress_page(pairs, built):
    """A Devanagari name (a script none of the PDF's fonts has) is not printed as boxes
    unnoticed: staff see whose PDF lacks which letters, escaped, and print the HTML certificate,
    which has them."""

    name = "प्रिया शर्मा <i>"
    responses, screenings, matching = cohort(ana=name)
    report = progress(pairs.program, responses, screenings, matching, AFTER_THE_YEAR)
    files, lacking = completion_records(pairs.program, report)
    assert lacking == [(name, "certificates/i.pdf", "प्रियाशम")]
    html = files["certificates/i.html"]
    assert isinstance(html, str) and "प्रिया शर्मा &lt;i&gt;" in html
    g = built["pairs"].gathered
    page = staff_outputs(pairs, g.responses, g.screenings, g.matching, report, "origin", "2026-01-15")["progress.html"]
    assert isinstance(page, str)
    assert ("<tr><td>प्रिया शर्मा &lt;i&gt;</td><td><a href=\"certificates/i.pdf\">certificates/i.pdf</a>"
            "</td><td>प्रियाशम</td></tr>") in page
    assert "1 PDF certificate cannot show every letter" in page


def test_a_certificate_says_hours_in_words_it_can_print():
    """No "meeting(s)" or "0 hours of e-learning (0 module(s))" on a printed certificate."""
    from types import SimpleNamespace

    from generator.render.certificates import hours_sentence
    from generator.words import counted

    def person(meetings, meeting_hours, modules, module_hours):
        return SimpleNamespace(meetings=meetings, meeting_hours=meeting_hours, modules_done=modules,
                               module_hours=module_hours, hours=meeting_hours + module_hours)

    assert hours_sentence(person(10, 20, 5, 12.5)) == (
        "32.5 hours of training logged: 20 hours in 10 meetings and 12.5 hours of e-learning (5 modules).")
    assert hours_sentence(person(1, 1, 1, 1.5), rounds=1) == (
        "2.5 hours of training logged: 1 hour in 1 meeting over 1 round and 1.5 hours of e-learning (1 module).")
    assert hours_sentence(person(6, 6.2, 0, 0), rounds=3) == "6.2 hours of training logged in 6 meetings over 3 rounds."
    assert hours_sentence(person(0, 0, 4, 8)) == "8 hours of e-learning logged (4 modules)."
    assert counted(0, "module") == "0 modules" and counted(1.0, "hour") == "1 hour" and counted(2, "person", "people") == "2 people"


def test_a_round_short_of_meetings_is_named_and_a_late_log_makes_it_count(pairs):
    """The progress row said "took part in 0 of the 3 rounds needed", and nobody could tell which
    round lacked what. It names the rounds over with too few meetings logged; Cy logs his two Q1
    meetings in January, after the year, and Q1 counts (dated in the round, whenever submitted)."""
    from dataclasses import replace as _replace

    responses, screenings, matching = cohort()
    late = tuple(_replace(r, submitted_at=dt.datetime(2026, 1, 10, 9)) for r in meetings("cy@example.org", ["Q1"], 2))
    logged = Responses({**responses.by_form, "meeting_log": responses.by_form["meeting_log"] + late}, ())
    cy = {p.name: p for p in progress(pairs.program, logged, screenings, matching, dt.date(2026, 1, 12)).people}["Cy Lam"]
    assert cy.rounds == 1
    assert cy.standing == ("Not yet: took part in 1 of the 3 rounds needed (meetings logged: 0 of 2 in Q2, 0 of 2 in Q3, "
                           "0 of 2 in Q4)")


def test_meetings_a_check_in_reports_but_the_log_lacks_are_pointed_out_to_staff_and_the_person(pairs, built):
    """Cy's Q2 check-in says he met his partner 3 times; he logged none of them, and completion
    counts the log. His row says so beside the round it costs him, the staff notice counts him
    among those who can still complete, and his own page tells him to log them; once he logs two
    Q2 meetings (late: in January) the round counts and nothing is pointed out any more. A
    check-in reporting 1 meeting in Q3 (too few anyway) is not named."""
    from dataclasses import replace as _replace

    from generator.render.staff import staff_outputs

    responses, screenings, matching = cohort()
    said = (rec("checkin", dt.date(2025, 7, 1), email="cy@example.org", quarter="Q2", satisfaction=4,
                wants_to_continue=True, meetings_held=3),
            rec("checkin", dt.date(2025, 10, 1), email="cy@example.org", quarter="Q3", satisfaction=4,
                wants_to_continue=True, meetings_held=1))
    reported = Responses({**responses.by_form, "checkin": responses.by_form["checkin"] + said}, ())
    day = dt.date(2026, 1, 12)  # the year is over; the forms take late answers
    report = progress(pairs.program, reported, screenings, matching, day)
    cy = {p.name: p for p in report.people}["Cy Lam"]
    assert cy.unlogged and cy.can_complete and report.to_log == 1
    assert cy.standing == ("Not yet: took part in 0 of the 3 rounds needed (meetings logged: 0 of 2 in Q1, 0 of 2 in Q2, "
                           "0 of 2 in Q3, 0 of 2 in Q4; the check-in reports 3 in Q2)")
    g = built["pairs"].gathered
    page = staff_outputs(pairs, g.responses, g.screenings, g.matching, report, "origin", "January 12, 2026")["progress.html"]
    assert isinstance(page, str)
    assert ("1 person who can still complete reported in their check-ins meetings that are not in the meeting log, "
            "enough to meet a rule the log does not (their rows say which)") in page

    late = tuple(_replace(r, submitted_at=dt.datetime(2026, 1, 10, 9)) for r in meetings("cy@example.org", ["Q2"], 2))
    logged = Responses({**reported.by_form, "meeting_log": reported.by_form["meeting_log"] + late}, ())
    after = progress(pairs.program, logged, screenings, matching, day)
    cy = {p.name: p for p in after.people}["Cy Lam"]
    assert not cy.unlogged and after.to_log == 0 and cy.rounds == 1
    assert "check-in" not in cy.missing
    page = staff_outputs(pairs, g.responses, g.screenings, g.matching, after, "origin", "January 12, 2026")["progress.html"]
    assert "not in the meeting log" not in page


def test_a_circle_members_check_ins_reporting_enough_meetings_beside_a_short_log_are_named(built, circles):
    """Circles count meetings over the whole program (9 in the example). A member who logged 7
    whose quarterly check-ins report 12 reads "7 of 9 meetings logged (the check-ins report 12)";
    with check-ins reporting 8 (short either way) nothing is added."""
    from generator.validate.rows import Record as _Record

    g = built["circles"].gathered
    day = dt.date(2022, 10, 5)  # ended; late answers still count
    base = progress(circles.program, g.responses.as_of(day), g.screenings, g.matching, day)
    short = next(p for p in base.people if p.can_complete and p.meetings == 7)
    others = tuple(r for r in g.responses.of("checkin") if r["email"] != short.email)

    def checkins(*held: int) -> Responses:
        mine = tuple(_Record("checkin", 2, dt.datetime(2022, 3 * q + 1, 5, 9), {
            "email": short.email, "quarter": f"Q{q}", "satisfaction": 4, "wants_to_continue": True,
            "meetings_held": n}) for q, n in enumerate(held, 1))
        return Responses({**g.responses.as_of(day).by_form, "checkin": others + mine}, ())

    told = {p.email: p for p in progress(circles.program, checkins(4, 4, 4), g.screenings, g.matching, day).people}
    assert "7 of 9 meetings logged (the check-ins report 12)" in told[short.email].missing and told[short.email].unlogged
    quiet = {p.email: p for p in progress(circles.program, checkins(4, 4), g.screenings, g.matching, day).people}
    assert "7 of 9 meetings logged" in quiet[short.email].missing and "check-ins report" not in quiet[short.email].missing
    assert not quiet[short.email].unlogged


def test_a_meeting_logged_twice_counts_once_and_staff_see_the_second_entry(tmp_path):
    """Pairs need 2 meetings logged in a round: a mentee who logged her one Q3 meeting twice (a
    second click, or again weeks later) met the rule with one meeting. A meeting day counts once,
    the latest entry (a correction of its minutes replaces the first), and the data-issues
    report names the earlier row."""
    import shutil

    from generator.pipeline import BuildOptions, gather
    from tests.conftest import EXAMPLES
    from tests.helpers import tab_rows, write_tab

    folder = tmp_path / "pairs"
    shutil.copytree(EXAMPLES["pairs"].parent, folder)
    day = dt.date(2025, 10, 20)
    before = {p.email: p for p in progress_of(folder, day)}
    ashley = next(e for e in before if e.startswith("ashley.yoder"))
    log = folder / "data" / "Meeting log.csv"
    rows = tab_rows(log)
    (first,) = [r for r in rows if r["email"] == ashley and "2025-07-07" <= r["meeting_date"] <= "2025-09-26"]
    write_tab(log, rows + [{**first, "submitted_at": "10/1/2025 9:00:00", "minutes": "75"}])
    g = gather(BuildOptions(program=folder / "program.yml", today=day, run_mkdocs=False, work=folder / "build"))
    after = {p.email: p for p in progress(g.loaded.program, g.responses, g.screenings, g.matching, day).people}
    assert after[ashley].meetings == before[ashley].meetings and after[ashley].rounds == before[ashley].rounds
    assert after[ashley].minutes == before[ashley].minutes - int(float(first["minutes"])) + 75  # the latest entry counts
    (note,) = [i for i in g.responses.issues if i.tab == "Meeting log"]
    assert note.row == rows.index(first) + 2 and note.action == "superseded by a later submission"
    assert note.reason == (f"duplicate submission (email {ashley}, meeting_date {first['meeting_date']}); "
                           f"row {len(rows) + 2} is the latest and counts")


def progress_of(folder, day):
    from generator.pipeline import BuildOptions, gather

    g = gather(BuildOptions(program=folder / "program.yml", today=day, run_mkdocs=False, work=folder / "build"))
    return progress(g.loaded.program, g.responses, g.screenings, g.matching, day).people


def test_a_meeting_dated_after_the_day_it_was_logged_is_left_out_and_named(tmp_path):
    """A meeting logged on May 20 as held on December 1 (a typo for the 1st of May, or one logged
    in advance) counted in Q4 once December came. It is left out, and the data-issues report says
    which row, why, and what to do; a meeting logged the day before its date (a sheet in another
    time zone) still counts."""
    import shutil

    from generator.pipeline import BuildOptions, gather
    from tests.conftest import EXAMPLES
    from tests.helpers import tab_rows, write_tab

    folder = tmp_path / "pairs"
    shutil.copytree(EXAMPLES["pairs"].parent, folder)
    log = folder / "data" / "Meeting log.csv"
    rows = tab_rows(log)
    someone = rows[0]["email"]
    typo = {**rows[0], "submitted_at": "5/20/2025 9:00:00", "meeting_date": "2025-12-01"}
    zone = {**rows[0], "submitted_at": "5/20/2025 23:30:00", "meeting_date": "2025-05-21"}
    write_tab(log, rows + [typo, zone])
    day = dt.date(2025, 12, 10)
    g = gather(BuildOptions(program=folder / "program.yml", today=day, run_mkdocs=False, work=folder / "build"))
    (issue,) = [i for i in g.responses.issues if i.tab == "Meeting log"]
    assert (issue.row, issue.column, issue.value, issue.action) == (len(rows) + 2, "meeting_date", "2025-12-01",
                                                                     "row left out")
    assert issue.reason == ("is after the day it was submitted (May 20, 2025), and \"Date of the meeting\" asks when "
                            "something took place: a typo in the date? Submit it again with the right date")
    dates = {m.date for m in g.responses.records.meetings if m.email == someone}
    assert dt.date(2025, 12, 1) not in dates and dt.date(2025, 5, 21) in dates


def test_a_check_in_for_a_quarter_not_begun_or_without_a_check_in_is_left_out_and_named(tmp_path):
    """Q3 chosen in June (meant for Q2) counted as Q3's answer: no reminder in October, its
    meetings reported for the wrong round. A check-in answered before its quarter's opened (the
    day the previous one was due), or for a quarter with no check-in (Q4 in the nine-month
    circles), is left out, and the row says what to change; Q3 answered the day after Q2's was
    due counts."""
    import shutil

    from generator.pipeline import BuildOptions, gather
    from tests.conftest import EXAMPLES
    from tests.helpers import tab_rows, write_tab

    found = {}
    for name, extra, day in (
            ("pairs", [("6/20/2025 9:00:00", "Q3"), ("7/5/2025 9:00:00", "Q3")], dt.date(2025, 8, 1)),
            ("circles", [("10/1/2022 9:00:00", "Q4")], dt.date(2022, 10, 15))):
        folder = tmp_path / name
        shutil.copytree(EXAMPLES[name].parent, folder)
        tab = folder / "data" / "Check-ins.csv"
        rows = tab_rows(tab)
        people = sorted({r["email"] for r in rows})[:len(extra)]
        rest = [r for r in rows if r["email"] not in people]
        added = [{**rows[0], "email": who, "submitted_at": stamp, "quarter": quarter}
                 for who, (stamp, quarter) in zip(people, extra)]
        write_tab(tab, rest + added)
        g = gather(BuildOptions(program=folder / "program.yml", today=day, run_mkdocs=False, work=folder / "build"))
        found[name] = ([(i.row, i.column, i.value, i.reason, i.action) for i in g.responses.issues if i.tab == "Check-ins"],
                       [(c.email, c.quarter) for c in g.responses.records.checkins if c.email in people], people,
                       len(rest))
    issues, kept, people, n = found["pairs"]
    assert issues == [(n + 2, "quarter", "Q3", "answered on June 20, 2025, before the Q3 check-in opened on July 4, 2025 "
                       "(when the Q2 check-in was due): if another quarter was meant, change it in this row", "row left out")]
    assert kept == [(people[1], "Q3")]
    issues, kept, people, n = found["circles"]
    assert issues == [(n + 2, "quarter", "Q4", "Q4 has no check-in in this program (its check-ins: Q1, Q2 and Q3): if "
                       "another quarter was meant, change it in this row", "row left out")] and kept == []
