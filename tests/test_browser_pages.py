"""Every page in a real browser, in both languages; links back to the map; the briefing as a presenter uses it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from realignment.content import Story
from realignment.geodata import load_geodata
from realignment.webmap import MapModel

from .browser import MAP_IFRAME, Recorder, Server, in_map, open_page, wait_map_ready

# (path, heading in English, heading in Korean); the briefing's heading is its first scene's title
PAGES = [
    ("/", "Realigning US forces in Korea, June 2004", "주한미군 재배치, 2004년 6월"),
    ("/figures", "Force levels", "병력 규모"),
    ("/quotes", "Quotes", "발언"),
    ("/timeline", "Timeline", "연표"),
    ("/sources", "Sources and method", "출처와 방법"),
]


@pytest.fixture(scope="module")
def model(story: Story) -> MapModel:
    return MapModel(story, load_geodata())


def no_traceback(page: Page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_page_in_both_languages(page: Page, server: Server, artifacts: Path, story: Story, lang: str) -> None:
    for path, en, ko in PAGES:
        page.goto(f"{server.url}{path}" + ("?lang=ko" if lang == "ko" else ""))
        expect(page.locator("h1").first).to_have_text(ko if lang == "ko" else en, timeout=30_000)
        # the top navigation speaks the same language
        nav = "지도" if lang == "ko" else "Map"
        expect(page.get_by_role("link", name=nav).first).to_be_visible()
        page.wait_for_timeout(1500)  # charts and the map frame finish drawing
        no_traceback(page)
        name = path.strip("/") or "map"
        page.screenshot(path=artifacts / f"page-{name}-{lang}.png", full_page=True)
    scene = story.scene_list()[0]
    page.goto(f"{server.url}/briefing" + ("?lang=ko" if lang == "ko" else ""))
    expect(page.locator("h1").first).to_have_text(scene.title.get(lang), timeout=30_000)


def test_quote_link_lands_on_the_map_with_its_place_selected(page: Page, server: Server, story: Story) -> None:
    page.goto(f"{server.url}/quotes?lang=ko")
    quote = story.quotes["china-confidence"]
    place = story.places[quote.places[0]]
    card = page.locator(f".st-key-card-q-{quote.id}")
    expect(card).to_contain_text(quote.segments[0], timeout=30_000)  # quotes stay in the source's language
    card.get_by_role("link", name=f"지도에서 보기: {place.name.ko}").click()
    expect(page.locator(".st-key-panel h3").first).to_have_text(place.name.ko, timeout=30_000)
    wait_map_ready(page)
    page.wait_for_function(
        f"() => document.querySelector('{MAP_IFRAME}').contentDocument"
        f".querySelector('.leaflet-container').getAttribute('data-selected') === '{place.id}'"
    )
    page.wait_for_url(re.compile(rf"[?&]place={place.id}\b"))
    assert "lang=ko" in page.url


def test_figure_row_links_to_its_place(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/figures")
    row = page.locator(".st-key-fig-row-nk-army")
    expect(row).to_contain_text("more than 1,000,000", timeout=30_000)
    row.get_by_role("link", name="North Korea (Pyongyang)").click()
    expect(page.locator(".st-key-panel h3").first).to_have_text("North Korea (Pyongyang)", timeout=30_000)


def test_language_switch_travels_between_pages(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/figures?place=seoul")
    expect(page.locator("h1").first).to_have_text("Force levels", timeout=30_000)
    page.locator(".st-key-lang-switch").get_by_role("radio", name="한국어").click()
    expect(page.locator("h1").first).to_have_text("병력 규모", timeout=30_000)
    page.wait_for_url(re.compile(r"lang=ko"))
    page.get_by_role("link", name="발언").first.click()
    expect(page.locator("h1").first).to_have_text("발언", timeout=30_000)
    page.wait_for_url(re.compile(r"lang=ko"))
    assert "place=seoul" in page.url  # the selected place travels too
    page.get_by_role("link", name="지도").first.click()
    expect(page.locator(".st-key-panel h3").first).to_have_text("서울", timeout=30_000)


def map_view(page: Page) -> dict:
    return in_map(
        page,
        "(() => { const m = realign.state.map, b = m.getBounds(), c = m.getContainer();"
        " return {n: b.getNorth(), s: b.getSouth(), e: b.getEast(), w: b.getWest(),"
        " view: c.getAttribute('data-view'), selected: c.getAttribute('data-selected'),"
        " groups: Object.keys(realign.state.groups).filter(g => m.hasLayer(realign.state.groups[g]))}; })()",
    )


def wait_scene(page: Page, model: MapModel, n: int, lang: str = "en") -> dict:
    """Until the page shows scene n and the map has moved to its frame; returns the map's view."""
    scene = model.story.scene_list()[n - 1]
    heading = page.locator(".st-key-scene-text h1")
    expect(heading.filter(has_text=scene.title.get(lang))).to_be_visible(timeout=30_000)
    expect(heading).to_have_count(1, timeout=30_000)  # the previous scene's heading is gone
    page.wait_for_url(re.compile(rf"[?&]scene={n}\b"))
    view = model.scene_view(n, lang)
    assert view is not None
    page.wait_for_function(
        f"() => {{ const c = document.querySelector('{MAP_IFRAME}').contentDocument"
        ".querySelector('.leaflet-container');"
        f" return c && c.getAttribute('data-selected') === '{view.place or ''}' && c.hasAttribute('data-view'); }}",
        timeout=30_000,
    )
    page.wait_for_timeout(600)  # the short fly animation
    got = map_view(page)
    (s, w), (nn, e) = model.view_bounds(view)
    # the scene's places are all in the frame
    assert got["s"] <= s + 0.05 and got["n"] >= nn - 0.05 and got["w"] <= w + 0.05 and got["e"] >= e - 0.05, got
    assert sorted(got["groups"]) == sorted(view.visible_layers())
    return got


