"""`build.py send`: the outbox through SMTP, each message recorded in the ledger so none goes twice.

Before a message is handed to the server a "sending" row is written; after, "sent" (or
"refused", "failed"). A run killed between two messages leaves only finished rows, so a rerun
sends exactly the rest; one killed mid-message leaves "sending", and that message is held for
staff to check rather than risk a duplicate. The password is read from the environment and
never printed, logged or written.
"""
from __future__ import annotations

import datetime as dt
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, Protocol

from generator.dates import long_date
from generator.config.program import LoadedProgram, Smtp
from generator.errors import GeneratorError
from generator.messages.compose import Composer, Outgoing, message_id
from generator.messages.ledger import COLUMNS, FAILED, REFUSED, SENDING, SENT, Entry, stamp
from generator.messages.outbox import Plan, ledger_entry
from generator.sources.workbook import append_row, tab_path
from generator.words import counted

if TYPE_CHECKING:
    from generator.pipeline import BuildOptions
    from generator.sources.table import Workbook

HOST_ENV, PORT_ENV = "CRP_SMTP_HOST", "CRP_SMTP_PORT"
LOCAL = ("localhost", "127.0.0.1", "::1")


class SendError(GeneratorError):
    """The mail server could not be used at all: nothing more was sent."""


class LedgerWriter(Protocol):
    def append(self, entries: list[Entry]) -> None: ...


@dataclass
class CsvLedger:
    """The ledger as a CSV file in the program's workbook folder (Sent.csv)."""

    path: Path

    def append(self, entries: list[Entry]) -> None:
        for e in entries:
            append_row(self.path, COLUMNS, e.cells())


@dataclass
class SheetLedger:
    """The ledger as a tab of the Google Sheet, made on first use; rows appended RAW."""

    http: object
    key: str
    tab: str
    exists: bool

    def append(self, entries: list[Entry]) -> None:
        from generator.sources import sheets

        rows = [e.cells() for e in entries]
        if not self.exists:
            sheets.add_tab(self.http, self.key, self.tab)  # type: ignore[arg-type]
            rows = [list(COLUMNS)] + rows
            self.exists = True
        sheets.append_rows(self.http, self.key, self.tab, rows)  # type: ignore[arg-type]


@dataclass
class SendReport:
    sent: list[Outgoing] = field(default_factory=list)
    refused: list[tuple[Outgoing, str]] = field(default_factory=list)
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)
    left: int = 0  # due, not tried this run (the per-run cap, or the run stopped)
    stopped: str = ""  # why the run stopped before the end

    @property
    def clean(self) -> bool:
        return not (self.refused or self.failed or self.stopped)


def server(cfg: Smtp, env: Mapping[str, str]) -> tuple[str, int]:
    host = env.get(HOST_ENV) or cfg.host
    if not host:
        raise SendError(f"no mail server is set: add messages.smtp.host to program.yml, or set {HOST_ENV}")
    try:
        port = int(env.get(PORT_ENV) or cfg.port_for())
    except ValueError:
        raise SendError(f"{PORT_ENV} must be a port number") from None
    return host, port


def describe(cfg: Smtp, env: Mapping[str, str]) -> str:
    """Where messages would go and as whom, without the password."""
    host, port = server(cfg, env)
    user = env.get(cfg.user_env)
    login = (f"as {user} (password from {cfg.password_env}: {'set' if env.get(cfg.password_env) else 'NOT set'})"
             if user else f"without login ({cfg.user_env} is not set)")
    return f"{host}:{port} ({cfg.security}) {login}"


