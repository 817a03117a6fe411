"""`build.py check`: is this program ready to build? Each problem says how to fix it.

It runs the build's own first stages (load, read, validate, screen, match) and reports, in
order: the configuration and forms, the credentials (whether they are set and work; never
their value), the sheet or workbook (reachable, every tab there, every column a form needs),
the dates against --today, and whether the cohort has the facilitators or mentors its groups
need (matching's own shortfalls, so the rule is the one the build applies). Nothing is written (a successful Sheets read keeps its snapshot, as a build would).
"""
from __future__ import annotations

from typing import Callable

from generator.dates import long_date
from generator.errors import GeneratorError
from generator.pipeline import BuildOptions
from generator.words import counted, listed


def check(options: BuildOptions, say: Callable[[str], None] = print) -> bool:
    """Say each check as it passes or fails; True when nothing needs fixing."""
    from generator.config.program import load_program
    from generator.matching.stage import match
    from generator.scaffold import placeholders_left
    from generator.screen.eligibility import screen
    from generator.sources import sheets
    from generator.sources.choose import read_source, sheet_key
    from generator.validate import issues as act
    from generator.validate.tokens import SECRET_ENV, page_secret, weak_secrets
    from generator.validate.workbook import validate_workbook

    problems: list[str] = []

    def ok(text: str) -> None:
        say(f"  ok    {text}")

    def fix(text: str) -> None:
        problems.append(text)
        say(f"  FIX   {text}")

    for weak in weak_secrets(options.env):
        fix(weak)
    try:
        loaded = load_program(options.program, options.forms_dir)
    except GeneratorError as exc:
        fix(str(exc))
        return _done(problems, say)
    p = loaded.program
    ok(f"{options.program}: program.yml and {len(loaded.forms)} forms are valid ({p.model})")
    if loaded.templates_path is not None:
        from generator.messages.compose import Composer
        try:
            Composer(p, loaded.templates_path)
            ok(f"the message templates in {loaded.templates_path} compile")
        except GeneratorError as exc:
            fix(str(exc))
    left = placeholders_left(p)
    if left:
        say(f"  note  program.yml still has the stand-ins `new` wrote at {listed(left)}: put the program's own "
            "institution, contact, people and campuses there before the site goes out")
    key = sheet_key(loaded, options.env)
    if key:
        try:
            creds = sheets.credentials(options.env, sheets.READ_ONLY, application_default=p.source.kind == "sheets")
        except GeneratorError as exc:
            creds = None
            fix(f"Google credentials: {exc}")
        if creds is None and options.http is None:
            fix(f"a spreadsheet key is set but no Google credentials are: set {sheets.ACCOUNT_JSON} (the service "
                f"account's JSON key) or {sheets.ACCOUNT_FILE} (a path to it), or use workload identity federation in CI")
            return _done(problems, say)
        ok("Google credentials are set (not shown)")
    else:
        ok(f"no spreadsheet key: the workbook folder {loaded.data_path} is read")
    try:
        book = read_source(loaded, options.env, http=options.http, say=say)
    except GeneratorError as exc:
        fix(f"the data source could not be read: {exc}")
        return _done(problems, say)
    if book.notice:
        fix(f"the build would not use a fresh read: {book.notice}")
    ok(f"read {book.origin}")
    responses = validate_workbook(loaded, book, options.env.get(SECRET_ENV))
    # The tab and its header (a column the form asks for and the sheet lacks is on row 1). Notes,
    # not fixes: a file read fine in another encoding or with semicolons, rows older than a question.
    noted = (act.KEPT_WITHOUT, act.READ_AS, act.READ_SEPARATED)
    whole_tab = [i for i in responses.issues if (i.row is None or i.action == act.COLUMN_BLANK)
                 and i.tab != p.messages.ledger_tab and i.action not in noted]
    for issue in whole_tab:
        fix(f"{issue.tab}: {issue.reason}{f' ({issue.column})' if issue.column else ''}. {issue.action}")
    for issue in responses.issues:
        if issue.row is None and issue.action in noted:
            say(f"  note  {issue.tab}: {issue.reason}")
    if not whole_tab:
        ok(f"every tab and column the forms need is there ({len(loaded.forms)} tabs)")
    if responses.issues:
        say(f"  note  {counted(len(responses.issues), 'data issue')} in rows: the build lists each in staff/data-issues.html")
    secret, secret_note = page_secret(options.env, p.personal_pages.demo_secret, book.folder is not None,
                                      (a.email for a in responses.records.applications))
    if secret_note or not secret:
        say(f"  note  {secret_note}")
    else:
        ok("personal pages are keyed from the secret in the environment (not shown)")
    d, today = p.dates, options.today
    if d.ended(today):
        say(f"  note  the program ended on {long_date(d.cohort_end)} (as of {long_date(today)}): "
            "move its dates for a new cohort")
    elif today < d.application_open:
        ok(f"applications open on {long_date(d.application_open)}")
    responses = responses.as_of(today)
    screenings = screen(p, responses.of("application"),
                        {email: w.date for email, w in responses.records.withdrawal_of().items()})
    admitted = sum(s.admitted for s in screenings)
    if not admitted:
        say("  note  no admitted applicants yet: facilitators and mentors are checked once applications arrive")
        return _done(problems, say)
    matching = match(p, responses, screenings, today)
    # While applications come in, a shortfall is only where the count stands: "18 participants
    # cannot fill 7 circles" in October is nothing to fix before building the site that takes them.
    early = bool(matching.provisional)
    if early and (matching.shortfalls or matching.violations):
        say(f"  note  {matching.provisional}")
    for warning in matching.warnings:  # the match report says these too; the build still runs
        if warning in matching.shortfalls and not early:
            fix(f"matching: {warning}")
        else:
            say(f"  note  matching: {warning}")
    bent = f"matching had to bend {counted(len(matching.violations), 'rule')}: see staff/matches.html (\"had to bend\")"
    if not matching.violations:
        ok(f"{admitted} admitted people are matched without bending a rule")
    elif d.ended(today):  # the groups are the record: nothing to fix before a build
        say(f"  note  the program ended with {counted(len(matching.violations), 'rule')} broken by its groups as "
            "withdrawals left them: see staff/matches.html")
    elif early:
        say(f"  note  {bent}")
    elif set(matching.violations) <= set(matching.locked_broken):  # staff locked those circles as they are
        say(f"  note  {counted(len(matching.violations), 'rule')} broken in circles staff locked: the matcher never "
            "moves a locked member (see staff/matches.html)")
    else:
        fix(bent)
    return _done(problems, say)


def _done(problems: list[str], say: Callable[[str], None]) -> bool:
    say("Ready to build." if not problems else f"{counted(len(problems), 'thing')} to fix before building (marked FIX above).")
    return not problems
