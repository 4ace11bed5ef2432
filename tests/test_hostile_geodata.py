"""Hostile geodata: a missing or corrupt layer file is named, left out, and everything else still loads and draws."""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from realignment import settings as app_settings
from realignment.content import Story, load_story
from realignment.geodata import Geodata, load_geodata
from realignment.webmap import MapModel

SHIPPED = sorted(p.stem for p in app_settings.GEODATA_DIR.glob("*.geojson"))


@functools.cache
def _shipped_story() -> Story:
    return load_story(layer_ids=SHIPPED)


@pytest.fixture
def geo_copy(tmp_path: Path) -> Path:
    """A writable copy of geodata/ that a test can break."""
    dst = tmp_path / "geodata"
    shutil.copytree(app_settings.GEODATA_DIR, dst)
    return dst


def _fc(*geometries: object, base: Path | None = None) -> str:
    """A FeatureCollection with these geometries (after the features of a shipped layer, if given)."""
    features = json.loads(base.read_text(encoding="utf-8"))["features"] if base else []
    features += [{"type": "Feature", "properties": {"name": "hostile"}, "geometry": g} for g in geometries]
    return json.dumps({"type": "FeatureCollection", "features": features})


def _layer_text(layer: str) -> str:
    return (app_settings.GEODATA_DIR / f"{layer}.geojson").read_text(encoding="utf-8")


BOWTIE = {"type": "Polygon", "coordinates": [[[127, 37.5], [127.1, 37.6], [127.1, 37.5], [127, 37.6], [127, 37.5]]]}

# case: (layer file broken, how, the issue it must give, is the layer still there)
Write = Callable[[Path], None]
CASES: dict[str, tuple[str, Write, str, bool]] = {
    "file missing": (
        "mdl",
        lambda p: p.unlink(),
        "geodata/mdl.geojson: file is missing (listed in geodata/provenance.yaml); layer left out",
        False,
    ),
    "empty file": (
        "seoul",
        lambda p: p.write_bytes(b""),
        "geodata/seoul.geojson: not a readable GeoJSON file (JSONDecodeError); layer left out",
        False,
    ),
    "truncated": (
        "dmz",
        lambda p: p.write_text(_layer_text("dmz")[:700], encoding="utf-8"),
        "geodata/dmz.geojson: not a readable GeoJSON file (JSONDecodeError); layer left out",
        False,
    ),
    "JSON that is not GeoJSON": (
        "yongsan",
        lambda p: p.write_text('{"hello": "world"}', encoding="utf-8"),
        "geodata/yongsan.geojson: not a readable GeoJSON file",
        False,
    ),
    "a JSON list": (
        "yongsan",
        lambda p: p.write_text("[1, 2, 3]", encoding="utf-8"),
        "geodata/yongsan.geojson: not a readable GeoJSON file",
        False,
    ),
    "JSON null": (
        "yongsan",
        lambda p: p.write_text("null", encoding="utf-8"),
        "geodata/yongsan.geojson: not a readable GeoJSON file",
        False,
    ),
    "not UTF-8": (
        "pyeongtaek",
        lambda p: p.write_bytes(b"\xff\xfe" + p.read_bytes()),
        "geodata/pyeongtaek.geojson: not a readable GeoJSON file (UnicodeDecodeError); layer left out",
        False,
    ),
    "nested 100,000 deep": (
        "uijeongbu",
        lambda p: p.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8"),
        "geodata/uijeongbu.geojson: not a readable GeoJSON file (RecursionError); layer left out",
        False,
    ),
    "a folder named like a layer": (
        "border",
        lambda p: (p.unlink(), p.mkdir()),
        "geodata/border.geojson: not a readable GeoJSON file",
        False,
    ),
    "no features": (
        "dongducheon",
        lambda p: p.write_text(_fc(), encoding="utf-8"),
        "geodata/dongducheon.geojson: has no features; layer left out",
        False,
    ),
    "only null geometries": (
        "dongducheon",
        lambda p: p.write_text(_fc(None, None), encoding="utf-8"),
        "geodata/dongducheon.geojson: no feature has a geometry; layer left out",
        False,
    ),
    "a geometry type that does not exist": (
        "dongducheon",
        lambda p: p.write_text(_fc({"type": "Hexagon", "coordinates": [1, 2]}), encoding="utf-8"),
        "geodata/dongducheon.geojson: no feature has a geometry; layer left out",
        False,
    ),
    "a polygon of two points": (
        "seoul",
        lambda p: p.write_text(_fc({"type": "Polygon", "coordinates": [[[127, 37.5], [127.1, 37.6]]]}), "utf-8"),
        "geodata/seoul.geojson: not a readable GeoJSON file",
        False,
    ),
    "coordinates off the globe": (
        "seoul",
        lambda p: p.write_text(_fc({"type": "Point", "coordinates": [500, 500]}), encoding="utf-8"),
        "geodata/seoul.geojson: coordinates outside longitude -180..180, latitude -90..90 (not WGS84); layer left out",
        False,
    ),
    "projected metres instead of degrees": (
        "seoul",
        lambda p: p.write_text(_fc({"type": "Point", "coordinates": [953_000, 1_952_000]}), encoding="utf-8"),
        "geodata/seoul.geojson: coordinates outside longitude -180..180, latitude -90..90 (not WGS84); layer left out",
        False,
    ),
    "NaN coordinates": (
        "seoul",
        lambda p: p.write_text(
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
            '"geometry": {"type": "Point", "coordinates": [NaN, 37.5]}}]}',
            encoding="utf-8",
        ),
        "geodata/seoul.geojson: coordinates outside longitude -180..180, latitude -90..90 (not WGS84); layer left out",
        False,
    ),
    "one self-intersecting polygon among good ones": (
        "yongsan",
        lambda p: p.write_text(_fc(BOWTIE, base=p), encoding="utf-8"),
        "geodata/yongsan.geojson: 1 invalid geometries were repaired",
        True,
    ),
    "one feature without geometry among good ones": (
        "yongsan",
        lambda p: p.write_text(_fc(None, base=p), encoding="utf-8"),
        "geodata/yongsan.geojson: 1 feature(s) without a geometry were left out",
        True,
    ),
}


