"""The release scan reads every published file that could carry someone's data, and only those."""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

from hypothesis import given, settings, strategies as st

from generator import release_scan
from generator.records import Application

SCRIPT = "assets/javascripts/bundle.min.js"


def applicant(name: str, email: str, listed: bool) -> Application:
    return Application(2, dt.datetime(2021, 11, 1), email, name, "Oncology", "Coordinator", 3.0, "Member", "", "",
                       listed, "Gainesville", False, "", frozenset(), frozenset(), True)


def theme_and_site(tmp_path):
    theme, site = tmp_path / "theme", tmp_path / "site"
    (theme / "assets/javascripts").mkdir(parents=True)
    (theme / SCRIPT).write_text("function f(a){return a+1}" * 2000, encoding="utf-8")
    shutil.copytree(theme, site)
    (site / "index.html").write_text("<p>Welcome</p>", encoding="utf-8")
    return theme, site


def test_the_themes_own_scripts_are_not_read_but_an_edited_copy_is(tmp_path, monkeypatch):
    theme, site = theme_and_site(tmp_path)
    monkeypatch.setattr(release_scan, "_theme_folder", lambda: theme)
    read = []
    text = release_scan._text
    monkeypatch.setattr(release_scan, "_text", lambda path: read.append(path.relative_to(site).as_posix()) or text(path))
    people = (applicant("Dana Quist", "dana.quist@ufhealth.example.edu", listed=False),)
    assert release_scan.personal_data(site, people) == []
    assert read == ["index.html"]  # the shipped script is byte for byte the theme's

    # Someone pastes a participant into a copy of the script (an override, a hand edit): it is read.
    with (site / SCRIPT).open("a", encoding="utf-8") as script:
        script.write("// thanks to Dana Quist, dana.quist@ufhealth.example.edu\n")
    found = release_scan.personal_data(site, people)
    assert f"{SCRIPT}: the email address of a participant (dana.quist@ufhealth.example.edu)" in found
    assert f"{SCRIPT}: the name of a person who did not consent to be listed (Dana Quist)" in found


def test_a_listed_person_is_not_reported_but_their_address_is(tmp_path):
    _, site = theme_and_site(tmp_path)
    (site / "people.html").write_text("<li>Ana Ruiz <a href='mailto:ana.ruiz@ufhealth.example.edu'>write</a></li>",
                                      encoding="utf-8")
    listed = applicant("Ana Ruiz", "ana.ruiz@ufhealth.example.edu", listed=True)
    found = release_scan.personal_data(site, (listed, dataclasses.replace(listed, row=3, email="other@example.edu")))
    assert found == ["people.html: the email address of a participant (ana.ruiz@ufhealth.example.edu)"]


def test_only_the_sealed_personal_pages_folder_is_passed_by_and_every_other_text_file_is_read(tmp_path):
    _, site = theme_and_site(tmp_path)
    people = (applicant("Dana Quist", "dana.quist@ufhealth.example.edu", listed=False),)
    leak = "<p>Dana Quist, dana.quist@ufhealth.example.edu</p>"
    for where in ("me/0a1b2c.html", "about/me/team.html", "me.html", "data/people.json", "notes/b.txt", "image.png"):
        (site / where).parent.mkdir(parents=True, exist_ok=True)
        (site / where).write_text(leak, encoding="utf-8")
    found = release_scan.personal_data(site, people)
    assert [line.split(":")[0] for line in found] == [page for page in ("about/me/team.html", "data/people.json",
                                                                        "me.html", "notes/b.txt") for _ in (1, 2)]


def test_the_installed_theme_is_found_without_importing_it():
    theme = release_scan._theme_folder()
    assert theme is not None and (theme / "main.html").is_file()


def reference_found(names: set[str], text: str) -> set[str]:
    """The plain definition: a name counts where it stands as whole words (nothing word-like on
    either side), anywhere in the text."""
    import re

    return {name for name in names if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text)}


WORDS = ["ana", "li", "nguyen", "o'neil", "marie-claire", "zoë", "ann", "anna", "lee", "leeds", "-x", "'s"]


@settings(max_examples=300, deadline=None)
@given(st.sets(st.lists(st.sampled_from(WORDS), min_size=2, max_size=3).map(" ".join), max_size=6),
       st.lists(st.sampled_from(WORDS + [" ", ", ", ".", "\n", "<b>", "x", "9"]), max_size=40).map("".join),
       st.booleans())
def test_names_are_found_exactly_where_they_stand_as_whole_words(names, text, large_cohort):
    if large_cohort:  # a cohort's worth of other first names: the page is split into words, not searched
        names = names | {f"person{n} doe" for n in range(100)}
    assert release_scan._Names(names).found(text) == reference_found(names, text)


def test_a_name_split_by_markup_a_line_break_or_a_no_break_space_is_found(tmp_path):
    _, site = theme_and_site(tmp_path)
    (site / "a.html").write_text("<p>Thanks to Dana\n   <b>Quist</b></p>", encoding="utf-8")
    (site / "b.html").write_text("<p>Dana&nbsp;Quist</p>", encoding="utf-8")
    (site / "c.txt").write_text("dana\u2003\tquist", encoding="utf-8")  # an em space and a tab
    people = (applicant("Dana  Quist", "dana.quist@ufhealth.example.edu", listed=False),)
    assert [line.split(":")[0] for line in release_scan.personal_data(site, people)] == ["a.html", "b.html", "c.txt"]


def test_the_whitespace_names_are_normalized_by_is_the_regex_whitespace_of_every_code_point():
    """_name collapses whitespace with str.split; a name typed with any Unicode space (which regex
    \\s knows) must still be found, so the two agree on every code point."""
    import re
    import sys

    space = re.compile(r"\s")
    assert [c for c in map(chr, range(sys.maxunicode + 1))
            if bool(space.match(c)) != (release_scan._name(f"a{c}b") == "a b")] == []
