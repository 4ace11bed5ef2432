"""Build the interactive folium map of a View: small script, geometry fetched from the app's static files."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

from . import settings
from .assets import AssetUrls
from .claims import ClaimCheck, check_claim
from .content import Place, Story
from .geodata import Geodata, distance_bands, geojson_coords, layer_summary
from .geodesy import LatLon, compass, distance_km
from .view import View

# The default frame: the peninsula from Pyongyang to Pyeongtaek, with room for edge callouts.
DEFAULT_BOUNDS = ((36.75, 124.9), (39.3, 129.9))
BAND_LABEL_LON = 128.05
CALLOUT_BOX = {"lat_min": 36.85, "lat_max": 39.2, "lon_min": 124.93, "lon_max": 129.7}


def js_json(value: Any) -> str:
    """JSON that is also safe inside an HTML <script>: no '<', '>' or '&' left as such."""
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class _Script(MacroElement):
    """A piece of map script made by this package (the story layers, a selection)."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "RealignScript"
        self.code = code


def rhumb_bearing(a: LatLon, b: LatLon) -> float:
    """Direction of b from a as a straight line on this (Mercator) map."""
    la1, la2 = math.radians(a[0]), math.radians(b[0])
    dlon = math.radians(((b[1] - a[1] + 540) % 360) - 180)
    dpsi = math.log(math.tan(math.pi / 4 + la2 / 2) / math.tan(math.pi / 4 + la1 / 2))
    return math.degrees(math.atan2(dlon, dpsi)) % 360


def edge_point(origin: LatLon, bearing: float) -> LatLon:
    """Where a ray from origin in the map direction `bearing` meets the callout frame."""
    dx, dy = math.sin(math.radians(bearing)), math.cos(math.radians(bearing))
    b = CALLOUT_BOX
    ts = []
    if dx > 1e-9:
        ts.append((b["lon_max"] - origin[1]) / dx)
    if dx < -1e-9:
        ts.append((b["lon_min"] - origin[1]) / dx)
    if dy > 1e-9:
        ts.append((b["lat_max"] - origin[0]) / dy)
    if dy < -1e-9:
        ts.append((b["lat_min"] - origin[0]) / dy)
    t = min(t for t in ts if t > 0)
    return origin[0] + dy * t, origin[1] + dx * t


