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
from pathlib import Path

from generator.errors import GeneratorError

# The pipeline (pandas, scipy, mkdocs) is imported only when a command runs, so --help and a
# mistyped option answer at once.
REPO = Path(__file__).resolve().parent.parent

EXAMPLES = """examples:
  python build.py                                         # the circles example into site/ and staff/
  python build.py --program examples/pairs/program.yml    # the rotating-pairs example
  python build.py serve                                   # preview with live reload
  python build.py demo-data --model circles --participants 49 --seed 1
  python build.py publish-matches --dry-run                 # show the new proposals for the Matches tab
  python build.py send                                    # list the messages due (dry run)
  python build.py send --yes                              # send them; each is recorded so none goes twice

exit codes:
  0   done
  2   the program, its forms or its data source need a fix: the message says which, and how
  70  a bug in this tool: the message says where to report it
  130 interrupted
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build a peer-mentoring program website from its forms' responses.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="build", choices=["build", "serve", "demo-data", "publish-matches", "send"],
                        help="build the site (default), serve it with live reload, write demo data, append the "
                             "new match proposals to the Matches tab, or send the due messages (dry run unless --yes)")
    parser.add_argument("--program", type=Path, default=None,
                        help="program.yml to build (default: examples/circles/program.yml; for demo-data, "
                             "the example of --model)")
    parser.add_argument("--forms", type=Path, default=REPO / "forms", help="folder of form definitions")
    parser.add_argument("--out", type=Path, default=Path("site"), help="public site folder (default: site)")
    parser.add_argument("--staff-out", type=Path, default=Path("staff"),
                        help="staff reports folder, kept outside the public site (default: staff)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                        help="build as of this date, YYYY-MM-DD (default: today): every page and report "
                             "counts only rows submitted, and events dated, on or before it")
    parser.add_argument("--model", choices=["circles", "rotating-pairs"], help="demo-data: which program model")
    parser.add_argument("--participants", type=int, default=49, help="demo-data: eligible participants (default 49)")
    parser.add_argument("--seed", type=int, default=1, help="demo-data: random seed (default 1)")
    parser.add_argument("--data-out", type=Path, help="demo-data: folder to write (default: the program's data folder)")
    parser.add_argument("--clean", action="store_true", help="demo-data: no deliberately bad rows")
    parser.add_argument("--port", type=int, default=8000, help="serve: port on localhost (default 8000)")
    parser.add_argument("--dry-run", action="store_true", help="publish-matches: show the change, write nothing")
    parser.add_argument("--yes", action="store_true",
                        help="send: really send (without it, send only lists what would go, and to whom)")
    parser.add_argument("--record-only", action="store_true",
                        help="send --yes: record the outbox as sent without sending (you sent it from your own mail client)")
    return parser


EXIT_OK, EXIT_FIX, EXIT_BUG, EXIT_INTERRUPTED = 0, 2, 70, 130
#: Where a bug is reported; the README's "Reporting a problem" says what to include.
REPORT = "the project's issue tracker (README: Reporting a problem)"


def main(argv: list[str] | None = None, env: dict[str, str] | None = None) -> int:
    """Run a command; every failure ends in one message on stderr and a documented exit code."""
    args = _parser().parse_args(argv)
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
    from generator.pipeline import BuildOptions, build

    options = BuildOptions(program=args.program or BuildOptions.program, forms_dir=args.forms, out=args.out,
                           staff_out=args.staff_out, today=args.today or dt.date.today(), env=env, say=_say)
    if args.command == "publish-matches":
        from generator.publish import publish_matches

        publish_matches(replace(options, run_mkdocs=False), args.dry_run)
        return 0
    if args.command == "send":
        from generator.messages.send import send_command

        report = send_command(options, args.yes, say=print, record_only=args.record_only)
        return EXIT_OK if report is None or report.clean else EXIT_FIX
    if args.command == "serve":
        from generator.serve import serve

        return serve(options, args.port)
    result = build(options)
    g = result.gathered
    print(f"Read {g.workbook.origin}.")
    if g.workbook.notice:
        print(f"Note: {g.workbook.notice}.")
    print(f"{sum(len(v) for v in g.responses.by_form.values())} rows accepted, {len(g.responses.issues)} data issue(s) "
          f"(see {result.staff_dir / 'data-issues.html'}).")
    print(f"Site: {result.site_dir / 'index.html'}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from generator.config.program import load_program
    from generator.demo.generate import write_demo

    program = args.program
    if program is None:
        example = "pairs" if args.model == "rotating-pairs" else "circles"
        program = REPO / "examples" / example / "program.yml"
    loaded = load_program(program, args.forms)
    if args.model and loaded.program.model != args.model:
        raise GeneratorError(f"--model {args.model} does not match {program} (model {loaded.program.model})")
    folder = args.data_out or loaded.data_path
    files = write_demo(loaded, folder, args.participants, args.seed, bad_rows=not args.clean)
    print(f"Wrote {len(files)} tabs for {args.participants} participants to {folder}")
    return 0