def connect(cfg: Smtp, env: Mapping[str, str], root: Path | None = None) -> smtplib.SMTP:
    """A logged-in connection, or one SendError that says what to check (never the password)."""
    host, port = server(cfg, env)
    ca = (root or Path.cwd()) / cfg.ca_file if cfg.ca_file else None
    if ca is not None and not ca.is_file():
        raise SendError(f"messages.smtp.ca_file {cfg.ca_file} does not exist (a path relative to program.yml)")
    user, password = env.get(cfg.user_env), env.get(cfg.password_env)
    if user and cfg.security == "none" and host not in LOCAL:
        raise SendError(f"refusing to send the password to {host} unencrypted: set messages.smtp.security to "
                        "starttls or tls")
    try:
        if cfg.security == "tls":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=cfg.timeout_seconds,
                                                  context=ssl.create_default_context(cafile=ca))
        else:
            conn = smtplib.SMTP(host, port, timeout=cfg.timeout_seconds)
            if cfg.security == "starttls":
                conn.starttls(context=ssl.create_default_context(cafile=ca))
        if user:
            conn.login(user, password or "")
        return conn
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(f"the mail server {host} refused the login of {user} ({exc.smtp_code}): check {cfg.user_env} "
                        f"and {cfg.password_env}. Nothing was sent") from None
    except smtplib.SMTPNotSupportedError:
        raise SendError(f"the mail server {host}:{port} does not offer STARTTLS or login: check messages.smtp.security "
                        "and port. Nothing was sent") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"the mail server {host}:{port} could not be reached ({type(exc).__name__}: {exc}): check "
                        "messages.smtp (host, port, security) and the network. Nothing was sent") from None


def ledger_for(loaded: LoadedProgram, book: Workbook, env: Mapping[str, str], http: object | None,
               missing: bool) -> LedgerWriter:
    """Beside the data: the sheet's ledger tab when the build read a sheet, else the workbook's file."""
    from generator.sources.choose import sheet_key

    tab = loaded.program.messages.ledger_tab
    key = sheet_key(loaded, env)
    if key and book.folder is None and book.snapshot_taken is None:
        from generator.sources import sheets

        client = http
        if client is None:
            creds = sheets.credentials(env, sheets.READ_WRITE, application_default=loaded.program.source.kind == "sheets")
            if creds is None:
                raise SendError(f"no Google credentials to record sent messages in the {tab} tab: set "
                                f"{sheets.ACCOUNT_JSON} or {sheets.ACCOUNT_FILE} (the account needs Editor access)")
            client = sheets.client(creds)
        return SheetLedger(client, key, tab, exists=not missing)
    if book.folder is None:
        raise SendError(f"the build read {book.origin}, not the sheet itself, so the ledger of sent messages cannot be "
                        "checked: send again when the sheet can be read")
    return CsvLedger(tab_path(loaded.data_path, tab))


def send_all(plan: Plan, composer: Composer, ledger: LedgerWriter, conn: smtplib.SMTP, today: dt.date,
             per_minute: float, cap: int, say: Callable[[str], None] = print,
             now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
             sleep: Callable[[float], None] = time.sleep) -> SendReport:
    """Send in order, at most `cap`, no faster than `per_minute`; a refused recipient does not stop the rest."""
    report = SendReport()
    todo = list(plan.outgoing)
    for n, out in enumerate(todo):
        if n >= cap:
            report.left = len(todo) - n
            break
        if n:
            sleep(60.0 / per_minute)
        moment = now()
        msg = composer.email(out, today, moment)
        mid = str(msg["Message-ID"])
        ledger.append([ledger_entry(out, SENDING, stamp(moment), mid)])
        try:
            conn.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reason = next(iter(exc.recipients.values()), (0, b""))
            why = f"{code} {reason.decode(errors='replace') if isinstance(reason, bytes) else reason}".strip()
            ledger.append([ledger_entry(out, REFUSED, stamp(now()), mid, why)])
            report.refused.append((out, why))
            say(f"  refused: {out.due.kind} to {out.due.email}: the server said {why}. Check the address in the sheet.")
            continue
        except smtplib.SMTPResponseException as exc:
            why = f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace') if isinstance(exc.smtp_error, bytes) else exc.smtp_error}"
            ledger.append([ledger_entry(out, FAILED, stamp(now()), mid, why)])
            report.failed.append((out, why))
            if exc.smtp_code >= 500 and not isinstance(exc, smtplib.SMTPSenderRefused):
                say(f"  failed: {out.due.kind} to {out.due.email}: the server said {why}.")
                continue
            report.stopped = f"the server stopped accepting messages ({why})"
        except (smtplib.SMTPException, OSError) as exc:
            why = f"{type(exc).__name__}: {exc}"
            ledger.append([ledger_entry(out, FAILED, stamp(now()), mid, why)])
            report.failed.append((out, why))
            report.stopped = f"the connection to the mail server was lost ({why})"
        if report.stopped:
            report.left = len(todo) - n - 1
            break
        ledger.append([ledger_entry(out, SENT, stamp(now()), mid)])
        report.sent.append(out)
        say(f"  sent: {out.due.kind} to {out.due.email}")
    return report