@dataclass(frozen=True)
class MapModel:
    """Everything a map of the story needs, computed once per process and shared by every session."""

    story: Story
    geo: Geodata

    @cached_property
    def claim_checks(self) -> dict[str, ClaimCheck]:
        return {cid: check_claim(c, self.story, self.geo) for cid, c in self.story.claims.items()}

    @cached_property
    def _claim_checks_ko(self) -> dict[str, ClaimCheck]:
        return {cid: check_claim(c, self.story, self.geo, "ko") for cid, c in self.story.claims.items()}

    def checks(self, lang: str) -> dict[str, ClaimCheck]:
        """The claim checks with labels in the given language (the numbers are the same)."""
        return self._claim_checks_ko if lang == "ko" else self.claim_checks

    @cached_property
    def bands(self) -> dict[int, list[list[list[float]]]]:
        mdl = self.geo.line("mdl")
        if mdl is None:
            return {}
        land = self.geo.geometry("land")
        if land is not None and "country" in self.geo.layers["land"].columns:
            kr = self.geo.layers["land"]
            land = kr[kr["country"] == "KR"].union_all() if (kr["country"] == "KR").any() else land
        return {d: geojson_coords(g) for d, g in distance_bands(mdl, land, settings.DISTANCE_BANDS_KM).items()}

    @cached_property
    def layer_summary(self) -> dict[str, Any]:
        """Counts, areas and lengths of the geodata layers, measured once."""
        return layer_summary(self.geo)

    def label_index(self, lang: str) -> dict[str, str]:
        """What a clicked tooltip says -> the place it belongs to (labels of lines and areas included)."""
        index = {p.name.get(lang): p.id for p in self.story.places.values()}
        if "dmz" in self.story.places:
            index[settings.GROUPS["mdl"].label[lang]] = "dmz"
        return index

    def place_bounds(self, place: Place) -> list[list[float]]:
        """The extent to fly to when a place is selected."""
        if place.layer and (b := self.geo.bounds(place.layer)):
            (s, w), (n, e) = b
            return [[s, w], [n, e]]
        if place.offmap:
            return [list(DEFAULT_BOUNDS[0]), list(DEFAULT_BOUNDS[1])]
        lat, lon = place.point
        return [[lat - 0.06, lon - 0.08], [lat + 0.06, lon + 0.08]]

    def scene_view(self, n: int, lang: str = settings.DEFAULT_LANGUAGE) -> View | None:
        """The View a briefing scene sets (scene numbers start at 1), or None if there is no such scene."""
        scenes = self.story.scene_list()
        if not 1 <= n <= len(scenes):
            return None
        sc = scenes[n - 1]
        layers = tuple(g for g in settings.LAYER_GROUP_IDS if g in sc.view.layers) if sc.view.layers else None
        return View(place=sc.view.place, lang=lang, layers=layers, scene=n)

    def view_bounds(self, view: View) -> list[list[float]]:
        """The extent a view frames: its scene's places, else its selected place, else the whole story."""
        places: list[Place] = []
        if view.scene is not None and 1 <= view.scene <= len(self.story.scenes):
            sc = self.story.scene_list()[view.scene - 1]
            places = [self.story.places[p] for p in sc.view.fit or [sc.view.place or ""] if p in self.story.places]
        elif view.place in self.story.places:
            places = [self.story.places[view.place or ""]]
        boxes = [self.place_bounds(p) for p in places]
        if not boxes:
            return [list(DEFAULT_BOUNDS[0]), list(DEFAULT_BOUNDS[1])]
        return [
            [min(b[0][0] for b in boxes), min(b[0][1] for b in boxes)],
            [max(b[1][0] for b in boxes), max(b[1][1] for b in boxes)],
        ]

    def callout(self, place: Place, lang: str) -> dict[str, Any]:
        origin = self.story.places["seoul"].point if "seoul" in self.story.places else settings.DEFAULT_CENTER
        bearing = rhumb_bearing(origin, place.point)
        lat, lon = edge_point(origin, bearing)
        if 0 < bearing < 180:
            # east-side callouts sit high in the East Sea, clear of the legend and the band labels
            lat = CALLOUT_BOX["lat_max"] - 0.45
        km = distance_km(origin, place.point)
        detail = f"{km:,.0f} km {'from Seoul' if lang == 'en' else '(서울에서)'} · {compass(bearing)}"
        return {
            "type": "callout",
            "group": place.group,
            "place": place.id,
            "lat": round(lat, 4),
            "lon": round(lon, 4),
            "bearing": round(bearing, 1),
            "label": place.name.get(lang),
            "detail": detail,
            "anchor": "east" if 0 < bearing < 180 else "west",
        }

    def spec(self, view: View, urls: AssetUrls) -> dict[str, Any]:
        """The JSON the map plugin draws: groups, items, legend, controls, attributions."""
        lang = view.lang
        visible = set(view.visible_layers())
        styles = {
            g.id: {"color": g.color, "dash": g.dash, "fillOpacity": g.fill_opacity, "weight": g.weight}
            for g in settings.LAYER_GROUPS
        }
        items: list[dict[str, Any]] = []
        if "mdl" in urls.geodata:
            dmz_name = self.story.places["dmz"].name.get(lang) if "dmz" in self.story.places else None
            items.append(
                {
                    "type": "geojson",
                    "group": "mdl",
                    "url": urls.geodata["mdl"],
                    "style": styles["mdl"],
                    "label": settings.GROUPS["mdl"].label[lang],
                    "place": "dmz" if dmz_name else None,
                }
            )
        for d, paths in self.bands.items():
            label = f"{d} km {'south of the MDL' if lang == 'en' else '(군사분계선 남쪽)'}"
            items.append(
                {"type": "line", "group": "distance", "coords": paths, "style": styles["distance"], "label": label}
            )
            # labelled where the bands cross the empty middle of the peninsula, away from the story's places
            points = [pt for path in paths for pt in path]
            anchor = min(points, key=lambda pt: abs(pt[1] - BAND_LABEL_LON), default=None)
            if anchor is not None:
                items.append({"type": "text", "group": "distance", "lat": anchor[0], "lon": anchor[1], "label": label})
        for place in self.story.places.values():
            if place.offmap:
                items.append(self.callout(place, lang))
                continue
            name = place.name.get(lang)
            if place.layer and place.layer in urls.geodata:
                items.append(
                    {
                        "type": "geojson",
                        "group": place.group,
                        "url": urls.geodata[place.layer],
                        "style": styles[place.group],
                        "label": name,
                        "place": place.id,
                    }
                )
            items.append(
                {
                    "type": "point",
                    "group": place.group,
                    "lat": place.point[0],
                    "lon": place.point[1],
                    "label": name,
                    "place": place.id,
                    "style": styles[place.group],
                    "radius": 8 if place.kind in ("base", "site", "city") else 5,
                    "major": place.kind in ("city", "country", "area"),
                    "labelDir": "left" if place.id in ("osan", "yongsan", "panmunjom", "pyeongtaek") else "right",
                }
            )
        for check in self.checks(lang).values():
            for i, m in enumerate(check.measurements):
                # the capital and the border carry the claim; the camps' lines show their figure on hover
                key_line = i == 0 or m.start not in {p.point for p in self.story.places.values()}
                items.append(
                    {
                        "type": "line",
                        "group": "claim",
                        "coords": [[round(a, 5), round(b, 5)] for a, b in m.path],
                        "style": styles["claim"],
                        "label": f"{m.label}: {m.km:.0f} km" if not key_line else f"{m.km:.0f} km",
                        "permanentLabel": key_line,
                    }
                )
        groups = [
            {
                "id": g.id,
                "label": g.label[lang],
                "color": g.color,
                "dash": g.dash,
                "fillOpacity": g.fill_opacity,
                "weight": g.weight,
                "symbol": g.legend_symbol,
                "visible": g.id in visible,
            }
            for g in settings.LAYER_GROUPS
        ]
        attributions = [self.story.sources[self.story.article_id].short] if self.story.article_id else []
        attributions += self.geo.attributions()
        return {
            "groups": groups,
            "items": items,
            "basemap": {"url": urls.geodata.get("land", ""), "colors": settings.LAND_COLORS, "coast": "#5b6770"},
            "sea": settings.SEA_COLOR,
            "tiles": [
                {"label": t["label"][lang], "url": t["url"], "attribution": t["attribution"], "maxZoom": t["max_zoom"]}
                for t in settings.ONLINE_TILES
            ],
            "text": {k: v[lang] for k, v in settings.UI_TEXT.items()},
            "attributions": attributions,
            "collapsedControl": True,
            "lang": lang,
        }


