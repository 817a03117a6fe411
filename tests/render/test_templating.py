"""Compiled templates kept between builds (as .pyc files are): never stale, never another's."""
from __future__ import annotations

import os

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader

from generator.render import templating
from generator.render.templating import compiled_cache, environment, render


def test_the_build_environment_keeps_compiled_templates_in_its_own_files():
    cache = environment().bytecode_cache
    assert isinstance(cache, FileSystemBytecodeCache) and cache.pattern.startswith("crp-mentoring-")
    render("personal/shell.html.j2", program="P", contact="c@x.edu", sealed="x")
    assert any(name.startswith("crp-mentoring-") for name in os.listdir(cache.directory))


def test_a_new_jinja_or_new_settings_use_new_cache_files(monkeypatch):
    today = compiled_cache().pattern
    monkeypatch.setattr(jinja2, "__version__", "99.0")
    assert compiled_cache().pattern != today
    monkeypatch.undo()
    monkeypatch.setitem(templating._SETTINGS, "trim_blocks", False)
    assert compiled_cache().pattern != today


def test_an_edited_template_is_compiled_again_not_read_from_the_cache(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    page = folder / "page.md.j2"
    cache = FileSystemBytecodeCache(str(tmp_path / "cache"), compiled_cache().pattern)
    (tmp_path / "cache").mkdir()

    def fresh() -> Environment:  # a new build: a new process, a new environment
        return Environment(loader=FileSystemLoader(str(folder)), bytecode_cache=cache, **templating._SETTINGS)

    page.write_text("Hello {{ name }}\n")
    assert fresh().get_template("page.md.j2").render(name="<Ana>") == "Hello &lt;Ana&gt;\n"
    [kept] = (tmp_path / "cache").iterdir()
    compiled = kept.read_bytes()
    os.utime(kept, ns=(1, 1))
    assert fresh().get_template("page.md.j2").render(name="Ana") == "Hello Ana\n"
    assert kept.stat().st_mtime_ns == 1  # read from the cache, not compiled
    page.write_text("Goodbye {{ name }}\n")
    assert fresh().get_template("page.md.j2").render(name="Ana") == "Goodbye Ana\n"
    assert kept.stat().st_mtime_ns != 1 and kept.read_bytes() != compiled


def test_a_cache_that_cannot_be_written_costs_time_not_the_build(tmp_path):
    (tmp_path / "page.md.j2").write_text("Hello {{ name }}\n")
    gone = templating._Cache(str(tmp_path / "no-such-folder"), compiled_cache().pattern)
    env = Environment(loader=FileSystemLoader(str(tmp_path)), bytecode_cache=gone, **templating._SETTINGS)
    assert env.get_template("page.md.j2").render(name="Ana") == "Hello Ana\n"


def test_an_email_may_break_at_its_at_and_dots_and_stays_text():
    from generator.render.templating import breakable

    assert breakable("brianna.higgins39@tuftsmedicine.example.org") == (
        "brianna.higgins39@<wbr>tuftsmedicine<wbr>.example<wbr>.org")
    assert breakable('x<script>"@a&b.org') == "x&lt;script&gt;&#34;@<wbr>a&amp;b<wbr>.org"
    assert breakable("no address") == "no address"
