"""The build, in order: load -> read -> validate -> screen -> match -> progress -> evaluate -> render -> write -> mkdocs."""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Callable, Mapping, TypeVar

from generator.collector import paused
from generator.options import BuildOptions, staff_apart
from generator.fingerprint import inputs_digest, record
from generator.forked import Forked, Turns
from generator.changes import (BASELINE, Changes, RowChanges, baseline, changed_rows, compare, drop_rows, read_baseline,
                               write_baseline)
from generator.config.program import LoadedProgram, load_program
from generator.release_scan import personal_data
from generator.errors import ConfigError, GeneratorError, ReleaseError
from generator.evaluate.indicators import measure
from generator.evaluate.release import check_release
from generator.evaluate.summary import summarize
from generator.matching.stage import Matching, match
from generator.progress.report import progress
from generator.mkdocs_site import site_config
from generator.mkdocs_worker import MkdocsWorker
from generator.progress.personal import answered_days, personal_views
from generator.receiver.apps_script import apps_script, google_forms_script
from generator.render.calendars import Calendars
from generator.render.deferred import Deferred
from generator.messages.compose import Composer
from generator.messages.due import Inputs, due_messages
from generator.messages.ledger import Ledger, read_ledger
from generator.messages.outbox import Plan, outbox_files, outbox_names, plan
from generator.render.personal import PersonalLink, person_calendars, personal_links, personal_pages
from generator.render.escape import html
from generator.render.site import Page, evaluation_pages, navigation, public_pages
from generator.render.templating import long_date
from generator.render.staff import staff_outputs
from generator.render.writer import MARKER, Writer, claim, sync_tree, write_if_changed, write_new
from generator.screen.eligibility import Screening, screen
from generator.sources.table import Workbook
from generator.sources.choose import read_source
from generator.schedule.events import CIRCLE, EVERYONE, Schedule, plan_schedule
from generator.schedule.sequence import (Stamped, by_audience, drop_state, keep_state, read_state, revise,
                                         write_state_aside)
from generator.validate.issues import DataIssue
from generator.validate.tokens import SECRET_ENV, page_secret, weak_secrets
from generator.validate.workbook import Responses, validate_workbook


#: Hand-written pages in site_src/ that appear in the navigation, after the generated ones.
HANDWRITTEN_NAV = [("privacy.md", "Privacy"), ("accessibility.md", "Accessibility")]


@dataclass(frozen=True)
class Gathered:
    """Everything the build knows before it writes a single file."""

    loaded: LoadedProgram
    workbook: Workbook
    responses: Responses
    screenings: tuple[Screening, ...]
    matching: Matching
    pages: list[Page]
    staff: Deferred  # each made when written or read
    schedule: Schedule
    #: Files beside the pages on the site: the public calendar, and the sealed personal pages
    #: unless gather's `personal` took them as they were made (a build does).
    assets: dict[str, str | bytes] = field(default_factory=dict)
    links: tuple[PersonalLink, ...] = ()
    #: The calendar revisions to remember for the next build (written only when the build succeeds).
    calendar_state: dict[str, Any] = field(default_factory=dict)
    #: The state waits beside the last one, for keep_state to move in (False: unchanged, or no `aside`).
    state_aside: bool = False
    #: The messages due and not yet sent (the outbox), and the ledger of those that were.
    outbox: Plan = Plan((), (), 0)
    ledger: Ledger = Ledger(())
    #: What this build read, for the next build's change report (written only when the build succeeds;
    #: the rows, compared beside the build, are in `rows`).
    baseline: dict[str, Any] = field(default_factory=dict)
    rows: RowChanges = RowChanges(first=True)
    changes: Changes = Changes(first=True)
    #: The last build's data issue count, from its baseline (None: no earlier build).
    previous_issues: int | None = None
    #: Each person's calendar file (email -> bytes), made when read: their page carries it, and a
    #: message that attaches it (the announcement) leaves a copy for staff beside the outbox.
    calendars: Mapping[str, bytes] = field(default_factory=dict)
    #: The personal pages the sealing child has not taken yet, sealed here (the build's share).
    seal_rest: Callable[[], object] | None = None


