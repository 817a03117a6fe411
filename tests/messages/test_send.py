"""`build.py send` through a real SMTP server on 127.0.0.1: once, the rest after a kill, refusals, faults."""
from __future__ import annotations

import csv
import datetime as dt
import email
from email import policy

import icalendar
import pytest

from generator.cli import main
from generator.errors import GeneratorError
from generator.messages.compose import message_id
from generator.messages.ledger import COLUMNS
from generator.messages.send import send_command
from generator.pipeline import BuildOptions
from generator.sources.workbook import append_row
from tests.conftest import EXAMPLES, REPO
from tests.messages.conftest import PASSWORD, free_port, gathered_on, program_copy, smtp_env

ANNOUNCED = dt.date(2021, 12, 16)
FAST = "  per_minute: 60000\n  smtp: {security: none}\n"


def options(program, env, today=ANNOUNCED) -> BuildOptions:
    return BuildOptions(program=program, run_mkdocs=False, today=today, env=env, work=program.parent / "build")


def ledger_rows(program) -> list[dict[str, str]]:
    path = program.parent / "data" / "Sent.csv"
    return list(csv.DictReader(path.open(encoding="utf-8"))) if path.is_file() else []


class Interrupted(KeyboardInterrupt):
    pass


def killed_after(n: int):
    """The rate limiter's sleep, which stops the run (as a kill would) after `n` messages went."""
    calls = {"n": 0}

    def sleep(_: float) -> None:
        calls["n"] += 1
        if calls["n"] == n:
            raise Interrupted()
    return sleep


def test_messages_arrive_once_with_their_parts_and_calendar(smtp_server, tmp_path):
    box, port = smtp_server
    program = program_copy("circles", tmp_path, FAST)
    env = smtp_env(port)
    due = gathered_on(program, ANNOUNCED, env).outbox.outgoing
    said: list[str] = []
    report = send_command(options(program, env), yes=True, say=said.append, sleep=lambda _: None)
    assert report is not None and report.clean and len(report.sent) == len(due) == len(box.messages)
    assert [rcpts for _, rcpts, _ in box.messages] == [[o.due.email] for o in due]
    for (_, (rcpt,), raw), out in zip(box.messages, due):
        msg = email.message_from_bytes(raw, policy=policy.default)
        assert msg["To"].addresses[0].addr_spec == rcpt
        assert msg.get_body(("plain",)) is not None and msg.get_body(("html",)) is not None
        if out.due.kind == "announcement":
            (att,) = list(msg.iter_attachments())
            assert icalendar.Calendar.from_ical(att.get_content()).walk("VEVENT")
    assert PASSWORD not in "\n".join(said)
    rows = ledger_rows(program)
    assert [r["status"] for r in rows] == ["sending", "sent"] * len(due)
    # A second run (a rerun, a CI retry) finds nothing to send.
    again = send_command(options(program, env), yes=True, say=said.append, sleep=lambda _: None)
    assert again is not None and not again.sent and len(box.messages) == len(due)


def test_a_run_killed_after_n_messages_sends_exactly_the_rest_when_restarted(smtp_server, tmp_path):
    box, port = smtp_server
    program = program_copy("pairs", tmp_path, FAST)
    env = smtp_env(port)
    due = gathered_on(program, dt.date(2024, 12, 13), env).outbox.outgoing
    with pytest.raises(Interrupted):
        send_command(options(program, env, dt.date(2024, 12, 13)), yes=True, say=lambda _: None, sleep=killed_after(7))
    assert len(box.messages) == 7
    report = send_command(options(program, env, dt.date(2024, 12, 13)), yes=True, say=lambda _: None,
                          sleep=lambda _: None)
    assert report is not None and len(report.sent) == len(due) - 7
    received = [(rcpts[0], email.message_from_bytes(raw, policy=policy.default)["Message-ID"]) for _, rcpts, raw in box.messages]
    assert len(received) == len(set(received)) == len(due)  # every message exactly once


def test_a_message_cut_off_mid_send_is_held_for_staff_not_sent_twice(smtp_server, tmp_path):
    box, port = smtp_server
    program = program_copy("circles", tmp_path, FAST)
    env = smtp_env(port)
    first = gathered_on(program, ANNOUNCED, env).outbox.outgoing[0].due
    append_row(program.parent / "data" / "Sent.csv", COLUMNS,
               ["2021-12-16 14:00:00 UTC", "sending", first.kind, first.email, first.about, first.round, first.key,
                first.digest, "<x@example.edu>", "{}", ""])
    said: list[str] = []
    report = send_command(options(program, env), yes=True, say=said.append, sleep=lambda _: None)
    sent_ids = {email.message_from_bytes(raw, policy=policy.default)["Message-ID"] for _, _, raw in box.messages}
    assert report is not None and report.sent and message_id(first, "crp-circles@example.edu") not in sent_ids
    assert not any(o.due.key == first.key for o in report.sent)
    assert any(line.startswith(f"  held: {first.kind} to {first.email}: a send stopped") for line in said)


