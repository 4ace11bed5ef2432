"""Benchmark the map page against a plain baseline, both on real servers, in headless Chromium; prints and writes JSON.

    .venv/bin/python bench/run.py [--runs 5] [--clicks 3] [--sessions 20] [--no-baseline] [--out FILE]

The product (app.py) and the plain baseline (bench/baseline_app.py: folium defaults, unsimplified layers,
st_folium's default returned objects) run side by side, each on its own 127.0.0.1 server. Page loads alternate
between the two (product, baseline, then baseline, product, ...), so drift on a busy machine hits both alike.
Each figure is the median over --runs page loads (and --clicks clicks per load).

Figures: navigation to map painted (and its two parts: until the map's frame starts, then until its last layer is
drawn); page-script server time (first load, rerun after a selection); bytes sent to
the browser on first load and per click; click to side panel updated; server RSS with 1 and with --sessions open
sessions; the time of one export (PNG, 300 dpi) when the exporter exists.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import inspect
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import baseline_data  # noqa: E402
from harness import (  # noqa: E402
    BENCH_CHROMIUM_ARGS,
    DRAWN_OBSERVER,
    MAP_JS,
    PANEL,
    load_average,
    rss_mib,
    script_times,
    serve,
)
from playwright.sync_api import BrowserContext, Page, sync_playwright  # noqa: E402

from realignment.content import load_story  # noqa: E402
from tests.browser import CHROMIUM, MAP_IFRAME, Recorder, Server, in_map, open_page, streamlit_server  # noqa: E402

STATIC_BYTES = (
    "performance.getEntriesByType('resource').filter(e => e.name.includes('/app/static/'))"
    ".reduce((n, e) => n + e.transferSize, 0)"
)
# every HTTP response of the page and of the map's frame, on the wire (Streamlit's own bundle included)
HTTP_BYTES = (
    "[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]"
    ".reduce((n, e) => n + e.transferSize, 0)"
)
FIGURES = (
    "nav_to_painted_ms",
    "nav_to_painted_plugin_ms",
    "nav_to_map_frame_ms",
    "map_frame_to_painted_ms",
    "script_first_ms",
    "script_first_cpu_ms",
    "script_after_select_ms",
    "script_after_select_cpu_ms",
    "first_ws_bytes",
    "first_static_bytes",
    "first_http_bytes",
    "click_ws_bytes",
    "click_to_panel_ms",
)
TARGETS = ("camp-humphreys", "camp-casey", "osan", "camp-red-cloud", "panmunjom")


@dataclass
class App:
    """One server under test, with its own browser context (own cache) and its samples."""

    name: str
    server: Server
    ctx: BrowserContext
    res: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in FIGURES})
    rss: dict[str, float | None] = field(default_factory=dict)


def script_state(page: Page) -> str | None:
    return page.evaluate(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
    )


def settle(page: Page, quiet: float = 0.4, timeout: float = 30.0) -> None:
    """Until the app's script is not running and stays so for `quiet` s (a pan reruns the baseline's script)."""
    time.sleep(0.5)  # streamlit-folium reports map moves after a 250 ms debounce
    deadline = time.monotonic() + timeout
    calm_since = time.monotonic()
    while time.monotonic() < deadline:
        if script_state(page) == "running":
            calm_since = time.monotonic()
        elif time.monotonic() - calm_since >= quiet:
            return
        time.sleep(0.05)


def wait_drawn(page: Page, timeout: float = 60.0) -> None:
    """Until every layer is on the map: the product says so; for the baseline, its paths stop changing."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    code = (
        f"(() => {{ const m = {MAP_JS}; if (!m || window.__benchDrawnMs === undefined) return null;"
        " return [m.getContainer().getAttribute('data-layers-loaded'), window.__benchPaths]; })()"
    )
    while time.monotonic() < deadline:
        state = in_map(page, code)
        if state is not None:
            if state[0] == "true":
                return
            if state[0] is None:
                if state[1] != last:
                    last, since = state[1], time.monotonic()
                elif time.monotonic() - since >= 0.5:
                    return
        time.sleep(0.05)
    raise AssertionError("the map did not finish drawing its layers")


def click_at(page: Page, lat: float, lon: float) -> None:
    """A real mouse click at a geographic point of either app's map."""
    pt = in_map(
        page,
        f"(() => {{ const m = {MAP_JS}; const p = m.latLngToContainerPoint([{lat}, {lon}]);"
        " const r = m.getContainer().getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; })()",
    )
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box is not None and pt is not None
    page.mouse.click(box["x"] + pt[0], box["y"] + pt[1])


def open_session(app: App) -> Page:
    page = open_page(app.ctx, Recorder())
    page.goto(app.server.url + "/")
    wait_drawn(page)
    return page


