"""The last look before a deploy: does the public site carry anyone's personal data?

Reads the built site (what would really be published), not the code that made it: every
participant's email address, and the name of everyone who did not consent to be listed, is
searched for in the text of every public file. Sealed personal pages (me/) are ciphertext.
"""
from __future__ import annotations

import html
import importlib.util
import os
import re
from pathlib import Path

from generator.records import Application

_TAGS = re.compile(r"<[^>]+>")
#: Files whose text is published; images and fonts carry no text worth scanning.
_TEXT = {".html", ".xml", ".json", ".js", ".txt", ".ics", ".csv", ".md"}


def _text(path: Path) -> str:
    """The file's text, lowercased, entities decoded; an HTML page's twice: as read (attributes too:
    a mailto link, an image's alt text) and with its tags taken out (a name split by markup)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        raw += "\n" + _TAGS.sub(" ", raw)
    return _name(html.unescape(raw))


def _findable(name: str) -> bool:
    """A name worth searching for: two words or more with letters, so "Al" or "a" never match everything."""
    words = [w for w in name.split() if any(c.isalpha() for c in w)]
    return len(words) >= 2 and len(name) >= 5


def _name(text: str) -> str:
    """Whitespace runs as one space, lowercased: names and the text they are sought in alike.
    (str.split's whitespace is regex \\s: every code point.)"""
    return " ".join(text.split()).lower()


_WORD = re.compile(r"\w+")
_FEW_WORDS = 32


class _Names:
    """Finds any of many names in a text in one pass over its words (a regex per name per page is
    quadratic in a large cohort). A name matches as whole words: not inside a longer word."""

    def __init__(self, names: set[str]):
        self.by_first: dict[str, list[str]] = {}
        self.odd: list[tuple[str, re.Pattern[str]]] = []  # names that start with a non-word character
        for name in names:
            first = _WORD.match(name)
            if first:
                self.by_first.setdefault(first.group(), []).append(name)
            else:
                self.odd.append((name, re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")))

    def found(self, text: str) -> set[str]:
        hits = {name for name, pattern in self.odd if pattern.search(text)}
        # Most pages hold none of the first words: only those are walked. A few words are looked
        # for as text (C's substring search, several times faster than splitting the page into
        # words); many, by splitting it once (a set intersection, in C).
        if len(self.by_first) <= _FEW_WORDS:
            if not any(first in text for first in self.by_first):
                return hits
        elif self.by_first.keys().isdisjoint(_WORD.findall(text)):
            return hits
        for word in _WORD.finditer(text):
            for name in self.by_first.get(word.group(), ()):
                end = word.start() + len(name)
                if text.startswith(name, word.start()) and not _WORD.match(text, end):
                    hits.add(name)
        return hits


def _emails(text: str, emails: set[str]) -> set[str]:
    """Participants' addresses anywhere in a text (also inside a longer run such as "mailto:x@y.org?"):
    at each "@", every address's local part before it and domain after it, by their lengths."""
    locals_ = {len(e.split("@", 1)[0]) for e in emails}
    domains = {len(e.split("@", 1)[1]) for e in emails if "@" in e}
    hits = set()
    at = text.find("@")
    while at != -1:
        for before in locals_:
            for after in domains:
                candidate = text[max(0, at - before):at + 1 + after]
                if candidate in emails:
                    hits.add(candidate)
        at = text.find("@", at + 1)
    return hits


def _theme_folder() -> Path | None:
    """Where the installed theme's files are (found, not imported: the scan may run without mkdocs loaded)."""
    spec = importlib.util.find_spec("material")
    return Path(spec.origin).parent / "templates" if spec and spec.origin else None


def _from_theme(path: Path, original: Path | None) -> bool:
    """A file the theme ships, byte for byte (its scripts and styles): it carries nobody's data, and
    scanning its hundreds of kilobytes was most of the scan's time. An edited copy is scanned."""
    try:
        return original is not None and original.stat().st_size == path.stat().st_size \
            and original.read_bytes() == path.read_bytes()
    except OSError:
        return False


def personal_data(site: Path, applications: tuple[Application, ...]) -> list[str]:
    """'page: what' for every email of a person, or name of a person who did not consent, found on the site."""
    emails = {a.email.lower() for a in applications if a.email}
    hidden = {_name(a.full_name) for a in applications if not a.listed and _findable(a.full_name)}
    hidden -= {_name(a.full_name) for a in applications if a.listed}  # a namesake who consented
    names = _Names(hidden)
    theme = _theme_folder()
    found = []
    for path in _pages(site):
        rel = path.relative_to(site).as_posix()
        if _from_theme(path, theme / rel if theme else None):
            continue
        text = _text(path)
        for email in sorted(_emails(text, emails)):
            found.append(f"{rel}: the email address of a participant ({email})")
        for name in sorted(names.found(text)):
            found.append(f"{rel}: the name of a person who did not consent to be listed ({name.title()})")
    return found


def _pages(site: Path) -> list[Path]:
    """The site's text files, in order, but for the sealed personal pages (me/): nobody can read
    them without their key, and walking past 20,000 of them was most of the scan's time."""
    found = []
    for folder, subfolders, names in os.walk(site):
        if folder == str(site) and "me" in subfolders:
            subfolders.remove("me")
        found += [Path(folder, name) for name in names if os.path.splitext(name)[1] in _TEXT]
    return sorted(found)
