"""The plain baseline for the benchmark: the same map drawn the way a newcomer would, to compare the product with.

    .venv/bin/python bench/baseline_data.py --serve      # builds the layers once, serves on 127.0.0.1:8502

What it does the plain way: folium's defaults (OpenStreetMap tiles, circle markers, a layer control), the layers
unsimplified as the sources have them (bench/baseline_data.py), read with geopandas and embedded in the map's HTML,
the map rebuilt on every script run, and `st_folium` with its default returned objects (so panning and zooming rerun
the script too). A side panel shows the clicked place's name, read from the clicked object's tooltip.

One change from folium's defaults, because the benchmark machine has no internet: Leaflet's JS and CSS come from the
app's static files (the same Leaflet 1.9.4 files the product serves), and folium's other default assets (jQuery,
Bootstrap, Font Awesome, awesome-markers, all from CDNs) are left out. Offline those CDN requests fail (after a few
seconds here), and streamlit-folium loads the map's scripts one after the other and stops at the first one that
fails, so with the defaults no map is ever drawn. Nothing drawn here uses them. The OpenStreetMap tiles stay: they
only fail (the benchmark's browser resolves no host but the loopback one), without blocking the map.
"""

import os
import sys
import time
from pathlib import Path

import folium
import geopandas as gpd
import streamlit as st
import yaml
from streamlit_folium import st_folium

_started = time.perf_counter()
_cpu_started = time.thread_time()

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ROOT / "build" / "baseline" / "geodata"
LEAFLET = {"leaflet": "/app/static/vendor/leaflet/leaflet.js", "leaflet_css": "/app/static/vendor/leaflet/leaflet.css"}
# the layers the product draws from geodata/, with a colour each
STYLES = {
    "land": "#888888",
    "dmz": "#D55E00",
    "mdl": "#000000",
    "seoul": "#0072B2",
    "yongsan": "#CC79A7",
    "pyeongtaek": "#009E73",
}

st.set_page_config(page_title="US forces in Korea, June 2004 (baseline)", layout="wide")
st.title("Realigning US forces in Korea, June 2004")


@st.cache_data
def load_places() -> list[dict]:
    return yaml.safe_load((ROOT / "content" / "places.yaml").read_text(encoding="utf-8"))["places"]


@st.cache_data
def load_layer(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(LAYERS / f"{name}.geojson")


places = load_places()
by_layer = {p["layer"]: p["name"]["en"] for p in places if p.get("layer")}

m = folium.Map(location=[37.75, 127.0], zoom_start=8)
m.default_js = [(n, url) for n, url in LEAFLET.items() if n == "leaflet"]
m.default_css = [(n, url) for n, url in LEAFLET.items() if n == "leaflet_css"]
for layer, color in STYLES.items():
    name = by_layer.get(layer)
    folium.GeoJson(
        load_layer(layer),
        name=name or layer,
        tooltip=name,
        style_function=lambda _f, c=color: {"color": c, "weight": 2, "fillOpacity": 0.2},
    ).add_to(m)
for p in places:
    if not p.get("offmap"):
        folium.CircleMarker(p["point"], radius=8, tooltip=p["name"]["en"], fill=True).add_to(m)
folium.LayerControl().add_to(m)

map_col, panel_col = st.columns([3, 2])
with map_col:
    out = st_folium(m, height=640, use_container_width=True)
clicked = " ".join(str((out or {}).get("last_object_clicked_tooltip") or "").split())
with panel_col, st.container(key="panel"):
    if clicked:
        st.subheader(clicked)
        role = next((p.get("role", {}).get("en", "") for p in places if p["name"]["en"] == clicked), "")
        st.write(role)
    else:
        st.subheader("Overview")
        st.write("Click a place on the map.")

if os.environ.get("REALIGN_TIMING"):
    # the same line as app.py prints, read by bench/run.py
    wall, cpu = 1000 * (time.perf_counter() - _started), 1000 * (time.thread_time() - _cpu_started)
    print(f"REALIGN_SCRIPT_MS {wall:.1f} CPU {cpu:.1f}", file=sys.stderr, flush=True)
