"""Geodata checks: valid WGS84 layers whose sizes match the real places, with licences."""

from __future__ import annotations

import json

import numpy as np
import pytest
from shapely.geometry import Point

from realignment import settings
from realignment.content import Story
from realignment.geodata import Geodata, area_km2, load_geodata, to_metric
from realignment.geodesy import line_length_km

LAYERS = ("land", "border", "mdl", "dmz", "seoul", "yongsan", "pyeongtaek", "uijeongbu", "dongducheon")


def test_layers_present_valid_wgs84_and_small(geo: Geodata) -> None:
    assert geo.issues == ()
    for lid in LAYERS:
        gdf = geo.layers[lid]
        assert gdf.crs.to_epsg() == 4326, lid
        assert gdf.geometry.is_valid.all(), lid
        minx, miny, maxx, maxy = gdf.total_bounds
        assert 120 < minx and maxx < 135 and 30 < miny and maxy < 45, lid
        size = (settings.GEODATA_DIR / f"{lid}.geojson").stat().st_size
        assert size < 150_000, (lid, size)


def test_every_layer_has_licence_and_attribution(geo: Geodata) -> None:
    for lid in LAYERS:
        info = geo.info[lid]
        assert info.licence and info.attribution and info.processing, lid
    assert "© OpenStreetMap contributors" in geo.attributions()


def test_mdl_runs_from_han_estuary_to_east_coast(geo: Geodata) -> None:
    mdl = geo.line("mdl")
    assert mdl is not None and mdl.geom_type == "LineString"
    _, lats = np.array(mdl.coords).T
    assert 37.7 <= lats.min() <= 37.9 and 38.5 <= lats.max() <= 38.7
    west, east = mdl.coords[0], mdl.coords[-1]
    assert west[0] < 126.8 and east[0] > 128.2  # estuary in the west, east coast in the east
    assert 235 <= line_length_km(mdl) <= 255


def test_dmz_is_about_4_km_wide_along_its_length(geo: Geodata) -> None:
    mdl_m = to_metric(geo.line("mdl"))
    dmz_m = to_metric(geo.geometry("dmz"))
    # a bending line's buffer overlaps itself on the inside of bends, so area/length is a bit under 4 km
    assert 3600 <= dmz_m.area / mdl_m.length <= 4000
    # half-width: from points along the MDL to the nearest edge of the zone, at 40 points
    edge = dmz_m.boundary
    half = [edge.distance(mdl_m.interpolate(f * mdl_m.length)) for f in np.linspace(0.02, 0.98, 40)]
    assert np.median(half) == pytest.approx(2000, rel=0.02)
    # the layers are simplified separately (tens of metres), so single points stray by up to ~10%
    assert min(half) > 1850 and max(half) < 2250


def test_seoul_is_about_605_km2(geo: Geodata) -> None:
    assert area_km2(geo.geometry("seoul")) == pytest.approx(605, rel=0.02)


def test_places_fall_in_their_areas(geo: Geodata, story: Story) -> None:
    def inside(layer: str, pid: str) -> bool:
        lat, lon = story.places[pid].point
        return geo.geometry(layer).contains(Point(lon, lat))

    assert inside("pyeongtaek", "camp-humphreys")
    assert inside("pyeongtaek", "osan")
    assert inside("yongsan", "yongsan")
    assert inside("seoul", "seoul")
    assert inside("dongducheon", "camp-casey")
    assert inside("uijeongbu", "camp-red-cloud")
    for place in story.on_map_places():
        if place.layer:
            assert inside(place.layer, place.id), f"{place.id}'s label anchor is outside its layer"
    lat, lon = story.places["panmunjom"].point
    assert geo.geometry("dmz").contains(Point(lon, lat))


def test_corrupt_layer_is_named_and_the_rest_loads(tmp_path) -> None:
    for p in settings.GEODATA_DIR.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    (tmp_path / "seoul.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    gd = load_geodata(tmp_path)
    assert any(i.startswith("geodata/seoul.geojson: not a readable GeoJSON file") for i in gd.issues)
    assert "seoul" not in gd.layers and "dmz" in gd.layers


def test_geojson_is_plain_lon_lat(geo: Geodata) -> None:
    data = json.loads((settings.GEODATA_DIR / "mdl.geojson").read_text(encoding="utf-8"))
    x, y = data["features"][0]["geometry"]["coordinates"][0]
    assert 124 < x < 130 and 37 < y < 39


def test_missing_layer_keeps_the_place_as_a_point(tmp_path) -> None:
    from realignment.content import load_story

    for p in settings.GEODATA_DIR.iterdir():
        if p.name != "seoul.geojson":
            (tmp_path / p.name).write_bytes(p.read_bytes())
    gd = load_geodata(tmp_path)
    story = load_story(layer_ids=gd.layers.keys())
    assert "content/places.yaml: places (id 'seoul').layer: no geodata layer 'seoul'; shown as a point" in [
        str(i) for i in story.issues
    ]
    assert story.places["seoul"].layer is None and "seoul" in story.places