def test_a_refused_recipient_is_reported_and_the_rest_go_on(smtp_server, tmp_path):
    box, port = smtp_server
    program = program_copy("circles", tmp_path, FAST)
    env = smtp_env(port)
    due = gathered_on(program, ANNOUNCED, env).outbox.outgoing
    bounced = due[3].due.email
    box.refuse.add(bounced)
    said: list[str] = []
    report = send_command(options(program, env), yes=True, say=said.append, sleep=lambda _: None)
    assert report is not None and not report.clean
    refused = {o.due.key for o, _ in report.refused}
    assert refused == {o.due.key for o in due if o.due.email == bounced}
    assert len(report.sent) == len(due) - len(refused) == len(box.messages)
    assert any("refused" in line and bounced in line and "550" in line for line in said)
    last = {r["key"]: r["status"] for r in ledger_rows(program)}
    assert {k for k, s in last.items() if s == "refused"} == refused  # nothing marked sent that was not sent
    # Once the address works, the next run sends exactly the refused ones.
    box.refuse.clear()
    again = send_command(options(program, env), yes=True, say=said.append, sleep=lambda _: None)
    assert again is not None and {o.due.key for o in again.sent} == refused


def test_a_server_that_is_down_or_refuses_the_login_sends_nothing_and_never_shows_the_password(smtp_server, tmp_path):
    box, port = smtp_server
    program = program_copy("circles", tmp_path, FAST)
    with pytest.raises(GeneratorError, match="could not be reached") as down:
        send_command(options(program, smtp_env(free_port())), yes=True, say=lambda _: None)
    with pytest.raises(GeneratorError, match="refused the login of coordinator@example.edu") as refused:
        send_command(options(program, smtp_env(port, "wrong password")), yes=True, say=lambda _: None)
    assert "wrong password" not in str(refused.value) and PASSWORD not in str(down.value)
    assert not box.messages and all(r["status"] != "sent" for r in ledger_rows(program))


def test_the_command_is_a_dry_run_unless_told_yes(smtp_server, tmp_path, capsys):
    box, port = smtp_server
    program = program_copy("circles", tmp_path, FAST)
    env = smtp_env(port)
    code = main(["send", "--program", str(program), "--today", ANNOUNCED.isoformat()], env=env)
    out = capsys.readouterr().out
    assert code == 0 and not box.messages and not ledger_rows(program)
    assert "Dry run: nothing was sent" in out and "password from CRP_SMTP_PASSWORD: set" in out and PASSWORD not in out
    assert " announcement " in out and "to " in out
    code = main(["send", "--yes", "--program", str(program), "--today", ANNOUNCED.isoformat()], env=env)
    assert code == 0 and box.messages


def test_the_per_run_cap_leaves_the_rest_for_the_next_run(smtp_server, tmp_path):
    box, port = smtp_server
    program = program_copy("pairs", tmp_path, FAST + "  max_per_run: 5\n")
    env = smtp_env(port)
    report = send_command(options(program, env, dt.date(2024, 12, 13)), yes=True, say=lambda _: None, sleep=lambda _: None)
    assert report is not None and len(report.sent) == 5 and report.left > 0 and len(box.messages) == 5


def test_sending_waits_between_messages_by_the_rate_limit(smtp_server, tmp_path):
    box, port = smtp_server
    program = program_copy("pairs", tmp_path, "  per_minute: 30\n  max_per_run: 4\n  smtp: {security: none}\n")
    waits: list[float] = []
    send_command(options(program, smtp_env(port), dt.date(2024, 12, 13)), yes=True, say=lambda _: None,
                 sleep=waits.append)
    assert waits == [2.0, 2.0, 2.0] and len(box.messages) == 4


def test_with_a_google_sheet_the_ledger_is_its_sent_tab_recorded_raw(smtp_server, tmp_path):
    """Recorded Sheets API traffic: the Sent tab is made on first use, each message written before and after."""
    import vcr

    from generator.sources import sheets
    from tests.sources.cassettes import HERE, KEY
    from tests.sources.test_sheets import http_client

    box, port = smtp_server
    program = program_copy("circles", tmp_path, FAST + "  max_per_run: 2\n")
    http = http_client()
    appended: list[list[list[str]]] = []
    real_append = http.values_append
    http.values_append = lambda key, rng, params, body: (appended.append(body["values"]),
                                                         real_append(key, rng, params, body))[1]
    env = {**smtp_env(port), sheets.SHEET_KEY: KEY}
    replay = vcr.VCR(cassette_library_dir=str(HERE), record_mode="none", serializer="json",
                     match_on=["method", "scheme", "host", "path", "query"])
    with replay.use_cassette("send.json") as cassette:
        report = send_command(BuildOptions(program=program, run_mkdocs=False, today=ANNOUNCED, env=env, http=http,
                                           work=tmp_path / "build"), yes=True, say=lambda _: None, sleep=lambda _: None)
        assert cassette.all_played  # metadata, batch read, addSheet, four appends
    assert report is not None and len(report.sent) == 2 == len(box.messages)
    assert appended[0][0] == list(COLUMNS)
    statuses = [row[1] for rows in appended for row in rows[1 if rows is appended[0] else 0:]]
    assert statuses == ["sending", "sent", "sending", "sent"]
    assert not (program.parent / "data" / "Sent.csv").exists()  # the sheet holds the ledger, not the bundled folder


