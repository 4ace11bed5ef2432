"""Static map figures of a View, drawn on the server with geopandas + matplotlib.

The figure draws the very items the interactive map draws (it reads MapModel.spec), with the same styles, the
same selection and the same labels, on Web Mercator like the screen, plus what a printed figure needs: a title,
a legend, a scale bar computed for the map's latitude, a north arrow and a caption with the sources.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import threading
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import matplotlib
import numpy as np
import shapely
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import LoadFlags
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, PathPatch, Polygon, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2D, Transform
from pyproj import Transformer
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from . import settings
from .assets import AssetUrls
from .geodesy import GEOD
from .i18n import t
from .view import View
from .webmap import BAND_LABEL_LON, MapModel

# Web Mercator, as on the screen (Leaflet): the same shapes, and the edge callouts' arrows (rhumb bearings,
# straight lines on Mercator) point the same way. Its scale changes with latitude, so the scale bar is computed
# for the map's centre latitude and the caption says so.
MAP_CRS = "EPSG:3857"
_TO_MAP = Transformer.from_crs(4326, 3857, always_xy=True)
_FROM_MAP = Transformer.from_crs(3857, 4326, always_xy=True)

# Latin text in the font matplotlib ships; Korean in Noto Sans CJK (Debian: fonts-noto-cjk).
LATIN_FONT = "DejaVu Sans"
CJK_FONT = "Noto Sans CJK KR"
CJK_PACKAGE = "fonts-noto-cjk"

# The frame never zooms in further than the screen does (webmap.selection_layer and scene_layer: zoom 10, or
# 11 for a place with an area) on a map about this many pixels wide.
SCREEN_MAP_PX = 1000
MERCATOR_M_PER_PX_Z0 = 2 * math.pi * 6378137 / 256
FRAME_MARGIN = 0.08

# Each url the figure's spec gives a layer is this prefix + the layer id, so an item can be traced to its layer.
LAYER_URL = "layer:"

SELECTED = {"face": "#111111", "text": "#FFFFFF", "ring": settings.OKABE_ITO["yellow"]}
COAST = "#5b6770"

WORDS: dict[str, dict[str, str]] = {
    "source": {"en": "Source", "ko": "출처"},
    "also": {"en": "Also", "ko": "기타 출처"},
    "map_data": {"en": "Map data", "ko": "지도 데이터"},
    "exported": {"en": "Exported", "ko": "내보낸 날짜"},
    "legend": settings.UI_TEXT["legend"],
    "selected": {"en": "Highlighted", "ko": "강조"},
    "scale_at": {"en": "Scale true at {lat}° N", "ko": "축척: 북위 {lat}°에서 정확"},
    "projection": {
        "en": "Web Mercator (EPSG:3857), as on screen; distances geodesic (WGS84)",
        "ko": "웹 메르카토르 (EPSG:3857, 화면과 동일); 거리는 측지 거리 (WGS84)",
    },
}


class FontMissing(RuntimeError):
    """A font the figure needs is not installed; the message names it and the package that has it."""


@dataclass(frozen=True)
class Preset:
    """A page size and the type sizes that suit it."""

    id: str
    label: str
    width_in: float
    height_in: float
    title_pt: float
    subtitle_pt: float
    label_pt: float
    caption_pt: float
    legend_pt: float
    px: float  # points per screen pixel: line weights, dashes and markers of the screen map, scaled for print
    side_in: float  # width of the column beside the map (legend, scale bar, north arrow)
    margin_in: float = 0.4

    def pixels(self, dpi: int) -> tuple[int, int]:
        """The PNG's size in pixels at this resolution."""
        return round(self.width_in * dpi), round(self.height_in * dpi)


PRESETS: dict[str, Preset] = {
    # PowerPoint/Keynote widescreen 16:9
    "slide": Preset("slide", "16:9 slide, 13.333 × 7.5 in", 13.333, 7.5, 24, 13, 11, 9, 11, 0.8, 3.0, 0.35),
    # A4 landscape: a full-page report figure (the story's extent is wider than tall)
    "a4": Preset("a4", "A4 landscape, 297 × 210 mm", 297 / 25.4, 210 / 25.4, 18, 11, 8.5, 7.5, 8.5, 0.62, 2.5),
}


# --- fonts and matplotlib settings -------------------------------------------------------------------------


def _font_names() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


def font_family(lang: str) -> list[str]:
    """The font list for a language; Korean needs Noto Sans CJK KR and says so plainly if it is absent."""
    names = _font_names()
    if CJK_FONT not in names:
        # a font installed after matplotlib built its cache: register it now
        for path in font_manager.findSystemFonts():
            if "NotoSansCJK" in path.replace("-", "").replace("_", "") and "Mono" not in path:
                with contextlib.suppress(Exception):
                    font_manager.fontManager.addfont(path)
        names = _font_names()
    if lang == "ko":
        if CJK_FONT not in names:
            raise FontMissing(
                f"Korean labels need the font {CJK_FONT!r} (Debian package {CJK_PACKAGE}: apt-get install "
                f"{CJK_PACKAGE}); matplotlib cannot find it"
            )
        return [CJK_FONT, LATIN_FONT]
    return [LATIN_FONT, CJK_FONT] if CJK_FONT in names else [LATIN_FONT]


_LOCK = threading.Lock()


@contextlib.contextmanager
def figure_context(lang: str) -> Iterator[list[str]]:
    """matplotlib settings for every export: text as text (no mathtext, no TeX), fonts embedded, stable ids.

    matplotlib's settings are global, so exports from several sessions take turns.
    """
    family = font_family(lang)
    rc = {
        "font.family": family,
        "text.usetex": False,
        "text.parse_math": False,  # a '$' in a place name is a dollar sign, not mathematics
        "svg.fonttype": "none",  # SVG text stays text: searchable, selectable, escaped by the XML writer
        "svg.hashsalt": "realignment",
        "pdf.fonttype": 42,  # TrueType embedded: PDF text stays text
        "lines.scale_dashes": False,  # dash lengths in points, like the screen's dash arrays in pixels
        "path.simplify": False,
        "axes.unicode_minus": False,
    }
    with _LOCK, matplotlib.rc_context(rc):
        yield family