def test_briefing_link_opens_that_scene_and_moves_with_the_keys(
    ctx: BrowserContext, server: Server, model: MapModel, artifacts: Path
) -> None:
    rec = Recorder()
    page = open_page(ctx, rec)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server.url}/briefing?scene=3")
    wait_map_ready(page)
    first = wait_scene(page, model, 3)
    expect(page.locator(".st-key-scene-progress")).to_have_text("Scene 3 / 9")
    # the presentation layout fits the screen: no scrollbar, no app chrome
    overflow = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=stMain]');"
        " return [m.scrollHeight - m.clientHeight, document.documentElement.scrollHeight - innerHeight]; }"
    )
    assert max(overflow) <= 1, overflow
    assert not page.locator('header[data-testid="stHeader"]').is_visible()
    page.screenshot(path=artifacts / "briefing-scene-3.png")

    page.locator(".st-key-scene-next button").click()
    second = wait_scene(page, model, 4)
    assert second["view"] != first["view"]  # the same map moved; it was not rebuilt
    assert in_map(page, "window.__sameDocument === undefined")
    in_map(page, "window.__sameDocument = true")

    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # focus the page, not a widget
    page.keyboard.press("PageDown")  # what a presentation clicker sends
    wait_scene(page, model, 5)
    page.keyboard.press("ArrowLeft")
    wait_scene(page, model, 4)
    assert in_map(page, "window.__sameDocument") is True  # no reload of the map across scenes
    page.locator(".st-key-scene-prev button").click()
    wait_scene(page, model, 3)
    page.screenshot(path=artifacts / "briefing-scene-3-again.png")
    assert rec.foreign_hosts(server.url) == set()
    assert rec.dialogs == []
    page.close()


def test_briefing_in_korean_and_an_unknown_scene(page: Page, server: Server, model: MapModel, artifacts: Path) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server.url}/briefing?scene=99&lang=ko")
    expect(page.get_by_text("장면이 없습니다", exact=False)).to_be_visible(timeout=30_000)  # said in Korean
    wait_map_ready(page)
    wait_scene(page, model, 1, "ko")
    page.get_by_role("button", name="다음").click()
    wait_scene(page, model, 2, "ko")
    page.screenshot(path=artifacts / "briefing-scene-2-ko.png")


def test_offline_walk_of_every_page_and_every_scene(ctx: BrowserContext, server: Server, model: MapModel) -> None:
    """A briefing room without internet: no page and no scene asks any host but the app's own."""
    rec = Recorder()
    page = open_page(ctx, rec)
    page.set_viewport_size({"width": 1920, "height": 1080})
    visited = []
    for lang in ("en", "ko"):
        for path, en, ko in PAGES:
            page.goto(f"{server.url}{path}?lang={lang}")
            expect(page.locator("h1").first).to_have_text(ko if lang == "ko" else en, timeout=30_000)
            if path == "/":
                wait_map_ready(page)
            page.wait_for_timeout(800)
            no_traceback(page)
            visited.append(path)
    page.goto(f"{server.url}/briefing?scene=1")
    wait_map_ready(page)
    for n in range(1, len(model.story.scenes) + 1):
        wait_scene(page, model, n)
        no_traceback(page)
        visited.append(f"scene {n}")
        if n < len(model.story.scenes):
            page.locator(".st-key-scene-next button").click()
    assert len(visited) == 2 * len(PAGES) + len(model.story.scenes)
    assert len(rec.requests) > 50  # the walk really loaded things
    assert rec.foreign_hosts(server.url) == set(), rec.foreign_hosts(server.url)
    assert rec.dialogs == []
    page.close()


def test_export_from_the_map_page_downloads_a_print_png(page: Page, server: Server, artifacts: Path) -> None:
    from PIL import Image

    page.goto(f"{server.url}/?place=pyeongtaek")
    wait_map_ready(page)
    page.get_by_role("button", name="Export this view").click()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="PNG, 300 dpi").click()
    download = info.value
    assert download.suggested_filename == "korea-2004-pyeongtaek-en-a4.png"
    path = artifacts / "download-map-pyeongtaek.png"
    download.save_as(path)
    with Image.open(path) as img:
        assert img.size == (3508, 2480)  # A4 landscape at 300 dpi
        assert round(img.info["dpi"][0]) == 300
        assert "Pyeongtaek" in img.info.get("Title", "")
    no_traceback(page)


def test_briefing_handout_renders_with_progress_and_downloads(page: Page, server: Server, model: MapModel) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server.url}/briefing?scene=2")
    wait_scene(page, model, 2)
    page.get_by_role("button", name="Export this view").click()
    page.get_by_role("button", name="Handout (PDF, one page per scene)").click()
    expect(page.get_by_text("Rendering page", exact=False).first).to_be_visible(timeout=30_000)
    button = page.get_by_role("button", name="PDF — Handout (PDF, one page per scene)")
    expect(button).to_be_visible(timeout=120_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) == len(model.story.scenes)  # a page per scene
    no_traceback(page)
