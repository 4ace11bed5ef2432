"""Many sessions on one server: N browser sessions load the map and select places for a while; counts every error.

    .venv/bin/python bench/load.py [--sessions 20] [--duration 60] [--ramp 30] [--think 3 6] [--timeout S]
                                   [--browsers 1] [--separate-contexts] [--out bench/results/load.json]

One app server on 127.0.0.1 (loopback only) and one headless Chromium; each session is a page with its own
Streamlit session and websocket. First one session alone (the single-session figures), then the N sessions: they
open one after another over --ramp seconds, each loads the map, then selects places until --duration seconds after
the ramp: a click on a place of the map, then a click on a button of the place list, and so on, with a think time
drawn from --think between actions, as a reader would.

Errors counted: Streamlit exception elements, a layer that the map could not load, console errors, page errors,
failed requests, HTTP responses >= 400, websockets closed before the end, and timeouts (map not drawn in 90 s, panel
not updated 20 s after a click). Bounded: at most --sessions pages (50 at most), each stops at the deadline, and the
whole run stops after --timeout seconds whatever happens. Exit status 1 if any error was counted.

What is realistic on 2 cores: the browser, not the server, is the larger load. Every page runs Streamlit's frontend
and re-renders on every rerun, and 20 of them share the two cores with the server, whereas real readers bring their
own machines. So by default the pages share one browser context: one HTTP cache and compiled-code cache, as for
returning visitors (Streamlit's 2.8 MB of scripts are compiled once, not 20 times), and the think time (3-6 s,
someone reading a panel) keeps the click rate near what 20 readers make. --separate-contexts makes every session a
first visit (own cache, own cookies); --browsers N spreads the pages over N Chromium processes, which changes little
on 2 cores. Even so, the figures under load are an upper bound on what the server alone would cost the readers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import (  # noqa: E402
    LOAD_CHROMIUM_ARGS,
    MAP_JS,
    PANEL,
    cpu_seconds,
    descendants,
    load_average,
    percentile,
    rss_mib,
    script_times,
)
from playwright.async_api import Browser, BrowserContext, Page, async_playwright  # noqa: E402
from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from realignment.content import load_story  # noqa: E402
from tests.browser import CHROMIUM, MAP_IFRAME, Server, streamlit_server  # noqa: E402

MAP_TARGETS = ("camp-humphreys", "camp-casey", "osan", "camp-red-cloud", "panmunjom")
# as the tests and bench/run.py: the whole map in view (when it is not, focusing the map on the first mouse press
# scrolls the page, and that first click lands beside the place it was aimed at)
VIEWPORT = {"width": 1600, "height": 1000}
LOAD_TIMEOUT_S = 90.0
# on a timeout, what the map last reported and what it shows selected
DIAGNOSE = (
    f"(() => {{ const m = {MAP_JS}; const d = window.__GLOBAL_DATA__ || {{}};"
    " return 'map reported ' + JSON.stringify(d.previous_data || null) + ', selected '"
    " + (m && m.getContainer().getAttribute('data-selected')); })()"
)
PANEL_TIMEOUT_S = 20.0
REPORTED_LABEL = "((window.__GLOBAL_DATA__ || {}).previous_data || {}).last_object_clicked_tooltip || null"


@dataclass
class Stats:
    """What one phase measured: click latencies by kind, map loads, errors."""

    clicks: dict[str, list[float]] = field(default_factory=lambda: {"map": [], "list": []})
    loads: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    closing: bool = False

    def error(self, session: int, what: str) -> None:
        if not self.closing:
            self.errors.append(f"session {session}: {what}")

    @property
    def all_clicks(self) -> list[float]:
        return self.clicks["map"] + self.clicks["list"]


async def in_map(page: Page, code: str):
    return await page.evaluate(
        "([sel, code]) => { const f = document.querySelector(sel); return f ? f.contentWindow.eval(code) : null; }",
        [MAP_IFRAME, code],
    )


async def wait_map(page: Page, timeout: float) -> None:
    """Until the map is drawn and every layer file has arrived (the product's plugin says so)."""
    deadline = time.monotonic() + timeout
    code = f"(() => {{ const m = {MAP_JS}; return !!m && m.getContainer().getAttribute('data-layers-loaded'); }})()"
    while time.monotonic() < deadline:
        if await in_map(page, code) == "true":
            return
        await asyncio.sleep(0.1)
    raise PlaywrightTimeout(f"the map was not drawn in {timeout:.0f} s")


async def map_at_rest(page: Page, place_id: str | None, timeout: float = 10.0) -> None:
    """Until the map shows the selection and has stopped moving (a place chosen in the list flies the map there)."""
    deadline = time.monotonic() + timeout
    code = (
        f"(() => {{ const m = {MAP_JS}; const c = m.getCenter();"
        " return [m.getContainer().getAttribute('data-selected'), c.lat, c.lng, m.getZoom()]; })()"
    )
    last = None
    while time.monotonic() < deadline:
        state = await in_map(page, code)
        if state and (place_id is None or state[0] == place_id) and state == last:
            return
        last = state
        await asyncio.sleep(0.15)


async def aim_at(page: Page, lat: float, lon: float, rng: random.Random) -> tuple[float, float]:
    """Centre the map on a point; where a click on it lands on the page, give or take 3 px, as a hand.

    (Whatever the pixel, the map reports a click on a place as that place's own point and label.)
    """
    await in_map(
        page, f"(() => {{ const m = {MAP_JS}; m.stop(); m.setView([{lat}, {lon}], 10, {{animate: false}}); }})()"
    )
    await asyncio.sleep(0.3)
    pt = await in_map(
        page,
        f"(() => {{ const m = {MAP_JS}; const p = m.latLngToContainerPoint([{lat}, {lon}]); const s = m.getSize();"
        " if (p.x < 0 || p.y < 0 || p.x > s.x || p.y > s.y) return null;"
        " const r = m.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; })()",
    )
    box = await page.locator(MAP_IFRAME).bounding_box()
    if box is None or pt is None:
        raise PlaywrightTimeout("the place is not on the map")
    return box["x"] + pt[0] + rng.uniform(-3, 3), box["y"] + pt[1] + rng.uniform(-3, 3)


async def app_idle(page: Page, quiet: float = 0.5, timeout: float = 30.0) -> None:
    """Until the app's script has not been running for `quiet` seconds (the page is fully written)."""
    deadline = time.monotonic() + timeout
    calm_since = time.monotonic()
    while time.monotonic() < deadline:
        state = await page.evaluate(
            "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
        )
        if state == "running":
            calm_since = time.monotonic()
        elif time.monotonic() - calm_since >= quiet:
            return
        await asyncio.sleep(0.1)


def watch(page: Page, session: int, stats: Stats) -> None:
    """Count everything that goes wrong on the page."""

    def on_console(msg) -> None:
        if msg.type == "error":
            stats.error(session, f"console error: {msg.text[:200]}")

    def on_ws(ws) -> None:
        ws.on("close", lambda _ws: stats.error(session, f"websocket closed: {ws.url}"))
        ws.on("socketerror", lambda err: stats.error(session, f"websocket error: {err}"))

    page.on("console", on_console)
    page.on("pageerror", lambda exc: stats.error(session, f"page error: {str(exc)[:200]}"))
    page.on("requestfailed", lambda r: stats.error(session, f"failed request: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and stats.error(session, f"HTTP {r.status}: {r.url}"))
    page.on("websocket", on_ws)


async def check_page(page: Page, session: int, stats: Stats) -> None:
    """Exception elements of Streamlit, or a layer the map could not load."""
    n = await page.locator('[data-testid="stException"]').count()
    if n:
        stats.error(session, f"{n} Streamlit exception element(s)")
    problems = await in_map(page, "document.querySelectorAll('.realign-problem').length")
    if problems:
        stats.error(session, f"{problems} map layer problem(s)")


async def run_session(
    session: int,
    where: Browser | BrowserContext,
    url: str,
    story,
    stats: Stats,
    deadline: float,
    think: tuple[float, float],
    max_actions: int | None = None,
) -> BrowserContext | Page:
    """One reader: load the map, then alternate map clicks and place-list clicks until the deadline.

    In a browser: a context of its own (returned, to close); in a context: a page of it (returned, to close).
    """
    rng = random.Random(session)
    ctx = await where.new_context(viewport=VIEWPORT) if isinstance(where, Browser) else where
    page = await ctx.new_page()
    own = ctx if isinstance(where, Browser) else page
    watch(page, session, stats)
    t0 = time.perf_counter()
    try:
        await page.goto(url + "/", timeout=LOAD_TIMEOUT_S * 1000)
        await wait_map(page, LOAD_TIMEOUT_S)
    except PlaywrightTimeout as exc:
        stats.error(session, f"timeout loading the map: {str(exc).splitlines()[0][:120]}")
        return own
    stats.loads.append(1000 * (time.perf_counter() - t0))
    await app_idle(page)  # a reader looks at the page before the first click
    current = None
    actions = 0
    kinds = ("map", "list") if session % 2 == 0 else ("list", "map")
    while time.monotonic() < deadline and (max_actions is None or actions < max_actions):
        kind = kinds[actions % 2]
        actions += 1
        if kind == "map":
            place = story.places[rng.choice([p for p in MAP_TARGETS if story.places[p].name.en != current])]
        else:
            place = rng.choice([p for p in story.places.values() if p.name.en != current])
        name = place.name.en
        repeat = False
        try:
            if kind == "map":
                # what the map last reported: a click on the same place reports the very same value again
                repeat = await in_map(page, REPORTED_LABEL) == name
                x, y = await aim_at(page, *place.point, rng)
                t1 = time.perf_counter()
                await page.mouse.click(x, y)
            else:
                t1 = time.perf_counter()
                await (
                    page.locator(".st-key-place-list")
                    .get_by_role("button", name=name, exact=True)
                    .click(timeout=PANEL_TIMEOUT_S * 1000)
                )
            await page.wait_for_function(
                f"() => document.querySelector('{PANEL}')?.textContent === {json.dumps(name)}",
                timeout=PANEL_TIMEOUT_S * 1000,
            )
            stats.clicks[kind].append(1000 * (time.perf_counter() - t1))
            current = name
            await map_at_rest(page, place.id)
        except PlaywrightTimeout as exc:
            if repeat:
                # the map reports a click on a place as (the place's point, its label): the same value as its last
                # report, so the app sees no change when the list chose another place in between
                stats.error(session, f"repeated map click ignored: {name!r} again, after {current!r} from the list")
            else:
                seen = await in_map(page, DIAGNOSE)
                stats.error(session, f"timeout: {kind} click on {name!r}: {str(exc).splitlines()[0][:80]}; {seen}")
            current = await page.evaluate(f"() => document.querySelector('{PANEL}')?.textContent ?? null")
        await check_page(page, session, stats)
        await asyncio.sleep(rng.uniform(*think))
    return own


async def sample_rss(pid: int, out: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        if (v := rss_mib(pid)) is not None:
            out.append(v)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


def error_kinds(errors: list[str]) -> dict[str, int]:
    """'session 3: timeout: map click on ...' -> {'timeout': 1}, most frequent first."""
    kinds: dict[str, int] = {}
    for e in errors:
        kind = e.split(": ", 1)[-1].split(":")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    return dict(sorted(kinds.items(), key=lambda kv: -kv[1]))


def summary(stats: Stats, script_ms: list[float]) -> dict:
    return {
        "click_to_panel_p50_ms": percentile(stats.all_clicks, 50),
        "click_to_panel_p95_ms": percentile(stats.all_clicks, 95),
        "map_click_p50_ms": percentile(stats.clicks["map"], 50),
        "map_click_p95_ms": percentile(stats.clicks["map"], 95),
        "list_click_p50_ms": percentile(stats.clicks["list"], 50),
        "list_click_p95_ms": percentile(stats.clicks["list"], 95),
        "map_load_p50_ms": percentile(stats.loads, 50),
        "map_load_p95_ms": percentile(stats.loads, 95),
        "script_run_p50_ms": percentile(script_ms, 50),
        "script_run_p95_ms": percentile(script_ms, 95),
        "clicks": len(stats.all_clicks),
        "map_loads": len(stats.loads),
        "errors": len(stats.errors),
        "error_kinds": error_kinds(stats.errors),
    }


async def measure(args: argparse.Namespace, server: Server) -> dict:
    story = load_story()
    pid = server.proc.pid
    async with async_playwright() as pw:
        browsers = [
            await pw.chromium.launch(executable_path=CHROMIUM, args=LOAD_CHROMIUM_ARGS, headless=True)
            for _ in range(max(1, args.browsers))
        ]
        # where sessions open: one context per browser (shared HTTP and compiled-code cache), or --separate-contexts
        wheres: list[Browser | BrowserContext] = list(browsers)
        if not args.separate_contexts:
            wheres = [await b.new_context(viewport=VIEWPORT) for b in browsers]
        contexts: list[BrowserContext | Page] = []
        try:
            # warm the server's caches, as a running server would be
            warm = Stats()
            contexts.append(await run_session(-1, wheres[0], server.url, story, warm, 0.0, (0, 0)))
            warm.closing = True
            await contexts.pop().close()
            # one session alone
            print(f"1 session: {args.single_clicks} clicks ...", flush=True)
            single = Stats()
            n_log = len(script_times(server.log_text()))
            ctx = await run_session(0, wheres[0], server.url, story, single, time.monotonic() + 300, (0.5, 0.5),
                                    max_actions=args.single_clicks)  # fmt: skip
            single_script = script_times(server.log_text())[n_log:]
            single.errors[:0] = warm.errors
            await asyncio.sleep(1.0)
            rss_before = rss_mib(pid)
            single.closing = True
            await ctx.close()
            await asyncio.sleep(1.0)
            # N sessions
            print(f"{args.sessions} sessions: ramp {args.ramp:.0f} s, then {args.duration:.0f} s ...", flush=True)
            many = Stats()
            n_log = len(script_times(server.log_text()))
            samples: list[float] = []
            stop = asyncio.Event()
            sampler = asyncio.create_task(sample_rss(pid, samples, stop))
            start = time.monotonic()
            deadline = start + args.ramp + args.duration
            server_cpu0 = cpu_seconds(pid) or 0.0
            browser_pids = [p for p in descendants(os.getpid()) if p != pid and p not in descendants(pid)]
            browser_cpu0 = sum(cpu_seconds(p) or 0.0 for p in browser_pids)

            async def delayed(i: int) -> BrowserContext | Page:
                await asyncio.sleep(i * args.ramp / max(1, args.sessions))
                return await run_session(
                    i + 1, wheres[i % len(wheres)], server.url, story, many, deadline, tuple(args.think)
                )

            tasks = [asyncio.create_task(delayed(i)) for i in range(args.sessions)]
            try:
                for t in asyncio.as_completed(tasks):
                    contexts.append(await t)
            finally:
                for t in tasks:
                    t.cancel()
            elapsed = time.monotonic() - start
            server_cores = round(((cpu_seconds(pid) or 0.0) - server_cpu0) / elapsed, 2)
            # the browser's processes (and Playwright's driver) that lived through the run; new ones started at 0
            browser_pids = [p for p in descendants(os.getpid()) if p != pid and p not in descendants(pid)]
            browser_cores = round((sum(cpu_seconds(p) or 0.0 for p in browser_pids) - browser_cpu0) / elapsed, 2)
            many_script = script_times(server.log_text())[n_log:]
            await asyncio.sleep(1.0)
            rss_after = rss_mib(pid)  # every session still open
            stop.set()
            await sampler
            many.closing = True
            hwm = None
            with contextlib.suppress(OSError, ValueError):
                text = Path(f"/proc/{pid}/status").read_text()
                hwm = round(int(text.split("VmHWM:")[1].split()[0]) / 1024, 1)
        finally:
            for c in contexts + [w for w in wheres if isinstance(w, BrowserContext)]:
                with contextlib.suppress(Exception):
                    await c.close()
            for b in browsers:
                with contextlib.suppress(Exception):
                    await b.close()
    per_extra = None
    if rss_before is not None and rss_after is not None and args.sessions > 1:
        per_extra = round((rss_after - rss_before) / (args.sessions - 1), 2)
    return {
        "single": summary(single, single_script) | {"error_list": single.errors},
        "many": summary(many, many_script)
        | {
            "error_list": many.errors,
            "seconds": round(elapsed, 1),
            "server_cpu_cores": server_cores,
            "browser_cpu_cores": browser_cores,
        },
        "rss_mib": {
            "before_1_session": rss_before,
            f"after_{args.sessions}_sessions": rss_after,
            "per_extra_session": per_extra,
            "max_sampled": max(samples, default=None),
            "peak_hwm": hwm,
        },
    }


def print_report(res: dict, n: int) -> None:
    single, many, rss = res["single"], res["many"], res["rss_mib"]
    print(f"\nload average now {load_average()}")
    print(f"{'figure':26} {'1 session':>11} {f'{n} sessions':>13}")
    rows = (
        ("click to panel p50 ms", "click_to_panel_p50_ms"),
        ("click to panel p95 ms", "click_to_panel_p95_ms"),
        ("  map click p50 ms", "map_click_p50_ms"),
        ("  map click p95 ms", "map_click_p95_ms"),
        ("  list click p50 ms", "list_click_p50_ms"),
        ("  list click p95 ms", "list_click_p95_ms"),
        ("map load p50 ms", "map_load_p50_ms"),
        ("map load p95 ms", "map_load_p95_ms"),
        ("script run p50 ms", "script_run_p50_ms"),
        ("script run p95 ms", "script_run_p95_ms"),
        ("clicks", "clicks"),
        ("map loads", "map_loads"),
        ("errors", "errors"),
    )
    for label, key in rows:
        print(f"{label:26} {single[key]!s:>11} {many[key]!s:>13}")
    print(
        f"CPU during the {n} sessions, in cores busy on average: server {many['server_cpu_cores']}, "
        f"browser and its driver {many['browser_cpu_cores']} (of {os.cpu_count()})"
    )
    print(
        f"server RSS MiB: {rss['before_1_session']} with 1 session, {rss[f'after_{n}_sessions']} with {n} open "
        f"({rss['per_extra_session']} per extra session); max sampled {rss['max_sampled']}, peak {rss['peak_hwm']}"
    )
    errors = single["error_list"] + many["error_list"]
    for kind, count in error_kinds(errors).items():
        print(f"  {count} x {kind}")
    for e in errors[:20]:
        print("  error:", e)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20, help="concurrent sessions (at most 50)")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds all sessions select places after the ramp")
    ap.add_argument("--ramp", type=float, default=30.0, help="seconds over which the sessions open")
    ap.add_argument(
        "--think", type=float, nargs=2, default=(3.0, 6.0), metavar=("MIN", "MAX"), help="seconds between actions"
    )
    ap.add_argument("--single-clicks", type=int, default=12, help="clicks of the single session")
    ap.add_argument("--browsers", type=int, default=1, help="Chromium processes to spread the pages over")
    ap.add_argument(
        "--separate-contexts",
        action="store_true",
        help="a browser context per session (own cache: every session a first visit); default: one shared context",
    )
    ap.add_argument("--timeout", type=float, default=None, help="hard limit of the whole run (s)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load.json")
    args = ap.parse_args()
    args.sessions = max(1, min(args.sessions, 50))
    limit = args.timeout or (args.ramp + args.duration + 300)
    with streamlit_server(env={"REALIGN_TIMING": "1"}) as server:
        # last resort if the clean-up itself hangs: kill the server's process group and leave
        def hard_stop() -> None:
            print(f"hard timeout ({limit + 60:.0f} s): killing everything", file=sys.stderr, flush=True)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.proc.pid, signal.SIGKILL)
            os._exit(3)

        watchdog = threading.Timer(limit + 60, hard_stop)
        watchdog.daemon = True
        watchdog.start()
        try:
            res = asyncio.run(asyncio.wait_for(measure(args, server), limit))
        except TimeoutError:
            print(f"the run did not finish in {limit:.0f} s: stopped", file=sys.stderr)
            return 2
        finally:
            watchdog.cancel()
    print_report(res, args.sessions)
    doc = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_after": load_average(),
        "settings": {
            "sessions": args.sessions,
            "duration_s": args.duration,
            "ramp_s": args.ramp,
            "think_s": list(args.think),
            "browsers": args.browsers,
            "contexts": "separate" if args.separate_contexts else "shared",
            "viewport": VIEWPORT,
        },
        **res,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1))
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    errors = res["single"]["errors"] + res["many"]["errors"]
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