@dataclass(frozen=True)
class BuildResult:
    gathered: Gathered
    site_dir: Path
    staff_dir: Path
    config_file: Path


#: Called with the public site's pages and files the moment they are all made (before the staff reports).
SiteReady = Callable[[LoadedProgram, list[Page], dict[str, "str | bytes"]], None]
T = TypeVar("T")
#: Starts work beside the build (a child process) and returns it, for the build to wait for or cancel.
Aside = Callable[[Callable[[], T]], Forked[T]]


def gather(options: BuildOptions, loaded: LoadedProgram | None = None, site_ready: SiteReady | None = None,
           personal: Callable[[str, str], None] | None = None,
           aside: Aside[Any] | None = None) -> Gathered:
    """Load, read, validate, screen, match, follow progress, summarize and render, all in memory;
    nothing is written (the one exception: a successful Google Sheets read is kept as a snapshot).
    `site_ready` lets the build start mkdocs on the public pages while the staff reports are made;
    `personal` takes each sealed personal page as it is made (else they are in the assets);
    `aside` runs the making of those pages, the comparison of the rows with the last build's and the
    writing of the calendar state beside the rest from ASIDE_FROM people (else here), and keeps the
    new rows and state for write_baseline and keep_state."""
    if weak := weak_secrets(options.env):
        raise ConfigError("the environment", weak)
    loaded = loaded or load_program(options.program, options.forms_dir)
    options.say(f"Reading the data of {loaded.program.name} ...")
    workbook = read_source(loaded, options.env, http=options.http, say=options.say)
    # Everything after this line sees only what was known on options.today.
    responses = validate_workbook(loaded, workbook, options.env.get(SECRET_ENV)).as_of(options.today)
    # The cells are records now; kept only where they are read again (publish, the sent-message ledger).
    workbook = workbook.validated({loaded.tab_of("matches") if "matches" in loaded.forms else "",
                                   loaded.program.messages.ledger_tab})
    # What changed in the rows since the last build: every record read again, and the last build's
    # rows (1.2 s at 20,000 people, on the other core while this one matches and renders).
    # Beside the build from ASIDE_FROM people, else here (a child would cost more than it saves).
    beside = aside if aside and len(responses.of("application")) >= ASIDE_FROM else _here
    compared = partial(changed_rows, responses.by_form, work_folder(options, loaded.program.slug), aside is not None)
    rows = beside(compared)
    options.say(f"Checked {sum(len(v) for v in responses.by_form.values())} rows; screening and matching ...")
    screenings = screen(loaded.program, responses.of("application"),
                        {email: w.date for email, w in responses.records.withdrawal_of().items()})
    matching = match(loaded.program, responses, screenings, options.today)
    p = loaded.program
    schedule = plan_schedule(p, [(c.id, c.mode, c.campus) for c in matching.circles.circles] if matching.circles else [],
                             responses.records.decisions, loaded.tab_of("matches") if "matches" in loaded.forms else "Matches")
    if schedule.issues:
        responses = replace(responses, issues=tuple(sorted(responses.issues + schedule.issues, key=DataIssue.sort_key)))
    revisions, calendar_state = revise(p.slug, schedule.every_event(), read_state(work_folder(options, p.slug)),
                                       options.today)
    # Written beside the old state now (on the other core at scale; moved in when the build succeeds).
    state_aside = beside(partial(write_state_aside, work_folder(options, p.slug), calendar_state)) if aside else None
    options.say("Progress, evaluation and pages ...")
    report = progress(loaded.program, responses, screenings, matching, options.today)
    evaluation = summarize(loaded.program, loaded.forms, responses, screenings, matching)
    exposed = check_release(evaluation)
    if exposed:
        raise ReleaseError([str(e) for e in exposed])
    measured = measure(loaded.program, evaluation, report, options.today, long_date(options.today))
    results = evaluation_pages(loaded, options.today, evaluation, measured)
    pages = public_pages(loaded, options.today, options.receiver_url or loaded.program.receiver_url,
                         results if loaded.program.evaluation.publish else (), matching, schedule)
    writer = Calendars.spanning(schedule.zone, revisions.values())
    assets: dict[str, str | bytes] = {"calendar.ics": writer.ics(p.name, [s for s in revisions.values()
                                                                          if not s.event.audience.startswith(CIRCLE)])}
    secret, secret_note = page_secret(options.env, p.personal_pages.demo_secret, workbook.folder is not None,
                                      (a.email for a in responses.records.applications))
    form_secret = options.env.get(SECRET_ENV) or secret  # signs survey links; the demo secret only for the examples
    links: list[PersonalLink] = []
    if site_ready and personal:
        # The sealed pages go aside (to `personal`), not through mkdocs: it need not wait for them,
        # and makes the site on the other core while they are made (3 s of 12 at 5,000 people).
        site_ready(loaded, pages, assets)
    answered = answered_days(responses, schedule)  # the pages and the reminders read it
    views = personal_views(p, responses.records, matching, report, schedule, options.today,
                           [s.email for s in screenings if s.admitted], answered)
    calendars = person_calendars(p.name, views, revisions, writer)
    seal_rest = None
    if secret:  # as soon as their data is there: sealing them is the longest job beside the build
        seal = partial(personal_pages, loaded, views, calendars, secret, form_secret or secret,
                       options.today, personal)
        if personal and aside and len(views) >= ASIDE_FROM:
            # Handed out in batches before the fork: the child seals from the start, and the build
            # takes what is left once its own work is done instead of waiting for the child.
            turns = Turns(len(views), PAGE_BATCH)
            aside(partial(seal, turns=turns))  # the build waits for it with its other children
            seal_rest = partial(seal, turns=turns, assets=False)
        else:
            assets.update(seal())
        links = personal_links(p, views, secret)
    ledger, ledger_issues = read_ledger(workbook.tabs.get(p.messages.ledger_tab), p.messages.ledger_tab)
    if ledger_issues:
        responses = replace(responses, issues=tuple(sorted(responses.issues + tuple(ledger_issues), key=DataIssue.sort_key)))
    due = due_messages(Inputs(p, loaded.forms, responses, screenings, matching, schedule, report, tuple(views),
                              options.today, answered, {link.email: link.link for link in links}, calendars,
                              form_secret))
    outbox = plan(due, ledger)
    read = baseline(responses, matching, {a.email: a.full_name for a in responses.records.applications})
    previous = read_baseline(work_folder(options, p.slug) / BASELINE)
    row_changes = rows.wait()
    assert row_changes is not None
    state_kept = bool(state_aside and state_aside.wait())
    changes = compare(previous, read, row_changes, {f.id: f.title for f in loaded.forms.values()})
    if site_ready and not personal:
        site_ready(loaded, pages, assets)
    composer = Composer(p, loaded.templates_path)
    reports = staff_outputs(loaded, responses, screenings, matching, report, workbook.origin, long_date(options.today),
                          [workbook.notice, *responses.notes, secret_note, *schedule.problems],
                          options.env.get(SECRET_ENV), links, outbox, changes, results)
    reports.held(_circle_calendars(p.name, schedule, revisions, writer))
    reports.group(outbox_names(outbox), partial(outbox_files, composer, outbox, options.today))
    reports.add("apps-script/Code.gs", partial(apps_script, loaded))
    reports.add("apps-script/CreateForms.gs", partial(google_forms_script, loaded))
    return Gathered(loaded, workbook, responses, screenings, matching, pages, reports, schedule, assets, tuple(links),
                    calendar_state, state_kept, outbox, ledger, read, row_changes, changes,
                    previous.get("issue_count") if previous else None, calendars, seal_rest)