def test_staff_who_sent_from_their_own_client_record_it_and_nothing_is_due_again(smtp_server, tmp_path):
    box, port = smtp_server
    program = program_copy("circles", tmp_path, FAST)
    due = gathered_on(program, ANNOUNCED).outbox.outgoing
    code = main(["send", "--yes", "--record-only", "--program", str(program), "--today", ANNOUNCED.isoformat()], env={})
    assert code == 0 and not box.messages
    assert [r["status"] for r in ledger_rows(program)] == ["sent"] * len(due)
    assert not gathered_on(program, ANNOUNCED).outbox.outgoing


def test_the_bundled_example_is_never_written_to_its_dry_run_still_lists(capsys):
    """`send --yes --record-only` on the example wrote a Sent.csv into examples/circles/data: the
    next `python build.py` and the tests then read an example with every message sent."""
    data = EXAMPLES["circles"].parent / "data"
    before = sorted((p.name, p.read_bytes()) for p in data.iterdir())
    day = ANNOUNCED.isoformat()
    assert main(["send", "--yes", "--record-only", "--program", str(EXAMPLES["circles"]), "--today", day], env={}) == 2
    said = capsys.readouterr()
    assert "is a bundled example, kept as shipped" in said.err and "leave out --yes" in said.err and "cp -r" in said.err
    assert sorted((p.name, p.read_bytes()) for p in data.iterdir()) == before
    assert main(["send", "--program", str(EXAMPLES["circles"]), "--today", day], env={}) == 0
    assert "Dry run: nothing was sent" in capsys.readouterr().out


def test_a_send_process_killed_for_real_after_n_messages_then_restarted_sends_exactly_the_rest(smtp_server, tmp_path):
    """SIGKILL, not an exception: the process dies while it waits between two messages."""
    import os
    import signal
    import subprocess
    import sys
    import time

    box, port = smtp_server
    program = program_copy("pairs", tmp_path, "  per_minute: 60\n  smtp: {security: none}\n")  # a 1 s wait between messages
    env = smtp_env(port)
    day = "2024-12-13"
    due = gathered_on(program, dt.date(2024, 12, 13), env).outbox.outgoing
    command = [sys.executable, str(REPO / "build.py"), "send", "--yes", "--program", str(program), "--today", day]
    proc = subprocess.Popen(command, env={**os.environ, **env}, cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while sum(r["status"] == "sent" for r in ledger_rows(program)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    rows = ledger_rows(program)
    assert rows[-1]["status"] == "sent" and len(box.messages) == sum(r["status"] == "sent" for r in rows) >= 3
    before = len(box.messages)
    report = send_command(options(program, env, dt.date(2024, 12, 13)), yes=True, say=lambda _: None,
                          sleep=lambda _: None)
    assert report is not None and len(report.sent) == len(due) - before
    ids = [email.message_from_bytes(raw, policy=policy.default)["Message-ID"] for _, _, raw in box.messages]
    assert len(ids) == len(set(ids)) == len(due)


def _certificate(folder) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (the test's own CA), as PEM files."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "server.pem", folder / "server.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_starttls_and_tls_check_the_certificate_and_deliver(security, tmp_path):
    import ssl

    from aiosmtpd.controller import Controller

    from tests.messages.conftest import Mailbox, USER, _login

    program = program_copy("pairs", tmp_path, f"  per_minute: 60000\n  max_per_run: 2\n  smtp: {{security: {security}, ca_file: ca.pem}}\n")
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box, port = Mailbox(), free_port()
    # aiosmtpd counts only STARTTLS as TLS for AUTH; with implicit TLS the whole connection is encrypted anyway.
    kwargs = ({"ssl_context": context, "auth_require_tls": False} if security == "tls"
              else {"tls_context": context, "require_starttls": True})
    controller = Controller(box, hostname="127.0.0.1", port=port, authenticator=_login, **kwargs)
    controller.start()
    try:
        day = dt.date(2024, 12, 13)
        # Trusting another CA, the server's certificate is refused: nothing is sent.
        (tmp_path / "other").mkdir()
        (program.parent / "ca.pem").write_text(open(_certificate(tmp_path / "other")[0]).read())
        with pytest.raises(GeneratorError, match="could not be reached"):
            send_command(options(program, smtp_env(port), day), yes=True, say=lambda _: None)
        assert not box.messages
        (program.parent / "ca.pem").write_text(open(cert).read())
        report = send_command(options(program, smtp_env(port), day), yes=True, say=lambda _: None, sleep=lambda _: None)
        assert report is not None and len(report.sent) == 2 == len(box.messages) and USER
    finally:
        controller.stop()
