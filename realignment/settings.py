"""One place for paths, defaults, labels and styles, shared by the app, the CLI and the tests."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Overridable so that a test (or an editor previewing drafts) can point the app at other files.
CONTENT_DIR = Path(os.environ.get("REALIGN_CONTENT_DIR", ROOT / "content"))
GEODATA_DIR = Path(os.environ.get("REALIGN_GEODATA_DIR", ROOT / "geodata"))
STATIC_DIR = ROOT / "static"

# URL prefix under which Streamlit serves STATIC_DIR (server.enableStaticServing).
STATIC_URL = "/app/static"

# The region the story happens in: coordinates of on-map places must fall inside.
REGION_BOUNDS = {"lat_min": 33.0, "lat_max": 43.5, "lon_min": 123.5, "lon_max": 132.0}

# Default map view: the peninsula from Pyongyang to Pyeongtaek.
DEFAULT_CENTER = (37.75, 127.0)
DEFAULT_ZOOM = 8

# Metric CRS for buffers and areas (Korea 2000 / Unified CS).
METRIC_CRS = "EPSG:5179"
DMZ_HALF_WIDTH_M = 2000.0
# Bands south of the MDL that make "how far from the border" visible.
DISTANCE_BANDS_KM = (25, 50, 100)

LANGUAGES = ("en", "ko")
DEFAULT_LANGUAGE = "en"

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#6B6B6B",
}

# Darker tones of two Okabe-Ito hues, so the outlines reach 3:1 contrast where they are drawn
# (Yongsan over Seoul's fill, Pyeongtaek's coast over the sea); checked by tests/test_palette.py.
DARKER = {"purple": "#B4668A", "green": "#00966C"}


@dataclass(frozen=True)
class LayerGroup:
    """A map overlay: its label, its style and how the legend shows it (never colour alone)."""

    id: str
    label: dict[str, str]
    color: str
    dash: str | None  # SVG dash array: line style is a second cue besides colour
    fill_opacity: float
    weight: float
    legend_symbol: str  # "band", "line", "area", "point", "callout"


LAYER_GROUPS: tuple[LayerGroup, ...] = (
    LayerGroup(
        "dmz",
        {"en": "DMZ (MDL ± 2 km)", "ko": "비무장지대 (군사분계선 ± 2 km)"},
        OKABE_ITO["vermillion"],
        "2 4",
        0.35,
        1.5,
        "band",
    ),
    LayerGroup(
        "mdl", {"en": "Military Demarcation Line", "ko": "군사분계선"}, OKABE_ITO["black"], None, 0.0, 2.5, "line"
    ),
    LayerGroup(
        "distance",
        {"en": "Distance south of the MDL", "ko": "군사분계선으로부터 거리"},
        OKABE_ITO["grey"],
        "6 6",
        0.0,
        1.2,
        "line",
    ),
    LayerGroup("seoul", {"en": "Seoul", "ko": "서울"}, OKABE_ITO["blue"], None, 0.12, 2.0, "area"),
    LayerGroup(
        "yongsan",
        {"en": "Yongsan (US HQ in 2004)", "ko": "용산 (2004년 주한미군 사령부)"},
        DARKER["purple"],
        "1 3",
        0.3,
        2.0,
        "area",
    ),
    LayerGroup(
        "camps",
        {"en": "Front-line camps (2nd Infantry Division)", "ko": "전방 기지 (미 2사단)"},
        OKABE_ITO["orange"],
        None,
        0.9,
        2.0,
        "point",
    ),
    LayerGroup(
        "relocation",
        {"en": "Relocation area (Pyeongtaek)", "ko": "이전 지역 (평택)"},
        DARKER["green"],
        "8 4",
        0.2,
        2.5,
        "area",
    ),
    LayerGroup("north-korea", {"en": "North Korea", "ko": "북한"}, OKABE_ITO["grey"], None, 0.9, 1.5, "point"),
    LayerGroup(
        "claim",
        {"en": "Claim check: measured distances", "ko": "주장 검증: 측정 거리"},
        OKABE_ITO["blue"],
        "10 5 2 5",
        0.0,
        2.0,
        "line",
    ),
    LayerGroup(
        "offmap", {"en": "Actors off the map", "ko": "지도 밖 행위자"}, OKABE_ITO["black"], None, 0.0, 1.0, "callout"
    ),
)
LAYER_GROUP_IDS = tuple(g.id for g in LAYER_GROUPS)
GROUPS = {g.id: g for g in LAYER_GROUPS}

# Basemap colours (offline vector basemap drawn from geodata/land.geojson).
SEA_COLOR = "#DDEBF3"
LAND_COLORS = {"KR": "#FBFAF5", "KP": "#ECE8DF", "other": "#F1EFEA"}

# Online tile layers offered for users with a connection: never loaded unless chosen.
ONLINE_TILES = (
    {
        "id": "osm",
        "label": {"en": "OpenStreetMap (online)", "ko": "오픈스트리트맵 (온라인)"},
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors",
        "max_zoom": 19,
    },
    {
        "id": "light",
        "label": {"en": "Light (online, CARTO)", "ko": "밝은 지도 (온라인, CARTO)"},
        "url": "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors © CARTO",
        "max_zoom": 19,
    },
    {
        "id": "satellite",
        "label": {"en": "Satellite (online, Esri)", "ko": "위성 (온라인, Esri)"},
        "url": "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "attribution": "Imagery © Esri, Maxar, Earthstar Geographics",
        "max_zoom": 18,
    },
)

UI_TEXT: dict[str, dict[str, str]] = {
    "offline_basemap": {"en": "Offline basemap (bundled)", "ko": "오프라인 배경지도 (내장)"},
    "legend": {"en": "Legend", "ko": "범례"},
    "fullscreen": {"en": "Full screen", "ko": "전체 화면"},
    "measure": {
        "en": "Measure distance (click points, double-click to finish)",
        "ko": "거리 측정 (지점 클릭, 더블클릭으로 종료)",
    },
}