def _check(gd: Geodata, layer: str, expected: str | None, kept: bool) -> None:
    """The issue names the file; the broken layer is kept only if repaired; every other layer is there and sound."""
    if expected is not None:
        assert any(i.startswith(expected) for i in gd.issues), gd.issues
    assert all(i.startswith("geodata/") for i in gd.issues), gd.issues
    assert (layer in gd.layers) is kept, sorted(gd.layers)
    assert set(gd.layers) >= set(SHIPPED) - {layer}, sorted(gd.layers)
    for lid, gdf in gd.layers.items():
        assert len(gdf) > 0 and gdf.geometry.notna().all() and gdf.geometry.is_valid.all(), lid
        minx, miny, maxx, maxy = gdf.total_bounds
        assert -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90, lid


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_layer_is_named_and_the_rest_loads(geo_copy: Path, case: str) -> None:
    layer, write, expected, kept = CASES[case]
    write(geo_copy / f"{layer}.geojson")
    gd = load_geodata(geo_copy)
    _check(gd, layer, expected, kept)
    # the story still loads on what is left, and names each place that lost its area
    story = load_story(layer_ids=gd.layers.keys())
    assert set(story.places) == set(_shipped_story().places)
    for place in story.places.values():
        assert place.layer is None or place.layer in gd.layers, place.id
    if not kept:
        for pid in (p.id for p in _shipped_story().places.values() if p.layer == layer):
            assert f"content/places.yaml: places (id {pid!r}).layer: no geodata layer {layer!r}; shown as a point" in [
                str(i) for i in story.issues
            ]
    # and the map's measured parts (distance bands south of the MDL, the claim check) are still computed
    model = MapModel(story, gd)
    if "mdl" in gd.layers:
        assert set(model.bands) == set(app_settings.DISTANCE_BANDS_KM)
    else:
        assert model.bands == {}
    assert set(model.claim_checks) == set(story.claims)


