"""Command line: build (default), serve, demo-data, publish-matches.

Exit codes: 0 built; 2 the program, its forms or its data source need a fix (the message
says which and how); 130 interrupted; 70 a bug in this tool (the message says where to report it).
"""
from __future__ import annotations

import argparse
from dataclasses import replace
import os
import datetime as dt
import sys
import traceback
from typing import Callable, NoReturn
from pathlib import Path

from generator.errors import GeneratorError
from generator.resources import EXAMPLES, FORMS
from generator.words import counted

# The pipeline (pandas, scipy, mkdocs) is imported only when a command runs, so --help and a
# mistyped option answer at once.
COMMANDS = ("build", "serve", "demo-data", "publish-matches", "send", "new", "check", "guard")

EXAMPLES_TEXT = """examples:
  {prog}                                         # the circles example into site/ and staff/
  {prog} --program examples/pairs/program.yml    # the rotating-pairs example
  {prog} serve                                   # preview with live reload
  {prog} demo-data --model circles --participants 49 --seed 1
  {prog} publish-matches --dry-run               # show the new proposals for the Matches tab
  {prog} send                                    # list the messages due (dry run)
  {prog} send --yes                              # send them; each is recorded so none goes twice
  {prog} new my-program --model circles          # start a program of your own
  {prog} check --program my-program/program.yml  # is it ready to build? what to fix
  {prog} guard                                   # after a build: may the site be deployed?

Each command has its own options: {prog} COMMAND --help.

exit codes:
  0   done
  2   the program, its forms or its data source need a fix: the message says which, and how
      (guard: the deploy must stop; the summary says why)
  70  a bug in this tool: the message says where to report it
  130 interrupted
"""


def _day(text: str) -> dt.date:
    """--today as typed: a date, YYYY-MM-DD (argparse's own message quoted `fromisoformat`)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD, such as 2022-03-01") from None


def _whole(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` (to `high`), or a message saying the range."""
    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from {low}"
                                             + (f" to {high}" if high is not None else " up"))
        return value
    return whole


def _program_options(parser: argparse.ArgumentParser, outputs: bool = True) -> None:
    parser.add_argument("--program", type=Path, default=None,
                        help="program.yml (default: examples/circles/program.yml; for demo-data, the example of --model)")
    parser.add_argument("--forms", type=Path, default=FORMS, help="folder of form definitions (default: the bundled forms)")
    parser.add_argument("--today", type=_day, default=None,
                        help="as of this date, YYYY-MM-DD (default: today): every page and report counts only rows "
                             "submitted, and events dated, on or before it")
    if outputs:
        parser.add_argument("--out", type=Path, default=Path("site"), help="public site folder (default: site)")
        parser.add_argument("--staff-out", type=Path, default=Path("staff"),
                            help="staff reports folder, kept outside the public site (default: staff)")


def _parser(prog: str = "build.py") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Build a peer-mentoring program website from its forms' responses. "
                               "Without a command: build.",
        epilog=EXAMPLES_TEXT.format(prog=f"python {prog}" if prog.endswith(".py") else prog),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub = commands.add_parser("build", help="build the site and the staff reports (the default)")
    _program_options(sub)
    sub.add_argument("--rebuild", action="store_true",
                     help="build even when nothing changed since the last build (by default that build is skipped)")
    sub = commands.add_parser("serve", help="preview on localhost with live reload; forms submit to a local receiver")
    _program_options(sub)
    # 1024 up: a lower port needs root; the receiver takes the next, so the last is not offered.
    sub.add_argument("--port", type=_whole(1024, 65534), default=8000,
                     help="port on localhost (default 8000; the receiver takes the next)")
    sub = commands.add_parser("demo-data", help="write a deterministic, realistic demo workbook")
    _program_options(sub, outputs=False)
    sub.add_argument("--model", choices=["circles", "rotating-pairs"], help="which program model")
    sub.add_argument("--participants", type=_whole(1), default=49, help="eligible participants (default 49)")
    sub.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    sub.add_argument("--data-out", type=Path, help="folder to write (default: the program's data folder)")
    sub.add_argument("--clean", action="store_true", help="no deliberately bad rows")
    sub = commands.add_parser("publish-matches", help="append the new match proposals to the Matches tab")
    _program_options(sub)
    sub.add_argument("--dry-run", action="store_true", help="show the change, write nothing")
    sub = commands.add_parser("send", help="send the due messages (a dry run unless --yes)")
    _program_options(sub)
    sub.add_argument("--yes", action="store_true", help="really send (without it, only lists what would go, and to whom)")
    sub.add_argument("--record-only", action="store_true",
                     help="with --yes: record the outbox as sent without sending (you sent it from your own mail client)")
    sub = commands.add_parser("new", help="scaffold a program folder: program.yml, an empty workbook, the CI workflow")
    sub.add_argument("path", type=Path, help="the folder to create (must not exist or be empty)")
    sub.add_argument("--model", choices=["circles", "rotating-pairs"], required=True, help="which program model")
    sub = commands.add_parser("check", help="check a program before building: config, forms, credentials, sheet, dates, people")
    _program_options(sub, outputs=False)
    sub = commands.add_parser("guard", help="after a build: stop a deploy the build's results say must not go out")
    _program_options(sub)
    sub.add_argument("--summary", type=Path, default=None,
                     help="append the verdict as Markdown here (default: $GITHUB_STEP_SUMMARY when set)")
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    """`build.py --program x` means `build.py build --program x`: build is the default command."""
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        return ["build", *argv]
    return argv


