"""The last look before a deploy: does the public site carry anyone's personal data?

Reads the built site (what would really be published), not the code that made it: every
participant's email address, and the name of everyone who did not consent to be listed, is
searched for in the text of every public file. Sealed personal pages (me/) are ciphertext.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from generator.records import Application

_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
#: Files whose text is published; images and fonts carry no text worth scanning.
_TEXT = {".html", ".xml", ".json", ".js", ".txt", ".ics", ".csv", ".md"}


def _text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        raw = _TAGS.sub(" ", raw)
    return _SPACE.sub(" ", html.unescape(raw)).lower()


def _findable(name: str) -> bool:
    """A name worth searching for: two words or more with letters, so "Al" or "a" never match everything."""
    words = [w for w in name.split() if any(c.isalpha() for c in w)]
    return len(words) >= 2 and len(name) >= 5


def _name(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def personal_data(site: Path, applications: tuple[Application, ...]) -> list[str]:
    """'page: what' for every email of a person, or name of a person who did not consent, found on the site."""
    emails = {a.email.lower() for a in applications if a.email}
    hidden = {_name(a.full_name) for a in applications if not a.listed and _findable(a.full_name)}
    hidden -= {_name(a.full_name) for a in applications if a.listed}  # a namesake who consented
    found = []
    for path in sorted(p for p in site.rglob("*") if p.is_file() and p.suffix in _TEXT):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("me/"):
            continue
        text = _text(path)
        for email in sorted(e for e in emails if e in text):
            found.append(f"{rel}: the email address of a participant ({email})")
        for name in sorted(n for n in hidden if re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text)):
            found.append(f"{rel}: the name of a person who did not consent to be listed ({name.title()})")
    return found