PROVENANCE_CASES = {
    "missing": (lambda p: p.unlink(), "geodata/provenance.yaml: cannot be read (FileNotFoundError)"),
    "not UTF-8": (lambda p: p.write_bytes(b"layers:\n  \xff: 1\n"), "geodata/provenance.yaml: cannot be read"),
    "not YAML": (lambda p: p.write_text("layers: [unclosed", encoding="utf-8"), "geodata/provenance.yaml: cannot be"),
    "layers is a list": (
        lambda p: p.write_text("layers: [1, 2]\n", encoding="utf-8"),
        "geodata/provenance.yaml: layers: not a mapping",
    ),
    "a plain string": (lambda p: p.write_text("hello\n", encoding="utf-8"), "geodata/provenance.yaml: layers: not a"),
    "nested 2,000 deep": (
        lambda p: p.write_text("layers: " + "[" * 2_000 + "]" * 2_000, encoding="utf-8"),
        "geodata/provenance.yaml: cannot be read (RecursionError)",
    ),
    "a record that is a number": (
        lambda p: p.write_text("layers:\n  seoul: 5\n", encoding="utf-8"),
        "geodata/provenance.yaml: layers.seoul: not a mapping",
    ),
}


@pytest.mark.parametrize("case", list(PROVENANCE_CASES))
def test_broken_provenance_is_named_and_every_layer_still_loads(geo_copy: Path, case: str) -> None:
    write, expected = PROVENANCE_CASES[case]
    write(geo_copy / "provenance.yaml")
    gd = load_geodata(geo_copy)
    assert any(i.startswith(expected) for i in gd.issues), gd.issues
    assert sorted(gd.layers) == SHIPPED
    # each layer without its licence and attribution is named: a map that shows it must say where it comes from
    assert {f"geodata/{lid}.geojson: no provenance record in geodata/provenance.yaml" for lid in SHIPPED} <= set(
        gd.issues
    )


def test_processing_given_as_one_line_is_kept(geo_copy: Path) -> None:
    (geo_copy / "provenance.yaml").write_text(
        "layers:\n  seoul: {title: Seoul, licence: x, attribution: y, processing: simplified 30 m}\n", encoding="utf-8"
    )
    gd = load_geodata(geo_copy)
    assert gd.info["seoul"].processing == ("simplified 30 m",)


FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(data=st.data())
def test_a_layer_cut_or_overwritten_anywhere_is_named(geo_copy: Path, data: st.DataObject) -> None:
    layer = data.draw(st.sampled_from(["yongsan", "dongducheon", "uijeongbu", "mdl"]), label="layer")
    path = geo_copy / f"{layer}.geojson"
    whole = (app_settings.GEODATA_DIR / f"{layer}.geojson").read_bytes()
    at = data.draw(st.integers(0, len(whole) - 2), label="at")
    how = data.draw(st.sampled_from(["cut", "garbage"]), label="how")
    junk = data.draw(st.binary(min_size=1, max_size=40), label="junk") if how == "garbage" else b""
    path.write_bytes(whole[:at] + junk + (whole[at + len(junk) :] if how == "garbage" else b""))
    try:
        gd = load_geodata(geo_copy)
    finally:
        path.write_bytes(whole)
    mine = [i for i in gd.issues if i.startswith(f"geodata/{layer}.geojson: ")]
    if layer in gd.layers:  # overwritten where it still parses (a digit for a digit): kept only if sound
        _check(gd, layer, None, True)
    else:
        assert mine, gd.issues
        _check(gd, layer, f"geodata/{layer}.geojson: ", False)
