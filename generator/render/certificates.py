"""Certificates and training-record rows for everyone who completed: what they did, in hours logged.

A training record is a claim an employer may rely on, so hours come from the meeting log
and the modules completed, never from what the program expected; the expected hours are
printed beside them, labelled as expected.
"""
from __future__ import annotations

import io
import re
import unicodedata
from typing import TYPE_CHECKING, Any, Iterator

from generator.config.program import Program
from generator.progress.report import PersonProgress, Progress
from generator.render.deferred import Deferred
from generator.render.escape import to_csv
from generator.render.templating import long_date, render
from generator.words import counted

if TYPE_CHECKING:
    from generator.render.pdf_page import Line


def expected_hours(program: Program) -> float:
    """Hours the program expects: its modules, and an hour per expected meeting
    (3 a round for pairs, two a month for circles)."""
    modules = sum(m.estimated_hours for m in program.curriculum)
    if program.dates.quarters:
        return round(modules + 3.0 * len(program.dates.quarters), 1)
    months = max(1, round((program.dates.cohort_end - program.dates.cohort_start).days / 30.4))
    return round(modules + 2.0 * months, 1)


def file_stem(name: str, taken: set[str]) -> str:
    """A file name from a person's name ("José O'Neil" -> "jose-o-neil"), unique within `taken`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    # At most 60 characters: a name is typed by a person, and file systems stop at 255 bytes.
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower())[:60].strip("-") or "participant"
    candidate, n = stem, 2
    while candidate in taken:
        candidate, n = f"{stem}-{n}", n + 1
    taken.add(candidate)
    return candidate


def hours_sentence(person: PersonProgress, rounds: int | None = None) -> str:
    """The hours a certificate states, from what was logged: meetings (over how many rounds, for
    rotating pairs) and e-learning, each said only where there is some, in words a printed
    certificate can carry."""
    meetings = counted(person.meetings, "meeting") + (f" over {counted(rounds, 'round')}" if rounds is not None else "")
    learning = counted(person.modules_done, "module")
    total = counted(person.hours, "hour")
    if person.meetings and person.modules_done:
        return (f"{total} of training logged: {counted(person.meeting_hours, 'hour')} in {meetings} and "
                f"{counted(person.module_hours, 'hour')} of e-learning ({learning}).")
    if person.modules_done:
        return f"{total} of e-learning logged ({learning})."
    return f"{total} of training logged in {meetings}."


def _context(program: Program, person: PersonProgress) -> dict[str, Any]:
    signatory = program.signatory
    return {"name": person.name, "program": program.name, "organization": program.organization,
            "start": long_date(program.dates.cohort_start), "end": long_date(program.dates.cohort_end),
            "issued": long_date(program.dates.cohort_end),
            "hours": hours_sentence(person, person.rounds if program.model == "rotating-pairs" else None),
            "expected": f"The program expects about {expected_hours(program):g} hours.",
            "signatory": signatory.name if signatory else program.contact.name,
            "signatory_title": signatory.title if signatory else program.contact.role}


def _lines(context: dict[str, Any]) -> list[Line]:
    """The certificate's words, top down (font, size, text): the same as the HTML one. Composed
    (NFC), so an accent typed as a separate mark is the letter a font has."""
    lines: list[Line] = [
        ("Times-Bold", 30, "Certificate of completion"), ("Times-Roman", 14, "This certifies that"),
        ("Times-Bold", 26, context["name"]), ("Times-Roman", 14, f"completed {context['program']},"),
        ("Times-Roman", 14, f"offered by {context['organization']}, from {context['start']} to {context['end']}."),
        ("Times-Roman", 12, context["hours"]), ("Times-Roman", 11, context["expected"]),
        ("Times-Roman", 12, f"{context['signatory']}, {context['signatory_title']}"),
        ("Times-Roman", 11, f"Issued {context['issued']}.")]
    return [(font, size, unicodedata.normalize("NFC", text)) for font, size, text in lines]


def _standard(text: str) -> bool:
    """Whether the standard fonts' encoding (Windows-1252) has every letter of `text`."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def unprintable(context: dict[str, Any], lines: list[Line] | None = None) -> str:
    """The letters of a certificate the PDF cannot show (`pdf_fonts`), each once; "" for none.
    (`lines`: the certificate's, if already made.)"""
    lines = lines or _lines(context)
    if _standard("".join(text for _, _, text in lines)):
        return ""
    from generator.render.pdf_fonts import unshown

    return "".join(dict.fromkeys("".join(unshown(font, text) for font, _, text in lines if not _standard(text))))


