"""An applicant opens the site and the application form in a real browser."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_page_opens(page, served, built):
    page.goto(served["circles-site"] + "/index.html")
    name = built["circles"].gathered.loaded.program.name
    assert page.title().startswith("Home - " + name) or name in page.title()
    assert page.locator("h1").first.inner_text() == name
    assert page.get_by_role("link", name="How to apply").first.is_visible()


def test_application_form_fields_are_labelled_and_required_marked(page, served, built):
    page.goto(served["circles-open-site"] + "/apply.html")
    form = page.locator("form#form-application")
    assert form.is_visible()
    app = built["circles"].gathered.loaded.forms["application"]
    for field in app.fields_for("circles"):
        if field.type.value in ("short_text", "long_text", "email", "date", "number"):
            control = page.get_by_label(field.label, exact=False).first
            assert control.count() == 1, field.id
        else:
            assert page.get_by_role("group", name=field.label, exact=False).count() == 1, field.id
    required = form.locator(".crp-required")
    assert required.count() == sum(f.required for f in app.fields_for("circles")) + 1  # + the note above the form
    assert "At most 500 words." in form.inner_text()


def test_submitting_an_empty_form_announces_the_errors(page, served):
    page.goto(served["circles-open-site"] + "/apply.html")
    page.get_by_role("button", name="Submit application").click()
    summary = page.locator("#form-application-errors")
    assert summary.is_visible()
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "form-application-errors"
    assert "Full name: This answer is required." in summary.inner_text()
    assert "How can you attend circle meetings? Choose an answer." in summary.inner_text()
    assert "?:" not in summary.inner_text()
    assert page.locator("#f-application-full_name").get_attribute("aria-invalid") == "true"


def test_word_limit_is_counted_and_enforced(page, served):
    page.goto(served["circles-open-site"] + "/apply.html")
    area = page.locator("#f-application-statement_of_interest")
    area.fill("word " * 501)
    assert "501 of 500 words used." in page.locator("[data-count-for='f-application-statement_of_interest']").inner_text()
    page.get_by_role("button", name="Submit application").click()
    assert "Use at most 500 words (now 501)." in page.locator("#form-application-errors").inner_text()


@pytest.mark.parametrize("site, path, sentence", [
    ("circles-site", "apply.html", "The application form closed on November 15, 2021."),
    ("pairs-site", "participants/checkin.html", "Online submission is not connected on this copy of the site."),
    ("circles-open-site", "participants/meeting_log.html", "The meeting log form opens on December 15, 2021."),
])
def test_a_form_that_cannot_be_sent_is_replaced_by_what_to_do(page, served, built, site, path, sentence):
    """After the window, or with no receiver configured, there is no form to fill in and lose."""
    page.goto(f"{served[site]}/{path}")
    contact = built[site.removesuffix("-site")].gathered.loaded.program.contact.email
    assert page.locator("form.crp-form").count() == 0
    notice = page.locator(".crp-form-closed")
    assert sentence in notice.inner_text() and notice.locator(f"a[href='mailto:{contact}']").count() == 1


def test_an_open_form_posts_to_the_receiver(page, served):
    page.goto(served["pairs-open-site"] + "/participants/checkin.html")
    assert page.locator("form#form-checkin").get_attribute("action") == "https://receiver.example.org/submit/checkin"
    assert page.locator(".crp-form-closed").count() == 0


def test_pairs_site_shows_the_four_rounds(page, served):
    page.goto(served["pairs-site"] + "/how-it-works.html")
    rows = page.locator("table").nth(1).locator("tbody tr")
    assert rows.count() == 4
    assert "Mentor and mentee" in rows.nth(0).inner_text() and "Same-level peers" in rows.nth(1).inner_text()


@pytest.mark.parametrize("width", [1000, 390])
def test_evaluation_charts_are_readable_on_a_desk_and_a_phone(browser, served, width):
    """The theme sized a chart's figure to its content, which drew the SVG at a fraction of its
    viewBox: labels about 5 px tall. Every word of every chart is at least 12 px tall (its box's
    height) and inside its chart, whatever the label's length."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(served["circles-site"] + "/evaluation.html")
    words = page.evaluate("""() => Array.from(document.querySelectorAll('.crp-chart svg')).flatMap(svg => {
        const box = svg.getBoundingClientRect();
        return Array.from(svg.querySelectorAll('text')).map(t => { const r = t.getBoundingClientRect();
            return [t.textContent, r.height, r.left >= box.left - 0.5 && r.right <= box.right + 0.5]; }); })""")
    context.close()
    assert len(words) > 10
    assert [w for w in words if w[1] < 12 or not w[2]] == []


