"""mkdocs in a second process, started before the build computes anything.

A build spends its first second importing and computing; mkdocs spends its first half second
importing itself and compiling the theme's templates. Run one after the other, the two add up;
here mkdocs gets ready on the other core while the build works, then builds the docs folder the
moment it is written (`MkdocsWorker.build`), while the build goes on making the staff reports.

The worker reads one request (config file, site folder, build date) on stdin and answers one
line of JSON on stdout: {"ok": true} or {"error": ..., "warnings": [...]}. Anything a library
prints goes to stderr, so it can never be mistaken for the answer. Closing its stdin without a
request (the build failed, or found nothing changed) ends it.

This module imports only the standard library at the top: the build's command line starts the
worker before it loads anything heavy.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, IO

#: The reproducible-builds variable mkdocs reads for the build date (the sitemap, its gzip header).
EPOCH = "SOURCE_DATE_EPOCH"


def epoch(today: dt.date) -> str:
    return str(int(dt.datetime.combine(today, dt.time(), dt.timezone.utc).timestamp()))


class MkdocsWorker:
    """The build's handle on the worker process: `build` sends the request, `wait` reads the answer."""

    def __init__(self, base_config: Path | None = None) -> None:
        command = [sys.executable, "-m", "generator.mkdocs_worker"] + ([str(base_config)] if base_config else [])
        # The worker must import the same generator package as this process, wherever it runs from.
        root = str(Path(__file__).resolve().parents[1])
        path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        env={**os.environ, "PYTHONPATH": path}, text=True, encoding="utf-8")
        self.sent = False

    def build(self, config_file: Path, site_dir: Path, today: dt.date | None) -> None:
        """Start building; returns at once."""
        assert self.process.stdin is not None and not self.sent
        request = {"config": str(config_file), "site_dir": str(site_dir), "epoch": epoch(today) if today else None}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.close()
        self.sent = True

    def wait(self) -> None:
        """The built site, or GeneratorError with mkdocs' own words (its strict-mode warnings)."""
        from generator.errors import GeneratorError

        assert self.process.stdout is not None and self.sent
        answer = self.process.stdout.readline()  # the answer is one line; the process ends by itself
        try:
            result = json.loads(answer) if answer.strip() else {}
        except ValueError:
            result = {}
        if result.get("ok"):
            return
        if "error" not in result:
            raise GeneratorError(f"mkdocs stopped without an answer (exit code {self.process.wait()}); "
                                 "its messages are above")
        warnings = "".join(f"\n  {w}" for w in result.get("warnings", []))
        raise GeneratorError(f"mkdocs build failed (strict mode): {result['error']}{warnings}")

    def close(self) -> None:
        """End the worker if no build was asked of it (or it is still running after a failure)."""
        if self.process.poll() is None:
            if not self.sent and self.process.stdin is not None:
                self.process.stdin.close()  # no request: it exits by itself once its imports are done
                self.sent = True
            try:
                self.process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> "MkdocsWorker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Warnings(logging.Handler):
    """mkdocs' warnings, kept for the answer (strict mode fails on any of them)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())


def _warm(base_config: str | None) -> None:
    """Import what the site's config names (theme, plugins, Markdown extensions) and compile the
    theme's templates into a cache the build's own Jinja environment then reads: the work a bare
    `mkdocs build` does before its first page, done while the main process is still computing."""
    import jinja2
    from mkdocs.config import load_config
    from mkdocs.theme import Theme

    cache = _memory_cache()
    make_env = Theme.get_env
    listed: dict[tuple[str, ...], list[str]] = {}

    def get_env(theme: Theme) -> jinja2.Environment:
        env = make_env(theme)
        env.bytecode_cache = cache
        loader = env.loader
        if type(loader) is jinja2.FileSystemLoader:
            key = tuple(str(folder) for folder in loader.searchpath)
            if key not in listed:
                listed[key] = _visible(key, loader.followlinks)
            loader.list_templates = lambda: list(listed[key])  # type: ignore[method-assign]
        return env

    Theme.get_env = get_env  # type: ignore[method-assign,assignment]
    if not base_config:
        return
    config = load_config(base_config)  # a problem here is the real build's to report, in its own words
    env = config.theme.get_env()
    for name in _templates(env.list_templates(), config.theme.get("language") or "en"):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass  # a template for a plugin the site does not use (the blog's)


def _visible(folders: tuple[str, ...], followlinks: bool) -> list[str]:
    """The theme's files as Jinja's FileSystemLoader lists them, less hidden files and folders.
    mkdocs lists them to copy the theme's static files, and its filter drops every name matching
    '.*' or '*/.*' (whatever the config); Material keeps 14,000 icons in a hidden folder, so
    walking and filtering them was a third of a 49-person site's build. Listed once, while warming
    (which also picks the templates to compile from this list)."""
    found: set[str] = set()
    for folder in folders:
        for top, dirs, files in os.walk(folder, followlinks=followlinks):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            here = os.path.relpath(top, folder).replace(os.sep, "/")
            found.update(name if here == "." else f"{here}/{name}" for name in files if not name.startswith("."))
    return sorted(found)


def _templates(names: list[str], language: str) -> list[str]:
    """Of the theme's files (as listed for the build), the templates a build can use: not its
    icons (thousands of SVG files in a hidden folder) and, of its translations, only the site's
    language and English (the fallback)."""
    wanted = {f"{language}.html", "en.html"}
    return [name for name in names if name.endswith(".html") and not any(part.startswith(".") for part in name.split("/"))
            and (not name.rpartition("/")[0].endswith("partials/languages") or name.rpartition("/")[2] in wanted)]


def _memory_cache() -> Any:
    """Jinja's bytecode cache, in memory: templates compiled while warming are not compiled again."""
    import jinja2

    class MemoryCache(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.store: dict[str, bytes] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            if bucket.key in self.store:
                bucket.bytecode_from_string(self.store[bucket.key])

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self.store[bucket.key] = bucket.bytecode_to_string()

    return MemoryCache()


def _serve(requests: IO[str], answers: IO[str], base_config: str | None) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        _warm(base_config)
    except Exception:  # warming only saves time: the build compiles what it needs by itself
        pass
    line = requests.readline()
    if not line.strip():
        return 0
    request = json.loads(line)
    if request.get("epoch"):
        os.environ[EPOCH] = request["epoch"]
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.WARNING)
    warnings = _Warnings()
    logger.addHandler(warnings)
    logger.propagate = False
    try:
        build(load_config(request["config"], strict=True, site_dir=request["site_dir"]))
    except (Abort, ConfigurationError) as exc:
        answers.write(json.dumps({"error": str(exc), "warnings": warnings.seen}) + "\n")
        return 1
    answers.write(json.dumps({"ok": True}) + "\n")
    return 0


def main() -> int:
    answers = sys.stdout
    sys.stdout = sys.stderr  # whatever a library prints is not the answer
    code = _serve(sys.stdin, answers, sys.argv[1] if len(sys.argv) > 1 else None)
    answers.flush()
    return code


if __name__ == "__main__":
    try:
        code = main()
    except KeyboardInterrupt:  # Ctrl-C reaches both processes; the build says what happened
        code = 130
    sys.stderr.flush()
    os._exit(code)  # the answer is out and the site written: no need to wait for the interpreter's teardown