class Measure:
    """Text widths in points with the figure's fonts (glyph advances added up, font fallback as matplotlib
    does it), for wrapping text and placing labels; fast enough to measure every word of a handout."""

    def __init__(self, family: list[str]) -> None:
        self.family = family
        self._fonts: dict[tuple[str, str], list[Any]] = {}
        self._advance: dict[tuple[str, str, str], float] = {}

    def prop(self, size: float, weight: str = "normal", style: str = "normal") -> FontProperties:
        return FontProperties(family=self.family, size=size, weight=weight, style=style)

    def _font_list(self, weight: str, style: str) -> list[Any]:
        key = (weight, style)
        if key not in self._fonts:
            paths: list[str] = []
            for name in self.family:
                path = font_manager.findfont(FontProperties(family=name, weight=weight, style=style))
                if path not in paths:
                    paths.append(path)
            self._fonts[key] = [font_manager.get_font(p) for p in paths]
        return self._fonts[key]

    def _char(self, ch: str, weight: str, style: str) -> float:
        key = (ch, weight, style)
        if key not in self._advance:
            fonts = self._font_list(weight, style)
            font = next((f for f in fonts if f.get_char_index(ord(ch))), fonts[0])
            font.set_size(100, 72)
            glyph = font.load_glyph(font.get_char_index(ord(ch)), flags=LoadFlags.NO_HINTING)
            self._advance[key] = glyph.linearHoriAdvance / 65536 / 100
        return self._advance[key]

    def width(self, text: str, size: float, weight: str = "normal", style: str = "normal") -> float:
        return sum(self._char(ch, weight, style) for ch in text) * size

    def wrap(self, text: str, width: float, size: float, weight: str = "normal", style: str = "normal") -> list[str]:
        """Greedy word wrap to a width in points (words measured once and added up, with a little slack);
        a word longer than a line is cut between characters."""
        space = self.width(" ", size, weight, style)
        width *= 0.97  # kerning is not counted: a little slack
        lines: list[str] = []
        cur: list[str] = []
        cur_w = 0.0
        for word in text.split():
            ww = self.width(word, size, weight, style)
            if cur and cur_w + space + ww <= width:
                cur.append(word)
                cur_w += space + ww
                continue
            if cur:
                lines.append(" ".join(cur))
            while ww > width and len(word) > 1:
                n = len(word) - 1
                while n > 1 and self.width(word[:n], size, weight, style) > width:
                    n -= 1
                lines.append(word[:n])
                word = word[n:]
                ww = self.width(word, size, weight, style)
            cur, cur_w = [word], ww
        if cur:
            lines.append(" ".join(cur))
        return lines


_MEASURES: dict[tuple[str, ...], Measure] = {}


def measure_for(family: list[str]) -> Measure:
    """One Measure per font list, kept: glyph advances are looked up once per process."""
    key = tuple(family)
    if key not in _MEASURES:
        _MEASURES[key] = Measure(family)
    return _MEASURES[key]


# --- geometry ----------------------------------------------------------------------------------------------


def to_map(lon: float, lat: float) -> tuple[float, float]:
    x, y = _TO_MAP.transform(lon, lat)
    return float(x), float(y)


def from_map(x: float, y: float) -> tuple[float, float]:
    """(lon, lat) of a map point."""
    lon, lat = _FROM_MAP.transform(x, y)
    return float(lon), float(lat)


_PROJECTED: dict[int, tuple[weakref.ref, dict[str, gpd.GeoDataFrame]]] = {}


def projected_layers(model: MapModel) -> dict[str, gpd.GeoDataFrame]:
    """Every layer in the map CRS, projected once per loaded Geodata."""
    geo = model.geo
    hit = _PROJECTED.get(id(geo))
    if hit is not None and hit[0]() is geo:
        return hit[1]
    out = {lid: gdf.to_crs(MAP_CRS) for lid, gdf in geo.layers.items() if not gdf.empty}
    _PROJECTED[id(geo)] = (weakref.ref(geo), out)
    return out


@dataclass(frozen=True)
class Frame:
    """The map's extent in the map CRS (metres of Web Mercator)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def centre_lat(self) -> float:
        return from_map((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)[1]

    def grown(self, share: float) -> Frame:
        dx, dy = self.width * share, self.height * share
        return Frame(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)


def max_zoom(model: MapModel, view: View) -> int:
    """How close the screen goes for this view: 10 for a scene or a point, 11 for a place with an area."""
    if view.scene is not None:
        return 10
    place = model.story.places.get(view.place or "")
    return 11 if place is not None and place.layer else 10


def frame_for(model: MapModel, view: View, aspect: float) -> Frame:
    """The view's bounds (MapModel.view_bounds) with a margin, padded to the map's width/height ratio."""
    (s, w), (n, e) = model.view_bounds(view)
    x0, y0 = to_map(w, s)
    x1, y1 = to_map(e, n)
    dx, dy = (x1 - x0) * FRAME_MARGIN, (y1 - y0) * FRAME_MARGIN
    x0, x1, y0, y1 = x0 - dx, x1 + dx, y0 - dy, y1 + dy
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    least = SCREEN_MAP_PX * MERCATOR_M_PER_PX_Z0 / 2 ** max_zoom(model, view)
    width = max(x1 - x0, least)
    height = max(y1 - y0, least / aspect)
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    return Frame(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def ground_scale(lat: float, lon: float = 127.5) -> float:
    """Map metres per metre on the ground at a latitude, measured (geodesic on WGS84), not assumed."""
    d = 0.05
    x0, _ = to_map(lon - d, lat)
    x1, _ = to_map(lon + d, lat)
    _, _, ground = GEOD.inv(lon - d, lat, lon + d, lat)
    return (x1 - x0) / ground


def nice_km(max_km: float) -> float:
    """The largest 1, 2, 3 or 5 × 10^n km that fits."""
    exp = math.floor(math.log10(max_km))
    for base in (5, 3, 2, 1):
        if base * 10**exp <= max_km:
            return float(base * 10**exp)
    return float(10 ** (exp - 1) * 5)


@dataclass(frozen=True)
class ScaleBar:
    km: float
    length_pt: float
    lat: float


def scale_bar(frame: Frame, map_width_pt: float, max_pt: float) -> ScaleBar:
    """A scale bar no longer than max_pt, true at the frame's centre latitude."""
    lat = frame.centre_lat()
    lon = from_map((frame.x0 + frame.x1) / 2, (frame.y0 + frame.y1) / 2)[0]
    pt_per_ground_m = map_width_pt / frame.width * ground_scale(lat, lon)
    km = nice_km(max_pt / pt_per_ground_m / 1000)
    return ScaleBar(km, km * 1000 * pt_per_ground_m, lat)


