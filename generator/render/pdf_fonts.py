"""Fonts for the certificate lines the standard Times fonts cannot show (letters outside
Windows-1252: Nguyễn, Łukasz, Şükrü, Дмитрий, 王秀英, 김민준).

Latin, Greek and Cyrillic letters are drawn in DejaVu Serif (bundled in `fonts/`, its license
beside it), embedded as a subset of the letters used; Chinese, Japanese and Korean in the Adobe
CJK fonts PDF readers provide themselves (not embedded: each is megabytes). What none of them
can show is reported to staff by `unshown` rather than printed as boxes: letters the fonts lack,
and right-to-left scripts (Hebrew, Arabic), which would need reordering and shaping that a
line drawn letter by letter does not do.
"""
from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

FONTS = Path(__file__).parent / "fonts"
#: The standard font a line asks for -> the bundled font drawing it when it cannot.
SERIF = {"Times-Roman": "DejaVuSerif", "Times-Bold": "DejaVuSerif-Bold"}
HAN, KANA, HANGUL = "STSong-Light", "HeiseiMin-W3", "HYSMyeongJo-Medium"
HANGUL_RANGES = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7A3))  # jamo, compatibility jamo, syllables
KANA_RANGES = ((0x3040, 0x30FF), (0x31F0, 0x31FF))  # hiragana, katakana, their extension
#: Code point ranges drawn by a CJK font: those two, ideographs, CJK punctuation, full width.
CJK = (*HANGUL_RANGES, *KANA_RANGES, (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
       (0xF900, 0xFAFF), (0xFF00, 0xFFEF))
RIGHT_TO_LEFT = {"R", "AL", "RLE", "RLO", "RLI"}


def _within(c: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= ord(c) <= high for low, high in ranges)


def _cjk_font(text: str) -> str:
    """One CJK font for a whole line, so a name's ideographs match each other: Korean if it has
    Hangul, Japanese if it has kana, else Chinese."""
    if any(_within(c, HANGUL_RANGES) for c in text):
        return HANGUL
    if any(_within(c, KANA_RANGES) for c in text):
        return KANA
    return HAN


@cache
def _registered(name: str) -> frozenset[int]:
    """Register a font with ReportLab (once a process) and return the code points it has
    (all of the BMP for a CJK font: which of them a reader's font has is the reader's)."""
    from reportlab.pdfbase import pdfmetrics

    if name in SERIF.values():
        from reportlab.pdfbase.ttfonts import TTFont

        font = TTFont(name, str(FONTS / f"{name}.ttf"))
        pdfmetrics.registerFont(font)
        return frozenset(font.face.charToGlyph)
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(name))
    return frozenset(range(0x10000))


def runs(font: str, text: str) -> list[tuple[str, str]]:
    """`text` as consecutive (font, letters) runs: CJK letters in the line's CJK font, all else
    in the bundled serif matching `font` (a standard Times font). Registers what it uses."""
    serif, cjk = SERIF[font], _cjk_font(text)
    pieces: list[tuple[str, str]] = []
    for c in text:
        chosen = cjk if _within(c, CJK) else serif
        if pieces and pieces[-1][0] == chosen:
            pieces[-1] = (chosen, pieces[-1][1] + c)
        else:
            pieces.append((chosen, c))
    for name in {name for name, _ in pieces}:
        _registered(name)
    return pieces


def unshown(font: str, text: str) -> str:
    """The letters of `text` a certificate PDF cannot show, each once, in order ("" for none)."""
    missing: list[str] = []
    for name, letters in runs(font, text):
        have = _registered(name)
        missing += (c for c in letters if ord(c) not in have or unicodedata.bidirectional(c) in RIGHT_TO_LEFT)
    return "".join(dict.fromkeys(missing))
