"""Benchmark the map page on the real server in headless Chromium; prints medians and writes JSON.

    .venv/bin/python bench/run.py [--runs 5]

Figures: navigation to map painted; page-script server time (first load, rerun after a selection);
bytes sent to the browser on first load and per click; click to side panel updated.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from realignment.content import load_story  # noqa: E402
from tests.browser import (  # noqa: E402
    Recorder,
    browser_context,
    click_map_at,
    in_map,
    open_page,
    streamlit_server,
    wait_map_ready,
)

PANEL = ".st-key-panel h3"
STATIC_BYTES = (
    "performance.getEntriesByType('resource').filter(e => e.name.includes('/app/static/'))"
    ".reduce((n, e) => n + e.transferSize, 0)"
)


def script_times(log: str, cpu: bool = False) -> list[float]:
    """Server-side time of each script run, wall clock or CPU of the script thread."""
    return [float(w if not cpu else c) for w, c in re.findall(r"REALIGN_SCRIPT_MS ([\d.]+) CPU ([\d.]+)", log)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "map.json")
    args = ap.parse_args()
    story = load_story()
    targets = [story.places[p].point for p in ("camp-humphreys", "camp-casey", "osan", "camp-red-cloud", "panmunjom")]
    names = [story.places[p].name.en for p in ("camp-humphreys", "camp-casey", "osan", "camp-red-cloud", "panmunjom")]
    res: dict[str, list[float]] = {
        k: []
        for k in (
            "nav_to_painted_ms",
            "first_ws_bytes",
            "first_static_bytes",
            "click_ws_bytes",
            "click_to_panel_ms",
            "script_first_ms",
            "script_after_select_ms",
            "script_first_cpu_ms",
            "script_after_select_cpu_ms",
        )
    }
    with streamlit_server(env={"REALIGN_TIMING": "1"}) as server, browser_context() as ctx:
        warm = open_page(ctx, Recorder())  # warm the server caches once, as a running server would be
        warm.goto(server.url + "/")
        wait_map_ready(warm)
        warm.close()
        for _ in range(args.runs):
            rec = Recorder()
            page = open_page(ctx, rec)
            ws_bytes = [0]

            def on_ws(ws, ws_bytes=ws_bytes):
                ws.on("framereceived", lambda payload: ws_bytes.__setitem__(0, ws_bytes[0] + len(payload)))

            # a first visit: nothing cached by the browser
            page.context.new_cdp_session(page).send("Network.clearBrowserCache")
            page.on("websocket", on_ws)
            n_before = len(script_times(server.log_text()))
            page.goto(server.url + "/")
            wait_map_ready(page)
            assert in_map(page, "document.querySelectorAll('path.leaflet-interactive').length") > 10
            # from the page's navigation start to the last layer drawn in the map's frame, on the
            # browser's own clocks (no polling delay in the figure)
            frame_origin = in_map(page, "performance.timeOrigin")
            drawn = float(in_map(page, "realign.state.map.getContainer().getAttribute('data-loaded-ms')"))
            res["nav_to_painted_ms"].append(frame_origin - page.evaluate("performance.timeOrigin") + drawn)
            time.sleep(0.5)
            res["first_ws_bytes"].append(ws_bytes[0])
            # Leaflet, the plugin and the layers as the map's frame fetched them (bytes on the wire)
            res["first_static_bytes"].append(in_map(page, STATIC_BYTES))
            st = script_times(server.log_text())[n_before:]
            cpu = script_times(server.log_text(), cpu=True)[n_before:]
            if st:
                res["script_first_ms"].append(st[0])
                res["script_first_cpu_ms"].append(cpu[0])
            for (lat, lon), name in zip(targets[:3], names[:3], strict=True):
                in_map(page, f"realign.state.map.setView([{lat}, {lon}], 10, {{animate: false}})")
                time.sleep(0.4)
                before_ws = ws_bytes[0]
                n_before = len(script_times(server.log_text()))
                t1 = time.perf_counter()
                click_map_at(page, lat, lon)
                page.wait_for_function(f"() => document.querySelector('{PANEL}')?.textContent === {json.dumps(name)}")
                res["click_to_panel_ms"].append(1000 * (time.perf_counter() - t1))
                time.sleep(0.5)
                res["click_ws_bytes"].append(ws_bytes[0] - before_ws)
                res["script_after_select_ms"].extend(script_times(server.log_text())[n_before:])
                res["script_after_select_cpu_ms"].extend(script_times(server.log_text(), cpu=True)[n_before:])
            page.close()
    summary = {k: round(statistics.median(v), 1) if v else None for k, v in res.items()}
    print(f"{'figure':28} {'median':>10} {'n':>4}")
    for k, v in res.items():
        print(f"{k:28} {summary[k]!s:>10} {len(v):>4}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%d"),
                "machine": platform.platform(),
                "cpus": __import__("os").cpu_count(),
                "median": summary,
                "runs": res,
            },
            indent=1,
        )
    )
    print(f"wrote {args.out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