def _ring_codes(n: int) -> list[int]:
    return [MplPath.MOVETO] + [MplPath.LINETO] * (n - 2) + [MplPath.CLOSEPOLY]


def geom_path(geom: BaseGeometry) -> MplPath | None:
    """A shapely geometry as one matplotlib path (polygons oriented so holes stay holes under any fill rule)."""
    verts: list[tuple[float, float]] = []
    codes: list[int] = []
    for part in getattr(geom, "geoms", [geom]):
        if part.is_empty:
            continue
        if part.geom_type == "Polygon":
            poly = orient(part, 1.0)
            for ring in [poly.exterior, *poly.interiors]:
                coords = list(ring.coords)
                if len(coords) >= 4:
                    verts.extend(coords)
                    codes.extend(_ring_codes(len(coords)))
        elif part.geom_type == "LineString":
            coords = list(part.coords)
            if len(coords) >= 2:
                verts.extend(coords)
                codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 1))
        elif hasattr(part, "geoms"):
            sub = geom_path(part)
            if sub is not None:
                verts.extend(sub.vertices.tolist())
                codes.extend(sub.codes.tolist())
    if not verts:
        return None
    return MplPath(np.asarray(verts, dtype=float), codes)


def _line_geom(coords: list[Any]) -> LineString | MultiLineString | None:
    """A spec line's [lat, lon] coordinates (one path or several) in the map CRS."""
    if not coords:
        return None
    paths = coords if isinstance(coords[0][0], (list, tuple)) else [coords]
    lines = []
    for path in paths:
        if len(path) >= 2:
            arr = np.asarray(path, dtype=float)
            xs, ys = _TO_MAP.transform(arr[:, 1], arr[:, 0])
            lines.append(LineString(np.column_stack([xs, ys])))
    if not lines:
        return None
    return lines[0] if len(lines) == 1 else MultiLineString(lines)


# --- the figure's words -------------------------------------------------------------------------------------


def spec_for(model: MapModel, view: View) -> dict[str, Any]:
    """The interactive map's own spec, so the figure draws exactly its items; layer urls name the layer."""
    urls = AssetUrls(js=(), css=(), geodata={lid: LAYER_URL + lid for lid in model.geo.layers})
    return model.spec(view, urls)


def scene_of(model: MapModel, view: View) -> Any | None:
    scenes = model.story.scene_list()
    if view.scene is not None and 1 <= view.scene <= len(scenes):
        return scenes[view.scene - 1]
    return None


def figure_title(model: MapModel, view: View) -> str:
    """The scene's title, else the selected place's name, else the story's title."""
    sc = scene_of(model, view)
    if sc is not None:
        return sc.title.get(view.lang)
    place = model.story.places.get(view.place or "")
    if place is not None:
        return place.name.get(view.lang)
    return t("story_title", view.lang)


def figure_subtitle(model: MapModel, view: View) -> str | None:
    sc = scene_of(model, view)
    return model.story.fill(sc.headline.get(view.lang), view.lang) if sc is not None else None


def format_date(day: dt.date, lang: str) -> str:
    if lang == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일"
    return f"{day.day} {day:%B} {day.year}"


def view_sources(model: MapModel, view: View) -> list[str]:
    """Source ids behind what the view shows, the article first."""
    story = model.story
    ids: list[str] = [story.article_id] if story.article_id else []
    sc = scene_of(model, view)
    place = story.places.get(view.place or "")
    if sc is not None:
        ids += sc.sources
    elif place is not None:
        ids += [*place.sources, place.point_source]
        if place.identification:
            ids.append(place.identification.source)
    out: list[str] = []
    for sid in ids:
        if sid in story.sources and sid not in out:
            out.append(sid)
    return out


def caption_text(model: MapModel, view: View, today: dt.date, scale_lat: float | None = None) -> str:
    """'Source: VOA, 8 June 2004. …' from the content's source records and the geodata's attributions."""
    lang = view.lang
    story = model.story
    ids = view_sources(model, view)
    parts: list[str] = []
    if ids:
        parts.append(f"{WORDS['source'][lang]}: {story.source_label(ids[0])}.")
    if len(ids) > 1:
        parts.append(f"{WORDS['also'][lang]}: {'; '.join(story.source_label(i) for i in ids[1:])}.")
    attributions = model.geo.attributions()
    if attributions:
        parts.append(f"{WORDS['map_data'][lang]}: {'; '.join(attributions)}.")
    proj = WORDS["projection"][lang]
    if scale_lat is not None:
        proj += "; " + WORDS["scale_at"][lang].format(lat=f"{scale_lat:.1f}")
    parts.append(proj + ".")
    parts.append(f"{WORDS['exported'][lang]}: {format_date(today, lang)}.")
    return " ".join(parts)


