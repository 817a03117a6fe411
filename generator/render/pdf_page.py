"""A one-page PDF of centred lines in the standard Times fonts, written directly.

ReportLab built a document object graph for every certificate (0.5 ms each: 10 s of a build
with 20,000 completers); the page's structure never changes, only its text, so it is written
here from fixed objects and ReportLab's own font metrics (the same positions). Text outside the
fonts' encoding (Windows-1252) is left to ReportLab, which substitutes glyphs from other fonts.
"""
from __future__ import annotations

import re
from functools import lru_cache

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import stringWidth

WIDTH, HEIGHT = 792.0, 612.0  # US letter, landscape
FONTS = {"Times-Roman": "/F1", "Times-Bold": "/F2"}
Line = tuple[str, float, str]  # font, size, text

_HEAD = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
_FIXED = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 792 612 ] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >>"
    b" /Contents 6 0 R >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Bold /Encoding /WinAnsiEncoding >>",
]


def _objects(bodies: list[bytes]) -> tuple[bytes, list[int]]:
    out, offsets = bytearray(_HEAD), []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    return bytes(out), offsets


_PREFIX, _PREFIX_OFFSETS = _objects(_FIXED)
_UNPRINTABLE = re.compile(rb"[^\x20-\x7e]")
# The border, in the program's blue; then each line as its own text object.
_BORDER = b".1 .31 .63 RG\n4 w\n30 30 %s %s re S\n" % (fp_str(WIDTH - 60).encode(), fp_str(HEIGHT - 60).encode())


def _literal(data: bytes) -> bytes:
    """A PDF literal string: parentheses and backslashes escaped, bytes outside printable ASCII in octal."""
    escaped = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + _UNPRINTABLE.sub(lambda m: b"\\%03o" % m.group()[0], escaped) + b")"


def _info_text(text: str) -> bytes:
    """A document-information string: ASCII as it is, anything else in UTF-16 (any name fits)."""
    if text.isascii():
        return _literal(text.encode("ascii"))
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


@lru_cache(maxsize=1024)
def _text_object(font: str, size: float, text: str, y: float) -> bytes:
    """One line centred at height y. Cached: most lines of a program's certificates are the same
    for everyone (all but the name and the hours)."""
    x = WIDTH / 2 - 0.5 * stringWidth(text, font, size)
    return b"BT %s %s Tf 1 0 0 1 %s %s Tm %s Tj ET\n" % (
        FONTS[font].encode(), fp_str(size).encode(), fp_str(x).encode(), fp_str(y).encode(), _literal(text.encode("cp1252")))


def centred_page(title: str, author: str, lines: list[Line], top: float, spacing: float) -> bytes | None:
    """The page: a border and `lines` centred across it, the first at `top`, each next one
    `spacing` times its font size lower. None when some text is not in Windows-1252."""
    content = bytearray(_BORDER)
    y = top
    for font, size, text in lines:
        try:
            content += _text_object(font, size, text, y)
        except UnicodeEncodeError:
            return None
        y -= size * spacing
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), bytes(content))
    info = b"<< /Title %s /Author %s /Producer (crp-mentoring) >>" % (_info_text(title), _info_text(author))
    out, offsets = bytearray(_PREFIX), list(_PREFIX_OFFSETS)
    for number, body in ((6, stream), (7, info)):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)
    return bytes(out)
