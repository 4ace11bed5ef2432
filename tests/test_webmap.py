"""The map's own script: small, offline, escaped, and independent of the selection."""

from __future__ import annotations

import json

from realignment import assets, settings
from realignment.content import Story
from realignment.geodata import Geodata
from realignment.view import View
from realignment.webmap import MapModel, build_map, js_json, rhumb_bearing, selection_layer


def model(story: Story, geo: Geodata) -> MapModel:
    return MapModel(story, geo)


def test_js_json_cannot_close_a_script_tag() -> None:
    out = js_json({"name": "</script><script>alert(1)</script> & \u2028"})
    assert "<" not in out and ">" not in out and "&" not in out and "\u2028" not in out
    assert json.loads(out)["name"].startswith("</script>")


def test_spec_has_every_group_and_place(story: Story, geo: Geodata) -> None:
    assets.prepare()
    spec = model(story, geo).spec(View(), assets.urls())
    assert [g["id"] for g in spec["groups"]] == list(settings.LAYER_GROUP_IDS)
    placed = {i.get("place") for i in spec["items"]}
    assert set(story.places) <= placed
    callouts = {i["place"] for i in spec["items"] if i["type"] == "callout"}
    assert callouts == {"washington", "beijing", "iraq"}
    assert "© OpenStreetMap contributors" in spec["attributions"]


def test_layers_parameter_sets_what_is_visible(story: Story, geo: Geodata) -> None:
    spec = model(story, geo).spec(View(layers=("dmz", "mdl")), assets.urls())
    assert {g["id"] for g in spec["groups"] if g["visible"]} == {"dmz", "mdl"}


def test_korean_view_labels_places_in_korean(story: Story, geo: Geodata) -> None:
    spec = model(story, geo).spec(View(lang="ko"), assets.urls())
    labels = {i.get("label") for i in spec["items"]}
    assert {"서울", "평택 (이전 지역)", "캠프 험프리스"} <= labels
    assert model(story, geo).label_index("ko")["평택 (이전 지역)"] == "pyeongtaek"


def test_map_uses_own_assets_only(story: Story, geo: Geodata) -> None:
    m = build_map(model(story, geo), View(), assets.urls())
    links = [u for _, u in m.default_js] + [u for _, u in m.default_css]
    assert all(u.startswith(settings.STATIC_URL + "/") for u in links)
    # the class defaults (CDN links) are untouched: other sessions' maps are not changed by this one
    import folium

    assert any("cdn" in u for _, u in folium.Map.default_js)


def test_selection_layer_is_small(story: Story, geo: Geodata) -> None:
    fg = selection_layer(model(story, geo), "pyeongtaek", fly=True, nonce=3)
    code = next(iter(fg._children.values())).code
    assert code.startswith('realign.select(realign.state.map, "pyeongtaek"') and len(code) < 400


def test_offmap_directions_read_as_on_a_mercator_map() -> None:
    seoul = (37.5663, 126.9779)
    assert 80 < rhumb_bearing(seoul, (38.895, -77.036)) < 100  # Washington: east across the Pacific
    assert 260 < rhumb_bearing(seoul, (33.315, 44.366)) < 280  # Iraq: west
