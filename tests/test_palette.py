"""Colour-blind safety and contrast of the map's colours and texts, computed from the files that define them.

Colour-vision deficiency is simulated with the matrices of Machado, Oliveira & Fernandes (2009), "A
Physiologically-based Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6):1291-1298, severity 1.0
(dichromacy), as published in the paper's supplementary table; they apply to linear RGB. Every row sums to 1, so
white and greys stay as they are (checked below). Colour differences are CIEDE2000 (Sharma, Wu & Dalal 2005, whose
published test pairs the implementation must reproduce). Contrast is the WCAG 2.1 contrast ratio.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import tomllib
from pathlib import Path

import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry

from realignment import assets, settings
from realignment.assets import AssetUrls
from realignment.content import Story
from realignment.geodata import Geodata
from realignment.view import View
from realignment.webmap import MapModel

RGB = tuple[float, float, float]

REALIGN_CSS = settings.STATIC_DIR / "realign" / "realign.css"
REALIGN_JS = settings.STATIC_DIR / "realign" / "realign.js"
CONFIG = settings.ROOT / ".streamlit" / "config.toml"

# Machado et al. (2009), Table of simulation matrices, severity 1.0; linear RGB in, linear RGB out.
MACHADO_2009 = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
VISION = ("normal", *MACHADO_2009)

# Two layer colours count as different at a glance from CIEDE2000 10 on. Why 10: 1 is the just-noticeable
# difference for large patches side by side; map symbols are small (a 16 px circle, a 2 px line) and are compared
# across the map, not side by side, and the JND grows several times for marks that small (Szafir 2017, "Modeling
# Color Difference for Visualization Design", IEEE TVCG 24(1); Carter & Silverstein 2010). 10 is about four times
# the ~2.3 JND of CIE76 — a difference named, not just noticed.
MIN_DELTA_E = 10.0
NON_TEXT = 3.0  # WCAG 2.1 SC 1.4.11 non-text contrast
TEXT = 4.5  # WCAG 2.1 SC 1.4.3 contrast (minimum), AA, normal-size text

# What realign.js draws for each legend symbol, on the map and in the legend: the shape is a cue besides colour.
SHAPE = {"point": "circle", "line": "line", "band": "area", "area": "area", "callout": "arrow and dashed box"}

# Streamlit draws st.caption (and a button's shortcut hint) at its theme's "secondary" opacity, 0.6 (frontend
# theme); test_accessibility measures the result in the browser, this computes it from the configured colours.
CAPTION_OPACITY = 0.6


# --- colour science -------------------------------------------------------------------------------------------


def parse_color(value: str) -> tuple[RGB, float] | None:
    """A CSS colour as (sRGB 0..1, alpha); None for none/transparent/inherit and the like."""
    v = value.strip().lower()
    named = {"white": "#ffffff", "black": "#000000"}
    v = named.get(v, v)
    if m := re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", v):
        h = m.group(1)
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255), 1.0
    if m := re.fullmatch(r"rgba?\(([^)]*)\)", v):
        parts = [float(p) for p in re.split(r"[,\s/]+", m.group(1).strip()) if p]
        alpha = parts[3] if len(parts) > 3 else 1.0
        return (parts[0] / 255, parts[1] / 255, parts[2] / 255), alpha
    return None


def rgb(hex_color: str) -> RGB:
    parsed = parse_color(hex_color)
    assert parsed is not None and parsed[1] == 1.0, hex_color
    return parsed[0]


def over(fg: RGB, alpha: float, bg: RGB) -> RGB:
    r0, g0, b0 = fg
    r1, g1, b1 = bg
    return (alpha * r0 + (1 - alpha) * r1, alpha * g0 + (1 - alpha) * g1, alpha * b0 + (1 - alpha) * b1)


def linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def gamma(c: float) -> float:
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def luminance(c: RGB) -> float:
    r, g, b = (linear(x) for x in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def simulate(c: RGB, vision: str) -> RGB:
    if vision == "normal":
        return c
    m = MACHADO_2009[vision]
    lin = [linear(x) for x in c]
    out = [min(1.0, max(0.0, sum(m[i][j] * lin[j] for j in range(3)))) for i in range(3)]
    return gamma(out[0]), gamma(out[1]), gamma(out[2])


def lab(c: RGB) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour."""
    r, g, b = (linear(x) for x in c)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1), after Sharma, Wu & Dalal (2005)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    dhp = 0.0
    if c1p * c2p:
        dhp = h2p - h1p
        if dhp > 180:
            dhp -= 360
        elif dhp < -180:
            dhp += 360
    d_hp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lbp, cbp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbp = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hbp = (h1p + h2p + 360) / 2
    else:
        hbp = (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hbp - 30))
        + 0.24 * math.cos(math.radians(2 * hbp))
        + 0.32 * math.cos(math.radians(3 * hbp + 6))
        - 0.20 * math.cos(math.radians(4 * hbp - 63))
    )
    d_theta = 30 * math.exp(-(((hbp - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cbp**7 / (cbp**7 + 25**7))
    sl = 1 + 0.015 * (lbp - 50) ** 2 / math.sqrt(20 + (lbp - 50) ** 2)
    sc = 1 + 0.045 * cbp
    sh = 1 + 0.015 * cbp * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt((dlp / sl) ** 2 + (dcp / sc) ** 2 + (d_hp / sh) ** 2 + rt * (dcp / sc) * (d_hp / sh))


def delta_e(a: str, b: str, vision: str) -> float:
    return ciede2000(lab(simulate(rgb(a), vision)), lab(simulate(rgb(b), vision)))


# --- the colour science is right -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # test pairs 1, 2, 7, 19 and 34 of Sharma, Wu & Dalal (2005), Table 1
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
    ],
)
def test_ciede2000_reproduces_the_published_pairs(lab1, lab2, expected) -> None:
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_the_simulation_keeps_greys_and_merges_what_dichromats_confuse() -> None:
    for vision, m in MACHADO_2009.items():
        for row in m:
            assert sum(row) == pytest.approx(1.0, abs=1e-5), vision
        for grey in ("#000000", "#6B6B6B", "#FFFFFF"):
            assert delta_e(grey, grey, "normal") == 0
            assert ciede2000(lab(simulate(rgb(grey), vision)), lab(rgb(grey))) < 0.5, (vision, grey)
    # a red and a green that differ hugely for normal vision come close for the red-green dichromats,
    # and a blue/green pair for the tritan one: the simulation does what it is for
    red, green, blue = "#D62728", "#2CA02C", "#1F77B4"  # a common chart red, green and blue
    assert delta_e(red, green, "normal") > 60 and delta_e(green, blue, "normal") > 40
    assert delta_e(red, green, "deuteranopia") < 10
    assert delta_e(red, green, "protanopia") < delta_e(red, green, "normal") / 2
    assert delta_e(green, blue, "tritanopia") < delta_e(green, blue, "normal") / 3
    assert delta_e(red, green, "tritanopia") > 60  # and keeps apart what a tritanope does tell apart


# --- layer groups: colour is never the only cue ----------------------------------------------------------------


def dash_cue(dash: str | None) -> tuple[str, float]:
    """A dash pattern as (kind, longest dash): solid, dashed or dash-dot."""
    if not dash:
        return "solid", 0.0
    nums = [float(x) for x in dash.replace(",", " ").split()]
    dashes = nums[0::2]
    return ("dash-dot" if len(set(dashes)) > 1 else "dashed"), max(dashes)


def style_differs(a: settings.LayerGroup, b: settings.LayerGroup) -> bool:
    """Told apart without colour: another shape, or a clearly other line style (solid/dashed/dash-dot, or dashes
    at least three times longer: 8-px dashes against 2-px dots, not 2 against 1)."""
    if SHAPE[a.legend_symbol] != SHAPE[b.legend_symbol]:
        return True
    (ka, la), (kb, lb) = dash_cue(a.dash), dash_cue(b.dash)
    if ka != kb:
        return True
    return ka != "solid" and max(la, lb) >= 3 * min(la, lb)


def test_every_legend_symbol_has_a_shape() -> None:
    assert {g.legend_symbol for g in settings.LAYER_GROUPS} <= SHAPE.keys()
    assert len(settings.LAYER_GROUPS) >= 2


@pytest.mark.parametrize("vision", VISION)
def test_every_two_layer_groups_differ_in_colour_or_in_style(vision: str) -> None:
    """All groups are on in the default view, and the layer control shows any mix: every pair can meet."""
    assert set(View().visible_layers()) == set(settings.LAYER_GROUP_IDS)
    rows = []
    for a, b in itertools.combinations(settings.LAYER_GROUPS, 2):
        rows.append((delta_e(a.color, b.color, vision), style_differs(a, b), a.id, b.id))
    rows.sort()
    by_colour = [r for r in rows if r[0] > 0]
    print(
        f"\n{vision}: min CIEDE2000 over all pairs of different colours {by_colour[0][0]:.1f} "
        f"({by_colour[0][2]}/{by_colour[0][3]}); pairs told apart by style only: "
        + ", ".join(f"{a}/{b} ({d:.1f})" for d, s, a, b in rows if d < MIN_DELTA_E and s)
    )
    same_style = [r for r in rows if not r[1]]
    if same_style:
        print(
            f"  same shape and line style, min CIEDE2000 {same_style[0][0]:.1f} ({same_style[0][2]}/{same_style[0][3]})"
        )
    bad = [
        f"{a}/{b}: CIEDE2000 {d:.1f} and the same shape and line style"
        for d, s, a, b in rows
        if d < MIN_DELTA_E and not s
    ]
    assert not bad, f"{vision}: colour is the only cue and it is too weak: " + "; ".join(bad)


# --- layer groups: contrast with what they are drawn on ---------------------------------------------------------


def js_point_outline() -> str:
    """The outline colour realign.js gives every place's circle marker (its fill is the group colour)."""
    m = re.search(
        r"L\.circleMarker\(\[item\.lat, item\.lon\], \{[^}]*?\bcolor: \"(#[0-9A-Fa-f]{3,6})\"", REALIGN_JS.read_text()
    )
    assert m, "realign.js: the place markers' outline colour was not found"
    return m.group(1)


def js_legend_point_outline() -> str:
    m = re.search(r'"circle"\);.*?shape\.setAttribute\("stroke", "(#[0-9A-Fa-f]{3,6})"\)', REALIGN_JS.read_text(), re.S)
    assert m, "realign.js: the legend circle's outline colour was not found"
    return m.group(1)


def item_geometry(item: dict, geo: Geodata) -> BaseGeometry | None:
    if item["type"] == "geojson":
        return geo.geometry(item["url"])
    if item["type"] in ("point", "text", "callout"):
        return Point(item["lon"], item["lat"])
    if item["type"] == "line":
        coords = item["coords"]
        if coords and isinstance(coords[0][0], list):
            return MultiLineString([[(lon, lat) for lat, lon in part] for part in coords])
        return LineString([(lon, lat) for lat, lon in coords])
    return None


# A line or an outline is followed by eye along its length: a background counts when the edge runs over it for at
# least this share of its length (a claim line's last 2 km across the DMZ band does not; a coast does).
MIN_SHARE = 0.10


def grounds_of(edge: BaseGeometry, lands: dict[str, BaseGeometry], fills: list[tuple[dict, BaseGeometry]]) -> dict:
    """{name: (colour, share of the edge)} for every land or sea, with the fills actually stacked over it there."""
    all_land = shapely.union_all(list(lands.values()))
    total = edge.length
    pieces = [(k, rgb(settings.LAND_COLORS[k]), edge.intersection(p)) for k, p in lands.items()]
    pieces.append(("sea", rgb(settings.SEA_COLOR), edge.difference(all_land)))
    out = {}
    for name, colour, piece in pieces:
        if piece.is_empty:
            continue
        near = [(it, g) for it, g in fills if g.intersects(piece)]
        for n in range(len(near) + 1):
            for stack in itertools.combinations(near, n):
                region = piece
                for _, g in stack:
                    region = region.intersection(g)
                for it, g in near:
                    if all(it is not s for s, _ in stack):
                        region = region.difference(g)
                if region.is_empty:
                    continue
                ground = colour
                for it, _ in stack:
                    ground = over(rgb(it["style"]["color"]), it["style"]["fillOpacity"], ground)
                share = region.length / total if total else 1.0
                out["+".join([name, *(it["group"] for it, _ in stack)])] = (ground, share)
    return out


@pytest.fixture(scope="module")
def drawn(story: Story, geo: Geodata) -> list[dict]:
    """Every map item of the default view, with what lies under its edge: land or sea, and the fills over them."""
    urls = AssetUrls(js=(), css=(), geodata={k: k for k in geo.layers})  # a layer's URL is its id here
    spec = MapModel(story, geo).spec(View(), urls)
    lands: dict[str, BaseGeometry] = {}
    for country, rows in geo.layers["land"].groupby("country"):
        key = country if country in settings.LAND_COLORS else "other"
        lands[key] = shapely.union_all([lands.get(key, shapely.Polygon()), *rows.geometry.values])
    geoms = [(it, item_geometry(it, geo)) for it in spec["items"]]
    out = []
    for it, geom in geoms:
        assert geom is not None and not geom.is_empty, it
        edge = geom.boundary if geom.geom_type in ("Polygon", "MultiPolygon") else geom
        fills = [(o, g) for o, g in geoms if o is not it and o["type"] == "geojson" and o["style"]["fillOpacity"] > 0]
        out.append({"item": it, "grounds": grounds_of(edge, lands, fills)})
    return out


def test_the_default_view_draws_every_group_and_on_the_basemap(drawn: list[dict]) -> None:
    assert {d["item"]["group"] for d in drawn} == set(settings.LAYER_GROUP_IDS)
    assert all(d["grounds"] for d in drawn if d["item"]["type"] != "callout")  # callouts may sit off the land


def test_every_layer_edge_contrasts_with_the_land_it_is_drawn_on(drawn: list[dict]) -> None:
    """Lines and area outlines are drawn in the group colour; place markers are circles with a dark outline
    (their fill is the group colour, so orange camps need no 3:1 fill); band labels are text (checked below)."""
    point_outline = js_point_outline()
    legend_bg = css_background(".realign-legend")
    rows: dict[str, dict[str, tuple[float, float]]] = {}
    for d in drawn:
        it = d["item"]
        if it["type"] == "text":
            continue
        if it["type"] == "point":
            edge = point_outline
        elif it["type"] == "callout":  # an arrow glyph beside a boxed text (the text is checked below)
            edge = css_rules(REALIGN_CSS)[".realign-callout-arrow"]["color"]
        else:
            edge = it["style"]["color"]
        found = rows.setdefault(f"{it['group']} {it['type']} ({edge})", {})
        for where, (ground, share) in d["grounds"].items():
            if where not in found or share > found[where][1]:  # the item of the group that runs longest there
                found[where] = (contrast(rgb(edge), ground), share)
    legend_point = js_legend_point_outline()
    for g in settings.LAYER_GROUPS:
        edge = legend_point if g.legend_symbol == "point" else g.color
        rows.setdefault(f"{g.id} legend ({edge})", {})["legend"] = (contrast(rgb(edge), legend_bg), 1.0)
    print()
    for key, found in sorted(rows.items()):
        print(f"  {key}: " + ", ".join(f"{w} {c:.2f} ({s:.0%})" for w, (c, s) in sorted(found.items())))
    bad = [
        f"{k} on {w} ({s:.0%} of its length): {c:.2f}"
        for k, found in rows.items()
        for w, (c, s) in found.items()
        if c < NON_TEXT and s >= MIN_SHARE
    ]
    assert not bad, f"below {NON_TEXT}:1 against what it is drawn on: " + "; ".join(sorted(bad))


# --- text: the map's stylesheet and the app theme -----------------------------------------------------------------


def css_rules(path: Path) -> dict[str, dict[str, str]]:
    """selector -> {property: value} for a plain stylesheet (the last declaration of a property wins)."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        decls = {}
        for decl in body.split(";"):
            if ":" in decl:
                prop, value = decl.split(":", 1)
                decls[prop.strip().lower()] = value.replace("!important", "").strip()
        for sel in selectors.split(","):
            rules.setdefault(" ".join(sel.split()), {}).update(decls)
    return rules


def background_of(decls: dict[str, str]) -> tuple[RGB, float] | None:
    """The colour of a rule's background (its first word when it is a shorthand); None when it has none."""
    for prop in ("background-color", "background"):
        value = decls.get(prop, "")
        parsed = parse_color(value) or (parse_color(value.split()[0]) if value else None)
        if parsed is not None:
            return parsed
    return None


def css_background(selector: str) -> RGB:
    bg = background_of(css_rules(REALIGN_CSS)[selector])
    assert bg is not None and bg[1] == 1.0, selector
    return bg[0]


def leaflet_css() -> Path:
    return Path(str(assets._leaflet_source())) / "leaflet.css"


def map_underlays() -> dict[str, RGB]:
    """What a map text with a see-through background may lie on: the basemap, and the area fills over it."""
    grounds = {f"land {k}": rgb(v) for k, v in settings.LAND_COLORS.items()} | {"sea": rgb(settings.SEA_COLOR)}
    out = dict(grounds)
    for g in settings.LAYER_GROUPS:
        if g.legend_symbol in ("area", "band") and g.fill_opacity > 0:
            for name, ground in grounds.items():
                out[f"{name} + {g.id} fill"] = over(rgb(g.color), g.fill_opacity, ground)
    return out


# Every text style of the map: (stylesheet, selector of the text colour, selector whose background it sits on;
# None: its own background, "map": straight on the map).
MAP_TEXTS = [
    ("realign", ".realign-label", None),
    ("realign", ".realign-label-selected", None),
    ("realign", ".realign-line-label", None),
    ("realign", ".realign-callout-arrow", "map"),
    ("realign", ".realign-callout-text", None),
    ("realign", ".realign-callout-selected .realign-callout-text", None),
    ("realign", ".realign-legend", None),
    ("realign", ".realign-legend-title", ".realign-legend"),
    ("realign", ".realign-band-label", None),
    ("realign", ".realign-problem", None),
    # the two tooltips (.realign-tip, .realign-measure-label) and the controls keep Leaflet's colours
    ("leaflet", ".leaflet-tooltip", None),
    ("leaflet", ".leaflet-bar a", None),
    ("leaflet", ".leaflet-control-layers-expanded", None),
    ("leaflet", ".leaflet-control-attribution", ".leaflet-container .leaflet-control-attribution"),
    ("leaflet", ".leaflet-control-scale-line", None),
]


def test_every_map_text_reads_at_4_5_to_1() -> None:
    sheets = {"realign": css_rules(REALIGN_CSS), "leaflet": css_rules(leaflet_css())}
    # a new text colour in realign.css cannot escape this test
    covered = {sel for sheet, sel, _ in MAP_TEXTS if sheet == "realign"}
    styled = {sel for sel, d in sheets["realign"].items() if "color" in d}
    assert styled <= covered, f"realign.css sets a text colour this test does not check: {sorted(styled - covered)}"
    underlays = map_underlays()
    results = []
    for sheet, sel, bg_sel in MAP_TEXTS:
        decls = sheets[sheet][sel]
        fg = parse_color(decls["color"])
        assert fg is not None and fg[1] == 1.0, (sel, decls["color"])
        if bg_sel == "map":
            grounds = underlays
        else:
            bg = background_of(sheets[sheet][bg_sel or sel])
            assert bg is not None, f"{sel}: no background found"
            colour, alpha = bg
            grounds = {"own": colour} if alpha == 1.0 else {k: over(colour, alpha, u) for k, u in underlays.items()}
        worst = min((contrast(fg[0], g), k) for k, g in grounds.items())
        results.append((worst[0], sel, worst[1]))
    print("\n" + "\n".join(f"  {sel}: {c:.2f} (worst on {k})" for c, sel, k in sorted(results)))
    bad = [f"{sel}: {c:.2f} on {k}" for c, sel, k in results if c < TEXT]
    assert not bad, "map text below 4.5:1: " + "; ".join(bad)


def streamlit_default(option: str) -> str:
    """Streamlit's light-theme default of a theme option, as its own option description states it."""
    from streamlit import config

    description = config._config_options_template[option].description or ""
    m = re.search(r"(#[0-9a-fA-F]{6}) for the light theme", description)
    assert m, f"no light default stated for {option}"
    return m.group(1)


def theme_colors() -> dict[str, str]:
    theme = tomllib.loads(CONFIG.read_text(encoding="utf-8")).get("theme", {})
    assert theme.get("base", "light") == "light", "these checks are for the light theme"
    out = {}
    for key in ("textColor", "backgroundColor", "secondaryBackgroundColor", "primaryColor", "blueTextColor"):
        out[key] = theme.get(key) or streamlit_default(f"theme.{key}")
    out["linkColor"] = theme.get("linkColor") or out["blueTextColor"]
    return out


def test_the_app_theme_text_reads_at_4_5_to_1() -> None:
    c = theme_colors()
    text, bg, bg2 = rgb(c["textColor"]), rgb(c["backgroundColor"]), rgb(c["secondaryBackgroundColor"])
    caption = over(text, CAPTION_OPACITY, bg)
    checks = {
        "body text on the background": contrast(text, bg),
        "body text on widgets (secondary background)": contrast(text, bg2),
        "captions (text at 60 %) on the background": contrast(caption, bg),
        "captions in a widget-coloured box": contrast(over(text, CAPTION_OPACITY, bg2), bg2),
        "links on the background": contrast(rgb(c["linkColor"]), bg),
        "white label on a primary button": contrast((1.0, 1.0, 1.0), rgb(c["primaryColor"])),
    }
    non_text = {"primary colour (focus ring, selected control) on the background": contrast(rgb(c["primaryColor"]), bg)}
    print("\n" + json.dumps({k: round(v, 2) for k, v in (checks | non_text).items()}, indent=1))
    bad = [f"{k}: {v:.2f}" for k, v in checks.items() if v < TEXT]
    bad += [f"{k}: {v:.2f}" for k, v in non_text.items() if v < NON_TEXT]
    assert not bad, f".streamlit/config.toml {c}: " + "; ".join(bad)