def measure_rss(app: App, sessions: int) -> None:
    """Server RSS with 1 open session, then with `sessions` open sessions (each has loaded its map)."""
    pages = [open_session(app)]
    settle(pages[0])
    app.rss["rss_1_session_mib"] = rss_mib(app.server.proc.pid)
    try:
        while len(pages) < sessions:
            pages.append(open_session(app))
        settle(pages[-1])
        time.sleep(1.0)
        app.rss[f"rss_{sessions}_sessions_mib"] = rss_mib(app.server.proc.pid)
        one, many = app.rss["rss_1_session_mib"], app.rss[f"rss_{sessions}_sessions_mib"]
        if one is not None and many is not None and sessions > 1:
            app.rss["rss_per_extra_session_mib"] = round((many - one) / (sessions - 1), 2)
    finally:
        for p in pages:
            p.close()


def one_load(app: App, story, clicks: int) -> None:
    """A first visit (nothing cached), then `clicks` clicks on places of the map."""
    res, server = app.res, app.server
    page = open_page(app.ctx, Recorder())
    ws_bytes = [0]

    def on_ws(ws, ws_bytes=ws_bytes):
        ws.on("framereceived", lambda payload: ws_bytes.__setitem__(0, ws_bytes[0] + len(payload)))

    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.on("websocket", on_ws)
    n_before = len(script_times(server.log_text()))
    page.goto(server.url + "/")
    wait_drawn(page)
    assert in_map(page, "document.querySelectorAll('path.leaflet-interactive').length") > 10
    # from the page's navigation start to the last layer drawn in the map's frame, on the browser's own clocks
    frame_origin = in_map(page, "performance.timeOrigin")
    drawn = in_map(page, "window.__benchDrawnMs")
    page_origin = page.evaluate("performance.timeOrigin")
    res["nav_to_painted_ms"].append(frame_origin - page_origin + drawn)
    # the two parts: the page until the map's frame starts (websocket, script run, Streamlit's rendering), then
    # the frame until the last layer is drawn (Leaflet, the map's script, its layers)
    res["nav_to_map_frame_ms"].append(frame_origin - page_origin)
    res["map_frame_to_painted_ms"].append(drawn)
    # the product's plugin stamps the same moment itself (the figure earlier versions of this benchmark printed)
    stamped = in_map(page, f"{MAP_JS}.getContainer().getAttribute('data-loaded-ms')")
    if stamped is not None:
        res["nav_to_painted_plugin_ms"].append(frame_origin - page_origin + float(stamped))
    settle(page)
    res["first_ws_bytes"].append(ws_bytes[0])
    res["first_static_bytes"].append(in_map(page, STATIC_BYTES))
    res["first_http_bytes"].append(page.evaluate(HTTP_BYTES) + in_map(page, HTTP_BYTES))
    st = script_times(server.log_text())[n_before:]
    cpu = script_times(server.log_text(), cpu=True)[n_before:]
    if st:
        res["script_first_ms"].append(st[0])
        res["script_first_cpu_ms"].append(cpu[0])
    for pid in TARGETS[:clicks]:
        place = story.places[pid]
        lat, lon = place.point
        in_map(page, f"{MAP_JS}.setView([{lat}, {lon}], 10, {{animate: false}})")
        settle(page)
        before_ws = ws_bytes[0]
        n_before = len(script_times(server.log_text()))
        t1 = time.perf_counter()
        click_at(page, lat, lon)
        page.wait_for_function(
            f"() => document.querySelector('{PANEL}')?.textContent === {json.dumps(place.name.en)}", timeout=30_000
        )
        res["click_to_panel_ms"].append(1000 * (time.perf_counter() - t1))
        settle(page)
        res["click_ws_bytes"].append(ws_bytes[0] - before_ws)
        res["script_after_select_ms"].extend(script_times(server.log_text())[n_before:])
        res["script_after_select_cpu_ms"].extend(script_times(server.log_text(), cpu=True)[n_before:])
    page.close()


def _export_kwargs(fn: Callable, out: Path) -> dict:
    """Arguments for an exporter whose signature is not known yet: a default View, PNG, 300 dpi, a file."""
    from realignment.view import View

    params = inspect.signature(fn).parameters
    wanted = {
        "view": View(),
        "dpi": 300,
        "fmt": "png",
        "format": "png",
        "kind": "png",
        "out": out,
        "path": out,
        "output": out,
        "dest": out,
    }
    return {k: v for k, v in wanted.items() if k in params}