EXIT_OK, EXIT_FIX, EXIT_BUG, EXIT_INTERRUPTED = 0, 2, 70, 130
#: Where a bug is reported; the README's "Reporting a problem" says what to include.
REPORT = "the project's issue tracker (README: Reporting a problem)"


def main(argv: list[str] | None = None, env: dict[str, str] | None = None, prog: str = "build.py",
         exits: bool = False) -> int:
    """Run a command; every failure ends in one message on stderr and a documented exit code.
    `exits`: the process ends when this returns (build.py, the console command), so a command that
    finishes (all but serve) runs as a batch job: see generator/collector.py."""
    args = _parser(prog).parse_args(_with_default_command(sys.argv[1:] if argv is None else list(argv)))
    if exits and args.command != "serve":
        from generator.collector import one_command

        one_command()
    env = dict(os.environ) if env is None else env
    try:
        return _run(args, env)
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FIX
    except KeyboardInterrupt:
        print("Interrupted: nothing more was written.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: one message, no traceback with people's data in it
        where = traceback.extract_tb(exc.__traceback__)[-1]
        print(f"error: the build stopped on an unexpected problem ({type(exc).__name__} in "
              f"{Path(where.filename).name}, line {where.lineno}). This is a bug in the tool, not in your data: "
              f"please report it in {REPORT} with this line and the command you ran.", file=sys.stderr)
        return EXIT_BUG


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run(args: argparse.Namespace, env: dict[str, str]) -> int:
    if args.command == "demo-data":
        return _demo(args)
    if args.command == "new":
        from generator.scaffold import scaffold

        for line in scaffold(args.path, args.model):
            print(line)
        return EXIT_OK
    from generator.options import BuildOptions

    options = BuildOptions(program=args.program or BuildOptions.program, forms_dir=args.forms,
                           out=getattr(args, "out", Path("site")), staff_out=getattr(args, "staff_out", Path("staff")),
                           today=args.today or dt.date.today(), env=env, say=_say)
    if args.command == "check":
        from generator.doctor import check

        return EXIT_OK if check(options, say=print) else EXIT_FIX
    if args.command == "guard":
        from generator.deploy_guard import guard_command

        return EXIT_OK if guard_command(options, env, args.summary, say=print) else EXIT_FIX
    if args.command == "publish-matches":
        from generator.publish import publish_matches

        publish_matches(replace(options, run_mkdocs=False), args.dry_run)
        return EXIT_OK
    if args.command == "send":
        from generator.messages.send import send_command

        report = send_command(options, args.yes, say=print, record_only=args.record_only)
        return EXIT_OK if report is None or report.clean else EXIT_FIX
    if args.command == "serve":
        from generator.serve import serve

        return serve(options, args.port, say=lambda message: print(message, flush=True))
    from generator.mkdocs_worker import MkdocsWorker

    # mkdocs gets ready in its own process while this one loads and computes (a no-change check ends it).
    with MkdocsWorker(options.base_config) as mkdocs:
        from generator.fingerprint import up_to_date

        if not args.rebuild and up_to_date(options):
            print(f"Nothing changed since the last build (data, program.yml, forms, pages, templates, this tool, "
                  f"--today {options.today}): {options.out} and {options.staff_out} are up to date; nothing was written. "
                  "(--rebuild builds anyway.)")
            return EXIT_OK
        from generator.pipeline import build

        result = build(options, mkdocs)
    from generator.collector import leave

    leave(result)
    g = result.gathered
    print(f"Read {g.workbook.origin}.")
    if g.workbook.notice:
        print(f"Note: {g.workbook.notice}.")
    print(f"{counted(sum(len(v) for v in g.responses.by_form.values()), 'row')} accepted, "
          f"{counted(len(g.responses.issues), 'data issue')} "
          f"(see {result.staff_dir / 'data-issues.html'}).")
    print(f"Changes since the last build: {result.staff_dir / 'changes.html'}")
    print(f"Site: {result.site_dir / 'index.html'}")
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from generator.collector import paused
    from generator.config.program import load_program
    from generator.demo.generate import write_demo

    program = args.program
    if program is None:
        example = "pairs" if args.model == "rotating-pairs" else "circles"
        program = EXAMPLES / example / "program.yml"
    loaded = load_program(program, args.forms)
    if args.model and loaded.program.model != args.model:
        raise GeneratorError(f"--model {args.model} does not match {program} (model {loaded.program.model})")
    folder = args.data_out or loaded.data_path
    with paused():  # see generator/collector.py
        files = write_demo(loaded, folder, args.participants, args.seed, bad_rows=not args.clean)
    print(f"Wrote {len(files)} tabs for {counted(args.participants, 'participant')} to {folder}")
    return 0


def exit_now(code: int) -> NoReturn:
    """End the process once a command has returned: every file it wrote is closed by then, so the
    interpreter's teardown (a third of a second freeing a build's objects) is not worth waiting for."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said anyway
            pass
    os._exit(code)


def run() -> None:
    """The `crp-mentoring` console command."""
    exit_now(main(prog="crp-mentoring", exits=True))
