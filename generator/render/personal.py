"""Personal pages, sealed: each page is AES-GCM encrypted with its own key, which only its link carries.

The site is public and static, so privacy cannot come from the server. Each page's address
and key derive from the program's secret (HMAC, one purpose each), so links survive rebuilds
and a new secret revokes them all. The key travels in the link's fragment (#...), which
browsers never send to a server; the page decrypts itself with the Web Crypto API.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping

from markupsafe import Markup, escape

from generator.config.forms import Form
from generator.config.program import LoadedProgram, Program
from generator.dates import long_date
from generator.forked import Turns
from generator.progress.personal import PersonalView
from generator.progress.report import GAP
from generator.render.calendars import Calendars
from generator.render.templating import TEMPLATES, render
from generator.schedule.events import audiences
from generator.schedule.sequence import Stamped, by_audience
from generator.schedule.windows import answers_close, closed_reason
from generator.validate.tokens import b64url, derive, form_link

FOLDER = "me"  # in the site: me/<page id>.html, out of navigation, search and sitemap
ASSETS = ("open.js", "personal.css")
_SLOT = "\x00sealed page\x00"  # where the shell takes each person's sealed data (nobody types a NUL)


@dataclass(frozen=True)
class PersonalLink:
    name: str
    email: str
    link: str  # absolute when the program has a site_url, else relative to the site root


def page_id(secret: str, slug: str, email: str) -> str:
    return derive(secret, "personal-page-address", slug, email, 12).hex()


def page_path(pid: str) -> str:
    """Where a page with this id is on the site (its link's path, and the file the build writes)."""
    return f"{FOLDER}/{pid}.html"


def page_key(secret: str, slug: str, email: str) -> bytes:
    return derive(secret, "personal-page-key", slug, email, 32)


#: The sealed format: 2 = the page's HTML deflated (zlib), then encrypted. A page holds its own
#: calendar, so deflating first makes it about four times smaller to publish, store and open;
#: the page is the person's own data with nothing an outsider can add to it, so its compressed
#: length tells no more than its length did. The browser inflates it with DecompressionStream.
SEALED_VERSION = 2
#: zlib's level 3, its best before lazy matching: a page deflates 5% larger than at 9, in 60% of the time.
_DEFLATE_LEVEL = 3


def seal(key: bytes, pid: str, plaintext: str) -> str:
    """nonce + ciphertext + tag, base64url. The nonce is synthetic (HMAC of the key and the text):
    the same page encrypts to the same bytes on a rebuild, and different texts never share a nonce."""
    # Imported here, not at the top: the build makes the public site before any page is sealed,
    # and its first half second is imports (cryptography's: 10-20 ms of it, for nothing yet).
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    data = zlib.compress(plaintext.encode("utf-8"), _DEFLATE_LEVEL)
    nonce = hmac.new(key, data, hashlib.sha256).digest()[:12]
    return b64url(nonce + AESGCM(key).encrypt(nonce, data, pid.encode()))


def carried(file: bytes) -> Markup:
    """A text file as a page carries it inside a <template> (open.js makes it a download): escaped,
    and each carriage return a character reference, which HTML does not turn into a line feed as
    it does a typed one (a calendar's lines end in CRLF). As text the calendar deflates to a third
    less than as base64 in a data: link did, in half the time."""
    return Markup(str(escape(file.decode("utf-8"))).replace("\r", "&#13;"))


def open_sealed(key: bytes, pid: str, sealed: str) -> str:
    """The reverse of seal (for tests and for staff checking a page); raises on a wrong key."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
    return zlib.decompress(AESGCM(key).decrypt(raw[:12], raw[12:], pid.encode())).decode("utf-8")


class PersonCalendars(Mapping[str, bytes]):
    """Each participant's own calendar file (email -> bytes), made when it is asked for: its name
    line and the events of its audiences, a body that everyone who sees the same events shares
    (all of a circle's members). Holding every file at once was 180 MB at 20,000 people."""

    def __init__(self, writer: Calendars, titles: dict[str, tuple[str, frozenset[str]]],
                 bodies: dict[frozenset[str], bytes]) -> None:
        self._writer, self._titles, self._bodies = writer, titles, bodies

    def __getitem__(self, email: str) -> bytes:
        return b"".join(self.pieces(email))

    def pieces(self, email: str) -> tuple[bytes, bytes, bytes]:
        """A person's calendar file in three: what comes before the body, the body (the same object
        for everyone who sees the same events), and what comes after it."""
        title, mine = self._titles[email]
        before, after = self._writer.around(title)
        return before, self._bodies[mine], after

    def shared_by(self, email: str) -> tuple[str, ...]:
        """Which body a person's calendar has: the same for all who see the same events."""
        return tuple(sorted(self._titles[email][1]))

    def __iter__(self) -> Iterator[str]:
        return iter(self._titles)

    def __len__(self) -> int:
        return len(self._titles)


def person_calendars(name: str, views: list[PersonalView], revisions: dict[str, Stamped],
                     writer: Calendars) -> PersonCalendars:
    """Each participant's own calendar: the program's events for them and their circle's meetings."""
    groups = by_audience(revisions.values())
    titles: dict[str, tuple[str, frozenset[str]]] = {}
    bodies: dict[frozenset[str], bytes] = {}
    for v in views:
        mine = audiences(v.circle or None, v.mentor, v.facilitator, v.rounds)
        if mine not in bodies:
            bodies[mine] = writer.body([s for a in sorted(mine) for s in groups.get(a, ())], private=True)
        titles[v.email] = (f"{name}: {v.name}", mine)
    return PersonCalendars(writer, titles, bodies)


def personal_links(program: Program, views: list[PersonalView], secret: str) -> list[PersonalLink]:
    """Each person's link: their page's address and, in the fragment, its key (both from the secret)."""
    base = program.site_url.rstrip("/") + "/" if program.site_url else ""
    return [PersonalLink(v.name, v.email, f"{base}{page_path(page_id(secret, program.slug, v.email))}"
                                          f"#{b64url(page_key(secret, program.slug, v.email))}") for v in views]


def personal_pages(loaded: LoadedProgram, views: list[PersonalView], calendars: PersonCalendars,
                   secret: str, form_secret: str, today: dt.date,
                   put: Callable[[str, str], None] | None = None, turns: Turns | None = None,
                   assets: bool = True) -> dict[str, str | bytes]:
    """The site files: each person's sealed page, at the address their link names. With `put`,
    each file goes there as it is made instead of into the returned files (a build writes them
    out: 150 MB of sealed pages at 20,000 people). With `turns`, only the pages of the batches
    this process takes: the sealing child and the build, once its own work is done, share them
    (`assets`: whether this one also writes the pages' script and style)."""
    p = loaded.program
    files: dict[str, str | bytes] = {}
    keep = put or files.__setitem__
    for name in ASSETS if assets else ():
        keep(f"{FOLDER}/{name}", (TEMPLATES / "personal" / name).read_text(encoding="utf-8"))
    as_of = long_date(today)
    # Links only to forms that take answers today (after the program's grace days they have closed).
    signed = [f for f in loaded.forms.values() if f.signed and f.audience == "participants"
              and closed_reason(p, f, today) is None]
    # The meeting log beside the meetings counted: its link fills in the person's email (it is not signed).
    log = loaded.forms.get("meeting_log")
    log = log if log is not None and log.page and log.audience == "participants" and closed_reason(p, log, today) is None \
        else None
    closes = long_date(answers_close(p))
    running = not p.dates.ended(today)  # withdrawing is something to do only while it runs
    # The shell is the same for everyone but the sealed data: rendered once, filled per person.
    shell_head, _, shell_tail = render("personal/shell.html.j2", program=p.name, contact=p.contact.email,
                                       sealed=Markup(_SLOT)).rpartition(_SLOT)
    # Everyone who sees the same events has the same calendar body (most of their file): escaped
    # once for them all, people taken body by body, so only the last body's text is held.
    shared: tuple[tuple[str, ...], str] | None = None  # whose body, escaped
    # One page at a time, start to finish: the build works on the other core meanwhile (sealing
    # on a thread of its own here was as fast at 5,000 people and slower at 20,000: more system time).
    ordered = sorted(((calendars.shared_by(v.email), v) for v in views), key=lambda pair: pair[0])
    for index in _indices(len(ordered), turns):
        mine, v = ordered[index]
        pid, key = page_id(secret, p.slug, v.email), page_key(secret, p.slug, v.email)
        forms = [(f.title, "../" + form_link(f, p.slug, v.email, form_secret, v.checkin_to_answer if f.id == "checkin" else ""),
                  _survey_note(v, f)) for f in signed]
        before, body, after = calendars.pieces(v.email)
        if shared is None or shared[0] != mine:
            shared = (mine, str(carried(body)))
        calendar = Markup("".join([str(carried(before)), shared[1], str(carried(after))]))
        active = v.status == "active"
        html = render("personal/content.html.j2", p=p, v=v, as_of=as_of, forms=forms if active else [], gap_share=f"{GAP:.0%}",
                      running=running, closes=closes,
                      log="../" + form_link(log, p.slug, v.email, None) if log and active else "", calendar=calendar)
        keep(page_path(pid), shell_head + json.dumps({"v": SEALED_VERSION, "id": pid, "data": seal(key, pid, html)})
             + shell_tail)
    return files


def _survey_note(v: PersonalView, form: Form) -> str:
    """What a survey's link says beside it: "answered May 20, 2022; a new answer replaces it" (a
    form whose latest answer per person counts), "Q3 answered ...; Q4 due ..." (the check-in, which
    recurs), or "next due ..."."""
    if form.id == "checkin" and v.checkins:
        return "; ".join(f"{c.quarter} answered {c.answered}" if c.answered
                         else f"{c.quarter} not answered yet: it was due {c.due}" if c.past
                         else f"{c.quarter} due {c.due}" for c in v.checkins)
    if day := v.surveys_answered.get(form.id, ""):
        return f"answered {day}" + ("; a new answer replaces it" if form.unique == (form.identity,) else "")
    due = v.surveys_due.get(form.id, "")
    return f"next due {due}" if due else ""


def _indices(count: int, turns: Turns | None) -> Iterator[int]:
    """Every index, or those of the batches `turns` hands this process."""
    if turns is None:
        yield from range(count)
        return
    while (batch := turns.take()) is not None:
        yield from batch


def locate(link: str) -> tuple[str, str]:
    """(page path under the site, key) from a personal link, absolute or relative."""
    path, _, key = link.partition("#")
    return FOLDER + "/" + Path(path).name, key