#: Personal pages are sealed, and rows compared, aside (in a child process) from this many people
#: on. Below it they take less time than a child costs: its start and the memory pages it and the
#: build then copy (the 49-person examples built ~0.07 s slower with one, medians of 10; 5,000
#: people 1.5 s faster).
ASIDE_FROM = 1000
PAGE_BATCH = 32  # personal pages taken at a time by the sealing child or the build (about 12 ms)


def _here(work: Callable[[], T]) -> Forked[T]:
    """An `Aside` that runs the work in this process, at once."""
    return Forked(work, fork=False)


def work_folder(options: BuildOptions, slug: str) -> Path:
    return options.work.resolve() / slug


def _circle_calendars(name: str, schedule: Schedule, revisions: dict[str, Stamped],
                      writer: Calendars) -> dict[str, str | bytes]:
    """Staff get each circle's calendar (with its video link), beside each person's (to attach to messages)."""
    out: dict[str, str | bytes] = {}
    groups = by_audience(revisions.values())
    for cid in schedule.circles:
        chosen = groups.get(EVERYONE, []) + groups.get(CIRCLE + cid, [])
        out[f"calendars/circle-{cid}.ics"] = writer.ics(f"{name}: circle {cid}", chosen, private=True)
    return out


def write_docs(loaded: LoadedProgram, pages: list[Page], assets: Mapping[str, str | bytes], options: BuildOptions) -> Path:
    """The docs folder mkdocs reads (hand-written + generated pages) and its config file."""
    work = work_folder(options, loaded.program.slug)
    docs = Writer(work / "docs", "the work folder")
    docs.begin()
    for page in pages:
        docs.write(page.path, page.content)
    for path, content in assets.items():
        docs.write(path, content)
    docs.copy_tree(options.site_src)
    docs.finish()
    p = loaded.program
    config = site_config(options.base_config, {
        # Material's templates print these unescaped: escape them here, once.
        "site_name": html(p.name),
        "site_description": html(p.purpose),
        "copyright": html(p.organization),
        # Relative to the config file, as Zensical requires (mkdocs reads them the same way).
        "docs_dir": os.path.relpath(docs.root, work),
        "site_dir": os.path.relpath(options.out.resolve(), work),
        "nav": navigation(pages, HANDWRITTEN_NAV),
    })
    config_file = work / "mkdocs.yml"
    write_if_changed(config_file, config.encode("utf-8"))
    return config_file


