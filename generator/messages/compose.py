"""A due message as a standard email: a plain-text and an HTML part from staff-editable templates.

Each kind has `<kind>.txt.j2` (its first line is `Subject: ...`) and `<kind>.html.j2`. A
program's own folder (messages.templates) may replace any of them. The HTML part escapes
every value; the text part is plain text, so nothing in it is markup.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import textwrap
import traceback
from dataclasses import dataclass
from email import encoders
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateNotFound,
                    TemplateSyntaxError, UndefinedError)

from generator.config.program import Program
from generator.dates import long_date
from generator.errors import ConfigError
from generator.messages.due import KINDS, Due
from generator.words import counted, listed

BUNDLED = Path(__file__).resolve().parent.parent / "render" / "templates" / "messages"


@dataclass(frozen=True)
class Outgoing:
    """A due message that has not gone yet, or went with other facts (then `changes` says how)."""

    due: Due
    changes: tuple[str, ...] = ()  # "circle: C3 -> C4"; empty for a first message


def changes(before: tuple[tuple[str, str], ...], after: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """What differs between the facts of the message sent and the message due, in words."""
    old, new = dict(before), dict(after)
    out = []
    for name in [*new, *(k for k in old if k not in new)]:
        if old.get(name, "") != new.get(name, ""):
            out.append(f"{name}: {old.get(name) or '(none)'} -> {new.get(name) or '(none)'}")
    return tuple(out)


class Composer:
    """Renders messages for one program; the environments are made once."""

    def __init__(self, program: Program, folder: Path | None = None):
        self.program = program
        loader = ChoiceLoader(([FileSystemLoader(str(folder))] if folder else []) + [FileSystemLoader(str(BUNDLED))])
        self.text, self.html = _environment(loader, escape=False), _environment(loader, escape=True)
        self.folder = folder
        if folder is not None and (problems := self._compile_own(folder)):
            raise ConfigError(str(folder), problems)

    def _compile_own(self, folder: Path) -> list[str]:
        """The program's own templates, each compiled as a message will use it, before any is: a
        syntax error or an unknown filter with its file and line, and a file no message reads."""
        problems = []
        for path in sorted(folder.glob("*.j2")):
            name = path.name
            if not name.startswith("_") and name.rsplit(".", 2)[0] not in KINDS:
                problems.append(f"{name} is no message's template: a message's are <kind>.txt.j2 and <kind>.html.j2 "
                                f"for the kinds {', '.join(KINDS)}; a piece to include starts with _")
                continue
            try:
                (self.html if name.endswith(".html.j2") else self.text).get_template(name)
            except TemplateSyntaxError as exc:
                problems.append(f"{name}, line {exc.lineno}: {exc.message}")
        return problems

    def parts(self, out: Outgoing, today: dt.date) -> tuple[str, str, str]:
        """(subject, text, html) of one message."""
        d = out.due
        p = self.program
        context: dict[str, Any] = {**d.context, "p": p, "to_name": d.name, "kind": d.kind, "facts": dict(d.facts),
                                   "changes": list(out.changes), "today": long_date(today),
                                   "site": p.site_url or "", "contact": p.contact}
        try:
            text = self.text.get_template(f"{d.kind}.txt.j2").render(context)
            html = self.html.get_template(f"{d.kind}.html.j2").render(context)
        except TemplateNotFound as exc:
            raise ConfigError(str(self.folder or BUNDLED), [f"no template {exc.name} for the {d.kind} message"]) from None
        except Exception as exc:  # a program's own template failing as it renders is theirs to fix; ours, a bug
            where = self._own_line(exc)
            if where is None:
                raise
            said = re.sub(r"'(?:\w+\.)+(\w+ object)'", r"'\1'", str(exc)) if isinstance(exc, UndefinedError) \
                else f"{type(exc).__name__}: {exc}"  # "'Program object' has no attribute 'nmae'"
            raise ConfigError(str(self.folder), [f"{where}: {said} (writing the {d.kind} message, whose templates can "
                                                 f"use {', '.join(sorted(context))})"]) from None
        first, _, body = text.partition("\n")
        if not first.startswith("Subject:"):
            raise ConfigError(str(self.folder or BUNDLED), [f"{d.kind}.txt.j2 must start with a line 'Subject: ...'"])
        subject = " ".join(first.removeprefix("Subject:").split())
        if out.changes:
            subject = "Update: " + subject
        return subject, reflow(body.lstrip("\n")), html

    def _own_line(self, exc: BaseException) -> str | None:
        """"announcement.txt.j2, line 12": the last place in the program's own templates that the
        error passed through (Jinja gives a template's frames its file and line), if any."""
        if self.folder is None:
            return None
        folder = self.folder.resolve()
        mine = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve().parent == folder]
        return f"{Path(mine[-1].filename).name}, line {mine[-1].lineno}" if mine else None

    @property
    def sender(self) -> str:
        """The From address: messages.sender, else the program's contact."""
        return self.program.messages.sender or self.program.contact.email

    def email(self, out: Outgoing, today: dt.date, moment: dt.datetime | None = None,
              parts: tuple[str, str, str] | None = None) -> Message:
        """The message as it is saved to the outbox (dated `today`, 9:00 program time) or sent (dated
        `moment`); `parts` when the caller already rendered them. Made with the email package's
        classic classes: its newer EmailMessage parsed every header it was given and folded it again
        (1.4 ms a message against 0.3 ms: half of an announcement day's build at 20,000 people)."""
        p, d = self.program, out.due
        subject, text, html = parts or self.parts(out, today)
        sender = self.sender
        body = MIMEMultipart("alternative", policy=_CLASSIC)
        body.attach(_text_part(text, "plain"))
        body.attach(_text_part(html, "html"))
        msg = body
        if d.attachments:
            msg = MIMEMultipart("mixed", policy=_CLASSIC)
            msg.attach(body)
            for a in d.attachments:
                maintype, _, subtype = a.mime.partition("/")
                part = MIMEBase(maintype, subtype, policy=_CLASSIC)
                part.set_payload(a.content)
                encoders.encode_base64(part)
                part.add_header("Content-Disposition", "attachment", filename=a.filename)
                msg.attach(part)
        # Boundaries from the content: a rebuild gives the same bytes.
        for n, part in enumerate(m for m in (msg, body) if m.is_multipart()):
            part.set_boundary(f"=_crp_{d.digest}_{n}")
        msg["Subject"] = subject if subject.isascii() else Header(subject, "utf-8")  # type: ignore[assignment]
        msg["From"] = _address(p.messages.sender_name or p.name, sender)
        msg["To"] = _address(d.name, d.email)
        if p.messages.reply_to:
            msg["Reply-To"] = p.messages.reply_to
        when = moment or dt.datetime.combine(today, dt.time(9), ZoneInfo(p.schedule.time_zone))
        msg["Date"] = format_datetime(when)
        msg["Message-ID"] = message_id(d, sender)
        return msg


