"""A program's own message templates (messages.templates) are staff's text: a mistake in one is a
located problem to fix (exit 2), never "a bug in the tool" (exit 70, as it was)."""
from __future__ import annotations

import shutil

from generator.cli import main
from tests.conftest import REPO
from tests.messages.conftest import program_copy

OURS = REPO / "generator" / "render" / "templates" / "messages"
ANNOUNCED = "2021-12-16"


def own_template(tmp_path, name, last_line):
    """The circles example with its own copy of `name`, one line added at its end; that line's number."""
    program = program_copy("circles", tmp_path, "  templates: templates\n")
    folder = program.parent / "templates"
    folder.mkdir()
    text = (OURS / name).read_text(encoding="utf-8") if (OURS / name).exists() else ""
    (folder / name).write_text(text + last_line + "\n", encoding="utf-8")
    return program, text.count("\n") + 1


def build(program, tmp_path, capsys, command=()):
    code = main([*command, "--program", str(program), "--today", ANNOUNCED,
                 *(() if command else ("--out", str(tmp_path / "site"), "--staff-out", str(tmp_path / "staff")))])
    return code, capsys.readouterr()


def test_a_misspelt_name_in_an_announcement_names_the_file_the_line_and_the_names_it_can_use(tmp_path, capsys):
    program, line = own_template(tmp_path, "announcement.txt.j2", "See you there, {{ to_nmae }}.")
    code, said = build(program, tmp_path, capsys)
    assert code == 2 and "Traceback" not in said.err and "bug in the tool" not in said.err
    assert f"announcement.txt.j2, line {line}: 'to_nmae' is undefined (writing the announcement message, whose " \
           "templates can use " in said.err
    assert "placement" in said.err and "to_name" in said.err


def test_an_attribute_that_is_not_there_names_the_object_as_staff_know_it(tmp_path, capsys):
    program, line = own_template(tmp_path, "announcement.txt.j2", "Call us: {{ p.contact.phone }}")
    code, said = build(program, tmp_path, capsys)
    assert code == 2 and f"announcement.txt.j2, line {line}: 'Contact object' has no attribute 'phone'" in said.err


def test_syntax_errors_unknown_filters_and_misnamed_files_are_all_found_before_any_message(tmp_path, capsys):
    program, line = own_template(tmp_path, "eligibility.txt.j2", "{% if %}")
    folder = program.parent / "templates"
    (folder / "_signature.html.j2").write_text("<p>{{ to_name | shout }}</p>\n", encoding="utf-8")
    shutil.copy(OURS / "unmatched.txt.j2", folder / "unmached.txt.j2")
    (folder / "README.txt").write_text("our wording, reviewed by the program office\n", encoding="utf-8")
    expected = [f"_signature.html.j2, line 1: No filter named 'shout'.",
                f"eligibility.txt.j2, line {line}: Expected an expression, got 'end of statement block'",
                "unmached.txt.j2 is no message's template: a message's are <kind>.txt.j2 and <kind>.html.j2 for "
                "the kinds application-received, "]
    for command in ((), ("check",)):
        code, said = build(program, tmp_path, capsys, command)
        assert code == 2 and "bug in the tool" not in said.err + said.out
        shown = said.err + said.out
        for problem in expected:
            assert problem in shown, (problem, shown)
        assert "README.txt" not in shown
    assert not (tmp_path / "staff" / "outbox").exists()


def test_own_templates_that_compile_are_said_by_check_and_used(tmp_path, capsys):
    program, _ = own_template(tmp_path, "_footer.txt.j2", "With thanks from the program office.")
    code, said = build(program, tmp_path, capsys, ("check",))
    assert code == 0 and f"the message templates in {program.parent / 'templates'} compile" in said.out
    assert build(program, tmp_path, capsys)[0] == 0
    sent = next((tmp_path / "staff" / "outbox").glob("*.eml")).read_text(encoding="utf-8")
    assert "With thanks from the program office." in sent