TOP_MARGIN = 110  # from the page's top to the first line's baseline
SPACING = 2.4  # from a line's baseline to the next one's, in the line's font size


def certificate_pdf(context: dict[str, Any], lines: list[Line] | None = None) -> bytes:
    """The certificate as a one-page landscape PDF, written directly (`pdf_page`), or by
    ReportLab when a name or title has letters the standard fonts cannot show. (`lines`: the
    certificate's, if already made.)"""
    from generator.render.pdf_page import HEIGHT, centred_page  # ReportLab's metrics: only when someone completed

    lines = lines or _lines(context)
    title = f"Certificate of completion - {context['name']}"
    return (centred_page(title, context["organization"], lines, HEIGHT - TOP_MARGIN, SPACING)
            or _reportlab_pdf(title, context, lines))


def _reportlab_pdf(title: str, context: dict[str, Any], lines: list[Line] | None = None) -> bytes:
    """The same page by ReportLab: a line with letters outside Windows-1252 in the fonts
    `pdf_fonts` chooses for them (right-to-left letters in display order, shaped), the others
    in the standard Times fonts."""
    from reportlab.pdfgen import canvas

    from generator.render.pdf_fonts import drawn
    from generator.render.pdf_page import HEIGHT, WIDTH

    out = io.BytesIO()
    # invariant: the same bytes every build; the first font the page uses as the initial one, so no
    # unused Helvetica is embedded in every file.
    pdf = canvas.Canvas(out, pagesize=(WIDTH, HEIGHT), invariant=True, initialFontName="Times-Roman")
    pdf.setTitle(title)
    pdf.setAuthor(context["organization"])
    pdf.setStrokeColorRGB(0.10, 0.31, 0.63)
    pdf.setLineWidth(4)
    pdf.rect(30, 30, WIDTH - 60, HEIGHT - 60)
    y = HEIGHT - TOP_MARGIN
    for font, size, text in lines or _lines(context):
        if _standard(text):
            pdf.setFont(font, size)
            pdf.drawCentredString(WIDTH / 2, y, text)
        else:
            pieces, width = drawn(font, size, text)
            line = pdf.beginText(WIDTH / 2 - width / 2, y)
            for piece_font, letters in pieces:
                line.setFont(piece_font, size)
                line.textOut(letters)
            pdf.drawText(line)
        y -= size * SPACING
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def completion_records(program: Program, progress: Progress) -> tuple[Deferred, list[tuple[str, str, str]]]:
    """For everyone who completed: a printable certificate (HTML and PDF, named by the person)
    and a row for the training record, each made when it is written (thousands of PDFs are not
    held at once). With them, the PDFs that cannot show every letter (name, PDF file, the
    letters): the staff print the HTML certificate instead."""
    files = Deferred()
    done = [person for person in progress.people if person.complete]
    if not done:
        return files, []
    made = []
    lacking = []
    taken: set[str] = set()
    for person in done:
        stem = file_stem(person.name, taken)
        context = _context(program, person)
        lines = _lines(context)
        if letters := unprintable(context, lines):
            lacking.append((person.name, f"certificates/{stem}.pdf", letters))
        made.append((person, stem, context, lines))

    def make() -> Iterator[tuple[str, str | bytes]]:
        rows = []
        for person, stem, context, lines in made:
            yield f"certificates/{stem}.html", render("staff/certificate.html.j2", **context)
            yield f"certificates/{stem}.pdf", certificate_pdf(context, lines)
            rows.append((person.name, person.email, program.name, program.organization,
                         program.dates.cohort_end.isoformat(), person.hours, person.meeting_hours, person.meetings,
                         person.module_hours, person.modules_done, expected_hours(program), f"certificates/{stem}.pdf"))
        header = ["name", "email", "course", "provider", "completed_on", "hours_logged", "meeting_hours", "meetings",
                  "module_hours", "modules", "hours_expected", "certificate"]
        yield "training-records.csv", to_csv(header, rows)

    names = [f"certificates/{stem}.{kind}" for _, stem, _, _ in made for kind in ("html", "pdf")]
    files.group(names + ["training-records.csv"], make)
    return files, lacking