def time_export(runs: int = 3) -> dict:
    """One export (PNG, 300 dpi), timed: realignment.export.render if it exists, else `python -m realignment export`."""
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        out = Path(tmp) / "export.png"
        if importlib.util.find_spec("realignment.export") is not None:
            try:
                render = getattr(importlib.import_module("realignment.export"), "render", None)
            except Exception as exc:
                return {"status": f"error importing realignment.export: {exc.__class__.__name__}: {exc}"}
            if callable(render):
                times = []
                try:
                    kwargs = _export_kwargs(render, out)
                    render(**kwargs)  # the first call loads fonts and caches; timed: the calls after it
                    for _ in range(runs):
                        t0 = time.perf_counter()
                        render(**kwargs)
                        times.append(1000 * (time.perf_counter() - t0))
                except Exception as exc:
                    return {"status": f"render() failed: {exc.__class__.__name__}: {exc}", "how": "render"}
                return {"status": "ok", "how": f"realignment.export.render({', '.join(kwargs)})", "ms": times}
        cli = [sys.executable, "-m", "realignment", "export"]
        probe = subprocess.run([*cli, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
        if probe.returncode != 0:
            return {"status": "n/a (no exporter yet)"}
        helptext = probe.stdout
        cmd = list(cli)
        for flag, value in (("--format", "png"), ("--dpi", "300"), ("--out", str(out)), ("--output", str(out))):
            if flag in helptext and not (flag == "--output" and "--out" in cmd):
                cmd += [flag, value]
        if "--out" not in cmd and "--output" not in cmd:
            cmd.append(str(out))
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                return {"status": f"CLI failed ({done.returncode}): {done.stderr.strip()[-300:]}", "how": " ".join(cmd)}
            times.append(1000 * (time.perf_counter() - t0))
        how = " ".join(["python", *cmd[1:]]).replace(str(out), "FILE")
        return {"status": "ok", "how": how + " (a new process each, imports included)", "ms": times}


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def print_table(apps: list[App], runs: int) -> dict[str, float | None]:
    """The comparison table; returns the ratios (baseline / product)."""
    product = apps[0]
    baseline = apps[1] if len(apps) > 1 else None
    ratios: dict[str, float | None] = {}
    rows = [
        (k, median(product.res[k]), median(baseline.res[k]) if baseline else None, len(product.res[k])) for k in FIGURES
    ]
    rows += [(k, v, baseline.rss.get(k) if baseline else None, 1) for k, v in product.rss.items()]
    print(f"\nmedians of {runs} page loads each, interleaved; load average now {load_average()}")
    print(f"{'figure':30} {'product':>12} {'baseline':>12} {'ratio b/p':>10} {'n':>4}")
    for k, p, b, n in rows:
        ratio = round(b / p, 2) if p and b is not None else None
        ratios[k] = ratio
        print(f"{k:30} {p!s:>12} {b!s:>12} {ratio!s:>10} {n:>4}")
    return ratios


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="page loads per app (each figure is a median over them)")
    ap.add_argument("--clicks", type=int, default=3, help=f"clicks per page load (at most {len(TARGETS)})")
    ap.add_argument("--sessions", type=int, default=20, help="open sessions for the second RSS figure")
    ap.add_argument("--no-baseline", action="store_true", help="measure the product only")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "map.json")
    args = ap.parse_args()
    clicks = max(1, min(args.clicks, len(TARGETS)))
    story = load_story()
    baseline_script = None if args.no_baseline else baseline_data.ensure()
    env = {"REALIGN_TIMING": "1"}
    with contextlib.ExitStack() as stack:
        servers = [("product", stack.enter_context(streamlit_server(env=env)))]
        if baseline_script is not None:
            servers.append(("baseline", stack.enter_context(serve(baseline_script, env=env))))
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=BENCH_CHROMIUM_ARGS, headless=True)
        stack.callback(browser.close)
        apps = []
        for name, server in servers:
            ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
            ctx.add_init_script(DRAWN_OBSERVER)
            apps.append(App(name, server, ctx))
        for app in apps:  # warm the server caches once, as a running server would be
            open_session(app).close()
        for app in apps:
            print(f"{app.name}: RSS with 1 and {args.sessions} open sessions ...", flush=True)
            measure_rss(app, args.sessions)
        for i in range(args.runs):
            for app in apps if i % 2 == 0 else apps[::-1]:
                print(f"run {i + 1}/{args.runs}: {app.name}", flush=True)
                one_load(app, story, clicks)
    export = time_export()
    ratios = print_table(apps, args.runs)
    if export["status"] == "ok":
        print(f"{'export_png_300dpi_ms':30} {median(export['ms'])!s:>12} {'':>12} {'':>10} {len(export['ms']):>4}")
        print(f"  ({export['how']})")
    else:
        print(f"{'export_png_300dpi_ms':30} {export['status']}")
    product = apps[0]
    doc = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_after": load_average(),
        "runs_per_app": args.runs,
        "clicks_per_load": clicks,
        "median": {k: median(v) for k, v in product.res.items()} | product.rss,
        "runs": product.res,
        "export_png_300dpi": export,
    }
    if len(apps) > 1:
        doc["baseline"] = {"median": {k: median(v) for k, v in apps[1].res.items()} | apps[1].rss, "runs": apps[1].res}
        doc["ratio_baseline_over_product"] = ratios
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1))
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
