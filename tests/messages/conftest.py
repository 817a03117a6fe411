"""Programs copied from the examples, and a real SMTP server on 127.0.0.1 (aiosmtpd)."""
from __future__ import annotations

import datetime as dt
import shutil
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from generator.pipeline import BuildOptions, Gathered, gather
from tests.conftest import EXAMPLES

USER, PASSWORD = "coordinator@example.edu", "correct horse battery staple"


def program_copy(name: str, tmp_path: Path, messages_yaml: str = "") -> Path:
    folder = tmp_path / name
    shutil.copytree(EXAMPLES[name].parent, folder)
    if messages_yaml:
        with (folder / "program.yml").open("a", encoding="utf-8") as handle:
            handle.write("\nmessages:\n" + messages_yaml)
    return folder / "program.yml"


def gathered_on(program: Path, today: dt.date, env: dict[str, str] | None = None) -> Gathered:
    return gather(BuildOptions(program=program, run_mkdocs=False, today=today, env=env or {}, work=program.parent / "build"))


class Mailbox:
    """What the server received, and whom it refuses."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        if address.lower() in self.refuse:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


def _login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 that asks for a login (over a local, unencrypted connection)."""
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port, authenticator=_login, auth_require_tls=False)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def smtp_env(port: int, password: str = PASSWORD) -> dict[str, str]:
    return {"CRP_SMTP_HOST": "127.0.0.1", "CRP_SMTP_PORT": str(port), "CRP_SMTP_USER": USER, "CRP_SMTP_PASSWORD": password}
