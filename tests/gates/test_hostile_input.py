"""Hostile input in every text field of every form: the build succeeds and nothing is interpreted."""
from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest

from generator.pipeline import BuildOptions, build
from generator.render.escape import FORMULA_PREFIXES
from tests.conftest import BUILD_DAY, EXAMPLES, FORMS
from tests.gates.hostile import CORPUS, fuzzed_program
from tests.gates.links import parse
from tests.gates.outputs import outputs_of


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Both examples, fuzzed and really built (mkdocs --strict)."""
    results, rejected = {}, {}
    for name, example in EXAMPLES.items():
        root = tmp_path_factory.mktemp(f"hostile-{name}")
        program, rejected[name] = fuzzed_program(example, FORMS, root / "program")
        results[name] = build(BuildOptions(program=program, forms_dir=FORMS, out=root / "site",
                                           staff_out=root / "staff", work=root / "build", today=BUILD_DAY[name]))
    return results, rejected


def test_the_build_succeeds_and_keeps_the_text_rows(hostile):
    results, _ = hostile
    for result in results.values():
        apps = result.gathered.responses.of("application")
        assert len(apps) > 30
        assert {a["full_name"] for a in apps} & {c.replace("\x00", "").replace("\x07", "").replace("\x1b", "").strip() for c in CORPUS}


def test_no_event_handler_or_javascript_url_in_any_built_file(hostile):
    results, _ = hostile
    found = []
    for output in outputs_of(results):
        for rel in output.pages():
            for tag, name, value in parse(output.root / rel).attributes:
                if name.startswith("on") or value.strip().lower().startswith("javascript:"):
                    found.append(f"{output.name}/{rel}: <{tag} {name}={value!r}>")
    assert found == []


def test_nothing_injected_runs_in_the_browser(hostile, browser):
    results, _ = hostile
    from tests.browserkit import serve_folder

    problems = defaultdict(list)
    for output in outputs_of(results):
        url, server = serve_folder(output.root)
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for rel in output.pages():
            page.goto(f"{url}/{rel}")
            page.wait_for_load_state("load")
            page.mouse.move(200, 300)  # give onmouseover a chance
            state = page.evaluate("""() => ({
                pwned: window.__pwned === 1,
                injected: document.querySelectorAll('.injected, [data-injected], iframe').length,
                jsLinks: document.querySelectorAll('[href^="javascript:" i], [src^="javascript:" i]').length,
                hiddenBody: getComputedStyle(document.body).display === 'none',
            })""")
            if any(state.values()) or dialogs:
                problems[f"{output.name}/{rel}"].append({**state, "dialogs": list(dialogs)})
        page.close()
        server.shutdown()
    assert dict(problems) == {}


def test_payloads_are_shown_as_text(hostile, browser):
    results, _ = hostile
    from tests.browserkit import serve_folder

    result = results["circles"]
    url, server = serve_folder(result.staff_dir)
    page = browser.new_page()
    page.goto(f"{url}/eligibility.html")
    shown = page.locator("main").inner_text()
    names = [a["full_name"] for a in result.gathered.responses.of("application") if "<" in a["full_name"]]
    assert names and all(n in shown for n in names)
    site_url, site_server = serve_folder(result.site_dir)
    page.goto(f"{site_url}/index.html")
    assert page.locator("h1").first.inner_text() == "Circles " + CORPUS[0]
    page.close()
    server.shutdown()
    site_server.shutdown()


def test_opened_personal_pages_show_payloads_as_text(hostile, browser):
    """Sealed pages are opened with their keys: what people typed is still only text inside them."""
    results, _ = hostile
    from tests.browserkit import serve_folder

    opened = 0
    for result in results.values():
        with open(result.staff_dir / "links.csv", newline="", encoding="utf-8") as f:
            site = result.gathered.loaded.program.site_url or ""  # served here, not at the program's address
            links = [r["link"].removeprefix(site) for r in csv.DictReader(f) if r["form"] == "Personal page"]
        url, server = serve_folder(result.site_dir)
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for link in links[:8]:
            page.goto("about:blank")
            page.goto(f"{url}/{link}")
            page.wait_for_selector("#hello")
            page.mouse.move(200, 300)
            state = page.evaluate("""() => [window.__pwned === 1,
                document.querySelectorAll('.injected, [data-injected], iframe').length,
                document.querySelectorAll('[href^="javascript:" i], [src^="javascript:" i]').length]""")
            assert state == [False, 0, 0] and dialogs == [], link
            opened += 1
        page.close()
        server.shutdown()
    assert opened == 16


def test_every_csv_export_neutralizes_formulas(hostile):
    results, _ = hostile
    cells = 0
    for result in results.values():
        for path in result.staff_dir.glob("*.csv"):
            for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
                for cell in row:
                    cells += 1
                    assert not cell.lstrip(" ").startswith(FORMULA_PREFIXES), (path.name, cell)
    exports = "".join(p.read_text(encoding="utf-8") for r in results.values() for p in r.staff_dir.glob("*.csv"))
    assert "'=HYPERLINK(" in exports and cells > 500


def test_rows_with_hostile_emails_or_dates_are_rejected_and_reported(hostile):
    results, rejected = hostile
    for name, result in results.items():
        issues = {(i.tab, i.row) for i in result.gathered.responses.issues if i.action == "row left out"}
        expected = {(tab, row) for tab, rows in rejected[name].items() for row in rows}
        assert expected and expected <= issues
        report = (result.staff_dir / "data-issues.html").read_text()
        assert "&lt;script&gt;" in report and "<script>window.__pwned" not in report