# --- drawing ------------------------------------------------------------------------------------------------


@dataclass
class Box:
    """A rectangle in figure points (origin bottom left)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: Box) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0

    def inside(self, other: Box) -> bool:
        return self.x0 >= other.x0 and self.y0 >= other.y0 and self.x1 <= other.x1 and self.y1 <= other.y1

    def clamp_into(self, other: Box) -> Box:
        dx = max(other.x0 - self.x0, 0.0) - max(self.x1 - other.x1, 0.0)
        dy = max(other.y0 - self.y0, 0.0) - max(self.y1 - other.y1, 0.0)
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)


@dataclass
class Drawn:
    """What ended up on the map: the places drawn and every label with its box (in points)."""

    places: list[str] = field(default_factory=list)
    labels: list[tuple[str, Box]] = field(default_factory=list)


def points_transform(fig: Figure) -> Transform:
    """Figure points (1/72 in from the bottom left) to display coordinates."""
    return Affine2D().scale(1 / 72) + fig.dpi_scale_trans


class MapPainter:
    """Draws a View's map into a rectangle of a figure (in inches), the way the screen map draws its spec."""

    def __init__(
        self,
        fig: Figure,
        model: MapModel,
        view: View,
        box_in: tuple[float, float, float, float],
        preset: Preset,
        measure: Measure,
    ) -> None:
        self.fig = fig
        self.model = model
        self.view = view
        self.preset = preset
        self.measure = measure
        self.px = preset.px
        left, bottom, width, height = box_in
        fw, fh = fig.get_size_inches()
        self.ax = fig.add_axes((left / fw, bottom / fh, width / fw, height / fh))
        self.box = Box(left * 72, bottom * 72, (left + width) * 72, (bottom + height) * 72)
        self.frame = frame_for(model, view, width / height)
        self.spec = spec_for(model, view)
        self.PT = points_transform(fig)
        self.taken: list[Box] = []
        self.drawn = Drawn()
        self.visible = {g["id"] for g in self.spec["groups"] if g["visible"]}

    # coordinates
    def pt(self, x: float, y: float) -> tuple[float, float]:
        f, b = self.frame, self.box
        return (b.x0 + (x - f.x0) / f.width * (b.x1 - b.x0), b.y0 + (y - f.y0) / f.height * (b.y1 - b.y0))

    def in_frame(self, x: float, y: float) -> bool:
        return self.frame.x0 <= x <= self.frame.x1 and self.frame.y0 <= y <= self.frame.y1

    def dash(self, style: dict[str, Any]) -> Any:
        if not style.get("dash"):
            return "solid"
        return (0, tuple(float(v) * self.px for v in str(style["dash"]).split()))

    def paint(self) -> Drawn:
        ax, f = self.ax, self.frame
        ax.set_xlim(f.x0, f.x1)
        ax.set_ylim(f.y0, f.y1)
        ax.set_aspect("auto")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor(self.spec["sea"])
        for spine in ax.spines.values():
            spine.set_edgecolor("#333333")
            spine.set_linewidth(0.8)
        self._basemap()
        items = self.spec["items"]
        selected = self.view.place
        areas = [i for i in items if i["type"] == "geojson" and i["group"] in self.visible]
        # the selected area is brought to the front, as on screen
        areas.sort(key=lambda i: i.get("place") == selected and selected is not None)
        for item in areas:
            self._geojson(item, item.get("place") == selected and selected is not None)
        for item in items:
            if item["type"] == "line" and item["group"] in self.visible:
                self._line(item)
        points = [i for i in items if i["type"] == "point" and i["group"] in self.visible]
        for item in points:
            self._point(item, item.get("place") == selected)
        for item in items:
            if item["type"] == "callout" and item["group"] in self.visible:
                self._callout(item, item.get("place") == selected)
        for item in items:
            if item["type"] == "line" and item["group"] in self.visible and item.get("permanentLabel"):
                self._line_label(item)
        # place names next, the highlighted one first, then the big names: they find room around the rest
        order = sorted(points, key=lambda i: (i.get("place") != selected, not i.get("major"), points.index(i)))
        for item in order:
            self._place_label(item, item.get("place") == selected)
        # the distance bands' labels last: they can slide along their line
        for item in items:
            if item["type"] == "text" and item["group"] in self.visible:
                self._band_label(item, items)
        return self.drawn

    def _clip(self, geom: BaseGeometry) -> BaseGeometry:
        g = self.frame.grown(0.05)
        return shapely.clip_by_rect(geom, g.x0, g.y0, g.x1, g.y1)

    def _basemap(self) -> None:
        land = projected_layers(self.model).get("land")
        if land is None:
            return
        colors = self.spec["basemap"]["colors"]
        for _, row in land.iterrows():
            geom = self._clip(row.geometry)
            path = geom_path(geom) if not geom.is_empty else None
            if path is None:
                continue
            color = colors.get(str(row.get("country", "")), colors["other"])
            self.ax.add_artist(
                PathPatch(path, facecolor=color, edgecolor=COAST, linewidth=0.8 * self.px, zorder=1, joinstyle="round")
            )

    def _geojson(self, item: dict[str, Any], selected: bool) -> None:
        lid = str(item.get("url", "")).removeprefix(LAYER_URL)
        gdf = projected_layers(self.model).get(lid)
        if gdf is None:
            return
        geom = self._clip(shapely.union_all(gdf.geometry.values))
        path = geom_path(geom) if not geom.is_empty else None
        if path is None:
            return
        st = item["style"]
        weight = st["weight"] + (3 if selected else 0)
        fill = min(0.6, st["fillOpacity"] + 0.2) if selected else st["fillOpacity"]
        polygonal = geom.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection")
        self.ax.add_artist(
            PathPatch(
                path,
                facecolor=matplotlib.colors.to_rgba(st["color"], fill) if polygonal else "none",
                edgecolor=st["color"],
                linewidth=weight * self.px,
                linestyle=self.dash(st),
                zorder=2.5 if selected else 2,
                joinstyle="round",
                capstyle="round",
            )
        )
        if item.get("place") and item["place"] not in self.drawn.places:
            self.drawn.places.append(item["place"])

    def _line(self, item: dict[str, Any]) -> None:
        geom = _line_geom(item["coords"])
        if geom is None:
            return
        geom = self._clip(geom)
        path = geom_path(geom) if not geom.is_empty else None
        if path is None:
            return
        st = item["style"]
        self.ax.add_artist(
            PathPatch(
                path,
                facecolor="none",
                edgecolor=st["color"],
                linewidth=st["weight"] * self.px,
                linestyle=self.dash(st),
                zorder=3,
                capstyle="butt",
            )
        )

    def _point(self, item: dict[str, Any], selected: bool) -> None:
        x, y = to_map(item["lon"], item["lat"])
        if not self.in_frame(x, y):
            return
        st = item["style"]
        radius = (item.get("radius") or 7) + (4 if selected else 0)
        weight = 4 if selected else 1.5
        self.ax.plot(
            [x],
            [y],
            marker="o",
            markersize=2 * radius * self.px,
            markerfacecolor=matplotlib.colors.to_rgba(st["color"], st["fillOpacity"]),
            markeredgecolor="#000000",
            markeredgewidth=weight * self.px,
            zorder=4.5 if selected else 4,
            linestyle="none",
        )
        cx, cy = self.pt(x, y)
        r = radius * self.px + weight * self.px / 2
        self.taken.append(Box(cx - r, cy - r, cx + r, cy + r))
        if item.get("place") and item["place"] not in self.drawn.places:
            self.drawn.places.append(item["place"])

    def _text_box(
        self,
        cx: float,
        cy: float,
        text: str,
        size: float,
        *,
        weight: str = "bold",
        face: Any = (1, 1, 1, 0.88),
        edge: str = "#444444",
        color: str = "#111111",
        ring: str | None = None,
        linestyle: Any = "solid",
        zorder: float = 6,
    ) -> None:
        self.ax.text(
            cx,
            cy,
            text,
            transform=self.PT,
            fontsize=size,
            fontweight=weight,
            color=color,
            ha="center",
            va="center",
            zorder=zorder,
            clip_on=False,
            bbox={
                "boxstyle": "round,pad=0.22,rounding_size=0.25",
                "facecolor": face,
                "edgecolor": ring or edge,
                "linewidth": (3 if ring else 1) * self.px,
                "linestyle": linestyle,
            },
        )

    def _label_size(self, text: str, size: float, weight: str = "bold") -> tuple[float, float]:
        pad = 0.22 * size
        return self.measure.width(text, size, weight) + 2 * pad + 2, size * 1.25 + 2 * pad

    def _free(self, box: Box) -> float:
        """How much of a candidate box is already taken (0: free), outside the map counts as taken."""
        if not box.inside(self.box):
            return 1e9
        return sum(box.overlap(t) for t in self.taken)

    def _place_label(self, item: dict[str, Any], selected: bool) -> None:
        x, y = to_map(item["lon"], item["lat"])
        if not self.in_frame(x, y) or not item.get("label"):
            return
        text = item["label"]
        size = self.preset.label_pt + (1 if item.get("major") else 0)
        w, h = self._label_size(text, size)
        px, py = self.pt(x, y)
        r = ((item.get("radius") or 7) + (4 if selected else 0)) * self.px + 3
        right = (px + r + w / 2, py)
        left = (px - r - w / 2, py)
        first, second = (left, right) if item.get("labelDir") == "left" else (right, left)
        up, down = py + r * 0.6 + h / 2, py - r * 0.6 - h / 2
        candidates = [
            first,
            second,
            (px + r * 0.6 + w / 2, up),
            (px + r * 0.6 + w / 2, down),
            (px - r * 0.6 - w / 2, up),
            (px - r * 0.6 - w / 2, down),
            (px, py + r + h / 2),
            (px, py - r - h / 2),
            (first[0], py + h + 2),
            (first[0], py - h - 2),
            (second[0], py + h + 2),
            (second[0], py - h - 2),
        ]
        # a crowded spot: further away, tied to the point by a leader line
        for k in (2, 3):
            for sx in (first[0], second[0]):
                candidates += [(sx, py + k * (h + 2)), (sx, py - k * (h + 2))]
        best: tuple[float, Box, int] | None = None
        for i, (cx, cy) in enumerate(candidates):
            box = Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            cost = self._free(box)
            if cost == 0:
                best = (0, box, i)
                break
            if best is None or cost < best[0]:
                best = (cost, box, i)
        assert best is not None
        box = best[1] if best[0] < 1e9 else best[1].clamp_into(self.box)
        self.taken.append(box)
        cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        if best[2] >= 12:
            edge_x = box.x0 if cx > px else box.x1
            self.ax.add_artist(
                Line2D([px, edge_x], [py, cy], transform=self.PT, color="#444444", linewidth=0.8, zorder=5.9)
            )
        if selected:
            self._text_box(cx, cy, text, size, face=SELECTED["face"], color=SELECTED["text"], ring=SELECTED["ring"])
        else:
            self._text_box(cx, cy, text, size)
        self.drawn.labels.append((text, box))

    def _line_label(self, item: dict[str, Any]) -> None:
        geom = _line_geom(item["coords"])
        if not isinstance(geom, LineString):
            return
        inset = self.frame.grown(-0.04)
        mid = geom.interpolate(0.5, normalized=True)
        if not (inset.x0 <= mid.x <= inset.x1 and inset.y0 <= mid.y <= inset.y1):
            return  # the screen labels a line at its middle: off this frame, the label is off the map
        size = self.preset.label_pt
        w, h = self._label_size(item["label"], size)
        box = None
        # the middle of the line unless a marker is there: then the nearest free spot along it
        spots = [(frac, dy) for frac in (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74) for dy in (0.0, h, -h)]
        best = math.inf
        for frac, dy in spots:
            at = geom.interpolate(frac, normalized=True)
            cx, cy = self.pt(at.x, at.y)
            cand = Box(cx - w / 2, cy + dy - h / 2, cx + w / 2, cy + dy + h / 2).clamp_into(self.box)
            cost = self._free(cand)
            if cost < best:
                box, best = cand, cost
            if cost == 0:
                break
        assert box is not None
        self.taken.append(box)
        self._text_box(
            (box.x0 + box.x1) / 2,
            (box.y0 + box.y1) / 2,
            item["label"],
            size,
            face="#FFFFFF",
            edge=settings.OKABE_ITO["blue"],
            color="#0b3d66",
            zorder=5.5,
        )
        self.drawn.labels.append((item["label"], box))

    def _band_label(self, item: dict[str, Any], items: list[dict[str, Any]]) -> None:
        size = self.preset.label_pt - 1
        w, h = self._label_size(item["label"], size, "normal")
        gap = 6 * self.px
        x, y = to_map(item["lon"], item["lat"])
        cx, cy = self.pt(x, y)
        box = Box(cx + gap, cy - h / 2, cx + gap + w, cy + h / 2)
        if self._free(box) > 0:
            # the screen's spot is off this frame or taken: the free point of the band nearest the screen's
            line = next((i for i in items if i["type"] == "line" and i.get("label") == item["label"]), None)
            geom = _line_geom(line["coords"]) if line else None
            best = None
            if geom is not None:
                for part in getattr(geom, "geoms", [geom]):
                    for gx, gy in part.coords:
                        px, py = self.pt(gx, gy)
                        cand = Box(px + gap, py - h / 2, px + gap + w, py + h / 2)
                        if self._free(cand) == 0:
                            lon = from_map(gx, gy)[0]
                            key = abs(lon - BAND_LABEL_LON)
                            if best is None or key < best[0]:
                                best = (key, cand)
            if best is None:
                return
            box = best[1]
        self.taken.append(box)
        self._text_box(
            (box.x0 + box.x1) / 2,
            (box.y0 + box.y1) / 2,
            item["label"],
            size,
            weight="normal",
            face=(1, 1, 1, 0.85),
            edge=settings.OKABE_ITO["grey"],
            color="#333333",
            linestyle=(0, (3, 2)),
            zorder=5.4,
        )
        self.drawn.labels.append((item["label"], box))

    def _callout(self, item: dict[str, Any], selected: bool) -> None:
        """An off-map actor at the map's edge: an arrow pointing its way, its name and distance in a box."""
        size = self.preset.label_pt
        px = self.px
        name_w = self.measure.width(item["label"], size, "bold")
        detail_w = self.measure.width(item["detail"], size - 1)
        pad = 4 * px + 1
        bw, bh = max(name_w, detail_w) * 1.04 + 2 * pad, size * 1.25 + (size - 1) * 1.25 + 2 * pad
        arrow = 22 * px
        east = item.get("anchor") == "east"
        margin = 4.0
        b = self.box
        allowed = Box(
            b.x0 + margin + (bw + arrow if east else 0),
            b.y0 + margin + bh / 2,
            b.x1 - margin - (0 if east else bw + arrow),
            b.y1 - margin - bh / 2,
        )
        x, y = to_map(item["lon"], item["lat"])
        p = self.pt(x, y)
        if not (allowed.x0 <= p[0] <= allowed.x1 and allowed.y0 <= p[1] <= allowed.y1) and east:
            # as on screen, east-side callouts sit high on the right edge, clear of the places
            p = (allowed.x1, allowed.y1)
        elif not (allowed.x0 <= p[0] <= allowed.x1 and allowed.y0 <= p[1] <= allowed.y1):
            # this frame is smaller than the screen's: slide along the actor's direction to the frame's edge
            seoul = self.model.story.places.get("seoul")
            o = self.pt(*to_map(seoul.point[1], seoul.point[0])) if seoul else None
            if o is None or not (allowed.x0 <= o[0] <= allowed.x1 and allowed.y0 <= o[1] <= allowed.y1):
                o = ((allowed.x0 + allowed.x1) / 2, (allowed.y0 + allowed.y1) / 2)
            bearing = math.radians(float(item["bearing"]))
            dx, dy = math.sin(bearing), math.cos(bearing)
            ts = []
            if dx > 1e-9:
                ts.append((allowed.x1 - o[0]) / dx)
            if dx < -1e-9:
                ts.append((allowed.x0 - o[0]) / dx)
            if dy > 1e-9:
                ts.append((allowed.y1 - o[1]) / dy)
            if dy < -1e-9:
                ts.append((allowed.y0 - o[1]) / dy)
            t = min((t for t in ts if t >= 0), default=0.0)
            p = (o[0] + dx * t, o[1] + dy * t)

        def box_at(py: float) -> Box:
            if east:
                return Box(p[0] - arrow - bw, py - bh / 2, p[0], py + bh / 2)
            return Box(p[0], py - bh / 2, p[0] + arrow + bw, py + bh / 2)

        # along the edge to the nearest spot clear of markers and other callouts
        py = p[1]
        for k in (0, 1, -1, 2, -2, 3, -3, 4, -4):
            cand = p[1] - k * (bh + 4)
            if allowed.y0 <= cand <= allowed.y1 and self._free(box_at(cand)) == 0:
                py = cand
                break
        whole = box_at(py)
        self.taken.append(whole)
        ax_x = whole.x1 - arrow / 2 if east else whole.x0 + arrow / 2
        bearing = math.radians(float(item["bearing"]))
        half = arrow * 0.48
        self.ax.add_artist(
            FancyArrowPatch(
                (ax_x - math.sin(bearing) * half, py - math.cos(bearing) * half),
                (ax_x + math.sin(bearing) * half, py + math.cos(bearing) * half),
                transform=self.PT,
                arrowstyle=f"-|>,head_length={7 * px + 1:.2f},head_width={4 * px + 1:.2f}",
                mutation_scale=1,
                linewidth=2.6 * px,
                shrinkA=0,
                shrinkB=0,
                color="#000000",
                zorder=7,
                clip_on=False,
            )
        )
        tx0 = whole.x0 if east else whole.x0 + arrow
        face, color = (SELECTED["face"], SELECTED["text"]) if selected else ((1, 1, 1, 0.92), "#111111")
        self.ax.add_artist(
            FancyBboxPatch(
                (tx0, py - bh / 2),
                bw,
                bh,
                boxstyle="round,pad=0,rounding_size=2",
                transform=self.PT,
                facecolor=face,
                edgecolor=SELECTED["ring"] if selected else "#000000",
                linewidth=(3 if selected else 1) * px,
                linestyle="solid" if selected else (0, (3, 2)),
                zorder=7,
                clip_on=False,
            )
        )
        self.ax.text(
            tx0 + pad,
            py + bh / 2 - pad,
            item["label"],
            transform=self.PT,
            fontsize=size,
            fontweight="bold",
            color=color,
            ha="left",
            va="top",
            zorder=7.1,
            clip_on=False,
        )
        self.ax.text(
            tx0 + pad,
            py - bh / 2 + pad,
            item["detail"],
            transform=self.PT,
            fontsize=size - 1,
            color=color,
            ha="left",
            va="bottom",
            zorder=7.1,
            clip_on=False,
        )
        self.drawn.labels.append((item["label"], whole))


