"""Find every internal link and anchor in built HTML, and which of them lead nowhere."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

_LINKING = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src", "form": "action", "source": "src"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []  # (tag, name, value) of every attribute

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            self.attributes.append((tag, name, value))
            if name in ("id", "name"):
                self.ids.add(value)
            if _LINKING.get(tag) == name and value:
                self.links.append(value)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(root: Path) -> list[str]:
    """'page -> link: why' for every internal link whose file or anchor does not exist."""
    parsed = {p: parse(p) for p in root.rglob("*.html")}
    problems = []
    for path, page in parsed.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external (https:, mailto:) links are not ours to check offline
            target_ref, anchor = urldefrag(link)
            ref_path = unquote(urlsplit(target_ref).path)
            # Root-relative links (Material's 404 page) assume the site is served at its root.
            base = root if ref_path.startswith("/") else path.parent
            target = path if not target_ref else (base / ref_path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(root)} -> {link}"
            if not target.exists():
                problems.append(f"{where}: no such file")
            elif anchor and target.suffix == ".html":
                ids = parsed.get(target) or parse(target)
                if unquote(anchor) not in ids.ids:
                    problems.append(f"{where}: no element with id {anchor!r}")
    return problems
