"""Printable documents as PDF, rendered by a real engine: Chromium's headless print-to-PDF (Debian's
`chromium`, or the browser COURTFLOW_CHROMIUM names). No network: the document is a local file."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


class PdfUnavailable(RuntimeError):
    """No Chromium on this machine, or it failed to print."""


def chromium() -> str | None:
    return os.environ.get("COURTFLOW_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def html_to_pdf(html: str, timeout: float = 60) -> bytes:
    browser = chromium()
    if browser is None:
        raise PdfUnavailable("no chromium on this machine (set COURTFLOW_CHROMIUM)")
    with tempfile.TemporaryDirectory(prefix="courtflow-pdf-") as tmp:
        page, out = Path(tmp) / "document.html", Path(tmp) / "document.pdf"
        page.write_text(html, encoding="utf-8")
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer",
               f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", page.as_uri()]
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        if not out.exists() or out.stat().st_size == 0:
            raise PdfUnavailable(f"chromium printed nothing (exit {done.returncode}): {done.stderr[-500:]!r}")
        return out.read_bytes()