def build_map(model: MapModel, view: View, urls: AssetUrls, presenter: bool = False) -> folium.Map:
    """A fresh folium Map for the view; assets point at the app's own server, never a CDN."""
    m = folium.Map(
        location=settings.DEFAULT_CENTER,
        zoom_start=settings.DEFAULT_ZOOM,
        tiles=None,
        control_scale=True,
        min_zoom=5,
        max_zoom=14,
        zoom_snap=0.25,
    )
    # Set on this object only: the class attributes are shared by every session.
    m.default_js = list(urls.js)
    m.default_css = list(urls.css)
    m.fit_bounds([list(DEFAULT_BOUNDS[0]), list(DEFAULT_BOUNDS[1])])
    spec = model.spec(view, urls)
    spec["presenterKeys"] = presenter
    m.add_child(_Script(f"realign.build({m.get_name()}, {js_json(spec)});"))
    return m


def selection_layer(model: MapModel, place_id: str | None, fly: bool, nonce: int) -> folium.FeatureGroup:
    """The small update that selects a place on the already-drawn map, without reloading it."""
    fg = folium.FeatureGroup(name="selection", control=False)
    opts: dict[str, Any] = {"fly": fly, "nonce": nonce}
    place = model.story.places.get(place_id or "")
    if place is not None:
        opts["bounds"] = model.place_bounds(place)
        opts["maxZoom"] = 11 if place.layer else 10
    else:  # back to the overview: the whole frame
        opts["bounds"] = [list(DEFAULT_BOUNDS[0]), list(DEFAULT_BOUNDS[1])]
    fg.add_child(_Script(f"realign.select(realign.state.map, {js_json(place_id)}, {js_json(opts)});"))
    return fg


def scene_layer(model: MapModel, view: View, nonce: int) -> folium.FeatureGroup:
    """The update that moves the drawn map to a briefing scene: its layers, its highlighted place, its frame."""
    fg = folium.FeatureGroup(name="scene", control=False)
    opts: dict[str, Any] = {
        "fit": True,
        "nonce": nonce,
        "bounds": model.view_bounds(view),
        "layers": list(view.visible_layers()),
        "maxZoom": 10,
    }
    fg.add_child(_Script(f"realign.select(realign.state.map, {js_json(view.place)}, {js_json(opts)});"))
    return fg