# --- legend, scale bar, north arrow -------------------------------------------------------------------------


def draw_legend(
    fig: Figure,
    painter: MapPainter,
    box_in: tuple[float, float, float, float],
    lang: str,
    columns: int = 1,
) -> float:
    """The legend of the visible groups (symbol, line style, label), top-down from the box's top; returns
    the height used in points."""
    PT = points_transform(fig)
    preset, measure, px = painter.preset, painter.measure, painter.px
    size = preset.legend_pt
    left, bottom, width, height = (v * 72 for v in box_in)
    top = bottom + height
    fig.text(left, top, WORDS["legend"][lang], transform=PT, fontsize=size + 1, fontweight="bold", va="top")
    y = top - (size + 1) * 1.6
    sym_w, gap = 26.0, 6.0
    col_w = width / columns
    groups = [g for g in painter.spec["groups"] if g["visible"]]
    rows: list[tuple[dict[str, Any], list[str]]] = [
        (g, measure.wrap(g["label"], col_w - sym_w - gap - 4, size)) for g in groups
    ]
    per_col = math.ceil(len(rows) / columns) if rows else 0
    line_h = size * 1.3
    lowest = y
    for i, (g, lines) in enumerate(rows):
        col, idx = divmod(i, per_col) if per_col else (0, 0)
        if idx == 0:
            cy = y
        x = left + col * col_w
        mid = cy - line_h / 2
        _legend_symbol(fig, PT, g, x, mid, sym_w, px)
        fig.text(x + sym_w + gap, cy, "\n".join(lines), transform=PT, fontsize=size, va="top", linespacing=1.15)
        cy -= line_h * len(lines) + size * 0.45
        lowest = min(lowest, cy)
    place = painter.model.story.places.get(painter.view.place or "")
    if place is not None and place.group in painter.visible:
        cy = lowest - size * 0.3
        fig.text(left, cy, WORDS["selected"][lang] + ":", transform=PT, fontsize=size, va="top")
        label_x = left + measure.width(WORDS["selected"][lang] + ":", size) + 8
        name = measure.wrap(place.name.get(lang), width - (label_x - left) - 8, size, "bold")
        fig.text(
            label_x + 2,
            cy,
            "\n".join(name),
            transform=PT,
            fontsize=size,
            fontweight="bold",
            color=SELECTED["text"],
            va="top",
            bbox={
                "boxstyle": "round,pad=0.22",
                "facecolor": SELECTED["face"],
                "edgecolor": SELECTED["ring"],
                "linewidth": 3 * px,
            },
        )
        lowest = cy - line_h * len(name) - size
    return top - lowest


