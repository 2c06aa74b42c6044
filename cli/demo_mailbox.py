"""A loopback mailbox for development: `courtflow serve` without COURTFLOW_SMTP_URL starts one, so the
demo users' e-mail notices arrive somewhere a person can open them (one .eml file per message)."""
import socket
from datetime import datetime, timezone
from pathlib import Path

from aiosmtpd.controller import Controller

SENDER = "courtflow@demo.courtflow.test"


class DemoMailbox:
    """An SMTP server on 127.0.0.1 that writes every message it takes to `directory`."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = _free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def smtp_url(self) -> str:
        """The Apprise URL for COURTFLOW_SMTP_URL."""
        return f"mailto://127.0.0.1:{self.port}?from={SENDER}"

    async def handle_DATA(self, server, session, envelope):
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%f")
        for recipient in envelope.rcpt_tos:
            (self.directory / f"{stamp}-{_safe(recipient)}.eml").write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"

    def start(self) -> "DemoMailbox":
        self.directory.mkdir(parents=True, exist_ok=True)
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


def _safe(address: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "@._-" else "_" for ch in address)[:80]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
