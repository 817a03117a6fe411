"""Escaping is total: any text round-trips as data and never becomes markup or a formula."""
from __future__ import annotations

import csv
import html as stdlib_html
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.render.escape import FORMULA_PREFIXES, csv_cell, html
from generator.render.staff import to_csv


@given(st.text())
def test_html_escaping_round_trips_and_leaves_no_markup(text):
    escaped = html(text)
    assert stdlib_html.unescape(escaped) == text
    assert not set("<>\"'") & set(escaped)


@given(st.text())
def test_no_csv_cell_starts_like_a_formula(text):
    cell = csv_cell(text)
    assert not cell.lstrip(" ").startswith(FORMULA_PREFIXES)
    assert cell == text or cell == "'" + text


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(\"http://evil.example\",\"click\")", "'=HYPERLINK(\"http://evil.example\",\"click\")"),
    ("+1 352 555 0100", "'+1 352 555 0100"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=cmd", "'\t=cmd"),
    ("  =1+1", "'  =1+1"),
    ("Ana Rivera", "Ana Rivera"),
    (12, "12"),
    (None, ""),
])
def test_csv_cell(value, cell):
    assert csv_cell(value) == cell


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\r\x00")), min_size=1, max_size=4))
def test_csv_export_reads_back_neutralized(cells):
    text = to_csv(["a"] * len(cells), [cells])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1] == [csv_cell(c) for c in cells]