def write_staff(gathered: Gathered, options: BuildOptions, found: list[str]) -> Path:
    """The staff reports, with the build's status for the guard (`found`: personal data on the built site)."""
    staff = Writer(options.staff_out.resolve(), "--staff-out", watched=False)
    return finish_staff(start_staff(gathered, staff), gathered, options, found)


def start_staff(gathered: Gathered, staff: Writer) -> Writer:
    """Every staff report but the build's status: the build writes them while mkdocs runs, each
    made as it is written."""
    for name, content in gathered.staff.made():
        staff.write(name, content)
    return staff


def finish_staff(staff: Writer, gathered: Gathered, options: BuildOptions, found: list[str]) -> Path:
    """The build's status for the guard, once the site is built and scanned; then what no longer belongs goes."""
    staff.write(STATUS, json.dumps(build_status(gathered, options, found), indent=1, sort_keys=True) + "\n")
    staff.finish()
    return staff.root


def build(options: BuildOptions, mkdocs: MkdocsWorker | None = None) -> BuildResult:
    """The whole build; raises GeneratorError subclasses with coordinator-readable messages.

    mkdocs runs in a second process (`mkdocs`, started by the caller as early as it can, or
    here), getting ready while the data is computed and building the public pages while the
    staff reports are made and written (all but the status, written once the site is built
    and scanned). Every output is written only where its content changed. A failed
    build removes the staff folder's status file, so no earlier success can be mistaken for
    this build's."""
    if nested := staff_apart(options):
        raise GeneratorError(nested)
    worker = (mkdocs or MkdocsWorker(options.base_config)) if options.run_mkdocs else None
    with paused():  # see generator/collector.py
        return _build(options, worker)