def _legend_symbol(fig: Figure, PT: Transform, g: dict[str, Any], x: float, y: float, w: float, px: float) -> None:
    dash: Any = (0, tuple(float(v) * px for v in g["dash"].split())) if g.get("dash") else "solid"
    sym = g["symbol"]
    if sym == "point":
        fig.add_artist(
            Circle(
                (x + w / 2, y),
                5 * px + 1,
                transform=PT,
                facecolor=matplotlib.colors.to_rgba(g["color"], max(g["fillOpacity"], 0.2)),
                edgecolor="#000000",
                linewidth=1.5 * px,
            )
        )
    elif sym == "line":
        fig.add_artist(
            Line2D([x, x + w], [y, y], transform=PT, color=g["color"], linewidth=g["weight"] * px, linestyle=dash)
        )
    elif sym == "callout":
        fig.add_artist(
            FancyBboxPatch(
                (x + 9, y - 5),
                w - 9,
                10,
                boxstyle="round,pad=0,rounding_size=1.5",
                transform=PT,
                facecolor="#FFFFFF",
                edgecolor="#000000",
                linewidth=px,
                linestyle=(0, (3, 2)),
            )
        )
        fig.add_artist(
            FancyArrowPatch(
                (x + 4, y - 5),
                (x + 4, y + 6),
                transform=PT,
                arrowstyle="-|>,head_length=4,head_width=2.5",
                mutation_scale=1,
                linewidth=1.4 * px,
                color="#000000",
            )
        )
    else:  # band, area
        fig.add_artist(
            Rectangle(
                (x, y - 5),
                w,
                10,
                transform=PT,
                facecolor=matplotlib.colors.to_rgba(g["color"], max(g["fillOpacity"], 0.15)),
                edgecolor=g["color"],
                linewidth=g["weight"] * px,
                linestyle=dash,
            )
        )


