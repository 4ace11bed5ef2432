"""Benchmark the exporter: a 300-dpi A4 PNG of the full map (median of several runs) and the whole handout.

    .venv/bin/python bench/export.py [--runs 7]

Prints the figures and writes them to bench/results/export.json. Target: the PNG in under 3 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from realignment.content import load_story  # noqa: E402
from realignment.export import render_figure, render_handout  # noqa: E402
from realignment.geodata import load_geodata  # noqa: E402
from realignment.view import View  # noqa: E402
from realignment.webmap import MapModel  # noqa: E402

TARGET_S = 3.0


def timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="timed runs of the PNG export (at least 5)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "export.json")
    args = ap.parse_args()
    runs = max(args.runs, 5)

    t_load, model = timed(lambda: MapModel(load_story(layer_ids=(geo := load_geodata()).layers.keys()), geo))
    view = View()  # every layer, every place, the edge callouts: the busiest figure
    today = dt.date(2026, 1, 1)
    first, png = timed(lambda: render_figure(model, view, "a4", "png", 300, today=today))
    png_times = [timed(lambda: render_figure(model, view, "a4", "png", 300, today=today))[0] for _ in range(runs)]
    svg_times = [timed(lambda: render_figure(model, view, "a4", "svg", today=today))[0] for _ in range(3)]
    handout = {}
    for lang in ("en", "ko"):
        secs, pdf = timed(lambda lang=lang: render_handout(model, lang, today=today))
        handout[lang] = {"seconds": round(secs, 2), "bytes": len(pdf), "pages": len(model.story.scenes)}

    median = statistics.median(png_times)
    result = {
        "date": dt.date.today().isoformat(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "load_story_and_geodata_s": round(t_load, 2),
        "png_a4_300dpi": {
            "runs": runs,
            "median_s": round(median, 3),
            "min_s": round(min(png_times), 3),
            "max_s": round(max(png_times), 3),
            "first_run_s": round(first, 3),
            "bytes": len(png),  # type: ignore[arg-type]
            "target_s": TARGET_S,
            "met": median < TARGET_S,
        },
        "svg_a4_median_s": round(statistics.median(svg_times), 3),
        "handout": handout,
    }
    print(
        f"A4 PNG at 300 dpi (3508×2480): median {median:.2f} s of {runs} runs "
        f"(range {min(png_times):.2f}–{max(png_times):.2f} s; first run {first:.2f} s); target < {TARGET_S:.0f} s: "
        f"{'met' if median < TARGET_S else 'NOT met'}"
    )
    print(f"A4 SVG: median {statistics.median(svg_times):.2f} s")
    for lang, rec in handout.items():
        print(f"handout ({lang}, {rec['pages']} pages): {rec['seconds']:.2f} s, {rec['bytes'] / 1024:.0f} KB")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