def _build(options: BuildOptions, worker: MkdocsWorker | None) -> BuildResult:
    config_files: list[Path] = []
    children: list[Forked[Any]] = []  # work beside the build: the rows compared, the personal pages sealed
    work: Path | None = None
    try:
        loaded = load_program(options.program, options.forms_dir)
        digest = inputs_digest(loaded, options)  # before reading: an edit during the build is seen next time
        out = Writer(options.out, "--out")
        claim(out.root, "--out")  # pruned of what the build no longer makes: only a folder we made
        work = work_folder(options, loaded.program.slug)
        staging = work / "site-being-built"
        # The sealed personal pages are finished HTML that mkdocs would only copy (one per person:
        # at 5,000 people that copying doubled mkdocs' time): they are written aside as they are
        # made, not held (150 MB at 20,000 people), and moved into the site with mkdocs' output,
        # so a failed build leaves the published site as it was. `serve` keeps them in the docs folder.
        personal = work / "personal-being-built"
        shutil.rmtree(personal, ignore_errors=True)

        def put(path: str, content: str) -> None:
            write_new(os.path.join(personal, path), content.encode("utf-8"))

        def site_ready(loaded: LoadedProgram, pages: list[Page], assets: dict[str, str | bytes]) -> None:
            config_files.append(write_docs(loaded, pages, assets, options))
            if worker:
                options.say("mkdocs: building the site ...")
                worker.build(config_files[0], staging, options.today)

        def aside(work: Callable[[], T]) -> Forked[T]:
            children.append(Forked(work))
            return children[-1]

        staff = Writer(options.staff_out.resolve(), "--staff-out", watched=False)  # written into as files are made
        gathered = gather(options, loaded, site_ready, put if worker else None, aside)
        start_staff(gathered, staff)  # while mkdocs builds and the personal pages are sealed
        found: list[str] = []
        if worker:
            worker.wait()
            # The public site as mkdocs made it is what sync_tree moves in (beside the sealed pages,
            # which the scan skips): scanned while the pages are still being sealed on the other core.
            found = personal_data(staging, gathered.responses.records.applications)
        if gathered.seal_rest:  # the personal pages the child has not taken yet
            gathered.seal_rest()
        if worker:
            for job in children:
                job.wait()
            sync_tree([staging, personal], out)
        staff_dir = finish_staff(staff, gathered, options, found)
    except BaseException:
        for job in children:
            job.cancel()
        if work:
            drop_rows(work)
            drop_state(work)
        if (options.staff_out.resolve() / MARKER).is_file():  # only in a staff folder this tool made
            (options.staff_out.resolve() / STATUS).unlink(missing_ok=True)
        raise
    finally:
        if worker:
            worker.close()
    if gathered.state_aside:
        keep_state(work)
    write_baseline(work, gathered.baseline, gathered.rows)
    record(options, work, digest)
    return BuildResult(gathered, out.root, staff_dir, config_files[0])


#: The build's facts for the deploy guard (in the staff folder).
STATUS = "build.json"


def build_status(g: Gathered, options: BuildOptions, found: list[str]) -> dict[str, Any]:
    """What `guard` decides from: where the data came from and how old it is, rows per tab, data
    issues now and at the last build, and personal data found on the built public site."""
    taken = g.workbook.snapshot_taken
    return {"program": g.loaded.program.slug, "today": options.today.isoformat(),
            "origin": g.workbook.origin, "notice": g.workbook.notice,
            "snapshot_taken": taken.isoformat() if taken else None,
            "tabs": {tab: g.workbook.rows_in(tab) for tab in sorted(g.workbook.tabs)},
            "missing_tabs": sorted(g.workbook.missing),
            "data_issues": len(g.responses.issues),
            "previous_data_issues": g.previous_issues,
            "personal_data": found}
