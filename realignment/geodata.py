"""Read the committed geodata layers and their provenance; measure them in metres."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import yaml
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge

from . import settings


@dataclass(frozen=True)
class LayerInfo:
    """Where a layer comes from and what a map that shows it must say."""

    id: str
    title: str
    licence: str
    attribution: str
    source: str
    processing: tuple[str, ...]


@dataclass(frozen=True)
class Geodata:
    """The layers the map draws, loaded once; problems are collected, not raised."""

    layers: dict[str, gpd.GeoDataFrame]
    info: dict[str, LayerInfo]
    issues: tuple[str, ...] = field(default=())

    def geometry(self, layer_id: str) -> BaseGeometry | None:
        gdf = self.layers.get(layer_id)
        if gdf is None or gdf.empty:
            return None
        return shapely.union_all(gdf.geometry.values)

    def line(self, layer_id: str) -> LineString | MultiLineString | None:
        geom = self.geometry(layer_id)
        if geom is None:
            return None
        if isinstance(geom, MultiLineString):
            merged = linemerge(geom)
            return merged if isinstance(merged, (LineString, MultiLineString)) else geom
        return geom if isinstance(geom, LineString) else None

    def attributions(self, layer_ids: list[str] | None = None) -> list[str]:
        """Each distinct attribution once, in a stable order."""
        out: list[str] = []
        for lid, info in sorted(self.info.items()):
            if (layer_ids is None or lid in layer_ids) and info.attribution and info.attribution not in out:
                out.append(info.attribution)
        return out

    def bounds(self, layer_id: str) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """((south, west), (north, east)) of a layer, for fitting the map to it."""
        gdf = self.layers.get(layer_id)
        if gdf is None or gdf.empty:
            return None
        minx, miny, maxx, maxy = gdf.total_bounds
        return (float(miny), float(minx)), (float(maxy), float(maxx))


def _provenance(path: Path, issues: list[str]) -> dict[str, LayerInfo]:
    name = f"geodata/{path.name}"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, ValueError, RecursionError, yaml.YAMLError) as exc:  # ValueError: not UTF-8, or a huge number
        issues.append(f"{name}: cannot be read ({exc.__class__.__name__}); attributions are missing")
        return {}
    layers = raw.get("layers", raw) if isinstance(raw, dict) else None
    if not isinstance(layers, dict):
        issues.append(f"{name}: layers: not a mapping of layer id to its record; attributions are missing")
        return {}
    out: dict[str, LayerInfo] = {}
    for lid, rec in layers.items():
        if not isinstance(rec, dict):
            if "layers" in raw:
                issues.append(f"{name}: layers.{str(lid)[:60]}: not a mapping (title, licence, attribution, ...)")
            continue
        src = rec.get("source", "")
        if isinstance(src, dict):
            src = " ".join(str(v) for v in src.values())
        processing = rec.get("processing") or []
        out[str(lid)] = LayerInfo(
            id=str(lid),
            title=str(rec.get("title", lid)),
            licence=str(rec.get("licence", rec.get("license", ""))),
            attribution=str(rec.get("attribution", "")),
            source=str(src),
            processing=tuple(str(p) for p in (processing if isinstance(processing, list) else [processing])),
        )
    return out


def _read_layer(path: Path, issues: list[str]) -> gpd.GeoDataFrame | None:
    """One layer file in WGS84, or None with an issue naming the file: a broken layer never stops the others."""
    name = f"geodata/{path.name}"
    try:
        json.loads(path.read_text(encoding="utf-8"))
        gdf = gpd.read_file(path)
    except Exception as exc:  # whatever the file holds, it is named, not raised
        issues.append(f"{name}: not a readable GeoJSON file ({exc.__class__.__name__}); layer left out")
        return None
    try:
        if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
            gdf = gdf.to_crs(4326)
        if gdf.empty:
            issues.append(f"{name}: has no features; layer left out")
            return None
        missing = gdf.geometry.isna() | gdf.geometry.is_empty
        if missing.all():
            issues.append(f"{name}: no feature has a geometry; layer left out")
            return None
        if missing.any():
            issues.append(f"{name}: {int(missing.sum())} feature(s) without a geometry were left out")
            gdf = gdf[~missing]
        minx, miny, maxx, maxy = (float(v) for v in gdf.total_bounds)
        if not (
            np.isfinite([minx, miny, maxx, maxy]).all() and -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
        ):
            issues.append(
                f"{name}: coordinates outside longitude -180..180, latitude -90..90 (not WGS84); layer left out"
            )
            return None
        invalid = int((~gdf.geometry.is_valid).sum())
        if invalid:
            issues.append(f"{name}: {invalid} invalid geometries were repaired")
            gdf = gdf.set_geometry(gdf.geometry.make_valid())
    except Exception as exc:  # e.g. GEOS refusing a geometry: named, not raised
        issues.append(f"{name}: geometry cannot be used ({exc.__class__.__name__}); layer left out")
        return None
    return gdf


def load_geodata(geodata_dir: Path | None = None) -> Geodata:
    """Load every layer file; a missing or corrupt file is named in issues and left out."""
    geodata_dir = Path(geodata_dir or settings.GEODATA_DIR)
    issues: list[str] = []
    layers: dict[str, gpd.GeoDataFrame] = {}
    for path in sorted(geodata_dir.glob("*.geojson")):
        gdf = _read_layer(path, issues)
        if gdf is not None:
            layers[path.stem] = gdf
    info = _provenance(geodata_dir / "provenance.yaml", issues)
    for lid in sorted(set(info) - set(layers)):
        if not (geodata_dir / f"{lid}.geojson").exists():
            issues.append(f"geodata/{lid}.geojson: file is missing (listed in geodata/provenance.yaml); layer left out")
    for lid in layers:
        if lid not in info:
            issues.append(f"geodata/{lid}.geojson: no provenance record in geodata/provenance.yaml")
    return Geodata(layers=layers, info=info, issues=tuple(issues))


def area_km2(geom: BaseGeometry) -> float:
    """Area in the metric Korean CRS."""
    return float(gpd.GeoSeries([geom], crs=4326).to_crs(settings.METRIC_CRS).area.iloc[0]) / 1e6


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    return gpd.GeoSeries([geom], crs=4326).to_crs(settings.METRIC_CRS).iloc[0]


def from_metric(geom: BaseGeometry) -> BaseGeometry:
    return gpd.GeoSeries([geom], crs=settings.METRIC_CRS).to_crs(4326).iloc[0]


def _south_of(line_m: BaseGeometry, reach: float = 400_000.0) -> BaseGeometry:
    """The half-plane-like polygon south of a west-east line (metric CRS), its ends extended level."""
    merged = linemerge(line_m) if isinstance(line_m, MultiLineString) else line_m
    coords = list(merged.coords) if isinstance(merged, LineString) else list(line_m.convex_hull.exterior.coords)
    if coords[0][0] > coords[-1][0]:
        coords.reverse()
    (wx, wy), (ex, ey) = coords[0], coords[-1]
    ring = [(wx - reach, wy), *coords, (ex + reach, ey), (ex + reach, ey - 3 * reach), (wx - reach, wy - 3 * reach)]
    return shapely.make_valid(shapely.Polygon(ring))


def distance_bands(mdl: BaseGeometry, land: BaseGeometry | None, km: tuple[int, ...]) -> dict[int, BaseGeometry]:
    """Lines at a set distance south of the MDL, on land: buffered in EPSG:5179, then back to WGS84."""
    mdl_m = to_metric(mdl)
    land_m = to_metric(land) if land is not None else None
    out: dict[int, BaseGeometry] = {}
    south_side = _south_of(mdl_m)
    for d in km:
        ring = mdl_m.buffer(d * 1000.0, quad_segs=16).exterior
        south = ring.intersection(south_side)
        if land_m is not None:
            south = south.intersection(land_m)
        out[d] = from_metric(south.simplify(250))
    return out


def geojson_coords(geom: BaseGeometry) -> list[list[list[float]]]:
    """(Multi)line coordinates as Leaflet [lat, lon] paths, rounded to ~1 m."""
    if geom.is_empty:
        return []
    parts = getattr(geom, "geoms", [geom])
    paths: list[list[list[float]]] = []
    for part in parts:
        if isinstance(part, LineString):
            paths.append([[round(y, 5), round(x, 5)] for x, y in part.coords])
        elif hasattr(part, "geoms"):
            paths.extend(geojson_coords(part))
    return paths


def layer_summary(gd: Geodata) -> dict[str, Any]:
    """Facts about the layers for the CLI and the checks: counts, areas, lengths."""
    from .geodesy import line_length_km

    out: dict[str, Any] = {}
    for lid, gdf in gd.layers.items():
        geom = gd.geometry(lid)
        rec: dict[str, Any] = {"features": len(gdf)}
        if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon"):
            rec["area_km2"] = round(area_km2(geom), 1)
        if geom is not None and geom.geom_type in ("LineString", "MultiLineString"):
            rec["length_km"] = round(line_length_km(geom), 1)
        out[lid] = rec
    return out