def test_a_certificate_passes_axe(page, tmp_path):
    import datetime as dt

    from axe_playwright_python.sync_playwright import Axe

    from generator.pipeline import BuildOptions, gather
    from tests.conftest import EXAMPLES
    from tests.gates.test_accessibility import AXE_OPTIONS, BLOCKING

    g = gather(BuildOptions(program=EXAMPLES["circles"], run_mkdocs=False, today=dt.date(2022, 10, 15)))
    first = next(name for name in sorted(g.staff) if name.startswith("certificates/") and name.endswith(".html"))
    (tmp_path / "certificate.html").write_text(str(g.staff[first]))
    page.goto((tmp_path / "certificate.html").as_uri())
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert [v["id"] for v in found if v["impact"] in BLOCKING] == []


def test_a_progress_page_listing_certificates_the_pdf_cannot_print_passes_axe(page, tmp_path, built, pairs):
    """The staff progress page with its table of PDF certificates missing letters (a Syriac name,
    a right-to-left script the PDF's fonts lack): labelled, captioned, and its right-to-left text
    in a page that axe finds nothing wrong with."""
    from axe_playwright_python.sync_playwright import Axe

    from generator.progress.report import progress
    from generator.render.staff import staff_outputs
    from tests.gates.test_accessibility import AXE_OPTIONS, BLOCKING
    from tests.test_completion import AFTER_THE_YEAR, cohort

    responses, screenings, matching = cohort(ana="ܐܦܪܝܡ ܒܪ ܝܘܚܢܢ")
    report = progress(pairs.program, responses, screenings, matching, AFTER_THE_YEAR)
    g = built["pairs"].gathered
    html = staff_outputs(pairs, g.responses, g.screenings, g.matching, report, "origin", "2026-01-15")["progress.html"]
    (tmp_path / "progress.html").write_text(str(html), encoding="utf-8")
    page.goto((tmp_path / "progress.html").as_uri())
    table = page.get_by_role("table", name="PDF certificates missing letters")
    assert "ܐܦܪܝܡ ܒܪ ܝܘܚܢܢ" in table.inner_text()
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert [v["id"] for v in found if v["impact"] in BLOCKING] == []


def test_a_name_begun_in_arabic_reads_the_same_way_on_the_html_certificate_as_on_the_pdf(page, tmp_path, pairs):
    """Both take the name's direction from its first letter (the PDF by the bidirectional
    algorithm, the page by dir=auto): a name typed "سارة Lopez" reads from the right on both,
    Lopez at the left, and the page (printed when the PDF cannot be) passes axe."""
    import unicodedata

    from axe_playwright_python.sync_playwright import Axe

    from generator.progress.report import progress
    from generator.render.certificates import completion_records
    from tests.gates.test_accessibility import AXE_OPTIONS, BLOCKING
    from tests.test_completion import AFTER_THE_YEAR, ARABIC, SERIF, _name_line, cohort

    name = "سارة Lopez"
    responses, screenings, matching = cohort(ana=name)
    files, _ = completion_records(pairs.program, progress(pairs.program, responses, screenings, matching, AFTER_THE_YEAR))
    stem = next(path for path, content in files.items() if path.endswith(".html") and name in str(content))[:-5]
    pdf = files[stem + ".pdf"]
    assert isinstance(pdf, bytes)
    drawn = [(unicodedata.normalize("NFKC", text).strip(), font) for text, font in _name_line(pdf) if text.strip()]
    assert drawn == [("Lopez", SERIF), ("سارة", ARABIC)]
    (tmp_path / "certificate.html").write_text(str(files[stem + ".html"]), encoding="utf-8")
    page.goto((tmp_path / "certificate.html").as_uri())
    box = page.locator(".name").evaluate("""p => {
        const text = p.firstChild, at = (start, end) => {
            const range = document.createRange(); range.setStart(text, start); range.setEnd(text, end);
            const r = range.getBoundingClientRect(); return [r.left, r.right]; };
        return {arabic: at(0, 4), latin: at(5, 10)}; }""")
    assert box["latin"][1] <= box["arabic"][0], box
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert [v["id"] for v in found if v["impact"] in BLOCKING] == []
