"""Distances on the WGS84 ellipsoid: every kilometre on screen is computed here, never typed in."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

GEOD = Geod(ellps="WGS84")
LatLon = tuple[float, float]


def distance_km(a: LatLon, b: LatLon) -> float:
    """Geodesic distance between two (lat, lon) points."""
    _, _, metres = GEOD.inv(a[1], a[0], b[1], b[0])
    return float(metres) / 1000.0


def bearing_deg(a: LatLon, b: LatLon) -> float:
    """Initial great-circle bearing from a to b, 0-360 degrees clockwise from north."""
    fwd, _, _ = GEOD.inv(a[1], a[0], b[1], b[0])
    return float(fwd) % 360.0


def compass(bearing: float) -> str:
    """A 16-point compass word for a bearing, for labels that read without a protractor."""
    points = "N NNE NE ENE E ESE SE SSE S SSW SW WSW W WNW NW NNW".split()
    return points[int((bearing % 360) / 22.5 + 0.5) % 16]


def line_length_km(line: BaseGeometry) -> float:
    """Geodesic length of a (multi)line in lon/lat."""
    return float(GEOD.geometry_length(line)) / 1000.0


@dataclass(frozen=True)
class Nearest:
    """The closest point of a line to a place, and how far it is."""

    km: float
    point: LatLon


def _densify(line: BaseGeometry, step_m: float) -> np.ndarray:
    """Points along the line at most step_m apart (geodesically), so the minimum is exact to ~step/2."""
    parts = line.geoms if isinstance(line, MultiLineString) else [line]
    pts: list[tuple[float, float]] = []
    for part in parts:
        coords = list(part.coords)
        for (x0, y0), (x1, y1) in pairwise(coords):
            seg = GEOD.inv(x0, y0, x1, y1)[2]
            pts.append((x0, y0))
            n = int(seg // step_m)
            if n >= 1:
                pts.extend(GEOD.npts(x0, y0, x1, y1, n))
        pts.append(coords[-1])
    return np.asarray(pts)


def nearest_on_line(place: LatLon, line: LineString | MultiLineString, step_m: float = 100.0) -> Nearest:
    """Geodesic distance from a place to the nearest point of a line."""
    pts = _densify(line, step_m)
    lons = np.full(len(pts), place[1])
    lats = np.full(len(pts), place[0])
    _, _, dist = GEOD.inv(lons, lats, pts[:, 0], pts[:, 1])
    i = int(np.argmin(dist))
    return Nearest(float(dist[i]) / 1000.0, (float(pts[i, 1]), float(pts[i, 0])))


def geodesic_path(a: LatLon, b: LatLon, n: int = 32) -> list[LatLon]:
    """Points along the geodesic from a to b, to draw a measured line as what it is."""
    mid = GEOD.npts(a[1], a[0], b[1], b[0], n)
    return [a, *[(lat, lon) for lon, lat in mid], b]
