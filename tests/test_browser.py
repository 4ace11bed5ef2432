"""The product as a user meets it: the real server, the real page, real clicks on the real map."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect
from shapely.geometry import Point

from realignment import settings
from realignment.content import Story
from realignment.geodata import Geodata
from realignment.geodesy import distance_km

from .browser import (
    MAP_IFRAME,
    Recorder,
    Server,
    click_map_at,
    in_map,
    open_page,
    selected_on_map,
    streamlit_server,
    wait_map_ready,
)


def panel_heading(page: Page):
    return page.locator(".st-key-panel h3").first


def _map_colours(path: Path, box: dict) -> int:
    img = Image.open(path).convert("RGB")
    crop = img.crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]), int(box["y"] + box["height"])))
    arr = np.asarray(crop.resize((200, 150))).reshape(-1, 3)
    return len({tuple(c // 16) for c in arr})


def test_map_paints_with_layers_offline(page: Page, server: Server, artifacts: Path) -> None:
    page.goto(server.url + "/")
    wait_map_ready(page)
    n_paths = in_map(page, "document.querySelectorAll('path.leaflet-interactive').length")
    assert n_paths >= 15  # DMZ, MDL, Seoul, Yongsan, Pyeongtaek, bands, claim lines, markers
    labels = in_map(page, "Array.from(document.querySelectorAll('.realign-label')).map(e => e.textContent)")
    for name in ("Seoul", "Camp Humphreys", "Camp Casey", "Camp Red Cloud", "Panmunjom", "Demilitarized Zone (DMZ)"):
        assert name in labels
    legend = in_map(page, "document.querySelector('.realign-legend').textContent")
    assert "DMZ (MDL ± 2 km)" in legend and "Relocation area (Pyeongtaek)" in legend
    attribution = in_map(page, "document.querySelector('.leaflet-control-attribution').textContent")
    assert "© OpenStreetMap contributors" in attribution and "VOA, 8 June 2004" in attribution
    assert in_map(page, "!!document.querySelector('.leaflet-control-scale')")
    shot = artifacts / "map-default.png"
    page.screenshot(path=shot)
    box = page.locator(MAP_IFRAME).bounding_box()
    assert _map_colours(shot, box) > 25, "the map area looks blank"


def test_click_relocation_area_opens_its_panel_without_reloading_the_map(
    page: Page, server: Server, story: Story, geo: Geodata, artifacts: Path
) -> None:
    page.goto(server.url + "/")
    wait_map_ready(page)
    in_map(page, "window.__notReloaded = true")
    # a point inside Pyeongtaek away from the markers and their labels
    area = geo.geometry("pyeongtaek")
    markers = [Point(p.point[1], p.point[0]) for p in story.on_map_places()]
    candidates = [Point(x, y) for x in np.arange(126.95, 127.12, 0.01) for y in np.arange(36.93, 37.12, 0.01)]
    spot = max(
        (c for c in candidates if area.buffer(-0.01).contains(c)), key=lambda c: min(c.distance(m) for m in markers)
    )
    in_map(page, f"realign.state.map.setView([{spot.y}, {spot.x}], 10, {{animate: false}})")
    page.wait_for_timeout(300)
    click_map_at(page, spot.y, spot.x)
    expect(panel_heading(page)).to_have_text("Pyeongtaek (relocation area)", timeout=10_000)
    panel = page.locator(".st-key-panel")
    expect(panel).to_contain_text("about 24,700")
    expect(panel).to_contain_text("the plans are not final")
    expect(panel).to_contain_text("Paraphrase")
    page.wait_for_url(re.compile(r"[?&]place=pyeongtaek\b"))
    assert in_map(page, "window.__notReloaded === true"), "selecting a place reloaded the map"
    page.wait_for_timeout(300)
    assert selected_on_map(page) == "pyeongtaek"
    page.screenshot(path=artifacts / "map-pyeongtaek-clicked.png")


def test_click_on_camp_humphreys_marker(page: Page, server: Server, story: Story) -> None:
    page.goto(server.url + "/")
    wait_map_ready(page)
    lat, lon = story.places["camp-humphreys"].point
    in_map(page, f"realign.state.map.setView([{lat}, {lon}], 10, {{animate: false}})")
    page.wait_for_timeout(300)
    click_map_at(page, lat, lon)
    expect(panel_heading(page)).to_have_text("Camp Humphreys", timeout=10_000)
    expect(page.locator(".st-key-panel")).to_contain_text("From another source")


def test_place_link_restores_the_selection(page: Page, server: Server, artifacts: Path) -> None:
    page.goto(server.url + "/?place=camp-humphreys")
    wait_map_ready(page)
    expect(panel_heading(page)).to_have_text("Camp Humphreys", timeout=10_000)
    page.wait_for_function(
        f"() => document.querySelector('{MAP_IFRAME}').contentDocument"
        ".querySelector('.leaflet-container').getAttribute('data-selected') === 'camp-humphreys'"
    )
    # the claim check is open for its subject, with distances computed from the data
    expect(page.get_by_text("Claim check", exact=False).first).to_be_visible()
    page.wait_for_timeout(1000)  # the fly-to animation
    page.screenshot(path=artifacts / "map-link-camp-humphreys.png", full_page=True)


def test_show_on_map_from_a_quote_selects_its_place(page: Page, server: Server, story: Story) -> None:
    page.goto(server.url + "/?place=seoul")
    wait_map_ready(page)
    expect(panel_heading(page)).to_have_text("Seoul", timeout=10_000)
    quote = story.quotes["kim-schedule"]
    first = story.places[quote.places[0]]
    card = page.locator(f".st-key-card-q-{quote.id}")
    expect(card).to_contain_text(quote.segments[1])
    card.get_by_role("button", name=f"Show on map: {first.name.en}").click()
    expect(panel_heading(page)).to_have_text(first.name.en, timeout=10_000)
    page.wait_for_function(
        f"() => document.querySelector('{MAP_IFRAME}').contentDocument"
        f".querySelector('.leaflet-container').getAttribute('data-selected') === '{first.id}'"
    )
    page.wait_for_url(re.compile(rf"[?&]place={first.id}\b"))


def test_keyboard_list_selects_a_place(page: Page, server: Server) -> None:
    page.goto(server.url + "/")
    wait_map_ready(page)
    page.locator(".st-key-place-list").get_by_role("button", name="Osan Air Base").focus()
    page.keyboard.press("Enter")
    expect(panel_heading(page)).to_have_text("Osan Air Base", timeout=10_000)
    page.wait_for_url(re.compile(r"[?&]place=osan\b"))


def test_unknown_or_hostile_link_falls_back_with_a_notice(page: Page, server: Server, rec: Recorder) -> None:
    page.goto(server.url + "/?place=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&zoom=" + "9" * 3000)
    wait_map_ready(page)
    expect(page.get_by_text("No place", exact=False)).to_be_visible()
    expect(panel_heading(page)).to_have_text("Overview")
    assert rec.dialogs == []


@pytest.fixture(scope="module")
def broken_server(tmp_path_factory) -> Iterator[Server]:
    content = tmp_path_factory.mktemp("broken") / "content"
    shutil.copytree(settings.ROOT / "content", content)
    quotes = yaml.safe_load((content / "quotes.yaml").read_text(encoding="utf-8"))
    quotes["quotes"][0]["segments"][0] = "Reduction should happen <script>alert(1)</script> fast"
    (content / "quotes.yaml").write_text(yaml.safe_dump(quotes, allow_unicode=True), encoding="utf-8")
    places = (
        (content / "places.yaml").read_text(encoding="utf-8").replace("point: [36.963, 127.031]", "point: [96.9, 127]")
    )
    places = places.replace("name: {en: Seoul, ko: 서울}", 'name: {en: "Seoul <img src=x onerror=alert(1)>", ko: 서울}')
    (content / "places.yaml").write_text(places, encoding="utf-8")
    with streamlit_server(env={"REALIGN_CONTENT_DIR": str(content)}) as s:
        yield s


def test_broken_content_shows_the_problem_not_a_traceback(
    ctx: BrowserContext, broken_server: Server, artifacts: Path
) -> None:
    rec = Recorder()
    page = open_page(ctx, rec)
    page.goto(broken_server.url + "/")
    wait_map_ready(page)
    body = page.locator("body")
    expect(body).to_contain_text("content/quotes.yaml: quotes (id 'kim-schedule').segments[0]", timeout=15_000)
    expect(body).to_contain_text("content/places.yaml: places[7] (id 'camp-humphreys').point")
    text = body.inner_text()
    assert "Traceback" not in text and "Error:" not in text
    assert "Seoul" in in_map(page, "document.body.textContent")  # the rest of the map still works
    # markup in a content string is shown as text, never run: on the map and in the place list
    labels = in_map(page, "Array.from(document.querySelectorAll('.realign-label')).map(e => e.textContent)")
    assert "Seoul <img src=x onerror=alert(1)>" in labels
    assert in_map(page, "document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert page.locator("img[src='x']").count() == 0
    page.screenshot(path=artifacts / "broken-content.png", full_page=True)
    assert rec.dialogs == [] and rec.foreign_hosts(broken_server.url) == set()
    page.close()


def test_measuring_tool_and_controls(page: Page, server: Server, artifacts: Path) -> None:
    page.goto(server.url + "/")
    wait_map_ready(page)
    # the layer control offers the bundled basemap first and the online layers as options
    labels = "Array.from(document.querySelectorAll('.leaflet-control-layers-base label'))"
    bases = in_map(page, labels + ".map(l => l.textContent.trim())")
    assert bases[0] == "Offline basemap (bundled)"
    assert any("OpenStreetMap (online)" in b for b in bases)
    overlays = in_map(page, "document.querySelectorAll('.leaflet-control-layers-overlays input:checked').length")
    assert overlays == 10
    assert in_map(page, "!!document.querySelector('.realign-fullscreen a[aria-label=\"Full screen\"]')")
    # the legend opens and closes from its title, by mouse or keyboard (it is a button)
    legend_rows = "getComputedStyle(document.querySelector('.realign-legend-rows')).display"
    was_open = in_map(page, legend_rows) != "none"
    in_map(page, "document.querySelector('.realign-legend-title').click()")
    assert (in_map(page, legend_rows) != "none") is not was_open
    # measure between two points in the Yellow Sea, away from every place
    a, b = (37.0, 125.6), (37.05, 126.15)
    in_map(page, "realign.state.map.setView([37.02, 125.9], 9, {animate: false})")
    page.wait_for_timeout(300)
    in_map(page, "document.querySelector('.realign-measure a').click()")
    click_map_at(page, *a)
    page.wait_for_timeout(150)
    click_map_at(page, *b)
    page.wait_for_timeout(300)
    label = in_map(page, "document.querySelector('.realign-measure-label').textContent")
    expected = distance_km(a, b)
    # clicks land on whole pixels (about 0.25 km here) and Leaflet measures on a sphere: within 1.5 %
    assert float(label.split()[0]) == pytest.approx(expected, rel=0.015), (label, expected)
    page.screenshot(path=artifacts / "map-measure.png")


def test_clicking_the_same_place_again_selects_it_again(page: Page, server: Server, story: Story) -> None:
    """Map click on a place, another place from the list, then the first place on the map again."""
    page.set_viewport_size({"width": 1400, "height": 900})  # the map is not wholly on screen: no scroll on click
    page.goto(server.url + "/?place=pyeongtaek")
    wait_map_ready(page)
    page.wait_for_timeout(1200)  # the fly to Pyeongtaek
    osan = story.places["osan"]
    click_map_at(page, *osan.point)
    expect(panel_heading(page)).to_have_text(osan.name.en, timeout=10_000)
    page.locator(".st-key-place-list").get_by_role("button", name="Camp Humphreys").click()
    expect(panel_heading(page)).to_have_text("Camp Humphreys", timeout=10_000)
    page.wait_for_timeout(1200)  # the fly to Camp Humphreys
    click_map_at(page, *osan.point)
    expect(panel_heading(page)).to_have_text(osan.name.en, timeout=10_000)