class _Classic(Compat32):
    """The classic email classes' rules, a short one-line ASCII header written as it is: the
    classic fold made a Header of every header of every message to find it needed no folding
    (half of writing a message)."""

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        if isinstance(value, str) and value.isascii() and "\n" not in value and "\r" not in value \
                and len(name) + 2 + len(value) <= (self.max_line_length or 78):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)  # type: ignore[misc]


#: The line ends SMTP and .eml files use.
_CLASSIC = _Classic(linesep="\r\n")
_QP = Charset("utf-8")
_QP.body_encoding = QP  # readable in the .eml, unlike base64
_PLAIN = Charset("utf-8")
_PLAIN.body_encoding = None  # type: ignore[assignment]  # 7bit: ASCII text as it is


def _text_part(content: str, subtype: str) -> MIMEText:
    """A text part in UTF-8: as it is when it is ASCII in lines SMTP carries, else quoted-printable."""
    plain = content.isascii() and all(len(line) <= 998 for line in content.splitlines())
    return MIMEText(content, subtype, _PLAIN if plain else _QP, policy=_CLASSIC)  # type: ignore[arg-type]


#: Plain-text prose is wrapped at this width; a template's line at least WRAPPED long was wrapped
#: by hand, and runs on into a next line that starts in lower case.
WIDTH, WRAPPED = 76, 60


def reflow(text: str) -> str:
    """The plain-text body with its prose wrapped evenly. A template wraps its sentences where they
    fit before the program's name or a date is put in ("... cannot offer you a place, because the"
    then "application does not meet"): a line that runs on into the next (which starts in lower
    case) is joined with it, and prose is wrapped again at WIDTH. Indented lines (lists, links)
    stay as they are, and so do breaks before a capital (a signature, a new sentence)."""
    out: list[str] = []
    run: list[str] = []
    previous = ""
    for line in text.split("\n"):
        prose = bool(line.strip()) and not line[0].isspace()
        # A hand-wrapped line is long; a short one ends where its writer meant (a signature's
        # "Mendy E. Dunn" over a program named "eMentoring ...").
        if run and not (prose and line.lstrip()[0].islower() and len(previous) >= WRAPPED):
            out.extend(textwrap.wrap(" ".join(run), WIDTH, break_long_words=False, break_on_hyphens=False))
            run.clear()
        if prose:
            run.append(line.strip())
        else:
            out.append(line)
        previous = line
    if run:
        out.extend(textwrap.wrap(" ".join(run), WIDTH, break_long_words=False, break_on_hyphens=False))
    return "\n".join(out)


def _environment(loader: ChoiceLoader, escape: bool) -> Environment:
    env = Environment(loader=loader, autoescape=escape, undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["long_date"] = long_date
    env.filters["listed"] = listed  # "Ana Rivera and Ben Okafor"
    env.filters["counted"] = counted  # "1 meeting", "3 meetings"
    return env


def message_id(d: Due, sender: str) -> str:
    """The same message (key and facts) always has the same Message-ID: a resent copy is recognisable."""
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<{d.digest}.{hashlib.sha256(d.key.encode()).hexdigest()[:12]}@{domain}>"


def _address(name: str, email: str) -> str:
    """A name and address for a header, the name as typed and never more than a name: quoted when it
    is ASCII (a comma, quotes or <someone@else> stay inside the quotes), else one encoded name (the
    EmailMessage this replaced left part of such a name unencoded: a reader's To was <someone@else>).
    A name holding "=?", which a reader would decode as an encoded word, is encoded too."""
    name = _one_line(name)
    if "=?" in name:
        return formataddr((Header(name, "utf-8").encode(linesep=" "), email))
    return formataddr((name, email), "utf-8")


def _one_line(text: str) -> str:
    """A display name from people's data: no line breaks can reach a header."""
    return " ".join(text.split())
