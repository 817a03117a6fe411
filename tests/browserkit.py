"""A real headless Debian chromium, driven by Playwright, against the built sites over HTTP."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


#: The fonts the package bundles for certificates (DejaVu Serif, Noto Serif Hebrew, Noto Naskh Arabic).
FONTS = Path(__file__).resolve().parents[1] / "generator" / "render" / "fonts"


def only_bundled_fonts(folder: Path) -> dict[str, str]:
    """The browser's environment with the bundled fonts as its only ones: a page lays out the same on
    every machine (CI's chromium once had narrower system fonts than a developer's, or wider), and
    DejaVu Serif is wider than the sans-serif fonts readers mostly have, so a line that fits here fits
    for them."""
    config = folder / "fonts.conf"
    config.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{FONTS}</dir><cachedir>{folder / "cache"}</cachedir></fontconfig>
""")
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Skips without chromium on a developer machine; fails in CI, where it must be installed."""
    path = chromium_path()
    if path is None:
        message = "Debian chromium not found: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS,
                                    env=only_bundled_fonts(tmp_path_factory.mktemp("fonts")))
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


def serve_folder(root: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


@pytest.fixture(scope="session")
def served(built) -> Iterator[dict[str, str]]:
    """Base URL per output: each example's public site and its staff reports."""
    servers, urls = [], {}
    for name, result in built.items():
        for kind, root in (("site", result.site_dir), ("staff", result.staff_dir)):
            url, server = serve_folder(root)
            urls[f"{name}-{kind}"] = url
            servers.append(server)
    yield urls
    for server in servers:
        server.shutdown()
