"""Real server and real browser for the tests: Streamlit on 127.0.0.1, Debian's Chromium via Playwright."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def streamlit_server(
    env: dict[str, str] | None = None, timeout: float = 60.0, script: str | Path = "app.py"
) -> Iterator[Server]:
    """Start the real app (or another script, e.g. the benchmark's baseline) on a free loopback port;
    always stop it, with everything it started."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start in {timeout:.0f} s:\n{log.read_text()}")
            time.sleep(0.25)
        yield Server(url, proc, log)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


@dataclass
class Recorder:
    """Every request the page makes, so a test can prove nothing left the machine."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign_hosts(self, own: str) -> set[str]:
        own_host = urlparse(own).netloc
        hosts = {urlparse(u).netloc for u in self.requests if urlparse(u).scheme in ("http", "https", "ws", "wss")}
        return {h for h in hosts if h != own_host}


@contextlib.contextmanager
def browser_context() -> Iterator[BrowserContext]:
    """Debian's Chromium with the flags this machine needs and a fresh profile; never a downloaded browser."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run scripts/ensure-browser.sh (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1600, "height": 1000},
        )
        try:
            yield ctx
        finally:
            ctx.close()


def open_page(ctx: BrowserContext, rec: Recorder) -> Page:
    page = ctx.new_page()
    page.on("request", lambda r: rec.requests.append(r.url))
    page.on("console", lambda m: rec.console_errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (rec.dialogs.append(d.message), d.dismiss()))
    return page


def in_map(page: Page, code: str):
    """Evaluate JS inside the map's iframe (same origin), where Leaflet and the map plugin live."""
    return page.evaluate(
        "([sel, code]) => { const f = document.querySelector(sel); return f ? f.contentWindow.eval(code) : null; }",
        [MAP_IFRAME, code],
    )


def wait_map_ready(page: Page, timeout: float = 30.0) -> None:
    """Until the map is drawn and every layer file has arrived."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ok = in_map(
            page,
            "(() => { const c = document.querySelector('.leaflet-container');"
            " return !!c && c.getAttribute('data-layers-loaded') === 'true'; })()",
        )
        if ok:
            return
        time.sleep(0.1)
    raise AssertionError("the map did not finish drawing its layers")


def click_map_at(page: Page, lat: float, lon: float) -> None:
    """A real mouse click at a geographic point of the map."""
    pt = in_map(
        page,
        f"(() => {{ const p = realign.state.map.latLngToContainerPoint([{lat}, {lon}]);"
        " const r = realign.state.map.getContainer().getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; })()",
    )
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None and pt is not None
    page.mouse.click(box["x"] + pt[0], box["y"] + pt[1])


def selected_on_map(page: Page) -> str | None:
    return in_map(page, "realign.state.map.getContainer().getAttribute('data-selected')")
