"""Benchmark the briefing: time from a Next/Previous click until the map shows the new scene; prints and writes JSON.

    .venv/bin/python bench/briefing.py [--rounds 2] [--out bench/results/briefing.json]

One real server on 127.0.0.1 and headless Chromium at 1920×1080. Each round walks the scenes forward with Next
and back with Previous. For each move it records, on one clock (performance.timeOrigin + now, so the page and the
map frame agree):
- map: from the click until the map plugin reports the move finished (its `moveend` after the short fly,
  written to data-view-ms on the map container);
- text: from the click until the new scene's title is on the page.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from realignment.content import load_story  # noqa: E402
from tests.browser import MAP_IFRAME, Recorder, browser_context, open_page, streamlit_server, wait_map_ready  # noqa: E402

NOW = "() => performance.timeOrigin + performance.now()"
MAP_STATE = (
    f"() => {{ const f = document.querySelector('{MAP_IFRAME}'); const c = f && f.contentDocument"
    ".querySelector('.leaflet-container'); if (!c) return null;"
    " return [c.getAttribute('data-view'), f.contentWindow.performance.timeOrigin"
    " + Number(c.getAttribute('data-view-ms') || 0)]; }"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "briefing.json")
    args = parser.parse_args()
    titles = [s.title.en for s in load_story().scene_list()]
    n = len(titles)
    map_ms: list[float] = []
    text_ms: list[float] = []
    with streamlit_server() as server, browser_context() as ctx:
        rec = Recorder()
        page = open_page(ctx, rec)
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.goto(f"{server.url}/briefing?scene=1")
        wait_map_ready(page, timeout=60)
        page.wait_for_timeout(1500)
        moves = [(i, i + 1, "next") for i in range(1, n)] + [(i, i - 1, "prev") for i in range(n, 1, -1)]
        for _ in range(args.rounds):
            for _frm, to, which in moves:
                before = page.evaluate(MAP_STATE)
                t0 = page.evaluate(NOW)
                page.locator(f".st-key-scene-{which} button").click()
                heading = page.locator(".st-key-scene-text h1").filter(has_text=titles[to - 1])
                heading.wait_for(timeout=30_000)
                t_text = page.evaluate(NOW)
                deadline = time.monotonic() + 30
                while True:
                    state = page.evaluate(MAP_STATE)
                    if state and before and state[0] != before[0]:
                        break
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"the map did not move to scene {to}")
                    page.wait_for_timeout(20)
                map_ms.append(state[1] - t0)
                text_ms.append(t_text - t0)
                page.wait_for_timeout(300)
        foreign = rec.foreign_hosts(server.url)
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "moves": len(map_ms),
        "map_moved_ms": {"median": statistics.median(map_ms), "min": min(map_ms), "max": max(map_ms)},
        "text_shown_ms": {"median": statistics.median(text_ms), "min": min(text_ms), "max": max(text_ms)},
        "foreign_hosts": sorted(foreign),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"{'Next/Previous in the briefing':<40} {'median':>8} {'min':>8} {'max':>8}   ({len(map_ms)} moves)")
    for label, key in (
        ("click -> map at the new view", "map_moved_ms"),
        ("click -> scene text shown", "text_shown_ms"),
    ):
        r = result[key]
        print(f"{label:<40} {r['median']:>6.0f}ms {r['min']:>6.0f}ms {r['max']:>6.0f}ms")
    print(f"wrote {args.out}")
    return 1 if foreign else 0


if __name__ == "__main__":
    sys.exit(main())
