"""Two app processes behind nginx (scripts/serve_multi.py): the map works through it, sessions spread and stick."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from realignment.content import Story

from .browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    Recorder,
    click_map_at,
    free_port,
    in_map,
    open_page,
    selected_on_map,
    wait_map_ready,
)

SCRIPT = ROOT / "scripts" / "serve_multi.py"
COOKIE = "realign_backend"
LOG_LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) .* key=(?P<key>\S+) upstream=(?P<up>\S+)')
MAX_BROWSERS = 16  # each new browser lands on either process with even odds: 16 miss one with odds 2**-15


def nginx_path() -> str | None:
    import shutil

    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None)


def port_open(hostport: str) -> bool:
    host, port = hostport.rsplit(":", 1)
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, int(port))) == 0


def read_ready(proc: subprocess.Popen, timeout: float) -> dict:
    """The READY line of serve_multi.py, or a failure with what it printed."""
    lines: list[str] = []
    found: dict = {}

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("READY "):
                found.update(json.loads(line[6:]))
                return

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    t.join(timeout)
    if not found:
        proc.kill()
        err = proc.stderr.read() if proc.stderr and proc.poll() is not None else ""
        pytest.fail(f"serve_multi.py was not ready in {timeout:.0f} s:\n{''.join(lines)}\n{err}")
    return found


def upstreams_by_key(access_log: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Sticky key -> (upstream, path, status) of every request nginx logged for it."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for line in access_log.read_text(encoding="utf-8").splitlines():
        m = LOG_LINE.search(line)
        if m:
            out.setdefault(m["key"], []).append((m["up"], m["path"], m["status"]))
    return out


def session_key(browser_ctx) -> str:
    keys = [c["value"] for c in browser_ctx.cookies() if c["name"] == COOKIE]
    assert len(keys) == 1, f"nginx set no {COOKIE} cookie"
    return keys[0]


def test_two_processes_behind_nginx(story: Story, artifacts: Path) -> None:
    if nginx_path() is None:
        pytest.fail("nginx is not installed, so the multi-process set-up cannot be tested: apt-get install -y nginx")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--port", str(port), "--backends", "2", "--duration", "280"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    info: dict = {}
    try:
        info = read_ready(proc, timeout=120)
        url, access_log = info["url"], Path(info["access_log"])
        assert info["backends"] and len(info["backends"]) == 2
        with sync_playwright() as pw:
            browser: Browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                # one reader: the map paints through nginx and a click on a place opens its panel
                ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
                rec = Recorder()
                page = open_page(ctx, rec)
                page.goto(url + "/")
                wait_map_ready(page)
                assert in_map(page, "document.querySelectorAll('path.leaflet-interactive').length") >= 15
                lat, lon = story.places["camp-humphreys"].point
                in_map(page, f"realign.state.map.setView([{lat}, {lon}], 10, {{animate: false}})")
                time.sleep(0.5)
                click_map_at(page, lat, lon)
                expect(page.locator(".st-key-panel h3").first).to_have_text(
                    story.places["camp-humphreys"].name.en, timeout=20_000
                )
                assert selected_on_map(page) == "camp-humphreys"
                page.screenshot(path=str(artifacts / "multi-process.png"))
                assert rec.foreign_hosts(url) == set()
                contexts = {session_key(ctx): ctx}
                # more readers, each a browser of its own (own cookies), until both processes have served one
                served: set[str] = set()
                while len(contexts) < MAX_BROWSERS:
                    served = {ups[0][0] for k, ups in upstreams_by_key(access_log).items() if k in contexts}
                    if len(served) == 2:
                        break
                    other = browser.new_context(viewport={"width": 1600, "height": 1000})
                    p = open_page(other, Recorder())
                    p.goto(url + "/")
                    # the script ran for this session: its websocket is up, through nginx, on one process
                    expect(p.locator(".st-key-panel h3").first).to_be_visible(timeout=60_000)
                    contexts[session_key(other)] = other
                assert served == set(info["backends"]), f"{len(contexts)} browsers all went to {served}"
                for c in contexts.values():
                    c.close()
            finally:
                browser.close()
        # the websockets are logged when they close: every browser's requests, its websocket included, went to
        # one process
        time.sleep(1.0)
        log = upstreams_by_key(access_log)
        for key in contexts:
            ups = log.get(key, [])
            assert {u for u, _, _ in ups} and len({u for u, _, _ in ups}) == 1, (key, ups)
            assert any(path == "/_stcore/stream" and status == "101" for _, path, status in ups), (key, ups)
        assert all(status != "502" for ups in log.values() for _, _, status in ups)
    finally:
        # stop it as a user would (Ctrl-C), then check that it stopped everything it started
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        for pid in info.get("pids", []):  # never left behind, whatever happened above
            with contextlib.suppress(OSError):
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                if b"streamlit" in cmdline or b"nginx" in cmdline:
                    os.killpg(pid, signal.SIGKILL)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    for hostport in [info["url"].removeprefix("http://"), *info["backends"]]:
        assert not port_open(hostport), f"{hostport} still answers after serve_multi.py stopped"
    for pid in info["pids"]:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    assert not Path(info["prefix"]).exists(), "serve_multi.py left its temporary folder behind"