def draw_scale_and_north(
    fig: Figure, painter: MapPainter, box_in: tuple[float, float, float, float], lang: str
) -> ScaleBar:
    """A scale bar in km true at the map's centre latitude, and a north arrow (north is up on Mercator)."""
    PT = points_transform(fig)
    size = painter.preset.legend_pt
    left, bottom, width, height = (v * 72 for v in box_in)
    arrow_w = 26.0
    bar_max = width - arrow_w - 24
    sb = scale_bar(painter.frame, painter.box.x1 - painter.box.x0, bar_max)
    # north arrow: a two-tone arrow head over an N
    nx, ny = left + arrow_w / 2, bottom + size * 1.4
    h = min(height - size * 2.2, 34.0)
    fig.add_artist(
        Polygon(
            [(nx, ny + h), (nx - 8, ny), (nx, ny + h * 0.28)],
            closed=True,
            transform=PT,
            facecolor="#000000",
            edgecolor="#000000",
            linewidth=0.8,
        )
    )
    fig.add_artist(
        Polygon(
            [(nx, ny + h), (nx + 8, ny), (nx, ny + h * 0.28)],
            closed=True,
            transform=PT,
            facecolor="#FFFFFF",
            edgecolor="#000000",
            linewidth=0.8,
        )
    )
    fig.text(nx, ny - 3, "N", transform=PT, fontsize=size + 1, fontweight="bold", ha="center", va="top")
    # scale bar: four alternating segments, labelled at 0, half and full length
    x0 = left + arrow_w + 16
    y0 = bottom + size * 2.0
    seg = sb.length_pt / 4
    for i in range(4):
        fig.add_artist(
            Rectangle(
                (x0 + i * seg, y0),
                seg,
                5,
                transform=PT,
                facecolor="#000000" if i % 2 == 0 else "#FFFFFF",
                edgecolor="#000000",
                linewidth=0.8,
            )
        )
    km = sb.km
    half = km / 2
    for frac, value in ((0, 0.0), (0.5, half), (1, km)):
        txt = f"{value:g}" + (" km" if frac == 1 else "")
        fig.text(x0 + frac * sb.length_pt, y0 + 8, txt, transform=PT, fontsize=size - 0.5, ha="center", va="bottom")
    fig.text(
        x0,
        y0 - 4,
        WORDS["scale_at"][lang].format(lat=f"{sb.lat:.1f}"),
        transform=PT,
        fontsize=size - 1.5,
        color="#444444",
        va="top",
    )
    return sb