def send_command(options: "BuildOptions", yes: bool, say: Callable[[str], None] = print,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
                 sleep: Callable[[float], None] = time.sleep, record_only: bool = False) -> SendReport | None:
    """Dry run (default): what would go, to whom, through which server. With `yes`: send and record.
    With `record_only` and `yes`: record the outbox as sent, for staff who sent it from their own mail client."""
    from dataclasses import replace

    from generator.pipeline import gather
    from generator.resources import bundled_example, kept_as_shipped

    if yes and bundled_example(options.program):  # its Sent ledger would be written into the example
        raise GeneratorError(kept_as_shipped(options.program, "leave out --yes to see what would go"))
    gathered = gather(replace(options, run_mkdocs=False))
    loaded, result = gathered.loaded, gathered.outbox
    m = loaded.program.messages
    say(f"{counted(len(result.outgoing), 'message')} due and not sent yet ({gathered.workbook.origin}, as of "
        f"{long_date(options.today)}); {result.already} already sent with the same content.")
    for n, out in enumerate(result.outgoing, start=1):
        update = f"  [update: {'; '.join(out.changes)}]" if out.changes else ""
        say(f"  {n:>3}. {out.due.kind:<20} to {out.due.name} <{out.due.email}>{' ' + out.due.round if out.due.round else ''}{update}")
    for h in result.held:
        say(f"  held: {h.due.kind} to {h.due.email}: {h.why}")
    if not result.outgoing:
        return SendReport()
    capped = min(len(result.outgoing), m.max_per_run)
    if not yes:
        try:
            through = describe(m.smtp, options.env)
        except SendError as exc:
            through = f"the mail server, once one is set ({exc})"
        say(f"Dry run: nothing was sent. `build.py send --yes` sends {capped} of them through {through}, at most "
            f"{m.per_minute:g} a minute.")
        return None
    writer = ledger_for(loaded, gathered.workbook, options.env, options.http,
                        m.ledger_tab in gathered.workbook.missing or m.ledger_tab not in gathered.workbook.tabs)
    composer = Composer(loaded.program, loaded.templates_path)
    if record_only:
        at = stamp(now())
        writer.append([ledger_entry(out, SENT, at, message_id(out.due, composer.sender),
                                    "sent by staff from their own mail client") for out in result.outgoing])
        say(f"Recorded {counted(len(result.outgoing), 'message')} as sent by staff; nothing was sent from here.")
        return SendReport(sent=list(result.outgoing))
    conn = connect(m.smtp, options.env, loaded.root)
    say(f"Sending {counted(capped, 'message')} through {describe(m.smtp, options.env)}:")
    try:
        report = send_all(result, composer, writer, conn, options.today,
                          m.per_minute, m.max_per_run, say, now, sleep)
    finally:
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            pass
    say(f"Sent {len(report.sent)}; refused {len(report.refused)}; failed {len(report.failed)}; "
        f"{report.left} left for the next run.")
    if report.stopped:
        say(f"Stopped: {report.stopped}. Messages not sent stay due; run `build.py send --yes` again later.")
    return report
