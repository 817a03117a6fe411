"""Fonts for the certificate lines the standard Times fonts cannot show (letters outside
Windows-1252: Nguyễn, Łukasz, Şükrü, Дмитрий, 王秀英, 김민준, דוד כהן, محمد علي).

Latin, Greek and Cyrillic letters are drawn in DejaVu Serif, Hebrew in Noto Serif Hebrew and
Arabic in Noto Naskh Arabic (bundled in `fonts/`, their licenses beside them), embedded as
subsets of the letters used; Chinese, Japanese and Korean in the Adobe CJK fonts PDF readers
provide themselves (not embedded: each is megabytes). A line with right-to-left letters is put
in display order by the Unicode bidirectional algorithm (python-bidi) and its Hebrew and Arabic
runs shaped by HarfBuzz (through ReportLab), so Arabic letters join as they are written. What
none of the fonts has (other scripts) is reported to staff by `unshown` rather than printed as
boxes.
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
HEBREW = {"Times-Roman": "NotoSerifHebrew-Regular", "Times-Bold": "NotoSerifHebrew-Bold"}
ARABIC = {"Times-Roman": "NotoNaskhArabic-Regular", "Times-Bold": "NotoNaskhArabic-Bold"}
HEBREW_RANGES = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))  # letters, points, their presentation forms
ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
#: The bundled fonts: drawn from their files, embedded as subsets.
BUNDLED = {*SERIF.values(), *HEBREW.values(), *ARABIC.values()}
#: Bidirectional classes that make a line need the bidirectional algorithm.
RIGHT_TO_LEFT = {"R", "AL", "RLE", "RLO", "RLI"}
#: Joiners: invisible, but they decide how Arabic letters around them join; they go with their letters.
JOINERS = "\u200c\u200d"


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

    if name in BUNDLED:
        from reportlab.pdfbase.ttfonts import TTFont

        font = TTFont(name, str(FONTS / f"{name}.ttf"))
        pdfmetrics.registerFont(font)
        return frozenset(font.face.charToGlyph)
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(name))
    return frozenset(range(0x10000))


def _fonts(font: str, text: str) -> list[str]:
    """The font drawing each letter of `text`: CJK letters in the line's CJK font, Hebrew and
    Arabic in theirs, all else in the bundled serif matching `font` (a standard Times font); a
    combining mark or joiner in its letter's font."""
    serif, cjk, hebrew, arabic = SERIF[font], _cjk_font(text), HEBREW[font], ARABIC[font]
    chosen: list[str] = []
    for c in text:
        if chosen and (c in JOINERS or unicodedata.category(c) in ("Mn", "Me")):
            chosen.append(chosen[-1])
        elif _within(c, CJK):
            chosen.append(cjk)
        elif _within(c, HEBREW_RANGES):
            chosen.append(hebrew)
        elif _within(c, ARABIC_RANGES):
            chosen.append(arabic)
        else:
            chosen.append(serif)
    return chosen


def runs(font: str, text: str) -> list[tuple[str, str]]:
    """`text` as consecutive (font, letters) runs, in the order typed (see `_fonts`), without
    the invisible formatting characters (joiners, direction marks) nothing is drawn for.
    Registers what it uses."""
    pieces: list[tuple[str, str]] = []
    for c, chosen in zip(text, _fonts(font, text)):
        if unicodedata.category(c) == "Cf":
            continue
        if pieces and pieces[-1][0] == chosen:
            pieces[-1] = (chosen, pieces[-1][1] + c)
        else:
            pieces.append((chosen, c))
    for name in {name for name, _ in pieces}:
        _registered(name)
    return pieces


def drawn(font: str, size: float, text: str) -> tuple[list[tuple[str, str]], float]:
    """`text` as the (font, letters) runs a line draws from left to right, and its width at
    `size`. Without right-to-left letters that is `runs`; with them, the runs in display order,
    each Hebrew or Arabic one shaped by HarfBuzz (a ReportLab `ShapedStr`, its glyphs in display
    order), each other one at a right-to-left level mirrored ("(" drawn as ")")."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if not any(unicodedata.bidirectional(c) in RIGHT_TO_LEFT for c in text):
        pieces = runs(font, text)
    else:
        pieces = _bidi_runs(font, size, text)
    width = 0.0
    for name, letters in pieces:
        shaped = getattr(letters, "__shapeData__", None)
        width += (sum(glyph.x_advance for glyph in shaped) * size / 1000 if shaped is not None
                  else stringWidth(letters, name, size))
    return pieces, width


def _bidi_runs(font: str, size: float, text: str) -> list[tuple[str, str]]:
    """A line with right-to-left letters as runs of one font and one embedding level, in display
    order (the line's direction from its first strong letter, as the HTML certificate's dir=auto)."""
    from bidi import algorithm as uba
    from bidi.mirror import MIRRORED
    from reportlab.pdfbase.ttfonts import shapeStr

    fonts = _fonts(font, text)
    # The algorithm's steps but its last (mirroring, which HarfBuzz does for the runs it shapes),
    # each letter keeping its place in `text`; the explicit embedding marks and joiners are
    # dropped from the letters (rule X9), but a shaped run is taken whole from `text`.
    storage = uba.get_empty_storage()
    storage["base_level"] = uba.get_base_level(text)
    storage["base_dir"] = ("L", "R")[storage["base_level"]]
    uba.get_embedding_levels(text, storage)
    for index, letter in enumerate(storage["chars"]):
        letter["index"] = index
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    groups: list[tuple[str, int, list[int]]] = []  # (font, level, indexes in display order)
    for letter in storage["chars"]:
        index, level = letter["index"], letter["level"]
        if unicodedata.category(text[index]) == "Cf":
            continue  # invisible formatting (a mark, a joiner): nothing to draw
        if groups and groups[-1][:2] == (fonts[index], level):
            groups[-1][2].append(index)
        else:
            groups.append((fonts[index], level, [index]))
    pieces: list[tuple[str, str]] = []
    for name, level, indexes in groups:
        _registered(name)
        if level % 2 and name in (HEBREW[font], ARABIC[font]):
            pieces.append((name, shapeStr(text[min(indexes):max(indexes) + 1], name, size)))
        elif level % 2:
            pieces.append((name, "".join(MIRRORED.get(text[i], text[i]) for i in indexes)))
        else:
            pieces.append((name, "".join(text[i] for i in indexes)))
    return pieces


def unshown(font: str, text: str) -> str:
    """The letters of `text` a certificate PDF cannot show, each once, in order ("" for none)."""
    missing: list[str] = []
    for name, letters in runs(font, text):
        have = _registered(name)
        missing += (c for c in letters if ord(c) not in have)
    return "".join(dict.fromkeys(missing))