# --- alternative text ---------------------------------------------------------------------------------------


def alt_text(model: MapModel, view: View, frame: Frame | None = None) -> str:
    """The figure in words, for readers who cannot see it: what is shown, which places, which distances.

    `frame` is the drawn map's extent (default: the A4 figure's), so only places really on the map are named."""
    lang = view.lang
    ko = lang == "ko"
    story = model.story
    spec = spec_for(model, view)
    visible = {g["id"] for g in spec["groups"] if g["visible"]}
    if frame is None:
        a4 = PRESETS["a4"]
        frame = frame_for(model, view, (a4.width_in - 2 * a4.margin_in - a4.side_in - 0.2) / (a4.height_in * 0.78))
    inside = frame.grown(-0.01)
    title = figure_title(model, view)
    parts = [f"지도: {title}." if ko else f"Map: {title}."]
    sub = figure_subtitle(model, view)
    if sub:
        parts.append(sub)
    layers = [g["label"] for g in spec["groups"] if g["visible"] and g["id"] != "offmap"]
    if layers:
        parts.append(("표시된 층: " if ko else "Layers shown: ") + "; ".join(layers) + ".")
    names: list[str] = []
    for item in spec["items"]:
        if item["type"] != "point" or item["group"] not in visible:
            continue
        x, y = to_map(item["lon"], item["lat"])
        if inside.x0 <= x <= inside.x1 and inside.y0 <= y <= inside.y1:
            hl = " (강조)" if ko else " (highlighted)"
            names.append(item["label"] + (hl if item.get("place") == view.place else ""))
    if names:
        parts.append(("장소: " if ko else "Places: ") + ", ".join(names) + ".")
    if "distance" in visible and model.bands:
        kms = ", ".join(f"{d}" for d in model.bands)
        parts.append(
            f"군사분계선 남쪽 {kms} km 거리선." if ko else f"Dashed lines {kms} km south of the MDL mark the distance."
        )
    if "claim" in visible:
        for check in model.checks(lang).values():
            claim = check.claim
            dists = ", ".join(f"{m.label} {m.km:.0f} km" for m in check.measurements)
            if ko:
                parts.append(f"측정 거리 ({check.subject_name}까지): {dists}; 기사: {claim.stated_km:g} km.")
            else:
                parts.append(
                    f"Measured distances to {check.subject_name}: {dists}; the article says {claim.stated_km:g} km."
                )
    off = []
    for item in spec["items"]:
        if item["type"] == "callout" and item["group"] in visible:
            off.append(f"{item['label']} ({item['detail']})")
    if off:
        parts.append(("지도 밖: " if ko else "Off the map, shown at its edge: ") + "; ".join(off) + ".")
    ids = view_sources(model, view)
    if ids:
        parts.append(f"{WORDS['source'][lang]}: {story.source_label(ids[0])}.")
    return " ".join(parts)
